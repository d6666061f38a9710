// The entry bar: the <select> of this worksheet's latest entries and the list of all of
// them (search, groups by agent or by worksheet, pages; what to show is listing.js).
// Entry names are the reader's text: always textContent. Only one page of rows is
// ever in the document, so the list costs the same at 20 entries and at 5,000.

import { el, timeText } from "./dom.js";
import { PAGE_SIZE, entryView } from "./listing.js";

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
/** Options in the entry <select>: the newest ones (and the current one); the list holds the rest. */
export const SELECT_LIMIT = 50;
const siteRoot = new URL("../../", import.meta.url);

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

/** The address of a worksheet's page. */
export const worksheetUrl = (slug) => new URL(`worksheets/${slug}/`, siteRoot).href;

/**
 * The <select> and the list of one mounted worksheet.
 * Hooks: [data-ws-entry-search] (search box), [data-ws-entry-scope] ("this" | "all"),
 * [data-ws-entry-results] (the rows: tbody[data-ws-entry-group] > tr[data-ws-entry]),
 * [data-ws-open] (open an entry of this worksheet), a[data-ws-open-other] (another
 * worksheet's entry, value "slug.id"), [data-ws-entry-pager] with [data-ws-page="prev"|"next"].
 */
export class EntryList {
  /**
   * @param {{select: HTMLSelectElement, listBox: HTMLElement, definition: object, titles: Record<string, string>}} ui
   * @param {{entries: () => object[], all: () => object[], people: () => Map<string, string>}} source
   */
  constructor({ select, listBox, definition, titles }, source) {
    this.select = select;
    this.listBox = listBox;
    this.def = definition;
    this.titles = titles || {};
    this.source = source;
    this.query = "";
    this.scope = "this";
    this.page = 0;
    this.currentId = null;
    const slug = definition.slug;
    this.search = el("input", { type: "search", id: `ws-${slug}-entry-search`, className: "ws-entry-search", autocomplete: "off", placeholder: "按名称或人员查找" });
    this.search.dataset.wsEntrySearch = "";
    this.scopeSelect = el("select", { id: `ws-${slug}-entry-scope`, className: "ws-entry-scope" });
    this.scopeSelect.dataset.wsEntryScope = "";
    this.scopeSelect.append(new Option("本工作表", "this", true, true), new Option("全部工作表", "all"));
    const tools = el("div", { className: "ws-entry-tools" });
    tools.append(
      el("label", { htmlFor: this.search.id, className: "ws-entry-tools__label" }, "查找"), this.search,
      el("label", { htmlFor: this.scopeSelect.id, className: "ws-entry-tools__label" }, "范围"), this.scopeSelect,
    );
    this.results = el("div", { className: "ws-entry-results" });
    this.results.dataset.wsEntryResults = "";
    this.pager = el("nav", { className: "ws-entry-pager", hidden: true });
    this.pager.dataset.wsEntryPager = "";
    this.pager.setAttribute("aria-label", "条目分页");
    this.prev = el("button", { type: "button", className: "md-button ws-small" }, "上一页");
    this.prev.dataset.wsPage = "prev";
    this.next = el("button", { type: "button", className: "md-button ws-small" }, "下一页");
    this.next.dataset.wsPage = "next";
    this.pageInfo = el("span", { className: "ws-entry-pager__info" });
    this.pager.append(this.prev, " ", this.pageInfo, " ", this.next);
    listBox.replaceChildren(tools, this.results, this.pager);
    this.search.addEventListener("input", () => {
      this.query = this.search.value;
      this.page = 0;
      this.drawList();
    });
    this.scopeSelect.addEventListener("change", () => {
      this.scope = this.scopeSelect.value === "all" ? "all" : "this";
      this.page = 0;
      this.drawList();
    });
    this.prev.addEventListener("click", () => this.turn(-1));
    this.next.addEventListener("click", () => this.turn(1));
    // The list sits in a <details>: while it is closed, nothing is drawn (typing costs
    // nothing for it); it is drawn when opened.
    this.fold = listBox.closest("details");
    this.stale = true;
    if (this.fold) this.fold.addEventListener("toggle", () => this.fold.open && this.stale && this.drawList());
  }

  turn(step) {
    this.page = Math.max(0, this.page + step);
    this.drawList();
    // Keep the keyboard on the pager: the other button when this one is used up.
    const pressed = step < 0 ? this.prev : this.next;
    if (pressed.disabled) (step < 0 ? this.next : this.prev).focus();
  }

  /** Draw the <select> and the list (currentId: the entry on show; null: a new, unsaved one). */
  render(currentId) {
    this.currentId = currentId;
    this.drawSelect();
    if (!this.fold || this.fold.open) this.drawList();
    else this.stale = true;
  }

  drawSelect() {
    const { select } = this;
    const entries = this.source.entries();
    const currentId = this.currentId;
    const shown = entries.slice(0, SELECT_LIMIT);
    if (currentId && !shown.some((e) => e.id === currentId)) {
      const cur = entries.find((e) => e.id === currentId);
      if (cur) shown.push(cur);
    }
    // The same options as drawn last time (a save of the entry on show): nothing to redo.
    const signature = JSON.stringify([currentId, entries.length, shown.map((e) => [e.id, e.name])]);
    if (signature === this.selectSignature && select.value === (currentId || "")) return;
    this.selectSignature = signature;
    select.replaceChildren();
    if (!entries.length || !currentId) select.append(new Option("（新条目，尚未保存）", "", false, !currentId));
    for (const e of shown) select.append(new Option(e.name, e.id, false, e.id === currentId));
    if (entries.length > shown.length) {
      const more = new Option(`……另有 ${entries.length - shown.length} 个较早的条目：请在“全部条目”中查找`, "", false, false);
      more.disabled = true;
      more.dataset.wsMore = "";
      select.append(more);
    }
  }

  drawList() {
    this.stale = false;
    const all = this.scope === "all";
    const entries = all ? this.source.all() : this.source.entries();
    const people = this.source.people();
    const view = entryView(entries, { query: this.query, page: this.page, pageSize: PAGE_SIZE, groupBy: all ? "worksheet" : "person", people, titles: this.titles, firstSlug: this.def.slug });
    this.page = view.page;
    if (!view.total) {
      this.results.replaceChildren(el("p", {}, all ? "本机还没有任何条目。" : "还没有条目。开始填写后会自动创建。"));
      this.pager.hidden = true;
      return;
    }
    if (!view.matched) {
      this.results.replaceChildren(el("p", { className: "ws-entry-none" }, `没有找到包含“${this.query.trim()}”的条目（共 ${view.total} 个）。`));
      this.pager.hidden = true;
      return;
    }
    const table = el("table", { className: "ws-entry-table" });
    const count = view.matched === view.total ? `共 ${view.total} 个条目` : `找到 ${view.matched} 个条目（共 ${view.total} 个）`;
    table.append(el("caption", { className: "ws-entry-table__caption" }, view.pages > 1 ? `${count}，显示第 ${view.from}–${view.to} 个` : count));
    const head = table.createTHead().insertRow();
    for (const h of ["名称", "最后保存", "完成度", "操作"]) head.append(el("th", { scope: "col" }, h));
    for (const g of view.groups) {
      const body = table.createTBody();
      body.dataset.wsEntryGroup = g.key;
      if (g.label) {
        const th = el("th", { scope: "colgroup", colSpan: 4, className: "ws-entry-group" }, g.label);
        body.insertRow().append(th);
      }
      for (const e of g.items) this.row(body, e);
    }
    this.results.replaceChildren(table);
    this.pager.hidden = view.pages <= 1;
    this.prev.disabled = view.page === 0;
    this.next.disabled = view.page >= view.pages - 1;
    this.pageInfo.textContent = `第 ${view.page + 1} / ${view.pages} 页`;
  }

  row(body, e) {
    const mine = e.worksheet === this.def.slug;
    const current = mine && e.id === this.currentId;
    const row = body.insertRow();
    row.dataset.wsEntry = e.id;
    if (current) row.setAttribute("aria-current", "true");
    row.insertCell().append(el("span", { className: "ws-entry-name" }, e.name));
    row.insertCell().append(el("time", { dateTime: e.saved_at, className: "ws-entry-saved" }, timeText(e.saved_at)));
    const cell = row.insertCell();
    const completion = typeof e.completion === "number" ? e.completion : mine ? completionOf(this.def, e.data) : null;
    if (completion === null) {
      cell.append(el("span", { className: "ws-entry-completion" }, "—"));
    } else {
      const pct = Math.round(completion * 100);
      const meter = el("meter", { min: 0, max: 100, value: pct, className: "ws-entry-meter" });
      meter.setAttribute("aria-hidden", "true");
      cell.append(meter, el("span", { className: "ws-entry-completion" }, ` ${pct}%`));
    }
    let open;
    if (mine) {
      open = el("button", { type: "button", className: "md-button ws-small", disabled: current }, current ? "当前" : "打开");
      open.dataset.wsOpen = e.id;
    } else {
      open = el("a", { href: worksheetUrl(e.worksheet), className: "md-button ws-small" }, "打开");
      open.dataset.wsOpenOther = `${e.worksheet}.${e.id}`;
    }
    open.setAttribute("aria-label", current ? `当前条目：${e.name}` : `打开条目：${e.name}`);
    row.insertCell().append(open);
  }
}
