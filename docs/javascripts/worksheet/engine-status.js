// The engine status line above the form ("检查引擎：就绪") with its progress bar and
// retry button. Reader-visible words only: no technology names.

const TEXT = { idle: "检查引擎：未启动（点“检查”时启动）", loading: "检查引擎：准备中", ready: "检查引擎：就绪", error: "检查引擎：无法启动" };

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
  const onRetry = () => engine.retry().then(onReady, () => {});
  retry.addEventListener("click", onRetry);
  const off = engine.onStatus((s) => {
    box.dataset.state = s.state;
    const label = TEXT[s.state] || s.state;
    text.textContent = s.state === "loading" ? `${label}（${s.text} ${s.progress}%），可以先填写` : s.state === "error" ? `${label}：${s.detail || s.text}。填写、保存和导出不受影响。` : label;
    bar.value = s.progress;
    bar.hidden = s.state !== "loading";
    retry.hidden = s.state !== "error";
    if (s.state === "ready") onReady();
  });
  return () => {
    off();
    retry.removeEventListener("click", onRetry);
  };
}
