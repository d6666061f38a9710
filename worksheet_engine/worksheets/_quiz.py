"""A knowledge check built from items of the bank: its form definition and its evaluator.

One field per question, named by the item's key: ``choice`` (radio group, one answer)
or ``multichoice`` (checkboxes). Each answered question gets a verdict, the correct
answer, the explanation and a link to the section that teaches it; unanswered ones
are shown as such (their answer is not given away).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..checks.scoring import QuizItem, grade
from ..markdown import md_escape, md_table
from ..model import Context, Field, Section, Worksheet
from ._shared import issue

_VERDICT = {"correct": "正确", "partial": "部分正确", "wrong": "错误", "unanswered": "未作答"}


def fields(items: Sequence[QuizItem]) -> tuple[Field, ...]:
    out = []
    for n, item in enumerate(items, 1):
        tag = "（多选）" if item.kind == "multichoice" and "多选" not in item.stem else ""
        out.append(Field(item.key, f"{n}. {item.stem}{tag}", kind=item.kind, options=item.options))
    return tuple(out)


def make_evaluator(items: Sequence[QuizItem], title: str, reveal: bool = True):  # noqa: ANN201 - an Evaluator
    """``reveal`` False (the pre/post test, a measurement): each answer is marked right or
    wrong with the section to review, but the correct option and the explanation are not
    shown, so the post-test cannot be answered from the pre-test's feedback."""
    numbers = {i.key: n for n, i in enumerate(items, 1)}

    def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
        graded = [(i, grade(i, values.get(i.key))) for i in items]
        answered = [(i, g) for i, g in graded if g != "unanswered"]
        score = sum(1 for _, g in graded if g == "correct")
        total = len(items)
        if not answered:
            return {"ok": False, "headline": f"共 {total} 题，还没有作答。",
                    "issues": [issue("not_started", "还没有作答。", field=items[0].key, severity="info")],
                    "report_md": "",
                    "figures": [{"key": "score", "label": "得分", "value": f"0 / {total}", "hook": {"score": "0"}}],
                    "scoring": _scoring(graded, score, total)}
        checks = []
        for item, g in graded:
            if g == "unanswered":
                checks.append({"key": item.key, "label": f"第 {numbers[item.key]} 题", "met": None,
                               "reason": "还没有作答，答完后显示解析。", "suggestion": "",
                               "hook": {"question": item.key, "verdict": g}})
                continue
            right = "；".join(item.labels(item.answer))
            if reveal:
                reason = {"correct": "回答正确。", "partial": f"选对了一部分，还漏选了。正确答案：{right}。",
                          "wrong": f"正确答案：{right}。"}[g] + item.explanation
            else:
                reason = {"correct": "回答正确。", "partial": "选对了一部分，还有漏选。", "wrong": "回答错误。"}[g]
            checks.append({"key": item.key, "label": f"第 {numbers[item.key]} 题", "met": g == "correct",
                           "reason": reason,
                           "suggestion": "" if g == "correct" else f"回看讲义：{item.section}。",
                           "hook": {"question": item.key, "verdict": g}})
        links, seen = [], set()
        for item, g in answered:
            if g != "correct" and item.href not in seen:
                seen.add(item.href)
                links.append({"label": f"第 {numbers[item.key]} 题：{item.section}", "href": item.href})
        missing = [numbers[i.key] for i, g in graded if g == "unanswered"]
        issues = []
        if missing:
            issues.append(issue("unanswered", f"还有 {len(missing)} 题没有作答：第 "
                                + "、".join(str(n) for n in missing) + " 题。",
                                field=next(i.key for i, g in graded if g == "unanswered"), severity="info"))
        headline = f"答对 {score} / {total} 题" + (f"（还有 {len(missing)} 题未答）" if missing else "")
        if not missing:
            headline += "，全部正确！" if score == total else "，看看下面的解析和讲义链接。"
        figures = [{"key": "score", "label": "得分", "value": f"{score} / {total}", "hook": {"score": str(score)}},
                   {"key": "answered", "label": "已答", "value": f"{len(answered)} / {total}"}]
        return {"ok": True, "headline": headline, "issues": issues, "figures": figures, "checks": checks,
                "links": links, "report_md": _report(title, graded, numbers, score, total, reveal),
                "scoring": _scoring(graded, score, total)}

    return evaluate


def _scoring(graded: Sequence[tuple[QuizItem, str]], score: int, total: int) -> dict[str, Any]:
    """Machine-readable result for the trainer's class report."""
    return {"type": "quiz", "score": score, "max": total,
            "answered": sum(1 for _, g in graded if g != "unanswered"),
            "items": {i.key: g for i, g in graded}}


def _report(title: str, graded: Sequence[tuple[QuizItem, str]], numbers: Mapping[str, int], score: int,
            total: int, reveal: bool = True) -> str:
    head = [f"## {md_escape(title)}", "", f"**得分**：{score} / {total}", ""]
    if not reveal:
        rows = [[str(numbers[i.key]), i.stem, _VERDICT[g], i.section] for i, g in graded]
        return "\n".join(head + [md_table(["题号", "题目", "结果", "讲义"], rows)])
    rows = []
    for item, g in graded:
        shown = "" if g == "unanswered" else "；".join(item.labels(item.answer))
        rows.append([str(numbers[item.key]), item.stem, _VERDICT[g], shown,
                     "" if g == "unanswered" else item.explanation])
    return "\n".join(head + [md_table(["题号", "题目", "结果", "正确答案", "解析"], rows)])


def quiz_worksheet(*, slug: str, title: str, description: str, lecture: str, module: str, order: int,
                   summary: str, items: Sequence[QuizItem], listed: bool, help: str,
                   reveal: bool = True) -> Worksheet:
    return Worksheet(
        slug=slug, version=1, title=title, description=description, lecture=lecture, module=module,
        order=order, summary=summary, listed=listed, evaluate=make_evaluator(items, title, reveal),
        sections=(Section("questions", "题目", fields(items), help=help),),
        example=example(items),
    )


def example(items: Sequence[QuizItem]) -> dict[str, Any]:
    """A worked example: every question answered, alternately right and wrong (a multiple
    choice half right), so the result shows each kind of feedback."""
    out: dict[str, Any] = {}
    for n, item in enumerate(items):
        wrong = next(v for v, _ in item.options if v not in item.answer)
        if item.kind == "choice":
            out[item.key] = item.answer[0] if n % 2 == 0 else wrong
        else:
            out[item.key] = list(item.answer) if n % 2 == 0 else list(item.answer[:1])
    return out
