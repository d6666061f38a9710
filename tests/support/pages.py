"""Helpers for the browser tests that drive a worksheet page (test_storage, test_backup,
test_xss, test_worksheets): open a worksheet, read what is stored, wait for saves and
notices. Waiting is always polling (Playwright's expect / wait_for_function), never a
fixed sleep."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

PREFIX = "/training/.ws."
ENTRY_PREFIX = PREFIX + "entry."
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backups"
GOAL = "本季度末前，将二组的一次解决率从 72% 提升到 78%。"

STORED = f"""() => Object.keys(localStorage).filter((k) => k.startsWith({json.dumps(ENTRY_PREFIX)}))
  .map((k) => JSON.parse(localStorage.getItem(k)))"""
SNAPSHOT = "() => Object.fromEntries(Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)]))"


def open_ws(page: Any, base_url: str, slug: str = "smart") -> None:
    """Open a worksheet page and wait until its form is mounted (fails if the page has none)."""
    page.goto(f"{base_url}worksheets/{slug}/")
    page.wait_for_selector(f'[data-ws-root="{slug}"][data-ws-mounted]')


def open_tools(page: Any) -> None:
    page.evaluate("document.querySelectorAll('.ws-entries__more').forEach((d) => { d.open = true; })")


def stored(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(STORED)


def stored_texts(page: Any, field: str = "goal_text") -> list[str]:
    return sorted(str(e["data"].get(field, "")) for e in stored(page))


def wait_stored(page: Any, predicate: str, timeout: float = 15_000) -> list[dict[str, Any]]:
    """Poll localStorage until ``predicate`` (a JS function of the stored entries) is true."""
    page.wait_for_function(f"() => ({predicate})(({STORED})())", timeout=timeout)
    return stored(page)


def wait_texts(page: Any, texts: list[str], field: str = "goal_text") -> None:
    """Poll until the stored entries' ``field`` values are exactly ``texts`` (any order)."""
    want = json.dumps(sorted(texts), ensure_ascii=False, separators=(",", ":"))
    wait_stored(page, f"(es) => JSON.stringify(es.map((e) => String(e.data[{json.dumps(field)}] ?? '')).sort()) === {json.dumps(want)}")


def wait_saved(page: Any) -> None:
    expect(page.locator("[data-ws-save-status]")).to_have_attribute("data-state", "saved")


def dialog_name(page: Any, name: str) -> None:
    """Fill the open name dialog and confirm it."""
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_have_attribute("data-kind", "name")
    expect(dialog).to_be_visible()
    page.fill("[data-ws-dialog-input]", name)
    page.click("[data-ws-dialog-ok]")
    expect(dialog).to_be_hidden()


def new_entry(page: Any, name: str) -> None:
    page.click('[data-ws-action="new-entry"]')
    dialog_name(page, name)
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text(name)


def current_name(page: Any) -> str:
    return page.locator("[data-ws-entry-select] option:checked").inner_text()


def entry_rows(page: Any) -> list[dict[str, str]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-ws-entry-list] tbody tr')].map((r) => ({
          name: r.querySelector('.ws-entry-name').textContent, saved: r.querySelector('time').textContent,
          savedIso: r.querySelector('time').dateTime, completion: r.querySelector('.ws-entry-completion').textContent.trim(),
          current: r.getAttribute('aria-current') === 'true'}))"""
    )


def notice(page: Any) -> Any:
    return page.locator("[data-ws-notice]")


def expect_notice(page: Any, code: str, kind: str | None = None) -> Any:
    """Wait for the notice with this stable code (data-ws-notice-code) to be on show."""
    n = notice(page)
    expect(n).to_be_visible()
    expect(n).to_have_attribute("data-ws-notice-code", code)
    if kind:
        expect(n).to_have_attribute("data-kind", kind)
    return n


def result_shown(page: Any) -> None:
    """Wait until the engine's result (not a placeholder or an error) is in the panel."""
    expect(page.locator("[data-ws-result]")).to_have_attribute("data-state", re.compile(r"^(ok|issues)$"))
    expect(page.locator("[data-ws-result] .ws-result__headline")).to_be_visible()
