"""axe-core (shipped inside axe-playwright-python) finds no serious or critical
violation on the home page or any worksheet page, Material's own chrome included, in
both colour schemes: the page opens in the light one (a new reader's; headless Chromium
prefers light), is checked with the result panel and report on show, and is checked
again after the reader's palette toggle switched it to the dark one (one page load and
one Python boot per page)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from worksheet_engine.worksheets import WORKSHEETS

from .conftest import wait_ready

PAGES = [""] + [f"worksheets/{slug}/" for slug, ws in sorted(WORKSHEETS.items()) if ws.listed]

#: Resolves when every running CSS transition or animation has finished.
TRANSITIONS_DONE = "() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))"


def serious_violations(page, scheme: str) -> str:
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    # Violations in full; passes and the rest summarised (axe's resultTypes): half the time.
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    return "\n".join(
        f"{scheme}: {v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violations_in_either_scheme(page, base_url, path):
    page.goto(base_url + path)
    if path:
        page.click('[data-ws-action="fill-example"]')
        wait_ready(page)
        page.click('[data-ws-action="check"]')
        page.wait_for_selector("[data-ws-report='']")
    light = serious_violations(page, "default")
    # The header's toggle (the label of the other scheme), as the reader clicks it.
    page.locator('[data-md-component="palette"] label[for="__palette_1"]').click()
    page.evaluate(TRANSITIONS_DONE)  # colours fade over to the new scheme
    dark = serious_violations(page, "slate")
    assert not (light or dark), "\n".join(filter(None, (light, dark)))
