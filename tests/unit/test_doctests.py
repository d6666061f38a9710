"""Every example in the engine's docstrings runs (``python -m doctest`` on each module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import worksheet_engine

MODULES = sorted(m.name for m in pkgutil.walk_packages(worksheet_engine.__path__, "worksheet_engine.")
                 if not m.name.endswith("__main__"))


def test_every_module_is_found() -> None:
    assert {"worksheet_engine.api", "worksheet_engine.checks.goal", "worksheet_engine.worksheets.smart",
            "worksheet_engine.tools.cli"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
