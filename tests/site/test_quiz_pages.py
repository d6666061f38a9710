"""The built site (the shared ``site`` build, tests/conftest.py): a knowledge check at the end of every lecture, the self-test pages, the
blank paper forms, and every lecture link the engine's results give pointing at a real
section."""

from __future__ import annotations

import html as _html
import json
import re
from pathlib import Path

import pytest

from worksheet_engine.checks.scoring import lecture_href
from worksheet_engine.worksheets import WORKSHEETS, conflict, listening
from worksheet_engine.worksheets._quizbank import ITEMS, LECTURES
from worksheet_engine.worksheets._selftest import RETAKE_PREFIX

pytestmark = pytest.mark.site


def page(site: Path, href: str) -> str:
    """The built HTML of a site-root-relative page link such as "lectures/05-communication/"."""
    return (site / href.split("#")[0] / "index.html").read_text(encoding="utf-8")


def ids(html: str) -> set[str]:
    return {_html.unescape(m) for m in re.findall(r'\sid="([^"]+)"', html)}


@pytest.mark.parametrize("lecture", sorted(LECTURES))
def test_each_lecture_ends_with_its_knowledge_check(site: Path, lecture: str) -> None:
    path, _, _ = LECTURES[lecture]
    html = page(site, lecture_href(path))
    slug = f"quiz-{lecture}"
    m = re.search(rf'<div class="ws-quiz" data-ws-quiz="{lecture}">\s*<div class="ws" data-ws-root="{slug}"'
                  rf'[^>]*data-ws-definition="([^"]*)"', html)
    assert m, f"{lecture}: no data-ws-quiz root around the {slug} form"
    assert json.loads(_html.unescape(m.group(1))) == json.loads(json.dumps(WORKSHEETS[slug].to_info_dict()))
    assert f'data-ws-form="{slug}"' in html
    fields = set(re.findall(r'data-ws-field="([^"]+)"', html))
    assert fields == {f.name for f in WORKSHEETS[slug].fields}
    assert html.count("data-ws-quiz=") == 1
    # It comes after the lecture's content: after the summary heading.
    assert html.index('id="本讲小结"') < html.index("data-ws-quiz=")


def test_every_lecture_link_of_the_results_points_at_a_section(site: Path) -> None:
    hrefs = {i.href for i in ITEMS}
    hrefs |= {lecture_href(listening.LECTURE, d[1]) for d in listening.DIMENSIONS.values()}
    hrefs |= {lecture_href(conflict.LECTURE, a) for a in (conflict.ANCHOR, "43f-倾听法", "1沟通的心理地位")}
    missing = [h for h in sorted(hrefs) if "#" in h and h.split("#", 1)[1] not in ids(page(site, h))]
    assert missing == [], "anchors that no longer exist (a heading was renamed?)"


@pytest.mark.parametrize("slug", ["listening", "conflict", "pretest", "posttest"])
def test_self_test_pages_carry_their_forms(site: Path, slug: str) -> None:
    html = page(site, f"worksheets/{slug}/")
    assert f'data-ws-form="{slug}"' in html and f'data-ws-root="{slug}"' in html


def test_blank_page_has_every_worksheet_and_no_live_form(site: Path) -> None:
    html = page(site, "worksheets/blank/")
    for hook in ("data-ws-form", "data-ws-field", "data-ws-root"):
        assert hook not in html.split('class="md-content"')[1], f"{hook} on the blank page would be mounted"
    for slug, ws in WORKSHEETS.items():
        m = re.search(rf'<section class="ws-blank-sheet" id="blank-{slug}" data-ws-blank="{slug}">(.*?)</section>',
                      html, re.S)
        assert m, f"blank form of {slug} missing"
        shown = set(re.findall(r'data-ws-blank-field="([^"]+)"', m.group(1)))
        expected = {f.name for s in ws.sections if not s.key.startswith(RETAKE_PREFIX) for f in s.fields}
        assert shown == expected, slug
        assert f'href="#blank-{slug}"' in html  # listed at the top of the page
    assert "@page ws-blank" in (Path(__file__).resolve().parents[2] / "docs/stylesheets/site.css").read_text()


@pytest.mark.parametrize("slug", sorted(WORKSHEETS))
def test_each_worksheet_links_to_its_blank_form(site: Path, slug: str) -> None:
    ws = WORKSHEETS[slug]
    href = lecture_href(ws.lecture) if slug.startswith("quiz-") else f"worksheets/{slug}/"
    html = page(site, href)
    target = ("../../worksheets/blank/" if slug.startswith("quiz-") else "../blank/") + f"#blank-{slug}"
    assert re.search(rf'<a [^>]*href="{re.escape(target)}"[^>]*>打印空白表', html), slug


def test_lecture_five_points_to_the_self_tests_instead_of_hand_scoring(site: Path) -> None:
    html = page(site, "lectures/05-communication/")
    assert 'href="../../worksheets/listening/"' in html and 'href="../../worksheets/conflict/"' in html
    assert "6 − 所选分数" not in html and "选 A 计入" not in html  # the hand-scoring tables are gone
    assert {"listening-test", "conflict-test", "bia", "bid"} <= ids(html)
