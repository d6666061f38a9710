"""The scoring analyser (checks/scoring.py) and the two self-assessments built on it."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from worksheet_engine import api
from worksheet_engine.checks import scoring
from worksheet_engine.checks.scoring import Band, ForcedPair, LikertItem, band_for, score_likert, score_pairs
from worksheet_engine.worksheets import conflict, listening
from worksheet_engine.worksheets._selftest import TAKES, field_name

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "g", "rect", "line", "polyline", "polygon", "circle", "path", "text", "tspan", "title", "desc"}


def answers(keys, pattern: str, take: int = 1, date: str | None = None) -> dict:
    assert len(pattern) == len(keys)
    data = {field_name(take, k): v for k, v in zip(keys, pattern)}
    if date:
        data[field_name(take, "date")] = date
    return data


# ---- the analyser ---------------------------------------------------------------------------


def test_reverse_items_score_six_minus_the_answer() -> None:
    items = (LikertItem("a", "x", "d1"), LikertItem("b", "y", "d1", reverse=True))
    for raw in range(1, 6):
        s = score_likert(items, {"a": str(raw), "b": str(raw)})
        assert s.points == {"a": raw, "b": 6 - raw}
        assert s.dimensions["d1"].score == 6  # a positive and a reversed item always sum to 6
    assert score_likert(items, {"a": 5, "b": 1}).total == 10


def test_unanswered_and_invalid_answers_are_missing_not_zero() -> None:
    items = tuple(LikertItem(k, k, "d") for k in "abcde")
    s = score_likert(items, {"a": "3", "b": "", "c": "7", "d": True, "e": " 2 "})
    assert s.missing == ["b", "c", "d"]
    assert s.total == 5 and not s.complete
    assert s.dimensions["d"].answered == 2 and s.dimensions["d"].maximum == 25


def test_bands_cover_the_range_and_clamp() -> None:
    keys = [band_for(x, listening.BANDS).key for x in range(20, 101)]
    assert keys[0] == "priority" and keys[-1] == "strength"
    assert len(set(keys)) == len(listening.BANDS)
    # Contiguous, no gap and no overlap between 20 and 100.
    ordered = sorted(listening.BANDS, key=lambda b: b.low)
    assert ordered[0].low == 20 and ordered[-1].high == 100
    assert all(a.high + 1 == b.low for a, b in itertools.pairwise(ordered))
    assert band_for(5, listening.BANDS).key == "priority" and band_for(130, listening.BANDS).key == "strength"
    edge = (Band(0, 9, "lo", "", ""), Band(10, 20, "hi", "", ""))
    assert [band_for(x, edge).key for x in (9, 10)] == ["lo", "hi"]


def test_pairs_score_the_chosen_mode() -> None:
    pairs = (ForcedPair("p1", "s", "A", "x", "B", "y"), ForcedPair("p2", "s", "A", "y", "B", "z"))
    s = score_pairs(pairs, ("x", "y", "z"), {"p1": "a", "p2": "a"})
    assert s.counts == {"x": 1, "y": 1, "z": 0} and s.complete
    s = score_pairs(pairs, ("x", "y", "z"), {"p1": "c", "p2": None})
    assert s.missing == ["p1", "p2"] and sum(s.counts.values()) == 0


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == SVG + "svg"
    for el in root.iter():
        assert el.tag.startswith(SVG) and el.tag[len(SVG):] in ALLOWED, el.tag
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name not in ("href", "style") and not name.endswith("}href"), name
            assert "url(" not in value and "javascript:" not in value
    return root


def test_bar_chart_is_well_formed_and_escapes_text() -> None:
    evil = '<script>alert("x")</script> & “引号”'
    svg = scoring.bar_chart(evil, [(evil, 3, 8), ("合作", 9, 8), ("回避", -1, 8)], threshold=0.75,
                            threshold_label=evil)
    assert "<script>" not in svg
    root = _parse(svg)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert evil in texts  # the text survives, as text
    assert root.find(SVG + "title").text == evil
    bars = [r for r in root.iter(SVG + "rect") if "data-ws-bar" in r.attrib]
    widths = [float(r.get("width")) for r in bars]
    assert widths[1] == 300 and widths[2] == 0  # clamped to 0–maximum
    assert widths[0] == pytest.approx(300 * 3 / 8)


def test_trend_chart_has_one_line_per_series() -> None:
    svg = scoring.trend_chart("趋势 <b>", ["2026-11-02", "2026-11-23", "<x>"],
                              [("总分", [10, 12, 15]), ("理解 & 记忆", [4, 20, 30])], minimum=4, maximum=20)
    root = _parse(svg)
    assert len(list(root.iter(SVG + "polyline"))) == 2
    assert len(list(root.iter(SVG + "circle"))) == 6
    assert "<x>" in [t.text for t in root.iter(SVG + "text")]
    single = _parse(scoring.trend_chart("一次", ["第 1 次"], [("总分", [12])], minimum=0, maximum=20))
    assert not list(single.iter(SVG + "polyline"))


# ---- 倾听能力自测 -------------------------------------------------------------------------------


def test_listening_items_are_balanced() -> None:
    per_dim = Counter(i.dimension for i in listening.ITEMS)
    assert set(per_dim) == set(listening.DIMENSIONS) and set(per_dim.values()) == {4}
    reversed_per_dim = Counter(i.dimension for i in listening.ITEMS if i.reverse)
    assert set(reversed_per_dim.values()) == {2}  # half of each dimension is reverse-keyed
    assert len({i.text for i in listening.ITEMS}) == len(listening.ITEMS)


def test_listening_extremes_and_reverse_keying() -> None:
    # The best listener: "5" on positive items, "1" on reversed ones.
    best = "".join("1" if i.reverse else "5" for i in listening.ITEMS)
    r = api.evaluate("listening", answers(listening.KEYS, best, date="2026-11-02"))
    assert r["scoring"]["total"] == 100 and r["scoring"]["band"] == "strength"
    assert all(v == 20 for v in r["scoring"]["dimensions"].values())
    # Always "5" (总是): positives 5, reversed 1 → each dimension 2×5 + 2×1 = 12, weak.
    r = api.evaluate("listening", answers(listening.KEYS, "5" * 20, date="2026-11-02"))
    assert r["scoring"]["total"] == 60 and r["scoring"]["band"] == "gaps"
    assert all(c["met"] is False for c in r["checks"])
    worst = "".join("5" if i.reverse else "1" for i in listening.ITEMS)
    assert api.evaluate("listening", answers(listening.KEYS, worst))["scoring"]["total"] == 20


def test_listening_weak_dimension_links_to_its_section_and_hooks() -> None:
    # Everything 4 except the 回应 items at their worst.
    pattern = "".join(("5" if i.reverse else "1") if i.dimension == "respond" else ("2" if i.reverse else "4")
                      for i in listening.ITEMS)
    r = api.evaluate("listening", answers(listening.KEYS, pattern, date="2026-11-02"))
    assert r["ok"]
    dims = r["scoring"]["dimensions"]
    assert dims["respond"] == 4 and dims["receive"] == 16
    assert [c["key"] for c in r["checks"] if c["met"] is False] == ["respond"]
    assert r["links"] == [{"label": "回应：第五讲“如何才能有效地倾听”",
                           "href": "lectures/05-communication/#4如何才能有效地倾听"}]
    total = next(f for f in r["figures"] if f["key"] == "total")
    assert total["hook"] == {"score": str(r["scoring"]["total"])}
    dim_figs = [f for f in r["figures"] if f["key"].startswith("dim-")]
    assert len(dim_figs) == 5 and all(f["hook"]["score"].isdigit() for f in dim_figs)
    assert "回应" in r["headline"]
    svg = _parse(r["charts"][0]["svg"])
    assert len([x for x in svg.iter(SVG + "rect") if "data-ws-bar" in x.attrib]) == 5
    assert "第 5 题" in r["report_md"]  # an item scored 1–2 is listed for practice


def test_listening_incomplete_take_is_not_scored() -> None:
    data = answers(listening.KEYS, "3" * 20)
    del data[field_name(1, "q07")], data[field_name(1, "q19")]
    r = api.evaluate("listening", data, "2026-12-02")
    assert not r["ok"] and "scoring" not in r
    unanswered = next(i for i in r["issues"] if i["code"] == "unanswered")
    assert "7、19" in unanswered["message"] and unanswered["field"] == "t1_q07"
    assert api.evaluate("listening", {})["issues"][0]["code"] == "not_started"


def test_retakes_keep_dates_and_draw_the_trend() -> None:
    best = "".join("1" if i.reverse else "5" for i in listening.ITEMS)
    data = {**answers(listening.KEYS, "3" * 20, 1, "2026-11-02"), **answers(listening.KEYS, best, 2)}
    r = api.evaluate("listening", data, dt.date(2026, 11, 30))
    assert r["scoring"]["takes"] == 2 and r["scoring"]["date"] == "2026-11-30"
    no_date = next(i for i in r["issues"] if i["code"] == "no_date")
    assert no_date["field"] == "t2_date" and no_date["severity"] == "info" and "2026-11-30" in no_date["suggestion"]
    change = next(f for f in r["figures"] if f["key"] == "change")
    assert change["value"] == "+40" and change["hook"] == {"change": "40"}  # 60 → 100
    assert len(r["charts"]) == 2
    trend = _parse(r["charts"][1]["svg"])
    labels = [t.text for t in trend.iter(SVG + "text")]
    assert "2026-11-02" in labels and "2026-11-30" in labels
    assert len(list(trend.iter(SVG + "polyline"))) == 6  # total + five dimensions
    assert "### 历次作答" in r["report_md"]
    # Without a date and without today, the take is named by its number.
    r = api.evaluate("listening", {**answers(listening.KEYS, "3" * 20, 1), **answers(listening.KEYS, "4" * 20, 2)})
    assert "第 2 次" in r["charts"][0]["title"]


def test_a_retake_out_of_order_is_flagged_and_an_unfinished_retake_keeps_the_last_result() -> None:
    data = {**answers(listening.KEYS, "3" * 20, 1, "2026-11-20"), **answers(listening.KEYS, "4" * 20, 2, "2026-11-02"),
            field_name(3, "q01"): "5"}
    r = api.evaluate("listening", data, "2026-12-02")
    codes = [i["code"] for i in r["issues"]]
    assert "date_order" in codes and "unanswered" in codes
    assert r["ok"] and r["scoring"]["takes"] == 2  # the third take is not finished: take 2 is the result


def test_listening_example_is_two_complete_takes() -> None:
    ex = listening.DEFINITION.example
    assert all(ex.get(field_name(t, k)) for t in (1, 2) for k in listening.KEYS)
    r = api.evaluate("listening", dict(ex), "2026-12-02")
    assert r["ok"] and r["scoring"]["takes"] == 2 and len(r["charts"]) == 2


def test_form_has_one_section_per_take() -> None:
    for ws in (listening.DEFINITION, conflict.DEFINITION):
        assert [s.key for s in ws.sections] == ["take1"] + [f"retake{n}" for n in range(2, TAKES + 1)]
        assert [s.optional for s in ws.sections] == [False] + [True] * (TAKES - 1)
        assert all(f.kind in ("choice", "date") for f in ws.fields)


# ---- 沟通冲突应对能力自测 ---------------------------------------------------------------------------


def test_conflict_pairs_are_balanced() -> None:
    pairs = conflict.PAIRS
    assert len(pairs) == 20
    per_mode = Counter(m for p in pairs for m in (p.a_mode, p.b_mode))
    assert per_mode == {m: 8 for m in conflict.MODES}
    assert Counter(p.a_mode for p in pairs) == {m: 4 for m in conflict.MODES}
    assert Counter(p.b_mode for p in pairs) == {m: 4 for m in conflict.MODES}
    # Every one of the ten mode pairs is asked exactly twice, once each way round.
    assert Counter(frozenset((p.a_mode, p.b_mode)) for p in pairs) == {
        frozenset(c): 2 for c in itertools.combinations(conflict.MODES, 2)}
    assert len({(p.a_mode, p.b_mode) for p in pairs}) == 20
    assert all(p.a_mode != p.b_mode for p in pairs)


DISMISSIVE = ("不去碰", "不管", "随便", "算了", "无所谓", "懒得", "敷衍", "不理", "糊弄", "自然会适应")


def test_conflict_options_are_equally_acceptable_on_their_face() -> None:
    for p in conflict.PAIRS:
        for text in (p.a, p.b):
            assert not any(w in text for w in DISMISSIVE), (p.key, text)
        short, long_ = sorted((len(p.a), len(p.b)))
        assert short / long_ >= 0.5, f"{p.key}: options of very different length ({len(p.a)} vs {len(p.b)})"
    assert len({p.situation for p in conflict.PAIRS}) == 20


def test_conflict_scores_each_mode_and_names_habits_and_rare_modes() -> None:
    # Prefer collaborating, then competing, then compromising: avoid and accommodate score only
    # in the two pairs that set them against each other.
    rank = ["collaborate", "compete", "compromise", "avoid", "accommodate"]
    pattern = "".join("a" if rank.index(p.a_mode) < rank.index(p.b_mode) else "b" for p in conflict.PAIRS)
    r = api.evaluate("conflict", answers(conflict.KEYS, pattern, date="2026-11-02"))
    counts = r["scoring"]["modes"]
    assert counts["collaborate"] == 8 and sum(counts.values()) == 20
    assert r["scoring"]["main"] == ["collaborate"] and "合作" in r["headline"]
    habit = next(c for c in r["checks"] if c["key"] == "collaborate")
    assert habit["met"] is None and "代价" in habit["suggestion"]
    assert counts == {"compete": 6, "collaborate": 8, "compromise": 4, "avoid": 2, "accommodate": 0}
    rare = [c["key"] for c in r["checks"] if c["met"] is False]
    assert rare == ["avoid", "accommodate"] and "较少使用：回避、迁就" in r["headline"]
    modes = {f["hook"]["mode"]: f["hook"]["score"] for f in r["figures"] if f["key"].startswith("mode-")}
    assert modes == {k: str(v) for k, v in counts.items()}
    assert r["links"][0]["href"] == "lectures/05-communication/#conflict-test"
    _parse(r["charts"][0]["svg"])


def test_conflict_trend_across_takes() -> None:
    ex = conflict.DEFINITION.example
    r = api.evaluate("conflict", dict(ex), "2026-12-02")
    assert r["ok"] and r["scoring"]["takes"] == 2
    trend = _parse(r["charts"][1]["svg"])
    assert len(list(trend.iter(SVG + "polyline"))) == 5
    flexible = next(f for f in r["figures"] if f["key"] == "flexibility")
    assert flexible["hook"]["score"] == str(r["scoring"]["flexibility"])
