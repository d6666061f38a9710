"""Each classroom activity is defined once (docs/_data/activities.yml) and rendered from
that one source both in its lecture and in the trainer guide; the timetables add up.

The site is the shared strict build (tests/conftest.py). For every activity, the text inside its
``data-activity`` block on the lecture page and on the guide page must contain the
goal, every step, the output and every debrief question from the data file. Lecture
sources may not carry hand-written activity boxes any more.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros import activities as acts

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
COURSE = acts.load()


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch)[0] not in "PS")


class _Blocks(HTMLParser):
    """Text of every ``<div data-activity=…>`` (or ``data-sheet``) block of a page."""

    def __init__(self, attr: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attr = attr
        self.blocks: dict[str, list[str]] = {}
        self._stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "div":
            return
        key = dict(attrs).get(self.attr)
        self._stack.append(key)
        if key:
            self.blocks.setdefault(key, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        for key in {k for k in self._stack if k}:
            self.blocks[key].append(data)


def blocks(html_file: Path, attr: str = "data-activity") -> dict[str, str]:
    parser = _Blocks(attr)
    parser.feed(html_file.read_text(encoding="utf-8"))
    return {k: norm("".join(v)) for k, v in parser.blocks.items()}


def built(site: Path, doc_path: str) -> Path:
    return site / doc_path.removesuffix(".md") / "index.html"


def expected_texts(act: dict) -> list[str]:
    return [act["goal"], act["output"], act["title"], *(s["text"] for s in act["steps"]), *act["debrief"]]


@pytest.mark.parametrize("key", list(COURSE.activities))
def test_activity_renders_in_lecture_and_guide(site: Path, key: str) -> None:
    act = COURSE.activities[key]
    lecture = blocks(built(site, act["lecture"]))
    guide = blocks(built(site, "trainer/guide.md"))
    assert key in lecture, f"{key} is not rendered in {act['lecture']}"
    assert key in guide, f"{key} is not rendered in the trainer guide"
    for where, text in (("lecture", lecture[key]), ("guide", guide[key])):
        missing = [t for t in expected_texts(act) if norm(t) not in text]
        assert not missing, f"{key} ({where}) lacks: {missing}"
    # The two renderings come from the same box: the learner's is contained in the trainer's
    # except for the trainer-only parts (1-day variant, tips).
    assert norm(act["one_day"]) in guide[key]
    assert norm(act["model_answer"].splitlines()[0]) in lecture[key]


def test_each_activity_appears_once_per_page(site: Path) -> None:
    counts: dict[str, int] = {}
    for act in COURSE.activities.values():
        counts[act["lecture"]] = counts.get(act["lecture"], 0) + 1
    for lecture, n in counts.items():
        html = built(site, lecture).read_text(encoding="utf-8")
        assert html.count("data-activity=") == n, lecture
    guide = built(site, "trainer/guide.md").read_text(encoding="utf-8")
    assert guide.count("data-activity=") == len(COURSE.activities)


@pytest.mark.parametrize("lecture", sorted({a["lecture"] for a in COURSE.activities.values()}))
def test_no_hand_written_activity_boxes(lecture: str) -> None:
    source = (DOCS / lecture).read_text(encoding="utf-8")
    types = "|".join(acts.ACTIVITY_TYPES + ("课堂活动",))
    assert not re.search(rf'^!!! example "(?:{types})', source, flags=re.M), \
        f"{lecture}: activity boxes must come from {{{{ activity(...) }}}}"


def test_seed_activities_all_defined() -> None:
    """The outline's ten activities each have one definition in the data file."""
    import yaml
    outline = yaml.safe_load((DOCS / "outline.yml").read_text(encoding="utf-8"))
    seed = [(p["path"], a["type"]) for p in outline["pages"] for a in p.get("activities", [])]
    # 现场测试 lists two self-tests in one activity.
    assert len(seed) == 10
    defined = [(a["lecture"], a["type"]) for a in COURSE.activities.values() if a["type"] != "扩展活动"]
    assert sorted(seed) == sorted(defined)


def test_timetables_add_up_and_lecture_times_match(site: Path) -> None:
    for plan in acts.PLAN_KEYS:
        for day in COURSE.plans[plan]["days"]:
            total = sum(acts._row_minutes(r, COURSE.activities, plan) for r in day["rows"] if "break" not in r)
            assert total == COURSE.day_minutes
    # The "课堂时间" line at the top of each lecture quotes the timetable's minutes.
    for lecture in {a["lecture"] for a in COURSE.activities.values()}:
        text = norm(built(site, lecture).read_text(encoding="utf-8"))
        for plan in acts.PLAN_KEYS:
            teach, act = acts.lecture_minutes(COURSE, lecture, plan)
            assert norm(f"{acts.PLAN_SHORT[plan]} {teach + act} 分钟（讲授 {teach}，活动 {act}）") in text, (lecture, plan)


def test_home_page_and_guide_share_the_cut_list(site: Path) -> None:
    home = norm(built(site, "index.md").read_text(encoding="utf-8")) if (site / "index.md").exists() else \
        norm((site / "index.html").read_text(encoding="utf-8"))
    guide = norm(built(site, "trainer/guide.md").read_text(encoding="utf-8"))
    for cut in COURSE.cuts:
        assert norm(cut["self_study"]) in home
        assert norm(cut["self_study"]) in guide


def test_handouts_carry_activity_sheets(site: Path) -> None:
    for lecture in {a["lecture"] for a in COURSE.activities.values()}:
        num = lecture.split("/")[1][:2]
        sheets = blocks(built(site, f"course/handout-{num}.md"), "data-sheet")
        for key, act in COURSE.activities.items():
            if act["lecture"] == lecture:
                assert key in sheets and norm(act["goal"]) in sheets[key], (lecture, key)


def test_inconsistent_data_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step time that no longer adds up, or a day that is not 360 minutes, stops the build."""
    broken = copy.deepcopy(COURSE.activities)
    broken["swot-practice"]["steps"][0]["minutes"] += 5
    with pytest.raises(acts.ActivityError, match="swot-practice"):
        acts._check_activity("swot-practice", broken["swot-practice"])
    longer = copy.deepcopy(COURSE.activities)
    longer["swot-practice"]["minutes"]["two_day"] += 5
    longer["swot-practice"]["steps"][0]["minutes"] += 5
    course = acts.Course(longer, COURSE.plans, COURSE.lectures, COURSE.cuts, COURSE.handouts, COURSE.day_minutes)
    with pytest.raises(acts.ActivityError, match="365"):
        acts._check_plans(course)
