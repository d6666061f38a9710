"""沟通冲突应对能力自测 (第五讲): 20 forced-choice pairs over five conflict modes, scored here.

The design follows the two-axis model (坚持自己的诉求 × 照顾对方的诉求) with five
modes. The items are original (methods brief §9.2: structure only). Balance:

* every one of the C(5, 2) = 10 mode pairs is asked twice, so each mode appears in
  8 pairs and scores 0–8 (20 points in all, 4 on average);
* in the second round the two modes swap sides, so each mode is option A four times
  and option B four times;
* both options of every pair are a reasonable thing for a 客服 manager to do, each with
  its own reason or cost written in; no option is a lapse (ignoring the problem,
  giving up a rule for no reason), so neither side is the "right answer". Tests check
  the balance and that options are of similar length and free of dismissive wording.

Reading: a mode scoring 6–8 is a habit (watch its cost), 0–2 one you seldom reach for
(practise the situations it fits); 灵活度 counts the modes in the middle range 3–5.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..checks.scoring import ForcedPair, bar_chart, lecture_href, score_pairs, trend_chart
from ..markdown import md_escape, md_table
from ..model import Context, Field, Worksheet
from ._selftest import field_name, read_takes, take_sections, unanswered_issue
from ._shared import issue

LECTURE = "lectures/05-communication.md"
ANCHOR = "conflict-test"

#: mode -> (name, 坚持自己, 照顾对方, fits, cost when overused)
MODES: dict[str, tuple[str, str, str, str, str]] = {
    "compete": ("竞争", "高", "低", "紧急情况，涉及合规、信息安全等原则问题，需要快速决断",
                "坐席不敢表达意见，关系紧张"),
    "collaborate": ("合作", "高", "高", "问题重要、双方的关切都必须满足，而且有时间深入讨论",
                    "小事也要开长会，决策变慢"),
    "compromise": ("妥协", "中", "中", "双方力量相当、需要尽快找到一个暂时可行的方案",
                   "凡事“各退一步”，原则被稀释"),
    "avoid": ("回避", "低", "低", "问题很小，或双方情绪太高需要先冷却，或不在自己职权内",
              "问题不断累积，最终集中爆发"),
    "accommodate": ("迁就", "低", "高", "对方更在意这件事，或自己确实有错，需要维护长期关系",
                    "失去威信，坐席认为“闹一闹就能改”"),
}
MODE_KEYS = tuple(MODES)
HIGH_AT, LOW_AT = 6, 2

_P = ForcedPair
PAIRS: tuple[ForcedPair, ...] = (
    # Round 1: each mode pair once.
    _P("p01", "两名坐席都想要下个月的同一个周末休息，而且各有理由。",
       "按排班规则里的先后顺序直接定下来，向两人说明规则，保证对谁都一样。", "compete",
       "约两人一起谈各自的难处，花点时间商量出一个两人都满意的安排。", "collaborate"),
    _P("p02", "质检员和我对一通录音的扣分尺度看法不同，这一通对组里的分数影响不大。",
       "提议这一通按两种看法的中间尺度处理，其余录音照常按标准执行。", "compromise",
       "这一通先接受结果，把尺度问题留到月度质检校准会上统一讨论。", "avoid"),
    _P("p03", "隔壁组长想借调我组一名骨干支援三天，两组下周都忙。",
       "和他一起对比两组的话务高峰，排出一个两组服务水平都能保住的借调时段。", "collaborate",
       "这次对方确实更急，我答应借人，组里的缺口由我自己想办法调开。", "accommodate"),
    _P("p04", "组会上，一位老员工对新流程表达强烈不满，情绪很激动。",
       "当场说明新流程是中心的统一要求，请他会后先按新流程执行，有意见走反馈渠道。", "compete",
       "先不在会上争论，让大家冷静下来，等他情绪平复后再找他单独谈。", "avoid"),
    _P("p05", "一名坐席希望把本月个人 FCR 目标从 78% 往下调。",
       "各让一步，把目标调到 76%，同时约定每周一起看一次进度。", "compromise",
       "她最近家里事多，压力确实大，这个月就按她提出的数字来。", "accommodate"),
    _P("p06", "技术部迟迟没有修复一个导致重复来电的查询故障。",
       "坚持要求本周内修复，并把每天多出的重复来电量报给双方上级。", "compete",
       "提议双方各退一步：我们先用临时话术应对，技术部两周内给出修复时间表。", "compromise"),
    _P("p07", "两名骨干对新话术的写法争执不下，离上线还有两周。",
       "请两人分别讲清各自的考虑，再一起改出一个兼顾两方优点的版本。", "collaborate",
       "先不急着裁决，让两人各用自己的版本试一周，等有了通话数据再定。", "avoid"),
    _P("p08", "上级临时要求本组周六加班支援，而坐席已经连续加班两周。",
       "向上级说明连续加班对质量的影响，明确本组最多出一半人，并坚持这个底线。", "compete",
       "上级这次压力很大，我先把安排接下来，回组里再和大家商量怎么排。", "accommodate"),
    _P("p09", "培训部希望新人提前一周上线，我担心服务质量会受影响。",
       "和培训部一起梳理新人最常出错的环节，设计一个边上线、边带教的方案。", "collaborate",
       "同意提前三天而不是一周上线，前三天只让新人接简单来电。", "compromise"),
    _P("p10", "一名坐席在工作群里对我的排班安排发了几句牢骚。",
       "不在群里回应，先观察几天，看这是一时的情绪还是真有问题。", "avoid",
       "私下问他想怎么调，只要不影响服务水平，就按他的意愿调整。", "accommodate"),
    # Round 2: each mode pair again, the two modes on swapped sides.
    _P("p11", "处理一起投诉时，我和投诉专员对要不要给客户补偿意见不一。",
       "和专员一起把客户诉求、补偿政策和以往案例摆出来，商量出双方都认可的处理办法。", "collaborate",
       "按我对补偿政策的理解给出明确决定，由我来承担这个决定的责任。", "compete"),
    _P("p12", "两个班组对共用培训室的时间安排有矛盾。",
       "培训室本来由行政统一安排，我把情况报给行政，请他们来定。", "avoid",
       "和另一位组长商量，两组每周各用一半时间，先这样执行一个月。", "compromise"),
    _P("p13", "一位资深员工想用一种和我不同的方式带新人。",
       "他经验丰富，也更在意这件事，这一期就按他的方式来带。", "accommodate",
       "和他一起对比两种带法的效果，综合出一套新的带教方法。", "collaborate"),
    _P("p14", "跨部门会议上，另一位主管的方案在我看来有漏洞，他很坚持。",
       "会上先不表态，等方案试行一段时间、有了数据以后再看要不要提。", "avoid",
       "会上直接指出漏洞，并坚持在方案里加上相应的补救措施。", "compete"),
    _P("p15", "一名坐席希望调开下周三的晚班，去参加孩子的家长会。",
       "按她的请求调班，顶班的人由我来协调。", "accommodate",
       "同意她那天提前两小时下班，另找一天把时间补回来。", "compromise"),
    _P("p16", "质检组把我组一通录音定为“严重差错”，我认为只是一般差错。",
       "提议按“一般差错”定性，同时把这通录音列入本组下月的复训案例。", "compromise",
       "拿出流程文件逐条说明依据，坚持按“一般差错”定性。", "compete"),
    _P("p17", "两名坐席之间有些小摩擦，目前还没有影响到工作。",
       "先不介入，给他们自己处理的空间，同时留意事情的发展。", "avoid",
       "分别和两人聊聊，再约三个人一起谈，商量以后怎么配合。", "collaborate"),
    _P("p18", "另一位组长想把本月的团队活动和他们组合并举办，我更想单独办。",
       "他很想合办，这件事对他更重要，就按他的计划一起办。", "accommodate",
       "说明本组已经有自己的安排，坚持这次单独举办。", "compete"),
    _P("p19", "一名坐席想参加一门外部课程，上课时间正好在话务高峰。",
       "同意她参加一半课次，其余课次看录播补上。", "compromise",
       "花时间和她、排班员一起重排那几周的班，让她完整上课，高峰也不缺人。", "collaborate"),
    _P("p20", "上级在周会上批评本组的数据，其中一项我认为统计口径有误。",
       "先接受批评，按上级的要求准备改进计划，口径问题以后再说。", "accommodate",
       "会上不争辩，等拿到完整数据、确认口径以后，再决定要不要提。", "avoid"),
)
KEYS = tuple(p.key for p in PAIRS)
NUMBERS = {k: n for n, k in enumerate(KEYS, 1)}
PER_MODE = 2 * len(PAIRS) // len(MODES)  # 8: the most a mode can score


def _fields(take: int) -> tuple[Field, ...]:
    return tuple(Field(field_name(take, p.key), f"{NUMBERS[p.key]}. {p.situation}", kind="choice",
                       options=(("a", f"A：{p.a}"), ("b", f"B：{p.b}"))) for p in PAIRS)


def _level(n: int) -> str:
    return "high" if n >= HIGH_AT else "low" if n <= LOW_AT else "mid"


def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Count each mode in every take; the newest complete take is the result."""
    takes, issues = read_takes(values, KEYS, ctx)
    if not takes:
        return {"ok": False, "headline": "还没有作答：每题选出更接近你平时真实做法的一项。",
                "issues": [issue("not_started", "还没有作答。", field=field_name(1, KEYS[0]), severity="info")],
                "report_md": ""}
    scored = [(t, score_pairs(PAIRS, MODE_KEYS, t.answers)) for t in takes]
    newest, newest_score = scored[-1]
    if not newest_score.complete:
        issues.append(unanswered_issue(newest, newest_score.missing, NUMBERS))
    done = [(t, s) for t, s in scored if s.complete]
    if not done:
        n = len(KEYS) - len(newest_score.missing)
        return {"ok": False, "headline": f"已答 {n} / {len(KEYS)} 题，答完后显示结果。", "issues": issues,
                "report_md": "", "figures": [{"key": "answered", "label": "已答", "value": f"{n} / {len(KEYS)}"}]}
    take, score = done[-1]
    counts = score.counts
    top = max(counts.values())
    habits = [m for m in MODE_KEYS if counts[m] >= HIGH_AT]
    rare = [m for m in MODE_KEYS if counts[m] <= LOW_AT]
    main = [m for m in MODE_KEYS if counts[m] == top]
    flexible = sum(1 for m in MODE_KEYS if _level(counts[m]) == "mid")

    figures: list[dict[str, Any]] = [
        {"key": "main", "label": "最常用的方式", "value": "、".join(MODES[m][0] for m in main),
         "hook": {"mode": main[0]}},
        {"key": "flexibility", "label": "灵活度（得分适中的方式）", "value": f"{flexible} / {len(MODES)}",
         "hook": {"score": str(flexible)}},
    ]
    figures += [{"key": f"mode-{m}", "label": MODES[m][0], "value": f"{counts[m]} / {PER_MODE}",
                 "hook": {"score": str(counts[m]), "mode": m, "level": _level(counts[m])}} for m in MODE_KEYS]
    checks = []
    for m in MODE_KEYS:
        name, _, _, fits, cost = MODES[m]
        level = _level(counts[m])
        reason = {"high": f"{counts[m]} 分：这是你的惯用方式。它适合：{fits}。",
                  "low": f"{counts[m]} 分：你很少用这种方式。它适合：{fits}。",
                  "mid": f"{counts[m]} 分：需要时你能用得出来。"}[level]
        suggestion = {"high": f"留意过度使用的代价：{cost}。遇到冲突先问一句：这次的情境真的适合{name}吗？",
                      "low": f"想一想最近一次适合{name}的情境：当时你用得出来吗？下次有意识地试一次。",
                      "mid": ""}[level]
        # A habit is not a failure (None: look at its cost); a mode seldom used is one to practise.
        met = {"mid": True, "low": False, "high": None}[level]
        checks.append({"key": m, "label": name, "met": met, "reason": reason, "suggestion": suggestion,
                       "hook": {"mode": m, "level": level}})
    links = [{"label": "第五讲：五种应对方式的适用情境和过度使用的代价", "href": lecture_href(LECTURE, ANCHOR)}]
    if "collaborate" in rare or "avoid" in habits:
        links.append({"label": "第五讲：3F 倾听法（合作从听清对方在意什么开始）",
                      "href": lecture_href(LECTURE, "43f-倾听法")})
    if "compete" in habits:
        links.append({"label": "第五讲：沟通的心理地位（坚持标准，也尊重对方）",
                      "href": lecture_href(LECTURE, "1沟通的心理地位")})

    charts = [{"title": f"五种应对方式的得分（{take.label}）", "svg": bar_chart(
        f"五种冲突应对方式（{take.label}，每种 0–{PER_MODE} 分）",
        [(MODES[m][0], counts[m], PER_MODE) for m in MODE_KEYS],
        threshold=HIGH_AT / PER_MODE, threshold_label=f"≥ {HIGH_AT} 分为惯用方式",
        highlight=[m in habits for m in MODE_KEYS])}]
    if len(done) > 1:
        charts.append({"title": "历次作答的变化", "svg": trend_chart(
            f"历次作答的变化（每种方式 0–{PER_MODE} 分）", [t.label for t, _ in done],
            [(MODES[m][0], [s.counts[m] for _, s in done]) for m in MODE_KEYS], minimum=0, maximum=PER_MODE)})

    names = "、".join(MODES[m][0] for m in main)
    headline = f"惯用方式：{names}（{top} 分）" if habits else f"最常用：{names}（{top} 分），没有特别依赖的方式"
    if rare:
        headline += "；较少使用：" + "、".join(MODES[m][0] for m in rare)
    return {
        "ok": True, "headline": headline, "issues": issues, "figures": figures, "checks": checks,
        "charts": charts, "links": links, "report_md": _report(take, counts, habits, rare, flexible, done),
        "scoring": {"type": "modes", "modes": dict(counts), "max": PER_MODE, "main": main,
                    "flexibility": flexible, "takes": len(done), "date": take.date.isoformat() if take.date else ""},
    }


def _report(take: Any, counts: dict[str, int], habits: list[str], rare: list[str], flexible: int,
            done: list[tuple[Any, Any]]) -> str:
    lines = ["## 沟通冲突应对能力自测", "", f"**作答**：{md_escape(take.label)}（第 {take.number} 次）", ""]
    lines.append(md_table(["方式", "得分", "坚持自己", "照顾对方", "适合的情境", "过度使用的代价"], [
        [MODES[m][0], f"{counts[m]} / {PER_MODE}", MODES[m][1], MODES[m][2], MODES[m][3], MODES[m][4]]
        for m in MODE_KEYS]))
    lines += ["", f"**灵活度**：{flexible} / {len(MODES)} 种方式得分适中（3–5 分）。"]
    if habits:
        lines.append("**惯用方式**（6–8 分）：" + "、".join(MODES[m][0] for m in habits) + "。留意它们的代价。")
    if rare:
        lines.append("**很少使用**（0–2 分）：" + "、".join(MODES[m][0] for m in rare)
                     + "。想一想在需要它的场合，你能不能用得出来。")
    if len(done) > 1:
        lines += ["", "### 历次作答", "", md_table(["日期", *(MODES[m][0] for m in MODE_KEYS)], [
            [t.label, *(str(s.counts[m]) for m in MODE_KEYS)] for t, s in done])]
    lines += ["", "五种方式没有好坏之分，关键是与情境是否匹配。本自测看的是你的惯用方式，"
                  "题目为本课程原创，不是任何商业测评工具，结果仅用于自我觉察和课堂讨论。"]
    return "\n".join(lines)


DEFINITION = Worksheet(
    slug="conflict",
    version=1,
    title="沟通冲突应对能力自测",
    description="20 道二选一的工作情境题，统计竞争、合作、妥协、回避、迁就五种应对方式的得分，再测时显示变化。",
    lecture=LECTURE,
    module="team",
    order=61,
    summary="五种冲突应对方式的得分、惯用与少用的方式及其适用情境；再测看变化",
    evaluate=evaluate,
    sections=take_sections(_fields, "每题给出一个工作情境和两种做法，两种都说得过去。请选出更接近你平时真实做法的一项；"
                                    "即使两项都不太像你，也请选相对更接近的那一项。"),
    example={
        "t1_date": "2026-11-02",
        **{field_name(1, k): v for k, v in zip(KEYS, "bbbbbbbbaaaaaabaaaaa")},
        "t2_date": "2026-11-23",
        **{field_name(2, k): v for k, v in zip(KEYS, "baabbbaaaabbabaaaabb")},
    },
)
