// One mounted worksheet: entries, autosave, two-tab sync, checks, backup, print.
// Everything user-typed (or imported) is set with textContent / .value, never as HTML.

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { bindForm, renderResult, renderEngineError } from "./form.js";
import { SITE_NAME, download, makeBackup, readBackupFile } from "./backup.js";
import {
  EnvelopeError, LIMITS, applyImport, clip, completionOf, entryMarkdown, fileName, merge3, planImport, sameData, stamp,
} from "./envelope.js";

const SAVE_DELAY_MS = 400;
const CHECK_DELAY_MS = 900;
const BACKUP_REMIND_DAYS = 14;
const MEMORY_STATUS = "只保存在本页内存中：请导出备份";
const ENGINE_TEXT = {
  idle: "Python 检查引擎：未启动（点“检查”时启动）",
  loading: "Python 检查引擎：准备中",
  ready: "Python 检查引擎：就绪",
  error: "Python 检查引擎：无法启动",
};
/** Titles of the course's worksheets, for import summaries that mention other pages. */
const KNOWN_TITLES = { swot: "SWOT 自我扫描", smart: "SMART 目标检查", q10: "Q10 复盘", grow: "GROW 辅导面谈规划" };

/** The version id of a stored entry (records from before vids existed: their revision). */
const vidOf = (env) => (env && (env.vid || `r${env.rev}`)) || "";

const timeText = (iso) => {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  const opts = sameDay
    ? { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" }
    : { hour12: false, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
  return d.toLocaleString("zh-CN", opts);
};

const el = (tag, props = {}, text) => {
  const node = Object.assign(document.createElement(tag), props);
  if (text !== undefined) node.textContent = text;
  return node;
};

export class WorksheetController {
  constructor(root) {
    this.root = root;
    this.def = JSON.parse(root.dataset.wsDefinition);
    this.slug = this.def.slug;
    this.form = root.querySelector("[data-ws-form]");
    this.panel = root.querySelector("[data-ws-result]");
    this.saveStatus = root.querySelector("[data-ws-save-status]");
    this.notice = root.querySelector("[data-ws-notice]");
    this.select = root.querySelector("[data-ws-entry-select]");
    this.listBox = root.querySelector("[data-ws-entry-list]");
    this.dialog = root.querySelector("[data-ws-dialog]");
    /** The entry as last saved or loaded by this tab (the base of a three-way merge). */
    this.env = null;
    this.dirty = false;
    this.pendingData = null;
    this.saveTimer = 0;
    this.checkTimer = 0;
    this.lastResult = null;
    this.checkSeq = 0;
    /** Versions this tab wrote (vids): tells "our save was overwritten" from "we only read it". */
    this.myVids = new Set();
    /** Edits kept only in memory since the last export (storage off or full). */
    this.unexported = false;
    this.disposers = [];
    // The form is usable before this module runs: keep whatever was typed meanwhile.
    const typedEarly = {};
    for (const node of this.form.querySelectorAll("[data-ws-field]")) {
      if (!node.dataset.wsField.includes(".") && node.value.trim()) typedEarly[node.dataset.wsField] = node.value;
    }
    this.fields = bindForm(this.form, { onInput: () => this.onInput(), onSubmit: () => this.check(true) });
    this.bindEngineStatus();
    this.bindEntryBar();
    this.bindDialog();
    this.load();
    if (Object.keys(typedEarly).length) {
      this.fields.write({ ...(this.env ? this.env.data : {}), ...typedEarly });
      this.onInput();
    }
    this.disposers.push(store.onTrouble((kind) => this.showStorageTrouble(kind)));
    this.listen(window, "beforeunload", (event) => this.onBeforeUnload(event));
    this.listen(window, "beforeprint", () => this.preparePrint(false));
    this.listen(window, "afterprint", () => this.endPrint());
    if (store.unreadableCount()) {
      this.showNotice(`本机有 ${store.unreadableCount()} 条记录无法读取（可能来自更新版本的站点），已原样保留，没有删除。`, "warning");
    } else {
      this.remindBackup();
    }
  }

  listen(target, type, fn) {
    target.addEventListener(type, fn);
    this.disposers.push(() => target.removeEventListener(type, fn));
  }

  // ---- loading and saving ------------------------------------------------------

  load(id = store.currentEntryId(this.slug)) {
    const entries = store.listEntries(this.slug);
    this.env = (id && entries.find((e) => e.id === id)) || entries[0] || null;
    this.fields.write(this.env ? this.env.data : {});
    this.dirty = false;
    this.pendingData = null;
    this.lastResult = null;
    this.panel.replaceChildren(el("p", { className: "ws-result__placeholder" }, "填写后点“检查”，或稍等片刻，检查结果会显示在这里。"));
    this.panel.dataset.state = "empty";
    if (this.env) {
      store.setCurrentEntryId(this.slug, this.env.id);
      this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
      this.scheduleCheck(0);
    } else {
      this.setSaveStatus("尚未保存（开始填写后自动保存在本机）", "empty");
    }
    this.renderEntries(entries);
  }

  onInput() {
    const data = this.fields.read();
    // A "change" event on blur, or typing that ends where it began: nothing to save.
    if (!this.dirty && (this.env ? sameData({ ...this.env.data, ...data }, this.env.data) : sameData(data, {}))) return;
    this.dirty = true;
    this.pendingData = data;
    if (store.storageHealth() === "ok") this.setSaveStatus("正在保存…", "saving");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  defaultName(data) {
    const label = this.def.entry_label_field && String(data[this.def.entry_label_field] || "").trim();
    return clip(`${label || this.def.title} · ${stamp()}`, LIMITS.nameChars);
  }

  /** Write a version of the current entry made from `parent` (the version it builds on). */
  write(env, parent) {
    const result = store.putEntry({ ...env, parent: parent ? vidOf(parent) : undefined });
    this.myVids.add(result.env.vid);
    return result;
  }

  /**
   * Write pending edits now (debounce end, pagehide, navigation, switching entries,
   * another tab's change). Never overwrites what another tab saved meanwhile: edits
   * to different fields are merged; the same field changed in both → both kept.
   */
  flush() {
    clearTimeout(this.saveTimer);
    if (!this.dirty) return;
    const form = this.pendingData || this.fields.read();
    const now = new Date().toISOString();
    let result;
    try {
      if (!this.env) {
        result = store.createEntry(this.slug, this.def.version, this.defaultName(form), form, { completion: completionOf(this.def, form) });
        this.myVids.add(result.env.vid);
        store.setCurrentEntryId(this.slug, result.env.id);
      } else {
        const mine = { ...this.env.data, ...form }; // keeps keys this form does not show
        const stored = store.getEntry(this.slug, this.env.id);
        const completion = completionOf(this.def, mine);
        if (!stored) {
          // Deleted in another tab (or cleared): the user kept typing, so keep the entry.
          result = this.write({ ...this.env, rev: this.env.rev + 1, saved_at: now, data: mine, completion }, null);
        } else if (vidOf(stored) === vidOf(this.env)) {
          if (sameData(mine, stored.data)) {
            // Nothing changed (e.g. typing that ended where it began): no new revision.
            this.dirty = false;
            this.pendingData = null;
            this.setSaveStatus(`已保存 ${timeText(stored.saved_at)}`, "saved");
            return;
          }
          result = this.write({ ...stored, rev: stored.rev + 1, saved_at: now, data: mine, completion }, stored);
        } else if (stored.parent === vidOf(this.env) || !this.myVids.has(vidOf(this.env))) {
          // Another tab saved after the version we hold: merge field by field.
          result = this.mergeWith(stored, mine, now);
        } else if (sameData(mine, stored.data)) {
          result = { saved: true, env: stored };
        } else {
          // Our last save was overwritten by a tab that had not seen it: keep ours too.
          result = this.keepAsCopy(mine, now, []);
        }
      }
    } catch (err) {
      // Should never happen (the form only holds strings); keep the edits and say so.
      console.warn("worksheet save failed", err);
      this.setSaveStatus("保存失败：内容仍在本页，请导出备份", "memory");
      return;
    }
    this.env = result.env;
    this.dirty = false;
    this.pendingData = null;
    if (result.saved) this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
    else {
      this.unexported = true;
      this.setSaveStatus(MEMORY_STATUS, "memory");
    }
    this.renderEntries();
  }

  /** Another tab saved a later version of this entry: merge, or keep both when the same field changed. */
  mergeWith(stored, mine, now) {
    const { data, conflicts } = merge3(this.env.data, mine, stored.data);
    if (conflicts.length) return this.keepAsCopy(mine, now, conflicts);
    const result = this.write({ ...stored, rev: stored.rev + 1, saved_at: now, data, completion: completionOf(this.def, data) }, stored);
    if (!sameData(data, mine)) {
      this.fields.write(data);
      this.showNotice("另一个标签页也修改了这个条目（不同的栏目），两边的修改已合并。", "info");
    }
    return result;
  }

  /** Save this tab's version as a new entry, leaving the other tab's version where it is. */
  keepAsCopy(mine, now, conflicts) {
    const name = clip(`${this.env.name}（本页副本 ${timeText(now)}）`, LIMITS.nameChars);
    const result = store.createEntry(this.slug, this.def.version, name, mine, { completion: completionOf(this.def, mine) });
    this.myVids.add(result.env.vid);
    store.setCurrentEntryId(this.slug, result.env.id);
    const what = conflicts.length ? `同时修改了“${conflicts.map((k) => this.fieldLabel(k)).join("、")}”` : "同时保存了这个条目";
    this.showNotice(`另一个标签页${what}。为了不覆盖任何一方，本页的版本已另存为新条目“${result.env.name}”，原条目保留另一个标签页的版本。`, "warning");
    return result;
  }

  fieldLabel(name) {
    for (const s of this.def.sections || []) for (const f of s.fields || []) if (f.name === name) return f.label;
    return name;
  }

  setSaveStatus(text, state) {
    this.saveStatus.textContent = text;
    this.saveStatus.dataset.state = state;
  }

  /** A storage event: another tab changed this site's data. */
  onStorage(event) {
    const change = store.entryChange(event);
    if (!change) return;
    if (change.cleared) return this.onClearedElsewhere();
    if (change.slug !== this.slug) return;
    if (this.env && change.id === this.env.id && !change.unreadable) {
      const theirs = change.env;
      if (!theirs) {
        if (this.dirty) {
          this.flush(); // our unsaved edits bring it back
          this.showNotice("这个条目在另一个标签页被删除了；本页还有未保存的修改，已把它重新保存。", "warning");
        } else {
          this.showNotice("这个条目在另一个标签页被删除了。内容仍显示在本页；再修改就会重新保存它。", "warning", { label: "重新保存", run: () => this.resave() });
        }
      } else if (vidOf(theirs) === vidOf(this.env)) {
        this.env = theirs;
      } else if (theirs.parent === vidOf(this.env) || !this.myVids.has(vidOf(this.env))) {
        // A later version made from ours (or we only ever read this one).
        if (this.dirty) this.flush(); // merges now, before anything could be overwritten
        else this.accept(theirs);
      } else {
        // Saved at the same moment as our last save, without seeing it.
        const now = store.getEntry(this.slug, this.env.id);
        const mine = this.dirty ? { ...this.env.data, ...(this.pendingData || this.fields.read()) } : this.env.data;
        if (now && vidOf(now) === vidOf(this.env)) {
          // Ours is the copy the browser kept; the other tab keeps its own version as a copy.
        } else if (sameData(mine, theirs.data)) {
          this.dirty = false;
          this.accept(theirs);
        } else {
          clearTimeout(this.saveTimer);
          this.env = this.keepAsCopy(mine, new Date().toISOString(), []).env;
          this.dirty = false;
          this.pendingData = null;
          this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
        }
      }
    }
    this.renderEntries();
  }

  /** Show another tab's later version of the current entry. */
  accept(theirs) {
    this.env = theirs;
    if (!sameData(this.fields.read(), theirs.data)) {
      this.fields.write(theirs.data);
      this.scheduleCheck(0);
    }
    this.setSaveStatus(`已与另一个标签页同步 ${timeText(theirs.saved_at)}`, "saved");
  }

  resave() {
    this.dirty = true;
    this.flush();
  }

  onClearedElsewhere() {
    clearTimeout(this.saveTimer);
    this.dirty = false;
    this.env = null;
    this.load(null);
    this.showNotice("本站在这台电脑上的数据已在另一个标签页被清除。", "info");
  }

  onBeforeUnload(event) {
    this.flush();
    // Storage is off or full and there are edits that exist only in this page.
    if (this.unexported && store.storageHealth() !== "ok") {
      event.preventDefault();
      event.returnValue = "";
    }
  }

  dispose() {
    this.flush();
    clearTimeout(this.checkTimer);
    if (this.dialog && this.dialog.open) this.dialog.close();
    for (const d of this.disposers) d();
  }

  // ---- checking in Python -------------------------------------------------------

  bindEngineStatus() {
    const box = this.root.querySelector("[data-ws-engine-status]");
    const text = box.querySelector("[data-ws-engine-text]");
    const bar = box.querySelector("[data-ws-engine-progress]");
    const retry = box.querySelector('[data-ws-action="retry-engine"]');
    retry.addEventListener("click", () => {
      engine.retry().then(() => this.scheduleCheck(0), () => {});
    });
    this.disposers.push(
      engine.onStatus((s) => {
        box.dataset.state = s.state;
        const label = ENGINE_TEXT[s.state] || s.state;
        text.textContent = s.state === "loading" ? `${label}（${s.text} ${s.progress}%），可以先填写` : s.state === "error" ? `${label}：${s.detail || s.text}。填写、保存和导出不受影响。` : label;
        bar.value = s.progress;
        bar.hidden = s.state !== "loading";
        retry.hidden = s.state !== "error";
        if (s.state === "ready" && this.wantsCheck) this.scheduleCheck(0);
      }),
    );
  }

  scheduleCheck(delay) {
    clearTimeout(this.checkTimer);
    this.wantsCheck = true;
    if (engine.getStatus().state !== "ready") return;
    this.checkTimer = setTimeout(() => this.check(false), delay);
  }

  async check(explicit) {
    const data = this.pendingData || this.fields.read();
    const state = engine.getStatus().state;
    if (!explicit && state !== "ready") return;
    if (explicit && state === "error") {
      renderEngineError(this.panel, "检查引擎没有启动，暂时无法检查。您的填写已保存，可以点上方“重试”，或先导出备份。");
      return;
    }
    this.wantsCheck = false;
    const seq = ++this.checkSeq;
    if (explicit && state !== "ready") this.panel.dataset.state = "waiting";
    try {
      const result = await engine.evaluate(this.slug, data);
      if (seq !== this.checkSeq || !this.root.isConnected) return;
      this.lastResult = result;
      renderResult(this.panel, result, this.form);
      if (this.env && !this.dirty && typeof result.completion === "number" && this.env.completion !== result.completion) {
        const stored = store.getEntry(this.slug, this.env.id);
        if (stored && vidOf(stored) === vidOf(this.env) && sameData(stored.data, data)) {
          this.env = this.write({ ...stored, completion: result.completion }, stored).env;
          this.renderEntries();
        }
      }
    } catch (err) {
      if (seq !== this.checkSeq) return;
      renderEngineError(this.panel, `检查没有完成：${err.message}`);
    }
  }

  // ---- entries ---------------------------------------------------------------------

  bindEntryBar() {
    this.select.addEventListener("change", () => this.open(this.select.value));
    const on = (action, fn) => {
      const node = this.root.querySelector(`[data-ws-action="${action}"]`);
      if (node) node.addEventListener(action === "import" ? "change" : "click", fn);
    };
    on("new-entry", () => this.newEntry());
    on("rename-entry", () => this.renameEntry());
    on("duplicate-entry", () => this.duplicateEntry());
    on("delete-entry", () => this.deleteEntry());
    on("export-entry", () => this.exportEntry());
    on("export-all", () => this.exportAll());
    on("export-markdown", () => this.exportMarkdown());
    on("print", () => this.print());
    on("import", (e) => this.importFile(e.target));
    on("clear-all", () => this.clearAllData());
    on("fill-example", () => this.fillExample());
    on("clear-form", () => this.clearForm());
    this.listBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-ws-open]");
      if (button) this.open(button.dataset.wsOpen);
    });
  }

  open(id) {
    this.flush();
    this.load(id || null);
  }

  renderEntries(entries = store.listEntries(this.slug)) {
    this.select.replaceChildren();
    if (!entries.length || !this.env) this.select.append(new Option("（新条目，尚未保存）", "", false, !this.env));
    for (const e of entries) this.select.append(new Option(e.name, e.id, false, Boolean(this.env && e.id === this.env.id)));

    if (!entries.length) {
      this.listBox.replaceChildren(el("p", {}, "还没有条目。开始填写后会自动创建。"));
      return;
    }
    const table = el("table", { className: "ws-entry-table" });
    table.append(el("caption", { className: "ws-entry-table__caption" }, `共 ${entries.length} 个条目`));
    const head = table.createTHead().insertRow();
    for (const h of ["名称", "最后保存", "完成度", "操作"]) head.append(el("th", { scope: "col" }, h));
    const body = table.createTBody();
    for (const e of entries) {
      const current = Boolean(this.env && e.id === this.env.id);
      const row = body.insertRow();
      row.dataset.wsEntry = e.id;
      if (current) row.setAttribute("aria-current", "true");
      row.insertCell().append(el("span", { className: "ws-entry-name" }, e.name));
      row.insertCell().append(el("time", { dateTime: e.saved_at, className: "ws-entry-saved" }, timeText(e.saved_at)));
      const completion = typeof e.completion === "number" ? e.completion : completionOf(this.def, e.data);
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
    this.listBox.replaceChildren(table);
  }

  async newEntry() {
    this.flush();
    const name = await this.askName("新建条目", "给新条目起个名字，例如“张三 · 2026 Q4”。", `${this.def.title} · ${stamp()}`, "新建");
    if (!name) return;
    const env = store.createEntry(this.slug, this.def.version, name, {}, { completion: 0 }).env;
    this.load(env.id);
    this.form.querySelector("[data-ws-field]")?.focus();
  }

  async renameEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有条目可以重命名：先填写一些内容。", "info");
    const name = await this.askName("重命名条目", "条目的新名称：", this.env.name, "重命名");
    if (!name || !this.env) return;
    this.flush();
    const base = store.getEntry(this.slug, this.env.id) || this.env; // the freshest copy: never undo another tab's edits
    const result = this.write({ ...base, name, rev: Math.max(base.rev, this.env.rev) + 1, saved_at: new Date().toISOString() }, base);
    this.env = result.env;
    if (!result.saved) this.unexported = true;
    this.fields.write(this.env.data);
    this.renderEntries();
    this.showNotice(`已重命名为“${name}”。`, "info");
  }

  duplicateEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有条目可以复制。", "info");
    const env = store.createEntry(this.slug, this.def.version, clip(`${this.env.name}（副本）`, LIMITS.nameChars), structuredClone(this.env.data), { completion: this.env.completion }).env;
    this.load(env.id);
    this.showNotice(`已复制为新条目“${env.name}”，现在编辑的是副本。`, "info");
  }

  deleteEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有条目可以删除。", "info");
    const removed = store.getEntry(this.slug, this.env.id) || this.env;
    store.deleteEntry(this.slug, removed.id);
    this.load(null);
    this.showNotice(`已删除“${removed.name}”。`, "info", {
      label: "撤销",
      run: () => {
        this.flush();
        store.putEntry(removed, { exact: true });
        this.load(removed.id);
        this.showNotice(`已恢复“${removed.name}”。`, "info");
      },
    });
  }

  // ---- the in-page dialog ------------------------------------------------------------

  bindDialog() {
    const d = this.dialog;
    this.dialogParts = {
      title: d.querySelector("[data-ws-dialog-title]"),
      desc: d.querySelector("[data-ws-dialog-desc]"),
      body: d.querySelector("[data-ws-dialog-body]"),
      ok: d.querySelector("[data-ws-dialog-ok]"),
      cancel: d.querySelector("[data-ws-dialog-cancel]"),
    };
    this.dialogParts.cancel.addEventListener("click", () => d.close("cancel"));
    d.addEventListener("close", () => {
      if (d.open) return; // a late event from an earlier closing; the dialog is showing again
      const done = this.dialogDone;
      this.dialogDone = null;
      if (done) done(d.returnValue === "ok");
    });
  }

  /**
   * Show the dialog and resolve true (OK) or false (cancel, Esc).
   * @param {{title: string, desc: string, ok: string, cancel?: string, danger?: boolean, fill?: (body: HTMLElement) => void, kind: string}} spec
   */
  ask(spec) {
    const d = this.dialog;
    if (d.open) {
      const previous = this.dialogDone;
      this.dialogDone = null;
      d.close("cancel");
      if (previous) previous(false);
    }
    const p = this.dialogParts;
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
      this.dialogDone = resolve;
      d.showModal();
      if (focus) {
        focus.focus();
        if (focus.select) focus.select();
      }
    });
  }

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

  // ---- export, import, print ---------------------------------------------------------

  exportEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有可导出的内容：先填写一些内容。", "info");
    download(`${fileName(SITE_NAME, this.def.title, this.env.name, stamp())}.json`, JSON.stringify(makeBackup([this.env]), null, 2));
    if (store.storageHealth() !== "ok" && store.listAll().length <= 1) this.unexported = false;
    this.showNotice(`已导出“${this.env.name}”。请把文件保存在安全的地方。`, "info");
  }

  exportAll() {
    this.flush();
    const entries = store.listAll();
    if (!entries.length) return this.showNotice("本机还没有任何条目可以备份。", "info");
    download(`${fileName(SITE_NAME, "全部工作表备份", stamp())}.json`, JSON.stringify(makeBackup(entries), null, 2));
    store.setMeta({ last_backup_at: new Date().toISOString() });
    this.unexported = false;
    this.showNotice(`已导出 ${entries.length} 个条目。请把文件保存在安全的地方。`, "info");
  }

  /** Python's report for the current entry, when the engine can give one now. */
  async currentReport() {
    this.flush();
    if (this.lastResult && !this.dirty) return this.lastResult;
    if (engine.getStatus().state !== "ready") return null;
    await this.check(true);
    return this.lastResult;
  }

  async exportMarkdown() {
    this.flush();
    const env = this.env || { name: this.def.title, saved_at: new Date().toISOString(), data: this.fields.read() };
    const result = await this.currentReport();
    let md;
    if (result && result.report_md) {
      md = `# ${env.name.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`)}\n\n${result.report_md}\n`;
    } else {
      md = entryMarkdown(this.def, env);
      this.showNotice("Python 检查引擎还没有就绪，下载的是填写内容（不含检查结果）。", "info");
    }
    download(`${fileName(SITE_NAME, this.def.title, env.name, stamp())}.md`, md, "text/markdown");
  }

  /** Fill the print-only header (and the answers, when there is no report to print). */
  preparePrint(fromButton) {
    let head = this.root.querySelector("[data-ws-print-head]");
    if (!head) {
      head = el("div", { className: "ws-print-head" });
      head.dataset.wsPrintHead = "";
      this.panel.before(head);
    }
    const name = this.env ? this.env.name : this.def.title;
    const saved = this.env ? `保存于 ${timeText(this.env.saved_at)}` : "尚未保存";
    head.replaceChildren(el("h2", { className: "ws-print-head__name" }, name), el("p", { className: "ws-print-head__meta" }, `${this.def.title} · ${saved} · 打印于 ${stamp()}`));
    const hasReport = Boolean(this.lastResult && this.lastResult.report_md);
    let answers = this.root.querySelector("[data-ws-print-answers]");
    if (!answers) {
      answers = el("div", { className: "ws-print-answers" });
      answers.dataset.wsPrintAnswers = "";
      head.after(answers);
    }
    answers.replaceChildren();
    if (!hasReport) {
      const data = this.pendingData || this.fields.read();
      const dl = el("dl");
      for (const s of this.def.sections || []) {
        for (const f of s.fields || []) {
          const v = data[f.name];
          const text = Array.isArray(v)
            ? v.map((row, i) => `${i + 1}. ${Object.values(row || {}).filter((x) => String(x ?? "").trim()).join("；")}`).join("\n")
            : String(v ?? "").trim();
          if (!text) continue;
          dl.append(el("dt", {}, f.label), el("dd", {}, text));
        }
      }
      answers.append(dl);
    }
    this.root.classList.toggle("ws-print-has-report", hasReport);
    if (fromButton) {
      document.body.classList.add("ws-printing");
      this.root.classList.add("ws-print-target");
    }
  }

  endPrint() {
    document.body.classList.remove("ws-printing");
    this.root.classList.remove("ws-print-target");
  }

  async print() {
    for (const node of document.querySelectorAll(".ws-print-target")) node.classList.remove("ws-print-target");
    await this.currentReport();
    this.preparePrint(true);
    window.print();
  }

  async importFile(input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    this.flush();
    let parsed;
    try {
      parsed = await readBackupFile(file);
    } catch (err) {
      const why = err instanceof EnvelopeError ? err.message : "文件无法读取。";
      this.showNotice(`无法导入“${file.name}”：${why}本机数据没有任何改动。`, "error");
      return;
    }
    const plan = planImport(parsed.entries, store.listAll());
    const mode = await this.askImport(file.name, parsed, plan);
    if (!mode) return this.showNotice("已取消导入，本机数据没有改动。", "info");
    const { put, replaced } = applyImport(plan, mode);
    const before = new Map(replaced.map((e) => [`${e.worksheet}.${e.id}`, e]));
    let memoryOnly = false;
    for (const env of put) if (!store.putEntry(env, { exact: true }).saved) memoryOnly = true;
    if (memoryOnly) this.unexported = true;
    this.load(this.env ? this.env.id : null);
    const mine = put.filter((e) => e.worksheet === this.slug).length;
    const others = put.length - mine;
    const text = `已导入 ${put.length} 个条目${others ? `（其中 ${others} 个属于其他工作表，打开相应页面即可看到）` : ""}${plan.counts.same ? `，${plan.counts.same} 个与本机相同已跳过` : ""}。${memoryOnly ? "注意：浏览器存储不可用，导入的条目只在本页内存中。" : ""}`;
    this.showNotice(text, memoryOnly ? "warning" : "info", {
      label: "撤销导入",
      run: () => {
        this.flush();
        for (const env of put) {
          const old = before.get(`${env.worksheet}.${env.id}`);
          if (old) store.putEntry(old, { exact: true });
          else store.deleteEntry(env.worksheet, env.id);
        }
        this.load(this.env ? this.env.id : null);
        this.showNotice("已撤销导入，本机数据恢复到导入之前。", "info");
      },
    });
  }

  /** The dry run: what the file holds and what importing would do. Resolves to a mode or null. */
  async askImport(name, parsed, plan) {
    const { counts, bySlug } = plan;
    const nothing = counts.add + counts.conflict === 0;
    let overwrite;
    const ok = await this.ask({
      kind: "import",
      title: "从备份恢复：先看看文件里有什么",
      desc: `文件“${name}”包含 ${parsed.entries.length} 个条目${parsed.site ? `，来自“${parsed.site}”` : ""}${parsed.exported_at ? `，导出于 ${timeText(parsed.exported_at)}` : ""}。在您点“导入”之前，本机数据不会有任何改动。`,
      ok: "导入",
      noOk: nothing,
      cancel: nothing ? "关闭" : "取消",
      fill: (body) => {
        const table = el("table", { className: "ws-dialog__table" });
        table.dataset.wsImportSummary = "";
        const head = table.createTHead().insertRow();
        for (const h of ["工作表", "新增", "与本机相同（跳过）", "与本机冲突"]) head.append(el("th", { scope: "col" }, h));
        const tbody = table.createTBody();
        for (const [slug, c] of Object.entries(bySlug)) {
          const row = tbody.insertRow();
          row.dataset.wsImportSlug = slug;
          row.insertCell().textContent = KNOWN_TITLES[slug] || slug;
          row.insertCell().textContent = String(c.add);
          row.insertCell().textContent = String(c.same);
          row.insertCell().textContent = String(c.conflict);
        }
        body.append(table);
        const list = el("ul", { className: "ws-dialog__names" });
        list.dataset.wsImportNames = "";
        const label = { add: "新增", same: "相同，跳过", conflict: "冲突" };
        for (const item of plan.items.slice(0, 50)) {
          const li = el("li");
          li.dataset.status = item.status;
          li.append(el("span", { className: "ws-dialog__name" }, item.env.name), el("span", { className: "ws-dialog__tag" }, ` · ${KNOWN_TITLES[item.env.worksheet] || item.env.worksheet} · ${label[item.status]}`));
          list.append(li);
        }
        if (plan.items.length > 50) list.append(el("li", {}, `……另有 ${plan.items.length - 50} 个条目`));
        body.append(list);
        if (nothing) body.append(el("p", { className: "ws-dialog__note" }, "文件里的条目本机都已有，内容相同，不需要导入。"));
        if (counts.conflict) {
          const box = el("fieldset", { className: "ws-dialog__choice" });
          box.append(el("legend", {}, `${counts.conflict} 个条目与本机同一条目的内容不同，怎么处理？`));
          const radio = (value, text, checked) => {
            const id = `ws-${this.slug}-import-${value}`;
            const input = el("input", { type: "radio", name: "conflict", value, id, checked });
            input.dataset.wsImportMode = value;
            const lab = el("label", { htmlFor: id }, text);
            box.append(el("div", { className: "ws-dialog__radio" }));
            box.lastChild.append(input, lab);
            return input;
          };
          radio("keep-both", "两份都保留（推荐）：导入的一份另存为新条目，名称后加“（导入）”", true);
          overwrite = radio("overwrite", "用文件里的版本覆盖本机的版本（导入后可以撤销）", false);
          body.append(box);
        }
      },
    });
    if (!ok || nothing) return null;
    return overwrite && overwrite.checked ? "overwrite" : "keep-both";
  }

  async clearAllData() {
    this.flush();
    const entries = store.listAll();
    const ok = await this.ask({
      kind: "clear-all",
      title: "清除本机所有数据",
      desc: `将从这台电脑的浏览器中删除本站保存的全部 ${entries.length} 个工作表条目（所有工作表），并且无法撤销。删除前建议先备份。`,
      ok: "全部清除",
      danger: true,
      fill: (body) => {
        if (!entries.length) return;
        const backup = el("button", { type: "button", className: "md-button" }, "先备份全部工作表");
        backup.dataset.wsDialogBackup = "";
        backup.addEventListener("click", () => this.exportAll());
        body.append(backup);
      },
    });
    if (!ok) return this.showNotice("已取消，没有删除任何数据。", "info");
    clearTimeout(this.saveTimer);
    this.dirty = false;
    store.clearAll();
    this.env = null;
    this.unexported = false;
    this.load(null);
    this.showNotice("本站在这台电脑上的数据已全部清除。", "info");
  }

  fillExample() {
    const current = this.fields.read();
    const hasContent = Object.values(current).some((v) => (Array.isArray(v) ? v.length : String(v || "").trim()));
    this.fields.write(this.def.example || {});
    this.onInput();
    if (hasContent) this.showNotice("已填入示例，替换了原来的内容。", "info", { label: "撤销", run: () => { this.fields.write(current); this.onInput(); } });
  }

  clearForm() {
    const before = this.fields.read();
    this.fields.write({});
    this.onInput();
    this.showNotice("已清空本表。", "info", { label: "撤销", run: () => { this.fields.write(before); this.onInput(); } });
  }

  // ---- notices -----------------------------------------------------------------------

  showNotice(text, kind = "info", action) {
    this.notice.replaceChildren(el("span", { className: "ws-notice__text" }, text));
    this.notice.dataset.kind = kind;
    delete this.notice.dataset.storage;
    this.notice.hidden = false;
    if (action) {
      const b = el("button", { type: "button", className: "md-button ws-small" }, action.label);
      b.dataset.wsAction = action.id || "undo";
      b.addEventListener("click", () => {
        this.notice.hidden = true;
        action.run();
      });
      this.notice.append(" ", b);
    }
    const close = el("button", { type: "button", className: "ws-notice__close" }, "×");
    close.setAttribute("aria-label", "关闭提示");
    close.addEventListener("click", () => (this.notice.hidden = true));
    this.notice.append(close);
  }

  showStorageTrouble(kind) {
    if (kind === "ok") {
      if (this.notice.dataset.storage) this.notice.hidden = true;
      if (this.env && !this.dirty) this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
      return;
    }
    const text = kind === "full"
      ? "浏览器存储已满，新的修改暂时只保存在本页内存中。请马上导出备份，再删除不需要的条目腾出空间。"
      : "这个浏览器禁用了本地存储（可能是隐私模式或管理策略）。您仍可填写和检查，但关闭页面后内容会丢失：请用“导出本条目”保存文件。";
    this.showNotice(text, "error", { id: "export-now", label: kind === "full" ? "备份全部工作表" : "导出本条目", run: () => (kind === "full" ? this.exportAll() : this.exportEntry()) });
    this.notice.dataset.storage = kind;
    this.setSaveStatus(MEMORY_STATUS, "memory");
  }

  remindBackup() {
    const entries = store.listAll();
    if (entries.length < 1 || store.storageHealth() !== "ok") return;
    const last = Date.parse(store.getMeta().last_backup_at || "") || 0;
    const oldest = Math.min(...entries.map((e) => Date.parse(e.created_at) || Date.now()));
    const since = Math.max(last, oldest);
    if (Date.now() - since > BACKUP_REMIND_DAYS * 86400000) {
      const days = Math.floor((Date.now() - since) / 86400000);
      this.showNotice(`已有 ${days} 天没有备份了。浏览器清理数据（例如 Safari 七天不访问就会清除）时条目会丢失，建议现在备份。`, "warning", { id: "backup-now", label: "备份全部工作表", run: () => this.exportAll() });
    }
  }
}
