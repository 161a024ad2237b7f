/*
 * Search bridge: answers Material for MkDocs' search queries with Pagefind (issues #7, #13).
 *
 * Loaded with importScripts() by assets/search-worker.js (the worker Material starts on every
 * page) only when the reader types a query; it then imports Pagefind (its module, the edition's
 * wasm and the index chunks the query needs) and fetches the edition's word families, both written
 * by the build (hooks/_pagefind.py, hooks/_search_lexicon.py). Results go back in Material's
 * format: a list of pages, each a list of entries (page and sections) with a location, title, text
 * and score. It shares the worker's global scope, so everything but self.searchBridge stays in a
 * closure. It needs no eval: under a Content-Security-Policy it needs script-src 'self'
 * 'wasm-unsafe-eval' (Pagefind's WebAssembly) and connect-src 'self' (its index, the word lists).
 *
 * One query is more than Pagefind's search of the words as typed:
 * - each word is also searched as the other words of its family (in Indonesian the forms of its
 *   dictionary root: rekrut finds perekrutan, penyelundupan finds penyelundup), a hyphenated word
 *   also as its parts; a page found by several of these searches counts once, with its best score;
 * - two or more words are also searched as a phrase, and the pages that hold the phrase come first;
 * - Pagefind answers a word that matches nothing with the pages of a shorter prefix ("kirim" finds
 *   "K."): a page counts only when a word Pagefind marked on it belongs to the query;
 * - a query that finds nothing is answered with the edition's closest words, each a link that
 *   searches it, after the notice that nothing matched (words.<lang>.json, fetched only then).
 */
(function () {
  "use strict";

  var RESULT = 3;          // Material's SearchMessageType
  var MAX_PAGES = 10;      // pages shown for one query (Material renders 10 at first)
  var MAX_CANDIDATES = 30; // pages whose text may be fetched to find them, when some do not belong
  var TYPED_BOOST = 1.5;   // a page's score for a form as typed counts this much more than for its family
  var DELAY = 100;         // ms: keystrokes closer together than this search once
  var MAX_SEARCHES = 16;   // Pagefind searches for one query: its words and their families, combined
  var MAX_SUGGESTIONS = 4; // closest words offered for a query that finds nothing

  var settings = null; // { bundle, lang } from the stub index written by hooks/search.py
  var engine = null;   // Promise of { pagefind, families }, created on the first query
  var wordList = null; // Promise of words.<lang>.json, created when a query first finds nothing
  var latest = 0;      // number of the newest query; answers to older ones are dropped

  // The worker lives at <edition>/assets/javascripts/workers/; the bundle path is relative to <edition>/.
  var edition = new URL("../../../", self.location.href);

  function bundleFile(name) {
    return new URL(settings.bundle + name, edition).href;
  }

  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  function load() {
    if (!engine) {
      // Pagefind takes the index language from document's <html lang>, and a worker has no document
      // (checked with pagefind 1.5): tell it the edition's language.
      var lang = settings.lang;
      self.document = {
        currentScript: null,
        querySelector: function () { return { getAttribute: function () { return lang; } }; }
      };
      var pagefind = import(bundleFile("pagefind.js")).then(function (pagefind) {
        // Result URLs come back as paths below the site root, the folder that holds the bundle.
        return pagefind.options({ baseUrl: new URL("../", bundleFile("")).pathname, excerptLength: 20 })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      // Without its families the search still works, as Pagefind alone.
      var families = fetchJSON(bundleFile("families." + lang + ".json")).catch(function (error) {
        console.warn("Search could not load its word families:", error);
        return { families: {} };
      }).then(wordFamilies);
      engine = Promise.all([pagefind, families]).then(function (both) {
        return { pagefind: both[0], families: both[1] };
      });
      engine.catch(function (error) {
        engine = null; // try again on the next query
        console.warn("Search could not load Pagefind:", error);
      });
    }
    return engine;
  }

  /* The other words to search for a word: its own family and the families it belongs to. */
  function wordFamilies(data) {
    var families = new Map(Object.entries(data.families || {}));
    var owners = new Map();
    families.forEach(function (forms, root) {
      forms.forEach(function (form) {
        if (!owners.has(form)) owners.set(form, []);
        owners.get(form).push(root);
      });
    });
    return function (word) {
      var list = [{ words: word, weak: false, root: families.has(word) }];
      var add = function (forms, weak) {
        (forms || []).forEach(function (form) {
          if (!list.some(function (a) { return a.words === form; })) list.push({ words: form, weak: weak });
        });
      };
      add(families.get(word), false);
      (owners.get(word) || []).forEach(function (root) { add(families.get(root), false); });
      // A hyphenated word also as its parts (Pagefind indexes each: buku-buku as buku, non-state as
      // non state), ranked after the pages that hold the word itself.
      if (word.indexOf("-") > 0) {
        add([word.split("-").filter(function (part, i, parts) { return part && parts.indexOf(part) === i; }).join(" ")], true);
      }
      return list;
    };
  }

  /* A word as the lexicon keeps it (hooks/_search_lexicon.py, ENDS): lower case, no punctuation at either end. */
  function clean(word) {
    return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  }

  /* A word as Pagefind compares it: its letters and digits (non-intervensi -> nonintervensi). */
  function key(word) {
    return word.toLowerCase().normalize("NFD").replace(/[^\p{L}\p{N}]/gu, "");
  }

  /* The Pagefind searches for the typed words: every combination of their alternatives, at most
     MAX_SEARCHES (the longest lists give up their least used words first). Tier 1, or 0 when a
     combination holds a hyphenated word's parts rather than the word. */
  function combinations(lists) {
    lists = lists.map(function (list) { return list.slice(); });
    var size = function () { return lists.reduce(function (n, list) { return n * list.length; }, 1); };
    while (size() > MAX_SEARCHES) {
      lists.reduce(function (a, b) { return b.length > a.length ? b : a; }).pop();
    }
    return lists.reduce(function (done, list) {
      var next = [];
      done.forEach(function (combination) {
        list.forEach(function (alternative) { next.push(combination.concat([alternative])); });
      });
      return next;
    }, [[]]).map(function (combination, i) {
      return {
        query: combination.map(function (a) { return a.words; }).join(" "),
        tier: combination.some(function (a) { return a.weak; }) ? 0 : 1,
        // The first combination is the words as typed; a root typed alone stands for its whole family.
        boost: i === 0 && !combination.some(function (a) { return a.root; }) ? TYPED_BOOST : 1
      };
    });
  }

  function longestCommon(a, b) {
    var best = 0, previous = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var row = [0];
      for (var j = 1; j <= b.length; j++) {
        row[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : 0;
        if (row[j] > best) best = row[j];
      }
      previous = row;
    }
    return best;
  }

  /* For each typed word, whether a word Pagefind marked belongs to it: a word of its alternatives, or
     one that shares most of one (trafficking for trafficked, penulis for menulis), which Pagefind's
     fallback to a shorter prefix never does ("K." for kirim, "(Re)Negotiating" for rekrut). */
  function belongs(searched) {
    return searched.map(function (alternatives) {
      var keys = new Set();
      alternatives.forEach(function (a) { a.words.split(" ").forEach(function (w) { if (key(w)) keys.add(key(w)); }); });
      return function (word) {
        var k = key(word);
        if (!k) return false;
        if (keys.has(k)) return true;
        return Array.from(keys).some(function (t) {
          return longestCommon(k, t) >= (t.length <= 3 ? t.length : Math.max(3, Math.ceil(t.length * 0.6)));
        });
      };
    });
  }

  function escapeHTML(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

  /* The words Pagefind marked in an excerpt that belong to the query: the forms actually on the page
     (perdagangan, not dagang), which Material's search.highlight then marks on the page the reader
     opens. Pagefind marks whole tokens ("(perdagangan", "anti-trafficking", whole URLs), so a token
     counts when it or one of its parts belongs, and its parts become the terms. `found[i]` records
     that typed word i was seen. */
  function matched(excerpt, accepts, terms, found) {
    var marks = /<mark>([^<]+)<\/mark>/g, match;
    while ((match = marks.exec(excerpt || ""))) {
      var text = match[1].replace(/&(amp|lt|gt|quot|#39|#x27);/g, function (e) { return ENTITIES[e]; });
      var parts = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      accepts.forEach(function (accept, i) {
        var whole = accept(clean(text));
        parts.forEach(function (part) {
          if (whole || accept(part)) {
            terms[part.toLowerCase()] = true;
            found[i] = true;
          }
        });
      });
    }
  }

  function weight(section) {
    return (section.weighted_locations || []).reduce(function (sum, l) { return sum + (l.balanced_score || l.weight || 1); }, 0)
      || (section.locations || []).length || 1;
  }

  /* One Material result item for one page: its best section first (Material shows the entries that
     reach the first one's score and folds the others under "more"; Enter in the search box opens the
     highest score), then the page itself, then its other sections. Null unless every typed word has
     a match on the page that belongs to it. */
  function item(page, score, accepts) {
    var sections = (page.sub_results || []).filter(function (section) {
      return section.url.indexOf("#") >= 0 && !(section.anchor && section.anchor.element === "h1");
    });
    var terms = {}, found = accepts.map(function () { return false; });
    [page].concat(page.sub_results || []).forEach(function (part) { matched(part.excerpt, accepts, terms, found); });
    if (found.indexOf(false) >= 0) return null;
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

  /* Optimal string alignment distance (a swap of two letters counts once), or limit + 1 beyond limit. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null, previous = [], i, j;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      var row = [i], least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
        least = Math.min(least, row[j]);
      }
      if (least > limit) return limit + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  /* Queries to offer for typed words that found nothing: each word replaced by a close word of the
     edition (one edit for words of up to five letters, two for longer ones), nearest and most used first; for several
     words, also each word alone. Only those that find something are kept. */
  function suggest(typed, pagefind) {
    if (!wordList) {
      wordList = fetchJSON(bundleFile("words." + settings.lang + ".json"));
      wordList.catch(function () { wordList = null; });
    }
    return wordList.then(function (data) {
      var candidates = [];
      typed.forEach(function (word, i) {
        var limit = word.length <= 5 ? 1 : 2;
        data.words.forEach(function (other, rank) {
          if (other === word || /\d/.test(other) !== /\d/.test(word)) return;
          var d = distance(word, other, limit);
          if (d <= limit) candidates.push({ words: typed.slice(0, i).concat([other], typed.slice(i + 1)), changed: i, order: [d, rank] });
        });
        if (typed.length > 1) candidates.push({ words: [word], changed: -1, order: [limit + 1, i] });
      });
      candidates.sort(function (a, b) { return a.order[0] - b.order[0] || a.order[1] - b.order[1]; });
      candidates = candidates.slice(0, 3 * MAX_SUGGESTIONS);
      return Promise.all(candidates.map(function (candidate) {
        return pagefind.search(candidate.words.join(" ")).then(function (response) {
          return response.results.length ? candidate : null;
        });
      })).then(function (found) {
        return { strings: data.strings, found: found.filter(Boolean).slice(0, MAX_SUGGESTIONS) };
      });
    });
  }

  /* The answer to a query that found nothing: Material counts result items, so the notice that
     nothing matched travels in the first suggestion, and assets/site.css hides Material's count
     while suggestions are shown. Each suggestion is a link that opens search on it (?q=). */
  function suggestionItems(query, offer) {
    var strings = offer.strings;
    return offer.found.map(function (candidate, i) {
      var words = candidate.words.map(function (word, j) {
        return j === candidate.changed ? "<mark>" + escapeHTML(word) + "</mark>" : escapeHTML(word);
      }).join(" ");
      var notice = escapeHTML(strings.no_results).replace("{query}", escapeHTML(query));
      return [{
        location: new URL("./?q=" + encodeURIComponent(candidate.words.join(" ")), edition).href,
        title: '<span class="search-suggestion">' + escapeHTML(strings.did_you_mean).replace("{suggestion}", words) + "</span>",
        text: i === 0 ? "<p>" + notice + "</p>" : "",
        score: 100 - i,
        terms: {}
      }];
    });
  }

  /* `query` is ours, not Material's (it ignores it): it says which query an answer belongs to, so a
     test (or a reader's assistive tool) can tell the final answer from answers to earlier keystrokes. */
  function respond(items, query) {
    self.postMessage({ type: RESULT, data: { items: items, query: query } });
  }

  /* A page's text with the sections of every search that found it (each search shows only the
     sections of its own words: tuntut's search the sections with tuntutan, penuntutan's the others),
     one search after the other (Pagefind keeps one copy of a page's fragment and reuses it). */
  function read(entry) {
    var sections = new Map(), first = null;
    // Only searches of the best one's tier (a hyphenated word's parts do not add sections to the word's);
    // a section keeps what the best search that found it says.
    var tier = Math.floor(entry.all[0].rank / 1000);
    return entry.all.filter(function (found) { return Math.floor(found.rank / 1000) === tier; }).slice(0, MAX_SEARCHES).reduce(function (done, found) {
      return done.then(function () { return found.result.data(); }).then(function (page) {
        if (!first) first = Object.assign({}, page);
        (page.sub_results || []).forEach(function (section) {
          if (!sections.has(section.url)) sections.set(section.url, section);
        });
      });
    }, Promise.resolve()).then(function () {
      first.sub_results = Array.from(sections.values());
      return first;
    });
  }

  /* Material items for the best pages, MAX_PAGES at most: candidates are read in rank order, a batch
     at a time, until enough belong to the query (pages of Pagefind's prefix fallback do not). */
  function collect(candidates, accepts, seq) {
    var items = [];
    function next(start) {
      if (items.length >= MAX_PAGES || start >= Math.min(candidates.length, MAX_CANDIDATES)) return Promise.resolve(items);
      var batch = candidates.slice(start, start + MAX_PAGES - items.length);
      return Promise.all(batch.map(read)).then(function (pages) {
        if (seq !== latest) return null;
        pages.forEach(function (page) {
          // Scores become 100, 99, ... in rank order, so Material shows them in that order.
          var found = item(page, 100 - items.length, accepts);
          if (found) items.push(found);
        });
        return next(start + batch.length);
      });
    }
    return next(0);
  }

  function search(query, seq, asked) {
    var typed = query.split(/\s+/).map(clean).filter(Boolean);
    if (!typed.length) return Promise.resolve(respond([], asked)); // punctuation only
    var pagefind, accepts;
    return load().then(function (loaded) {
      if (seq !== latest) return null;
      pagefind = loaded.pagefind;
      var alternatives = typed.map(loaded.families);
      accepts = belongs(alternatives);
      var searches = combinations(alternatives);
      if (typed.length > 1) searches.push({ query: '"' + typed.join(" ") + '"', tier: 2, boost: 1 });
      return Promise.all(searches.map(function (s) {
        return pagefind.search(s.query).then(function (response) { return { search: s, results: response.results }; });
      }));
    }).then(function (responses) {
      if (!responses || seq !== latest) return null;
      // A page found by several searches counts once, with its best score: pages with the phrase
      // first, then those with the words, then those with only the parts of a hyphenated word.
      var best = new Map();
      responses.forEach(function (response) {
        response.results.forEach(function (result) {
          var rank = response.search.tier * 1000 + result.score * response.search.boost;
          var seen = best.get(result.id);
          if (!seen) best.set(result.id, (seen = { rank: rank, all: [] }));
          seen.rank = Math.max(seen.rank, rank);
          seen.all.push({ rank: rank, result: result });
        });
      });
      var candidates = Array.from(best.values()).sort(function (a, b) { return b.rank - a.rank; });
      candidates.forEach(function (entry) { entry.all.sort(function (a, b) { return b.rank - a.rank; }); });
      return collect(candidates, accepts, seq);
    }).then(function (items) {
      if (!items || seq !== latest) return null;
      if (items.length) return respond(items, asked);
      return suggest(typed, pagefind).then(function (offer) {
        if (seq === latest) respond(suggestionItems(query, offer), asked);
      });
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
