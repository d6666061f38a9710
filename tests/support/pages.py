"""Helpers for the browser tests that drive a worksheet page (test_storage, test_backup,
test_xss, test_worksheets, test_hosting): open a worksheet, read what is stored (the
browser's IndexedDB itself, and localStorage where the site falls back to it), wait for
saves and notices. Waiting is always polling (Playwright's expect / wait_for_function),
never a fixed sleep."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

PREFIX = "/training/.ws."
ENTRY_PREFIX = PREFIX + "entry."
#: The IndexedDB database the site keeps its records in (storage.js), and its stores.
DB_NAME = PREFIX + "db"
DB_STORES = ("entries", "records", "meta")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backups"
GOAL = "本季度末前，将二组的一次解决率从 72% 提升到 78%。"

#: JS: every store of the site's database as {store: [[key, value], ...]} ({} when there is no
#: database). Reads the browser's IndexedDB itself, not the page's copy, so what a test sees
#: is what is on disk. Never creates the database.
READ_DB = f"""async () => {{
  const name = {json.dumps(DB_NAME)};
  if (!(await indexedDB.databases()).some((d) => d.name === name)) return {{}};
  const db = await new Promise((ok, fail) => {{ const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }});
  const out = {{}};
  try {{
    for (const store of {json.dumps(list(DB_STORES))}) {{
      if (!db.objectStoreNames.contains(store)) continue;
      const tx = db.transaction(store);
      const os = tx.objectStore(store);
      const [keys, values] = await Promise.all([os.getAllKeys(), os.getAll()].map((q) => new Promise((ok, fail) => {{
        q.onsuccess = () => ok(q.result); q.onerror = () => fail(q.error); }})));
      out[store] = keys.map((k, i) => [k, values[i]]);
    }}
  }} finally {{ db.close(); }}
  return out;
}}"""

#: JS: the stored entries (IndexedDB, plus any left in localStorage: the fallback store).
STORED = f"""async () => {{
  const db = await ({READ_DB})();
  const fromDb = (db.entries || []).map(([, v]) => v);
  const fromLocal = Object.keys(localStorage).filter((k) => k.startsWith({json.dumps(ENTRY_PREFIX)}))
    .map((k) => JSON.parse(localStorage.getItem(k)));
  return [...fromDb, ...fromLocal];
}}"""

#: JS: everything the browser holds for any site on this host: localStorage keys as they are,
#: and this site's database records as "<PREFIX>db/<store>/<key>" (values as JSON text).
SNAPSHOT = f"""async () => {{
  const db = await ({READ_DB})();
  const out = Object.fromEntries(Object.keys(localStorage).sort().map((k) => [k, localStorage.getItem(k)]));
  for (const [store, rows] of Object.entries(db)) for (const [k, v] of rows) out[{json.dumps(DB_NAME)} + "/" + store + "/" + k] = JSON.stringify(v);
  return out;
}}"""


def entry_items(snap: dict[str, str]) -> dict[str, str]:
    """The entries in a SNAPSHOT (either store)."""
    return {k: v for k, v in snap.items() if k.startswith(ENTRY_PREFIX) or k.startswith(DB_NAME + "/entries/")}


def site_items(snap: dict[str, str]) -> dict[str, str]:
    """Everything of this site in a SNAPSHOT (either store)."""
    return {k: v for k, v in snap.items() if k.startswith(PREFIX)}


def backend(page: Any) -> str:
    """Which store the page's storage uses: "idb", "local" or "memory"."""
    return page.evaluate(STORAGE_MODULE + ".then((m) => m.ready().then(() => m.backendKind()))")


#: JS expression: the page's own storage module (the one its worksheets use).
STORAGE_MODULE = """import(new URL('storage.js', document.querySelector('script[src*="javascripts/worksheet/main.js"]').src).href)"""


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


_polls = itertools.count()


def wait_stored(page: Any, predicate: str, timeout: float = 15_000) -> list[dict[str, Any]]:
    """Poll the stored entries until ``predicate`` (a JS function of them) is true.

    wait_for_function does not wait for a promise, and reading IndexedDB is asynchronous:
    each poll starts a read (one at a time) and tests the newest one that has finished."""
    slot = f"__wsPoll{next(_polls)}"
    page.wait_for_function(
        f"""() => {{
          const w = window.{slot} || (window.{slot} = {{busy: false, done: false, value: null}});
          if (!w.busy) {{
            w.busy = true;
            ({STORED})().then((v) => {{ w.value = v; w.done = true; w.busy = false; }}, () => {{ w.busy = false; }});
          }}
          return w.done && Boolean(({predicate})(w.value));
        }}""",
        timeout=timeout, polling=100,
    )
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
        """() => [...document.querySelectorAll('[data-ws-entry-list] tbody tr[data-ws-entry]')].map((r) => ({
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


def list_names(page: Any) -> list[str]:
    """Every entry name in the entry list, page by page (the list shows one page at a time)."""
    open_tools(page)
    names: list[str] = []
    while True:
        names += page.eval_on_selector_all("[data-ws-entry-list] tr[data-ws-entry] .ws-entry-name", "ns => ns.map((n) => n.textContent)")
        nxt = page.locator('[data-ws-entry-pager] [data-ws-page="next"]')
        if not nxt.is_visible() or nxt.is_disabled():
            return names
        info = page.inner_text("[data-ws-entry-pager]")
        nxt.click()
        expect(page.locator("[data-ws-entry-pager]")).not_to_have_text(info)
