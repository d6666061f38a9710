"""Scoring for self-assessments and knowledge checks, and the SVG charts of their results.

Knows no form: worksheets hand in their item definitions and the reader's answers
(already coerced strings), and get plain numbers, verdicts and SVG text back.

* Likert scales (倾听能力自测): :class:`LikertItem` (reverse-keyed items allowed),
  :func:`score_likert` → per-dimension and total sums, :func:`band_for` → score band.
* Forced choice (沟通冲突应对能力自测): :class:`ForcedPair`, :func:`score_pairs` → one
  point per pair to the mode of the chosen statement.
* Knowledge checks: :class:`QuizItem` (single or multiple choice), :func:`grade`.
* Charts: :func:`bar_chart` and :func:`trend_chart` draw SVG with only the elements the
  browser's allow-list keeps (svg, g, rect, line, polyline, circle, text, title) and no
  style, href or script; every text is escaped with :func:`html.escape`.

Example::

    >>> items = (LikertItem("q1", "我会复述要点。", "understand"),
    ...          LikertItem("q2", "我常常打断对方。", "respond", reverse=True))
    >>> s = score_likert(items, {"q1": "4", "q2": "5"})
    >>> s.total, s.dimensions["respond"].score, s.complete
    (5, 1, True)
    >>> grade(QuizItem("k", "lectures/00-intro.md", "choice", "?", (("a", "对"), ("b", "错")), ("a",), "因为…"), "a")
    'correct'
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCALE_MIN",
    "SCALE_MAX",
    "LikertItem",
    "DimensionScore",
    "LikertScore",
    "Band",
    "score_likert",
    "band_for",
    "ForcedPair",
    "PairScore",
    "score_pairs",
    "QuizItem",
    "grade",
    "lecture_href",
    "bar_chart",
    "trend_chart",
    "PALETTE",
]

#: The 5-point frequency scale of the self-assessments (1 = 从不 … 5 = 总是).
SCALE_MIN, SCALE_MAX = 1, 5


# ---- Likert scales ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LikertItem:
    """One statement rated on the 1–5 scale; ``reverse`` items score 6 − answer."""

    key: str
    text: str
    dimension: str
    reverse: bool = False

    def points(self, answer: int) -> int:
        return SCALE_MAX + SCALE_MIN - answer if self.reverse else answer


@dataclass(slots=True)
class DimensionScore:
    key: str
    score: int = 0
    answered: int = 0
    items: int = 0

    @property
    def maximum(self) -> int:
        return self.items * SCALE_MAX

    @property
    def minimum(self) -> int:
        return self.items * SCALE_MIN


@dataclass(slots=True)
class LikertScore:
    dimensions: dict[str, DimensionScore]
    points: dict[str, int]  # item key -> points after reversing (answered items only)
    missing: list[str]  # item keys not answered, in item order

    @property
    def total(self) -> int:
        return sum(d.score for d in self.dimensions.values())

    @property
    def maximum(self) -> int:
        return sum(d.maximum for d in self.dimensions.values())

    @property
    def minimum(self) -> int:
        return sum(d.minimum for d in self.dimensions.values())

    @property
    def complete(self) -> bool:
        return not self.missing


def _answer(raw: Any) -> int | None:
    """A scale answer as an int in 1–5 (the form sends strings); anything else is None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if SCALE_MIN <= value <= SCALE_MAX else None


def score_likert(items: Sequence[LikertItem], answers: Mapping[str, Any]) -> LikertScore:
    """Sum the answered items per dimension (reverse-keyed items reversed first).

    Dimensions appear in the order of their first item; unanswered items are listed in
    ``missing`` and add nothing.
    """
    dims: dict[str, DimensionScore] = {}
    points: dict[str, int] = {}
    missing: list[str] = []
    for item in items:
        d = dims.setdefault(item.dimension, DimensionScore(item.dimension))
        d.items += 1
        value = _answer(answers.get(item.key))
        if value is None:
            missing.append(item.key)
            continue
        p = item.points(value)
        points[item.key] = p
        d.score += p
        d.answered += 1
    return LikertScore(dimensions=dims, points=points, missing=missing)


@dataclass(frozen=True, slots=True)
class Band:
    """A score range ``low``–``high`` (inclusive) with its interpretation."""

    low: int
    high: int
    key: str
    label: str
    text: str


def band_for(score: int, bands: Sequence[Band]) -> Band:
    """The band holding ``score``; scores outside every band go to the nearest end.

    >>> bands = (Band(0, 4, "low", "低", ""), Band(5, 9, "high", "高", ""))
    >>> [band_for(s, bands).key for s in (-1, 4, 5, 12)]
    ['low', 'low', 'high', 'high']
    """
    ordered = sorted(bands, key=lambda b: b.low)
    for b in ordered:
        if b.low <= score <= b.high:
            return b
    return ordered[0] if score < ordered[0].low else ordered[-1]


# ---- forced choice --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForcedPair:
    """A situation and two behaviours, each belonging to one mode; the reader picks one."""

    key: str
    situation: str
    a: str
    a_mode: str
    b: str
    b_mode: str


@dataclass(slots=True)
class PairScore:
    counts: dict[str, int]  # mode -> points
    chosen: dict[str, str]  # pair key -> mode chosen
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def score_pairs(pairs: Sequence[ForcedPair], modes: Sequence[str], answers: Mapping[str, Any]) -> PairScore:
    """One point to the mode of the chosen option ("a" or "b") of every answered pair.

    >>> p = (ForcedPair("p1", "…", "甲", "x", "乙", "y"),)
    >>> score_pairs(p, ("x", "y"), {"p1": "b"}).counts
    {'x': 0, 'y': 1}
    """
    counts = {m: 0 for m in modes}
    chosen: dict[str, str] = {}
    missing: list[str] = []
    for pair in pairs:
        raw = answers.get(pair.key)
        mode = pair.a_mode if raw == "a" else pair.b_mode if raw == "b" else None
        if mode is None:
            missing.append(pair.key)
            continue
        counts[mode] = counts.get(mode, 0) + 1
        chosen[pair.key] = mode
    return PairScore(counts=counts, chosen=chosen, missing=missing)


# ---- knowledge checks -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuizItem:
    """One knowledge-check question of the item bank.

    ``kind`` is ``choice`` (one answer) or ``multichoice`` (every correct option, no
    wrong one). ``anchor`` is the id of the section that teaches it on the lecture page
    (``""``: the top of the page), ``section`` that section's name. ``pair`` and
    ``form`` ("A"/"B") place the item in the parallel pre/post forms; ``in_quiz`` False
    keeps it out of the lecture's knowledge check (a post-test item nobody has seen).
    """

    key: str
    lecture: str  # docs-relative path, e.g. "lectures/01-learning.md"
    kind: str
    stem: str
    options: tuple[tuple[str, str], ...]
    answer: tuple[str, ...]
    explanation: str
    anchor: str = ""
    section: str = ""
    difficulty: str = "基础"  # 基础 (recall) | 应用 (apply to a 客服 situation)
    scenario: bool = False  # a 客服 scenario question
    pair: str = ""
    form: str = ""
    in_quiz: bool = True

    def __post_init__(self) -> None:
        values = [v for v, _ in self.options]
        if self.kind not in ("choice", "multichoice"):
            raise ValueError(f"{self.key}: kind must be choice or multichoice")
        if not self.answer or set(self.answer) - set(values):
            raise ValueError(f"{self.key}: answer must be drawn from the options")
        if self.kind == "choice" and len(self.answer) != 1:
            raise ValueError(f"{self.key}: a single-choice question has exactly one answer")
        if len(set(values)) != len(values):
            raise ValueError(f"{self.key}: duplicate option values")

    @property
    def href(self) -> str:
        return lecture_href(self.lecture, self.anchor)

    def labels(self, values: Sequence[str]) -> list[str]:
        names = dict(self.options)
        return [names[v] for v in values if v in names]


def lecture_href(lecture: str, anchor: str = "") -> str:
    """A docs-relative lecture path as a link relative to the site root.

    >>> lecture_href("lectures/05-communication.md", "bia")
    'lectures/05-communication/#bia'
    """
    base = lecture[:-3] + "/" if lecture.endswith(".md") else lecture
    return base + (f"#{anchor}" if anchor else "")


def grade(item: QuizItem, value: Any) -> str:
    """``correct``, ``partial`` (multiple choice: some right, none wrong), ``wrong`` or
    ``unanswered``."""
    if item.kind == "choice":
        if not isinstance(value, str) or not value:
            return "unanswered"
        return "correct" if value == item.answer[0] else "wrong"
    picked = {v for v in value if isinstance(v, str)} if isinstance(value, (list, tuple)) else set()
    if not picked:
        return "unanswered"
    right = set(item.answer)
    if picked == right:
        return "correct"
    return "partial" if picked < right else "wrong"


# ---- charts ---------------------------------------------------------------------------------

#: Series colours (readable on light and dark backgrounds, distinct in greyscale print).
PALETTE = ("#3f51b5", "#00897b", "#e65100", "#8e24aa", "#6d4c41", "#546e7a")
_FONT = "sans-serif"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass(slots=True)
class _Svg:
    width: int
    height: int
    title: str
    parts: list[str] = field(default_factory=list)

    def add(self, tag: str, text: str | None = None, **attrs: Any) -> None:
        body = " ".join(f'{k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items() if v is not None)
        if text is None:
            self.parts.append(f"<{tag} {body}/>")
        else:
            self.parts.append(f"<{tag} {body}>{_e(text)}</{tag}>")

    def text(self, x: float, y: float, text: str, **attrs: Any) -> None:
        self.add("text", text, x=_num(x), y=_num(y), font_size=attrs.pop("font_size", 12), font_family=_FONT,
                 fill=attrs.pop("fill", "currentColor"), **attrs)

    def render(self) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'width="{self.width}" height="{self.height}" role="img" aria-label="{_e(self.title)}">'
                f"<title>{_e(self.title)}</title>")
        return head + "".join(self.parts) + "</svg>"


def bar_chart(title: str, bars: Sequence[tuple[str, float, float]], *, threshold: float | None = None,
              threshold_label: str = "", value_text: Sequence[str] | None = None,
              highlight: Sequence[bool] | None = None) -> str:
    """Horizontal bars, one per ``(label, value, maximum)``; an optional dashed line marks
    ``threshold`` (as a share of each bar's maximum, 0–1) with ``threshold_label``."""
    label_w, bar_w, row_h, top = 150, 300, 30, 34
    width = label_w + bar_w + 90
    height = top + row_h * len(bars) + 24
    svg = _Svg(width, height, title)
    svg.text(8, 20, title, font_size=14, font_weight="bold")
    for i, (label, value, maximum) in enumerate(bars):
        y = top + i * row_h
        share = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
        svg.text(label_w - 8, y + 17, label, text_anchor="end")
        svg.add("rect", x=label_w, y=y + 4, width=bar_w, height=row_h - 10, fill="#9e9e9e", fill_opacity="0.18")
        weak = bool(highlight[i]) if highlight else False
        svg.add("rect", x=label_w, y=y + 4, width=_num(bar_w * share), height=row_h - 10,
                fill=PALETTE[2] if weak else PALETTE[0], data_ws_bar=label)
        shown = value_text[i] if value_text else f"{_num(value)} / {_num(maximum)}"
        svg.text(label_w + bar_w + 8, y + 17, shown)
    if threshold is not None:
        x = label_w + bar_w * max(0.0, min(1.0, threshold))
        svg.add("line", x1=_num(x), y1=top, x2=_num(x), y2=top + row_h * len(bars), stroke=PALETTE[2],
                stroke_width=1.5, stroke_dasharray="4 3")
        if threshold_label:
            svg.text(x, height - 8, threshold_label, font_size=11, text_anchor="middle", fill=PALETTE[2])
    return svg.render()


def trend_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                minimum: float, maximum: float) -> str:
    """Lines across takes: ``labels`` on the x axis (e.g. dates), one polyline per series
    of values (one value per label), y from ``minimum`` to ``maximum``, with a legend."""
    left, right, top, plot_h = 46, 24, 34, 180
    step = 110
    plot_w = max(step, step * (len(labels) - 1))
    legend_top = top + plot_h + 40
    legend_rows = (len(series) + 2) // 3
    width = left + plot_w + right + 40
    height = legend_top + 20 * legend_rows + 8
    svg = _Svg(int(width), int(height), title)
    svg.text(8, 20, title, font_size=14, font_weight="bold")
    span = (maximum - minimum) or 1

    def y_of(v: float) -> float:
        return top + plot_h - (max(minimum, min(maximum, v)) - minimum) / span * plot_h

    def x_of(i: int) -> float:
        return left + 20 + (step * i if len(labels) > 1 else plot_w / 2)

    for k in range(5):
        v = minimum + span * k / 4
        y = y_of(v)
        svg.add("line", x1=left, y1=_num(y), x2=_num(left + plot_w + 40), y2=_num(y), stroke="#9e9e9e",
                stroke_opacity="0.4", stroke_width=1)
        svg.text(left - 6, y + 4, _num(v), font_size=11, text_anchor="end")
    for i, label in enumerate(labels):
        svg.text(x_of(i), top + plot_h + 18, label, font_size=11, text_anchor="middle")
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        pts = [(x_of(i), y_of(v)) for i, v in enumerate(values[: len(labels)])]
        svg.parts.append(f'<g data-ws-series="{_e(name)}">')
        if len(pts) > 1:
            svg.add("polyline", points=" ".join(f"{_num(x)},{_num(y)}" for x, y in pts), fill="none",
                    stroke=colour, stroke_width=2.5)
        for (x, y), v in zip(pts, values):
            svg.add("circle", cx=_num(x), cy=_num(y), r=4, fill=colour)
        if pts:
            x, y = pts[-1]
            svg.text(x + 8, y + 4, _num(values[len(pts) - 1]), font_size=11, fill=colour)
        svg.parts.append("</g>")
        lx = 12 + (s % 3) * 150
        ly = legend_top + (s // 3) * 20
        svg.add("rect", x=lx, y=ly - 9, width=14, height=10, fill=colour)
        svg.text(lx + 20, ly, name, font_size=12)
    return svg.render()
