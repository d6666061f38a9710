"""``worksheet_engine.lang.kpi``: the KPI vocabulary and typo-tolerant KPI names."""

from __future__ import annotations

import collections
import re

import pytest

from worksheet_engine.lang import kpi
from worksheet_engine.lang.normalize import normalize
from worksheet_engine.smart import check_goal


@pytest.mark.parametrize(
    ("text", "keys", "directions"),
    [
        ("把AHT降到280秒，同时一次解决率不低于75%。", ["aht", "fcr"], ["down", "up"]),
        ("CSAT ≥ 90% by end of Q3，且差评率 < 2%。", ["csat", "negative"], ["up", "down"]),
        ("本季度内，将放弃率从8%降到5%以下。", ["abandon"], ["down"]),
        ("H2 要让 adherence 稳定在 90%+。", ["adherence"], ["up"]),
        ("三个月内把呼损率控制在3%以内。", ["abandon"], ["down"]),
        ("首解率提高到80%。", ["fcr"], ["up"]),
        ("把通话时长缩短到4分钟。", ["aht"], ["down"]),
        ("Cut the complaint rate in half before Q4.", ["complaint"], ["down"]),
    ],
)
def test_metric_detection_and_direction(text: str, keys: list[str], directions: list[str]) -> None:
    metrics = check_goal(text)["parsed"]["metrics"]
    assert [m["key"] for m in metrics] == keys
    assert [m["direction"] for m in metrics] == directions


def test_every_kpi_has_a_chinese_label_and_known_direction() -> None:
    for k in kpi.KPIS:
        assert re.search(r"[\u4e00-\u9fff]", k.label)
        assert k.direction in ("up", "down", "balanced")
        assert k.kind in ("percent", "duration", "score", "nps", "count")


# --------------------------------------------------------------------------- typo tolerance (issue 14)


def test_homophone_groups_are_disjoint_and_cover_the_kpi_vocabulary() -> None:
    counts = collections.Counter(ch for group in kpi._HOMOPHONES for ch in group)
    assert [ch for ch, n in counts.items() if n > 1] == []
    vocab = {ch for term in kpi._literal_zh_terms() if len(term) >= 3 for ch in term}
    missing = sorted(ch for ch in vocab if ord(ch) not in kpi.SKELETON)
    # only rare characters are left out (no common near-homophone to confuse them with)
    assert len(missing) <= 12, missing


@pytest.mark.parametrize(("text", "typed", "term", "key"), [
    ("下月客户满意渡做到92%", "客户满意渡", "客户满意度", "csat"),
    ("本季度一次解决律达到80%", "一次解决律", "一次解决率", "fcr"),
    ("本月直检得分不低于88分", "直检得分", "质检得分", "qa"),
    ("人员留失率降到12%", "人员留失率", "人员流失率", "attrition"),
    ("排班遵从律保持在95%", "排班遵从律", "排班遵从率", "adherence"),
    ("重复来电律降到8%", "重复来电律", "重复来电率", "repeat"),
    ("Lift customer satisfacton to 90% this month.", "satisfacton", "satisfaction", "csat"),
    ("Cut the abandonmnet rate to 4% in Q2.", "abandonmnet", "abandonment", "abandon"),
])
def test_a_kpi_name_with_a_typo_still_reads_as_that_kpi(text: str, typed: str, term: str, key: str) -> None:
    fixes = kpi.find_kpi_typos(normalize(text).text)
    assert [(f.typed, f.term) for f in fixes] == [(typed, term)]
    r = check_goal(text)
    assert key in [m["key"] for m in r["parsed"]["metrics"]]
    assert r["criteria"]["specific"]["met"] and r["criteria"]["measurable"]["met"] and r["criteria"]["relevant"]["met"]
    notes = [i for i in r["issues"] if i["code"] == "kpi_typo"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    assert f"把“{typed}”理解为“{term}”" in notes[0]["message"]


@pytest.mark.parametrize("text", [
    "让客户满意的服务更多一些", "问题解决了就结案了", "这个月放弃了两次", "每周投诉两次以内", "处理时常常出错",
    "他吃到了苹果", "周末有个派对", "本月满意度达到90%", "Cast the net wide", "Sign the contract today",
    "Improve nutrition at the canteen",
])
def test_real_words_are_never_corrected(text: str) -> None:
    assert kpi.find_kpi_typos(normalize(text).text) == []
    assert "kpi_typo" not in {i["code"] for i in check_goal(text)["issues"]}


def test_two_character_terms_are_never_fuzzy() -> None:
    assert all(len(term) >= 3 for terms in kpi._FUZZY_BY_SKELETON.values() for term in terms)
    assert kpi.find_kpi_typos("直检") == [] and kpi.find_kpi_typos("吃到") == []


def test_edit_distance_helper() -> None:
    assert kpi.within_one_edit("adherance", "adherence")
    assert kpi.within_one_edit("atrition", "attrition")
    assert kpi.within_one_edit("attrtiion", "attrition")  # swapped neighbours
    assert not kpi.within_one_edit("atrtion", "attrition")
