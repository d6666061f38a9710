// The entry bar: the <select> of this worksheet's entries and the table of all of
// them (name, last saved, completion, open). Entry names are the reader's text:
// always textContent.

import { el, timeText } from "./dom.js";

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Does a field's value hold anything (text, a chosen option, a non-empty row)? */
export const filled = (v) => {
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.some((row) => (isPlainObject(row) ? Object.values(row).some((x) => x !== undefined && x !== null && String(x).trim() !== "") : filled(row)));
  return true;
};

/**
 * An estimate (0–1, two decimals) of how much of an entry is filled in: the share of
 * the non-optional sections' fields that hold something. Shown until the engine has
 * checked the entry and stored its own completion, which then wins.
 */
export function completionOf(definition, data) {
  const fields = (definition.sections || []).filter((s) => !s.optional).flatMap((s) => s.fields || []);
  if (!fields.length) return 1;
  const n = fields.filter((f) => filled(data ? data[f.name] : undefined)).length;
  return Math.round((n / fields.length) * 100) / 100;
}

/**
 * Fill the entry <select> and the entry table.
 * @param {{select: HTMLSelectElement, listBox: HTMLElement, definition: object}} ui
 * @param {object[]} entries this worksheet's entries, newest first
 * @param {string|null} currentId the entry on show (null: a new, unsaved one)
 */
export function renderEntries({ select, listBox, definition }, entries, currentId) {
  select.replaceChildren();
  if (!entries.length || !currentId) select.append(new Option("（新条目，尚未保存）", "", false, !currentId));
  for (const e of entries) select.append(new Option(e.name, e.id, false, e.id === currentId));

  if (!entries.length) {
    listBox.replaceChildren(el("p", {}, "还没有条目。开始填写后会自动创建。"));
    return;
  }
  const table = el("table", { className: "ws-entry-table" });
  table.append(el("caption", { className: "ws-entry-table__caption" }, `共 ${entries.length} 个条目`));
  const head = table.createTHead().insertRow();
  for (const h of ["名称", "最后保存", "完成度", "操作"]) head.append(el("th", { scope: "col" }, h));
  const body = table.createTBody();
  for (const e of entries) {
    const current = e.id === currentId;
    const row = body.insertRow();
    row.dataset.wsEntry = e.id;
    if (current) row.setAttribute("aria-current", "true");
    row.insertCell().append(el("span", { className: "ws-entry-name" }, e.name));
    row.insertCell().append(el("time", { dateTime: e.saved_at, className: "ws-entry-saved" }, timeText(e.saved_at)));
    const completion = typeof e.completion === "number" ? e.completion : completionOf(definition, e.data);
    const pct = Math.round(completion * 100);
    const cell = row.insertCell();
    const meter = el("meter", { min: 0, max: 100, value: pct, className: "ws-entry-meter" });
    meter.setAttribute("aria-hidden", "true");
    cell.append(meter, el("span", { className: "ws-entry-completion" }, ` ${pct}%`));
    const open = el("button", { type: "button", className: "md-button ws-small", disabled: current }, current ? "当前" : "打开");
    open.dataset.wsOpen = e.id;
    open.setAttribute("aria-label", current ? `当前条目：${e.name}` : `打开条目：${e.name}`);
    row.insertCell().append(open);
  }
  listBox.replaceChildren(table);
}
