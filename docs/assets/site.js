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

  /* Previews: one accessible tooltip pattern, shared by the citation preview below and the link
     previews of assets/previews.js (window.companionTooltip). Hover or keyboard focus shows it, a tap
     shows it and a second tap on the same link follows the link; Esc or moving away hides it; the
     pointer may move onto it (WCAG 1.4.13); it never takes focus and never covers its link. */
  function place(bubble, link) {
    var box = link.getBoundingClientRect();
    var view = document.documentElement;
    var gap = 6;
    var left = Math.max(8, Math.min(box.left, view.clientWidth - bubble.offsetWidth - 8));
    var below = box.bottom + gap;
    var fitsBelow = below + bubble.offsetHeight <= view.clientHeight;
    var fitsAbove = box.top - gap - bubble.offsetHeight >= 0;
    var top = fitsBelow || !fitsAbove ? below : box.top - gap - bubble.offsetHeight;
    bubble.style.left = (left + window.scrollX) + "px";
    bubble.style.top = (top + window.scrollY) + "px";
  }

  /* options: id and className of the tooltip, match(node) -> the link it previews or null,
     fill(link, bubble) -> true when it filled the tooltip (or a Promise of that). */
  window.companionTooltip = function (options) {
    var bubble = null;
    var owner = null;   // the link whose preview is shown
    var wanted = null;  // the link whose preview is being prepared
    var pointer = "mouse";
    var leaving = null;
    function element() {
      if (!bubble) {
        bubble = document.createElement("div");
        bubble.id = options.id;
        bubble.className = options.className;
        bubble.setAttribute("role", "tooltip");
        bubble.hidden = true;
        bubble.addEventListener("mouseenter", function () { clearTimeout(leaving); });
        bubble.addEventListener("mouseleave", function (e) { if (!options.match(e.relatedTarget)) later(); });
        // Inside <main>, a landmark (axe: all content in landmarks); <main> is not positioned, so the
        // page coordinates of place() still hold.
        (document.querySelector("main") || document.body).appendChild(bubble);
      }
      return bubble;
    }
    function hide() {
      clearTimeout(leaving);
      wanted = null;
      if (!bubble || bubble.hidden) return;
      bubble.hidden = true;
      if (owner) owner.removeAttribute("aria-describedby");
      owner = null;
    }
    function later() { clearTimeout(leaving); leaving = setTimeout(hide, 200); }
    function show(link, tapped) {
      clearTimeout(leaving);
      if (owner === link || wanted === link) return;
      wanted = link;
      Promise.resolve(options.fill(link, element())).then(function (filled) {
        if (wanted !== link) return;
        if (!filled) {
          wanted = null;
          if (tapped) location.href = link.href;  // nothing to preview: the tap follows the link
          return;
        }
        if (owner && owner !== link) owner.removeAttribute("aria-describedby");
        owner = link;
        bubble.hidden = false;
        link.setAttribute("aria-describedby", options.id);
        place(bubble, link);
      }, function () { if (wanted === link) { wanted = null; if (tapped) location.href = link.href; } });
    }
    document.addEventListener("pointerdown", function (e) {
      pointer = e.pointerType || "mouse";
      if (!options.match(e.target) && !(bubble && bubble.contains(e.target))) hide();
    }, true);
    document.addEventListener("pointerover", function (e) {
      if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
      var link = options.match(e.target);
      if (link) show(link, false);
    });
    document.addEventListener("pointerout", function (e) {
      if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
      if (options.match(e.target) && !options.match(e.relatedTarget) && !(bubble && bubble.contains(e.relatedTarget))) later();
    });
    /* Keyboard focus only: a tap or click focuses the link too, and is handled by pointer and click. */
    document.addEventListener("focusin", function (e) {
      var link = options.match(e.target);
      if (link && link.matches(":focus-visible")) show(link, false); else if (!link) hide();
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
    /* A tap on a link whose preview is not open opens it; a second tap follows the link. */
    document.addEventListener("click", function (e) {
      var link = options.match(e.target);
      if (!link || pointer !== "touch" || owner === link) return;
      e.preventDefault();
      show(link, true);
    });
    return { hide: hide };
  };

  /* Citation preview: hover, focus or tap a citation to read the full reference. */
  function target(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }
  window.companionTooltip({
    id: "cite-preview",
    className: "cite-preview",
    match: function (node) { return node && node.closest ? node.closest('.md-content a[href^="#ref-"]') : null; },
    fill: function (link, bubble) {
      var entry = target(link);
      if (!entry) return false;
      bubble.innerHTML = entry.innerHTML;
      var cited = bubble.querySelector(".cited-in");
      if (cited) cited.remove();
      return true;
    }
  });
})();

/* "Cite this": copy buttons for the page citation, and a citation dialog for every section (its
   button sits next to the heading's permalink) and every paragraph (next to its permalink). The
   build writes every text (hooks/_cite.py, from one CSL-JSON record per page and section); these
   scripts format nothing: they put the reader's access date into the [data-accessed] spans and copy
   the text shown. The dialog itself (assets/cite-dialog.js) and the records it shows are fetched
   when a reader first points at, focuses or presses a cite button, not with the page. */
(function () {
  "use strict";
  var node = document.getElementById("cite-data");
  if (!node || !document.currentScript) return;
  var data = JSON.parse(node.textContent);  // the labels and formats; the dialogs' records are in a file
  var L = data.labels;
  /* This runs as part of <edition>/assets/companion.js (hooks/scripts.py): the dialog is beside it. */
  var dialogUrl = new URL("cite-dialog.js", document.currentScript.src).href;

  /* The sections' and paragraphs' citations (<page>.cite.json, beside the page, hooks/metadata.py). */
  var records = null;
  function loadRecords() {
    if (!records) {
      records = fetch(new URL(data.records, location.href).href, { credentials: "same-origin" })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (loaded) {
          loaded.byId = {};
          loaded.sections.forEach(function (s) { loaded.byId[s.id] = s; });
          return loaded;
        });
      records.catch(function () { records = null; });  // try again on the next press
    }
    return records;
  }
  var dialog = null;
  function loadDialog() {
    if (!dialog) {
      dialog = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = dialogUrl;
        script.onload = function () {
          if (window.companionCiteDialog) resolve(window.companionCiteDialog); else reject(new Error(dialogUrl));
        };
        script.onerror = function () { script.remove(); reject(new Error(dialogUrl)); };
        document.head.appendChild(script);
      });
      dialog.catch(function () { dialog = null; });  // try again on the next press
    }
    return dialog;
  }
  function prepare() { loadDialog(); loadRecords(); }

  var today = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var y = today.getFullYear(), m = today.getMonth() + 1, d = today.getDate();
  // The three forms of the date the build marks (hooks/_cite.py Accessed): ISO, RIS, CSL's numbers.
  var ACCESSED = { iso: y + "-" + pad(m) + "-" + pad(d), ris: y + "/" + pad(m) + "/" + pad(d), parts: y + ", " + m + ", " + d };
  function withAccessDate(root) {
    root.querySelectorAll("[data-accessed]").forEach(function (span) {
      span.textContent = ACCESSED[span.getAttribute("data-accessed")];
    });
  }

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
  function copyButton(name, source, status) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button cite-copy";
    button.textContent = L.copy + " " + name;
    button.addEventListener("click", function () { copy(source.textContent, status); });
    return button;
  }
  // A copy button after each text of a "cite this" body (the page's, or a section's in the dialog).
  function addButtons(body, status, formats) {
    withAccessDate(body);
    (formats || data.formats).forEach(function (f) {
      var text = body.querySelector('[data-format="' + f[0] + '"]');
      if (!text) return;
      var box = text.closest("pre") || text;
      box.insertAdjacentElement("afterend", copyButton(f[1], text, status));
    });
  }
  // What assets/cite-dialog.js builds its dialog with.
  window.companionCite = { data: data, addButtons: addButtons };

  var body = document.querySelector("#cite-this-page .cite-this__body");
  var pageStatus = document.querySelector("#cite-this-page .cite-status");
  if (body && pageStatus) addButtons(body, pageStatus);

  /* The buttons are in the page (hooks/_cite_buttons.py), each where its record exists. Without the
     dialog's script (offline, the edition not saved), the reader is told so in the browser's own
     alert; without the records, in the dialog. */
  document.querySelectorAll(".md-content article .cite-button").forEach(function (button) {
    button.addEventListener("pointerenter", prepare);
    button.addEventListener("focus", prepare);
    button.addEventListener("click", function () {
      loadDialog().then(function (shown) {
        loadRecords().then(function (loaded) { shown.open(button, loaded); }, function () { shown.unavailable(button); });
      }, function () { window.alert(L.cite_unavailable); });
    });
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
   look-up and put them back straight after it (Material's DOMContentLoaded listener runs first: its
   deferred bundle is evaluated before this deferred script). Too late once the event has fired. ---- */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"][hreflang]'));
  // Deferred scripts (overrides/base.html) run before DOMContentLoaded, when readyState is already
  // "interactive": the navigation entry tells whether the event has fired.
  var navigation = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  if (!links.length || (navigation ? navigation.domContentLoadedEventStart > 0 : document.readyState !== "loading")) return;
  links.forEach(function (link) { link.rel = "x-hreflang"; });
  document.addEventListener("DOMContentLoaded", function () {
    links.forEach(function (link) { link.rel = "alternate"; });
  }, { once: true });
})();
