"""SMART goal checker (第三讲 目标与过程管理).

``check_goal(text, today=None)`` judges one goal sentence against the five SMART criteria
(methods brief §2.3, labelling conventions §2.6):

* **S 具体**: a 客服 KPI (§2.4), a concrete deliverable or an observable behaviour is named;
  abstract objects such as 服务质量、氛围、能力 are not enough.
* **M 可衡量**: that object carries a quantity: a value, a bound (≥, 以内, 不低于…),
  baseline → target, a change (降低20%, 减半), a ratio (80/20) or a zero target (清零, 不再出现).
  A missing unit still passes but is warned about; a number without a metric does not pass.
* **A 可实现**: ``False`` only for impossible values (a rate above 100 %, AHT of 0 s, a score
  above its maximum, NPS outside −100…100, a reduction of 100 % or more, 100 % 接通率 /
  zero abandonment, an absurd jump in a short window); ``True`` only for small activity
  goals the manager controls; otherwise ``None`` (the text alone cannot tell).
* **R 相关**: the text is about 客服 work; personal-life goals and texts with no object fail.
* **T 有时限**: a date, named period, window, evaluation frequency or dated event.
  Service-level durations (``24小时内回复``, ``80/20``) and 尽快/ASAP/不再 do not count.

``today`` (a :class:`datetime.date`) only resolves relative deadlines; the engine never
reads the clock. The result is JSON-serialisable::

    {"text", "criteria": {key: {"met", "reason", "suggestion"}}, "issues": [Issue dicts],
     "parsed": {"metrics", "baseline", "target", "target_op", "unit", "change", "deadline"},
     "rewrite": str}

Example::

    >>> import datetime
    >>> r = check_goal("本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。", datetime.date(2026, 2, 10))
    >>> r["criteria"]["time_bound"]["met"], r["parsed"]["deadline"]["resolved"]
    (True, '2026-03-31')
    >>> r["parsed"]["baseline"], r["parsed"]["target"]
    (85, 92)
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from ..lang import dates as _dates
from ..lang.kpi import (
    ABSTRACT_RE,
    ACTIVITY_RE,
    BEHAVIOUR_RE,
    DELIVERABLE_RE,
    DOMAIN_STRONG_RE,
    DOMAIN_WEAK_RE,
    HEDGE_RE,
    OBJECT_RE,
    ONE_ON_ONE_RE,
    OUTCOME_RE,
    PERSONAL_ACTION_RE,
    PERSONAL_CONCRETE_RE,
    PERSONAL_RE,
    VAGUE_RE,
    Kpi,
    MetricMention,
    en,
    find_kpi_typos,
    find_metrics,
)
from ..model import Issue
from ..lang.normalize import Normalized, SpanMask, compile_fast, fmt_number, normalize, replace_spans

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
CRITERION_LABELS = {
    "specific": "S 具体",
    "measurable": "M 可衡量",
    "achievable": "A 可实现",
    "relevant": "R 相关",
    "time_bound": "T 有时限",
}

MAX_CHARS = 20000
#: At most this many numbers / metric mentions / keywords are analysed (a goal has a few).
MAX_ITEMS = 300
_FIELD = "goal_text"

# ----------------------------------------------------------------------------- patterns

_CLAUSE_SPLIT = compile_fast(
    r"[,;。!?\n:]|\.(?!\d)|(?<!\d)\.|同时|并且|而且|以及|另外|此外|(?<![合吞])并(?![非列购])|且|"
    + en(r"and|while|but|as well as|plus"),
    re.IGNORECASE,
)
_SENTENCE_SPLIT = compile_fast(r"[;。!?\n]|\.(?!\d)")

_UNIT = (
    r"(?P<unit>%|‰|个百分点|百分点|percentage points?|pp|pts?|points?|分钟|秒钟|分|秒|secs?|seconds?|s|mins?|minutes?|"
    r"小时|hours?|hrs?|h|个?工作日|天|日|days?|周|weeks?|个月|月|months?|年|years?|次|通|条|单|件|名|人|位|份|项|个|"
    r"场|篇|本|节|轮|张|倍|x|公斤|kg|斤|公里|km|元|块|颗星|星|声|封|家|门|遍|课时|课|笔|例|起|期|批|"
    r"calls?|tickets?|sessions?|times?|agents?|people|reports?|articles?|e-?mails?|complaints?|1:1s|role-?plays?|"
    r"meetings?|cases?)(?![A-Za-z])"
)
_NUMBER = compile_fast(r"(?P<sign>负|-)?(?P<num>\d+(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?)(?:[ -]?" + _UNIT + r")?", re.IGNORECASE)
_NUMBER_SKIP_AFTER = re.compile(r"组|号|楼|层|线|班组|期学员|届|:\d|对\d|-on-\d|/\d")

_OPS_BEFORE: tuple[tuple[str, str], ...] = (
    (">=", r"不低于|不少于|不小于|大于等于|大于或等于|至少|最少|起码|最低|≥|>=|" + en(
        r"at least|no less than|no lower than|not below|not less than|minimum(?: of)?|min\.?")),
    ("<=", r"不高于|不超过|不多于|不大于|小于等于|小于或等于|至多|最多|最高|≤|<=|" + en(
        r"no more than|at most|not exceed(?:ing)?|no higher than|maximum(?: of)?|max\.?|up to|within")),
    (">", r"高于|超过|大于|多于|>|" + en(r"above|over|more than|greater than|exceed(?:ing)?")),
    ("<", r"低于|少于|小于|不到|<|" + en(r"below|under|less than|fewer than")),
)
_OPS_BEFORE_RE = [(op, re.compile(r"(?:" + rx + r")\s?(?:在|到|至|为)?\s?$", re.IGNORECASE)) for op, rx in _OPS_BEFORE]
_OPS_AFTER = re.compile(
    r"\s?(?P<op>及以上|或以上|以上|之上|\+|及以下|或以下|以下|之下|以内|之内|内|"
    + en(r"or more|or higher|or above|and above|or less|or lower|or below|and below|plus|and up") + r")",
    re.IGNORECASE,
)
_AFTER_OP_MAP = {"及以上": ">=", "或以上": ">=", "以上": ">=", "之上": ">=", "+": ">=", "及以下": "<=", "或以下": "<=",
                 "以下": "<=", "之下": "<=", "以内": "<=", "之内": "<=", "内": "<="}
_BASELINE_BEFORE = re.compile(
    r"(?:从|由|自|目前(?:是|为)?|当前(?:是|为)?|现在(?:是|为)?|现状(?:是|为)?|基线(?:是|为)?|现为|" + en(r"from|currently") + r")\s?(?:的)?\s?$",
    re.IGNORECASE)
_TARGET_BEFORE = re.compile(
    r"(?:到|至|为|达到|达|做到|提升到|提高到|升到|升至|增至|增加到|降到|降至|降为|降低到|降低至|下降到|减到|减至|缩短到|"
    r"缩短至|压缩到|压缩至|控制在|保持在|稳定在|维持在|保持|稳定|维持|是|" + en(r"to|reach(?:es)?|hit|at|of|be|is") + r")\s?$",
    re.IGNORECASE)
_CHANGE_BEFORE = re.compile(
    r"(?:提升|提高|增加|增长|上升|上涨|拉升|改善|降低|减少|下降|缩短|压缩|削减|压降|减|增|提|降|" + en(
        r"by|cut|reduce[sd]?|decrease[sd]?|lower(?:ed)?|increase[sd]?|raise[sd]?|improve[sd]?|boost(?:ed)?|grow|"
        r"drop(?:ped)?|shorten(?:ed)?|lift(?:ed)?") + r")\s?(?:了|约|近|大约|至少|超过)?\s?$",
    re.IGNORECASE)
_PAIR_LINK = re.compile(
    r"\s?(?:→|-|~|到|至|提升到|提高到|提升至|提高至|升到|升至|降到|降至|降低到|降低至|下降到|下降至|增加到|减少到|缩短到|"
    r"压缩到|" + en(r"to") + r")\s?(?=负?-?\d)",
    re.IGNORECASE)
_UP_VERB = compile_fast(
    r"提升|提高|增加|增长|上升|上涨|拉升|拉高|增至|升至|升到|提到|翻倍|翻番|翻一番|加倍|" + en(
        r"increas(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|boost(?:s|ed|ing)?|grow(?:s|ing)?|lift(?:s|ed)?|doubl(?:e|es|ed|ing)|"
        r"higher"), re.IGNORECASE)
_DOWN_VERB = compile_fast(
    r"降低|下降|减少|缩短|压缩|削减|压降|降到|降至|降为|减到|减至|减为|减半|砍半|" + en(
        r"reduc(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|lower(?:s|ed|ing)?|cut(?:s|ting)?|shorten(?:s|ed|ing)?|"
        r"halv(?:e|es|ed|ing)|drop(?:s|ped|ping)?|bring down|minimi[sz]e|lower"), re.IGNORECASE)
_MULTIPLIER = compile_fast(
    r"(?P<down>减半|砍半|降低一半|减少一半|下降一半|压缩一半|缩短一半|降一半|少一半|" + en(r"in half|halve[sd]?|by half") + r")"
    r"|(?P<up>翻倍|翻一番|翻番|加倍|增加一倍|提升一倍|提高一倍|" + en(r"double[sd]?|2x") + r")",
    re.IGNORECASE)
_ZERO = compile_fast(
    r"清零|归零|清空|清完|消化完|(?:全部)?处理完(?:毕)?|(?:为|到|至|成)零|零(?![售食钱件星散碎用点基])(?=[\u4e00-\u9fff])|不再(?:出现|发生|有)|杜绝|消除|"
    r"无(?:一|1)?(?:例|起|单|件|次|通|人|位)|(?:1|一)(?:通|个|位|条|单|件|次|例|起|封)[^,.;!?]{0,10}?都(?:不|没)|"
    r"不(?:能|可以|得|准|许|会|再)?(?:漏接|遗漏|积压|超时|迟到|早退|缺勤|旷工)|不发生(?:一起|1起|任何)?|没有(?:人|一个人|任何)|无人|"
    r"任何[^,.;!?]{0,10}?都(?:不|没)|清掉|清光|清干净|"
    r"无(?:重大|有效|任何)?(?=客诉|投诉|差评|迟到|漏接|积压|超时|事故|差错|缺勤)|" + en(
        r"zero|no more(?! than)|eliminate[sd]?|never again|none|no (?:missed|overdue|late|unanswered|backlog|abandoned|dropped)|"
        r"never (?:have |get |let |see |miss )?(?:a single|any|one)|not (?:a single|one)(?= )"),
    re.IGNORECASE)
_UNIVERSAL = compile_fast(
    r"全部|所有|全员|全组|全体|全部门|整个团队|每位|每个|每名|每一位|每一个|每条|每通|每单|每封|每件|每次|一律|100%|"
    + en(r"every|each|all|whole team|entire team"),
    re.IGNORECASE)
_MAX_SCORE = compile_fast(
    r"满分(?:是|为)?\s?(?P<a>\d+(?:\.\d+)?)\s?分?|(?<![\d.])(?P<b>\d+(?:\.\d+)?)\s?分制|" + en(r"out of (?P<c>\d+(?:\.\d+)?)")
    + r"|(?<=\d)\s?/\s?(?P<d>5|10|100)(?![\d/])(?:\s?分)?",
    re.IGNORECASE)
_SPECIAL_TOKENS = compile_fast(r"1对1|1:1|1-on-1|[135]星|[135]-star|24/7|7x24|7\*24|" + en(r"one-on-ones?|top \d+"),
                             re.IGNORECASE)
_GUARD_RAIL = compile_fast(
    r"不低于|不下降|不降低|不得低于|不能低于|不低过|保持|维持|守住|不影响|前提下|确保|保证|兼顾|不高于|不超过|" + en(
        r"not drop|without (?:hurting|lowering|sacrificing|reducing)|while (?:keeping|maintaining)|maintain|keep"),
    re.IGNORECASE)
_ACTION = compile_fast(
    r"完成|做|开展|组织|召开|提交|输出|写|编写|撰写|整理|安排|举办|培养|带出|招聘|招到|处理|解决|回访|抽听|辅导|培训|"
    r"上线|发布|更新|新增|梳理|制定|设计|参加|参与|读完|看完|学完|" + en(
        r"produce[sd]?|complete[sd]?|run|runs|hold|holds|write|writes|deliver(?:s|ed)?|publish(?:es|ed)?|conduct(?:s|ed)?|"
        r"create[sd]?|train|coach|hire|handle|resolve|review|finish|launch|attend|read|do|make"),
    re.IGNORECASE)
_SELF_ACTION = re.compile(
    r"组织|召开|开展|安排|举办|写|编写|撰写|提交|输出|整理|做|参加|参与|抽听|回访|辅导|更新|发布|新增|" + en(
        r"run|runs|hold|holds|write|writes|conduct(?:s|ed)?|publish(?:es|ed)?|attend|do"),
    re.IGNORECASE)
_COUNTABLE_UNITS = {"项", "个", "本", "篇", "份", "单", "件", "场", "次", "节", "轮", "通", "条", "封", "名", "人", "位", "课", "张",
                    "课时", "遍", "家", "门"}
_COUNT_UNITS = {"次", "场", "份", "篇", "节", "轮", "课", "课时", "sessions", "session", "times", "time", "reports",
                "report", "meetings", "meeting", "1:1s", "role-plays", "roleplays", "role-play", "roleplay"}
_CALL_UNITS = {"通", "条", "单", "件", "封", "张", "calls", "call", "tickets", "ticket", "emails", "email", "e-mails",
               "cases", "case"}
_PEOPLE_UNITS = {"名", "人", "位", "agents", "agent", "people"}
_PERCENT_UNITS = {"%"}
_PP_UNITS = {"个百分点", "百分点", "percentage point", "percentage points", "pp", "pt", "pts", "point", "points"}
_SECOND_UNITS = {"秒", "秒钟", "s", "sec", "secs", "second", "seconds"}
_MINUTE_UNITS = {"分钟", "min", "mins", "minute", "minutes"}
_HOUR_UNITS = {"小时", "h", "hour", "hours", "hr", "hrs"}
_TIME_UNITS = _SECOND_UNITS | _MINUTE_UNITS | _HOUR_UNITS
_TIME_UNITS_CANON = {"秒", "分钟", "小时", "天", "日", "工作日", "个工作日", "周", "个月", "月", "年"}
_QUALITY_KEYS = ("fcr", "csat", "qa", "nps", "positive")
_SELF_CONTROLLED_METRICS = {"attendance", "lateness"}

# ----------------------------------------------------------------------------- data types


@dataclass(slots=True)
class _Quantity:
    value: float
    unit: str
    start: int
    end: int
    role: str = "target"  # target | baseline | change | zero | multiplier | ratio
    op: str = "="
    direction: str | None = None  # for change / multiplier: "up" | "down"
    clause: int = 0
    metric: str | None = None


@dataclass(slots=True)
class _MetricGoal:
    kpi: Kpi
    first: int
    mentions: list[MetricMention] = field(default_factory=list)
    baseline: _Quantity | None = None
    target: _Quantity | None = None
    change: _Quantity | None = None
    quantities: list[_Quantity] = field(default_factory=list)
    intent: str | None = None  # "up" | "down" from numbers, change or verbs
    intent_from_verb: bool = False

    @property
    def has_quantity(self) -> bool:
        return bool(self.quantities)


@dataclass(slots=True)
class _Analysis:
    norm: Normalized
    text: str
    clauses: list[tuple[int, int]]
    deadlines: list[_dates.Deadline]
    deadline: _dates.Deadline | None
    sla: list[_dates.Span]
    vague_time: list[str]
    mentions: list[MetricMention]
    goals: dict[str, _MetricGoal]
    quantities: list[_Quantity]
    deliverables: list[str]
    behaviours: list[str]
    activities: list[str]
    abstracts: list[str]
    personal: list[str]
    domain_strong: bool
    domain_weak: bool
    vague_words: list[str]
    hedges: list[str]
    universal: bool
    counted: list[str]
    objects: list[str]
    max_score: float | None
    today: _dt.date | None
    typos: list[tuple[str, ...]] = field(default_factory=list)  # (what was typed, KPI term read)
    issues: list[Issue] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)
    big_jump_false: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- helpers


def _coerce_today(today: Any) -> _dt.date | None:
    if isinstance(today, _dt.datetime):
        return today.date()
    if isinstance(today, _dt.date):
        return today
    if isinstance(today, str):
        try:
            return _dt.date.fromisoformat(today.strip()[:10])
        except ValueError:
            return None
    return None


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans or [(0, len(text))]


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(clauses) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        a, b = clauses[mid]
        if pos < a:
            hi = mid - 1
        elif pos >= b:
            lo = mid + 1
        else:
            return mid
    return max(0, min(lo, len(clauses) - 1))


def _mask(size: int, spans: list[tuple[int, int]]) -> SpanMask:
    mask = SpanMask(size)
    for a, b in spans:
        mask.mark(a, b)
    return mask


def _first_n(it: Iterator[re.Match[str]], n: int = MAX_ITEMS) -> list[re.Match[str]]:
    return list(islice(it, n))


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def _canon_unit(unit: str | None) -> str:
    if not unit:
        return ""
    u = unit.lower()
    if u in _PP_UNITS:
        return "个百分点"
    if u in _SECOND_UNITS:
        return "秒"
    if u in _MINUTE_UNITS:
        return "分钟"
    if u in _HOUR_UNITS:
        return "小时"
    if u in ("x",):
        return "倍"
    return unit


def _fmt(q: _Quantity | None, fallback_unit: str = "") -> str:
    if q is None:
        return ""
    unit = q.unit or fallback_unit
    if unit == "分" and q.value < 0:
        unit = ""
    return f"{fmt_number(q.value)}{unit}"


def _num(value: float) -> int | float:
    return int(value) if value == int(value) and abs(value) < 1e15 else round(value, 4)


def _quote(words: list[str], limit: int = 4) -> str:
    return "、".join(f"“{w}”" for w in words[:limit])


# ----------------------------------------------------------------------------- extraction


def _extract_quantities(text: str, excluded: SpanMask, clauses: list[tuple[int, int]]) -> list[_Quantity]:
    out: list[_Quantity] = []
    for m in _NUMBER.finditer(text):
        if len(out) >= MAX_ITEMS:
            break
        start, end = m.span()
        num_start = m.start("num")
        if excluded.covered(num_start, m.end("num")):
            continue
        if num_start > 0 and (text[num_start - 1].isalpha() and text[num_start - 1].isascii()):
            continue  # Q3, H2, mp3…
        if num_start > 0 and text[num_start - 1] in "第#" and not (m["unit"] or "").startswith("名"):
            continue
        if not m["unit"] and _NUMBER_SKIP_AFTER.match(text, m.end("num")):
            continue
        raw = m["num"].replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        sign = m["sign"]
        signed_change: str | None = None
        if sign:
            prev = text[m.start() - 1] if m.start() > 0 else ""
            prev_word = text[max(0, m.start() - 6):m.start()].rstrip()
            if sign == "负" or prev == "" or prev in "从到至为(:→,是" or re.search(r"NPS|推荐值$", prev_word, re.I):
                value = -value
            elif prev.isdigit() or prev in "%‰.":
                start = num_start  # a range "85%-92%"
            else:
                signed_change = "down"  # "AHT -20秒": a change
        if start == m.start() and text.startswith("+", max(0, start - 1)) and start > 0:
            before_plus = text[start - 2:start - 1] if start >= 2 else ""
            if before_plus and not before_plus.isdigit() and before_plus not in "从到至为":
                signed_change = "up"
        unit = _canon_unit(m["unit"])
        if unit in ("日", "天") and start > 0 and text[start - 1] == "月":
            continue
        q = _Quantity(value=value, unit=unit, start=start, end=end, clause=_clause_of(clauses, start))
        clause_start = clauses[q.clause][0]
        before = text[max(clause_start, start - 14):start]
        after_m = _OPS_AFTER.match(text, end)
        if after_m and not (after_m["op"] == "内" and unit not in _TIME_UNITS | {"天", "日", "周", "个月", "年"}):
            q.op = _AFTER_OP_MAP.get(after_m["op"].lower(), "<=" if "less" in after_m["op"].lower()
                                     or "lower" in after_m["op"].lower() or "below" in after_m["op"].lower() else ">=")
            q.end = after_m.end()
        for op, rx in _OPS_BEFORE_RE:
            if rx.search(before):
                if q.op == "=":
                    q.op = op
                break
        if signed_change is not None:
            q.role = "change"
            q.direction = signed_change
            q.value = abs(q.value)
        elif _BASELINE_BEFORE.search(before):
            q.role = "baseline"
        elif _CHANGE_BEFORE.search(before) and not _TARGET_BEFORE.search(before):
            q.role = "change"
            q.direction = "down" if _DOWN_VERB.search(before[-8:]) else "up"
            if re.search(en(r"by") + r"\s?$", before, re.IGNORECASE):
                verb_zone = text[max(clause_start, start - 40):start]
                q.direction = "down" if _DOWN_VERB.search(verb_zone) else "up"
        out.append(q)
    # "X → Y" pairs: X is the baseline, Y the target.
    for a, b in zip(out, out[1:], strict=False):
        link = _PAIR_LINK.match(text, a.end)
        if link and link.end() <= b.start + 2 and b.start - a.end <= 8 and a.role != "change":
            a.role = "baseline"
            if b.role in ("baseline", "change"):
                b.role = "target"
            if not a.unit and b.unit:
                a.unit = b.unit
            if not b.unit and a.unit:
                b.unit = a.unit
    return out


def _assign(text: str, quantities: list[_Quantity], mentions: list[MetricMention], clauses: list[tuple[int, int]],
            concrete: SpanMask) -> None:
    """Attach each quantity to the metric it most likely measures."""
    by_clause: dict[int, list[MetricMention]] = {}
    for mm in mentions:
        by_clause.setdefault(_clause_of(clauses, mm.start), []).append(mm)
    sentence_breaks = [m.start() for m in _first_n(_SENTENCE_SPLIT.finditer(text), 5000)]
    starts = [mm.start for mm in mentions]
    for q in quantities:
        in_clause = by_clause.get(q.clause, [])
        before = [mm for mm in in_clause if mm.end <= q.start]
        after = [mm for mm in in_clause if mm.start >= q.end]
        if before:
            q.metric = before[-1].key
        elif after:
            q.metric = after[0].key
        else:
            a, b = clauses[q.clause]
            if concrete.covered(a, b):
                continue
            # carry over the last metric of the same sentence
            k = bisect_left(sentence_breaks, q.start)
            sent_start = sentence_breaks[k - 1] if k > 0 else -1
            j = bisect_left(starts, q.start) - 1
            if j >= 0 and mentions[j].start > sent_start:
                q.metric = mentions[j].key


def _verb_intent(text: str, mm: MetricMention, mentions: list[MetricMention], clause: tuple[int, int]) -> str | None:
    prev_end = max([x.end for x in mentions if x.end <= mm.start and x.start >= clause[0]] + [clause[0]])
    next_start = min([x.start for x in mentions if x.start >= mm.end and x.start < clause[1]] + [clause[1]])
    pre = text[prev_end:mm.start]
    post = text[mm.end:next_start]
    for zone in (pre, post):
        ups = [m.end() for m in _UP_VERB.finditer(zone)]
        downs = [m.end() for m in _DOWN_VERB.finditer(zone)]
        if ups or downs:
            if zone is pre:
                return "up" if max(ups, default=-1) > max(downs, default=-1) else "down"
            return "up" if min(ups, default=10**9) < min(downs, default=10**9) else "down"
    return None


def _analyse(source: str, today: _dt.date | None) -> _Analysis:
    norm = normalize(source)
    # KPI names typed with a near-homophone (满意渡) are read as the KPI (see lang/kpi.py).
    typos = find_kpi_typos(norm.text)
    typo_words = _unique([f"{norm.original(f.start, f.end)}\x00{f.term}" for f in typos])
    norm = replace_spans(norm, [(f.start, f.end, f.term) for f in typos])
    text = norm.text
    clauses = _clauses(text)
    sla = _dates.find_sla(text)
    deadlines = _dates.find_deadlines(text, sla)
    deadline = _dates.primary_deadline(deadlines, text)
    vague_time = [norm.original(s.start, s.end) for s in _dates.find_vague_time(text)
                  if not any(d.start <= s.start < d.end for d in deadlines)]

    raw_mentions = find_metrics(text, generic=True)[:MAX_ITEMS]
    special = [(m.start(), m.end()) for m in _SPECIAL_TOKENS.finditer(text)]
    max_scores = _first_n(_MAX_SCORE.finditer(text), 20) if ("满分" in text or "分制" in text or "/" in text
                                                            or "out of" in text.lower()) else []
    max_score: float | None = None
    for m in max_scores:
        raw = m["a"] or m["b"] or m["c"] or m["d"]
        if raw:
            max_score = float(raw)
            break
    max_spans: list[tuple[int, int]] = []
    for m in max_scores:
        if m["d"]:
            max_spans.append((m.start("d") - 1, m.end()))
        else:
            max_spans.append(m.span())
    ratio_spans = [(s.start, s.end) for s in sla if s.kind == "ratio"]
    deadline_mask = _mask(len(text), [(d.start, d.end) for d in deadlines])
    excluded = _mask(len(text), [(d.start, d.end) for d in deadlines] + [(mm.start, mm.end) for mm in raw_mentions]
                     + special + max_spans + ratio_spans)
    deliverable_m = sorted(_first_n(DELIVERABLE_RE.finditer(text)) + _first_n(ONE_ON_ONE_RE.finditer(text), 20),
                           key=lambda m: m.start())
    behaviour_m = _first_n(BEHAVIOUR_RE.finditer(text))
    concrete_mask = _mask(len(text), [m.span() for m in deliverable_m + behaviour_m])
    quantities = _extract_quantities(text, excluded, clauses)
    for s in sla:
        if s.kind == "ratio":
            a = re.match(r"(\d+)", text[s.start:s.end])
            quantities.append(_Quantity(value=float(a.group(1)) if a else 80.0, unit="%", start=s.start, end=s.end,
                                        role="ratio", op=">=", clause=_clause_of(clauses, s.start)))
    for m in _first_n(_MULTIPLIER.finditer(text)):
        down = m["down"] is not None
        quantities.append(_Quantity(value=50.0 if down else 100.0, unit="%", start=m.start(), end=m.end(),
                                    role="multiplier", direction="down" if down else "up",
                                    clause=_clause_of(clauses, m.start())))
    for m in _first_n(_ZERO.finditer(text)):
        if deadline_mask.covered(m.start(), m.end()):
            continue
        quantities.append(_Quantity(value=0.0, unit="", start=m.start(), end=m.end(), role="zero", op="=",
                                    direction="down", clause=_clause_of(clauses, m.start())))
    quantities.sort(key=lambda q: q.start)

    # ratio notation (80/20) names the service level when no metric does
    for sp in sla:
        if sp.kind == "ratio":
            ci = _clause_of(clauses, sp.start)
            if not any(_clause_of(clauses, mm.start) == ci for mm in raw_mentions):
                raw_mentions.append(MetricMention("sl", sp.start, sp.start))
    raw_mentions.sort(key=lambda mm: mm.start)

    # "完成3项流程改进": a counted action is concrete even without a known noun
    counted: list[str] = []
    counted_activity = False
    for q in quantities:
        unit = q.unit.lower()
        if q.value == 1 and unit == "个":
            continue  # 做一个…的组长: an article, not a count
        if q.role not in ("target", "change") or not (unit in _COUNTABLE_UNITS or unit in _COUNT_UNITS
                                                      or unit in _CALL_UNITS or unit in _PEOPLE_UNITS):
            continue
        c0, c1 = clauses[q.clause]
        verb = _ACTION.search(text, max(c0, q.start - 14), q.start) or _ACTION.search(text, q.end, min(c1, q.end + 8))
        if verb:
            counted.append(norm.original(q.start, min(c1, q.end + 8)))
            if _SELF_ACTION.fullmatch(verb.group(0)):
                counted_activity = True
        if len(counted) >= 5:
            break

    # countable work objects (工单, emails) are concrete with a quantity, zero target or "all"
    all_quantity_clauses = {q.clause for q in quantities}
    objects: list[str] = []
    for m in _first_n(OBJECT_RE.finditer(text), 50):
        ci = _clause_of(clauses, m.start())
        c0, c1 = clauses[ci]
        if ci in all_quantity_clauses or _UNIVERSAL.search(text, c0, c1):
            objects.append(norm.original(m.start(), m.end()))

    # weak metrics (服务水平) only count with a quantity in their clause
    quantity_clauses = {q.clause for q in quantities}
    mentions = [mm for mm in raw_mentions
                if not mm.weak or _clause_of(clauses, mm.start) in quantity_clauses]
    _assign(text, quantities, mentions, clauses, concrete_mask)

    goals: dict[str, _MetricGoal] = {}
    for mm in mentions:
        goal = goals.get(mm.key)
        if goal is None:
            goal = goals[mm.key] = _MetricGoal(kpi=mm.kpi, first=mm.start)
        goal.mentions.append(mm)
    for q in quantities:
        if q.metric is None or q.metric not in goals:
            continue
        goal = goals[q.metric]
        if q.unit in _TIME_UNITS_CANON and goal.kpi.kind != "duration" and q.role != "change":
            q.metric = None  # "投诉24小时内回复": a service threshold, not the complaint rate
            continue
        goal.quantities.append(q)
        if q.role == "baseline" and goal.baseline is None:
            goal.baseline = q
        elif q.role in ("change", "multiplier") and goal.change is None:
            goal.change = q
        elif q.role in ("target", "zero", "ratio") and goal.target is None:
            goal.target = q
    for goal in goals.values():
        if goal.baseline and goal.target and goal.target.role != "zero":
            if goal.target.value > goal.baseline.value:
                goal.intent = "up"
            elif goal.target.value < goal.baseline.value:
                goal.intent = "down"
        elif goal.change is not None:
            goal.intent = goal.change.direction
        elif goal.target is not None and goal.target.role == "zero":
            goal.intent = "down"
        if goal.intent is None:
            mm = goal.mentions[0]
            goal.intent = _verb_intent(text, mm, mentions, clauses[_clause_of(clauses, mm.start)])
            goal.intent_from_verb = goal.intent is not None
        if goal.baseline is not None and goal.target is None:
            # "从85%…" with a later bare number in the clause: that number is the target
            later = [q for q in goal.quantities if q.start > goal.baseline.start and q.role == "target"]
            if later:
                goal.target = later[0]

    def words(rx: re.Pattern[str]) -> list[str]:
        return _unique([norm.original(m.start(), m.end()) for m in _first_n(rx.finditer(text))])

    metric_mask = _mask(len(text), [(mm.start, mm.end) for mm in raw_mentions])
    abstracts = _unique([norm.original(m.start(), m.end()) for m in _first_n(ABSTRACT_RE.finditer(text))
                         if not metric_mask.covered(m.start(), m.end())])
    quantity_clause_set = {q.clause for q in quantities if q.role != "zero"}
    vague_words = _unique([norm.original(m.start(), m.end()) for m in _first_n(VAGUE_RE.finditer(text))
                           if _clause_of(clauses, m.start()) not in quantity_clause_set])
    return _Analysis(
        norm=norm, text=text, clauses=clauses, deadlines=deadlines, deadline=deadline, sla=sla,
        vague_time=_unique(vague_time), mentions=mentions, goals=goals, quantities=quantities,
        deliverables=_unique([norm.original(*m.span()) for m in deliverable_m]),
        behaviours=_unique([norm.original(*m.span()) for m in behaviour_m]),
        activities=words(ACTIVITY_RE) + words(ONE_ON_ONE_RE) + (counted[:1] if counted_activity else []), abstracts=abstracts, personal=_unique(words(PERSONAL_RE) + words(PERSONAL_ACTION_RE)),
        domain_strong=bool(DOMAIN_STRONG_RE.search(text)), domain_weak=bool(DOMAIN_WEAK_RE.search(text)),
        vague_words=vague_words, hedges=words(HEDGE_RE), universal=bool(_UNIVERSAL.search(text)), counted=counted,
        objects=_unique(objects),
        max_score=max_score, today=today, typos=[tuple(w.split("\x00", 1)) for w in typo_words],
    )


# ----------------------------------------------------------------------------- criteria


def _verdict(met: bool | None, reason: str, suggestion: str = "") -> dict[str, Any]:
    return {"met": met, "reason": reason, "suggestion": suggestion}


def _label(goal: _MetricGoal) -> str:
    return goal.mentions[0].label if goal.mentions else goal.kpi.label


def _specific(a: _Analysis) -> dict[str, Any]:
    quantified_personal = bool(a.personal) and (any(q.role == "target" for q in a.quantities)
                                                 or bool(PERSONAL_CONCRETE_RE.search(a.text)))
    named: list[str] = [_label(g) for g in a.goals.values()] + a.deliverables + a.behaviours + a.counted + a.objects
    if named or quantified_personal:
        what = _quote(_unique(named)) if named else _quote(a.personal)
        return _verdict(True, f"写出了具体对象：{what}。")
    if a.abstracts:
        a.issues.append(Issue(
            "abstract_object", f"{_quote(a.abstracts)}是抽象说法，两个人读了可能理解成不同的东西。", field=_FIELD,
            suggestion="换成能统计的指标或能交付的成果，如 CSAT、一次解决率、每周一对一辅导次数。"))
        return _verdict(False, f"只写了抽象对象{_quote(a.abstracts)}，没有指明具体指标、成果或行为。",
                        "把抽象说法换成一个客服指标（如 CSAT、FCR、AHT、放弃率）或一项可交付的成果（如培训、报告、一对一辅导）。")
    return _verdict(False, "没有写出要改变的指标、要交付的成果或可观察的行为。",
                    "写明“做什么”：一个指标（如一次解决率）或一项成果（如完成 12 名新员工的上岗培训）。")


def _measurable(a: _Analysis, specific: bool) -> dict[str, Any]:
    concrete_other = bool(a.deliverables or a.behaviours or a.personal or a.counted or a.objects)
    metric_q = [q for g in a.goals.values() for q in g.quantities]
    other_q = [q for q in a.quantities if q.metric is None]
    periodic = any(d.kind == "frequency" for d in a.deadlines) and bool(a.deliverables)
    # "a list of the top 10 reasons": the deliverable's size is stated
    periodic = periodic or (bool(a.deliverables) and re.search(en(r"top \d+"), a.text, re.I) is not None)
    has_quantity = bool(metric_q) or (concrete_other and (bool(other_q) or a.universal or periodic))
    if specific and has_quantity:
        shown = metric_q or other_q
        desc = "、".join(_unique([a.norm.original(q.start, q.end) for q in shown[:3]]))
        reason = f"对象带有数量或门槛：{desc}。" if desc else "对象带有数量要求（全部/每位）。"
        suggestion = ""
        if any(i.code == "unit_missing" for i in a.issues):
            reason += "但有数字没写单位，请确认。"
            suggestion = "给数字补上单位（%、秒、分、次）。"
        return _verdict(True, reason, suggestion)
    if not specific and any(not (q.value == 1 and q.unit == "个") for q in a.quantities):
        return _verdict(False, "有数字，但不知道它衡量的是哪个指标。",
                        "把数字和指标写在一起，如“一次解决率达到 80%”。")
    if specific:
        return _verdict(False, "写了对象，但没有目标值或数量，无法判断是否达成。",
                        "写出基线和目标值，如“从 72% 提升到 78%”，或写明数量，如“每人 2 次”。")
    return _verdict(False, "没有可以衡量的指标和数值。", "先选一个指标，再写出从多少到多少，如“CSAT 从 85% 提升到 92%”。")


def _score_max(a: _Analysis, goal: _MetricGoal, value: float) -> float:
    if a.max_score is not None:
        return a.max_score
    if goal.kpi.key == "csat":
        values = [q.value for q in goal.quantities if q.unit == "分"]
        top = max(values + [value])
        return 5.0 if top <= 5 else 10.0 if top <= 10 else 100.0
    return 100.0


# Implicit 100 % targets (brief §2.3 A: "100 % 接通率 or 100 % service level … zero abandonment"
# are practically impossible in a queueing operation). A goal need not write "100%" to ask for
# it: "每通来电都在15秒内接起", "不让任何一个客户排队超过20秒", "every call answered within 15
# seconds", "今年任何来电都不能漏接" quantify over *every* real-time contact (calls, chats,
# waiting customers) and attach a service condition measured in seconds or minutes, or forbid a
# missed/abandoned one. Calls arrive at random, so some always wait longer: that is a 100 %
# service level or a zero abandonment, and A is false. Deferred work (工单, 邮件, 留言, 投诉) within
# hours or days is planned capacity, not a random queue: "所有工单48小时内结案" stays unknown, as
# does a behaviour on every call ("每通电话都自报工号"), which has no service condition.
_ALL_REALTIME = compile_fast(
    r"(?:每通|每一通|每个|每一个|每位|每一位|所有|全部|任何|任一|100%)(?:的)?(?:1|一)?(?:个|通|位)?(?:客户的?|呼入的?)?"
    r"(?:来电|电话|呼入|进线|在线咨询|在线会话|会话|客户)|"
    r"(?:1|一)(?:个|通|位)(?:来电|电话|客户)[^,.;!?]{0,10}?都|(?:不|没|无)(?:能|可以|得|会)?(?:漏接|漏掉)(?:任何|1个|1通|一个|一通)|"
    + en(r"(?:every|each|all|any|no|not a single|never a single|100% of)(?: (?:the|our|incoming|inbound|customer|phone|live))*"
         r" (?:calls?|callers?|chats?|customers?)"),
    re.IGNORECASE)
_REALTIME_CONDITION = compile_fast(
    r"(?<![\d.])\d+(?:\.\d+)?\s?(?:秒钟|秒|声|分钟|" + en(r"s|secs?|seconds?|mins?|minutes?") + r")|漏接|漏掉|挂断|放弃|呼损|"
    + en(r"abandon(?:ed|s)?|missed|dropped|unanswered"),
    re.IGNORECASE)


def _implicit_perfect(a: _Analysis) -> list[str]:
    out: list[str] = []
    bounds = [0] + [m.end() for m in _first_n(_SENTENCE_SPLIT.finditer(a.text), 200)] + [len(a.text)]
    for s0, s1 in zip(bounds, bounds[1:], strict=False):
        q = _ALL_REALTIME.search(a.text, s0, s1)
        if q is None:
            continue
        cond = _REALTIME_CONDITION.search(a.text, s0, s1)
        if cond is None:
            continue
        out.append(f"“{a.norm.original(q.start(), q.end())}……{a.norm.original(cond.start(), cond.end())}”要求每一通都达标，"
                   "等于 100% 的服务水平（或零漏接）：来电随机到达，实际运营中做不到")
    return out


def _check_impossible(a: _Analysis) -> None:
    a.impossible.extend(_implicit_perfect(a))
    for goal in a.goals.values():
        k = goal.kpi
        label = _label(goal)
        for q in goal.quantities:
            shown = a.norm.original(q.start, q.end)
            unit = q.unit
            if q.role == "change":
                if q.direction == "down" and unit == "%" and q.value >= 100:
                    a.impossible.append(f"{label}降低 {fmt_number(q.value)}%：降幅达到或超过 100% 不可能")
                elif (q.direction == "up" and unit == "个百分点" and goal.baseline is not None
                      and goal.baseline.value + q.value > 100 and k.kind == "percent"):
                    a.impossible.append(f"{label}提升后会超过 100%")
                continue
            if q.role not in ("target", "baseline", "zero", "ratio"):
                continue
            if k.kind == "percent" and unit in ("%", "") and q.value > 100 and q.role != "zero":
                a.impossible.append(f"{label}“{shown}”：比率不可能超过 100%")
            elif k.kind == "nps" and unit in ("", "分", "点", "%") and not -100 <= q.value <= 100:
                a.impossible.append(f"{label}“{shown}”：NPS 只能在 −100 到 100 之间")
            elif (k.kind == "score" or (k.key == "csat" and unit == "分")) and unit in ("分", "") and q.role != "zero":
                top = _score_max(a, goal, q.value)
                if q.value > top:
                    a.impossible.append(f"{label}“{shown}”超过满分 {fmt_number(top)} 分")
            if q.role == "baseline":
                continue
            if k.kind == "duration" and (q.role == "zero" or (q.value <= 0 and q.op in ("=", "<=", "<"))):
                a.impossible.append(f"{label}为 0：处理一通来电不可能不花时间")
            elif k.perfect_impossible and k.direction == "up" and unit == "%" and q.value >= 100 and q.op in (
                    "=", ">=", ">"):
                a.impossible.append(f"{label}做到 100%：来电随机到达，实际运营中做不到")
            elif k.perfect_impossible and k.direction == "down" and k.kind != "duration" and (
                    q.role == "zero" or (q.value <= 0 and q.op in ("=", "<=", "<"))):
                a.impossible.append(f"{label}降到 0：来电随机到达，实际运营中做不到")
    # a relative reduction of 100 % or more with no metric named
    for q in a.quantities:
        if q.metric is None and q.role == "change" and q.direction == "down" and q.unit == "%" and q.value >= 100:
            a.impossible.append(f"降低 {fmt_number(q.value)}%：降幅达到或超过 100% 不可能")
    a.impossible = _unique(a.impossible)


def _check_big_jump(a: _Analysis) -> None:
    months = None
    if a.deadline is not None:
        months = a.deadline.months_left(a.today)
    for goal in a.goals.values():
        k = goal.kpi
        label = _label(goal)
        b, t, c = goal.baseline, goal.target, goal.change
        if k.kind in ("percent", "nps"):
            pp = None
            if b is not None and t is not None and t.role not in ("zero",) and b.unit in ("%", "") and t.unit in ("%", ""):
                pp = abs(t.value - b.value)
            elif c is not None and c.unit == "个百分点":
                pp = abs(c.value)
            if pp is None:
                continue
            if months is not None and months > 0:
                rate = pp / max(months, 0.1)
                if pp >= 15 and rate >= 30:
                    a.big_jump_false.append(f"{label}在很短时间内变化 {fmt_number(pp)} 个百分点")
                if rate > 10:
                    a.issues.append(Issue(
                        "big_jump", f"{label}要在约 {fmt_number(round(months, 1))} 个月内变化 {fmt_number(pp)} 个百分点，"
                        f"每月超过 10 个百分点，幅度很大。", field=_FIELD,
                        suggestion="拉长期限，或分阶段设目标（如每月 +2～3 个百分点），并写出支撑措施。"))
            elif pp >= 20:
                a.issues.append(Issue(
                    "big_jump", f"{label}要变化 {fmt_number(pp)} 个百分点，幅度很大，又没有期限。", field=_FIELD,
                    suggestion="写出期限，并分阶段设目标。"))
        elif k.kind == "duration":
            rel = None
            if b is not None and t is not None and b.value > 0 and t.value < b.value and t.role != "zero":
                rel = (b.value - t.value) / b.value
            elif c is not None and c.direction == "down" and c.unit == "%" and c.value < 100:
                rel = c.value / 100
            if rel is None:
                continue
            if months is not None and months > 0:
                if rel >= 0.5 and months <= 3.1 and k.key in ("aht", "asa", "frt"):
                    a.big_jump_false.append(f"{label}在三个月内缩短一半以上")
                if rel * 100 / max(months, 0.1) > 20:
                    a.issues.append(Issue(
                        "big_jump", f"{label}要在约 {fmt_number(round(months, 1))} 个月内缩短 {fmt_number(round(rel * 100))}%，"
                        "每月超过 20%，幅度很大。", field=_FIELD,
                        suggestion="AHT 压得太快通常会拉低一次解决率和满意度；拉长期限或分阶段设目标。"))


# A KPI can be only the *content* of a deliverable the manager makes himself: "整理一份清单，列出
# 首解率最低的十类来电", "每周一发一份周报，汇总质检得分", "a summary of CSAT comments". Such a goal
# asks for the list, the report or the review — within the person's own control and of modest size
# (brief §2.3 A, §2.6 "true only for small, self-controlled activity goals: … one report") — not
# for moving the KPI. A KPI is content when nothing in the goal sets or moves its value: no
# baseline, change, zero or ratio, no value in the KPI's own kind of unit (%, 分, 秒, 个百分点, or a
# bare number above 1), and no 提升/降低 verb on it. Counting units (5通录音, 10张工单, 2 sessions)
# count the deliverable's items, not the KPI. Everything else about A stays as before: the activity
# must be one the manager runs (ACTIVITY_RE), bounded, and no outcome the person cannot control
# (通过, 达标, 学会) outside the KPI names.
_VALUE_UNITS = {"%", "‰", "个百分点", "分", "秒", "分钟", "小时", "点", "倍"}


_EN_COUNTED_AFTER = re.compile(
    r"\s?(?:[A-Za-z-]+\s){1,2}(?:sessions?|reports?|meetings?|calls?|tickets?|reviews?|workshops?|huddles?|"
    r"role-?plays?|1:1s|articles?|lists?|summar(?:y|ies))(?![A-Za-z])", re.IGNORECASE)


# Any verb that moves or holds a value, next to the KPI ("让投诉率降下来", "把满意度稳住"): the
# goal is then about the KPI itself, even when the intent table does not know the verb.
_MOVES_KPI = compile_fast(
    r"降|升|提|减|增|涨|压|拉|改善|优化|控制|保持|维持|稳住|稳定|达到|达成|达标|做到|冲|回到|好转|下来|上去|翻|"
    + en(r"improv\w*|rais\w*|lower\w*|reduc\w*|cut\w*|increas\w*|boost\w*|drop\w*|decreas\w*|keep|hold|reach\w*|"
         r"hit|get|bring|push|lift\w*|grow\w*|halv\w*|doubl\w*"), re.IGNORECASE)


def _kpi_is_content(a: _Analysis, goal: _MetricGoal) -> bool:
    if goal.intent_from_verb or goal.baseline is not None or goal.change is not None:
        return False
    for mm in goal.mentions:
        c0, c1 = a.clauses[_clause_of(a.clauses, mm.start)]
        if _MOVES_KPI.search(a.text, max(c0, mm.start - 6), mm.start) or _MOVES_KPI.search(a.text, mm.end,
                                                                                            min(c1, mm.end + 6)):
            return False
    for q in goal.quantities:
        counted = not q.unit and _EN_COUNTED_AFTER.match(a.text, q.end) is not None  # "2 calibration sessions"
        if q.role != "target" or q.unit in _VALUE_UNITS or (not q.unit and q.value > 1 and not counted):
            return False
    return True


def _small_activity(a: _Analysis, measurable: bool) -> bool:
    if not measurable or a.impossible:
        return False
    metric_keys = set(a.goals)
    # only a named activity (not a bare "做到1名") can carry a KPI as its content
    runs_activity = ACTIVITY_RE.search(a.text) is not None or ONE_ON_ONE_RE.search(a.text) is not None
    content = {key for key, g in a.goals.items() if _kpi_is_content(a, g)} if runs_activity else set()
    if metric_keys - _SELF_CONTROLLED_METRICS - content:
        return False
    if not (a.activities or metric_keys & _SELF_CONTROLLED_METRICS):
        return False
    kpi_free = a.text
    if a.mentions:
        chars = list(a.text)
        for mm in a.mentions:
            chars[mm.start:mm.end] = "\x00" * (mm.end - mm.start)
        kpi_free = "".join(chars)
    if OUTCOME_RE.search(kpi_free):
        return False
    for q in a.quantities:
        if q.role in ("change", "multiplier"):
            return False
        if q.role != "target":
            continue
        u = q.unit.lower()
        if u in _COUNT_UNITS and q.value > 20:
            return False
        if u in _CALL_UNITS and q.value > 60:
            return False
        if u in _PEOPLE_UNITS and q.value > 40:
            return False
        if u in ("", "%") and q.metric is None and q.value > 20:
            return False
    daily = any(d.kind == "frequency" and (d.months or 1) < 0.2 for d in a.deadlines)
    if daily and re.search(r"每(?:位|名|一位|个人)|每个(?:坐席|座席|组员|员工|新人|人)|" + en(r"each|every")
                           + r"\s?(?:agent|member|rep)", a.text, re.I):
        return False
    return True


def _achievable(a: _Analysis, measurable: bool) -> dict[str, Any]:
    _check_impossible(a)
    _check_big_jump(a)
    if a.impossible:
        a.issues.append(Issue("impossible_value", "；".join(a.impossible) + "。", field=_FIELD, severity="error",
                              suggestion="改成现实可达的数值，参考行业常见水平和团队现状。"))
        return _verdict(False, "目标值不可能或明显不现实：" + "；".join(a.impossible) + "。",
                        "把目标改到现实范围内，例如在现状基础上每月提升 1～3 个百分点。")
    if a.big_jump_false:
        return _verdict(False, "；".join(a.big_jump_false) + "，幅度远超常见的改进速度。",
                        "拉长期限或降低目标，并分阶段设检查点。")
    if _small_activity(a, measurable):
        return _verdict(True, "这是数量不大、由你自己安排的管理动作，可以做到。",
                        "把时间提前排进日历，并写明每次的产出。")
    hints: list[str] = []
    for goal in a.goals.values():
        hint = _BENCHMARKS.get(goal.kpi.key)
        if hint:
            hints.append(hint)
    reason = "仅凭文字无法判断能否达成，取决于现状值和可用资源。"
    if hints:
        reason += "参考：" + "；".join(_unique(hints)) + "。"
    suggestion = "写出现状（基线），并列出支撑因子和可能的阻碍。"
    with_baseline = [g for g in a.goals.values() if g.baseline is not None]
    if with_baseline:
        suggestion = "列出支撑因子（人手、培训、工具）和可能的阻碍，对照它们判断这个幅度是否合理。"
    elif a.goals:
        suggestion = "补充现状值（如“目前 72%”），再对照资源判断幅度是否合理。"
    return _verdict(None, reason, suggestion)


_BENCHMARKS = {
    "fcr": "一次解决率常见在 70%～85%",
    "abandon": "放弃率 3%～5% 属于可接受，3% 以下为优秀",
    "sl": "服务水平传统标准是 80/20，领先中心用 80/15 或 90/15",
    "answer": "接通率做不到 100%，来电是随机到达的",
    "asa": "平均应答速度常见在 20～30 秒",
    "nps": "NPS 的取值范围是 −100 到 100",
}


def _relevant(a: _Analysis) -> dict[str, Any]:
    strong = a.domain_strong or bool(a.goals)
    # countable work objects (工单, 留言, 邮件) are 客服 work too
    weak = a.domain_weak or bool(a.deliverables) or bool(a.behaviours) or bool(a.counted) or bool(a.objects)
    if a.personal and not strong:
        a.issues.append(Issue("not_relevant", f"{_quote(a.personal)}看起来是个人生活目标，与客服团队工作无关。",
                              field=_FIELD, suggestion="这张表用于工作目标；请写一个与团队指标或管理动作相关的目标。"))
        return _verdict(False, f"{_quote(a.personal)}属于个人生活目标，与客服工作无关。",
                        "改写成与团队或客户相关的目标，如客户满意度、一次解决率、辅导次数。")
    if strong or weak:
        return _verdict(True, "与客服团队的工作相关。")
    return _verdict(False, "看不出这个目标和客服工作有什么关系：没有写对象。",
                    "写明对象，如“团队的一次解决率”“组员的一对一辅导”。")


def _time_bound(a: _Analysis) -> dict[str, Any]:
    d = a.deadline
    if d is not None:
        shown = a.norm.original(d.start, d.end)
        kind_text = {"date": "截止日期", "period": "考核期", "window": "时间窗口", "duration": "持续期",
                     "frequency": "考核频率", "event": "事件节点"}.get(d.kind, "期限")
        resolved = d.resolve(a.today)
        reason = f"有{kind_text}：“{shown}”" + (f"（即 {resolved.isoformat()}）" if resolved else "") + "。"
        suggestion = ""
        if d.kind == "frequency":
            suggestion = "已按周期考核；如有总的截止时间也一并写上。"
        elif d.kind == "event" and resolved is None:
            suggestion = "写出这个节点的具体日期，方便倒排计划。"
        return _verdict(True, reason, suggestion)
    sla_words = _unique([a.norm.original(s.start, s.end) for s in a.sla])
    if sla_words:
        a.issues.append(Issue(
            "sla_not_deadline", f"{_quote(sla_words)}是服务时限（每单多久内完成），不是这个目标的截止时间。",
            field=_FIELD, suggestion="另写目标的考核期或截止日，如“本季度内”“每月考核”。"))
    if a.vague_time:
        a.issues.append(Issue(
            "vague_deadline", f"{_quote(a.vague_time)}不是截止时间。", field=_FIELD,
            suggestion="换成具体日期或期限，如“6月30日前”“两周内”。"))
        return _verdict(False, f"{_quote(a.vague_time)}不算期限，没有具体的截止时间或考核期。",
                        "写出截止日期或考核期，如“本季度末前”“每月”。")
    if sla_words:
        return _verdict(False, f"{_quote(sla_words)}是服务时限，不是目标的截止时间；目标本身没有期限。",
                        "在服务时限之外，再写上考核期或截止日期，如“本季度内”。")
    return _verdict(False, "没有截止时间或考核期。", "加上期限，如“本季度末前”“两周内”“2026年12月31日前”。")


# ----------------------------------------------------------------------------- extra warnings


def _warnings(a: _Analysis, specific: bool, measurable: bool) -> None:
    for typed, term in a.typos:
        a.issues.append(Issue(
            "kpi_typo", f"把“{typed}”理解为“{term}”。", field=_FIELD, severity="info",
            suggestion=f"如果不是这个意思，请改正指标名；否则可以写成“{term}”。"))
    if a.vague_words:
        a.issues.append(Issue(
            "vague_verb", f"{_quote(a.vague_words)}是模糊的说法，后面没有跟上数量。", field=_FIELD,
            suggestion="写清改到多少，如“提升到 92%”“缩短到 280 秒”。"))
    if a.hedges:
        a.issues.append(Issue(
            "hedge", f"语气不坚定：{_quote(a.hedges)}让目标变成了“做不到也行”。", field=_FIELD,
            suggestion="去掉这些词，直接写“达到……”“完成……”。"))
    for goal in a.goals.values():
        k = goal.kpi
        label = _label(goal)
        if goal.intent_from_verb or (goal.baseline and goal.target) or goal.change:
            if k.direction in ("up", "down") and goal.intent in ("up", "down") and goal.intent != k.direction:
                better = "越高越好" if k.direction == "up" else "越低越好"
                moved = "提高" if goal.intent == "up" else "降低"
                a.issues.append(Issue(
                    "direction_conflict", f"{label}{better}，目标却是{moved}它，方向相反。", field=_FIELD,
                    suggestion=f"确认方向：通常应{'提升' if k.direction == 'up' else '降低'}{label}。"))
        for q in (goal.target, goal.baseline, goal.change):
            if q is None or q.role not in ("target", "baseline", "change") or q.unit:
                continue
            if k.kind in ("count", "nps"):
                continue
            inferred = k.unit
            a.issues.append(Issue(
                "unit_missing", f"“{a.norm.original(q.start, q.end)}”没有单位；按{label}推断为“{inferred}”，请确认。",
                field=_FIELD, suggestion=f"写成“{fmt_number(q.value)}{inferred}”。"))
            break
        if goal.target is None and goal.change is None and not goal.quantities and not (a.deliverables or a.behaviours):
            a.issues.append(Issue(
                "target_missing", f"{label}没有目标值。", field=_FIELD,
                suggestion=f"写出{label}要达到的数值。"))
        elif goal.target is not None and goal.baseline is None and goal.change is None and goal.target.role != "zero":
            a.issues.append(Issue(
                "baseline_missing", f"没写{label}的现状值（基线），无法判断幅度是否合理。", field=_FIELD,
                severity="info", suggestion=f"补一句现状，如“{label}目前为〔现状值〕”。"))
        c = goal.change
        if c is not None and c.role == "change" and c.unit == "%" and k.kind in ("percent",):
            a.issues.append(Issue(
                "relative_or_absolute",
                f"“{a.norm.original(c.start, c.end)}”有两种理解：相对提升 {fmt_number(c.value)}%，"
                f"还是 {fmt_number(c.value)} 个百分点？", field=_FIELD,
                suggestion="写成“从 X% 提升到 Y%”，或写明“提升 N 个百分点”。"))
    unassigned = [q for q in a.quantities if q.metric is None and q.role in ("target", "baseline", "change")
                  and not (q.value == 1 and q.unit == "个")]
    if not a.goals and unassigned and not (a.deliverables or a.behaviours or a.personal or a.counted or a.objects):
        shown = _unique([a.norm.original(q.start, q.end) for q in unassigned])
        a.issues.append(Issue(
            "metric_missing", f"数字{_quote(shown)}没有对应的指标，看不出衡量的是什么。", field=_FIELD,
            suggestion="在数字前写上指标名，如“一次解决率达到 95%”。"))
        bare = [q for q in unassigned if not q.unit]
        if bare:
            a.issues.append(Issue(
                "unit_missing", f"“{a.norm.original(bare[0].start, bare[0].end)}”没有单位。", field=_FIELD,
                suggestion="写明单位（%、秒、分、次），并写出对应的指标。"))
    # metric conflicts: AHT pushed down while a quality metric is pushed up, with no guard-rail
    aht = a.goals.get("aht")
    if aht is not None and aht.intent == "down" and (aht.change or aht.baseline or aht.intent_from_verb
                                                       or (aht.target and aht.target.op == "=")):
        pushed = [g for key, g in a.goals.items() if key in _QUALITY_KEYS and g.intent == "up"]
        if pushed and not _GUARD_RAIL.search(a.text):
            a.issues.append(Issue(
                "metrics_conflict", f"同时压低 AHT 和提升{_label(pushed[0])}，两者常常相互拉扯。", field=_FIELD,
                suggestion=f"加一条护栏，如“AHT 降到 X 秒，同时{_label(pushed[0])}不低于现状”。"))
    if len(a.goals) > 3:
        a.issues.append(Issue(
            "too_many_metrics", f"一句话里有 {len(a.goals)} 个指标，难以聚焦和跟踪。", field=_FIELD,
            suggestion="建议拆分成几条目标，每条只盯一两个指标。"))


# ----------------------------------------------------------------------------- parsed + rewrite


def _primary_goal(a: _Analysis) -> _MetricGoal | None:
    goals = sorted(a.goals.values(), key=lambda g: g.first)
    for g in goals:
        if g.target is not None or g.change is not None:
            return g
    return goals[0] if goals else None


def _deadline_dict(a: _Analysis) -> dict[str, Any] | None:
    d = a.deadline
    if d is None:
        return None
    resolved = d.resolve(a.today)
    return {"text": a.norm.original(d.start, d.end), "resolved": resolved.isoformat() if resolved else None,
            "kind": d.kind}


def _parsed(a: _Analysis) -> dict[str, Any]:
    g = _primary_goal(a)
    change: dict[str, Any] | None = None
    baseline = target = None
    unit = ""
    op = None
    if g is not None:
        if g.baseline is not None:
            baseline = _num(g.baseline.value)
        if g.target is not None:
            target = _num(g.target.value)
            op = g.target.op
        if g.change is not None:
            change = {"value": _num(g.change.value), "unit": g.change.unit or "", "direction": g.change.direction}
        unit = (g.target.unit if g.target and g.target.unit else "") or (
            g.baseline.unit if g.baseline and g.baseline.unit else "") or g.kpi.unit
    return {
        "metrics": [{**goal.kpi.to_dict(), "label": _label(goal)}
                    for goal in sorted(a.goals.values(), key=lambda x: x.first)],
        "baseline": baseline,
        "target": target,
        "target_op": op,
        "unit": unit,
        "change": change,
        "deadline": _deadline_dict(a),
    }


_HAS_CJK = compile_fast(r"[\u4e00-\u9fff]")
_STRIP_FOR_REWRITE = compile_fast(
    r"尽量|争取|努力|力争|尽可能|尽力|希望|试着|尝试|想办法|力求|尽快|尽早|马上|立即|ASAP|asap|as soon as possible|"
    r"(?<![A-Za-z])(?:try to|hopefully|aim to)(?![A-Za-z])")


def _deadline_phrase(a: _Analysis) -> str:
    d = a.deadline
    if d is None:
        return "〔截止日期〕前"
    shown = a.norm.original(d.start, d.end).strip()
    if not _HAS_CJK.search(shown) and d.zh:
        shown = d.zh
    elif not _HAS_CJK.search(shown):
        shown = f"在 {shown} 之前"
    resolved = d.resolve(a.today)
    if resolved is not None and d.kind != "frequency":
        shown += f"（{resolved.isoformat()}）"
    return shown


def _goal_phrase(a: _Analysis, g: _MetricGoal, impossible: bool) -> str:
    k = g.kpi
    label = _label(g)
    unit = k.unit if k.kind != "nps" else ""
    b = _fmt(g.baseline, unit) if g.baseline else "〔现状值〕"
    t = _fmt(g.target, unit) if g.target and g.target.role != "zero" else ("0" if g.target else "〔目标值〕")
    if impossible or (g.target is None and g.change is None and not g.quantities):
        t = "〔可实现的目标值〕" if impossible else "〔目标值〕"
    if g.target is not None and g.target.role == "ratio":
        return f"将{label}保持在 {a.norm.original(g.target.start, g.target.end)} 以上（现状：{b}）"
    direction = g.intent if g.intent in ("up", "down") else k.direction
    if g.baseline is not None and g.target is not None and not impossible:
        if g.target.value > g.baseline.value:
            direction = "up"
        elif g.target.value < g.baseline.value:
            direction = "down"
    if k.direction in ("up", "down") and direction in ("up", "down") and direction != k.direction:
        direction = k.direction  # direction conflict: rewrite in the direction that improves the metric
        t = "〔目标值〕"
    verb = {"up": "提升", "down": "降低"}.get(direction, "调整")
    if g.change is not None and g.target is None:
        c = g.change
        amount = (f"{fmt_number(c.value)}{c.unit or unit}" if c.role == "change"
                  else ("一半" if c.direction == "down" else "一倍"))
        cverb = "降低" if c.direction == "down" else "提升"
        if impossible:
            amount = "〔可实现的幅度〕"
        return f"将{label}从{b}{cverb}{amount}"
    if g.target is not None and g.baseline is None and not impossible:
        if g.target.op in ("<=", "<"):
            return f"将{label}控制在{t}以内（现状：〔现状值〕）"
        if g.target.op in (">=", ">"):
            return f"将{label}保持在{t}以上（现状：〔现状值〕）"
    return f"将{label}从{b}{verb}到{t}"


def _rewrite(a: _Analysis, crit: dict[str, dict[str, Any]]) -> str:
    if not a.text.strip():
        return ""
    when = _deadline_phrase(a)
    impossible = crit["achievable"]["met"] is False
    goals = sorted(a.goals.values(), key=lambda g: g.first)
    if crit["relevant"]["met"] is False and a.personal:
        return f"{when}，将〔与团队工作相关的指标〕从〔现状值〕提升到〔目标值〕。"
    quantified = [g for g in goals if g.quantities]
    if goals and (quantified or not (a.deliverables or a.behaviours)):
        parts = [_goal_phrase(a, g, impossible) for g in (quantified or goals)[:3]]
        return f"{when}，" + "，同时".join(parts) + "。"
    if crit["specific"]["met"]:
        core = _STRIP_FOR_REWRITE.sub("", a.norm.source).strip().rstrip("。.!！;；，, ")
        core = re.sub(r"\s{2,}", " ", core)[:300]
        if a.deadline is None:
            core = f"{when}，{core}"
        if not crit["measurable"]["met"]:
            core += "，完成标准：〔数量或验收标准〕"
        return core + ("。" if _HAS_CJK.search(core) else ".")
    return f"{when}，将〔具体指标，如 CSAT、一次解决率〕从〔现状值〕提升到〔目标值〕。"


# ----------------------------------------------------------------------------- entry point


def _empty_result(text: str, reason: str) -> dict[str, Any]:
    criteria = {
        "specific": _verdict(False, reason, "写一个具体的目标，如“本季度末前，将团队 CSAT 从 85% 提升到 92%”。"),
        "measurable": _verdict(False, reason, "写出指标和目标值。"),
        "achievable": _verdict(None, reason, "写出现状值和资源。"),
        "relevant": _verdict(False, reason, "写明与团队工作的关系。"),
        "time_bound": _verdict(False, reason, "加上截止时间。"),
    }
    return {"text": text, "criteria": criteria, "issues": [],
            "parsed": {"metrics": [], "baseline": None, "target": None, "target_op": None, "unit": "",
                       "change": None, "deadline": None},
            "rewrite": ""}


def check_goal(text: str, today: _dt.date | None = None) -> dict[str, Any]:
    """Check one goal sentence against SMART. See the module docstring.

    Args:
        text: the goal; anything that is not a ``str`` is converted; only the first
            20,000 characters are read.
        today: the reader's local date, used only to resolve relative deadlines.

    Returns:
        ``{"text", "criteria", "issues", "parsed", "rewrite"}``, all JSON-serialisable.
    """
    text = "" if text is None else str(text)
    text = text[:MAX_CHARS]
    if not text.strip():
        return _empty_result(text, "还没有写目标。")
    day = _coerce_today(today)
    try:
        a = _analyse(text, day)
        specific = _specific(a)
        measurable = _measurable(a, bool(specific["met"]))
        _warnings(a, bool(specific["met"]), bool(measurable["met"]))
        if measurable["met"] and any(i.code == "unit_missing" for i in a.issues) and not measurable["suggestion"]:
            measurable["suggestion"] = "给数字补上单位（%、秒、分、次）。"
        criteria = {
            "specific": specific,
            "measurable": measurable,
            "achievable": _achievable(a, bool(measurable["met"])),
            "relevant": _relevant(a),
            "time_bound": _time_bound(a),
        }
        issues = _dedupe_issues(a.issues)
        return {
            "text": text,
            "criteria": criteria,
            "issues": [i.to_dict() for i in issues],
            "parsed": _parsed(a),
            "rewrite": _rewrite(a, criteria),
        }
    except Exception as exc:  # noqa: BLE001 - a checker must never crash the page
        result = _empty_result(text, f"检查程序无法解析这段文字（{type(exc).__name__}），请换一种写法。")
        result["issues"] = [Issue("internal", "检查程序内部出错。", field=_FIELD).to_dict()]
        return result


def _dedupe_issues(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str]] = set()
    out: list[Issue] = []
    for i in issues:
        key = (i.code, i.message)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out
