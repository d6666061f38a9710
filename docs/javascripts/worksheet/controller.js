// One mounted worksheet: entries, autosave, checks, backup. Everything user-typed is
// set with textContent / .value, never as HTML.

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { bindForm, renderResult, renderEngineError } from "./form.js";
import { SITE_NAME, stamp, fileName, makeBackup, download, parseBackup, planImport } from "./backup.js";

const SAVE_DELAY_MS = 400;
const CHECK_DELAY_MS = 900;
const BACKUP_REMIND_DAYS = 14;
const ENGINE_TEXT = {
  idle: "Python 检查引擎：未启动（点“检查”时启动）",
  loading: "Python 检查引擎：准备中",
  ready: "Python 检查引擎：就绪",
  error: "Python 检查引擎：无法启动",
};

const timeText = (iso) => new Date(iso).toLocaleString("zh-CN", { hour12: false, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

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
    this.env = null;
    this.dirty = false;
    this.saveTimer = 0;
    this.checkTimer = 0;
    this.lastResult = null;
    this.checkSeq = 0;
    this.fields = bindForm(this.form, { onInput: () => this.onInput(), onSubmit: () => this.check(true) });
    this.disposers = [];
    this.bindEngineStatus();
    this.bindEntryBar();
    this.load();
    this.disposers.push(store.onTrouble((kind) => this.showStorageTrouble(kind)));
    this.remindBackup();
  }

  // ---- loading and saving ------------------------------------------------------

  load(id = store.currentEntryId(this.slug)) {
    const entries = store.listEntries(this.slug);
    this.env = (id && entries.find((e) => e.id === id)) || entries[0] || null;
    this.fields.write(this.env ? this.env.data : {});
    this.dirty = false;
    this.lastResult = null;
    this.panel.replaceChildren();
    this.panel.dataset.state = "empty";
    if (this.env) {
      store.setCurrentEntryId(this.slug, this.env.id);
      this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
      this.scheduleCheck(0);
    } else {
      this.setSaveStatus("尚未保存（开始填写后自动保存在本机）", "empty");
    }
    this.renderEntries();
  }

  onInput() {
    this.dirty = true;
    this.pendingData = this.fields.read();
    this.setSaveStatus("正在保存…", "saving");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  defaultName(data) {
    const label = this.def.entry_label_field && String(data[this.def.entry_label_field] || "").trim();
    return `${label || this.def.title} · ${stamp()}`.slice(0, 120);
  }

  /** Write pending edits now (debounce end, pagehide, navigation, switching entries). */
  flush() {
    clearTimeout(this.saveTimer);
    if (!this.dirty) return;
    const data = this.pendingData || this.fields.read();
    const now = new Date().toISOString();
    let result;
    if (!this.env) {
      this.env = store.createEntry(this.slug, this.def.version, this.defaultName(data), data);
      store.setCurrentEntryId(this.slug, this.env.id);
      result = { saved: store.storageHealth() === "ok", env: this.env };
    } else {
      const stored = store.getEntry(this.slug, this.env.id);
      if (stored && stored.rev > this.env.rev) {
        // Another tab saved this entry after we loaded it: keep both, lose nothing.
        const copy = store.createEntry(this.slug, this.def.version, `${this.env.name}（本页副本 ${timeText(now)}）`.slice(0, 120), { ...this.env.data, ...data });
        this.env = copy;
        store.setCurrentEntryId(this.slug, copy.id);
        this.showNotice("另一个标签页也修改了这个条目。为了不覆盖对方的内容，本页的修改已另存为一个新条目。", "warning");
        result = { saved: store.storageHealth() === "ok", env: copy };
      } else if (!stored && store.storageHealth() === "ok" && this.deletedElsewhere) {
        result = store.putEntry({ ...this.env, rev: this.env.rev + 1, saved_at: now, data: { ...this.env.data, ...data } });
      } else {
        result = store.putEntry({ ...this.env, rev: this.env.rev + 1, saved_at: now, data: { ...this.env.data, ...data } });
      }
    }
    this.env = result.env;
    this.dirty = false;
    this.pendingData = null;
    if (result.saved) this.setSaveStatus(`已保存 ${timeText(this.env.saved_at)}`, "saved");
    else this.setSaveStatus("只保存在本页内存中：浏览器存储不可用，关闭页面前请导出备份", "memory");
    this.renderEntries();
  }

  setSaveStatus(text, state) {
    this.saveStatus.textContent = text;
    this.saveStatus.dataset.state = state;
  }

  /** Another tab changed storage. */
  onStorage(event) {
    const change = store.entryChange(event);
    if (!change || change.slug !== this.slug) return;
    if (this.env && change.id === this.env.id) {
      if (!change.env) {
        this.showNotice("这个条目在另一个标签页被删除了。继续编辑会把它重新保存。", "warning");
        this.env = { ...this.env, rev: -1 };
        this.deletedElsewhere = true;
      } else if (!this.dirty) {
        this.env = change.env;
        this.fields.write(change.env.data);
        this.setSaveStatus(`已与另一个标签页同步 ${timeText(change.env.saved_at)}`, "saved");
        this.scheduleCheck(0);
      }
    }
    this.renderEntries();
  }

  dispose() {
    this.flush();
    clearTimeout(this.checkTimer);
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
      if (this.env && typeof result.completion === "number" && this.env.completion !== result.completion) {
        const stored = store.getEntry(this.slug, this.env.id);
        if (stored && stored.rev === this.env.rev) this.env = store.putEntry({ ...stored, completion: result.completion }).env;
        this.renderEntries();
      }
    } catch (err) {
      if (seq !== this.checkSeq) return;
      renderEngineError(this.panel, `检查没有完成：${err.message}`);
    }
  }

  // ---- entries ---------------------------------------------------------------------

  bindEntryBar() {
    this.select.addEventListener("change", () => {
      this.flush();
      this.load(this.select.value);
    });
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
    on("clear-form", () => {
      if (!window.confirm("清空本表的所有填写内容？（可以用“撤销”恢复）")) return;
      const before = this.fields.read();
      this.fields.write({});
      this.onInput();
      this.showNotice("已清空本表。", "info", { label: "撤销", run: () => { this.fields.write(before); this.onInput(); } });
    });
    this.listBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-ws-open]");
      if (!button) return;
      this.flush();
      this.load(button.dataset.wsOpen);
    });
  }

  renderEntries() {
    const entries = store.listEntries(this.slug);
    this.select.replaceChildren();
    if (!entries.length) {
      const opt = new Option("（新条目，尚未保存）", "");
      this.select.append(opt);
    }
    for (const e of entries) {
      const opt = new Option(`${e.name}`, e.id, false, this.env && e.id === this.env.id);
      this.select.append(opt);
    }
    const table = document.createElement("table");
    table.className = "ws-entry-table";
    const head = table.createTHead().insertRow();
    for (const h of ["名称", "最后保存", "完成度", ""]) head.append(Object.assign(document.createElement("th"), { textContent: h }));
    const body = table.createTBody();
    for (const e of entries) {
      const row = body.insertRow();
      row.dataset.wsEntry = e.id;
      if (this.env && e.id === this.env.id) row.setAttribute("aria-current", "true");
      row.insertCell().textContent = e.name;
      row.insertCell().textContent = timeText(e.saved_at);
      row.insertCell().textContent = typeof e.completion === "number" ? `${Math.round(e.completion * 100)}%` : "—";
      const cell = row.insertCell();
      const open = document.createElement("button");
      open.type = "button";
      open.className = "md-button ws-small";
      open.dataset.wsOpen = e.id;
      open.textContent = this.env && e.id === this.env.id ? "当前" : "打开";
      open.disabled = Boolean(this.env && e.id === this.env.id);
      open.setAttribute("aria-label", `打开条目 ${e.name}`);
      cell.append(open);
    }
    this.listBox.replaceChildren(entries.length ? table : Object.assign(document.createElement("p"), { textContent: "还没有条目。开始填写后会自动创建。" }));
  }

  askName(message, initial) {
    const name = window.prompt(message, initial);
    if (name === null) return null;
    const clean = name.trim().slice(0, 120);
    return clean || null;
  }

  newEntry() {
    this.flush();
    const name = this.askName("新条目的名称（例如：张三 · 2026 Q4）", `${this.def.title} · ${stamp()}`);
    if (!name) return;
    const env = store.createEntry(this.slug, this.def.version, name, {});
    this.load(env.id);
    this.form.querySelector("[data-ws-field]")?.focus();
  }

  renameEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有条目可以重命名：先填写一些内容。", "info");
    const name = this.askName("条目名称", this.env.name);
    if (!name) return;
    this.env = store.putEntry({ ...this.env, name, rev: this.env.rev + 1, saved_at: new Date().toISOString() }).env;
    this.renderEntries();
  }

  duplicateEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有条目可以复制。", "info");
    const env = store.createEntry(this.slug, this.def.version, `${this.env.name}（副本）`.slice(0, 120), structuredClone(this.env.data));
    this.load(env.id);
    this.showNotice("已复制为新条目。", "info");
  }

  deleteEntry() {
    this.flush();
    if (!this.env) return;
    const removed = this.env;
    store.deleteEntry(this.slug, removed.id);
    this.load(null);
    this.showNotice(`已删除“${removed.name}”。`, "info", {
      label: "撤销",
      run: () => {
        store.putEntry(removed);
        this.load(removed.id);
      },
    });
  }

  // ---- export, import, print ---------------------------------------------------------

  exportEntry() {
    this.flush();
    if (!this.env) return this.showNotice("还没有可导出的内容。", "info");
    download(fileName(SITE_NAME, this.def.title, this.env.name, stamp()) + ".json", JSON.stringify(makeBackup([this.env]), null, 2));
  }

  exportAll() {
    this.flush();
    const entries = store.listAll();
    download(fileName(SITE_NAME, "全部工作表备份", stamp()) + ".json", JSON.stringify(makeBackup(entries), null, 2));
    store.setMeta({ last_backup_at: new Date().toISOString() });
    this.showNotice(`已导出 ${entries.length} 个条目。请把文件保存在安全的地方。`, "info");
  }

  async reportMarkdown() {
    this.flush();
    if (!this.lastResult) await this.check(true);
    return this.lastResult && this.lastResult.report_md;
  }

  async exportMarkdown() {
    const md = await this.reportMarkdown();
    if (!md) return this.showNotice("报告需要 Python 检查引擎；引擎就绪后再试。", "warning");
    const title = this.env ? this.env.name : this.def.title;
    download(fileName(SITE_NAME, this.def.title, title, stamp()) + ".md", `# ${title}\n\n${md}\n`, "text/markdown");
  }

  async print() {
    await this.reportMarkdown();
    document.body.classList.add("ws-printing");
    this.root.classList.add("ws-print-target");
    const done = () => {
      document.body.classList.remove("ws-printing");
      this.root.classList.remove("ws-print-target");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
    setTimeout(done, 1000);
  }

  async importFile(input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    this.flush();
    let parsed;
    try {
      if (file.size > 5 * 1024 * 1024) throw new Error("文件太大（超过 5 MB），不像是本站导出的备份。");
      parsed = parseBackup(await file.text());
    } catch (err) {
      this.showNotice(`无法导入“${file.name}”：${err.message} 本机数据没有任何改动。`, "error");
      return;
    }
    const existing = new Map(store.listAll().map((e) => [`${e.worksheet}.${e.id}`, e]));
    const plan = planImport(parsed.entries, existing);
    const lines = [
      `文件“${file.name}”包含 ${parsed.entries.length} 个条目：`,
      `· 新增 ${plan.add.length} 个`,
      `· 与本机相同（跳过）${plan.same.length} 个`,
      `· 与本机同名条目内容不同 ${plan.conflicts.length} 个：两份都保留，导入的一份名称后加“（导入）”`,
      "",
      "确定导入吗？",
    ];
    if (!window.confirm(lines.join("\n"))) return this.showNotice("已取消导入，本机数据没有改动。", "info");
    let count = 0;
    for (const env of plan.add) {
      store.putEntry(env);
      count++;
    }
    for (const { incoming } of plan.conflicts) {
      store.putEntry({ ...incoming, id: store.newId(), name: `${incoming.name}（导入）`.slice(0, 120) });
      count++;
    }
    this.load(store.currentEntryId(this.slug));
    this.showNotice(`已导入 ${count} 个条目。`, "info");
  }

  clearAllData() {
    const ok = window.confirm("确定清除本站保存在这台电脑上的所有工作表条目吗？此操作无法撤销。建议先“备份全部工作表”。");
    if (!ok) return;
    clearTimeout(this.saveTimer);
    this.dirty = false;
    store.clearAll();
    this.env = null;
    this.load(null);
    this.showNotice("本站在这台电脑上的数据已全部清除。", "info");
  }

  fillExample() {
    const current = this.fields.read();
    const hasContent = Object.values(current).some((v) => (Array.isArray(v) ? v.length : String(v || "").trim()));
    if (hasContent && !window.confirm("填入示例会替换当前内容（可以撤销）。继续吗？")) return;
    this.fields.write(this.def.example || {});
    this.onInput();
    if (hasContent) this.showNotice("已填入示例。", "info", { label: "撤销", run: () => { this.fields.write(current); this.onInput(); } });
  }

  // ---- notices -----------------------------------------------------------------------

  showNotice(text, kind = "info", action) {
    this.notice.replaceChildren(document.createTextNode(text));
    this.notice.dataset.kind = kind;
    this.notice.hidden = false;
    if (action) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "md-button ws-small";
      b.textContent = action.label;
      b.dataset.wsAction = "undo";
      b.addEventListener("click", () => {
        action.run();
        this.notice.hidden = true;
      });
      this.notice.append(" ", b);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "ws-notice__close";
    close.textContent = "×";
    close.setAttribute("aria-label", "关闭提示");
    close.addEventListener("click", () => (this.notice.hidden = true));
    this.notice.append(close);
  }

  showStorageTrouble(kind) {
    if (kind === "ok") return;
    const text = kind === "full"
      ? "浏览器存储已满，新的修改暂时只保存在本页内存中。请马上“备份全部工作表”导出文件，再清理不需要的条目。"
      : "这个浏览器禁用了本地存储（可能是隐私模式或管理策略）。您仍可填写和检查，但关闭页面后内容会丢失：请用“导出本条目”保存文件。";
    this.showNotice(text, "error", { label: "导出本条目", run: () => this.exportEntry() });
    this.setSaveStatus("只保存在本页内存中：请导出备份", "memory");
  }

  remindBackup() {
    const entries = store.listAll();
    if (entries.length < 1 || store.storageHealth() !== "ok") return;
    const last = Date.parse(store.getMeta().last_backup_at || "") || 0;
    const oldest = Math.min(...entries.map((e) => Date.parse(e.created_at) || Date.now()));
    const since = Math.max(last, oldest);
    if (Date.now() - since > BACKUP_REMIND_DAYS * 86400000) {
      this.showNotice(`您已有 ${BACKUP_REMIND_DAYS} 天以上没有备份。浏览器清理数据时条目会丢失，建议现在备份。`, "warning", { label: "备份全部工作表", run: () => this.exportAll() });
    }
  }
}
