/* Material's search worker, kept tiny because every page load starts it (issue #7).
   hooks/search.py publishes this file under the URL of Material's lunr worker. It answers Material's
   SETUP (the stub search_index.json) with READY, and loads search-bridge.js, which searches with
   Pagefind, only when the reader types a query of two or more characters. */
(function () {
  "use strict";
  var settings = null;
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === 0) { // SETUP -> READY
      settings = message.data.config.pagefind;
      self.postMessage({ type: 1 });
    } else if (message.type === 2) { // QUERY -> RESULT
      if (!self.searchBridge && settings && String(message.data || "").trim().length >= 2) {
        try {
          importScripts("../../search-bridge.js");
        } catch (error) {
          console.warn("Search could not load its bridge:", error);
        }
      }
      if (self.searchBridge) self.searchBridge(message.data, settings);
      else self.postMessage({ type: 3, data: { items: [], query: message.data } });
    }
  });
})();
