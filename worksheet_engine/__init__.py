"""worksheet_engine: the rules behind the course's worksheets.

Pure standard library; the same source runs under CPython (tests, CLI) and in the
browser under Pyodide. The browser and the CLI share one entry point::

    >>> from worksheet_engine import evaluate
    >>> evaluate("smart", {"goal_text": "提高服务质量。"})["criteria"]["measurable"]["met"]
    False
"""

from __future__ import annotations

__version__ = "0.1.0"

import sys as _sys

from .api import evaluate, evaluate_json, worksheet_info
from .checks import goal as _goal, questions as _questions
from .errors import EntryFormatError, SchemaVersionError, UnknownWorksheetError, WorksheetError

# Stable import paths from before the layout named roles (lang/, checks/, worksheets/,
# tools/): ``worksheet_engine.smart.check_goal`` and ``worksheet_engine.grow.classify_question``.
_sys.modules[f"{__name__}.smart"] = _goal
_sys.modules[f"{__name__}.grow"] = _questions
smart, grow = _goal, _questions

__all__ = [
    "__version__",
    "evaluate",
    "evaluate_json",
    "worksheet_info",
    "WorksheetError",
    "UnknownWorksheetError",
    "EntryFormatError",
    "SchemaVersionError",
]
