"""Every worksheet end to end: fill it (the 填入示例 button loads the engine's worked
example), see the engine's results, reload, and find everything still there. Also the
generic result panel (one shape for every worksheet) and the choice field kinds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from macros.forms import render
from tests.support.pages import open_tools, open_ws, result_shown, stored, wait_stored
from worksheet_engine.model import Field, Section, Worksheet
from worksheet_engine.worksheets import WORKSHEETS

from .conftest import wait_ready

SLUGS = sorted(slug for slug, ws in WORKSHEETS.items() if ws.listed)  # quizzes live inside lectures

# What the form holds, as the reader sees it (a radio or checkbox: checked or not).
READ_FIELDS = """() => Object.fromEntries([...document.querySelectorAll('[data-ws-form] [data-ws-field]')]
  .map((n, i) => [n.type === 'radio' || n.type === 'checkbox' ? `${n.dataset.wsField}#${n.value}` : n.dataset.wsField,
                  n.type === 'radio' || n.type === 'checkbox' ? String(n.checked) : n.value]))"""


@pytest.mark.parametrize("slug", SLUGS)
def test_fill_check_reload_keeps_everything(page: Any, base_url: str, slug: str) -> None:
    open_ws(page, base_url, slug)
    page.click('[data-ws-action="fill-example"]')
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    result = page.locator("[data-ws-result]")
    result_shown(page)
    expect(result.locator("[data-ws-report='']")).not_to_be_empty()
    # No technology names in what the reader sees.
    assert not re.search(r"Python|Pyodide|worker", page.inner_text(".ws"), re.I)
    before = page.evaluate(READ_FIELDS)
    assert sum(1 for v in before.values() if v.strip() and v != "false") >= 3

    page.reload()
    expect(page.locator(f'[data-ws-form="{slug}"]')).to_be_visible()
    assert page.evaluate(READ_FIELDS) == before
    wait_ready(page)
    result_shown(page)


@pytest.mark.parametrize("slug", [s for s in SLUGS if any(f.kind == "list" for f in WORKSHEETS[s].fields)])
def test_rows_can_be_added_and_removed_by_keyboard(page: Any, base_url: str, slug: str) -> None:
    open_ws(page, base_url, slug)
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


def test_engine_result_never_shows_a_traceback(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    wait_ready(page)
    page.fill('[data-ws-field="goal_text"]', "x" * 20000)
    page.click('[data-ws-action="check"]')
    result_shown(page)
    assert "Traceback" not in page.inner_text("[data-ws-result]")


# ---- the generic result panel ---------------------------------------------------------------

RENDER = """async ([result]) => {
  const main = document.querySelector('script[src*="javascripts/worksheet/main.js"]');
  const { renderResult } = await import(new URL('result.js', main.src).href);
  renderResult(document.querySelector('[data-ws-result]'), result, document.querySelector('[data-ws-form]'));
}"""

CHART = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><title>得分</title>'
         '<rect class="bar" x="0" y="0" width="38" height="20" fill="#36c" data-ws-part="behaviour"/></svg>')


def test_one_result_shape_renders_every_part_in_order_with_hooks(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    result = {
        "ok": True, "headline": "总体不错", "completion": 0.75,
        "figures": [{"key": "score", "label": "得分", "value": 38, "hook": {"score": "38"}},
                    {"key": "level", "label": "等级", "value": "二级", "hook": {"level": "2"}}],
        "checks": [{"key": "behaviour", "label": "描述行为", "met": True, "reason": "具体", "suggestion": "", "hook": {"part": "behaviour"}},
                   {"key": "impact", "label": "说明影响", "met": False, "reason": "缺少", "suggestion": "补上影响"},
                   {"key": "ask", "label": "提出请求", "met": None, "reason": "不确定", "suggestion": ""}],
        "rewrite": "改写后的句子",
        "charts": [{"title": "得分图", "svg": CHART}],
        "links": [{"label": "第五讲 沟通", "href": "lectures/05-communication/#bia"}],
        "issues": [{"code": "some_code", "severity": "warning", "message": "一条提示", "field": "goal_text"}],
        "report_html": "<h2>报告</h2><p>内容</p>",
    }
    page.evaluate(RENDER, [result])
    panel = page.locator("[data-ws-result]")
    expect(panel).to_have_attribute("data-state", "ok")
    expect(panel.locator(".ws-result__meta")).to_contain_text("75%")
    order = panel.evaluate("""p => [...p.children].map((n) => n.matches('.ws-result__head') ? 'head' : n.matches('[data-ws-figures]') ? 'figures'
      : n.matches('.ws-criteria') ? 'checks' : n.querySelector('[data-ws-rewrite]') ? 'rewrite' : n.matches('.ws-charts') ? 'charts'
      : n.matches('[data-ws-links]') ? 'links' : n.matches('.ws-issues') ? 'issues' : n.matches('.ws-report-wrap') ? 'report' : null).filter(Boolean)""")
    assert order == ["head", "figures", "checks", "rewrite", "charts", "links", "issues", "report"]
    expect(panel.locator('[data-ws-figure="score"]')).to_have_attribute("data-ws-score", "38")
    expect(panel.locator('[data-ws-figure="level"]')).to_have_attribute("data-ws-level", "2")
    expect(panel.locator('[data-ws-figure="score"] dd')).to_have_text("38")
    expect(panel.locator('li.ws-criterion[data-ws-criterion="behaviour"]')).to_have_attribute("data-met", "true")
    expect(panel.locator('li.ws-criterion[data-ws-criterion="behaviour"]')).to_have_attribute("data-ws-part", "behaviour")
    expect(panel.locator('li.ws-criterion[data-ws-criterion="impact"]')).to_have_attribute("data-met", "false")
    expect(panel.locator('li.ws-criterion[data-ws-criterion="ask"]')).to_have_attribute("data-met", "unknown")
    expect(panel.locator("[data-ws-rewrite]")).to_have_text("改写后的句子")
    expect(panel.locator('[data-ws-chart] svg rect[data-ws-part="behaviour"]')).to_have_count(1)
    expect(panel.locator("[data-ws-chart] figcaption")).to_have_text("得分图")
    # The link works under the site's sub-path (/training/) and leads to the lecture.
    link = panel.locator("[data-ws-links] a")
    expect(link).to_have_attribute("href", f"{base_url}lectures/05-communication/#bia")
    expect(page.locator('[data-ws-issues-for="goal_text"]')).to_have_text("一条提示")
    link.click()
    page.wait_for_url(re.compile(r"/training/lectures/05-communication/"))


def test_older_results_with_a_criteria_dict_render_through_the_same_path(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    page.evaluate(RENDER, [{"ok": False, "criteria": {"specific": {"label": "S 具体", "met": False, "reason": "r", "suggestion": "s"},
                                                      "time_bound": {"label": "T 有时限", "met": True, "reason": "r"}}}])
    items = page.locator("li.ws-criterion")
    expect(items).to_have_count(2)
    expect(page.locator('[data-ws-criterion="specific"]')).to_have_attribute("data-met", "false")
    expect(page.locator('[data-ws-criterion="specific"] .ws-criterion__suggestion')).to_have_text("建议：s")


# ---- choice and multiple choice fields ---------------------------------------------------------


def _kinds_form() -> str:
    """A form with the two choice kinds, rendered by the real templates from a real definition."""
    ws = Worksheet(
        slug="kinds", version=1, title="选项测试", description="", lecture="lectures/00-intro.md",
        sections=(Section("s", "选项", (
            Field("channel", "主要渠道", kind="choice", required=True, options=(("phone", "电话"), ("chat", "在线客服"))),
            Field("skills", "想练的技能", kind="multichoice", help="可以多选", options=(("listen", "倾听"), ("ask", "提问"), ("feedback", "反馈"))),
            Field("note", "备注"),
        )),),
        evaluate=lambda values, ctx=None: {},
        example={"channel": "phone", "skills": ["ask"], "note": "示例"},
    )
    info = ws.to_info_dict()
    js = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    return render("form.html", ws=info, definition_json=js(info), catalog_json=js({"kinds": "选项测试"}))


MOUNT = """async ([html]) => {
  const holder = document.createElement('div');
  holder.innerHTML = html;
  const root = holder.firstElementChild;
  document.querySelector('article').append(root);
  root.setAttribute('data-ws-mounted', '');
  const main = document.querySelector('script[src*="javascripts/worksheet/main.js"]');
  const { WorksheetController } = await import(new URL('controller.js', main.src).href);
  window.__kinds = new WorksheetController(root);
}"""


def test_choice_and_multichoice_fields_read_write_autosave_print_and_export(page: Any, base_url: str) -> None:
    html = _kinds_form()
    open_ws(page, base_url)
    page.evaluate(MOUNT, [html])
    root = page.locator('[data-ws-root="kinds"]')
    # Accessible groups: a legend names each group; every option has its own label.
    expect(root.get_by_role("radiogroup", name="主要渠道*")).to_be_visible()
    expect(root.get_by_role("group", name="想练的技能")).to_be_visible()
    root.get_by_label("在线客服").check()
    root.get_by_label("倾听").check()
    root.get_by_label("反馈").check()

    def kinds_data() -> dict[str, Any]:
        return next(e["data"] for e in stored(page) if e["worksheet"] == "kinds")

    wait_stored(page, "(es) => es.some((e) => e.worksheet === 'kinds')")
    expect(root.locator("[data-ws-save-status]")).to_have_attribute("data-state", "saved")
    assert kinds_data() == {"channel": "chat", "skills": ["listen", "feedback"], "note": ""}  # options' order
    root.get_by_label("倾听").uncheck()
    root.get_by_label("电话").check()
    wait_stored(page, "(es) => es.some((e) => e.worksheet === 'kinds' && e.data.channel === 'phone' && e.data.skills.join() === 'feedback')")

    # The print view lists the chosen options by their labels.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    answers = root.locator("[data-ws-print-answers]")
    expect(answers).to_contain_text("电话")
    expect(answers).to_contain_text("反馈")
    # The Markdown download too (no engine result for this page: the answers are written out).
    open_tools(page)
    with page.expect_download() as info:
        root.locator('[data-ws-action="export-markdown"]').click()
    md = Path(info.value.path()).read_text(encoding="utf-8")
    assert "**主要渠道**：电话" in md and "**想练的技能**：反馈" in md

    # Clear, then the example fills both kinds.
    root.locator('[data-ws-action="clear-form"]').click()
    expect(root.get_by_label("电话")).not_to_be_checked()
    expect(root.get_by_label("反馈")).not_to_be_checked()
    root.locator('[data-ws-action="fill-example"]').click()
    expect(root.get_by_label("电话")).to_be_checked()
    expect(root.get_by_label("提问")).to_be_checked()
    expect(root.get_by_label("反馈")).not_to_be_checked()
    wait_stored(page, "(es) => es.some((e) => e.worksheet === 'kinds' && e.data.channel === 'phone' && e.data.skills.join() === 'ask' && e.data.note === '示例')")

    # After a reload the saved choices come back.
    page.reload()
    page.wait_for_selector('[data-ws-root="smart"][data-ws-mounted]')
    page.evaluate(MOUNT, [html])
    root = page.locator('[data-ws-root="kinds"]')
    expect(root.get_by_label("电话")).to_be_checked()
    expect(root.get_by_label("在线客服")).not_to_be_checked()
    expect(root.get_by_label("提问")).to_be_checked()
    expect(root.get_by_label("倾听")).not_to_be_checked()
    expect(root.get_by_label("备注")).to_have_value("示例")
