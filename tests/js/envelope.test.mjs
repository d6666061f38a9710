// The saved-data format (docs/javascripts/worksheet/envelope.js, its only owner) and the
// pure helpers around it (sync.js import plans and merge, transfer.js file names and
// Markdown, entries-ui.js completion), run with `node --test tests/js/`. The fixtures
// and their manifest (tests/fixtures/backups/) are the format's contract.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

import {
  FORBIDDEN_KEYS, LIMITS, SCHEMA_VERSION, clip, fnv1a, isIsoDateTime, makeBackup, newId, parseBackup,
  upgradeEnvelope, validateEnvelope,
} from "../../docs/javascripts/worksheet/envelope.js";
import { IMPORT_SUFFIX, applyImport, canonical, merge3, planImport, sameData } from "../../docs/javascripts/worksheet/sync.js";
import { entryMarkdown, fileName, inert } from "../../docs/javascripts/worksheet/transfer.js";
import { completionOf } from "../../docs/javascripts/worksheet/entries-ui.js";


import { FIXTURES, codeOf, fixture, manifest } from "./support.mjs";

const ENV = () => ({
  format: "worksheet-entry", schema_version: 1, worksheet: "smart", worksheet_version: 1, id: "abc123",
  name: "张三 · 2026 Q4", created_at: "2026-01-05T09:00:00.000Z", saved_at: "2026-01-06T10:30:00.000Z", rev: 2,
  data: { goal_text: "本季度末前提升 CSAT", owner: "张三" },
});

test("every fixture file is listed in the manifest", () => {
  const files = readdirSync(FIXTURES).filter((f) => !["manifest.json", "xss_strings.json", "README.md", "generate.py"].includes(f));
  assert.deepEqual(files.sort(), Object.keys(manifest).sort());
});

for (const [name, want] of Object.entries(manifest)) {
  test(`fixture ${name} → ${want.ok ? `${want.count} entries` : want.code} (same as Python)`, () => {
    const text = fixture(name);
    if (want.ok) {
      const got = parseBackup(text);
      assert.equal(got.entries.length, want.count);
      assert.deepEqual(got.entries.map((e) => e.id), want.ids);
      assert.deepEqual(got.entries.map((e) => e.name), want.names);
      assert.deepEqual(got.entries.map((e) => e.worksheet), want.worksheets);
      assert.equal(got.site, want.site);
      for (const e of got.entries) assert.equal(e.schema_version, SCHEMA_VERSION);
    } else {
      assert.equal(codeOf(() => parseBackup(text)), want.code);
    }
  });
}

test("a valid envelope survives validation unchanged", () => {
  const env = ENV();
  assert.deepEqual(validateEnvelope(env), env);
  assert.deepEqual(validateEnvelope({ ...env, completion: 0.5 }).completion, 0.5);
  assert.equal("completion" in validateEnvelope({ ...env, completion: null }), false);
});

test("unknown top-level keys are dropped, data is copied", () => {
  const env = { ...ENV(), extra: 1 };
  const out = validateEnvelope(env);
  assert.equal("extra" in out, false);
  assert.notEqual(out.data, env.data);
});

test("each broken field is refused with bad_field", () => {
  const cases = {
    worksheet: ["SMART", "a.b", "", 3], worksheet_version: [0, 1.5, "1", true], id: ["", "a b", "x".repeat(65), "a.b", 7],
    name: ["", "   ", 5, null, "名".repeat(LIMITS.nameChars + 1)], created_at: ["2026-01-05", "yesterday", "2026-13-01T00:00:00Z"],
    saved_at: ["2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00"], rev: [-1, 1.5, "2", false, 2 ** 31],
    completion: [1.5, -0.1, "1", true], data: [[], "x", null, 3],
  };
  for (const [field, values] of Object.entries(cases)) {
    for (const v of values) assert.equal(codeOf(() => validateEnvelope({ ...ENV(), [field]: v })), "bad_field", `${field}=${JSON.stringify(v)}`);
  }
  const { data, ...noData } = ENV();
  assert.equal(codeOf(() => validateEnvelope(noData)), "bad_field");
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), format: "x" })), "wrong_format");
  assert.equal(codeOf(() => validateEnvelope([])), "bad_entry");
  assert.ok(validateEnvelope({ ...ENV(), name: "名".repeat(LIMITS.nameChars) }));
  assert.ok(validateEnvelope({ ...ENV(), name: "😀".repeat(LIMITS.nameChars) }), "length counts code points, like Python");
});

test("dates: strict ISO 8601 with an offset, on real days", () => {
  for (const ok of ["2026-01-05T09:00:00Z", "2026-01-05T09:00:00.123Z", "2024-02-29T23:59:59+08:00", "2026-01-05T09:00:00.123456-05:30"]) assert.ok(isIsoDateTime(ok), ok);
  for (const bad of ["2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-05 09:00:00Z", "2026-01-05T09:00Z", "２０２６-01-05T09:00:00Z", "2026-01-05T09:00:00+24:00", ""]) assert.ok(!isIsoDateTime(bad), bad);
});

test("forbidden keys anywhere refuse the record", () => {
  for (const k of FORBIDDEN_KEYS) {
    const nested = JSON.parse(`{"goal_text": "x", "rows": [{"${k}": {"polluted": true}}]}`);
    assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: nested })), "forbidden_key", k);
    const top = JSON.parse(JSON.stringify(ENV()).replace('"format"', `"${k}": 1, "format"`));
    assert.equal(codeOf(() => validateEnvelope(top)), "forbidden_key");
  }
  assert.equal({}.polluted, undefined);
});

test("data limits: long strings, depth, size, odd values", () => {
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: { t: "x".repeat(LIMITS.stringChars + 1) } })), "too_long");
  assert.ok(validateEnvelope({ ...ENV(), data: { t: "x".repeat(LIMITS.stringChars) } }));
  assert.ok(validateEnvelope({ ...ENV(), data: { t: "😀".repeat(LIMITS.stringChars) } }), "code points, not UTF-16 units");
  let deep = "x";
  for (let i = 0; i < LIMITS.depth - 1; i++) deep = { d: deep };
  assert.ok(validateEnvelope({ ...ENV(), data: { d: deep } }));
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: { d: { d: deep } } })), "too_deep");
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: { list: new Array(LIMITS.items + 1).fill("") } })), "too_big");
  const many = Object.fromEntries(Array.from({ length: LIMITS.keys + 1 }, (_, i) => [`k${i}`, ""]));
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: many })), "too_big");
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: { n: Infinity } })), "bad_value");
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), data: { f: () => 1 } })), "bad_value");
});

test("v0 migrates step by step to the current version, deterministically", () => {
  const v0 = JSON.parse(fixture("v0_entry.json"));
  const a = upgradeEnvelope(v0);
  const b = upgradeEnvelope(structuredClone(v0));
  assert.deepEqual(a, b);
  assert.equal(a.schema_version, 1);
  assert.equal(a.worksheet, "smart");
  assert.equal(a.name, v0.title);
  assert.equal(a.saved_at, v0.updated);
  assert.deepEqual(a.data, v0.values);
  assert.equal(a.id, manifest["v0_entry.json"].ids[0]);
  assert.equal(upgradeEnvelope(v0, { idHint: "fromKey" }).id, "fromKey");
  const bare = upgradeEnvelope({ format: "worksheet-entry", schema_version: 0, slug: "grow", values: {} });
  assert.equal(bare.name, "未命名条目");
  assert.equal(bare.saved_at, "1970-01-01T00:00:00.000Z");
  assert.equal(codeOf(() => upgradeEnvelope({ format: "worksheet-entry", schema_version: 0, slug: "grow" })), "bad_field");
  assert.equal(codeOf(() => upgradeEnvelope({ ...ENV(), schema_version: 2 })), "too_new");
  assert.equal(codeOf(() => upgradeEnvelope({ ...ENV(), schema_version: -1 })), "bad_version");
  assert.equal(codeOf(() => upgradeEnvelope({ ...ENV(), schema_version: "1" })), "bad_version");
  assert.deepEqual(upgradeEnvelope(ENV()), ENV());
});

test("fnv1a matches the Python implementation's known values", () => {
  assert.equal(fnv1a(""), "811c9dc5");
  assert.equal(fnv1a("a"), "e40c292c");
  assert.equal(fnv1a("张三"), fnv1a("张三"));
});

test("parseBackup: single entries, BOM, size and count limits", () => {
  assert.equal(parseBackup(JSON.stringify(ENV())).entries.length, 1);
  assert.equal(parseBackup(`\ufeff${JSON.stringify(makeBackup([ENV()], "站"))}`).site, "站");
  assert.equal(codeOf(() => parseBackup(" \n ")), "empty");
  // No size cap below what the site can export: a file over the old 5 MB cap is read.
  assert.ok(LIMITS.fileChars >= 2 ** 29);
  assert.equal(codeOf(() => parseBackup(`"${"x".repeat(6_000_000)}"`)), "wrong_format");
  assert.equal(codeOf(() => parseBackup("null")), "wrong_format");
  assert.equal(codeOf(() => parseBackup("[]")), "wrong_format");
  assert.equal(codeOf(() => parseBackup('{"format": "worksheet-backup", "schema_version": 1}')), "no_entries");
  assert.equal(codeOf(() => parseBackup('{"format": "worksheet-backup", "entries": []}')), "bad_version");
  const many = makeBackup([], "s");
  many.entries = new Array(LIMITS.entries + 1).fill(0);
  assert.equal(codeOf(() => parseBackup(JSON.stringify(many))), "too_many");
  // A nesting bomb is refused without blowing the stack.
  assert.equal(codeOf(() => parseBackup("[".repeat(100000) + "]".repeat(100000))), "too_deep");
  assert.equal(codeOf(() => parseBackup("[".repeat(100000))), "not_json");
});

test("one bad entry refuses the whole file and names it", () => {
  const err = (() => {
    try {
      parseBackup(fixture("bad_entry_in_backup.json"));
    } catch (e) {
      return e;
    }
  })();
  assert.match(err.message, /^第 2 个条目无法读取：字段 id 无效/);
});

test("makeBackup round-trips through parseBackup", () => {
  const entries = parseBackup(fixture("valid_v1_backup.json")).entries;
  const again = parseBackup(JSON.stringify(makeBackup(entries, "客服管理者训练营", "2026-01-07T08:00:00.000Z")));
  assert.deepEqual(again.entries, entries);
  assert.equal(again.exported_at, "2026-01-07T08:00:00.000Z");
});

test("hostile payload strings are plain data: accepted, unchanged", () => {
  const strings = JSON.parse(fixture("xss_strings.json"));
  assert.ok(strings.length >= 20);
  const { entries, site } = parseBackup(fixture("xss_payloads_backup.json"));
  assert.deepEqual(entries.slice(0, strings.length).map((e) => e.name), strings);
  assert.deepEqual(entries.slice(0, strings.length).map((e) => e.data.goal_text), strings);
  assert.match(site, /<script>/);
});

test("merge3(base, theirs, mine): edits to different fields merge; the same field in both is a conflict", () => {
  const base = { a: "1", b: "1", list: [] };
  assert.deepEqual(merge3(base, { ...base, b: "theirs" }, { ...base, a: "mine" }), { data: { a: "mine", b: "theirs", list: [] }, conflicts: [] });
  assert.deepEqual(merge3(base, { ...base, a: "same" }, { ...base, a: "same" }).conflicts, []);
  const c = merge3(base, { ...base, a: "theirs" }, { ...base, a: "mine" });
  assert.deepEqual(c.conflicts, ["a"]);
  assert.equal(c.data.a, "mine");
  // Missing, null, "" and [] are all "empty": a new entry's {} base does not fake a conflict.
  assert.deepEqual(merge3({}, { a: "theirs" }, { a: "", list: [] }), { data: { a: "theirs", list: [] }, conflicts: [] });
  assert.deepEqual(merge3(base, { ...base, list: [{ t: "y" }] }, { ...base, list: [{ t: "x" }] }).conflicts, ["list"]);
  // A multiple choice is one value: different selections are a conflict, the same one is not.
  assert.deepEqual(merge3({ m: [] }, { m: ["a"] }, { m: ["b"] }).conflicts, ["m"]);
  assert.deepEqual(merge3({ m: ["a"] }, { m: ["a", "b"] }, { m: ["a"], x: "1" }), { data: { m: ["a", "b"], x: "1" }, conflicts: [] });
});

test("sameData and canonical ignore key order", () => {
  assert.ok(sameData({ a: 1, b: [1, { x: 1, y: 2 }] }, { b: [1, { y: 2, x: 1 }], a: 1 }));
  assert.ok(!sameData({ a: 1 }, { a: 2 }));
  assert.ok(sameData({ a: "" }, {}));
  assert.equal(canonical({ b: 1, a: 2 }), '{"a":2,"b":1}');
});

test("planImport/applyImport: add, same, conflict; keep both by default", () => {
  const local = ENV();
  const same = ENV();
  const changed = { ...ENV(), data: { goal_text: "改过的目标" } };
  const fresh = { ...ENV(), id: "new1", name: "新人" };
  const other = { ...ENV(), worksheet: "grow", id: "abc123", name: "同 id 不同工作表" };
  let plan = planImport([same, fresh, other], [local]);
  assert.deepEqual(plan.counts, { add: 2, same: 1, conflict: 0 });
  assert.deepEqual(Object.keys(plan.bySlug).sort(), ["grow", "smart"]);
  assert.deepEqual(plan.bySlug.smart.names, [local.name, "新人"]);

  plan = planImport([changed], [local]);
  assert.deepEqual(plan.counts, { add: 0, same: 0, conflict: 1 });
  let ids = 0;
  const keep = applyImport(plan, "keep-both", () => `copy${++ids}`);
  assert.equal(keep.put.length, 1);
  assert.equal(keep.put[0].id, "copy1");
  assert.equal(keep.put[0].name, local.name + IMPORT_SUFFIX);
  assert.deepEqual(keep.replaced, []);
  // Importing the same file again finds the kept copy: nothing new.
  assert.deepEqual(planImport([changed], [local, keep.put[0]]).counts, { add: 0, same: 1, conflict: 0 });

  const over = applyImport(plan, "overwrite");
  assert.equal(over.put[0].id, local.id);
  assert.equal(over.put[0].rev, local.rev + 1);
  assert.deepEqual(over.replaced, [local]);
  assert.deepEqual(validateEnvelope(over.put[0]).data, changed.data);
});

test("a file holding the same entry twice does not lose the second copy", () => {
  const a = { ...ENV(), id: "dup" };
  const b = { ...ENV(), id: "dup", data: { goal_text: "第二份" } };
  const plan = planImport([a, b], []);
  assert.deepEqual(plan.counts, { add: 1, same: 0, conflict: 1 });
  const { put } = applyImport(plan, "keep-both", () => "other");
  assert.deepEqual(put.map((e) => e.id), ["dup", "other"]);
});

test("completionOf follows the engine's rule (non-optional sections only)", () => {
  const def = {
    sections: [
      { optional: false, fields: [{ name: "a" }, { name: "b" }, { name: "rows", kind: "list" }] },
      { optional: true, fields: [{ name: "c" }] },
    ],
  };
  assert.equal(completionOf(def, {}), 0);
  assert.equal(completionOf(def, { a: "x", c: "y" }), 0.33);
  assert.equal(completionOf(def, { a: "x", b: "y", rows: [{ t: "" }] }), 0.67);
  assert.equal(completionOf(def, { a: "x", b: "y", rows: [{ t: "z" }] }), 1);
  assert.equal(completionOf({ sections: [] }, {}), 1);
});

test("file names: site name and date kept, unsafe characters replaced", () => {
  const name = fileName("客服管理者训练营", "SMART 目标检查", '<img src=x onerror="1">/..\\:*?|', "2026-01-07");
  assert.match(name, /^客服管理者训练营-SMART_目标检查-.*-2026-01-07$/);
  assert.doesNotMatch(name, /[<>:"/\\|?*\s]/);
  assert.equal(fileName("...", ""), "worksheet");
  assert.ok(fileName("x".repeat(500)).length <= 150);
});

test("entryMarkdown (the stand-in without the engine) keeps every answer and no markup", () => {
  const def = {
    title: "SWOT 自我扫描",
    sections: [
      { title: "扫描对象", fields: [{ name: "context", label: "对象", kind: "textarea" }] },
      { title: "优势", fields: [{ name: "strengths", label: "S 优势", kind: "list", item_fields: [{ name: "text", label: "优势" }, { name: "importance", label: "重要性" }] }] },
    ],
  };
  const md = entryMarkdown(def, { ...ENV(), name: "<b>王五</b>", data: { context: "第一行\n第二行", strengths: [{ text: "<script>alert(1)</script>", importance: 4 }] } }, "2026-11-24 09:30");
  assert.match(md, /^# &#60;b&#62;王五&#60;&#47;b&#62;\n/);
  assert.match(md, /保存于 2026&#45;11&#45;24 09&#58;30/);
  assert.match(md, /第一行  \n第二行/);
  assert.match(md, /1\. 优势：&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;；重要性：4/);
  assert.doesNotMatch(md, /<script>|<b>/);
});

test("inert: no ASCII punctuation survives, so no viewer sees syntax; the text reads the same", () => {
  const hostile = JSON.parse(readFileSync(new URL("../fixtures/hostile.json", import.meta.url), "utf8")).payloads;
  for (const { text } of hostile) {
    const out = inert(text);
    assert.doesNotMatch(out.replace(/&#\d+;/g, ""), /[!-/:-@[-`{-~]/, text.slice(0, 40));
    assert.doesNotMatch(out, /\n\s*\n/); // one paragraph
    const shown = out.replace(/  \n/g, "\n").replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
    const squeeze = (t) => t.replace(/[\s\u0085]+/g, "");
    assert.equal(squeeze(shown), squeeze(String(text).replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "")));
  }
  assert.equal(inert("[点我](javascript:alert(1))"), "&#91;点我&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;");
  assert.equal(inert("普通文字 123"), "普通文字 123");
  assert.equal(inert(null), "");
});

test("entryMarkdown shows choices by their labels", () => {
  const def = {
    title: "测试",
    sections: [{ title: "选择", fields: [
      { name: "one", label: "单选", kind: "choice", options: [{ value: "a", label: "甲" }, { value: "b", label: "乙" }] },
      { name: "many", label: "多选", kind: "multichoice", options: [{ value: "a", label: "甲" }, { value: "b", label: "乙" }, { value: "c", label: "丙" }] },
      { name: "none", label: "未选", kind: "choice", options: [{ value: "a", label: "甲" }] },
    ] }],
  };
  const md = entryMarkdown(def, { ...ENV(), name: "x", data: { one: "b", many: ["a", "c"], none: "" } });
  assert.match(md, /\*\*单选\*\*：乙/);
  assert.match(md, /\*\*多选\*\*：甲、丙/);
  assert.doesNotMatch(md, /未选/);
});

test("a multiple choice (an array of strings) is a valid field value, kept as it is", () => {
  const env = validateEnvelope({ ...ENV(), data: { goal_text: "x", channels: ["phone", "chat"], none: [] } });
  assert.deepEqual(env.data.channels, ["phone", "chat"]);
  assert.deepEqual(env.data.none, []);
  assert.deepEqual(parseBackup(JSON.stringify(makeBackup([env], "站"))).entries[0].data, env.data);
});

test("ids are unique and storage-key safe; clip counts code points", () => {
  const ids = new Set(Array.from({ length: 1000 }, () => newId()));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[a-z0-9]{1,24}$/);
  assert.equal(clip("😀😀😀", 2), "😀😀");
});

test("vid and parent: optional version ids, kept when valid, refused when not", () => {
  const out = validateEnvelope({ ...ENV(), vid: "v1abc", parent: "v0xyz" });
  assert.equal(out.vid, "v1abc");
  assert.equal(out.parent, "v0xyz");
  assert.equal("vid" in validateEnvelope({ ...ENV(), vid: undefined, parent: null }), false);
  for (const bad of ["", "a.b", 5, "x".repeat(65)]) {
    assert.equal(codeOf(() => validateEnvelope({ ...ENV(), vid: bad })), "bad_field");
    assert.equal(codeOf(() => validateEnvelope({ ...ENV(), parent: bad })), "bad_field");
  }
});

test("an overwriting import names the local version as its parent; copies start fresh", () => {
  const local = { ...ENV(), vid: "localv" };
  const incoming = { ...ENV(), vid: "filev", data: { goal_text: "文件里的" } };
  const plan = planImport([incoming], [local]);
  const over = applyImport(plan, "overwrite").put[0];
  assert.equal(over.parent, "localv");
  assert.equal(validateEnvelope(over).vid, undefined);
  const copy = applyImport(plan, "keep-both", () => "c1").put[0];
  assert.equal(validateEnvelope(copy).vid, undefined);
  assert.equal(validateEnvelope(copy).parent, undefined);
});
