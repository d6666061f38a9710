"""Deadlines, evaluation periods and service-level durations in goal text.

Works on *normalised* text (see :mod:`worksheet_engine.textnorm`). Finds

* absolute dates (``2026年12月31日前``, ``by 31 March 2026``, ``6月30日前``),
* named periods (``本季度末前``, ``Q3``, ``H2``, ``3月份``, ``全年``, ``在新的一年里``, ``this quarter``),
* windows and durations (``两周内``, ``within 30 days``, ``持续8周``),
* evaluation frequencies (``每周``, ``every month``),
* dated events (``双十一前``, ``下次绩效面谈前``, ``before Black Friday``),

and, separately, service-level durations (``24小时内回复``, ``within 2 hours``, ``80/20``), which
are service standards and **not** deadlines, and vague time words (``尽快``, ``ASAP``, ``不再``).

Relative expressions resolve against a ``today`` the caller passes; this module never
reads the clock and needs no time-zone data.

Example::

    >>> import datetime
    >>> d = find_deadlines("本季度末前把CSAT提升到92%")[0]
    >>> d.kind, d.resolve(datetime.date(2026, 2, 10))
    ('period', datetime.date(2026, 3, 31))
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .kpi import en
from .normalize import SpanMask, compile_fast

Resolver = Callable[[_dt.date], "_dt.date | None"]

# ----------------------------------------------------------------------------- date helpers


def end_of_month(year: int, month: int) -> _dt.date:
    """Last day of ``year``-``month``."""
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: _dt.date, months: int) -> _dt.date:
    """``d`` plus whole calendar months (clamped to the month's last day)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    year = max(1, min(9999, year))
    return _dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_days(d: _dt.date, days: float) -> _dt.date | None:
    """``d`` plus ``days`` (None when out of the calendar's range)."""
    try:
        return d + _dt.timedelta(days=round(days))
    except OverflowError:
        return None


def quarter_end(year: int, quarter: int) -> _dt.date:
    """Last day of quarter 1–4 of ``year``."""
    return end_of_month(year, quarter * 3)


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _next_occurrence(today: _dt.date, month: int, day: int) -> _dt.date | None:
    """This year's ``month``-``day``, or next year's when it has already passed."""
    d = _safe_date(today.year, month, day)
    if d is None:
        return None
    if d < today:
        return _safe_date(today.year + 1, month, day)
    return d


# ----------------------------------------------------------------------------- data types


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time phrase that makes a goal time-bound.

    ``kind`` is one of ``date``, ``period``, ``window``, ``duration``, ``frequency``,
    ``event``. ``months`` estimates how long the goal has (used for the big-jump check)
    when it is knowable without ``today``.
    """

    start: int
    end: int
    kind: str
    zh: str = ""  # a Chinese rendering for the rewrite, when the phrase is English
    months: float | None = None
    resolver: Resolver | None = field(default=None, compare=False, repr=False)
    fixed: _dt.date | None = None  # resolved without today (absolute dates with a year)

    def resolve(self, today: _dt.date | None) -> _dt.date | None:
        """The deadline as a date, or None when it cannot be known."""
        if self.fixed is not None:
            return self.fixed
        if today is None or self.resolver is None:
            return None
        try:
            return self.resolver(today)
        except (ValueError, OverflowError):
            return None

    def months_left(self, today: _dt.date | None) -> float | None:
        """Months from ``today`` to the deadline (or the period's length without ``today``)."""
        if today is not None and self.kind in ("date", "period", "window", "duration", "event"):
            d = self.resolve(today)
            if d is not None:
                days = (d - today).days + 1
                if days > 0:
                    return days / 30.4
        return self.months


@dataclass(frozen=True, slots=True)
class Span:
    """A matched phrase that is not a deadline (SLA duration, vague time word)."""

    start: int
    end: int
    kind: str


# ----------------------------------------------------------------------------- patterns

_SUFFIX = r"(?:结束)?(?:前|之前|以前|为止|截止|止|内|之内|以内|里|期间|中)?"
_WEEKDAY = "一二三四五六日天"
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_EN_MONTH = (r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|"
             r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_EN_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

Handler = Callable[[re.Match[str], str], "Deadline | None"]
#: (regex, handler, gate): a pattern only runs when the (lower-cased) text contains one of
#: its gate strings; a cheap ``in`` test spares most regex scans on long inputs.
_PATTERNS: list[tuple[re.Pattern[str], Handler, tuple[str, ...]]] = []
_MONTH_GATE = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_GATES: dict[str, tuple[str, ...]] = {
    "_ymd": ("年", "-", "/", "."), "_md": ("月",), "_ym": ("月",), "_year": ("年",), "_en_year": ("20",),
    "_month": ("月",), "_en_month": _MONTH_GATE, "_en_day_only": ("st", "nd", "rd", "th"), "_en_day_month": _MONTH_GATE, "_quarter": ("q",),
    "_cn_quarter": ("季",), "_en_quarter": ("quarter",), "_half": ("h",), "_cn_half": ("半年",), "_en_half": ("half",),
    "_weekday": ("周", "星期", "礼拜"), "_en_named": ("week", "month", "quarter", "year", "half"),
    "_en_misc": ("year", "month", "quarter", "eo", "ytd", "today", "tomorrow", "tonight", "day"),
    "_cn_duration": ("持续", "为期", "连续", "坚持", "历时", "用时"),
    "_en_window": ("within", "in ", "over", "during", "for", "after"), "_en_next_n": ("next",),
    "_cn_frequency": ("每", "天天", "日日", "月月", "周周", "逐", "按"),
    "_en_frequency": ("every", "each", "per", "a ", "daily", "weekly", "monthly", "quarterly", "annual", "yearly",
                      "fortnight"),
    "_cn_event": ("前", "期间", "当天", "为止"), "_en_event": ("before", "by", "ahead", "prior"),
    "_cn_event_noun": ("前",), "_en_event_noun": ("before", "by", "ahead", "prior"), "_lunar_new_year": ("年前",),
}


def _pattern(regex: str, flags: int = re.IGNORECASE, gate: tuple[str, ...] | None = None
             ) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _PATTERNS.append((compile_fast(regex, flags), fn, gate if gate is not None else _GATES.get(fn.__name__, ())))
        return fn
    return register


def _before(text: str, start: int, words: str = r"before|prior to") -> bool:
    return re.search(rf"(?:{words})\s*(?:the\s+)?(?:start\s+of\s+)?$", text[max(0, start - 16):start], re.I) is not None


@_pattern(r"(?<![\d.])(?P<y>\d{4})\s?[年./-]\s?(?P<m>\d{1,2})\s?[月./-]\s?(?P<d>\d{1,2})(?!\d)(?:日|号)?" + _SUFFIX)
def _ymd(m: re.Match[str], text: str) -> Deadline | None:
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None or not 1900 <= d.year <= 2200:
        return None
    return Deadline(m.start(), m.end(), "date", fixed=d)


@_pattern(r"(?<![\d.])(?P<m>\d{1,2})月(?P<d>\d{1,2})(?:日|号)" + _SUFFIX)
def _md(m: re.Match[str], text: str) -> Deadline | None:
    month, day = int(m["m"]), int(m["d"])
    if _safe_date(2000, month, day) is None:
        return None
    return Deadline(m.start(), m.end(), "date", resolver=lambda t: _next_occurrence(t, month, day))


@_pattern(r"(?<![\d.])(?P<y>20\d{2})年(?P<m>\d{1,2})月(?:份)?(?P<part>底|末|初|上旬|中旬|下旬)?" + _SUFFIX)
def _ym(m: re.Match[str], text: str) -> Deadline | None:
    year, month = int(m["y"]), int(m["m"])
    if not 1 <= month <= 12:
        return None
    return Deadline(m.start(), m.end(), "period", months=1.0, fixed=end_of_month(year, month))


@_pattern(r"(?<![\d.])(?P<y>20\d{2})(?:年度?|财年)(?P<part>全年|年底|年末|底|末|初|内|上半年|下半年)?" + _SUFFIX)
def _year(m: re.Match[str], text: str) -> Deadline | None:
    year = int(m["y"])
    part = m["part"] or ""
    if part == "上半年":
        return Deadline(m.start(), m.end(), "period", months=6.0, fixed=_dt.date(year, 6, 30))
    return Deadline(m.start(), m.end(), "period", months=12.0, fixed=_dt.date(year, 12, 31))


@_pattern(r"(?<![A-Za-z0-9])(?:by|before|in|during|for|until|till|through|end of|the end of|FY)\s?(?P<y>20\d{2})(?![\d年])")
def _en_year(m: re.Match[str], text: str) -> Deadline | None:
    return Deadline(m.start(), m.end(), "period", zh=f"{m['y']}年底前", months=12.0,
                    fixed=_dt.date(int(m["y"]), 12, 31))


@_pattern(r"(?<![\d.])(?P<m>\d{1,2})月(?P<fen>份)?(?P<part>底|末|初|上旬|中旬|下旬|中)?(?P<suf>结束前|前|之前|以前|为止|截止|期间)?")
def _month(m: re.Match[str], text: str) -> Deadline | None:
    month = int(m["m"])
    if not 1 <= month <= 12:
        return None
    if text[m.end():m.end() + 1] in ("内", "里") and not m["fen"] and not m["part"]:
        return None  # "3月内" is a window of three months, matched elsewhere
    return Deadline(m.start(), m.end(), "period", months=1.0,
                    resolver=lambda t: end_of_month(*_month_year(t, month)))


def _month_year(today: _dt.date, month: int) -> tuple[int, int]:
    year = today.year if month >= today.month else today.year + 1
    return year, month


@_pattern(en(r"(?:(?:by|before|until|till|in|during|for|through|on|end of|the end of)\s+)?(?:the\s+)?"
             r"(?:end\s+of\s+)?" + _EN_MONTH + r"(?:\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y>\d{4}))?"))
def _en_month(m: re.Match[str], text: str) -> Deadline | None:
    mon = _EN_MONTHS[m["mon"].lower()[:3]]
    word = m.group(0).lower()
    has_prep = re.match(r"(?:by|before|until|till|in|during|for|through|on|end|the)\s", word) is not None
    if m["mon"].lower() in ("may", "mar", "march") and not (has_prep or m["d"] or m["y"]):
        return None  # the verbs "may", "march"
    return _month_day_year(m, mon)


@_pattern(en(r"(?:by|before|until|till|on)\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?!\s+(?:of\s+)?[A-Za-z]{3})"))
def _en_day_only(m: re.Match[str], text: str) -> Deadline | None:
    day = int(m["d"])
    if not 1 <= day <= 31:
        return None

    def resolve(t: _dt.date) -> _dt.date | None:
        for k in range(0, 3):
            first = add_months(_dt.date(t.year, t.month, 1), k)
            d = _safe_date(first.year, first.month, day)
            if d is not None and d >= t:
                return d
        return None

    return Deadline(m.start(), m.end(), "date", zh=f"{day}日前", months=1.0, resolver=resolve)


@_pattern(en(r"(?:(?:by|before|until|till|on)\s+)?(?:the\s+)?(?<![\d.])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _EN_MONTH +
             r"(?:,?\s+(?P<y>\d{4}))?"))
def _en_day_month(m: re.Match[str], text: str) -> Deadline | None:
    return _month_day_year(m, _EN_MONTHS[m["mon"].lower()[:3]])


def _month_day_year(m: re.Match[str], mon: int) -> Deadline | None:
    day = int(m["d"]) if m["d"] else None
    year = int(m["y"]) if m["y"] else None
    if day is not None and _safe_date(2000, mon, day) is None:
        return None
    zh = (f"{year}年" if year else "") + f"{mon}月" + (f"{day}日前" if day else "底前")
    if year is not None:
        d = _safe_date(year, mon, day) if day else end_of_month(year, mon)
        if d is None:
            return None
        return Deadline(m.start(), m.end(), "date" if day else "period", zh=zh, months=None if day else 1.0, fixed=d)
    if day is not None:
        return Deadline(m.start(), m.end(), "date", zh=zh, resolver=lambda t: _next_occurrence(t, mon, day))
    return Deadline(m.start(), m.end(), "period", zh=zh, months=1.0,
                    resolver=lambda t: end_of_month(*_month_year(t, mon)))


@_pattern(r"(?<![A-Za-z0-9])(?:(?:by|before|in|during|until|till|through)\s+)?(?:the\s+)?(?:end\s+of\s+)?"
          r"(?:(?P<y>20\d{2})\s?年?\s?)?(?:第)?[Qq](?P<q>[1-4])(?![0-9])(?:\s?[/,]?\s?(?P<y2>20\d{2})(?!\d))?(?:季度)?"
          r"(?P<part>末|底|结束)?(?P<suf>前|之前|以前|内|之内|期间|中)?")
def _quarter(m: re.Match[str], text: str) -> Deadline | None:
    return _quarter_deadline(m, text, int(m["q"]))


@_pattern(r"(?:(?P<y>20\d{2})年)?(?:第)?(?<![\d.])(?P<q>[1-4])季度?(?P<part>末|底|结束)?(?P<suf>前|之前|以前|内|之内|期间|中)?")
def _cn_quarter(m: re.Match[str], text: str) -> Deadline | None:
    if "季度" not in m.group(0) and "第" not in m.group(0):
        return None
    if m.start() > 0 and text[m.start() - 1] in "每隔":
        return None
    return _quarter_deadline(m, text, int(m["q"]))


@_pattern(en(r"(?:(?:by|before|in|during|for|through|end of|the end of)\s+)?(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
             r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?P<y>\d{4}))?"))
def _en_quarter(m: re.Match[str], text: str) -> Deadline | None:
    return _quarter_deadline(m, text, _EN_ORD[m["ord"].lower()])


def _quarter_deadline(m: re.Match[str], text: str, q: int) -> Deadline:
    before = _before(text, m.start()) or bool(re.match(r"\s*before", m.group(0), re.I))
    try:
        suf = m["suf"] or ""
        part = m["part"] or ""
    except IndexError:
        suf = part = ""
    if suf in ("前", "之前", "以前") and not part:
        before = True
    year = int(m["y"]) if m["y"] else None
    try:
        if year is None and m["y2"]:
            year = int(m["y2"])
    except IndexError:
        pass
    zh = (f"{year}年" if year else "") + (f"第{q}季度开始前" if before else f"第{q}季度末前")

    def end(y: int) -> _dt.date:
        if before:
            return quarter_end(y, q - 1) if q > 1 else _dt.date(y - 1, 12, 31)
        return quarter_end(y, q)

    if year is not None:
        return Deadline(m.start(), m.end(), "period", zh=zh, months=3.0, fixed=end(year))

    def resolve(t: _dt.date) -> _dt.date:
        d = end(t.year)
        return d if d >= t else end(t.year + 1)

    return Deadline(m.start(), m.end(), "period", zh=zh, months=3.0, resolver=resolve)


@_pattern(r"(?<![A-Za-z0-9])(?:(?P<y>20\d{2})\s?)?(?:H(?P<h>[12])|(?P<h2>[12])H)(?![0-9A-Za-z])", 0)
def _half(m: re.Match[str], text: str) -> Deadline | None:
    return _half_deadline(m, int(m["h"] or m["h2"]))


@_pattern(r"(?:(?P<y>20\d{2})年)?(?P<cn>上半年|下半年)" + _SUFFIX)
def _cn_half(m: re.Match[str], text: str) -> Deadline | None:
    return _half_deadline(m, 1 if m["cn"] == "上半年" else 2)


@_pattern(en(r"(?:(?:by|in|during|for|through|end of|the end of)\s+)?(?:the\s+)?(?P<ord>first|second)\s+half"
             r"(?:\s+of\s+(?:the\s+year|(?P<y>\d{4})))?"))
def _en_half(m: re.Match[str], text: str) -> Deadline | None:
    return _half_deadline(m, 1 if m["ord"].lower() == "first" else 2)


def _half_deadline(m: re.Match[str], h: int) -> Deadline:
    year = int(m["y"]) if m["y"] else None
    zh = (f"{year}年" if year else "") + ("上半年" if h == 1 else "下半年")
    month = 6 if h == 1 else 12
    if year is not None:
        return Deadline(m.start(), m.end(), "period", zh=zh, months=6.0, fixed=end_of_month(year, month))

    def resolve(t: _dt.date) -> _dt.date:
        d = end_of_month(t.year, month)
        return d if d >= t else end_of_month(t.year + 1, month)

    return Deadline(m.start(), m.end(), "period", zh=zh, months=6.0, resolver=resolve)


# Named relative periods (Chinese). Each entry: regex → (months, resolver).
def _this_week(t: _dt.date) -> _dt.date:
    return t + _dt.timedelta(days=6 - t.weekday())


def _this_quarter(t: _dt.date) -> _dt.date:
    return quarter_end(t.year, (t.month - 1) // 3 + 1)


def _next_quarter(t: _dt.date) -> _dt.date:
    q = (t.month - 1) // 3 + 1
    return quarter_end(t.year + 1, 1) if q == 4 else quarter_end(t.year, q + 1)


def _end_of_next_month(t: _dt.date) -> _dt.date:
    d = add_months(_dt.date(t.year, t.month, 1), 1)
    return end_of_month(d.year, d.month)


def _mid_month(t: _dt.date) -> _dt.date:
    if t.day <= 15:
        return _dt.date(t.year, t.month, 15)
    d = add_months(_dt.date(t.year, t.month, 15), 1)
    return d


def _new_year(t: _dt.date) -> _dt.date:
    return _dt.date(t.year + 1 if t.month >= 10 else t.year, 12, 31)


_NAMED_CN: tuple[tuple[str, float, Resolver, tuple[str, ...]], ...] = (
    (r"(?:本|这|这个|当)(?:周|星期|礼拜)(?:末)?|周末", 0.25, _this_week, ("周", "星期", "礼拜")),
    (r"周度(?=目标|计划|考核|任务|指标|KPI)", 0.25, _this_week, ("周度",)),
    (r"月度(?=目标|计划|考核|任务|指标|KPI)", 1.0, lambda t: end_of_month(t.year, t.month), ("月度",)),
    (r"季度(?=目标|计划|考核|任务|指标|KPI)", 3.0, _this_quarter, ("季度",)),
    (r"年度(?=目标|计划|考核|任务|指标|KPI)", 12.0, lambda t: _dt.date(t.year, 12, 31), ("年度",)),
    (r"(?<![上下])月中", 0.5, lambda t: _mid_month(t), ("月中",)),
    (r"年中", 6.0, lambda t: _dt.date(t.year, 6, 30) if t <= _dt.date(t.year, 6, 30) else _dt.date(t.year + 1, 6, 30),
     ("年中",)),
    (r"下(?:个|一)?(?:周|星期|礼拜)(?:末)?", 0.5, lambda t: _this_week(t) + _dt.timedelta(days=7), ("周", "星期", "礼拜")),
    (r"(?:本|这个|当|这)月(?:度)?(?:底|末|内)?|月底|月末", 1.0, lambda t: end_of_month(t.year, t.month), ("月",)),
    (r"下(?:个|一个?)?月(?:底|末|初)?", 2.0, lambda t: _end_of_next_month(t), ("月",)),
    (r"(?:本|这个|当|这)季度?(?:末|底)?|季度末|季度底|季末", 3.0, _this_quarter, ("季",)),
    (r"下(?:个|一个?)?季度?(?:末|底)?", 6.0, _next_quarter, ("季",)),
    (r"(?:今|本)年(?:度)?(?:内|底|末|全年)?|全年|年内|年底|年末|年终|本财年|本财政年度|这一年|整年", 12.0,
     lambda t: _dt.date(t.year, 12, 31), ("年",)),
    (r"明年|来年|下一年|下年度|新财年", 24.0, lambda t: _dt.date(t.year + 1, 12, 31), ("年",)),
    (r"新的(?:一|1)年|新一年|新年度|新的年度", 12.0, _new_year, ("年",)),
    (r"今天|今日|今晚|当天下班前|今天下班前", 0.05, lambda t: t, ("今", "下班前")),
    (r"明天|明日", 0.05, lambda t: t + _dt.timedelta(days=1), ("明",)),
    (r"后天", 0.1, lambda t: t + _dt.timedelta(days=2), ("后天",)),
)


def _make_named(regex: str, months: float, resolver: Resolver, gate: tuple[str, ...]) -> None:
    @_pattern(r"(?:在)?(?:" + regex + r")" + _SUFFIX, gate=gate)
    def handler(m: re.Match[str], text: str) -> Deadline | None:
        before = m.start() > 0 and text[m.start() - 1] in "每上"
        if before:
            return None
        return Deadline(m.start(), m.end(), "period", months=months, resolver=resolver)


for _regex, _months, _resolver, _gate in _NAMED_CN:
    _make_named(_regex, _months, _resolver, _gate)


@_pattern(r"(?P<rel>本|这|下个?|下一)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?P<suf>下班前|结束前|前|之前|以前|为止|截止)?")
def _weekday(m: re.Match[str], text: str) -> Deadline | None:
    if m.start() > 0 and text[m.start() - 1] in "每至到~→-":
        return None
    if not (m["rel"] or m["suf"]):
        return None
    wd = "一二三四五六".find(m["wd"])
    wd = 6 if wd < 0 else wd
    nxt = bool(m["rel"] and m["rel"].startswith("下"))

    def resolve(t: _dt.date) -> _dt.date:
        d = t + _dt.timedelta(days=(wd - t.weekday()) % 7)
        if nxt:
            d = t - _dt.timedelta(days=t.weekday()) + _dt.timedelta(days=7 + wd)
        return d

    return Deadline(m.start(), m.end(), "date", months=0.25 if not nxt else 0.5, resolver=resolve)


_EN_NAMED: dict[str, tuple[str, float, Resolver]] = {
    "week": ("本周内", 0.25, _this_week),
    "month": ("本月底前", 1.0, lambda t: end_of_month(t.year, t.month)),
    "quarter": ("本季度末前", 3.0, _this_quarter),
    "year": ("今年年底前", 12.0, lambda t: _dt.date(t.year, 12, 31)),
    "fiscal year": ("本财年结束前", 12.0, lambda t: _dt.date(t.year, 12, 31)),
    "financial year": ("本财年结束前", 12.0, lambda t: _dt.date(t.year, 12, 31)),
    "half": ("本半年结束前", 6.0, lambda t: end_of_month(t.year, 6 if t.month <= 6 else 12)),
}


@_pattern(en(r"(?:(?:by|before|until|till|in|during|for|through|within|at)\s+)?(?:the\s+)?(?:(?:end|close)\s+of\s+)?"
             r"(?:the\s+)?(?P<rel>this|next|the current|current|the coming|coming|the)\s+"
             r"(?P<unit>week|month|quarter|year|fiscal year|financial year|half)"))
def _en_named(m: re.Match[str], text: str) -> Deadline | None:
    rel = m["rel"].lower()
    whole = m.group(0).lower()
    if rel == "the" and not re.search(r"(?:end|close) of", whole):
        return None
    zh, months, resolver = _EN_NAMED[m["unit"].lower()]
    if rel == "next":
        unit = m["unit"].lower()
        if unit == "week":
            return Deadline(m.start(), m.end(), "period", zh="下周内", months=0.5,
                            resolver=lambda t: _this_week(t) + _dt.timedelta(days=7))
        if unit == "month":
            return Deadline(m.start(), m.end(), "period", zh="下个月底前", months=2.0,
                            resolver=_end_of_next_month)
        if unit == "quarter":
            return Deadline(m.start(), m.end(), "period", zh="下季度末前", months=6.0, resolver=_next_quarter)
        return Deadline(m.start(), m.end(), "period", zh="明年底前", months=24.0,
                        resolver=lambda t: _dt.date(t.year + 1, 12, 31))
    return Deadline(m.start(), m.end(), "period", zh=zh, months=months, resolver=resolver)


@_pattern(en(r"(?:by\s+)?(?:year|month|quarter)[- ]end|EOY|EOM|EOQ|EOW|YTD|all year(?: long| round)?|full year|"
             r"throughout the year|for the year|in the new year|today|tomorrow|tonight|end of (?:the )?day|EOD|"
             r"(?:by|before|on|until|till|this|next)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"))
def _en_misc(m: re.Match[str], text: str) -> Deadline | None:
    word = m.group(0).lower()
    if "new year" in word:
        return Deadline(m.start(), m.end(), "period", zh="在新的一年里", months=12.0, resolver=_new_year)
    if any(w in word for w in ("year", "eoy", "ytd")):
        return Deadline(m.start(), m.end(), "period", zh="今年年底前", months=12.0,
                        resolver=lambda t: _dt.date(t.year, 12, 31))
    if "month" in word or "eom" in word:
        return Deadline(m.start(), m.end(), "period", zh="本月底前", months=1.0,
                        resolver=lambda t: end_of_month(t.year, t.month))
    if "quarter" in word or "eoq" in word:
        return Deadline(m.start(), m.end(), "period", zh="本季度末前", months=3.0, resolver=_this_quarter)
    if "eow" in word:
        return Deadline(m.start(), m.end(), "period", zh="本周内", months=0.25, resolver=_this_week)
    if "tomorrow" in word:
        return Deadline(m.start(), m.end(), "date", zh="明天", months=0.05, resolver=lambda t: t + _dt.timedelta(days=1))
    if word in ("today", "tonight", "eod") or word.startswith("end of"):
        return Deadline(m.start(), m.end(), "date", zh="今天", months=0.05, resolver=lambda t: t)
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    wd = next((i for i, d in enumerate(days) if d in word), 4)
    nxt = word.startswith("next")

    def resolve(t: _dt.date) -> _dt.date:
        if nxt:
            return t - _dt.timedelta(days=t.weekday()) + _dt.timedelta(days=7 + wd)
        return t + _dt.timedelta(days=(wd - t.weekday()) % 7)

    return Deadline(m.start(), m.end(), "date", zh=("下" if nxt else "本") + "周" + "一二三四五六日"[wd] + "前",
                    months=0.25, resolver=resolve)


# Windows: 两周内, 3个月内, 半年内, 未来30天, within 2 weeks.
_CN_WINDOW_UNIT = {"天": 1, "日": 1, "工作日": 1.4, "周": 7, "星期": 7, "礼拜": 7, "月": 30.4, "年": 365, "季度": 91,
                   "小时": 1 / 24, "钟头": 1 / 24, "分钟": 1 / 1440}


def _window(m: re.Match[str], n: float, unit_days: float, kind: str = "window", zh: str = "") -> Deadline | None:
    days = n * unit_days
    if days <= 0 or days > 365 * 30:
        return None
    months = days / 30.4
    if unit_days >= 28 and unit_days < 32:
        whole = int(n)
        frac_days = (n - whole) * 30.4

        def resolve(t: _dt.date) -> _dt.date | None:
            d = add_months(t, whole)
            return add_days(d, frac_days)
    elif unit_days >= 365:
        def resolve(t: _dt.date) -> _dt.date | None:
            return add_months(t, int(round(n * 12)))
    else:
        def resolve(t: _dt.date) -> _dt.date | None:
            return add_days(t, max(days, 1) if days >= 1 else 0)
    return Deadline(m.start(), m.end(), kind, zh=zh, months=months, resolver=resolve)


def _cn_amount(num: str | None, half: str | None) -> float | None:
    if num == "半" or (not num and half):
        return 0.5
    if not num:
        return None
    try:
        value = float(num)
    except ValueError:
        return None
    return value + (0.5 if half else 0.0)


@_pattern(r"(?P<pre>未来|接下来的?|今后|在|用|花|于)?(?<![\d.])(?P<n>\d+(?:\.\d+)?|半)(?P<ge>个)?(?P<half>半)?"
          r"(?P<u>个?工作日|天|日|周|星期|礼拜|月|年|季度|小时|钟头|分钟)(?:的)?(?:时间)?"
          r"(?P<suf>内|之内|以内|里|以后|后|之后|时间里)?")
def _cn_window(m: re.Match[str], text: str) -> Deadline | None:
    if not (m["suf"] or m["pre"] in ("未来", "接下来", "接下来的", "今后", "用", "花")):
        return None
    if m.start() > 0 and text[m.start() - 1] in "每第超过":
        return None
    unit = m["u"].lstrip("个")
    if unit == "月" and not m["ge"] and m["suf"] is None:
        return None
    n = _cn_amount(m["n"], m["half"])
    if n is None:
        return None
    return _window(m, n, _CN_WINDOW_UNIT[unit])


@_pattern(r"(?P<pre>持续|为期|连续|坚持|历时|用时)(?P<n>\d+(?:\.\d+)?|半)(?P<ge>个)?(?P<half>半)?"
          r"(?P<u>个?工作日|天|日|周|星期|礼拜|月|年|季度)")
def _cn_duration(m: re.Match[str], text: str) -> Deadline | None:
    n = _cn_amount(m["n"], m["half"])
    if n is None:
        return None
    return _window(m, n, _CN_WINDOW_UNIT[m["u"].lstrip("个")], kind="duration")


_EN_UNIT_DAYS = {"day": 1, "business day": 1.4, "working day": 1.4, "calendar day": 1, "week": 7, "month": 30.4,
                 "year": 365, "quarter": 91, "fortnight": 14, "hour": 1 / 24, "hr": 1 / 24, "minute": 1 / 1440,
                 "min": 1 / 1440}


@_pattern(en(r"(?P<pre>within|in|over|during|for|after)\s+(?:the\s+|their\s+|his\s+|her\s+|my\s+|our\s+)?"
             r"(?:next|coming|following|first)?\s*"
             r"(?P<n>\d+(?:\.\d+)?|a|an|one)\s+(?P<u>business day|working day|calendar day|day|week|month|year|"
             r"quarter|fortnight|hour|hr|minute|min)s?"))
def _en_window(m: re.Match[str], text: str) -> Deadline | None:
    n_raw = m["n"].lower()
    n = 1.0 if n_raw in ("a", "an", "one") else float(n_raw)
    unit = m["u"].lower()
    pre = m["pre"].lower()
    kind = "duration" if pre in ("for", "over", "during") else "window"
    zh = f"{fmt(n)}{_EN_UNIT_ZH[unit]}内"
    return _window(m, n, _EN_UNIT_DAYS[unit], kind=kind, zh=zh)


@_pattern(en(r"(?:the\s+)?next\s+(?P<n>\d+)\s+(?P<u>day|week|month|year|quarter)s?"))
def _en_next_n(m: re.Match[str], text: str) -> Deadline | None:
    unit = m["u"].lower()
    return _window(m, float(m["n"]), _EN_UNIT_DAYS[unit], zh=f"{m['n']}{_EN_UNIT_ZH[unit]}内")


_EN_UNIT_ZH = {"day": "天", "business day": "个工作日", "working day": "个工作日", "calendar day": "天", "week": "周",
               "month": "个月", "year": "年", "quarter": "个季度", "fortnight": "个两周", "hour": "小时", "hr": "小时",
               "minute": "分钟", "min": "分钟"}


def fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


# Frequencies: the evaluation window is each period.
@_pattern(r"每(?:隔)?(?:(?P<n>\d+|半)(?:个)?)?(?:一个?|个)?(?P<u>工作日|天|日|周|星期|礼拜|月|季度|季|年|班|早|晚|半年)"
          r"|天天|日日|月月|周周|逐日|逐周|逐月|按日|按周|按月|按季度?")
def _cn_frequency(m: re.Match[str], text: str) -> Deadline | None:
    return Deadline(m.start(), m.end(), "frequency", months=_freq_months(m.group(0)))


def _freq_months(word: str) -> float:
    for key, months in (("年", 12.0), ("季", 3.0), ("月", 1.0), ("周", 0.25), ("星期", 0.25), ("礼拜", 0.25),
                        ("year", 12.0), ("annual", 12.0), ("quarter", 3.0), ("month", 1.0), ("fortnight", 0.5),
                        ("week", 0.25)):
        if key in word.lower():
            return months
    return 0.05


@_pattern(en(r"(?:every|each|per|a|once a|twice a)\s+(?:other\s+)?(?:\d+\s+)?(?:business\s+|working\s+)?"
             r"(?:day|week|month|quarter|year|shift|fortnight|morning|evening|afternoon|night|workday|weekday)s?|daily|weekly|monthly|quarterly|annually|yearly|"
             r"bi-?weekly|fortnightly|bi-?monthly"))
def _en_frequency(m: re.Match[str], text: str) -> Deadline | None:
    word = m.group(0).lower()
    if word.startswith("a ") and not re.search(r"\d|times?|once|twice", text[max(0, m.start() - 12):m.start()], re.I):
        return None  # "a day" alone is not a frequency
    return Deadline(m.start(), m.end(), "frequency", months=_freq_months(word))


# Dated events.
_EVENTS_FIXED: dict[str, tuple[int, int]] = {
    "双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "618": (6, 18), "元旦": (1, 1),
    "五一": (5, 1), "劳动节": (5, 1), "国庆": (10, 1), "十一": (10, 1), "圣诞": (12, 25), "圣诞节": (12, 25),
}
_LUNAR: dict[str, dict[int, tuple[int, int]]] = {
    "春节": {2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23),
           2032: (2, 11)},
    "中秋": {2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3), 2029: (9, 22), 2030: (9, 12), 2031: (10, 1),
           2032: (9, 19)},
    "端午": {2025: (5, 31), 2026: (6, 19), 2027: (6, 9), 2028: (5, 28), 2029: (6, 16), 2030: (6, 5), 2031: (6, 24),
           2032: (6, 12)},
}


#: Holidays dated from another one: (base, days after it). 除夕 is the eve of 春节, 元宵 its 15th day.
_DERIVED: dict[str, tuple[str, int]] = {"除夕": ("春节", -1), "元宵": ("春节", 14), "年前": ("春节", 0)}
_EVENTS_FIXED.update({"清明": (4, 4), "七一": (7, 1), "八一": (8, 1), "妇女节": (3, 8), "三八": (3, 8)})


def _event_resolver(name: str, before: bool) -> Resolver | None:
    delta = _dt.timedelta(days=1 if before else 0)
    for key, (base, shift) in _DERIVED.items():
        if name.startswith(key):
            table = _LUNAR[base]

            def derived(t: _dt.date, table: dict[int, tuple[int, int]] = table, shift: int = shift) -> _dt.date | None:
                for year in (t.year, t.year + 1):
                    md = table.get(year)
                    if md is not None:
                        d = _dt.date(year, *md) + _dt.timedelta(days=shift)
                        if d >= t:
                            return d - delta
                return None
            return derived
    for key in _EVENTS_FIXED:
        if name.startswith(key) and key not in ("十一",):
            name = key
            break
    if name in _EVENTS_FIXED:
        month, day = _EVENTS_FIXED[name]

        def fixed(t: _dt.date) -> _dt.date | None:
            d = _next_occurrence(t, month, day)
            return None if d is None else d - delta
        return fixed
    for key, table in _LUNAR.items():
        if name.startswith(key):
            def lunar(t: _dt.date, table: dict[int, tuple[int, int]] = table) -> _dt.date | None:
                for year in (t.year, t.year + 1):
                    md = table.get(year)
                    if md is not None:
                        d = _dt.date(year, *md)
                        if d >= t:
                            return d - delta
                return None
            return lunar
    return None


@_pattern(r"(?:在)?(?P<ev>双十一|双11|双十二|双12|(?<!\d)618(?!\d)|黑五|黑色星期五|春节|国庆|中秋|元旦|五一|劳动节|十一|"
          r"端午|圣诞节?|年会|大促|旺季|淡季|开学季|寒假|暑假|暑期|春运|年终考核|年终评估|年中考核|季度考核|月度考核|"
          r"年度考核|(?:下次|下一次|本次|这次|下轮|下一轮)[^,.;!?\s]{0,8}?(?:面谈|考核|评估|会议|例会|复盘|述职|培训|检查|"
          r"审核|评审|沟通会)|试用期结束|试用期满|转正|新系统上线|系统上线|上线|开业|换季|调薪|晋升评审|审计|元宵|除夕|清明)"
          r"(?:节|节日|假期|长假|小长假|放假|假)?(?P<mid>来临|到来|开始|结束)?(?P<suf>前|之前|以前|期间|当天|为止)")
def _cn_event(m: re.Match[str], text: str) -> Deadline | None:
    ev = m["ev"]
    if ev == "十一" and m.start() > 0 and text[m.start() - 1] in "双第":
        return None
    before = m["suf"] in ("前", "之前", "以前") and m["mid"] != "结束"
    return Deadline(m.start(), m.end(), "event", resolver=_event_resolver(ev, before))


@_pattern(en(r"(?:before|by|ahead of|prior to)\s+(?:the\s+)?(?:black friday|christmas|the holidays?|holiday season|"
             r"peak season|(?:next|upcoming)\s+(?:performance\s+)?(?:review|appraisal|1:1|one-on-one|meeting|audit)|"
             r"go-?live|launch|year-end review|annual review)"))
def _en_event(m: re.Match[str], text: str) -> Deadline | None:
    word = m.group(0).lower()
    resolver: Resolver | None = None
    if "christmas" in word:
        resolver = _event_resolver("圣诞", True)
    elif "black friday" in word:
        def resolver(t: _dt.date) -> _dt.date:
            def bf(y: int) -> _dt.date:
                first = _dt.date(y, 11, 1)
                return first + _dt.timedelta(days=(4 - first.weekday()) % 7 + 21)
            d = bf(t.year)
            return (d if d > t else bf(t.year + 1)) - _dt.timedelta(days=1)
    return Deadline(m.start(), m.end(), "event", resolver=resolver)


# Event deadlines beyond the named ones above (brief §2.3 T: "event deadlines with a knowable
# date"). A 节点 is a noun phrase whose head names a holiday, a scheduled business event or a
# milestone, followed by 前/之前/以前: 春节放假前, 年中盘点前, 季度述职之前, 新系统切换前,
# 下次质检校准会前. The team knows the date of such an event even when the checker does not, so
# the goal is time-bound; the worksheet then asks for the date (the resolver knows only holidays).
# The head list names *kinds* of event, not phrases from any goal; 会 only counts after a word
# that makes it a meeting (例会, 校准会), never the modal 会 (就会, 学会). The modifier in front of
# the head is at most four characters with no verb, particle or digit, so the span never
# swallows the goal's metric or numbers.
_EVENT_HEAD = (
    r"放假|假期|长假|节日|(?<![环章细关调音礼季情])节|盘点|审计|述职|考核|评审|评估|评优|验收|检查|巡检|上线|切换|"
    r"迁移|割接|发布|改版|开业|开学|开工|复工|高峰|高峰期|旺季|淡季|大促|促销|活动|年会|面谈|培训|入职|转正|交接|"
    r"结账|封账|关账|考试|认证|晋升|调薪|换季|搬迁|招标|投标|汇报|峰会|展会|"
    r"(?:例|周|月|年|晨|夕|早|班前|校准|启动|复盘|动员|表彰|分享|述职|评审|总结|沟通|协调|分析|经营|质量|运营)会"
)
_EVENT_STOP = set("把将在于让要对和与跟给的了着过从到至是为被由向比后再先就才都也还又并且及或每各本这那该此其"
                  "我你他她们完成做提升降低达保持控制实现开展组织确保前之以，,。;；:：!！?？ ")


@_pattern(r"(?:" + _EVENT_HEAD + r")(?P<mid>来临|到来|开始|结束)?(?P<suf>前|之前|以前)(?![台面端线排景沿夕缀置])")
def _cn_event_noun(m: re.Match[str], text: str) -> Deadline | None:
    start = m.start()
    while start > 0 and m.start() - start < 4 and text[start - 1] not in _EVENT_STOP and not text[start - 1].isdigit():
        start -= 1
    if m["mid"] == "结束":
        before = False
    else:
        before = True
    name = text[start:m.start()] + text[m.start():m.start("suf")]
    return Deadline(start, m.end(), "event", resolver=_event_resolver(name, before))


# "年前" alone is "before the (lunar) New Year" (三年前, 去年前 are other words).
@_pattern(r"(?<![\d一二两三四五六七八九十几多半去今明前后每当近跨过])年前(?![一二两三四五六七八九十\d几半期])")
def _lunar_new_year(m: re.Match[str], text: str) -> Deadline | None:
    return Deadline(m.start(), m.end(), "event", resolver=_event_resolver("年前", True))


_EN_EVENT_HEAD = (
    r"audits?|reviews?|appraisals?|launch|go-?live|migration|cut-?over|roll-?out|release|inspection|holidays?|festival|"
    r"new year|lunar new year|spring festival|peak(?: season)?|busy season|promotion|campaign|sale|kick-?off|offsite|"
    r"training|onboarding|calibration|renewal|deadline|board meeting|town hall|all-hands|handover|reorg|"
    r"year-end|quarter-end|month-end|(?:team |staff |monthly |weekly |quarterly )?meeting|stocktake|inventory count"
)


@_pattern(en(r"(?:before|ahead of|prior to|by)\s+(?P<det>the|our|next|upcoming|this year's|the next|the upcoming)\s+"
             r"(?:[A-Za-z0-9-]+\s+){0,2}?(?:" + _EN_EVENT_HEAD + r")")
          + r"|" + en(r"(?:before|ahead of|prior to)\s+(?:[A-Za-z0-9-]+\s+){0,1}?(?:" + _EN_EVENT_HEAD + r")"))
def _en_event_noun(m: re.Match[str], text: str) -> Deadline | None:
    word = m.group(0).lower()
    resolver = _event_resolver("春节", True) if ("new year" in word or "spring festival" in word) else None
    return Deadline(m.start(), m.end(), "event", resolver=resolver)


# ----------------------------------------------------------------------------- SLA durations

_SLA_VERB = compile_fast(
    r"回复|答复|回电|回拨|回访|接起|接听|接通|应答|响应|处理|解决|办结|结案|跟进|反馈|联系|回应|受理|派单|首响|未回复|"
    r"未处理|未响应|未接|超时|到场|上门|" + en(
        r"repl(?:y|ies|ied)|respond(?:s|ed)?|responses?|answer(?:s|ed)?|resolv(?:e|es|ed)|handl(?:e|es|ed)|"
        r"acknowledg(?:e|es|ed)|pick(?:s|ed)? up|call(?:s|ed)? back|follow(?:s|ed)? up|return(?:s|ed)?|"
        r"clos(?:e|es|ed)|first response"),
    re.IGNORECASE,
)
_SLA_CN = compile_fast(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)(?P<u>秒钟|秒|s|分钟|min|小时|h|个?工作日|天|日|声)(?P<suf>内|以内|之内)?",
                     re.IGNORECASE)
_SLA_EN = compile_fast(en(r"(?:within|in|under|inside)\s+(?:(?P<n>\d+(?:\.\d+)?|a|an|one)\s+)?(?P<biz>business\s+|working\s+)?"
                        r"(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?)"), re.IGNORECASE)
_SLA_RATIO = compile_fast(r"(?<![\d./])(?P<a>\d{2,3})\s?/\s?(?P<b>\d{1,2})(?![\d./])")
_RATE_WORD = re.compile(r"率|占比|比例|比率|达成|达标|" + en(r"rate|%"), re.IGNORECASE)
_ITEM_QUANT = re.compile(r"每(?:条|个|单|件|位|通|封|次|笔|张)|均|一律|" + en(r"every|each|all"), re.IGNORECASE)
_CLAUSE_STOP = re.compile(r"[,;。!?\n]")


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and not _CLAUSE_STOP.match(text[left - 1]) and start - left < 30:
        left -= 1
    right = end
    while right < len(text) and not _CLAUSE_STOP.match(text[right]) and right - end < 30:
        right += 1
    return left, right


def find_sla(text: str) -> list[Span]:
    """Service-level durations and ratios (they are standards, not deadlines)."""
    spans: list[Span] = []
    for m in _SLA_CN.finditer(text):
        if len(spans) > MAX_CANDIDATES:
            break
        if m.start() > 0 and text[m.start() - 1] in "每第":
            continue
        if m["u"] == "日" and m.start() > 0 and text[m.start() - 1] in "月-/.":
            continue  # a day of the month
        unit = m["u"].lower()
        left, right = _clause_bounds(text, m.start(), m.end())
        before = text[max(left, m.start() - 10):m.start()]
        after = text[m.end():min(right, m.end() + 10)]
        exceeds = re.search(r"(?:超过|超出|大于|多于|长于|over|more than)\s?$", before, re.I) is not None
        verb_near = bool(_SLA_VERB.search(after)) or bool(_SLA_VERB.search(before))
        if unit in ("秒钟", "秒", "s", "分钟", "min", "小时", "h", "声"):
            verb_after = bool(_SLA_VERB.match(text, m.end(), min(right, m.end() + 4)))
            if exceeds or unit == "声" or (m["suf"] and verb_near) or (unit in ("秒", "秒钟", "s") and verb_after):
                spans.append(Span(m.start(), m.end(), "sla"))
        else:  # days: only when clearly per item
            clause = text[left:right]
            if exceeds or (unit.endswith("工作日") and verb_near) or (
                    verb_near and (_RATE_WORD.search(after) or _ITEM_QUANT.search(clause))):
                spans.append(Span(m.start(), m.end(), "sla"))
    for m in _SLA_EN.finditer(text):
        unit = m["u"].lower()
        left, right = _clause_bounds(text, m.start(), m.end())
        verb_near = bool(_SLA_VERB.search(text[left:right]))
        if unit.startswith("day") and not (m["biz"] or (verb_near and _ITEM_QUANT.search(text[left:right]))):
            continue
        if unit.startswith(("s", "m", "h")) or verb_near:
            spans.append(Span(m.start(), m.end(), "sla"))
    for m in _SLA_RATIO.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if 50 <= a <= 100 and 5 <= b <= 60:
            spans.append(Span(m.start(), m.end(), "ratio"))
    return spans


# ----------------------------------------------------------------------------- vague time words

_VAGUE_TIME = compile_fast(
    r"尽快|尽早|早日|及早|马上|立即|立刻|立马|赶紧|以后|今后|将来|长期|不再|永远|始终|一直|随时|持续|逐步|逐渐|日后|"
    r"未来(?!\d)|早点|抓紧|" + en(r"ASAP|as soon as possible|soon|going forward|from now on|eventually|in the future|"
                                r"over time|always|ongoing|never again|no longer|immediately|right away|someday|"
                                r"at some point|continuously"),
    re.IGNORECASE,
)


def find_vague_time(text: str) -> list[Span]:
    """Time words that look like a deadline but are not one (尽快, ASAP, 不再…)."""
    return [Span(m.start(), m.end(), "vague") for m in _VAGUE_TIME.finditer(text)]


# ----------------------------------------------------------------------------- public API


#: Upper bound on matches kept per pattern family (keeps huge inputs fast).
MAX_CANDIDATES = 400


def find_deadlines(text: str, sla: list[Span] | None = None) -> list[Deadline]:
    """Every deadline or evaluation period in normalised ``text``, in order.

    Phrases overlapping an SLA duration (``24小时内回复``) are dropped; among overlapping
    matches the longest wins.
    """
    sla_mask = SpanMask(len(text))
    for s in (sla if sla is not None else find_sla(text)):
        sla_mask.mark(s.start, s.end)
    candidates: list[Deadline] = []
    low = text.lower()
    for regex, handler, gate in _PATTERNS:
        if gate and not any(g in low for g in gate):
            continue
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            d = handler(m, text)
            if d is None or sla_mask.covered(d.start, d.end):
                continue
            candidates.append(d)
            if len(candidates) > MAX_CANDIDATES:
                break
    candidates.sort(key=lambda d: (-(d.end - d.start), d.start))
    taken = SpanMask(len(text))
    chosen: list[Deadline] = []
    for d in candidates:
        if not taken.covered(d.start, d.end):
            chosen.append(d)
            taken.mark(d.start, d.end)
    chosen.sort(key=lambda d: d.start)
    return chosen


_KIND_RANK = {"date": 0, "event": 1, "duration": 2, "window": 2, "period": 3, "frequency": 4}


_STARTS = re.compile(r"(?:开始|起|起算|" + en(r"onwards?|starting") + r")", re.IGNORECASE)


def primary_deadline(deadlines: list[Deadline], text: str = "") -> Deadline | None:
    """The deadline to report: the most concrete kind, earliest in the text on ties.

    A start plus a duration (``从下周一开始，持续8周``) becomes one deadline: start + duration.
    """
    if not deadlines:
        return None
    for i, start in enumerate(deadlines):
        if start.kind == "date" and _STARTS.match(text, start.end, start.end + 3):
            later = [d for d in deadlines[i + 1:] if d.kind in ("duration", "window")]
            if later:
                dur = later[0]

                def resolve(t: _dt.date, start: Deadline = start, dur: Deadline = dur) -> _dt.date | None:
                    begin = start.resolve(t)
                    if begin is None:
                        return None
                    end = dur.resolve(begin)
                    return None if end is None else end - _dt.timedelta(days=1)

                return Deadline(start.start, dur.end, "duration", months=dur.months, resolver=resolve)
    return min(deadlines, key=lambda d: (_KIND_RANK.get(d.kind, 9), d.start))
