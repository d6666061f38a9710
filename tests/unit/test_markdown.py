"""The one Markdown escaper: user text stays text in our renderer and in other Markdown viewers."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest

from worksheet_engine.markdown import md_escape, md_table, to_html

# The shared hostile list (tests/fixtures/hostile.json); tests/unit/test_exports.py runs it
# through every export.
PAYLOADS = [p["text"] * p.get("repeat", 1)
            for p in json.loads((Path(__file__).parents[1] / "fixtures" / "hostile.json").read_text("utf-8"))["payloads"]]
EXTRA = ["![远程图片](http://evil.example/a.png)", "[点我](javascript:alert(1))", "<http://evil.example>",
         "www.evil.example", "**加粗** _斜体_ `代码`", "# 标题", "- 列表", "1. 列表", "a | b | c", "> 引用"]
ALLOWED = {"p", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "br"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.found.append(("!--", []))


def _markup(rendered: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(rendered)
    return [(tag, attrs) for tag, attrs in parser.found if tag not in ALLOWED or attrs]


@pytest.mark.parametrize("text", PAYLOADS + EXTRA)
def test_escaped_text_has_no_markup_in_any_renderer(text: str) -> None:
    escaped = md_escape(text)
    for rendered in (to_html("- " + escaped), to_html(md_table(["说明"], [[text]])),
                     python_markdown.markdown("- " + escaped, extensions=["tables"]),
                     python_markdown.markdown(escaped), python_markdown.markdown(md_table(["说明"], [[text]]),
                                                                                  extensions=["tables"])):
        assert _markup(rendered) == [], rendered


@pytest.mark.parametrize("text", ["<b>x</b> & 85% → 92%", "C:\\路径\\文件", "满意度 |差| *星*", "12. 不是编号"])
def test_our_renderer_shows_the_text_the_reader_typed(text: str) -> None:
    shown = re.sub(r"<[^>]+>", "", to_html(md_escape(text)))
    import html

    assert html.unescape(shown) == text
