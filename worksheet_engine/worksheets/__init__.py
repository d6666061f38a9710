"""Registry of worksheets: ``WORKSHEETS[slug] -> Worksheet``. Duplicate slugs raise."""

from __future__ import annotations

import importlib

from ..errors import UnknownWorksheetError
from ..model import Worksheet

#: Module names under this package, in the order the site lists them.
_MODULES = ("swot", "smart", "q10", "grow")


def _collect() -> dict[str, Worksheet]:
    found: dict[str, Worksheet] = {}
    for name in _MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a worksheet not written yet
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        ws: Worksheet = module.DEFINITION
        if ws.slug in found:
            raise ValueError(f"duplicate worksheet slug {ws.slug!r}")
        found[ws.slug] = ws
    return found


WORKSHEETS: dict[str, Worksheet] = _collect()


def get(slug: str) -> Worksheet:
    try:
        return WORKSHEETS[slug]
    except KeyError:
        raise UnknownWorksheetError(slug) from None
