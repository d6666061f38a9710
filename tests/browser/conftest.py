"""Browser tests: the built site served under /training/ from a plain static server,
driven in Debian's headless Chromium. Every test fails on a console error, an
uncaught page error, or any request that would leave 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True)
    ctx.guard = guard_context(ctx)
    yield ctx
    problems = ctx.guard.problems()
    ctx.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


#: The test-only switch (README, Tests): Python starts only when the reader clicks 检查.
NO_PYTHON_SCRIPT = 'window.WS_PYTHON_START = "never";'


@pytest.fixture
def page_without_python(context: Any) -> Any:
    """A page whose worksheets do not boot Python (for tests that never ask it anything)."""
    context.add_init_script(script=NO_PYTHON_SCRIPT)
    return context.new_page()


def wait_ready(page: Any, timeout: float = 60_000) -> None:
    """Wait until the engine status says ready (fails fast on error)."""
    page.wait_for_selector(
        '[data-ws-engine-status][data-state="ready"], [data-ws-engine-status][data-state="error"]', timeout=timeout
    )
    state = page.get_attribute("[data-ws-engine-status]", "data-state")
    assert state == "ready", page.inner_text("[data-ws-engine-status]")
