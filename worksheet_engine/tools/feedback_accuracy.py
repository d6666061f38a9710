"""Accuracy of the BIA/BID feedback checker on labelled files (a developer tool).

    python -m worksheet_engine.tools.feedback_accuracy                   # the default files
    python -m worksheet_engine.tools.feedback_accuracy path/to/file.json  # any labelled file(s)
    python -m worksheet_engine.tools.feedback_accuracy --min 0.95 --misses

A labelled file is a JSON list of ``{"kind", "behaviour", "impact", "closing",
"labels": {"behaviour"|"impact"|"closing": bool}, "level": 0|1|2}``. Every box is scored
on every item, and the level too.

Unlike the rest of the engine this module reads files; the browser never imports it.

Example::

    >>> feedback_accuracy([{"kind": "BIA", "behaviour": "干得不错！", "impact": "", "closing": "继续加油",
    ...     "labels": {"behaviour": False, "impact": False, "closing": False}, "level": 1}])["closing"]
    (1, 1)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..checks.feedback import PARTS, check_feedback

_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILES = (
    _ROOT / "tests" / "fixtures" / "eval" / "feedback_dev.json",
    _ROOT / "tests" / "fixtures" / "eval" / "feedback_own.json",
    _ROOT / "tests" / "fixtures" / "eval" / "feedback_probe.json",
)
KEYS = PARTS + ("level",)
_LABELS = {"behaviour": "B 行为", "impact": "I 影响", "closing": "A/D 欣赏或期望", "level": "级别"}

Score = tuple[int, int]  # (correct, scored)


def _judge(ex: Mapping[str, Any]) -> dict[str, Any]:
    return check_feedback(ex.get("kind"), ex.get("behaviour", ""), ex.get("impact", ""), ex.get("closing", ""))


def feedback_accuracy(examples: Iterable[Mapping[str, Any]]) -> dict[str, Score]:
    """Per-box (and level) (correct, scored) counts of :func:`check_feedback`."""
    counts = {k: [0, 0] for k in KEYS}
    for ex in examples:
        labels = ex.get("labels") or {}
        result = _judge(ex)
        for part in PARTS:
            if part in labels:
                counts[part][1] += 1
                counts[part][0] += result["parts"][part]["met"] == bool(labels[part])
        if "level" in ex:
            counts["level"][1] += 1
            counts["level"][0] += result["level"] == ex["level"]
    return {k: (v[0], v[1]) for k, v in counts.items()}


def feedback_misses(examples: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per wrong verdict, for debugging."""
    lines: list[str] = []
    for n, ex in enumerate(examples, 1):
        labels = ex.get("labels") or {}
        result = _judge(ex)
        name = ex.get("id", f"#{n}")
        for part in PARTS:
            if part in labels and result["parts"][part]["met"] != bool(labels[part]):
                lines.append(f"{name} {ex.get('kind')} {part}: 得到 {result['parts'][part]['met']}，应为 "
                             f"{labels[part]}：{ex.get(part, '')}｜{result['parts'][part]['reason']}")
        if "level" in ex and result["level"] != ex["level"]:
            lines.append(f"{name} level: 得到 {result['level']}，应为 {ex['level']}")
    return lines


def format_table(scores: Mapping[str, Score]) -> str:
    """A Markdown table: box, correct, scored, accuracy."""
    lines = ["| 栏目 | 正确 | 计分 | 准确率 |", "| --- | ---: | ---: | ---: |"]
    for k in KEYS:
        correct, total = scores[k]
        pct = f"{correct / total * 100:.1f}%" if total else "—"
        lines.append(f"| {_LABELS[k]} | {correct} | {total} | {pct} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """The accuracy command (:func:`worksheet_engine.tools.accuracy.main`) on the feedback files."""
    from .accuracy import main as accuracy_main

    return accuracy_main(argv, stdout, prog="python -m worksheet_engine.tools.feedback_accuracy",
                         defaults=[p for p in DEFAULT_FILES if p.exists()])


if __name__ == "__main__":
    raise SystemExit(main())
