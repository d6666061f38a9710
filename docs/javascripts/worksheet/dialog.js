// The one in-page <dialog> of a worksheet (names, import summaries, confirmations).
// ask() resolves true (OK) or false (cancel, Esc); one question at a time: a new
// question cancels the one on show.

import { LIMITS, clip } from "./envelope.js";
import { el } from "./dom.js";
import { noteClipping } from "./form.js";

export class Dialog {
  /**
   * @param {HTMLDialogElement} node the [data-ws-dialog] element
   * @param {string} slug names the ids of the controls it creates
   */
  constructor(node, slug) {
    this.node = node;
    this.slug = slug;
    this.done = null;
    this.parts = {
      title: node.querySelector("[data-ws-dialog-title]"),
      desc: node.querySelector("[data-ws-dialog-desc]"),
      body: node.querySelector("[data-ws-dialog-body]"),
      ok: node.querySelector("[data-ws-dialog-ok]"),
      cancel: node.querySelector("[data-ws-dialog-cancel]"),
    };
    this.parts.cancel.addEventListener("click", () => node.close("cancel"));
    noteClipping(node); // a name cut to its 120 characters says so
    node.addEventListener("close", () => {
      if (node.open) return; // a late event from an earlier closing; the dialog is showing again
      const done = this.done;
      this.done = null;
      if (done) done(node.returnValue === "ok");
    });
  }

  /**
   * Show the dialog and resolve true (OK) or false (cancel, Esc).
   * @param {{title: string, desc?: string, ok: string, cancel?: string, danger?: boolean, noOk?: boolean,
   *   focus?: string, fill?: (body: HTMLElement) => void, kind: string}} spec
   */
  ask(spec) {
    const d = this.node;
    if (d.open) {
      const previous = this.done;
      this.done = null;
      d.close("cancel");
      if (previous) previous(false);
    }
    const p = this.parts;
    p.title.textContent = spec.title;
    p.desc.textContent = spec.desc || "";
    p.body.replaceChildren();
    if (spec.fill) spec.fill(p.body);
    p.ok.textContent = spec.ok;
    p.ok.hidden = Boolean(spec.noOk);
    p.cancel.textContent = spec.cancel || "取消";
    p.ok.classList.toggle("ws-danger", Boolean(spec.danger));
    d.dataset.kind = spec.kind;
    d.returnValue = "";
    for (const n of d.querySelectorAll("[autofocus]")) n.removeAttribute("autofocus");
    const focus = spec.focus ? p.body.querySelector(spec.focus) : spec.danger || spec.noOk ? p.cancel : p.ok;
    if (focus) focus.setAttribute("autofocus", "");
    return new Promise((resolve) => {
      this.done = resolve;
      d.showModal();
      if (focus) {
        focus.focus();
        if (focus.select) focus.select();
      }
    });
  }

  /** Ask for an entry name; resolves to the trimmed name, or null when cancelled. */
  async askName(title, desc, initial, okLabel) {
    let input;
    const ok = await this.ask({
      kind: "name",
      title,
      desc,
      ok: okLabel,
      focus: "input",
      fill: (body) => {
        const id = `ws-${this.slug}-dialog-name`;
        input = el("input", { type: "text", id, name: "name", required: true, maxLength: LIMITS.nameChars, value: initial, autocomplete: "off", className: "ws-dialog__input" });
        input.dataset.wsDialogInput = "";
        body.append(el("label", { htmlFor: id, className: "ws-dialog__label" }, "名称"), input);
      },
    });
    if (!ok) return null;
    return clip(input.value.trim(), LIMITS.nameChars) || null;
  }

  close() {
    if (this.node.open) this.node.close();
  }
}
