// The loading screen of the hyperagents workbench: a bar and the bytes downloaded while app.wasm
// arrives, then "Starting…" while it compiles. go-app writes "… {progress}%" into its label; this
// reads the percentage from it and shows it as a bar and in megabytes.
(() => {
  const loader = document.getElementById("app-wasm-loader");
  const label = document.getElementById("app-wasm-loader-label");
  if (!loader || !label) {
    return;
  }
  const total = typeof goappWasmContentLength === "string" ? parseInt(goappWasmContentLength, 10) : 0;
  const bar = document.createElement("progress");
  bar.id = "app-wasm-loader-bar";
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", "Loading the workbench");
  const words = document.createElement("p");
  words.id = "app-wasm-loader-bytes";
  words.className = "goapp-label";
  words.setAttribute("aria-live", "polite");
  loader.append(bar, words);
  label.hidden = true;
  const show = () => {
    const m = /(\d+)%/.exec(label.textContent || "");
    if (!m) {
      words.textContent = label.textContent;
      return;
    }
    const pct = Math.min(100, parseInt(m[1], 10));
    bar.value = pct;
    if (pct >= 100) {
      words.textContent = "Starting the workbench…";
    } else if (total > 0) {
      words.textContent = `Loading the workbench: ${(total * pct / 100 / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB (${pct}%)`;
    } else {
      words.textContent = `Loading the workbench: ${pct}%`;
    }
  };
  show();
  new MutationObserver(show).observe(label, { childList: true, characterData: true, subtree: true });
})();
