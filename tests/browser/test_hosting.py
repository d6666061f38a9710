"""Hosting on an intranet: any sub-path, plain HTTP, precompressed files, servers that
get the .wasm MIME type wrong, the trainer's settings in mkdocs.yml `extra:`, and
the class report on backups exported from the browser."""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import re
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bench.server import StaticHandler, serve
from macros import filter_nav
from macros.forms import MODULES, MacroError, Settings
from tests.sitebuild import REPO, build_site, free_port
from tests.support.pages import stored
from worksheet_engine.tools import cli

from .conftest import SUB_PATH, wait_ready

GOAL = "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。"
TRAINER_CONFIG = REPO / "tests" / "fixtures" / "trainer-settings" / "mkdocs.yml"
IDLE_CONFIG = REPO / "tests" / "fixtures" / "python-idle" / "mkdocs.yml"


def runtime_dir(site: Path) -> Path:
    return next((site / "assets" / "pyodide").iterdir())


def pyodide_requests(context: Any) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url) if "/assets/pyodide/" in r.url else None)
    return seen


# ---- the build's files ----------------------------------------------------------------------------


def test_precompressed_copies_match_and_halve_the_runtime(site_root: tuple[Path, int]) -> None:
    site = site_root[0] / SUB_PATH.strip("/")
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


def test_engine_wheel_carries_pyodide_bytecode(site_root: tuple[Path, int]) -> None:
    """Importing the engine from bytecode skips Python's compile step in the browser."""
    if shutil.which("node") is None:
        pytest.skip("node is needed to compile with Pyodide's Python")
    runtime = runtime_dir(site_root[0] / SUB_PATH.strip("/"))
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


# ---- servers that differ from http.server -------------------------------------------------------


@pytest.fixture
def gzip_origin(site_root: tuple[Path, int]) -> Iterator[Any]:
    with serve(site_root[0], free_port()) as server:
        server.gzip = True
        yield server


def test_site_works_when_served_gzip_compressed(page: Any, gzip_origin: Any) -> None:
    origin = f"http://127.0.0.1:{gzip_origin.server_address[1]}{SUB_PATH}"
    encodings: dict[str, str] = {}
    page.on("response", lambda r: encodings.__setitem__(r.url.rsplit("/", 1)[-1], r.headers.get("content-encoding", "")))
    page.goto(origin + "worksheets/smart/")
    wait_ready(page)
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true")
    assert encodings.get("pyodide.asm.wasm") == "gzip"
    assert encodings.get("python_stdlib.zip") == "gzip"
    # What a first visit costs over the network, with precompressed files.
    time.sleep(0.3)
    assert any("snapshot" in name and enc == "gzip" for name, enc in encodings.items()), encodings
    # About 32 MB uncompressed (runtime + memory snapshot); 13.5-15 MB precompressed.
    assert gzip_origin.bytes_sent < 16_000_000, gzip_origin.bytes_sent


def test_site_works_under_another_sub_path(page: Any, site_root: tuple[Path, int], tmp_path: Path) -> None:
    """Built for /training/, served at /courses/2026/training/: every URL is relative."""
    alias = tmp_path / "alias"
    (alias / "courses").mkdir(parents=True)
    os.symlink(site_root[0], alias / "courses" / "2026")
    with serve(alias, free_port()) as server:
        origin = f"http://127.0.0.1:{server.server_address[1]}/courses/2026{SUB_PATH}"
        page.goto(origin + "worksheets/smart/")
        wait_ready(page)
        page.fill('[data-ws-field="goal_text"]', GOAL)
        page.click('[data-ws-action="check"]')
        expect(page.locator('[data-ws-criterion="measurable"]')).to_have_attribute("data-met", "true")
        assert all("/courses/2026/training/" in p for p in server.requests if "pyodide" in p)


class WrongWasmType(StaticHandler):
    """A server that does not know .wasm (as many IIS and old nginx set-ups)."""

    extensions_map = {**StaticHandler.extensions_map, ".wasm": "application/octet-stream"}


class StalledWasm(StaticHandler):
    """A server (or proxy) that starts sending the .wasm and then stalls."""

    stop = threading.Event()

    def do_GET(self) -> None:
        if not self.path.split("?")[0].endswith(".wasm"):
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "application/wasm")
        self.send_header("Content-Length", "9598218")
        self.end_headers()
        self.wfile.write(b"\0asm" + b"\0" * 1020)
        self.wfile.flush()
        self.stop.wait(60)


def export_all(page: Any) -> Any:
    """Click "备份全部工作表" (inside a <details>) and return the download."""
    tools = page.locator('details:has([data-ws-action="export-all"])')
    if tools.count() and not tools.first.evaluate("d => d.open"):
        tools.first.locator("summary").click()
    with page.expect_download() as dl:
        page.click('[data-ws-action="export-all"]')
    return dl.value


def _form_still_saves_and_exports(page: Any) -> None:
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    assert [e for e in stored(page) if e["worksheet"] == "smart"], "the entry was not saved"
    page.click('[data-ws-action="check"]')
    expect(page.locator("[data-ws-result]")).to_have_attribute("data-state", "error")
    doc = json.loads(Path(export_all(page).path()).read_text(encoding="utf-8"))
    assert doc["format"] == "worksheet-backup"
    assert doc["entries"][0]["data"]["goal_text"] == GOAL


def test_wrong_wasm_mime_type_is_explained_at_once(page: Any, site_root: tuple[Path, int]) -> None:
    """Measured: with .wasm sent as application/octet-stream, Pyodide logs a warning and
    loadPyodide() never settles. The worker checks the response itself and fails fast."""
    with serve(site_root[0], free_port(), WrongWasmType) as server:
        origin = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
        t0 = time.monotonic()
        page.goto(origin + "worksheets/smart/")
        status = page.locator("[data-ws-engine-status]")
        expect(status).to_have_attribute("data-state", "error", timeout=20_000)
        took = time.monotonic() - t0
        text = status.inner_text()
        assert "application/wasm" in text and "application/octet-stream" in text, text
        assert "部署指南" in text and "填写、保存和导出不受影响" in text, text
        assert took < 15, f"error shown only after {took:.1f} s"
        _form_still_saves_and_exports(page)


def test_watchdog_reports_a_stalled_boot(page: Any, site_root: tuple[Path, int]) -> None:
    """A download that never finishes: the watchdog (lowered to 3 s by the query
    parameter, 45 s by default) turns it into an explained error."""
    StalledWasm.stop.clear()
    try:
        with serve(site_root[0], free_port(), StalledWasm) as server:
            origin = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
            page.goto(origin + "worksheets/smart/?ws-watchdog-ms=3000")
            status = page.locator("[data-ws-engine-status]")
            expect(status).to_have_attribute("data-state", "loading")
            expect(status).to_have_attribute("data-state", "error", timeout=15_000)
            assert "3 秒内没有启动完成" in status.inner_text()
            expect(page.locator('[data-ws-action="retry-engine"]')).to_be_visible()
            _form_still_saves_and_exports(page)
    finally:
        StalledWasm.stop.set()


def test_watchdog_default_comes_from_mkdocs_yml(site_root: tuple[Path, int]) -> None:
    html = (site_root[0] / SUB_PATH.strip("/") / "worksheets" / "smart" / "index.html").read_text(encoding="utf-8")
    runtime = json.loads(re.search(r'<script type="application/json" id="ws-runtime">(.*?)</script>', html).group(1))
    assert runtime["watchdog_ms"] == 45000 and runtime["python_start"] == "worksheet"
    assert "snapshot" in runtime["snapshot"] and runtime["heap_bytes"] == 30 * 1024 * 1024


# ---- once per visit ------------------------------------------------------------------------------


def test_python_boots_once_when_a_worksheet_page_is_opened_directly(page: Any, context: Any, base_url: str) -> None:
    """The <head> starts the worker early and the client adopts it: one download, one boot."""
    seen = pyodide_requests(context)
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    assert page.evaluate("window.__wsEarly && window.__wsEarly.taken") is True
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1, seen


def test_instant_navigation_from_a_plain_page_starts_python(page: Any, context: Any, base_url: str) -> None:
    seen = pyodide_requests(context)
    page.goto(base_url + "glossary/")  # links to no worksheet: Python is not started early
    page.wait_for_load_state("networkidle")
    assert seen == []
    page.evaluate("window.__visit_marker = 1")
    page.evaluate("[...document.querySelectorAll('a[href]')].find(a => a.href.endsWith('/worksheets/smart/')).click()")
    expect(page.locator('[data-ws-form="smart"]')).to_be_visible()
    wait_ready(page)
    assert page.evaluate("window.__visit_marker") == 1, "full page load: site_url does not match the served address"
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1


# ---- the trainer's settings (tests/fixtures/trainer-settings/mkdocs.yml) ---------------------------


@pytest.fixture(scope="module")
def trainer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    root = tmp_path_factory.mktemp("trainer")
    site = root / SUB_PATH.strip("/")
    build_site(site, site_url=f"http://127.0.0.1:{port}{SUB_PATH}", config=TRAINER_CONFIG)
    with serve(root, port):
        yield f"http://127.0.0.1:{port}{SUB_PATH}", site


def test_branding_comes_from_extra(page: Any, trainer_site: tuple[str, Path]) -> None:
    origin, _ = trainer_site
    page.goto(origin)
    banner = page.locator("[data-ws-course]")
    expect(banner).to_contain_text("星河客服中心")
    expect(banner).to_contain_text("2026年12月3日—4日")
    expect(banner).to_contain_text("王老师")
    expect(banner).to_contain_text("分机 8123")
    logo = page.locator("img[data-ws-logo]").first
    expect(logo).to_have_attribute("alt", "星河客服中心")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", logo.element_handle())
    expect(page.locator("[data-ws-footer-brand]")).to_contain_text("星河客服中心")


def test_default_site_has_no_banner(page: Any, base_url: str) -> None:
    page.goto(base_url)
    expect(page.locator(".md-header")).to_be_visible()
    assert page.locator("[data-ws-course]").count() == 0


def test_hidden_module_leaves_nav_and_search_but_links_still_work(page: Any, trainer_site: tuple[str, Path]) -> None:
    origin, site = trainer_site
    page.goto(origin + "lectures/03-goals/")
    nav = page.locator("nav.md-nav--primary")
    expect(nav).to_contain_text("第三讲")
    expect(nav).to_contain_text("SMART")
    nav_links = page.evaluate("[...document.querySelectorAll('nav.md-nav--primary a[href]')].map(a => a.href)")
    hidden = ("/lectures/01-learning/", "/lectures/02-swot/", "/worksheets/swot/")
    assert not [u for u in nav_links if u.endswith(hidden)], nav_links
    assert "管理自我" not in nav.inner_text()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "lectures/03-goals/" in locations
    assert not {"lectures/01-learning/", "lectures/02-swot/", "worksheets/swot/"} & locations
    # The page itself still exists, so a link from another page does not break.
    response = page.goto(origin + "lectures/01-learning/")
    assert response is not None and response.status == 200


def test_python_start_never_loads_nothing_until_check(page: Any, context: Any, trainer_site: tuple[str, Path]) -> None:
    origin, _ = trainer_site
    seen = pyodide_requests(context)
    page.goto(origin + "worksheets/smart/")
    page.wait_for_load_state("networkidle")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    page.wait_for_timeout(1500)  # longer than the auto-check delay
    status = page.locator("[data-ws-engine-status]")
    expect(status).to_have_attribute("data-state", "idle")
    assert seen == [], seen
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true", timeout=60_000)
    assert any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen)


@pytest.fixture(scope="module")
def idle_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    root = tmp_path_factory.mktemp("idle")
    build_site(root / SUB_PATH.strip("/"), site_url=f"http://127.0.0.1:{port}{SUB_PATH}", config=IDLE_CONFIG)
    with serve(root, port):
        yield f"http://127.0.0.1:{port}{SUB_PATH}"


def test_python_start_idle_boots_on_any_page_then_worksheets_are_ready(page: Any, context: Any, idle_site: str) -> None:
    seen = pyodide_requests(context)
    page.goto(idle_site)  # the home page: no worksheet
    deadline = time.monotonic() + 30
    while not any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen), "Python was not started at idle"
    page.evaluate("window.__visit_marker = 1")
    page.evaluate("[...document.querySelectorAll('a[href]')].find(a => a.href.endsWith('/worksheets/smart/')).click()")
    wait_ready(page)
    assert page.evaluate("window.__visit_marker") == 1
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1


@pytest.mark.parametrize("extra, message", [
    ({"course": {"modules": ["intro", "finance"]}}, "finance"),
    ({"course": {"modules": []}}, "non-empty"),
    ({"course": {"modules": "team"}}, "non-empty"),
    ({"worksheets": {"python_start": "always"}}, "python_start"),
    ({"worksheets": {"snapshot": "yes"}}, "snapshot"),
    ({"worksheets": {"watchdog_seconds": 1}}, "watchdog_seconds"),
    ({"branding": {"organisation": ["a"]}}, "organisation"),
])
def test_bad_settings_are_refused(extra: dict, message: str) -> None:
    with pytest.raises(MacroError, match=message):
        Settings.from_extra(extra)


def test_settings_defaults_and_hidden_pages() -> None:
    s = Settings.from_extra({})
    assert (s.python_start, s.watchdog_seconds, s.modules) == ("worksheet", 45, ("intro", "self", "business", "team"))
    assert s.snapshot is True and Settings.from_extra({"worksheets": {"snapshot": False}}).snapshot is False
    assert s.hidden_pages == frozenset()
    team_only = Settings.from_extra({"course": {"modules": ["team"]}})
    assert "worksheets/smart.md" in team_only.hidden_pages and "worksheets/grow.md" not in team_only.hidden_pages


def test_unquoted_yaml_date_is_taken_as_text() -> None:
    assert Settings.from_extra({"course": {"dates": datetime.date(2026, 12, 3)}}).dates == "2026-12-03"


def test_filter_nav_drops_hidden_pages_and_empty_sections() -> None:
    nav = [{"首页": "index.md"}, {"管理自我": [{"第一讲": "lectures/01-learning.md"}]},
           {"工作表": ["worksheets/index.md", {"SWOT": "worksheets/swot.md"}, {"SMART": "worksheets/smart.md"}]}]
    hidden = frozenset({"lectures/01-learning.md", "worksheets/swot.md"})
    assert filter_nav(nav, hidden) == [{"首页": "index.md"},
                                       {"工作表": ["worksheets/index.md", {"SMART": "worksheets/smart.md"}]}]


def test_every_module_page_exists_and_is_in_the_nav() -> None:
    """The module table in macros/forms.py matches the docs and mkdocs.yml."""
    # Worksheet pages are added to the nav from their definitions (macros.forms.worksheet_nav).
    from macros.forms import worksheet_nav

    nav_text = (REPO / "mkdocs.yml").read_text(encoding="utf-8") + json.dumps(worksheet_nav())
    for _, pages in MODULES.values():
        for page_path in pages:
            assert (REPO / "docs" / page_path).exists(), page_path
            assert page_path in nav_text, page_path


def test_web_config_for_iis_is_written(site_root: tuple[Path, int]) -> None:
    from xml.etree import ElementTree

    tree = ElementTree.parse(site_root[0] / SUB_PATH.strip("/") / "web.config")
    maps = {m.get("fileExtension"): m.get("mimeType") for m in tree.iter("mimeMap")}
    assert maps[".wasm"] == "application/wasm" and maps[".whl"] == "application/zip"
    removed = {m.get("fileExtension") for m in tree.iter("remove")}
    assert set(maps) <= removed  # no "duplicate entry" error where IIS already knows a type


# ---- the class report on backups exported from the browser ------------------------------------------


def test_class_report_reads_backups_exported_by_the_browser(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true")
    exported = tmp_path / "学员甲.json"
    export_all(page).save_as(exported)
    broken = tmp_path / "坏的.json"
    broken.write_text(exported.read_text(encoding="utf-8")[:50], encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["report", str(exported), str(broken), "--out", str(tmp_path / "report")], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert "坏的.json" in err.getvalue()
    md = (tmp_path / "report" / "class-summary.md").read_text(encoding="utf-8")
    assert re.search(r"\| SMART 目标检查 \| 1 \| 1 \|", md), md
    assert "| T 有时限 | 1 | 0 | 0 | 100% |" in md
    assert GOAL not in md and "85%提升到92%" not in md  # the trainee's goal stays out
