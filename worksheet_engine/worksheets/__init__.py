"""Registry of worksheets: ``WORKSHEETS[slug] -> Worksheet``, in the course's order.

Every module in this package whose name does not start with ``_`` is a worksheet and
must define ``DEFINITION``; nothing else registers it. A module without a definition,
or two definitions with one slug, fail loudly at import.

    >>> list(WORKSHEETS)[:2]
    ['swot', 'smart']
"""

from __future__ import annotations

import importlib
import pkgutil

from ..errors import UnknownWorksheetError
from ..model import Worksheet


def _collect() -> dict[str, Worksheet]:
    found: dict[str, Worksheet] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        ws = getattr(module, "DEFINITION", None)
        if not isinstance(ws, Worksheet):
            raise TypeError(f"{module.__name__} defines no DEFINITION = Worksheet(...)")
        if ws.slug in found:
            raise ValueError(f"duplicate worksheet slug {ws.slug!r} ({module.__name__})")
        found[ws.slug] = ws
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


WORKSHEETS: dict[str, Worksheet] = _collect()


def get(slug: str) -> Worksheet:
    try:
        return WORKSHEETS[slug]
    except KeyError:
        raise UnknownWorksheetError(slug) from None
