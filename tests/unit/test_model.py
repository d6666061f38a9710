"""The model enforces what a definition declares: types, bounds, options, dates, presence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from worksheet_engine.model import Context, Field, Missing, Section, Worksheet, coerce, presence_issues


def _ws(*fields: Field) -> Worksheet:
    return Worksheet("demo", 1, "示例", "", "lectures/00-intro.md", (Section("s", "节", fields),),
                     evaluate=lambda values, ctx: {})


def _codes(ws: Worksheet, data: Any) -> list[tuple[str, str | None, str]]:
    values, issues = coerce(ws, data)
    return [(i.code, i.field, i.severity) for i in issues + presence_issues(ws, values, issues)]


@pytest.mark.parametrize("field, raw, message", [
    (Field("n", "人数", kind="number", minimum=0), -5, "“人数”应不小于 0，现在是 -5。"),
    (Field("n", "人数", kind="number", maximum=10), 11, "“人数”应不大于 10，现在是 11。"),
    (Field("n", "人数", kind="number", minimum=1, maximum=10), 0, "“人数”应在 1–10 之间，现在是 0。"),
])
def test_bounds_one_sided_or_both_never_raise(field: Field, raw: Any, message: str) -> None:
    values, issues = coerce(_ws(field), {"n": raw})
    assert values["n"] is None
    assert [(i.code, i.message) for i in issues] == [("out_of_range", message)]


# The number rule (worksheet_engine/lang/values.py): a comma before exactly three digits
# groups thousands, any other single comma is a decimal comma.
@pytest.mark.parametrize("raw, expected", [
    ("1,5", 1.5), ("12,75", 12.75), ("0,500", 0.5), ("1,5000", 1.5), ("-1,5", -1.5), ("0,5%", 0.5),
    ("1,500", 1500), ("12,345", 12345), ("1,234,567.5", 1234567.5), ("1 500", 1500), ("1.234,5", 1234.5),
    ("1.500", 1.5), ("８５", 85), ("92.5%", 92.5), ("８５％", 85), ("１，５", 1.5), ("−3", -3), (".5", 0.5), (7, 7),
])
def test_numbers_accept_decimal_commas_thousands_and_full_width(raw: Any, expected: float) -> None:
    values, issues = coerce(_ws(Field("n", "数", kind="number")), {"n": raw})
    assert values["n"] == expected and not issues


@pytest.mark.parametrize("raw", ["八十五左右", "85 92", "1,50,0", "1,2345.6", "1e5", "inf", "nan", "1_000", "85分",
                                 "%", "-", True, [85], {"n": 1}])
def test_what_is_not_one_number_is_reported_as_invalid_with_the_format(raw: Any) -> None:
    values, issues = coerce(_ws(Field("n", "数", kind="number")), {"n": raw})
    assert values["n"] is None
    assert [i.code for i in issues] == ["not_a_number"]
    assert "1,5" in issues[0].suggestion and "92.5" in issues[0].suggestion


def test_invalid_number_is_reported_as_invalid_not_missing() -> None:
    ws = _ws(Field("n", "数", kind="number", required=True))
    assert _codes(ws, {"n": "八十五左右"}) == [("not_a_number", "n", "error")]
    values, issues = coerce(ws, {"n": "八十五左右"})
    assert "“八十五左右”" in issues[0].message
    assert _codes(ws, {"n": ""}) == [("required", "n", "error")]
    bounded = _ws(Field("n", "数", kind="number", minimum=0, required=True))
    assert _codes(bounded, {"n": "-5"}) == [("out_of_range", "n", "error")]


def test_invalid_dates_and_options_in_rows_are_not_also_missing() -> None:
    rows = Field("acts", "行动", kind="list", item_fields=(
        Field("what", "做什么"), Field("due", "完成日期", kind="date", required=True),
        Field("state", "状态", kind="select", options=(("open", "进行中"),), required=True)))
    assert _codes(_ws(rows), {"acts": [{"what": "培训", "due": "下周三", "state": "zz"}]}) == [
        ("bad_date", "acts.0.due", "error"), ("not_an_option", "acts.0.state", "error")]
    assert _codes(_ws(rows), {"acts": [{"what": "培训"}]}) == [
        ("required", "acts.0.due", "error"), ("required", "acts.0.state", "error")]


@pytest.mark.parametrize("raw", ["2026/12/01", "2026年12月1日", "2026年12月01日", "2026.12.1", "2026-12-01",
                                 "２０２６-１２-０１", " 2026 / 12 / 1 ", "2026-12-01T09:00"])
def test_dates_in_common_formats_are_normalised(raw: str) -> None:
    values, issues = coerce(_ws(Field("d", "日期", kind="date")), {"d": raw})
    assert values["d"] == "2026-12-01" and not issues


def test_unreadable_date_is_kept_and_reported_with_the_format() -> None:
    values, issues = coerce(_ws(Field("d", "日期", kind="date")), {"d": "下周三"})
    assert values["d"] == "下周三"
    assert issues[0].code == "bad_date" and "2026-12-01" in issues[0].suggestion
    assert "2026年12月1日" in issues[0].suggestion and "2026/12/01" in issues[0].suggestion
    assert coerce(_ws(Field("d", "日期", kind="date")), {"d": "2026-02-30"})[1][0].code == "bad_date"


def test_choice_and_multichoice_keep_only_declared_options() -> None:
    opts = (("a", "甲"), ("b", "乙"), ("c", "丙"))
    ws = _ws(Field("one", "单选", kind="choice", options=opts), Field("many", "多选", kind="multichoice", options=opts))
    values, issues = coerce(ws, {"one": "z", "many": ["c", "a", "zz"]})
    assert values == {"one": "", "many": ["a", "c"]}
    assert [i.code for i in issues] == ["not_an_option", "not_an_option"]
    values, issues = coerce(ws, {"one": "b", "many": ["b"]})
    assert values == {"one": "b", "many": ["b"]} and not issues


def test_options_belong_only_to_option_kinds() -> None:
    with pytest.raises(ValueError):
        Field("x", "X", kind="choice")
    with pytest.raises(ValueError):
        Field("x", "X", options=(("a", "A"),))


def test_presence_uses_the_wording_declared_on_the_field() -> None:
    rows = Field("acts", "行动", kind="list", min_items=2,
                 missing=Missing("只有 {count} 条，至少 {min} 条。", code="too_few_acts"),
                 item_fields=(Field("what", "做什么"),
                              Field("who", "谁", required=True, missing=Missing("第 {row} 条没有负责人。", code="no_owner"))))
    ws = _ws(Field("title", "主题", required=True, missing=Missing(severity="warning")), rows)
    values, _ = coerce(ws, {"title": "x", "acts": [{"what": "培训"}, {"who": "张伟"}]})
    issues = presence_issues(ws, values)
    assert [(i.code, i.field, i.message) for i in issues] == [
        ("too_few_acts", "acts", "只有 1 条，至少 2 条。"),  # a row counts once its first cell is filled
        ("no_owner", "acts.0.who", "第 1 条没有负责人。"),
    ]
    values, _ = coerce(ws, {})
    assert [(i.code, i.severity) for i in presence_issues(ws, values)] == [("required", "warning"),
                                                                          ("too_few_acts", "error")]


def test_a_blank_entry_is_not_nagged_about_advised_list_sizes() -> None:
    advised = Field("items", "条目", kind="list", min_items=2, item_fields=(Field("t", "T"),),
                    missing=Missing(severity="warning"))
    ws = _ws(Field("ctx", "对象", required=True), advised)
    assert _codes(ws, {}) == [("required", "ctx", "error")]
    assert _codes(ws, {"ctx": "二组"}) == [("too_few_items", "items", "warning")]


def test_context_counts_the_models_errors_with_the_evaluators() -> None:
    values, issues = coerce(_ws(Field("n", "数", kind="number", required=True)), {})
    ctx = Context(today=dt.date(2026, 12, 1), issues=tuple(presence_issues(_ws(Field("n", "数", kind="number",
                                                                                 required=True)), values)))
    assert ctx.errors([{"severity": "error"}, {"severity": "info"}]) == 2


def test_unknown_module_is_refused() -> None:
    with pytest.raises(ValueError):
        Worksheet("x", 1, "X", "", "lectures/00-intro.md", (), evaluate=lambda v, c: {}, module="nowhere")
