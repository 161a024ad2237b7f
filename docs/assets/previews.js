/* Link previews (issue #20): hover, keyboard focus or tap a link to another section, chapter,
   glossary term or data set to read its heading and first paragraph (a term: its definition)
   without leaving the sentence. The texts come from this edition's previews.json, written by
   hooks/previews.py from the rendered pages and fetched once, on first use, from the same origin.
   The tooltip itself (events, placement, Esc, touch) is the one the citation preview uses:
   window.companionTooltip in assets/site.js. */
(function () {
  "use strict";
  if (!window.companionTooltip || !document.currentScript) return;
  /* This runs as part of <edition>/assets/companion.js (hooks/scripts.py): the edition's root is one folder up. */
  var root = new URL("../", document.currentScript.src);
  var data = null;

  function load() {
    if (!data) {
      data = fetch(new URL("previews.json", root).href, { credentials: "same-origin" })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); });
      data.catch(function () { data = null; });  // try again on the next link
    }
    return data;
  }

  /* The page (path below the edition root) and section id a link points to, or null when it leaves
     the edition or points at a file rather than a page. */
  function destination(link) {
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.search || url.pathname.indexOf(root.pathname) !== 0) return null;
    var path = url.pathname.slice(root.pathname.length).replace(/index\.html$/, "");
    if (path && path.slice(-1) !== "/") return null;
    return { path: path, id: decodeURIComponent(url.hash.slice(1)), here: url.pathname === location.pathname };
  }

  function match(node) {
    var link = node && node.closest ? node.closest(".md-content article a[href]") : null;
    if (!link || link.classList.contains("headerlink") || link.closest(".print-toc, .md-source-file, .md-content__button")) return null;
    var href = link.getAttribute("href");
    if (href.indexOf("#ref-") === 0) return null;  // citations: the citation preview
    var to = destination(link);
    if (!to || (to.here && !to.id)) return null;
    return link;
  }

  /* ids: id -> [heading, text, page]; pages: page -> [heading, text]. An id counts only on its own
     page, or in this document (the print edition links its copies of the sections by id). */
  function entry(json, to) {
    if (!to.id) return json.pages[to.path];
    var found = json.ids[to.id];
    if (found && (found[2] === to.path || (to.here && document.getElementById(to.id)))) return found;
    return to.here ? null : json.pages[to.path];
  }

  window.companionTooltip({
    id: "link-preview",
    className: "cite-preview link-preview",
    match: match,
    fill: function (link, bubble) {
      return load().then(function (json) {
        var found = entry(json, destination(link));
        if (!found) return false;
        bubble.textContent = "";
        var title = document.createElement("p");
        title.className = "link-preview__title";
        title.textContent = found[0];
        bubble.appendChild(title);
        if (found[1]) {
          var text = document.createElement("p");
          text.textContent = found[1];
          bubble.appendChild(text);
        }
        return true;
      });
    }
  });
})();
