"""Render worksheet forms from ``worksheet_engine``'s definitions (never a second field list)."""

from __future__ import annotations

import datetime
import functools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from worksheet_engine.errors import UnknownWorksheetError
from worksheet_engine.model import MODULE_KEYS
from worksheet_engine.worksheets import WORKSHEETS, get

TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "fragments" / "worksheets"
PYTHON_START = ("worksheet", "idle", "never")
#: Course modules a trainer can show or hide (``extra.course.modules``): their names and
#: the course pages under docs/ that belong to each. A worksheet's page belongs to the
#: module its definition names. Pages of a hidden module leave the navigation and the
#: search index; they stay reachable by a direct link, so no link breaks.
COURSE_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "intro": ("导入篇", ("lectures/00-intro.md",)),
    "self": ("管理自我", ("lectures/01-learning.md", "lectures/02-swot.md")),
    "business": ("管理业务", ("lectures/03-goals.md", "lectures/04-review.md")),
    "team": ("管理团队", ("lectures/05-communication.md", "lectures/06-coaching.md",
                      "topics/performance-interview.md", "workspace.md")),
}
assert tuple(COURSE_PAGES) == MODULE_KEYS


def _module_pages() -> dict[str, tuple[str, tuple[str, ...]]]:
    out = {}
    for key, (name, pages) in COURSE_PAGES.items():
        # Unlisted worksheets (the lecture knowledge checks) have no page of their own.
        sheets = tuple(ws.page for ws in WORKSHEETS.values() if ws.module == key and ws.listed)
        out[key] = (name, pages + sheets)
    return out


#: Every module's name and pages (course pages, then its worksheets' pages).
MODULES = _module_pages()


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


@functools.cache
def fragment_env(folder: Path) -> Environment:
    """The Jinja environment for one folder of ``overrides/fragments/`` (the forms here, the
    blank paper forms in blank.py): every value escaped (strings too), an undefined name an
    error, block tags trimmed. One per folder, made once."""
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_env = fragment_env(TEMPLATES)


def _definition_json(obj: Any) -> str:
    """Compact JSON; Jinja's autoescape makes it safe inside an HTML attribute."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def render(name: str, **ctx: Any) -> str:
    return _env.get_template(name).render(**ctx)


def _workspace_context(ws: Any) -> str:
    """The slugs a worksheet's evaluator reads from the agents' workspace (its module's
    ``WORKSPACE_CONTEXT``), space-separated; "" for most worksheets."""
    module = sys.modules.get(getattr(ws.evaluate, "__module__", "") or "")
    slugs = getattr(module, "WORKSPACE_CONTEXT", ())
    return " ".join(s for s in slugs if s in WORKSHEETS)


def render_worksheet(slug: str, where: str = "?") -> str:
    try:
        ws = get(slug)
    except UnknownWorksheetError as exc:
        raise MacroError(f"{where}: worksheet({slug!r}) — {exc}") from None
    info = ws.to_info_dict()
    catalog = {s: w.title for s, w in WORKSHEETS.items()}
    # Every listed worksheet's entries can be tied to an agent and a period (人员/周期 picker);
    # the knowledge checks inside lectures are the manager's own, about no agent.
    return render("form.html", ws=info, definition_json=_definition_json(info),
                  catalog_json=_definition_json(catalog), picker=ws.listed, context_slugs=_workspace_context(ws))


def worksheet_nav() -> list[dict[str, str]]:
    """The nav entries of the listed worksheets, in the course's order (mkdocs.yml form)."""
    return [{ws.title: ws.page} for ws in WORKSHEETS.values() if ws.listed]


def _page_title(docs_dir: Path, page: str) -> str:
    """A docs page's first ``# `` heading (its title in the nav), or its file name."""
    try:
        for line in (docs_dir / page).read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return page


def worksheet_index(docs_dir: Path) -> str:
    """The overview table of docs/worksheets/index.md, from the definitions (Markdown)."""
    from worksheet_engine.markdown import md_escape

    rows = ["| 工作表 | 所属模块 | 对应课程 | 检查什么 |", "|---|---|---|---|"]
    for ws in WORKSHEETS.values():
        if not ws.listed:
            continue
        lecture = md_escape(_page_title(docs_dir, ws.lecture))
        rows.append(f"| [{md_escape(ws.title)}]({ws.slug}.md) | {COURSE_PAGES[ws.module][0]} "
                    f"| [{lecture}](../{ws.lecture}) | {md_escape(ws.summary)} |")
    return "\n".join(rows) + "\n"


def fill_worksheet_nav(nav: Any) -> bool:
    """Append the worksheet pages to the nav section that holds ``worksheets/index.md``.

    Returns False when no such section exists (the nav is then left as it is).
    """
    if isinstance(nav, list):
        if any(isinstance(item, str) and item.lstrip("./") == "worksheets/index.md" for item in nav):
            listed = {next(iter(i.values())) for i in nav if isinstance(i, dict) and len(i) == 1}
            nav.extend(item for item in worksheet_nav() if next(iter(item.values())) not in listed)
            return True
        return any(fill_worksheet_nav(item) for item in nav)
    if isinstance(nav, dict):
        return any(fill_worksheet_nav(value) for value in nav.values())
    return False
