// Records what Material asks its search worker and which query each answer belongs to (the bridge
// echoes it). One source for tests/test_search.py and benchmarks/search_recall.py (both add it as an init script).
(() => {
  const Native = window.Worker;
  window.__search = { asked: null, answered: [] };
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 2) window.__search.asked = message.data;
      return post(message, ...rest);
    };
    worker.addEventListener("message", event => {
      if (event.data && event.data.type === 3) window.__search.answered.push(event.data.data.query);
    });
    return worker;
  };
  window.Worker.prototype = Native.prototype;
})();
