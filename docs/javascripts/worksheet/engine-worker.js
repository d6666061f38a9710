// Module worker that owns Pyodide. Messages and the snapshot file format: engine-protocol.js.
// The INIT result carries how Python started (boot: snapshot | plain) and boot timings
// (epoch ms) for diagnosis and `make bench`.
// Only JSON strings cross into Python (api.evaluate_json, api.call_json), so no PyProxy leaks.

import { BOOT, MSG, OP, SnapshotReader, snapshotBytes } from "./engine-protocol.js";

/**
 * The booted engine: evaluate(slug, json, today, contextJson) and call(name, json, today),
 * each returning the engine's JSON text.
 * @type {Promise<{evaluate: Function, call: Function}> | null}
 */
let ready = null;
/** @type {Record<string, number>} */
const timings = { worker: performance.timeOrigin };
/** How this worker's Python started, reported with "ready". */
const bootInfo = { boot: BOOT.PLAIN, fallback: null };

const now = () => performance.timeOrigin + performance.now();

function progress(value, text) {
  self.postMessage({ type: MSG.PROGRESS, value, text });
}

function fault(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * Download and compile the wasm ourselves, at once, in parallel with importing the
 * runtime's JS and downloading the snapshot (Pyodide would start compiling only after
 * both). Checking the response here also turns a server mistake into a precise reason at
 * once: measured, Pyodide catches a failed instantiation, logs a warning and then never
 * settles (a server sending .wasm as application/octet-stream, or a 404).
 * @param {string} url
 * @returns {Promise<WebAssembly.Module>}
 */
async function compileWasm(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw fault("wasm_fetch", `下载 pyodide.asm.wasm 失败：${err.message || err}`);
  }
  timings.wasm_response = now();
  const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
  if (!response.ok) throw fault("wasm_http", `服务器对 pyodide.asm.wasm 返回了 HTTP ${response.status}`);
  if (type !== "application/wasm") {
    throw fault("wasm_mime", `服务器发送 .wasm 文件时的类型是“${type || "（空）"}”，应为 application/wasm`);
  }
  try {
    return typeof WebAssembly.compileStreaming === "function"
      ? await WebAssembly.compileStreaming(response)
      : await WebAssembly.compile(await response.arrayBuffer());
  } catch (err) {
    throw fault("wasm_compile", `WebAssembly 无法编译：${err.message || err}`);
  } finally {
    timings.wasm_compiled = now();
  }
}

/**
 * Hand Pyodide the module compiled by compileWasm() (for the snapshot restore and for a
 * plain boot after it, alike); Pyodide's own request for the wasm gets an empty answer.
 * @param {string} wasmURL
 * @param {Promise<WebAssembly.Module>} compiled
 */
function usePrecompiledWasm(wasmURL, compiled) {
  const plainFetch = self.fetch;
  self.fetch = function (input, init) {
    const url = new URL(typeof input === "string" ? input : input.url || String(input), self.location.href).href;
    if (url === wasmURL) return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
    return plainFetch.call(self, input, init);
  };
  WebAssembly.instantiateStreaming = async function (_source, imports) {
    const module = await compiled;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

/**
 * Start the downloads Pyodide needs right away, so they overlap with importing the 1.2 MB
 * runtime module; Pyodide's own fetch() of the same URL gets the response already under
 * way (each one once), so nothing is downloaded twice.
 * @param {string[]} urls
 */
function fetchEarly(urls) {
  const early = new Map();
  for (const url of urls) {
    const response = fetch(url);
    response.catch(() => {}); // reported when someone asks for the file
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

/**
 * Download the snapshot file and rebuild the snapshot in `slot` as it arrives
 * (engine-protocol.js: the file leaves out pages of zeros), then check it.
 * @param {{snapshotURL: string, heapBytes: number|null, buildId: string|null}} opts
 * @param {Uint8Array} slot  zero-filled, snapshotBytes(heapBytes) long
 * @returns {Promise<{snapshot: Uint8Array|null, reason: string|null}>}
 */
async function downloadSnapshot(opts, slot) {
  try {
    const response = await fetch(opts.snapshotURL);
    if (!response.ok) return { snapshot: null, reason: `HTTP ${response.status}` };
    const file = new SnapshotReader(slot);
    const stream = response.body.getReader();
    for (;;) {
      const { done, value } = await stream.read();
      if (done) break;
      file.push(value);
      if (file.error) {
        stream.cancel().catch(() => {});
        break;
      }
    }
    timings.snapshot_downloaded = now();
    const opened = file.finish(opts);
    timings.snapshot_checked = now();
    return opened;
  } catch (err) {
    return { snapshot: null, reason: `download: ${err.message || err}` };
  }
}

async function boot(opts) {
  const { indexURL, lockFileURL, wheelURL, snapshotURL } = opts;
  const wasmURL = new URL(indexURL + "pyodide.asm.wasm", self.location.href).href;
  fetchEarly([indexURL + "python_stdlib.zip", lockFileURL]);
  const compiled = compileWasm(wasmURL);
  compiled.catch(() => {});
  usePrecompiledWasm(wasmURL, compiled);
  // The snapshot's size is known in advance (engine-protocol.js): Pyodide gets the buffer
  // now and sets up its module while the download fills it.
  const slot = snapshotURL && opts.heapBytes ? new Uint8Array(snapshotBytes(opts.heapBytes)) : null;
  const snapshotting = slot ? downloadSnapshot(opts, slot) : null;
  const run = async () => {
    progress(5, "下载检查引擎");
    // Both modules at once: the second is 1.2 MB and does not depend on the first.
    const [{ loadPyodide }, asm] = await Promise.all([
      import(indexURL + "pyodide.esm.js"),
      import(indexURL + "pyodide.asm.esm.js"),
    ]);
    timings.modules = now();
    const options = {
      indexURL,
      lockFileURL,
      createPyodideModule: asm.default,
      stdout: () => {},
      stderr: (line) => console.warn("[python]", line),
    };
    if (snapshotting) {
      try {
        progress(40, "启动检查引擎");
        const engine = await restore(loadPyodide, options, slot, snapshotting, wheelURL);
        bootInfo.boot = BOOT.SNAPSHOT;
        return engine;
      } catch (err) {
        if (err && err.code && String(err.code).startsWith("wasm_")) throw err; // the plain boot would fail too
        bootInfo.fallback = err && err.code === "snapshot" ? err.message : `restore: ${String((err && err.message) || err).split("\n")[0]}`;
      }
      timings.fallback = now();
    }
    return plainBoot(loadPyodide, options);
  };
  // A wasm that cannot load fails the boot at once, whatever Pyodide is waiting for.
  return Promise.race([run(), compiled.then(() => new Promise(() => {}))]);
}

/**
 * Pyodide from the build's memory snapshot: the engine is already imported and warm.
 * Pyodide creates its module while the snapshot downloads into `slot`, and restores once
 * the file has arrived and passed the checks; a refused file stops the restore before
 * Pyodide reads it.
 */
async function restore(loadPyodide, options, slot, snapshotting, wheelURL) {
  const createPyodideModule = async (settings) => {
    const module = await options.createPyodideModule(settings);
    timings.module_created = now();
    const opened = await snapshotting;
    if (!opened.snapshot) throw Object.assign(new Error(opened.reason), { code: "snapshot" });
    return module;
  };
  const pyodide = await loadPyodide({ ...options, createPyodideModule, _loadSnapshot: slot });
  timings.python = now();
  // The snapshot froze the state of `random` at build time: every reader would draw the
  // same numbers. Re-seed it from the browser's entropy.
  pyodide.runPython("import random\nrandom.seed()");
  const api = pyodide.pyimport("worksheet_engine.api");
  const evaluateJson = api.evaluate_json;
  // A cheap check that the restored engine answers (an empty entry); warmUp() does the rest.
  const smoke = JSON.parse(evaluateJson("smart", "{}", null));
  if (!smoke || smoke.slug !== "smart") throw new Error("smoke check failed");
  timings.engine = now();
  return withEngineFiles(pyodide, { evaluate: evaluateJson, call: api.call_json }, wheelURL);
}

/**
 * The snapshot holds every module the build's warm-up imported, but not the engine's
 * files (Pyodide's file system is not part of it). Unpacking the wheel costs ~0.1 s, so
 * it happens only if a check fails for want of a file (a module imported lazily, say),
 * and that check then runs again.
 */
function withEngineFiles(pyodide, fns, wheelURL) {
  let unpacked = null;
  const unpack = async () => {
    const response = await fetch(wheelURL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const site = pyodide.runPython("import site\nsite.getsitepackages()[0]");
    pyodide.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: site });
    pyodide.runPython("import importlib\nimportlib.invalidate_caches()");
  };
  const wrap = (fn) => async (...args) => {
    const out = fn(...args);
    if (unpacked || !out.startsWith('{"error": {"code": "internal"')) return out;
    unpacked = unpack().catch(() => {});
    await unpacked;
    return fn(...args);
  };
  return { evaluate: wrap(fns.evaluate), call: wrap(fns.call) };
}

/** Pyodide initialised from scratch, then the engine wheel through Pyodide's own loader. */
async function plainBoot(loadPyodide, options) {
  progress(25, "启动检查引擎");
  const pyodide = await loadPyodide(options);
  timings.python = now();
  progress(80, "加载检查规则");
  await pyodide.loadPackage("worksheet-engine", { messageCallback: () => {} });
  timings.package = now();
  const api = pyodide.pyimport("worksheet_engine.api");
  timings.engine = now();
  return { evaluate: api.evaluate_json, call: api.call_json };
}

/** Varied entries for warming up. After a restore, the wasm code that CPython's own
 * start-up would have run hot is still in the browser's baseline tier (measured: checks
 * ~1.7x slower, with spikes, until some hundred have run); a plain boot has warmed it. */
const WARM = [
  ["smart", JSON.stringify({ goal_text: "本月底前把首次解决率从80%提升到85%。" })],
  ["smart", JSON.stringify({ goal_text: "两周内完成 12 名新员工的工单系统培训，考核通过率不低于90%。" })],
  ["smart", JSON.stringify({ goal_text: "提高服务质量。" })],
  ["smart", JSON.stringify({ goal_text: "下个月底前把平均处理时长从 320 秒降到 290 秒。" })],
];
let warmed = false;
let warmingStopped = false;

/**
 * Throw-away checks right after "ready", one task each, until `rounds` passes over WARM
 * are done or the reader's first check arrives (the reader's own checks then warm the
 * code; a background warm-up must not slow them down).
 */
function warmUp({ evaluate }, rounds) {
  if (warmed) return;
  warmed = true;
  let left = rounds * WARM.length;
  const done = () => self.postMessage({ type: MSG.WARMED, at: (timings.warm = now()) });
  const step = async () => {
    if (warmingStopped) return done();
    const [slug, json] = WARM[left % WARM.length];
    try {
      await evaluate(slug, json, null);
    } catch {}
    if (--left > 0) setTimeout(step, 0);
    else done();
  };
  setTimeout(step, 0);
}

self.onmessage = async (event) => {
  const { id, op, payload } = event.data || {};
  try {
    if (op === OP.INIT) {
      ready ??= boot(payload);
      const engine = await ready;
      progress(100, "就绪");
      self.postMessage({ id, result: { state: "ready", ...bootInfo, timings } });
      warmUp(engine, bootInfo.boot === BOOT.SNAPSHOT ? 30 : 1);
    } else if (op === OP.EVALUATE) {
      if (!ready) throw fault("not_started", "引擎尚未启动");
      warmingStopped = true;
      const engine = await ready;
      // The result stays a JSON string: the page parses it (structured-cloning the
      // parsed object would cost more than parsing it once on the other side).
      const t0 = performance.now();
      const json = await engine.evaluate(payload.slug, payload.data_json, payload.today ?? null, payload.context_json ?? null, payload.entry_json ?? null);
      self.postMessage({ id, json, ms: performance.now() - t0 });
    } else if (op === OP.CALL) {
      if (!ready) throw fault("not_started", "引擎尚未启动");
      warmingStopped = true;
      const engine = await ready;
      const t0 = performance.now();
      const json = await engine.call(payload.name, payload.payload_json, payload.today ?? null);
      self.postMessage({ id, json, ms: performance.now() - t0 });
    } else {
      throw fault("bad_op", `unknown op ${op}`);
    }
  } catch (err) {
    if (op === OP.INIT) ready = null;
    self.postMessage({
      id,
      error: { code: err.code || err.name || "error", message: String(err.message || err) },
    });
  }
};
