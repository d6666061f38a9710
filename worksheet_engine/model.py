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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Input kinds the form renderer knows how to draw.
FIELD_KINDS = frozenset({"text", "textarea", "number", "select", "date", "list"})
SEVERITIES = ("error", "warning", "info")


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

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if (self.kind == "list") != bool(self.item_fields):
            raise ValueError(f"field {self.name!r}: only list fields have item_fields")

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


Evaluator = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Worksheet:
    """The definition of one worksheet: its form and its pure evaluator."""

    slug: str
    version: int
    title: str
    description: str
    lecture: str  # docs-relative path of the lecture that teaches the method
    sections: tuple[Section, ...]
    evaluate: Evaluator = field(repr=False)
    example: Mapping[str, Any] = field(default_factory=dict, repr=False)
    entry_label_field: str = ""  # field whose value names an entry by default

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"worksheet {self.slug!r}: duplicate field names {sorted(dupes)}")

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
        }


def _coerce_scalar(f: Field, raw: Any, issues: list[Issue], path: str) -> Any:
    if raw is None:
        return None if f.kind == "number" else ""
    if f.kind == "number":
        if isinstance(raw, bool):
            raw = str(raw)
        if isinstance(raw, (int, float)):
            num = float(raw)
        else:
            text = str(raw).strip().replace("，", ".").replace(",", ".")
            if not text:
                return None
            try:
                num = float(text)
            except ValueError:
                issues.append(Issue("not_a_number", f"“{f.label}”应填数字。", field=path, severity="error"))
                return None
        if num != num or num in (float("inf"), float("-inf")):
            issues.append(Issue("not_a_number", f"“{f.label}”应填数字。", field=path, severity="error"))
            return None
        if (f.minimum is not None and num < f.minimum) or (f.maximum is not None and num > f.maximum):
            issues.append(
                Issue(
                    "out_of_range",
                    f"“{f.label}”应在 {f.minimum:g}–{f.maximum:g} 之间，现在是 {num:g}。",
                    field=path,
                    severity="error",
                )
            )
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
    if f.kind == "select" and text and text not in {v for v, _ in f.options}:
        issues.append(Issue("not_an_option", f"“{f.label}”的取值无效。", field=path, severity="error"))
        return ""
    return text


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


def completion(ws: Worksheet, values: Mapping[str, Any]) -> float:
    """Share (0–1) of the non-optional sections' fields that hold something."""
    fields = [f for s in ws.sections if not s.optional for f in s.fields]
    if not fields:
        return 1.0
    filled = sum(1 for f in fields if values.get(f.name) not in (None, "", []))
    return round(filled / len(fields), 2)
