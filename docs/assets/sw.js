/* Offline reading (issue #20): the service worker of one site tree.

   hooks/_offline.py writes this file to the root of the tree (the site root, or a release's v/X.Y/),
   after two lines that say which build it belongs to (BUILD, a hash of every file of the tree) and
   which folders below it are other trees with their own worker (OTHER_TREES). A worker's location
   is its scope, so each tree has its own worker, its own caches (named by tree and build) and never
   touches another tree's pages.

   - Pages (navigations), and anything asked for with a query, come from the network first, so an update arrives as soon as the reader is
     online; each page is then kept, and served from the cache only when the network fails.
   - Everything else (styles, scripts, previews.json, the search index chunks) is served from this
     build's cache, else fetched and kept. A new build is a new worker: it fetches again what the
     reader had (and a saved edition in full) into a new cache, and drops the old one.
   - "Save for offline reading" (assets/offline.js) sends the edition's manifest, offline.json;
     every file it lists is fetched into the cache.
   Each kept response carries the time it was saved (header x-companion-saved), which the page shows. */
/* global BUILD, OTHER_TREES */
"use strict";

var SCOPE = self.registration.scope;
var TREE = "companion:" + new URL(SCOPE).pathname;   // this tree's caches start with this
var CACHE = TREE + ":" + BUILD;                       // this build's cache
var META = TREE + ":saved";                           // which editions are saved, and when (kept across builds)
var SAVED_HEADER = "x-companion-saved";
var served = {};                                      // client id -> when its page was saved, if it came from the cache

function ours(url) {
  if (url.origin !== location.origin || url.href.indexOf(SCOPE) !== 0) return false;
  var path = url.href.slice(SCOPE.length);
  if (path === "sw.js") return false;
  return !OTHER_TREES.some(function (tree) { return path.indexOf(tree) === 0; });
}

/* Kept without query: Pagefind asks for pagefind-entry.json?ts=<now> (to bypass caches) and Material
   adds ?h=<words> to search results, which must still find the page offline. */
function key(url) {
  var u = new URL(url, SCOPE);
  u.hash = "";
  u.search = "";
  return u.href;
}

/* A copy of the response that says when it was saved. */
function stamped(response) {
  var headers = new Headers(response.headers);
  headers.set(SAVED_HEADER, new Date().toISOString());
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function keep(cache, request, response) {
  if (!response || response.status !== 200 || response.type !== "basic") return Promise.resolve();
  return stamped(response.clone()).then(function (copy) { return cache.put(key(request.url || request), copy); });
}

function fetchAndKeep(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error(url + ": " + response.status);
    return keep(cache, url, response);
  });
}

function savedEditions() {
  return caches.open(META).then(function (meta) { return meta.match("saved.json"); })
    .then(function (r) { return r ? r.json() : {}; });
}

function writeSaved(saved) {
  return caches.open(META).then(function (meta) {
    return meta.put("saved.json", new Response(JSON.stringify(saved), { headers: { "content-type": "application/json" } }));
  });
}

/* Fetch every file of an edition's manifest into the cache, reporting progress. */
function saveEdition(manifestUrl, progress) {
  return fetch(manifestUrl, { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error(manifestUrl + ": " + r.status);
    return r.json();
  }).then(function (manifest) {
    return caches.open(CACHE).then(function (cache) {
      var urls = manifest.files.map(function (f) { return new URL(f[0], SCOPE).href; });
      var done = 0;
      var failed = [];
      var next = 0;
      function worker() {
        if (next >= urls.length) return Promise.resolve();
        var url = urls[next++];
        return fetchAndKeep(cache, url).catch(function () { failed.push(url); }).then(function () {
          done += 1;
          if (progress) progress(done, urls.length);
          return worker();
        });
      }
      return Promise.all([worker(), worker(), worker(), worker()]).then(function () {
        if (failed.length) throw new Error(failed.length + " files could not be fetched");
        return manifest;
      });
    });
  });
}

/* A new build: fetch what the reader had (and the saved editions) into this build's cache. */
self.addEventListener("install", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (n) { return n.indexOf(TREE + ":") === 0 && n !== CACHE && n !== META; });
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(old.map(function (name) {
        return caches.open(name).then(function (previous) {
          return previous.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
              return fetchAndKeep(cache, request.url).catch(function () {
                // Not reachable now: keep the copy we had (it is replaced when next read online).
                return previous.match(request).then(function (r) { return r && cache.put(request, r); });
              });
            }));
          });
        });
      })).then(savedEditions).then(function (saved) {
        return Promise.all(Object.keys(saved).map(function (lang) {
          return saveEdition(saved[lang].manifest).then(function () {
            saved[lang].date = new Date().toISOString();
          }, function () { /* stays saved under its old date; retried with the next build */ });
        })).then(function () { return writeSaved(saved); });
      });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(TREE + ":") === 0 && n !== CACHE && n !== META;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) return;
  var url = new URL(request.url);
  if (!ours(url)) return;
  if (request.mode === "navigate" || url.search) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return fetch(request).then(function (response) {
        event.waitUntil(keep(cache, request, response.clone()));
        return response;
      }, function (error) {
        return cache.match(key(request.url)).then(function (copy) {
          if (!copy) throw error;
          if (event.resultingClientId) served[event.resultingClientId] = copy.headers.get(SAVED_HEADER);
          return copy;
        });
      });
    }));
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(key(request.url)).then(function (copy) {
      if (copy) return copy;
      return fetch(request).then(function (response) {
        event.waitUntil(keep(cache, request, response.clone()));
        return response;
      });
    });
  }));
});

self.addEventListener("message", function (event) {
  var message = event.data || {};
  var port = event.ports && event.ports[0];
  var reply = function (data) { if (port) port.postMessage(data); };
  if (message.type === "opened") {
    // The page and the files it loaded before this worker controlled it.
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all((message.urls || []).filter(function (u) { return ours(new URL(u)); }).map(function (u) {
        return cache.match(key(u)).then(function (copy) { return copy || fetchAndKeep(cache, key(u)).catch(function () {}); });
      }));
    }).then(function () { reply({ done: true }); }));
  } else if (message.type === "status") {
    event.waitUntil(Promise.all([savedEditions(), caches.open(CACHE).then(function (c) { return c.match(key(message.url)); })])
      .then(function (found) {
        var copy = found[1];
        var client = event.source && event.source.id;
        reply({ build: BUILD, edition: found[0][message.lang] || null, page: copy ? copy.headers.get(SAVED_HEADER) : null,
                fromCache: client && served[client] ? served[client] : null });
      }));
  } else if (message.type === "save") {
    event.waitUntil(saveEdition(message.manifest, function (done, total) { reply({ done: done, total: total }); })
      .then(function () {
        return savedEditions().then(function (saved) {
          saved[message.lang] = { manifest: message.manifest, date: new Date().toISOString() };
          return writeSaved(saved).then(function () { reply({ saved: saved[message.lang].date }); });
        });
      }, function (error) { reply({ error: String(error && error.message || error) }); }));
  } else if (message.type === "remove") {
    event.waitUntil(savedEditions().then(function (saved) {
      delete saved[message.lang];
      return writeSaved(saved);
    }).then(function () {
      return fetch(message.manifest).then(function (r) { return r.json(); }).then(function (manifest) {
        return caches.open(CACHE).then(function (cache) {
          return Promise.all(manifest.files.map(function (f) { return cache.delete(new URL(f[0], SCOPE).href); }));
        });
      }, function () { return caches.open(CACHE).then(function () {}); });
    }).then(function () { reply({ removed: true }); }));
  }
});
