"""``worksheet_engine.checks.goal``: the general rules of issue 14 (A for self-run deliverables,
implicit 100 % targets, personal goals, a manager's own development). Sentences here are not in
the labelled sets; each rule is also tested where it must NOT fire."""

from __future__ import annotations

import pytest

from worksheet_engine.smart import CRITERIA, check_goal


def _v(text: str) -> dict[str, bool | None]:
    crit = check_goal(text)["criteria"]
    return {c: crit[c]["met"] for c in CRITERIA}


# A KPI that is only the content of a deliverable the manager produces: A true.
@pytest.mark.parametrize("text", [
    "本周五前整理一份清单，列出放弃率最高的五个时段。",
    "每月底写一份总结，汇总全组的首解率。",
    "下个月做一张看板，显示每个班次的排班遵从度。",
    "Write a one-page summary of the abandonment figures by Monday.",
    "每周挑3通差评录音，和组员一起复盘。",
])
def test_kpi_as_content_of_a_self_run_deliverable_is_achievable(text: str) -> None:
    assert _v(text)["achievable"] is True, check_goal(text)["criteria"]["achievable"]


@pytest.mark.parametrize("text", [
    "本月整理一份报告，并把首解率提升到80%。",   # the KPI is also moved
    "每周发一份周报，让投诉率降下来。",          # a verb moves the KPI
    "写一份清单，并让全组通过满意度考核。",      # an outcome outside the manager's control
    "本月满意度达到一份。",                      # no activity, just a number
    "满意度做到第一名。",
])
def test_kpi_that_is_moved_or_an_outcome_keeps_a_unknown(text: str) -> None:
    assert _v(text)["achievable"] is not True


# Implicit 100 % targets on real-time contacts: A false.
@pytest.mark.parametrize("text", [
    "下个月起每一通来电都在8秒内接起。",
    "本季度所有客户的排队时间都不超过15秒。",
    "今年一个电话都不能漏接。",
    "All chats must be answered within 20 seconds this month.",
    "Not a single abandoned call in Q3.",
])
def test_implicit_100_percent_service_level_is_impossible(text: str) -> None:
    r = check_goal(text)
    assert r["criteria"]["achievable"]["met"] is False
    assert "impossible_value" in {i["code"] for i in r["issues"]}


@pytest.mark.parametrize("text", [
    "所有工单48小时内结案，每月考核。",          # deferred work within days
    "每封邮件都在4小时内回复，本季度考核。",
    "每通电话都要核实客户身份，本月执行。",      # a behaviour, no service condition
    "本季度90%的来电在20秒内接起。",             # not every call
    "Answer every customer email within 2 hours.",
])
def test_deferred_work_behaviours_and_partial_levels_are_not_impossible(text: str) -> None:
    assert _v(text)["achievable"] is not False


# Personal goals: a concrete action with an amount is specific and measurable, not relevant.
@pytest.mark.parametrize("text", ["每周游泳两次。", "每月看三本小说。", "每天练30分钟吉他。", "每周陪家人去一次公园。"])
def test_personal_action_with_an_amount(text: str) -> None:
    v = _v(text)
    assert (v["specific"], v["measurable"], v["relevant"]) == (True, True, False), v


def test_work_verbs_ending_like_personal_ones_stay_work() -> None:
    for text in ("每周演练3次投诉处理话术。", "每周跟听5次新人电话。", "本月编写3篇FAQ。"):
        assert _v(text)["relevant"] is True, text


# A manager's own development: relevant (R), abstract (S false) until it names an action.
@pytest.mark.parametrize("word", ["领导力", "执行力", "学习力", "管理能力"])
def test_manager_development_is_relevant_but_abstract(word: str) -> None:
    v = _v(f"提升我的{word}。")
    assert (v["specific"], v["relevant"]) == (False, True), v


def test_manager_development_with_an_action_and_amount_is_smart_enough() -> None:
    v = _v("每季度参加两次领导力培训。")
    assert v["specific"] and v["measurable"] and v["relevant"] and v["time_bound"]
