"""The whole course prints as one document, with no navigation chrome in print."""

from __future__ import annotations

from playwright.sync_api import expect

LECTURES = ["导入篇", "第一讲", "第二讲", "第三讲", "第四讲", "第五讲", "第六讲", "绩效面谈"]


def test_print_page_holds_every_lecture_and_hides_navigation(page, base_url):
    page.goto(base_url + "print_page/")
    page.emulate_media(media="print")
    text = page.locator("article").inner_text()
    for title in LECTURES:
        assert title in text, title
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
        loc = page.locator(chrome)
        if loc.count():
            expect(loc.first).to_be_hidden()
