"""Hosting on an intranet, in the browser: any sub-path, plain HTTP, precompressed files,
servers that get the .wasm MIME type wrong, the trainer's settings in mkdocs.yml `extra:`,
and the class report on backups exported from the browser. The build's files for hosting:
tests/site/test_hosting_files.py; the settings themselves: tests/unit/test_settings.py."""

from __future__ import annotations

import io
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bench.server import StaticHandler, serve
from tests.sitebuild import REPO, build_site, free_port
from tests.support.pages import stored
from worksheet_engine.tools import cli

from .conftest import AFTER_IDLE, SUB_PATH, poll, wait_ready

GOAL = "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。"
TRAINER_CONFIG = REPO / "tests" / "fixtures" / "trainer-settings" / "mkdocs.yml"


def pyodide_requests(context: Any) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url) if "/assets/pyodide/" in r.url else None)
    return seen


# ---- the build's files ----------------------------------------------------------------------------


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
    poll(page, lambda: any("snapshot" in name and enc == "gzip" for name, enc in encodings.items()), what=f"{encodings}")
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


@pytest.mark.python_autostart
def test_wrong_wasm_mime_type_is_explained_at_once(page: Any, site_root: tuple[Path, int]) -> None:
    """Measured: with .wasm sent as application/octet-stream, Pyodide logs a warning and
    loadPyodide() never settles. The worker checks the response itself and fails fast:
    the error names the MIME types, which the watchdog's (45 s) would not."""
    with serve(site_root[0], free_port(), WrongWasmType) as server:
        origin = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
        page.goto(origin + "worksheets/smart/")
        status = page.locator("[data-ws-engine-status]")
        expect(status).to_have_attribute("data-state", "error", timeout=40_000)
        text = status.inner_text()
        assert "application/wasm" in text and "application/octet-stream" in text, text
        assert "部署指南" in text and "填写、保存和导出不受影响" in text, text
        assert "没有启动完成" not in text, text  # not the watchdog
        _form_still_saves_and_exports(page)


@pytest.mark.python_autostart
def test_watchdog_reports_a_stalled_boot(page: Any, site_root: tuple[Path, int]) -> None:
    """A download that never finishes: the watchdog (lowered to 3 s by the query
    parameter, 45 s by default) turns it into an explained error. (No check of the
    "loading" state on the way: on a loaded machine the page may load after 3 s.)"""
    StalledWasm.stop.clear()
    try:
        with serve(site_root[0], free_port(), StalledWasm) as server:
            origin = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
            page.goto(origin + "worksheets/smart/?ws-watchdog-ms=3000")
            status = page.locator("[data-ws-engine-status]")
            expect(status).to_have_attribute("data-state", "error", timeout=30_000)
            assert "3 秒内没有启动完成" in status.inner_text()
            expect(page.locator('[data-ws-action="retry-engine"]')).to_be_visible()
            _form_still_saves_and_exports(page)
    finally:
        StalledWasm.stop.set()


# ---- once per visit ------------------------------------------------------------------------------


@pytest.mark.python_autostart
def test_python_boots_once_when_a_worksheet_page_is_opened_directly(page: Any, context: Any, base_url: str) -> None:
    """The <head> starts the worker early and the client adopts it: one download, one boot."""
    seen = pyodide_requests(context)
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    assert page.evaluate("window.__wsEarly && window.__wsEarly.taken") is True
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1, seen


@pytest.mark.python_autostart
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


@pytest.mark.python_autostart
def test_python_start_never_loads_nothing_until_check(page: Any, context: Any, trainer_site: tuple[str, Path]) -> None:
    origin, _ = trainer_site
    seen = pyodide_requests(context)
    page.goto(origin + "worksheets/smart/")
    page.wait_for_load_state("networkidle")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    page.evaluate(AFTER_IDLE)  # the idle callbacks ran; typing schedules no check while Python is off
    status = page.locator("[data-ws-engine-status]")
    expect(status).to_have_attribute("data-state", "idle")
    assert seen == [], seen
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true", timeout=60_000)
    assert any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen)


@pytest.mark.python_autostart
def test_python_start_idle_boots_on_any_page_then_worksheets_are_ready(page: Any, context: Any, base_url: str) -> None:
    """python_start idle, asked for by the address (the same rule as mkdocs.yml's setting,
    engine-protocol.js pythonStart(); the settings' path to the page: the trainer site)."""
    seen = pyodide_requests(context)
    # A page that neither holds nor links to a worksheet: only "idle" starts Python here.
    page.goto(base_url + "glossary/?ws-python=idle")
    poll(page, lambda: any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen), what="Python started at idle")
    page.evaluate("window.__visit_marker = 1")
    page.evaluate("[...document.querySelectorAll('a[href]')].find(a => a.href.endsWith('/worksheets/smart/')).click()")
    wait_ready(page)
    assert page.evaluate("window.__visit_marker") == 1
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1


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
