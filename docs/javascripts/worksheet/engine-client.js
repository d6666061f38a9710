// The only module that knows a worker exists. Pages see: start(), evaluate(),
// onStatus(). The worker is created once per visit and survives Material's instant
// navigation (this module is loaded once, as an ES module, for the whole visit).
// Messages and runtime settings: engine-protocol.js.

import { INIT_ID, OP, MSG, bootOptions, initMessage, pythonStart, readRuntime } from "./engine-protocol.js";

/**
 * @typedef {{state: "idle"|"loading"|"ready"|"error", progress: number, text: string, detail?: string,
 *   since?: number, code?: string}} EngineStatus
 * since: when this start began (epoch ms; the page shows how long the reader has waited);
 * code: why it failed ("watchdog": not ready in time; "wasm_mime" …), for tests, never shown.
 */

// Read once, against the first page's URL: later pages change document.baseURI and
// location.search (a `?ws-…` override holds for the whole visit).
const RUNTIME = readRuntime(document);
const SEARCH = location.search;
const SAVE_DATA = Boolean(navigator.connection && navigator.connection.saveData);

/** worksheet | idle | never (mkdocs.yml extra.worksheets.python_start, or a test override). */
export const PYTHON_START = RUNTIME ? pythonStart(RUNTIME, SEARCH, window.WS_PYTHON_START) : "never";

// A boot that has not finished after this long is reported as an error (the worker is
// kept: a very slow network may still finish, and then the status turns ready).
// mkdocs.yml extra.worksheets.watchdog_seconds; `?ws-watchdog-ms=2000` overrides it
// for a diagnosis (and for the hosting tests).
const DEFAULT_WATCHDOG_MS = 45000;
export const WATCHDOG_MS = (() => {
  const fromQuery = Number(new URLSearchParams(SEARCH).get("ws-watchdog-ms"));
  if (fromQuery > 0) return fromQuery;
  const fromPage = Number(RUNTIME && RUNTIME.watchdog_ms);
  return fromPage > 0 ? fromPage : DEFAULT_WATCHDOG_MS;
})();

/** @type {Worker|null} */ let worker = null;
/** @type {Promise<void>|null} */ let booting = null;
let nextId = INIT_ID + 1;
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
    pending.set(id, { resolve, reject, sent: performance.now() });
    worker.postMessage({ id, op, payload });
  });
}

/** The last checks' costs in ms: round trip, in Python, parsing the answer (for `make bench`). */
const checkCosts = [];

export function getCheckCosts() {
  return checkCosts.slice();
}

function failAll(error) {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
}

const DEPLOY_HINT = "请管理员对照本站“讲师专区 › 部署指南”检查服务器设置";

/** Not ready in time (the watchdog): what happened and what to do, in the reader's words. */
const WATCHDOG_TEXT = `${Math.round(WATCHDOG_MS / 1000)} 秒内没有启动完成，多半是网络太慢或中断了。请点“重试”再试一次；多次不成功，${DEPLOY_HINT}`;

/** A Chinese explanation of a boot failure: what is missing and what the trainer should fix. */
function explain(err) {
  const code = (err && err.code) || "";
  const message = String((err && err.message) || err);
  if (code === "wasm_mime") {
    return `${message}。浏览器因此拒绝运行检查引擎。${DEPLOY_HINT}（IIS 要在 web.config 里登记 .wasm，nginx/Apache 要加 application/wasm 类型）`;
  }
  if (code === "wasm_http") {
    return `${message}。可能是站点文件没有完整复制，或服务器（例如 IIS）不提供未登记类型的文件。${DEPLOY_HINT}`;
  }
  if (code === "wasm_fetch" || code === "wasm_compile") return `${message}。${DEPLOY_HINT}`;
  if (code === "watchdog") return WATCHDOG_TEXT;
  if (/dynamically imported module|module script|MIME type/i.test(message)) {
    return `无法加载检查引擎的脚本（assets 文件夹下的 .js 文件）：请确认整个站点文件夹已完整复制，且服务器把 .js 文件的类型设为 text/javascript。${DEPLOY_HINT}`;
  }
  if (/wasm|WebAssembly/i.test(message)) {
    return `浏览器无法加载 WebAssembly：${message}。${DEPLOY_HINT}`;
  }
  if (typeof Worker === "undefined") {
    return "浏览器太旧，不支持检查功能需要的后台脚本。请使用新版 Chrome、Edge 或 Firefox";
  }
  return `检查引擎启动失败：${message}`;
}

/** @type {Record<string, number>} boot timings (epoch ms) reported by the worker */
let timings = {};
/** @type {{boot: string|null, fallback: string|null}} */
let bootInfo = { boot: null, fallback: null };

/** Boot timings of this visit (epoch ms: worker, modules, python, engine, …). */
export function getTimings() {
  return { ...timings };
}

/**
 * How Python started on this visit: boot "snapshot" (restored from the build's memory
 * snapshot) or "plain", and why a snapshot was not used (fallback). For tests and bench.
 */
export function getBoot() {
  return { ...bootInfo };
}

function onMessage(msg) {
  if (msg.type === MSG.PROGRESS) {
    if (status.state === "loading") setStatus({ progress: msg.value, text: msg.text });
    return;
  }
  if (msg.type === MSG.WARMED) {
    timings.warm = msg.at;
    return;
  }
  const waiter = pending.get(msg.id);
  if (!waiter) return;
  pending.delete(msg.id);
  if (msg.error) {
    waiter.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    return;
  }
  if (typeof msg.json !== "string") {
    waiter.resolve(msg.result);
    return;
  }
  const received = performance.now();
  const out = JSON.parse(msg.json);
  if (checkCosts.push({ trip: received - waiter.sent, python: msg.ms, parse: performance.now() - received }) > 200) {
    checkCosts.shift();
  }
  if (out && out.error) waiter.reject(Object.assign(new Error(out.error.message), { code: out.error.code }));
  else waiter.resolve(out);
}

function waitFor(id) {
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

/**
 * The worker the page's <head> started before this module loaded (overrides/main.html,
 * worksheet pages opened directly), with the messages it has sent so far; or null.
 */
function takeEarlyWorker() {
  const early = window.__wsEarly;
  if (!early || !early.worker || early.taken) return null;
  early.taken = true;
  return early;
}

/** Start Python once; later calls return the same promise. */
export function start() {
  if (booting) return booting;
  if (!RUNTIME) {
    setStatus({ state: "error", progress: 0, text: "页面缺少运行时配置", detail: "请用 mkdocs 重新构建站点" });
    return Promise.reject(new Error("no runtime settings"));
  }
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
    setStatus({ state: "error", progress: 0, text: "浏览器不支持", detail: "这个浏览器版本太旧，自动检查用不了（填写和保存不受影响）；请换用新版 Chrome、Edge 或 Firefox" });
    return Promise.reject(new Error("unsupported"));
  }
  const early = takeEarlyWorker();
  setStatus({ state: "loading", progress: 1, text: "正在启动", detail: "", code: "", since: early ? Math.round(early.at) : Date.now() });
  const own = early ? early.worker : new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module", name: "worksheet-engine" });
  timings = { requested: early ? early.at : performance.timeOrigin + performance.now() };
  worker = own;
  const onError = (message) => failAll(new Error(message || "检查功能的文件没有加载成功"));
  own.onmessage = (event) => onMessage(event.data || {});
  own.onerror = (event) => {
    event.preventDefault();
    onError(event.message);
  };
  const init = waitFor(INIT_ID);
  // The <head> script sends INIT once it has loaded engine-protocol.js; if it has not
  // yet, send it here (whoever comes first; the worker answers every INIT the same way).
  if (!early || !early.sent) {
    if (early) early.sent = true;
    own.postMessage(initMessage(bootOptions(RUNTIME, SEARCH, SAVE_DATA)));
  }
  const boot = new Promise((resolve, reject) => {
    let reported = false;
    const timer = setTimeout(() => {
      // Tell the reader now; keep the worker in case it still finishes.
      reported = true;
      const err = Object.assign(new Error(WATCHDOG_TEXT), { code: "watchdog" });
      setStatus({ state: "error", text: "启动超时", detail: explain(err), code: err.code });
      reject(err);
    }, WATCHDOG_MS);
    init.then(
      (result) => {
        clearTimeout(timer);
        if (worker !== own) return;
        const r = result || {};
        bootInfo = { boot: r.boot || null, fallback: r.fallback || null };
        timings = { ...timings, ...(r.timings || {}), ready: performance.timeOrigin + performance.now() };
        try {
          performance.mark("ws-engine-ready");
        } catch {}
        if (reported) booting = Promise.resolve(); // a late success after the watchdog
        resolve();
        setStatus({ state: "ready", progress: 100, text: "就绪", detail: "", code: "" });
      },
      (err) => {
        clearTimeout(timer);
        if (worker !== own) return;
        stop();
        setStatus({ state: "error", text: "启动失败", detail: explain(err), code: String((err && err.code) || "error") });
        reject(err);
      },
    );
  });
  booting = boot;
  if (early) for (const item of early.queue.splice(0)) item.error ? onError(item.error) : onMessage(item.data || {});
  return boot;
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
 * @param {object|null} [context] what the page knows beyond the entry (api.evaluate's
 *   `context`, e.g. {workspace: …} from people.js)
 * @param {{name: string, saved: string}|null} [entry] for a download: the result then also
 *   holds `document_md`, the entry's Markdown file written (and escaped) by the engine
 * @returns {Promise<object>} the engine's result dict
 */
export async function evaluate(slug, data, context = null, entry = null) {
  await start();
  const payload = { slug, data_json: JSON.stringify(data), today: localToday(), context_json: context ? JSON.stringify(context) : null };
  if (entry) payload.entry_json = JSON.stringify(entry);
  return request(OP.EVALUATE, payload);
}

/**
 * Ask Python one of api.call_json's functions (e.g. "workspace_summary").
 * @param {string} name
 * @param {object} payload
 * @returns {Promise<object>} the engine's answer
 */
export async function call(name, payload) {
  await start();
  return request(OP.CALL, { name, payload_json: JSON.stringify(payload), today: localToday() });
}

// ---- starting Python before the reader needs it -----------------------------------------

/** Does the page's text (not the navigation) link to a worksheet page? */
function linksToWorksheet(doc) {
  const prefix = RUNTIME.worksheets;
  const content = doc.querySelector(".md-content") || doc.body;
  if (!content) return false;
  for (const a of content.querySelectorAll("a[href]")) {
    const href = a.href.split("#")[0];
    if (href.startsWith(prefix) && href.length > prefix.length) return true;
  }
  return false;
}

/**
 * python_start: worksheet — on a course page that links to a worksheet, start Python once
 * the page is idle (about a second of a background thread with the snapshot), so a reader
 * who clicks through finds it ready. Never when the browser asks to save data.
 */
function prestartOnCoursePages() {
  if (!RUNTIME || PYTHON_START !== "worksheet" || SAVE_DATA) return;
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") return;
  const idle = window.requestIdleCallback
    ? (fn) => window.requestIdleCallback(fn, { timeout: 3000 })
    : (fn) => setTimeout(fn, 1000);
  const consider = () => {
    if (booting || document.querySelector("[data-ws-root]") || !linksToWorksheet(document)) return;
    idle(() => {
      if (!booting) start().catch(() => {});
    });
  };
  // Material's instant navigation announces every new page on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(consider);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", consider, { once: true });
  else consider();
}

prestartOnCoursePages();
