/*
 * Search bridge: answers Material for MkDocs' search queries with Pagefind (issue #7).
 *
 * Loaded with importScripts() by assets/search-worker.js (the worker Material starts on every
 * page) only when the reader types a query; it then imports Pagefind (its module, the edition's
 * wasm and the index chunks the query needs). Results go back in Material's format: a list of
 * pages, each a list of entries (page and sections) with a location, title, text and score.
 * It shares the worker's global scope, so everything but self.searchBridge stays in a closure.
 */
(function () {
  "use strict";

  var RESULT = 3;     // Material's SearchMessageType
  var MAX_PAGES = 10; // pages whose text is fetched for one query (Material renders 10 at first)
  var DELAY = 100;    // ms: keystrokes closer together than this search once

  var settings = null; // { bundle, lang } from the stub index written by hooks/search.py
  var engine = null;   // Promise of the Pagefind module, created on the first query
  var latest = 0;      // number of the newest query; answers to older ones are dropped

  // The worker lives at <edition>/assets/javascripts/workers/; the bundle path is relative to <edition>/.
  var edition = new URL("../../../", self.location.href);

  function load() {
    if (!engine) {
      var bundle = new URL(settings.bundle, edition);
      // Pagefind takes the index language from document's <html lang>, and a worker has no document
      // (checked with pagefind 1.5): tell it the edition's language.
      var lang = settings.lang;
      self.document = {
        currentScript: null,
        querySelector: function () { return { getAttribute: function () { return lang; } }; }
      };
      engine = import(bundle.href + "pagefind.js").then(function (pagefind) {
        // Result URLs come back as paths below the site root, the folder that holds the bundle.
        return pagefind.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 20 })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      engine.catch(function (error) {
        engine = null; // try again on the next query
        console.warn("Search could not load Pagefind:", error);
      });
    }
    return engine;
  }

  /* The queries to run: the words as typed, and, in Indonesian, each root that starts with t or k
     also without that letter. meN-/peN- replace it (tuntut -> menuntut, penuntutan) and Pagefind's
     stemmer reduces those to "untut", which "tuntut" alone never finds. */
  function variants(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var list = [words];
    if (settings.lang === "id") {
      var expanded = 0;
      words.forEach(function (word, i) {
        if (expanded < 2 && /^[tk][a-z]{4,}$/.test(word)) {
          expanded += 1;
          list = list.concat(list.map(function (other) {
            var copy = other.slice();
            copy[i] = word.slice(1);
            return copy;
          }));
        }
      });
    }
    return list.map(function (w) { return w.join(" "); });
  }

  function escapeHTML(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  /* What a matched word must contain to count: the start of a query word, minus a few letters for
     endings (trafficked -> "traffic", countries -> "countr"; dagang -> "dag", untut -> "unt"). */
  function stems(queries) {
    var seen = {};
    queries.forEach(function (query) {
      query.split(" ").forEach(function (word) {
        word = fold(word);
        seen[word.slice(0, Math.max(3, word.length - 3))] = true;
      });
    });
    return Object.keys(seen);
  }

  /* The words Pagefind marked in an excerpt that belong to the query: the forms actually on the page
     (perdagangan, not dagang), which Material's search.highlight then marks on the page the reader
     opens. Pagefind marks whole tokens ("(perdagangan", "anti-trafficking", whole URLs), so tokens are
     split into words; and when a query matches nothing Pagefind falls back to short prefixes
     ("kirim" marks "K."), which this check rejects. */
  function matched(excerpt, prefixes, into) {
    var found = /<mark>([^<]+)<\/mark>/g, match;
    while ((match = found.exec(excerpt || ""))) {
      var text = match[1].replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (e) { return ENTITIES[e]; });
      text.split(/[^\p{L}\p{N}]+/u).forEach(function (part) {
        var word = fold(part);
        if (word && prefixes.some(function (prefix) { return word.indexOf(prefix) >= 0; })) {
          into[part.toLowerCase()] = true;
        }
      });
    }
    return into;
  }

  function weight(section) {
    return (section.weighted_locations || []).reduce(function (sum, l) { return sum + (l.balanced_score || l.weight || 1); }, 0)
      || (section.locations || []).length || 1;
  }

  /* One Material result item for one page: its best section first (Material shows the entries that
     reach the first one's score and folds the others under "more"; Enter in the search box opens the
     highest score), then the page itself, then its other sections. Null when none of the page's
     matches belongs to the query. */
  function item(page, score, prefixes) {
    var sections = (page.sub_results || []).filter(function (section) {
      return section.url.indexOf("#") >= 0 && !(section.anchor && section.anchor.element === "h1");
    });
    var terms = matched(page.excerpt, prefixes, {});
    (page.sub_results || []).forEach(function (section) { matched(section.excerpt, prefixes, terms); });
    if (!Object.keys(terms).length) return null;
    var top = Math.max.apply(null, sections.map(weight).concat([1]));
    var doc = function (url, title, excerpt, value) {
      return {
        location: new URL(url, self.location.origin).href,
        title: escapeHTML(title || ""),
        text: excerpt ? "<p>" + excerpt + "</p>" : "",
        score: value,
        terms: terms
      };
    };
    var entries = sections.map(function (section) {
      return doc(section.url, section.title, section.excerpt, score * (1 + weight(section) / top));
    }).sort(function (a, b) { return b.score - a.score; });
    var article = doc(page.url, page.meta && page.meta.title, page.excerpt, score);
    return entries.slice(0, 1).concat([article], entries.slice(1));
  }

  /* `query` is ours, not Material's (it ignores it): it says which query an answer belongs to, so a
     test (or a reader's assistive tool) can tell the final answer from answers to earlier keystrokes. */
  function respond(items, query) {
    self.postMessage({ type: RESULT, data: { items: items, query: query } });
  }

  function search(query, seq, asked) {
    var queries = variants(query);
    var prefixes = stems(queries);
    return load().then(function (pagefind) {
      if (seq !== latest) return null;
      return Promise.all(queries.map(function (q) { return pagefind.search(q); }));
    }).then(function (responses) {
      if (!responses || seq !== latest) return null;
      // A page found by several variants counts once, with its best score.
      var best = new Map();
      responses.forEach(function (response) {
        response.results.forEach(function (result) {
          var seen = best.get(result.id);
          if (!seen || seen.score < result.score) best.set(result.id, result);
        });
      });
      var top = Array.from(best.values())
        .sort(function (a, b) { return b.score - a.score; })
        .slice(0, MAX_PAGES);
      return Promise.all(top.map(function (result) {
        return result.data();
      }));
    }).then(function (pages) {
      if (!pages || seq !== latest) return;
      // Scores become 100, 99, ... in Pagefind's order, so Material shows them in that order.
      var items = pages.map(function (page, rank) { return item(page, 100 - rank, prefixes); });
      respond(items.filter(Boolean), asked);
    }).catch(function (error) {
      console.warn("Search failed:", error);
      if (seq === latest) respond([], asked);
    });
  }

  /* Called by search-worker.js for every query once this file is loaded. */
  self.searchBridge = function (text, config) {
    settings = config;
    var seq = (latest += 1);
    var query = String(text || "").trim();
    if (query.length < 2) {
      respond([], text);
      return;
    }
    load(); // start downloading while the reader is still typing
    setTimeout(function () {
      if (seq === latest) search(query, seq, text);
    }, DELAY);
  };
})();
