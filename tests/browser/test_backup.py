"""Backup and restore in the browser: export one / export all (file names carry the
site's name and a date), clear all, import with a dry-run dialog, conflicts, undo,
Markdown download, and files that must be refused without changing anything.
Notices are checked by their stable codes (data-ws-notice-code / -reason)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.pages import (
    FIXTURES,
    GOAL,
    SNAPSHOT,
    entry_items,
    expect_notice,
    new_entry,
    notice,
    open_tools,
    open_ws,
    site_items,
    stored,
    wait_saved,
    wait_stored,
)

from .conftest import wait_ready

SITE_NAME = "客服管理者训练营"
MANIFEST: dict[str, dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
BAD_FILES = sorted(name for name, want in MANIFEST.items() if not want["ok"])
COMPARED = ("format", "schema_version", "worksheet", "worksheet_version", "id", "name", "created_at", "saved_at", "rev", "data")


def comparable(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{e['worksheet']}.{e['id']}": {k: e.get(k) for k in COMPARED} for e in entries}


def download(page: Any, action: str) -> tuple[str, dict[str, Any]]:
    with page.expect_download() as info:
        page.click(f'[data-ws-action="{action}"]')
    d = info.value
    return d.suggested_filename, json.loads(Path(d.path()).read_text(encoding="utf-8"))


def import_file(page: Any, path: Path | str, name: str = "backup.json") -> None:
    """Choose a file in the import input (the input itself is the stable hook)."""
    if isinstance(path, Path):
        page.set_input_files('[data-ws-action="import"]', str(path))
    else:
        page.set_input_files('[data-ws-action="import"]', files=[{"name": name, "mimeType": "application/json", "buffer": path.encode("utf-8")}])


def confirm_clear_all(page: Any) -> None:
    open_tools(page)
    page.click('[data-ws-action="clear-all"]')
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_have_attribute("data-kind", "clear-all")
    expect(page.locator("[data-ws-dialog-cancel]")).to_be_focused()
    page.click("[data-ws-dialog-ok]")
    expect(dialog).to_be_hidden()


def make_entries(page: Any) -> None:
    new_entry(page, "张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    page.fill('[data-ws-field="owner"]', "张三")
    wait_saved(page)
    new_entry(page, "李四 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', "两周内完成 12 名新员工的工单系统培训。")
    page.fill('[data-ws-field="why_relevant"]', "新人多，培训慢影响 FCR")
    wait_saved(page)


def test_export_one_and_all_then_clear_then_import_gives_back_identical_entries(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    make_entries(page)
    open_tools(page)
    today = dt.date.today().isoformat()

    one_name, one = download(page, "export-entry")
    assert SITE_NAME in one_name and today in one_name and one_name.endswith(".json")
    assert "李四" in one_name
    assert one["format"] == "worksheet-backup" and one["site"] == SITE_NAME
    assert [e["name"] for e in one["entries"]] == ["李四 · 2026 Q4"]

    all_name, everything = download(page, "export-all")
    assert SITE_NAME in all_name and today in all_name and all_name.endswith(".json")
    before = comparable(stored(page))
    assert comparable(everything["entries"]) == before and len(before) == 2

    confirm_clear_all(page)
    expect_notice(page, "cleared")
    assert not site_items(page.evaluate(SNAPSHOT))
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("")
    expect(page.locator("[data-ws-entry-list]")).to_contain_text("还没有条目")

    # Import: the dialog lists what the file holds before anything changes.
    import_file(page, json.dumps(everything, ensure_ascii=False), all_name)
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_have_attribute("data-kind", "import")
    expect(dialog).to_contain_text("包含 2 个条目")
    expect(dialog.locator('[data-ws-import-slug="smart"]')).to_contain_text("SMART 目标检查")
    expect(dialog.locator("[data-ws-import-names]")).to_contain_text("张三 · 2026 Q4")
    expect(dialog.locator("[data-ws-import-names]")).to_contain_text("李四 · 2026 Q4")
    assert not entry_items(page.evaluate(SNAPSHOT)), "changed before confirming"
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    expect(notice(page)).to_contain_text("2")
    assert comparable(stored(page)) == before
    page.reload()
    assert comparable(stored(page)) == before
    expect(page.locator("[data-ws-entry-select] option")).to_have_count(2)


def test_export_all_covers_every_worksheet_and_import_reaches_them(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    import_file(page, FIXTURES / "valid_v1_backup.json")
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog.locator('[data-ws-import-slug="swot"]')).to_contain_text("SWOT")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    expect(notice(page)).to_contain_text("1")
    open_tools(page)
    _, everything = download(page, "export-all")
    assert sorted(e["worksheet"] for e in everything["entries"]) == ["smart", "smart", "swot"]
    want = comparable(json.loads((FIXTURES / "valid_v1_backup.json").read_text(encoding="utf-8"))["entries"])
    assert comparable(everything["entries"]) == want


def test_cancelling_the_import_dialog_changes_nothing(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', "本机已有的内容")
    wait_saved(page)
    snap = page.evaluate(SNAPSHOT)
    import_file(page, FIXTURES / "valid_v1_backup.json")
    expect(page.locator("[data-ws-dialog]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-ws-dialog]")).to_be_hidden()
    expect_notice(page, "import-cancelled")
    assert page.evaluate(SNAPSHOT) == snap
    import_file(page, FIXTURES / "valid_v1_backup.json")
    page.click("[data-ws-dialog-cancel]")
    assert page.evaluate(SNAPSHOT) == snap


def test_conflicts_keep_both_by_default_overwrite_on_request_and_undo(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    backup = json.loads((FIXTURES / "valid_v1_backup.json").read_text(encoding="utf-8"))
    open_ws(page, base_url)
    import_file(page, FIXTURES / "valid_v1_backup.json")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', "本机改过的目标")
    wait_saved(page)

    # Same file again: two identical entries skipped, one conflict.
    import_file(page, FIXTURES / "valid_v1_backup.json")
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog.locator('[data-ws-import-slug="smart"] td').nth(3)).to_have_text("1")
    expect(dialog.locator('[data-ws-import-names] li[data-status="conflict"]')).to_contain_text("张三 · 2026 Q4")
    expect(dialog.locator('[data-ws-import-mode="keep-both"]')).to_be_checked()
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    texts = sorted(e["data"]["goal_text"] for e in stored(page) if e["worksheet"] == "smart")
    assert texts == sorted(["本机改过的目标", backup["entries"][0]["data"]["goal_text"], backup["entries"][1]["data"]["goal_text"]])
    assert "张三 · 2026 Q4（导入）" in [e["name"] for e in stored(page)]
    # Importing it a third time finds nothing new.
    import_file(page, FIXTURES / "valid_v1_backup.json")
    expect(dialog).to_contain_text("不需要导入")
    expect(page.locator("[data-ws-dialog-ok]")).to_be_hidden()
    page.click("[data-ws-dialog-cancel]")

    # Overwrite, when chosen, replaces the local version; undo brings it back.
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4（导入）")
    page.click('[data-ws-action="delete-entry"]')
    wait_stored(page, "(es) => es.length === 3")
    snap = page.evaluate(SNAPSHOT)
    import_file(page, FIXTURES / "valid_v1_backup.json")
    page.check('[data-ws-import-mode="overwrite"]')
    page.click("[data-ws-dialog-ok]")
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(backup["entries"][0]["data"]["goal_text"])
    notice(page).locator('[data-ws-action="undo"]').click()
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("本机改过的目标")
    expect_notice(page, "import-undone")
    assert entry_items(page.evaluate(SNAPSHOT)) == entry_items(snap)


def test_old_format_entries_are_migrated_on_import(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    import_file(page, FIXTURES / "mixed_versions_backup.json")
    expect(page.locator("[data-ws-dialog]")).to_contain_text("包含 3 个条目")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    want = MANIFEST["mixed_versions_backup.json"]
    got = {e["id"]: e for e in stored(page)}
    assert sorted(got) == sorted(want["ids"])
    assert all(e["schema_version"] == 1 for e in got.values())
    v0 = json.loads((FIXTURES / "v0_entry.json").read_text(encoding="utf-8"))
    page.select_option("[data-ws-entry-select]", label=v0["title"])
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value(v0["values"]["goal_text"])


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_get_a_chinese_message_and_change_nothing(page_without_python: Any, base_url: str, name: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', "导入前本机的内容")
    wait_saved(page)
    snap = page.evaluate(SNAPSHOT)
    import_file(page, FIXTURES / name)
    message = expect_notice(page, "import-failed", "error")
    # The reason is the format's own code, the same one node and Python give for this file.
    expect(message).to_have_attribute("data-ws-notice-reason", MANIFEST[name]["code"])
    expect(message).to_contain_text(name)
    assert re.search(r"[\u4e00-\u9fff]{4}", message.inner_text())
    expect(page.locator("[data-ws-dialog]")).to_be_hidden()
    assert page.evaluate(SNAPSHOT) == snap
    assert page.evaluate("({}).polluted === undefined && Object.prototype.polluted === undefined")
    expect(page.locator('[data-ws-field="goal_text"]')).to_have_value("导入前本机的内容")


def test_binary_files_are_refused(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    page.set_input_files('[data-ws-action="import"]', files=[{"name": "photo.json", "mimeType": "image/png", "buffer": bytes(range(256)) * 40}])
    expect(expect_notice(page, "import-failed", "error")).to_have_attribute("data-ws-notice-reason", "not_json")
    assert stored(page) == []


def _entry(i: int, worksheet: str, name: str, data: dict[str, Any]) -> dict[str, Any]:
    t = (dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=i)).isoformat().replace("+00:00", "Z")
    return {"format": "worksheet-entry", "schema_version": 1, "worksheet": worksheet, "worksheet_version": 1, "id": f"e{i:05d}",
            "name": name, "created_at": t, "saved_at": t, "rev": 0, "data": data}


def big_backup(long: int = 300, short: int = 1200) -> str:
    """A backup as the site writes it (indented JSON): `long` entries of about 19 KB each
    (the 5.7 MB backup of the issue, once with the short ones) and `short` small ones."""
    story = "客户来电反映退款进度慢，组里复盘了处理流程，下周起每天早会跟进。"
    entries = [_entry(i, "swot" if i % 3 == 0 else "smart", f"长条目 {i:04d}", {"goal_text": f"第 {i} 条：" + story * 200}) for i in range(long)]
    entries += [_entry(long + i, "smart", f"小孙 · 第 {i} 次面谈", {"goal_text": f"把一次解决率提升到 {70 + i % 20}%", "owner": "小孙"}) for i in range(short)]
    doc = {"format": "worksheet-backup", "schema_version": 1, "site": SITE_NAME, "exported_at": "2026-03-02T09:00:00.000Z", "entries": entries}
    return json.dumps(doc, ensure_ascii=False, indent=2)


#: Remembers what the import progress line showed.
PROGRESS_PROBE = """
  window.__progress = {total: 0, done: 0, shown: 0};
  new MutationObserver(() => {
    const p = document.querySelector('[data-ws-progress]');
    if (!p || p.hidden) return;
    window.__progress.shown += 1;
    window.__progress.total = Math.max(window.__progress.total, Number(p.dataset.total || 0));
    window.__progress.done = Math.max(window.__progress.done, Number(p.dataset.done || 0));
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-done', 'hidden']});
"""


def test_a_big_backup_restores_where_it_was_made_and_the_list_stays_usable(page_without_python: Any, base_url: str) -> None:
    """Over 5.7 MB and 1,500 entries: imported in chunks with progress, the result notice
    near the top, the list paged, searchable and grouped; export-all → clear → import
    gives every entry back."""
    page = page_without_python
    text = big_backup()
    assert len(text.encode("utf-8")) > 5_700_000
    page.add_init_script(PROGRESS_PROBE)
    open_ws(page, base_url)
    open_tools(page)
    import_file(page, text, "大备份.json")
    dialog = page.locator("[data-ws-dialog]")
    expect(dialog).to_contain_text("包含 1500 个条目")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    progress = page.evaluate("window.__progress")
    assert progress["total"] == 1500 and progress["done"] == 1500 and progress["shown"] >= 2, progress
    # The notice is near the entry bar, not under thousands of rows.
    offset = page.evaluate("""() => document.querySelector('[data-ws-notice]').getBoundingClientRect().top
      - document.querySelector('[data-ws-root]').getBoundingClientRect().top""")
    assert offset < 2500, offset
    want = comparable(json.loads(text)["entries"])
    assert comparable(stored(page)) == want

    # One page of rows; search; every worksheet's entries grouped by worksheet.
    rows = page.locator("[data-ws-entry-list] tr[data-ws-entry]")
    expect(rows).to_have_count(20)
    expect(page.locator("[data-ws-entry-pager]")).to_be_visible()
    assert page.locator("[data-ws-entry-select] option").count() <= 52
    page.fill("[data-ws-entry-search]", "长条目 0007")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("长条目 0007")
    page.fill("[data-ws-entry-search]", "")
    page.select_option("[data-ws-entry-scope]", "all")
    expect(page.locator('[data-ws-entry-list] tbody[data-ws-entry-group="w:smart"]')).to_have_count(1)
    page.click('[data-ws-entry-pager] [data-ws-page="next"]')
    expect(page.locator("[data-ws-entry-pager]")).to_contain_text("第 2 /")

    name, everything = download(page, "export-all")
    assert comparable(everything["entries"]) == want
    confirm_clear_all(page)
    expect_notice(page, "cleared")
    assert stored(page) == []
    import_file(page, json.dumps(everything, ensure_ascii=False, indent=2), name)
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    assert comparable(stored(page)) == want


#: A quota: the database takes `window.__cap` entries, then refuses more (as a full disk does).
QUOTA = """
  window.__cap = Infinity; window.__committed = 0;
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...args) {
    const tx = transaction.apply(this, args);
    tx.__n = 0;
    // Registered before the page's own handler: counted before the page goes on.
    tx.addEventListener('complete', () => { window.__committed += tx.__n; });
    return tx;
  };
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (this.name === 'entries') {
      const tx = this.transaction;
      if (window.__committed + tx.__n + 1 > window.__cap) throw new DOMException('test: the quota has been exceeded', 'QuotaExceededError');
      tx.__n += 1;
    }
    return put.apply(this, args);
  };
"""


def test_an_import_that_fills_the_storage_says_exactly_what_was_saved(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    page.add_init_script(QUOTA)
    open_ws(page, base_url)
    page.evaluate("window.__cap = 20")
    entries = [_entry(i, "smart", f"导入条目 {i:02d}", {"goal_text": f"目标 {i}"}) for i in range(50)]
    import_file(page, json.dumps({"format": "worksheet-backup", "schema_version": 1, "entries": entries}, ensure_ascii=False))
    page.click("[data-ws-dialog-ok]")
    n = expect_notice(page, "import-partial", "warning")
    saved = stored(page)
    assert len(saved) == 20  # exactly what fitted, and the notice says so
    expect(n).to_contain_text("20")
    expect(n).to_contain_text("30")
    with page.expect_download() as info:
        n.locator('[data-ws-action="export-unsaved"]').click()
    unsaved = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["entries"]
    assert len(unsaved) == 30
    assert {e["id"] for e in unsaved} | {e["id"] for e in saved} == {e["id"] for e in entries}
    # Space frees: the rest is written back without a word from the reader.
    page.evaluate("window.__cap = Infinity")
    wait_stored(page, "(es) => es.length === 50", timeout=20_000)
    page.reload()
    expect(page.locator("[data-ws-entry-select] option")).to_have_count(50)


def test_markdown_download_holds_the_report_and_the_name(page: Any, base_url: str) -> None:
    open_ws(page, base_url)
    new_entry(page, "张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', GOAL)
    wait_ready(page)
    page.click('[data-ws-action="check"]')
    expect(page.locator("[data-ws-report='']")).not_to_be_empty()
    open_tools(page)
    with page.expect_download() as info:
        page.click('[data-ws-action="export-markdown"]')
    d = info.value
    assert d.suggested_filename.endswith(".md") and SITE_NAME in d.suggested_filename
    text = Path(d.path()).read_text(encoding="utf-8")
    assert text.startswith("# 张三 · 2026 Q4\n")
    assert GOAL in text and "SMART" in text


def test_clear_all_asks_first_and_offers_a_backup(page_without_python: Any, base_url: str) -> None:
    page = page_without_python
    open_ws(page, base_url)
    page.fill('[data-ws-field="goal_text"]', "不要删掉我")
    wait_saved(page)
    open_tools(page)
    page.click('[data-ws-action="clear-all"]')
    dialog = page.locator("[data-ws-dialog]")
    expect(page.get_by_role("dialog", name="清除本机所有数据")).to_be_visible()
    expect(dialog).to_contain_text("1 个工作表条目")
    with page.expect_download():
        dialog.locator("[data-ws-dialog-backup]").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect_notice(page, "clear-cancelled")
    assert [e["data"]["goal_text"] for e in stored(page)] == ["不要删掉我"]
    # Keyboard only: focus starts on 取消; Enter there cancels too.
    page.click('[data-ws-action="clear-all"]')
    expect(page.locator("[data-ws-dialog-cancel]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert len(stored(page)) == 1


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_entry_list_and_dialogs_have_no_serious_accessibility_violations(page_without_python: Any, base_url: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = page_without_python
    page.add_init_script(
        f"localStorage.setItem('__palette', JSON.stringify({{index: {0 if scheme == 'default' else 1}, "
        f"color: {{scheme: '{scheme}', media: ''}}}}))"
    )
    open_ws(page, base_url)
    import_file(page, FIXTURES / "valid_v1_backup.json")
    page.click("[data-ws-dialog-ok]")
    expect_notice(page, "imported")
    page.select_option("[data-ws-entry-select]", label="张三 · 2026 Q4")
    page.fill('[data-ws-field="goal_text"]', "本机改过")
    wait_saved(page)
    open_tools(page)

    def serious() -> list[str]:
        results = Axe().run(page)
        return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
                for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]

    assert not serious(), "entry list"
    import_file(page, FIXTURES / "valid_v1_backup.json")  # one conflict: the choice is shown
    expect(page.locator('[data-ws-import-mode="overwrite"]')).to_be_visible()
    assert not serious(), "import dialog"
    page.click("[data-ws-dialog-cancel]")
    page.click('[data-ws-action="rename-entry"]')
    assert not serious(), "name dialog"
