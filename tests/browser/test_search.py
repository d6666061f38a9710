"""Material's search finds Chinese terms (jieba segments the index at build time)."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

CASES = [
    ("复盘", "lectures/04-review/"),
    ("倾听", "lectures/05-communication/"),
    ("绩效面谈", "topics/performance-interview/"),
]

FIRST_FIVE_HOLD = """(expected) => [...document.querySelectorAll('.md-search-result__item > a')].slice(0, 5)
  .some((a) => (a.getAttribute('href') || '').split('#')[0].split('?')[0].endsWith(expected))"""


def test_search_shows_the_right_page_among_the_first_results(page, base_url):
    """One page, one search index (Material builds it in a worker), every query."""
    page.goto(base_url)
    page.keyboard.press("/")  # Material's search shortcut (also: click the search box)
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    for query, expected in CASES:
        box.fill(query)
        box.press("End")  # Material reads the query on keyup
        # Results refresh as the query settles: poll the first five until the page shows.
        try:
            page.wait_for_function(FIRST_FIVE_HOLD, arg=expected, timeout=30_000)
        except PlaywrightTimeout:
            hrefs = page.eval_on_selector_all(".md-search-result__item > a", "as => as.slice(0, 5).map((a) => a.getAttribute('href'))")
            raise AssertionError(f"{query}: {expected} not among the first results {hrefs}") from None
