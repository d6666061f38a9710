"""Browser tests: the built site served under /training/ from a plain static server,
driven in Debian's headless Chromium. Every test fails on a console error, an
uncaught page error, or any request that would leave 127.0.0.1.

Python is held back by default (README › Tests): every ``context`` sets the test-only
switch ``window.WS_PYTHON_START = "never"``, so a page boots Python only when the test
asks it something, by clicking 检查 or by calling :func:`wait_ready` (which starts it).
A test about *when* Python starts on its own (early start on worksheet pages, idle
start on course pages, the site's ``python_start`` setting, the watchdog) is marked
``@pytest.mark.python_autostart`` and gets the site's own behaviour.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sitebuild import SUB_PATH, build_site, free_port, serve

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

# Flags the machine needs: no sandbox as root, and no background calls to Google.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "python_autostart: Python starts as the site says (no test switch holding it back)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def base_url(site_root: tuple[Path, int]) -> Iterator[str]:
    root, port = site_root
    with serve(root, port) as origin:
        yield origin + SUB_PATH


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium).")
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageGuard:
    """Collects what must never happen on a page."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.allow_console: list[str] = []

    def problems(self) -> list[str]:
        errors = [e for e in self.console_errors if not any(a in e for a in self.allow_console)]
        return (
            [f"console error: {e}" for e in errors]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"request left 127.0.0.1: {u}" for u in self.outside]
        )


def guard_context(context: Any) -> PageGuard:
    guard = PageGuard()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            guard.outside.append(url)
            route.abort()

    context.route("**/*", route)

    def on_page(page: Any) -> None:
        page.on("console", lambda m: guard.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: guard.page_errors.append(str(e)))

    context.on("page", on_page)
    return guard


#: The test-only switch (README, Tests): Python starts only when the reader clicks 检查
#: (or a test calls wait_ready). Set in every context unless the test is marked
#: python_autostart.
NO_PYTHON_SCRIPT = 'window.WS_PYTHON_START = "never";'


@pytest.fixture
def context(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True)
    ctx.guard = guard_context(ctx)
    ctx.python_held = request.node.get_closest_marker("python_autostart") is None
    if ctx.python_held:
        ctx.add_init_script(script=NO_PYTHON_SCRIPT)
    yield ctx
    problems = ctx.guard.problems()
    ctx.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def page_without_python(context: Any) -> Any:
    """A page whose worksheets do not boot Python, even in a python_autostart test
    (``page`` is such a page in every other test)."""
    if not getattr(context, "python_held", False):
        context.add_init_script(script=NO_PYTHON_SCRIPT)
        context.python_held = True
    return context.new_page()


#: Start Python if the test switch is holding it back: engine-client.js's start(), in the
#: page's own instance of the module (the URL it was loaded from, also after instant
#: navigation), exactly as a click on 检查 would.
START_HELD_PYTHON = """() => {
  if (window.WS_PYTHON_START !== "never") return "not held";
  const name = "/javascripts/worksheet/engine-client.js";
  const loaded = performance.getEntriesByType("resource").map((e) => e.name).find((u) => u.split(/[?#]/)[0].endsWith(name));
  const main = document.querySelector('script[src*="javascripts/worksheet/main.js"]');
  const url = loaded || (main && new URL("engine-client.js", main.src).href);
  if (!url) return "no client";
  return import(url).then((m) => {
    if (m.getStatus().state === "idle") m.start().catch(() => {});
    return "started";
  });
}"""


#: Resolves after the browser ran the idle callbacks queued before it (an early start's,
#: engine-client.js's prestart): "nothing started" can be asserted after it, without a sleep.
AFTER_IDLE = "new Promise(r => requestIdleCallback(() => setTimeout(r, 0), {timeout: 10000}))"


def poll(page: Any, condition: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll a condition on the test's side (requests seen, bytes counted) while Playwright
    keeps dispatching the page's events; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        page.wait_for_timeout(50)


def wait_ready(page: Any, timeout: float = 60_000) -> None:
    """Wait until the engine status says ready (fails fast on error). Under the test
    switch (the default, see the module docstring) this starts Python first."""
    if getattr(page.context, "python_held", False):
        for _ in range(5):
            try:
                page.evaluate(START_HELD_PYTHON)
                break
            except playwright_sync.Error as exc:  # a full page load under way (a click just before)
                if "context was destroyed" not in str(exc):
                    raise
                page.wait_for_load_state()
    page.wait_for_selector(
        '[data-ws-engine-status][data-state="ready"], [data-ws-engine-status][data-state="error"]', timeout=timeout
    )
    state = page.get_attribute("[data-ws-engine-status]", "data-state")
    assert state == "ready", page.inner_text("[data-ws-engine-status]")
