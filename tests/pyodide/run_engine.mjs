// Runs Python code against the engine wheel inside the npm Pyodide runtime (the
// browser's Python, 3.14) under Node. Usage:
//   node tests/pyodide/run_engine.mjs WHEEL_PATH SCRIPT_PATH
// The script's stdout (last expression printed by the script) is written to stdout.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [wheelPath, scriptPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve("pyodide/package.json", { paths: [process.cwd()] }));
const { loadPyodide } = await import(path.join(pkgDir, "pyodide.mjs"));

const pyodide = await loadPyodide({ indexURL: pkgDir + path.sep, stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
const wheel = await readFile(wheelPath);
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(wheel), "zip", { extractDir: sitePackages });
const code = await readFile(scriptPath, "utf8");
await pyodide.runPythonAsync(code);
