"""Direction-aware KPI gaps, and an SVG chart of target vs actual drawn from the numbers.

A KPI row is ``(metric, target, actual)`` plus an optional explicit direction. One rule
for every worksheet (Q10 复盘, 绩效面谈准备), as the methods brief has it (§2.2: the
direction is *auto*, "↑ or ↓ from the metric table"):

1. the 客服 KPI vocabulary (:mod:`worksheet_engine.lang.kpi`), when it knows the metric with
   a direction (AHT: lower is better) — or, for a name it does not list, the head word the
   name ends in (目标**达成率** ↑, 排队等待**时长** ↓);
2. else the manager's explicit direction (a metric nobody knows, or one the vocabulary
   knows as balanced: 占用率);
3. else *assumed* "higher is better", and the result says so (``direction_source``).

An explicit direction that contradicts step 1 is reported (``conflict``; the worksheets
say ``direction_conflict``) and step 1 wins: "AHT 越高越好" is a slip, not a choice.

:func:`gap_chart` draws one SVG (only ``svg g rect line text title desc`` elements, every
text through :func:`html.escape`, no links, styles or scripts) for the generic ``charts``
result key.

Example::

    >>> g = kpi_gap("平均处理时长（AHT）", 300, 320)
    >>> g["direction"], g["direction_source"], g["met"], g["gap_text"]
    ('down', 'vocabulary', False, '+20 秒（相对目标 +6.7%）')
    >>> kpi_gap("FCR", 75, 68)["gap_text"]
    '−7 个百分点（相对目标 −9.3%）'
    >>> kpi_gap("知识库命中率", 80, 85, direction="up")["direction_source"]
    'chosen'
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..lang.kpi import find_metrics
from ..lang.normalize import normalize

__all__ = ["kpi_gap", "metric_direction", "gap_chart", "DIRECTION_TEXT"]

DIRECTION_TEXT = {"up": "越高越好", "down": "越低越好"}
_METRIC_CHARS = 120  # a metric is a name, not a paragraph
_PERCENT = re.compile(r"%|％|百分比|率|占比")
#: Units that make a difference "个百分点".
_PERCENT_UNIT = re.compile(r"^(%|％|百分比|百分点|percent)$", re.IGNORECASE)

# Head words for metric names the vocabulary does not list. Chinese compound names end in
# their head (目标达成率, 排队等待时长); a vocabulary mention ending at the same place, or
# longer, wins over these.
_HEAD_WORDS = tuple(sorted(
    [(w, "up") for w in ("满意", "推荐", "达成率", "完成率", "覆盖率", "留存率", "参与率")]
    + [(w, "down") for w in ("时长", "流失", "升级", "超时", "遗漏")],
    key=lambda t: -len(t[0]),
))


def metric_direction(metric: str) -> dict[str, Any]:
    """What the vocabulary knows about a metric name.

    Returns ``{"key", "label", "direction", "unit"}``; ``key`` is ``""`` when the vocabulary
    does not list the metric (``label`` is then the head word found, or ``""``), and
    ``direction`` is ``None`` unless the vocabulary or a head word says up or down. Chinese
    compound names put the head word last (投诉处理**及时率**), so the mention that ends last
    (then the longest) wins.

    >>> metric_direction("投诉处理及时率")["direction"], metric_direction("排队等待时长")["direction"]
    ('up', 'down')
    >>> metric_direction("占用率")["direction"] is None, metric_direction("士气")["label"]
    (True, '')
    """
    text = str(metric or "")[:_METRIC_CHARS]
    unit = "%" if _PERCENT.search(text) else ""
    try:
        norm = str(normalize(text).text)
        found = [(int(m.end), int(m.end - m.start), m.kpi) for m in find_metrics(norm)]
    except Exception:  # noqa: BLE001 - an analyser fault must not break the worksheet
        norm, found = text, []
    low = norm.lower()
    for word, direction in _HEAD_WORDS:
        start = low.rfind(word)
        if start >= 0:
            found.append((start + len(word), len(word), (word, direction)))
    if not found:
        return {"key": "", "label": "", "direction": None, "unit": unit}
    # The vocabulary wins a tie (listed before the head words; max keeps the first).
    _, _, best = max(found, key=lambda f: (f[0], f[1]))
    if isinstance(best, tuple):
        return {"key": "", "label": best[0], "direction": best[1], "unit": unit}
    return {
        "key": best.key,
        "label": best.label,
        "direction": best.direction if best.direction in ("up", "down") else None,
        "unit": best.unit,
    }


def _fmt(x: float) -> str:
    if abs(x) >= 1e9:
        return f"{x:.4g}"
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _sign(x: float) -> str:
    return "+" if x > 0 else "−" if x < 0 else "±"


def kpi_gap(metric: str, target: float, actual: float, direction: str | None = None,
            unit: str | None = None) -> dict[str, Any]:
    """Actual − target for one KPI, judged by the direction in which the metric improves.

    Args:
        metric: the metric's name as the manager wrote it.
        target, actual: finite numbers.
        direction: ``"up"`` / ``"down"`` chosen by the manager (used when the vocabulary
            has no direction for the metric; a contradiction is flagged).
        unit: overrides the unit taken from the vocabulary (``%``, ``百分点`` give 个百分点);
            ``None`` or blank: the vocabulary's.

    Returns:
        ``{metric, label, target, actual, unit, diff, pct, direction, direction_source,
        met, conflict, target_text, actual_text, gap_text, text}``; ``direction_source`` is
        ``vocabulary``, ``chosen`` or ``assumed``; ``label`` is the metric the vocabulary
        (or a head word) recognised, ``""`` if none; ``pct`` is ``None`` for a zero target.
    """
    info = metric_direction(metric)
    chosen = direction if direction in ("up", "down") else None
    conflict = False
    if info["direction"]:
        final, source = info["direction"], "vocabulary"
        conflict = chosen is not None and chosen != final
    elif chosen:
        final, source = chosen, "chosen"
    else:
        final, source = "up", "assumed"
    target, actual = float(target), float(actual)
    diff = actual - target
    if not math.isfinite(diff):
        diff = 0.0
    pct: float | None = None
    if target != 0:
        pct = diff / abs(target) * 100
        if not math.isfinite(pct):
            pct = None
    met = diff >= 0 if final == "up" else diff <= 0
    unit = (info["unit"] if unit is None or not str(unit).strip() else str(unit)).strip()
    percent = bool(_PERCENT_UNIT.match(unit))
    shown = "%" if percent else (f" {unit}" if unit else "")
    diff_unit = " 个百分点" if percent else (f" {unit}" if unit else "")
    gap_text = f"{_sign(diff)}{_fmt(abs(diff))}{diff_unit}"
    if pct is not None and diff != 0:
        gap_text += f"（相对目标 {_sign(pct)}{_fmt(round(abs(pct), 1))}%）"
    verdict = "与目标持平" if diff == 0 else ("优于目标" if met else "未达目标")
    return {
        "metric": str(metric or ""),
        "label": info["label"],
        "target": target,
        "actual": actual,
        "unit": unit,
        "diff": diff,
        "pct": pct,
        "direction": final,
        "direction_source": source,
        "met": met,
        "conflict": conflict,
        "target_text": f"{_fmt(target)}{shown}",
        "actual_text": f"{_fmt(actual)}{shown}",
        "gap_text": gap_text,
        "text": f"目标 {_fmt(target)}{shown}，实际 {_fmt(actual)}{shown}，差距 {gap_text}；"
                f"该指标{DIRECTION_TEXT[final]}，{verdict}。",
    }


# --- the chart -------------------------------------------------------------------------

_W = 480
_LABEL_W = 110
_GAP_W = 120
_ROW_H = 28
_BAR_H = 9
_TOP = 26
_MAX_ROWS = 12
_COLOURS = {"target": "#9e9e9e", "met": "#2e7d32", "missed": "#c62828"}


def _esc(text: object, limit: int = 40) -> str:
    s = re.sub(r"\s+", " ", str(text if text is not None else "")).strip()
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    # Control characters are not allowed in XML at all.
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "", s)
    return html.escape(s, quote=True)


def _short_name(metric: object) -> str:
    """A metric's name without its bracketed abbreviation (一次解决率（FCR） -> 一次解决率)."""
    text = str(metric or "")
    return re.sub(r"[（(][^）)]*[）)]", "", text).strip() or text


def gap_chart(gaps: Iterable[Mapping[str, Any]], title: str = "指标：目标与实际") -> str:
    """One SVG of target (grey) vs actual (green met / red missed) per KPI, gap labelled.

    Each row is scaled on its own (a percentage and a duration share no axis); a row's
    scale runs from ``min(0, target, actual)`` to the larger value plus headroom.
    Returns ``""`` when there is nothing to draw.
    """
    rows = [g for g in gaps if isinstance(g, Mapping)][:_MAX_ROWS]
    if not rows:
        return ""
    height = _TOP + _ROW_H * len(rows) + 8
    bar_w = _W - _LABEL_W - _GAP_W - 44
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" width="{_W}" height="{height}" '
        f'role="img" font-size="12" font-family="sans-serif">',
        f"<title>{_esc(title, 60)}</title>",
        "<desc>" + _esc("；".join(f"{g.get('metric', '')}：{g.get('text', '')}" for g in rows), 2000) + "</desc>",
        f'<g><rect x="{_LABEL_W}" y="6" width="10" height="8" fill="{_COLOURS["target"]}"/>'
        f'<text x="{_LABEL_W + 14}" y="14">目标</text>'
        f'<rect x="{_LABEL_W + 54}" y="6" width="10" height="8" fill="{_COLOURS["met"]}"/>'
        f'<text x="{_LABEL_W + 68}" y="14">实际（达成）</text>'
        f'<rect x="{_LABEL_W + 150}" y="6" width="10" height="8" fill="{_COLOURS["missed"]}"/>'
        f'<text x="{_LABEL_W + 164}" y="14">实际（未达成）</text></g>',
    ]
    for i, g in enumerate(rows):
        target, actual = float(g.get("target", 0) or 0), float(g.get("actual", 0) or 0)
        lo = min(0.0, target, actual)
        hi = max(0.0, target, actual)
        span = (hi - lo) * 1.1 or 1.0
        if not math.isfinite(span):
            span = 1.0

        def x_of(v: float) -> float:
            return _LABEL_W + bar_w * (v - lo) / span

        zero = x_of(0.0)
        y = _TOP + i * _ROW_H
        colour = _COLOURS["met"] if g.get("met") else _COLOURS["missed"]
        out.append(f'<g data-row="{i}">')
        out.append(f'<text x="{_LABEL_W - 6}" y="{y + 14}" text-anchor="end" font-size="11">{_esc(_short_name(g.get("metric")), 9)}</text>')
        for k, (value, fill, dy, label) in enumerate((
            (target, _COLOURS["target"], 2, g.get("target_text", "")),
            (actual, colour, 2 + _BAR_H + 2, g.get("actual_text", "")),
        )):
            x0, x1 = sorted((zero, x_of(value)))
            out.append(f'<rect x="{x0:.1f}" y="{y + dy}" width="{max(x1 - x0, 1):.1f}" height="{_BAR_H}" fill="{fill}">'
                       f"<title>{'目标' if k == 0 else '实际'} {_esc(label)}</title></rect>")
            out.append(f'<text x="{x1 + 3:.1f}" y="{y + dy + _BAR_H - 1}" font-size="10">{_esc(label, 16)}</text>')
        out.append(f'<line x1="{zero:.1f}" y1="{y}" x2="{zero:.1f}" y2="{y + _ROW_H - 6}" stroke="#616161"/>')
        verdict = "达成" if g.get("met") else "未达成"
        out.append(f'<text x="{_W - 2}" y="{y + 14}" text-anchor="end" font-size="11" fill="{colour}">'
                   f"{_esc(g.get('gap_text', '').split('（')[0], 20)} {verdict}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
