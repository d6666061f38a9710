// Getting work out of and into the browser: JSON backups (export one / all, import
// with a dry run), the Markdown download and the print view. The format rules live in
// envelope.js, the import plan in sync.js, the downloaded Markdown in the engine
// (api.entry_markdown). Nothing leaves the browser unless the reader saves a downloaded
// file. No DOM access at import time, so the pure parts (file names, the stand-in
// Markdown) are tested by `node --test`.

import { EnvelopeError, LIMITS, clip, makeBackup as buildBackup, parseBackup } from "./envelope.js";
import { IMPORT_SUFFIX, applyImport, planImport } from "./sync.js";
import { el, timeText } from "./dom.js";

/** The site's name (mkdocs.yml site_name), for file names and backups. */
export function siteName() {
  const meta = typeof document !== "undefined" && document.querySelector('meta[name="ws-runtime"]');
  return (meta && meta.dataset.siteName) || "worksheets";
}

/** A file name safe on Windows, macOS and Linux. */
export function fileName(...parts) {
  const name = parts
    .filter(Boolean)
    .join("-")
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, "_")
    .replace(/\s+/g, "_")
    .replace(/^[.\s]+/, "");
  return clip(name, 150) || "worksheet";
}

// ---- JSON backups ---------------------------------------------------------------------

/** A backup document of these entries (and the workspace's records), stamped with this site's name. */
export function makeBackup(entries, records = []) {
  return buildBackup(entries, siteName(), new Date().toISOString(), records);
}

/** Offer text as a file download (a blob: URL; nothing is sent anywhere). */
export function download(name, text, type = "application/json") {
  const blob = new Blob([text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Download entries as a backup file named after the site, `what` and the date. A last
 * argument {records} adds the workspace's records (people, actions) to the file.
 */
export function downloadBackup(entries, today, ...what) {
  const last = what[what.length - 1];
  const records = last && typeof last === "object" ? what.pop().records || [] : [];
  download(`${fileName(siteName(), ...what, today)}.json`, JSON.stringify(makeBackup(entries, records), null, 2));
}

/** Above this a file is not even read: far beyond anything the site can export (a browser's longest string). */
const MAX_FILE_BYTES = 1_500_000_000;

/**
 * Read and check a file the reader picked. Resolves to {site, exported_at, entries,
 * records}; rejects with an EnvelopeError (stable code, Chinese message). There is no
 * size limit below what the site itself can export and store.
 * @param {File} file
 */
export async function readBackupFile(file) {
  const mb = `${Math.round(file.size / 1e6)} MB`;
  if (file.size > MAX_FILE_BYTES) throw new EnvelopeError("too_large", `文件太大（约 ${mb}），不像是本站导出的备份。`);
  let parsed;
  try {
    parsed = await parseInWorker(file);
  } catch (err) {
    if (!(err && err.fallback)) throw err;
    // No worker here: the same check on the page itself.
    let text;
    try {
      text = await file.text();
    } catch {
      throw new EnvelopeError(file.size > 200_000_000 ? "too_large" : "unreadable", file.size > 200_000_000 ? `文件太大（约 ${mb}），浏览器无法一次读入。` : "浏览器读不了这个文件。");
    }
    parsed = parseBackup(text);
  }
  return { ...parsed, records: Array.isArray(parsed.records) ? parsed.records : [] };
}

/**
 * parseBackup in a module worker (import-worker.js): the page only receives the
 * checked entries, a chunk per task. Rejects with an EnvelopeError for a bad file, or
 * with {fallback: true} when no worker can run here.
 */
function parseInWorker(file) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(new URL("./import-worker.js", import.meta.url), { type: "module" });
    } catch {
      reject({ fallback: true });
      return;
    }
    let head = null;
    const entries = [];
    worker.onmessage = (event) => {
      const m = event.data || {};
      if (m.head) head = m.head;
      else if (m.entries) for (const env of m.entries) entries.push(env);
      else if (m.done) {
        worker.terminate();
        resolve({ ...head, entries });
      } else if (m.error) {
        worker.terminate();
        reject(new EnvelopeError(m.error.code, m.error.message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject({ fallback: true });
    };
    worker.postMessage({ file });
  });
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * sync.planImport over slices of the file, yielding to the page between them: the same
 * plan, without one long task for thousands of entries. Each slice is planned against
 * just the local entries it can meet (same worksheet and id; or a kept copy, by its
 * name), so a slice costs the same whatever the number of local entries. Entries
 * added by an earlier slice count as present for the later ones (a file that holds
 * one entry twice).
 */
export async function planInChunks(incoming, existing, size = 400) {
  const idKey = (e) => `${e.worksheet}\u0000${e.id}`;
  const nameKey = (worksheet, name) => `${worksheet}\u0000${name}`;
  const byId = new Map();
  const byName = new Map();
  for (const e of existing) {
    if (!byId.has(idKey(e))) byId.set(idKey(e), e);
    const k = nameKey(e.worksheet, e.name);
    if (!byName.has(k)) byName.set(k, []);
    byName.get(k).push(e);
  }
  const plan = { items: [], counts: { add: 0, same: 0, conflict: 0 }, bySlug: {} };
  for (let i = 0; i < incoming.length || i === 0; i += size) {
    const slice = incoming.slice(i, i + size);
    const near = new Set();
    for (const env of slice) {
      const local = byId.get(idKey(env));
      if (local) near.add(local);
      for (const c of byName.get(nameKey(env.worksheet, clip(env.name + IMPORT_SUFFIX, LIMITS.nameChars))) || []) near.add(c);
    }
    const part = planImport(slice, [...near]);
    plan.items.push(...part.items);
    for (const k of Object.keys(plan.counts)) plan.counts[k] += part.counts[k];
    for (const [slug, c] of Object.entries(part.bySlug)) {
      const t = (plan.bySlug[slug] ??= { add: 0, same: 0, conflict: 0, names: [] });
      t.add += c.add;
      t.same += c.same;
      t.conflict += c.conflict;
      for (const n of c.names) t.names.push(n);
    }
    for (const it of part.items) if (it.status === "add" && !byId.has(idKey(it.env))) byId.set(idKey(it.env), it.env);
    if (i + size < incoming.length) await nextTask();
  }
  return plan;
}

/**
 * The dry-run dialog of an import: what the file holds, what importing would do.
 * @param {{slug: string, fileName: string, parsed: object, plan: object, titles: Record<string, string>, when: (iso: string) => string}} o
 * @returns {{spec: object, nothing: boolean, mode: () => "overwrite"|"keep-both"}} spec for Dialog.ask
 */
export function importDialog({ slug, fileName: name, parsed, plan, titles, when, newRecords = 0 }) {
  const { counts, bySlug } = plan;
  const title = (s) => titles[s] || s;
  const nothing = counts.add + counts.conflict === 0 && newRecords === 0;
  let overwrite = null;
  const records = (parsed.records || []).length;
  const spec = {
    kind: "import",
    title: "从备份恢复：先看看文件里有什么",
    desc: `文件“${name}”包含 ${parsed.entries.length} 个条目${records ? `和 ${records} 条其他记录（人员、行动等${newRecords < records ? `，其中 ${newRecords} 条是新的或更新的` : ""}）` : ""}${parsed.site ? `，来自“${parsed.site}”` : ""}${parsed.exported_at ? `，导出于 ${when(parsed.exported_at)}` : ""}。在您点“导入”之前，本机数据不会有任何改动。`,
    ok: "导入",
    noOk: nothing,
    cancel: nothing ? "关闭" : "取消",
    fill: (body) => {
      const table = el("table", { className: "ws-dialog__table" });
      table.dataset.wsImportSummary = "";
      const head = table.createTHead().insertRow();
      for (const h of ["工作表", "新增", "与本机相同（跳过）", "与本机冲突"]) head.append(el("th", { scope: "col" }, h));
      const tbody = table.createTBody();
      for (const [s, c] of Object.entries(bySlug)) {
        const row = tbody.insertRow();
        row.dataset.wsImportSlug = s;
        row.insertCell().textContent = title(s);
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
        li.append(el("span", { className: "ws-dialog__name" }, item.env.name), el("span", { className: "ws-dialog__tag" }, ` · ${title(item.env.worksheet)} · ${label[item.status]}`));
        list.append(li);
      }
      if (plan.items.length > 50) list.append(el("li", {}, `……另有 ${plan.items.length - 50} 个条目`));
      body.append(list);
      if (nothing) body.append(el("p", { className: "ws-dialog__note" }, "文件里的条目本机都已有，内容相同，不需要导入。"));
      if (counts.conflict) {
        const box = el("fieldset", { className: "ws-dialog__choice" });
        box.append(el("legend", {}, `${counts.conflict} 个条目与本机同一条目的内容不同，怎么处理？`));
        const radio = (value, text, checked) => {
          const id = `ws-${slug}-import-${value}`;
          const input = el("input", { type: "radio", name: "conflict", value, id, checked });
          input.dataset.wsImportMode = value;
          const row = el("div", { className: "ws-dialog__radio" });
          row.append(input, el("label", { htmlFor: id }, text));
          box.append(row);
          return input;
        };
        radio("keep-both", "两份都保留（推荐）：导入的一份另存为新条目，名称后加“（导入）”", true);
        overwrite = radio("overwrite", "用文件里的版本覆盖本机的版本（导入后可以撤销）", false);
        body.append(box);
      }
    },
  };
  return { spec, nothing, mode: () => (overwrite && overwrite.checked ? "overwrite" : "keep-both") };
}

const NO_PROGRESS = { show() {}, hide() {} };
const key = (e) => `${e.worksheet}.${e.id}`;
/** A few names, quoted, for a notice. */
const someNames = (envs, n = 3) => envs.slice(0, n).map((e) => `“${e.name}”`).join("、") + (envs.length > n ? " 等" : "");

/**
 * The whole import of a chosen file: read it, show the dry run, write on "导入" (in
 * chunks, with progress), and offer an undo. Nothing is written before the reader
 * confirms; a bad file changes nothing. The result says exactly how many entries were
 * saved, and names those that could only be kept in this page's memory (storage full).
 * Every outcome is told through `say(code, text, kind, action, reason)`.
 * @param {{file: File, slug: string, titles: Record<string, string>, store: object,
 *   ask: (spec: object) => Promise<boolean>, say: Function, reload: () => void, memoryOnly: () => void,
 *   progress?: {show: (done: number, total: number, what: string) => void, hide: () => void},
 *   exportSome?: (entries: object[]) => void, reveal?: () => void}} o
 *   store: storage.js; reload: show the current entry again after a change; exportSome:
 *   download these entries as a backup; reveal: bring the notice into view
 */
export async function importBackup({ file, slug, titles, store, ask, say, reload, memoryOnly, progress = NO_PROGRESS, exportSome, reveal = () => {} }) {
  let parsed;
  try {
    parsed = await readBackupFile(file);
  } catch (err) {
    const known = err instanceof EnvelopeError;
    say("import-failed", `无法导入“${file.name}”：${known ? err.message : "文件无法读取。"}本机数据没有任何改动。`, "error", undefined, known ? err.code : "unreadable");
    reveal();
    return;
  }
  await store.ready();
  const plan = await planInChunks(parsed.entries, store.allNow());
  // Workspace records: new ones, and newer versions of ones this browser holds.
  const recordsBefore = [];
  const records = [];
  for (const r of parsed.records) {
    const have = await store.getRecord(r.kind, r.id);
    if (!have || String(r.saved_at || "") > String(have.saved_at || "")) {
      records.push(r);
      recordsBefore.push(have ? { had: have } : { gone: { kind: r.kind, id: r.id } });
    }
  }
  const dialog = importDialog({ slug, fileName: file.name, parsed, plan, titles, when: timeText, newRecords: records.length });
  if (!(await ask(dialog.spec)) || dialog.nothing) return say("import-cancelled", "已取消导入，本机数据没有改动。", "info");
  const { put, replaced } = applyImport(plan, dialog.mode());
  const before = new Map(replaced.map((e) => [key(e), e]));
  const show = (done, total) => progress.show(done, total, "正在导入");
  let result;
  try {
    result = await store.putMany({ entries: put, records }, { onProgress: show });
  } finally {
    progress.hide();
  }
  reload();
  const others = put.filter((e) => e.worksheet !== slug).length;
  const recText = records.length ? `，${records.length} 条其他记录` : "";
  const skipped = plan.counts.same ? `，${plan.counts.same} 个与本机相同已跳过` : "";
  if (result.memoryOnly || result.failed.length) {
    // Say exactly what is on disk and what is not.
    const memoryIds = new Set(result.memoryIds);
    const unsaved = put.filter((e) => memoryIds.has(e.id));
    const savedCount = put.length - unsaved.length - result.failed.filter((id) => put.some((e) => e.id === id)).length;
    if (result.memoryOnly) memoryOnly();
    let text = `导入没有全部完成：文件中的 ${put.length} 个条目，已有 ${Math.max(0, savedCount)} 个保存在本机`;
    if (unsaved.length) text += `；另有 ${unsaved.length} 个（${someNames(unsaved)}）因浏览器存储已满，暂时只在本页内存中。请马上导出这些条目，或删除不需要的条目腾出空间（腾出后会自动写入本机）`;
    if (result.failed.length) text += `；${result.failed.length} 个无法保存`;
    say("import-partial", `${text}。`, "warning", unsaved.length && exportSome ? { id: "export-unsaved", label: `导出未保存的 ${unsaved.length} 个条目`, run: () => exportSome(unsaved) } : undefined);
    reveal();
    return;
  }
  const text = `已导入 ${put.length} 个条目${others ? `（其中 ${others} 个属于其他工作表，打开相应页面即可看到）` : ""}${recText}${skipped}。`;
  say("imported", text, "info", {
    label: "撤销导入",
    run: async () => {
      const restore = [];
      const remove = [];
      for (const env of put) {
        const old = before.get(key(env));
        if (old) restore.push(old);
        else remove.push({ slug: env.worksheet, id: env.id });
      }
      const restoreRecords = recordsBefore.filter((x) => x.had).map((x) => x.had);
      for (const x of recordsBefore) if (x.gone) remove.push(x.gone);
      try {
        await store.putMany({ entries: restore, records: restoreRecords, remove }, { onProgress: (d, t) => progress.show(d, t, "正在撤销导入") });
      } finally {
        progress.hide();
      }
      reload();
      say("import-undone", "已撤销导入，本机数据恢复到导入之前。", "info");
    },
  });
  reveal();
}

// ---- Markdown ----------------------------------------------------------------------------
//
// The Markdown a reader downloads is written by the engine (api.entry_markdown, through
// engine.evaluate(..., {name, saved}) → result.document_md), with Python's one escaper.
// entryMarkdown below is only the stand-in for when the engine cannot answer (still
// starting, failed to start, a worksheet it does not know): a plain transport that
// knows no Markdown rule, so there is no second escaper to keep in step.

/**
 * Text that no Markdown viewer reads as syntax: every ASCII punctuation character (all
 * that Markdown, HTML, autolinks and linkifiers are made of) becomes a numeric character
 * reference such as `&#60;`, which viewers show as the character itself and never as
 * markup; letters, digits, spaces and Chinese stay as typed. Line breaks become hard
 * breaks (blank lines dropped), so the text stays inside its paragraph.
 */
export function inert(text) {
  return String(text ?? "")
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "")
    .split(/\r\n|[\r\n\u2028\u2029\u0085\u000b\u000c]/)
    .map((line) => line.replace(/[\t ]+/g, " ").trim().replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`))
    .filter(Boolean)
    .join("  \n");
}

const optionLabel = (field, value) => {
  const o = (field.options || []).find((x) => x.value === value);
  return o ? o.label : String(value);
};

/**
 * A field's answer as plain text (no markup), or "" when empty: the chosen options'
 * labels for choices, rows as "1. a；b" for lists.
 */
export function answerText(field, value) {
  if (value === undefined || value === null) return "";
  if (field.kind === "multichoice") return (Array.isArray(value) ? value : []).map((v) => optionLabel(field, v)).join("、");
  if (field.kind === "choice" || field.kind === "select") return value === "" ? "" : optionLabel(field, value);
  if (field.kind === "list") {
    const rows = Array.isArray(value) ? value.filter((r) => r && typeof r === "object" && !Array.isArray(r)) : [];
    const subs = field.item_fields || [];
    return rows
      .map((row) => (subs.length ? subs.map((sub) => answerText(sub, row[sub.name])) : Object.values(row).map((x) => String(x ?? ""))).map((t) => t.trim()).filter(Boolean).join("；"))
      .filter(Boolean)
      .map((line, i) => `${i + 1}. ${line}`)
      .join("\n");
  }
  if (typeof value === "object") return "";
  return String(value).trim();
}

/**
 * The entry's answers as Markdown, for when the engine cannot write the document:
 * every text (the reader's and the definition's alike) goes through inert().
 * @param {object} definition the worksheet definition (sections, fields)
 * @param {{name: string, data: object}} env
 * @param {string} saved when it was saved, as the reader reads it ("" for not yet)
 */
export function entryMarkdown(definition, env, saved = "") {
  const lines = [`# ${inert(String(env.name ?? "").replace(/\s+/g, " ")) || inert(definition.title)}`, "",
    `${inert(definition.title)} · ${saved ? `保存于 ${inert(saved)}` : "尚未保存"}`, ""];
  for (const section of definition.sections || []) {
    const body = [];
    for (const f of section.fields || []) {
      const v = env.data[f.name];
      if (f.kind === "list") {
        const rows = Array.isArray(v) ? v.filter((r) => r && typeof r === "object" && !Array.isArray(r)) : [];
        const cells = rows.map((row) => (f.item_fields || []).map((sub) => {
          const t = answerText(sub, row[sub.name]).replace(/\s+/g, " ");
          return t ? `${inert(sub.label)}：${inert(t)}` : "";
        }).filter(Boolean)).filter((c) => c.length);
        if (!cells.length) continue;
        body.push(`**${inert(f.label)}**`, "");
        cells.forEach((c, i) => body.push(`${i + 1}. ${c.join("；")}`));
        body.push("");
      } else {
        const t = answerText(f, v);
        if (t) body.push(`**${inert(f.label)}**：${inert(t)}`, "");
      }
    }
    if (body.length) lines.push(`## ${inert(section.title)}`, "", ...body);
  }
  return lines.join("\n").trimEnd() + "\n";
}

// ---- print view ----------------------------------------------------------------------------

/** The answers as a <dl>, for a print without the engine's report. */
export function printAnswers(definition, data) {
  const dl = el("dl");
  for (const s of definition.sections || []) {
    for (const f of s.fields || []) {
      const text = answerText(f, data[f.name]);
      if (text) dl.append(el("dt", {}, f.label), el("dd", {}, text));
    }
  }
  return dl;
}

/**
 * Fill the print-only header, and the answers when there is no report to print.
 * @param {HTMLElement} root the [data-ws-root]
 * @param {{name: string, meta: string, answers: HTMLElement|null, target: boolean}} view
 *   target: printing this worksheet alone (the print button), not the browser's menu
 */
export function preparePrint(root, { name, meta, answers, target }) {
  const part = (hook, after) => {
    let node = root.querySelector(`[data-ws-${hook}]`);
    if (!node) {
      node = el("div", { className: `ws-${hook}` });
      node.setAttribute(`data-ws-${hook}`, "");
      after(node);
    }
    return node;
  };
  const head = part("print-head", (n) => root.querySelector("[data-ws-result]").before(n));
  head.replaceChildren(el("h2", { className: "ws-print-head__name" }, name), el("p", { className: "ws-print-head__meta" }, meta));
  part("print-answers", (n) => head.after(n)).replaceChildren(...(answers ? [answers] : []));
  root.classList.toggle("ws-print-has-report", !answers);
  if (target) {
    for (const node of document.querySelectorAll(".ws-print-target")) node.classList.remove("ws-print-target");
    document.body.classList.add("ws-printing");
    root.classList.add("ws-print-target");
  }
}

export function endPrint(root) {
  document.body.classList.remove("ws-printing");
  root.classList.remove("ws-print-target");
}
