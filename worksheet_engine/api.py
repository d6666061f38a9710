"""The JSON façade shared by the browser worker and the CLI.

``evaluate(slug, data, today=None)`` returns a JSON-serialisable dict; the browser
calls ``evaluate_json`` so only JSON strings cross the Python/JS boundary.

Common result keys (every worksheet): ``slug``, ``worksheet_version``, ``engine_version``,
``ok``, ``headline``, ``issues`` (list of ``{code, field, severity, message, suggestion}``),
``completion`` (0–1), ``report_md`` and ``report_html`` (escaped HTML of ``report_md``).

The browser draws every result with one panel, from these optional generic keys:
``figures`` (``[{key, label, value, hook?}]``: key figures such as a score or a level),
``checks`` (``[{key, label, met: bool|None, reason, suggestion, hook?}]``: one verdict
per criterion or box), ``rewrite`` (a suggested rewrite), ``charts`` (``[{title, svg}]``:
SVG drawn by the engine) and ``links`` (``[{label, href}]``, href relative to the site
root) and ``reports`` (``[{key, title, html}]``: further documents after ``report_html``,
e.g. an interview record) and ``downloads`` (``[{key, label, filename, mime, text, hook?}]``: a file the
reader can save, e.g. a calendar). ``hook`` maps extra ``data-ws-*`` attribute names to values. Worksheets
may add their own keys too (SMART keeps ``criteria``).

Besides the entry, an evaluation may be given ``context``: what the reader's browser knows
beyond it. ``context["workspace"]`` is the agents' workspace (the snapshot of
:mod:`worksheet_engine.checks.workspace`, plus ``entry`` and ``person``: the entry being
checked and its person's id), for worksheets that compare an entry with the others (the
interview preparation: open actions carried over, goals copied across agents). The
workspace page itself is drawn from :func:`workspace_summary`. The browser's worker calls
everything that is not ``evaluate`` through :func:`call_json`.

``entry_markdown`` (and ``evaluate_json`` given the entry's name) writes the Markdown file a
reader downloads: the name, the worksheet, the report or the answers, all user text escaped
here (the browser adds no Markdown of its own).

The worksheets are those of :data:`worksheet_engine.worksheets.WORKSHEETS`.

Example::

    >>> evaluate("smart", {"goal_text": "两周内完成12名新员工的工单系统培训。"})["slug"]
    'smart'
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import __version__
from .checks.feedback import check_feedback
from .checks.goal import check_goal
from .checks.questions import classify_question
from .checks.workspace import summarize as _summarize_workspace
from .errors import EntryFormatError, WorksheetError
from .lang.values import parse_date
from .markdown import entry_document, to_html
from .model import Context, coerce, completion, presence_issues
from .worksheets import WORKSHEETS, get

__all__ = ["evaluate", "evaluate_json", "entry_markdown", "worksheet_info", "check_goal", "classify_question", "check_feedback",
           "Context", "workspace_summary", "call_json"]


@dataclass(frozen=True, slots=True)
class _ReaderContext(Context):
    """A :class:`Context` that also carries what the browser knows beyond the entry
    (``workspace``: see the module docstring); evaluators read it with ``getattr``."""

    workspace: Mapping[str, Any] | None = None


def evaluate(slug: str, data: Any, today: _dt.date | str | None = None,
             context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Check one worksheet entry.

    Args:
        slug: a worksheet slug (a key of ``WORKSHEETS``).
        data: the entry's field values; malformed data becomes issues, never an exception.
        today: the reader's local date, for relative deadlines (the engine reads no clock).
        context: optional ``{"workspace": {...}}`` (see the module docstring); anything
            else, or a malformed value, is ignored.

    Returns:
        The result dict described in the module docstring.

    Raises:
        UnknownWorksheetError: ``slug`` names no worksheet.
    """
    ws = get(slug)
    values, issues = coerce(ws, data)
    issues += presence_issues(ws, values, issues)
    workspace = context.get("workspace") if isinstance(context, Mapping) else None
    ctx = _ReaderContext(today=parse_date(today) if today else None, issues=tuple(issues),
                         workspace=workspace if isinstance(workspace, Mapping) else None)
    result = dict(ws.evaluate(values, ctx))
    all_issues = [i.to_dict() for i in issues] + list(result.get("issues", []))
    result.update(
        slug=ws.slug,
        worksheet_version=ws.version,
        engine_version=__version__,
        issues=all_issues,
        completion=completion(ws, values),
    )
    # An error found anywhere (coercion included) means the entry is not ok.
    result["ok"] = bool(result.get("ok", True)) and not any(i["severity"] == "error" for i in all_issues)
    result.setdefault("headline", "")
    result.setdefault("report_md", "")
    result["report_html"] = to_html(result["report_md"])
    return result


def entry_markdown(slug: str, data: Any, name: str = "", saved: str = "",
                   today: _dt.date | str | None = None) -> str:
    """The downloadable Markdown of one entry (see :func:`worksheet_engine.markdown.entry_document`).

    Args:
        slug, data, today: as for :func:`evaluate`.
        name: the entry's name (the document's title).
        saved: when it was saved, as the reader reads it (e.g. ``2026-11-24 09:30``).
    """
    ws = get(slug)
    result = evaluate(slug, data, today)
    return entry_document(ws, data if isinstance(data, Mapping) else {}, str(result.get("report_md") or ""),
                          name, saved)


def worksheet_info(slug: str | None = None) -> dict[str, Any]:
    """The definition(s) the form is rendered from."""
    if slug is not None:
        return get(slug).to_info_dict()
    return {s: ws.to_info_dict() for s, ws in WORKSHEETS.items()}


def _fault_json(exc: Exception) -> str:
    """A fault as the browser's ``{"error": {code, message}}`` (never a traceback)."""
    if isinstance(exc, WorksheetError):
        return json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False)
    return json.dumps({"error": {"code": "internal", "message": f"检查程序内部出错：{type(exc).__name__}"}},
                      ensure_ascii=False)


def evaluate_json(slug: str, payload_json: str, today: str | None = None, context_json: str | None = None,
                  entry_json: str | None = None) -> str:
    """Browser entry point: JSON in, JSON out; faults come back as ``{"error": …}``.

    ``context_json`` (optional) is the ``context`` of :func:`evaluate` as JSON.
    ``entry_json`` (``{"name": …, "saved": …}``, for a download) adds ``document_md``, the
    entry's Markdown file (:func:`entry_markdown`), to the result.
    """
    try:
        try:
            data = json.loads(payload_json)
            entry = json.loads(entry_json) if entry_json else None
        except (TypeError, ValueError) as exc:
            raise EntryFormatError("条目不是有效的 JSON。") from exc
        if not isinstance(data, Mapping) or not isinstance(entry, (Mapping, type(None))):
            raise EntryFormatError("条目应是一个 JSON 对象。")
        context = None
        if context_json:
            try:
                context = json.loads(context_json)
            except (TypeError, ValueError):
                context = None  # a context is extra knowledge: without it the entry still checks
        result = evaluate(slug, data, today, context if isinstance(context, Mapping) else None)
        if entry is not None:
            result["document_md"] = entry_document(get(slug), data, str(result.get("report_md") or ""),
                                                   entry.get("name") or "", entry.get("saved") or "")
        return json.dumps(result, ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - the reader must never see a traceback
        return _fault_json(exc)


def _catalog() -> dict[str, dict[str, str]]:
    """{slug: {title, href}}: where an entry of each worksheet opens (relative to the site root)."""
    out = {}
    for slug, ws in WORKSHEETS.items():
        page = ws.page if ws.listed else ws.lecture
        out[slug] = {"title": ws.title, "href": page.removesuffix(".md") + "/"}
    return out


def workspace_summary(snapshot: Any, today: _dt.date | str | None = None) -> dict[str, Any]:
    """The agents' workspace (人员) and what is due, relative to the reader's ``today``.

    Args:
        snapshot: ``{"people": [person records], "actions": [action records],
            "entries": [entry envelopes]}`` as the browser keeps them (envelope.js);
            malformed parts are skipped, never an exception.
        today: the reader's local date.

    Returns:
        See :func:`worksheet_engine.checks.workspace.summarize`: ``people`` (each with
        ``entries``, ``last_interview``, ``items`` with their ``state``, ``next_follow_up``,
        ``carry_over``, ``prefill`` for the next interview preparation, ``ics``), ``due``
        (overdue or due today, across agents), ``counts``, ``headline``, ``copied_goals``
        (一刀切) and ``unassigned`` entries.

    Example::

        >>> s = workspace_summary({"people": [{"id": "p1", "name": "小孙"}]}, today="2026-12-01")
        >>> s["people"][0]["name"], s["headline"]
        ('小孙', '没有到期或逾期的跟进事项。')
    """
    result = _summarize_workspace(snapshot, today, _catalog())
    version = get("interview").version
    for person in result["people"]:
        person["prefill"]["version"] = version
    return result


#: What the browser's worker may call besides ``evaluate`` (name -> function(payload, today)).
_CALLS = {"workspace_summary": workspace_summary}


def call_json(name: str, payload_json: str, today: str | None = None) -> str:
    """Browser entry point for the functions in ``_CALLS``: JSON in, JSON out; faults come
    back as ``{"error": …}`` like :func:`evaluate_json`."""
    try:
        fn = _CALLS.get(name)
        if fn is None:
            return json.dumps({"error": {"code": "unknown_call", "message": "未知的检查请求。"}}, ensure_ascii=False)
        try:
            payload = json.loads(payload_json)
        except (TypeError, ValueError) as exc:
            raise EntryFormatError("数据不是有效的 JSON。") from exc
        return json.dumps(fn(payload, today), ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - the reader must never see a traceback
        return _fault_json(exc)
