"""Build-time packaging of the browser runtime.

* Copies the pinned Pyodide core runtime from ``node_modules/pyodide`` into the site
  under a versioned folder (``assets/pyodide/<version>/``), so browsers may cache it.
* Packages ``worksheet_engine/`` as a pure-Python wheel with the standard library and
  registers it, with its sha256, in the site's own ``pyodide-lock.json``. Pyodide's
  loader then fetches and verifies it with ``loadPackage("worksheet-engine")``.

Why not pyodide-build / pyodide-lock: on this project's Python 3.11 ``pyodide build``
needs internet, and the newest pyodide-lock that installs cannot parse Pyodide 314's
lock file. The lock file is plain JSON and a wheel is a zip, so stdlib is enough.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
ENGINE_DIR = ROOT / "worksheet_engine"
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
GZIP_SUFFIXES = (".wasm", ".js", ".zip", ".json", ".whl")
PACKAGE_NAME = "worksheet-engine"
#: Engine modules the browser never imports (command line and developer tools, which
#: read files); left out of the browser's wheel to keep the download small.
#: Left out of the browser's wheel: the trainer tools (everything under tools/, which do
#: file I/O) and the command-line entry point.
BROWSER_EXCLUDE_DIRS = frozenset({"tools", "schemas"})
BROWSER_EXCLUDE = frozenset({"__main__.py"})
#: Bytecode compiled by Pyodide's own Python, cached by Pyodide version and engine hash
#: (node_modules/.cache is where JS tools keep such caches; `npm ci` clears it; the
#: WS_PYC_CACHE environment variable points elsewhere).
PYC_CACHE = ROOT / "node_modules" / ".cache" / "worksheet-engine-pyc"
log = logging.getLogger("mkdocs.macros.runtime")

#: Run by Node: compile the engine's sources with Pyodide's Python (3.14) into
#: unchecked-hash .pyc files (PEP 552), which Python uses without looking at the
#: source's timestamp (the wheel's files get new timestamps when unpacked).
_COMPILE_JS = r"""
const [pyodideUrl, inPath, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideUrl);
const { readFileSync, writeFileSync } = await import("node:fs");
const py = await loadPyodide({ env: { PYTHONNODEBUGRANGES: "1" } });
py.globals.set("sources_json", readFileSync(inPath, "utf8"));
writeFileSync(outPath, py.runPython(`
import base64, importlib.util, json, os, py_compile
out = {}
for name, data in json.loads(sources_json).items():
    path = "/src/" + name
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    cfile = importlib.util.cache_from_source(path)
    py_compile.compile(path, cfile=cfile, dfile=name, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    with open(cfile, "rb") as f:
        out[os.path.relpath(cfile, "/src")] = base64.b64encode(f.read()).decode()
json.dumps(out)
`));
"""
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class RuntimeMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class EngineWheel:
    file_name: str
    data: bytes
    sha256: str
    version: str


def pyodide_version() -> str:
    pkg = PYODIDE_DIR / "package.json"
    if not pkg.exists():
        raise RuntimeMissing(
            "node_modules/pyodide is missing: run `npm ci` (or `make site`, which does it)."
        )
    return str(json.loads(pkg.read_text(encoding="utf-8"))["version"])


def engine_version() -> str:
    for line in (ENGINE_DIR / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError("worksheet_engine.__version__ not found")


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def compile_bytecode(sources: list[tuple[str, bytes]], key: str) -> dict[str, bytes]:
    """``{"pkg/__pycache__/mod.cpython-314.pyc": bytes}`` for the ``.py`` files in ``sources``.

    Importing the engine from source costs Pyodide about 0.7 s of compiling on a
    2-core machine, from bytecode about 0.06 s. Pyodide's Python is newer than the
    build's, so Node runs Pyodide itself once per engine version (a few seconds); the
    result is cached. Without Node this returns {} and the wheel carries sources only.
    """
    cache_dir = Path(os.environ.get("WS_PYC_CACHE") or PYC_CACHE)
    cache = cache_dir / f"{pyodide_version()}-{key}.json"
    if cache.exists():
        try:
            return {k: base64.b64decode(v) for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
        except (ValueError, OSError):
            pass
    node = shutil.which("node")
    if node is None:
        log.info("node not found: the engine wheel carries sources only (slower first import)")
        return {}
    payload = {name: base64.b64encode(data).decode() for name, data in sources if name.endswith(".py")}
    with tempfile.TemporaryDirectory(prefix="ws-pyc-") as tmp:
        script, src, out = Path(tmp, "compile.mjs"), Path(tmp, "in.json"), Path(tmp, "out.json")
        script.write_text(_COMPILE_JS, encoding="utf-8")
        src.write_text(json.dumps(payload), encoding="utf-8")
        try:
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


def build_engine_wheel(bytecode: bool = True) -> EngineWheel:
    """A deterministic py3-none-any wheel of ``worksheet_engine`` for the browser: sources
    and schemas (minus :data:`BROWSER_EXCLUDE`), plus Pyodide-compiled bytecode when
    ``bytecode`` and Node are available."""
    sources = sorted(
        p for p in ENGINE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".json"} and "__pycache__" not in p.parts
        and p.relative_to(ENGINE_DIR).as_posix() not in BROWSER_EXCLUDE
        and p.relative_to(ENGINE_DIR).parts[0] not in BROWSER_EXCLUDE_DIRS
    )
    files: list[tuple[str, bytes]] = [
        (p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sources
    ]
    content_hash = hashlib.sha256(b"".join(n.encode() + d for n, d in files)).hexdigest()[:10]
    pyc = compile_bytecode(files, content_hash) if bytecode else {}
    files += sorted(pyc.items())
    # A local version label carries the content hash (and whether bytecode is inside),
    # so a changed engine gets a new URL and no browser keeps a stale cached copy.
    version = f"{engine_version()}+{content_hash}" + (".pyc" if pyc else "")
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
    )


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


def install_runtime(site_dir: Path, runtime_path: str, wheel: EngineWheel) -> Path:
    """Copy Pyodide and the engine wheel into ``site_dir / runtime_path``."""
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
    (target / wheel.file_name).write_bytes(wheel.data)
    (target / "pyodide-lock.json").write_text(
        json.dumps(lock_for(wheel), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return target


def _gzip(path: Path, level: int) -> None:
    gz = path.with_name(path.name + ".gz")
    if gz.exists() and gz.stat().st_mtime >= path.stat().st_mtime:
        return
    with path.open("rb") as src, gzip.GzipFile(gz, "wb", compresslevel=level, mtime=0) as dst:
        shutil.copyfileobj(src, dst)


def precompress(folder: Path) -> None:
    """Write ``name.gz`` next to each large runtime file (for gzip_static / IIS / Apache)."""
    for path in folder.iterdir():
        if path.suffix not in GZIP_SUFFIXES or path.name.endswith(".gz"):
            continue
        _gzip(path, 9)


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
