// Two (or three) tabs editing one entry, replayed deterministically against the pure
// decisions of docs/javascripts/worksheet/sync.js. No timers and no real storage: a
// small model of the browser stands in, with the properties that make two-tab sync hard.
// Two transports:
//   - localStorage (today's storage.js): each tab reads and writes its own copy at once;
//     the write reaches the shared store later (a FIFO per tab), and the store tells the
//     other tabs later still (a FIFO per tab: acknowledgements and news, in order). While
//     a tab's own write of a key is on its way, news of other tabs' writes of that key
//     does not change its copy (Chromium's rule), but the storage event fires. With
//     `lateEvents`, as in Chromium, news updates the tab's copy at once and the storage
//     event runs later, as a task of its own: a read can show a version the tab has not
//     heard of yet, built on versions it has not heard of either.
//   - indexeddb (IndexedDB + BroadcastChannel): one shared store, always current; a
//     write is one transaction, and the other tabs hear of it later (a FIFO per tab). A
//     tab's saves and its handling of news run one after the other (a save that starts
//     while one is on its way runs when it lands).
// A scheduler picks which message moves next: named interleavings spell the order out,
// and seeded random schedules (same seeds every run) cover thousands more. A loaded
// machine changes only real time, which this test does not use, so it cannot produce a
// spurious conflict copy here.

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  History, SAVE_WAITS, SaveWaits, awaitsNews, canonical, decideSave, merge3, mergeBase, nextVersion, reconcileStorageEvent, sameData, vidOf,
} from "../../docs/javascripts/worksheet/sync.js";
import { validateEnvelope } from "../../docs/javascripts/worksheet/envelope.js";

const T0 = Date.parse("2026-03-01T09:00:00.000Z");

// ---- the browser model -----------------------------------------------------------------

class Browser {
  constructor({ eventsWhilePending = true, lateEvents = false, transport = "localStorage" } = {}) {
    this.lateEvents = lateEvents;
    this.idb = transport === "indexeddb";
    this.store = new Map();
    this.tabs = [];
    this.clock = 0;
    this.eventsWhilePending = eventsWhilePending;
  }

  now() {
    this.clock += 1;
    return new Date(T0 + this.clock).toISOString();
  }

  tab(name) {
    const t = new Tab(this, name);
    this.tabs.push(t);
    return t;
  }

  /** Deliver the oldest write on its way from `tab` to the store. */
  up(tab) {
    const { key, value } = tab.upstream.shift();
    const old = this.store.get(key) ?? null;
    if (value === null) this.store.delete(key);
    else this.store.set(key, value);
    if (this.idb) tab.landed(key); // the transaction completes
    else tab.downstream.push({ ack: key });
    for (const other of this.tabs) if (other !== tab) other.downstream.push({ key, old, value });
  }

  /** Deliver the oldest message from the store to `tab`. */
  down(tab) {
    tab.receive(tab.downstream.shift());
  }

  /** Moves that can happen now: [label, fn]. */
  moves() {
    const out = [];
    for (const t of this.tabs) {
      if (t.upstream.length) out.push([`${t.name}↑`, () => this.up(t)]);
      if (t.downstream.length && !t.busy()) out.push([`${t.name}↓`, () => this.down(t)]);
      if (t.events.length) out.push([`${t.name}⚡`, () => t.dispatch()]);
    }
    return out;
  }

  /** Deliver everything, in the order `pick` chooses, until nothing moves. */
  drain(pick = () => 0) {
    for (let guard = 0; guard < 10000; guard++) {
      const moves = this.moves();
      if (!moves.length) return;
      moves[pick(moves.length)][1]();
    }
    throw new Error("no quiescence");
  }

  /** Every readable entry in the shared store. */
  entries() {
    return [...this.store.values()].map((v) => JSON.parse(v));
  }
}

const keyOf = (id) => `entry.${id}`;

/** One tab: what controller.js does on save and on a storage event, with sync.js deciding. */
class Tab {
  constructor(browser, name) {
    this.b = browser;
    this.name = name;
    this.cache = new Map(browser.store);
    this.pending = new Map();
    this.upstream = [];
    this.downstream = [];
    /** Storage events due to run (lateEvents). */
    this.events = [];
    this.env = null;
    this.form = {};
    this.dirty = false;
    this.myVids = new Set();
    this.history = new History();
    this.serial = 0;
    this.notices = [];
    this.waits = new SaveWaits(this.history);
    this.owed = null;
  }

  // -- its own copy of the storage (localStorage), or the shared store (indexeddb)
  get(id) {
    const v = this.b.idb ? this.b.store.get(keyOf(id)) : this.cache.get(keyOf(id));
    return v ? JSON.parse(v) : null;
  }

  set(key, value) {
    if (!this.b.idb) {
      if (value === null) this.cache.delete(key);
      else this.cache.set(key, value);
    }
    this.pending.set(key, (this.pending.get(key) || 0) + 1);
    this.upstream.push({ key, value });
  }

  /** indexeddb: a save is on its way; news and further saves wait for it. */
  busy() {
    return this.b.idb && this.upstream.length > 0;
  }

  landed(key) {
    this.pending.set(key, this.pending.get(key) - 1);
    if (!this.busy() && this.owed) {
      const force = this.owed.force;
      this.owed = null;
      this.flush(force);
    }
  }

  receive(msg) {
    if (msg.ack) {
      this.pending.set(msg.ack, this.pending.get(msg.ack) - 1);
      return;
    }
    if (this.b.idb) return this.onStorage(msg.key, msg.value);
    const busy = this.pending.get(msg.key) > 0;
    if (!busy) {
      if (msg.value === null) this.cache.delete(msg.key);
      else this.cache.set(msg.key, msg.value);
    }
    if (busy && !this.b.eventsWhilePending) return;
    if (this.b.lateEvents) this.events.push(msg);
    else this.onStorage(msg.key, msg.value);
  }

  dispatch() {
    const msg = this.events.shift();
    this.onStorage(msg.key, msg.value);
  }

  put(env) {
    const clean = validateEnvelope({ ...env, vid: `${this.name}${++this.serial}` });
    this.set(keyOf(clean.id), JSON.stringify(clean));
    this.myVids.add(clean.vid);
    return clean;
  }

  create(data, name = "条目") {
    const at = this.b.now();
    return this.put({ format: "worksheet-entry", schema_version: 1, worksheet: "smart", worksheet_version: 1, id: `${this.name}e${this.serial + 1}`, name, created_at: at, saved_at: at, rev: 0, data });
  }

  hold(env) {
    this.env = env;
    this.history.hold(env);
  }

  // -- the page
  open(id) {
    const env = this.get(id);
    this.hold(env);
    this.form = { ...env.data };
    this.dirty = false;
  }

  type(patch) {
    this.form = { ...this.form, ...patch };
    this.dirty = true;
  }

  flush(force = false, final = false) {
    if (!this.dirty && !force) return;
    if (this.busy()) {
      this.owed = { force: force || Boolean(this.owed?.force) };
      return;
    }
    const base = this.env;
    const stored = base && this.get(base.id);
    this.history.see(stored);
    const d = decideSave({
      base, stored, mine: base ? { ...base.data, ...this.form } : { ...this.form }, myVids: this.myVids, history: this.history,
      final: final || this.waits.final,
    });
    if (d.kind === "wait") {
      // What controller.js does: keep the edits unsaved, try again on news or soon after.
      // Its retries are a timer's, far slower than news between tabs: a wait counts
      // only once this tab has no news on its way (the scheduler could starve it).
      if (!this.downstream.length && !this.events.length) this.waits.waited();
      this.dirty = true;
      return;
    }
    this.waits.reset();
    this.dirty = false;
    if (d.kind === "none") return this.hold(d.env);
    let env;
    if (d.kind === "create") env = this.create(d.data);
    else if (d.kind === "put") {
      this.history.hold(d.from); // what we build on is now part of our past
      env = this.put(nextVersion(d.from, d.data, this.b.now(), d.parent));
      if (d.merged) this.notices.push("merged");
    } else {
      env = this.create(d.data, `${base.name}（本页副本）`);
      this.notices.push("kept-copy");
    }
    this.hold(env);
    this.form = { ...env.data };
  }

  onStorage(key, value) {
    if (!this.env || key !== keyOf(this.env.id)) return;
    const theirs = value ? JSON.parse(value) : null;
    const current = this.get(this.env.id);
    this.history.see(theirs);
    this.history.see(current);
    const d = reconcileStorageEvent({ base: this.env, theirs, current, dirty: this.dirty, myVids: this.myVids });
    if (d.kind === "resave") this.flush();
    else if (d.kind === "hold") this.hold(d.env);
    else if (d.kind === "accept") {
      this.hold(d.env);
      this.form = { ...d.env.data };
    } else if (d.kind === "save") this.flush(true);
  }
}

/** A shared entry both tabs show: created by the first tab, synced to all. */
function setup(n = 2, options) {
  const b = new Browser(options);
  const tabs = ["A", "B", "C"].slice(0, n).map((name) => b.tab(name));
  tabs[0].type({ goal_text: "共同的起点", owner: "", why_relevant: "" });
  tabs[0].flush();
  b.drain();
  for (const t of tabs) t.open(tabs[0].env.id);
  return { b, tabs, id: tabs[0].env.id };
}

/** Let everything settle: deliver, then save whatever is still unsaved, until stable. */
function settle(b, pick) {
  for (let round = 0; round < 20; round++) {
    b.drain(pick);
    const dirty = b.tabs.filter((t) => t.dirty);
    if (!dirty.length) return;
    for (const t of dirty) t.flush();
  }
  throw new Error("did not settle");
}

/** Every tab shows exactly what the store holds for the entry it has open. */
function assertConverged(b) {
  for (const t of b.tabs) {
    const stored = JSON.parse(b.store.get(keyOf(t.env.id)));
    assert.equal(vidOf(t.env), vidOf(stored), `${t.name} holds an old version`);
    assert.ok(sameData(t.form, stored.data), `${t.name} shows ${canonical(t.form)}, the store has ${canonical(stored.data)}`);
  }
}

const copies = (b) => b.tabs.flatMap((t) => t.notices).filter((n) => n === "kept-copy").length;

/** A seeded PRNG (mulberry32): the same schedules on every run and every machine. */
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

// ---- the pure functions on their own --------------------------------------------------------

test("decideSave: create, fast-forward, nothing to write, resurrect", () => {
  const base = { id: "e1", vid: "v1", rev: 1, name: "x", data: { a: "1" } };
  assert.equal(decideSave({ base: null, stored: null, mine: { a: "x" }, myVids: new Set() }).kind, "create");
  assert.deepEqual(decideSave({ base, stored: base, mine: { a: "1" }, myVids: new Set(["v1"]) }), { kind: "none", env: base });
  assert.deepEqual(decideSave({ base, stored: base, mine: { a: "2" }, myVids: new Set() }), { kind: "put", from: base, data: { a: "2" }, parent: "v1" });
  assert.deepEqual(decideSave({ base, stored: null, mine: { a: "2" }, myVids: new Set(["v1"]) }), { kind: "put", from: base, data: { a: "2" }, parent: null });
});

test("decideSave: a later version built on ours merges; the same field changed makes a copy", () => {
  const base = { id: "e1", vid: "v1", rev: 1, data: { a: "1", b: "1" } };
  const theirs = { id: "e1", vid: "w2", parent: "v1", rev: 2, data: { a: "1", b: "theirs" } };
  const d = decideSave({ base, stored: theirs, mine: { a: "mine", b: "1" }, myVids: new Set(["v1"]) });
  assert.deepEqual(d, { kind: "put", from: theirs, data: { a: "mine", b: "theirs" }, parent: "w2", merged: true });
  const c = decideSave({ base, stored: theirs, mine: { a: "1", b: "mine" }, myVids: new Set(["v1"]) });
  assert.deepEqual(c, { kind: "copy", data: { a: "1", b: "mine" }, conflicts: ["b"] });
});

test("decideSave: a sibling (saved at the same moment as ours) merges against the shared parent", () => {
  const parent = { id: "e1", vid: "p", rev: 1, data: { a: "", b: "" } };
  const ours = { id: "e1", vid: "m", parent: "p", rev: 2, data: { a: "A", b: "" } };
  const theirs = { id: "e1", vid: "t", parent: "p", rev: 2, data: { a: "", b: "B" } };
  const history = new History();
  history.hold(parent);
  history.hold(ours);
  history.see(theirs);
  const d = decideSave({ base: ours, stored: theirs, mine: ours.data, myVids: new Set(["m"]), history });
  assert.deepEqual(d, { kind: "put", from: theirs, data: { a: "A", b: "B" }, parent: "t", merged: true });
  // Without the shared parent (not heard of yet, or forgotten), nothing can be merged
  // safely: wait for the news, and when waiting is over (final), keep both.
  const unknown = { base: ours, stored: theirs, mine: ours.data, myVids: new Set(["m"]), history: new History() };
  assert.equal(decideSave(unknown).kind, "wait");
  assert.equal(decideSave({ ...unknown, final: true }).kind, "copy");
});

test("decideSave waits for news of a version it read past; the news resolves it into a merge", () => {
  // B held v0 and wrote b1; A wrote a1 and a2 on b1. B reads a2 before hearing of a1.
  const v0 = { id: "e1", vid: "v0", rev: 0, data: { a: "", b: "" } };
  const b1 = { id: "e1", vid: "b1", parent: "v0", rev: 1, data: { a: "", b: "B" } };
  const a1 = { id: "e1", vid: "a1", parent: "b1", rev: 2, data: { a: "A", b: "B" } };
  const a2 = { id: "e1", vid: "a2", parent: "a1", rev: 3, data: { a: "AA", b: "B" } };
  const history = new History();
  history.hold(v0);
  history.hold(b1);
  history.see(a2);
  const state = { base: b1, stored: a2, mine: { a: "", b: "BB" }, myVids: new Set(["b1"]), history };
  assert.equal(awaitsNews(b1, a2, state.myVids, history), true);
  assert.deepEqual(decideSave(state), { kind: "wait" });
  history.see(a1); // the storage event (or broadcast) for a1 arrives
  assert.equal(awaitsNews(b1, a2, state.myVids, history), false);
  assert.deepEqual(decideSave(state), { kind: "put", from: a2, data: { a: "AA", b: "BB" }, parent: "a2", merged: true });
  // A root (no parent) or a loop is no gap: nothing more will come, keep both at once.
  assert.equal(decideSave({ ...state, stored: { ...a2, vid: "x", parent: undefined } }).kind, "copy");
  const loop = new History();
  loop.hold(b1);
  loop.see({ vid: "y", parent: "x", data: {} });
  assert.equal(decideSave({ ...state, history: loop, stored: { ...a2, vid: "x", parent: "y" } }).kind, "copy");
});

test("mergeBase: the nearest version both sides descend from; History forgets the oldest", () => {
  const h = new History(3);
  h.hold({ vid: "a", data: { v: "a" } });
  h.see({ vid: "b", parent: "a", data: { v: "b" } }); // another tab's, only seen
  h.hold({ vid: "c", parent: "a", data: { v: "c" } });
  const base = { vid: "c", data: { v: "c" } };
  // theirs ← b ← a: a is the nearest version this tab held.
  assert.deepEqual(mergeBase(base, { vid: "t", parent: "b" }, new Set(["c"]), h), { v: "a" });
  assert.deepEqual(mergeBase(base, { vid: "t", parent: "c" }, new Set(["c"]), h), { v: "c" });
  assert.deepEqual(mergeBase(base, { vid: "t", parent: "zzz" }, new Set(), h), { v: "c" }, "we only read base");
  assert.equal(mergeBase(base, { vid: "t", parent: "zzz" }, new Set(["c"]), h), undefined);
  assert.equal(h.get("b"), undefined, "seen, never held: not a base");
  h.see({ vid: "d", data: {} });
  assert.equal(h.has("a"), false, "the oldest fell out");
  // A loop of parents (a hand-edited file) ends the walk.
  const loop = new History();
  loop.see({ vid: "x", parent: "y", data: {} });
  loop.see({ vid: "y", parent: "x", data: {} });
  assert.equal(loop.commonBase({ vid: "x", parent: "y" }), undefined);
});

test("reconcileStorageEvent: every case", () => {
  const base = { id: "e1", vid: "v1", rev: 1, data: { a: "1" } };
  const mine = new Set(["v1"]);
  assert.equal(reconcileStorageEvent({ base, theirs: null, current: null, dirty: true, myVids: mine }).kind, "resave");
  assert.equal(reconcileStorageEvent({ base, theirs: null, current: null, dirty: false, myVids: mine }).kind, "deleted");
  assert.equal(reconcileStorageEvent({ base, theirs: base, current: base, dirty: false, myVids: mine }).kind, "hold");
  const later = { ...base, vid: "w2", parent: "v1", data: { a: "2" } };
  assert.equal(reconcileStorageEvent({ base, theirs: later, current: later, dirty: false, myVids: mine }).kind, "accept");
  assert.equal(reconcileStorageEvent({ base, theirs: later, current: later, dirty: true, myVids: mine }).kind, "save");
  const sibling = { ...base, vid: "w2", parent: "v0", data: { a: "2" } };
  assert.equal(reconcileStorageEvent({ base, theirs: sibling, current: base, dirty: false, myVids: mine }).kind, "wait");
  assert.equal(reconcileStorageEvent({ base, theirs: sibling, current: sibling, dirty: false, myVids: mine }).kind, "save");
  assert.equal(reconcileStorageEvent({ base, theirs: { ...sibling, data: { a: "1" } }, current: sibling, dirty: false, myVids: mine }).kind, "accept");
});

test("nextVersion: next revision, fresh vid to come, parent named", () => {
  const from = { id: "e1", vid: "v1", rev: 4, saved_at: "x", data: {} };
  assert.deepEqual(nextVersion(from, { a: "1" }, "2026-01-01T00:00:00.000Z", "v1", { completion: 0.5 }), { id: "e1", rev: 5, saved_at: "2026-01-01T00:00:00.000Z", data: { a: "1" }, parent: "v1", completion: 0.5 });
  assert.equal("vid" in nextVersion(from, {}, "t", null), false);
  assert.equal(nextVersion(from, {}, "t", null).parent, undefined);
  assert.deepEqual(merge3({ a: "1" }, { a: "1" }, { a: "1" }), { data: { a: "1" }, conflicts: [] });
});

// ---- named interleavings ------------------------------------------------------------------

for (const eventsWhilePending of [true, false]) {
  const mode = eventsWhilePending ? "" : " (no event while a write is pending)";

  test(`both tabs save different fields in the same tick: one entry, both edits, no copy${mode}`, () => {
    const { b, tabs: [a, bb] } = setup(2, { eventsWhilePending });
    a.type({ owner: "A 填的责任人" });
    bb.type({ why_relevant: "B 填的关系" });
    a.flush();
    bb.flush();
    // Both writes reach the store before either tab hears of the other's.
    b.up(a);
    b.up(bb);
    settle(b);
    const entries = b.entries();
    assert.equal(entries.length, 1, canonical(entries));
    assert.deepEqual([entries[0].data.owner, entries[0].data.why_relevant, entries[0].data.goal_text], ["A 填的责任人", "B 填的关系", "共同的起点"]);
    assert.equal(copies(b), 0);
    assertConverged(b);
  });

  test(`both tabs save the same field in the same tick: exactly one conflict copy${mode}`, () => {
    const { b, tabs: [a, bb], id } = setup(2, { eventsWhilePending });
    a.type({ goal_text: "A 的版本" });
    bb.type({ goal_text: "B 的版本" });
    a.flush();
    bb.flush();
    b.up(a);
    b.up(bb);
    settle(b);
    assert.deepEqual(b.entries().map((e) => e.data.goal_text).sort(), ["A 的版本", "B 的版本"]);
    assert.equal(copies(b), 1);
    assert.equal(b.entries().filter((e) => e.id !== id).length, 1, "the copy is a new entry; the original keeps its id");
    assertConverged(b);
  });

  test(`one tab saves while the other is mid-merge: nothing lost, no copy${mode}`, () => {
    const { b, tabs: [a, bb] } = setup(2, { eventsWhilePending });
    bb.type({ why_relevant: "B 正在填" });
    a.type({ owner: "A 第一次" });
    a.flush();
    b.up(a);
    b.down(bb); // B hears of A's save while it has unsaved edits: it merges and writes…
    assert.equal(bb.upstream.length, 1, "B wrote its merge");
    a.type({ goal_text: "A 第二次" }); // …and before B's merge arrives, A saves again on its first version.
    a.flush();
    b.up(a);
    b.up(bb); // B's merge lands last, without A's second save.
    settle(b);
    const [entry, ...rest] = b.entries();
    assert.equal(rest.length, 0, canonical(b.entries()));
    assert.deepEqual([entry.data.owner, entry.data.why_relevant, entry.data.goal_text], ["A 第一次", "B 正在填", "A 第二次"]);
    assert.equal(copies(b), 0);
    assertConverged(b);
  });

  test(`a slow tab hears of others' saves late and saves on an old version: merged, not lost${mode}`, () => {
    const { b, tabs: [a, slow] } = setup(2, { eventsWhilePending });
    slow.type({ why_relevant: "慢标签页填的" });
    for (let i = 1; i <= 4; i++) {
      a.type({ owner: `A 第 ${i} 次` });
      a.flush();
      b.up(a); // reaches the store; the slow tab's inbox fills up
    }
    slow.flush(); // on the version it last saw
    b.up(slow); // overwrites A's four saves in the store
    settle(b);
    const entries = b.entries();
    assert.equal(entries.length, 1, canonical(entries));
    assert.equal(entries[0].data.owner, "A 第 4 次");
    assert.equal(entries[0].data.why_relevant, "慢标签页填的");
    assert.equal(copies(b), 0);
    assertConverged(b);
  });

  test(`a deletion in one tab while the other types brings the entry back${mode}`, () => {
    const { b, tabs: [a, bb], id } = setup(2, { eventsWhilePending });
    bb.type({ owner: "B 还在写" });
    a.set(keyOf(id), null);
    a.env = null;
    b.up(a);
    settle(b);
    assert.deepEqual(b.entries().map((e) => e.data.owner), ["B 还在写"]);
  });
}

// ---- random schedules -------------------------------------------------------------------------

/** Every transport the pure decisions must work on. */
const TRANSPORTS = [
  { name: "localStorage" },
  { name: "localStorage, late storage events", lateEvents: true },
  { name: "localStorage, no event while a write is pending", eventsWhilePending: false },
  { name: "localStorage, late events, none while a write is pending", eventsWhilePending: false, lateEvents: true },
  { name: "IndexedDB + BroadcastChannel", transport: "indexeddb" },
];
/** Transports that tell every tab of every write (three tabs need it to always merge). */
const TELLING = TRANSPORTS.filter((t) => t.eventsWhilePending !== false);

/**
 * `n` tabs each type their edit (before any autosave), then saves and deliveries happen
 * in a seeded random order, some tabs saving twice.
 */
function randomRun(seed, edits, options) {
  const pick = rng(seed);
  const { b, tabs, id } = setup(edits.length, options);
  edits.forEach((patch, i) => tabs[i].type(patch));
  // Each tab saves once or twice, interleaved at random with message deliveries.
  const saves = tabs.flatMap((t) => Array.from({ length: 1 + pick(2) }, () => t));
  while (saves.length || b.moves().length) {
    const moves = b.moves();
    if (saves.length && (!moves.length || pick(3) === 0)) {
      const t = saves.splice(pick(saves.length), 1)[0];
      t.flush();
    } else {
      moves[pick(moves.length)][1]();
    }
  }
  settle(b, pick);
  return { b, tabs, id };
}

/**
 * Each tab keeps typing its own field (`rounds` keystrokes), saving after some of them
 * (autosave while typing), interleaved at random with deliveries: many saves in flight.
 */
function typingRun(seed, fields, rounds, options) {
  const pick = rng(seed);
  const { b, tabs, id } = setup(fields.length, options);
  const keys = tabs.flatMap((t, i) => Array.from({ length: rounds }, () => i));
  const typed = tabs.map(() => 0);
  while (keys.length || b.moves().length) {
    const moves = b.moves();
    if (keys.length && (!moves.length || pick(3) === 0)) {
      const i = keys.splice(pick(keys.length), 1)[0];
      tabs[i].type({ [fields[i]]: `${tabs[i].name}${++typed[i]}` });
      if (pick(2) || !keys.includes(i)) tabs[i].flush();
    } else {
      moves[pick(moves.length)][1]();
    }
  }
  settle(b, pick);
  return { b, tabs, id, last: tabs.map((t, i) => `${t.name}${typed[i]}`) };
}

const SEEDS = Array.from({ length: 400 }, (_, i) => i + 1);

test("random schedules, two tabs, different fields: always one entry holding both edits, never a copy", () => {
  for (const transport of TRANSPORTS) {
    for (const seed of SEEDS) {
      const { b } = randomRun(seed, [{ owner: "A" }, { why_relevant: "B" }], transport);
      const entries = b.entries();
      const where = `seed ${seed}, ${transport.name}`;
      assert.equal(entries.length, 1, `${where}: ${canonical(entries)}`);
      assert.deepEqual([entries[0].data.owner, entries[0].data.why_relevant], ["A", "B"], where);
      assert.equal(copies(b), 0, where);
      assertConverged(b);
    }
  }
});

test("two tabs keep typing different fields and autosaving: one entry with both last edits, never a copy", () => {
  for (const transport of TELLING) {
    for (const seed of SEEDS.slice(0, 200)) {
      const { b, last } = typingRun(seed, ["owner", "why_relevant"], 4, transport);
      const entries = b.entries();
      const where = `seed ${seed}, ${transport.name}`;
      assert.equal(entries.length, 1, `${where}: ${canonical(entries)}`);
      assert.deepEqual([entries[0].data.owner, entries[0].data.why_relevant], last, where);
      assert.equal(copies(b), 0, where);
      assertConverged(b);
    }
  }
});

// Three tabs need every storage event (Chromium fires them even while the tab's own
// write of the key is on its way): a tab learns the versions between its own and the
// newest from them. Without those events a merge can lack a common base, and then both
// versions are kept (never lost).
test("random schedules, three tabs, three different fields: one entry, all three edits", () => {
  for (const transport of TELLING) {
    for (const seed of SEEDS) {
      const { b } = randomRun(seed, [{ owner: "A" }, { why_relevant: "B" }, { goal_text: "C" }], transport);
      const entries = b.entries();
      const where = `seed ${seed}, ${transport.name}`;
      assert.equal(entries.length, 1, `${where}: ${canonical(entries)}`);
      assert.deepEqual([entries[0].data.owner, entries[0].data.why_relevant, entries[0].data.goal_text], ["A", "B", "C"], where);
      assert.equal(copies(b), 0, where);
      assertConverged(b);
    }
  }
});

// Without every event (a browser that dropped news while its own write was on its way),
// or with three tabs typing at once (merges of merges: a version has two parents but
// names one), a merge can lack a common base. Then both versions are kept: never lost.
test("keep typing, three tabs or news dropped: every last edit is kept, in one entry or a copy", () => {
  const runs = [
    ...TRANSPORTS.map((t) => [t, ["owner", "why_relevant", "goal_text"], 3, 100]),
    ...TRANSPORTS.filter((t) => !TELLING.includes(t)).map((t) => [t, ["owner", "why_relevant"], 4, 200]),
  ];
  for (const [transport, fields, rounds, seeds] of runs) {
    for (const seed of SEEDS.slice(0, seeds)) {
      const { b, last } = typingRun(seed, fields, rounds, transport);
      const entries = b.entries();
      const where = `seed ${seed}, ${fields.length} tabs, ${transport.name}: ${canonical(entries.map((e) => e.data))}`;
      fields.forEach((f, i) => assert.ok(entries.some((e) => e.data[f] === last[i]), where));
      assert.ok(entries.length <= fields.length, where);
      assertConverged(b);
    }
  }
});

test("random schedules, two tabs, the same field: exactly one conflict copy, both versions kept", () => {
  for (const transport of TRANSPORTS) {
    for (const seed of SEEDS) {
      const { b, id } = randomRun(seed, [{ goal_text: "A 的版本" }, { goal_text: "B 的版本" }], transport);
      const where = `seed ${seed}, ${transport.name}`;
      const entries = b.entries();
      assert.deepEqual(entries.map((e) => e.data.goal_text).sort(), ["A 的版本", "B 的版本"], `${where}: ${canonical(entries)}`);
      assert.equal(copies(b), 1, where);
      assert.ok(entries.some((e) => e.id === id), where);
      assertConverged(b);
    }
  }
});

test("random schedules, three tabs, storage events suppressed while a write is pending: nothing is ever lost", () => {
  for (const transport of TRANSPORTS.filter((t) => t.eventsWhilePending === false)) {
    for (const seed of SEEDS) {
      const { b } = randomRun(seed, [{ owner: "A" }, { why_relevant: "B" }, { goal_text: "C" }], transport);
      const entries = b.entries();
      const where = `seed ${seed}, ${transport.name}: ${canonical(entries)}`;
      assert.ok(entries.some((e) => e.data.owner === "A"), where);
      assert.ok(entries.some((e) => e.data.why_relevant === "B"), where);
      assert.ok(entries.some((e) => e.data.goal_text === "C"), where);
      assert.ok(entries.length <= 3, where);
      assertConverged(b);
    }
  }
});
