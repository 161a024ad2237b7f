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
