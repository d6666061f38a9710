"""The knowledge-check macro: ``{{ quiz("01-learning") }}`` at the end of a lecture.

It renders the normal worksheet form of ``quiz-<lecture>`` (the engine's definition,
built from the item bank) inside a root that carries ``data-ws-quiz="<lecture page
slug>"``, and a link to the quiz's blank paper form.
"""

from __future__ import annotations

from markupsafe import escape

from worksheet_engine.worksheets import WORKSHEETS

from .blank import blank_link
from .forms import MacroError, render_worksheet


def quiz_slug(lecture: str) -> str:
    return f"quiz-{lecture}"


def render_quiz(lecture: str, where: str = "?") -> str:
    """The knowledge check of lecture page ``lecture`` (e.g. "01-learning")."""
    slug = quiz_slug(str(lecture))
    ws = WORKSHEETS.get(slug)
    if ws is None:
        known = sorted(s.removeprefix("quiz-") for s in WORKSHEETS if s.startswith("quiz-"))
        raise MacroError(f"{where}: quiz({lecture!r}) — no knowledge check for this lecture; known: {known}")
    if where != "?" and where != ws.lecture:
        raise MacroError(f"{where}: quiz({lecture!r}) belongs on {ws.lecture}")
    form = render_worksheet(slug, where=where)
    return (f'<div class="ws-quiz" data-ws-quiz="{escape(lecture)}">\n{form}\n</div>\n'
            + blank_link(slug, where))
