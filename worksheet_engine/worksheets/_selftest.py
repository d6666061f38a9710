"""What the two self-assessments (listening, conflict) share: one form section per take.

A self-test entry holds the first take and up to two retakes, each a section of the
same questions with its own date: ``t1_date``, ``t1_<item>`` … ``t3_<item>``. A retake
is answered in the next section, so earlier answers and their dates stay in the entry
(and in every backup) and the result can draw the trend. Retake sections are optional
(collapsed) and their keys start with ``retake``: the blank paper form prints one take.

A take's date is the one the reader entered; a take without one is dated ``ctx.today``
while it is the newest take (the reader is answering it now) and asked to keep that
date, so a later look still shows when it was taken.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Context, Field, Section
from ._shared import issue

#: Takes kept in one entry: the first and two retakes (a fourth: start a new entry).
TAKES = 3
RETAKE_PREFIX = "retake"


def field_name(take: int, key: str) -> str:
    return f"t{take}_{key}"


def take_sections(fields_for: Callable[[int], tuple[Field, ...]], first_help: str) -> tuple[Section, ...]:
    """The first take (always open) and the retakes (collapsed, optional)."""
    sections = []
    for n in range(1, TAKES + 1):
        date = Field(field_name(n, "date"), "作答日期", kind="date",
                     help="默认按今天记录；补做或整理纸质答卷时，可改成实际作答的日期。")
        if n == 1:
            sections.append(Section("take1", "作答", (date, *fields_for(n)), help=first_help))
        else:
            sections.append(Section(
                f"{RETAKE_PREFIX}{n}", f"再测：第 {n} 次作答（选填）", (date, *fields_for(n)), optional=True,
                help="练习两三周后，在这里再做一次。前面的作答和日期都会保留，结果里的趋势图会显示变化。"))
    return tuple(sections)


@dataclass(frozen=True, slots=True)
class Take:
    number: int
    date: _dt.date | None  # entered, or ctx.today for the newest undated take
    entered: bool  # the date was entered by the reader
    answers: dict[str, Any]  # item key -> raw (coerced) value

    @property
    def label(self) -> str:
        return self.date.isoformat() if self.date else f"第 {self.number} 次"


def read_takes(values: Mapping[str, Any], keys: Sequence[str], ctx: Context) -> tuple[list[Take], list[dict]]:
    """The takes holding at least one answer, oldest first, and date issues."""
    started = []
    for n in range(1, TAKES + 1):
        answers = {k: values.get(field_name(n, k)) for k in keys}
        if any(v not in (None, "") for v in answers.values()):
            started.append((n, answers))
    takes: list[Take] = []
    issues: list[dict] = []
    for i, (n, answers) in enumerate(started):
        raw = values.get(field_name(n, "date"))
        day = _dt.date.fromisoformat(raw) if isinstance(raw, str) and _is_iso(raw) else None
        entered = day is not None
        newest = i == len(started) - 1
        if day is None and newest and ctx.today is not None:
            day = ctx.today
            issues.append(issue("no_date", f"第 {n} 次作答没有填日期，先按今天（{day.isoformat()}）记录。",
                                field=field_name(n, "date"), severity="info",
                                suggestion=f"在“作答日期”里填上 {day.isoformat()}，以后再测时才能看出变化发生在哪段时间。"))
        if takes and day and takes[-1].date and day < takes[-1].date:
            issues.append(issue("date_order", f"第 {n} 次作答的日期早于上一次（{takes[-1].date.isoformat()}）。",
                                field=field_name(n, "date"),
                                suggestion="再测请按时间顺序往下填：第 1 次最早，第 3 次最近。"))
        takes.append(Take(n, day, entered, answers))
    return takes, issues


def _is_iso(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def unanswered_issue(take: Take, missing: Sequence[str], numbers: Mapping[str, int]) -> dict:
    """One warning naming the questions still open in ``take``."""
    nums = sorted(numbers[k] for k in missing)
    shown = "、".join(str(x) for x in nums[:12]) + ("……" if len(nums) > 12 else "")
    return issue("unanswered", f"第 {take.number} 次作答还有 {len(nums)} 题没有选：第 {shown} 题。",
                 field=field_name(take.number, missing[0]),
                 suggestion="每题都按最近一个月的真实情况选一项，答完才会计分。")
