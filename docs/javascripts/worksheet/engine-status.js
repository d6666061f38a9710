// The engine status line above the form ("检查引擎：就绪") with its progress bar and
// retry button. Reader-visible words only: no technology names.
//
// A slow start shows how long the reader has waited (counting every second from
// SLOW_AFTER_S on), so a stalled download never looks like nothing is happening; a
// start that failed says what to do, with the retry button beside it. The line is a
// polite live region: the seconds are drawn aria-hidden, so a screen reader hears each
// change of phase once, not a clock. Hooks for tests: data-state,
// data-ws-engine-waited (whole seconds, while loading), data-ws-engine-error (the
// failure's code, e.g. "watchdog").

const TEXT = { idle: "检查引擎：未启动（点“检查”时启动）", loading: "检查引擎：准备中", ready: "检查引擎：就绪", error: "检查引擎：无法启动" };
/** From this many seconds of loading on, the line says how long the reader has waited. */
export const SLOW_AFTER_S = 3;
/** From this many seconds on, it also asks for patience. */
const PATIENCE_AFTER_S = 15;

/**
 * The status line for status `s`, `waited` whole seconds after the start began:
 * `text` (announced), `clock` (seen only: the seconds), `tail` (announced, after it).
 */
export function statusParts(s, waited = 0) {
  const label = TEXT[s.state] || TEXT.loading;
  if (s.state === "loading") {
    const step = s.text ? `（${s.text} ${s.progress}%）` : "";
    if (waited < SLOW_AFTER_S) return { text: `${label}${step}，可以先填写`, clock: "", tail: "" };
    const tail = waited >= PATIENCE_AFTER_S ? "，比平时慢（网络可能较慢），请再稍等。可以先填写，内容会自动保存。" : "，请稍候。可以先填写，内容会自动保存。";
    return { text: `${label}${step}`, clock: `，已等待 ${waited} 秒`, tail };
  }
  if (s.state === "error") return { text: `${label}：${s.detail || s.text}。填写、保存和导出不受影响。`, clock: "", tail: "" };
  return { text: label, clock: "", tail: "" };
}

/**
 * Keep the [data-ws-engine-status] box in step with the engine.
 * @param {HTMLElement} box
 * @param {{onStatus: Function, retry: () => Promise<void>}} engine engine-client.js
 * @param {{onReady: () => void}} hooks onReady: the engine became ready (or a retry worked)
 * @returns {() => void} dispose
 */
export function bindEngineStatus(box, engine, { onReady }) {
  const text = box.querySelector("[data-ws-engine-text]");
  const bar = box.querySelector("[data-ws-engine-progress]");
  const retry = box.querySelector('[data-ws-action="retry-engine"]');
  // One line in [data-ws-engine-text]: what is announced, the seconds (not), the rest.
  const main = document.createElement("span");
  const clock = document.createElement("span");
  clock.setAttribute("aria-hidden", "true");
  const tail = document.createElement("span");
  text.replaceChildren(main, clock, tail);
  const onRetry = () => engine.retry().then(onReady, () => {});
  retry.addEventListener("click", onRetry);
  let current = null;
  let ticker = 0;
  const put = (node, value) => {
    if (node.textContent !== value) node.textContent = value;
  };
  const render = () => {
    const s = current;
    const secs = s.state === "loading" && s.since ? Math.max(0, Math.floor((Date.now() - s.since) / 1000)) : 0;
    const parts = statusParts(s, secs);
    put(main, parts.text);
    put(clock, parts.clock);
    put(tail, parts.tail);
    if (s.state === "loading") box.dataset.wsEngineWaited = String(secs);
    else delete box.dataset.wsEngineWaited;
    if (s.state === "error" && s.code) box.dataset.wsEngineError = s.code;
    else delete box.dataset.wsEngineError;
  };
  const off = engine.onStatus((s) => {
    current = s;
    box.dataset.state = s.state;
    render();
    bar.value = s.progress;
    bar.hidden = s.state !== "loading";
    retry.hidden = s.state !== "error";
    if (s.state === "loading" && !ticker) ticker = setInterval(render, 1000);
    if (s.state !== "loading" && ticker) {
      clearInterval(ticker);
      ticker = 0;
    }
    if (s.state === "ready") onReady();
  });
  return () => {
    off();
    clearInterval(ticker);
    retry.removeEventListener("click", onRetry);
  };
}
