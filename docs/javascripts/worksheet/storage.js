// Local storage of worksheet entries. Nothing here talks to the network.
//
// Every entry is one localStorage record holding a versioned envelope (see
// envelope.js and worksheet_engine/schemas/entry.v1.schema.json). Keys are
// namespaced by the site's path, so two courses on one intranet host never mix:
//   "<site path>.ws.entry.<slug>.<id>"   one entry          e.g. "/training/.ws.entry.smart.lx3k…"
//   "<site path>.ws.meta"                current entry per worksheet, last backup time
// These key shapes are a stored format: never rename them (a renamed key hides
// saved work). Records are migrated on read; a record that cannot be read is left
// where it is, untouched, and counted (unreadableCount) so the page can say so.
//
// When storage is disabled or full, records live in memory and the page says so.

import { ENTRY_FORMAT, SCHEMA_VERSION, upgradeEnvelope, validateEnvelope, newId as makeId } from "./envelope.js";
import { validateRecord } from "./envelope.js"; // records (workspace), see the section at the end

export { ENTRY_FORMAT as FORMAT, SCHEMA_VERSION };

const siteRoot = new URL("../../", import.meta.url);
export const NAMESPACE = `${siteRoot.pathname}.ws.`;
const ENTRY_PREFIX = `${NAMESPACE}entry.`;
const META_KEY = `${NAMESPACE}meta`;

/** Records that could not be written to the browser's storage (storage off or full). */
const memory = new Map();
/** Keys removed while storage was failing: hide their stale stored copy. */
const removedInMemory = new Set();
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

/** True while some of this site's records exist only in this page's memory. */
export function hasMemoryOnly() {
  return memory.size > 0 || removedInMemory.size > 0;
}

/** Call fn(kind) now if storage is already in trouble, and on every change. */
export function onTrouble(fn) {
  troubleListeners.add(fn);
  if (health !== "ok") fn(health);
  return () => troubleListeners.delete(fn);
}

function setHealth(kind) {
  if (kind === health) return;
  health = kind;
  for (const fn of troubleListeners) fn(kind);
}

function rawGet(key) {
  if (memory.has(key)) return memory.get(key);
  if (removedInMemory.has(key) || !backend) return null;
  try {
    return backend.getItem(key);
  } catch {
    return null;
  }
}

const isQuota = (err) => Boolean(err) && (err.name === "QuotaExceededError" || err.code === 22 || err.code === 1014 || /quota/i.test(`${err.name} ${err.message}`));

function rawSet(key, value) {
  if (backend) {
    try {
      backend.setItem(key, value);
      memory.delete(key);
      removedInMemory.delete(key);
      if (health !== "ok") {
        setHealth("ok");
        drainMemory();
      }
      return true;
    } catch (err) {
      memory.set(key, value);
      setHealth(isQuota(err) ? "full" : "disabled");
      return false;
    }
  }
  memory.set(key, value);
  return false;
}

/** Storage works again: move what waited in memory into it. */
function drainMemory() {
  for (const [key, value] of [...memory]) {
    try {
      backend.setItem(key, value);
      memory.delete(key);
    } catch {
      return;
    }
  }
  for (const key of [...removedInMemory]) {
    try {
      backend.removeItem(key);
      removedInMemory.delete(key);
    } catch {
      return;
    }
  }
}

function rawRemove(key) {
  memory.delete(key);
  if (!backend) return;
  try {
    backend.removeItem(key);
    removedInMemory.delete(key);
  } catch {
    removedInMemory.add(key);
  }
}

function allKeys() {
  const keys = new Set(memory.keys());
  if (backend) {
    try {
      for (let i = 0; i < backend.length; i++) {
        const k = backend.key(i);
        if (k && k.startsWith(NAMESPACE) && !removedInMemory.has(k)) keys.add(k);
      }
    } catch {
      /* storage vanished: memory keys are all we have */
    }
  }
  return [...keys];
}

const entryKey = (slug, id) => `${ENTRY_PREFIX}${slug}.${id}`;

/** {slug, id} from an entry key, or null. */
function splitKey(key) {
  if (!key || !key.startsWith(ENTRY_PREFIX)) return null;
  const rest = key.slice(ENTRY_PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot < 1) return null;
  return { slug: rest.slice(0, dot), id: rest.slice(dot + 1) };
}

export const newId = () => makeId();

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Read one stored record: migrated to the current version, or null if unreadable. */
function readRecord(key) {
  const parts = splitKey(key);
  const raw = parse(rawGet(key));
  if (!parts || !raw) return null;
  try {
    const env = upgradeEnvelope(raw, { idHint: parts.id });
    // The key is where the record lives: it wins over whatever id the record claims.
    return env.worksheet === parts.slug && env.id === parts.id ? env : { ...env, worksheet: parts.slug, id: parts.id };
  } catch {
    return null;
  }
}

// ---- entries -------------------------------------------------------------------

let unreadable = 0;

/** @returns {object[]} entries of one worksheet, newest first */
export function listEntries(slug) {
  return listAll().filter((e) => e.worksheet === slug);
}

/** Every readable entry of this site, newest first. */
export function listAll() {
  const out = [];
  let bad = 0;
  for (const key of allKeys()) {
    if (!key.startsWith(ENTRY_PREFIX)) continue;
    const env = readRecord(key);
    if (env) out.push(env);
    else bad += 1; // an unreadable record is left in place (never deleted), just not listed
  }
  unreadable = bad;
  return out.sort((a, b) => (a.saved_at < b.saved_at ? 1 : a.saved_at > b.saved_at ? -1 : 0));
}

/** How many of this site's records the last listing could not read (kept untouched). */
export function unreadableCount() {
  return unreadable;
}

/** @returns {object|null} */
export function getEntry(slug, id) {
  return readRecord(entryKey(slug, id));
}

/**
 * Write an entry. Returns {saved: boolean (persisted, not just in memory), env}.
 * Every write gets a fresh version id (vid) unless `exact` (restoring a record as it
 * was: undo, import); `env.parent` should name the vid the write was made from.
 * @param {object} env a schema_version-1 envelope
 */
export function putEntry(env, { exact = false } = {}) {
  const clean = validateEnvelope(exact && env.vid ? env : { ...env, vid: makeId() });
  const saved = rawSet(entryKey(clean.worksheet, clean.id), JSON.stringify(clean));
  return { saved, env: clean };
}

export function deleteEntry(slug, id) {
  rawRemove(entryKey(slug, id));
}

/** A new entry; returns {saved, env}. */
export function createEntry(slug, worksheetVersion, name, data = {}, extra = {}) {
  const now = new Date().toISOString();
  return putEntry({
    format: ENTRY_FORMAT,
    schema_version: SCHEMA_VERSION,
    worksheet: slug,
    worksheet_version: worksheetVersion,
    id: makeId(),
    name,
    created_at: now,
    saved_at: now,
    rev: 0,
    data,
    ...extra,
  });
}

// ---- meta: current entry per worksheet, last backup ------------------------------

export function getMeta() {
  const meta = parse(rawGet(META_KEY));
  return meta && typeof meta === "object" && !Array.isArray(meta) ? meta : {};
}

export function setMeta(patch) {
  return rawSet(META_KEY, JSON.stringify({ ...getMeta(), ...patch }));
}

export function currentEntryId(slug) {
  const cur = getMeta().current;
  return cur && typeof cur === "object" && typeof cur[slug] === "string" ? cur[slug] : null;
}

export function setCurrentEntryId(slug, id) {
  const cur = getMeta().current;
  setMeta({ current: { ...(cur && typeof cur === "object" ? cur : {}), [slug]: id } });
}

// ---- clearing, and news from other tabs ---------------------------------------------

/** Written and removed at once after clearing: other tabs learn of it in order, after the removals. */
const CLEARED_KEY = `${NAMESPACE}cleared`;

/** Remove every record of this site (and only this site) from this browser. */
export function clearAll() {
  for (const key of allKeys()) rawRemove(key);
  memory.clear();
  removedInMemory.clear();
  if (!backend) return;
  try {
    backend.setItem(CLEARED_KEY, new Date().toISOString());
    backend.removeItem(CLEARED_KEY);
  } catch {
    /* no other tab can be listening to a storage we cannot write */
  }
}

/**
 * Read a storage event. Returns null when it is not about this site's entries,
 * {cleared: true} when the whole storage was cleared, else {slug, id, env|null}.
 */
export function entryChange(event) {
  if (event.storageArea && backend && event.storageArea !== backend) return null;
  if (event.key === null || (event.key === CLEARED_KEY && event.newValue)) return { cleared: true };
  const parts = splitKey(event.key);
  if (!parts) return null;
  let env = null;
  if (event.newValue) {
    try {
      env = upgradeEnvelope(JSON.parse(event.newValue), { idHint: parts.id });
    } catch {
      env = null;
      return { ...parts, env: null, unreadable: true };
    }
  }
  return { ...parts, env };
}

// ---- records (workspace) ----------------------------------------------------------------
// A minimal synchronous implementation of the record functions of STORAGE_API.md, until
// storage.js moves to IndexedDB (the `storage` branch replaces this section). Callers
// always `await` them, so they work unchanged once these return Promises.
//   "<site path>.ws.record.<kind>.<id>"   one record (a person, an action …)

export const RECORD_PREFIX = `${NAMESPACE}record.`;
const recordKey = (kind, id) => `${RECORD_PREFIX}${kind}.${id}`;

function readStoredRecord(key) {
  const raw = parse(rawGet(key));
  if (!raw) return null;
  try {
    return validateRecord(raw);
  } catch {
    return null; // left where it is, untouched
  }
}

/** @returns {object[]} the readable records of one kind (any order) */
export function listRecords(kind) {
  const prefix = `${RECORD_PREFIX}${kind}.`;
  const out = [];
  for (const key of allKeys()) {
    if (!key.startsWith(prefix)) continue;
    const rec = readStoredRecord(key);
    if (rec && rec.kind === kind) out.push(rec);
  }
  return out;
}

/** @returns {object|null} */
export function getRecord(kind, id) {
  const rec = readStoredRecord(recordKey(kind, id));
  return rec && rec.kind === kind && rec.id === id ? rec : null;
}

/** Write a record (saved_at set now). Returns {saved: boolean (persisted), record}. */
export function putRecord(record) {
  const clean = validateRecord({ ...record, saved_at: new Date().toISOString() });
  const saved = rawSet(recordKey(clean.kind, clean.id), JSON.stringify(clean));
  return { saved, record: clean };
}

export function deleteRecord(kind, id) {
  rawRemove(recordKey(kind, id));
}

/**
 * Write many entries and records (an import), exactly as given.
 * @returns {{saved: number, failed: string[], memoryOnly: number}}
 */
export function putMany({ entries = [], records = [] } = {}, { onProgress } = {}) {
  const total = entries.length + records.length;
  let saved = 0;
  let memoryOnly = 0;
  const failed = [];
  let done = 0;
  const step = (ok) => {
    if (ok) saved += 1;
    else memoryOnly += 1;
    done += 1;
    if (onProgress) onProgress(done, total);
  };
  for (const env of entries) {
    try {
      step(putEntry(env, { exact: true }).saved);
    } catch {
      failed.push(env && env.id);
      done += 1;
    }
  }
  for (const rec of records) {
    try {
      const clean = validateRecord(rec);
      step(rawSet(recordKey(clean.kind, clean.id), JSON.stringify(clean)));
    } catch {
      failed.push(rec && rec.id);
      done += 1;
    }
  }
  return { saved, failed, memoryOnly };
}

// ---- end of records (workspace) -----------------------------------------------------------
