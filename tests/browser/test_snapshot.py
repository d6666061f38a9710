"""How Python starts in the browser: restored from the build's memory snapshot; a plain
boot, without bothering the reader, when the snapshot is missing or broken; started early
on course pages that link to a worksheet (but not when the browser asks to save data);
and the test-only switch that keeps Python off until the reader clicks 检查.

How Python started is read from engine-client.js (getBoot(), from the worker's ready
message), not from anything the reader sees."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bench.server import StaticHandler, serve
from tests.sitebuild import REPO, free_port

from .conftest import AFTER_IDLE, NO_PYTHON_SCRIPT, SUB_PATH, wait_ready

GOAL = "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。"
CLIENT = "javascripts/worksheet/engine-client.js"
LECTURE = "topics/performance-interview/"  # links to worksheets in its text, holds no form itself


def client_call(page: Any, base: str, expr: str) -> Any:
    """Evaluate ``expr`` (with ``m`` = the page's engine-client.js module, the same instance)."""
    return page.evaluate(f"u => import(u).then(m => {expr})", base + CLIENT)


def wasm_requests(context: Any) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url) if "/assets/pyodide/" in r.url else None)
    return seen


def check_a_goal(page: Any) -> None:
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true")


@pytest.mark.python_autostart
def test_a_worksheet_boots_from_the_snapshot(page: Any, base_url: str) -> None:
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    assert client_call(page, base_url, "m.getBoot()") == {"boot": "snapshot", "fallback": None}
    check_a_goal(page)


def test_ws_snapshot_0_boots_the_plain_way(page: Any, base_url: str) -> None:
    page.goto(base_url + "worksheets/smart/?ws-snapshot=0")
    wait_ready(page)
    assert client_call(page, base_url, "m.getBoot()") == {"boot": "plain", "fallback": None}
    check_a_goal(page)


# ---- broken snapshots ----------------------------------------------------------------------------


def _snapshot_file(site_root: tuple[Path, int]) -> Path:
    runtime = next((site_root[0] / SUB_PATH.strip("/") / "assets" / "pyodide").iterdir())
    return next(runtime.glob("engine-snapshot-*.bin"))


@pytest.fixture(scope="module")
def damaged(site_root: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes | None]:
    """Snapshot files a server might send instead of the real one (None: 404)."""
    data = _snapshot_file(site_root).read_bytes()
    tmp = tmp_path_factory.mktemp("damaged")
    # Passes the worker's own checks (trailer resealed) but not Pyodide's restore: the
    # JSON in Pyodide's header is broken.
    header_json = bytearray(data)
    struct.pack_into("<4s", header_json, 48, b"!!!!")
    (tmp / "bad-json").write_bytes(bytes(header_json))
    node = shutil.which("node")
    assert node, "node is needed"
    subprocess.run([node, str(REPO / "tests" / "pyodide" / "snapshot_file.mjs"), "reseal",
                    str(tmp / "bad-json"), str(tmp / "resealed")], check=True, timeout=60)
    return {
        "missing": None,
        "truncated": data[: len(data) // 3],
        "restore throws": (tmp / "resealed").read_bytes(),
    }


class DamagedSnapshot(StaticHandler):
    body: bytes | None = None

    def send_head(self) -> Any:
        if "engine-snapshot-" not in self.path:
            return super().send_head()
        self.server.note(self.path)
        if self.body is None:
            self.send_error(404)
            return None
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        return io.BytesIO(self.body)


@pytest.mark.python_autostart
@pytest.mark.parametrize("kind, reason", [
    ("missing", "HTTP 404"),
    ("truncated", "size"),
    ("restore throws", "restore:"),
])
def test_a_broken_snapshot_falls_back_to_the_plain_boot(page: Any, site_root: tuple[Path, int],
                                                        damaged: dict[str, bytes | None], kind: str, reason: str) -> None:
    handler = type("Handler", (DamagedSnapshot,), {"body": damaged[kind]})
    with serve(site_root[0], free_port(), handler) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
        page.goto(base + "worksheets/smart/")
        status = page.locator("[data-ws-engine-status]")
        wait_ready(page)
        boot = client_call(page, base, "m.getBoot()")
        assert boot["boot"] == "plain" and boot["fallback"].startswith(reason), boot
        assert any("engine-snapshot-" in p for p in server.requests)
        # The reader is not bothered: the status reads ready, no error on the way.
        expect(status).to_have_attribute("data-state", "ready")
        check_a_goal(page)


# ---- starting Python early -----------------------------------------------------------------------

@pytest.mark.python_autostart
def test_a_lecture_that_links_to_a_worksheet_starts_python_when_idle(page: Any, context: Any, base_url: str) -> None:
    seen = wasm_requests(context)
    page.goto(base_url + LECTURE)
    client_call(page, base_url, "{ window.__wsClient = m; }")
    page.wait_for_function("() => window.__wsClient.getStatus().state === 'ready'", timeout=60_000)
    assert client_call(page, base_url, "m.getBoot().boot") == "snapshot"
    page.evaluate("window.__visit_marker = 1")
    page.evaluate("[...document.querySelectorAll('.md-content a[href]')].find(a => a.href.endsWith('/worksheets/smart/')).click()")
    expect(page.locator('[data-ws-form="smart"]')).to_be_visible()
    wait_ready(page)
    assert page.evaluate("window.__visit_marker") == 1, "full page load: site_url does not match"
    assert sum(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen) == 1, seen
    check_a_goal(page)


SAVE_DATA = """
Object.defineProperty(navigator, "connection", { configurable: true, value: { saveData: true, effectiveType: "2g" } });
"""


@pytest.mark.python_autostart
def test_save_data_keeps_python_off_on_course_pages_and_boots_plain(page: Any, context: Any, base_url: str) -> None:
    context.add_init_script(script=SAVE_DATA)
    seen = wasm_requests(context)
    page.goto(base_url + LECTURE)
    page.wait_for_load_state("load")
    page.evaluate(AFTER_IDLE)
    assert client_call(page, base_url, "m.getStatus().state") == "idle"
    assert seen == []
    # On the worksheet itself Python does start, the plain way (fewer bytes than the snapshot).
    page.evaluate("[...document.querySelectorAll('.md-content a[href]')].find(a => a.href.endsWith('/worksheets/smart/')).click()")
    wait_ready(page)
    assert client_call(page, base_url, "m.getBoot()") == {"boot": "plain", "fallback": None}
    assert not [u for u in seen if "engine-snapshot-" in u]


# ---- the test-only switch ------------------------------------------------------------------------


@pytest.mark.python_autostart
@pytest.mark.parametrize("how", ["query", "init script"])
def test_python_never_switch_keeps_python_off_until_check(context: Any, base_url: str, how: str) -> None:
    if how == "init script":
        context.add_init_script(script=NO_PYTHON_SCRIPT)
    page = context.new_page()
    seen = wasm_requests(context)
    page.goto(base_url + "worksheets/smart/" + ("?ws-python=never" if how == "query" else ""))
    page.wait_for_selector("[data-ws-root][data-ws-mounted]")
    page.wait_for_load_state("load")
    page.evaluate(AFTER_IDLE)
    status = page.locator("[data-ws-engine-status]")
    expect(status).to_have_attribute("data-state", "idle")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    assert page.evaluate("window.__wsEarly === undefined")
    assert client_call(page, base_url, "m.PYTHON_START") == "never"
    assert seen == [], seen
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true", timeout=60_000)
    assert any(u.split("?")[0].endswith("pyodide.asm.wasm") for u in seen)
