"""BIA/BID 反馈练习 worksheet (第五讲 管理沟通: 二级反馈、BIA、BID): definition and evaluator.

The manager writes one piece of feedback in three boxes — B 场合与行为, I 影响 and A 欣赏与感谢
(BIA) or D 期望 (BID) — and may add a closing open question and, for the 一级 → 二级 drill,
the bare verdict they would have said before (``first_draft``). Each box is judged by
:func:`worksheet_engine.checks.feedback.check_feedback`; the question goes through the
open/closed classifier.

The result uses the generic keys: ``checks`` (one per box, hook ``{"part": box}``),
``figures`` (the level, hook ``{"level": "0|1|2"}``), ``rewrite`` (a 二级 version assembled
from the boxes and the hints), ``links`` and ``drill`` (the steps from 一级 to 二级).

Example::

    >>> from worksheet_engine.api import evaluate
    >>> r = evaluate("feedback", {"kind": "BID", "behaviour": "你总是迟到", "closing": "下次注意"})
    >>> [c["hook"]["part"] for c in r["checks"]], r["figures"][0]["hook"]
    (['behaviour', 'impact', 'closing'], {'level': '1'})
    >>> sorted({i["code"] for i in r["issues"] if i["field"] == "behaviour"})
    ['absolute_word', 'part_not_met']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..checks.feedback import PART_LABELS, PARTS, check_feedback
from ..checks.questions import classify_question
from ..markdown import md_escape, md_table
from ..model import Context, Field, Missing, Section, Worksheet
from ._shared import issue as _issue, short as _short, text_of as _text

_LEVEL_NAMES = {0: "零级", 1: "一级", 2: "二级"}
_KIND_NAMES = {"BIA": "BIA 正向反馈", "BID": "BID 建设反馈"}
#: Warning code (checker) -> issue code (worksheet) and severity.
_WARNING_ISSUES = {
    "absolute": ("absolute_word", "warning"),
    "judgement": ("judgement_word", "warning"),
    "label": ("label_word", "info"),
    "but_sandwich": ("but_sandwich", "warning"),
    "hyperbole": ("hyperbole", "info"),
    "backhanded": ("backhanded_thanks", "warning"),
    "threat": ("threat", "warning"),
    "negative_phrasing": ("negative_phrasing", "info"),
}
_PLACEHOLDER_HINTS = {
    "BIA": {"behaviour": "哪一次、做了什么", "impact": "对客户、团队或指标的结果", "closing": "对这次做法的欣赏和感谢"},
    "BID": {"behaviour": "哪一次、做了什么（只写事实）", "impact": "实际带来的结果，最好有数字",
            "closing": "下次遇到什么情况、具体怎么做"},
}


def _kind(values: Mapping[str, Any]) -> str:
    kind = _text(values, "kind").upper()
    return kind if kind in PART_LABELS else ""


def _rewrite(kind: str, values: Mapping[str, Any], parts: Mapping[str, Mapping[str, Any]],
             question: str, question_open: bool) -> str:
    """A 二级 version: the boxes that pass as written, the others as bracketed hints."""
    pieces: list[str] = []
    labels = PART_LABELS[kind]
    for part in PARTS:
        text = _text(values, part)
        if parts[part]["met"]:
            pieces.append(text)
        else:
            hint = parts[part]["suggestion"] or _PLACEHOLDER_HINTS[kind][part]
            was = f"原文“{_short(text, 40)}”→ " if text else ""
            pieces.append(f"【{labels[part]}：{was}{hint}】")
    if question and question_open:
        pieces.append(question)
    elif kind == "BID":
        pieces.append("【可选：用一个开放式问题收尾，如“你觉得这样做有什么困难？”】")
    return " ".join(p.strip() for p in pieces if p.strip())


def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one BIA or BID feedback. Never raises; see the module docstring."""
    issues: list[dict[str, Any]] = []
    chosen = _kind(values)
    kind = chosen or "BIA"
    result = check_feedback(kind, _text(values, "behaviour"), _text(values, "impact"), _text(values, "closing"))
    parts = result["parts"]
    labels = PART_LABELS[kind]
    level = result["level"]

    checks = [{"key": part, "label": labels[part], "met": parts[part]["met"], "reason": parts[part]["reason"],
               "suggestion": parts[part]["suggestion"], "hook": {"part": part}} for part in PARTS]
    for part in PARTS:
        if not parts[part]["met"]:
            issues.append(_issue("part_not_met", f"{labels[part]}：{parts[part]['reason']}", part, "warning",
                                 parts[part]["suggestion"]))
    for w in result["warnings"]:
        code, severity = _WARNING_ISSUES.get(w["code"], (w["code"], "info"))
        issues.append(_issue(code, f"{labels.get(w['box'], w['box'])}：{w['message']}", w["box"], severity,
                             w["suggestion"]))

    question = _text(values, "question")
    question_open = False
    verdict: dict[str, Any] = {}
    if question:
        verdict = classify_question(question)
        question_open = bool(verdict.get("open"))
        if not question_open:
            issues.append(_issue("closed_question", f"收尾问题“{_short(question, 30)}”是封闭式的：{verdict.get('reason', '')}",
                                 "question", "warning",
                                 f"可以改成：{verdict['suggestion']}" if verdict.get("suggestion")
                                 else "用“什么、怎么、哪些”来问，如“你觉得这样做有什么困难？”"))

    figures = [{"key": "level", "label": "反馈级别", "value": f"{_LEVEL_NAMES[level]}反馈",
                "hook": {"level": str(level)}}]
    draft = _text(values, "first_draft")
    draft_level: int | None = None
    draft_drill: list[str] = []
    if draft:
        draft_result = check_feedback(kind, draft, "", "")
        draft_level = draft_result["level"]
        draft_drill = [f"{labels[p]}：{draft_result['parts'][p]['reason']}" for p in PARTS
                       if not draft_result["parts"][p]["met"]]
        figures.append({"key": "first_draft_level", "label": "原稿级别", "value": f"{_LEVEL_NAMES[draft_level]}反馈",
                        "hook": {"draft-level": str(draft_level)}})
    drill = list(result["drill"])

    if not chosen:
        headline = "请先选择反馈类型：BIA（正向）或 BID（建设）；下面暂按 BIA 检查。"
    elif level == 2:
        headline = f"二级反馈：{kind} 三栏都达标。"
        if draft_level is not None and draft_level < 2:
            headline = f"从{_LEVEL_NAMES[draft_level]}改写成了二级反馈：{kind} 三栏都达标。"
    elif level == 0:
        headline = f"零级：还没有对工作的反馈。按 {kind} 的三栏写下场合与行为、影响和{labels['closing'][2:]}。"
    else:
        missing = "、".join(labels[p] for p in PARTS if not parts[p]["met"])
        headline = f"一级反馈：还差 {missing}。"
    anchor = "bia" if kind == "BIA" else "bid"
    return {
        "ok": level == 2,
        "headline": headline,
        "issues": issues,
        "kind": kind,
        "level": level,
        "parts": parts,
        "warnings": result["warnings"],
        "checks": checks,
        "figures": figures,
        "rewrite": _rewrite(kind, values, parts, question, question_open),
        "drill": drill,
        "draft_drill": draft_drill,
        "question": ({"text": question, "open": question_open, "reason": verdict.get("reason", ""),
                      "suggestion": verdict.get("suggestion") or ""} if question else None),
        "links": [{"label": f"第五讲 {kind}", "href": f"lectures/05-communication/#{anchor}"}],
        "report_md": _report(values, kind, level, parts, result["warnings"], question, question_open, drill,
                             draft, draft_level, draft_drill),
    }


def _report(values: Mapping[str, Any], kind: str, level: int, parts: Mapping[str, Mapping[str, Any]],
            warnings: list[dict[str, Any]], question: str, question_open: bool, drill: list[str],
            draft: str, draft_level: int | None, draft_drill: list[str]) -> str:
    labels = PART_LABELS[kind]
    lines = [f"## {_KIND_NAMES[kind]}", ""]
    agent = _text(values, "agent_name")
    if agent:
        lines += [f"- **反馈对象**：{md_escape(agent)}"]
    lines += [f"- **级别**：{_LEVEL_NAMES[level]}反馈", ""]
    lines.append(md_table(["栏目", "内容", "结论", "说明"], [
        [labels[p], _text(values, p) or "（未填写）", "达标" if parts[p]["met"] else "未达标",
         parts[p]["reason"] + (f" 建议：{parts[p]['suggestion']}" if not parts[p]["met"] and parts[p]["suggestion"] else "")]
        for p in PARTS
    ]))
    if question:
        lines += ["", f"**收尾问题**：{md_escape(question)}（{'开放式' if question_open else '封闭式'}）"]
    if warnings:
        lines += ["", "### 用词提示", ""]
        lines += [f"- {md_escape(labels.get(w['box'], w['box']))}第 {w['start'] + 1} 个字起“{md_escape(w['word'])}”："
                  f"{md_escape(w['message'])} {md_escape(w['suggestion'])}" for w in warnings]
    if draft:
        lines += ["", "### 一级 → 二级", "",
                  f"**原稿**（{_LEVEL_NAMES[draft_level or 0]}反馈）：{md_escape(draft)}"]
        if draft_drill:
            lines += ["", "原稿缺少的："]
            lines += [f"- {md_escape(step)}" for step in draft_drill]
        if level == 2:
            lines += ["", "上面的三栏已经补齐了这些内容。"]
    if drill:
        lines += ["", "### 要达到二级，还需要", ""]
        lines += [f"{n}. {md_escape(step)}" for n, step in enumerate(drill, 1)]
    if level == 2:
        text = " ".join(_text(values, p) for p in PARTS)
        if question and question_open:
            text += " " + question
        lines += ["", "### 完整反馈", "", md_escape(text)]
    return "\n".join(lines).rstrip() + "\n"


DEFINITION = Worksheet(
    slug="feedback",
    version=1,
    title="BIA/BID 反馈练习",
    description="把一次表扬或一次建设反馈写成三栏：场合与行为、影响、欣赏与感谢（BIA）或期望（BID）。"
                "逐栏检查是否具体，标出绝对化和评判的词，并判断是一级还是二级反馈。",
    lecture="lectures/05-communication.md",
    module="team",
    order=50,
    summary="行为是否有场合和动作、影响是否是事实、欣赏或期望是否具体，一级还是二级反馈",
    evaluate=evaluate,
    entry_label_field="agent_name",
    sections=(
        Section(
            "basic",
            "反馈类型",
            (
                Field("kind", "反馈类型", kind="select", required=True,
                      options=(("BIA", "BIA 正向反馈（行为—影响—欣赏与感谢）"), ("BID", "BID 建设反馈（行为—影响—期望）")),
                      missing=Missing("请选择反馈类型：BIA（正向）或 BID（建设）。"),
                      help="做得好的用 BIA，需要改进的用 BID；两种最好分开说。"),
                Field("agent_name", "反馈对象", max_length=100, placeholder="例如：小孙（二组坐席）"),
            ),
        ),
        Section(
            "boxes",
            "三栏反馈",
            (
                Field("behaviour", "B 场合与行为", kind="textarea", max_length=2000,
                      placeholder="例如：昨天下午 3 点那通退货电话，你先说了“您别急，我先帮您查一下”，2 分钟内查到了原因。",
                      help="哪一次（日期、时间、哪通电话或哪张工单），对方说了什么、做了什么。只写看得见的事实，"
                           "不用“总是”“从不”，也不用“态度差”“真棒”这样的标签。"),
                Field("impact", "I 影响", kind="textarea", max_length=2000,
                      placeholder="例如：客户情绪很快平复，挂机前说了谢谢，这通电话没有升级。",
                      help="这个行为对客户、同事或指标带来了什么实际结果；能用数字就用数字。"),
                Field("closing", "A 欣赏与感谢（BIA）／ D 期望（BID）", kind="textarea", max_length=2000,
                      placeholder="BIA 例如：谢谢你先稳住了客户，这个做法我很欣赏。BID 例如：下次遇到……时，请先……",
                      help="BIA：对这次做法的欣赏和感谢。BID：下次希望看到的具体做法，面向以后、说得出做什么。"),
                Field("question", "收尾的开放式问题（选填）", max_length=300,
                      placeholder="例如：你觉得这样做有什么困难？",
                      help="用一个开放式问题把话交给对方，如“你是怎么做到的？”“你怎么看？”"),
            ),
        ),
        Section(
            "drill",
            "一级 → 二级练习（选填）",
            (
                Field("first_draft", "原来会怎么说", kind="textarea", max_length=500,
                      placeholder="例如：昨天那通电话处理得不错！",
                      help="写下平时脱口而出的一句话（一级反馈），再对照上面的三栏，看改写后多了什么。"),
            ),
            optional=True,
            help="一级反馈只有结论；二级反馈说清做了什么、带来了什么、希望以后怎样。",
        ),
    ),
    example={
        "kind": "BIA",
        "agent_name": "小孙（二组坐席）",
        "behaviour": "小孙，8 月你的 FCR 是 83%，比 7 月高 7 个百分点。你把物流延误最常被问的 20 个问题做成了小抄，"
                     "每通电话挂机前还会多问一句“您还有别的需要确认的吗”。",
        "impact": "你的重复来电是全组最少的；全组 FCR 因此提高约 0.5 个百分点，离 78% 的目标又近了一步。"
                  "小刘也在用你的小抄。",
        "closing": "这种主动闭环的做法我很欣赏，谢谢你。",
        "question": "你是怎么想到做小抄的？",
        "first_draft": "小孙，8 月干得不错！",
    },
)
