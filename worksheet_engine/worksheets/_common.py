"""Small readers shared by worksheet modules (values arrive already coerced)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(text: Any) -> _dt.date | None:
    """Read ``YYYY-MM-DD`` (also ``/``, ``.`` or ``年月日``); ``None`` when it is not a date."""
    m = _DATE.match(str(text or "")[:40])
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def text_of(values: Mapping[str, Any], name: str) -> str:
    """A text field's value, stripped ("" when absent or not text)."""
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def rows_of(values: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    """A list field's rows (only the mapping rows)."""
    value = values.get(name)
    if not isinstance(value, list):
        return []
    return [r for r in value if isinstance(r, Mapping)]
