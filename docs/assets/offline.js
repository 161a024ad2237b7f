/* Offline reading (issue #20), the page's side: register the tree's service worker (its sw.js),
   hand it the page and the files this page loaded before the worker controlled it, and run the
   "save for offline reading" control of overrides/partials/offline.html (in the reader's language,
   hooks/strings.yml): the edition's size first (from its manifest, offline.json), then progress,
   then the date it was saved. Under `mkdocs serve` (whose live-reload script, added at the end of
   every page, is in the document even where the CSP stops it running) no worker is registered and
   one left from an earlier visit is removed, so an edit is never hidden behind a cached file. */
(function () {
  "use strict";
  var box = document.querySelector("[data-offline]");
  if (!box || !("serviceWorker" in navigator) || !window.caches) return;
  var workerUrl = new URL(box.getAttribute("data-offline-worker"), location.href);
  var manifestUrl = new URL(box.getAttribute("data-offline-manifest"), location.href).href;
  var scope = new URL("./", workerUrl).href;
  var lang = document.documentElement.lang;
  var T = JSON.parse(box.querySelector("script[type='application/json']").textContent);

  function served() {
    return Array.prototype.some.call(document.scripts, function (s) { return !s.src && /\blivereload\(/.test(s.textContent); });
  }

  var status = box.querySelector(".offline__status");
  var save = box.querySelector(".offline__save");
  var confirm = box.querySelector(".offline__confirm");
  var cancel = box.querySelector(".offline__cancel");
  var remove = box.querySelector(".offline__remove");

  function say(text) { status.textContent = text; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function date(iso) {
    return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
  }
  function megabytes(bytes) {
    return new Intl.NumberFormat(lang, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(bytes / 1e6);
  }
  function show(buttons) {
    [save, confirm, cancel, remove].forEach(function (b) { b.hidden = buttons.indexOf(b) < 0; });
  }
  /* One request to the worker; `each` sees every answer (progress), the promise the last one. */
  function ask(message, each) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (each) each(event.data);
          if (!("done" in event.data && "total" in event.data)) resolve(event.data);
        };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }
  function describe(answer) {
    var copy = answer.fromCache || (!navigator.onLine && answer.page);
    if (copy) {
      say(fill(T.offline_copy, { date: date(copy) }));
    } else if (answer.edition) {
      say(fill(T.offline_saved, { date: date(answer.edition.date) }));
    } else {
      say("");
    }
    show(answer.edition ? [remove] : [save]);
  }
  function refresh() {
    return ask({ type: "status", url: location.href, lang: lang }).then(describe);
  }

  save.addEventListener("click", function () {
    say(T.offline_sizing);
    fetch(manifestUrl, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (manifest) {
      var size = megabytes(manifest.bytes);
      say(fill(T.offline_size, { size: size, pages: manifest.pages }));
      confirm.textContent = fill(T.offline_confirm, { size: size });
      show([confirm, cancel]);
      confirm.focus();
    }, function () { say(T.offline_unavailable); });
  });
  cancel.addEventListener("click", function () { say(""); show([save]); save.focus(); });
  confirm.addEventListener("click", function () {
    show([]);
    say(fill(T.offline_saving, { percent: 0 }));
    ask({ type: "save", manifest: manifestUrl, lang: lang }, function (answer) {
      if ("total" in answer) say(fill(T.offline_saving, { percent: Math.floor(100 * answer.done / answer.total) }));
    }).then(function (answer) {
      if (answer.error) { say(T.offline_failed); show([save]); return; }
      say(fill(T.offline_saved, { date: date(answer.saved) }));
      show([remove]);
      remove.focus();
    });
  });
  remove.addEventListener("click", function () {
    ask({ type: "remove", manifest: manifestUrl, lang: lang }).then(function () {
      say(T.offline_removed);
      show([save]);
      save.focus();
    });
  });

  function start() {
    if (served()) {
      navigator.serviceWorker.getRegistration(scope).then(function (r) {
        if (r && r.scope === scope) return r.unregister();
      }).then(function () { box.setAttribute("data-offline-off", ""); });
      return;
    }
    register();
  }

  /* What the theme asks for once the page is parsed, which may still be on its way (so not among the
     loaded files) when the worker takes over: its search worker and the search index, as named in its
     configuration block (overrides/base.html). */
  function themeFiles() {
    var node = document.getElementById("__config");
    if (!node) return [];
    var config = JSON.parse(node.textContent);
    var base = new URL(config.base.replace(/\/?$/, "/"), location.href);
    return [new URL(config.search, location.href).href, new URL("search/search_index.json", base).href];
  }

  function register() {
    navigator.serviceWorker.register(workerUrl.href, { scope: scope }).then(function () {
      box.hidden = false;
      // The page itself and what it loaded so far, which reached the browser before the worker did.
      var urls = [location.href.split("#")[0]].concat(performance.getEntriesByType("resource").map(function (e) { return e.name; }), themeFiles());
      return ask({ type: "opened", urls: urls }).then(refresh).then(function () { box.setAttribute("data-offline-ready", ""); });
    }).catch(function (error) { console.warn("Offline reading is not available:", error); });
  }

  /* A deferred script (overrides/base.html): the page is parsed, mkdocs serve's script included. */
  start();
})();
