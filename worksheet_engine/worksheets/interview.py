"""绩效面谈准备 worksheet (第六讲 and the 绩效面谈 topic): one agent, one period.

The manager collects what goes into the room: the KPI table (direction-aware gaps and a
chart, :mod:`worksheet_engine.checks.gap`), two or more behaviour examples, each a BIA or
BID run through the feedback checker (``worksheet_engine.checks.feedback``, called
through :func:`feedback_verdict`), the agent's self-assessment and likely concerns,
planned GROW questions (open/closed), next-period goals (SMART) and follow-up dates.

The article's four 误区 are the result's ``checks`` (stable keys):

- ``only_negative`` 只关注负面: no BIA example, or BID examples far outnumbering BIA;
- ``unprepared`` 缺乏准备: no KPI rows, KPI rows without a target or an actual, or an
  example without its occasion;
- ``one_size`` 一刀切: needs the other agents' preparations. When the browser passes the
  workspace (``ctx.workspace``, see :mod:`worksheet_engine.api`), this entry's goals are
  compared with every other agent's latest preparation through
  :func:`worksheet_engine.checks.copied_goals.same_goals_across_agents`; without it the
  check stays *unknown* (``met: None``);
- ``no_follow_up`` 忽视跟进: no follow-up date, or one before the interview.

Outputs: ``report_md`` is the one-page 面谈提纲 (time-boxed agenda, KPI table, talking
points, questions, goals); ``record_md``/``record_html`` is the 面谈记录 (agreed actions
with owner/due/status, the agent's comments, signature and date lines); ``ics`` is a
calendar file (RFC 5545) with the follow-ups and the next interview, ``ics_filename``
its suggested name, also offered as a ``downloads`` file (hook ``data-ws-action="export-ics"``).
``private_notes`` is read by nothing: it never reaches any output.

With the workspace, the agent's open actions from earlier interviews and from the
workspace's follow-up list carry over (``carry_over``): a figure, an info issue and a
short list at the top of the brief, so the interview starts by reviewing them.

Example::

    >>> from worksheet_engine.api import evaluate
    >>> r = evaluate("interview", {"agent_name": "小孙", "interview_date": "2026-12-01",
    ...                            "follow_ups": [{"date": "2026-11-20", "purpose": "看进展"}]})
    >>> {c["key"]: c["met"] for c in r["checks"]}["no_follow_up"]
    False
"""

from __future__ import annotations

import datetime as _dt
import importlib
import math
import re
from collections.abc import Mapping
from typing import Any

from ..checks.gap import DIRECTION_TEXT, gap_chart, kpi_gap
from ..checks.goal import CRITERION_LABELS as _SMART_LABELS
from ..checks.ics import CalendarEvent, build_calendar
from ..checks.questions import STAGE_LABELS, STAGES, classify_question
from ..checks.copied_goals import same_goals_across_agents
from ..checks.workspace import interview_context
from ..lang.values import parse_date, parse_time
from ..markdown import md_escape, md_table, to_html
from ..model import Context, Field, Missing, Section, Worksheet
from ._shared import goal_criteria, issue, rows_of, short, text_of

__all__ = ["DEFINITION", "evaluate", "feedback_verdict", "FeedbackCheckerMissing", "PITFALLS", "WORKSPACE_CONTEXT"]

#: The worksheets whose entries (with their data) this evaluator reads from the workspace
#: context; the form's page asks the browser for them (macros/forms.py, data-ws-context).
WORKSPACE_CONTEXT = ("interview",)
#: What the brief lists at most of the actions carried over from before.
_BRIEF_CARRY = 3

#: The article's four 误区: check key -> label.
PITFALLS = {
    "only_negative": "误区一：只关注负面",
    "unprepared": "误区二：缺乏准备",
    "one_size": "误区三：一刀切",
    "no_follow_up": "误区四：忽视跟进",
}
_PART_LABELS = {"behaviour": "场合与行为", "impact": "影响", "closing": "欣赏与感谢 / 期望"}
_KIND_TEXT = {"BIA": "BIA 正向反馈", "BID": "BID 建设性反馈"}
_STATUS = (("open", "未开始"), ("doing", "进行中"), ("done", "已完成"))
_STATUS_TEXT = dict(_STATUS)
#: Analysers see at most this much of a cell (a cell is a sentence or two).
_CELL = 300
#: What the one-page brief shows at most (the rest is counted; the record has it all).
_BRIEF_KPIS, _BRIEF_EVIDENCE, _BRIEF_QUESTIONS, _BRIEF_GOALS = 6, 3, 8, 3
#: Agenda stages and their share of a 30-minute interview.
_AGENDA = (("opening", "开场", 2), ("review", "回顾数据", 5), ("feedback", "BIA/BID 反馈", 5),
           ("listen", "倾听（3F）", 4), ("grow", "GROW 辅导", 8), ("agree", "达成一致", 4), ("closing", "结束", 2))


# --- the feedback checker (branch `feedback`), called lazily -----------------------------

_FEEDBACK_MODULE = __name__.rsplit(".", 2)[0] + ".checks.feedback"


class FeedbackCheckerMissing(RuntimeError):
    """``worksheet_engine.checks.feedback`` is not in this build."""


def feedback_verdict(kind: str, behaviour: str, impact: str, closing: str) -> dict[str, Any]:
    """The BIA/BID verdict of ``worksheet_engine.checks.feedback.check_feedback``.

    Raises:
        FeedbackCheckerMissing: the feedback checker module is not installed (it is
            written on another branch; once merged, this adapter finds it).
    """
    try:
        _feedback = importlib.import_module(_FEEDBACK_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == _FEEDBACK_MODULE:
            raise FeedbackCheckerMissing(
                "worksheet_engine.checks.feedback.check_feedback is missing: merge main once the "
                "feedback branch has landed") from exc
        raise
    result = _feedback.check_feedback(kind, behaviour, impact, closing)
    if not isinstance(result, Mapping):
        raise TypeError("check_feedback returned no mapping")
    return dict(result)


# --- small readers -----------------------------------------------------------------------

def _cell(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


def _num(row: Mapping[str, Any], name: str) -> float | None:
    value = row.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _date(row: Mapping[str, Any], name: str) -> _dt.date | None:
    return parse_date(_cell(row, name))


_time = parse_time


def _cn_date(day: _dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# --- parts of the evaluation ---------------------------------------------------------------

def _check_kpis(values: Mapping[str, Any], issues: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    gaps: list[dict[str, Any]] = []
    gaps_missing: list[str] = []
    for i, row in enumerate(rows_of(values, "kpis")):
        metric = _cell(row, "metric")[:120]
        if not metric:
            continue
        target, actual = _num(row, "target"), _num(row, "actual")
        label = f"指标“{short(metric, 20)}”"
        if target is None:
            gaps_missing.append(metric)
            issues.append(issue("kpi_no_target", f"{label}还没有目标值。", f"kpis.{i}.target", "warning",
                                "填本期约定的目标；没有目标就无从比较。"))
        if actual is None:
            gaps_missing.append(metric)
            issues.append(issue("kpi_no_actual", f"{label}还没有实际值。", f"kpis.{i}.actual", "warning",
                                "面谈前先从报表取数，不要凭印象谈。"))
        if target is None or actual is None:
            continue
        gap = kpi_gap(metric, target, actual, _cell(row, "direction") or None)
        gap["row"] = i
        if gap["conflict"]:
            issues.append(issue("direction_conflict",
                                f"{label}通常{DIRECTION_TEXT[gap['direction']]}，与您选的方向相反，已按"
                                f"{DIRECTION_TEXT[gap['direction']]}计算。", f"kpis.{i}.direction", "info",
                                "如果贵中心的口径确实相反，请在指标名里写清口径。"))
        elif gap["direction_source"] == "assumed":
            issues.append(issue("direction_unknown", f"看不出{label}是越高越好还是越低越好，暂按越高越好计算。",
                                f"kpis.{i}.direction", "info", "在“方向”一栏选一下。"))
        gaps.append(gap)
    return gaps, gaps_missing


def _check_evidence(values: Mapping[str, Any], issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    missing_reported = False
    for i, row in enumerate(rows_of(values, "evidence")):
        kind = _cell(row, "kind")
        occasion, behaviour = _cell(row, "occasion")[:_CELL], _cell(row, "behaviour")[:_CELL]
        impact, closing = _cell(row, "impact")[:_CELL], _cell(row, "closing")[:_CELL]
        if not any((kind, occasion, behaviour, impact, closing)):
            continue
        item: dict[str, Any] = {"index": i, "kind": kind, "occasion": occasion, "behaviour": behaviour,
                                "impact": impact, "closing": closing, "parts": {}, "level": None, "checked": False}
        items.append(item)
        name = f"第 {i + 1} 个事例"
        if not occasion:
            issues.append(issue("evidence_no_occasion", f"{name}没有写场合或时间。", f"evidence.{i}.occasion",
                                "warning", "写上哪天、哪个场合，如“11月12日下午一通物流投诉来电”。"))
        if kind not in ("BIA", "BID") or not (behaviour and impact and closing):
            continue
        said = f"{occasion}，{behaviour}" if occasion else behaviour
        try:
            verdict = feedback_verdict(kind, said, impact, closing)
        except FeedbackCheckerMissing:
            if not missing_reported:
                issues.append(issue("feedback_checker_missing", "这一版还不能逐项检查 BIA/BID 事例。", "evidence",
                                    "info", "可以先对照第五讲的 BIA/BID 要求自查。"))
                missing_reported = True
            continue
        except Exception:  # noqa: BLE001 - a checker fault must not break the worksheet
            issues.append(issue("feedback_check_failed", f"{name}暂时无法检查。", f"evidence.{i}", "info"))
            continue
        item["checked"] = True
        level = verdict.get("level")
        item["level"] = level if level in (0, 1, 2) else None
        parts = verdict.get("parts") if isinstance(verdict.get("parts"), Mapping) else {}
        for part in ("behaviour", "impact", "closing"):
            p = parts.get(part) if isinstance(parts.get(part), Mapping) else {}
            met = p.get("met")
            item["parts"][part] = {"met": met if met in (True, False) else None,
                                   "reason": str(p.get("reason") or ""), "suggestion": str(p.get("suggestion") or "")}
            if met is False:
                field = "behaviour" if part == "behaviour" else part
                issues.append(issue("evidence_part_not_met",
                                    f"{name}（{kind}）的“{_PART_LABELS[part]}”还不达标：{p.get('reason') or ''}",
                                    f"evidence.{i}.{field}", "warning", str(p.get("suggestion") or "")))
        for w in verdict.get("warnings") or []:
            text = w.get("message") if isinstance(w, Mapping) else w
            hint = w.get("suggestion") if isinstance(w, Mapping) else ""
            box = w.get("box") if isinstance(w, Mapping) else ""
            if isinstance(text, str) and text:
                where = f"evidence.{i}.{box}" if box in _PART_LABELS else f"evidence.{i}"
                issues.append(issue("evidence_warning", f"{name}：{text}", where, "info",
                                    hint if isinstance(hint, str) else ""))
    return items


def _check_questions(values: Mapping[str, Any], issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    questions = []
    for i, row in enumerate(rows_of(values, "questions")):
        text = _cell(row, "text")
        if not text:
            continue
        stage = _cell(row, "stage")
        verdict = classify_question(text[:_CELL])
        q = {"index": i, "stage": stage if stage in STAGES else "", "text": text, "open": bool(verdict.get("open")),
             "reason": str(verdict.get("reason") or ""), "suggestion": str(verdict.get("suggestion") or "")}
        questions.append(q)
        if not q["open"]:
            issues.append(issue("closed_question", f"“{short(text, 24)}”是封闭式问题：{q['reason']}",
                                f"questions.{i}.text", "warning",
                                f"可以改成：{q['suggestion']}" if q["suggestion"] else "改用“什么、怎么、哪些”来提问。"))
    if not questions:
        issues.append(issue("questions_missing", "还没有准备要问的问题。", "questions", "warning",
                            "按 GROW 各准备一两个开放式问题，让员工多说。"))
    return questions


def _check_goals(values: Mapping[str, Any], ctx: Context, issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    goals = []
    for i, row in enumerate(rows_of(values, "goals")):
        text = _cell(row, "goal")
        if not text:
            continue
        criteria = goal_criteria(text, ctx.today)
        failed = [k for k, v in criteria.items() if v["met"] is False]
        goals.append({"index": i, "goal": text, "criteria": criteria,
                      "met": sum(1 for v in criteria.values() if v["met"] is True), "total": len(criteria)})
        if failed:
            names = "、".join(_SMART_LABELS.get(k, k) for k in failed)
            first = criteria[failed[0]]
            issues.append(issue("goal_not_smart", f"目标“{short(text, 24)}”在{names}上还不达标：{first['reason']}",
                                f"goals.{i}.goal", "warning", first["suggestion"]))
    if not goals:
        issues.append(issue("goals_missing", "还没有写下阶段目标。", "goals", "warning",
                            "准备一两个 SMART 目标草案，面谈时和员工一起修订。"))
    return goals


def _check_follow_ups(values: Mapping[str, Any], interview: _dt.date | None,
                      issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    follow = []
    for i, row in enumerate(rows_of(values, "follow_ups")):
        day = _date(row, "date")
        if day is None:
            continue  # empty or unreadable: the model reports it
        time_text = _cell(row, "time")
        at = _time(time_text) if time_text else None
        if time_text and at is None:
            issues.append(issue("bad_time", f"跟进时间“{short(time_text, 10)}”看不懂，日历里按全天安排。",
                                f"follow_ups.{i}.time", "warning", "按 24 小时制填写，如 15:30。"))
        before = bool(interview and day < interview)
        if before:
            issues.append(issue("follow_up_before_interview", f"跟进日期 {day.isoformat()} 早于面谈日期。",
                                f"follow_ups.{i}.date", "error", "跟进安排在面谈之后，通常是一到四周后。"))
        follow.append({"index": i, "date": day.isoformat(), "time": at.strftime("%H:%M") if at else "",
                       "purpose": _cell(row, "purpose"), "before_interview": before, "_day": day, "_at": at})
    follow.sort(key=lambda f: (f["_day"], f["time"]))
    return follow


def _read_actions(values: Mapping[str, Any], interview: _dt.date | None,
                  issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    actions = []
    for i, row in enumerate(rows_of(values, "actions")):
        text = _cell(row, "action")
        if not text:
            continue
        owner, due = _cell(row, "owner"), _date(row, "due")
        status = _cell(row, "status") or "open"
        label = f"行动“{short(text, 20)}”"
        if not owner:
            issues.append(issue("action_no_owner", f"{label}没有负责人。", f"actions.{i}.owner", "warning",
                                "写上由谁来做。"))
        if due is None:
            issues.append(issue("action_no_due", f"{label}没有完成日期。", f"actions.{i}.due", "warning",
                                "约定一个具体日期。"))
        elif interview and due < interview:
            issues.append(issue("action_before_interview", f"{label}的完成日期早于面谈日期。", f"actions.{i}.due",
                                "warning", "面谈约定的行动在面谈之后才开始，请检查日期。"))
        actions.append({"index": i, "action": text, "owner": owner, "due": due.isoformat() if due else "",
                        "status": status, "status_text": _STATUS_TEXT.get(status, "未开始")})
    return actions


def _pitfalls(gaps: list[dict[str, Any]], missing: list[str], kpi_rows: int, evidence: list[dict[str, Any]],
              follow: list[dict[str, Any]], interview: _dt.date | None,
              issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    n_bia = sum(1 for e in evidence if e["kind"] == "BIA")
    n_bid = sum(1 for e in evidence if e["kind"] == "BID")
    checks = []
    # 只关注负面
    if n_bia == 0:
        met, reason = False, f"没有一个值得肯定的事例（BIA），{n_bid} 个都是需要改进的。" if n_bid else "还没有值得肯定的事例（BIA）。"
        issues.append(issue("no_bia", "准备的事例里没有 BIA。", "evidence", "warning",
                            "找一件员工做得好的具体事情，先肯定它，再谈改进。"))
    elif n_bid >= 2 * n_bia and n_bid - n_bia >= 2:
        met, reason = False, f"BID {n_bid} 个、BIA 只有 {n_bia} 个，员工可能只听到批评。"
        issues.append(issue("bid_outnumbers_bia", reason, "evidence", "warning",
                            "再找一两件做得好的事；改进点挑最重要的一两个谈。"))
    else:
        met, reason = True, f"BIA {n_bia} 个、BID {n_bid} 个，肯定与改进兼顾。"
    checks.append({"key": "only_negative", "label": PITFALLS["only_negative"], "met": met, "reason": reason,
                   "suggestion": "" if met else "先讲一个值得肯定的具体事例（BIA），再讲需要改进的（BID）。",
                   "hook": {"pitfall": "only-negative"}})
    # 缺乏准备
    no_occasion = sum(1 for e in evidence if not e["occasion"])
    gaps_in = []
    if kpi_rows == 0:
        gaps_in.append("还没有列出本期指标")
        issues.append(issue("kpis_missing", "还没有列出本期的指标和数据。", "kpis", "warning",
                            "至少列出两三项关键指标的目标和实际值。"))
    if missing:
        gaps_in.append(f"{len(set(missing))} 项指标缺目标或实际值")
    if no_occasion:
        gaps_in.append(f"{no_occasion} 个事例没写场合或时间")
    checks.append({"key": "unprepared", "label": PITFALLS["unprepared"], "met": not gaps_in,
                   "reason": "；".join(gaps_in) + "。" if gaps_in else f"{len(gaps)} 项指标都有目标和实际值，事例都写了场合。",
                   "suggestion": "面谈前补齐数据，每个事例写清哪天、什么场合。" if gaps_in else "",
                   "hook": {"pitfall": "unprepared"}})
    # 一刀切: needs the other agents' entries
    checks.append({"key": "one_size", "label": PITFALLS["one_size"], "met": None,
                   "reason": "要和其他员工的面谈准备对照，才能看出目标是不是照搬的。",
                   "suggestion": "每位员工的目标都应从他自己的数据出发，数字和重点各不相同。",
                   "hook": {"pitfall": "one-size"}})
    # 忽视跟进
    early = [f for f in follow if f["before_interview"]]
    if not follow:
        met, reason = False, "还没有约定跟进日期。"
        issues.append(issue("no_follow_up", "还没有约定跟进日期。", "follow_ups", "error",
                            "面谈结束前和员工约好第一次跟进的日子，通常在一到四周后。"))
    elif early:
        met, reason = False, f"有 {len(early)} 个跟进日期早于面谈日期。"
    else:
        first = follow[0]["date"]
        met = True
        reason = f"第一次跟进在 {first}。" if interview else f"第一次跟进在 {first}（还没填面谈日期，无法核对先后）。"
    checks.append({"key": "no_follow_up", "label": PITFALLS["no_follow_up"], "met": met, "reason": reason,
                   "suggestion": "" if met else "把跟进安排在面谈之后，并写上跟进要看什么。",
                   "hook": {"pitfall": "no-follow-up"}})
    return checks


def _one_size(checks: list[dict[str, Any]], values: Mapping[str, Any], goals: list[dict[str, Any]],
              peers: list[Mapping[str, Any]] | None, issues: list[dict[str, Any]]) -> None:
    """误区三 from the other agents' latest goals (``peers``), when the workspace gave them."""
    if peers is None:
        return
    check = next(c for c in checks if c["key"] == "one_size")
    mine = {"agent_name": text_of(values, "agent_name") or "（本条目）", "goals": [g["goal"] for g in goals]}
    copied = [g for g in same_goals_across_agents([mine, *peers]) if 0 in g["entries"]]
    if not goals:
        check.update(met=None, reason="还没有写目标，无法和其他员工的目标对照。")
    elif not peers:
        check.update(met=None, reason="本机还没有其他员工的面谈准备，暂时无法对照。")
    elif copied:
        names = []
        for g in copied:
            names += [a for a in g["agents"] if a != mine["agent_name"] and a not in names]
        check.update(met=False, reason=f"有 {len(copied)} 个目标和{'、'.join(short(n, 12) for n in names[:3])}"
                                       f"的目标一字不差（只差姓名）。")
        for g in copied:
            issues.append(issue("goal_copied", f"目标“{short(g['goal'], 24)}”和其他员工的目标相同。", "goals", "warning",
                                "从这位员工自己的数据出发：起点、差距和重点不同，数字和做法也应不同。"))
    else:
        check.update(met=True, reason=f"和其他 {len(peers)} 位员工的最新目标都不相同。", suggestion="")


def _carried(values: Mapping[str, Any], ctx: Context, issues: list[dict[str, Any]]) -> tuple[
        list[dict[str, Any]], list[Mapping[str, Any]] | None]:
    """(open actions carried over, the other agents' latest goals) from the workspace, or
    ([], None) when the browser gave none."""
    workspace = getattr(ctx, "workspace", None)
    if not isinstance(workspace, Mapping):
        return [], None
    entry, person = workspace.get("entry"), workspace.get("person")
    found = interview_context(workspace, entry=entry if isinstance(entry, str) else "",
                              person=person if isinstance(person, str) else "",
                              agent_name=text_of(values, "agent_name"), today=ctx.today)
    carry = [{k: i[k] for k in ("key", "text", "owner", "due", "state", "state_text", "entry_name")}
             for i in found["carry_over"]]
    if carry:
        first = "；".join(short(c["text"], 20) for c in carry[:_BRIEF_CARRY])
        issues.append(issue("carry_over", f"上次约定的 {len(carry)} 项行动还没有完成：{first}。", "actions", "info",
                            "面谈开场先一起看看这些行动的进展，再谈新的目标。"))
    return carry, found["peers"]


# --- outputs --------------------------------------------------------------------------------

def _agenda(minutes: int, gaps: list[dict[str, Any]], missing: list[str], evidence: list[dict[str, Any]],
            questions: list[dict[str, Any]], goals: list[dict[str, Any]], follow: list[dict[str, Any]],
            concerns: str) -> list[list[str]]:
    total = sum(w for _, _, w in _AGENDA)
    rows, used, cum = [], 0, 0
    missed = [g["metric"] for g in gaps if not g["met"]]
    n_bia = sum(1 for e in evidence if e["kind"] == "BIA")
    n_bid = sum(1 for e in evidence if e["kind"] == "BID")
    n_open = sum(1 for q in questions if q["open"])
    points = {
        "opening": "说明目的和时长；强调这是双向交流",
        "review": (f"{sum(1 for g in gaps if g['met'])}/{len(gaps)} 项达成" +
                   (f"；重点谈 {short('、'.join(missed), 24)}" if missed else "") if gaps else "（还没有指标数据）"),
        "feedback": f"先讲 {n_bia} 个 BIA，再讲 {n_bid} 个 BID；只谈行为和影响",
        "listen": "请员工先谈自评；听事实、感受、关注点，只听不评" + (f"；留意：{short(concerns, 12)}" if concerns else ""),
        "grow": f"按 G→R→O→W 提问（{len(questions)} 个问题，{n_open} 个开放式）",
        "agree": f"共同确认 {len(goals)} 个目标和行动：谁、做什么、哪天完成",
        "closing": "请员工复述约定" + (f"；确认跟进 {follow[0]['date']}" if follow else "；约定跟进日期") + "；致谢",
    }
    for key, name, weight in _AGENDA:
        cum += weight
        end = round(minutes * cum / total)
        rows.append([f"{used}–{end} 分钟", name, points[key]])
        used = end
    return rows


def _brief(values: Mapping[str, Any], interview: _dt.date | None, minutes: int, gaps: list[dict[str, Any]],
           missing: list[str], evidence: list[dict[str, Any]], questions: list[dict[str, Any]],
           goals: list[dict[str, Any]], follow: list[dict[str, Any]], carry: list[dict[str, Any]] = ()) -> str:
    agent, period = text_of(values, "agent_name"), text_of(values, "period")
    concerns = text_of(values, "concerns")
    title = "面谈提纲" + (f"：{md_escape(short(agent, 30))}" if agent else "") + (f" · {md_escape(short(period, 20))}" if period else "")
    lines = [f"## {title}", ""]
    meta = [f"面谈日期 {interview.isoformat()}" if interview else "面谈日期未定", f"{minutes} 分钟"]
    manager = text_of(values, "manager_name")
    if manager:
        meta.append(f"面谈人 {md_escape(short(manager, 30))}")
    lines += ["- " + " · ".join(meta), ""]
    lines += ["### 议程", "", md_table(["时间", "环节", "要点"],
                                       _agenda(minutes, gaps, missing, evidence, questions, goals, follow, concerns)), ""]
    if carry:
        lines.append("**上次约定、还没完成的行动**：" + "；".join(
            f"{md_escape(short(c['text'], 18))}（{md_escape(short(c['owner'], 6)) or '未定'}，"
            f"{c['due'] or '未定日期'}）" for c in carry[:_BRIEF_CARRY]) + ("；……" if len(carry) > _BRIEF_CARRY else ""))
        lines.append("")
    lines += ["### 指标回顾", ""]
    if gaps:
        lines.append(md_table(["指标", "目标", "实际", "差距", "结论"], [
            [short(g["metric"], 20), g["target_text"], g["actual_text"], g["gap_text"].split("（")[0],
             "达成" if g["met"] else "未达成"] for g in gaps[:_BRIEF_KPIS]]))
        if len(gaps) > _BRIEF_KPIS:
            lines += ["", f"（另有 {len(gaps) - _BRIEF_KPIS} 项指标，见面谈记录。）"]
    else:
        lines.append("（还没有完整的指标数据。）")
    lines.append("")
    lines += ["### 反馈要点", ""]
    if evidence:
        for n, e in enumerate(evidence[:_BRIEF_EVIDENCE], 1):
            kind = e["kind"] or "未选类型"
            tail = "感谢" if e["kind"] == "BIA" else "期望"
            lines.append(f"{n}. 【{kind}】{md_escape(short(e['occasion'], 14)) or '（场合未写）'}："
                         f"{md_escape(short(e['behaviour'], 28))} → 影响：{md_escape(short(e['impact'], 18))}"
                         f" → {tail}：{md_escape(short(e['closing'], 18))}")
        if len(evidence) > _BRIEF_EVIDENCE:
            lines.append(f"- ……另有 {len(evidence) - _BRIEF_EVIDENCE} 个事例")
    else:
        lines.append("（还没有准备事例。）")
    lines.append("")
    self_text = text_of(values, "self_assessment")
    if self_text or concerns:
        lines += ["### 员工视角", ""]
        if self_text:
            lines.append(f"- **员工自评**：{md_escape(short(self_text, 50))}")
        if concerns:
            lines.append(f"- **可能的顾虑**：{md_escape(short(concerns, 50))}")
        lines.append("")
    lines += ["### 要问的问题", ""]
    if questions:
        ordered = sorted(questions, key=lambda q: (STAGES.index(q["stage"]) if q["stage"] else 4, q["index"]))
        for q in ordered[:_BRIEF_QUESTIONS]:
            stage = q["stage"] or "—"
            mark = "开放" if q["open"] else "封闭"
            lines.append(f"- **{stage}**【{mark}】{md_escape(short(q['text'], 40))}")
        if len(ordered) > _BRIEF_QUESTIONS:
            lines.append(f"- ……另有 {len(ordered) - _BRIEF_QUESTIONS} 个问题")
    else:
        lines.append("（还没有准备问题。）")
    lines.append("")
    lines += ["### 下阶段目标（草案）", ""]
    if goals:
        for n, g in enumerate(goals[:_BRIEF_GOALS], 1):
            smart = f"（SMART {g['met']}/{g['total']}）" if g["total"] else ""
            lines.append(f"{n}. {md_escape(short(g['goal'], 40))}{smart}")
        if len(goals) > _BRIEF_GOALS:
            lines.append(f"- ……另有 {len(goals) - _BRIEF_GOALS} 个目标，见面谈记录")
    else:
        lines.append("（还没有目标草案。）")
    lines.append("")
    if follow:
        lines.append("**跟进**：" + "；".join(
            f"{f['date']}{' ' + f['time'] if f['time'] else ''} {md_escape(short(f['purpose'], 16))}".rstrip()
            for f in follow[:2]) + ("；……" if len(follow) > 2 else ""))
    else:
        lines.append("**跟进**：（未约定）")
    return "\n".join(lines).rstrip() + "\n"


_LINE = "＿＿＿＿＿＿＿＿＿＿"


def _record(values: Mapping[str, Any], interview: _dt.date | None, gaps: list[dict[str, Any]],
            goals: list[dict[str, Any]], actions: list[dict[str, Any]], follow: list[dict[str, Any]]) -> str:
    agent, period = text_of(values, "agent_name"), text_of(values, "period")
    manager = text_of(values, "manager_name")
    title = "面谈记录" + (f"：{md_escape(short(agent, 30))}" if agent else "") + (f" · {md_escape(short(period, 20))}" if period else "")
    lines = [f"## {title}", ""]
    lines.append(f"- **员工**：{md_escape(agent) or _LINE}")
    lines.append(f"- **面谈人**：{md_escape(manager) or _LINE}")
    lines.append(f"- **面谈日期**：{interview.isoformat() if interview else _LINE}")
    lines.append("")
    if gaps:
        lines += ["### 本期指标结果", "", md_table(["指标", "目标", "实际", "差距", "结论"], [
            [g["metric"], g["target_text"], g["actual_text"], g["gap_text"], "达成" if g["met"] else "未达成"]
            for g in gaps]), ""]
    lines += ["### 下阶段目标", ""]
    lines += [f"{n}. {md_escape(g['goal'])}" for n, g in enumerate(goals, 1)] or ["1. " + _LINE]
    lines.append("")
    lines += ["### 约定的行动", ""]
    if actions:
        lines.append(md_table(["行动", "负责人", "完成日期", "状态"],
                              [[a["action"], a["owner"], a["due"], a["status_text"]] for a in actions]))
    else:
        lines.append(md_table(["行动", "负责人", "完成日期", "状态"], [["", "", "", ""]] * 3))
    lines.append("")
    if follow:
        lines.append("**跟进**：" + "；".join(
            f"{f['date']}{' ' + f['time'] if f['time'] else ''} {md_escape(f['purpose'])}".rstrip() for f in follow))
        lines.append("")
    comments = text_of(values, "agent_comments")
    lines += ["### 员工意见", "", md_escape(comments) if comments else _LINE * 3, ""]
    lines += ["### 确认", "",
              f"- 员工签字：{_LINE}　日期：{_LINE}",
              f"- 面谈人签字：{_LINE}　日期：{_LINE}"]
    return "\n".join(lines).rstrip() + "\n"


_FILENAME_BAD = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')


def _calendar(values: Mapping[str, Any], ctx: Context, interview: _dt.date | None,
              follow: list[dict[str, Any]], actions: list[dict[str, Any]],
              issues: list[dict[str, Any]]) -> tuple[str, str]:
    agent = text_of(values, "agent_name")[:100]
    period = text_of(values, "period")[:60]
    who = agent or "员工"
    events: list[CalendarEvent] = []
    open_actions = [a for a in actions if a["status"] != "done"]
    previous = ""
    for n, f in enumerate(follow, 1):
        if f["before_interview"]:
            continue
        start: _dt.date | _dt.datetime = (_dt.datetime.combine(f["_day"], f["_at"]) if f["_at"] else f["_day"])
        due = [a for a in open_actions if a["due"] and previous < a["due"] <= f["date"]]
        previous = f["date"]
        desc = [f"{period}绩效面谈的第 {n} 次跟进。" if period else f"绩效面谈的第 {n} 次跟进。"]
        if f["purpose"]:
            desc.append(f"要看：{f['purpose']}")
        if due:
            desc.append("到期的行动：" + "；".join(f"{a['action']}（{a['owner'] or '未定'}，{a['due']}）" for a in due))
        events.append(CalendarEvent(f"follow-up-{f['index']}", f"跟进：{who}" + (f" · {short(f['purpose'], 20)}" if f["purpose"] else ""),
                                    start, "\n".join(desc), alarm=f"明天跟进 {who}"))
    nxt = parse_date(text_of(values, "next_interview_date"))
    if nxt and interview and nxt <= interview:
        issues.append(issue("next_interview_before", "下次面谈日期不在这次面谈之后。", "next_interview_date", "warning",
                            "下次面谈通常在下一个考核周期结束后。"))
        nxt = None
    if nxt:
        events.append(CalendarEvent("next-interview", f"绩效面谈：{who}", nxt,
                                    f"上次面谈 {interview.isoformat()}，带上约定的行动和跟进记录。" if interview else
                                    "带上约定的行动和跟进记录。", alarm=f"明天与 {who} 绩效面谈"))
    if not events:
        return "", ""
    # DTSTAMP: the reader's date when the browser passed it (the engine reads no clock).
    stamp = ctx.today or interview or min(
        e.start.date() if isinstance(e.start, _dt.datetime) else e.start for e in events)
    seed = f"interview|{agent}|{period}"
    text = build_calendar(events, stamp=stamp, uid_seed=seed, name=f"绩效面谈跟进：{who}")
    name = _FILENAME_BAD.sub("", f"面谈跟进-{short(who, 20)}" + (f"-{short(period, 20)}" if period else ""))
    return text, name.replace(" ", "") + ".ics"


# --- evaluate ---------------------------------------------------------------------------------

def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one interview preparation. Never raises; see the module docstring."""
    issues: list[dict[str, Any]] = []
    interview = parse_date(text_of(values, "interview_date"))
    duration = values.get("duration")
    minutes = int(duration) if isinstance(duration, (int, float)) and not isinstance(duration, bool) \
        and math.isfinite(duration) and 10 <= duration <= 180 else 30

    kpi_rows = sum(1 for r in rows_of(values, "kpis") if _cell(r, "metric"))
    gaps, missing = _check_kpis(values, issues)
    evidence = _check_evidence(values, issues)
    questions = _check_questions(values, issues)
    goals = _check_goals(values, ctx, issues)
    follow = _check_follow_ups(values, interview, issues)
    actions = _read_actions(values, interview, issues)
    checks = _pitfalls(gaps, missing, kpi_rows, evidence, follow, interview, issues)
    carry, peers = _carried(values, ctx, issues)
    _one_size(checks, values, goals, peers, issues)

    chart = gap_chart(gaps[:_BRIEF_KPIS], "本期指标：目标与实际")
    ics, ics_name = _calendar(values, ctx, interview, follow, actions, issues)
    report = _brief(values, interview, minutes, gaps, missing, evidence, questions, goals, follow, carry)
    record = _record(values, interview, gaps, goals, actions, follow)

    n_open = sum(1 for q in questions if q["open"])
    n_bia = sum(1 for e in evidence if e["kind"] == "BIA")
    n_bid = sum(1 for e in evidence if e["kind"] == "BID")
    figures = [
        {"key": "kpis_met", "label": "指标达成", "value": f"{sum(1 for g in gaps if g['met'])}/{len(gaps)}"},
        {"key": "feedback_mix", "label": "BIA / BID", "value": f"{n_bia} / {n_bid}"},
        {"key": "open_questions", "label": "开放式问题", "value": f"{n_open}/{len(questions)}"},
        {"key": "smart_goals", "label": "SMART 无未达标项的目标",
         "value": f"{sum(1 for g in goals if g['total'] and not any(v['met'] is False for v in g['criteria'].values()))}"
                  f"/{len(goals)}"},
        {"key": "next_follow_up", "label": "第一次跟进", "value": follow[0]["date"] if follow else "未约定"},
    ]
    if carry:
        figures.append({"key": "carried_over", "label": "上次未完成的行动", "value": str(len(carry))})
    errors = sum(1 for i in issues if i["severity"] == "error")
    fallen = [c for c in checks if c["met"] is False]
    if errors:
        headline = f"还有 {errors} 处需要补充"
    else:
        headline = "面谈提纲已生成"
    headline += f"；四个误区中有 {len(fallen)} 个需要注意。" if fallen else "；没有踩到可检查的误区。"
    return {
        "ok": errors == 0,
        "headline": headline,
        "issues": issues,
        "checks": checks,
        "figures": figures,
        "charts": [{"title": "本期指标：目标与实际", "svg": chart}] if chart else [],
        "links": [{"label": "第六讲 绩效面谈与辅导", "href": "lectures/06-coaching/"},
                  {"label": "绩效面谈专题", "href": "topics/performance-interview/"}],
        "kpis": [{k: v for k, v in g.items()} for g in gaps],
        "evidence": evidence,
        "questions": questions,
        "goals": goals,
        "follow_ups": [{k: v for k, v in f.items() if not k.startswith("_")} for f in follow],
        "actions": actions,
        "report_md": report,
        "record_md": record,
        "record_html": to_html(record),
        "reports": [{"key": "record", "title": "面谈记录（面谈后填写、双方签字）", "html": to_html(record)}],
        "ics": ics,
        "ics_filename": ics_name,
        "carry_over": carry,
        "downloads": [{"key": "ics", "label": "导出跟进和下次面谈到日历（.ics）", "filename": ics_name,
                       "mime": "text/calendar", "text": ics, "hook": {"action": "export-ics"}}] if ics else [],
    }


# --- the definition -------------------------------------------------------------------------

DEFINITION = Worksheet(
    slug="interview",
    version=1,
    title="绩效面谈准备",
    description="为一位员工的一次绩效面谈做准备：指标差距、BIA/BID 事例、员工视角、GROW 提问、下阶段目标和跟进日期；"
                "检查四个常见误区，生成一页纸的面谈提纲、面谈记录和日历提醒。",
    lecture="lectures/06-coaching.md",
    module="team",
    order=60,
    summary="指标差距、事例是否兼顾肯定与改进、提问是否开放、目标是否 SMART、是否约定跟进",
    evaluate=evaluate,
    entry_label_field="agent_name",
    sections=(
        Section("basic", "面谈信息", (
            Field("agent_name", "员工", required=True, max_length=100, placeholder="例如：小孙（二组坐席）",
                  missing=Missing("请写上这次面谈的员工。", suggestion="写姓名或您自己认得出的称呼。")),
            Field("manager_name", "面谈人", max_length=100, placeholder="例如：李敏（二组组长）"),
            Field("period", "考核周期", required=True, max_length=60, placeholder="例如：2026年11月"),
            Field("interview_date", "面谈日期", kind="date", required=True),
            Field("duration", "面谈时长（分钟）", kind="number", minimum=10, maximum=180, placeholder="30",
                  help="议程按这个时长分配；不填按 30 分钟。"),
        )),
        Section("kpis", "指标回顾", (
            Field("kpis", "本期指标", kind="list", min_items=1, max_items=10, add_label="添加一项指标",
                  help="每项指标的目标和实际值；方向按常见口径自动判断（如处理时长越低越好），认不出的请选方向。",
                  missing=Missing("至少列出一项指标的目标和实际值。", code="kpis_missing", severity="warning"),
                  item_fields=(
                      Field("metric", "指标", max_length=120, placeholder="例如：一次解决率（FCR）"),
                      Field("target", "目标", kind="number"),
                      Field("actual", "实际", kind="number"),
                      Field("direction", "方向", kind="select", options=(("up", "越高越好"), ("down", "越低越好"))),
                  )),
        ), help="用数据说话：先把目标和实际摆出来，差距由系统计算。"),
        Section("evidence", "行为事例（BIA / BID）", (
            Field("evidence", "事例", kind="list", min_items=2, max_items=6, add_label="添加一个事例",
                  help="至少两个具体事例，既有值得肯定的（BIA），也有需要改进的（BID）。",
                  missing=Missing("至少准备 {min} 个行为事例，现在有 {count} 个。", code="evidence_too_few",
                                  suggestion="一个值得肯定的（BIA），一个需要改进的（BID）。"),
                  item_fields=(
                      Field("kind", "类型", kind="select", required=True,
                            options=(("BIA", "BIA 正向反馈"), ("BID", "BID 建设性反馈")),
                            missing=Missing("第 {row} 个事例还没选 BIA 还是 BID。")),
                      Field("occasion", "场合与时间", max_length=200, placeholder="例如：11月12日下午，一通物流投诉来电"),
                      Field("behaviour", "行为", kind="textarea", max_length=600, placeholder="员工具体做了什么（看得见的动作）"),
                      Field("impact", "影响", kind="textarea", max_length=600, placeholder="对客户、团队或指标带来了什么"),
                      Field("closing", "感谢 / 期望", kind="textarea", max_length=600,
                            placeholder="BIA 写欣赏与感谢；BID 写下次希望看到的具体做法"),
                  )),
        )),
        Section("agent", "员工视角", (
            Field("self_assessment", "员工自评", kind="textarea", max_length=2000,
                  help="员工事先交来的自评，或您预计他会怎么评价自己。"),
            Field("concerns", "可能的顾虑", kind="textarea", max_length=2000,
                  help="员工可能担心什么、有哪些客观困难（排班、系统、流程）。"),
        )),
        Section("private", "我的私人备注（只在本机，不进入任何打印或导出）", (
            Field("private_notes", "私人备注", kind="textarea", max_length=4000,
                  help="只给您自己看：不会出现在面谈提纲、面谈记录或日历里。"),
        ), optional=True),
        Section("questions", "GROW 提问", (
            Field("questions", "要问的问题", kind="list", max_items=16, add_label="添加一个问题",
                  help="按 G 目标、R 现状、O 方案、W 行动准备问题；每个问题都会判断是开放式还是封闭式。",
                  item_fields=(
                      Field("text", "问题", max_length=300, placeholder="用“什么、怎么、哪些”来提问"),
                      Field("stage", "阶段", kind="select", options=tuple((s, STAGE_LABELS[s]) for s in STAGES)),
                  )),
        )),
        Section("goals", "下阶段目标", (
            Field("goals", "目标草案", kind="list", max_items=4, add_label="添加一个目标",
                  help="一到两个 SMART 目标草案，面谈时和员工一起修订。",
                  item_fields=(Field("goal", "目标", kind="textarea", max_length=500,
                                     placeholder="例如：12月31日前，把一次解决率从 68% 提升到 75%。"),)),
        )),
        Section("follow", "跟进", (
            Field("follow_ups", "跟进安排", kind="list", max_items=6, add_label="添加一次跟进",
                  help="面谈后哪天检查进展；可以导出到日历，前一天提醒。",
                  item_fields=(
                      Field("date", "日期", kind="date", required=True, missing=Missing("第 {row} 次跟进还没有日期。")),
                      Field("time", "时间", max_length=10, placeholder="例如：15:30（可不填）"),
                      Field("purpose", "要看什么", max_length=200, placeholder="例如：速查卡和前两周的重复来电"),
                  )),
            Field("next_interview_date", "下次绩效面谈", kind="date"),
        )),
        Section("record", "面谈记录（面谈中或面谈后填写）", (
            Field("actions", "约定的行动", kind="list", max_items=10, add_label="添加一条行动",
                  item_fields=(
                      Field("action", "行动", max_length=300),
                      Field("owner", "负责人", max_length=100),
                      Field("due", "完成日期", kind="date"),
                      Field("status", "状态", kind="select", options=_STATUS),
                  )),
            Field("agent_comments", "员工意见", kind="textarea", max_length=2000,
                  help="员工对本次面谈和约定的意见，按他的原话记。"),
        ), optional=True),
    ),
    example={
        "agent_name": "小孙（二组坐席）",
        "manager_name": "李敏（二组组长）",
        "period": "2026年11月",
        "interview_date": "2026-12-01",
        "duration": 30,
        "kpis": [
            {"metric": "一次解决率（FCR）", "target": 75, "actual": 68, "direction": ""},
            {"metric": "平均处理时长（AHT）", "target": 320, "actual": 305, "direction": ""},
            {"metric": "客户满意度（CSAT）", "target": 90, "actual": 92, "direction": ""},
            {"metric": "质检得分", "target": 88, "actual": 85, "direction": ""},
        ],
        "evidence": [
            {"kind": "BIA", "occasion": "11月12日下午，一通物流延误的投诉来电",
             "behaviour": "客户情绪激动时，你先复述了他的诉求，再查了物流，约定下午5点前回电，并在4点半回了电话。",
             "impact": "客户在回访中给了5分，还撤回了升级投诉，组里少了一张投诉单。",
             "closing": "谢谢你。这种先复述诉求、再给出时间承诺的做法，我很认可，想请你在周会上分享给大家。"},
            {"kind": "BID", "occasion": "11月19日上午，一通询问退款到账时间的来电",
             "behaviour": "客户问退款什么时候到账，你回答“一般几天就到”后结束了通话，没有说明具体到账时间和查询方法。",
             "impact": "客户当天下午再次来电，这通电话没有一次解决；本月你的重复来电里有 7 通是退款进度类。",
             "closing": "下次遇到退款咨询，希望你按到账时间表说清几个工作日到账和查询路径，结束前请客户复述一遍。"},
        ],
        "self_assessment": "我觉得自己服务态度好、满意度高；退款类问题有时说不清楚，怕说错到账时间，所以说得比较笼统。",
        "concerns": "担心一次解决率低影响季度评优；最近排班多在晚间高峰，没有时间学新的退款政策。",
        "private_notes": "（私人）小孙最近家里有事，情绪可能不稳；谈话时注意语气，不拿她和张敏比较。",
        "questions": [
            {"text": "这次谈完，你最希望带走什么？", "stage": "G"},
            {"text": "到年底，你希望自己的一次解决率达到多少？", "stage": "G"},
            {"text": "你怎么看这个月的一次解决率和满意度？", "stage": "R"},
            {"text": "你能具体说说11月19日那通退款电话的经过吗？", "stage": "R"},
            {"text": "为了让客户一次就听明白到账时间，你还可以怎么做？", "stage": "O"},
            {"text": "组里谁在退款类来电上做得好？她是怎么做的？", "stage": "O"},
            {"text": "你打算先从哪一项开始？", "stage": "W"},
            {"text": "你需要我提供哪些支持？", "stage": "W"},
        ],
        "goals": [
            {"goal": "12月31日前，把一次解决率（FCR）从 68% 提升到 75%，平均处理时长（AHT）不超过 320 秒。"},
            {"goal": "12月15日前，整理一份退款到账时间话术清单（不少于 10 条），并通过质检组审核。"},
        ],
        "follow_ups": [
            {"date": "2026-12-15", "time": "15:30", "purpose": "看速查卡和前两周的重复来电"},
            {"date": "2026-12-29", "time": "", "purpose": "对照12月的 FCR 和 AHT 看进展"},
        ],
        "next_interview_date": "2027-01-05",
        "actions": [
            {"action": "跟听张敏半天，整理她的退款解释要点", "owner": "小孙", "due": "2026-12-05", "status": "open"},
            {"action": "安排一个半天日班用于跟听", "owner": "李敏", "due": "2026-12-04", "status": "open"},
            {"action": "完成退款到账时间速查卡并请质检组确认", "owner": "小孙", "due": "2026-12-12", "status": "open"},
        ],
        "agent_comments": "同意两个目标。希望12月能排一次日班，方便跟听学习。",
    },
)
