// Reference for `make bench`: Pyodide alone, booted in a module worker from a blank
// page (no site, no theme, no engine package). The floor any page can reach on this
// machine with this Pyodide build.
const meta = document.querySelector('meta[name="ws-runtime"]');
const INDEX_URL = new URL(meta.getAttribute("content"), document.baseURI).href;
const status = document.querySelector("[data-ws-engine-status]");
const source = `
  self.onmessage = async ({ data }) => {
    const { loadPyodide } = await import(data + "pyodide.esm.js");
    const asm = await import(data + "pyodide.asm.esm.js");
    await loadPyodide({ indexURL: data, createPyodideModule: asm.default });
    self.postMessage("ready");
  };`;
const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
worker.onmessage = () => { status.dataset.state = "ready"; };
worker.onerror = (e) => { status.dataset.state = "error"; status.textContent = e.message; };
worker.postMessage(INDEX_URL);
