// The one notice line under the entry bar. Every notice carries a stable code in
// data-ws-notice-code (tests and outside checks read the code, never the wording),
// a kind (info | success | warning | error) and at most one action button.
//
// Screen readers: the line is a live region that stays in the page while empty (a
// region shown together with its text is often not read out), so each notice is read
// once. Errors interrupt (role="alert", assertive); every other kind waits for a pause
// (role="status", polite).

import { el } from "./dom.js";

/** The live-region role and politeness for a notice kind. */
export function liveness(kind) {
  return kind === "error" ? { role: "alert", live: "assertive" } : { role: "status", live: "polite" };
}

export class Notice {
  /**
   * @param {HTMLElement} node the [data-ws-notice] element
   * @param {() => HTMLElement|null} [focusTarget] where focus goes when the notice's own
   *   button took it away (default: the worksheet's entry picker)
   */
  constructor(node, focusTarget) {
    this.node = node;
    this.focusTarget = focusTarget || (() => node.closest("[data-ws-root]")?.querySelector("[data-ws-entry-select]") || null);
    node.setAttribute("aria-atomic", "true");
    this.setLiveness("info");
    this.hide();
  }

  setLiveness(kind) {
    const { role, live } = liveness(kind);
    if (this.node.getAttribute("role") !== role) this.node.setAttribute("role", role);
    if (this.node.getAttribute("aria-live") !== live) this.node.setAttribute("aria-live", live);
  }

  /**
   * @param {string} code stable, e.g. "merged", "import-failed"
   * @param {string} text Chinese, for the reader
   * @param {{kind?: "info"|"success"|"warning"|"error", reason?: string, action?: {id?: string, label: string, run: () => void}}} [opts]
   *   reason: a finer stable code (e.g. why a file was refused), as data-ws-notice-reason
   */
  show(code, text, { kind = "info", reason, action } = {}) {
    const n = this.node;
    this.setLiveness(kind);
    n.dataset.kind = kind;
    n.dataset.wsNoticeCode = code;
    if (reason) n.dataset.wsNoticeReason = reason;
    else delete n.dataset.wsNoticeReason;
    n.style.cssText = "";
    n.replaceChildren(el("span", { className: "ws-notice__text" }, text));
    if (action) {
      const b = el("button", { type: "button", className: "md-button ws-small" }, action.label);
      b.dataset.wsAction = action.id || "undo";
      b.addEventListener("click", () => {
        this.hide();
        action.run();
        this.keepFocus();
      });
      n.append(" ", b);
    }
    const close = el("button", { type: "button", className: "ws-notice__close" }, "×");
    close.setAttribute("aria-label", "关闭提示");
    close.addEventListener("click", () => {
      this.hide();
      this.keepFocus();
    });
    n.append(close);
  }

  /** The button that had focus is gone (the notice emptied): never leave it on <body>. */
  keepFocus() {
    const a = document.activeElement;
    if (!a || a === document.body || !a.isConnected) this.focusTarget()?.focus();
  }

  /** The code of the notice on show, or "" when none is. */
  get code() {
    return this.node.childNodes.length ? this.node.dataset.wsNoticeCode || "" : "";
  }

  /** Empty the line. It stays in the page (zero height, nothing drawn) as a live region. */
  hide() {
    const n = this.node;
    n.replaceChildren();
    n.hidden = false;
    n.style.cssText = "margin:0;padding:0;border:0";
  }
}

/** The notice for storage in trouble ("full" or "disabled"): code, text, action label. */
export function storageTroubleNotice(kind) {
  return kind === "full"
    ? { code: "storage-full", label: "备份全部工作表", text: "浏览器存储已满，新的修改暂时只保存在本页内存中。请马上导出备份，再删除不需要的条目腾出空间。" }
    : { code: "storage-disabled", label: "导出本条目", text: "这个浏览器禁用了本地存储（可能是隐私模式或管理策略）。您仍可填写和检查，但关闭页面后内容会丢失：请用“导出本条目”保存文件。" };
}

/**
 * Days since the last backup (or since the oldest entry, if never backed up) when that
 * is more than `afterDays`; else null. Pure: `now` in ms.
 */
export function daysWithoutBackup(entries, lastBackupAt, now, afterDays = 14) {
  if (!entries.length) return null;
  const last = Date.parse(lastBackupAt || "") || 0;
  const oldest = Math.min(...entries.map((e) => Date.parse(e.created_at) || now));
  const since = Math.max(last, oldest);
  return now - since > afterDays * 86400000 ? Math.floor((now - since) / 86400000) : null;
}
