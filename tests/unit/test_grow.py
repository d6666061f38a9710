"""GROW 辅导面谈规划: the worksheet evaluator (the question classifier is tested in test_questions.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.timing import best_cpu_time as _best_time
from tests.unit.test_questions import LABELLED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worksheet_engine import api
from worksheet_engine.worksheets.grow import DEFINITION, parse_date



def _codes(result: dict[str, Any]) -> list[str]:
    return [i["code"] for i in result["issues"]]


def _example() -> dict[str, Any]:
    return json.loads(json.dumps(dict(DEFINITION.example)))


# --------------------------------------------------------------------------------------
# The worksheet
# --------------------------------------------------------------------------------------


def test_definition_basics() -> None:
    assert DEFINITION.slug == "grow"
    assert DEFINITION.lecture == "lectures/06-coaching.md"
    names = [f.name for f in DEFINITION.fields]
    for name in ("goal_text", "questions_g", "questions_r", "questions_o", "questions_w", "options", "actions",
                 "follow_up_date"):
        assert name in names
    options = next(f for f in DEFINITION.fields if f.name == "options")
    assert options.kind == "list" and options.min_items == 2


def test_example_is_a_clean_complete_plan() -> None:
    r = api.evaluate("grow", _example(), today="2026-11-24")
    assert r["ok"] is True
    assert not [i for i in r["issues"] if i["severity"] in ("error", "warning") and i["code"] != "goal_not_smart"]
    assert r["stats"]["total"] >= 8 and r["stats"]["open"] == r["stats"]["total"]
    assert r["completion"] == 1.0


def test_report_lists_the_questions_in_stage_order_with_marks() -> None:
    data = _example()
    data["questions_o"].append({"text": "你还有别的办法吗？"})
    r = api.evaluate("grow", data)
    md = r["report_md"]
    heads = [md.index(h) for h in ("### G 目标设定", "### R 现状分析", "### O 发展路径", "### W 行动计划")]
    assert heads == sorted(heads)
    assert "【开放】" in md
    assert "【封闭】 你还有别的办法吗？ → 建议改为：还有哪些办法？" in md
    assert "<h3>" in r["report_html"]


def test_closed_question_is_flagged_with_a_rephrasing_on_its_row() -> None:
    data = _example()
    data["questions_r"] = [{"text": "这件事你和组长沟通过吗？"}]
    r = api.evaluate("grow", data)
    closed = [i for i in r["issues"] if i["code"] == "closed_question"]
    assert len(closed) == 1
    assert closed[0]["field"] == "questions_r.0.text"
    assert closed[0]["suggestion"].startswith("可以改成：")
    assert r["ok"] is True  # a closed question is a warning, not a missing part
    assert r["questions"][3]["open"] is False


def test_empty_plan_reports_every_missing_part() -> None:
    r = api.evaluate("grow", {})
    codes = _codes(r)
    assert r["ok"] is False
    assert codes.count("stage_no_questions") == 4
    for code in ("goal_missing", "options_too_few", "actions_missing", "follow_up_missing"):
        assert code in codes


def test_one_option_is_not_enough() -> None:
    data = _example()
    data["options"] = data["options"][:1]
    r = api.evaluate("grow", data)
    assert "options_too_few" in _codes(r) and r["ok"] is False


def test_actions_need_an_owner_and_a_date() -> None:
    data = _example()
    data["actions"] = [{"action": "每天重听 2 通重复来电"}, {"action": "跟听", "owner": "小孙", "due": "2026-13-40"}]
    r = api.evaluate("grow", data)
    fields = {(i["code"], i["field"]) for i in r["issues"]}
    assert ("action_no_owner", "actions.0.owner") in fields
    assert ("action_no_due", "actions.0.due") in fields
    assert ("bad_date", "actions.1.due") in fields


def test_follow_up_must_come_after_the_actions() -> None:
    data = _example()
    data["follow_up_date"] = "2026-08-24"  # the meeting day, before every due date
    assert "follow_up_before_actions" in _codes(api.evaluate("grow", data))
    data["follow_up_date"] = "2026-08-26"  # after the first, before the others
    r = api.evaluate("grow", data)
    assert "follow_up_before_some_actions" in _codes(r) and r["ok"] is True
    data["follow_up_date"] = "2026-08-20"  # before the meeting itself
    assert "follow_up_before_meeting" in _codes(api.evaluate("grow", data))
    data["follow_up_date"] = ""
    assert "follow_up_missing" in _codes(api.evaluate("grow", data))


def test_goal_runs_through_the_smart_checker() -> None:
    data = _example()
    data["goal_text"] = "提高服务质量。"
    r = api.evaluate("grow", data)
    assert "goal_not_smart" in _codes(r)
    assert set(r["goal_criteria"]) >= {"specific", "measurable", "time_bound"}
    assert "SMART 标准" in r["report_md"]


def test_user_text_cannot_break_the_report_markup() -> None:
    data = _example()
    data["agent_name"] = "<b>小孙</b> | **粗体**"
    data["options"][0]["option"] = "A | B"
    r = api.evaluate("grow", data)
    assert "<b>" not in r["report_html"]
    assert "A \\| B" in r["report_md"]


def test_dates_accept_common_spellings() -> None:
    assert parse_date("2026-12-05").isoformat() == "2026-12-05"  # type: ignore[union-attr]
    assert parse_date("2026/12/5").isoformat() == "2026-12-05"  # type: ignore[union-attr]
    assert parse_date("2026年12月5日").isoformat() == "2026-12-05"  # type: ignore[union-attr]
    assert parse_date("下周五") is None and parse_date("2026-02-30") is None


_QUESTION = st.one_of(st.sampled_from([t for t, _ in LABELLED]), st.text(max_size=600))
_ROW = st.fixed_dictionaries({"text": _QUESTION})
_ACTION = st.fixed_dictionaries({
    "action": st.text(max_size=50),
    "owner": st.one_of(st.just(""), st.text(max_size=10)),
    "due": st.one_of(st.just(""), st.dates().map(str), st.text(max_size=12)),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.fixed_dictionaries({
        "goal_text": st.text(max_size=300),
        "questions_g": st.lists(_ROW, max_size=15),
        "questions_r": st.lists(_ROW, max_size=15),
        "questions_o": st.lists(_ROW, max_size=15),
        "questions_w": st.lists(_ROW, max_size=15),
        "options": st.lists(st.fixed_dictionaries({"option": st.text(max_size=30)}), max_size=10),
        "actions": st.lists(_ACTION, max_size=10),
        "meeting_date": st.one_of(st.dates().map(str), st.text(max_size=12)),
        "follow_up_date": st.one_of(st.dates().map(str), st.text(max_size=12)),
    }),
    st.one_of(st.none(), st.dates()),
)
def test_evaluate_never_raises_and_is_fast(data: dict[str, Any], today: Any) -> None:
    r = api.evaluate("grow", data, today)
    assert _best_time(lambda: api.evaluate("grow", data, today)) < 0.1
    json.dumps(r)
    assert isinstance(r["ok"], bool) and isinstance(r["report_md"], str)
    assert all(isinstance(i["code"], str) and i["message"] for i in r["issues"])
    assert r["stats"]["total"] == len(r["questions"])


def test_worst_case_size_is_fast() -> None:
    long_q = ("你还有别的办法吗？" * 100)[:500]
    rows = [{"text": long_q} for _ in range(15)]
    data = {f"questions_{s}": rows for s in "grow"}
    data |= {"goal_text": "提" * 2000, "options": [{"option": "x" * 300}] * 10,
             "actions": [{"action": "y" * 300, "owner": "z", "due": "2026-01-01"}] * 10}
    assert _best_time(lambda: api.evaluate("grow", data)) < 0.1
