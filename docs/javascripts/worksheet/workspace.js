// The agents' workspace page (docs/workspace.md, [data-ws-workspace]): the manager's
// list of agents (person records), each with their entries across worksheets, the last
// interview, the follow-up items and the next follow-up; what is due or overdue today.
// Everything that is decided (states, carry-over, copied goals, the calendar file) comes
// from Python's workspace_summary (worksheet_engine.checks.workspace) through the worker;
// this module stores what the manager adds or ticks and draws the answer. Reader's text
// always goes in with textContent. Storage calls are awaited (STORAGE_API.md).

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { bindEngineStatus } from "./engine-status.js";
import { Notice } from "./notice.js";
import { Dialog } from "./dialog.js";
import { el } from "./dom.js";
import { resolveLink } from "./result.js";
import * as transfer from "./transfer.js";
import { LIMITS, clip, newId } from "./envelope.js";
import { vidOf } from "./sync.js";
import { allRecords, listPeople, onWorkspaceChange, workspaceSnapshot } from "./people.js";

const WAITING = "到期情况由检查引擎计算，正在准备……人员名单可以先编辑。";

/** Go to a page of this site: a link's click, so Material's instant navigation (when on) keeps the visit. */
function navigate(href) {
  const a = el("a", { href, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

const now = () => new Date().toISOString();

export class WorkspacePage {
  /** @param {HTMLElement} root the [data-ws-workspace] element */
  constructor(root) {
    this.root = root;
    const q = (sel) => root.querySelector(sel);
    this.parts = {
      people: q("[data-ws-people]"),
      headline: q("[data-ws-due-headline]"),
      due: q("[data-ws-due]"),
      dueList: q("[data-ws-due-list]"),
      summarize: q('[data-ws-action="summarize"]'),
      copied: q("[data-ws-copied]"),
      copiedList: q("[data-ws-copied-list]"),
      unassigned: q("[data-ws-unassigned]"),
      unassignedTitle: q("[data-ws-unassigned-title]"),
      unassignedList: q("[data-ws-unassigned-list]"),
      today: q("[data-ws-workspace-today]"),
      name: q("[data-ws-person-name]"),
    };
    this.notice = new Notice(q("[data-ws-notice]"));
    this.dialog = new Dialog(q("[data-ws-dialog]"), "workspace");
    /** @type {{people: object[], actions: object[], entries: object[]}|null} */
    this.snap = null;
    this.people = [];
    this.summary = null;
    this.seq = 0;
    this.disposers = [];
    this.disposers.push(bindEngineStatus(q("[data-ws-engine-status]"), engine, { onReady: () => this.summarize() }));
    this.listen(q("[data-ws-person-form]"), "submit", (event) => {
      event.preventDefault();
      this.addPerson();
    });
    this.listen(root, "click", (event) => this.onClick(event));
    this.listen(root, "change", (event) => this.onChange(event));
    this.listen(root, "submit", (event) => {
      const form = event.target.closest("[data-ws-action-form]");
      if (!form) return;
      event.preventDefault();
      this.addAction(form);
    });
    this.listen(document, "visibilitychange", () => document.visibilityState === "visible" && this.refresh());
    this.disposers.push(onWorkspaceChange(() => this.refresh()));
    this.parts.summarize.hidden = engine.PYTHON_START !== "never";
    this.refresh();
    if (engine.PYTHON_START !== "never") engine.start().catch(() => {});
  }

  listen(target, type, fn) {
    target.addEventListener(type, fn);
    this.disposers.push(() => target.removeEventListener(type, fn));
  }

  dispose() {
    this.dialog.close();
    for (const d of this.disposers) d();
  }

  say(code, text, kind = "info", action) {
    this.notice.show(code, text, { kind, action });
  }

  // ---- reading and summarising ---------------------------------------------------------

  /** Read the workspace again and ask Python what it means (when it can answer now). */
  async refresh() {
    const seq = ++this.seq;
    const [snap, people] = await Promise.all([workspaceSnapshot(), listPeople()]);
    if (seq !== this.seq || !this.root.isConnected) return;
    this.snap = snap;
    this.people = people;
    if (engine.getStatus().state === "ready") await this.summarize();
    else this.renderWaiting();
  }

  /** Python's summary of the snapshot on hand; `explicit`: start Python if it has not. */
  async summarize(explicit = false) {
    if (!this.snap) return;
    const state = engine.getStatus().state;
    if (!explicit && state !== "ready") return;
    const seq = this.seq;
    try {
      const summary = await engine.call("workspace_summary", this.snap);
      if (seq !== this.seq || !this.root.isConnected) return;
      this.summary = summary;
      this.render(summary);
    } catch (err) {
      if (seq !== this.seq) return;
      this.parts.due.dataset.state = "error";
      this.parts.headline.textContent = `到期情况暂时无法计算：${err.message}。人员名单和条目不受影响。`;
    }
  }

  // ---- drawing ----------------------------------------------------------------------------

  /** Before Python answers: the agents' names and nothing that needs a rule. */
  renderWaiting() {
    this.parts.due.dataset.state = "waiting";
    this.parts.headline.textContent = engine.PYTHON_START === "never" && engine.getStatus().state === "idle" ? "点“查看到期情况”计算今天到期和逾期的事项。" : WAITING;
    this.parts.dueList.replaceChildren();
    const cards = this.people.map((p) => {
      const card = this.card({ id: p.id, name: p.name, provisional: false });
      card.append(el("p", { className: "ws-help" }, "正在整理这位员工的条目和跟进……"));
      return card;
    });
    this.parts.people.replaceChildren(...cards, ...(cards.length ? [] : [this.emptyHint()]));
  }

  emptyHint() {
    return el("p", { className: "ws-people__empty" }, "还没有员工。在上面写下员工的姓名或称呼，点“添加”。");
  }

  card(p) {
    const card = el("article", { className: "ws-person" });
    card.dataset.wsPerson = p.name;
    if (p.id) card.dataset.wsPersonId = p.id;
    else card.dataset.wsProvisional = "";
    const head = el("div", { className: "ws-person__head" });
    head.append(el("h3", { className: "ws-person__name" }, p.name));
    card.append(head);
    return card;
  }

  render(s) {
    this.parts.today.textContent = s.today ? `今天：${s.today}` : "";
    const c = s.counts || {};
    this.parts.due.dataset.state = c.overdue ? "overdue" : c.today ? "today" : "clear";
    this.parts.headline.textContent = s.headline || "";
    this.parts.dueList.replaceChildren(...(s.due || []).map((item) => this.dueItem(item)));
    const cards = (s.people || []).map((p, i) => this.personCard(p, i));
    this.parts.people.replaceChildren(...cards, ...(cards.length ? [] : [this.emptyHint()]));
    this.renderCopied(s.copied_goals || []);
    const loose = s.unassigned || [];
    this.parts.unassigned.hidden = !loose.length;
    this.parts.unassignedTitle.textContent = `还没有关联员工的条目（${loose.length}）`;
    this.parts.unassignedList.replaceChildren(...loose.map((e) => {
      const li = el("li");
      li.append(this.entryLink(e));
      return li;
    }));
  }

  dueItem(item) {
    const li = el("li", { className: "ws-due__item" });
    li.dataset.wsDueItem = item.key;
    li.dataset.wsDueState = item.state;
    li.append(el("span", { className: "ws-state" }, item.state_text), " ", el("strong", {}, item.person_name), "：", el("span", {}, item.text));
    if (item.owner) li.append(el("span", { className: "ws-item__owner" }, `（负责人：${item.owner}）`));
    return li;
  }

  entryLink(e) {
    const href = e.href ? resolveLink(e.href) : null;
    const label = `${e.title}：${e.name}`;
    const node = href ? el("a", { href, className: "ws-entry-link" }, label) : el("span", {}, label);
    node.dataset.wsEntryLink = e.id;
    return node;
  }

  personCard(p, index) {
    const card = this.card(p);
    const head = card.firstElementChild;
    card.dataset.overdue = String(p.counts.overdue || 0);
    card.dataset.dueToday = String(p.counts.today || 0);
    head.append(el("span", { className: "ws-person__headline" }, p.provisional ? "还不在人员名单里（来自条目里写的员工姓名）" : p.headline));
    const tools = el("div", { className: "ws-person__tools" });
    const button = (action, label, extra = {}) => {
      const b = el("button", { type: "button", className: "md-button ws-small", ...extra }, label);
      b.dataset.wsAction = action;
      tools.append(b);
      return b;
    };
    if (p.provisional) button("adopt-person", "加入人员名单", { className: "md-button md-button--primary ws-small" });
    button("prepare-interview", "准备下一次面谈", p.provisional ? {} : { className: "md-button md-button--primary ws-small" });
    if (p.ics) button("export-ics", "导出跟进到日历（.ics）");
    if (p.by_name && !p.provisional) button("link-entries", `关联按姓名找到的 ${p.by_name} 个条目`);
    if (!p.provisional) {
      button("rename-person", "改称呼");
      button("delete-person", "移出名单", { className: "md-button ws-small ws-danger" });
    }
    card.append(tools);

    const facts = el("dl", { className: "ws-person__facts" });
    const fact = (label, value, hook) => {
      const box = el("div", { className: "ws-fact" });
      if (hook) box.dataset.wsFact = hook;
      box.append(el("dt", {}, label), value);
      facts.append(box);
    };
    const interviewText = (i) => {
      const dd = el("dd");
      const a = this.entryLink({ ...i, title: i.date || "未定日期" });
      dd.append(a);
      if (i.period) dd.append(` · ${i.period}`);
      return dd;
    };
    fact("上次面谈", p.last_interview ? interviewText(p.last_interview) : el("dd", {}, "还没有"), "last-interview");
    if (p.planned_interview) fact("已准备的面谈", interviewText(p.planned_interview), "planned-interview");
    const nxt = p.next_follow_up;
    const nextDd = el("dd", {}, nxt ? `${nxt.due}${nxt.time ? ` ${nxt.time}` : ""} · ${nxt.text}（${nxt.state_text}）` : "还没有约定");
    if (nxt) nextDd.dataset.wsDueState = nxt.state;
    fact("下次跟进", nextDd, "next-follow-up");
    fact("待办", el("dd", {}, `${p.open_count} 项`), "open-count");
    card.append(facts);

    const open = p.items.filter((i) => i.status === "open");
    const done = p.items.filter((i) => i.status === "done");
    card.append(el("h4", { className: "ws-person__sub" }, "跟进事项"));
    const list = el("ul", { className: "ws-items" });
    list.dataset.wsItems = "open";
    for (const item of open) list.append(this.itemRow(p, item, index));
    if (!open.length) list.append(el("li", { className: "ws-items__empty" }, "没有未完成的事项。"));
    card.append(list);
    if (done.length) {
      const more = el("details", { className: "ws-items__done" });
      more.append(el("summary", {}, `已完成 ${done.length} 项`));
      const doneList = el("ul", { className: "ws-items" });
      doneList.dataset.wsItems = "done";
      for (const item of done) doneList.append(this.itemRow(p, item, index));
      more.append(doneList);
      card.append(more);
    }
    if (!p.provisional) card.append(this.actionForm(p, index));

    card.append(el("h4", { className: "ws-person__sub" }, `条目（${p.entries.length}）`));
    const entries = el("ul", { className: "ws-person__entries" });
    entries.dataset.wsPersonEntries = "";
    for (const e of p.entries) {
      const li = el("li", { className: "ws-person__entry" });
      li.append(this.entryLink(e));
      const bits = [e.period, e.by_name ? "按姓名归入，尚未关联" : ""].filter(Boolean);
      if (bits.length) li.append(el("span", { className: "ws-help" }, ` · ${bits.join(" · ")}`));
      entries.append(li);
    }
    if (!p.entries.length) entries.append(el("li", { className: "ws-person__entry ws-items__empty" }, "还没有条目：在工作表上方的“人员”一栏选择这位员工即可关联。"));
    card.append(entries);
    return card;
  }

  itemRow(p, item, index) {
    const li = el("li", { className: "ws-item" });
    li.dataset.wsItem = item.key;
    li.dataset.wsDueState = item.state;
    li.dataset.type = item.type;
    const id = `ws-item-${index}-${item.key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
    const box = el("input", { type: "checkbox", id, checked: item.status === "done", disabled: p.provisional, className: "ws-item__check" });
    box.dataset.wsAction = "toggle-item";
    const label = el("label", { htmlFor: id, className: "ws-item__text" }, item.text);
    li.append(box, label, " ", el("span", { className: "ws-state" }, item.due ? `${item.due}${item.time ? ` ${item.time}` : ""} · ${item.state_text}` : item.state_text));
    if (item.owner) li.append(el("span", { className: "ws-item__owner" }, ` 负责人：${item.owner}`));
    if (item.entry_name) {
      const from = el("span", { className: "ws-item__from" }, " 来自 ");
      from.append(this.entryLink({ worksheet: item.entry_worksheet, id: item.entry, name: item.entry_name, title: "面谈", href: item.entry_worksheet ? `worksheets/${item.entry_worksheet}/?entry=${item.entry}` : "" }));
      li.append(from);
    }
    if (item.source === "record" && !item.entry) {
      const del = el("button", { type: "button", className: "ws-row__remove" }, "删除");
      del.dataset.wsAction = "delete-action";
      del.setAttribute("aria-label", `删除事项：${item.text}`);
      li.append(" ", del);
    }
    return li;
  }

  actionForm(p, index) {
    const form = el("form", { className: "ws-action-form", noValidate: true });
    form.dataset.wsActionForm = "";
    const field = (name, label, input) => {
      const id = `ws-action-${index}-${name}`;
      input.id = id;
      input.dataset.wsActionField = name;
      const box = el("div", { className: `ws-action-form__cell ws-action-form__cell--${name}` });
      box.append(el("label", { htmlFor: id }, label), input);
      form.append(box);
    };
    field("text", "新的行动或跟进", el("input", { type: "text", maxLength: 300, autocomplete: "off", placeholder: "例如：抽听 5 通退款来电" }));
    field("owner", "负责人", el("input", { type: "text", maxLength: 100, autocomplete: "off", placeholder: p.name }));
    field("due", "完成日期", el("input", { type: "date" }));
    const interviews = p.entries.filter((e) => e.worksheet === "interview");
    if (interviews.length) {
      const select = el("select");
      select.append(new Option("不关联面谈", ""));
      for (const e of interviews) select.append(new Option(e.name, e.id));
      field("entry", "来自哪次面谈", select);
    }
    const add = el("button", { type: "submit", className: "md-button ws-small" }, "添加事项");
    add.dataset.wsAction = "add-action";
    form.append(add);
    return form;
  }

  renderCopied(groups) {
    this.parts.copied.hidden = !groups.length;
    this.parts.copiedList.replaceChildren(...groups.map((g) => {
      const li = el("li");
      li.dataset.wsCopiedGoal = "";
      li.append(el("span", {}, `“${g.goal}”同时出现在 ${g.agents.join("、")} 的面谈准备里。`), el("span", { className: "ws-help" }, " 每位员工的目标应从他自己的数据出发。"));
      return li;
    }));
  }

  // ---- what the manager does ----------------------------------------------------------------

  personOf(node) {
    const card = node.closest("[data-ws-person]");
    if (!card || !this.summary) return null;
    const id = card.dataset.wsPersonId || "";
    const name = card.dataset.wsPerson;
    return this.summary.people.find((p) => (id ? p.id === id : !p.id && p.name === name)) || null;
  }

  itemOf(node, person) {
    const row = node.closest("[data-ws-item]");
    return row && person ? person.items.find((i) => i.key === row.dataset.wsItem) || null : null;
  }

  onClick(event) {
    const button = event.target.closest("button[data-ws-action]");
    if (!button || !this.root.contains(button)) return;
    const action = button.dataset.wsAction;
    if (action === "summarize") return this.summarize(true);
    if (action === "export-all") return this.exportAll();
    const person = this.personOf(button);
    if (!person) return;
    const run = {
      "prepare-interview": () => this.prepareInterview(person),
      "export-ics": () => transfer.download(person.ics_filename, person.ics, "text/calendar"),
      "rename-person": () => this.renamePerson(person),
      "delete-person": () => this.deletePerson(person),
      "adopt-person": () => this.adoptPerson(person),
      "link-entries": () => this.tieEntries(person.entries.filter((e) => e.by_name), person.id).then(() => this.refresh()),
      "delete-action": () => this.deleteAction(person, this.itemOf(button, person)),
    }[action];
    if (run) run();
  }

  onChange(event) {
    const box = event.target.closest('input[data-ws-action="toggle-item"]');
    if (!box) return;
    const person = this.personOf(box);
    const item = this.itemOf(box, person);
    if (person && item) this.toggleItem(person, item, box.checked);
  }

  async saved(result) {
    if (!result.saved) this.say("memory-only", "浏览器存储不可用，这项修改只在本页内存中：请备份全部工作表和人员。", "warning");
    return result;
  }

  async addPerson() {
    const input = this.parts.name;
    const name = clip(input.value.trim(), LIMITS.personChars);
    if (!name) {
      this.say("person-name-missing", "请先写下员工的姓名或称呼。", "warning");
      input.focus();
      return;
    }
    const existing = await listPeople();
    if (existing.some((p) => p.name === name)) {
      this.say("person-exists", `人员名单里已经有“${name}”了。同名的员工可以加上组别区分，如“${name}（二组）”。`, "warning");
      return;
    }
    const at = now();
    await this.saved(await store.putRecord({ kind: "person", id: newId(), name, created_at: at, rev: 0 }));
    input.value = "";
    this.say("person-added", `已添加“${name}”。在工作表上方的“人员”一栏选择他，条目就会出现在这里。`);
    await this.refresh();
  }

  async renamePerson(person) {
    const name = await this.dialog.askName("改称呼", "员工的新姓名或称呼（已关联的条目和跟进都会跟着改，不会丢）：", person.name, "保存");
    if (!name) return;
    const rec = await store.getRecord("person", person.id);
    if (!rec) return;
    const clean = clip(name, LIMITS.personChars);
    await this.saved(await store.putRecord({ ...rec, name: clean, rev: (rec.rev || 0) + 1 }));
    this.say("person-renamed", `已改为“${clean}”。`);
    await this.refresh();
  }

  async deletePerson(person) {
    const actions = (await store.listRecords("action")).filter((a) => a.person === person.id);
    const ok = await this.dialog.ask({
      kind: "delete-person",
      title: `把“${person.name}”移出人员名单？`,
      desc: `他的 ${person.entries.length} 个条目不会删除，只是不再关联这位员工；${actions.length} 项跟进记录会一起删除。可以撤销。`,
      ok: "移出",
      danger: true,
    });
    if (!ok) return;
    const rec = await store.getRecord("person", person.id);
    await store.deleteRecord("person", person.id);
    for (const a of actions) await store.deleteRecord("action", a.id);
    this.say("person-deleted", `已把“${person.name}”移出人员名单。`, "info", {
      label: "撤销",
      run: async () => {
        if (rec) await store.putRecord(rec);
        for (const a of actions) await store.putRecord(a);
        this.say("person-restored", `已恢复“${person.name}”和他的跟进记录。`);
        await this.refresh();
      },
    });
    await this.refresh();
  }

  /** Tie entries to a person (envelope field `person`), as a new version of each. */
  async tieEntries(entries, personId) {
    let n = 0;
    for (const ref of entries) {
      const env = await store.getEntry(ref.worksheet, ref.id);
      if (!env || env.person === personId) continue;
      await store.putEntry({ ...env, person: personId, rev: env.rev + 1, saved_at: now(), vid: undefined, parent: vidOf(env) });
      n += 1;
    }
    if (n) this.say("entries-linked", `已把 ${n} 个条目关联到这位员工。`);
    return n;
  }

  async adoptPerson(person) {
    const id = newId();
    await this.saved(await store.putRecord({ kind: "person", id, name: clip(person.name, LIMITS.personChars), created_at: now(), rev: 0 }));
    await this.tieEntries(person.entries, id);
    this.say("person-added", `已把“${person.name}”加入人员名单，并关联了他的 ${person.entries.length} 个条目。`);
    await this.refresh();
  }

  async toggleItem(person, item, done) {
    const at = now();
    if (item.record) {
      const rec = await store.getRecord("action", item.record);
      if (!rec) return this.refresh();
      await this.saved(await store.putRecord({ ...rec, status: done ? "done" : "open", done_at: done ? at : undefined, rev: (rec.rev || 0) + 1 }));
    } else {
      // An item from an interview entry: from now on a record of its own holds its status.
      const rec = { kind: "action", id: newId(), person: person.id, text: clip(item.text, 300), owner: clip(item.owner || "", 100), due: item.due || "",
        status: done ? "done" : "open", type: item.type, entry: item.entry || undefined, row: item.row || undefined, time: item.time || undefined, created_at: at, rev: 0 };
      if (done) rec.done_at = at;
      await this.saved(await store.putRecord(rec));
    }
    await this.refresh();
  }

  async addAction(form) {
    const person = this.personOf(form);
    if (!person || !person.id) return;
    const value = (name) => {
      const node = form.querySelector(`[data-ws-action-field="${name}"]`);
      return node ? node.value.trim() : "";
    };
    const text = clip(value("text"), 300);
    if (!text) {
      this.say("action-text-missing", "请先写下要做的事。", "warning");
      form.querySelector('[data-ws-action-field="text"]').focus();
      return;
    }
    const due = value("due");
    const entry = value("entry");
    try {
      await this.saved(await store.putRecord({ kind: "action", id: newId(), person: person.id, text, owner: clip(value("owner"), 100), due,
        status: "open", type: "action", entry: entry || undefined, created_at: now(), rev: 0 }));
    } catch {
      this.say("action-bad", "完成日期看不懂，请用日期选择器选一个日期。", "warning");
      return;
    }
    this.say("action-added", `已为“${person.name}”添加：${text}`);
    await this.refresh();
  }

  async deleteAction(person, item) {
    if (!item || !item.record) return;
    const rec = await store.getRecord("action", item.record);
    await store.deleteRecord("action", item.record);
    this.say("action-deleted", `已删除“${item.text}”。`, "info", {
      label: "撤销",
      run: async () => {
        if (rec) await store.putRecord(rec);
        await this.refresh();
      },
    });
    await this.refresh();
  }

  async prepareInterview(person) {
    const prefill = person.prefill;
    if (!prefill || !prefill.worksheet) return;
    const extra = person.id ? { person: person.id, completion: 0 } : { completion: 0 };
    const result = await store.createEntry(prefill.worksheet, prefill.version || 1, clip(`${prefill.name} · ${engine.localToday()}`, LIMITS.nameChars), prefill.data || {}, extra);
    await store.setCurrentEntryId(prefill.worksheet, result.env.id);
    const href = resolveLink(`worksheets/${prefill.worksheet}/?entry=${result.env.id}`);
    if (href) navigate(href);
  }

  async exportAll() {
    const entries = await store.listAll();
    const records = await allRecords();
    if (!entries.length && !records.length) return this.say("nothing-to-export", "本机还没有任何条目或人员可以备份。");
    transfer.downloadBackup(entries, engine.localToday(), "全部工作表备份", { records });
    await store.setMeta({ last_backup_at: now() });
    this.say("exported-all", `已导出 ${entries.length} 个条目和 ${records.length} 条人员与跟进记录。请把文件保存在安全的地方。`);
  }
}
