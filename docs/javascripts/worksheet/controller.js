// One mounted worksheet: wiring only. Decisions live in pure modules (sync.js: saving,
// two tabs, import plans; envelope.js: the saved format; autosave.js: when to write;
// listing.js: what the entry list shows); the page parts in their own (form.js,
// result.js, entries-ui.js, dialog.js, notice.js, transfer.js).
// Everything user-typed (or imported) is set with textContent / .value, never as HTML.
//
// Storage is asynchronous (storage.js): the controller mounts once the store is open
// (then sets data-ws-mounted), reads from the store's in-memory index, and issues
// every write at once; the save status says 已保存 (data-state="saved") only when the
// write it shows is durable.

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { bindForm, readControls } from "./form.js";
import { SAVE_DEBOUNCE_MS, saveDelay } from "./autosave.js";
import { renderResult, renderEngineError } from "./result.js";
import { LIMITS, clip } from "./envelope.js";
import { History, SaveWaits, decideSave, nextVersion, reconcileStorageEvent, sameData, vidOf } from "./sync.js";
import { bindEngineStatus } from "./engine-status.js";
import { EntryList, completionOf, filled } from "./entries-ui.js";
import { Dialog } from "./dialog.js";
import { Notice, daysWithoutBackup, storageTroubleNotice } from "./notice.js";
import { el, timeText } from "./dom.js";
import * as transfer from "./transfer.js";
import * as commands from "./entry-commands.js";
import * as people from "./people.js"; // workspace hooks: the 人员/周期 picker, the check's context, backups with records

const CHECK_DELAY_MS = 900;
const BACKUP_REMIND_DAYS = 14;
const MEMORY_STATUS = "只保存在本页内存中：请导出备份";
const PLACEHOLDER = "填写后点“检查”，或稍等片刻，检查结果会显示在这里。";

const parseJson = (text, fallback) => {
  try {
    return JSON.parse(text || "");
  } catch {
    return fallback;
  }
};

export class WorksheetController {
  constructor(root) {
    this.root = root;
    this.def = JSON.parse(root.dataset.wsDefinition);
    this.slug = this.def.slug;
    /** {slug: title} of every worksheet (import summaries name other pages). */
    this.catalog = parseJson(root.dataset.wsCatalog, {});
    const q = (sel) => root.querySelector(sel);
    this.form = q("[data-ws-form]");
    this.panel = q("[data-ws-result]");
    this.saveStatus = q("[data-ws-save-status]");
    this.select = q("[data-ws-entry-select]");
    this.listBox = q("[data-ws-entry-list]");
    this.notice = new Notice(q("[data-ws-notice]"));
    this.dialog = new Dialog(q("[data-ws-dialog]"), this.slug);
    /** The entry version this tab holds (the base of every merge). */
    this.env = null;
    this.dirty = false;
    this.pendingData = null;
    this.saveTimer = 0;
    this.checkTimer = 0;
    this.lastResult = null;
    this.checkSeq = 0;
    /** Versions this tab wrote, and every version it held (vid → data). */
    this.myVids = new Set();
    this.history = new History();
    this.saveWaits = new SaveWaits(this.history);
    /** Edits kept only in memory since the last export (storage off or full). */
    this.unexported = false;
    /** When the first keystroke not yet written was typed (0: everything written). */
    this.firstUnsavedAt = 0;
    /** The vid of the newest write: only its outcome may set the save status. */
    this.lastWriteVid = "";
    this.loaded = false;
    this.disposed = false;
    this.disposers = [];
    this.fields = bindForm(this.form, { onInput: () => this.onInput(), onSubmit: () => this.check(true) });
    this.disposers.push(bindEngineStatus(q("[data-ws-engine-status]"), engine, { onReady: () => this.wantsCheck && this.scheduleCheck(0) }));
    this.list = new EntryList({ select: this.select, listBox: this.listBox, definition: this.def, titles: this.catalog }, {
      entries: () => store.entriesNow(this.slug),
      all: () => store.allNow(),
      people: () => new Map(store.recordsNow("person").map((r) => [r.id, typeof r.name === "string" ? r.name : ""])),
    });
    this.progress = this.makeProgress(q("[data-ws-notice]"));
    this.bindActions();
    this.picker = people.bindPicker(this); // workspace hook
    this.listen(window, "beforeunload", (event) => this.onBeforeUnload(event));
    this.listen(window, "beforeprint", () => this.preparePrint(false));
    this.listen(window, "afterprint", () => transfer.endPrint(this.root));
    /** Resolves once the entries are shown and autosave is on (then data-ws-mounted is set). */
    this.ready = this.init();
  }

  async init() {
    try {
      await store.ready();
    } catch (err) {
      console.warn("worksheet storage did not open", err);
    }
    if (this.disposed) return;
    // The form is usable before the store opens: keep whatever was typed meanwhile.
    const typed = Object.fromEntries(Object.entries(readControls(this.form)).filter(([, v]) => filled(typeof v === "string" ? v.trim() : v)));
    this.loaded = true;
    this.load();
    if (Object.keys(typed).length) {
      this.fields.write({ ...(this.env ? this.env.data : {}), ...typed });
      this.onInput();
    }
    this.disposers.push(store.onTrouble((kind) => this.showStorageTrouble(kind)));
    this.disposers.push(store.onChange((change) => this.onChange(change)));
    if (store.unreadableCount()) {
      this.say("unreadable-records", `本机有 ${store.unreadableCount()} 条记录无法读取（可能来自更新版本的站点），已原样保留，没有删除。`, "warning");
    } else {
      this.remindBackup();
    }
    this.root.setAttribute("data-ws-mounted", "");
  }

  /** The import progress line, just above the notice. */
  makeProgress(noticeNode) {
    const box = el("div", { className: "ws-progress", hidden: true });
    box.dataset.wsProgress = "";
    box.setAttribute("role", "status");
    const bar = el("progress", { max: 1, value: 0, className: "ws-progress__bar" });
    bar.setAttribute("aria-hidden", "true");
    const text = el("span", { className: "ws-progress__text" });
    box.append(text, " ", bar);
    noticeNode.before(box);
    return {
      show: (done, total, what) => {
        box.hidden = false;
        bar.max = Math.max(1, total);
        bar.value = done;
        box.dataset.done = String(done);
        box.dataset.total = String(total);
        text.textContent = `${what}：${done} / ${total}`;
      },
      hide: () => {
        box.hidden = true;
      },
    };
  }

  listen(target, type, fn) {
    target.addEventListener(type, fn);
    this.disposers.push(() => target.removeEventListener(type, fn));
  }

  say(code, text, kind = "info", action, reason) {
    this.notice.show(code, text, { kind, action, reason });
  }

  // ---- loading and saving ------------------------------------------------------------

  hold(env) {
    this.env = env;
    this.history.hold(env);
  }

  load(id = store.currentEntryIdNow(this.slug)) {
    const entries = store.entriesNow(this.slug);
    this.env = null;
    const env = (id && store.entryNow(this.slug, id)) || entries[0] || null;
    if (env) this.hold(env);
    this.fields.write(env ? env.data : {});
    this.dirty = false;
    this.pendingData = null;
    this.firstUnsavedAt = 0;
    this.lastWriteVid = "";
    this.lastWriteSaved = null;
    this.lastResult = null;
    this.panel.replaceChildren(el("p", { className: "ws-result__placeholder" }, PLACEHOLDER));
    this.panel.dataset.state = "empty";
    if (env) {
      if (store.currentEntryIdNow(this.slug) !== env.id) store.setCurrentEntryIdNow(this.slug, env.id);
      // 已保存 only for what is on disk: a write still on its way says so when done.
      const onItsWay = store.whenWritten(this.slug, env.id);
      if (onItsWay) {
        this.setSaveStatus("正在保存…", "saving");
        this.track({ env, saved: onItsWay });
      } else this.showSaved(!store.isMemoryOnly(this.slug, env.id), env);
      this.scheduleCheck(0);
    } else {
      this.setSaveStatus("尚未保存（开始填写后自动保存在本机）", "empty");
    }
    this.renderEntries();
  }

  onInput() {
    if (!this.loaded) return; // typed before the store opened: init() picks it up
    const data = this.fields.read();
    // A "change" event on blur, or typing that ends where it began: nothing to save.
    if (!this.dirty && (this.env ? sameData({ ...this.env.data, ...data }, this.env.data) : sameData(data, {}))) return;
    this.dirty = true;
    this.pendingData = data;
    if (store.storageHealth() === "ok") this.setSaveStatus("正在保存…", "saving");
    // Debounced, but never more than a second behind continuous typing (autosave.js).
    const now = Date.now();
    if (!this.firstUnsavedAt) this.firstUnsavedAt = now;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(false, true), saveDelay(this.firstUnsavedAt, now));
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  /**
   * Write a version now; every version this tab writes is remembered as its own.
   * @returns {{env: object, saved: Promise<boolean>}} (storage.writeEntry)
   */
  write(env, opts) {
    const w = store.writeEntry(env, opts);
    this.myVids.add(w.env.vid);
    return w;
  }

  /** write(), resolved once durable: {saved, env}. */
  async put(env, opts) {
    const w = this.write(env, opts);
    return { env: w.env, saved: await this.track(w) };
  }

  /** A new entry, written with its worksheet's current-entry choice in one transaction. */
  create(name, data) {
    return this.write(store.buildEntry(this.slug, this.def.version, name, data, { completion: completionOf(this.def, data) }), { exact: true, current: true });
  }

  /**
   * The save status follows the newest write of the entry on show: 已保存 once it is
   * durable, the memory warning when it stayed in memory. Resolves to `saved`.
   */
  track(w) {
    const vid = w.env.vid;
    this.lastWriteVid = vid;
    this.lastWriteSaved = null;
    if (this.env && this.env.vid === vid && store.storageHealth() === "ok") this.setSaveStatus("正在保存…", "saving");
    return w.saved.then((saved) => {
      if (!saved) this.unexported = true;
      if (this.lastWriteVid !== vid) return saved;
      this.lastWriteSaved = saved;
      if (!this.dirty && this.env && this.env.vid === vid) this.showSaved(saved, w.env);
      return saved;
    });
  }

  showSaved(saved, env) {
    if (saved) this.setSaveStatus(`已保存 ${timeText(env.saved_at)}`, "saved");
    else this.setSaveStatus(MEMORY_STATUS, "memory");
  }

  /**
   * Write pending edits now (debounce end, pagehide, navigation, switching entries,
   * another tab's change; `force`: even without edits). sync.decideSave says how:
   * never over what another tab saved meanwhile. `canWait`: the save may wait for news
   * of another tab's save (autosave, storage events); every other caller needs it done.
   */
  flush(force = false, canWait = false) {
    clearTimeout(this.saveTimer);
    if (!this.loaded || (!this.dirty && !force)) return Promise.resolve(true);
    const form = this.pendingData || this.fields.read();
    const now = new Date().toISOString();
    const base = this.env;
    this.firstUnsavedAt = 0;
    let result;
    try {
      const stored = base && store.entryNow(this.slug, base.id);
      this.history.see(stored);
      const d = decideSave({ base, stored, mine: base ? { ...base.data, ...form } : form, myVids: this.myVids, history: this.history, final: !canWait || this.saveWaits.final });
      if (d.kind === "wait") {
        // News of the other tab's save is on its way: decide again when it comes, or soon.
        this.saveWaits.waited();
        this.dirty = true;
        this.pendingData = form;
        this.saveTimer = setTimeout(() => this.flush(false, true), SAVE_DEBOUNCE_MS);
        return Promise.resolve(true);
      }
      this.saveWaits.reset();
      if (d.kind === "none") {
        this.hold(d.env);
        this.dirty = false;
        this.pendingData = null;
        // Typing came back to what is stored: the status is that write's (when it is done).
        const mine = this.lastWriteVid === vidOf(d.env);
        if (!mine || this.lastWriteSaved !== null) this.showSaved(!mine || this.lastWriteSaved, d.env);
        return Promise.resolve(true);
      }
      if (d.kind === "create") {
        const label = this.def.entry_label_field && String(d.data[this.def.entry_label_field] || "").trim();
        result = this.create(clip(`${label || this.def.title} · ${engine.localToday()}`, LIMITS.nameChars), d.data);
      } else if (d.kind === "put") {
        this.history.hold(d.from); // what we build on is now part of our past
        result = this.write(nextVersion(d.from, d.data, now, d.parent, { completion: completionOf(this.def, d.data) }));
        if (d.merged) {
          this.fields.write(d.data);
          this.say("merged", "另一个标签页也修改了这个条目（不同的栏目），两边的修改已合并。");
        }
      } else {
        result = this.keepAsCopy(d.data, now, d.conflicts);
      }
    } catch (err) {
      // Should never happen (the form only holds strings); keep the edits and say so.
      console.warn("worksheet save failed", err);
      this.setSaveStatus("保存失败：内容仍在本页，请导出备份", "memory");
      return Promise.resolve(false);
    }
    this.hold(result.env);
    this.dirty = false;
    this.pendingData = null;
    this.renderEntries();
    return this.track(result);
  }

  /** Save this tab's version as a new entry, leaving the other tab's version where it is. */
  keepAsCopy(data, now, conflicts) {
    const result = this.create(clip(`${this.env.name}（本页副本 ${timeText(now)}）`, LIMITS.nameChars), data);
    const what = conflicts.length ? `同时修改了“${conflicts.map((k) => this.fieldLabel(k)).join("、")}”` : "同时保存了这个条目";
    this.say("kept-copy", `另一个标签页${what}。为了不覆盖任何一方，本页的版本已另存为新条目“${result.env.name}”，原条目保留另一个标签页的版本。`, "warning");
    return result;
  }

  fieldLabel(name) {
    for (const s of this.def.sections || []) for (const f of s.fields || []) if (f.name === name) return f.label;
    return name;
  }

  setSaveStatus(text, state) {
    // Unchanged: leave the live region alone (no re-announcement on every keystroke).
    if (this.saveStatus.textContent === text && this.saveStatus.dataset.state === state) return;
    this.saveStatus.textContent = text;
    this.saveStatus.dataset.state = state;
  }

  /** News from another tab (storage.onChange; sync.reconcileStorageEvent decides). */
  onChange(change) {
    if (!this.loaded || this.disposed) return;
    if (change.cleared) return this.onClearedElsewhere();
    if (change.store === "record") {
      if (change.kind === "person") this.renderEntries();
      return;
    }
    if (change.store !== "entry") return;
    if (change.slug !== this.slug) {
      if (this.list.scope === "all") this.renderEntries();
      return;
    }
    if (this.env && change.id === this.env.id && !change.unreadable) {
      const current = store.entryNow(this.slug, this.env.id);
      this.history.see(change.env);
      this.history.see(current);
      const d = reconcileStorageEvent({ base: this.env, theirs: change.env, current, dirty: this.dirty, myVids: this.myVids });
      if (d.kind === "resave") {
        this.flush(); // our unsaved edits bring it back
        this.say("deleted-elsewhere-resaved", "这个条目在另一个标签页被删除了；本页还有未保存的修改，已把它重新保存。", "warning");
      } else if (d.kind === "deleted") {
        this.say("deleted-elsewhere", "这个条目在另一个标签页被删除了。内容仍显示在本页；再修改就会重新保存它。", "warning", { label: "重新保存", run: () => this.flush(true) });
      } else if (d.kind === "hold") this.hold(d.env);
      else if (d.kind === "accept") this.accept(d.env);
      else if (d.kind === "save") this.flush(true, true);
    }
    this.renderEntries();
  }

  /** Show another tab's later version of the current entry. */
  accept(theirs) {
    this.hold(theirs);
    if (!sameData(this.fields.read(), theirs.data)) {
      this.fields.write(theirs.data);
      this.scheduleCheck(0);
    }
    this.setSaveStatus(`已与另一个标签页同步 ${timeText(theirs.saved_at)}`, "saved");
  }

  onClearedElsewhere() {
    clearTimeout(this.saveTimer);
    this.dirty = false;
    this.load(null);
    this.say("cleared-elsewhere", "本站在这台电脑上的数据已在另一个标签页被清除。");
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
    this.disposed = true;
    clearTimeout(this.checkTimer);
    this.dialog.close();
    for (const d of this.disposers) d();
    this.picker?.dispose(); // workspace hook
  }

  // ---- checking --------------------------------------------------------------------

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
      const result = await engine.evaluate(this.slug, data, await people.evaluationContext(this)); // workspace hook: context
      if (seq !== this.checkSeq || !this.root.isConnected) return;
      this.lastResult = result;
      renderResult(this.panel, result, this.form);
      if (this.env && !this.dirty && typeof result.completion === "number" && this.env.completion !== result.completion) {
        // Store the engine's completion on the version it checked (only if still current).
        const stored = store.entryNow(this.slug, this.env.id);
        if (stored && vidOf(stored) === vidOf(this.env) && sameData(stored.data, data)) {
          const w = this.write({ ...stored, completion: result.completion, vid: undefined, parent: vidOf(stored) });
          this.hold(w.env);
          this.track(w);
          this.renderEntries();
        }
      }
    } catch (err) {
      if (seq !== this.checkSeq) return;
      renderEngineError(this.panel, `检查没有完成：${err.message}`);
    }
  }

  // ---- entries -----------------------------------------------------------------------

  bindActions() {
    this.select.addEventListener("change", () => this.open(this.select.value));
    const actions = {
      "new-entry": () => commands.newEntry(this), "rename-entry": () => commands.renameEntry(this), "duplicate-entry": () => commands.duplicateEntry(this),
      "delete-entry": () => commands.deleteEntry(this), "clear-all": () => commands.clearAllData(this),
      "fill-example": () => commands.fillExample(this), "clear-form": () => commands.clearForm(this),
      "export-entry": () => this.exportEntry(), "export-all": () => this.exportAll(), "export-markdown": () => this.exportMarkdown(), print: () => this.print(),
    };
    for (const [action, fn] of Object.entries(actions)) this.root.querySelector(`[data-ws-action="${action}"]`)?.addEventListener("click", fn);
    this.root.querySelector('[data-ws-action="import"]')?.addEventListener("change", (e) => this.importFile(e.target));
    this.listBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-ws-open]");
      if (button) commands.openEntry(this, button.dataset.wsOpen);
      // Another worksheet's entry: make it that page's current entry, then follow the link.
      const other = event.target.closest("[data-ws-open-other]");
      if (other) {
        const [slug, id] = other.dataset.wsOpenOther.split(".");
        if (slug && id) store.setCurrentEntryIdNow(slug, id);
      }
    });
  }

  open(id) {
    this.flush();
    this.load(id || null);
  }

  /** Redraw the entry bar (once per task, however often it is asked for). */
  renderEntries() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      if (this.disposed) return;
      this.list.render(this.env ? this.env.id : null);
      this.picker?.show(this.env); // workspace hook
    });
  }

  // ---- export, import, print (transfer.js) ----------------------------------------------

  exportEntry() {
    this.flush();
    if (!this.env) return this.say("nothing-to-export", "还没有可导出的内容：先填写一些内容。");
    transfer.downloadBackup([this.env], engine.localToday(), this.def.title, this.env.name);
    if (store.storageHealth() !== "ok" && store.allNow().length <= 1) this.unexported = false;
    this.say("exported-entry", `已导出“${this.env.name}”。请把文件保存在安全的地方。`);
  }

  async exportAll() {
    this.flush();
    const entries = [...store.allNow()];
    const records = await people.allRecords(); // workspace hook: backups carry people and actions
    if (!entries.length && !records.length) return this.say("nothing-to-export", "本机还没有任何条目可以备份。");
    transfer.downloadBackup(entries, engine.localToday(), "全部工作表备份", { records });
    store.setMeta({ last_backup_at: new Date().toISOString() });
    this.unexported = false;
    this.say("exported-all", `已导出 ${entries.length} 个条目。请把文件保存在安全的地方。`);
  }

  /** The engine's report for the current entry, when the engine can give one now (print). */
  async currentReport() {
    this.flush();
    if (this.lastResult && !this.dirty) return this.lastResult;
    if (engine.getStatus().state !== "ready") return null;
    await this.check(true);
    return this.lastResult;
  }

  /** The Markdown file of the current entry: written by the engine (all escaping is
   * Python's); when the engine cannot answer now, transfer.entryMarkdown's plain stand-in. */
  async exportMarkdown() {
    this.flush();
    const env = this.env || { name: this.def.title, data: this.fields.read() };
    const saved = this.env ? timeText(this.env.saved_at) : "";
    let md = null;
    if (engine.getStatus().state === "ready") {
      try {
        md = (await engine.evaluate(this.slug, env.data, null, { name: env.name, saved })).document_md || null;
      } catch {
        md = null;
      }
    }
    if (!md) {
      md = transfer.entryMarkdown(this.def, env, saved);
      this.say("markdown-without-report", "检查引擎还没有就绪，下载的是填写内容（不含检查结果）。");
    }
    transfer.download(`${transfer.fileName(transfer.siteName(), this.def.title, env.name, engine.localToday())}.md`, md, "text/markdown");
  }

  /** Fill the print-only header (and the answers, when there is no report to print). */
  preparePrint(target) {
    const saved = this.env ? `保存于 ${timeText(this.env.saved_at)}` : "尚未保存";
    const hasReport = Boolean(this.lastResult && this.lastResult.report_md);
    transfer.preparePrint(this.root, {
      name: this.env ? this.env.name : this.def.title,
      meta: `${this.def.title} · ${saved} · 打印于 ${engine.localToday()}`,
      answers: hasReport ? null : transfer.printAnswers(this.def, this.pendingData || this.fields.read()),
      target,
    });
  }

  async print() {
    await this.currentReport();
    this.preparePrint(true);
    window.print();
  }

  async importFile(input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    this.flush();
    await transfer.importBackup({
      file, slug: this.slug, titles: this.catalog, store, ask: (spec) => this.dialog.ask(spec), say: (...args) => this.say(...args),
      reload: () => {
        this.flush();
        this.load(this.env ? this.env.id : null);
      },
      memoryOnly: () => (this.unexported = true),
      progress: this.progress,
      exportSome: (entries) => transfer.downloadBackup(entries, engine.localToday(), "未保存的导入条目"),
      reveal: () => this.notice.node.scrollIntoView({ block: "nearest" }),
    });
  }

  // ---- storage trouble and backup reminders ---------------------------------------------------

  showStorageTrouble(kind) {
    if (kind === "ok") {
      if (this.notice.code.startsWith("storage-")) this.notice.hide();
      if (this.env && !this.dirty) this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
      return;
    }
    const n = storageTroubleNotice(kind);
    this.say(n.code, n.text, "error", { id: "export-now", label: n.label, run: () => (kind === "full" ? this.exportAll() : this.exportEntry()) });
    this.setSaveStatus(MEMORY_STATUS, "memory");
  }

  remindBackup() {
    if (store.storageHealth() !== "ok") return;
    const days = daysWithoutBackup(store.allNow(), store.metaNow().last_backup_at, Date.now(), BACKUP_REMIND_DAYS);
    if (days !== null) {
      this.say("backup-reminder", `已有 ${days} 天没有备份了。浏览器清理数据（例如 Safari 七天不访问就会清除）时条目会丢失，建议现在备份。`, "warning", { id: "backup-now", label: "备份全部工作表", run: () => this.exportAll() });
    }
  }
}
