"""Build-time packaging of the browser runtime.

* Copies the pinned Pyodide core runtime from ``node_modules/pyodide`` into the site
  under a versioned folder (``assets/pyodide/<version>/``), so browsers may cache it.
* Packages ``worksheet_engine/`` (every subpackage except ``tools/``, which holds the
  trainer's command-line tools) as a pure-Python wheel with the standard library and
  registers it, with its sha256, in the site's own ``pyodide-lock.json``. Pyodide's
  loader then fetches and verifies it with ``loadPackage("worksheet-engine")``.
* Makes a **memory snapshot** of Pyodide with the engine imported and warmed, with Node,
  from the very files the site ships (:class:`SnapshotJob`). The worker restores it
  instead of initialising Python (about 1 s instead of 4-6 s) and falls back to the
  plain boot whenever it cannot. Without Node the site boots the plain way.
* Writes ``name.gz`` beside big files for servers that send precompressed files.

Why not pyodide-build / pyodide-lock: on this project's Python 3.11 ``pyodide build``
needs internet, and the newest pyodide-lock that installs cannot parse Pyodide 314's
lock file. The lock file is plain JSON and a wheel is a zip, so stdlib is enough.

Environment: ``WS_FAST_BUILD=1`` compresses files over 1 MB at gzip level 1 instead of
6-9 (test builds: a few seconds less on an empty cache, about 10 % larger ``.gz``);
``WS_SNAPSHOT=0`` makes no memory snapshot (test builds whose Python never runs in a
browser; like ``extra.worksheets.snapshot: false``);
``WS_PYC_CACHE``, ``WS_SNAPSHOT_CACHE`` and ``WS_GZIP_CACHE`` move the caches.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
ENGINE_DIR = ROOT / "worksheet_engine"
#: The page/worker/build contract (the snapshot file's trailer is written with it).
PROTOCOL_JS = ROOT / "docs" / "javascripts" / "worksheet" / "engine-protocol.js"
#: Files of the npm package the browser needs, and their names in the site. The two ES
#: modules are renamed to ``.js``: Python 3.11's ``http.server`` (and IIS by default)
#: serve ``.mjs`` as application/octet-stream, which browsers refuse to run as a
#: module. The worker imports ``pyodide.asm.esm.js`` itself and hands it to
#: ``loadPyodide`` as ``createPyodideModule``, so Pyodide never asks for ``.mjs``.
RUNTIME_FILES = {
    "pyodide.mjs": "pyodide.esm.js",
    "pyodide.asm.mjs": "pyodide.asm.esm.js",
    "pyodide.asm.wasm": "pyodide.asm.wasm",
    "python_stdlib.zip": "python_stdlib.zip",
}
#: Served precompressed (.gz beside the original) for servers set up for it.
GZIP_SUFFIXES = (".wasm", ".js", ".zip", ".json", ".whl", ".bin")
PACKAGE_NAME = "worksheet-engine"
#: Left out of the browser's wheel, by folder: the trainer tools (command line, class
#: report, accuracy: file I/O, never run in the browser) and the JSON Schemas (documentation
#: of the saved-data format); and the command-line entry point (``python -m``).
BROWSER_EXCLUDE_DIRS = frozenset({"tools", "schemas"})
BROWSER_EXCLUDE_TOP = frozenset({"__main__.py"})
#: Where JS tools keep caches (`npm ci` clears it). Bytecode by Pyodide version and
#: engine hash; snapshots by runtime + engine hash; .gz copies of big files by content.
CACHE = ROOT / "node_modules" / ".cache"
PYC_CACHE = CACHE / "worksheet-engine-pyc"
SNAPSHOT_CACHE = CACHE / "worksheet-engine-snapshot"
GZIP_CACHE = CACHE / "worksheet-gzip"
log = logging.getLogger("mkdocs.macros.runtime")

#: Python, run by Pyodide's Python (3.14) under Node: compile the engine's sources (JSON
#: ``{name: base64}`` in SOURCES_PATH) into unchecked-hash .pyc files (PEP 552), which
#: Python uses without looking at the source's timestamp (the wheel's files get new
#: timestamps when unpacked), and write ``{pyc name: base64}`` to OUT_PATH.
_COMPILE_PY = """
def _ws_compile(sources_path, out_path):
    import base64, importlib.util, json, os, py_compile
    out = {}
    with open(sources_path, encoding="utf-8") as f:
        sources = json.load(f)
    for name, data in sources.items():
        path = "/src/" + name
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        cfile = importlib.util.cache_from_source(path)
        py_compile.compile(path, cfile=cfile, dfile=name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        with open(cfile, "rb") as f:
            out[os.path.relpath(cfile, "/src")] = base64.b64encode(f.read()).decode()
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)
"""

#: Run by Node when no snapshot is being made: the compile step alone.
_COMPILE_JS = r"""
const [pyodideUrl, inPath, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideUrl);
const { readFileSync, writeFileSync } = await import("node:fs");
const py = await loadPyodide({ env: { PYTHONNODEBUGRANGES: "1" } });
py.FS.writeFile("/tmp/sources.json", readFileSync(inPath));
py.runPython(`""" + _COMPILE_PY + r"""
_ws_compile("/tmp/sources.json", "/tmp/pyc.json")`);
writeFileSync(outPath, py.FS.readFile("/tmp/pyc.json"));
"""

#: Run by Node in a throw-away Pyodide instance (pyodide#5729: an instance that made a
#: snapshot must not be used again). It boots first, then reads the wheel's path from
#: stdin, so booting overlaps with compiling the wheel's bytecode. Only strings cross
#: between JS and Python (no JS object may be referenced from the snapshot).
#: Exit codes: 2 warm-up failed, 3 restore failed, 4 restored engine answered otherwise,
#: 5 compiling failed.
_SNAPSHOT_JS = r"""
const [pyodideUrl, protocolUrl, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideUrl);
const { openSnapshot, sealSnapshot } = await import(protocolUrl);
const fs = await import("node:fs");
const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n") };
const fail = (code, what, err) => {
  process.stderr.write(`${what}: ${(err && err.message) || err}\n`);
  process.exit(code);
};
// PYTHONNODEBUGRANGES: the same flags as the bytecode compiled for the wheel.
const py = await loadPyodide({ ...quiet, _makeSnapshot: true, env: { PYTHONNODEBUGRANGES: "1" } });
// Orders on stdin, one a line: "compile SOURCES OUT" (optional: the wheel's bytecode,
// compiled by this booted instance before it imports the engine, which saves a second
// Pyodide boot), then "wheel PATH". End of input before "wheel": nothing to do.
const lines = (await import("node:readline")).createInterface({ input: process.stdin })[Symbol.asyncIterator]();
let wheelPath = null;
for (;;) {
  const { value, done } = await lines.next();
  if (done) process.exit(0);
  const [order, a, b] = value.trim().split("\t");
  if (order === "compile") {
    try {
      py.FS.writeFile("/tmp/sources.json", fs.readFileSync(a));
      py.runPython(`""" + _COMPILE_PY + r"""
_ws_compile("/tmp/sources.json", "/tmp/pyc.json")
del _ws_compile`);
      fs.writeFileSync(b, py.FS.readFile("/tmp/pyc.json"));
      process.stdout.write("compiled\n");
    } catch (err) {
      fail(5, "compiling the engine failed", err);
    }
  } else if (order === "wheel") {
    wheelPath = a;
    break;
  }
}
py.FS.writeFile("/tmp/engine.whl", new Uint8Array(fs.readFileSync(wheelPath)));
let expected;
try {
  expected = py.runPython(`
import gc, json, os, site, zipfile
with zipfile.ZipFile("/tmp/engine.whl") as _whl:
    _whl.extractall(site.getsitepackages()[0])
os.remove("/tmp/engine.whl")
del _whl

def _ws_warm():
    # Import the engine and check every worksheet (its example and an empty entry):
    # modules imported, regexes compiled, lazy imports done.
    import json
    from worksheet_engine import api
    from worksheet_engine.worksheets import WORKSHEETS
    out = []
    for slug, ws in sorted(WORKSHEETS.items()):
        example = dict(getattr(ws, "example", None) or {})
        out.append(api.evaluate(slug, example, "2026-11-24"))
        out.append(json.loads(api.evaluate_json(slug, json.dumps(example, ensure_ascii=False), "2026-11-24")))
        out.append(json.loads(api.evaluate_json(slug, "{}", None)))
    return json.dumps(out, ensure_ascii=False, sort_keys=True)

_ws_expected = _ws_warm()
gc.collect()
gc.freeze()  # what start-up made is never scanned again by the collector
_ws_expected
`);
} catch (err) {
  fail(2, "warm-up failed", err);
}
const snapshot = py.makeMemorySnapshot();
const header = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 2)[1];
process.stdout.write(JSON.stringify({ bytes: snapshot.byteLength, header }) + "\n");
// Restored from the file as shipped (header padded, trailer checked), like the worker does.
let answered;
let sealed;
try {
  sealed = sealSnapshot(snapshot);
  const opened = openSnapshot(sealed, { heapBytes: null, buildId: null });
  if (!opened.snapshot) throw new Error(`sealed file refused: ${opened.reason}`);
  const restored = await loadPyodide({ ...quiet, _loadSnapshot: opened.snapshot });
  answered = restored.runPython("_ws_warm()");
} catch (err) {
  fail(3, "restore failed", err);
}
if (answered !== expected) fail(4, "restored engine answered differently", "");
const part = `${outPath}.${process.pid}.tmp`;
fs.writeFileSync(part, sealed);
fs.renameSync(part, outPath);
"""
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class RuntimeMissing(RuntimeError):
    pass


class SnapshotError(RuntimeError):
    """The memory snapshot could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class EngineWheel:
    file_name: str
    data: bytes
    sha256: str
    version: str
    #: sha256 of the engine's shipped sources (names and bytes), before bytecode
    content_hash: str = ""


def pyodide_version() -> str:
    pkg = PYODIDE_DIR / "package.json"
    if not pkg.exists():
        raise RuntimeMissing(
            "node_modules/pyodide is missing: run `npm ci` (or `make site`, which does it)."
        )
    return str(json.loads(pkg.read_text(encoding="utf-8"))["version"])


def engine_version(engine_dir: Path = ENGINE_DIR) -> str:
    for line in (engine_dir / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError("worksheet_engine.__version__ not found")


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def _node() -> str | None:
    return shutil.which("node")


def compile_bytecode(sources: list[tuple[str, bytes]], key: str, job: SnapshotJob | None = None) -> dict[str, bytes]:
    """``{"pkg/__pycache__/mod.cpython-314.pyc": bytes}`` for the ``.py`` files in ``sources``.

    Importing the engine from source costs Pyodide about 0.7 s of compiling on a
    2-core machine, from bytecode about 0.06 s (what the plain boot, without the
    snapshot, pays). Pyodide's Python is newer than the build's, so Node runs Pyodide
    itself once per engine version (a few seconds); the result is cached. Without Node
    this returns {} and the wheel carries sources only. When a snapshot is being made,
    its Node process (``job``, Pyodide already booting) compiles instead.
    """
    cache_dir = Path(os.environ.get("WS_PYC_CACHE") or PYC_CACHE)
    cache = cache_dir / f"{pyodide_version()}-{key}.json"
    if cache.exists():
        try:
            return {k: base64.b64decode(v) for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
        except (ValueError, OSError):
            pass
    node = _node()
    if node is None:
        log.info("node not found: the engine wheel carries sources only (slower first import)")
        return {}
    payload = {name: base64.b64encode(data).decode() for name, data in sources if name.endswith(".py")}
    with tempfile.TemporaryDirectory(prefix="ws-pyc-") as tmp:
        script, src, out = Path(tmp, "compile.mjs"), Path(tmp, "in.json"), Path(tmp, "out.json")
        script.write_text(_COMPILE_JS, encoding="utf-8")
        src.write_text(json.dumps(payload), encoding="utf-8")
        try:
            if job is None or not job.compile(src, out):
                subprocess.run([node, str(script), (PYODIDE_DIR / "pyodide.mjs").as_uri(), str(src), str(out)],
                               check=True, capture_output=True, timeout=180)
            text = out.read_text(encoding="utf-8")
            compiled = {k: base64.b64decode(v) for k, v in json.loads(text).items()}
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            log.info("could not precompile the engine with Pyodide (%s): sources only", exc)
            return {}
    cache_dir.mkdir(parents=True, exist_ok=True)
    part = cache.with_suffix(f".{os.getpid()}.tmp")
    part.write_text(text, encoding="utf-8")
    os.replace(part, cache)
    return compiled


def engine_sources(engine_dir: Path = ENGINE_DIR) -> tuple[list[tuple[str, bytes]], str]:
    """The engine's files the browser gets, as ``(path in the wheel, bytes)``, and their hash.

    Every module and data file of every subpackage ships, except the folders in
    :data:`BROWSER_EXCLUDE_DIRS` (decided by folder, so a module moved into ``tools/``
    leaves the browser and a new subpackage joins it), the entry point, byte-code caches
    and hidden files.
    """
    root_name = engine_dir.name
    files: list[tuple[str, bytes]] = []
    for path in sorted(engine_dir.rglob("*")):
        rel = path.relative_to(engine_dir)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        if (len(rel.parts) > 1 and rel.parts[0] in BROWSER_EXCLUDE_DIRS) or rel.as_posix() in BROWSER_EXCLUDE_TOP:
            continue
        files.append((f"{root_name}/{rel.as_posix()}", path.read_bytes()))
    content_hash = hashlib.sha256(b"".join(n.encode() + b"\0" + d for n, d in files)).hexdigest()[:10]
    return files, content_hash


def build_engine_wheel(bytecode: bool = True, engine_dir: Path = ENGINE_DIR, job: SnapshotJob | None = None) -> EngineWheel:
    """A deterministic py3-none-any wheel of ``worksheet_engine`` for the browser: the
    files of :func:`engine_sources`, plus Pyodide-compiled bytecode when ``bytecode`` and
    Node are available."""
    files, content_hash = engine_sources(engine_dir)
    pyc = compile_bytecode(files, content_hash, job) if bytecode else {}
    files += sorted(pyc.items())
    # A local version label carries the content hash (and whether bytecode is inside),
    # so a changed engine gets a new URL and no browser keeps a stale cached copy.
    version = f"{engine_version(engine_dir)}+{content_hash}" + (".pyc" if pyc else "")
    dist_info = f"worksheet_engine-{version}.dist-info"
    files.append((f"{dist_info}/METADATA", (
        "Metadata-Version: 2.1\nName: worksheet-engine\n"
        f"Version: {version}\nSummary: 客服管理工作表检查引擎\n"
    ).encode()))
    files.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: macros.runtime\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()))
    record = "".join(f"{n},{_record_hash(d)},{len(d)}\n" for n, d in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    data = buf.getvalue()
    return EngineWheel(
        file_name=f"worksheet_engine-{version}-py3-none-any.whl",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        version=version,
        content_hash=content_hash,
    )


# ---- the memory snapshot --------------------------------------------------------------------


def _leb128(data: bytes, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def wasm_initial_memory(path: Path) -> int | None:
    """Bytes of linear memory the wasm module starts with (its memory section), or None.

    Pyodide 314 sizes the heap from the module, not from the snapshot (pyodide#6254): a
    snapshot whose heap is larger cannot be restored (``RangeError``).
    """
    data = path.read_bytes()
    if data[:4] != b"\0asm":
        return None
    i = 8
    try:
        while i < len(data):
            section, i = data[i], i + 1
            size, i = _leb128(data, i)
            if section == 5:  # memory: count, then flags + initial pages (+ maximum)
                count, j = _leb128(data, i)
                if count < 1:
                    return None
                flags, j = _leb128(data, j)
                pages, _ = _leb128(data, j)
                return pages * 65536 if not flags & 0x04 else None  # 64-bit memories: not handled
            i += size
    except IndexError:
        return None
    return None


def pyodide_build_id() -> str | None:
    """The build id Pyodide writes into (and demands of) every snapshot."""
    m = re.search(r'BUILD_ID:"([0-9a-f]{64})"', (PYODIDE_DIR / "pyodide.mjs").read_text(encoding="utf-8"))
    return m.group(1) if m else None


_fingerprints: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _fingerprints:
        _fingerprints[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _fingerprints[key]


def runtime_fingerprint() -> str:
    """Hash of the Pyodide files the site ships (a snapshot is tied to that exact build)."""
    h = hashlib.sha256(pyodide_version().encode())
    for name in sorted(RUNTIME_FILES):
        h.update(name.encode() + _file_sha256(PYODIDE_DIR / name).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class SnapshotPlan:
    """What the pages need to know about the snapshot before it exists."""

    #: ``engine-snapshot-<key>.bin``; the key hashes the runtime, the engine and the recipe
    file_name: str
    key: str
    heap_bytes: int | None
    build_id: str | None
    cache_path: Path


def plan_snapshot(content_hash: str) -> SnapshotPlan:
    """The snapshot of the engine with sources ``content_hash`` on the shipped runtime.

    The key covers everything the snapshot depends on: the Pyodide files, the engine's
    sources (bytecode or not, the same modules end up in memory), the recipe
    (:data:`_SNAPSHOT_JS`) and the file format (engine-protocol.js). A changed engine or
    runtime gets a new file name, so a browser never restores a stale snapshot.
    """
    h = hashlib.sha256()
    for part in (runtime_fingerprint(), content_hash, _SNAPSHOT_JS, PROTOCOL_JS.read_text(encoding="utf-8")):
        h.update(part.encode() + b"\0")
    key = h.hexdigest()[:16]
    cache_dir = Path(os.environ.get("WS_SNAPSHOT_CACHE") or SNAPSHOT_CACHE)
    return SnapshotPlan(
        file_name=f"engine-snapshot-{key}.bin",
        key=key,
        heap_bytes=wasm_initial_memory(PYODIDE_DIR / "pyodide.asm.wasm"),
        build_id=pyodide_build_id(),
        cache_path=cache_dir / f"{pyodide_version()}-{key}.bin",
    )


def _mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB"


class SnapshotJob:
    """Makes the snapshot with Node in the background while MkDocs renders the pages.

    ``SnapshotJob.start(plan)`` boots Pyodide in Node at once (unless the snapshot is
    cached); :meth:`feed` hands it the engine wheel once built; :meth:`wait` (in
    ``on_post_build``) returns the snapshot file, or raises :class:`SnapshotError`.
    """

    def __init__(self, plan: SnapshotPlan, proc: subprocess.Popen[bytes] | None, tmp: Path | None) -> None:
        self.plan = plan
        self._proc = proc
        self._tmp = tmp
        self._started = time.perf_counter()

    @classmethod
    def start(cls, plan: SnapshotPlan) -> SnapshotJob:
        if plan.cache_path.exists():
            os.utime(plan.cache_path)  # recently used: kept by _prune
            return cls(plan, None, None)
        node = _node()
        if node is None:
            raise RuntimeMissing("node not found")
        plan.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="ws-snapshot-"))
        script = tmp / "snapshot.mjs"
        script.write_text(_SNAPSHOT_JS, encoding="utf-8")
        with open(tmp / "err.txt", "wb") as err:
            proc = subprocess.Popen(
                [node, str(script), (PYODIDE_DIR / "pyodide.mjs").as_uri(), PROTOCOL_JS.as_uri(), str(plan.cache_path)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
            )
        return cls(plan, proc, tmp)

    @property
    def cached(self) -> bool:
        return self._proc is None

    def _order(self, *words: str) -> bool:
        if self._proc is None or self._proc.stdin is None or self._proc.stdin.closed:
            return False
        try:
            self._proc.stdin.write("\t".join(words).encode() + b"\n")
            self._proc.stdin.flush()
            return True
        except OSError:
            return False  # Node died already: wait() reports why

    def compile(self, sources: Path, out: Path) -> bool:
        """Have the booted instance compile the wheel's bytecode (see compile_bytecode)."""
        if not self._order("compile", str(sources), str(out)) or self._proc is None or self._proc.stdout is None:
            return False
        return self._proc.stdout.readline().strip() == b"compiled" and out.exists()

    def feed(self, wheel: EngineWheel) -> None:
        """Give the booted Node process the wheel the site ships."""
        if self._tmp is None:
            return
        path = self._tmp / wheel.file_name
        path.write_bytes(wheel.data)
        self._order("wheel", str(path))
        if self._proc is not None and self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass

    def cancel(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None and not pipe.closed:
                    pipe.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def wait(self, timeout: float = 300) -> Path:
        plan = self.plan
        if self._proc is None:
            return plan.cache_path
        try:
            code = self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise SnapshotError(f"making the memory snapshot took over {timeout:.0f} s") from None
        assert self._tmp is not None
        out = ""
        if self._proc.stdout is not None:
            out = self._proc.stdout.read().decode("utf-8", "replace")
            self._proc.stdout.close()
        err = (self._tmp / "err.txt").read_text(encoding="utf-8", errors="replace").strip()
        self._cleanup()
        took = time.perf_counter() - self._started
        sizes = next((json.loads(line) for line in out.splitlines() if line.startswith("{")), None)
        failure = snapshot_failure(plan, sizes, code, err)
        if failure is None and not plan.cache_path.exists():
            failure = snapshot_failure(plan, sizes, -1, err or "no snapshot file written")
        if failure is not None:
            raise failure
        log.info("memory snapshot made in %.1f s: %s (%s)", took, plan.file_name, _mib(plan.cache_path.stat().st_size))
        self._proc = None
        _prune(plan.cache_path.parent, "*.bin", keep=6)
        return plan.cache_path


def snapshot_failure(plan: SnapshotPlan, sizes: dict[str, int] | None, code: int, err: str) -> SnapshotError | None:
    """Why making the snapshot failed (None: it did not). ``sizes`` is what the Node
    script reported (``bytes``, ``header``), ``code`` its exit code, ``err`` its stderr."""
    if sizes and plan.heap_bytes and sizes["bytes"] - sizes["header"] > plan.heap_bytes:
        return SnapshotError(
            f"the engine's memory snapshot no longer fits: its heap is {_mib(sizes['bytes'] - sizes['header'])}, "
            f"but Pyodide {pyodide_version()} starts every instance with a fixed {_mib(plan.heap_bytes)} heap and "
            "cannot restore a larger one (pyodide#6254). The engine (or what it imports when warmed: see "
            "_SNAPSHOT_JS in macros/runtime.py) grew. Import less at module level, or build without the snapshot "
            "(extra.worksheets.snapshot: false) until Pyodide lifts the limit."
        )
    if code != 0:
        detail = err.strip().splitlines()[-12:] if err.strip() else [f"exit code {code}"]
        return SnapshotError(
            "could not make the engine's memory snapshot with Node + Pyodide:\n    " + "\n    ".join(detail)
            + "\nFix the engine, or build without the snapshot (extra.worksheets.snapshot: false)."
        )
    return None


def _prune(folder: Path, pattern: str, keep: int) -> None:
    """Keep the ``keep`` most recently used files of a cache folder."""
    try:
        files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def lock_for(wheel: EngineWheel) -> dict[str, object]:
    """The site's lock file: the npm lock's ``info`` plus only our package."""
    upstream = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    return {
        "info": upstream["info"],
        "packages": {
            PACKAGE_NAME: {
                "name": PACKAGE_NAME,
                "version": wheel.version,
                "file_name": wheel.file_name,
                "install_dir": "site",
                "sha256": wheel.sha256,
                "package_type": "package",
                "imports": ["worksheet_engine"],
                "depends": [],
                "unvendored_tests": False,
            }
        },
    }


def install_runtime(site_dir: Path, runtime_path: str, wheel: EngineWheel, snapshot: Path | None = None,
                    snapshot_name: str | None = None) -> Path:
    """Copy Pyodide, the engine wheel and (if made) the memory snapshot into ``site_dir / runtime_path``."""
    target = site_dir / runtime_path
    target.mkdir(parents=True, exist_ok=True)
    for name, site_name in RUNTIME_FILES.items():
        src = PYODIDE_DIR / name
        if not src.exists():
            raise RuntimeMissing(f"{src} is missing: run `npm ci`.")
        dst = target / site_name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copy2(src, dst)
    for old in target.glob("worksheet_engine-*.whl*"):
        if not old.name.startswith(wheel.file_name):
            old.unlink()
    for old in target.glob("*snapshot*.bin*"):
        if snapshot_name is None or not old.name.startswith(snapshot_name):
            old.unlink()
    (target / wheel.file_name).write_bytes(wheel.data)
    if snapshot is not None and snapshot_name is not None:
        dst = target / snapshot_name
        if not dst.exists() or dst.stat().st_size != snapshot.stat().st_size:
            shutil.copyfile(snapshot, dst)
    (target / "pyodide-lock.json").write_text(
        json.dumps(lock_for(wheel), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return target


#: Files at least this big are compressed once and kept in GZIP_CACHE by content, and are
#: the ones WS_FAST_BUILD compresses at level 1.
BIG_FILE_BYTES = 1 << 20


def snapshot_off() -> bool:
    """``WS_SNAPSHOT=0``: test builds whose Python never runs in a browser make no snapshot."""
    return os.environ.get("WS_SNAPSHOT", "").strip() == "0"


def fast_build() -> bool:
    """``WS_FAST_BUILD=1``: test builds compress big files at gzip level 1."""
    return os.environ.get("WS_FAST_BUILD", "").strip() not in ("", "0")


def _gzip(path: Path, level: int) -> None:
    gz = path.with_name(path.name + ".gz")
    if gz.exists() and gz.stat().st_mtime >= path.stat().st_mtime:
        return
    size = path.stat().st_size
    if size < BIG_FILE_BYTES:
        with path.open("rb") as src, gzip.GzipFile(gz, "wb", compresslevel=level, mtime=0) as dst:
            shutil.copyfileobj(src, dst)
        return
    if fast_build():
        level = 1
    # Big files (wasm, stdlib, snapshot) rarely change: compress each content once.
    cache_dir = Path(os.environ.get("WS_GZIP_CACHE") or GZIP_CACHE)
    cached = cache_dir / f"{_file_sha256(path)[:24]}-{level}.gz"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        part = cached.with_suffix(f".{os.getpid()}.tmp")
        with path.open("rb") as src, gzip.GzipFile(part, "wb", compresslevel=level, mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(part, cached)
        _prune(cache_dir, "*.gz", keep=16)
    else:
        os.utime(cached)  # recently used: kept by _prune
    shutil.copyfile(cached, gz)


#: gzip level per file: 9 for the runtime, but 6 above this size (the 30 MB snapshot:
#: level 9 takes 9x as long for 1 % less).
GZIP_9_MAX_BYTES = 16 << 20


def precompress(folder: Path) -> None:
    """Write ``name.gz`` next to each large runtime file (for gzip_static / IIS / Apache)."""
    for path in folder.iterdir():
        if path.suffix not in GZIP_SUFFIXES or path.name.endswith(".gz"):
            continue
        _gzip(path, 9 if path.stat().st_size <= GZIP_9_MAX_BYTES else 6)


#: The rest of the site a first visit loads (pages, theme, search index), precompressed
#: too, so a server with gzip_static sends about 6.6 MB instead of 14.7 MB in all.
SITE_GZIP_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
SITE_GZIP_MIN_BYTES = 1024


def precompress_site(site_dir: Path, skip: Path | None = None) -> None:
    """Write ``name.gz`` beside every text file of the site worth compressing (not ``skip``)."""
    for path in site_dir.rglob("*"):
        if (path.suffix not in SITE_GZIP_SUFFIXES or not path.is_file()
                or (skip is not None and path.is_relative_to(skip))
                or path.stat().st_size < SITE_GZIP_MIN_BYTES):
            continue
        _gzip(path, 6)


#: Written to the site root for IIS, which refuses to serve file types it does not know
#: (.wasm and .whl answer 404 by default) and knows no .json on old versions. Every type
#: is removed first, so a server that already maps it does not fail with "duplicate
#: entry" (500.19). Other servers ignore the file. See docs/trainer/deploy.md.
IIS_WEB_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<!-- Written by the site build (macros/runtime.py) for IIS; other web servers ignore it.
     See the trainer page 部署指南 (trainer/deploy/). -->
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".wasm" />
      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
      <remove fileExtension=".whl" />
      <mimeMap fileExtension=".whl" mimeType="application/zip" />
      <remove fileExtension=".json" />
      <mimeMap fileExtension=".json" mimeType="application/json" />
      <remove fileExtension=".zip" />
      <mimeMap fileExtension=".zip" mimeType="application/zip" />
      <remove fileExtension=".bin" />
      <mimeMap fileExtension=".bin" mimeType="application/octet-stream" />
      <remove fileExtension=".gz" />
      <mimeMap fileExtension=".gz" mimeType="application/gzip" />
    </staticContent>
  </system.webServer>
  <!-- The Python runtime never changes under the same versioned URL. -->
  <location path="assets/pyodide">
    <system.webServer>
      <staticContent>
        <clientCache cacheControlMode="UseMaxAge" cacheControlMaxAge="365.00:00:00" />
      </staticContent>
    </system.webServer>
  </location>
</configuration>
"""


def write_server_files(site_dir: Path) -> None:
    """Server settings that travel with the site (only IIS reads a file from the folder)."""
    (site_dir / "web.config").write_text(IIS_WEB_CONFIG, encoding="utf-8")
