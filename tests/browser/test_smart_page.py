"""The SMART worksheet end to end: typed goal → verdicts computed by Python in the
worker → autosaved → restored after a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.pages import result_shown

from .conftest import poll, wait_ready

GOAL = "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。"
CLIENT = "javascripts/worksheet/engine-client.js"
#: When the page's engine-client.js saw Python ready (a new boot would change it).
READY_AT = "(u) => import(u).then((m) => m.getTimings().ready)"


@pytest.mark.python_autostart
def test_form_is_typeable_before_python_is_ready(page, base_url):
    page.goto(base_url + "worksheets/smart/")
    field = page.locator('[data-ws-field="goal_text"]')
    field.fill("两周内完成 12 名新员工的工单系统培训")
    # The engine is still booting (it takes seconds); typing was not blocked.
    assert page.get_attribute("[data-ws-engine-status]", "data-state") in {"loading", "ready"}
    expect(field).to_have_value("两周内完成 12 名新员工的工单系统培训")


def test_goal_checked_by_python_and_restored_after_reload(page, base_url):
    page.goto(base_url + "worksheets/smart/")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    time_bound = page.locator('[data-ws-criterion="time_bound"]')
    expect(time_bound).to_have_attribute("data-met", "true")
    expect(page.locator('[data-ws-criterion="measurable"]')).to_have_attribute("data-met", "true")
    expect(page.locator('[data-ws-criterion]')).to_have_count(5)
    result_shown(page)

    page.reload()
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(GOAL)
    wait_ready(page)
    # The restored entry is checked again without a click.
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "true")


def test_vague_goal_gets_failed_criteria_with_suggestions(page, base_url):
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    page.fill('[data-ws-field="goal_text"]', "提高服务质量。")
    page.click('[data-ws-action="check"]')
    measurable = page.locator('[data-ws-criterion="measurable"]')
    expect(measurable).to_have_attribute("data-met", "false")
    expect(measurable.locator(".ws-criterion__suggestion")).to_contain_text(re.compile(r"\S"))
    expect(page.locator('[data-ws-criterion="time_bound"]')).to_have_attribute("data-met", "false")


@pytest.mark.python_autostart
def test_engine_boots_once_across_instant_navigation(page, base_url, context):
    wasm = []
    context.on("request", lambda r: wasm.append(r.url) if r.url.split("?")[0].endswith("pyodide.asm.wasm") else None)
    page.goto(base_url + "worksheets/smart/")
    wait_ready(page)
    ready_at = page.evaluate(READY_AT, base_url + CLIENT)
    page.evaluate("window.__visit_marker = 1")
    # Leave through the navigation (instant loading keeps this JS context alive) and come back.
    page.click('a[href$="swot/"]' if page.locator('a[href$="swot/"]').count() else 'a[href$="worksheets/"]')
    page.wait_for_function("location.pathname.endsWith('/') && !location.pathname.endsWith('smart/')")
    page.go_back()
    expect(page.locator('[data-ws-form="smart"]')).to_be_visible()
    assert page.evaluate("window.__visit_marker") == 1, "page reloaded: instant navigation is not working"
    # Python was not booted again: the status is ready with no second download of the runtime.
    expect(page.locator("[data-ws-engine-status]")).to_have_attribute("data-state", "ready")
    assert len(wasm) == 1, wasm
    assert page.evaluate(READY_AT, base_url + CLIENT) == ready_at


@pytest.mark.python_autostart
def test_pages_without_worksheets_never_start_python(page, base_url, context):
    wasm = []
    context.on("request", lambda r: wasm.append(r.url) if "pyodide" in r.url else None)
    page.goto(base_url + "glossary/")  # no form and no link to one (course pages with links start it when idle)
    page.wait_for_load_state("networkidle")
    assert wasm == []


def test_text_typed_before_the_scripts_run_is_kept(page, base_url):
    """The form is plain HTML first; what a fast typist enters before the worksheet
    script mounts must not be wiped when saved entries are loaded."""
    held = []
    page.route("**/javascripts/worksheet/main.js", lambda route: held.append(route))
    page.goto(base_url + "worksheets/smart/", wait_until="commit")
    page.fill('[data-ws-field="owner"]', "早到的输入")
    poll(page, lambda: bool(held), what="the request for main.js")
    assert page.locator("[data-ws-root][data-ws-mounted]").count() == 0
    held[0].continue_()
    expect(page.locator("[data-ws-root][data-ws-mounted]")).to_have_count(1)
    expect(page.locator('[data-ws-field="owner"]')).to_have_value("早到的输入")
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    page.unroute("**/javascripts/worksheet/main.js")
    page.reload()
    expect(page.locator('[data-ws-field="owner"]')).to_have_value("早到的输入")
