"""倾听能力自测 (第五讲): 20 original statements on the five listening processes, scored here.

Each of the five processes of 第五讲 (接收、理解、记忆、评估、回应) has four statements,
two of them reverse-keyed (agreeing with them means poorer listening). A statement is
rated 1 从不 … 5 总是; reversed items score 6 − answer. Dimension 4–20, total 20–100.
A dimension at or below 12 (an average of 3, "有时") is weak and links to the lecture
section that teaches it; statements scoring 1–2 are listed as practice targets.

The items were written for this course (methods brief §9.1: structure only, no text
from published tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..checks.scoring import Band, LikertItem, band_for, bar_chart, lecture_href, score_likert, trend_chart
from ..markdown import md_escape, md_table
from ..model import Context, Field, Worksheet
from ._selftest import field_name, read_takes, take_sections, unanswered_issue
from ._shared import issue

LECTURE = "lectures/05-communication.md"
#: 1 从不 … 5 总是, left to right as on paper.
SCALE = (("1", "从不"), ("2", "很少"), ("3", "有时"), ("4", "经常"), ("5", "总是"))

#: dimension key -> (name, section anchor on the lecture page, section name, what to practise)
DIMENSIONS: dict[str, tuple[str, str, str, str]] = {
    "receive": ("接收（注意）", "1倾听的五个过程", "倾听的五个过程",
                "谈话前先“准备”：停下手头的操作，转身看着对方，告诉他“我现在有 15 分钟专门听你说”。"),
    "understand": ("理解", "43f-倾听法", "3F 倾听法",
                   "听到模糊的词先追问（“撑不住是指……？”），谈完用一句话复述要点，请对方确认。"),
    "remember": ("记忆", "4如何才能有效地倾听", "如何才能有效地倾听",
                 "一对一时记下关键事实和自己的承诺，下次见面先提起对方上次说的事。"),
    "evaluate": ("评估", "2无效倾听的五个类型", "无效倾听的五个类型",
                 "先听完再判断：把对方的话分成事实、推测和情绪三栏，对照数据后再下结论。"),
    "respond": ("回应", "4如何才能有效地倾听", "如何才能有效地倾听",
                "先回应感受，再谈办法；对方说完之前不给建议；结束前约定下一步并按时跟进。"),
}

#: The statements, in the order shown (the five processes interleaved).
ITEMS: tuple[LikertItem, ...] = (
    LikertItem("q01", "坐席来找我说事时，我会停下手头的操作，把视线从屏幕移到对方身上。", "receive"),
    LikertItem("q02", "对方讲完后，我会用自己的话复述要点，请对方确认我理解得对不对。", "understand"),
    LikertItem("q03", "一对一谈话时，我会记下对方提到的关键事实和我的承诺。", "remember"),
    LikertItem("q04", "听到和我观点不同的意见时，我会先听完再判断。", "evaluate"),
    LikertItem("q05", "对方还没说完，我就开始想怎么反驳或给建议。", "respond", reverse=True),
    LikertItem("q06", "对方说话时，我会同时查看消息或处理工单。", "receive", reverse=True),
    LikertItem("q07", "遇到没听懂的情况，我会直接追问，而不是假装明白。", "understand"),
    LikertItem("q08", "坐席常常需要把同一件事向我再讲一遍。", "remember", reverse=True),
    LikertItem("q09", "只要对方语气不好，我就很难再认真听他讲的内容。", "evaluate", reverse=True),
    LikertItem("q10", "对方情绪激动时，我会先回应他的感受，再讨论解决办法。", "respond"),
    LikertItem("q11", "在嘈杂的现场，我会主动换到安静的地方再继续谈。", "receive"),
    LikertItem("q12", "对方话说到一半，我就认定自己已经知道他想说什么了。", "understand", reverse=True),
    LikertItem("q13", "下次见面时，我能主动提起对方上次说过的担心或请求。", "remember"),
    LikertItem("q14", "我会区分对方说的哪些是事实，哪些是推测或情绪。", "evaluate"),
    LikertItem("q15", "为了让谈话更快进入正题，我常常打断对方。", "respond", reverse=True),
    LikertItem("q16", "谈话时间一长，我的心思就会飘到别的事情上。", "receive", reverse=True),
    LikertItem("q17", "对方用了含糊的说法（比如“撑不住了”），我会按自己的理解往下接，不去确认。", "understand",
               reverse=True),
    LikertItem("q18", "一对一谈完后，我常常记不清自己答应过对方什么。", "remember", reverse=True),
    LikertItem("q19", "对一直表现不好的坐席，他还没说完，我心里就已经有了结论。", "evaluate", reverse=True),
    LikertItem("q20", "谈话结束前，我会和对方约定下一步，并按时跟进。", "respond"),
)
KEYS = tuple(i.key for i in ITEMS)
NUMBERS = {k: n for n, k in enumerate(KEYS, 1)}
#: A dimension at or below this (of 20) is a weak point.
WEAK_AT = 12

BANDS = (
    Band(85, 100, "strength", "优势",
         "倾听是你的优势。继续保持，并可以在团队里示范和带教，例如在新组长的一对一中做观察员。"),
    Band(70, 84, "solid", "良好",
         "倾听基础良好，但在忙碌或压力大时容易走样。重点练习得分最低的维度。"),
    Band(55, 69, "gaps", "有短板",
         "倾听习惯有明显短板，坐席可能觉得“跟你说话要抢时间”。从“准备”和“不打断”两个动作开始刻意练习。"),
    Band(20, 54, "priority", "优先提升",
         "倾听是你当前最需要补的一课。请一位信任的同事在接下来两周观察你的一对一谈话，并给你反馈。"),
)


def _fields(take: int) -> tuple[Field, ...]:
    return tuple(Field(field_name(take, item.key), f"{NUMBERS[item.key]}. {item.text}", kind="choice",
                       options=SCALE) for item in ITEMS)


def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Score every take; the newest complete take is the result, earlier ones the trend."""
    takes, issues = read_takes(values, KEYS, ctx)
    if not takes:
        return {"ok": False, "headline": "还没有作答：请按最近一个月的真实情况，逐题选一项。",
                "issues": [issue("not_started", "还没有作答。", field=field_name(1, KEYS[0]), severity="info")],
                "report_md": ""}
    scored = [(t, score_likert(ITEMS, t.answers)) for t in takes]
    newest, newest_score = scored[-1]
    if not newest_score.complete:
        issues.append(unanswered_issue(newest, newest_score.missing, NUMBERS))
    done = [(t, s) for t, s in scored if s.complete]
    if not done:
        n = len(KEYS) - len(newest_score.missing)
        return {"ok": False, "headline": f"已答 {n} / {len(KEYS)} 题，答完后显示得分。", "issues": issues,
                "report_md": "", "figures": [{"key": "answered", "label": "已答", "value": f"{n} / {len(KEYS)}"}]}
    take, score = done[-1]
    band = band_for(score.total, BANDS)
    dims = score.dimensions
    weak = [k for k in DIMENSIONS if dims[k].score <= WEAK_AT]
    lowest = min(DIMENSIONS, key=lambda k: (dims[k].score, list(DIMENSIONS).index(k)))
    focus = weak or [lowest]
    low_items = [i for i in ITEMS if score.points[i.key] <= 2]

    figures: list[dict[str, Any]] = [
        {"key": "total", "label": "总分", "value": f"{score.total} / {score.maximum}",
         "hook": {"score": str(score.total)}},
        {"key": "band", "label": "等级", "value": band.label, "hook": {"band": band.key}},
    ]
    previous = done[-2] if len(done) > 1 else None
    if previous:
        change = score.total - previous[1].total
        figures.append({"key": "change", "label": f"比上次（{previous[0].label}）", "value": f"{change:+d}",
                        "hook": {"change": str(change)}})
    figures += [{"key": f"dim-{k}", "label": DIMENSIONS[k][0], "value": f"{dims[k].score} / {dims[k].maximum}",
                 "hook": {"score": str(dims[k].score), "dimension": k}} for k in DIMENSIONS]
    checks = [{
        "key": k, "label": DIMENSIONS[k][0], "met": dims[k].score > WEAK_AT,
        "reason": (f"{dims[k].score} / {dims[k].maximum} 分" + ("，是你的薄弱环节。" if k in weak else
                                                               "，这一环比较稳。")),
        "suggestion": DIMENSIONS[k][3] if k in focus else "",
        "hook": {"dimension": k},
    } for k in DIMENSIONS]
    links, seen = [], set()
    for k in focus:
        href = lecture_href(LECTURE, DIMENSIONS[k][1])
        if href not in seen:
            seen.add(href)
            links.append({"label": f"{DIMENSIONS[k][0]}：第五讲“{DIMENSIONS[k][2]}”", "href": href})
    charts = [{"title": f"各维度得分（{take.label}）", "svg": bar_chart(
        f"倾听五个过程得分（{take.label}）",
        [(DIMENSIONS[k][0], dims[k].score, dims[k].maximum) for k in DIMENSIONS],
        threshold=WEAK_AT / 20, threshold_label=f"≤ {WEAK_AT} 分为薄弱环节",
        highlight=[k in weak for k in DIMENSIONS])}]
    if len(done) > 1:
        labels = [t.label for t, _ in done]
        series = [("总分 ÷ 5", [s.total / 5 for _, s in done])]
        series += [(DIMENSIONS[k][0], [s.dimensions[k].score for _, s in done]) for k in DIMENSIONS]
        charts.append({"title": "历次作答的变化", "svg": trend_chart(
            "历次作答的变化（每个维度 4–20 分，总分按 ÷ 5 显示）", labels, series, minimum=4, maximum=20)})

    weak_names = "、".join(DIMENSIONS[k][0] for k in weak)
    headline = f"总分 {score.total} 分（{band.label}）" + (f"；薄弱环节：{weak_names}" if weak else "；没有明显的薄弱环节")
    report = _report(take, score, band, weak, low_items, done)
    return {
        "ok": True, "headline": headline, "issues": issues, "figures": figures, "checks": checks,
        "charts": charts, "links": links, "report_md": report,
        "scoring": {"type": "likert", "total": score.total, "max": score.maximum, "band": band.key,
                    "dimensions": {k: dims[k].score for k in DIMENSIONS}, "takes": len(done),
                    "date": take.date.isoformat() if take.date else ""},
    }


def _report(take: Any, score: Any, band: Band, weak: list[str], low_items: list[LikertItem],
            done: list[tuple[Any, Any]]) -> str:
    dims = score.dimensions
    lines = ["## 倾听能力自测", "", f"**作答**：{md_escape(take.label)}（第 {take.number} 次）", "",
             f"**总分**：{score.total} / {score.maximum}（{band.label}）。{md_escape(band.text)}", ""]
    lines.append(md_table(["维度", "得分", "结论"], [
        [DIMENSIONS[k][0], f"{dims[k].score} / {dims[k].maximum}",
         "薄弱环节：" + DIMENSIONS[k][3] if k in weak else "比较稳"] for k in DIMENSIONS]))
    if low_items:
        lines += ["", "### 值得单独练习的题目（得分 1–2）", ""]
        lines += [f"- 第 {NUMBERS[i.key]} 题：{md_escape(i.text)}" + ("（反向题）" if i.reverse else "")
                  for i in low_items]
    if len(done) > 1:
        lines += ["", "### 历次作答", "", md_table(["日期", "总分", *(DIMENSIONS[k][0] for k in DIMENSIONS)], [
            [t.label, str(s.total), *(str(s.dimensions[k].score) for k in DIMENSIONS)] for t, s in done])]
    lines += ["", "计分：正向题得分 = 所选分数；反向题（第 "
              + "、".join(str(NUMBERS[i.key]) for i in ITEMS if i.reverse)
              + " 题）得分 = 6 − 所选分数。每个维度 4 题，4–20 分；总分 20–100 分。",
              "", "本自测为本课程原创，仅供自我觉察和课堂讨论，不能用于人员评价或选拔。"]
    return "\n".join(lines)


DEFINITION = Worksheet(
    slug="listening",
    version=1,
    title="倾听能力自测",
    description="20 道题，按倾听的五个过程（接收、理解、记忆、评估、回应）计分，指出薄弱环节，再测时显示变化。",
    lecture=LECTURE,
    module="team",
    order=60,
    summary="五个倾听过程的得分、等级和薄弱环节，附对应的讲义段落；再测看变化",
    evaluate=evaluate,
    sections=take_sections(_fields, "请按最近一个月的真实情况作答，而不是按“应该怎样”作答。"
                                    "每题选一项：从不、很少、有时、经常、总是。"),
    example={
        "t1_date": "2026-11-02",
        **{field_name(1, k): v for k, v in zip(KEYS, "43344324342423432343")},
        "t2_date": "2026-11-23",
        **{field_name(2, k): v for k, v in zip(KEYS, "54444244252334443243")},
    },
)
