"""Script-injection payloads typed into fields, list rows and entry names, or carried
inside an imported backup, are shown as text and never run: no dialog, no injected
element or event handler, window.__xss stays undefined. The payloads are shared with
the Python and node tests (tests/fixtures/backups/xss_strings.json; the last test runs
the whole shared list, tests/fixtures/hostile.json, through the print view and the
downloaded Markdown, checked as tests/unit/test_exports.py checks every export)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from worksheet_engine.worksheets import WORKSHEETS

from tests.sitebuild import REPO
from tests.support.pages import FIXTURES, dialog_name, expect_notice, list_names, open_tools, open_ws, stored, wait_saved
from tests.unit.test_exports import markup_problems

from .conftest import wait_ready

PAYLOADS: list[str] = json.loads((FIXTURES / "xss_strings.json").read_text(encoding="utf-8"))
LIST_SLUGS = sorted(slug for slug, ws in WORKSHEETS.items() if any(f.kind == "list" for f in ws.fields))
assert LIST_SLUGS, "no worksheet has a list field: the row test below would run on nothing"

# Everything that would mean a payload became markup or code.
INJECTED = """() => {
  const bad = [];
  if (window.__xss !== undefined) bad.push(`window.__xss = ${window.__xss}`);
  const tags = ['script', 'iframe', 'object', 'embed', 'svg:not([data-ws-chart] > svg)', 'math', 'foreignObject', 'use', 'image', 'img', 'style', 'link', 'meta', 'base', 'body',
    'noscript', 'frame', 'video', 'audio', 'source', 'input[autofocus]:not([data-ws-dialog-input])'];
  for (const t of tags) for (const n of document.querySelectorAll(`.ws ${t}`)) bad.push(`<${n.tagName.toLowerCase()}> inside .ws`);
  for (const n of document.querySelectorAll('.ws template:not([data-ws-row-template])')) bad.push('<template> inside .ws');
  for (const n of document.querySelectorAll('*')) for (const a of n.attributes) if (/^on/i.test(a.name)) bad.push(`${a.name} on <${n.tagName.toLowerCase()}>`);
  for (const n of document.querySelectorAll('a[href], form[action], iframe[src], object[data]')) {
    const url = n.getAttribute('href') || n.getAttribute('action') || n.getAttribute('src') || n.getAttribute('data') || '';
    if (/^\\s*javascript:/i.test(url)) bad.push(`javascript: URL on <${n.tagName.toLowerCase()}>`);
  }
  for (const n of document.querySelectorAll('img[src="x"], img[src*="evil"]')) bad.push('payload <img>');
  for (const ws of document.querySelectorAll('.ws')) if (ws.querySelectorAll('form').length !== 2) bad.push('extra <form> inside .ws');
  if (document.querySelectorAll('body').length !== 1) bad.push('extra <body>');
  if (document.querySelector('[data-ws-form]').offsetParent === null && !document.body.classList.contains('ws-printing')) bad.push('form hidden by injected style');
  return bad;
}"""


@pytest.fixture
def dialogs(page: Any) -> list[str]:
    seen: list[str] = []

    def on_dialog(d: Any) -> None:
        seen.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    return seen


def assert_clean(page: Any, dialogs: list[str], where: str) -> None:
    bad = page.evaluate(INJECTED)
    assert not bad, f"{where}: {bad}"
    assert not dialogs, f"{where}: dialogs opened: {dialogs}"


def check_now(page: Any) -> None:
    """Run Python's check and wait for this run's result."""
    page.evaluate("document.querySelector('[data-ws-result]').dataset.state = 'pending'")
    page.click('[data-ws-action="check"]')
    page.wait_for_selector('[data-ws-result][data-state="ok"], [data-ws-result][data-state="issues"]')


def test_payloads_typed_into_fields_and_entry_names_never_run(page: Any, base_url: str, dialogs: list[str]) -> None:
    open_ws(page, base_url)
    wait_ready(page)
    goal = page.locator('[data-ws-field="goal_text"]')
    for i, payload in enumerate(PAYLOADS):
        page.click('[data-ws-action="new-entry"]')
        dialog_name(page, payload)
        expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text(payload.strip())
        if i % 5 == 0:  # some by real keystrokes, the rest in one go
            goal.click()
            page.keyboard.type(payload)
        else:
            goal.fill(payload)
        page.fill('[data-ws-field="owner"]', payload[:200])
        page.fill('[data-ws-field="why_relevant"]', f"第 {i} 条：{payload}")
        check_now(page)
        # The text comes back as typed, never as markup.
        expect(goal).to_have_value(payload)
        expect(page.locator("[data-ws-result]")).to_contain_text(payload.split("\u2028")[-1][:8].strip())
        assert_clean(page, dialogs, f"payload {i} {payload!r}")
    # Renaming to a payload, too.
    page.click('[data-ws-action="rename-entry"]')
    dialog_name(page, PAYLOADS[0])
    assert_clean(page, dialogs, "rename")
    wait_saved(page)
    names = list_names(page)
    assert sorted(names) == sorted([p.strip() for p in PAYLOADS[:-1]] + [PAYLOADS[0]])
    assert_clean(page, dialogs, "entry list")
    # After a reload everything is restored as text and checked again.
    page.reload()
    wait_ready(page)
    check_now(page)
    assert_clean(page, dialogs, "after reload")
    assert len(stored(page)) == len(PAYLOADS)


@pytest.mark.parametrize("slug", LIST_SLUGS)
def test_payloads_typed_into_list_rows_never_run(page: Any, base_url: str, dialogs: list[str], slug: str) -> None:
    open_ws(page, base_url, slug)
    wait_ready(page)
    lst = page.locator("[data-ws-list]").first
    max_rows = int(lst.get_attribute("data-max-items") or 10)
    payloads = PAYLOADS[: max_rows - 1]
    for i, payload in enumerate(payloads):
        rows = lst.locator("[data-ws-row]")
        if rows.count() <= i:
            lst.locator('[data-ws-action="add-row"]').click()
        text_inputs = rows.nth(i).locator('input[type="text"], textarea')
        for j in range(text_inputs.count()):
            text_inputs.nth(j).fill(payload)
    check_now(page)
    assert_clean(page, dialogs, f"{slug} rows")
    wait_saved(page)
    page.reload()
    first = lst.locator("[data-ws-row]").first.locator('input[type="text"], textarea').first
    expect(first).to_have_value(payloads[0])
    wait_ready(page)
    check_now(page)
    assert_clean(page, dialogs, f"{slug} rows after reload")


def test_payloads_inside_an_imported_backup_never_run(page: Any, base_url: str, dialogs: list[str]) -> None:
    page.add_init_script("window.print = () => {};")
    open_ws(page, base_url)
    wait_ready(page)
    page.set_input_files('[data-ws-action="import"]', str(FIXTURES / "xss_payloads_backup.json"))
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_have_attribute("data-kind", "import")
    expect(dialog).to_contain_text('<script>window.__xss="site"</script>')  # the site name, as text
    assert_clean(page, dialogs, "import dialog")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    options = page.eval_on_selector_all("[data-ws-entry-select] option", "os => os.map((o) => [o.value, o.textContent])")
    smart_entries = [e for e in json.loads((FIXTURES / "xss_payloads_backup.json").read_text(encoding="utf-8"))["entries"] if e["worksheet"] == "smart"]
    assert sorted(text for _, text in options) == sorted(e["name"] for e in smart_entries)
    open_tools(page)
    for value, text in options:
        page.select_option("[data-ws-entry-select]", value=value)
        expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text(text)
        check_now(page)
        assert_clean(page, dialogs, f"imported entry {text!r}")
    # The print view and the Markdown download carry the same text safely.
    page.click('[data-ws-action="print"]')
    page.emulate_media(media="print")
    assert_clean(page, dialogs, "print view")
    page.emulate_media(media="screen")
    with page.expect_download() as info:
        page.click('[data-ws-action="export-markdown"]')
    assert info.value.suggested_filename.endswith(".md")
    assert "<" not in info.value.suggested_filename
    assert_clean(page, dialogs, "after downloads")


# A result as hostile as an engine bug could make it: every string a payload, SVG with
# scripts, links and handlers, hooks with odd names, links off the site.
HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50" onload="window.__xss='svg'">
<script>window.__xss='script'</script>
<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:window.__xss='fo'"></iframe></foreignObject>
<a href="javascript:window.__xss='a'"><rect class="hidden-link" width="10" height="10"/></a>
<rect class="bar" x="1" y="2" width="30" height="8" fill="url(http://127.0.0.1:9/x)" style="fill: url(#g)" onclick="window.__xss='rect'" data-ws-part="bar"/>
<image href="http://127.0.0.1:9/x.png" width="5" height="5"/><use xlink:href="#x"/>
<circle class="dot" cx="50" cy="25" r="3" fill="#36c" data-value="38"/>
<text x="5" y="45" font-size="8">文字 &lt;b&gt;</text>
</svg>"""

RENDER = """async ([result]) => {
  const main = document.querySelector('script[src*="javascripts/worksheet/main.js"]');
  const { renderResult } = await import(new URL('result.js', main.src).href);
  renderResult(document.querySelector('[data-ws-result]'), result, document.querySelector('[data-ws-form]'));
}"""


def test_a_hostile_result_is_shown_as_text_and_its_svg_is_rebuilt_from_the_allow_list(page: Any, base_url: str, dialogs: list[str]) -> None:
    open_ws(page, base_url)
    for i, payload in enumerate(PAYLOADS[:10]):
        result = {
            "ok": False, "headline": payload, "completion": 0.5,
            "figures": [{"key": "f", "label": payload, "value": payload, "hook": {"part": payload, "Bad": "x", "on-x": "1", "a" * 30: "x"}}],
            "checks": [{"key": "k", "label": payload, "met": None, "reason": payload, "suggestion": payload, "hook": {"criterion": "hijack", "level": "2"}}],
            "rewrite": payload,
            "charts": [{"title": payload, "svg": HOSTILE_SVG}, {"title": "坏的", "svg": payload}],
            "links": [{"label": payload, "href": "javascript:window.__xss='link'"}, {"label": "外站", "href": "//127.0.0.2/x"},
                      {"label": "外站", "href": "https://127.0.0.1:9/"}, {"label": "第五讲", "href": "lectures/05-communication/#x"}],
            "issues": [{"code": "c", "severity": "warning", "message": payload, "field": "goal_text"}],
            "report_html": payload,
        }
        page.evaluate(RENDER, [result])
        assert_clean(page, dialogs, f"result {i} {payload!r}")
        panel = page.locator("[data-ws-result]")
        expect(panel.locator(".ws-result__headline")).to_have_text(payload)
        # Hooks: checked names become data-ws-*, set as text; the panel's own hook is kept.
        assert panel.locator("[data-ws-figure]").get_attribute("data-ws-part") == payload
        assert panel.locator("[data-ws-figure]").get_attribute("data-ws-on-x") == "1"
        assert panel.locator('[data-ws-criterion="k"]').get_attribute("data-ws-level") == "2"
        assert panel.locator('[data-ws-criterion="k"]').get_attribute("data-met") == "unknown"
        # The chart: only the allowed shapes and attributes survive.
        svg = panel.locator("[data-ws-chart] > svg")
        expect(svg).to_have_count(1)
        tags = svg.evaluate("s => [s, ...s.querySelectorAll('*')].map((n) => n.localName)")
        assert tags == ["svg", "rect", "circle", "text"], tags  # <a> goes, with what it wrapped
        attrs = svg.evaluate("s => [...s.querySelectorAll('*'), s].flatMap((n) => [...n.attributes].map((a) => `${n.localName}.${a.name}=${a.value}`))")
        drawn = [a for a in attrs if not a.startswith("svg.aria-label=")]  # the title, as text: checked below
        assert not [a for a in drawn if "url(" in a or "javascript" in a or ".on" in a or "href" in a or ".style=" in a], attrs
        assert "circle.data-value=38" in attrs and "rect.data-ws-part=bar" in attrs and "svg.viewBox=0 0 100 50" in attrs
        assert svg.get_attribute("aria-label") == payload
        expect(panel.locator("[data-ws-chart]")).to_have_count(1)  # the payload "chart" is not an SVG: dropped
        # Links: only the one inside the site, resolved under the site's sub-path.
        hrefs = panel.locator("[data-ws-links] a").evaluate_all("as => as.map((a) => a.href)")
        assert hrefs == [f"{base_url}lectures/05-communication/#x"]


# ---- the shared hostile list through the print view and the downloaded Markdown ----------------

HOSTILE = [p["text"] * p.get("repeat", 1)
           for p in json.loads((REPO / "tests" / "fixtures" / "hostile.json").read_text(encoding="utf-8"))["payloads"]]


def _hostile_backup() -> bytes:
    short = [t for t in HOSTILE if len(t) < 500]
    data = {f.name: "\n".join(short[i::len(WORKSHEETS["smart"].fields)])
            for i, f in enumerate(WORKSHEETS["smart"].fields)}
    data["goal_text"] = "本季度末前，将二组的一次解决率从 72% 提升到 78%。\n" + "\n".join(short)
    entry = {"format": "worksheet-entry", "schema_version": 1, "worksheet": "smart", "worksheet_version": 1,
             "id": "lx3kq0hostile", "name": "[点我](javascript:alert(1)) <img src=x onerror=alert(1)> www.evil.com",
             "created_at": "2026-11-20T08:00:00.000Z", "saved_at": "2026-11-20T08:00:00.000Z", "rev": 1, "data": data}
    return json.dumps({"format": "worksheet-backup", "schema_version": 1, "site": "x",
                       "exported_at": "2026-11-21T08:00:00.000Z", "entries": [entry]}).encode("utf-8")


def _download_markdown(page: Any) -> str:
    with page.expect_download() as info:
        page.click('[data-ws-action="export-markdown"]')
    assert info.value.suggested_filename.endswith(".md")
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_hostile_list_through_the_print_view_and_both_markdown_downloads(page_without_python: Any, base_url: str) -> None:
    """tests/fixtures/hostile.json in an imported entry: the print view shows it as text,
    and the downloaded Markdown has no live HTML or link, both the stand-in written while
    the engine is not running and the engine's own document."""
    page = page_without_python
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script("window.print = () => {};")
    open_ws(page, base_url)
    page.set_input_files('[data-ws-action="import"]', files=[{"name": "b.json", "mimeType": "application/json",
                                                               "buffer": _hostile_backup()}])
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    page.select_option("[data-ws-entry-select]", value="lx3kq0hostile")
    open_tools(page)

    # The engine has not started (this page starts it on the first 检查): the stand-in.
    stand_in = _download_markdown(page)
    expect_notice(page, "markdown-without-report")
    assert stand_in.startswith("# &#91;点我&#93;") and markup_problems(stand_in, long_blocks=False) == []

    # Print view without a report: the answers, as text.
    page.click('[data-ws-action="print"]')
    page.emulate_media(media="print")
    expect(page.locator("[data-ws-print-answers]")).to_contain_text("=HYPERLINK(")
    assert_clean(page, dialogs, "print view, answers")
    page.emulate_media(media="screen")

    # With the engine: its document, and the print view with its report.
    check_now(page)
    document = _download_markdown(page)
    assert document.startswith("# \\[点我\\](javascript\\:alert(1)) &lt;img src=x onerror=alert(1)&gt; www\\.evil\\.com\n")
    assert "## SMART 目标检查" in document and markup_problems(document, long_blocks=False) == []
    page.click('[data-ws-action="print"]')
    page.emulate_media(media="print")
    expect(page.locator("[data-ws-report]").first).to_contain_text("[点我](javascript:alert(1))")
    assert_clean(page, dialogs, "print view, report")
