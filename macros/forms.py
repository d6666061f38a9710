"""Render worksheet forms from ``worksheet_engine``'s definitions (never a second field list)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from worksheet_engine.errors import UnknownWorksheetError
from worksheet_engine.worksheets import get

TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "fragments" / "worksheets"
PYTHON_START = ("worksheet", "idle", "never")
#: Course modules a trainer can show or hide (``extra.course.modules``), with the pages
#: under docs/ that belong to each. Pages of a hidden module leave the navigation and
#: the search index; they stay reachable by a direct link, so no link breaks.
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "intro": ("导入篇", ("lectures/00-intro.md",)),
    "self": ("管理自我", ("lectures/01-learning.md", "lectures/02-swot.md", "worksheets/swot.md")),
    "business": ("管理业务", ("lectures/03-goals.md", "lectures/04-review.md", "worksheets/smart.md",
                          "worksheets/q10.md")),
    "team": ("管理团队", ("lectures/05-communication.md", "lectures/06-coaching.md",
                      "topics/performance-interview.md", "worksheets/grow.md")),
}


class MacroError(Exception):
    pass


def _text(section: dict[str, Any], key: str, where: str) -> str:
    value = section.get(key)
    if value is None:
        return ""
    # YAML reads an unquoted 2026-12-03 as a date: accept it as the text it looks like.
    if not isinstance(value, (str, int, float, datetime.date)) or isinstance(value, bool):
        raise MacroError(f"{where}.{key} should be text, got {type(value).__name__}")
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a trainer sets in mkdocs.yml ``extra:`` (no code changes needed).

    ``extra.worksheets``: ``python_start`` (worksheet | idle | never), ``watchdog_seconds``,
    ``snapshot`` (true | false: boot Python from the build's memory snapshot).
    ``extra.branding``: ``organisation``, ``logo`` (a file under docs/).
    ``extra.course``: ``dates``, ``trainer``, ``contact``, ``modules`` (subset of MODULES).
    """

    python_start: str = "worksheet"
    watchdog_seconds: int = 45
    snapshot: bool = True
    organisation: str = ""
    logo: str = ""
    dates: str = ""
    trainer: str = ""
    contact: str = ""
    modules: tuple[str, ...] = tuple(MODULES)

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> Settings:
        ws = extra.get("worksheets") or {}
        start = str(ws.get("python_start", "worksheet"))
        if start not in PYTHON_START:
            raise MacroError(f"extra.worksheets.python_start must be one of {PYTHON_START}, got {start!r}")
        watchdog = ws.get("watchdog_seconds", 45)
        if isinstance(watchdog, bool) or not isinstance(watchdog, int) or not 5 <= watchdog <= 600:
            raise MacroError(f"extra.worksheets.watchdog_seconds must be a whole number 5–600, got {watchdog!r}")
        snapshot = ws.get("snapshot", True)
        if not isinstance(snapshot, bool):
            raise MacroError(f"extra.worksheets.snapshot must be true or false, got {snapshot!r}")
        branding = extra.get("branding") or {}
        course = extra.get("course") or {}
        if not isinstance(branding, dict) or not isinstance(course, dict):
            raise MacroError("extra.branding and extra.course must be mappings")
        modules = course.get("modules", list(MODULES))
        if isinstance(modules, str) or not isinstance(modules, (list, tuple)) or not modules:
            raise MacroError(f"extra.course.modules must be a non-empty list drawn from {list(MODULES)}")
        unknown = [m for m in modules if m not in MODULES]
        if unknown:
            raise MacroError(f"extra.course.modules: unknown module(s) {unknown}; choose from {list(MODULES)}")
        return cls(
            python_start=start,
            watchdog_seconds=watchdog,
            snapshot=snapshot,
            organisation=_text(branding, "organisation", "extra.branding"),
            logo=_text(branding, "logo", "extra.branding").lstrip("/"),
            dates=_text(course, "dates", "extra.course"),
            trainer=_text(course, "trainer", "extra.course"),
            contact=_text(course, "contact", "extra.course"),
            modules=tuple(m for m in MODULES if m in modules),
        )

    @property
    def hidden_pages(self) -> frozenset[str]:
        """docs/-relative paths of the pages of hidden modules."""
        return frozenset(p for key, (_, pages) in MODULES.items() if key not in self.modules for p in pages)


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _definition_json(obj: Any) -> str:
    """Compact JSON; Jinja's autoescape makes it safe inside an HTML attribute."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def render(name: str, **ctx: Any) -> str:
    return _env.get_template(name).render(**ctx)


def render_worksheet(slug: str, where: str = "?") -> str:
    try:
        ws = get(slug)
    except UnknownWorksheetError as exc:
        raise MacroError(f"{where}: worksheet({slug!r}) — {exc}") from None
    info = ws.to_info_dict()
    return render("form.html", ws=info, definition_json=_definition_json(info))
