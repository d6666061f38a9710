"""GROW 辅导面谈规划 worksheet (第六讲 绩效面谈与辅导): the form definition and its evaluator.

The manager plans one coaching conversation: the coaching goal (checked with the SMART
checker), the questions to ask in each GROW stage (each classified open/closed by
:func:`worksheet_engine.grow.classify_question`), at least two options, the action
plan (owner + due date per row) and a follow-up date. The report is the interview
outline in stage order with every question marked 开放/封闭.

Example::

    >>> from worksheet_engine.api import evaluate
    >>> r = evaluate("grow", {"questions_o": [{"text": "你还有别的办法吗？"}]})
    >>> [q["open"] for q in r["questions"]]
    [False]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from ..checks.questions import STAGE_HINTS, STAGE_LABELS, STAGES, classify_question
from ..model import Context, Field, Missing, Section, Worksheet
from ..markdown import md_escape, md_table
from ..checks.goal import CRITERION_LABELS as _SMART_LABELS
from ._shared import goal_checks
from ._shared import MET_TEXT as _MET_TEXT, SMART_MAX_CHARS as _SMART_MAX_CHARS
from ._shared import goal_criteria as _goal_criteria, issue as _issue, parse_date
from ._shared import rows_of as _rows, text_of as _text
from ._shared import short as _short, text_of as _cell



_QUESTION_FIELDS = {"G": "questions_g", "R": "questions_r", "O": "questions_o", "W": "questions_w"}
# A goal is one sentence; the SMART checker's cost grows with the text, so it sees at most this much.
_FLAG_TEXT = {
    "leading": "引导性",
    "scale": "刻度题",
    "why_accusatory": "“为什么”可能听成指责",
    "focused": "聚焦型",
    "mixed": "夹带封闭小问",
}



def _check_questions(values: Mapping[str, Any], issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = []
    for stage in STAGES:
        name = _QUESTION_FIELDS[stage]
        rows = _rows(values, name)
        texts = [(i, _cell(r, "text")) for i, r in enumerate(rows)]
        texts = [(i, t) for i, t in texts if t]
        if not texts:  # the model reports the empty list (min_items)
            continue
        for i, text in texts:
            verdict = classify_question(text)
            path = f"{name}.{i}.text"
            flags = list(verdict.get("flags", []))
            questions.append({
                "stage": stage,
                "index": i,
                "text": text,
                "open": bool(verdict["open"]),
                "reason": verdict["reason"],
                "suggestion": verdict["suggestion"],
                "flags": flags,
            })
            if not verdict["open"]:
                kind = "引导性的封闭式问题" if "leading" in flags else "封闭式问题"
                issues.append(_issue(
                    "closed_question", f"“{_short(text)}”是{kind}：{verdict['reason']}", path, "warning",
                    f"可以改成：{verdict['suggestion']}" if verdict["suggestion"] else "改用“什么、怎么、哪些”来提问。",
                ))
            elif "why_accusatory" in flags:
                issues.append(_issue("why_accusatory", f"“{_short(text)}”用“为什么……没……”发问，对方容易听成指责。",
                                     path, "info", verdict["suggestion"] or ""))
            elif "mixed" in flags:
                issues.append(_issue("mixed_question", f"“{_short(text)}”里夹着一个封闭式小问。", path, "info",
                                     "删掉封闭的那一问，只留开放式的问题。"))
            elif "stacked" in flags and len(re.findall(r"[?？]", text)) >= 3:
                issues.append(_issue("stacked_question", f"“{_short(text)}”一次问了好几个问题。", path, "info",
                                     "面谈时一次只问一个，等对方答完再追问。"))
    return questions


def _check_actions(values: Mapping[str, Any], meeting: _dt.date | None,
                   issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for i, row in enumerate(_rows(values, "actions")):
        action, owner, due_text = _cell(row, "action"), _cell(row, "owner"), _cell(row, "due")
        support = _cell(row, "support")
        label = f"第 {i + 1} 条行动" + (f"“{_short(action, 20)}”" if action else "")
        due = parse_date(due_text)
        if due and meeting and due < meeting:
            issues.append(_issue("action_before_meeting", f"{label}的完成日期早于面谈日期。", f"actions.{i}.due",
                                 "warning", "行动是面谈之后才开始的，请检查日期。"))
        actions.append({"action": action, "owner": owner, "due": due.isoformat() if due else due_text,
                        "support": support, "_due": due})
    return actions


def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one GROW coaching plan. Never raises; see the module docstring."""
    issues: list[dict[str, Any]] = []
    agent = _text(values, "agent_name")
    goal = _text(values, "goal_text")
    meeting_text = _text(values, "meeting_date")
    meeting = parse_date(meeting_text)

    criteria: dict[str, dict[str, Any]] = {}
    if goal:
        criteria = _goal_criteria(goal, ctx.today)
        if len(goal) > _SMART_MAX_CHARS:
            issues.append(_issue("goal_long", f"辅导目标有 {len(goal)} 个字，只按前 {_SMART_MAX_CHARS} 个字做了 SMART 检查。",
                                 "goal_text", "info", "目标写成一两句话即可，背景可以写在“面谈起因”里。"))
        for key, verdict in criteria.items():
            if verdict["met"] is False:
                label = _SMART_LABELS.get(key, key)
                issues.append(_issue("goal_not_smart", f"辅导目标在“{label}”上还不达标：{verdict['reason']}",
                                     "goal_text", "warning", verdict["suggestion"]))

    questions = _check_questions(values, issues)

    options = [(i, r) for i, r in enumerate(_rows(values, "options")) if _cell(r, "option")]
    actions = _check_actions(values, meeting, issues)

    follow_text = _text(values, "follow_up_date")
    follow = parse_date(follow_text)
    if follow is not None:  # missing or unreadable: reported by the model
        dues = [a for a in actions if a["_due"] is not None]
        later = [a for a in dues if a["_due"] > follow]
        if meeting and follow < meeting:
            issues.append(_issue("follow_up_before_meeting", "跟进日期早于面谈日期。", "follow_up_date", "error",
                                 "跟进应安排在面谈之后。"))
        if dues and len(later) == len(dues):
            issues.append(_issue(
                "follow_up_before_actions", "跟进日期早于所有行动的完成日期，跟进时还没有任何结果可看。",
                "follow_up_date", "error", f"把跟进安排在 {min(a['_due'] for a in dues).isoformat()} 之后。"))
        elif later:
            names = "、".join(f"“{_short(a['action'], 15)}”" for a in later[:3])
            issues.append(_issue(
                "follow_up_before_some_actions", f"跟进日期早于{names}的完成日期，这几条跟进时还没到期。",
                "follow_up_date", "warning",
                f"可以把跟进放到 {max(a['_due'] for a in dues).isoformat()} 之后，或约两次跟进。"))

    total = len(questions)
    n_open = sum(1 for q in questions if q["open"])
    by_stage = {
        s: {"total": sum(1 for q in questions if q["stage"] == s),
            "open": sum(1 for q in questions if q["stage"] == s and q["open"])}
        for s in STAGES
    }
    errors = ctx.errors(issues)
    if errors:
        headline = f"还有 {errors} 处需要补充；已准备 {total} 个问题，其中 {n_open} 个是开放式。"
    else:
        headline = f"提纲完整：{total} 个问题，其中 {n_open} 个是开放式"
        headline += f"，{total - n_open} 个封闭式问题建议改写。" if total > n_open else "。"
    public_actions = [{k: v for k, v in a.items() if k != "_due"} for a in actions]
    return {
        "ok": errors == 0,
        "headline": headline,
        "issues": issues,
        "questions": questions,
        "stats": {"total": total, "open": n_open, "closed": total - n_open, "by_stage": by_stage},
        "goal_criteria": criteria,
        "checks": goal_checks(criteria, "辅导目标"),
        "options": [{"option": _cell(r, "option"), "pros": _cell(r, "pros"), "cons": _cell(r, "cons")}
                    for _, r in options],
        "actions": public_actions,
        "follow_up_date": follow.isoformat() if follow else "",
        "report_md": _report(values, goal, criteria, questions, options, public_actions, follow, follow_text),
    }


def _report(values: Mapping[str, Any], goal: str, criteria: Mapping[str, Mapping[str, Any]],
            questions: list[dict[str, Any]], options: list[tuple[int, Mapping[str, Any]]],
            actions: list[dict[str, Any]], follow: _dt.date | None, follow_text: str) -> str:
    lines = ["## GROW 辅导面谈提纲", ""]
    info = [("被辅导人", _text(values, "agent_name")), ("辅导人", _text(values, "coach_name")),
            ("绩效周期", _text(values, "period")), ("面谈日期", _text(values, "meeting_date"))]
    lines += [f"- **{k}**：{md_escape(v)}" for k, v in info if v]
    context = _text(values, "context")
    if context:
        lines.append(f"- **面谈起因**：{md_escape(context)}")
    lines.append("")

    lines += ["### " + STAGE_LABELS["G"], ""]
    lines += [f"**辅导目标**：{md_escape(goal) if goal else '（未填写）'}", ""]
    if criteria:
        lines.append(md_table(["SMART 标准", "结论", "说明"], [
            [_SMART_LABELS.get(k, k), _MET_TEXT[v["met"]], v["reason"] + (f" {v['suggestion']}" if v["met"] is False
                                                                       and v["suggestion"] else "")]
            for k, v in criteria.items()
        ]))
        lines.append("")
    for stage in STAGES:
        if stage != "G":
            lines += ["### " + STAGE_LABELS[stage], ""]
        if stage == "R":
            facts = _text(values, "reality_facts")
            if facts:
                lines += [f"**已知事实与数据**：{md_escape(facts)}", ""]
        staged = [q for q in questions if q["stage"] == stage]
        if staged:
            lines.append("**要问的问题**：")
            lines.append("")
            for n, q in enumerate(staged, 1):
                mark = "开放" if q["open"] else "封闭"
                extra = [_FLAG_TEXT[f] for f in q["flags"] if f in _FLAG_TEXT]
                tag = f"【{mark}{'·' + '·'.join(extra) if extra else ''}】"
                item = f"{n}. {tag} {md_escape(q['text'])}"
                if not q["open"] and q["suggestion"]:
                    item += f" → 建议改为：{md_escape(q['suggestion'])}"
                lines.append(item)
            lines.append("")
        else:
            lines += ["（本阶段还没有准备问题。）", ""]
        if stage == "O" and options:
            lines.append(md_table(["方案", "好处", "顾虑或代价"], [
                [_cell(r, "option"), _cell(r, "pros"), _cell(r, "cons")] for _, r in options
            ]))
            lines.append("")
        if stage == "W":
            if actions:
                lines.append(md_table(["行动", "负责人", "完成日期", "需要的支持"], [
                    [a["action"], a["owner"], a["due"], a["support"]] for a in actions
                ]))
                lines.append("")
            follow_way = _text(values, "follow_up_way")
            shown = follow.isoformat() if follow else follow_text
            lines.append(f"**跟进**：{md_escape(shown) if shown else '（未约定）'}"
                         + (f"，{md_escape(follow_way)}" if follow_way else ""))
            lines.append("")
    total = len(questions)
    n_open = sum(1 for q in questions if q["open"])
    if total:
        share = round(100 * n_open / total)
        lines.append(f"**问题统计**：共 {total} 个问题，开放式 {n_open} 个（{share}%），封闭式 {total - n_open} 个。")
    return "\n".join(lines).rstrip() + "\n"


def _question_list(stage: str, name: str) -> Field:
    return Field(
        name,
        f"{stage} 阶段要问的问题",
        kind="list",
        item_fields=(Field("text", "问题", max_length=500, placeholder="用“什么、怎么、哪些”来提问"),),
        min_items=1,
        missing=Missing(f"{STAGE_LABELS[stage]}阶段还没有准备问题。", code="stage_no_questions",
                        suggestion=STAGE_HINTS[stage]),
        max_items=15,
        add_label="添加一个问题",
        help=STAGE_HINTS[stage] + " 每个问题都会被判断为开放式或封闭式。",
    )


DEFINITION = Worksheet(
    slug="grow",
    version=1,
    title="GROW 辅导面谈规划",
    description="按 G 目标、R 现状、O 方案、W 行动四步准备一次辅导面谈：检查目标是否 SMART、"
                "每个问题是开放式还是封闭式，并核对行动计划和跟进日期。",
    lecture="lectures/06-coaching.md",
    module="team",
    order=40,
    summary="各阶段的提问是否开放、方案是否不少于两个、行动计划与跟进日期是否落实",
    evaluate=evaluate,
    entry_label_field="agent_name",
    sections=(
        Section(
            "basic",
            "面谈信息",
            (
                Field("agent_name", "被辅导人", required=True, max_length=100,
                      missing=Missing("请写上被辅导的员工。", severity="warning", suggestion="例如：小孙（二组坐席）。"),
                      placeholder="例如：小孙（二组坐席）", help="这次面谈要辅导的员工。"),
                Field("coach_name", "辅导人", max_length=100, placeholder="例如：李敏（二组组长）"),
                Field("period", "绩效周期", max_length=100, placeholder="例如：2026 年 11 月"),
                Field("meeting_date", "面谈日期", kind="date"),
                Field("context", "面谈起因", kind="textarea", max_length=2000,
                      help="是什么让您决定找这位员工谈：数据、事件或员工自己提出的需求。"),
            ),
        ),
        Section(
            "goal",
            STAGE_LABELS["G"],
            (
                Field("goal_text", "辅导目标", kind="textarea", required=True, max_length=2000,
                      missing=Missing("还没有写辅导目标。", code="goal_missing",
                                      suggestion="写清这次辅导要改善什么、改善到多少、什么时候之前，"
                                                 "如“9 月 30 日前把 FCR 从 66% 提升到 70%”。"),
                      placeholder="例如：9 月 30 日前，把一次解决率（FCR）从 66% 提升到 70%。",
                      help="这次辅导希望员工达成的改进，按 SMART 写：什么指标、从多少到多少、什么时候之前。"
                           "最好由员工自己说出来。"),
                _question_list("G", "questions_g"),
            ),
            help="先和员工对齐：这次谈话、这段时间要达成什么。",
        ),
        Section(
            "reality",
            STAGE_LABELS["R"],
            (
                Field("reality_facts", "已知事实与数据", kind="textarea", max_length=4000,
                      help="面谈前准备好的数据和事实（不是评价），如近四周的 FCR、抽听录音的发现。"),
                _question_list("R", "questions_r"),
            ),
            help="请员工描述现状：发生了什么、试过什么、卡在哪里。把事实和感受分开。",
        ),
        Section(
            "options",
            STAGE_LABELS["O"],
            (
                Field(
                    "options",
                    "可选方案",
                    kind="list",
                    item_fields=(
                        Field("option", "方案", max_length=300, placeholder="例如：向组里 FCR 最高的同事跟听半天"),
                        Field("pros", "好处", max_length=300),
                        Field("cons", "顾虑或代价", max_length=300),
                    ),
                    min_items=2,
                    missing=Missing("只列了 {count} 个方案；O 阶段至少要有 {min} 个可选方案。", code="options_too_few",
                                    suggestion="先和员工一起把可能的做法都摆出来，再挑选，如“还有呢？”"),
                    max_items=10,
                    add_label="添加一个方案",
                    help="至少两个可选方案，最好由员工提出；先求多，再比较利弊。",
                ),
                _question_list("O", "questions_o"),
            ),
            help="拓宽思路再做选择；不要急着给答案。",
        ),
        Section(
            "will",
            STAGE_LABELS["W"],
            (
                _question_list("W", "questions_w"),
                Field(
                    "actions",
                    "行动计划",
                    kind="list",
                    item_fields=(
                        Field("action", "行动", max_length=300, placeholder="例如：每天下班前重听 2 通重复来电",
                              required=True,
                              missing=Missing("第 {row} 条行动没有写要做什么。", code="action_no_text",
                                              suggestion="写成一个看得见的动作，如“每天下班前重听 2 通重复来电”。")),
                        Field("owner", "负责人", max_length=100, required=True,
                              missing=Missing("第 {row} 条行动没有负责人。", code="action_no_owner",
                                              suggestion="写上由谁来做；辅导面谈里通常是员工本人。")),
                        Field("due", "完成日期", kind="date", required=True,
                              missing=Missing("第 {row} 条行动没有完成日期。", code="action_no_due",
                                              suggestion="约定一个具体日期，如“12月15日前”。")),
                        Field("support", "需要的支持", max_length=300),
                    ),
                    min_items=1,
                    missing=Missing("还没有行动计划。", code="actions_missing",
                                    suggestion="W 阶段至少约定一条行动：做什么、谁负责、哪天完成。"),
                    max_items=10,
                    add_label="添加一条行动",
                    help="每条行动都要有负责人和完成日期。",
                ),
                Field("follow_up_date", "跟进日期", kind="date", required=True,
                      missing=Missing("还没有约定跟进日期。", code="follow_up_missing",
                                      suggestion="在面谈结束前约好下一次检查进度的日子。"),
                      help="约好哪天一起检查进度；应在行动的完成日期之后（或约多次跟进）。"),
                Field("follow_up_way", "跟进方式", max_length=300,
                      placeholder="例如：12 月 22 日下午 15 分钟一对一，对照数据看进展"),
            ),
            help="让员工自己确定做什么、什么时候做，并约好跟进。",
        ),
    ),
    example={
        "agent_name": "小孙（二组坐席）",
        "coach_name": "李敏（二组组长）",
        "period": "2026 年 8 月",
        "meeting_date": "2026-08-24",
        "context": "小孙工龄 3 年，以物流类来电为主。8 月前三周她的一次解决率（FCR）从 83% 降到 76%，"
                   "重复来电 31 通，其中账单调整类 19 通。",
        "goal_text": "2026 年 9 月 4 日前，把小孙账单调整类的重复来电从每周约 6 通减到 3 通以内（减半）。",
        "questions_g": [
            {"text": "今天聊完，你希望带走什么？"},
            {"text": "到下周五，你希望账单类的重复来电降到多少？"},
            {"text": "做到之后，你接账单类来电时会有什么不同？"},
        ],
        "reality_facts": "8 月前三周 FCR 83% → 76%；重复来电 31 通，其中账单调整类 19 通（约每周 6 通）。"
                         "小赵抽听的 5 通录音里，有 4 通告诉客户“三天内处理完”；账单调整的时限上个月已改为五个工作日。",
        "questions_r": [
            {"text": "你一般怎么告诉客户处理时间？"},
            {"text": "你怎么看这三周重复来电的变化？"},
            {"text": "客户第二次打进来时，一般会说些什么？"},
        ],
        "options": [
            {"option": "从明天起按五个工作日告知账单调整时限", "pros": "马上能做，客户的预期和实际一致",
             "cons": "要先和账务组确认新时限"},
            {"option": "挂机前再和客户核对一次办理时间", "pros": "客户听得更明白",
             "cons": "每通多花十几秒"},
            {"option": "把时限改动做成卡片，在早会上分享给全组", "pros": "组里说错时限的不止她一个，可以一起纠正",
             "cons": "要花时间整理，并请账务组核对"},
        ],
        "questions_o": [
            {"text": "还有哪些办法可以试一试？"},
            {"text": "你觉得可以怎么改，让客户不用再打第二次？"},
            {"text": "这几个办法各自的好处和代价是什么？"},
        ],
        "questions_w": [
            {"text": "你打算先做哪一件？哪天完成？"},
            {"text": "可能会遇到什么障碍？你打算如何应对？"},
            {"text": "你需要我提供哪些支持？"},
        ],
        "actions": [
            {"action": "按五个工作日告知账单调整时限，挂机前再核对一次办理时间", "owner": "小孙", "due": "2026-08-25",
             "support": ""},
            {"action": "做好账单调整时限卡片", "owner": "小孙", "due": "2026-08-28",
             "support": "李敏约账务组同事核对时限"},
            {"action": "在早会上分享时限卡片", "owner": "小孙", "due": "2026-08-31",
             "support": "李敏在早会留出 5 分钟"},
        ],
        "follow_up_date": "2026-09-04",
        "follow_up_way": "一对一 15 分钟，对照 8 月 25 日以来小孙的账单调整类重复来电",
    },
)
