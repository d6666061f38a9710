"""``worksheet_engine.lang.normalize``: normalisation with a map back to the typed text."""

from __future__ import annotations

import re

import pytest

from worksheet_engine.lang import normalize as textnorm


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("两周内", "2周内"),
        ("三个月内", "3个月内"),
        ("百分之九十", "90%"),
        ("百分之九十五点五", "95.5%"),
        ("九成以上", "90%以上"),
        ("三分之一", "33.3%"),
        ("一百零五分", "105分"),
        ("二〇二六年十二月三十一日前", "2026年12月31日前"),
        ("ＦＣＲ提升到８０％", "FCR提升到80%"),
        ("CSAT 从 85 % 提升 到 92 %", "CSAT从85%提升到92%"),
        ("满意度做到九十。", "满意度做到90。"),
        ("一次解决率", "一次解决率"),
        ("十分重要", "十分重要"),
        ("双十一前", "双十一前"),
        ("提升五个百分点", "提升5个百分点"),
        ("within two weeks", "within 2 weeks"),
        ("eighty-five percent", "85%"),
        ("一对一辅导", "1对1辅导"),
    ],
)
def test_normalize(raw: str, normalised: str) -> None:
    assert textnorm.normalize(raw).text == normalised


def test_normalize_maps_back_to_the_original() -> None:
    n = textnorm.normalize("两周内把ＦＣＲ提升到百分之八十")
    assert n.text == "2周内把FCR提升到80%"
    assert n.original(0, 3) == "两周内"
    assert n.original(4, 7) == "ＦＣＲ"
    assert n.original(len(n.text) - 3, len(n.text)) == "百分之八十"


@pytest.mark.parametrize(("raw", "value"), [("十二", 12), ("一百零五", 105), ("九十五点五", 95.5), ("二〇二六", 2026),
                                              ("三万", 30000), ("两千零一十", 2010), ("零点五", 0.5), ("", None), ("abc", None)])
def test_cn_to_number(raw: str, value: float | None) -> None:
    assert textnorm.cn_to_number(raw) == value


def test_compile_fast_keeps_the_meaning() -> None:
    for pattern in (r"(?:在)?(?:本|这)周", r"(?<!\d)\d+秒", r"(?:x|y)*z", r"[Qq][1-4]"):
        plain = re.compile(pattern)
        fast = textnorm.compile_fast(pattern)
        for s in ("在本周", "这周", "12秒", "xyz", "z", "Q3 q4", "abc"):
            assert [m.span() for m in plain.finditer(s)] == [m.span() for m in fast.finditer(s)]


def test_replace_spans_keeps_the_map_for_same_and_different_lengths() -> None:
    n = textnorm.normalize("本季度满意渡达到９０％，satisfation up")
    i = n.text.index("满意渡")
    j = n.text.index("satisfation")
    fixed = textnorm.replace_spans(n, [(i, i + 3, "满意度"), (j, j + 11, "satisfaction")])
    assert fixed.text == "本季度满意度达到90%,satisfaction up"
    assert fixed.original(i, i + 3) == "满意渡"
    k = fixed.text.index("satisfaction")
    assert fixed.original(k, k + 12) == "satisfation"
    assert fixed.original(fixed.text.index("90%"), fixed.text.index("90%") + 3) == "９０％"
    assert textnorm.replace_spans(n, []) is n
