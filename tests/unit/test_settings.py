"""The trainer's settings in mkdocs.yml ``extra:`` (macros/forms.py Settings): checked with
a clear message, defaults, hidden modules and the nav filter. What the built site does with
them: tests/browser/test_hosting.py (a build with tests/fixtures/trainer-settings)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from macros import filter_nav
from macros.forms import MODULES, MacroError, Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("extra, message", [
    ({"course": {"modules": ["intro", "finance"]}}, "finance"),
    ({"course": {"modules": []}}, "non-empty"),
    ({"course": {"modules": "team"}}, "non-empty"),
    ({"worksheets": {"python_start": "always"}}, "python_start"),
    ({"worksheets": {"snapshot": "yes"}}, "snapshot"),
    ({"worksheets": {"watchdog_seconds": 1}}, "watchdog_seconds"),
    ({"branding": {"organisation": ["a"]}}, "organisation"),
])
def test_bad_settings_are_refused(extra: dict, message: str) -> None:
    with pytest.raises(MacroError, match=message):
        Settings.from_extra(extra)


def test_settings_defaults_and_hidden_pages() -> None:
    s = Settings.from_extra({})
    # Every python_start the pages know (engine-protocol.js PYTHON_START_MODES) is accepted.
    assert [Settings.from_extra({"worksheets": {"python_start": m}}).python_start for m in ("worksheet", "idle", "never")] \
        == ["worksheet", "idle", "never"]
    assert (s.python_start, s.watchdog_seconds, s.modules) == ("worksheet", 45, ("intro", "self", "business", "team"))
    assert s.snapshot is True and Settings.from_extra({"worksheets": {"snapshot": False}}).snapshot is False
    assert s.hidden_pages == frozenset()
    team_only = Settings.from_extra({"course": {"modules": ["team"]}})
    assert "worksheets/smart.md" in team_only.hidden_pages and "worksheets/grow.md" not in team_only.hidden_pages


def test_unquoted_yaml_date_is_taken_as_text() -> None:
    assert Settings.from_extra({"course": {"dates": datetime.date(2026, 12, 3)}}).dates == "2026-12-03"


def test_filter_nav_drops_hidden_pages_and_empty_sections() -> None:
    nav = [{"首页": "index.md"}, {"管理自我": [{"第一讲": "lectures/01-learning.md"}]},
           {"工作表": ["worksheets/index.md", {"SWOT": "worksheets/swot.md"}, {"SMART": "worksheets/smart.md"}]}]
    hidden = frozenset({"lectures/01-learning.md", "worksheets/swot.md"})
    assert filter_nav(nav, hidden) == [{"首页": "index.md"},
                                       {"工作表": ["worksheets/index.md", {"SMART": "worksheets/smart.md"}]}]


def test_every_module_page_exists_and_is_in_the_nav() -> None:
    """The module table in macros/forms.py matches the docs and mkdocs.yml."""
    # Worksheet pages are added to the nav from their definitions (macros.forms.worksheet_nav).
    from macros.forms import worksheet_nav

    nav_text = (REPO / "mkdocs.yml").read_text(encoding="utf-8") + json.dumps(worksheet_nav())
    for _, pages in MODULES.values():
        for page_path in pages:
            assert (REPO / "docs" / page_path).exists(), page_path
            assert page_path in nav_text, page_path
