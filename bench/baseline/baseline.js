// Baseline for `make bench`: the usual way to put Pyodide in a docs page. The page
// itself boots the same Pyodide build on the MAIN thread as soon as it loads, on every
// page, and calls Python directly. It uses the same runtime files, the same engine
// wheel and the same result rendering (result.js) as the real site, so the comparison
// isolates where and when Python runs.

import { renderResult } from "../javascripts/worksheet/result.js";

const runtime = JSON.parse(document.getElementById("ws-runtime").textContent);
const INDEX_URL = new URL(runtime.index, document.baseURI).href;
const LOCK_URL = new URL(runtime.lock, INDEX_URL).href;

const root = document.querySelector("[data-ws-root]");
const form = root.querySelector("[data-ws-form]");
const panel = root.querySelector("[data-ws-result]");
const status = root.querySelector("[data-ws-engine-status]");
const statusText = root.querySelector("[data-ws-engine-text]");
root.setAttribute("data-ws-mounted", "");

function setState(state, text) {
  status.dataset.state = state;
  statusText.textContent = text;
}

let api = null;

async function boot() {
  setState("loading", "Python（主线程）：正在启动");
  const { loadPyodide } = await import(INDEX_URL + "pyodide.esm.js");
  const asm = await import(INDEX_URL + "pyodide.asm.esm.js");
  const pyodide = await loadPyodide({ indexURL: INDEX_URL, lockFileURL: LOCK_URL, createPyodideModule: asm.default });
  await pyodide.loadPackage("worksheet-engine", { messageCallback: () => {} });
  api = pyodide.pyimport("worksheet_engine.api");
  setState("ready", "Python（主线程）：就绪");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!api) return;
  const goal = form.querySelector('[data-ws-field="goal_text"]').value;
  const result = JSON.parse(api.evaluate_json("smart", JSON.stringify({ goal_text: goal }), null));
  renderResult(panel, result, form);
});

boot().catch((err) => setState("error", `启动失败：${err.message}`));
