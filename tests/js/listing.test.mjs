// The entry list's view (listing.js): search, groups by agent or worksheet, pages;
// when autosave writes (autosave.js); what migration does with an entry found in
// localStorage (storage.js migrationStep).

import { test } from "node:test";
import assert from "node:assert/strict";

import { NO_PERSON, PAGE_SIZE, entryView, fold } from "../../docs/javascripts/worksheet/listing.js";
import { SAVE_DEBOUNCE_MS, SAVE_MAX_WAIT_MS, saveDelay } from "../../docs/javascripts/worksheet/autosave.js";
import { migrationStep } from "../../docs/javascripts/worksheet/storage.js";

const entry = (i, extra = {}) => ({ id: `e${i}`, worksheet: "smart", name: `条目 ${i}`, saved_at: `2026-03-01T09:${String(59 - (i % 60)).padStart(2, "0")}:00.000Z`, data: {}, ...extra });
const ids = (view) => view.groups.flatMap((g) => g.items.map((e) => e.id));

test("pages hold PAGE_SIZE entries in the given order; out-of-range pages are clamped", () => {
  const list = Array.from({ length: 45 }, (_, i) => entry(i));
  const first = entryView(list);
  assert.equal(first.pages, 3);
  assert.deepEqual(ids(first), list.slice(0, PAGE_SIZE).map((e) => e.id));
  assert.deepEqual([first.from, first.to, first.matched, first.total], [1, 20, 45, 45]);
  const last = entryView(list, { page: 99 });
  assert.equal(last.page, 2);
  assert.deepEqual(ids(last), list.slice(40).map((e) => e.id));
  assert.deepEqual(entryView([], { page: 3 }), { total: 0, matched: 0, page: 0, pages: 1, from: 0, to: 0, groups: [] });
});

test("search: every word must match the name, the agent's name or the worksheet title; width and case folded", () => {
  const people = new Map([["p1", "小孙"], ["p2", "王五"]]);
  const list = [entry(1, { name: "Q4 复盘", person: "p1" }), entry(2, { name: "SMART 目标", person: "p2" }), entry(3, { name: "另一个", worksheet: "swot" })];
  const titles = { smart: "SMART 目标检查", swot: "SWOT 自我扫描" };
  assert.deepEqual(ids(entryView(list, { query: "小孙", people })), ["e1"]);
  assert.deepEqual(ids(entryView(list, { query: "ｑ４　复盘", people, titles })), ["e1"]);
  assert.deepEqual(ids(entryView(list, { query: "smart", people, titles })), ["e1", "e2"]);
  assert.deepEqual(ids(entryView(list, { query: "swot", titles })), ["e3"]);
  assert.deepEqual(ids(entryView(list, { query: "小孙 王五", people, titles })), []);
  assert.equal(entryView(list, { query: "不存在" }).matched, 0);
  assert.equal(fold("ＡＢｃ１"), "abc1");
});

test("grouped by agent (named, then unassigned) only when an entry names one; newest first inside a group", () => {
  const people = new Map([["p1", "小孙"], ["p2", "王五"]]);
  const list = [entry(1, { person: "p2" }), entry(2), entry(3, { person: "p1" }), entry(4, { person: "p2" }), entry(5, { person: "gone" })];
  const view = entryView(list, { groupBy: "person", people });
  const labels = view.groups.map((g) => g.label);
  assert.equal(labels[labels.length - 1], NO_PERSON);
  assert.deepEqual(new Set(labels), new Set(["小孙", "王五", NO_PERSON]));
  const wang = view.groups.find((g) => g.label === "王五");
  assert.deepEqual(wang.items.map((e) => e.id), ["e1", "e4"]);
  // An agent who no longer exists counts as unassigned.
  assert.ok(view.groups.find((g) => g.label === NO_PERSON).items.some((e) => e.id === "e5"));
  assert.deepEqual(entryView([entry(1), entry(2)], { groupBy: "person" }).groups.map((g) => g.label), [""]);
});

test("grouped by worksheet: the page's own first, groups continue across pages", () => {
  const titles = { smart: "SMART", swot: "SWOT", grow: "GROW" };
  const list = Array.from({ length: 30 }, (_, i) => entry(i, { worksheet: ["swot", "smart", "grow"][i % 3] }));
  const v = entryView(list, { groupBy: "worksheet", titles, firstSlug: "smart" });
  assert.equal(v.groups[0].key, "w:smart");
  assert.equal(v.groups[0].items.length, 10);
  const next = entryView(list, { groupBy: "worksheet", titles, firstSlug: "smart", page: 1 });
  assert.deepEqual(next.groups.map((g) => g.items.length), [10]);
  assert.ok([...ids(v), ...ids(next)].length === 30 && new Set([...ids(v), ...ids(next)]).size === 30);
});

test("a view of 5,000 entries is made in one pass (sanity: well under a frame's worth per call on this machine)", () => {
  const list = Array.from({ length: 5000 }, (_, i) => entry(i, { person: `p${i % 15}` }));
  const people = new Map(Array.from({ length: 15 }, (_, i) => [`p${i}`, `员工${i}`]));
  const v = entryView(list, { groupBy: "person", people, query: "条目 49" });
  assert.ok(v.matched > 0 && ids(v).length <= PAGE_SIZE);
});

test("autosave: 400 ms after the last keystroke, never later than 1 s after the first unsaved one", () => {
  assert.equal(saveDelay(0, 0), SAVE_DEBOUNCE_MS);
  assert.equal(saveDelay(0, 700), SAVE_MAX_WAIT_MS - 700);
  assert.equal(saveDelay(0, 900), 100);
  assert.equal(saveDelay(0, 1200), 0);
  // Continuous typing every 50 ms: the first write comes at most 1 s after the first key.
  let first = null;
  let due = Infinity;
  for (let t = 0; t < 3000; t += 50) {
    if (t >= due) break;
    if (first === null) first = t;
    due = t + saveDelay(first, t);
  }
  assert.ok(due <= SAVE_MAX_WAIT_MS, `first write at ${due} ms`);
});

test("migration keeps both versions when localStorage and IndexedDB disagree, never drops one", () => {
  const base = { id: "a", name: "条目", data: { x: "1" }, rev: 0 };
  assert.equal(migrationStep(base, null), "write");
  assert.equal(migrationStep(base, { ...base }), "skip");
  assert.equal(migrationStep({ ...base, vid: "v1" }, { ...base, vid: "v1", data: { x: "2" } }), "skip");
  // The old record was made from what the database holds: it is newer.
  assert.equal(migrationStep({ ...base, vid: "v2", parent: "v1", data: { x: "2" } }, { ...base, vid: "v1" }), "write");
  // The database holds a later version made from the old record.
  assert.equal(migrationStep({ ...base, vid: "v1" }, { ...base, vid: "v2", parent: "v1", data: { x: "3" } }), "skip");
  assert.equal(migrationStep({ ...base }, { ...base, parent: "r0", vid: "v9", data: { x: "3" } }), "skip");
  assert.equal(migrationStep({ ...base, vid: "v5", data: { x: "a" } }, { ...base, vid: "v6", data: { x: "b" } }), "copy");
});

test("import planning in chunks (transfer.planInChunks) gives sync.planImport's plan", async () => {
  const { planInChunks } = await import("../../docs/javascripts/worksheet/transfer.js");
  const { planImport } = await import("../../docs/javascripts/worksheet/sync.js");
  const env = (i, name, x) => ({ worksheet: i % 2 ? "smart" : "swot", id: `i${i}`, name, data: { x } });
  const existing = [env(1, "a", "1"), env(2, "b", "2"), env(3, "c", "3"), { ...env(99, "d（导入）", "4"), id: "copy" }];
  const incoming = [env(1, "a", "1"), env(2, "b", "changed"), env(5, "new", "5"), env(4, "d", "4"), env(5, "new", "5"), env(6, "x", "6"), env(6, "x", "7")];
  for (const size of [1, 2, 3, 100]) {
    const chunked = await planInChunks(incoming, existing, size);
    const whole = planImport(incoming, existing);
    assert.deepEqual(chunked.counts, whole.counts, `size ${size}`);
    assert.deepEqual(chunked.items.map((it) => [it.env.id, it.status]), whole.items.map((it) => [it.env.id, it.status]));
    assert.deepEqual(chunked.bySlug, whole.bySlug);
  }
  // Seeded random files: overlaps, changed entries, duplicates, kept copies.
  let seed = 7;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let round = 0; round < 20; round++) {
    const local = Array.from({ length: 60 }, (_, i) => env(i, `n${rnd(20)}`, String(rnd(3))));
    for (let i = 0; i < 10; i++) local.push({ ...env(100 + i, `n${rnd(20)}（导入）`, String(rnd(3))), worksheet: rnd(2) ? "smart" : "swot" });
    const file = Array.from({ length: 90 }, () => env(rnd(80), `n${rnd(20)}`, String(rnd(3))));
    for (const size of [1, 7, 50]) {
      const chunked = await planInChunks(file, local, size);
      const whole = planImport(file, local);
      assert.deepEqual(chunked.items.map((it) => [it.env.id, it.status]), whole.items.map((it) => [it.env.id, it.status]), `round ${round} size ${size}`);
      assert.deepEqual(chunked.bySlug, whole.bySlug);
    }
  }
});
