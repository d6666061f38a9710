// Two tabs, one entry: what to do when this tab saves or hears of another tab's save,
// and what an import would do. Pure decisions: data in, a decision out. No DOM, no
// storage, no clock (the caller passes `now`), so `node --test tests/js/` replays every
// interleaving deterministically (tests/js/sync.test.mjs).
//
// Versions. Every write of an entry gets a fresh `vid`; `parent` names the vid the
// write was made from. A tab remembers the versions it has seen and held (`history`)
// and the ones it wrote itself (`myVids`). With that, any version another tab saved
// can be merged field by field against a version both tabs descend from:
//   - edits to different fields merge, whatever the timing (no spurious copy);
//   - the same field changed on both sides keeps both: ours becomes a new entry.

import { FORBIDDEN_KEYS, LIMITS, clip, newId } from "./envelope.js";

const MAX_REV = 2 ** 31 - 1;
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The version id of a stored entry (records from before vids existed: their revision). */
export const vidOf = (env) => (env && (env.vid || `r${env.rev}`)) || "";

// ---- comparing -----------------------------------------------------------------------

/** JSON with sorted keys: equal data gives equal text. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
}

const isEmptyValue = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
/** Field values are equal; every kind of "nothing" ("" / null / [] / missing) counts as the same. */
export const sameValue = (a, b) => (isEmptyValue(a) && isEmptyValue(b)) || canonical(a) === canonical(b);
export const sameData = (a, b) => {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  for (const k of keys) if (!sameValue(a?.[k], b?.[k])) return false;
  return true;
};

/**
 * Three-way merge of one entry's data, field by field: `base` is the last version both
 * sides shared, `theirs` what the other tab saved, `mine` what this tab holds now.
 * @returns {{data: object, conflicts: string[]}} `data` keeps mine where both changed.
 */
export function merge3(base, theirs, mine) {
  const data = {};
  const conflicts = [];
  const keys = new Set([...Object.keys(base || {}), ...Object.keys(mine || {}), ...Object.keys(theirs || {})]);
  for (const k of [...keys].sort()) {
    if (FORBIDDEN_KEYS.includes(k)) continue;
    const b = base?.[k];
    const m = mine?.[k];
    const t = theirs?.[k];
    let v;
    if (sameValue(m, t)) v = m;
    else if (sameValue(m, b)) v = t;
    else if (sameValue(t, b)) v = m;
    else {
      v = m;
      conflicts.push(k);
    }
    if (v !== undefined) data[k] = v;
  }
  return { data, conflicts };
}

// ---- what this tab knows ---------------------------------------------------------------

/**
 * What a tab knows of an entry's versions: every version it has seen (in a storage
 * event or a read), with its parent, and which of them it has held (shown, saved or
 * built on) — those are ancestors of what the tab holds now. Bounded: the oldest
 * versions fall out; a merge that needs a forgotten version keeps both copies instead.
 */
export class History {
  constructor(limit = 200) {
    this.limit = limit;
    /** @type {Map<string, {parent: string, data: object}>} */
    this.versions = new Map();
    this.held = new Set();
    /** How many versions this tab has heard of so far (grows with every new one). */
    this.learned = 0;
  }

  /** A version this tab has seen (another tab's save, read from storage). */
  see(env) {
    if (!env) return;
    const vid = vidOf(env);
    if (!this.versions.has(vid)) this.learned += 1;
    this.versions.delete(vid);
    this.versions.set(vid, { parent: env.parent || "", data: env.data });
    while (this.versions.size > this.limit) {
      const old = this.versions.keys().next().value;
      this.versions.delete(old);
      this.held.delete(old);
    }
  }

  /** A version this tab holds, or builds on: part of its own past from now on. */
  hold(env) {
    if (!env) return;
    this.see(env);
    this.held.add(vidOf(env));
  }

  has(vid) {
    return this.held.has(vid);
  }

  /** The data of a version this tab has held. */
  get(vid) {
    return this.held.has(vid) ? this.versions.get(vid).data : undefined;
  }

  /**
   * The nearest version on `theirs`'s line of parents that this tab has held: a common
   * ancestor of theirs and of what this tab holds. Its data, or undefined.
   */
  commonBase(theirs) {
    return this.lineage(theirs).data;
  }

  /**
   * Walk `theirs`'s line of parents. `data`: the nearest held version's data. `gap`:
   * the walk stopped at a version this tab has not heard of: not yet (the news of a
   * write can arrive after a read that already shows a later write built on it: the
   * browser's own copy is updated before the storage event runs, and a read of
   * IndexedDB is ahead of the BroadcastChannel), or not any more (forgotten).
   * @returns {{data: object|undefined, gap: boolean}}
   */
  lineage(theirs) {
    const seen = new Set();
    let vid = vidOf(theirs);
    while (vid && !seen.has(vid)) {
      if (this.held.has(vid)) return { data: this.versions.get(vid).data, gap: false };
      seen.add(vid);
      if (vid === vidOf(theirs)) vid = theirs.parent || "";
      else if (this.versions.has(vid)) vid = this.versions.get(vid).parent;
      else return { data: undefined, gap: true };
    }
    return { data: undefined, gap: false };
  }
}

/**
 * The data to merge against when `theirs` differs from `base` (the version this tab
 * holds): a version both descend from — `base` when theirs was made from it, else the
 * nearest one this tab knows (History.commonBase); else `base` itself when this tab
 * only ever read `base` (so `theirs` came after it). Undefined: no safe base.
 */
export function mergeBase(base, theirs, myVids, history) {
  if (theirs.parent && theirs.parent === vidOf(base)) return base.data;
  const common = history ? history.commonBase(theirs) : undefined;
  if (common !== undefined) return common;
  if (!myVids.has(vidOf(base))) return base.data;
  return undefined;
}

/**
 * True when no merge base is known for `theirs` only because this tab has not heard of
 * a version on its line yet: waiting for that news is the answer, not a copy.
 */
export const awaitsNews = (base, theirs, myVids, history) =>
  Boolean(history) && mergeBase(base, theirs, myVids, history) === undefined && history.lineage(theirs).gap;

/** True when `theirs` was made after seeing `base` (or this tab never wrote `base`). */
export const buildsOn = (theirs, base, myVids) => theirs.parent === vidOf(base) || !myVids.has(vidOf(base));

// ---- saving --------------------------------------------------------------------------------

/** How many saves in a row may wait with no news in between before both versions are kept. */
export const SAVE_WAITS = 3;

/**
 * A tab's count of saves that waited (decideSave said "wait"). News that arrives
 * between two waits starts the count again: waiting ends (`final`) only when the news
 * stopped coming, never while another tab is still busy saving.
 */
export class SaveWaits {
  constructor(history) {
    this.history = history;
    this.count = 0;
    this.mark = -1;
  }

  /** Pass as decideSave's `final`. */
  get final() {
    return this.count >= SAVE_WAITS;
  }

  waited() {
    this.count = this.history.learned === this.mark ? this.count + 1 : 1;
    this.mark = this.history.learned;
  }

  reset() {
    this.count = 0;
    this.mark = -1;
  }
}

/**
 * @typedef {{kind: "create", data: object}
 *   | {kind: "none", env: object}
 *   | {kind: "put", from: object, data: object, parent: string|null, merged?: boolean}
 *   | {kind: "copy", data: object, conflicts: string[]}
 *   | {kind: "wait"}} SaveDecision
 * create: a new entry. none: nothing to write (hold `env`). put: write a version made
 * from `from` (use nextVersion; history.hold(`from`): the new version descends
 * from it). copy: keep `data` as a new entry, leave the stored one.
 * `merged`: the written data holds the other tab's edits too (show them in the form).
 * wait: the stored version was made on one this tab has not heard of yet (its news is
 * on the way): write nothing, keep the edits unsaved and decide again when the news
 * arrives or shortly after. Never returned when `final` (the page is going away, or
 * the news never came): then both versions are kept ("copy").
 */

/**
 * What to write when this tab saves.
 * @param {{base: object|null, stored: object|null, mine: object, myVids: Set<string>, history?: History, final?: boolean}} state
 *   base: the version this tab holds; stored: what the browser holds now for base.id;
 *   mine: this tab's data (base's data with the form's values on top); final: no
 *   waiting ("wait" becomes "copy").
 * @returns {SaveDecision}
 */
export function decideSave({ base, stored, mine, myVids, history, final = false }) {
  if (!base) return { kind: "create", data: mine };
  // Deleted in another tab (or cleared) while this one kept typing: keep the entry.
  if (!stored) return { kind: "put", from: base, data: mine, parent: null };
  const vid = vidOf(stored);
  if (vid === vidOf(base)) {
    return sameData(mine, stored.data) ? { kind: "none", env: stored } : { kind: "put", from: stored, data: mine, parent: vid };
  }
  if (sameData(mine, stored.data)) return { kind: "none", env: stored };
  const ancestor = mergeBase(base, stored, myVids, history);
  if (ancestor === undefined) {
    if (!final && awaitsNews(base, stored, myVids, history)) return { kind: "wait" };
    return { kind: "copy", data: mine, conflicts: [] };
  }
  const { data, conflicts } = merge3(ancestor, stored.data, mine);
  if (conflicts.length) return { kind: "copy", data: mine, conflicts };
  return { kind: "put", from: stored, data, parent: vid, merged: !sameData(data, mine) };
}

/** The envelope a "put" writes: the next revision of `from` holding `data`. */
export function nextVersion(from, data, savedAt, parent, extra = {}) {
  const env = { ...from, ...extra, rev: Math.min(from.rev + 1, MAX_REV), saved_at: savedAt, data, parent: parent || undefined };
  delete env.vid;
  return env;
}

/**
 * @typedef {{kind: "resave"} | {kind: "deleted"} | {kind: "hold", env: object}
 *   | {kind: "accept", env: object} | {kind: "save"} | {kind: "wait"}} EventDecision
 * resave: deleted elsewhere, this tab has unsaved edits: save them (brings it back).
 * deleted: deleted elsewhere, nothing unsaved: say so, keep showing it.
 * hold: the same version (our own write echoed): hold `env`, nothing else.
 * accept: a later version made from ours: show it. save: merge now (decideSave).
 * wait: saved at the same moment as our last save, but the browser kept ours: the
 * other tab merges onto ours, and its version then arrives as "accept".
 */

/**
 * Another tab changed the entry this tab holds.
 * @param {{base: object, theirs: object|null, current: object|null, dirty: boolean, myVids: Set<string>}} state
 *   theirs: the version in the storage event; current: what the browser holds now.
 * @returns {EventDecision}
 */
export function reconcileStorageEvent({ base, theirs, current, dirty, myVids }) {
  if (!theirs) return { kind: dirty ? "resave" : "deleted" };
  if (vidOf(theirs) === vidOf(base)) return { kind: "hold", env: theirs };
  if (buildsOn(theirs, base, myVids)) return dirty ? { kind: "save" } : { kind: "accept", env: theirs };
  if (current && vidOf(current) === vidOf(base)) return { kind: "wait" };
  if (!dirty && sameData(base.data, theirs.data)) return { kind: "accept", env: theirs };
  return { kind: "save" };
}

// ---- import planning -----------------------------------------------------------------------

export const IMPORT_SUFFIX = "（导入）";
const key = (env) => `${env.worksheet}\u0000${env.id}`;

/**
 * What an import would do, without changing anything.
 * @param {object[]} incoming valid envelopes from parseBackup
 * @param {object[]} existing envelopes already in this browser
 * @returns {{items: {env: object, status: "add"|"same"|"conflict", existing?: object}[],
 *   counts: {add: number, same: number, conflict: number},
 *   bySlug: Record<string, {add: number, same: number, conflict: number, names: string[]}>}}
 */
export function planImport(incoming, existing) {
  const have = new Map(existing.map((e) => [key(e), e]));
  let byName = null;
  const items = [];
  for (const env of incoming) {
    const local = have.get(key(env));
    let item;
    if (!local) item = { env, status: "add" };
    else if (local.name === env.name && sameData(local.data, env.data)) item = { env, status: "same", existing: local };
    else {
      // Already imported once as a kept copy? Then there is nothing new.
      // Local entries by worksheet and name, made once: thousands of conflicts stay cheap.
      if (!byName) {
        byName = new Map();
        for (const e of existing) {
          const k = `${e.worksheet}\u0000${e.name}`;
          if (!byName.has(k)) byName.set(k, []);
          byName.get(k).push(e);
        }
      }
      const copyName = clip(env.name + IMPORT_SUFFIX, LIMITS.nameChars);
      const copy = (byName.get(`${env.worksheet}\u0000${copyName}`) || []).find((e) => sameData(e.data, env.data));
      item = copy ? { env, status: "same", existing: copy } : { env, status: "conflict", existing: local };
    }
    items.push(item);
    // A file that holds the same entry twice: the second meets the first.
    if (item.status === "add") have.set(key(env), env);
  }
  const counts = { add: 0, same: 0, conflict: 0 };
  const bySlug = {};
  for (const { env, status } of items) {
    counts[status] += 1;
    const s = (bySlug[env.worksheet] ??= { add: 0, same: 0, conflict: 0, names: [] });
    s[status] += 1;
    s.names.push(env.name);
  }
  return { items, counts, bySlug };
}

/**
 * The records to write for a plan. mode "keep-both" (default) stores a conflicting
 * entry as a new copy named "…（导入）"; "overwrite" replaces the local one.
 * @returns {{put: object[], replaced: object[]}} replaced = local versions overwritten (for undo)
 */
export function applyImport(plan, mode = "keep-both", makeId = newId) {
  const put = [];
  const replaced = [];
  for (const { env, status, existing } of plan.items) {
    if (status === "add") put.push(env);
    else if (status === "conflict" && mode === "overwrite") {
      replaced.push(existing);
      put.push({ ...env, id: existing.id, rev: Math.min(Math.max(existing.rev, env.rev) + 1, MAX_REV), vid: undefined, parent: existing.vid });
    } else if (status === "conflict") {
      put.push({ ...env, id: makeId(), name: clip(env.name + IMPORT_SUFFIX, LIMITS.nameChars), vid: undefined, parent: undefined });
    }
  }
  return { put, replaced };
}
