"""Small readers shared by worksheet modules (values arrive already coerced)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from ..lang.values import fmt_number, parse_date, short

__all__ = ["goal_checks", "parse_date", "short", "fmt_number", "text_of", "rows_of", "issue", "goal_criteria", "MET_TEXT",
           "SMART_MAX_CHARS"]


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


#: How a SMART verdict reads in reports.
MET_TEXT = {True: "达标", False: "未达标", None: "待确认"}
#: Goals longer than this are checked on their first part only (a goal is one or two
#: sentences; long background text belongs in another field).
SMART_MAX_CHARS = 300


def issue(code: str, message: str, field: str | None = None, severity: str = "warning",
          suggestion: str = "") -> dict[str, Any]:
    """An :class:`~worksheet_engine.model.Issue` as the dict results carry."""
    from ..model import Issue

    return Issue(code, message, field=field, severity=severity, suggestion=suggestion).to_dict()


def goal_criteria(goal: str, today: Any) -> dict[str, dict[str, Any]]:
    """SMART verdicts for a goal embedded in another worksheet (its first SMART_MAX_CHARS).

    A fault of the checker is not hidden here: it surfaces as the checker's own
    ``internal`` issue or, for a crash, as the API's error, which the tests look for.
    """
    from ..checks.goal import check_goal

    raw = check_goal(goal[:SMART_MAX_CHARS], today if isinstance(today, _dt.date) else None)["criteria"]
    out: dict[str, dict[str, Any]] = {}
    if isinstance(raw, Mapping):
        for key, verdict in raw.items():
            if isinstance(verdict, Mapping):
                met = verdict.get("met")
                out[str(key)] = {
                    "met": met if met in (True, False) else None,
                    "reason": str(verdict.get("reason") or ""),
                    "suggestion": str(verdict.get("suggestion") or ""),
                }
    return out


def goal_checks(criteria: Mapping[str, Mapping[str, Any]], what: str) -> list[dict[str, Any]]:
    """The generic ``checks`` of a result for an embedded goal's SMART verdicts."""
    from ..checks.goal import CRITERIA, CRITERION_LABELS

    return [{"key": k, "label": f"{what} · {CRITERION_LABELS[k]}", **criteria[k]} for k in CRITERIA if k in criteria]
