// Module worker that owns Pyodide. Protocol (see engine-client.js):
//   in:  {id, op: "init", payload: {indexURL, lockFileURL}}
//        {id, op: "evaluate", payload: {slug, data_json, today}}
//   out: {type: "progress", value, text} while booting
//        {id, result} | {id, error: {code, message}}
// Only JSON strings cross into Python (api.evaluate_json), so no PyProxy leaks.

/** @type {Promise<(slug: string, json: string, today: string|null) => string> | null} */
let ready = null;

function progress(value, text) {
  self.postMessage({ type: "progress", value, text });
}

async function boot({ indexURL, lockFileURL }) {
  progress(5, "下载 Python 运行时");
  const { loadPyodide } = await import(indexURL + "pyodide.esm.js");
  const asm = await import(indexURL + "pyodide.asm.esm.js");
  progress(25, "启动 Python");
  const pyodide = await loadPyodide({
    indexURL,
    lockFileURL,
    createPyodideModule: asm.default,
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  progress(80, "加载检查规则");
  await pyodide.loadPackage("worksheet-engine", { messageCallback: () => {} });
  const api = pyodide.pyimport("worksheet_engine.api");
  const evaluateJson = api.evaluate_json;
  progress(100, "就绪");
  return (slug, json, today) => evaluateJson(slug, json, today);
}

self.onmessage = async (event) => {
  const { id, op, payload } = event.data || {};
  try {
    if (op === "init") {
      ready ??= boot(payload);
      await ready;
      self.postMessage({ id, result: "ready" });
    } else if (op === "evaluate") {
      if (!ready) throw Object.assign(new Error("引擎尚未启动"), { code: "not_started" });
      const evaluate = await ready;
      const out = JSON.parse(evaluate(payload.slug, payload.data_json, payload.today ?? null));
      if (out && out.error) self.postMessage({ id, error: out.error });
      else self.postMessage({ id, result: out });
    } else {
      throw Object.assign(new Error(`unknown op ${op}`), { code: "bad_op" });
    }
  } catch (err) {
    if (op === "init") ready = null;
    self.postMessage({
      id,
      error: { code: err.code || err.name || "error", message: String(err.message || err) },
    });
  }
};
