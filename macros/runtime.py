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
import shutil
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


def build_engine_wheel() -> EngineWheel:
    """A deterministic py3-none-any wheel of ``worksheet_engine`` (sources + schemas)."""
    sources = sorted(
        p for p in ENGINE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".json"} and "__pycache__" not in p.parts
    )
    files: list[tuple[str, bytes]] = [
        (p.relative_to(ROOT).as_posix(), p.read_bytes()) for p in sources
    ]
    content_hash = hashlib.sha256(b"".join(n.encode() + d for n, d in files)).hexdigest()[:10]
    # A local version label carries the content hash, so a changed engine gets a new
    # URL and no browser keeps running a stale cached copy.
    version = f"{engine_version()}+{content_hash}"
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


def precompress(folder: Path) -> None:
    """Write ``name.gz`` next to each large runtime file (for gzip_static / IIS / Apache)."""
    for path in folder.iterdir():
        if path.suffix not in GZIP_SUFFIXES or path.name.endswith(".gz"):
            continue
        gz = path.with_name(path.name + ".gz")
        if gz.exists() and gz.stat().st_mtime >= path.stat().st_mtime:
            continue
        with path.open("rb") as src, gzip.GzipFile(gz, "wb", compresslevel=9, mtime=0) as dst:
            shutil.copyfileobj(src, dst)
