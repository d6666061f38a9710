// Module worker that owns Pyodide. Protocol (see engine-client.js):
//   in:  {id, op: "init", payload: {indexURL, lockFileURL}}
//        {id, op: "evaluate", payload: {slug, data_json, today}}
//   out: {type: "progress", value, text} while booting
//        {id, result} | {id, error: {code, message}}
// The init result carries boot timings (epoch ms) for diagnosis and `make bench`.
// Only JSON strings cross into Python (api.evaluate_json), so no PyProxy leaks.

/** @type {Promise<(slug: string, json: string, today: string|null) => string> | null} */
let ready = null;
/** @type {Record<string, number>} */
const timings = { worker: performance.timeOrigin };

const now = () => performance.timeOrigin + performance.now();

function progress(value, text) {
  self.postMessage({ type: "progress", value, text });
}

function fault(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * Pyodide catches a failed WebAssembly instantiation, logs a warning and then never
 * settles (measured: a server sending .wasm as application/octet-stream, or a 404).
 * Check the wasm response ourselves and fail the boot at once with a precise reason.
 * @param {(err: Error) => void} fail
 */
function guardWasm(fail) {
  const streaming = WebAssembly.instantiateStreaming;
  if (typeof streaming !== "function") return;
  WebAssembly.instantiateStreaming = async function (source, imports) {
    let response;
    try {
      response = await source;
    } catch (err) {
      fail(fault("wasm_fetch", `下载 pyodide.asm.wasm 失败：${err.message || err}`));
      throw err;
    }
    timings.wasm_response = now();
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    if (!response.ok) {
      fail(fault("wasm_http", `服务器对 pyodide.asm.wasm 返回了 HTTP ${response.status}`));
    } else if (type !== "application/wasm") {
      fail(fault("wasm_mime", `服务器发送 .wasm 文件时的类型是“${type || "（空）"}”，应为 application/wasm`));
    }
    try {
      return await streaming.call(WebAssembly, response, imports);
    } catch (err) {
      fail(fault("wasm_compile", `WebAssembly 无法编译：${err.message || err}`));
      throw err;
    } finally {
      timings.wasm_compiled = now();
    }
  };
}

/**
 * Start the three downloads Pyodide needs right away, so they overlap with importing
 * the 1.2 MB runtime module; Pyodide's own fetch() of the same URL gets the response
 * already under way (each one once), so nothing is downloaded twice.
 * @param {string[]} urls
 */
function fetchEarly(urls) {
  const early = new Map();
  for (const url of urls) {
    const response = fetch(url);
    response.catch(() => {}); // Pyodide reports a failure when it asks for the file
    early.set(new URL(url, self.location.href).href, response);
  }
  const plainFetch = self.fetch;
  self.fetch = function (input, init) {
    const key = new URL(typeof input === "string" ? input : input.url || String(input), self.location.href).href;
    const hit = early.get(key);
    if (hit) {
      early.delete(key);
      return hit;
    }
    return plainFetch.call(self, input, init);
  };
}

async function boot({ indexURL, lockFileURL }) {
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  guardWasm(fail);
  fetchEarly([indexURL + "pyodide.asm.wasm", indexURL + "python_stdlib.zip", lockFileURL]);
  const run = async () => {
    progress(5, "下载 Python 运行时");
    // Both modules at once: the second is 1.2 MB and does not depend on the first.
    const [{ loadPyodide }, asm] = await Promise.all([
      import(indexURL + "pyodide.esm.js"),
      import(indexURL + "pyodide.asm.esm.js"),
    ]);
    timings.modules = now();
    progress(25, "启动 Python");
    const pyodide = await loadPyodide({
      indexURL,
      lockFileURL,
      createPyodideModule: asm.default,
      stdout: () => {},
      stderr: (line) => console.warn("[python]", line),
    });
    timings.python = now();
    progress(80, "加载检查规则");
    await pyodide.loadPackage("worksheet-engine", { messageCallback: () => {} });
    timings.package = now();
    const api = pyodide.pyimport("worksheet_engine.api");
    const evaluateJson = api.evaluate_json;
    timings.engine = now();
    progress(100, "就绪");
    return (slug, json, today) => evaluateJson(slug, json, today);
  };
  return Promise.race([run(), failed]);
}

let warmed = false;

/** One throw-away check right after "ready", so the reader's first check is not the slow one. */
function warmUp(evaluate) {
  if (warmed) return;
  warmed = true;
  setTimeout(() => {
    try {
      evaluate("smart", JSON.stringify({ goal_text: "本月底前把首次解决率从80%提升到85%。" }), null);
    } catch {}
    timings.warm = now();
  }, 0);
}

self.onmessage = async (event) => {
  const { id, op, payload } = event.data || {};
  try {
    if (op === "init") {
      ready ??= boot(payload);
      const evaluate = await ready;
      self.postMessage({ id, result: { state: "ready", timings } });
      warmUp(evaluate);
    } else if (op === "evaluate") {
      if (!ready) throw fault("not_started", "引擎尚未启动");
      const evaluate = await ready;
      const out = JSON.parse(evaluate(payload.slug, payload.data_json, payload.today ?? null));
      if (out && out.error) self.postMessage({ id, error: out.error });
      else self.postMessage({ id, result: out });
    } else {
      throw fault("bad_op", `unknown op ${op}`);
    }
  } catch (err) {
    if (op === "init") ready = null;
    self.postMessage({
      id,
      error: { code: err.code || err.name || "error", message: String(err.message || err) },
    });
  }
};
