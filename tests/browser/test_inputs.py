"""Honest inputs (form.js with the engine's rules), in one page load of the interview sheet:

- an imported date the date box cannot show (``2026年12月22日``, ``2026.12.1``) is kept as
  typed in a text box beside it, survives an edit of another field, and the check reads it;
  picking a date replaces it;
- numbers reach the engine as typed: ``1,5`` stays ``1,5`` (read as 1.5), ``八十五`` is
  reported ``not_a_number`` and not as missing;
- text cut to a field's limit (a paste, an entry name) says so, and how much was cut.
"""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

from tests.support.pages import expect_notice, open_ws, stored, wait_saved, wait_stored
from worksheet_engine.worksheets import WORKSHEETS

from .conftest import wait_ready

ENTRY_ID = "lx3kq0a1dates"


def _backup() -> str:
    data = dict(WORKSHEETS["interview"].example)
    data.update(interview_date="2026.12.1", concerns="",
                follow_ups=[{"date": "2026年12月22日", "time": "", "purpose": "看 FCR"}])
    entry = {"format": "worksheet-entry", "schema_version": 1, "worksheet": "interview",
             "worksheet_version": WORKSHEETS["interview"].version, "id": ENTRY_ID, "name": "小孙 · 11月",
             "created_at": "2026-11-20T08:00:00.000Z", "saved_at": "2026-11-20T08:00:00.000Z", "rev": 1, "data": data}
    return json.dumps({"format": "worksheet-backup", "schema_version": 1, "site": "另一台电脑",
                       "exported_at": "2026-11-21T08:00:00.000Z", "entries": [entry]}, ensure_ascii=False)


def _saved(page: Any) -> dict[str, Any]:
    return next(e for e in stored(page) if e["id"] == ENTRY_ID)["data"]


def _check(page: Any) -> None:
    page.evaluate("document.querySelector('[data-ws-result]').dataset.state = 'pending'")
    page.click('[data-ws-action="check"]')
    expect(page.locator("[data-ws-result]")).to_have_attribute("data-state", re.compile("^(ok|issues)$"))


def test_imported_dates_numbers_and_cut_text_are_honest(page: Any, base_url: str) -> None:
    open_ws(page, base_url, "interview")
    page.set_input_files('[data-ws-action="import"]', files=[{"name": "备份.json", "mimeType": "application/json",
                                                               "buffer": _backup().encode("utf-8")}])
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    if page.locator("[data-ws-entry-select] option:checked").inner_text() != "小孙 · 11月":
        page.select_option("[data-ws-entry-select]", value=ENTRY_ID)

    # The dates the date box cannot show are kept beside it, as typed.
    row_date = page.locator('[data-ws-field="follow_ups.0.date"]')
    raw = page.locator('[data-ws-field="follow_ups.0.date"] + [data-ws-date-raw-box] [data-ws-date-raw]')
    expect(raw).to_have_value("2026年12月22日")
    expect(row_date).to_have_value("")
    expect(page.locator('[data-ws-field="interview_date"] + [data-ws-date-raw-box] [data-ws-date-raw]')).to_have_value("2026.12.1")

    # An edit of another field saves the entry: the dates are still there.
    page.fill('[data-ws-field="concerns"]', "担心晚班太多。")
    wait_saved(page)
    wait_stored(page, "(es) => es.some((e) => e.data.concerns === '担心晚班太多。')")
    saved = _saved(page)
    assert saved["follow_ups"][0]["date"] == "2026年12月22日" and saved["interview_date"] == "2026.12.1"

    # Numbers as typed: a decimal comma, and a word.
    kpi = '[data-ws-field="kpis.0.target"]'
    page.fill(kpi, "")
    page.locator(kpi).press_sequentially("7,5")
    page.fill('[data-ws-field="duration"]', "八十五")
    wait_stored(page, "(es) => es.some((e) => e.data.duration === '八十五')")
    saved = _saved(page)
    assert saved["kpis"][0]["target"] == "7,5"  # not "75" (what a number box makes of it)

    # The check reads the kept dates and the decimal comma, and names the word as invalid.
    wait_ready(page)
    _check(page)
    result = page.locator("[data-ws-result]")
    expect(result.locator('[data-ws-figure="next_follow_up"]')).to_contain_text("2026-12-22")
    expect(result.locator('[data-ws-issue="bad_date"]')).to_have_count(0)
    expect(result.locator('[data-ws-issue="not_a_number"]')).to_have_count(1)
    expect(result.locator('[data-ws-issue="not_a_number"]')).to_contain_text("八十五")
    expect(result.locator('[data-ws-issue="required"]')).to_have_count(0)
    expect(result.locator('[data-ws-report]').first).to_contain_text("7.5")

    # Picking a date replaces the kept text.
    row_date.fill("2026-12-23")
    expect(page.locator('[data-ws-field="follow_ups.0.date"] + [data-ws-date-raw-box]')).to_have_count(0)
    wait_stored(page, f"(es) => es.some((e) => e.id === {json.dumps(ENTRY_ID)} && e.data.follow_ups[0].date === '2026-12-23')")

    # A paste longer than the field's limit: cut, and said, with how much.
    comments = page.locator('[data-ws-field="self_assessment"]')
    limit = int(comments.get_attribute("maxlength") or 0)
    assert limit > 0
    comments.fill("")
    comments.focus()
    page.keyboard.insert_text("长" * (limit + 321))
    note = page.locator('[data-ws-field="self_assessment"] + [data-ws-cut-note]')
    expect(note).to_have_attribute("data-cut", "321")
    expect(note).to_contain_text(str(limit))
    assert len(comments.input_value()) == limit
    page.keyboard.press("Backspace")  # an edit that fits: the note goes
    expect(note).to_have_count(0)

    # An entry name cut to its 120 characters says so too.
    page.click('[data-ws-action="new-entry"]')
    name = page.locator("[data-ws-dialog-input]")
    expect(name).to_be_focused()
    name.fill("")
    page.keyboard.insert_text("名" * 150)
    expect(page.locator("[data-ws-dialog-input] + [data-ws-cut-note]")).to_have_attribute("data-cut", "30")
    page.click("[data-ws-dialog-cancel]")
