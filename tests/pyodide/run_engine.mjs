// Runs Python code against the engine inside the npm Pyodide runtime (the browser's
// Python, 3.14) under Node, booted like the worker boots it. Usage:
//   node tests/pyodide/run_engine.mjs WHEEL_PATH SCRIPT_PATH             plain boot + wheel
//   node tests/pyodide/run_engine.mjs WHEEL_PATH SCRIPT_PATH SNAPSHOT    from the build's snapshot
// With a snapshot, the file is checked by engine-protocol.js's openSnapshot() and
// restored; the wheel is NOT unpacked (as in the browser, every module the engine needs
// must already be in the snapshot). The script's output is written to stdout, after a
// line "BOOT:plain" or "BOOT:snapshot".
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [wheelPath, scriptPath, snapshotPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve("pyodide/package.json", { paths: [process.cwd()] }));
const { loadPyodide } = await import(pathToFileURL(path.join(pkgDir, "pyodide.mjs")).href);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const protocol = await import(pathToFileURL(path.join(repo, "docs/javascripts/worksheet/engine-protocol.js")).href);

const io = { stdout: (s) => console.log(s), stderr: (s) => console.error(s) };
let pyodide;
if (snapshotPath) {
  const file = await readFile(snapshotPath);
  const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const { snapshot, reason } = protocol.openSnapshot(buffer, { heapBytes: null, buildId: null });
  if (!snapshot) throw new Error(`snapshot refused: ${reason}`);
  pyodide = await loadPyodide({ indexURL: pkgDir + path.sep, ...io, _loadSnapshot: snapshot });
  pyodide.runPython("import random\nrandom.seed()");
  console.log("BOOT:snapshot");
} else {
  pyodide = await loadPyodide({ indexURL: pkgDir + path.sep, ...io });
  const wheel = await readFile(wheelPath);
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(new Uint8Array(wheel), "zip", { extractDir: sitePackages });
  console.log("BOOT:plain");
}
const code = await readFile(scriptPath, "utf8");
await pyodide.runPythonAsync(code);
