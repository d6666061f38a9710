"""Accuracy of the SMART checker on the labelled dev set (``tests/fixtures/eval/smart_dev.json``).

Run with ``pytest -s`` to see the per-criterion table. ``achievable`` is scored only where
its label is not null (methods brief §2.6); every criterion must reach 95 %.
"""

from __future__ import annotations

import io
import json
import pathlib

import pytest

from worksheet_engine.tools import accuracy
from worksheet_engine.smart import CRITERIA

DEV = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "smart_dev.json"
THRESHOLD = 0.95


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    return json.loads(DEV.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(examples: list[dict]) -> dict[str, tuple[int, int]]:
    table = accuracy.smart_accuracy(examples)
    print(f"\nSMART 检查器在 {DEV.name} 上的准确率（{len(examples)} 条）\n")
    print(accuracy.format_smart_table(table))
    misses = accuracy.smart_misses(examples)
    if misses:
        print("\n判错：\n" + "\n".join(f"- {m}" for m in misses))
    return table


def test_dev_set_is_well_formed(examples: list[dict]) -> None:
    assert examples
    for ex in examples:
        assert isinstance(ex["text"], str) and ex["text"]
        assert set(ex["labels"]) == set(CRITERIA)


@pytest.mark.parametrize("criterion", CRITERIA)
def test_accuracy_per_criterion(scores: dict[str, tuple[int, int]], criterion: str) -> None:
    correct, total = scores[criterion]
    assert total > 0
    assert correct / total >= THRESHOLD, f"{criterion}: {correct}/{total}"


def test_scored_counts_follow_the_labelling_rules(examples: list[dict], scores: dict[str, tuple[int, int]]) -> None:
    assert scores["achievable"][1] == sum(1 for ex in examples if ex["labels"]["achievable"] is not None)
    for c in CRITERIA:
        if c != "achievable":
            assert scores[c][1] == len(examples)


def test_accuracy_command_prints_the_same_table(scores: dict[str, tuple[int, int]]) -> None:
    out = io.StringIO()
    assert accuracy.main([str(DEV), "--min", str(THRESHOLD)], stdout=out) == 0
    assert accuracy.format_smart_table(scores) in out.getvalue()


def test_accuracy_command_defaults_and_grow(tmp_path: pathlib.Path) -> None:
    out = io.StringIO()
    assert accuracy.main([], stdout=out) == 0
    text = out.getvalue()
    assert "SMART" in text and "| S 具体 |" in text
    assert "GROW" in text


def test_accuracy_command_fails_below_minimum(tmp_path: pathlib.Path) -> None:
    wrong = [{"text": "提高服务质量。", "labels": {"specific": True, "measurable": True, "achievable": None,
                                                "relevant": True, "time_bound": True}}]
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    assert accuracy.main([str(path), "--min", "0.95", "--misses"], stdout=out) == 1
    assert "低于要求" in out.getvalue() and "应为 True" in out.getvalue()


def test_accuracy_command_reports_unreadable_file(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = io.StringIO()
    assert accuracy.main([str(bad)], stdout=out) == 2
    assert "读不了" in out.getvalue()


