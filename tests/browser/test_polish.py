"""Small things a reader notices (issue 15, item 7): a slow start of the checker shows
how long the reader has waited and, when it gives up, says in Chinese what to do; focus
never falls to <body> after 打开 or 撤销; notices are announced politely, errors
assertively. Two page loads: one with a stalled download, one without Python."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.pages import GOAL, expect_notice, new_entry, notice, open_tools, open_ws, wait_saved

#: Words a reader must never see (technology names).
FORBIDDEN = re.compile(r"watchdog|python|pyodide|worker|wasm", re.IGNORECASE)

STATUS = "[data-ws-engine-status]"


@pytest.mark.python_autostart  # the download must start on its own
def test_a_stalled_download_shows_the_wait_then_a_chinese_failure_with_retry(page: Any, base_url: str) -> None:
    # The runtime's big file never arrives (a route that is never fulfilled).
    stalled: list[str] = []
    page.route("**/*.wasm", lambda route: stalled.append(route.request.url))
    page.goto(f"{base_url}worksheets/smart/?ws-watchdog-ms=8000")
    page.wait_for_selector('[data-ws-root="smart"][data-ws-mounted]')
    status = page.locator(STATUS)
    expect(status).to_have_attribute("data-state", "loading")
    # The reader asks for a check while it is still loading.
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.click('[data-ws-action="check"]')
    # After a few seconds the line counts the seconds waited, in the visible text.
    page.wait_for_function(f"() => Number(document.querySelector('{STATUS}').dataset.wsEngineWaited) >= 3")
    waited, text, state = page.evaluate(
        f"() => {{ const b = document.querySelector('{STATUS}'); return [b.dataset.wsEngineWaited, b.innerText, b.dataset.state]; }}"
    )
    assert state == "loading" and stalled, (state, stalled)
    assert re.search(rf"\b{waited}\s*秒", text), text
    assert not FORBIDDEN.search(text), text
    # The seconds are seen, not read out every second: the live region's changing part is aria-hidden.
    assert page.evaluate(
        f"""() => [...document.querySelectorAll('{STATUS} [aria-hidden="true"]')].some((n) => /秒/.test(n.textContent))"""
    )
    # It gives up: a Chinese message that says what to do, and a retry button.
    expect(status).to_have_attribute("data-state", "error", timeout=30_000)
    expect(status).to_have_attribute("data-ws-engine-error", "watchdog")
    assert status.get_attribute("data-ws-engine-waited") is None
    failure = status.inner_text()
    assert not FORBIDDEN.search(failure), failure
    assert "重试" in failure, failure
    retry = page.locator('[data-ws-action="retry-engine"]')
    expect(retry).to_be_visible()
    # The check the reader asked for ends with an explained error, never a raw code.
    result = page.locator("[data-ws-result]")
    expect(result).to_have_attribute("data-state", "error")
    assert not FORBIDDEN.search(result.inner_text()), result.inner_text()
    # Nothing typed was lost, and retrying starts again (counting from zero).
    wait_saved(page)
    retry.click()
    expect(status).to_have_attribute("data-state", "loading")
    assert int(status.get_attribute("data-ws-engine-waited") or "0") < 3
    expect(retry).to_be_hidden()


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const a = document.activeElement; return {tag: a ? a.tagName : null,
          body: a === document.body || !a, entrySelect: Boolean(a && a.matches('[data-ws-entry-select]')),
          field: a && a.dataset ? a.dataset.wsField || null : null}; }"""
    )


def _first_field(page: Any) -> str:
    return page.evaluate("() => document.querySelector('[data-ws-form] [data-ws-field]').dataset.wsField")


def test_focus_after_open_and_undo_and_notice_politeness(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    box = notice(page)
    # Before any notice: an empty polite live region that stays in the page.
    assert box.get_attribute("role") == "status" and box.get_attribute("aria-live") == "polite"
    assert box.evaluate("(n) => !n.hidden && getComputedStyle(n).display !== 'none'")
    expect(box).to_be_hidden()  # nothing drawn

    page.fill('[data-ws-field="goal_text"]', GOAL)
    wait_saved(page)
    first_id = page.locator("[data-ws-entry-select]").input_value()
    new_entry(page, "第二个条目")

    # 打开 in the entry list: focus on the entry picker, which now names the opened entry.
    open_tools(page)
    page.locator(f'[data-ws-open="{first_id}"]').click()
    expect(page.locator("[data-ws-entry-select]")).to_have_value(first_id)
    expect(page.locator("[data-ws-entry-select]")).to_be_focused()
    assert not _focused(page)["body"]

    # An info notice (the example replaced text) is polite; 撤销 puts focus on the form.
    page.click('[data-ws-action="fill-example"]')
    n = expect_notice(page, "example-filled", "info")
    expect(n).to_have_attribute("role", "status")
    expect(n).to_have_attribute("aria-live", "polite")
    n.locator('[data-ws-action="undo"]').click()
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(GOAL)
    focus = _focused(page)
    assert not focus["body"] and focus["field"] == _first_field(page), focus

    # Delete (a polite notice with 撤销), then undo: focus on the restored entry's name.
    page.click('[data-ws-action="delete-entry"]')
    n = expect_notice(page, "deleted", "info")
    expect(n).to_have_attribute("role", "status")
    n.locator('[data-ws-action="undo"]').click()
    expect_notice(page, "restored")
    expect(page.locator("[data-ws-entry-select]")).to_have_value(first_id)
    expect(page.locator("[data-ws-entry-select]")).to_be_focused()

    # Closing a notice with × leaves focus on the page's work, not on <body>.
    notice(page).locator(".ws-notice__close").click()
    expect(notice(page)).to_be_hidden()
    assert not _focused(page)["body"], _focused(page)

    # An error (a file that is not a backup) interrupts: role="alert", assertive.
    open_tools(page)
    page.set_input_files('[data-ws-action="import"]', files=[{"name": "photo.json", "mimeType": "image/png", "buffer": bytes(range(256)) * 4}])
    n = expect_notice(page, "import-failed", "error")
    expect(n).to_have_attribute("role", "alert")
    expect(n).to_have_attribute("aria-live", "assertive")
    # And the next ordinary notice is polite again.
    page.click('[data-ws-action="fill-example"]')
    n = expect_notice(page, "example-filled", "info")
    expect(n).to_have_attribute("role", "status")
    expect(n).to_have_attribute("aria-live", "polite")
