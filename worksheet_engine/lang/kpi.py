"""客服 KPI vocabulary for the goal checkers (methods brief §2.4).

Each :class:`Kpi` has a stable ``key``, a Chinese ``label``, the direction in which the
metric gets better (``"up"``, ``"down"`` or ``"balanced"``), its usual ``unit`` and a
``kind`` that decides which values are impossible (``percent``, ``duration``, ``score``,
``nps``, ``count``). :func:`find_metrics` finds them in *normalised* text (see
:mod:`worksheet_engine.textnorm`), Chinese and English synonyms alike.

The module also holds the word lists the SMART rules need: concrete deliverables and
observable behaviours (they make a goal specific), abstract objects (they do not), 客服
domain words (they make a goal relevant) and personal-life words (they do not).

Example::

    >>> [m.key for m in find_metrics("把AHT降到280秒，同时一次解决率不低于75%")]
    ['aht', 'fcr']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import SpanMask, compile_fast

_EN_L = r"(?<![A-Za-z])"
_EN_R = r"(?![A-Za-z])"


def en(pattern: str) -> str:
    """Wrap an English pattern in letter boundaries (``\\b`` fails next to Chinese)."""
    return f"{_EN_L}(?:{pattern}){_EN_R}"


@dataclass(frozen=True, slots=True)
class Kpi:
    """One 客服 metric."""

    key: str
    label: str
    direction: str  # "up" | "down" | "balanced"
    unit: str
    kind: str  # "percent" | "duration" | "score" | "nps" | "count"
    zh: tuple[str, ...]
    en: tuple[str, ...] = ()
    #: 100 % (for "up") or 0 (for "down") is practically impossible in a queueing operation.
    perfect_impossible: bool = False
    #: Synonyms that only count as this metric when a quantity sits in the same clause
    #: (服务水平 is also everyday speech for "how good the service is").
    weak: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "direction": self.direction, "unit": self.unit}


KPIS: tuple[Kpi, ...] = (
    Kpi("csat", "客户满意度（CSAT）", "up", "%", "percent",
        ("客户满意度", "顾客满意度", "用户满意度", "客户满意率", "满意度", "满意率", "满意分", "满意评分"),
        ("CSAT", r"customer satisfaction(?: score| rate)?", r"satisfaction(?: score| rate)?"),
        perfect_impossible=True),
    Kpi("positive", "好评率", "up", "%", "percent",
        ("五星好评率", "5星好评率", "好评率", "五星率", "5星率", "五星好评", "5星好评", "五星评价", "5星评价", "好评",
         r"5[- ]star(?: ratings?| reviews?)?"),
        (r"five[- ]star(?: ratings?| reviews?)?", r"positive (?:ratings?|reviews?|feedback)"),
        perfect_impossible=True),
    Kpi("negative", "差评率", "down", "%", "percent",
        ("差评率", "差评", "负面评价", "不满意率", "不满率", r"1[- ]star(?: ratings?| reviews?)?"),
        (r"negative (?:ratings?|reviews?|feedback)", r"bad (?:ratings?|reviews?)", r"one[- ]star(?: ratings?| reviews?)?",
         r"dissatisfaction(?: rate)?")),
    Kpi("nps", "净推荐值（NPS）", "up", "分", "nps",
        ("净推荐值", "客户推荐值", "推荐值", "推荐度"), ("NPS", r"net promoter score")),
    Kpi("fcr", "一次解决率（FCR）", "up", "%", "percent",
        ("一次解决率", "一次性解决率", "首次解决率", "首次联系解决率", "首次呼叫解决率", "一次问题解决率",
         "首呼解决率", "首问解决率", "首次来电解决率", "首解率", "一解率", "一次解决"),
        ("FCR", r"first[- ](?:contact|call) resolution(?: rate)?"), perfect_impossible=True),
    Kpi("aht", "平均处理时长（AHT）", "down", "秒", "duration",
        ("平均处理时长", "平均处理时间", "平均通话时长", "平均通话时间", "处理时长", "通话时长", "通话时间",
         "话后处理时长", "话后处理时间", "话后时长", "平均处理用时"),
        ("AHT", r"average handl(?:e|ing) time", r"handl(?:e|ing) time", r"talk time", "ACW",
         r"after[- ]call work"), perfect_impossible=True),
    Kpi("sl", "服务水平（SL）", "up", "%", "percent",
        (r"\d+秒内?(?:接通|应答|接起|接听)率",),
        (r"(?-i:SL)", r"service levels?"), perfect_impossible=True, weak=("服务水平", "服务水准")),
    Kpi("answer", "接通率", "up", "%", "percent",
        ("人工接通率", "呼入接通率", "接通率", "接起率", "接听率", "应答率", "接通量"),
        (r"answer(?:ed)? rate", r"pick[- ]up rate"), perfect_impossible=True),
    Kpi("missed", "漏接电话数", "down", "通", "count",
        ("漏接率", "漏接电话", "漏接", "未接来电", "未接电话"), (r"missed calls?",), perfect_impossible=True),
    Kpi("abandon", "放弃率", "down", "%", "percent",
        ("排队放弃率", "呼损率", "放弃率", "弃呼率", "早挂率", "挂断率", "放弃量", r"(?<=零)放弃", "呼损"),
        (r"abandon(?:ment|ed)?(?: call)? rate", r"abandoned calls?", "abandonment"), perfect_impossible=True),
    Kpi("asa", "平均应答速度（ASA）", "down", "秒", "duration",
        ("平均应答速度", "平均应答时间", "平均应答时长", "平均等待时长", "平均等待时间", "平均排队时长",
         "平均排队时间", "排队时长", "排队时间", "等待时长", "等待时间", "应答速度", "等待", "排队"),
        (r"(?-i:ASA)", r"average speed of answer", r"wait(?:ing)? times?", r"queue times?", r"hold times?",
         r"(?:calls? |customers? )?waits?(?: longer)?"),
        perfect_impossible=True),
    Kpi("frt", "首次响应时间（FRT）", "down", "秒", "duration",
        ("首次响应时长", "首次响应时间", "首响时长", "首响时间", "平均响应时长", "平均响应时间", "响应时长",
         "响应时间", "回复时长", "回复时间", "响应速度", "平均回复时长"),
        (r"(?-i:FRT)", r"first response times?", r"response times?", r"reply times?"), perfect_impossible=True),
    Kpi("resolution_time", "平均解决时长", "down", "小时", "duration",
        ("平均解决时长", "平均解决时间", "解决时长", "结案时长", "结案周期", "处理周期", "平均结案时长", "投诉处理时长",
         "投诉处理时间", "工单处理时长", "工单处理时间", "投诉解决时长", "工单解决时长"),
        (r"(?:average )?resolution times?", r"time to resolution", "MTTR"), perfect_impossible=True),
    Kpi("qa", "质检得分", "up", "分", "score",
        ("质检平均分", "质检得分", "质检分数", "质检成绩", "质检评分", "质检分", "质检合格率", "质检通过率",
         "质检达标率", "质检优秀率"),
        (r"QA scores?", r"quality scores?", r"quality assurance scores?"),
        weak=(en(r"(?-i:QA)(?! calibration| review| session| meeting| report| team| form| audit| check| standard)"),
              r"质检(?!标准|规则|员|组|专员|流程|制度|培训|宣导|会|反馈|抽检|抽听|团队|主管|工作|人员|表|覆盖)")),
    Kpi("complaint", "投诉率", "down", "%", "percent",
        ("有效投诉率", "投诉率", "投诉量", "投诉数量", "投诉数", "投诉件数", "投诉单量", "客诉率", "客诉量", "客诉",
         "升级投诉", "重复投诉", r"投诉(?![处电案话专类渠原分流技])"),
        (r"complaint rate", r"complaints?(?! handling| training| process| scripts?| cases? stud| role)")),
    Kpi("escalation", "升级率", "down", "%", "percent",
        ("升级率", "转接率", "转派率", "转人工率"), (r"escalation rate", r"escalations")),
    Kpi("attendance", "出勤率", "up", "%", "percent",
        ("出勤率", "满勤率", "满勤", "出勤"), (r"attendance(?: rate)?",)),
    Kpi("lateness", "迟到/缺勤次数", "down", "次", "count",
        ("迟到率", "迟到", "早退", "缺勤", "旷工", "准时到岗", "到岗", "打卡"), (r"late(?:ness| arrivals?)", r"absen(?:ce|teeism)s?", r"tardiness")),
    Kpi("adherence", "排班遵从度", "up", "%", "percent",
        ("排班遵从度", "排班遵从率", "排班符合率", "班表遵从率", "遵从度", "遵从率", "排班达成率"),
        (r"(?:schedule )?adherence",), perfect_impossible=True),
    Kpi("occupancy", "占用率", "balanced", "%", "percent",
        ("占用率", "座席利用率", "坐席利用率", "利用率", "忙碌率"), (r"occupancy(?: rate)?", r"utili[sz]ation(?: rate)?"),
        perfect_impossible=True),
    Kpi("repeat", "重复来电率", "down", "%", "percent",
        ("重复来电率", "重复来电", "重复进线率", "重复进线", "二次来电率", "二次来电", "重复咨询率", "重复咨询", "复呼率"),
        (r"repeat (?:call|contact)s?(?: rate)?",), perfect_impossible=True),
    Kpi("backlog", "积压工单", "down", "单", "count",
        ("积压工单", "工单积压", "积压量", "遗留工单", "未结工单", "积压"), (r"backlog(?:ged tickets)?",)),
    Kpi("overdue", "超时工单", "down", "单", "count",
        (r"超时未(?:回复|处理|结案|响应)的?(?:在线)?(?:工单|邮件|留言|消息)?", "超时工单", "超时率",
         r"未回复的?(?:在线)?(?:工单|邮件|留言|消息)", "逾期工单", "逾期率",
         r"超过(?<!\d)\d+(?:\.\d+)?(?:个)?(?:小时|天|个?工作日)(?:未处理|未回复|未结案?|未解决)?的?(?:在线)?(?:工单|投诉|邮件|留言)"),
        (r"overdue (?:tickets?|cases?|emails?)", r"(?:SLA )?breach(?:es|ed tickets)?")),
    Kpi("ontime", "按时结案率", "up", "%", "percent",
        ("按时结案率", "及时结案率", "结案率", "办结率", "及时率", "准时率", "按时完成率", "及时回复率", "回复率",
         "回访率", "SLA达成率", "SLA达标率", "问题解决率", "解决率", "及时响应率", "响应率", "响应及时率",
         "回复及时率"),
        (r"on[- ]time (?:rate|resolution)", r"(?:SLA )?compliance(?: rate)?", r"resolution rate")),
    Kpi("attrition", "人员流失率", "down", "%", "percent",
        ("人员流失率", "员工流失率", "坐席流失率", "流失率", "离职率", "人员流失", "员工流失", "离职人数"),
        (r"attrition(?: rate)?", r"(?:staff |employee )?turnover(?: rate)?")),
    Kpi("productivity", "人均处理量", "up", "单", "count",
        (r"人均(?:每天|每日|日|每小时)?(?:处理|接听|接待|完成|结案)(?:工单|电话|来电|会话|咨询)?(?:量|数)?",
         "人均日处理量", "人均处理量", "日均处理量", "人均接听量", "人均接待量", "日均接待量", "人均工单量",
         "工单处理量", "人均产能", "处理量", "接待量", "接听量", "产能"),
        (r"productivity", r"calls? per (?:hour|day|agent)", r"tickets? per (?:hour|day|agent)", r"throughput")),
    Kpi("conversion", "转化率", "up", "%", "percent",
        ("营销成功率", "转化率", "挽留率", "续费率", "成交率"),
        (r"conversion(?: rate)?", r"retention rate", r"upsell(?:ing)? rate")),
    Kpi("accuracy", "准确率", "up", "%", "percent",
        ("准确率", "正确率", "一次准确率"), (r"accuracy(?: rate)?",)),
    Kpi("error_rate", "差错率", "down", "%", "percent",
        ("差错率", "错误率", "错单率", "差错", "出错率", "失误率"), (r"error rate", r"errors")),
    Kpi("pass_rate", "考核通过率", "up", "%", "percent",
        ("上岗考核通过率", "考核通过率", "考试通过率", "通过率", "合格率", "达标率"), (r"pass rate",)),
    Kpi("volume", "来电量", "balanced", "通", "count",
        ("来电量", "进线量", "咨询量", "呼入量", "话务量", "工单量"), (r"call volume", r"contact volume")),
)

#: Fallback for a rate the table does not know (知识库命中率); its label is the user's word.
GENERIC_RATE = Kpi("rate", "比率指标", "balanced", "%", "percent", ())

KPI_BY_KEY: dict[str, Kpi] = {k.key: k for k in KPIS + (GENERIC_RATE,)}


_META = re.compile(r"[\\()\[\]?*+|^$.{}]")


def _size(pattern: str) -> int:
    return len(re.sub(r"\\.|[()?:*+\[\]^<=!]", "", pattern))


def _build_metric_matchers() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, tuple[str, bool]],
                                      list[tuple[re.Pattern[str], str, bool]]]:
    """One Chinese and one English alternation (no groups, so ``re`` can skip fast), plus a
    table that tells which metric a matched string belongs to."""
    zh: list[tuple[int, str, str, bool]] = []
    eng: list[tuple[int, str, str, bool]] = []
    for k in KPIS:
        for p in k.zh:
            zh.append((_size(p), p, k.key, False))
        for p in k.en:
            eng.append((_size(p), p, k.key, False))
        for p in k.weak:
            (eng if re.match(r"[A-Za-z(]", p) and not re.match(r"[\u4e00-\u9fff]", p) else zh).append(
                (_size(p), p, k.key, True))
    zh.sort(key=lambda e: -e[0])
    eng.sort(key=lambda e: -e[0])
    literal: dict[str, tuple[str, bool]] = {}
    patterns: list[tuple[re.Pattern[str], str, bool]] = []
    for _, p, key, weak in zh + eng:
        if _META.search(p) is None:
            literal.setdefault(p.lower(), (key, weak))
        else:
            patterns.append((re.compile(p, re.IGNORECASE), key, weak))
    digit_start = [e for e in zh if e[1][:1].isdigit() or e[1].startswith("\\d")]
    zh = [e for e in zh if e not in digit_start]
    zh_re = compile_fast("|".join(p for _, p, _, _ in zh), re.IGNORECASE)
    digit_re = compile_fast("(?<![\\d.])(?:" + "|".join(p for _, p, _, _ in digit_start) + ")", re.IGNORECASE)
    en_re = compile_fast(_EN_L + "(?:" + "|".join(p for _, p, _, _ in eng) + ")" + _EN_R, re.IGNORECASE)
    return zh_re, en_re, digit_re, literal, patterns


_ZH_METRIC_RE, _EN_METRIC_RE, _DIGIT_METRIC_RE, _METRIC_LITERAL, _METRIC_PATTERNS = _build_metric_matchers()


@dataclass(frozen=True, slots=True)
class MetricMention:
    """A metric named in the text at ``start:end`` (normalised coordinates)."""

    key: str
    start: int
    end: int
    weak: bool = False
    word: str = ""  # the user's own word, for generic rates

    @property
    def kpi(self) -> Kpi:
        return KPI_BY_KEY[self.key]

    @property
    def label(self) -> str:
        return self.word or self.kpi.label


def _classify(text: str, start: int, end: int) -> tuple[str, bool] | None:
    hit = _METRIC_LITERAL.get(text[start:end].lower())
    if hit is not None:
        return hit
    for rx, key, weak in _METRIC_PATTERNS:
        if rx.fullmatch(text, start, end):
            return key, weak
    return None


_GENERIC_RATE_RE = compile_fast(r"[\u4e00-\u9fff]{2,6}?(?:率|占比|比例)")
_NOT_A_METRIC = compile_fast(r"效率|概率|频率|汇率|利率|税率|比率|功率|速率|费率|效率|坦率|草率|轻率|直率|表率|统率|率先")


def find_metrics(text: str, generic: bool = False) -> list[MetricMention]:
    """Every metric mention in normalised ``text``, in order (longest synonym wins).

    With ``generic=True``, a Chinese ``…率`` the table does not know (``知识库命中率``)
    becomes a ``rate`` mention (direction ``balanced``) whose ``label`` is the word itself.
    """
    found: list[MetricMention] = []
    for rx in (_ZH_METRIC_RE, _EN_METRIC_RE, _DIGIT_METRIC_RE):
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            hit = _classify(text, m.start(), m.end())
            if hit is not None:
                found.append(MetricMention(hit[0], m.start(), m.end(), hit[1]))
    if found:  # the three scans may overlap ("5星好评率" vs "好评率"): the longest wins
        taken_mask = SpanMask(len(text))
        kept: list[MetricMention] = []
        for mm in sorted(found, key=lambda mm: -(mm.end - mm.start)):
            if not taken_mask.covered(mm.start, mm.end):
                kept.append(mm)
                taken_mask.mark(mm.start, mm.end)
        found = kept
    if not generic or not ("率" in text or "占比" in text or "比例" in text):
        found.sort(key=lambda mm: mm.start)
        return found
    taken = SpanMask(len(text))
    for mm in found:
        taken.mark(mm.start, mm.end)
    for m in _GENERIC_RATE_RE.finditer(text):
        start = m.start()
        while start < m.end() and taken.covered(start, start + 1):
            start += 1
        if m.end() - start < 3 or taken.covered(m.end() - 1, m.end()):
            continue
        word = text[start:m.end()]
        if _NOT_A_METRIC.search(word):
            continue
        found.append(MetricMention("rate", start, m.end(), False, word))
    found.sort(key=lambda mm: mm.start)
    return found


def _words(zh: str, english: str = "") -> re.Pattern[str]:
    parts = [zh] if zh else []
    if english:
        parts.append(en(english))
    return compile_fast("|".join(parts), re.IGNORECASE)


#: Concrete deliverables and activities (S passes; small counts of them feed A = true).
DELIVERABLE_RE = _words(
    r"报告|周报|月报|日报|简报|报表|知识库|知识条目|知识文章|FAQ|培训|课程|课件|微课|话术|脚本|计划书?|方案|手册|"
    r"SOP|操作指引|指引|录音抽听|抽听|听录音|录音|辅导|面谈|谈话|角色演练|演练|模拟演练|例会|会议|晨会|"
    r"夕会|班前会|复盘|案例|考核|考试|测试|认证|上岗|带教|师徒|回访|抽检|巡检|排班表|题库|文章|分享会|分享|测评|"
    r"问卷|调研|招聘|入职|看板|模板|清单|流程图|工单系统|宣导|宣贯|储备组长|抽查|总结|汇总表|对比表|统计表|分析表|(?<=节|堂)课|产品课|业务课|知识课|技能课|培训课|公开课|专题课|培养(?=\d|[一二两三四五六七八九十几]|新人|储备|骨干|接班|组长|讲师|带教|质检员|专员|员工|人才|坐席|座席)|接班人|结案|办结|日志|工作日志|"
    r"流程改进|改进项|骨干|带班|业务学习|学习会|读书会|弹性排班|错峰排班|轮班制|值班表|跟听|旁听|陪听|"
    r"(?:建立|制定|输出|上线|发布|编写|修订)[^,;。]{0,10}?(?:流程|机制|制度|规范|标准|方案|手册)",
    r"reports?|knowledge base|kb articles?|articles?|training(?:s| sessions?)?|workshops?|courses?|scripts?|"
    r"playbooks?|plans?|SOPs?|checklists?|FAQs?|one-on-ones?|coaching(?: sessions?)?|"
    r"role-?plays?|calibrations?(?: sessions?)?|call reviews?|review meetings?|meetings?|huddles?|"
    r"retrospectives?|surveys?|onboarding|dashboards?|templates?|hiring|recruit\w*|certifications?|exams?|"
    r"assessments?|quiz(?:zes)?|shadowing|mentoring|certif(?:y|ied|ication)|summar(?:y|ies)|analys[ie]s|"
    r"roster|schedules?|lists?|dashboards?|overviews?|tables?|memos?|one-pagers?",
)

#: One-on-one meetings written with digits (kept out of the big alternations so digit runs stay fast).
ONE_ON_ONE_RE = compile_fast(r"(?<![\d.])1(?:对1|:1s?|-on-1s?)(?!\d)", re.IGNORECASE)

#: Activities a manager controls (a small, bounded number of them is achievable).
ACTIVITY_RE = _words(
    r"辅导|面谈|谈话|角色演练|演练|例会|会议|晨会|夕会|班前会|复盘|录音抽听|抽听|听录音|报告|周报|月报|"
    r"分享会?|案例|培训|带教|知识条目|知识文章|文章|话术|排班表|计划|课件|微课|题库|清单|模板|抽检|巡检|FAQ|"
    r"知识库|宣导|宣贯|回访|抽听|日志|巡检|带班|业务学习|学习会|读书会|跟听|旁听|陪听|看板|抽查|总结|汇总表|"
    r"对比表|统计表|分析表|听(?:\d+通)?[^,，。;；]{0,4}?录音|(?<=节|堂)课|产品课|业务课|知识课|技能课|培训课|专题课",
    r"one-on-ones?|coaching(?: sessions?)?|role-?plays?|meetings?|huddles?|reports?|"
    r"call reviews?|calibrations?(?: sessions?)?|training(?: sessions?)?|workshops?|articles?|retrospectives?|"
    r"shadowing|mentoring|summar(?:y|ies)|lists?|dashboards?|overviews?|memos?|one-pagers?",
)

#: Outcomes a manager does not fully control (these keep A unknown).
OUTCOME_RE = _words(
    r"通过|合格|达标|考核|认证|满意|学会|掌握|胜任|独立上岗|独立接线|独立带班|命中",
    r"pass(?:es|ed)?|certif\w+|master",
)

#: Countable work objects: concrete when a quantity, zero target or "all" goes with them.
OBJECT_RE = _words(
    r"工单|来电|电话|邮件|留言|咨询|会话|录音|订单|回访单",
    r"tickets?|e-?mails?|calls?|chats?|messages?|cases?|voicemails?|requests?|refunds?|orders?|inquir(?:y|ies)|"
    r"enquir(?:y|ies)|claims?",
)

#: Observable behaviours (S passes).
BEHAVIOUR_RE = _words(
    r"迟到|早退|缺勤|旷工|回复|答复|回电|回拨|接起|接听|响应|回应|漏接|回访|报工号|自报工号|开场白|结束语|复述|"
    r"致歉|道歉|跟进|首问负责|挂机|抢接|打断客户|到岗|打卡",
    r"repl(?:y|ies|ied)|respond(?:s|ed)?|answer(?:s|ed)?|call(?:s|ed)? back|callbacks?|pick(?:s|ed)? up|"
    r"greet(?:s|ed)?|follow(?:s|ed)?[- ]up|acknowledge[sd]?|escalate[sd]?|resolv(?:e|es|ed)|clos(?:e|es|ed) (?:all |every )?tickets?",
)

#: Abstract objects: on their own they do not make a goal specific.
ABSTRACT_RE = _words(
    r"服务质量|服务品质|服务意识|服务态度|服务水平|服务能力|管理水平|管理能力|团队管理|管理|沟通|能力|意识|氛围|"
    r"凝聚力|向心力|战斗力|效率|工作|状态|最好|更好|学习型组织|微笑服务|执行力|积极性|士气|专业度|专业性|素质|素养|"
    r"形象|口碑|客户体验|用户体验|服务体验|体验|团队建设|团队精神|协作|配合|责任心|主动性|热情|耐心|成长|进步|"
    r"水平|质量|作风|纪律|文化|满意|影响力|领导力|学习力",
    r"service quality|quality|communication|teamwork|engagement|efficiency|performance|experience|culture|"
    r"skills?|attitude|leadership|morale|better|best|professionalism|motivation",
)

#: 客服 domain words (R passes). Weak ones do not outweigh a personal-life word.
DOMAIN_STRONG_RE = _words(
    r"客户|顾客|用户|来电|来访|坐席|座席|客服|组员|下属|员工|新员工|新人|团队|班组|小组|组内|全组|本组|部门|工单|投诉|"
    r"质检|排班|出勤|知识库|话术|呼叫|电话|通话|热线|在线|会话|咨询|上岗|绩效|主管|组长|话务|接线|现场|中心|"
    r"KPI|SLA|售后|售前|订单|退款|退货",
    r"customers?|clients?|callers?|agents?|reps?|team|teams|tickets?|calls?|e-?mails?|chats?|complaints?|"
    r"support|staff|employees?|queues?|contacts?|contact cent(?:er|re)|call cent(?:er|re)|helpdesk|help desk|"
    r"KPIs?|SLAs?|new hires?|refunds?|orders?|inquir(?:y|ies)|enquir(?:y|ies)|claims?|service requests?|QA",
)
#
# A manager's own development counts as relevant (R): the course's 自我 module (SWOT 自我扫描, the
# self-assessments) treats the manager's competences as part of the job of leading a 客服 team, and
# the brief's R covers "team management". So 领导力, 执行力, 学习力, 管理能力, 沟通能力, 辅导能力 are all
# relevant; they are also abstract, so such a goal still fails S until it names an action and an
# amount ("每月参加一次管理技能培训"). Hobbies, health and reading or study with no 客服 object
# (每周跑步三次, 每月读两本专业书, 背英语单词) are personal: R false.
DOMAIN_WEAK_RE = _words(
    r"服务|工作|管理|培训|辅导|面谈|考核|业务|领导力|学习力|执行力|管理者|经理|流程|骨干|带班|班次|下属|到岗|打卡|上班|下班",
    r"service|work|management|coaching|training|business",
)

#: Personal-life goals (R fails when nothing ties them to 客服 work).
PERSONAL_RE = _words(
    r"减重|减肥|体重|瘦身|瘦|跑步|跑完|健身|运动|读书|看书|读完|小说|电影|电视剧|追剧|旅游|旅行|游戏|考驾照|驾照|学车|"
    r"戒烟|戒酒|早睡|早起|睡眠|饮食|喝水|结婚|恋爱|相亲|买房|买车|存钱|攒钱|理财|炒股|钢琴|吉他|画画|摄影|马拉松|"
    r"公斤|斤|步数|瑜伽|游泳|爬山|徒步|烘焙|做饭|追星|装修|孩子|家人|家庭|单词|资格证|教师证|英语|日语|雅思|托福|"
    r"公园|专业书|闲书|课外书",
    r"lose weight|weight|kg|novels?|books?|running|jogging|go for a run|marathon|gym|vacation|holiday trip|travel|piano|guitar|"
    r"diet|sleep|yoga|swim(?:ming)?|hobby|family",
)

#: Personal goals that name a concrete result even without a number (考下驾照).
PERSONAL_CONCRETE_RE = _words(
    r"驾照|证书|资格证|执照|半马|全马|马拉松|公斤|斤|公里|本书|本小说|本专业书",
    r"driving licen[cs]e|driver'?s licen[cs]e|marathon|kg|km|certificate",
)

#: A personal action with an amount (读2本, 背20个, 跑3次, 游1公里): concrete and countable (S and M),
#: whatever the activity; whether it is 客服 work is R's business (PERSONAL_RE, DOMAIN_*).
PERSONAL_ACTION_RE = compile_fast(
    # 演练/编写/跟听/解读… are work verbs that end in the same characters
    r"(?:(?<![解宣导朗])读|(?<![查察])看|背|跑|游|(?<![演训操排熟])练|(?<![教培])学|(?<![编撰改填书])写|走|骑|爬|弹|"
    r"(?<![跟陪旁抽试])听|去|陪|考)(?:了|完|步|泳|习)?(?<![\d])\d+(?:\.\d+)?"
    r"(?:个|本|篇|页|次|趟|公里|km|小时|首|部|遍|节|门|课|套|道|章)")


#: Vague verbs and modifiers (a problem only when no quantity follows in the clause).
VAGUE_RE = _words(
    r"提高|提升|加强|改善|优化|完善|做好|推进|落实|强化|适当|更好|进一步|大力|积极|全面|增强|改进|促进|深化|"
    r"重视|注重|做得更好|做到最好|尽可能",
    r"improv(?:e|es|ed|ing)|enhanc(?:e|es|ed|ing)|better|boost|strengthen|optimi[sz]e|work on|focus on|"
    r"maximi[sz]e|minimi[sz]e|increase|reduce|raise|lower",
)

#: Hedges: a separate "语气不坚定" warning even when the goal is otherwise SMART.
HEDGE_RE = _words(
    r"尽量|争取|努力|力争|尽可能|尽力|希望|试着|尝试|试图|想办法|大概|也许|或许|基本上|原则上|力求|最好能",
    r"try(?:ing)? to|try and|tries to|hopefully|hope to|aim(?:ing)? to|strive to|attempt to|"
    r"do (?:my|our) best|as much as possible|if possible|ideally|maybe|perhaps",
)


# ----------------------------------------------------------------------------- typo-tolerant KPI names
#
# Managers type with pinyin input methods, so a KPI name often arrives with a near-homophone in
# place of one character: 满意渡 (度), 直检平均分 (质检), 首解律 (率), 投述率 (诉), 放气率 (弃),
# 处理时常 (长), 流逝率 (失), 好频率 (评: ping/pin, a usual "fuzzy pinyin" setting). One such slip
# used to break S, M and R at once (the goal then "has no object"). The rule is general, not a list
# of typos:
#
# * _HOMOPHONES groups characters by (toneless) syllable, one group per syllable that occurs in the
#   Chinese KPI vocabulary, plus the usual IME fuzzy pairs (in/ing, s/sh for su/述). Each character
#   maps to its group's first character, its *skeleton*; a KPI term and a typed phrase with the
#   same skeleton sound alike.
# * Only vocabulary terms of 3 or more characters are matched this way, and a match may differ
#   from the term in at most one character (two for terms of 5 or more). Two-character words such
#   as 质检/迟到/排队 are never corrected alone: their near-homophones are everyday words (吃到,
#   派对). A phrase that is itself a vocabulary term is never "corrected" into another.
# * English KPI words (satisfaction, abandonment…) of 6 letters or more accept one edit
#   (insert, delete, substitute or swap two neighbours); abbreviations and short words (AHT, CSAT,
#   rate) never do: at that length one edit turns them into ordinary words (cast, late).
#
# The checker then reads the corrected term and says what it understood (把“满意渡”理解为“满意度”).

_HOMOPHONES = (
    "一以意义议易已亿艺依医衣移遗疑益异译忆宜仪", "上尚伤商赏", "不部步布补簿", "二而儿耳尔",
    "务五物误无午武舞悟雾屋伍吴", "叫交教较角脚焦郊胶", "产颤缠蝉铲", "人任认仁忍刃", "从丛聪匆葱",
    "检件间见建简减捡剪键健渐坚尖鉴箭荐", "价加家假架佳甲驾嫁", "优有又由油友右游邮幽犹",
    "质值职直只知支指制志治智至置致止纸织执植殖汁芝址", "入如乳辱", "决觉绝掘爵倔",
    "净经精静境竟景警镜敬井径京惊晶", "准谆", "处出初除础储触楚厨", "利理离里力立礼例历李丽励粒厉",
    "到道倒导岛刀盗稻蹈", "班办半般板版伴扮搬瓣颁斑", "工功公共供攻宫恭弓巩贡", "勤琴亲芹秦侵禽寝",
    "话化花华画划滑哗", "升生声省胜圣盛剩绳牲", "单但担蛋淡旦胆丹弹诞", "占站战展沾斩盏",
    "压呀鸭牙亚雅押崖", "级及积即急集机基记计技际击几极辑籍绩迹继寄济肌鸡激吉挤既", "合和河何核盒贺荷喝赫",
    "后候厚猴吼", "听停庭挺亭廷婷", "员元园原远院源愿圆援缘怨", "周州洲舟粥轴宙昼骤", "户呼护互湖胡虎糊忽壶沪",
    "咨资自字子紫姿滋", "响想向象项像相香乡享详祥箱", "回会汇挥灰辉惠慧毁悔绘", "均军君俊峻菌",
    "座坐做作左昨佐", "复服付负副福富府附父夫扶浮幅辅腐赴妇符", "失时是事实式市师诗施湿十石世试视示室势识适使史始释逝饰",
    "好号毫豪耗浩郝", "完万晚玩弯湾碗挽婉丸顽", "客可课科刻克颗棵渴壳", "岗刚港钢纲缸", "差查茶插察叉岔",
    "席系西息希习喜细洗析吸稀锡悉惜戏夕溪", "评平瓶凭屏苹萍坪频品拼贫聘", "应英影营赢迎硬映鹰盈因音引印银隐饮",
    "度渡镀杜肚读独毒堵赌督妒", "弃气起期其七汽器企启奇齐骑棋旗契砌", "待代带袋贷戴呆逮怠殆", "得德",
    "成城程称承诚乘呈撑惩", "投头偷透", "案按安暗岸俺鞍", "挂瓜刮寡褂", "损孙笋", "排派牌拍徘",
    "解接结节街介界届借姐阶洁截揭杰戒", "推退腿颓", "放方房访防仿芳纺妨", "效小笑校消销晓肖萧孝",
    "数书树属输熟术叔舒鼠署蔬暑束", "诉速素宿塑肃俗苏述", "早造糟遭灶燥澡枣", "未为位维委卫围味微伟尾喂胃谓",
    "来赖莱", "标表彪膘", "格个各隔阁哥歌革割搁", "次此词刺磁辞瓷慈", "正整证政争征郑症挣睁",
    "流留六刘柳溜硫", "满慢曼漫蛮馒瞒", "率律绿虑滤旅铝屡履氯", "用永勇涌泳拥", "电点店典垫殿淀",
    "确却缺雀鹊", "秀修休袖绣羞锈", "漏楼搂陋", "等灯登邓凳瞪", "答达打大搭", "线先现限县显险鲜献仙陷",
    "续需许序须虚徐叙蓄绪", "考靠烤", "联连练脸恋莲炼链廉帘", "询讯寻训迅循旬巡", "费非飞肥废肺菲",
    "超朝潮吵抄炒巢", "转专砖赚撰", "过国果锅郭裹", "进近尽紧金今仅津劲禁锦谨晋浸", "迟吃持池尺齿赤驰翅斥",
    "通同统痛童铜桶筒", "逾于与鱼雨语预余育遇玉域愈娱宇羽渔", "遵尊", "重中种众终钟忠肿仲",
    "量两亮凉梁粮辆谅良", "错措挫搓", "长常场厂唱尝肠昌偿畅", "问文闻温稳吻纹", "队对堆兑", "面免棉眠绵勉",
    "顾故古股固骨谷鼓姑孤雇", "题提体替梯踢蹄", "首手收受守寿售授瘦", "碌路录陆露鹿炉卢", "断段短端锻缎",
    "忙盲茫芒", "星性行型形兴醒幸刑姓杏", "分份粉奋芬纷坟愤", "能",
)


def _skeleton_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for group in _HOMOPHONES:
        for ch in group:
            table.setdefault(ord(ch), group[0])
    return table


#: str.translate table: every character of a homophone group -> the group's first character.
SKELETON = _skeleton_table()
_FUZZY_MIN = 3
_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万")


def _literal_zh_terms() -> list[str]:
    return [p for k in KPIS for p in k.zh if _META.search(p) is None and re.fullmatch(r"[\u4e00-\u9fff]+", p)]


def _build_fuzzy() -> tuple[re.Pattern[str] | None, dict[str, list[str]], frozenset[str]]:
    exact = frozenset(p for k in KPIS for p in k.zh + k.weak if _META.search(p) is None)
    by_skeleton: dict[str, list[str]] = {}
    for term in _literal_zh_terms():
        if len(term) >= _FUZZY_MIN:
            by_skeleton.setdefault(term.translate(SKELETON), []).append(term)
    if not by_skeleton:
        return None, by_skeleton, exact
    alternation = "|".join(re.escape(s) for s in sorted(by_skeleton, key=len, reverse=True))
    return compile_fast(alternation), by_skeleton, exact


_FUZZY_ZH_RE, _FUZZY_BY_SKELETON, _EXACT_ZH = _build_fuzzy()

#: Distinctive English KPI words (6+ letters) that accept one typo.
FUZZY_EN_WORDS = (
    "satisfaction", "satisfied", "resolution", "abandonment", "abandoned", "abandon", "adherence", "attrition",
    "escalation", "escalations", "complaint", "complaints", "attendance", "occupancy", "productivity", "backlog",
    "conversion", "accuracy", "turnover", "utilization", "utilisation", "promoter",
)
_EN_WORD = compile_fast(r"[A-Za-z]{5,}")


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of two neighbouring letters.

    >>> within_one_edit("satisfation", "satisfaction"), within_one_edit("attrition", "nutrition")
    (True, False)
    >>> within_one_edit("cast", "csat")  # why short words are never corrected
    True
    """
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la < lb:
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i:]


@dataclass(frozen=True, slots=True)
class TypoFix:
    """``text[start:end]`` (normalised coordinates) was read as the KPI term ``term``."""

    start: int
    end: int
    typed: str
    term: str


def find_kpi_typos(text: str) -> list[TypoFix]:
    """KPI names typed with a near-homophone (Chinese) or one slip (English), in order.

    >>> [(f.typed, f.term) for f in find_kpi_typos("本季度把客户满意渡从85%提到90%，首解律80%")]
    [('客户满意渡', '客户满意度'), ('首解律', '首解率')]
    """
    fixes: list[TypoFix] = []
    if _FUZZY_ZH_RE is not None:
        skeleton = text.translate(SKELETON)
        for m in _FUZZY_ZH_RE.finditer(skeleton):
            typed = text[m.start():m.end()]
            if typed in _EXACT_ZH:
                continue
            best: tuple[int, str] | None = None
            for term in _FUZZY_BY_SKELETON.get(m.group(0), ()):
                diff = sum(1 for x, y in zip(typed, term, strict=True) if x != y)
                if best is None or diff < best[0]:
                    best = (diff, term)
            if best is None or best[0] == 0 or best[0] > (2 if len(typed) >= 5 else 1):
                continue
            if any(x != y and (x in _NUMERALS or text[m.start() + i + 1:m.start() + i + 2] == x)
                   for i, (x, y) in enumerate(zip(typed, best[1], strict=True))):
                continue  # 投诉两次 (a count), 处理时常常 (常常 is a word): real words, not typos
            fixes.append(TypoFix(m.start(), m.end(), typed, best[1]))
            if len(fixes) >= 50:
                break
    if re.search(r"[A-Za-z]{5}", text):
        for m in _EN_WORD.finditer(text):
            word = m.group(0)
            low = word.lower()
            if len(low) < 5 or low in FUZZY_EN_WORDS:
                continue
            for target in FUZZY_EN_WORDS:
                if abs(len(target) - len(low)) <= 1 and low[0] == target[0] and within_one_edit(low, target):
                    fixes.append(TypoFix(m.start(), m.end(), word, target))
                    break
            if len(fixes) >= 100:
                break
    fixes.sort(key=lambda f: f.start)
    return fixes
