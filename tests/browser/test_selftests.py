"""A learner takes both self-assessments and a lecture's knowledge check in the browser:
radio and checkbox answers, scores computed by Python (compared with the engine run
here), the SVG chart and the explanations in the result panel, and everything still
there after a reload. Needs the choice/multichoice form support (input.html, form.js)
and the generic result panel (figures, checks, charts, links)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from worksheet_engine import api
from worksheet_engine.worksheets import conflict, listening
from worksheet_engine.worksheets._quizbank import quiz_items
from worksheet_engine.worksheets._selftest import field_name

from .conftest import wait_ready

TOTAL = '[data-ws-result] [data-ws-figure="total"]'


def radio(page, form: str, name: str, value: str):
    return page.locator(f'[data-ws-form="{form}"] input[type="radio"][name="{name}"][value="{value}"]')


def answer_listening(page, pattern: str, take: int = 1) -> dict:
    data = {}
    for key, value in zip(listening.KEYS, pattern):
        radio(page, "listening", field_name(take, key), value).check()
        data[field_name(take, key)] = value
    return data


def test_listening_self_test_scores_charts_and_keeps_retakes(page, base_url):
    page.goto(f"{base_url}worksheets/listening/")
    page.wait_for_selector('[data-ws-root="listening"][data-ws-mounted]')
    first = "43344324342423432343"
    page.fill(f'[data-ws-field="{field_name(1, "date")}"]', "2026-11-02")
    data = {field_name(1, "date"): "2026-11-02", **answer_listening(page, first)}
    expected = api.evaluate("listening", data)["scoring"]
    wait_ready(page)
    page.click('[data-ws-form="listening"] [data-ws-action="check"]')
    total = page.locator(TOTAL)
    expect(total).to_have_attribute("data-ws-score", str(expected["total"]))
    for key, score in expected["dimensions"].items():
        expect(page.locator(f'[data-ws-result] [data-ws-figure="dim-{key}"]')).to_have_attribute("data-ws-score", str(score))
    chart = page.locator("[data-ws-result] svg")
    expect(chart).to_have_count(1)
    expect(chart.locator("rect[data-ws-bar]")).to_have_count(5)
    expect(page.locator("[data-ws-result] [data-ws-links] a").first).to_have_attribute(
        "href", re.compile(r"/training/lectures/05-communication/#"))

    # A retake three weeks later, in the next section: the first take stays, the trend appears.
    page.locator('[data-ws-section="retake2"] > summary').click()
    second = "54444244252334443243"
    page.fill(f'[data-ws-field="{field_name(2, "date")}"]', "2026-11-23")
    data.update({field_name(2, "date"): "2026-11-23", **answer_listening(page, second, take=2)})
    expected = api.evaluate("listening", data)["scoring"]
    page.click('[data-ws-form="listening"] [data-ws-action="check"]')
    expect(total).to_have_attribute("data-ws-score", str(expected["total"]))
    expect(page.locator("[data-ws-result] svg")).to_have_count(2)
    expect(page.locator('[data-ws-result] [data-ws-figure="change"]')).to_be_visible()
    expect(page.locator("[data-ws-save-status]")).to_have_attribute("data-state", "saved")

    page.reload()
    page.wait_for_selector('[data-ws-root="listening"][data-ws-mounted]')
    expect(radio(page, "listening", field_name(1, "q01"), first[0])).to_be_checked()
    expect(radio(page, "listening", field_name(2, "q20"), second[-1])).to_be_checked()
    expect(page.locator(f'[data-ws-field="{field_name(1, "date")}"]')).to_have_value("2026-11-02")
    wait_ready(page)
    expect(total).to_have_attribute("data-ws-score", str(expected["total"]))
    expect(page.locator("[data-ws-result] svg")).to_have_count(2)


def test_fill_example_answers_the_self_test(page, base_url):
    page.goto(f"{base_url}worksheets/conflict/")
    page.wait_for_selector('[data-ws-root="conflict"][data-ws-mounted]')
    page.click('[data-ws-form="conflict"] [data-ws-action="fill-example"]')
    example = conflict.DEFINITION.example
    expect(radio(page, "conflict", field_name(1, "p01"), example[field_name(1, "p01")])).to_be_checked()
    expected = api.evaluate("conflict", dict(example))["scoring"]
    wait_ready(page)
    page.click('[data-ws-form="conflict"] [data-ws-action="check"]')
    for mode, n in expected["modes"].items():
        expect(page.locator(f'[data-ws-result] [data-ws-figure="mode-{mode}"]')).to_have_attribute("data-ws-score", str(n))
    expect(page.locator("[data-ws-result] svg")).to_have_count(2)  # the example has two takes


def test_conflict_self_test_taken_by_hand_is_kept(page, base_url):
    page.goto(f"{base_url}worksheets/conflict/")
    page.wait_for_selector('[data-ws-root="conflict"][data-ws-mounted]')
    pattern = "abbaabbaababbaabaabb"
    data = {}
    for key, choice in zip(conflict.KEYS, pattern):
        radio(page, "conflict", field_name(1, key), choice).check()
        data[field_name(1, key)] = choice
    expected = api.evaluate("conflict", data)["scoring"]
    wait_ready(page)
    page.click('[data-ws-form="conflict"] [data-ws-action="check"]')
    flex = page.locator('[data-ws-result] [data-ws-figure="flexibility"]')
    expect(flex).to_have_attribute("data-ws-score", str(expected["flexibility"]))
    expect(page.locator("[data-ws-result] svg rect[data-ws-bar]")).to_have_count(5)
    expect(page.locator("[data-ws-save-status]")).to_have_attribute("data-state", "saved")
    page.reload()
    page.wait_for_selector('[data-ws-root="conflict"][data-ws-mounted]')
    expect(radio(page, "conflict", field_name(1, "p20"), pattern[-1])).to_be_checked()
    wait_ready(page)
    expect(flex).to_have_attribute("data-ws-score", str(expected["flexibility"]))


def test_lecture_knowledge_check_explains_answers_and_keeps_them(page, base_url):
    page.goto(f"{base_url}lectures/01-learning/")
    root = page.locator('[data-ws-quiz="01-learning"] [data-ws-root="quiz-01-learning"]')
    expect(root).to_have_attribute("data-ws-mounted", "")
    items = quiz_items("01-learning")
    data = {}
    for n, item in enumerate(items):
        picked = list(item.answer) if n % 2 == 0 else [next(v for v, _ in item.options if v not in item.answer)]
        kind = "radio" if item.kind == "choice" else "checkbox"
        for value in picked:
            root.locator(f'input[type="{kind}"][name="{item.key}"][value="{value}"]').check()
        data[item.key] = picked[0] if item.kind == "choice" else picked
    expected = api.evaluate("quiz-01-learning", data)
    wait_ready(page)
    root.locator('[data-ws-action="check"]').click()
    score = root.locator('[data-ws-result] [data-ws-figure="score"]')
    expect(score).to_have_attribute("data-ws-score", str(expected["scoring"]["score"]))
    wrong = items[1]
    verdict = root.locator(f'[data-ws-result] [data-ws-criterion="{wrong.key}"]')
    expect(verdict).to_have_attribute("data-met", "false")
    expect(verdict).to_contain_text(wrong.explanation)
    expect(root.locator(f'[data-ws-result] [data-ws-criterion="{items[0].key}"]')).to_have_attribute("data-met", "true")
    expect(root.locator("[data-ws-result] [data-ws-links] a").first).to_have_attribute(
        "href", re.compile(r"/training/lectures/01-learning/#"))
    expect(root.locator("[data-ws-save-status]")).to_have_attribute("data-state", "saved")

    page.reload()
    expect(root).to_have_attribute("data-ws-mounted", "")
    first = items[0]
    expect(root.locator(f'input[name="{first.key}"][value="{first.answer[0]}"]')).to_be_checked()
    wait_ready(page)
    expect(score).to_have_attribute("data-ws-score", str(expected["scoring"]["score"]))
    expect(verdict).to_contain_text(wrong.explanation)


def test_blank_form_link_prints_one_form(page, base_url):
    page.goto(f"{base_url}worksheets/listening/")
    page.click("a.ws-blank-link")
    expect(page).to_have_url(re.compile(r"/worksheets/blank/#blank-listening$"))
    page.emulate_media(media="print")
    expect(page.locator("#blank-listening")).to_be_visible()
    expect(page.locator("#blank-smart")).to_be_hidden()
    expect(page.locator("#blank-listening table.ws-blank__scale tbody tr")).to_have_count(20)
