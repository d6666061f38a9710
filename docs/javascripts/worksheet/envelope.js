// The saved-data format, and its only owner: entry envelopes and backup files —
// validation, step-by-step migration, parsing, making. The browser is the only writer
// and must read its records before (and without) Python, so the rules live here; the
// trainer's Python report reads backups leniently, and the JSON Schema files
// (worksheet_engine/schemas/) document the format. tests/fixtures/backups/ with its
// manifest.json is the contract (tests/js/envelope.test.mjs). Pure functions: no DOM,
// no storage, no import.meta, so `node --test tests/js/` can load this file.
//
// A field's value in `data` is any JSON: text, a number, an array of strings (a
// multiple choice), or an array of row objects (a list field).
//
// Envelope (schema_version 1):
//   {format: "worksheet-entry", schema_version: 1, worksheet, worksheet_version,
//    id, name, created_at, saved_at, rev, completion?, vid?, parent?, person?, period?, data}
//   vid is a fresh id per write; parent is the vid of the version the write was
//   made from. Two tabs use them to tell "saved after seeing my version" from
//   "saved at the same time as me" (then both versions are kept).
//   person is the id of a person record (the agent the entry is about: ids, never
//   names, so renaming the agent or the entry keeps the link); period a short text
//   ("2026-11", "2026 Q4"). Both optional; older envelopes have neither.
// Envelope (schema_version 0, pre-release drafts), migrated to 1 on read:
//   {format: "worksheet-entry", schema_version: 0, slug, title?, updated?, values}
// Record (the agents' workspace: data that is not a worksheet entry):
//   {kind, id, rev?, saved_at, ...fields}; kind "person" {name, note?, created_at?},
//   "action" {person, text, owner?, due?, status: open|done, entry?, row?, type?, time?,
//   created_at?, done_at?}. Other kinds (from a newer site) are kept as they are.
// Backup file (schema_version 1):
//   {format: "worksheet-backup", schema_version: 1, site?, exported_at?, entries: [envelope…],
//    records?: [record…]}   (records: since the workspace; older backups have none)
// A single bare envelope is also accepted as a backup of one entry.

export const ENTRY_FORMAT = "worksheet-entry";
export const BACKUP_FORMAT = "worksheet-backup";
export const SCHEMA_VERSION = 1;
export const BACKUP_SCHEMA_VERSION = 1;

/** Limits of what a record or backup file may hold. */
export const LIMITS = Object.freeze({
  // A backup file's text, and its entries: far above what the site can export and
  // store (a browser's longest string is about 2^29 characters), so every backup the
  // site made restores where it was made.
  fileChars: 1_000_000_000,
  entries: 1_000_000,
  nameChars: 120, // an entry name (code points)
  records: 20000, // records in one backup
  personChars: 60, // a person's name
  periodChars: 60, // an entry's period
  stringChars: 100_000, // any one string (code points)
  depth: 6, // containers nested inside an entry's data
  docDepth: 10, // containers nested anywhere in a file
  keys: 500, // keys in one object
  items: 1000, // items in one array
});

/** Keys that could reach Object.prototype in careless code: a file holding one is refused. */
export const FORBIDDEN_KEYS = Object.freeze(["__proto__", "constructor", "prototype"]);

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG_RE = /^[a-z0-9_-]{1,40}$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;
const EPOCH = "1970-01-01T00:00:00.000Z";
const MAX_REV = 2 ** 31 - 1;

/** A problem with a file or record; `code` is stable, `message` is Chinese for the reader. */
export class EnvelopeError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "EnvelopeError";
    this.code = code;
  }
}

const fail = (code, message) => {
  throw new EnvelopeError(code, message);
};

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const own = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** Length in code points (what Python's len() counts). */
export function codePoints(s) {
  return s.length <= 1 ? s.length : [...s].length;
}

/** Cut a string to at most n code points. */
export function clip(s, n) {
  const str = String(s);
  return str.length <= n ? str : [...str].slice(0, n).join("");
}

/** A strict ISO 8601 date-time with an offset, on a real calendar day. */
export function isIsoDateTime(s) {
  if (typeof s !== "string") return false;
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1];
}

/** An integer (JSON 1.0 counts as 1, as in Python); booleans never do. */
const isInt = (v) => typeof v === "number" && Number.isInteger(v);

// ---- ids -------------------------------------------------------------------------

/** A fresh random id (time part + 64 random bits), safe in storage keys and file names. */
export function newId(now = Date.now()) {
  const rand = new Uint32Array(2);
  globalThis.crypto.getRandomValues(rand);
  return `${now.toString(36)}${rand[0].toString(36)}${rand[1].toString(36)}`.slice(0, 24);
}

/** FNV-1a (32 bit) over UTF-8 bytes, as 8 hex digits (names v0 records that had no id). */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

// ---- data --------------------------------------------------------------------------

/**
 * Check an entry's data (or any JSON value inside it) and return a clean copy made of
 * plain objects, arrays, strings, finite numbers, booleans and null. Throws EnvelopeError.
 */
export function cleanData(value, depth = 0) {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (value.length > LIMITS.stringChars && codePoints(value) > LIMITS.stringChars) {
      fail("too_long", `有一段文字超过 ${LIMITS.stringChars} 个字符，不像是工作表的内容。`);
    }
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail("bad_value", "数据里有无法识别的数字。");
    return value;
  }
  if (typeof value !== "object") fail("bad_value", "数据里有无法识别的值。");
  if (depth >= LIMITS.depth) fail("too_deep", "数据嵌套层次太深，不像是工作表的内容。");
  if (Array.isArray(value)) {
    if (value.length > LIMITS.items) fail("too_big", `一个列表超过 ${LIMITS.items} 项，不像是工作表的内容。`);
    return value.map((v) => cleanData(v, depth + 1));
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.keys) fail("too_big", `一个对象超过 ${LIMITS.keys} 个键，不像是工作表的内容。`);
  const out = {};
  for (const k of keys) {
    if (FORBIDDEN_KEYS.includes(k)) fail("forbidden_key", `包含不允许的键名“${k}”，可能是被篡改的文件。`);
    if (k.length > 200) fail("too_long", "数据里有一个键名太长。");
    Object.defineProperty(out, k, { value: cleanData(value[k], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Walk a whole parsed file before reading it: refuse forbidden keys anywhere and
 * nesting deeper than LIMITS.docDepth (so no later step recurses without bound).
 */
export function scanDocument(doc) {
  const stack = [[doc, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (depth >= LIMITS.docDepth) fail("too_deep", "文件的嵌套层次太深，不像是本站导出的备份。");
    if (Array.isArray(node)) {
      for (const v of node) stack.push([v, depth + 1]);
    } else {
      for (const k of Object.keys(node)) {
        if (FORBIDDEN_KEYS.includes(k)) fail("forbidden_key", `包含不允许的键名“${k}”，可能是被篡改的文件。`);
        stack.push([node[k], depth + 1]);
      }
    }
  }
}

// ---- envelopes ---------------------------------------------------------------------

const field = (name, why) => fail("bad_field", `字段 ${name} 无效：${why}。`);

/**
 * Check a schema_version-1 envelope and return a clean copy holding only the known
 * keys. Throws EnvelopeError (code + Chinese message) on anything it cannot trust.
 */
export function validateEnvelope(env) {
  if (!isPlainObject(env)) fail("bad_entry", "条目不是一个对象。");
  for (const k of Object.keys(env)) {
    if (FORBIDDEN_KEYS.includes(k)) fail("forbidden_key", `包含不允许的键名“${k}”，可能是被篡改的文件。`);
  }
  if (env.format !== ENTRY_FORMAT) fail("wrong_format", `条目的 format 不是 ${ENTRY_FORMAT}。`);
  if (env.schema_version !== SCHEMA_VERSION) fail("bad_version", `条目的格式版本应为 ${SCHEMA_VERSION}。`);
  if (typeof env.worksheet !== "string" || !SLUG_RE.test(env.worksheet)) field("worksheet", "应是小写字母、数字、- 或 _");
  if (!isInt(env.worksheet_version) || env.worksheet_version < 1 || env.worksheet_version > MAX_REV) field("worksheet_version", "应是正整数");
  if (typeof env.id !== "string" || !ID_RE.test(env.id)) field("id", "应由 1–64 个字母、数字、- 或 _ 组成");
  if (typeof env.name !== "string" || !env.name.trim()) field("name", "应是非空文字");
  if (codePoints(env.name) > LIMITS.nameChars) field("name", `不能超过 ${LIMITS.nameChars} 个字符`);
  if (!isIsoDateTime(env.created_at)) field("created_at", "应是 ISO 8601 时间");
  if (!isIsoDateTime(env.saved_at)) field("saved_at", "应是 ISO 8601 时间");
  if (!isInt(env.rev) || env.rev < 0 || env.rev > MAX_REV) field("rev", "应是不小于 0 的整数");
  const hasCompletion = own(env, "completion") && env.completion !== null;
  if (hasCompletion && !(typeof env.completion === "number" && env.completion >= 0 && env.completion <= 1)) {
    field("completion", "应是 0 到 1 之间的数");
  }
  for (const k of ["vid", "parent", "person"]) {
    if (own(env, k) && env[k] !== null && env[k] !== undefined && (typeof env[k] !== "string" || !ID_RE.test(env[k]))) field(k, "应由 1–64 个字母、数字、- 或 _ 组成");
  }
  if (own(env, "period") && env.period !== null && env.period !== undefined && (typeof env.period !== "string" || codePoints(env.period) > LIMITS.periodChars)) {
    field("period", `应是不超过 ${LIMITS.periodChars} 个字符的文字`);
  }
  if (!isPlainObject(env.data)) field("data", "应是对象");
  const out = {
    format: ENTRY_FORMAT,
    schema_version: SCHEMA_VERSION,
    worksheet: env.worksheet,
    worksheet_version: env.worksheet_version,
    id: env.id,
    name: env.name,
    created_at: env.created_at,
    saved_at: env.saved_at,
    rev: env.rev,
    data: cleanData(env.data),
  };
  if (hasCompletion) out.completion = env.completion;
  if (typeof env.vid === "string") out.vid = env.vid;
  if (typeof env.parent === "string") out.parent = env.parent;
  if (typeof env.person === "string") out.person = env.person;
  if (typeof env.period === "string" && env.period.trim()) out.period = env.period.trim();
  return out;
}

/**
 * Migrations, one step each: MIGRATIONS[n] turns a version-n envelope into version n+1.
 * Never drop a version from this table: old records must stay readable forever.
 */
export const MIGRATIONS = Object.freeze({
  /** v0 (pre-release drafts): slug/title/updated/values → worksheet/name/saved_at/data. */
  0(env, ctx) {
    const slug = env.slug;
    if (typeof slug !== "string" || !SLUG_RE.test(slug)) field("slug", "应是工作表名称");
    if (!isPlainObject(env.values)) field("values", "应是对象");
    const updated = isIsoDateTime(env.updated) ? env.updated : EPOCH;
    const title = typeof env.title === "string" && env.title.trim() ? clip(env.title, LIMITS.nameChars) : "未命名条目";
    const id = ctx.idHint && ID_RE.test(ctx.idHint) ? ctx.idHint : `v0-${fnv1a(`${slug}\n${updated}\n${title}`)}`;
    return {
      format: ENTRY_FORMAT,
      schema_version: 1,
      worksheet: slug,
      worksheet_version: 1,
      id,
      name: title,
      created_at: updated,
      saved_at: updated,
      rev: 0,
      data: env.values,
    };
  },
});

/**
 * Bring an envelope of any known version up to SCHEMA_VERSION, step by step, then
 * validate it. `idHint` (e.g. the id in a storage key) names records that had no id.
 * @returns {object} a valid current envelope
 */
export function upgradeEnvelope(raw, { idHint = "" } = {}) {
  if (!isPlainObject(raw)) fail("bad_entry", "条目不是一个对象。");
  if (raw.format !== ENTRY_FORMAT) fail("wrong_format", `条目的 format 不是 ${ENTRY_FORMAT}。`);
  let version = raw.schema_version;
  if (!isInt(version) || version < 0) fail("bad_version", "条目缺少有效的格式版本（schema_version）。");
  if (version > SCHEMA_VERSION) {
    fail("too_new", `条目来自更新版本的站点（格式版本 ${version}），本站只认识到版本 ${SCHEMA_VERSION}。请先升级本站。`);
  }
  let env = raw;
  while (version < SCHEMA_VERSION) {
    for (const k of Object.keys(env)) {
      if (FORBIDDEN_KEYS.includes(k)) fail("forbidden_key", `包含不允许的键名“${k}”，可能是被篡改的文件。`);
    }
    env = MIGRATIONS[version](env, { idHint });
    version += 1;
  }
  return validateEnvelope(env);
}

// ---- records (the agents' workspace) -------------------------------------------------

/** The record kinds this site knows; a backup's records of other kinds are kept as they are. */
export const RECORD_KINDS = Object.freeze(["person", "action"]);
export const ACTION_STATUS = Object.freeze(["open", "done"]);
export const ACTION_TYPES = Object.freeze(["action", "follow_up", "interview"]);
const KIND_RE = /^[a-z][a-z0-9_-]{0,30}$/;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day written YYYY-MM-DD (what <input type="date"> gives), on a real day. */
export function isIsoDay(s) {
  const m = typeof s === "string" && DAY_RE.exec(s);
  return Boolean(m) && isIsoDateTime(`${s}T00:00:00Z`);
}

const recordFail = (kind, name, why) => fail("bad_record", `${kind === "person" ? "人员" : kind === "action" ? "跟进事项" : "记录"}的字段 ${name} 无效：${why}。`);

/**
 * Check a record and return a clean copy. Known kinds keep only their known fields;
 * other kinds keep every field (cleaned like entry data). Throws EnvelopeError
 * ("bad_record", "forbidden_key", "too_long", …).
 */
export function validateRecord(rec) {
  if (!isPlainObject(rec)) fail("bad_record", "记录不是一个对象。");
  for (const k of Object.keys(rec)) {
    if (FORBIDDEN_KEYS.includes(k)) fail("forbidden_key", `包含不允许的键名“${k}”，可能是被篡改的文件。`);
  }
  const kind = rec.kind;
  if (typeof kind !== "string" || !KIND_RE.test(kind)) recordFail("", "kind", "应是小写字母开头的短词");
  if (typeof rec.id !== "string" || !ID_RE.test(rec.id)) recordFail(kind, "id", "应由 1–64 个字母、数字、- 或 _ 组成");
  if (!isIsoDateTime(rec.saved_at)) recordFail(kind, "saved_at", "应是 ISO 8601 时间");
  if (own(rec, "rev") && rec.rev !== undefined && (!isInt(rec.rev) || rec.rev < 0 || rec.rev > MAX_REV)) recordFail(kind, "rev", "应是不小于 0 的整数");
  if (own(rec, "created_at") && rec.created_at !== undefined && !isIsoDateTime(rec.created_at)) recordFail(kind, "created_at", "应是 ISO 8601 时间");
  const text = (name, max, required = false) => {
    const v = rec[name];
    if (v === undefined || v === null || v === "") {
      if (required) recordFail(kind, name, "不能为空");
      return "";
    }
    if (typeof v !== "string" || (required && !v.trim()) || codePoints(v) > max) recordFail(kind, name, required ? `应是 1–${max} 个字符的文字` : `应是不超过 ${max} 个字符的文字`);
    return v;
  };
  const out = { kind, id: rec.id, saved_at: rec.saved_at };
  if (isInt(rec.rev)) out.rev = rec.rev;
  if (typeof rec.created_at === "string") out.created_at = rec.created_at;
  if (kind === "person") {
    out.name = text("name", LIMITS.personChars, true).trim();
    const note = text("note", 500);
    if (note) out.note = note;
    return out;
  }
  if (kind === "action") {
    if (typeof rec.person !== "string" || !ID_RE.test(rec.person)) recordFail(kind, "person", "应是人员记录的 id");
    out.person = rec.person;
    out.text = text("text", 300, true).trim();
    out.owner = text("owner", 100);
    const due = rec.due ?? "";
    if (due !== "" && !isIsoDay(due)) recordFail(kind, "due", "应是 YYYY-MM-DD 格式的日期");
    out.due = due;
    if (!ACTION_STATUS.includes(rec.status)) recordFail(kind, "status", "应是 open 或 done");
    out.status = rec.status;
    if (own(rec, "type") && rec.type !== undefined) {
      if (!ACTION_TYPES.includes(rec.type)) recordFail(kind, "type", "应是 action、follow_up 或 interview");
      out.type = rec.type;
    }
    if (own(rec, "entry") && rec.entry !== undefined && rec.entry !== null && rec.entry !== "") {
      if (typeof rec.entry !== "string" || !ID_RE.test(rec.entry)) recordFail(kind, "entry", "应是条目的 id");
      out.entry = rec.entry;
    }
    const row = text("row", 200);
    if (row) out.row = row;
    const time = text("time", 10);
    if (time) out.time = time;
    if (own(rec, "done_at") && rec.done_at !== undefined && rec.done_at !== null) {
      if (!isIsoDateTime(rec.done_at)) recordFail(kind, "done_at", "应是 ISO 8601 时间");
      out.done_at = rec.done_at;
    }
    return out;
  }
  // A kind from a newer site: kept, cleaned like entry data.
  const rest = cleanData(rec);
  return { ...rest, ...out };
}

// ---- backup files ------------------------------------------------------------------

/** Build a backup document (what "export" writes): entries, and the workspace's records. */
export function makeBackup(entries, site, exportedAt = new Date().toISOString(), records = []) {
  return {
    format: BACKUP_FORMAT,
    schema_version: BACKUP_SCHEMA_VERSION,
    site: String(site || ""),
    exported_at: exportedAt,
    entries: entries.map((e) => validateEnvelope(e)),
    records: (records || []).map((r) => validateRecord(r)),
  };
}

/**
 * Read a backup file's text: every entry is checked and migrated, every record
 * checked, or nothing is returned at all (one bad entry or record refuses the whole
 * file). Backups from before the workspace have no records: `records` is then [].
 * @returns {{site: string, exported_at: string, entries: object[], records: object[]}}
 */
export function parseBackup(text) {
  if (typeof text !== "string" || !text.trim()) fail("empty", "文件是空的。");
  if (text.length > LIMITS.fileChars) fail("too_large", "文件太大，不像是本站导出的备份。");
  let doc;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    fail("not_json", "文件不是有效的 JSON：可能不完整（被截断）或已损坏。");
  }
  scanDocument(doc);
  if (!isPlainObject(doc)) fail("wrong_format", "这不是本站导出的备份文件（应以 { 开头，含 format 标记）。");
  let raw;
  let rawRecords = [];
  if (doc.format === BACKUP_FORMAT) {
    const v = doc.schema_version;
    if (!isInt(v) || v < 1) fail("bad_version", "备份文件缺少有效的格式版本（schema_version）。");
    if (v > BACKUP_SCHEMA_VERSION) {
      fail("too_new", `备份来自更新版本的站点（格式版本 ${v}），本站只认识到版本 ${BACKUP_SCHEMA_VERSION}。请先升级本站。`);
    }
    if (!Array.isArray(doc.entries)) fail("no_entries", "备份文件缺少条目列表（entries）。");
    raw = doc.entries;
    if (own(doc, "records") && doc.records !== undefined && doc.records !== null) {
      if (!Array.isArray(doc.records)) fail("bad_record", "备份文件的人员与跟进记录（records）不是一个列表。");
      rawRecords = doc.records;
    }
  } else if (doc.format === ENTRY_FORMAT) {
    raw = [doc];
  } else {
    fail("wrong_format", "这不是本站导出的备份文件（缺少 format 标记 worksheet-backup）。");
  }
  if (raw.length > LIMITS.entries) fail("too_many", `备份里的条目多得不正常（超过 ${LIMITS.entries} 条）。`);
  const entries = raw.map((env, i) => {
    try {
      return upgradeEnvelope(env);
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      throw new EnvelopeError(err.code, `第 ${i + 1} 个条目无法读取：${err.message}`);
    }
  });
  if (rawRecords.length > LIMITS.records) fail("too_many", `备份里的人员与跟进记录多得不正常（超过 ${LIMITS.records} 条）。`);
  const records = rawRecords.map((rec, i) => {
    try {
      return validateRecord(rec);
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      throw new EnvelopeError(err.code, `第 ${i + 1} 条人员与跟进记录无法读取：${err.message}`);
    }
  });
  const site = typeof doc.site === "string" ? clip(doc.site, 200) : "";
  const exportedAt = isIsoDateTime(doc.exported_at) ? doc.exported_at : "";
  return { site, exported_at: exportedAt, entries, records };
}
