"""A manager's whole 绩效面谈 in the browser (issue 10, "Done when"): add an agent on the
workspace, compose two feedback items tied to the agent, prepare the interview from the
workspace, print the brief (A4, one page), record the outcome, export the follow-up to
.ics (checked against RFC 5545's rules, tests/ics_rules.py), come back after a reload and
see it due. Lean on purpose: one page load, instant navigation between the pages, and
one reload at the end."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import ics_rules
from tests.support.pages import STORAGE_MODULE, dialog_name, stored, wait_saved

from .conftest import wait_ready

AGENT = "小孙"
HOSTILE = '<img src=x onerror="window.__xss=1">李雷'  # a name is the reader's text: never markup
RENAMED = "小孙（二组坐席）"
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def _pages(pdf: bytes) -> int:
    return len(PDF_PAGE.findall(pdf))


def _goto_by_link(page: Any, href_end: str) -> None:
    """Follow a navigation link (Material's instant navigation: the page is not reloaded)."""
    page.locator(f'nav.md-nav--primary a[href$="{href_end}"]').first.click()


def _same_document(page: Any) -> bool:
    return page.evaluate("window.__sameDocument === true")


@pytest.mark.python_autostart  # the workspace is drawn by Python after a reload
def test_prepare_hold_and_follow_up_one_interview(page: Any, base_url: str) -> None:
    today = dt.date.today()
    day = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")

    # 1. The workspace: add the agent.
    page.goto(base_url + "workspace/")
    page.evaluate("window.__sameDocument = true")
    page.wait_for_selector("[data-ws-workspace][data-ws-mounted]")
    page.fill("[data-ws-person-name]", AGENT)
    page.click('[data-ws-action="add-person"]')
    card = page.locator(f'[data-ws-person="{AGENT}"]')
    expect(card).to_have_count(1)
    person_id = card.get_attribute("data-ws-person-id")
    assert person_id
    page.fill("[data-ws-person-name]", HOSTILE)
    page.press("[data-ws-person-name]", "Enter")
    expect(page.locator("[data-ws-person]")).to_have_count(2)
    assert page.locator("[data-ws-person]").nth(1).get_attribute("data-ws-person") == HOSTILE

    # 2. Two feedback items tied to the agent (the 人员 picker), on the composer.
    _goto_by_link(page, "worksheets/feedback/")
    page.wait_for_selector('[data-ws-root="feedback"][data-ws-mounted]')
    assert _same_document(page)
    picker = page.locator("[data-ws-picker-person]")
    expect(picker.locator(f'option[value="{person_id}"]')).to_have_count(1)
    page.click('[data-ws-action="fill-example"]')
    wait_saved(page)
    picker.select_option(person_id)
    expect(page.locator("[data-ws-picker]")).to_have_attribute("data-person", person_id)
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    expect(page.locator("[data-ws-level]")).to_have_count(1)
    expect(page.locator("[data-ws-part]")).to_have_count(3)

    page.click('[data-ws-action="new-entry"]')
    dialog_name(page, "小孙 · 退款来电 BID")
    expect(page.locator("[data-ws-picker]")).to_have_attribute("data-person", "")
    picker.select_option(person_id)
    expect(page.locator("[data-ws-picker]")).to_have_attribute("data-person", person_id)
    page.select_option('[data-ws-field="kind"]', "BID")
    page.fill('[data-ws-field="behaviour"]', "11月19日上午那通退款咨询，你回答“一般几天就到”后就结束了通话，没有说明到账时间和查询方法。")
    page.fill('[data-ws-field="impact"]', "客户当天下午又打来一次，这通电话没有一次解决。")
    page.fill('[data-ws-field="closing"]', "下次请按到账时间表说清几个工作日到账，并请客户复述一遍。")
    wait_saved(page)
    feedback = [e for e in stored(page) if e["worksheet"] == "feedback"]
    assert len(feedback) == 2 and {e.get("person") for e in feedback} == {person_id}

    # 3. Prepare the interview from the workspace: a new preparation tied to the agent.
    _goto_by_link(page, "workspace/")
    card = page.locator(f'[data-ws-person="{AGENT}"]')
    expect(card.locator("[data-ws-person-entries] [data-ws-entry-link]")).to_have_count(2)
    card.locator('[data-ws-action="prepare-interview"]').click()
    page.wait_for_selector('[data-ws-root="interview"][data-ws-mounted]')
    assert _same_document(page)
    expect(page.locator('[data-ws-field="agent_name"]')).to_have_value(AGENT)
    expect(page.locator("[data-ws-picker]")).to_have_attribute("data-person", person_id)
    assert "entry=" not in page.url
    page.click('[data-ws-action="fill-example"]')
    page.fill('[data-ws-field="agent_name"]', AGENT)
    page.fill('[data-ws-field="interview_date"]', day(-7))
    page.fill('[data-ws-field="follow_ups.0.date"]', day(0))
    page.fill('[data-ws-field="follow_ups.1.date"]', day(14))
    page.fill('[data-ws-field="next_interview_date"]', day(35))
    # 4. The outcome, in the 面谈记录: agreed actions (one already overdue) and the agent's words.
    page.click('[data-ws-section="record"] > summary')
    page.fill('[data-ws-field="actions.0.due"]', day(-1))
    page.fill('[data-ws-field="actions.1.due"]', day(-2))
    page.select_option('[data-ws-field="actions.1.status"]', "done")
    page.fill('[data-ws-field="actions.2.due"]', day(5))
    page.fill('[data-ws-field="agent_comments"]', "同意两个目标；希望排一次日班跟听。")
    wait_saved(page)
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    result = page.locator("[data-ws-result]")
    expect(result).to_have_attribute("data-state", re.compile("^(ok|issues)$"))
    expect(result.locator('[data-ws-criterion="no_follow_up"]')).to_have_attribute("data-met", "true")
    expect(result.locator('[data-ws-report="record"]')).to_contain_text("同意两个目标")
    # With the workspace in the context, 一刀切 is judged (no other agent yet: unknown).
    expect(result.locator('[data-ws-criterion="one_size"]')).to_have_attribute("data-met", "unknown")

    # Print the brief: A4, one page; the 面谈记录 follows on a page of its own. (Printing
    # fires beforeprint/afterprint, which end the print view: print again for each PDF.)
    record = "document.querySelector('[data-ws-report=\"record\"]').closest('details')"
    page.locator("[data-ws-entries] .ws-entries__more").evaluate("d => { d.open = true; }")

    def print_pdf(with_record: bool, n: int) -> int:
        page.click('[data-ws-action="print"]')
        page.wait_for_function(f"window.__printed === {n}")
        page.evaluate(f"{record}.hidden = {'false' if with_record else 'true'}")
        page.emulate_media(media="print")
        expect(page.locator("[data-ws-form]")).to_be_hidden()
        expect(page.locator("[data-ws-picker]")).to_be_hidden()
        expect(page.locator(".md-content h1").first).to_be_hidden()
        expect(page.locator("[data-ws-report='']")).to_be_visible()
        pages = _pages(page.pdf(format="A4", print_background=False))
        page.emulate_media(media="screen")
        return pages

    brief_pages = print_pdf(with_record=False, n=1)
    with_record = print_pdf(with_record=True, n=2)
    print(f"\nbrief: {brief_pages} A4 page(s); brief + record: {with_record}")
    assert brief_pages == 1
    assert with_record == 2

    # 5. The follow-up to the calendar (.ics), by RFC 5545's rules.
    with page.expect_download() as info:
        result.locator('[data-ws-action="export-ics"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    raw = Path(download.path()).read_bytes()
    cal = ics_rules.parse(raw.decode("utf-8"))
    events = cal.find("VEVENT")
    starts = [v for ev in events for n, _, v in ev.props if n == "DTSTART"]
    assert any(s.startswith(today.strftime("%Y%m%d")) for s in starts), starts
    assert all(ev.find("VALARM") and ev.find("VALARM")[0].values("TRIGGER") == ["-P1D"] for ev in events)
    assert len({ev.values("UID")[0] for ev in events}) == len(events) == 3

    # 6. Come back: after a reload the workspace says what is due and overdue.
    _goto_by_link(page, "workspace/")
    page.wait_for_selector("[data-ws-workspace][data-ws-mounted]")
    page.reload()
    # The states come from Python: wait until it has answered (it boots again after a reload).
    expect(page.locator("[data-ws-due]")).to_have_attribute("data-state", "overdue", timeout=60_000)
    card = page.locator(f'[data-ws-person="{AGENT}"]')
    due_today = card.locator('[data-ws-item][data-type="follow_up"][data-ws-due-state="today"]')
    expect(due_today).to_have_count(1)
    expect(card.locator('[data-ws-item][data-type="action"][data-ws-due-state="overdue"]')).to_have_count(1)
    expect(card.locator('[data-ws-fact="next-follow-up"] dd')).to_have_attribute("data-ws-due-state", "today")
    expect(page.locator('[data-ws-due-list] [data-ws-due-state="today"]')).to_have_count(1)
    expect(card.locator("[data-ws-fact='last-interview'] a")).to_contain_text(day(-7))
    # Done: ticking the follow-up keeps it ticked (an action record holds its state).
    due_today.locator('[data-ws-action="toggle-item"]').click()
    expect(card.locator('[data-ws-item][data-type="follow_up"][data-ws-due-state="done"]')).to_have_count(1)
    expect(page.locator('[data-ws-due-list] [data-ws-due-state="today"]')).to_have_count(0)
    # Renaming the agent keeps every link (ids, not names).
    card.locator('[data-ws-action="rename-person"]').click()
    dialog_name(page, RENAMED)
    card = page.locator(f'[data-ws-person="{RENAMED}"]')
    expect(card.locator("[data-ws-person-entries] [data-ws-entry-link]")).to_have_count(3)
    expect(card.locator('[data-ws-item][data-ws-due-state="done"]')).to_have_count(2)
    # The workspace is accessible (axe: no serious or critical violation), and no name ran as markup.
    results = Axe().run(page)
    bad = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:12]]} {v['nodes'][0].get('failureSummary', '')[:200]}" for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, bad
    assert page.evaluate("window.__xss") is None
    records = page.evaluate(STORAGE_MODULE + """.then(async (m) => [...await m.listRecords("person"), ...await m.listRecords("action")])""")
    assert sorted(r["kind"] for r in records) == ["action", "person", "person"]
    assert json.dumps(records, ensure_ascii=False).count(person_id) == 2
