// The only module that knows a worker exists. Pages see: start(), evaluate(),
// onStatus(). The worker is created once per visit and survives Material's instant
// navigation (this module is loaded once, as an ES module, for the whole visit).

/** @typedef {{state: "idle"|"loading"|"ready"|"error", progress: number, text: string, detail?: string}} EngineStatus */

const meta = document.querySelector('meta[name="ws-runtime"]');
// Resolve once against the first page's URL: later pages change document.baseURI.
const INDEX_URL = meta ? new URL(meta.getAttribute("content"), document.baseURI).href : "";
const LOCK_URL = INDEX_URL ? `${INDEX_URL}pyodide-lock.json?v=${meta.dataset.lockVersion || ""}` : "";
export const PYTHON_START = (meta && meta.dataset.pythonStart) || "worksheet";

// A server that sends .wasm with the wrong MIME type makes loadPyodide() hang
// forever; this watchdog turns that into a visible, explained error.
const WATCHDOG_MS = 45000;

/** @type {Worker|null} */ let worker = null;
/** @type {Promise<void>|null} */ let booting = null;
let nextId = 1;
const pending = new Map();
/** @type {EngineStatus} */
let status = { state: "idle", progress: 0, text: "未启动" };
const listeners = new Set();

function setStatus(next) {
  status = { ...status, ...next };
  for (const fn of listeners) fn(status);
}

/** @param {(s: EngineStatus) => void} fn */
export function onStatus(fn) {
  listeners.add(fn);
  fn(status);
  return () => listeners.delete(fn);
}

export function getStatus() {
  return status;
}

function request(op, payload) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, payload });
  });
}

function failAll(error) {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
}

function explain(err) {
  const message = String((err && err.message) || err);
  if (/wasm|WebAssembly|MIME/i.test(message)) {
    return "浏览器无法加载 WebAssembly：请让管理员确认服务器把 .wasm 文件的类型设为 application/wasm（见“部署指南”）。";
  }
  if (/Worker|module/i.test(message) && typeof Worker === "undefined") {
    return "浏览器太旧，不支持后台脚本（Web Worker）。请使用新版 Chrome、Edge 或 Firefox。";
  }
  return `检查引擎启动失败：${message}`;
}

/** Start Python once; later calls return the same promise. */
export function start() {
  if (booting) return booting;
  if (!INDEX_URL) {
    setStatus({ state: "error", progress: 0, text: "页面缺少运行时配置", detail: "请用 mkdocs 重新构建站点。" });
    return Promise.reject(new Error("no runtime meta"));
  }
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
    setStatus({ state: "error", progress: 0, text: "浏览器不支持", detail: "这个浏览器不支持 WebAssembly 或 Web Worker，检查功能不可用；填写和导出不受影响。请换用新版 Chrome、Edge 或 Firefox。" });
    return Promise.reject(new Error("unsupported"));
  }
  setStatus({ state: "loading", progress: 1, text: "正在启动", detail: "" });
  worker = new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module", name: "worksheet-engine" });
  worker.onmessage = (event) => {
    const msg = event.data || {};
    if (msg.type === "progress") {
      setStatus({ progress: msg.value, text: msg.text });
      return;
    }
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else waiter.resolve(msg.result);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    const err = new Error(event.message || "后台脚本加载失败（engine-worker.js）");
    failAll(err);
    setStatus({ state: "error", text: "启动失败", detail: explain(err) });
  };
  let timer;
  const watchdog = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${WATCHDOG_MS / 1000} 秒内没有启动完成。常见原因：服务器发送 .wasm 文件时类型不是 application/wasm，或网络太慢。`)),
      WATCHDOG_MS,
    );
  });
  booting = Promise.race([request("init", { indexURL: INDEX_URL, lockFileURL: LOCK_URL }), watchdog])
    .then(() => {
      clearTimeout(timer);
      setStatus({ state: "ready", progress: 100, text: "就绪", detail: "" });
    })
    .catch((err) => {
      clearTimeout(timer);
      stop();
      setStatus({ state: "error", text: "启动失败", detail: explain(err) });
      throw err;
    });
  return booting;
}

function stop() {
  if (worker) worker.terminate();
  worker = null;
  booting = null;
  failAll(new Error("引擎已停止"));
}

/** Throw away a failed worker and boot again. */
export function retry() {
  stop();
  return start();
}

/** The reader's local date as YYYY-MM-DD (the engine reads no clock). */
export function localToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Check one entry in Python.
 * @param {string} slug
 * @param {object} data
 * @returns {Promise<object>} the engine's result dict
 */
export async function evaluate(slug, data) {
  await start();
  return request("evaluate", { slug, data_json: JSON.stringify(data), today: localToday() });
}
