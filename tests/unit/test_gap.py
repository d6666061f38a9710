"""Direction-aware KPI gaps and the SVG chart drawn from them."""

from __future__ import annotations

import doctest
import xml.etree.ElementTree as ET

import pytest

from worksheet_engine.checks import gap
from worksheet_engine.checks.gap import gap_chart, kpi_gap, metric_direction

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "g", "rect", "line", "polyline", "polygon", "circle", "path", "text", "tspan", "title", "desc"}


def test_docstring_examples() -> None:
    assert doctest.testmod(gap).failed == 0


@pytest.mark.parametrize(("metric", "target", "actual", "direction", "met"), [
    ("一次解决率（FCR）", 75, 68, "up", False),
    ("FCR", 75, 80, "up", True),
    ("平均处理时长（AHT）", 320, 305, "down", True),
    ("AHT", 300, 320, "down", False),
    ("放弃率", 5, 3, "down", True),
    ("客户满意度", 90, 90, "up", True),
    ("投诉率", 0.5, 0.8, "down", False),
    ("质检得分", 88, 85, "up", False),
])
def test_direction_from_the_vocabulary(metric: str, target: float, actual: float, direction: str, met: bool) -> None:
    g = kpi_gap(metric, target, actual)
    assert (g["direction"], g["direction_source"], g["met"]) == (direction, "vocabulary", met)


def test_explicit_direction_for_an_unknown_or_balanced_metric() -> None:
    assert metric_direction("知识库命中率")["key"] == ""
    g = kpi_gap("知识库命中率", 80, 70, direction="down")
    assert (g["direction"], g["direction_source"], g["met"]) == ("down", "chosen", True)
    g = kpi_gap("占用率", 85, 90, direction="down")  # known, but balanced: the manager decides
    assert (g["direction_source"], g["met"]) == ("chosen", False)


def test_unknown_without_direction_is_assumed_up() -> None:
    g = kpi_gap("新人带教数", 3, 2)
    assert (g["direction"], g["direction_source"], g["met"]) == ("up", "assumed", False)


def test_contradicting_direction_is_flagged_and_the_vocabulary_wins() -> None:
    g = kpi_gap("AHT", 300, 320, direction="up")
    assert g["conflict"] and g["direction"] == "down" and g["met"] is False
    assert not kpi_gap("AHT", 300, 320, direction="down")["conflict"]


def test_texts_units_and_percentages() -> None:
    g = kpi_gap("FCR", 75, 68)
    assert (g["target_text"], g["actual_text"]) == ("75%", "68%")
    assert g["gap_text"].startswith("−7 个百分点")
    assert kpi_gap("AHT", 300, 320)["gap_text"].startswith("+20 秒")
    zero = kpi_gap("投诉量", 0, 2)
    assert zero["pct"] is None and "相对目标" not in zero["gap_text"]
    nps = kpi_gap("NPS", -10, 5)
    assert nps["met"] and nps["diff"] == 15 and nps["pct"] == pytest.approx(150)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _assert_safe(root: ET.Element) -> None:
    for node in root.iter():
        assert node.tag.startswith(SVG) and node.tag[len(SVG):] in ALLOWED, node.tag
        for name in node.attrib:
            low = name.lower()
            assert not low.startswith("on") and "href" not in low and low != "style", name


def test_chart_is_basic_svg_with_one_row_per_kpi() -> None:
    gaps = [kpi_gap("FCR", 75, 68), kpi_gap("AHT", 320, 305), kpi_gap("NPS", -10, 5)]
    root = _parse(gap_chart(gaps))
    _assert_safe(root)
    rows = [g for g in root.iter(SVG + "g") if "data-row" in g.attrib]
    assert len(rows) == 3
    texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert "−7 个百分点 未达成" in texts and "−15 秒 达成" in texts
    # bars stay inside the drawing
    width = float(root.attrib["width"])
    for rect in root.iter(SVG + "rect"):
        assert 0 <= float(rect.attrib["x"]) and float(rect.attrib["x"]) + float(rect.attrib["width"]) <= width


def test_chart_bar_lengths_follow_the_numbers() -> None:
    root = _parse(gap_chart([kpi_gap("FCR", 80, 40)]))
    row = next(g for g in root.iter(SVG + "g") if "data-row" in g.attrib)
    target, actual = [float(r.attrib["width"]) for r in row.iter(SVG + "rect")]
    assert target == pytest.approx(2 * actual, rel=0.02)


def test_chart_escapes_hostile_names() -> None:
    name = '<script>alert(1)</script>" onload="x'
    svg = gap_chart([kpi_gap(name, 1, 2)], title="<b>t</b>")
    assert "<script" not in svg and "onload=" not in svg.replace("onload=&quot;", "")
    root = _parse(svg)
    _assert_safe(root)
    assert any("<script>" in (t.text or "") for t in root.iter())  # shown as text, not markup


def test_chart_of_nothing_is_empty() -> None:
    assert gap_chart([]) == ""


@pytest.mark.parametrize(("metric", "direction", "label"), [
    ("目标达成率", "up", "达成率"), ("培训完成率", "up", "完成率"), ("会议时长", "down", "时长"),
    ("工单超时", "down", "超时"), ("客户留存率", "up", "留存率"),
    # A vocabulary metric ending at the same place (or later) wins over a head word.
    ("平均处理时长", "down", "平均处理时长（AHT）"), ("投诉处理及时率", "up", "按时结案率"),
])
def test_head_words_for_names_the_vocabulary_does_not_list(metric: str, direction: str, label: str) -> None:
    info = metric_direction(metric)
    assert (info["direction"], info["label"]) == (direction, label)
    g = kpi_gap(metric, 10, 12, direction="up" if direction == "down" else "down")
    assert (g["direction"], g["direction_source"], g["conflict"], g["label"]) == (direction, "vocabulary", True, label)


def test_percentage_units_and_a_blank_unit() -> None:
    for unit in ("%", "％", "百分点", "百分比"):
        assert "个百分点" in kpi_gap("服务水平", 80, 71, unit=unit)["gap_text"], unit
    # Blank: the vocabulary's unit (FCR is a percentage), not "no unit".
    assert kpi_gap("FCR", 75, 68, unit="  ")["target_text"] == "75%"
    assert kpi_gap("新人带教数", 3, 2, unit="人")["gap_text"] == "−1 人（相对目标 −33.3%）"
