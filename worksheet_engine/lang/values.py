"""Small readers of typed-in values shared by the model, the worksheets and the tools.

Example::

    >>> parse_date("2026年12月22日"), parse_date("2026/12/01"), parse_date("12月1日")
    (datetime.date(2026, 12, 22), datetime.date(2026, 12, 1), None)
    >>> parse_number("1,5"), parse_number("1,500"), parse_number("1,234.5"), parse_number("８５％")
    (1.5, 1500.0, 1234.5, 85.0)
    >>> parse_number("abc"), parse_number("85 92"), parse_number("1e5"), parse_number("1,50,0")
    (None, None, None, None)
    >>> short("一二三四五六", 4)
    '一二三…'
    >>> fmt_number(90.0), fmt_number(33.333), fmt_number(0.126, 2), fmt_number(-0.001)
    ('90', '33.3', '0.13', '0')
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

__all__ = ["parse_date", "parse_number", "fmt_number", "short", "DATE_HINT", "DATE_FORMATS", "NUMBER_HINT"]

#: How a date should be typed, for messages.
DATE_HINT = "如 2026-12-01"
#: Every way of writing a date that :func:`parse_date` reads, for messages.
DATE_FORMATS = "2026-12-01、2026/12/01、2026.12.1 或 2026年12月1日"
#: How a number should be typed, for messages.
NUMBER_HINT = "如 85、92.5 或 1,5"

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# The number rule, after NFKC (full-width digits, ％ and ，) and with the sign and one
# trailing % taken off:
#   plain            85   92.5   .5   12.
#   thousands        1,500   1,234,567.5   1 500 (groups of exactly three digits)
#   decimal comma    1,5   12,75   0,500   1.234,5 (a single comma not followed by exactly
#                    three digits, or after a leading 0, or after dot-grouped thousands)
# Anything else is not a number: "85 92", "1,50,0", "1e5", "八十五", "85分".
_PLAIN = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^(?:0|\d+),\d+$")
_EURO = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")


def parse_date(text: Any) -> _dt.date | None:
    """``YYYY-MM-DD`` (also ``/``, ``.`` or ``年月日``, full-width digits); ``None`` otherwise.

    A leading ISO date with a time after it (``2026-12-01T09:00``) is read as its date.
    """
    if isinstance(text, _dt.date):
        return text
    raw = unicodedata.normalize("NFKC", str(text or ""))[:40]
    m = _DATE.match(raw) or _DATE.match(raw[:10])
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_TIME = re.compile(r"^\s*(\d{1,2})\s*[:：点]\s*(\d{2})?\s*分?\s*$")


def parse_time(text: Any) -> _dt.time | None:
    """A time of day as typed (``14:30``, ``9：05``, ``14点``, ``14点30分``), or None.

    >>> parse_time("14点30分"), parse_time("9:05"), parse_time("25:00")
    (datetime.time(14, 30), datetime.time(9, 5), None)
    """
    m = _TIME.match(text) if isinstance(text, str) else None
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    return _dt.time(hour, minute) if hour < 24 and minute < 60 else None


def parse_number(text: Any) -> float | None:
    """A typed number, or ``None`` when the text is not one number.

    Full-width digits, a sign (``-``, ``−``, ``+``), a trailing ``%``; a comma before
    exactly three digits groups thousands (``1,500`` is 1500), any other single comma is
    a decimal comma (``1,5`` is 1.5; ``0,500`` is 0.5); the rule in full is above
    ``_PLAIN``. No exponents, no words, no two numbers.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        num = float(text)
    else:
        raw = str(text).strip()
        if len(raw) > 64:  # no number is this long; do not normalise a pasted essay
            return None
        raw = unicodedata.normalize("NFKC", raw).replace("\u2212", "-").strip()
        if raw.endswith("%"):
            raw = raw[:-1].rstrip()
        sign = ""
        if raw and raw[0] in "+-":
            sign, raw = raw[0], raw[1:].lstrip()
        if _PLAIN.match(raw):
            pass
        elif _GROUPED.match(raw) and not raw.startswith("0"):
            raw = raw.replace(",", "").replace(" ", "")
        elif _EURO.match(raw):
            raw = raw.replace(".", "").replace(",", ".")
        elif _DECIMAL_COMMA.match(raw):
            raw = raw.replace(",", ".")
        else:
            return None
        num = float(sign + raw)
    if num != num or num in (float("inf"), float("-inf")):
        return None
    return num


def short(text: str, limit: int = 30) -> str:
    """One line, at most ``limit`` characters (an ellipsis included)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def fmt_number(value: float, digits: int = 1) -> str:
    """A number as a reader writes it: no trailing zeros, at most ``digits`` decimals."""
    if abs(value) >= 1e15:
        return f"{value:.4g}"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
