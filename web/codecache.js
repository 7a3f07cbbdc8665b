// Lets the browser keep app.wasm's compiled code between visits. go-app's loader (app.js) counts
// the downloaded bytes for its progress bar by wrapping the download in a response it makes up,
// and compiles that. Chromium keeps compiled WebAssembly (its optimised code included) only for a
// response that came from fetch or a service worker, so with the made-up one every visit started
// from unoptimised code: a run saved right after a load cost several times what it costs later.
//
// This script runs before app.js. The first .wasm fetch hands go-app a copy of the response to
// count (its bar works as before) and keeps the original, which is what gets compiled. If that
// fails, the module is fetched again (from the HTTP cache) and compiled from its bytes.
(() => {
  const fetch0 = window.fetch;
  const instantiate0 = WebAssembly.instantiateStreaming;
  if (!fetch0 || !instantiate0) {
    return;
  }
  let original = null; // the .wasm response from fetch, not yet compiled
  let wasmURL = "";
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    const p = fetch0.call(window, input, init);
    if (!new URL(url, location.href).pathname.endsWith(".wasm")) {
      return p;
    }
    window.fetch = fetch0; // only the first .wasm fetch is app.wasm's
    wasmURL = url;
    return p.then((res) => {
      if (!res.ok || !res.body) {
        return res;
      }
      original = res;
      return res.clone();
    });
  };
  WebAssembly.instantiateStreaming = async function (source, imports) {
    const counted = await source;
    const res = original;
    if (!res || counted === res) {
      return instantiate0.call(WebAssembly, counted, imports);
    }
    WebAssembly.instantiateStreaming = instantiate0;
    original = null;
    // Read go-app's copy to its end (that drives the bar) without keeping the bytes.
    const drain = (async () => {
      try {
        const reader = counted.body.getReader();
        while (!(await reader.read()).done) {}
      } catch (err) {
        // Only the bar stops; the original response is unaffected.
      }
    })();
    try {
      const out = await instantiate0.call(WebAssembly, res, imports);
      await drain;
      return out;
    } catch (err) {
      console.warn("compiling app.wasm as it streamed failed, compiling it from its bytes:", err);
      await drain;
      const bytes = await (await fetch0(wasmURL)).arrayBuffer();
      return WebAssembly.instantiate(bytes, imports);
    }
  };
})();
