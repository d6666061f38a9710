"""The JSON façade shared by the browser worker and the CLI.

``evaluate(slug, data, today=None)`` returns a JSON-serialisable dict; the browser
calls ``evaluate_json`` so only JSON strings cross the Python/JS boundary.

Common result keys (every worksheet): ``slug``, ``worksheet_version``, ``engine_version``,
``ok``, ``headline``, ``issues`` (list of ``{code, field, severity, message, suggestion}``),
``completion`` (0–1), ``report_md`` and ``report_html`` (escaped HTML of ``report_md``).
Worksheets add their own keys (SMART: ``criteria``).

Example::

    >>> evaluate("smart", {"goal_text": "两周内完成12名新员工的工单系统培训。"})["slug"]
    'smart'
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from typing import Any

from . import __version__
from .errors import EntryFormatError, WorksheetError
from .model import coerce, completion
from .render import to_html
from .worksheets import WORKSHEETS, get


def _parse_today(today: _dt.date | str | None) -> _dt.date | None:
    if today is None or isinstance(today, _dt.date):
        return today
    try:
        return _dt.date.fromisoformat(str(today)[:10])
    except ValueError:
        return None


def evaluate(slug: str, data: Any, today: _dt.date | str | None = None) -> dict[str, Any]:
    """Check one worksheet entry.

    Args:
        slug: the worksheet (``smart``, ``swot``, ``q10``, ``grow``).
        data: the entry's field values; malformed data becomes issues, never an exception.
        today: the reader's local date, for relative deadlines (the engine reads no clock).

    Returns:
        The result dict described in the module docstring.

    Raises:
        UnknownWorksheetError: ``slug`` names no worksheet.
    """
    ws = get(slug)
    values, issues = coerce(ws, data)
    result = dict(ws.evaluate({**values, "_today": _parse_today(today)}))
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


def worksheet_info(slug: str | None = None) -> dict[str, Any]:
    """The definition(s) the form is rendered from."""
    if slug is not None:
        return get(slug).to_info_dict()
    return {s: ws.to_info_dict() for s, ws in WORKSHEETS.items()}


def evaluate_json(slug: str, payload_json: str, today: str | None = None) -> str:
    """Browser entry point: JSON in, JSON out; faults come back as ``{"error": …}``."""
    try:
        try:
            data = json.loads(payload_json)
        except (TypeError, ValueError) as exc:
            raise EntryFormatError("条目不是有效的 JSON。") from exc
        if not isinstance(data, Mapping):
            raise EntryFormatError("条目应是一个 JSON 对象。")
        return json.dumps(evaluate(slug, data, today), ensure_ascii=False)
    except WorksheetError as exc:
        return json.dumps({"error": {"code": exc.code, "message": str(exc)}}, ensure_ascii=False)
    except Exception as exc:  # noqa: BLE001 - the reader must never see a traceback
        return json.dumps(
            {"error": {"code": "internal", "message": f"检查程序内部出错：{type(exc).__name__}"}},
            ensure_ascii=False,
        )
