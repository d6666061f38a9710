"""Material's search finds Chinese terms (jieba segments the index at build time)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

CASES = [
    ("复盘", "lectures/04-review/"),
    ("倾听", "lectures/05-communication/"),
    ("绩效面谈", "topics/performance-interview/"),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_search_shows_the_right_page_among_the_first_results(page, base_url, query, expected):
    page.goto(base_url)
    page.keyboard.press("/")  # Material's search shortcut (also: click the search box)
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    box.fill(query)
    items = page.locator(".md-search-result__item > a")
    expect(items.first).to_be_visible(timeout=15000)
    # Results refresh as the query settles; poll until the expected page shows (or give up).
    hrefs: list[str] = []
    for _ in range(40):
        hrefs = [(items.nth(i).get_attribute("href") or "") for i in range(min(items.count(), 5))]
        if any(h.split("#")[0].split("?")[0].endswith(expected) for h in hrefs):
            break
        page.wait_for_timeout(250)
    assert any(h.split("#")[0].split("?")[0].endswith(expected) for h in hrefs), hrefs
