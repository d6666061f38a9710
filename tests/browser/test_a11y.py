"""axe-core (shipped inside axe-playwright-python) finds no serious or critical
violation on the home page or any worksheet page, Material's own chrome included."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from worksheet_engine.worksheets import WORKSHEETS

from .conftest import wait_ready

PAGES = [""] + [f"worksheets/{slug}/" for slug, ws in sorted(WORKSHEETS.items()) if ws.listed]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_or_critical_violations(page, base_url, path, scheme):
    page.add_init_script(
        f"localStorage.setItem('__palette', JSON.stringify({{index: {0 if scheme == 'default' else 1}, "
        f"color: {{scheme: '{scheme}', media: ''}}}}))"
    )
    page.goto(base_url + path)
    if path:
        page.click('[data-ws-action="fill-example"]')
        wait_ready(page)
        page.click('[data-ws-action="check"]')
        page.wait_for_selector("[data-ws-report='']")
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    detail = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, detail
