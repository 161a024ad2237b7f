/* Small enhancements; the site works without them. */
(function () {
  "use strict";

  /* Language switcher: keep the reader's #anchor (ids are identical in both editions). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-switch]");
    if (link && location.hash) {
      link.href = link.href.split("#")[0] + location.hash;
    }
  });

  /* Citation preview: hover, focus or tap a citation to read the full reference. */
  var preview = null;
  var owner = null;
  function target(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }
  function hide() {
    if (!preview || preview.hidden) return;
    preview.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }
  function show(link) {
    var entry = target(link);
    if (!entry) return;
    if (!preview) {
      preview = document.createElement("div");
      preview.id = "cite-preview";
      preview.className = "cite-preview";
      preview.setAttribute("role", "tooltip");
      preview.hidden = true;
      document.body.appendChild(preview);
    }
    preview.innerHTML = entry.innerHTML;
    var cited = preview.querySelector(".cited-in");
    if (cited) cited.remove();
    preview.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", "cite-preview");
    var box = link.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - preview.offsetWidth - 8));
    preview.style.left = left + "px";
    preview.style.top = (box.bottom + window.scrollY + 6) + "px";
  }
  function citation(node) {
    return node && node.closest && node.closest('.md-content a[href^="#ref-"]');
  }
  document.addEventListener("mouseover", function (e) { var l = citation(e.target); if (l) show(l); });
  document.addEventListener("mouseout", function (e) { if (citation(e.target) && !citation(e.relatedTarget)) hide(); });
  document.addEventListener("focusin", function (e) { var l = citation(e.target); if (l) show(l); else hide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("touchstart", function (e) {
    var l = citation(e.target);
    if (l && owner !== l) { e.preventDefault(); show(l); } else if (!l) hide();
  }, { passive: false });
})();

/* "Cite this": copy buttons for the page citation, and a citation dialog for every section
   (the button sits next to each heading's permalink). Formats mirror hooks/metadata.py. */
(function () {
  "use strict";
  var node = document.getElementById("cite-record");
  if (!node) return;
  var rec = JSON.parse(node.textContent);
  var L = rec.labels;
  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var accessed = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());

  /* Dates in the reader's language from the browser's CLDR data (the build uses the same data via Babel). */
  function asDate(iso) { var p = iso.split("-").map(Number); return new Date(Date.UTC(p[0], p[1] - 1, p[2])); }
  function longDate(iso) {
    return new Intl.DateTimeFormat(rec.locale, { dateStyle: "long", timeZone: "UTC" }).format(asDate(iso));
  }
  function apa(r) {
    var issued = r.date.slice(0, 4) + ", " + new Intl.DateTimeFormat(rec.locale, { day: "numeric", month: "long", timeZone: "UTC" }).format(asDate(r.date));
    var version = r.version ? " (" + L.version + " " + r.version + ", " + longDate(r.built) + ")" : "";
    return r.apa_authors + ". (" + issued + "). " + r.title + version + ". " + r.site + ". " + L.accessed + " " + longDate(accessed) + ", " + L.from + " " + r.url;
  }
  function bibtex(r) {
    var authors = r.authors.map(function (a) { return a.family ? a.family + ", " + a.given : "{" + a.literal + "}"; }).join(" and ");
    var fields = [["author", authors], ["title", "{" + r.title + "}"], ["organization", r.site], ["year", r.date.slice(0, 4)],
      ["date", r.date], ["url", r.url], ["urldate", accessed], ["langid", r.lang === "id" ? "indonesian" : "english"]];
    if (r.version) fields.push(["version", r.version + " (" + r.built + ")"]);
    return "@online{" + r.key + ",\n" + fields.map(function (f) { return "  " + f[0] + " = {" + f[1] + "}"; }).join(",\n") + "\n}";
  }
  function ris(r) {
    var lines = ["TY  - ELEC"].concat(r.authors.map(function (a) { return "AU  - " + (a.family ? a.family + ", " + a.given : a.literal); }));
    lines.push("TI  - " + r.title, "T2  - " + r.site, "PY  - " + r.date.slice(0, 4), "DA  - " + r.date.replace(/-/g, "/"),
      "UR  - " + r.url, "Y2  - " + accessed.replace(/-/g, "/"), "LA  - " + r.lang);
    if (r.version) lines.push("ET  - " + r.version + " (" + r.built + ")");
    return lines.concat(["ER  - "]).join("\n");
  }
  function csl(r) {
    var parts = function (iso) { return [iso.split("-").map(Number)]; };
    var item = { id: r.key, type: "webpage", title: r.title, "container-title": r.site,
      author: r.authors.map(function (a) { return a.family ? { family: a.family, given: a.given } : { literal: a.literal }; }),
      issued: { "date-parts": parts(r.date) }, accessed: { "date-parts": parts(accessed) }, URL: r.url, language: r.lang };
    if (r.version) item.version = r.version + " (" + r.built + ")";
    return JSON.stringify([item], null, 2);
  }
  var FORMATS = [["APA 7", apa], ["BibTeX", bibtex], ["RIS", ris], ["CSL-JSON", csl]];

  /* The confirmation goes into a live region that already exists (announced by screen readers), and
     only once the clipboard has the text: cleared first, so a second copy is announced again. */
  function copy(text, status) {
    status.textContent = "";
    clearTimeout(status.clearTimer);
    var done = function () {
      status.textContent = L.copied;
      status.clearTimer = setTimeout(function () { status.textContent = ""; }, 4000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select(); try { document.execCommand("copy"); } catch (e) { /* ignore */ }
    area.remove();
  }
  function formatBlock(name, text, status) {
    var wrap = document.createElement("div");
    wrap.className = "cite-format";
    var head = document.createElement("p");
    head.className = "cite-this__format-name";
    head.textContent = name;
    var pre = document.createElement("pre");
    pre.className = "cite-this__code";
    pre.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button cite-copy";
    button.textContent = L.copy + " " + name;
    button.addEventListener("click", function () { copy(text, status); });
    wrap.append(head, pre, button);
    return wrap;
  }
  function statusRegion() {
    var s = document.createElement("p");
    s.className = "cite-status";
    s.setAttribute("role", "status");
    s.setAttribute("aria-live", "polite");
    return s;
  }
  function fill(container, r, status) {
    container.textContent = "";
    FORMATS.forEach(function (f) { container.appendChild(formatBlock(f[0], f[1](r), status)); });
  }

  // Page level: replace the static (build-date) text with today's access date and copy buttons.
  var body = document.querySelector("#cite-this-page .cite-this__body");
  var pageStatus = document.querySelector("#cite-this-page .cite-status");
  if (body && pageStatus) fill(body, rec, pageStatus);

  // Section level: one dialog, filled for the section whose button was pressed.
  var dialog = document.createElement("dialog");
  dialog.className = "cite-dialog";
  dialog.setAttribute("aria-labelledby", "cite-dialog-title");
  var title = document.createElement("h2");
  title.id = "cite-dialog-title";
  title.className = "cite-dialog__title";
  var content = document.createElement("div");
  var dialogStatus = statusRegion();
  var close = document.createElement("button");
  close.type = "button";
  close.className = "md-button cite-dialog__close";
  close.textContent = L.close;
  close.addEventListener("click", function () { dialog.close(); });
  dialog.append(title, content, dialogStatus, close);
  document.body.appendChild(dialog);

  var byId = {};
  rec.sections.forEach(function (s) { byId[s.id] = s; });
  document.querySelectorAll(".md-content article h2[id], .md-content article h3[id]").forEach(function (h) {
    var section = byId[h.id];
    var link = h.querySelector(".headerlink");
    if (!section || !link) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.setAttribute("aria-label", L.cite_section + ": " + section.title);
    button.setAttribute("title", L.cite_section);
    button.setAttribute("aria-haspopup", "dialog");
    button.innerHTML = '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M6 17h3l2-4V7H5v6h3zm8 0h3l2-4V7h-6v6h3z"/></svg>';
    button.addEventListener("click", function () {
      var r = Object.assign({}, rec, { title: rec.title + ": " + section.title, url: rec.url.split("#")[0] + "#" + section.id });
      title.textContent = L.cite_section + ": " + section.title;
      dialogStatus.textContent = "";
      fill(content, r, dialogStatus);
      dialog.showModal();
      var first = content.querySelector("button");
      if (first) first.focus();
    });
    link.insertAdjacentElement("afterend", button);
  });
})();

/* ---- Print (issue #9): collapsed <details> would print closed; open them for printing only. ---- */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

/* ---- Accessibility (issue #9): a table wider than the screen scrolls in its own box; make that box
   reachable by keyboard (axe: scrollable-region-focusable). ---- */
(function () {
  "use strict";
  function update() {
    /* Material makes the table itself the scroll box (display: inline-block; overflow: auto). */
    document.querySelectorAll(".md-typeset__table, .table-scroll, .md-typeset table:not([class])").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  var timer = null;
  /* Material wraps tables in its scroll box from its own script; document$ fires after that. */
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(update); else update();
  window.addEventListener("load", update);
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
})();

/* ---- Requests (issue #9): Material fetches "sitemap.xml" next to every <link rel="alternate"> once the
   document is parsed (for its own language selector). Our hreflang links point at the same page in the
   other edition, so that is a 404 and a console error on every page. Hide the links from that one
   look-up and put them back straight after it (Material's DOMContentLoaded listener runs first). ---- */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"][hreflang]'));
  if (!links.length || document.readyState !== "loading") return;
  links.forEach(function (link) { link.rel = "x-hreflang"; });
  document.addEventListener("DOMContentLoaded", function () {
    links.forEach(function (link) { link.rel = "alternate"; });
  }, { once: true });
})();
