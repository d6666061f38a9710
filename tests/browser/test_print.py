"""The whole course prints as one document (mkdocs-print-site-plugin, ``print_page/``),
with no navigation chrome in print, also when the site is served under another path than
the one it was built for: no request to the server root, no error, search working
(overrides/hooks/print_page.py gives the page a relative base)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.sitebuild import SUB_PATH, free_port, serve

LECTURES = ["导入篇", "第一讲", "第二讲", "第三讲", "第四讲", "第五讲", "第六讲", "绩效面谈"]
#: Where the shared build (made for /training/) is served for this test.
MOVED = "/moved" + SUB_PATH


@pytest.mark.python_autostart  # the page starts Python when idle: its request comes through the base
def test_print_page_works_under_a_moved_sub_path(page: Any, context: Any, site_root: tuple[Path, int],
                                                 tmp_path: Path) -> None:
    # The shared build, made for http://127.0.0.1:<port>/training/, served at /moved/training/
    # on another port: an absolute base (/training/…) would 404 here.
    alias = tmp_path / "alias"
    alias.mkdir()
    os.symlink(site_root[0], alias / "moved")
    requests: list[str] = []
    failed: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    context.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    with serve(alias, free_port()) as origin:
        with page.expect_request(lambda r: "engine-worker.js" in r.url):  # the course links to worksheets:
            page.goto(origin + MOVED + "print_page/")                    # Python is started when idle
        expect(page.locator("#print-site-page")).to_be_attached()

        # Search: its index and worker come through the page's base. The plugin hides the
        # search box on this page; shown again, it answers.
        page.evaluate("document.querySelector('.md-search').style.display = ''")
        page.keyboard.press("/")
        box = page.locator(".md-search__input")
        expect(box).to_be_focused()
        box.fill("绩效面谈")
        expect(page.locator(".md-search-result__item > a").first).to_be_visible(timeout=15000)
        href = page.locator(".md-search-result__item > a").first.get_attribute("href") or ""
        assert urlsplit(page.evaluate("(h) => new URL(h, location.href).href", href)).path.startswith(MOVED), href
        page.keyboard.press("Escape")

        page.wait_for_load_state("networkidle")  # the runtime's files too

        # Every lecture, and no navigation in print.
        page.emulate_media(media="print")
        text = page.locator(".md-content article").inner_text()
        for title in LECTURES:
            assert title in text, title
        for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
            loc = page.locator(chrome)
            if loc.count():
                expect(loc.first).to_be_hidden()

    outside = [u for u in requests if u.startswith("http://127.0.0.1") and not urlsplit(u).path.startswith(MOVED)]
    assert not outside, outside  # nothing asked of the server root (or of the built-for path)
    assert any("search_index.json" in u for u in requests) and any("sitemap.xml" in u for u in requests), requests
    assert not failed, failed
    # Console errors, page errors and requests to other hosts fail the test in the fixture.
