"""The trainer's class report: `python -m worksheet_engine report BACKUP.json ...`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from worksheet_engine.tools import class_report as report, cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "backups"
SECRET_NAME = "王小明的私人目标"
VAGUE = "提高服务质量。"
GOOD = "2026年12月31日前，将团队的客户满意度（CSAT）从85%提升到92%。"


def envelope(slug: str, data: dict, *, id: str, rev: int = 1, name: str = SECRET_NAME,
             saved: str = "2026-11-02T08:00:00.000Z") -> dict:
    return {
        "format": "worksheet-entry", "schema_version": 1, "worksheet": slug, "worksheet_version": 1,
        "id": id, "name": name, "created_at": "2026-11-01T08:00:00.000Z", "saved_at": saved,
        "rev": rev, "completion": 0, "data": data,
    }


def backup(*entries: dict) -> str:
    return json.dumps({"format": "worksheet-backup", "schema_version": 1, "site": "测试",
                       "exported_at": "2026-11-03T08:00:00.000Z", "entries": list(entries)}, ensure_ascii=False)


@pytest.fixture
def class_files() -> list[report.SourceFile]:
    a = backup(
        envelope("smart", {"goal_text": VAGUE}, id="a-smart"),
        envelope("swot", {"context": "新任组长", "strengths": ["熟悉质检流程"]}, id="a-swot"),
    )
    b = backup(
        envelope("smart", {"goal_text": GOOD, "owner": "张三"}, id="b-smart"),
        # An older copy of a's SMART entry, exported again by b: dropped as a duplicate.
        envelope("smart", {"goal_text": VAGUE}, id="a-smart", rev=0),
    )
    return [report.load_file("学员A.json", a), report.load_file("学员B.json", b),
            report.load_file("坏文件.json", "{not json")]


def test_counts_per_worksheet_and_smart_criteria(class_files: list[report.SourceFile]) -> None:
    rep = report.summarize(class_files)
    assert [f.name for f in rep.bad_files] == ["坏文件.json"]
    assert rep.duplicates == 1
    assert rep.worksheets["smart"].entries == 2
    assert rep.worksheets["smart"].files == 2
    assert rep.worksheets["swot"].entries == 1
    assert rep.worksheets["q10"].entries == 0 and rep.worksheets["q10"].mean_completion is None
    tb = rep.criteria["time_bound"]
    assert (tb.met, tb.not_met, tb.total) == (1, 1, 2)
    assert tb.rate == pytest.approx(0.5)
    assert list(rep.criteria)[:5] == list(report.SMART_ORDER)
    codes = {(i.worksheet, i.code) for i in rep.issues}
    assert ("smart", "vague_verb") in codes
    # Issues are ranked by how many entries show them.
    counts = [i.entries for i in rep.issues]
    assert counts == sorted(counts, reverse=True)
    assert set(rep.per_file) == {"学员A.json", "学员B.json"}


def test_newest_revision_of_a_duplicate_wins() -> None:
    old = backup(envelope("smart", {"goal_text": VAGUE}, id="x", rev=1))
    new = backup(envelope("smart", {"goal_text": GOOD}, id="x", rev=5))
    for order in ([old, new], [new, old]):
        rep = report.summarize([report.load_file(f"f{i}.json", t) for i, t in enumerate(order)])
        assert rep.duplicates == 1
        assert rep.criteria["time_bound"].met == 1


def test_personal_text_left_out_by_default(class_files: list[report.SourceFile]) -> None:
    rep = report.summarize(class_files)
    outputs = [report.render_markdown(rep), report.render_summary_csv(rep), report.render_entries_csv(rep)]
    for text in outputs:
        assert SECRET_NAME not in text
        assert "服务质量" not in text  # the trainee's words, also when an issue message quotes them
        assert "熟悉质检流程" not in text
    assert "“…”" in outputs[0]
    assert "未包含" in outputs[0]


def test_include_text_adds_names_and_texts(class_files: list[report.SourceFile]) -> None:
    rep = report.summarize(class_files, include_text=True)
    md = report.render_markdown(rep)
    assert SECRET_NAME in md and "服务质量" in md and "条目原文" in md
    rows = list(csv.DictReader(io.StringIO(report.render_entries_csv(rep))))
    assert {"name", "text"} <= set(rows[0])
    assert any("服务质量" in r["text"] for r in rows)


def test_entries_csv_has_one_row_per_entry_with_verdicts(class_files: list[report.SourceFile]) -> None:
    rep = report.summarize(class_files)
    rows = list(csv.DictReader(io.StringIO(report.render_entries_csv(rep))))
    assert len(rows) == 3
    smart = [r for r in rows if r["worksheet"] == "smart"]
    assert {r["time_bound"] for r in smart} == {"met", "not_met"}
    swot = next(r for r in rows if r["worksheet"] == "swot")
    assert swot["time_bound"] == ""  # criteria only for SMART
    summary = list(csv.reader(io.StringIO(report.render_summary_csv(rep))))
    assert summary[0] == ["section", "worksheet", "key", "label", "count", "total", "rate"]
    time_bound = next(r for r in summary if r[:3] == ["smart_criterion", "smart", "time_bound"])
    assert time_bound[4:] == ["1", "2", "0.500"]
    assert any(r[0] == "bad_file" and r[2] == "坏文件.json" for r in summary)


def test_markdown_is_safe_with_hostile_text() -> None:
    evil = backup(envelope("smart", {"goal_text": "<img src=x onerror=alert(1)> | 破坏表格"}, id="e1",
                           name="=HYPERLINK(\"http://x\")"))
    rep = report.summarize([report.load_file("<script>.json", evil)], include_text=True)
    md = report.render_markdown(rep)
    assert "<img" not in md and "<script>" not in md
    rows = list(csv.reader(io.StringIO(report.render_entries_csv(rep))))
    name_col = rows[0].index("name")
    assert rows[1][name_col].startswith("'=")  # a spreadsheet shows it as text


def test_unknown_worksheet_entries_are_skipped() -> None:
    text = backup(envelope("smart", {"goal_text": GOOD}, id="ok1"))
    doc = json.loads(text)
    doc["entries"].append({**doc["entries"][0], "id": "other", "worksheet": "retired"})
    src = report.load_file("a.json", json.dumps(doc, ensure_ascii=False))
    if not src.ok:  # the shared reader may refuse unknown worksheets outright
        assert src.error
        return
    rep = report.summarize([src])
    assert rep.unknown_worksheet["retired"] == 1
    assert rep.worksheets["smart"].entries == 1
    assert "retired" in report.render_markdown(rep)


def test_redact_replaces_quoted_fragments() -> None:
    assert report.redact("“服务质量”是抽象说法") == "“…”是抽象说法"
    assert report.redact("S2「太短」与 \"x\"") == "S2“…”与 “…”"
    assert report.redact("没有截止时间。") == "没有截止时间。"


def test_every_shared_fixture_is_read_or_reported() -> None:
    files = sorted(p for p in FIXTURES.glob("*.json") if p.name != "manifest.json")
    if not files:
        pytest.skip("no shared backup fixtures")
    sources = [report.load_file(p.name, p.read_bytes().decode("utf-8-sig", errors="replace")) for p in files]
    rep = report.summarize(sources)
    assert all(f.error for f in rep.bad_files)
    assert rep.good_files, "at least one fixture is a valid backup"
    report.render_markdown(rep)


# ---- the CLI --------------------------------------------------------------------------------------


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_writes_markdown_and_csv_and_names_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "张三.json"
    good.write_text(backup(envelope("smart", {"goal_text": VAGUE}, id="s1")), encoding="utf-8")
    bad = tmp_path / "损坏.json"
    bad.write_text('{"format": "worksheet-backup", "entries": [', encoding="utf-8")
    missing = tmp_path / "不存在.json"
    out = tmp_path / "out"
    code, stdout, stderr = run(["report", str(good), str(bad), str(missing), "--out", str(out)])
    assert code == 0
    assert "损坏.json" in stderr and "不存在.json" in stderr
    assert "1/3" in stdout
    md = (out / "class-summary.md").read_text(encoding="utf-8")
    assert "SMART 目标检查" in md and "损坏.json" in md and SECRET_NAME not in md
    raw = (out / "entries.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese text correctly
    assert (out / "class-summary.csv").exists()


def test_cli_include_text(tmp_path: Path) -> None:
    good = tmp_path / "a.json"
    good.write_text(backup(envelope("smart", {"goal_text": VAGUE}, id="s1")), encoding="utf-8")
    code, _, _ = run(["report", str(good), "--out", str(tmp_path / "o"), "--include-text", "--today", "2026-11-24"])
    assert code == 0
    assert SECRET_NAME in (tmp_path / "o" / "class-summary.md").read_text(encoding="utf-8")


def test_cli_fails_only_when_every_file_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("nope", encoding="utf-8")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b"\xff\xfe\x00garbage")
    code, _, stderr = run(["report", str(bad), str(latin), "--out", str(tmp_path / "o")])
    assert code != 0
    assert "bad.json" in stderr and "latin.json" in stderr
