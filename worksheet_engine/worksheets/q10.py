"""Q10 复盘 worksheet (第四讲 业务复盘): ten questions over the six review steps.

The ten questions (the course's own set, see methods brief §3.3) map onto the six steps
回顾目标 → 叙述过程 → 评估结果 → 分析原因 → 推演规律 → 形成文档. The structured parts are
checked: the goal goes through the SMART checker, the result gap is computed (direction
aware: a lower AHT is better), every cause needs a 可控/半可控/不可控 tag, lessons must
read as reusable rules rather than a retelling of events, and every action needs an
owner, a due date and a measure. The report is the 复盘文档 including the
复盘思维梳理表.

The gap and the KPI direction come from :mod:`worksheet_engine.checks.gap`, the one rule
every worksheet uses: the 客服 KPI vocabulary (or the head word of a name it does not
list) decides; the manager's 指标方向 counts where it cannot (an unknown or balanced
metric); a choice that contradicts it is pointed out (``direction_conflict``).

Example::

    >>> kpi_direction("平均处理时长（AHT）")[0], kpi_direction("投诉处理及时率")[0]
    ('down', 'up')
    >>> from worksheet_engine.api import evaluate
    >>> evaluate("q10", {"q4_metric": "AHT", "q4_target": 300, "q4_actual": 320})["gap"]["met"]
    False
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Context, Field, Missing, Section, Worksheet
from ..markdown import md_escape, md_table
from ..checks.goal import CRITERION_LABELS as _SMART_LABELS
from ._shared import goal_checks
from ._shared import MET_TEXT as _MET_TEXT, SMART_MAX_CHARS as _SMART_MAX_CHARS
from ._shared import goal_criteria as _goal_criteria, issue as _issue, parse_date
from ._shared import rows_of as _rows, text_of as _text
from ._shared import short as _short, text_of as _cell
from ..checks.gap import DIRECTION_TEXT as _DIRECTION_TEXT, kpi_gap, metric_direction

# --- KPI direction -------------------------------------------------------------------

def kpi_direction(metric: str) -> tuple[str | None, str]:
    """Which way is better for a metric name: ``("up" | "down" | None, the metric found)``.

    :func:`worksheet_engine.checks.gap.metric_direction`; ``None`` with a name means the
    metric is known but has no better direction (占用率).
    """
    info = metric_direction(metric)
    return info["direction"], info["label"]


# --- small helpers ---------------------------------------------------------------------

def _number(values: Mapping[str, Any], name: str) -> float | None:
    value = values.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None






def _bigrams(text: str) -> frozenset[str]:
    chars = re.sub(r"[\W_]+", "", text[:500])
    return frozenset(chars[i: i + 2] for i in range(len(chars) - 1))


def _overlap(x: frozenset[str], y: frozenset[str]) -> float:
    """Share of the smaller text's character pairs that the other text also has."""
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


# --- the result gap --------------------------------------------------------------------

def compute_gap(metric: str, target: float, actual: float, unit: str = "",
                direction: str | None = None) -> dict[str, Any]:
    """Actual − target, judged by the metric's direction: :func:`checks.gap.kpi_gap`.

    ``unit`` blank: the vocabulary's (FCR: %). The result is kpi_gap's, plus ``abs`` (the
    difference, as Q10 results have always named it).
    """
    gap = kpi_gap(metric, target, actual, direction if direction in ("up", "down") else None, unit or None)
    gap["abs"] = gap["diff"]
    return gap


# --- lessons ---------------------------------------------------------------------------

_RULE = re.compile(
    r"应该|应当|(?<![主重首概纲摘想只还])要(?!求|点|素|闻|是)|需要|必须|务必|一律|先[^。；;]{1,40}再|凡是|一旦|"
    r"^[^，。,；;]{2,25}(?<!当)(时|的时候)[，,]|立即|马上|第一时间|"
    r"下次|下一次|今后|以后|往后|将来|每当|只要|如果|假如|假设|若(?!干)|当[^，。,；;]{1,20}(时|的时候)|"
    r"(遇到|碰到|出现)[^，。,；;]{1,20}(时|的时候|就)|不要|不能|别再|切勿|切忌|避免|宁可|与其|越[^，。,；;]{1,10}越|"
    r"关键(在于|是)|前提是|只有[^，。,；;]{1,20}才|才能|就能|原则|规律是|经验是|之前[^，。,；;]{0,10}(先|就)|"
    r"should|must|always|never|whenever|if\b|next time",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"先[^。；;]{1,40}再|凡是|一旦|每当|只要|如果|假如|若(?!干)|当[^，。,；;]{1,20}(时|的时候)|"
    r"^[^，。,；;]{2,25}(?<!当)(时|的时候)[，,]|"
    r"(遇到|碰到|出现)[^，。,；;]{1,20}(时|的时候|就)|只有|之前|之后|以前|[0-9]|一律|每(天|周|月|次|批)|if\b|when",
    re.IGNORECASE,
)
_VAGUE = re.compile(r"注意|加强|重视|关注|提高|提升|改进|做好|完善|优化|努力|用心|多沟通|充足|到位|及时|合理|充分")
_PAST = re.compile(
    r"了|(?<![超通不经越])过(?!程|于|去|多|少|高|低|长|短)|曾经|当时|那天|那次|这次|本次|上次|上周|上月|上个月|昨天|前天|去年|今年|本月|本周|上季度|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}\s*年|\d{1,2}\s*[日号]|(?<!每)周[一二三四五六日天]|星期[一二三四五六日天]|"
    r"结果|导致|造成|首日|当天"
)


def check_lesson(text: str, events: Sequence[str] = (), shortfall: str = "") -> dict[str, Any]:
    """Judge one lesson: is it a reusable rule, or a retelling of what happened?

    Args:
        text: the lesson.
        events: the process entries (Q3); a lesson that repeats one is a retelling.
        shortfall: the Q5 shortfall text; a lesson that only repeats it is too.

    Returns:
        ``{"rule_like", "restates_event", "vague", "reason"}``.
    """
    echoes = [_bigrams(e) for e in events if e] + ([_bigrams(shortfall)] if shortfall else [])
    return _judge_lesson(text, echoes)


def _judge_lesson(text: str, echoes: Sequence[frozenset[str]]) -> dict[str, Any]:
    t = text[:2000]
    rule = bool(_RULE.search(t))
    past = _PAST.search(t)
    mine = _bigrams(t)
    echo = any(_overlap(mine, e) >= 0.7 for e in echoes)
    condition = bool(_CONDITION.search(t))
    vague = rule and not condition and bool(_VAGUE.search(t))
    restates = (not rule and bool(past)) or (echo and not condition)
    if restates:
        reason = "只是复述了发生的事" + (f"（出现“{past.group(0)}”等叙事写法）" if past and not rule else "（与过程或不足几乎一样）")
    elif not rule:
        reason = "没有写成可复用的做法（缺少“下次……”“凡是……必须……”“当……时，先……再……”这类表述）"
    elif vague:
        reason = "方向对了，但只是口号，没有写清在什么条件下具体做什么"
    else:
        reason = "写成了可复用的规律"
    return {"rule_like": rule and not echo, "restates_event": restates, "vague": vague, "reason": reason}


# --- evaluate --------------------------------------------------------------------------

_TAGS = (("可控", "可控"), ("半可控", "半可控"), ("不可控", "不可控"))
_JUDGEMENT = re.compile(r"太差|太慢|太烂|失误|都怪|怪他|怪她|糟糕|愚蠢|不负责|敷衍|偷懒|无能|离谱|低级错误|拖后腿|掉链子")
_BLAME = re.compile(
    r"都怪|怪他|怪她|就是因为他|就是因为她|(他|她|某某|[\u4e00-\u9fff]{1,2}(?:同事|组长|主管))[^，。]{0,6}"
    r"(不负责|太懒|偷懒|态度差|能力差|能力不行|拖后腿|掉链子|不上心|不认真)"
)
_VAGUE_ACTION = re.compile(r"^(继续)?(加强|注意|关注|重视|持续|尽量|争取|做好|落实|完善|优化|提高|提升|改进|密切)")
# A goal is one sentence; the SMART checker's cost grows with the text, so it sees at most this much.
_CELL_LIMIT = 120



def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one Q10 review and write the 复盘文档. Never raises."""
    issues: list[dict[str, Any]] = []
    review_text = _text(values, "review_date")
    review = parse_date(review_text)

    # Step 1 回顾目标
    goal = _text(values, "q1_goal")
    criteria: dict[str, dict[str, Any]] = {}
    if goal:
        criteria = _goal_criteria(goal, ctx.today)
        if len(goal) > _SMART_MAX_CHARS:
            issues.append(_issue("goal_long", f"Q1 有 {len(goal)} 个字，只按前 {_SMART_MAX_CHARS} 个字做了 SMART 检查。",
                                 "q1_goal", "info", "目标写成一两句话即可，计划和假设写在 Q2。"))
        if criteria.get("measurable", {}).get("met") is False or criteria.get("specific", {}).get("met") is False:
            issues.append(_issue("goal_unclear", "当初的目标不够清楚，复盘就没有比较的尺子。", "q1_goal", "warning",
                                 "写出指标和目标值，如“20 秒服务水平不低于 80%（目标 80/20）”。"))
        if criteria.get("time_bound", {}).get("met") is False:
            issues.append(_issue("goal_no_deadline", "目标里没有期限。", "q1_goal", "info",
                                 "写上当时约定的时间范围，如“6 月 1 日至 20 日大促期间”。"))
    if not _text(values, "q2_plan"):
        issues.append(_issue("plan_missing", "Q2 还没写当时的计划和关键假设。", "q2_plan", "warning",
                             "很多差距恰恰来自一个没人检查过的假设，如“进线量与去年持平”。"))

    # Step 2 叙述过程
    events = [(i, _cell(r, "when"), _cell(r, "event")) for i, r in enumerate(_rows(values, "q3_events"))]
    if not events:
        issues.append(_issue("events_missing", "Q3 还没有按时间记下关键事件和决策。", "q3_events", "warning",
                             "每行写一个时间点和当时发生的事，只写事实。"))
    for i, when, event in events:
        if not event:
            issues.append(_issue("event_no_text", f"第 {i + 1} 个事件只有时间，没有内容。", f"q3_events.{i}.event",
                                 "warning"))
        elif not when:
            issues.append(_issue("event_no_time", f"事件“{_short(event)}”没有写时间。", f"q3_events.{i}.when",
                                 "info", "写上日期或时段，方便排出先后顺序。"))
        m = _JUDGEMENT.search(event)
        if m:
            issues.append(_issue("event_judgement", f"事件“{_short(event)}”里有评价性的词“{m.group(0)}”。",
                                 f"q3_events.{i}.event", "warning",
                                 "叙述过程只写事实（时间、数据、决定），评价留到分析原因时再做。"))

    # Step 3 评估结果
    metric = _text(values, "q4_metric")
    target, actual = _number(values, "q4_target"), _number(values, "q4_actual")
    unit = _text(values, "q4_unit")
    chosen = _text(values, "q4_direction")
    gap: dict[str, Any] | None = None
    if not metric:
        issues.append(_issue("metric_missing", "Q4 还没写用哪个指标衡量结果。", "q4_metric", "warning",
                             "例如：20 秒服务水平、一次解决率（FCR）、平均处理时长（AHT）。"))
    # A number that was given but could not be read (or is out of range) is reported by
    # the model as invalid; it is not also "not filled in".
    judged = {i.field for i in ctx.issues}
    if target is None and "q4_target" not in judged:
        issues.append(_issue("target_missing", "Q4 还没填目标值。", "q4_target", "error", "填当初定下的数字。"))
    if actual is None and "q4_actual" not in judged:
        issues.append(_issue("actual_missing", "Q4 还没填实际值。", "q4_actual", "error",
                             "填实际达到的数字；没有数据就先去取数，不要凭感觉。"))
    if target is not None and actual is not None:
        gap = compute_gap(metric, target, actual, unit, chosen if chosen in ("up", "down") else None)
        if gap["conflict"]:
            issues.append(_issue("direction_conflict",
                                 f"“{gap['label']}”通常{_DIRECTION_TEXT[gap['direction']]}，与您选的方向相反，"
                                 f"已按{_DIRECTION_TEXT[gap['direction']]}计算。", "q4_direction", "info",
                                 "如果这个指标确实相反，请在指标名称里写清楚它衡量的是什么。"))
        elif gap["direction_source"] == "assumed":
            what = f"“{gap['label']}”过高过低都不好" if gap["label"] else "看不出这个指标是越高越好还是越低越好"
            issues.append(_issue("direction_unknown", f"{what}，暂按越高越好计算。",
                                 "q4_direction", "info", "在“指标方向”里选一下。"))
    if not _text(values, "q5_good"):
        issues.append(_issue("highlight_missing", "Q5 还没写亮点。", "q5_good", "warning",
                             "没达成也有做得好的地方；亮点同样要分析原因、提炼成规律。"))
    if not _text(values, "q5_bad"):
        issues.append(_issue("shortfall_missing", "Q5 还没写不足。", "q5_bad", "warning",
                             "复盘不能只报喜不报忧；达成了目标也要找出下次能做得更好的地方。"))

    # Step 4 分析原因
    causes = []
    for i, row in enumerate(_rows(values, "q6_causes")):
        cause, tag = _cell(row, "cause"), _cell(row, "control")
        # An empty or invalid cell is reported by the model (required cells, select options).
        m = _BLAME.search(cause)
        if m:
            issues.append(_issue("cause_blames_person", f"原因“{_short(cause)}”在指责人（“{m.group(0)}”）。",
                                 f"q6_causes.{i}.cause", "warning",
                                 "对事不对人：写清是哪个环节、哪项安排出了问题，如“交接没有清单”。"))
        causes.append({"cause": cause, "control": tag})
    tagged = [c for c in causes if c["control"]]
    if tagged and all(c["control"] == "不可控" for c in tagged):
        issues.append(_issue("causes_all_external", "所有原因都标成了“不可控”，复盘就带不来任何改变。", "q6_causes",
                             "warning", "再追问一层：面对这些外部变化，我们自己哪一步可以做得不同？"))
    elif tagged and not any(c["control"] == "可控" for c in tagged):
        issues.append(_issue("no_controllable_cause", "还没有一条“可控”的原因。", "q6_causes", "info",
                             "至少找出一条团队自己能改的原因。"))
    if not _text(values, "q7_factors"):
        issues.append(_issue("factors_missing", "Q7 还没写关键因素。", "q7_factors", "info",
                             "分清是能力、方法还是运气；靠运气的成功不能当作经验。"))

    # Step 5 推演规律
    if not _text(values, "q8_redo"):
        issues.append(_issue("redo_missing", "Q8 还没写“如果重来一次会怎么做”。", "q8_redo", "info"))
    shortfall = _text(values, "q5_bad")
    echoes = [_bigrams(e) for _, _, e in events if e] + ([_bigrams(shortfall)] if shortfall else [])
    lessons = []
    for i, row in enumerate(_rows(values, "q9_lessons")):
        text = _cell(row, "lesson")
        if not text:
            continue
        verdict = _judge_lesson(text, echoes)
        lessons.append({"text": text, **verdict})
        path = f"q9_lessons.{i}.lesson"
        if verdict["restates_event"]:
            issues.append(_issue("lesson_restates_event", f"“{_short(text)}”{verdict['reason']}，还不是规律。", path,
                                 "warning", "改写成“下次遇到……时，先……再……”或“凡是……，必须……”。"))
        elif not verdict["rule_like"]:
            issues.append(_issue("lesson_not_rule", f"“{_short(text)}”{verdict['reason']}。", path, "warning",
                                 "改写成“当……时，就……”，让别的班组也能照着做。"))
        elif verdict["vague"]:
            issues.append(_issue("lesson_vague", f"“{_short(text)}”{verdict['reason']}。", path, "info",
                                 "补上条件和具体做法，如“预计进线高于平时 30% 时，用餐分三批错峰”。"))

    # Step 6 形成文档
    actions = []
    for i, row in enumerate(_rows(values, "q10_actions")):
        action, owner, due_text, measure = (_cell(row, k) for k in ("action", "owner", "due", "measure"))
        support = _cell(row, "support")
        label = f"第 {i + 1} 条行动" + (f"“{_short(action, 20)}”" if action else "")
        due = parse_date(due_text)
        if due and review and due < review:
            issues.append(_issue("action_before_review", f"{label}的完成日期早于复盘日期。", f"q10_actions.{i}.due",
                                 "warning", "行动是复盘之后才开始的，请检查日期。"))
        if action and _VAGUE_ACTION.match(action) and not re.search(r"\d", action + measure):
            issues.append(_issue("action_vague", f"{label}像一句口号。", f"q10_actions.{i}.action", "warning",
                                 "换成具体动作加数字标准，如“7 月 31 日前建立知识库紧急发布通道，规则变更后 4 小时内上线”。"))
        actions.append({"action": action, "owner": owner, "due": due.isoformat() if due else due_text,
                        "measure": measure, "support": support})

    errors = ctx.errors(issues)
    if gap:
        gap_line = f"{metric or '指标'}：{gap['text']}"
    else:
        gap_line = "还不能计算差距。"
    headline = (f"还有 {errors} 处需要补充。{gap_line}" if errors else f"复盘文档已生成。{gap_line}")
    return {
        "ok": errors == 0,
        "headline": headline,
        "issues": issues,
        "goal_criteria": criteria,
        "checks": goal_checks(criteria, "Q1 目标"),
        "gap": gap,
        "causes": causes,
        "lessons": lessons,
        "actions": actions,
        "report_md": _report(values, goal, criteria, gap, events, causes, lessons, actions),
    }


# --- the 复盘文档 -------------------------------------------------------------------------

def _answer(values: Mapping[str, Any], name: str) -> str:
    text = _text(values, name)
    return md_escape(text) if text else "（未填写）"


def _report(values: Mapping[str, Any], goal: str, criteria: Mapping[str, Mapping[str, Any]],
            gap: Mapping[str, Any] | None,
            events: list[tuple[int, str, str]], causes: list[dict[str, Any]], lessons: list[dict[str, Any]],
            actions: list[dict[str, Any]]) -> str:
    label = {f.name: f.label for f in DEFINITION.fields}
    title = _text(values, "title")
    lines = [f"## 复盘文档：{md_escape(title)}" if title else "## 复盘文档", ""]
    info = [("复盘周期", _text(values, "period")), ("复盘日期", _text(values, "review_date")),
            ("参与人", _text(values, "participants"))]
    lines += [f"- **{k}**：{md_escape(v)}" for k, v in info if v]
    if any(v for _, v in info):
        lines.append("")

    lines += ["### 一、回顾目标", "", f"**{label['q1_goal']}**", "", _answer(values, "q1_goal"), ""]
    if criteria:
        verdicts = " · ".join(f"{_SMART_LABELS.get(k, k)} {_MET_TEXT[v['met']]}" for k, v in criteria.items())
        lines += [f"SMART 检查：{md_escape(verdicts)}", ""]
    lines += [f"**{label['q2_plan']}**", "", _answer(values, "q2_plan"), ""]

    lines += ["### 二、叙述过程", "", f"**{label['q3_events']}**", ""]
    if events:
        lines.append(md_table(["时间", "事件 / 决策"], [[w, e] for _, w, e in events]))
    else:
        lines.append("（未填写）")
    lines.append("")

    lines += ["### 三、评估结果", "", f"**{label['q4_metric']}**", ""]
    metric = _text(values, "q4_metric")
    if gap:
        lines.append(md_table(["指标", "方向", "目标值", "实际值", "差距", "结论"], [[
            metric or "—", _DIRECTION_TEXT[gap["direction"]], gap["target_text"], gap["actual_text"],
            gap["gap_text"], "达成" if gap["met"] else "未达成",
        ]]))
    else:
        lines.append("（目标值或实际值未填写，无法计算差距。）")
    note = _text(values, "q4_note")
    if note:
        lines += ["", md_escape(note)]
    lines += ["", f"**{label['q5_good']}**", "", _answer(values, "q5_good"), "",
              f"**{label['q5_bad']}**", "", _answer(values, "q5_bad"), ""]

    lines += ["### 四、分析原因", "", f"**{label['q6_causes']}**", ""]
    if causes:
        lines.append(md_table(["原因", "可控程度"], [[c["cause"], c["control"] or "未标注"] for c in causes]))
    else:
        lines.append("（未填写）")
    lines += ["", f"**{label['q7_factors']}**", "", _answer(values, "q7_factors"), ""]

    lines += ["### 五、推演规律", "", f"**{label['q8_redo']}**", "", _answer(values, "q8_redo"), "",
              f"**{label['q9_lessons']}**", ""]
    if lessons:
        for n, lesson in enumerate(lessons, 1):
            mark = "" if lesson["rule_like"] and not lesson["vague"] else "（待改写）"
            lines.append(f"{n}. {md_escape(lesson['text'])}{mark}")
    else:
        lines.append("（未填写）")
    lines.append("")

    lines += ["### 六、形成文档：行动清单", "", f"**{label['q10_actions']}**", ""]
    if actions:
        lines.append(md_table(["行动", "责任人", "完成时间", "衡量标准", "需要的支持"],
                              [[a["action"], a["owner"], a["due"], a["measure"], a["support"]] for a in actions]))
    else:
        lines.append("（未填写）")
    lines.append("")

    lines += ["### 复盘思维梳理表", ""]

    def brief(text: str) -> str:
        # The one-row summary stays readable; the full text is in the sections above.
        return _short(text, _CELL_LIMIT)

    target_cell = (f"{metric} {gap['target_text']}" if metric else gap["target_text"]) if gap else _short(goal, 60)
    lines.append(md_table(
        ["目标（计划值）", "实际结果", "差距", "亮点", "不足", "原因（可控/半可控/不可控）", "规律/经验",
         "行动（责任人·完成时间·衡量标准）"],
        [[
            target_cell,
            gap["actual_text"] if gap else "",
            (gap["gap_text"] + ("，达成" if gap["met"] else "，未达成")) if gap else "",
            brief(_text(values, "q5_good")),
            brief(_text(values, "q5_bad")),
            "；".join(f"{brief(c['cause'].rstrip('。.；;'))}（{c['control'] or '未标注'}）" for c in causes if c["cause"]),
            "；".join(brief(lesson["text"].rstrip("。.；;")) for lesson in lessons),
            "；".join(f"{brief(a['action'])}（{a['owner'] or '?'}·{a['due'] or '?'}·{brief(a['measure']) or '?'}）"
                     for a in actions),
        ]],
    ))
    return "\n".join(lines).rstrip() + "\n"


# --- the form --------------------------------------------------------------------------

DEFINITION = Worksheet(
    slug="q10",
    version=1,
    title="Q10 复盘",
    description="用十个问题走完复盘六步：回顾目标、叙述过程、评估结果、分析原因、推演规律、形成文档。"
                "自动计算差距，检查原因标注、规律写法和行动清单，并生成复盘文档与复盘思维梳理表。",
    lecture="lectures/04-review.md",
    module="business",
    order=30,
    summary="目标与结果的差距、原因是否分了可控程度、经验是否只是复述、行动是否有人有期限有衡量",
    evaluate=evaluate,
    entry_label_field="title",
    sections=(
        Section(
            "basic",
            "复盘信息",
            (
                Field("title", "复盘主题", required=True, max_length=200,
                      missing=Missing("请写上复盘的主题。", severity="warning", suggestion="例如：618 大促二组服务水平复盘。"),
                      placeholder="例如：618 大促二组服务水平复盘"),
                Field("period", "复盘周期", max_length=100, placeholder="例如：2026 年 6 月 1 日—20 日"),
                Field("review_date", "复盘日期", kind="date"),
                Field("participants", "参与人", max_length=500, placeholder="例如：组长、两名骨干、质检员、排班主管"),
            ),
        ),
        Section(
            "step1",
            "第一步 回顾目标",
            (
                Field("q1_goal", "Q1 当初定的目标是什么？用什么衡量，截止到哪天？", kind="textarea", required=True,
                      missing=Missing("还没有写当初的目标（Q1）。", code="goal_missing",
                                      suggestion="把当时书面定下的目标原样写下来，包括指标、目标值和期限。"),
                      max_length=4000, placeholder="例如：6 月 1 日至 20 日大促期间，20 秒服务水平不低于 80%（目标 80/20）。",
                      help="照当初的书面记录写，不要用结果倒推目标。会用 SMART 检查是否清楚。"),
                Field("q2_plan", "Q2 当时是怎么计划的？依据了哪些关键假设？", kind="textarea", max_length=4000,
                      help="计划要点，以及当时认定的前提，如“进线量与去年同期持平”。"),
            ),
            help="目标是复盘的尺子。",
        ),
        Section(
            "step2",
            "第二步 叙述过程",
            (
                Field(
                    "q3_events",
                    "Q3 事情是怎样一步步发生的？按时间先后，有哪些关键事件和决定？",
                    kind="list",
                    item_fields=(
                        Field("when", "时间", max_length=50, placeholder="例如：6 月 1 日上午"),
                        Field("event", "事件 / 决策", max_length=500,
                              placeholder="只写事实：发生了什么、做了什么决定、当时掌握什么信息"),
                    ),
                    max_items=30,
                    add_label="添加一个事件",
                    help="只写事实，不做评价；评价留到分析原因。",
                ),
            ),
        ),
        Section(
            "step3",
            "第三步 评估结果",
            (
                Field("q4_metric", "Q4 结果与目标相比，差了多少（或超出多少）？——指标", max_length=100,
                      placeholder="例如：20 秒服务水平",
                      help="填一个最主要的指标；差距会自动计算。"),
                Field("q4_direction", "指标方向", kind="select",
                      options=(("up", "越高越好"), ("down", "越低越好")),
                      help="不选则按指标名称自动判断，如 AHT、放弃率越低越好。"),
                Field("q4_target", "目标值", kind="number", minimum=-1e12, maximum=1e12, placeholder="例如：80"),
                Field("q4_actual", "实际值", kind="number", minimum=-1e12, maximum=1e12, placeholder="例如：71"),
                Field("q4_unit", "单位", max_length=20, placeholder="例如：%、秒、分"),
                Field("q4_note", "结果说明", kind="textarea", max_length=2000,
                      help="其他指标的结果、走势（如“前期失守、后期恢复”）。"),
                Field("q5_good", "Q5 哪些地方做得好（亮点）？", kind="textarea", max_length=4000),
                Field("q5_bad", "Q5（续）哪些地方做得不够（不足）？", kind="textarea", max_length=4000),
            ),
            help="亮点和不足都要找，否则复盘会变成表扬会或检讨会。",
        ),
        Section(
            "step4",
            "第四步 分析原因",
            (
                Field(
                    "q6_causes",
                    "Q6 差距背后的根本原因有哪些？哪些是我们能控制的？",
                    kind="list",
                    item_fields=(
                        Field("cause", "原因", max_length=500, placeholder="对事不对人，追问到能采取行动为止",
                              required=True, missing=Missing("第 {row} 条原因没有内容。", code="cause_no_text")),
                        Field("control", "可控程度", kind="select", options=_TAGS, required=True,
                              missing=Missing("第 {row} 条原因还没标可控程度。", code="cause_untagged",
                                              suggestion="选可控、半可控或不可控：团队自己能改的是可控，"
                                                         "要别人配合的是半可控。")),
                    ),
                    min_items=1,
                    missing=Missing("Q6 还没有列出原因。", code="causes_missing",
                                    suggestion="对每个差距追问几个“为什么”，直到找到能采取行动的原因。"),
                    max_items=20,
                    add_label="添加一条原因",
                    help="每条原因都要标注：可控（团队自己能改）、半可控（需要别人配合）、不可控（只能应对）。",
                ),
                Field("q7_factors", "Q7 做成（或没做成）的关键因素是什么：能力、方法，还是运气？",
                      kind="textarea", max_length=4000),
            ),
        ),
        Section(
            "step5",
            "第五步 推演规律",
            (
                Field("q8_redo", "Q8 如果重来一次，我们会怎么做？", kind="textarea", max_length=4000),
                Field(
                    "q9_lessons",
                    "Q9 从这件事里能提炼出哪些下次还能用的规律？",
                    kind="list",
                    item_fields=(Field("lesson", "规律", max_length=500,
                                       placeholder="例如：凡是平台规则变更，生效前知识库必须同步上线"),),
                    min_items=1,
                    missing=Missing("Q9 还没有提炼出规律。", code="lessons_missing",
                                    suggestion="每条写成下次能直接照做的规则。"),
                    max_items=15,
                    add_label="添加一条规律",
                    help="写成“当……时，就……”“凡是……，必须……”，不要只是把发生的事再说一遍。",
                ),
            ),
        ),
        Section(
            "step6",
            "第六步 形成文档",
            (
                Field(
                    "q10_actions",
                    "Q10 接下来谁、在哪天之前、做什么？需要谁支持？",
                    kind="list",
                    item_fields=(
                        Field("action", "行动", max_length=300, required=True,
                              missing=Missing("第 {row} 条行动没有写要做什么。", code="action_no_text",
                                              suggestion="写成一个看得见的动作。")),
                        Field("owner", "责任人", max_length=100, required=True,
                              missing=Missing("第 {row} 条行动没有责任人。", code="action_no_owner",
                                              suggestion="写一个具体的人，不要写“全组”。")),
                        Field("due", "完成时间", kind="date", required=True,
                              missing=Missing("第 {row} 条行动没有完成日期。", code="action_no_due",
                                              suggestion="写一个具体日期。")),
                        Field("measure", "衡量标准", max_length=300, required=True,
                              placeholder="怎样算做到",
                              missing=Missing("第 {row} 条行动没有衡量标准。", code="action_no_measure",
                                              suggestion="写清怎样算完成，如“回测误差不超过 10%”。")),
                        Field("support", "需要的支持", max_length=300),
                    ),
                    min_items=1,
                    missing=Missing("Q10 还没有行动清单。", code="actions_missing",
                                    suggestion="至少一条：谁、哪天前、做什么、怎样算做到。"),
                    max_items=15,
                    add_label="添加一条行动",
                    help="每条行动都要有责任人、完成时间和衡量标准。",
                ),
            ),
        ),
    ),
    example={
        "title": "二组 618 大促（6 月 1 日—20 日）复盘",
        "period": "2026 年 6 月 1 日—20 日",
        "review_date": "2026-06-23",
        "participants": "组长李敏、骨干小陈和老张、质检专员小赵、排班主管王强",
        "q1_goal": "2026 年 6 月 1 日至 20 日大促期间，二组 20 秒服务水平不低于 80%（目标 80/20），"
                   "放弃率不高于 5%，排班遵从度不低于 92%。",
        "q2_plan": "5 月 20 日定下大促方案：按日均进线 4,200 通排班；知识库照常每周五统一更新。"
                   "关键假设：日均进线 4,200 通，与去年同期持平；平台规则在大促期间不变。",
        "q3_events": [
            {"when": "5月20日", "event": "按日均 4,200 通定下大促排班；当时只有去年同期数据"},
            {"when": "6月1日", "event": "首日进线 5,900 通，为预测的 1.4 倍；全天 20 秒服务水平 52%，上午最低的一小时 35%"},
            {"when": "6月3日", "event": "平台调整价保退款规则，通知当天上午才发到客服部"},
            {"when": "6月5日", "event": "知识库完成更新；此前两天相关来电 AHT 由 300 秒升到 410 秒"},
            {"when": "6月8日", "event": "物流自助查询上线（6 月 6 日由组长申请），分流约 12% 的来电"},
            {"when": "6月10日", "event": "午餐改为三批错峰，排班遵从度由 84% 回升至 91%"},
        ],
        "q4_metric": "20 秒服务水平",
        "q4_target": 80,
        "q4_actual": 71,
        "q4_unit": "%",
        "q4_note": "首日 52%，最后一周稳定在 78% 左右。放弃率 7.8%（目标不高于 5%），排班遵从度 87%（目标不低于 92%）；"
                   "CSAT 89.5%（目标不低于 88%），FCR 76%（目标不低于 75%）。",
        "q5_good": "高峰期统一使用“主动致歉 + 明确回电时间”话术，这类通话的满意度比平均高 4 个百分点，"
                   "CSAT 89.5%、FCR 76%，都高于目标；两名骨干主动承担回拨；后半程服务水平稳定在 78% 左右。",
        "q5_bad": "首日服务水平只有 52%；规则变更后两天知识库没更新，相关来电 AHT 明显上升；"
                  "9 人在 11:30—12:30 同时用餐，这一小时在线人数只有排班的 60%，遵从度 87%。",
        "q6_causes": [
            {"cause": "进线预测只用了去年同期数据，没有考虑今年新增的两个品类", "control": "半可控"},
            {"cause": "平台规则变更没有“变更前预告”机制，通知当天才到客服部", "control": "半可控"},
            {"cause": "知识库只能每周五统一发布，没有紧急通道", "control": "可控"},
            {"cause": "排班时没有考虑大促期间的用餐安排，9 人同时用餐", "control": "可控"},
            {"cause": "平台整体流量远超往年", "control": "不可控"},
        ],
        "q7_factors": "CSAT 达标靠的是统一的安抚话术和骨干回拨，属于方法和能力；"
                      "后半程服务水平回升主要靠错峰用餐和物流自助查询分流，不是运气。",
        "q8_redo": "5 月中旬就和排班部门一起按新品类调整预测，并提前和运营约定规则变更的预告时间；大促第一天起就错峰用餐。",
        "q9_lessons": [
            {"lesson": "凡是平台规则变更，变更生效前知识库条目和快捷话术必须同步上线。"},
            {"lesson": "当预计进线高于平时 30% 以上时，用餐一律分三批错峰，每批不超过在岗人数的三分之一。"},
            {"lesson": "排队超过 60 通时，先启动“主动致歉 + 明确回电时间”话术，再开放回拨。"},
        ],
        "q10_actions": [
            {"action": "与排班部门一起修订大促预测模型，加入新品类系数", "owner": "王强", "due": "2026-07-15",
             "measure": "用去年双十一数据回测，误差不超过 10%", "support": "李敏提供二组分品类的进线数据"},
            {"action": "建立知识库紧急发布通道", "owner": "小陈", "due": "2026-07-31",
             "measure": "规则变更后 4 小时内上线，下次变更时验证", "support": "运营部提前 24 小时预告规则变更"},
            {"action": "把“排队超过 60 通立即开放回拨”写入应急预案", "owner": "李敏", "due": "2026-08-31",
             "measure": "双十一期间放弃率不高于 6%", "support": "王强配置回拨触发条件"},
            {"action": "高峰期“主动致歉 + 明确回电时间”话术全员复训", "owner": "小赵", "due": "2026-10-31",
             "measure": "复训考核通过率 100%，高峰期 CSAT 不低于 88%", "support": ""},
            {"action": "把三批错峰用餐写进大促排班规则", "owner": "李敏", "due": "2026-10-31",
             "measure": "双十一期间排班遵从度不低于 92%", "support": "王强按三批错峰排班"},
        ],
    },
)
