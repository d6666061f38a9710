// Local storage of worksheet entries and workspace records. Nothing here talks to the
// network. The contract for callers is /STORAGE_API (every function that reads or writes
// is async; `await ready()` first, or any of them does it).
//
// Where data lives, in order of preference:
//   1. IndexedDB, database "<site path>.ws.db" (e.g. "/training/.ws.db"), one record
//      per entry and per workspace record, one transaction per save; a save resolves
//      only once its transaction has completed. Object stores (keys are strings):
//        entries  "<slug>.<id>"  → entry envelope (envelope.js)
//        records  "<kind>.<id>"  → workspace record {kind, id, rev?, saved_at, ...}
//        meta     "meta"         → {current: {slug: id}, last_backup_at, ...}
//   2. localStorage, where IndexedDB is missing or will not open. Keys are namespaced
//      by the site's path, so two courses on one intranet host never mix:
//        "<site path>.ws.entry.<slug>.<id>"   one entry          e.g. "/training/.ws.entry.smart.lx3k…"
//        "<site path>.ws.record.<kind>.<id>"  one workspace record
//        "<site path>.ws.meta"                current entry per worksheet, last backup time
//      These key shapes (and the database name) are a stored format: never rename them.
//   3. This page's memory, when neither works or a write fails (storage full): the page
//      says so, and the writes are retried on a timer and after any successful write,
//      so they reach the disk as soon as space frees up.
//
// Migration: localStorage records written by earlier versions of the site (or while
// IndexedDB was unavailable) are copied into IndexedDB on opening, read back and
// compared, and only then removed from localStorage. A record that cannot be read
// (e.g. from a newer version of the site) is left exactly where it is and counted
// (unreadableCount), so the page can say so. An entry that exists in both places in
// different versions is kept twice (the localStorage one as a copy), never dropped.
//
// The page keeps an index of everything in memory, read once when the store opens:
// listing never re-reads the store, and a save touches only its own record. Other tabs
// hear of every change (BroadcastChannel; the storage event where localStorage is the
// store) and refresh just those records; onChange tells the page.

import { ENTRY_FORMAT, SCHEMA_VERSION, LIMITS, EnvelopeError, clip, cleanData, fnv1a, upgradeEnvelope, validateEnvelope, validateRecord, newId as makeId } from "./envelope.js";
import { sameData, vidOf } from "./sync.js";
import * as idb from "./idb.js";

export { ENTRY_FORMAT as FORMAT, SCHEMA_VERSION };

const siteRoot = new URL("../../", import.meta.url);
export const NAMESPACE = `${siteRoot.pathname}.ws.`;
const ENTRY_PREFIX = `${NAMESPACE}entry.`;
const RECORD_PREFIX = `${NAMESPACE}record.`;
const META_KEY = `${NAMESPACE}meta`;
/** Written and removed at once after clearing (localStorage store): other tabs learn of it. */
const CLEARED_KEY = `${NAMESPACE}cleared`;
const DB_NAME = `${NAMESPACE}db`;
const CHANNEL = `${NAMESPACE}changes`;
const STORES = ["entries", "records", "meta"];
/** Name suffix of the second copy kept when migration meets two versions of one entry. */
export const MIGRATED_COPY_SUFFIX = "（另一版本）";

const KIND_RE = /^[a-z][a-z0-9_-]{0,31}$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export const newId = () => makeId();

// ---- state ---------------------------------------------------------------------------

/** "idb" | "local" | "memory" once ready() has run. */
let backend = null;
/** @type {IDBDatabase|null} */
let db = null;
/** @type {Storage|null} */
let ls = null;
/** The index: slug → (id → envelope). */
const bySlug = new Map();
/** kind → (id → record). */
const recordIndex = new Map();
let meta = {};
/** Writes that exist only in this page's memory: "entry:<slug>.<id>" | "record:…" | "meta:meta" → op. */
const pending = new Map();
/** The newest write of each key (its sequence number): older results never override it. */
const latest = new Map();
/** Writes on their way: key → {s, done: Promise<boolean>}. */
const inflight = new Map();
/** id → the newest write of that key not yet known to be on disk (for the unload journal). */
const unconfirmed = new Map();
/** ids whose write journalUnconfirmed() also copied to localStorage. */
const journaled = new Set();
let seq = 0;
let unreadableStored = 0;
let unreadableLocal = 0;
let migrationPending = false;
const sorted = new Map();
let sortedAll = null;

/** "ok" | "disabled" | "full" */
let health = "ok";
const troubleListeners = new Set();
const changeListeners = new Set();
let channel = null;

export function storageHealth() {
  return health;
}

/** Which store holds the data: "idb" | "local" | "memory" (null before ready()). For tests and diagnosis. */
export function backendKind() {
  return backend;
}

/** True while some of this site's records exist only in this page's memory. */
export function hasMemoryOnly() {
  return pending.size > 0;
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

/** How many of this site's stored records could not be read (left untouched). */
export function unreadableCount() {
  return unreadableStored + unreadableLocal;
}

/**
 * fn(change) for news from other tabs: {store: "entry", slug, id, env|null, unreadable?}
 * | {store: "record", kind, id, record|null} | {cleared: true}. Returns an unsubscribe function.
 */
export function onChange(fn) {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

function emit(change) {
  for (const fn of changeListeners) {
    try {
      fn(change);
    } catch (err) {
      console.warn("storage change listener failed", err);
    }
  }
}

const isQuota = (err) => Boolean(err) && (err.name === "QuotaExceededError" || err.code === 22 || err.code === 1014 || /quota/i.test(`${err.name} ${err.message}`));

// ---- reading records ----------------------------------------------------------------------

/** "slug.id" → {slug, id} (neither holds a dot), or null. */
function splitKey(key) {
  if (typeof key !== "string") return null;
  const dot = key.indexOf(".");
  if (dot < 1 || dot === key.length - 1) return null;
  return { a: key.slice(0, dot), b: key.slice(dot + 1) };
}

/**
 * A stored entry value under `key` ("slug.id"), migrated to the current version; null if
 * unreadable. `trusted`: a value this site validated before writing it to IndexedDB
 * (the common case then costs nothing); anything else is checked in full.
 */
function readEntryValue(key, value, trusted = false) {
  const parts = splitKey(key);
  if (!parts || !isPlainObject(value)) return null;
  const { a: slug, b: id } = parts;
  if (trusted && value.format === ENTRY_FORMAT && value.schema_version === SCHEMA_VERSION && value.worksheet === slug && value.id === id && isPlainObject(value.data)) return value;
  try {
    const env = upgradeEnvelope(value, { idHint: id });
    // The key is where the record lives: it wins over whatever id the record claims.
    return env.worksheet === slug && env.id === id ? env : { ...env, worksheet: slug, id };
  } catch {
    return null;
  }
}

function readRecordValue(key, value) {
  const parts = splitKey(key);
  if (!parts || !isPlainObject(value) || value.kind !== parts.a || value.id !== parts.b) return null;
  return value;
}

const parseJson = (text) => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

// ---- the index --------------------------------------------------------------------------------

const entryKey = (slug, id) => `${slug}.${id}`;

/** Set (value) or remove (null) index.get(group).get(id). */
function setIn(index, group, id, value) {
  let m = index.get(group);
  if (value) {
    if (!m) index.set(group, (m = new Map()));
    m.set(id, value);
  } else if (m) {
    m.delete(id);
  }
}

function indexEntry(slug, id, env) {
  setIn(bySlug, slug, id, env);
  sorted.delete(slug);
  sortedAll = null;
}

const indexRecord = (kind, id, record) => setIn(recordIndex, kind, id, record);

function clearIndex() {
  bySlug.clear();
  recordIndex.clear();
  sorted.clear();
  sortedAll = null;
  meta = {};
}

const newestFirst = (a, b) => (a.saved_at < b.saved_at ? 1 : a.saved_at > b.saved_at ? -1 : 0);

/** This worksheet's entries, newest first, from the index (after ready()). Do not mutate. */
export function entriesNow(slug) {
  let list = sorted.get(slug);
  if (!list) {
    list = [...(bySlug.get(slug) || new Map()).values()].sort(newestFirst);
    sorted.set(slug, list);
  }
  return list;
}

/** Every entry of this site, newest first, from the index. Do not mutate. */
export function allNow() {
  if (!sortedAll) {
    sortedAll = [];
    for (const m of bySlug.values()) for (const env of m.values()) sortedAll.push(env);
    sortedAll.sort(newestFirst);
  }
  return sortedAll;
}

/** The entry as this page knows it (its own writes and other tabs' news included). */
export function entryNow(slug, id) {
  return (bySlug.get(slug) && bySlug.get(slug).get(id)) || null;
}

export function metaNow() {
  return { ...meta };
}

export function recordsNow(kind) {
  return [...(recordIndex.get(kind) || new Map()).values()];
}

export function currentEntryIdNow(slug) {
  const cur = meta.current;
  return cur && typeof cur === "object" && typeof cur[slug] === "string" ? cur[slug] : null;
}

// ---- writing ------------------------------------------------------------------------------------

const lsKeyOf = (op) => (op.kind === "entry" ? ENTRY_PREFIX + op.key : op.kind === "record" ? RECORD_PREFIX + op.key : META_KEY);
const storeOf = (op) => (op.kind === "entry" ? "entries" : op.kind === "record" ? "records" : "meta");

/** Write ops to the backend now. Resolves true when durable, false when they stay in memory. */
function persist(ops, durability) {
  if (backend === "idb") {
    const run = () => idb.write(db, ops.map((op) => ({ store: storeOf(op), key: op.key, value: op.value })), durability);
    const attempt = db ? run() : reopen().then(run);
    return attempt.then(
      () => true,
      (err) => {
        if (err && err.name === "InvalidStateError") db = null; // the connection closed under us: reopen next time
        setHealth(isQuota(err) ? "full" : "disabled");
        return false;
      },
    );
  }
  if (backend === "local") {
    try {
      for (const op of ops) {
        if (op.value === undefined) ls.removeItem(lsKeyOf(op));
        else ls.setItem(lsKeyOf(op), JSON.stringify(op.value));
      }
      return Promise.resolve(true);
    } catch (err) {
      setHealth(isQuota(err) ? "full" : "disabled");
      return Promise.resolve(false);
    }
  }
  return Promise.resolve(false);
}

let reopening = null;
function reopen() {
  if (!reopening) {
    reopening = idb.open(DB_NAME, STORES).then(
      (d) => {
        db = d;
        db.onclose = () => (db = null);
        reopening = null;
        return d;
      },
      (err) => {
        reopening = null;
        throw err;
      },
    );
  }
  return reopening;
}

/**
 * Apply ops (already in the index) to the store. Each op: {kind: "entry"|"record"|"meta",
 * key, value (undefined: delete), change?: the message other tabs get}. Resolves true
 * once durable; false when they are kept in memory (and retried later).
 */
function commit(ops, { durability = "strict" } = {}) {
  const stamped = ops.map((op) => {
    const id = `${op.kind}:${op.key}`;
    const s = ++seq;
    latest.set(id, s);
    return { ...op, id, s };
  });
  const done = persist(stamped, durability).then((ok) => {
    for (const op of stamped) {
      if (inflight.get(op.id) && inflight.get(op.id).s === op.s) inflight.delete(op.id);
      if (ok && unconfirmed.get(op.id) === op) {
        unconfirmed.delete(op.id);
        if (journaled.delete(op.id)) {
          try {
            ls.removeItem(lsKeyOf(op)); // on disk now: the journal copy is not needed
          } catch {
            /* the next visit's migration removes it */
          }
        }
      }
      if (latest.get(op.id) !== op.s) continue; // a newer write of this key decides
      if (ok) pending.delete(op.id);
      else pending.set(op.id, op);
    }
    if (ok) {
      announce(stamped.filter((op) => op.change).map((op) => op.change));
      afterSuccess();
    } else {
      scheduleRetry();
    }
    return ok;
  });
  for (const op of stamped) {
    inflight.set(op.id, { s: op.s, done });
    unconfirmed.set(op.id, op);
  }
  return done;
}

/**
 * The newest write of an entry, while it is on its way: a promise of "durable" (true)
 * or "kept in memory" (false). Null when no write is on its way; then `entryNow` is on
 * disk unless hasMemoryOnly() says some records are not (isMemoryOnly tells which).
 */
export function whenWritten(slug, id) {
  const w = inflight.get(`entry:${entryKey(slug, id)}`);
  return w ? w.done : null;
}

/** True while this entry's latest version exists only in this page's memory. */
export function isMemoryOnly(slug, id) {
  return pending.has(`entry:${entryKey(slug, id)}`);
}

function announce(changes) {
  if (!changes.length || backend !== "idb" || !channel) return;
  try {
    channel.postMessage({ changes });
  } catch (err) {
    console.warn("could not tell other tabs", err);
  }
}

let retryTimer = 0;
/** putMany calls running (write-back waits for them). */
let bulk = 0;
let retries = 0;
let draining = false;

function scheduleRetry() {
  if (retryTimer || backend === "memory" || backend === null) return;
  const delay = [1000, 2000, 3000][retries] || 5000;
  retries += 1;
  retryTimer = setTimeout(() => {
    retryTimer = 0;
    drain();
  }, delay);
}

function afterSuccess() {
  retries = 0;
  if (pending.size || migrationPending) drain();
  else setHealth("ok");
}

/** Storage may work again: write what waited in memory (and finish a migration). */
async function drain() {
  if (draining) return;
  if (bulk) return scheduleRetry(); // an import is writing: its own account must stay exact
  draining = true;
  try {
    if (migrationPending && backend === "idb") await migrate();
    const ops = [...pending.values()];
    for (let i = 0; i < ops.length; i += 200) {
      const part = ops.slice(i, i + 200).filter((op) => latest.get(op.id) === op.s && pending.get(op.id) === op);
      if (!part.length) continue;
      if (!(await commit(part.map(({ kind, key, value, change }) => ({ kind, key, value, change }))))) return;
    }
    if (!pending.size && !migrationPending) {
      retries = 0;
      setHealth("ok");
    } else if (migrationPending) scheduleRetry();
  } finally {
    draining = false;
  }
}

const entryOp = (env) => ({ kind: "entry", key: entryKey(env.worksheet, env.id), value: env, change: { store: "entry", slug: env.worksheet, id: env.id, env } });
const entryDeleteOp = (slug, id) => ({ kind: "entry", key: entryKey(slug, id), value: undefined, change: { store: "entry", slug, id, env: null } });
const recordOp = (r) => ({ kind: "record", key: entryKey(r.kind, r.id), value: r, change: { store: "record", kind: r.kind, id: r.id, record: r } });
const recordDeleteOp = (kind, id) => ({ kind: "record", key: entryKey(kind, id), value: undefined, change: { store: "record", kind, id, record: null } });

/** A fresh version of env (or env as it was, with `exact`), validated. Throws EnvelopeError. */
const cleanEntry = (env, exact) => validateEnvelope(exact && env.vid ? env : { ...env, vid: makeId() });

/**
 * Write an entry now (after ready()): the index changes at once and the write is
 * issued before this returns (so it also works while the page is closing).
 * `current`: also make it its worksheet's current entry, in the same transaction.
 * @returns {{env: object, saved: Promise<boolean>}} saved: durable on disk (false: only in memory)
 */
export function writeEntry(env, { exact = false, current = false } = {}) {
  const clean = cleanEntry(env, exact);
  indexEntry(clean.worksheet, clean.id, clean);
  const ops = [entryOp(clean)];
  if (current) ops.push(metaOp({ current: { ...(isPlainObject(meta.current) ? meta.current : {}), [clean.worksheet]: clean.id } }));
  return { env: clean, saved: commit(ops) };
}

/** Remove an entry now (after ready()); resolves true when durable. */
export function removeEntry(slug, id) {
  indexEntry(slug, id, null);
  return commit([entryDeleteOp(slug, id)]);
}

/** The envelope of a new entry (not yet written). */
export function buildEntry(slug, worksheetVersion, name, data = {}, extra = {}) {
  const now = new Date().toISOString();
  return {
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
    vid: makeId(),
  };
}

/** The op that writes meta with `patch` applied (the index changes at once). */
function metaOp(patch) {
  meta = { ...meta, ...patch };
  return { kind: "meta", key: "meta", value: { ...meta } };
}

function writeMeta(patch) {
  return commit([metaOp(patch)]);
}

/** Remember the current entry of a worksheet (after ready()); resolves true when durable. */
export function setCurrentEntryIdNow(slug, id) {
  const cur = meta.current;
  return writeMeta({ current: { ...(isPlainObject(cur) ? cur : {}), [slug]: id } });
}

// ---- entries (the contract) ------------------------------------------------------------

/** @returns {Promise<object[]>} entries of one worksheet, newest first */
export async function listEntries(slug) {
  await ready();
  return [...entriesNow(slug)];
}

/** Every readable entry of this site, newest first. */
export async function listAll() {
  await ready();
  return [...allNow()];
}

/** @returns {Promise<object|null>} */
export async function getEntry(slug, id) {
  await ready();
  return entryNow(slug, id);
}

/**
 * Write an entry. Resolves {saved: boolean (durable on disk, not just in memory), env}
 * once the write is durable (or has failed and is kept in memory).
 * Every write gets a fresh version id (vid) unless `exact` (restoring a record as it
 * was: undo, import); `env.parent` should name the vid the write was made from.
 */
export async function putEntry(env, { exact = false } = {}) {
  await ready();
  const w = writeEntry(env, { exact });
  return { saved: await w.saved, env: w.env };
}

export async function deleteEntry(slug, id) {
  await ready();
  return removeEntry(slug, id);
}

/** A new entry; resolves {saved, env}. */
export async function createEntry(slug, worksheetVersion, name, data = {}, extra = {}) {
  return putEntry(buildEntry(slug, worksheetVersion, name, data, extra), { exact: true });
}

// ---- meta: current entry per worksheet, last backup ----------------------------------------

export async function getMeta() {
  await ready();
  return metaNow();
}

export async function setMeta(patch) {
  await ready();
  return writeMeta(patch);
}

export async function currentEntryId(slug) {
  await ready();
  return currentEntryIdNow(slug);
}

export async function setCurrentEntryId(slug, id) {
  await ready();
  return setCurrentEntryIdNow(slug, id);
}

// ---- records (workspace data that is not a worksheet entry) ---------------------------------

/** A clean copy of a record, or throws EnvelopeError. */
function cleanRecord(r) {
  if (!isPlainObject(r) || typeof r.kind !== "string" || !KIND_RE.test(r.kind) || typeof r.id !== "string" || !ID_RE.test(r.id)) {
    throw new EnvelopeError("bad_record", "记录无效：缺少类别或编号。");
  }
  return validateRecord(cleanData(r));
}

/** Records of one kind (any order). */
export async function listRecords(kind) {
  await ready();
  return recordsNow(kind);
}

export async function getRecord(kind, id) {
  await ready();
  return (recordIndex.get(kind) && recordIndex.get(kind).get(id)) || null;
}

/** Write a record (sets saved_at); resolves {saved, record} once durable. */
export async function putRecord(record) {
  await ready();
  const clean = cleanRecord({ ...record, saved_at: new Date().toISOString() });
  indexRecord(clean.kind, clean.id, clean);
  return { saved: await commit([recordOp(clean)]), record: clean };
}

export async function deleteRecord(kind, id) {
  await ready();
  indexRecord(kind, id, null);
  return commit([recordDeleteOp(kind, id)]);
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Write many entries and records (an import, or its undo) in chunks, one transaction
 * each, yielding to the page between them. Entries keep their vid when they have one
 * (restored as they were); records keep their saved_at. `remove`: [{slug, id}] entries
 * and [{kind, id}] records to delete. onProgress(done, total) after every chunk.
 * @returns {Promise<{saved: number, failed: string[], memoryOnly: number, memoryIds: string[]}>}
 *   saved: durable on disk; failed: ids that could not be taken at all (invalid);
 *   memoryOnly / memoryIds: kept only in this page's memory (storage full), retried later.
 */
export async function putMany({ entries = [], records = [], remove = [] } = {}, { onProgress, chunk = 200 } = {}) {
  await ready();
  const failed = [];
  // What to write, checked a chunk at a time (never thousands in one task).
  const todo = [...entries.map((env) => ({ env })), ...records.map((record) => ({ record })), ...remove.map((gone) => ({ gone }))];
  const toItem = (x) => {
    try {
      if (x.env) return { id: x.env.id, op: entryOp(cleanEntry(x.env, true)) };
      if (x.record) return { id: x.record.id, op: recordOp(cleanRecord(x.record)) };
      return { id: x.gone.id, op: x.gone.kind ? recordDeleteOp(x.gone.kind, x.gone.id) : entryDeleteOp(x.gone.slug, x.gone.id) };
    } catch {
      const v = x.env || x.record;
      failed.push(String(v && v.id));
      return null;
    }
  };
  const items = [];
  const total = todo.length;
  let done = 0;
  let saved = 0;
  const memoryIds = [];
  if (onProgress) onProgress(0, total);
  const apply = (op) => {
    if (op.kind === "entry") {
      const p = splitKey(op.key);
      indexEntry(p.a, p.b, op.value || null);
    } else indexRecord(op.value ? op.value.kind : splitKey(op.key).a, op.value ? op.value.id : splitKey(op.key).b, op.value || null);
  };
  let full = false;
  // A chunk that does not fit is split in halves, down to single records: exactly
  // the records that fit are saved. Once one record alone does not fit, the rest are
  // tried a chunk at a time only.
  const writePart = async (part) => {
    if (await commit(part.map((x) => x.op))) return;
    if (part.length > 1 && !full && health === "full") {
      const half = Math.ceil(part.length / 2);
      await writePart(part.slice(0, half));
      await writePart(part.slice(half));
      return;
    }
    if (part.length === 1) full = true;
  };
  bulk += 1;
  try {
    for (let i = 0; i < todo.length; i += chunk) {
      const part = todo.slice(i, i + chunk).map(toItem).filter(Boolean);
      for (const x of part) {
        apply(x.op);
        items.push(x);
      }
      if (part.length) await writePart(part);
      done = Math.min(total, i + chunk);
      if (onProgress) onProgress(done, total);
      await nextTask();
    }
  } finally {
    bulk -= 1;
  }
  // The account: what is still waiting in memory is not on disk; everything else is.
  for (const x of items) {
    const key = `${x.op.kind}:${x.op.key}`;
    if (pending.has(key) && pending.get(key).value === x.op.value) memoryIds.push(x.id);
    else saved += 1;
  }
  return { saved, failed, memoryOnly: memoryIds.length, memoryIds };
}

// ---- clearing ----------------------------------------------------------------------------------

/** Remove every record of this site (and only this site) from this browser. */
export async function clearAll() {
  await ready();
  clearIndex();
  pending.clear();
  latest.clear(); // writes still on their way never come back as "pending"
  unreadableStored = 0;
  unreadableLocal = 0;
  migrationPending = false;
  if (backend === "idb") {
    try {
      await idb.write(db || (await reopen()), STORES.map((store) => ({ store, clear: true })));
    } catch (err) {
      console.warn("clearing the store failed", err);
    }
  }
  if (ls) {
    try {
      for (const key of localKeys()) ls.removeItem(key);
      ls.setItem(CLEARED_KEY, new Date().toISOString());
      ls.removeItem(CLEARED_KEY);
    } catch {
      /* nothing of ours can be left in a storage we cannot use */
    }
  }
  if (backend === "idb" && channel) channel.postMessage({ cleared: true });
  setHealth(backend === "memory" ? "disabled" : "ok");
}

// ---- opening, loading, migrating ------------------------------------------------------------------

function probeLocal() {
  try {
    const s = window.localStorage;
    const k = `${NAMESPACE}probe`;
    s.setItem(k, "1");
    s.removeItem(k);
    return s;
  } catch {
    return null;
  }
}

/** This site's localStorage keys. */
function localKeys() {
  const out = [];
  if (!ls) return out;
  try {
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (k && k.startsWith(NAMESPACE)) out.push(k);
    }
  } catch {
    /* storage vanished */
  }
  return out;
}

/** Read this site's localStorage records: {entries: [[lsKey, env|null]], records: [[lsKey, record|null]], meta}. */
function scanLocal() {
  const found = { entries: [], records: [], meta: null };
  for (const k of localKeys()) {
    let raw;
    try {
      raw = ls.getItem(k);
    } catch {
      continue;
    }
    if (k.startsWith(ENTRY_PREFIX)) found.entries.push([k, readEntryValue(k.slice(ENTRY_PREFIX.length), parseJson(raw))]);
    else if (k.startsWith(RECORD_PREFIX)) found.records.push([k, readRecordValue(k.slice(RECORD_PREFIX.length), parseJson(raw))]);
    else if (k === META_KEY) {
      const m = parseJson(raw);
      found.meta = isPlainObject(m) ? m : null;
    }
  }
  return found;
}

function loadLocal() {
  const found = scanLocal();
  unreadableLocal = 0;
  for (const [, env] of found.entries) {
    if (env) indexEntry(env.worksheet, env.id, env);
    else unreadableLocal += 1; // left in place (never deleted), just not listed
  }
  for (const [, r] of found.records) {
    if (r) indexRecord(r.kind, r.id, r);
    else unreadableLocal += 1;
  }
  meta = found.meta || {};
}

async function loadIdb() {
  const [es, rs, ms] = await Promise.all(STORES.map((s) => idb.readAll(db, s)));
  unreadableStored = 0;
  for (const [key, value] of es) {
    const env = readEntryValue(String(key), value, true);
    if (env) indexEntry(env.worksheet, env.id, env);
    else unreadableStored += 1;
  }
  for (const [key, value] of rs) {
    const r = readRecordValue(String(key), value);
    if (r) indexRecord(r.kind, r.id, r);
    else unreadableStored += 1;
  }
  const m = ms.find(([k]) => k === "meta");
  meta = m && isPlainObject(m[1]) ? m[1] : {};
}

/**
 * What migration does with an entry found in localStorage (`old`) when IndexedDB holds
 * `have` under the same key: "write" (copy it over), "skip" (IndexedDB holds it, or a
 * later version of it) or "copy" (two different versions: keep both).
 */
export function migrationStep(old, have) {
  if (!have) return "write";
  if ((old.vid && old.vid === have.vid) || (old.name === have.name && sameData(old.data, have.data))) return "skip";
  if (old.parent && old.parent === vidOf(have)) return "write";
  if (have.parent && have.parent === vidOf(old)) return "skip";
  return "copy";
}

/**
 * Copy localStorage records into IndexedDB, read them back, and only when every one
 * compares equal remove the old keys. Unreadable records stay where they are. Resolves
 * true when done (false: kept for a later attempt; the index lists everything anyway).
 */
async function migrate() {
  if (!ls) return true;
  const found = scanLocal();
  if (!found.entries.length && !found.records.length && !found.meta) {
    migrationPending = false;
    unreadableLocal = 0;
    return true;
  }
  const d = db || (await reopen());
  // Decide against what IndexedDB holds (not the index: it may list records a failed
  // earlier attempt could not store).
  const readable = found.entries.filter(([, env]) => env);
  const stored = await idb.getMany(d, "entries", readable.map(([, env]) => entryKey(env.worksheet, env.id)));
  const storedRecords = await idb.getMany(d, "records", found.records.filter(([, r]) => r).map(([, r]) => entryKey(r.kind, r.id)));
  const ops = [];
  const removable = [];
  let bad = found.entries.length - readable.length;
  readable.forEach(([k, old], i) => {
    const have = stored[i] === undefined ? null : readEntryValue(entryKey(old.worksheet, old.id), stored[i], true);
    const step = migrationStep(old, have);
    if (step === "write") ops.push(entryOp(old));
    else if (step === "copy") {
      // A stable id: a second attempt (after a failed one) writes the same copy again.
      const id = `${old.id.slice(0, 50)}-m${fnv1a(vidOf(old) + old.saved_at)}`;
      ops.push(entryOp({ ...old, id, vid: makeId(), parent: undefined, name: clip(`${old.name}${MIGRATED_COPY_SUFFIX}`, LIMITS.nameChars) }));
    }
    removable.push(k);
  });
  let r = 0;
  for (const [k, old] of found.records) {
    if (!old) {
      bad += 1;
      continue;
    }
    const have = storedRecords[r++];
    if (!have || String(old.saved_at || "") > String(have.saved_at || "")) ops.push(recordOp(old));
    removable.push(k);
  }
  if (found.meta) {
    const cur = { ...(isPlainObject(found.meta.current) ? found.meta.current : {}), ...(isPlainObject(meta.current) ? meta.current : {}) };
    const backups = [found.meta.last_backup_at, meta.last_backup_at].filter((v) => typeof v === "string").sort();
    const merged = { ...found.meta, ...meta, current: cur };
    if (backups.length) merged.last_backup_at = backups[backups.length - 1];
    meta = merged;
    ops.push({ kind: "meta", key: "meta", value: { ...merged } });
    removable.push(META_KEY);
  }
  unreadableLocal = bad;
  // The index lists them from now on, wherever they are stored.
  for (const op of ops) {
    if (op.kind === "entry") indexEntry(op.value.worksheet, op.value.id, op.value);
    else if (op.kind === "record") indexRecord(op.value.kind, op.value.id, op.value);
  }
  migrationPending = true;
  if (ops.length) {
    try {
      await idb.write(d, ops.map((op) => ({ store: storeOf(op), key: op.key, value: op.value })));
    } catch (err) {
      setHealth(isQuota(err) ? "full" : "disabled");
      scheduleRetry();
      return false;
    }
    // Read back and compare before anything is removed.
    const byStore = new Map();
    for (const op of ops) {
      const s = storeOf(op);
      if (!byStore.has(s)) byStore.set(s, []);
      byStore.get(s).push(op);
    }
    for (const [s, list] of byStore) {
      const back = await idb.getMany(d, s, list.map((op) => op.key));
      if (list.some((op, i) => JSON.stringify(back[i]) !== JSON.stringify(op.value))) {
        console.warn("migration read-back differs: old records kept");
        return false;
      }
    }
    announce(ops.filter((op) => op.change).map((op) => op.change));
  }
  for (const k of removable) {
    try {
      ls.removeItem(k);
    } catch {
      /* kept: migrated again next time, which finds them the same */
    }
  }
  migrationPending = false;
  return true;
}

// ---- news from other tabs ---------------------------------------------------------------------

/** Re-read the changed records (what the browser holds now) into the index, then tell the page. */
async function onMessage(msg) {
  if (!msg || typeof msg !== "object") return;
  if (msg.cleared) {
    clearIndex();
    pending.clear();
    latest.clear();
    emit({ cleared: true });
    return;
  }
  const changes = Array.isArray(msg.changes) ? msg.changes : [];
  const entryChanges = changes.filter((c) => c && c.store === "entry" && typeof c.slug === "string" && typeof c.id === "string");
  const recordChanges = changes.filter((c) => c && c.store === "record" && typeof c.kind === "string" && typeof c.id === "string");
  const keysE = entryChanges.map((c) => entryKey(c.slug, c.id));
  const keysR = recordChanges.map((c) => entryKey(c.kind, c.id));
  const seenE = keysE.map((k) => latest.get(`entry:${k}`));
  const seenR = keysR.map((k) => latest.get(`record:${k}`));
  let nowE;
  let nowR;
  try {
    const d = db || (await reopen());
    [nowE, nowR] = await Promise.all([keysE.length ? idb.getMany(d, "entries", keysE) : [], keysR.length ? idb.getMany(d, "records", keysR) : []]);
  } catch {
    // Cannot read: trust the message.
    nowE = entryChanges.map((c) => c.env || undefined);
    nowR = recordChanges.map((c) => c.record || undefined);
  }
  entryChanges.forEach((c, i) => {
    // This page wrote the key since the read was asked for: its own write is newer.
    if (latest.get(`entry:${keysE[i]}`) !== seenE[i] || pending.has(`entry:${keysE[i]}`)) return;
    indexEntry(c.slug, c.id, nowE[i] === undefined ? null : readEntryValue(keysE[i], nowE[i], true));
  });
  recordChanges.forEach((c, i) => {
    if (latest.get(`record:${keysR[i]}`) !== seenR[i] || pending.has(`record:${keysR[i]}`)) return;
    indexRecord(c.kind, c.id, nowR[i] === undefined ? null : readRecordValue(keysR[i], nowR[i]));
  });
  for (const c of entryChanges) {
    if (!c.env) {
      emit({ store: "entry", slug: c.slug, id: c.id, env: null });
      continue;
    }
    const env = readEntryValue(entryKey(c.slug, c.id), c.env);
    emit(env ? { store: "entry", slug: c.slug, id: c.id, env } : { store: "entry", slug: c.slug, id: c.id, env: null, unreadable: true });
  }
  for (const c of recordChanges) emit({ store: "record", kind: c.kind, id: c.id, record: c.record || null });
}

/** A storage event (localStorage store): update the index from what the browser holds now. */
function onStorageEvent(event) {
  if (backend !== "local") return;
  if (event.storageArea && event.storageArea !== ls) return;
  if (event.key === null || (event.key === CLEARED_KEY && event.newValue)) {
    clearIndex();
    pending.clear();
    latest.clear();
    loadLocal();
    emit({ cleared: true });
    return;
  }
  const key = event.key;
  if (key.startsWith(ENTRY_PREFIX)) {
    const k = key.slice(ENTRY_PREFIX.length);
    const parts = splitKey(k);
    if (!parts) return;
    if (!pending.has(`entry:${k}`)) {
      let current = null;
      try {
        current = readEntryValue(k, parseJson(ls.getItem(key)));
      } catch {
        current = null;
      }
      indexEntry(parts.a, parts.b, current);
    }
    if (!event.newValue) return emit({ store: "entry", slug: parts.a, id: parts.b, env: null });
    const env = readEntryValue(k, parseJson(event.newValue));
    emit(env ? { store: "entry", slug: parts.a, id: parts.b, env } : { store: "entry", slug: parts.a, id: parts.b, env: null, unreadable: true });
  } else if (key.startsWith(RECORD_PREFIX)) {
    const k = key.slice(RECORD_PREFIX.length);
    const parts = splitKey(k);
    if (!parts) return;
    const record = event.newValue ? readRecordValue(k, parseJson(event.newValue)) : null;
    if (!pending.has(`record:${k}`)) indexRecord(parts.a, parts.b, record);
    emit({ store: "record", kind: parts.a, id: parts.b, record });
  } else if (key === META_KEY && event.newValue) {
    const m = parseJson(event.newValue);
    if (isPlainObject(m) && !pending.has("meta:meta")) meta = m;
  }
}

/** Back from the back-forward cache: other tabs may have written meanwhile. Re-read, report differences. */
async function refreshAll() {
  const before = new Map(allNow().map((e) => [entryKey(e.worksheet, e.id), e]));
  if (backend === "idb") {
    clearIndex();
    await loadIdb();
  } else if (backend === "local") {
    clearIndex();
    loadLocal();
  } else return;
  for (const op of pending.values()) {
    if (op.kind === "entry") {
      const p = splitKey(op.key);
      indexEntry(p.a, p.b, op.value || null);
    }
  }
  const after = new Map(allNow().map((e) => [entryKey(e.worksheet, e.id), e]));
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k);
    const b = after.get(k);
    if (a && b && vidOf(a) === vidOf(b)) continue;
    const p = splitKey(k);
    emit({ store: "entry", slug: p.a, id: p.b, env: b || null });
  }
}

let opening = null;

/** Open the store (and migrate from localStorage once); safe to call many times. */
export function ready() {
  if (!opening) {
    opening = init().catch((err) => {
      // Never leave the page without a store: the memory, said so.
      console.warn("worksheet storage failed to open", err);
      if (backend !== "idb" && backend !== "local") {
        backend = "memory";
        setHealth("disabled");
      }
    });
  }
  return opening;
}

/**
 * The page is going away (or hidden, maybe for good) with IndexedDB writes still on
 * their way: a browser killed now could lose them. Copy those entries and records
 * synchronously to their localStorage keys as well; the next visit's migration takes
 * each one over when it is newer than what IndexedDB holds (an entry whose parent is the
 * stored version, migrationStep; a record with a later saved_at) and removes the key
 * once IndexedDB has it. A write confirmed before then removes its copy at once.
 */
function journalUnconfirmed() {
  if (backend !== "idb" || !ls) return;
  for (const op of [...unconfirmed.values(), ...pending.values()]) {
    // Entries and records (the meta record only names current entries: not worth it).
    if (op.kind === "meta" || op.value === undefined) continue;
    try {
      ls.setItem(lsKeyOf(op), JSON.stringify(op.value));
      journaled.add(op.id);
    } catch {
      return; // localStorage full or off: IndexedDB is all we have
    }
  }
}

async function init() {
  ls = probeLocal();
  // Registered after main.js's own pagehide/visibilitychange flush: its writes are in.
  window.addEventListener("pagehide", journalUnconfirmed);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") journalUnconfirmed();
  });
  if (idb.factory()) {
    try {
      db = await idb.open(DB_NAME, STORES);
      db.onclose = () => (db = null);
      backend = "idb";
    } catch (err) {
      console.warn("worksheet storage: IndexedDB unavailable, using localStorage", err && err.message);
      db = null;
    }
  }
  if (backend === "idb") {
    try {
      await loadIdb();
    } catch (err) {
      console.warn("worksheet storage: IndexedDB unreadable, using localStorage", err && err.message);
      clearIndex();
      backend = null;
      db = null;
    }
  }
  if (backend === "idb") {
    if (ls) {
      try {
        await migrate();
      } catch (err) {
        console.warn("worksheet storage: migration postponed", err && err.message);
        migrationPending = true;
        scheduleRetry();
      }
    }
  } else if (ls) {
    backend = "local";
    loadLocal();
  } else {
    backend = "memory";
    setHealth("disabled");
  }
  if (typeof BroadcastChannel === "function" && backend === "idb") {
    try {
      channel = new BroadcastChannel(CHANNEL);
      channel.onmessage = (event) => {
        onMessage(event.data).catch((err) => console.warn("storage news failed", err));
      };
    } catch {
      channel = null;
    }
  }
  window.addEventListener("storage", onStorageEvent);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) refreshAll().catch(() => {});
  });
}

