"""What the build writes for hosting (the shared build, tests/conftest.py): precompressed
copies, the engine wheel with Pyodide's bytecode, the runtime settings rendered once per
page as JSON (watchdog and python_start from mkdocs.yml) and IIS's web.config. The same
site served in Chromium: tests/browser/test_hosting.py and test_snapshot.py."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.site


def runtime_dir(site: Path) -> Path:
    return next((site / "assets" / "pyodide").iterdir())


def test_precompressed_copies_match_and_halve_the_runtime(site: Path) -> None:
    runtime = runtime_dir(site)
    raw = gz = 0
    for path in runtime.iterdir():
        if path.suffix == ".gz":
            continue
        packed = path.with_name(path.name + ".gz")
        assert packed.exists(), f"{path.name}.gz missing"
        assert gzip.decompress(packed.read_bytes()) == path.read_bytes(), path.name
        raw += path.stat().st_size
        gz += packed.stat().st_size
    # Runtime + memory snapshot ≈ 31 MB raw; compressed (even at WS_FAST_BUILD's level 1) under half.
    assert raw > 25_000_000 and gz < raw / 2, (raw, gz)
    # The pages and theme files are precompressed too (gzip_static serves them).
    assert (site / "worksheets" / "smart" / "index.html.gz").exists()
    assert (site / "search" / "search_index.json.gz").exists()


def test_engine_wheel_carries_pyodide_bytecode(site: Path) -> None:
    """Importing the engine from bytecode skips Python's compile step in the browser."""
    if shutil.which("node") is None:
        pytest.skip("node is needed to compile with Pyodide's Python")
    runtime = runtime_dir(site)
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    major, minor = lock["info"]["python"].split(".")[:2]
    names = set(zipfile.ZipFile(runtime / lock["packages"]["worksheet-engine"]["file_name"]).namelist())
    sources = [n for n in names if n.endswith(".py")]
    assert "worksheet_engine/api.py" in sources
    for name in sources:
        folder, _, file = name.rpartition("/")
        assert f"{folder}/__pycache__/{file[:-3]}.cpython-{major}{minor}.pyc" in names, name
    # Command-line tools never run in the browser and stay out of its download.
    assert not [n for n in names if n.startswith("worksheet_engine/tools/")]
    assert "worksheet_engine/checks/goal.py" in names and "worksheet_engine/lang/dates.py" in names


def test_watchdog_default_comes_from_mkdocs_yml(site: Path) -> None:
    html = (site / "worksheets" / "smart" / "index.html").read_text(encoding="utf-8")
    runtime = json.loads(re.search(r'<script type="application/json" id="ws-runtime">(.*?)</script>', html).group(1))
    assert runtime["watchdog_ms"] == 45000 and runtime["python_start"] == "worksheet"
    assert "snapshot" in runtime["snapshot"] and runtime["heap_bytes"] == 30 * 1024 * 1024


def test_web_config_for_iis_is_written(site: Path) -> None:
    from xml.etree import ElementTree

    tree = ElementTree.parse(site / "web.config")
    maps = {m.get("fileExtension"): m.get("mimeType") for m in tree.iter("mimeMap")}
    assert maps[".wasm"] == "application/wasm" and maps[".whl"] == "application/zip"
    removed = {m.get("fileExtension") for m in tree.iter("remove")}
    assert set(maps) <= removed  # no "duplicate entry" error where IIS already knows a type


def test_runtime_settings_are_rendered_once_as_json(site: Path) -> None:
    html = (site / "worksheets" / "smart" / "index.html").read_text(encoding="utf-8")
    assert html.count('id="ws-runtime"') == 1
    start = html.index('<script type="application/json" id="ws-runtime">') + len('<script type="application/json" id="ws-runtime">')
    runtime = json.loads(html[start:html.index("</script>", start)])
    assert runtime["snapshot"].startswith("engine-snapshot-") and runtime["wheel"].endswith(".whl")
    assert runtime["build_id"] and runtime["worker"].endswith("engine-worker.js")
    # No protocol detail in the template: the early start takes the INIT message from engine-protocol.js.
    assert '"init"' not in html and "id: 0" not in html
