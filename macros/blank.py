"""Blank paper forms for the classroom, drawn from the engine's definitions.

``{{ blank_worksheets() }}`` (docs/worksheets/blank.md) renders every worksheet as an
empty A4 form: each field an empty box, lines, a table or options to tick. Each form
is a ``<section id="blank-<slug>">``; printing the page while one of them is the URL's
target (``blank/#blank-smart``) prints that form alone (print CSS in site.css), so a
worksheet page's "打印空白表" link needs no script (the links carry ``target="_self"``
so Material's instant navigation leaves them to the browser and ``:target`` is set). Nothing here carries a ``data-ws-*``
form hook, so the browser code never mounts these forms.

Conventions read from the definitions: a section whose key starts with ``retake``
(the self-tests' second and third takes) is left out, as a paper form is one take;
three or more consecutive single-choice fields with the same short options print as
one table (a rating scale).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from worksheet_engine.worksheets import WORKSHEETS
from worksheet_engine.worksheets._selftest import RETAKE_PREFIX

from .forms import fragment_env

TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "fragments" / "blank"
BLANK_PAGE = "worksheets/blank.md"
#: Options this short (characters) print side by side; longer ones one per line.
SHORT_OPTION = 6
LIST_ROWS = (3, 6)  # empty rows of a list table: at least, at most

_env = fragment_env(TEMPLATES)


def anchor(slug: str) -> str:
    return f"blank-{slug}"


def blank_link(slug: str, where: str) -> str:
    """Markdown for a page showing worksheet ``slug``: a button to its blank A4 form."""
    start = "worksheets" if where == "?" else (posixpath.dirname(where) or ".")
    href = posixpath.relpath(BLANK_PAGE, start)
    return (f"\n\n[打印空白表（A4 纸质版）]({href}#{anchor(slug)})"
            '{ .md-button .ws-blank-link target="_self" title="打开这张表的空白纸质版，再用浏览器打印" }\n')


def _short(options: list[dict[str, Any]]) -> bool:
    return all(len(o["label"]) <= SHORT_OPTION for o in options)


def _blocks(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fields as print blocks: a run of same-option rating questions becomes one scale table."""
    blocks: list[dict[str, Any]] = []
    for f in fields:
        scale = f["kind"] == "choice" and _short(f["options"])
        last = blocks[-1] if blocks else None
        if scale and last and last["kind"] == "scale" and last["options"] == f["options"]:
            last["fields"].append(f)
        elif scale:
            blocks.append({"kind": "scale", "options": f["options"], "fields": [f]})
        else:
            blocks.append({"kind": "field", "field": f})
    out = []
    for b in blocks:  # a "scale" of one or two questions prints as ordinary fields
        if b["kind"] == "scale" and len(b["fields"]) < 3:
            out += [{"kind": "field", "field": f} for f in b["fields"]]
        else:
            out.append(b)
    return out


def _field_view(f: dict[str, Any]) -> dict[str, Any]:
    view = dict(f)
    if f["kind"] in ("select", "choice", "multichoice"):
        view["inline"] = _short(f["options"])
    if f["kind"] == "textarea":
        view["lines"] = 5 if f["max_length"] > 2000 else 3
    if f["kind"] == "list":
        view["rows"] = max(LIST_ROWS[0], min(LIST_ROWS[1], f["min_items"] or 0))
    return view


def sheet_view(slug: str) -> dict[str, Any]:
    info = WORKSHEETS[slug].to_info_dict()
    sections = []
    for s in info["sections"]:
        if s["key"].startswith(RETAKE_PREFIX):
            continue
        sections.append({**s, "blocks": [
            b if b["kind"] == "scale" else {"kind": "field", "field": _field_view(b["field"])}
            for b in _blocks(s["fields"])]})
    return {**info, "anchor": anchor(slug), "sections": sections}


def render_blank(slug: str) -> str:
    return _env.get_template("sheet.html").render(ws=sheet_view(slug))


def render_blank_page(hidden_pages: frozenset[str] = frozenset()) -> str:
    """Markdown + HTML: a list of the forms, then every form.

    Worksheets of hidden modules stay out of the list but keep their form: their pages are
    still reachable by link, and their "打印空白表" links must land somewhere.
    """
    # A knowledge check has no page: it is hidden with its lecture.
    shown = [ws for ws in WORKSHEETS.values() if (ws.page if ws.listed else ws.lecture) not in hidden_pages]
    # target="_self": a real navigation (not Material's instant one), so :target follows the URL.
    toc = "\n".join(f'- [{ws.title}](#{anchor(ws.slug)}){{ target="_self" }}' for ws in shown)
    body = "\n".join(render_blank(slug) for slug in WORKSHEETS)
    return f"{toc}\n\n<div class=\"ws-blank-sheets\">\n{body}\n</div>\n"


def add_blank_nav(nav: Any) -> bool:
    """Append the blank-forms page to the nav section holding ``worksheets/index.md``."""
    if isinstance(nav, list):
        if any(isinstance(item, str) and item.lstrip("./") == "worksheets/index.md" for item in nav):
            if not any(isinstance(i, dict) and BLANK_PAGE in i.values() for i in nav):
                nav.append({"空白工作表（打印用）": BLANK_PAGE})
            return True
        return any(add_blank_nav(item) for item in nav)
    if isinstance(nav, dict):
        return any(add_blank_nav(value) for value in nav.values())
    return False
