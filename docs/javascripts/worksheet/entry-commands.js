// The reader's commands on entries and on the whole form: new, rename, duplicate,
// delete (with undo), fill the example, clear the form, clear all data. `ctl` is the
// WorksheetController; each command flushes pending edits first.
//
// Focus: a command that removes what had focus (the list's 打开 button, the notice's
// 撤销 button) puts it where the reader's work is, never on <body>: on the entry
// picker (it reads out the entry now open) when the command changed the entry, on
// the form's first field when it changed the form.

import * as engine from "./engine-client.js";
import * as store from "./storage.js";
import { LIMITS, clip } from "./envelope.js";
import { vidOf } from "./sync.js";
import { el } from "./dom.js";

/** Focus the entry picker: it names the entry on show. */
export function focusEntry(ctl) {
  ctl.select?.focus();
}

/** Focus the form's first field. */
export function focusForm(ctl) {
  ctl.form.querySelector("[data-ws-field]")?.focus();
}

/** 打开 in the entry list: that entry, focus on its name. */
export function openEntry(ctl, id) {
  ctl.open(id);
  focusEntry(ctl);
}

export async function newEntry(ctl) {
  ctl.flush();
  const name = await ctl.dialog.askName("新建条目", "给新条目起个名字，例如“小孙 · 2026 Q3”。", `${ctl.def.title} · ${engine.localToday()}`, "新建");
  if (!name) return;
  const env = ctl.create(name, {}).env;
  ctl.load(env.id);
  focusForm(ctl);
}

export async function renameEntry(ctl) {
  ctl.flush();
  if (!ctl.env) return ctl.say("nothing-to-rename", "还没有条目可以重命名：先填写一些内容。");
  const name = await ctl.dialog.askName("重命名条目", "条目的新名称：", ctl.env.name, "重命名");
  if (!name || !ctl.env) return;
  ctl.flush();
  const base = store.entryNow(ctl.slug, ctl.env.id) || ctl.env; // the freshest copy: never undo another tab's edits
  const result = ctl.write({ ...base, name, rev: Math.max(base.rev, ctl.env.rev) + 1, saved_at: new Date().toISOString(), vid: undefined, parent: vidOf(base) });
  ctl.hold(result.env);
  ctl.track(result);
  ctl.fields.write(ctl.env.data);
  ctl.renderEntries();
  ctl.say("renamed", `已重命名为“${name}”。`);
}

export function duplicateEntry(ctl) {
  ctl.flush();
  if (!ctl.env) return ctl.say("nothing-to-duplicate", "还没有条目可以复制。");
  const env = ctl.write(store.buildEntry(ctl.slug, ctl.def.version, clip(`${ctl.env.name}（副本）`, LIMITS.nameChars), structuredClone(ctl.env.data), { completion: ctl.env.completion }), { exact: true, current: true }).env;
  ctl.load(env.id);
  ctl.say("duplicated", `已复制为新条目“${env.name}”，现在编辑的是副本。`);
}

export function deleteEntry(ctl) {
  ctl.flush();
  if (!ctl.env) return ctl.say("nothing-to-delete", "还没有条目可以删除。");
  const removed = store.entryNow(ctl.slug, ctl.env.id) || ctl.env;
  store.removeEntry(ctl.slug, removed.id);
  ctl.load(null);
  ctl.say("deleted", `已删除“${removed.name}”。`, "info", {
    label: "撤销",
    run: () => {
      ctl.flush();
      store.writeEntry(removed, { exact: true });
      ctl.load(removed.id);
      ctl.say("restored", `已恢复“${removed.name}”。`);
      focusEntry(ctl);
    },
  });
}

export function fillExample(ctl) {
  const current = ctl.fields.read();
  const hasContent = Object.values(current).some((v) => (Array.isArray(v) ? v.length : String(v || "").trim()));
  ctl.fields.write(ctl.def.example || {});
  ctl.onInput();
  if (hasContent) ctl.say("example-filled", "已填入示例，替换了原来的内容。", "info", { label: "撤销", run: () => { ctl.fields.write(current); ctl.onInput(); focusForm(ctl); } });
}

export function clearForm(ctl) {
  const before = ctl.fields.read();
  ctl.fields.write({});
  ctl.onInput();
  ctl.say("form-cleared", "已清空本表。", "info", { label: "撤销", run: () => { ctl.fields.write(before); ctl.onInput(); focusForm(ctl); } });
}

export async function clearAllData(ctl) {
  ctl.flush();
  const entries = store.allNow();
  const ok = await ctl.dialog.ask({
    kind: "clear-all",
    title: "清除本机所有数据",
    desc: `将从这台电脑的浏览器中删除本站保存的全部 ${entries.length} 个工作表条目（所有工作表）和“人员与跟进”里的员工名单与跟进记录，并且无法撤销。删除前建议先备份。`,
    ok: "全部清除",
    danger: true,
    fill: (body) => {
      if (!entries.length) return;
      const backup = el("button", { type: "button", className: "md-button" }, "先备份全部工作表");
      backup.dataset.wsDialogBackup = "";
      backup.addEventListener("click", () => ctl.exportAll());
      body.append(backup);
    },
  });
  if (!ok) return ctl.say("clear-cancelled", "已取消，没有删除任何数据。");
  clearTimeout(ctl.saveTimer);
  ctl.dirty = false;
  await store.clearAll();
  clearTimeout(ctl.saveTimer);
  ctl.dirty = false;
  ctl.unexported = false;
  ctl.load(null);
  ctl.say("cleared", "本站在这台电脑上的数据已全部清除。");
}
