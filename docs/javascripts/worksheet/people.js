// The agents' workspace (人员) on worksheet pages: the 人员/周期 picker that ties the
// entry on show to an agent and a period (envelope fields `person` = a person record's
// id, never the name, and `period`), the workspace context an evaluation is given, and
// opening the entry named in the address (?entry=<id>, the workspace's links).
// UI and storage only: what is due, carried over or copied is decided in Python
// (worksheet_engine.checks.workspace). Storage calls are awaited (STORAGE_API.md).

import * as store from "./storage.js";
import * as engine from "./engine-client.js";
import { LIMITS, RECORD_KINDS, clip } from "./envelope.js";
import { vidOf } from "./sync.js";
import { completionOf } from "./entries-ui.js";
import { timeText } from "./dom.js";

const SITE_ROOT = new URL("../../", import.meta.url);
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** The field that names the agent on the worksheets that have one (feedback, grow, interview). */
const AGENT_FIELD = "agent_name";
const PERIOD_FIELD = "period";

/** The workspace page's address. */
export const workspaceUrl = () => new URL("workspace/", SITE_ROOT).href;

/** The manager's agents, in the order they were added. */
export async function listPeople() {
  const people = await store.listRecords("person");
  const when = (p) => p.created_at || p.saved_at || "";
  return people.sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : a.id < b.id ? -1 : 1));
}

/** Every record a backup carries (the kinds this site knows). */
export async function allRecords() {
  return (await Promise.all(RECORD_KINDS.map((kind) => store.listRecords(kind)))).flat();
}

/** Call fn() whenever another tab changes this site's data; returns the unsubscribe. */
export function onWorkspaceChange(fn) {
  if (typeof store.onChange === "function") return store.onChange(() => fn());
  const listener = (event) => {
    if (event.key === null || event.key.startsWith(store.NAMESPACE)) fn();
  };
  window.addEventListener("storage", listener);
  return () => window.removeEventListener("storage", listener);
}

/** What Python reads of an entry: the envelope's links and the data. */
const slim = (e, withData = true) => ({
  worksheet: e.worksheet, id: e.id, name: e.name, person: e.person || "", period: e.period || "", saved_at: e.saved_at,
  data: withData ? e.data : {},
});

/**
 * The workspace as Python reads it ({people, actions, entries}).
 * @param {{only?: string[]}} [opts] only: the worksheets whose entries to include
 */
export async function workspaceSnapshot({ only } = {}) {
  const [entries, people, actions] = await Promise.all([store.listAll(), store.listRecords("person"), store.listRecords("action")]);
  const wanted = only ? entries.filter((e) => only.includes(e.worksheet)) : entries;
  return { people, actions, entries: wanted.map((e) => slim(e)) };
}

/**
 * The `context` of a check (api.evaluate), or null: the worksheets whose form names
 * them in data-ws-context (rendered from the worksheet module's WORKSPACE_CONTEXT) get
 * the workspace with those worksheets' entries, and which entry and agent this is.
 */
export async function evaluationContext(ctl) {
  const wants = (ctl.root.dataset.wsContext || "").split(/\s+/).filter(Boolean);
  if (!wants.length) return null;
  const snap = await workspaceSnapshot({ only: wants });
  return { workspace: { ...snap, entry: ctl.env ? ctl.env.id : "", person: (ctl.env && ctl.env.person) || "" } };
}

/**
 * The address names an entry (?entry=<id>, from the workspace's links): make it the
 * current entry of its worksheet before the worksheets mount, then drop it from the
 * address (a reload then shows whatever the reader chose since).
 * @param {Element[]} roots the [data-ws-root] elements about to mount
 */
export async function openFromAddress(roots) {
  const params = new URLSearchParams(location.search);
  const id = params.get("entry");
  if (!id) return;
  if (ID_RE.test(id)) {
    for (const root of roots) {
      const slug = root.dataset.wsRoot;
      if (slug && (await store.getEntry(slug, id))) await store.setCurrentEntryId(slug, id);
    }
  }
  params.delete("entry");
  const rest = params.toString();
  try {
    history.replaceState(history.state, "", `${location.pathname}${rest ? `?${rest}` : ""}${location.hash}`);
  } catch {
    /* the address stays as it is */
  }
}

// ---- the picker ------------------------------------------------------------------------

/** Bind the [data-ws-picker] of a mounted worksheet (controller.js); null when it has none. */
export function bindPicker(ctl) {
  const box = ctl.root.querySelector("[data-ws-picker]");
  return box ? new Picker(ctl, box) : null;
}

class Picker {
  constructor(ctl, box) {
    this.ctl = ctl;
    this.box = box;
    this.select = box.querySelector("[data-ws-picker-person]");
    this.period = box.querySelector("[data-ws-picker-period]");
    const link = box.querySelector("[data-ws-picker-link]");
    if (link) link.href = workspaceUrl();
    this.people = [];
    this.busy = Promise.resolve();
    this.onPerson = () => this.queue({ person: this.select.value });
    this.onPeriod = () => this.queue({ period: this.period.value });
    this.select.addEventListener("change", this.onPerson);
    this.period.addEventListener("change", this.onPeriod);
    this.off = onWorkspaceChange(() => this.refresh());
    box.hidden = false;
    this.refresh();
  }

  async refresh() {
    this.people = await listPeople();
    this.show(this.ctl.env);
  }

  /** Show the person and period of `env` (the entry on show; null: a new one). */
  show(env) {
    const current = (env && env.person) || "";
    const options = [new Option("（不关联员工）", "", false, !current)];
    for (const p of this.people) options.push(new Option(p.name, p.id, false, p.id === current));
    if (current && !this.people.some((p) => p.id === current)) options.push(new Option("（已从人员名单删除）", current, false, true));
    this.select.replaceChildren(...options);
    this.select.value = current;
    if (document.activeElement !== this.period) this.period.value = (env && env.period) || "";
    this.box.dataset.person = current;
  }

  /** One change at a time, in order. */
  queue(patch) {
    this.busy = this.busy.then(() => this.commit(patch)).catch((err) => {
      console.warn("picker save failed", err);
      this.ctl.say("person-link-failed", "没能保存关联的员工，请再试一次。", "warning");
    });
    return this.busy;
  }

  /** Write the agent / period on the entry's envelope (a new entry when none is on show). */
  async commit(patch) {
    const ctl = this.ctl;
    await ctl.flush();
    const person = "person" in patch ? this.people.find((p) => p.id === patch.person) || null : undefined;
    const period = "period" in patch ? clip(String(patch.period || "").trim(), LIMITS.periodChars) : undefined;
    const form = ctl.fields.read();
    const agentEmpty = AGENT_FIELD in form && !String(form[AGENT_FIELD] || "").trim();
    const apply = (env) => {
      const next = { ...env };
      if (person !== undefined) {
        if (person) next.person = person.id;
        else delete next.person;
        const typedPeriod = typeof next.data?.[PERIOD_FIELD] === "string" ? next.data[PERIOD_FIELD].trim() : "";
        if (person && !next.period && typedPeriod) next.period = clip(typedPeriod, LIMITS.periodChars);
      }
      if (period !== undefined) {
        if (period) next.period = period;
        else delete next.period;
      }
      return next;
    };
    if (!ctl.env) {
      if (person === null || (person === undefined && !period)) return this.show(null);
      const data = person && agentEmpty ? { ...form, [AGENT_FIELD]: person.name } : form;
      const label = (ctl.def.entry_label_field && String(data[ctl.def.entry_label_field] || "").trim()) || (person && person.name) || ctl.def.title;
      const extra = apply({ completion: completionOf(ctl.def, data), data });
      delete extra.data;
      const result = await store.createEntry(ctl.slug, ctl.def.version, clip(`${label} · ${engine.localToday()}`, LIMITS.nameChars), data, extra);
      ctl.myVids.add(result.env.vid);
      await store.setCurrentEntryId(ctl.slug, result.env.id);
      ctl.hold(result.env);
      if (data !== form) ctl.fields.write(data);
      ctl.dirty = false;
      ctl.pendingData = null;
      if (!result.saved) ctl.unexported = true;
      ctl.setSaveStatus(result.saved ? `已保存 ${timeText(result.env.saved_at)}` : "只保存在本页内存中：请导出备份", result.saved ? "saved" : "memory");
    } else {
      const base = (await store.getEntry(ctl.slug, ctl.env.id)) || ctl.env; // the freshest copy
      const next = apply({ ...base, rev: Math.max(base.rev, ctl.env.rev) + 1, saved_at: new Date().toISOString(), vid: undefined, parent: vidOf(base) });
      const result = await ctl.put(next);
      ctl.hold(result.env);
      if (!result.saved) ctl.unexported = true;
      ctl.setSaveStatus(result.saved ? `已保存 ${timeText(result.env.saved_at)}` : "只保存在本页内存中：请导出备份", result.saved ? "saved" : "memory");
      if (person && agentEmpty) {
        // The agent's name goes into the form's own field too (saved as an edit).
        ctl.fields.write({ ...result.env.data, ...form, [AGENT_FIELD]: person.name });
        ctl.onInput();
      }
    }
    await ctl.renderEntries();
    if (person !== undefined) {
      ctl.say(person ? "person-linked" : "person-unlinked", person ? `这个条目已关联到“${person.name}”，会出现在“人员与跟进”页上。` : "这个条目不再关联任何员工。");
    }
    if (ctl.root.dataset.wsContext) ctl.scheduleCheck(0);
  }

  dispose() {
    this.off();
    this.select.removeEventListener("change", this.onPerson);
    this.period.removeEventListener("change", this.onPeriod);
  }
}
