// The snapshot file contract of engine-protocol.js, driven from the unit tests:
//   node tests/pyodide/snapshot_file.mjs open HEAP_BYTES BUILD_ID FILE…  -> one line {"reason": …} per FILE
//   node tests/pyodide/snapshot_file.mjs reseal IN OUT                    -> OUT = IN's snapshot, sealed again
// (`reseal` makes files that pass our own checks but not Pyodide's, to test the worker's
// fallback when the restore itself throws.)
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const { openSnapshot, sealSnapshot, unsealSnapshot } = await import(
  pathToFileURL(path.join(repo, "docs/javascripts/worksheet/engine-protocol.js")).href);
const [cmd, a, b, ...rest] = process.argv.slice(2);
const read = (file) => {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};
if (cmd === "open") {
  for (const file of rest) {
    const { reason } = openSnapshot(read(file), { heapBytes: Number(a) || null, buildId: b || null });
    console.log(JSON.stringify({ reason }));
  }
} else if (cmd === "reseal") {
  writeFileSync(b, sealSnapshot(unsealSnapshot(read(a))));
} else {
  throw new Error(`unknown command ${cmd}`);
}
