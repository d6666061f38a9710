// Shared by the node tests of the saved format: the backup fixtures and their manifest
// (tests/fixtures/backups/, the format's contract), and the stable code of an EnvelopeError.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

import { EnvelopeError } from "../../docs/javascripts/worksheet/envelope.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "backups");
export const fixture = (name) => readFileSync(join(FIXTURES, name), "utf8");
export const manifest = JSON.parse(fixture("manifest.json"));

/** The code of the EnvelopeError fn() throws (its message must be Chinese), or null. */
export const codeOf = (fn) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EnvelopeError, `not an EnvelopeError: ${err}`);
    assert.match(err.message, /[\u4e00-\u9fff]/, "message should be Chinese");
    return err.code;
  }
  return null;
};
