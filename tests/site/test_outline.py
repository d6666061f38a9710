"""The built course pages follow the client's outline (docs/outline.yml).

The site is the run's shared ``mkdocs build --strict`` (tests/conftest.py); the strict
build turns broken internal links and missing anchors into a non-zero return code. Each
page from the outline is then parsed with ``html.parser``: every numbered item and
sub-item must be a heading (h1–h4) of the page it belongs to, list points and
activities must appear in the article text, and lecture pages must carry enough
Chinese body text. Run with ``-s`` to see the per-page character table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
OUTLINE: dict[str, Any] = yaml.safe_load((DOCS / "outline.yml").read_text(encoding="utf-8"))
PAGES: list[dict[str, Any]] = OUTLINE["pages"]
PAGE_IDS = [page["path"] for page in PAGES]

ACTIVITY_TYPES = {"学员互动", "小组研讨", "学员实操", "现场测试", "研讨与练习"}
MIN_CJK = 2500
# Pages that are taught as lessons and therefore need a full-length body.
LONG_PAGES = [p for p in PAGE_IDS if p.startswith(("lectures/", "topics/"))]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Leading numbering such as "1.", "1、", "1）", "(1)", "一、" (not "3F…" or "80/20").
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]|(?:\d+|[一二三四五六七八九十]+)\s*[.．、)）:：])\s*"
)


def normalise(text: str) -> str:
    """Fold width and case, then drop whitespace, punctuation and symbols."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch)[0] not in "PS")


def strip_numbering(text: str) -> str:
    """Remove one leading outline number ("1.", "2）", "三、") from a heading."""
    return _NUMBERING.sub("", text, count=1)


@dataclass
class PageText:
    """What the checks need from one built page."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    article: str = ""


class _ArticleParser(HTMLParser):
    """Collect h1–h4 texts and the visible text of Material's main article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self._in_article = False
        self._skip_depth = 0  # inside <script>, <style> or a heading permalink
        self._skip_tags: list[str] = []
        self._heading: tuple[int, list[str]] | None = None
        self._article_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "md-content__inner" in classes:
            self._in_article = True
        if not self._in_article:
            return
        if tag in ("script", "style") or (tag == "a" and "headerlink" in classes):
            self._skip_tags.append(tag)
            self._skip_depth += 1
        elif self._skip_depth and tag == self._skip_tags[-1]:
            self._skip_tags.append(tag)
            self._skip_depth += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if not self._in_article:
            return
        if self._skip_depth and tag == self._skip_tags[-1]:
            self._skip_tags.pop()
            self._skip_depth -= 1
            return
        if self._heading and tag == f"h{self._heading[0]}":
            level, parts = self._heading
            self.page.headings.append((level, " ".join("".join(parts).split())))
            self._heading = None
        if tag == "article":
            self._in_article = False
            self.page.article = "".join(self._article_parts)

    def handle_data(self, data: str) -> None:
        if not self._in_article or self._skip_depth:
            return
        self._article_parts.append(data)
        if self._heading:
            self._heading[1].append(data)


def parse_page(html: str) -> PageText:
    """Parse one built HTML page."""
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    return parser.page


def cjk_count(text: str) -> int:
    """Count CJK ideographs (Chinese characters) in ``text``."""
    return len(_CJK.findall(text))


def built_html(site: Path, doc_path: str) -> Path:
    """Map ``lectures/06-coaching.md`` to its built file (use_directory_urls: true)."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return site / "index.html"
    if stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


def heading_wording(entry: dict[str, Any]) -> str:
    """The wording a heading must show: the seed's, or its recorded correction."""
    return entry.get("title_corrected") or entry["title"]


def iter_items(page: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (label, wording) for every item and sub-item that must be a heading."""
    for item in page["items"]:
        num = item.get("num")
        yield (f"{num} {item['title']}" if num else item["title"]), heading_wording(item)
        for sub in item.get("sub", []):
            yield f"{num}.{sub['num']}) {sub['title']}", heading_wording(sub)


def iter_entries() -> Iterator[dict[str, Any]]:
    for page in PAGES:
        for item in page["items"]:
            yield item
            yield from item.get("sub", [])


@pytest.fixture(scope="module")
def build(site: Path) -> Path:
    """The shared strict build of the whole site (tests/conftest.py; a failed build stops
    the run with its log)."""
    return site


@pytest.fixture(scope="module")
def pages(build: Path) -> dict[str, PageText]:
    """Parsed built pages, keyed by their docs/ path (missing pages are absent)."""
    parsed: dict[str, PageText] = {}
    for doc_path in PAGE_IDS:
        html_file = built_html(build, doc_path)
        if html_file.is_file():
            parsed[doc_path] = parse_page(html_file.read_text(encoding="utf-8"))
    return parsed


def _page(pages: dict[str, PageText], doc_path: str) -> PageText:
    if doc_path not in pages:
        pytest.fail(f"{doc_path} was not built")
    return pages[doc_path]


def test_outline_file_is_well_formed() -> None:
    """Every outline page exists under docs/ and every entry has the documented keys."""
    assert OUTLINE["version"] == 1
    assert len(PAGE_IDS) == len(set(PAGE_IDS))
    for page in PAGES:
        assert (DOCS / page["path"]).is_file(), page["path"]
        assert page["items"], page["path"]
        for item in page["items"]:
            assert isinstance(item["title"], str) and item["title"].strip()
            assert "num" not in item or isinstance(item["num"], str)
            for sub in item.get("sub", []):
                assert isinstance(sub["num"], str) and sub["title"].strip()
        for activity in page.get("activities", []):
            assert activity["type"] in ACTIVITY_TYPES, activity


def test_corrections_are_small_and_explained() -> None:
    """A corrected title fixes a typo or punctuation, not the wording: after
    normalising, it differs from the seed's by at most two characters, and a note says why."""
    import difflib
    corrected = [e for e in iter_entries() if "title_corrected" in e]
    assert corrected, "the seed's typos (客服行现状, 结构目标, 有效的倾听) should be corrected on the page"
    for entry in corrected:
        a, b = normalise(entry["title"]), normalise(entry["title_corrected"])
        changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in
                      difflib.SequenceMatcher(None, a, b).get_opcodes() if tag != "equal")
        assert a != b and changed <= 2, entry
        assert entry.get("note"), entry


def test_visible_headings_use_full_width_punctuation(pages: dict[str, PageText]) -> None:
    """Headings readers see use Chinese punctuation (the seed's half-width ",:?" are fixed)."""
    bad = [(p, t) for p, page in pages.items() for _, t in page.headings
           if re.search(r"[\u4e00-\u9fff][,:?;!]|[,:?;!][\u4e00-\u9fff]", t)]
    assert not bad, bad


def test_strict_build_succeeds(build: Path) -> None:
    """``mkdocs build --strict`` passes, so there are no broken internal links or anchors
    (the shared build raises with the build log otherwise)."""
    assert (build / "index.html").is_file()


@pytest.mark.parametrize("doc_path", PAGE_IDS)
def test_outline_items_are_headings(pages: dict[str, PageText], doc_path: str) -> None:
    """Each numbered outline item and sub-item is a heading (h1–h4) of its page."""
    page = next(p for p in PAGES if p["path"] == doc_path)
    built = _page(pages, doc_path)
    headings = [normalise(strip_numbering(text)) for _, text in built.headings]
    missing = [label for label, wording in iter_items(page)
               if not any(normalise(wording) in h for h in headings)]
    assert not missing, f"{doc_path}: outline items without a heading: {missing}"


@pytest.mark.parametrize("doc_path", [p for p in PAGE_IDS if p.startswith(("lectures/", "topics/"))])
def test_page_title(pages: dict[str, PageText], doc_path: str) -> None:
    """The page's h1 carries the lecture or topic title from the outline."""
    page = next(p for p in PAGES if p["path"] == doc_path)
    built = _page(pages, doc_path)
    h1 = [text for level, text in built.headings if level == 1]
    assert h1 and normalise(page["title"]) in normalise(h1[0]), f"{doc_path}: h1 {h1!r}"


@pytest.mark.parametrize("doc_path", PAGE_IDS)
def test_points_and_activities_in_text(pages: dict[str, PageText], doc_path: str) -> None:
    """List points and activities (学员实操, 小组研讨 …) of the outline appear in the article."""
    page = next(p for p in PAGES if p["path"] == doc_path)
    text = normalise(_page(pages, doc_path).article)
    missing = [str(point) for item in page["items"] for point in item.get("points", [])
               if normalise(str(point)) not in text]
    for activity in page.get("activities", []):
        wordings = [activity["text"]] + ([activity["text_corrected"]] if "text_corrected" in activity else [])
        if normalise(activity["type"]) not in text or not any(normalise(w) in text for w in wordings):
            missing.append(f"{activity['type']}：{activity['text']}")
    assert not missing, f"{doc_path}: not found in the page text: {missing}"


def test_print_cjk_table(pages: dict[str, PageText]) -> None:
    """Print the Chinese-character count of each outline page (visible with ``-s``)."""
    rows = [(p, cjk_count(pages[p].article) if p in pages else -1) for p in PAGE_IDS]
    width = max(len(p) for p, _ in rows)
    print(f"\n{'page'.ljust(width)}  CJK chars  (min {MIN_CJK} for lectures/ and topics/)")
    for doc_path, count in rows:
        flag = "" if doc_path not in LONG_PAGES or count >= MIN_CJK else "  << too short"
        print(f"{doc_path.ljust(width)}  {count:>9}{flag}")
    assert rows


@pytest.mark.parametrize("doc_path", LONG_PAGES)
def test_page_has_enough_body_text(pages: dict[str, PageText], doc_path: str) -> None:
    """Lecture and topic pages carry at least 2,500 Chinese characters of article text."""
    count = cjk_count(_page(pages, doc_path).article)
    assert count >= MIN_CJK, f"{doc_path}: {count} CJK characters, need {MIN_CJK}"


@pytest.mark.parametrize(("heading", "expected"), [
    ("1. 辅导的定义与时机", "辅导的定义与时机"),
    ("1）传统辅导和教练辅导的区别", "传统辅导和教练辅导的区别"),
    ("一、绩效面谈的背景与意义", "绩效面谈的背景与意义"),
    ("(2) 现状分析", "现状分析"),
    ("3F倾听法", "3F倾听法"),
    ("80/20 服务水平", "80/20 服务水平"),
])
def test_strip_numbering(heading: str, expected: str) -> None:
    """Leading outline numbers are removed, but numbers that belong to the wording stay."""
    assert strip_numbering(heading) == expected


def test_normalise_folds_punctuation_and_width() -> None:
    """Half- and full-width brackets, colons and spaces compare equal."""
    assert normalise("目标设定(愿景重现)") == normalise("目标设定（愿景重现）")
    assert normalise("WO分析:扭转型转变") == normalise("WO 分析：扭转型转变")
    assert normalise("走出“低勤奋陷阱”的两个思维模式") == normalise("走出低勤奋陷阱的两个思维模式")
