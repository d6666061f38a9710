"""Every worksheet end to end: fill it (the 填入示例 button loads the engine's worked
example), see Python's results, reload, and find everything still there."""

from __future__ import annotations

from playwright.sync_api import expect

import pytest

from worksheet_engine.worksheets import WORKSHEETS

from .conftest import wait_ready

SLUGS = sorted(slug for slug, ws in WORKSHEETS.items() if ws.listed)  # quizzes live inside lectures

READ_FIELDS = """() => Object.fromEntries([...document.querySelectorAll('[data-ws-form] [data-ws-field]')]
  .map((n) => [n.dataset.wsField, n.value]))"""


@pytest.mark.parametrize("slug", SLUGS)
def test_fill_check_reload_keeps_everything(page, base_url, slug):
    page.goto(f"{base_url}worksheets/{slug}/")
    page.click('[data-ws-action="fill-example"]')
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    result = page.locator("[data-ws-result]")
    expect(result).to_contain_text("由 Python 检查")
    expect(result.locator("[data-ws-report]")).not_to_be_empty()
    before = page.evaluate(READ_FIELDS)
    assert sum(1 for v in before.values() if v.strip()) >= 3

    page.reload()
    expect(page.locator(f'[data-ws-form="{slug}"]')).to_be_visible()
    assert page.evaluate(READ_FIELDS) == before
    wait_ready(page)
    expect(result).to_contain_text("由 Python 检查")


@pytest.mark.parametrize("slug", [s for s in SLUGS if any(f.kind == "list" for f in WORKSHEETS[s].fields)])
def test_rows_can_be_added_and_removed_by_keyboard(page, base_url, slug):
    page.goto(f"{base_url}worksheets/{slug}/")
    lst = page.locator("[data-ws-list]").first
    rows = lst.locator("[data-ws-row]")
    start = rows.count()
    lst.locator('[data-ws-action="add-row"]').focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(start + 1)
    # Focus moved into the new row, so typing goes there.
    page.keyboard.type("键盘输入")
    focused = page.evaluate("document.activeElement.dataset.wsField || ''")
    assert focused.startswith(f"{lst.get_attribute('data-ws-list')}.{start}."), focused
    expect(rows.last.locator("[data-ws-field]").first).to_have_value("键盘输入")
    rows.last.locator('[data-ws-action="remove-row"]').focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(start)


def test_engine_result_never_shows_a_traceback(page, base_url):
    page.goto(f"{base_url}worksheets/smart/")
    wait_ready(page)
    page.fill('[data-ws-field="goal_text"]', "x" * 20000)
    page.click('[data-ws-action="check"]')
    result = page.locator("[data-ws-result]")
    expect(result).to_contain_text("由 Python 检查")
    assert "Traceback" not in result.inner_text()
