"""The command line, run in-process: ``worksheet_engine.cli.main([...], stdout=…, stderr=…)``."""

from __future__ import annotations

import io
import json
import pathlib

import pytest

from worksheet_engine.tools.cli import main
from worksheet_engine.smart import CRITERIA


# cli.py reads ``--input`` with ``open(...).read()`` and never closes the file, which raises a
# ResourceWarning under ``filterwarnings = error``. Drop this marker once cli.py uses a with-block.


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_smart_command_prints_the_check_as_json() -> None:
    code, out, err = _run(["smart", "本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。", "--today", "2026-02-10"])
    assert code == 0 and err == ""
    result = json.loads(out)
    assert tuple(result["criteria"]) == CRITERIA
    assert result["criteria"]["time_bound"]["met"] is True
    assert result["parsed"]["deadline"]["resolved"] == "2026-03-31"
    assert (result["parsed"]["baseline"], result["parsed"]["target"]) == (85, 92)
    assert "客户满意度" in out  # ensure_ascii=False: Chinese stays readable


def test_smart_command_without_today_does_not_resolve() -> None:
    code, out, _ = _run(["smart", "两周内完成全组12名新员工的工单系统操作培训。"])
    assert code == 0
    deadline = json.loads(out)["parsed"]["deadline"]
    assert deadline["kind"] == "window" and deadline["resolved"] is None


def test_evaluate_smart_from_file(tmp_path: pathlib.Path) -> None:
    entry = tmp_path / "entry.json"
    entry.write_text(json.dumps({"goal_text": "尽量在本季度末前，将 CSAT 从 85% 提升到 92%。", "owner": "李娜"},
                                ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(["evaluate", "smart", "--input", str(entry), "--today", "2026-02-10"])
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["slug"] == "smart"
    assert result["criteria"]["specific"]["met"] is True
    assert "hedge" in {i["code"] for i in result["issues"]}
    assert result["parsed"]["deadline"]["resolved"] == "2026-03-31"
    assert "建议改写" in result["report_md"]


def test_evaluate_smart_from_stdin() -> None:
    code, out, _ = _run(["evaluate", "smart"], stdin=json.dumps({"goal_text": "提高服务质量。"}, ensure_ascii=False))
    assert code == 0
    assert json.loads(out)["criteria"]["measurable"]["met"] is False


def test_evaluate_accepts_a_saved_envelope(tmp_path: pathlib.Path) -> None:
    entry = tmp_path / "saved.json"
    entry.write_text(json.dumps({"format": "worksheet-entry", "data": {"goal_text": "本月把放弃率降到5%以下。"}},
                                ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(["evaluate", "smart", "-i", str(entry)])
    assert code == 0
    assert json.loads(out)["criteria"]["time_bound"]["met"] is True


def test_bad_json_file_exits_3_with_a_chinese_message(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{goal_text: 提高服务质量", encoding="utf-8")
    code, out, err = _run(["evaluate", "smart", "--input", str(bad)])
    assert code == 3
    assert out == ""
    assert "不是有效的 JSON" in err and err.startswith("错误：")


def test_missing_file_exits_3(tmp_path: pathlib.Path) -> None:
    code, _, err = _run(["evaluate", "smart", "--input", str(tmp_path / "nope.json")])
    assert code == 3
    assert "读不了文件" in err


def test_unknown_worksheet_exits_2(tmp_path: pathlib.Path) -> None:
    entry = tmp_path / "entry.json"
    entry.write_text("{}", encoding="utf-8")
    code, out, err = _run(["evaluate", "no-such-sheet", "--input", str(entry)])
    assert code == 2
    assert out == ""
    assert "no-such-sheet" in err and "工作表" in err


def test_bad_today_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        _run(["smart", "本月把AHT降到280秒。", "--today", "2026/02/10"])
    assert exc.value.code == 2


def test_info_lists_the_smart_worksheet() -> None:
    code, out, _ = _run(["info", "smart"])
    assert code == 0
    assert json.loads(out)["slug"] == "smart"
