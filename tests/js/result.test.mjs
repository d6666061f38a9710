// The pure parts of the result panel (docs/javascripts/worksheet/result.js): hook
// attributes, site links, and the one check list every worksheet's result gives.
// The DOM parts (safeSvg, safeFragment, renderResult) run in Chromium: tests/browser/test_xss.py.

import { test } from "node:test";
import assert from "node:assert/strict";

import { checksOf, hookAttributes, resolveLink } from "../../docs/javascripts/worksheet/result.js";

test("hook attributes: data-ws-<name>, names checked, values as text", () => {
  assert.deepEqual(hookAttributes({ part: "behaviour", level: 2, score: "38" }), [["data-ws-part", "behaviour"], ["data-ws-level", "2"], ["data-ws-score", "38"]]);
  assert.deepEqual(hookAttributes({ Part: "x", "1a": "x", "a_b": "x", ["a".repeat(22)]: "x", "": "x", "a b": "x", "on=1": "x" }), []);
  assert.deepEqual(hookAttributes({ ok: "1", obj: { a: 1 }, nul: null, list: [1] }), [["data-ws-ok", "1"]]);
  assert.deepEqual(hookAttributes({ criterion: "x", part: "p" }, ["criterion"]), [["data-ws-part", "p"]], "the panel's own hooks are not overridden");
  assert.equal(hookAttributes({ long: "x".repeat(500) })[0][1].length, 200);
  for (const bad of [null, "x", [1], 3]) assert.deepEqual(hookAttributes(bad), []);
});

test("links resolve against the site root, also under a sub-path; anything leaving the site is dropped", () => {
  const root = "http://intranet.example/training/";
  assert.equal(resolveLink("lectures/05-communication/#anchor", root), "http://intranet.example/training/lectures/05-communication/#anchor");
  assert.equal(resolveLink("/lectures/05-communication/", root), "http://intranet.example/training/lectures/05-communication/");
  assert.equal(resolveLink("worksheets/smart/?x=1", root), "http://intranet.example/training/worksheets/smart/?x=1");
  for (const bad of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "https://evil.example/", "//evil.example/x", "\\\\evil\\x", "../../etc/", "../other-course/", "", null, "a\nb"]) {
    assert.equal(resolveLink(bad, root), null, String(bad));
  }
});

test("checks come from `checks`, or from the older `criteria` dict through the same path", () => {
  const checks = [{ key: "m", label: "M", met: true }];
  assert.deepEqual(checksOf({ checks, criteria: { x: {} } }), checks);
  assert.deepEqual(checksOf({ criteria: { specific: { label: "S", met: false, reason: "r" }, time_bound: { met: null } } }), [
    { key: "specific", label: "S", met: false, reason: "r" },
    { key: "time_bound", met: null },
  ]);
  assert.deepEqual(checksOf({}), []);
  assert.deepEqual(checksOf({ checks: [null, 3, { key: "a" }] }), [{ key: "a" }]);
});
