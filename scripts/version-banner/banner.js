/* The banner of a published release (scripts/version_banner.py). Its links work without this
   script; with it, they keep the reader's #anchor (the latest text keeps every published id, or an
   alias of it) and the banner names the newest release, read from the site's /versions.json. */
(function () {
  "use strict";
  var banner = document.querySelector(".version-banner");
  if (!banner) return;

  function keepHash(link) {
    link.href = link.href.split("#")[0] + location.hash;
  }
  var links = banner.querySelectorAll("a[data-keep-hash]");
  Array.prototype.forEach.call(links, keepHash);
  banner.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-keep-hash]");
    if (link) keepHash(link);
  });
  window.addEventListener("hashchange", function () { Array.prototype.forEach.call(links, keepHash); });

  var index = banner.getAttribute("data-versions");
  var slot = banner.querySelector(".version-banner__newest");
  if (!index || !slot || !window.fetch) return;
  fetch(index, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      var newest = data && data.latest && data.latest.version;
      if (!newest) return;
      slot.textContent = banner.getAttribute("data-newest-label") + " " + newest + ".";
      slot.hidden = false;
    })
    .catch(function () { /* the banner stays as published */ });
})();
