// Local storage of worksheet entries. Nothing here talks to the network.
//
// Every entry is one localStorage record holding a versioned envelope
// (worksheet_engine/schemas/entry.v1.schema.json):
//   {format: "worksheet-entry", schema_version: 1, worksheet, worksheet_version,
//    id, name, created_at, saved_at, rev, completion, data}
// Keys are namespaced by the site's path, so two courses on one host never mix:
//   "<site path>.ws.entry.<slug>.<id>"   one entry
//   "<site path>.ws.meta"                current entry per worksheet, last backup time
// When storage is disabled or full, records live in memory and the page says so.

export const FORMAT = "worksheet-entry";
export const BACKUP_FORMAT = "worksheet-backup";
export const SCHEMA_VERSION = 1;

/** @typedef {{format: string, schema_version: number, worksheet: string, worksheet_version: number, id: string, name: string, created_at: string, saved_at: string, rev: number, completion?: number, data: object}} Envelope */

const siteRoot = new URL("../../", import.meta.url);
export const NAMESPACE = `${siteRoot.pathname}.ws.`;

const memory = new Map();
let backend = probe();
const troubleListeners = new Set();

function probe() {
  try {
    const ls = window.localStorage;
    const k = `${NAMESPACE}probe`;
    ls.setItem(k, "1");
    ls.removeItem(k);
    return ls;
  } catch {
    return null;
  }
}

/** "ok" | "disabled" | "full" */
let health = backend ? "ok" : "disabled";

export function storageHealth() {
  return health;
}

export function onTrouble(fn) {
  troubleListeners.add(fn);
  if (health !== "ok") fn(health);
  return () => troubleListeners.delete(fn);
}

function trouble(kind) {
  health = kind;
  for (const fn of troubleListeners) fn(kind);
}

function rawGet(key) {
  if (memory.has(key)) return memory.get(key);
  if (!backend) return null;
  try {
    return backend.getItem(key);
  } catch {
    return null;
  }
}

function rawSet(key, value) {
  if (backend) {
    try {
      backend.setItem(key, value);
      memory.delete(key);
      if (health !== "ok") {
        health = "ok";
        for (const fn of troubleListeners) fn("ok");
      }
      return true;
    } catch (err) {
      memory.set(key, value);
      trouble(err && /quota/i.test(`${err.name} ${err.message}`) ? "full" : "disabled");
      return false;
    }
  }
  memory.set(key, value);
  return false;
}

function rawRemove(key) {
  memory.delete(key);
  if (!backend) return;
  try {
    backend.removeItem(key);
  } catch {
    /* nothing to do: the record is gone from memory either way */
  }
}

function allKeys() {
  const keys = new Set(memory.keys());
  if (backend) {
    try {
      for (let i = 0; i < backend.length; i++) {
        const k = backend.key(i);
        if (k && k.startsWith(NAMESPACE)) keys.add(k);
      }
    } catch {
      /* storage vanished: memory keys are all we have */
    }
  }
  return [...keys];
}

const entryKey = (slug, id) => `${NAMESPACE}entry.${slug}.${id}`;
const META_KEY = `${NAMESPACE}meta`;

export function newId() {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  return `${Date.now().toString(36)}${rand[0].toString(36)}${rand[1].toString(36)}`.slice(0, 20);
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---- envelope validation and migration (pure; also used for imports) -------------

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG_RE = /^[a-z0-9_-]{1,40}$/;

/**
 * Migrate an envelope to SCHEMA_VERSION step by step; throws on what can't be read.
 * @param {any} env
 * @returns {Envelope}
 */
export function upgradeEnvelope(env) {
  if (!env || typeof env !== "object" || Array.isArray(env)) throw new Error("不是一个条目对象");
  if (env.format !== FORMAT) throw new Error("格式标记不是 worksheet-entry");
  let version = env.schema_version;
  if (!Number.isInteger(version)) throw new Error("缺少 schema_version");
  if (version > SCHEMA_VERSION) throw new Error(`条目来自更新版本的站点（schema_version ${version}），请先升级本站`);
  let out = { ...env };
  // Step-by-step migrations. v0 (pre-release drafts) kept fields at the top level.
  if (version === 0) {
    const { format, schema_version, worksheet, saved_at, ...rest } = out;
    out = { format, schema_version: 1, worksheet, worksheet_version: 1, saved_at, data: rest.data ?? rest };
    version = 1;
  }
  return validateEnvelope(out);
}

/** @returns {Envelope} a clean copy, or throws with a Chinese reason. */
export function validateEnvelope(env) {
  if (!SLUG_RE.test(String(env.worksheet || ""))) throw new Error("工作表名称无效");
  if (!env.data || typeof env.data !== "object" || Array.isArray(env.data)) throw new Error("data 应是对象");
  const now = new Date().toISOString();
  const id = ID_RE.test(String(env.id || "")) ? String(env.id) : newId();
  const saved = typeof env.saved_at === "string" && !Number.isNaN(Date.parse(env.saved_at)) ? env.saved_at : now;
  return {
    format: FORMAT,
    schema_version: SCHEMA_VERSION,
    worksheet: String(env.worksheet),
    worksheet_version: Number.isInteger(env.worksheet_version) ? env.worksheet_version : 1,
    id,
    name: typeof env.name === "string" && env.name.trim() ? env.name.slice(0, 120) : "未命名",
    created_at: typeof env.created_at === "string" && !Number.isNaN(Date.parse(env.created_at)) ? env.created_at : saved,
    saved_at: saved,
    rev: Number.isInteger(env.rev) && env.rev >= 0 ? env.rev : 0,
    completion: typeof env.completion === "number" && env.completion >= 0 && env.completion <= 1 ? env.completion : undefined,
    data: cleanData(env.data),
  };
}

/** Keep only JSON-safe values: strings, finite numbers, booleans, null, arrays and plain objects. */
function cleanData(value, depth = 0) {
  if (depth > 6) return null;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => cleanData(v, depth + 1));
  if (typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value).slice(0, 200)) {
      if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
      out[k] = cleanData(v, depth + 1);
    }
    return out;
  }
  return null;
}

// ---- entries -------------------------------------------------------------------

/** @returns {Envelope[]} entries of one worksheet, newest first */
export function listEntries(slug) {
  const prefix = `${NAMESPACE}entry.${slug}.`;
  const out = [];
  for (const key of allKeys()) {
    if (!key.startsWith(prefix)) continue;
    const env = parse(rawGet(key));
    try {
      out.push(upgradeEnvelope(env));
    } catch {
      /* an unreadable record is left in place (never deleted), just not listed */
    }
  }
  return out.sort((a, b) => (a.saved_at < b.saved_at ? 1 : -1));
}

export function listAll() {
  const out = [];
  for (const key of allKeys()) {
    if (!key.startsWith(`${NAMESPACE}entry.`)) continue;
    try {
      out.push(upgradeEnvelope(parse(rawGet(key))));
    } catch {
      /* skip unreadable */
    }
  }
  return out;
}

/** @returns {Envelope|null} */
export function getEntry(slug, id) {
  try {
    return upgradeEnvelope(parse(rawGet(entryKey(slug, id))));
  } catch {
    return null;
  }
}

/**
 * Write an entry. Returns {saved: boolean (persisted, not just in memory), env}.
 * @param {Envelope} env
 */
export function putEntry(env) {
  const clean = validateEnvelope(env);
  const saved = rawSet(entryKey(clean.worksheet, clean.id), JSON.stringify(clean));
  return { saved, env: clean };
}

export function deleteEntry(slug, id) {
  rawRemove(entryKey(slug, id));
}

export function createEntry(slug, worksheetVersion, name, data = {}) {
  const now = new Date().toISOString();
  return putEntry({
    format: FORMAT, schema_version: SCHEMA_VERSION, worksheet: slug, worksheet_version: worksheetVersion,
    id: newId(), name, created_at: now, saved_at: now, rev: 0, data,
  }).env;
}

// ---- meta: current entry per worksheet, last backup ------------------------------

export function getMeta() {
  const meta = parse(rawGet(META_KEY));
  return meta && typeof meta === "object" && !Array.isArray(meta) ? meta : {};
}

export function setMeta(patch) {
  rawSet(META_KEY, JSON.stringify({ ...getMeta(), ...patch }));
}

export function currentEntryId(slug) {
  const cur = getMeta().current;
  return cur && typeof cur[slug] === "string" ? cur[slug] : null;
}

export function setCurrentEntryId(slug, id) {
  const meta = getMeta();
  setMeta({ current: { ...(meta.current || {}), [slug]: id } });
}

/** Remove every record of this site (and only this site) from this browser. */
export function clearAll() {
  for (const key of allKeys()) rawRemove(key);
  memory.clear();
}

/** Parse a storage event into {slug, id, env|null} when it concerns one of our entries. */
export function entryChange(event) {
  if (!event.key || !event.key.startsWith(`${NAMESPACE}entry.`)) return null;
  const [slug, id] = event.key.slice(`${NAMESPACE}entry.`.length).split(".");
  let env = null;
  try {
    env = event.newValue ? upgradeEnvelope(JSON.parse(event.newValue)) : null;
  } catch {
    env = null;
  }
  return { slug, id, env };
}
