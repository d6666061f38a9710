"""Local saving that never loses work: autosave, restore after reload / closing the
browser, named entries, two tabs, storage off or full, print view, and no entry data
on the network. The site is served under /training/, so records live under keys
starting with "/training/.ws.". The two-tab logic itself is replayed interleaving by
interleaving in tests/js/sync.test.mjs; here real tabs check the wiring, waiting by
polling localStorage, never by sleeping. Notices are checked by their codes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.pages import (
    ENTRY_PREFIX,
    FIXTURES,
    GOAL,
    PREFIX,
    SNAPSHOT,
    current_name,
    dialog_name,
    entry_rows,
    expect_notice,
    new_entry,
    notice,
    open_tools,
    open_ws,
    result_shown,
    stored,
    stored_texts,
    wait_saved,
    wait_stored,
    wait_texts,
)

from .conftest import CHROMIUM, CHROMIUM_ARGS, guard_context, wait_ready

# ---- autosave and restore ------------------------------------------------------------------

TIMING = """
  window.__inputAt = [];
  window.__savedAt = [];
  document.addEventListener('input', () => window.__inputAt.push(performance.now()), true);
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).includes('.ws.entry.')) window.__savedAt.push([performance.now(), String(v)]);
    return set.call(this, k, v);
  };
"""


def test_autosave_within_500_ms_of_typing_and_restore_after_reload(page: Any, base_url: str) -> None:
    page.add_init_script(TIMING)
    open_ws(page, base_url)
    field = page.locator('[data-ws-field="goal_text"]')
    field.click()
    page.keyboard.type("目标ABC", delay=30)
    wait_saved(page)
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")
    timing = page.evaluate("({last: Math.max(...window.__inputAt), saves: window.__savedAt.filter(([, v]) => v.includes('目标ABC')).map(([t]) => t)})")
    assert timing["saves"], "the final text was never written to localStorage"
    delay = min(t for t in timing["saves"] if t >= timing["last"]) - timing["last"]
    assert delay < 500, f"saved {delay:.0f} ms after the last keystroke"
    # The status also says when: a clock time.
    assert any(ch.isdigit() for ch in page.inner_text("[data-ws-save-status]"))

    page.reload()
    expect(field).to_have_value("目标ABC")
    expect(page.locator("[data-ws-save-status]")).to_contain_text("已保存")


def test_restore_after_closing_and_reopening_the_browser_context(browser: Any, context: Any, page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.fill('[data-ws-field="owner"]', "张三")
    wait_saved(page)
    state = context.storage_state()
    page.close()

    again = browser.new_context(storage_state=state, locale="zh-CN")
    guard = guard_context(again)
    try:
        p2 = again.new_page()
        open_ws(p2, base_url)
        expect(p2.locator('[data-ws-field="goal_text"]')).to_have_value(GOAL)
        expect(p2.locator('[data-ws-field="owner"]')).to_have_value("张三")
    finally:
        again.close()
    assert not guard.problems(), guard.problems()


@pytest.fixture
def persistent(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Launch Chromium on a real profile directory; call the result again to relaunch."""
    contexts: list[Any] = []

    def launch() -> Any:
        ctx = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="zh-CN"
        )
        ctx.guard = guard_context(ctx)
        contexts.append(ctx)
        return ctx

    yield launch
    problems = [p for c in contexts for p in c.guard.problems()]
    for c in contexts:
        try:
            c.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass
    assert not problems, problems


def test_restore_after_quitting_and_relaunching_the_browser(persistent: Any, base_url: str) -> None:
    ctx = persistent()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', GOAL)
    wait_saved(page)
    ctx.close()

    ctx = persistent()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    open_ws(page, base_url)
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(GOAL)


@pytest.mark.parametrize("before_unload", [True, False])
def test_closing_the_tab_right_after_typing_loses_nothing(context: Any, page: Any, base_url: str, before_unload: bool) -> None:
    open_ws(page, base_url)
    page.locator('[data-ws-field="goal_text"]').click()
    page.keyboard.type("关页面前最后一刻输入的字")
    # No wait at all: the 400 ms autosave has not fired yet.
    page.close(run_before_unload=before_unload)
    p2 = context.new_page()
    open_ws(p2, base_url)
    expect(p2.locator('[data-ws-field="goal_text"]')).to_have_value("关页面前最后一刻输入的字")


def test_leaving_through_a_link_right_after_typing_loses_nothing(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    page.locator('[data-ws-field="goal_text"]').click()
    page.keyboard.type("点链接离开前输入的字")
    page.click('a[href$="worksheets/"]')
    page.wait_for_function("!location.pathname.endsWith('smart/')")
    page.go_back()
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("点链接离开前输入的字")


# ---- named entries ---------------------------------------------------------------------------


def test_named_entries_create_rename_duplicate_delete_undo_and_switch(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    new_entry(page, "张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', "张三的目标")
    wait_saved(page)
    new_entry(page, "李四 · 2026 Q4")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("")
    page.fill('[data-ws-field="goal_text"]', "李四的目标")
    wait_saved(page)

    # Switch with the selector, and with the list's buttons.
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("张三的目标")
    open_tools(page)
    page.click('[data-ws-entry-list] button[aria-label="打开条目：李四 · 2026 Q4"]')
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("李四的目标")

    # Rename keeps the data.
    page.click('[data-ws-action="rename-entry"]')
    expect(page.locator("[data-ws-dialog-input]")).to_have_value("李四 · 2026 Q4")
    dialog_name(page, "李四 · 2027 Q1")
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text("李四 · 2027 Q1")
    assert {e["name"]: e["data"]["goal_text"] for e in stored(page)} == {"张三 · 2026 Q4": "张三的目标", "李四 · 2027 Q1": "李四的目标"}

    # Duplicate: a new entry with the same answers, now current.
    page.click('[data-ws-action="duplicate-entry"]')
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text("李四 · 2027 Q1（副本）")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("李四的目标")
    page.fill('[data-ws-field="goal_text"]', "副本改过")
    wait_saved(page)
    assert sorted(e["data"]["goal_text"] for e in stored(page)) == ["副本改过", "张三的目标", "李四的目标"]

    # Delete, then undo: everything back, including the id.
    before = {e["id"]: e for e in stored(page)}
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4")
    page.click('[data-ws-action="delete-entry"]')
    expect_notice(page, "deleted")
    expect(notice(page)).to_contain_text("张三 · 2026 Q4")
    assert len(stored(page)) == 2
    expect(page.locator("[data-ws-entry-select]")).not_to_contain_text("张三 · 2026 Q4")
    notice(page).locator('[data-ws-action="undo"]').click()
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text("张三 · 2026 Q4")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("张三的目标")
    after = {e["id"]: e for e in stored(page)}
    assert set(after) == set(before)
    for key, e in after.items():
        assert {k: v for k, v in e.items() if k != "completion"} == {k: v for k, v in before[key].items() if k != "completion"}

    # The choice of current entry survives a reload.
    page.reload()
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text("张三 · 2026 Q4")


def test_entry_list_shows_name_saved_time_and_completion(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    open_tools(page)
    expect(page.locator("[data-ws-entry-list]")).to_contain_text("还没有条目")
    page.fill('[data-ws-field="owner"]', "王五")
    wait_saved(page)
    rows = entry_rows(page)
    assert len(rows) == 1
    assert rows[0]["name"].startswith("王五 · ")
    assert rows[0]["current"]
    assert rows[0]["completion"] == "33%"  # one of the three required-section fields
    saved_ms = page.evaluate(f"Date.parse({json.dumps(rows[0]['savedIso'])})")
    assert abs(saved_ms / 1000 - time.time()) < 120
    assert any(ch.isdigit() for ch in rows[0]["saved"])
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.fill('[data-ws-field="why_relevant"]', "减少重复来电")
    wait_saved(page)
    expect(page.locator("[data-ws-entry-list] .ws-entry-completion")).to_have_text("100%")


def test_name_dialog_is_accessible_and_keyboard_usable(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    page.click('[data-ws-action="new-entry"]')
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.querySelector('[data-ws-dialog]').matches(':modal')")
    labelled = page.evaluate("document.getElementById(document.querySelector('[data-ws-dialog]').getAttribute('aria-labelledby')).textContent")
    assert labelled == "新建条目"
    expect(page.get_by_role("dialog", name="新建条目")).to_be_visible()
    expect(page.get_by_label("名称", exact=True)).to_be_focused()
    # Esc cancels: nothing created.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert stored(page) == []
    # An empty name is not accepted; Enter confirms a real one.
    page.click('[data-ws-action="new-entry"]')
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.type("键盘建的条目")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert [e["name"] for e in stored(page)] == ["键盘建的条目"]
    # Tab reaches the buttons, and focus returns to the page after closing.
    page.click('[data-ws-action="rename-entry"]')
    page.keyboard.press("Tab")
    expect(page.locator("[data-ws-dialog-cancel]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator('[data-ws-action="rename-entry"]')).to_be_focused()


# ---- two tabs --------------------------------------------------------------------------------


def test_a_change_in_one_tab_shows_up_in_the_other(context: Any, base_url: str) -> None:
    a = context.new_page()
    open_ws(a, base_url)
    a.fill('[data-ws-field="goal_text"]', "第一版")
    wait_saved(a)
    b = context.new_page()
    open_ws(b, base_url)
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("第一版")
    a.fill('[data-ws-field="goal_text"]', "标签页 A 改的")
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("标签页 A 改的")
    expect(b.locator("[data-ws-save-status]")).to_contain_text("同步")
    # Renames and new entries show up too.
    new_entry(a, "A 建的条目")
    expect(b.locator("[data-ws-entry-select]")).to_contain_text("A 建的条目")


def _two_tabs_on_one_entry(context: Any, base_url: str) -> tuple[Any, Any]:
    a = context.new_page()
    open_ws(a, base_url)
    a.fill('[data-ws-field="goal_text"]', "共同的起点")
    wait_saved(a)
    b = context.new_page()
    open_ws(b, base_url)
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("共同的起点")
    return a, b


def test_concurrent_edits_to_different_fields_are_merged(context: Any, base_url: str) -> None:
    a, b = _two_tabs_on_one_entry(context, base_url)
    # Both type before either autosave fires.
    a.fill('[data-ws-field="owner"]', "A 填的责任人")
    b.fill('[data-ws-field="why_relevant"]', "B 填的关系")
    # Both tabs end up showing both edits: after that nothing is left to save anywhere.
    for p in (a, b):
        expect(p.locator('[data-ws-field="owner"]')).to_have_value("A 填的责任人")
        expect(p.locator('[data-ws-field="why_relevant"]')).to_have_value("B 填的关系")
        wait_saved(p)
    entries = wait_stored(a, "(es) => es.length >= 1 && es.every((e) => e.data.owner && e.data.why_relevant)")
    assert len(entries) == 1, entries
    data = entries[0]["data"]
    assert (data["goal_text"], data["owner"], data["why_relevant"]) == ("共同的起点", "A 填的责任人", "B 填的关系")
    for p in (a, b):
        assert p.locator("[data-ws-notice]").get_attribute("data-ws-notice-code") != "kept-copy"


def test_concurrent_edits_to_the_same_field_keep_both_versions(context: Any, base_url: str) -> None:
    a, b = _two_tabs_on_one_entry(context, base_url)
    a.fill('[data-ws-field="goal_text"]', "A 的版本")
    b.fill('[data-ws-field="goal_text"]', "B 的版本")
    # The copy is written by the tab that lost the race, in the same task that shows its
    # notice: once both versions are stored, the notices are final.
    wait_texts(a, ["A 的版本", "B 的版本"])
    wait_texts(b, ["A 的版本", "B 的版本"])
    warned = [p for p in (a, b) if p.locator("[data-ws-notice]").get_attribute("data-ws-notice-code") == "kept-copy"]
    assert len(warned) == 1
    expect(warned[0].locator("[data-ws-notice]")).to_be_visible()
    assert "本页副本" in current_name(warned[0])
    assert stored_texts(a) == ["A 的版本", "B 的版本"]


def test_simultaneous_saves_in_two_tabs_never_lose_a_version(context: Any, base_url: str) -> None:
    """Both tabs save the same field of the same entry at the same moment, round after
    round (the case where localStorage itself cannot tell who was first)."""
    a, b = _two_tabs_on_one_entry(context, base_url)
    original = stored(a)[0]["id"]
    set_goal = """(text) => { const f = document.querySelector('[data-ws-field="goal_text"]'); f.value = text;
      f.dispatchEvent(new Event('input', {bubbles: true})); }"""
    for r in range(4):
        for p in (a, b):
            p.select_option("[data-ws-entry-select]", value=original)
            expect(p.locator("[data-ws-entry-select] option:checked")).to_have_attribute("value", original)
        a.evaluate(set_goal, f"A 第 {r} 轮")
        b.evaluate(set_goal, f"B 第 {r} 轮")
        wait_stored(a, f"(es) => ['A 第 {r} 轮', 'B 第 {r} 轮'].every((t) => es.some((e) => e.data.goal_text === t))")
        wait_saved(a)
        wait_saved(b)


def test_storage_events_never_overwrite_unsaved_typing(context: Any, base_url: str) -> None:
    """B is mid-edit (not yet saved) when A saves the same field: B's text is not replaced."""
    a, b = _two_tabs_on_one_entry(context, base_url)
    b.locator('[data-ws-field="goal_text"]').click()
    b.keyboard.press("Control+End")
    b.keyboard.type("（B 正在打字）")
    a.evaluate(
        """() => { const f = document.querySelector('[data-ws-field="goal_text"]'); f.value = 'A 抢先保存';
           f.dispatchEvent(new Event('input', {bubbles: true})); }"""
    )
    wait_texts(a, ["A 抢先保存", "共同的起点（B 正在打字）"])
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("共同的起点（B 正在打字）")


def test_deleting_or_clearing_in_another_tab_is_announced(context: Any, base_url: str) -> None:
    a, b = _two_tabs_on_one_entry(context, base_url)
    a.click('[data-ws-action="delete-entry"]')
    expect_notice(b, "deleted-elsewhere", "warning")
    # B still shows the text and can bring it back.
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("共同的起点")
    b.locator('[data-ws-notice] [data-ws-action="undo"]').click()
    expect(a.locator("[data-ws-entry-select]")).to_contain_text("SMART 目标检查")
    wait_texts(a, ["共同的起点"])
    # Clearing everything in A empties B too (it was the user's explicit choice).
    open_tools(a)
    a.click('[data-ws-action="clear-all"]')
    a.click("[data-ws-dialog-ok]")
    expect_notice(b, "cleared-elsewhere")
    expect(b.locator('[data-ws-field="goal_text"]')).to_have_value("")
    wait_stored(a, "(es) => es.length === 0")


# ---- storage trouble ---------------------------------------------------------------------------

STORAGE_OFF = {
    "getter-throws": """Object.defineProperty(window, 'localStorage', {configurable: true,
        get() { throw new DOMException('test: storage disabled by policy', 'SecurityError'); }});""",
    "setitem-throws": """Storage.prototype.setItem = function () {
        throw new DOMException('test: storage disabled by policy', 'SecurityError'); };""",
}


@pytest.mark.parametrize("how", sorted(STORAGE_OFF))
def test_storage_disabled_still_lets_the_user_type_check_and_export(context: Any, page: Any, base_url: str, how: str) -> None:
    page.add_init_script(STORAGE_OFF[how])
    open_ws(page, base_url)
    warning = expect_notice(page, "storage-disabled", "error")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    expect(page.locator("[data-ws-save-status]")).to_have_attribute("data-state", "memory")
    expect(page.locator("[data-ws-save-status]")).to_contain_text("内存")
    # Entries still work in memory.
    expect(page.locator("[data-ws-entry-select] option:checked")).to_contain_text("SMART 目标检查")
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    expect(page.locator('[data-ws-criterion="measurable"]')).to_have_attribute("data-met", "true")
    # The notice's own button exports the entry, with what was typed.
    with page.expect_download() as info:
        warning.locator('[data-ws-action="export-now"]').click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["format"] == "worksheet-backup"
    assert data["entries"][0]["data"]["goal_text"] == GOAL
    # Material's own inline script reads localStorage without a guard; only that error is expected.
    context.guard.page_errors[:] = [e for e in context.guard.page_errors if "test: storage disabled" not in e]


FULL = """
  window.__full = false;
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (window.__full && String(k).startsWith('/training/.ws.')) {
      throw new DOMException("Failed to execute 'setItem' on 'Storage': exceeded the quota.", 'QuotaExceededError');
    }
    return set.call(this, k, v);
  };
"""


def test_storage_full_keeps_working_in_memory_and_offers_export(page: Any, base_url: str) -> None:
    page.add_init_script(FULL)
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', "存满之前")
    wait_saved(page)
    page.evaluate("window.__full = true")
    page.fill('[data-ws-field="goal_text"]', "存满之后还在打字")
    warning = expect_notice(page, "storage-full", "error")
    expect(page.locator("[data-ws-save-status]")).to_have_attribute("data-state", "memory")
    assert stored_texts(page) == ["存满之前"]  # the browser kept the old copy; the new one is in memory
    with page.expect_download() as info:
        warning.locator('[data-ws-action="export-now"]').click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert [e["data"]["goal_text"] for e in data["entries"]] == ["存满之后还在打字"]
    # Space comes back: the next save writes through, memory drains, and a reload finds it.
    page.evaluate("window.__full = false")
    page.fill('[data-ws-field="owner"]', "腾出空间后")
    wait_saved(page)
    assert stored_texts(page) == ["存满之后还在打字"]
    page.reload()
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("存满之后还在打字")
    expect(page.locator('[data-ws-field="owner"]')).to_have_value("腾出空间后")


def test_persistent_storage_is_requested(page: Any, base_url: str) -> None:
    page.add_init_script(
        """window.__persist = 0; const sm = navigator.storage;
           if (sm) { sm.persisted = async () => false; sm.persist = async () => { window.__persist += 1; return false; }; }"""
    )
    open_ws(page, base_url)
    page.wait_for_function("window.__persist === 1")


def test_backup_reminder_when_the_last_backup_is_old(page: Any, base_url: str) -> None:
    old = "2025-01-01T00:00:00.000Z"
    entry = {"format": "worksheet-entry", "schema_version": 1, "worksheet": "smart", "worksheet_version": 1, "id": "old1",
             "name": "很久以前的条目", "created_at": old, "saved_at": old, "rev": 0, "data": {"goal_text": "旧目标"}}
    page.add_init_script(f"if (!sessionStorage.seeded) {{ sessionStorage.seeded = 1; localStorage.setItem({json.dumps(ENTRY_PREFIX + 'smart.old1')}, {json.dumps(json.dumps(entry))}); }}")
    open_ws(page, base_url)
    expect_notice(page, "backup-reminder", "warning")
    with page.expect_download():
        notice(page).locator('[data-ws-action="backup-now"]').click()
    page.reload()
    expect(notice(page)).to_be_hidden()


# ---- stored format: keys, migration, other courses ----------------------------------------------


def test_stored_records_keep_their_key_format_and_old_versions_are_migrated(page: Any, base_url: str) -> None:
    v0 = json.loads((FIXTURES / "v0_entry.json").read_text(encoding="utf-8"))
    future = {"format": "worksheet-entry", "schema_version": 9, "whatever": "未来的格式"}
    other_course = {"format": "worksheet-entry", "schema_version": 0, "slug": "smart", "title": "别的课程", "values": {}}
    seed = {
        ENTRY_PREFIX + "smart.legacy0": v0,
        ENTRY_PREFIX + "smart.future9": future,
        "/other-course/.ws.entry.smart.x1": other_course,
    }
    page.add_init_script(
        "if (!sessionStorage.seeded) { sessionStorage.seeded = 1; "
        + "".join(f"localStorage.setItem({json.dumps(k)}, {json.dumps(json.dumps(v))});" for k, v in seed.items())
        + "}"
    )
    open_ws(page, base_url)
    # The v0 draft is listed, migrated, under its key's id; its answers are in the form.
    expect(page.locator("[data-ws-entry-select] option:checked")).to_have_text(v0["title"])
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(v0["values"]["goal_text"])
    # The unreadable (newer) record is announced and left exactly as it was.
    expect_notice(page, "unreadable-records", "warning")
    expect(notice(page)).to_contain_text("1 条")
    page.fill('[data-ws-field="owner"]', "迁移后修改")
    wait_saved(page)
    snap = page.evaluate(SNAPSHOT)
    assert json.loads(snap[ENTRY_PREFIX + "smart.future9"]) == future
    saved = json.loads(snap[ENTRY_PREFIX + "smart.legacy0"])
    assert saved["schema_version"] == 1 and saved["id"] == "legacy0" and saved["data"]["owner"] == "迁移后修改"
    # Another course on the same host: never listed, never touched, not even by 清除本机所有数据.
    assert "别的课程" not in page.inner_text("[data-ws-entry-select]")
    open_tools(page)
    page.click('[data-ws-action="clear-all"]')
    page.click("[data-ws-dialog-ok]")
    after = page.evaluate(SNAPSHOT)
    assert not [k for k in after if k.startswith(PREFIX)]
    assert json.loads(after["/other-course/.ws.entry.smart.x1"]) == other_course


# ---- print view --------------------------------------------------------------------------------


def test_print_view_shows_the_results_without_navigation(page: Any, base_url: str) -> None:
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    open_ws(page, base_url)
    new_entry(page, "张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    expect(page.locator("[data-ws-report='']")).not_to_be_empty()
    open_tools(page)
    page.click('[data-ws-action="print"]')
    page.wait_for_function("window.__printed === 1")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", "[data-ws-entries]", "[data-ws-form]", ".ws-bar", "h1"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("[data-ws-result]")).to_be_visible()
    expect(page.locator("[data-ws-report='']")).to_be_visible()
    expect(page.locator("[data-ws-print-head]")).to_be_visible()
    expect(page.locator("[data-ws-print-head]")).to_contain_text("张三 · 2026 Q4")
    # "Print to PDF" on A4 gives a real document.
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf[:4] == b"%PDF" and len(pdf) > 5000
    page.emulate_media(media="screen")
    expect(page.locator("[data-ws-form]")).to_be_visible()
    expect(page.locator("[data-ws-print-head]")).to_be_hidden()


def test_print_without_python_prints_the_answers(page: Any, base_url: str) -> None:
    # Python never starts here: the print view falls back to the typed answers.
    page.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.add_init_script("window.print = () => {};")
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.fill('[data-ws-field="owner"]', "张三")
    open_tools(page)
    page.click('[data-ws-action="print"]')
    page.emulate_media(media="print")
    answers = page.locator("[data-ws-print-answers]")
    expect(answers).to_be_visible()
    expect(answers).to_contain_text(GOAL)
    expect(answers).to_contain_text("责任人")
    expect(page.locator(".md-header")).to_be_hidden()
    page.context.guard.allow_console.append("pyodide")
    page.context.guard.allow_console.append("net::ERR_FAILED")


# ---- privacy -----------------------------------------------------------------------------------


def test_no_entry_data_in_any_network_request(context: Any, page: Any, base_url: str) -> None:
    secret = "机密面谈内容Zq7"
    seen: list[str] = []
    context.on("request", lambda r: seen.append(f"{r.method} {r.url}\n{r.post_data or ''}\n{json.dumps(r.headers, ensure_ascii=False)}"))
    open_ws(page, base_url)
    wait_ready(page)
    page.locator('[data-ws-field="goal_text"]').click()
    page.keyboard.type(f"本季度末前{secret}提升到 92%")
    page.fill('[data-ws-field="owner"]', secret)
    new_entry(page, f"{secret} · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', secret)
    page.click('[data-ws-action="check"]')
    result_shown(page)
    open_tools(page)
    with page.expect_download():
        page.click('[data-ws-action="export-all"]')
    page.reload()
    page.wait_for_load_state("networkidle")
    assert seen, "no requests recorded at all"
    leaks = [s for s in seen if secret in s or "%E6%9C%BA%E5%AF%86" in s]
    assert not leaks, leaks
