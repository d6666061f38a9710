"""Render worksheet forms from ``worksheet_engine``'s definitions (never a second field list)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from worksheet_engine.errors import UnknownWorksheetError
from worksheet_engine.worksheets import get

TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "fragments" / "worksheets"
PYTHON_START = ("worksheet", "idle", "never")


class MacroError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Settings:
    python_start: str = "worksheet"

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> Settings:
        ws = extra.get("worksheets") or {}
        start = str(ws.get("python_start", "worksheet"))
        if start not in PYTHON_START:
            raise MacroError(f"extra.worksheets.python_start must be one of {PYTHON_START}, got {start!r}")
        return cls(python_start=start)


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
