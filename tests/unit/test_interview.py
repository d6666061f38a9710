"""绩效面谈准备: result shape, the four 误区, private notes, brief/record/ics, hostile text."""

from __future__ import annotations

import copy
import doctest
import importlib.util
import json
import re
import sys
import types
from typing import Any

import pytest

from tests import ics_rules
from worksheet_engine import api
from worksheet_engine.checks import copied_goals
from worksheet_engine.checks.copied_goals import same_goals_across_agents
from worksheet_engine.worksheets import WORKSHEETS, interview
from worksheet_engine.worksheets.interview import FeedbackCheckerMissing, feedback_verdict

EXAMPLE = dict(WORKSHEETS["interview"].example)
TODAY = "2026-11-28"
FEEDBACK_MODULE = "worksheet_engine.checks.feedback"
HAVE_FEEDBACK = importlib.util.find_spec(FEEDBACK_MODULE) is not None
SECRET = "绝密备注-只给自己看-7Q"


def run(data: dict[str, Any], today: str | None = TODAY) -> dict[str, Any]:
    return api.evaluate("interview", data, today)


def example(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def codes(result: dict[str, Any]) -> set[str]:
    return {i["code"] for i in result["issues"]}


def checks(result: dict[str, Any]) -> dict[str, Any]:
    return {c["key"]: c["met"] for c in result["checks"]}


def test_docstring_examples() -> None:
    assert doctest.testmod(interview).failed == 0
    assert doctest.testmod(copied_goals).failed == 0


def test_definition() -> None:
    ws = WORKSHEETS["interview"]
    assert (ws.slug, ws.module, ws.lecture, ws.order) == ("interview", "team", "lectures/06-coaching.md", 60)
    names = {f.name for f in ws.fields}
    assert {"agent_name", "period", "interview_date", "kpis", "evidence", "self_assessment", "concerns",
            "private_notes", "questions", "goals", "follow_ups", "actions", "agent_comments"} <= names
    evidence = next(f for f in ws.fields if f.name == "evidence")
    assert [f.name for f in evidence.item_fields] == ["kind", "occasion", "behaviour", "impact", "closing"]
    assert dict(evidence.item_fields[0].options) .keys() == {"BIA", "BID"}
    assert evidence.min_items == 2


def test_result_shape() -> None:
    r = run(EXAMPLE)
    for key in ("ok", "headline", "issues", "checks", "figures", "charts", "links", "report_md", "report_html",
                "record_md", "record_html", "ics", "ics_filename"):
        assert key in r, key
    assert [c["key"] for c in r["checks"]] == ["only_negative", "unprepared", "one_size", "no_follow_up"]
    assert {f["key"] for f in r["figures"]} == {"kpis_met", "feedback_mix", "open_questions", "smart_goals",
                                                "next_follow_up"}
    (chart,) = r["charts"]
    assert chart["svg"].startswith("<svg") and chart["title"]
    json.dumps(r, ensure_ascii=False)


def test_example_is_clean() -> None:
    r = run(EXAMPLE)
    assert r["ok"], r["issues"]
    allowed_info = {"feedback_checker_missing"} if not HAVE_FEEDBACK else set()
    assert [i for i in r["issues"] if i["code"] not in allowed_info] == []
    assert checks(r) == {"only_negative": True, "unprepared": True, "one_size": None, "no_follow_up": True}
    kpis = {g["metric"]: g["met"] for g in r["kpis"]}
    assert kpis == {"一次解决率（FCR）": False, "平均处理时长（AHT）": True, "客户满意度（CSAT）": True, "质检得分": False}
    if HAVE_FEEDBACK:  # once the feedback checker is merged, the worked example must pass every box
        for item in r["evidence"]:
            assert item["checked"] and all(p["met"] for p in item["parts"].values()), item
    assert "小孙" in r["report_md"] and "面谈提纲" in r["report_md"]


# --- the four 误区 -------------------------------------------------------------------

def test_only_negative_without_bia() -> None:
    evidence = [dict(EXAMPLE["evidence"][1]), dict(EXAMPLE["evidence"][1], occasion="11月20日上午")]
    r = run(example(evidence=evidence))
    assert checks(r)["only_negative"] is False and "no_bia" in codes(r)


def test_only_negative_when_bid_far_outnumbers_bia() -> None:
    bid = EXAMPLE["evidence"][1]
    r = run(example(evidence=[EXAMPLE["evidence"][0]] + [dict(bid, occasion=f"11月{d}日") for d in (19, 20, 21)]))
    assert checks(r)["only_negative"] is False and "bid_outnumbers_bia" in codes(r)
    r = run(example(evidence=[EXAMPLE["evidence"][0], bid, dict(bid, occasion="11月20日")]))
    assert checks(r)["only_negative"] is True  # 1 BIA, 2 BID: not "far"


def test_unprepared_kpi_without_actual_and_evidence_without_occasion() -> None:
    kpis = copy.deepcopy(EXAMPLE["kpis"])
    kpis[0]["actual"] = None
    r = run(example(kpis=kpis))
    assert checks(r)["unprepared"] is False and "kpi_no_actual" in codes(r)
    evidence = copy.deepcopy(EXAMPLE["evidence"])
    evidence[0]["occasion"] = ""
    r = run(example(evidence=evidence))
    assert checks(r)["unprepared"] is False and "evidence_no_occasion" in codes(r)
    r = run(example(kpis=[]))
    assert checks(r)["unprepared"] is False and "kpis_missing" in codes(r)


def test_one_size_is_unknown_here() -> None:
    assert checks(run(EXAMPLE))["one_size"] is None


def test_no_follow_up() -> None:
    r = run(example(follow_ups=[]))
    assert checks(r)["no_follow_up"] is False and "no_follow_up" in codes(r) and not r["ok"]
    r = run(example(follow_ups=[{"date": "2026-11-25", "purpose": "看进展"}]))
    assert checks(r)["no_follow_up"] is False and "follow_up_before_interview" in codes(r)


def test_same_goals_across_agents() -> None:
    a = example(agent_name="小孙")
    b = example(agent_name="李雷", goals=[{"goal": g["goal"].replace("小孙", "李雷")} for g in EXAMPLE["goals"]])
    c = example(agent_name="张敏", goals=[{"goal": "12月31日前，把质检得分从 84 分提高到 88 分。"}])
    groups = same_goals_across_agents([a, b, c])
    assert len(groups) == 2 and all(g["agents"] == ["小孙", "李雷"] for g in groups)
    assert same_goals_across_agents([a, c]) == []
    assert same_goals_across_agents([a, example(agent_name="小孙")]) == []  # one agent, two periods
    assert same_goals_across_agents([None, {"agent": "x", "goals": "not a list"}]) == []  # type: ignore[list-item]
    numbers = example(agent_name="李雷", goals=[{"goal": EXAMPLE["goals"][0]["goal"].replace("75%", "72%")}])
    assert all(len(g["agents"]) < 2 or "72%" not in g["goal"] for g in same_goals_across_agents([a, numbers]))
    assert same_goals_across_agents([a, numbers]) == []


# --- private notes -----------------------------------------------------------------------

def _all_text(r: dict[str, Any]) -> str:
    return json.dumps(r, ensure_ascii=False)


def test_private_notes_never_leave_the_form() -> None:
    r = run(example(private_notes=SECRET))
    assert SECRET not in _all_text(r)
    for key in ("report_md", "report_html", "record_md", "record_html", "ics"):
        assert "只给自己看" not in r[key]
    # the example's own private note does not leak either
    r = run(EXAMPLE)
    assert "家里有事" not in _all_text(r)


def test_private_notes_with_hostile_text_do_not_leak() -> None:
    secret = SECRET + "\r\nBEGIN:VEVENT\r\nSUMMARY:leak|**x**<script>"
    r = run(example(private_notes=secret, evidence=[], kpis=[]))
    assert "leak" not in _all_text(r) and SECRET not in _all_text(r)


# --- brief, record, calendar -------------------------------------------------------------

def test_brief_agenda_is_time_boxed_by_stage() -> None:
    for minutes in (30, 45, 20):
        md = run(example(duration=minutes))["report_md"]
        rows = re.findall(r"^\| (\d+)–(\d+) 分钟 \| ([^|]+) \|", md, re.M)
        assert [r[2].strip() for r in rows] == ["开场", "回顾数据", "BIA/BID 反馈", "倾听（3F）", "GROW 辅导", "达成一致", "结束"]
        assert rows[0][0] == "0" and rows[-1][1] == str(minutes)
        assert all(rows[i][1] == rows[i + 1][0] for i in range(len(rows) - 1))


def test_brief_has_kpis_points_questions_goals_and_no_record() -> None:
    r = run(EXAMPLE)
    md = r["report_md"]
    for part in ("### 议程", "### 指标回顾", "### 反馈要点", "### 要问的问题", "### 下阶段目标", "−7 个百分点", "【BIA】", "【BID】"):
        assert part in md, part
    assert "签字" not in md
    assert md.count("【开放】") == 8


def test_record_has_actions_comments_and_signatures() -> None:
    r = run(EXAMPLE)
    md = r["record_md"]
    assert "| 跟听张敏半天，整理她的退款解释要点 | 小孙 | 2026-12-05 | 未开始 |" in md
    assert "同意两个目标" in md
    assert "员工签字" in md and "面谈人签字" in md and md.count("日期：") == 2
    assert "<table>" in r["record_html"]
    assert "可能的顾虑" not in md and "【BID】" not in md  # the manager's preparation stays in the brief


def test_action_rows_need_owner_and_due() -> None:
    r = run(example(actions=[{"action": "每天重听 2 通重复来电"}]))
    assert {"action_no_owner", "action_no_due"} <= codes(r)
    assert "| 每天重听 2 通重复来电 | — | — | 未开始 |" in r["record_md"]


def test_ics_holds_follow_ups_and_the_next_interview() -> None:
    r = run(EXAMPLE)
    cal = ics_rules.parse(r["ics"])
    events = cal.find("VEVENT")
    assert len(events) == 3
    starts = [e.values("DTSTART")[0] for e in events]
    assert starts == ["20261215T153000", "20261229", "20270105"]
    assert all(e.values("DTSTAMP") == ["20261128T000000Z"] for e in events)
    assert all(a.values("TRIGGER") == ["-P1D"] for e in events for a in e.find("VALARM"))
    assert r["ics_filename"].endswith(".ics") and "/" not in r["ics_filename"]


def test_ics_uids_are_stable_per_entry_and_event() -> None:
    one, two = run(EXAMPLE), run(EXAMPLE, today="2026-11-30")
    uid = lambda r: [e.values("UID")[0] for e in ics_rules.parse(r["ics"]).find("VEVENT")]  # noqa: E731
    assert uid(one) == uid(two) and len(set(uid(one))) == 3
    assert set(uid(one)).isdisjoint(uid(run(example(agent_name="李雷"))))


def test_ics_without_today_uses_the_interview_date() -> None:
    r = run(EXAMPLE, today=None)
    assert "DTSTAMP:20261201T000000Z" in ics_rules.unfold(r["ics"])


def test_no_calendar_without_dates() -> None:
    r = run(example(follow_ups=[], next_interview_date=""))
    assert r["ics"] == "" and r["ics_filename"] == ""


def test_follow_up_before_interview_is_not_exported() -> None:
    r = run(example(follow_ups=[{"date": "2026-11-20", "purpose": "x"}], next_interview_date=""))
    assert r["ics"] == ""


def test_bad_time_becomes_all_day() -> None:
    r = run(example(follow_ups=[{"date": "2026-12-15", "time": "25:61", "purpose": "x"}], next_interview_date=""))
    assert "bad_time" in codes(r)
    (ev,) = ics_rules.parse(r["ics"]).find("VEVENT")
    assert ev.values("DTSTART") == ["20261215"]


# --- hostile input ------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script>|**粗**\n# 标题\r\nBEGIN:VEVENT\r\nX;y,z\\ 😀"


def test_hostile_text_is_escaped_everywhere() -> None:
    data = example(
        agent_name=HOSTILE, period=HOSTILE, manager_name=HOSTILE, self_assessment=HOSTILE, concerns=HOSTILE,
        agent_comments=HOSTILE,
        kpis=[{"metric": HOSTILE, "target": 1, "actual": 2}],
        evidence=[dict(e, occasion=HOSTILE, behaviour=HOSTILE) for e in EXAMPLE["evidence"]],
        questions=[{"text": HOSTILE + "？", "stage": "R"}],
        goals=[{"goal": HOSTILE}],
        follow_ups=[{"date": "2026-12-15", "purpose": HOSTILE + "长" * 5000}],
        actions=[{"action": HOSTILE, "owner": HOSTILE, "due": "2026-12-10", "status": "open"}],
    )
    r = run(data)
    for key in ("report_html", "record_html"):
        assert "<script" not in r[key] and "&lt;script&gt;" in r[key]
        assert "<strong>粗</strong>" not in r[key]
        assert "<h1>" not in r[key]
    for key in ("report_md", "record_md"):
        # a table row keeps its column count: pipes in user text are escaped
        for line in r[key].splitlines():
            if line.startswith("| ") and "—" not in line and "---" not in line:
                cells = re.split(r"(?<!\\)\|", line)[1:-1]
                assert len(cells) in (3, 4, 5), line
    chart = r["charts"][0]["svg"]
    assert "<script" not in chart
    cal = ics_rules.parse(r["ics"])
    assert len(cal.find("VEVENT")) == 2  # the follow-up and the next interview, no injected one
    (summary,) = cal.find("VEVENT")[0].values("SUMMARY")
    assert "\\;" in summary or "\\," in summary


def test_long_text_is_shortened_in_the_brief_only() -> None:
    long = "长" * 1500
    r = run(example(self_assessment=long, agent_comments=long))
    assert long not in r["report_md"] and "…" in r["report_md"]
    assert long in r["record_md"]


# --- the feedback checker adapter ------------------------------------------------------------

def test_adapter_raises_clearly_when_the_feedback_checker_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, FEEDBACK_MODULE, None)  # type: ignore[arg-type]
    with pytest.raises(FeedbackCheckerMissing, match="checks.feedback"):
        feedback_verdict("BIA", "b", "i", "c")
    r = run(EXAMPLE)  # the worksheet still works, and says what it could not check
    assert "feedback_checker_missing" in codes(r) and r["ok"]
    assert all(not e["checked"] for e in r["evidence"])


def _fake_checker(monkeypatch: pytest.MonkeyPatch, verdict: dict[str, Any], calls: list[tuple[str, ...]]) -> None:
    module = types.ModuleType(FEEDBACK_MODULE)

    def check_feedback(kind: str, behaviour: str, impact: str, closing: str) -> dict[str, Any]:
        calls.append((kind, behaviour, impact, closing))
        return verdict

    module.check_feedback = check_feedback  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, FEEDBACK_MODULE, module)


def test_evidence_goes_through_check_feedback(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    verdict = {"parts": {"behaviour": {"met": False, "reason": "用了“总是”", "suggestion": "写一次具体的经过"},
                         "impact": {"met": True, "reason": "", "suggestion": ""},
                         "closing": {"met": True, "reason": "", "suggestion": ""}},
               "level": 1, "warnings": ["先表扬再“但是”"]}
    _fake_checker(monkeypatch, verdict, calls)
    r = run(EXAMPLE)
    assert [c[0] for c in calls] == ["BIA", "BID"]
    first = EXAMPLE["evidence"][0]
    assert calls[0][1].startswith(first["occasion"]) and first["behaviour"] in calls[0][1]
    assert calls[0][2:] == (first["impact"], first["closing"])
    assert [i["field"] for i in r["issues"] if i["code"] == "evidence_part_not_met"] == [
        "evidence.0.behaviour", "evidence.1.behaviour"]
    assert "evidence_warning" in codes(r)
    assert [e["level"] for e in r["evidence"]] == [1, 1]


def test_a_faulty_feedback_checker_does_not_break_the_worksheet(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType(FEEDBACK_MODULE)
    module.check_feedback = lambda *a: 1 / 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, FEEDBACK_MODULE, module)
    r = run(EXAMPLE)
    assert "feedback_check_failed" in codes(r)


@pytest.mark.skipif(not HAVE_FEEDBACK, reason="worksheet_engine.checks.feedback is on branch feedback, not merged yet")
def test_real_feedback_checker_flags_a_judgement() -> None:
    bid = dict(EXAMPLE["evidence"][1], behaviour="你总是态度不好。")
    r = run(example(evidence=[EXAMPLE["evidence"][0], bid]))
    assert r["evidence"][1]["parts"]["behaviour"]["met"] is False
