// The agents' workspace in the saved format (docs/javascripts/worksheet/envelope.js):
// person/period on envelopes, records (people, follow-up actions, kinds from newer
// sites), backups that carry them, and every older backup still reading (with no
// records). Run with `node --test tests/js/`.

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  LIMITS, RECORD_KINDS, isIsoDay, makeBackup, parseBackup, upgradeEnvelope, validateEnvelope, validateRecord,
} from "../../docs/javascripts/worksheet/envelope.js";
import { nextVersion, planImport, applyImport } from "../../docs/javascripts/worksheet/sync.js";
import { safeFileName } from "../../docs/javascripts/worksheet/result.js";


import { codeOf, fixture, manifest } from "./support.mjs";

const ENV = () => ({
  format: "worksheet-entry", schema_version: 1, worksheet: "interview", worksheet_version: 1, id: "e1",
  name: "小孙 · 面谈", created_at: "2026-12-01T09:00:00.000Z", saved_at: "2026-12-01T10:00:00.000Z", rev: 2,
  data: { agent_name: "小孙" },
});
const PERSON = () => ({ kind: "person", id: "p1", name: "小孙", saved_at: "2026-11-01T08:00:00.000Z", created_at: "2026-11-01T08:00:00.000Z", rev: 0 });
const ACTION = () => ({ kind: "action", id: "a1", person: "p1", text: "跟听张敏半天", owner: "小孙", due: "2026-12-05", status: "open", saved_at: "2026-12-01T10:00:00.000Z" });

test("every fixture reads with the people and records the manifest names (older backups: none)", () => {
  for (const [name, want] of Object.entries(manifest)) {
    if (!want.ok) continue;
    const got = parseBackup(fixture(name));
    assert.deepEqual(got.entries.map((e) => e.person || ""), want.people, name);
    assert.deepEqual(got.records.map((r) => `${r.kind}:${r.id}`), want.records, name);
  }
  const older = Object.entries(manifest).filter(([n, v]) => v.ok && n !== "workspace_v1_backup.json");
  assert.ok(older.length >= 5 && older.every(([, v]) => v.records.length === 0));
});

test("an envelope keeps its person (an id) and period; a name in person is refused", () => {
  const env = { ...ENV(), person: "p1", period: " 2026年11月 " };
  const out = validateEnvelope(env);
  assert.equal(out.person, "p1");
  assert.equal(out.period, "2026年11月");
  assert.equal("period" in validateEnvelope({ ...ENV(), period: "  " }), false);
  assert.equal("person" in validateEnvelope({ ...ENV(), person: null }), false);
  for (const bad of ["小孙", "a b", 7, "x".repeat(65)]) assert.equal(codeOf(() => validateEnvelope({ ...ENV(), person: bad })), "bad_field", String(bad));
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), period: "期".repeat(LIMITS.periodChars + 1) })), "bad_field");
  assert.equal(codeOf(() => validateEnvelope({ ...ENV(), period: 202611 })), "bad_field");
  // Every later version of the entry keeps the link (a save, an import that overwrites).
  const next = validateEnvelope(nextVersion(out, { agent_name: "小孙（改名）" }, "2026-12-02T08:00:00.000Z", "v1"));
  assert.equal(next.person, "p1");
  const plan = planImport([{ ...out, name: "另一个名字" }], [validateEnvelope(ENV())]);
  const { put } = applyImport(plan, "overwrite");
  assert.equal(validateEnvelope(put[0]).person, "p1");
});

test("records: people and actions are checked field by field", () => {
  assert.deepEqual(RECORD_KINDS, ["person", "action"]);
  assert.deepEqual(validateRecord(PERSON()), PERSON());
  assert.deepEqual(validateRecord({ ...PERSON(), extra: "dropped" }), PERSON());
  assert.equal(validateRecord({ ...PERSON(), name: "  小孙  " }).name, "小孙");
  const a = validateRecord({ ...ACTION(), entry: "e1", row: "e1:a:0123", type: "follow_up", time: "15:30", done_at: "2026-12-02T08:00:00Z" });
  assert.equal(a.entry, "e1");
  assert.equal(a.type, "follow_up");
  assert.equal(validateRecord({ ...ACTION(), due: "" }).due, "");
  assert.equal("entry" in validateRecord({ ...ACTION(), entry: undefined, row: undefined }), false);
  const cases = [
    [{ ...PERSON(), name: "" }, "bad_record"], [{ ...PERSON(), name: " " }, "bad_record"], [{ ...PERSON(), name: "名".repeat(61) }, "bad_record"],
    [{ ...PERSON(), id: "a b" }, "bad_record"], [{ ...PERSON(), kind: "Person" }, "bad_record"], [{ ...PERSON(), saved_at: "yesterday" }, "bad_record"],
    [{ ...ACTION(), status: "maybe" }, "bad_record"], [{ ...ACTION(), due: "2026-02-30" }, "bad_record"], [{ ...ACTION(), due: "12月5日" }, "bad_record"],
    [{ ...ACTION(), person: "小孙" }, "bad_record"], [{ ...ACTION(), text: "" }, "bad_record"], [{ ...ACTION(), type: "meeting" }, "bad_record"],
    [{ ...ACTION(), entry: "e 1" }, "bad_record"], [{ ...ACTION(), rev: -1 }, "bad_record"], [[], "bad_record"],
    [JSON.parse('{"kind": "person", "id": "p1", "name": "x", "saved_at": "2026-11-01T08:00:00Z", "__proto__": {"polluted": true}}'), "forbidden_key"],
  ];
  for (const [rec, code] of cases) assert.equal(codeOf(() => validateRecord(rec)), code, JSON.stringify(rec));
  assert.equal({}.polluted, undefined);
  assert.ok(isIsoDay("2024-02-29") && !isIsoDay("2025-02-29") && !isIsoDay("2026-1-5"));
});

test("a record of a kind from a newer site is kept, cleaned", () => {
  const note = { kind: "note", id: "n1", saved_at: "2026-12-01T10:00:00.000Z", text: "x", tags: ["a", { b: 1 }] };
  assert.deepEqual(validateRecord(note), note);
  let deep = "x";
  for (let i = 0; i < LIMITS.depth + 1; i++) deep = { d: deep };
  assert.equal(codeOf(() => validateRecord({ ...note, deep })), "too_deep");
});

test("a backup carries the records beside the entries, and reads them back", () => {
  const doc = makeBackup([{ ...ENV(), person: "p1", period: "2026年11月" }], "站点", "2026-12-07T08:00:00.000Z", [PERSON(), ACTION()]);
  assert.deepEqual(doc.records, [PERSON(), ACTION()]);
  const back = parseBackup(JSON.stringify(doc));
  assert.deepEqual(back.records, [PERSON(), ACTION()]);
  assert.equal(back.entries[0].person, "p1");
  assert.deepEqual(makeBackup([ENV()], "站点").records, []);
  // One bad record refuses the whole file, like one bad entry.
  assert.equal(codeOf(() => parseBackup(JSON.stringify({ ...doc, records: [PERSON(), { ...ACTION(), status: "?" }] }))), "bad_record");
  assert.equal(codeOf(() => parseBackup(JSON.stringify({ ...doc, records: { p1: PERSON() } }))), "bad_record");
  assert.deepEqual(parseBackup(JSON.stringify({ ...doc, records: null })).records, []);
  const many = { ...doc, records: new Array(LIMITS.records + 1).fill(0).map((_, i) => ({ ...PERSON(), id: `p${i}` })) };
  assert.equal(codeOf(() => parseBackup(JSON.stringify(many))), "too_many");
  // A bare envelope (one exported entry) still reads, with no records.
  assert.deepEqual(parseBackup(JSON.stringify(ENV())).records, []);
  assert.equal(upgradeEnvelope({ ...ENV(), person: "p1" }).person, "p1");
});

test("a file name the engine suggests is made safe", () => {
  assert.equal(safeFileName("面谈跟进-小孙.ics"), "面谈跟进-小孙.ics");
  assert.equal(safeFileName("../..\\a:b*?.ics"), "_.._a_b_.ics");
  assert.equal(safeFileName("x\r\ny.ics"), "x_y.ics");
  assert.equal(safeFileName(""), "");
});
