"""Typed building blocks shared by every worksheet.

A worksheet module declares its form once as a :class:`Worksheet` definition; the
MkDocs macro renders the HTML form from ``Worksheet.to_info_dict()`` and the browser
receives the same dict, so no field list is ever written twice.

Example::

    >>> from worksheet_engine.model import Field, Issue
    >>> Field("goal_text", "目标", kind="textarea").name
    'goal_text'
    >>> Issue("required", "请填写目标。", field="goal_text").to_dict()["code"]
    'required'
    >>> ws = Worksheet("demo", 1, "示例", "", "lectures/00-intro.md", (Section("s", "节", (
    ...     Field("n", "人数", kind="number", minimum=0, required=True),)),), evaluate=lambda v, ctx: {})
    >>> values, issues = coerce(ws, {"n": "-5"})
    >>> [(i.code, i.message) for i in issues + presence_issues(ws, values, issues)]
    [('out_of_range', '“人数”应不小于 0，现在是 -5。')]
    >>> [(i.code, i.message) for i in presence_issues(ws, coerce(ws, {})[0])]
    [('required', '请填写“人数”。')]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .lang.values import DATE_FORMATS, NUMBER_HINT, parse_date, parse_number

#: Input kinds the form renderer knows how to draw. ``choice`` is a radio group and
#: ``multichoice`` a group of checkboxes (its value is a list of option values).
FIELD_KINDS = frozenset({"text", "textarea", "number", "select", "date", "list", "choice", "multichoice"})
_OPTION_KINDS = frozenset({"select", "choice", "multichoice"})
SEVERITIES = ("error", "warning", "info")
#: Course modules a worksheet can belong to (``extra.course.modules`` shows or hides them).
MODULE_KEYS = ("intro", "self", "business", "team")


@dataclass(frozen=True, slots=True)
class Context:
    """What an evaluator may know besides the fields: the reader's local date (the engine
    reads no clock) and the issues the model already found (coercion and presence), so a
    headline can count them without re-checking."""

    today: _dt.date | None = None
    issues: tuple[Issue, ...] = ()

    def errors(self, more: Any = ()) -> int:
        """Errors among the model's issues plus ``more`` (issue dicts of the evaluator)."""
        return sum(1 for i in self.issues if i.severity == "error") + sum(
            1 for i in more if i.get("severity") == "error")


@dataclass(frozen=True, slots=True)
class Missing:
    """How an empty required field (or a list with too few rows) is reported.

    ``message`` may use ``{label}``, ``{count}`` (rows filled), ``{min}`` (rows needed)
    and, for a cell of a row, ``{row}`` (the row's number, from 1).
    """

    message: str = ""
    code: str = ""
    severity: str = "error"
    suggestion: str = ""


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a worksheet form.

    ``kind="list"`` is a repeating group: each row holds ``item_fields``; its value in
    the entry data is a list of dicts.
    """

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    placeholder: str = ""
    required: bool = False
    max_length: int = 2000
    options: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    item_fields: tuple[Field, ...] = ()
    min_items: int = 0
    max_items: int = 30
    add_label: str = "添加一行"
    #: The issue raised when the field is required but empty, or a list has fewer than
    #: ``min_items`` rows (the model checks both; evaluators do not repeat them).
    missing: Missing | None = None

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if (self.kind == "list") != bool(self.item_fields):
            raise ValueError(f"field {self.name!r}: only list fields have item_fields")
        if (self.kind in _OPTION_KINDS) != bool(self.options):
            raise ValueError(f"field {self.name!r}: options belong to select/choice/multichoice fields")
        if self.missing is not None and self.missing.severity not in SEVERITIES:
            raise ValueError(f"field {self.name!r}: unknown severity {self.missing.severity!r}")

    def to_info_dict(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "help": self.help,
            "placeholder": self.placeholder,
            "required": self.required,
            "max_length": self.max_length,
        }
        if self.options:
            info["options"] = [{"value": v, "label": lab} for v, lab in self.options]
        if self.minimum is not None:
            info["min"] = self.minimum
        if self.maximum is not None:
            info["max"] = self.maximum
        if self.kind == "list":
            info["item_fields"] = [f.to_info_dict() for f in self.item_fields]
            info["min_items"] = self.min_items
            info["max_items"] = self.max_items
            info["add_label"] = self.add_label
        return info


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of fields (a fieldset in the form)."""

    key: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    optional: bool = False

    def to_info_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "help": self.help,
            "optional": self.optional,
            "fields": [f.to_info_dict() for f in self.fields],
        }


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem (or hint) found in the user's entry. ``code`` is stable; wording is not."""

    code: str
    message: str
    field: str | None = None
    severity: str = "warning"
    suggestion: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"issue {self.code!r}: unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


Evaluator = Callable[[Mapping[str, Any], Context], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Worksheet:
    """The definition of one worksheet: its form, its place in the course and its evaluator.

    Everything the site lists about a worksheet (nav entry, overview row, module hiding,
    titles in import summaries) is derived from this object; its page is
    ``docs/worksheets/<slug>.md``.
    """

    slug: str
    version: int
    title: str
    description: str
    lecture: str  # docs-relative path of the lecture that teaches the method
    sections: tuple[Section, ...]
    evaluate: Evaluator = field(repr=False)
    example: Mapping[str, Any] = field(default_factory=dict, repr=False)
    entry_label_field: str = ""  # field whose value names an entry by default
    module: str = "intro"  # course module (MODULE_KEYS)
    order: int = 100  # position in the nav and the overview
    summary: str = ""  # one line for the overview table: what it checks
    listed: bool = True  # False: no nav entry or overview row (e.g. a quiz shown inside a lecture)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"worksheet {self.slug!r}: duplicate field names {sorted(dupes)}")
        if self.module not in MODULE_KEYS:
            raise ValueError(f"worksheet {self.slug!r}: unknown module {self.module!r}")

    @property
    def page(self) -> str:
        """The docs-relative path of the worksheet's page."""
        return f"worksheets/{self.slug}.md"

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def to_info_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "lecture": self.lecture,
            "sections": [s.to_info_dict() for s in self.sections],
            "example": dict(self.example),
            "entry_label_field": self.entry_label_field,
            "module": self.module,
            "summary": self.summary,
        }


def _range_text(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f"应在 {f.minimum:g}–{f.maximum:g} 之间"
    if f.minimum is not None:
        return f"应不小于 {f.minimum:g}"
    return f"应不大于 {f.maximum:g}"


def _coerce_scalar(f: Field, raw: Any, issues: list[Issue], path: str) -> Any:
    if f.kind == "multichoice":
        return _coerce_multichoice(f, raw, issues, path)
    if raw is None:
        return None if f.kind == "number" else ""
    if f.kind == "number":
        if isinstance(raw, str) and not raw.strip():
            return None
        num = None if isinstance(raw, (dict, list, tuple)) else parse_number(raw)
        if num is None:
            typed = f"，现在是“{str(raw).strip()[:20]}”" if isinstance(raw, (str, int, float)) else ""
            issues.append(Issue("not_a_number", f"“{f.label}”不是有效的数字{typed}。", field=path, severity="error",
                                suggestion=f"只写一个数字，{NUMBER_HINT}（小数点也可以写成逗号）。"))
            return None
        if (f.minimum is not None and num < f.minimum) or (f.maximum is not None and num > f.maximum):
            issues.append(Issue("out_of_range", f"“{f.label}”{_range_text(f)}，现在是 {num:g}。", field=path,
                                severity="error"))
            return None
        return int(num) if num.is_integer() else num
    if isinstance(raw, (dict, list, tuple)):
        issues.append(Issue("wrong_type", f"“{f.label}”应是一段文字。", field=path, severity="error"))
        return ""
    text = str(raw)
    if len(text) > f.max_length:
        issues.append(
            Issue(
                "too_long",
                f"“{f.label}”有 {len(text)} 个字符，超过上限 {f.max_length}；只检查了前 {f.max_length} 个字符。",
                field=path,
                severity="warning",
                suggestion="把要点写短一些，细节可以放到备注里。",
            )
        )
        text = text[: f.max_length]
    if f.kind == "date" and text.strip():
        day = parse_date(text)
        if day is None:
            issues.append(Issue("bad_date", f"“{f.label}”不是有效的日期：“{text.strip()[:20]}”。",
                                field=path, severity="error", suggestion=f"按年-月-日填写，如 {DATE_FORMATS}。"))
            return text
        return day.isoformat()
    if f.kind in ("select", "choice") and text and text not in {v for v, _ in f.options}:
        issues.append(Issue("not_an_option", f"“{f.label}”的取值无效。", field=path, severity="error"))
        return ""
    return text


def _coerce_multichoice(f: Field, raw: Any, issues: list[Issue], path: str) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        issues.append(Issue("wrong_type", f"“{f.label}”应是若干选项。", field=path, severity="error"))
        return []
    allowed = [v for v, _ in f.options]
    picked = {str(v) for v in raw if isinstance(v, (str, int)) and not isinstance(v, bool)}
    if picked - set(allowed) or len(picked) != len(raw):
        issues.append(Issue("not_an_option", f"“{f.label}”有无效的选项，已忽略。", field=path, severity="error"))
    return [v for v in allowed if v in picked]


def coerce(ws: Worksheet, data: Any) -> tuple[dict[str, Any], list[Issue]]:
    """Turn arbitrary (possibly malformed) entry data into clean values plus issues.

    Never raises: wrong types, missing and extra keys all become issues or defaults.
    """
    issues: list[Issue] = []
    if not isinstance(data, Mapping):
        issues.append(Issue("malformed_entry", "条目数据格式不对，已按空表处理。", severity="error"))
        data = {}
    values: dict[str, Any] = {}
    for f in ws.fields:
        raw = data.get(f.name)
        if f.kind != "list":
            values[f.name] = _coerce_scalar(f, raw, issues, f.name)
            continue
        rows: list[dict[str, Any]] = []
        if raw is not None and not isinstance(raw, (list, tuple)):
            issues.append(Issue("wrong_type", f"“{f.label}”应是一个列表。", field=f.name, severity="error"))
            raw = []
        for i, row in enumerate(list(raw or [])[: f.max_items]):
            if not isinstance(row, Mapping):
                row = {f.item_fields[0].name: row} if isinstance(row, str) else {}
            clean = {
                sub.name: _coerce_scalar(sub, row.get(sub.name), issues, f"{f.name}.{i}.{sub.name}")
                for sub in f.item_fields
            }
            if any(v not in ("", None) for v in clean.values()):
                rows.append(clean)
        if raw and len(raw) > f.max_items:
            issues.append(
                Issue("too_many_items", f"“{f.label}”最多 {f.max_items} 行，多出的行没有检查。", field=f.name)
            )
        values[f.name] = rows
    return values, issues


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _missing_issue(f: Field, path: str, count: int = 0, row: int = 0) -> Issue:
    spec = f.missing or Missing()
    if f.kind == "list":
        default = "“{label}”至少要有 {min} 行，现在有 {count} 行。"
        code = spec.code or "too_few_items"
    else:
        default = "请填写“{label}”。" if f.kind not in _OPTION_KINDS else "请选择“{label}”。"
        code = spec.code or "required"
    message = (spec.message or default).format(label=f.label, count=count, min=f.min_items, row=row)
    return Issue(code, message, field=path, severity=spec.severity, suggestion=spec.suggestion)


def presence_issues(ws: Worksheet, values: Mapping[str, Any], reported: Iterable[Issue] = ()) -> list[Issue]:
    """What the definition declares about presence: required fields, lists with fewer than
    ``min_items`` rows, and required cells of the rows a reader started.

    ``reported``: the issues :func:`coerce` found. A field that holds something invalid
    (``not_a_number``, ``bad_date``, ``not_an_option`` …, any error) was filled in: it is
    reported as invalid, never also as missing.

    A list row counts once its first cell (the row's main text) is filled; the other
    required cells are checked on every row that has anything in it. On an entry with
    nothing in it at all, a list minimum that is only a warning is not reported yet.

    ``values`` are coerced values (:func:`coerce`); the wording comes from each field's
    :class:`Missing`.
    """
    issues: list[Issue] = []
    invalid = {i.field for i in reported if i.severity == "error" and i.field}
    # On a blank entry, lists that are only advised to have more rows (a warning, not an
    # error) wait until the reader has started.
    blank = all(_empty(values.get(f.name)) for f in ws.fields)
    for f in ws.fields:
        value = values.get(f.name)
        if f.kind == "list":
            rows = value if isinstance(value, list) else []
            counted = sum(1 for row in rows if not _empty(row.get(f.item_fields[0].name)))
            advisory = f.missing is not None and f.missing.severity != "error"
            if counted < f.min_items and not (blank and advisory):
                issues.append(_missing_issue(f, f.name, counted))
            for i, row in enumerate(rows):
                for sub in f.item_fields:
                    path = f"{f.name}.{i}.{sub.name}"
                    if sub.required and _empty(row.get(sub.name)) and path not in invalid:
                        issues.append(_missing_issue(sub, path, row=i + 1))
        elif f.required and _empty(value) and f.name not in invalid:
            issues.append(_missing_issue(f, f.name))
    return issues


def completion(ws: Worksheet, values: Mapping[str, Any]) -> float:
    """Share (0–1) of the non-optional sections' fields that hold something."""
    fields = [f for s in ws.sections if not s.optional for f in s.fields]
    if not fields:
        return 1.0
    filled = sum(1 for f in fields if values.get(f.name) not in (None, "", []))
    return round(filled / len(fields), 2)
