"""Q10 复盘: the gap calculation, KPI directions, lesson checks and the 复盘文档."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.timing import best_cpu_time as _best_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worksheet_engine import api
from worksheet_engine.worksheets.q10 import DEFINITION, check_lesson, compute_gap, kpi_direction

STEP_HEADINGS = ("### 一、回顾目标", "### 二、叙述过程", "### 三、评估结果", "### 四、分析原因",
                 "### 五、推演规律", "### 六、形成文档", "### 复盘思维梳理表")
TABLE_HEADERS = ("目标（计划值）", "实际结果", "差距", "亮点", "不足", "原因（可控/半可控/不可控）", "规律/经验",
                 "行动（责任人·完成时间·衡量标准）")


def _codes(result: dict[str, Any]) -> list[str]:
    return [i["code"] for i in result["issues"]]


def _example() -> dict[str, Any]:
    return json.loads(json.dumps(dict(DEFINITION.example)))


# --------------------------------------------------------------------------------------
# Definition
# --------------------------------------------------------------------------------------


def test_definition_has_the_ten_questions_over_six_steps() -> None:
    assert DEFINITION.slug == "q10"
    assert DEFINITION.lecture == "lectures/04-review.md"
    steps = [s.title for s in DEFINITION.sections if s.key.startswith("step")]
    assert [t.split(" ", 1)[1] for t in steps] == ["回顾目标", "叙述过程", "评估结果", "分析原因", "推演规律", "形成文档"]
    labels = [f.label for f in DEFINITION.fields]
    for n in range(1, 11):
        assert any(label.startswith(f"Q{n} ") and "？" in label for label in labels), n
    causes = next(f for f in DEFINITION.fields if f.name == "q6_causes")
    tag = next(f for f in causes.item_fields if f.name == "control")
    assert tag.kind == "select" and [v for v, _ in tag.options] == ["可控", "半可控", "不可控"]
    actions = next(f for f in DEFINITION.fields if f.name == "q10_actions")
    assert all(f.required for f in actions.item_fields if f.name in ("action", "owner", "due", "measure"))


def test_example_is_a_clean_review() -> None:
    r = api.evaluate("q10", _example(), today="2026-11-24")
    assert r["ok"] is True
    assert r["issues"] == []
    assert r["gap"]["met"] is False and r["gap"]["abs"] == -9
    assert r["gap"]["direction_source"] == "vocabulary"
    assert r["completion"] >= 0.9


# --------------------------------------------------------------------------------------
# KPI direction and the gap
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "direction"),
    [
        ("AHT", "down"), ("平均处理时长", "down"), ("通话时长（秒）", "down"), ("放弃率", "down"), ("呼损率", "down"),
        ("ASA 平均应答速度", "down"), ("投诉率", "down"), ("重复来电率", "down"), ("员工流失率", "down"),
        ("差评率", "down"), ("质检差错率", "down"), ("首次响应时间", "down"),
        ("客户满意度（CSAT）", "up"), ("NPS", "up"), ("FCR", "up"), ("一次解决率", "up"), ("服务水平 80/20", "up"),
        ("20秒接通率", "up"), ("质检得分", "up"), ("排班遵从度", "up"), ("投诉处理及时率", "up"), ("好评率", "up"),
        ("占用率", None), ("", None), ("士气", None),
    ],
)
def test_kpi_direction(metric: str, direction: str | None) -> None:
    assert kpi_direction(metric)[0] == direction


def test_gap_for_a_higher_is_better_percentage() -> None:
    g = compute_gap("服务水平", 80, 71, "%")
    assert g["abs"] == -9 and g["met"] is False
    assert g["pct"] == pytest.approx(-11.25)
    assert "个百分点" in g["gap_text"]


def test_gap_for_a_lower_is_better_metric() -> None:
    better = compute_gap("AHT", 300, 285, "秒")
    assert better["direction"] == "down" and better["met"] is True and better["abs"] == -15
    worse = compute_gap("AHT", 300, 320, "秒")
    assert worse["met"] is False and worse["pct"] == pytest.approx(20 / 3)


def test_one_direction_rule_with_checks_gap() -> None:
    """Q10 and the interview use the same rule (checks/gap.py): the vocabulary decides,
    a contradicting choice is pointed out, the choice counts only where the vocabulary
    cannot decide (unknown or balanced metrics)."""
    from worksheet_engine.checks.gap import kpi_gap

    for metric, target, actual, chosen in [("AHT", 300, 320, "up"), ("FCR", 75, 68, "down"), ("占用率", 85, 80, "down"),
                                           ("知识库命中率", 80, 70, "down"), ("新人带教数", 3, 2, None),
                                           ("目标达成率", 100, 96, None), ("会议时长", 30, 25, None)]:
        mine, shared = compute_gap(metric, target, actual, "", chosen), kpi_gap(metric, target, actual, chosen)
        for key in ("direction", "direction_source", "met", "conflict", "diff", "text"):
            assert mine[key] == shared[key], (metric, key)
        assert mine["abs"] == mine["diff"]
    g = compute_gap("AHT", 300, 320, "秒", direction="up")
    assert (g["direction"], g["met"], g["conflict"]) == ("down", False, True)
    data = _example()
    data["q4_metric"], data["q4_target"], data["q4_actual"], data["q4_direction"] = "平均处理时长（AHT）", 300, 320, "up"
    r = api.evaluate("q10", data)
    assert "direction_conflict" in _codes(r) and r["gap"]["met"] is False
    assert next(i for i in r["issues"] if i["code"] == "direction_conflict")["field"] == "q4_direction"
    data["q4_direction"] = "down"
    assert "direction_conflict" not in _codes(api.evaluate("q10", data))


def test_chosen_direction_counts_for_balanced_and_unknown_metrics() -> None:
    data = _example()
    data["q4_metric"], data["q4_target"], data["q4_actual"] = "占用率", 85, 80
    r = api.evaluate("q10", data)
    assert "direction_unknown" in _codes(r)
    data["q4_direction"] = "down"
    r = api.evaluate("q10", data)
    assert "direction_unknown" not in _codes(r) and r["gap"]["met"] is True


def test_zero_target_and_huge_numbers_do_not_break_the_gap() -> None:
    assert compute_gap("投诉量", 0, 3)["pct"] is None
    g = compute_gap("x", -1e12, 1e12)
    assert g["abs"] == 2e12
    json.dumps(g)


def test_missing_numbers_are_errors_and_no_gap() -> None:
    data = _example()
    data["q4_actual"] = None
    r = api.evaluate("q10", data)
    assert "actual_missing" in _codes(r) and r["gap"] is None and r["ok"] is False


@pytest.mark.parametrize("bad", ["八十", "80 左右", "1e999", "--5", [80], {"v": 80}, 5e12])
@pytest.mark.parametrize("field", ["q4_target", "q4_actual"])
def test_an_unreadable_number_is_reported_as_invalid_not_as_missing(field: str, bad: Any) -> None:
    data = _example()
    data[field] = bad
    r = api.evaluate("q10", data)
    on_field = [i for i in r["issues"] if i.get("field") == field]
    codes = [i["code"] for i in on_field]
    assert codes and set(codes) <= {"not_a_number", "out_of_range"}, on_field
    assert not any("还没填" in i["message"] for i in on_field), on_field
    assert r["gap"] is None and r["ok"] is False
    # Blank is still "not filled in".
    data[field] = "  "
    assert {"q4_target": "target_missing", "q4_actual": "actual_missing"}[field] in _codes(api.evaluate("q10", data))


# --------------------------------------------------------------------------------------
# Causes, lessons, actions, events
# --------------------------------------------------------------------------------------


def test_every_cause_needs_a_tag() -> None:
    data = _example()
    data["q6_causes"].append({"cause": "新人比例偏高"})
    r = api.evaluate("q10", data)
    untagged = [i for i in r["issues"] if i["code"] == "cause_untagged"]
    assert len(untagged) == 1 and untagged[0]["field"] == "q6_causes.5.control"
    assert untagged[0]["severity"] == "error"


def test_all_external_causes_and_blame_are_flagged() -> None:
    data = _example()
    data["q6_causes"] = [{"cause": "平台流量太大", "control": "不可控"}, {"cause": "天气炎热", "control": "不可控"}]
    assert "causes_all_external" in _codes(api.evaluate("q10", data))
    data["q6_causes"] = [{"cause": "都怪小王不负责任", "control": "可控"}]
    assert "cause_blames_person" in _codes(api.evaluate("q10", data))


@pytest.mark.parametrize(
    "lesson",
    [
        "6 月 3 日知识库更新晚了。",
        "大促首日人手不够。",
        "我们6月10日改成了三批错峰用餐。",
        "当时排队超过 60 通，我们开放了回拨。",
        "上周系统故障导致接通率下降。",
        "去年双十一也出现过同样的问题。",
    ],
)
def test_lessons_that_retell_events_are_flagged(lesson: str) -> None:
    verdict = check_lesson(lesson)
    assert verdict["restates_event"] is True
    assert verdict["rule_like"] is False


@pytest.mark.parametrize(
    "lesson",
    [
        "凡是平台规则变更，生效前知识库条目和快捷话术必须同步上线。",
        "当预计进线高于平时 30% 以上时，用餐一律分三批错峰。",
        "排队超过 60 通时，先启动致歉话术，再开放回拨。",
        "新人上岗前先跟听三天再独立接线。",
        "下次大促前两周，按新品类系数重新做进线预测。",
        "一旦知识库有变更，当天就要在班前会上讲一遍。",
        "如果连续两天 AHT 超过 360 秒，组长就要抽听录音找原因。",
    ],
)
def test_rule_like_lessons_pass(lesson: str) -> None:
    verdict = check_lesson(lesson)
    assert verdict["rule_like"] is True and verdict["restates_event"] is False and verdict["vague"] is False


def test_slogan_lessons_are_vague_and_lessons_copying_the_shortfall_are_retellings() -> None:
    assert check_lesson("下次要注意用餐安排。")["vague"] is True
    assert check_lesson("首日服务水平只有 52%", shortfall="首日服务水平只有 52%；AHT 上升")["restates_event"] is True
    assert check_lesson("培训很重要")["rule_like"] is False


def test_lesson_issues_point_at_their_rows() -> None:
    data = _example()
    data["q9_lessons"] = [{"lesson": "6 月 3 日知识库更新晚了。"}, {"lesson": "培训很重要。"},
                          {"lesson": "下次要注意用餐安排。"}]
    r = api.evaluate("q10", data)
    got = {(i["code"], i["field"]) for i in r["issues"]}
    assert ("lesson_restates_event", "q9_lessons.0.lesson") in got
    assert ("lesson_not_rule", "q9_lessons.1.lesson") in got
    assert ("lesson_vague", "q9_lessons.2.lesson") in got
    assert "（待改写）" in r["report_md"]


def test_actions_need_owner_date_and_measure() -> None:
    data = _example()
    data["q10_actions"] = [{"action": "加强沟通"}, {"action": "x", "owner": "y", "due": "明天", "measure": "z"}]
    r = api.evaluate("q10", data)
    got = {(i["code"], i["field"]) for i in r["issues"]}
    assert ("action_no_owner", "q10_actions.0.owner") in got
    assert ("action_no_due", "q10_actions.0.due") in got
    assert ("action_no_measure", "q10_actions.0.measure") in got
    assert ("action_vague", "q10_actions.0.action") in got
    assert ("bad_date", "q10_actions.1.due") in got
    assert r["ok"] is False


def test_action_before_the_review_date_is_a_warning() -> None:
    data = _example()
    data["q10_actions"][0]["due"] = "2026-06-01"
    r = api.evaluate("q10", data)
    assert "action_before_review" in _codes(r) and r["ok"] is True


def test_judgement_words_in_the_process_are_flagged() -> None:
    data = _example()
    data["q3_events"].append({"when": "6月12日", "event": "知识库更新太慢，都怪运营"})
    assert "event_judgement" in _codes(api.evaluate("q10", data))


def test_unclear_goal_is_flagged() -> None:
    data = _example()
    data["q1_goal"] = "把服务做好。"
    assert "goal_unclear" in _codes(api.evaluate("q10", data))


def test_empty_review_lists_every_missing_part() -> None:
    codes = _codes(api.evaluate("q10", {}))
    for code in ("goal_missing", "target_missing", "actual_missing", "causes_missing", "lessons_missing",
                 "actions_missing", "highlight_missing", "shortfall_missing"):
        assert code in codes


# --------------------------------------------------------------------------------------
# The 复盘文档
# --------------------------------------------------------------------------------------


def test_report_has_the_six_steps_in_order_and_the_thinking_table() -> None:
    r = api.evaluate("q10", _example())
    md = r["report_md"]
    positions = [md.index(h) for h in STEP_HEADINGS]
    assert positions == sorted(positions)
    table = md[md.index("### 复盘思维梳理表"):]
    header = table.splitlines()[2]
    assert [c.strip() for c in header.strip("|").split("|")] == list(TABLE_HEADERS)
    assert "−9 个百分点" in table and "（半可控）" in table and "王强·2026-07-15" in table
    assert "<table>" in r["report_html"]


def test_report_escapes_user_text() -> None:
    data = _example()
    data["title"] = "<script>x</script> | **t**"
    data["q6_causes"][0]["cause"] = "a|b"
    r = api.evaluate("q10", data)
    assert "<script>" not in r["report_html"]
    assert "a\\|b" in r["report_md"]


# --------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------

_TEXT = st.one_of(st.text(max_size=200), st.sampled_from(["当时了", "下次要先再", "都怪他", "2026-13-01", "|**|"]))
_NUM = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15),
                 st.text(max_size=8))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.fixed_dictionaries({
        "q1_goal": _TEXT,
        "q4_metric": _TEXT,
        "q4_direction": st.sampled_from(["", "up", "down", "sideways"]),
        "q4_target": _NUM,
        "q4_actual": _NUM,
        "q4_unit": _TEXT,
        "q3_events": st.lists(st.fixed_dictionaries({"when": _TEXT, "event": _TEXT}), max_size=30),
        "q6_causes": st.lists(st.fixed_dictionaries({"cause": _TEXT, "control": st.sampled_from(
            ["", "可控", "半可控", "不可控", "x"])}), max_size=20),
        "q9_lessons": st.lists(st.fixed_dictionaries({"lesson": _TEXT}), max_size=15),
        "q10_actions": st.lists(st.fixed_dictionaries({"action": _TEXT, "owner": _TEXT, "due": _TEXT,
                                                       "measure": _TEXT}), max_size=15),
        "review_date": _TEXT,
    }),
    st.one_of(st.none(), st.dates()),
)
def test_evaluate_never_raises_and_is_fast(data: dict[str, Any], today: Any) -> None:
    r = api.evaluate("q10", data, today)
    assert _best_time(lambda: api.evaluate("q10", data, today)) < 0.1
    json.dumps(r)
    assert isinstance(r["ok"], bool) and "### 复盘思维梳理表" in r["report_md"]


def test_worst_case_size_is_fast() -> None:
    data: dict[str, Any] = {k: "规律要先再当时了" * 3000 for k in
                            ("q1_goal", "q2_plan", "q5_good", "q5_bad", "q7_factors", "q8_redo", "q4_note")}
    data |= {
        "q3_events": [{"when": "x" * 50, "event": "都怪他了" * 125}] * 30,
        "q6_causes": [{"cause": "他不负责" * 125, "control": "不可控"}] * 20,
        "q9_lessons": [{"lesson": "当时了要" * 125}] * 15,
        "q10_actions": [{"action": "加强" * 150, "owner": "a", "due": "2026-01-01", "measure": "b" * 300,
                         "support": "c" * 300}] * 15,
        "q4_target": 5, "q4_actual": 3,
    }
    assert _best_time(lambda: api.evaluate("q10", data)) < 0.1
