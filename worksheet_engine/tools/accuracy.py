"""Accuracy of the checkers on the labelled example files (a developer tool).

    python -m worksheet_engine.tools.accuracy                      # every labelled file in tests/fixtures/eval
    python -m worksheet_engine.tools.accuracy path/to/smart.json   # any labelled file(s)
    python -m worksheet_engine.tools.accuracy --min 0.95           # exit 1 below 95 %

A SMART file is a JSON list of ``{"text", "labels": {criterion: true|false|null}}``;
``achievable`` is scored only where its label is not null, the other criteria always.
A GROW file is a list of ``{"text", "open": bool}``. Files are recognised by that shape, not
by name: without arguments every ``*.json`` in ``tests/fixtures/eval`` that has one of the two
shapes is scored (the dev sets and our own labelled sets alike); other JSON files there (e.g.
feedback sets for another checker) are listed as skipped. ``--min`` applies to every
criterion of every file.

Unlike the rest of the engine this module reads files; the browser never imports it.

Example::

    >>> table = smart_accuracy([{"text": "提高服务质量。", "labels": {"specific": False, "measurable": False,
    ...     "achievable": None, "relevant": True, "time_bound": False}}])
    >>> table["specific"]
    (1, 1)
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..checks.goal import CRITERIA, CRITERION_LABELS, check_goal

_ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = _ROOT / "tests" / "fixtures" / "eval"


def default_files(folder: Path = EVAL_DIR) -> list[Path]:
    """Every labelled SMART, GROW or feedback file in ``folder`` (recognised by shape), sorted by name."""
    found: list[Path] = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _kind(data) != "unknown":
            found.append(path)
    return found

Score = tuple[int, int]  # (correct, scored)


def smart_accuracy(examples: Iterable[Mapping[str, Any]]) -> dict[str, Score]:
    """Per-criterion (correct, scored) counts of :func:`check_goal` on labelled examples."""
    counts = {c: [0, 0] for c in CRITERIA}
    for ex in examples:
        labels = ex.get("labels") or {}
        result = check_goal(str(ex.get("text", "")))["criteria"]
        for c in CRITERIA:
            if c not in labels:
                continue
            want = labels[c]
            if c == "achievable" and want is None:
                continue
            counts[c][1] += 1
            if result[c]["met"] == want:
                counts[c][0] += 1
    return {c: (v[0], v[1]) for c, v in counts.items()}


def smart_misses(examples: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per wrong verdict, for debugging."""
    lines: list[str] = []
    for ex in examples:
        labels = ex.get("labels") or {}
        result = check_goal(str(ex.get("text", "")))["criteria"]
        for c in CRITERIA:
            want = labels.get(c)
            if c not in labels or (c == "achievable" and want is None):
                continue
            if result[c]["met"] != want:
                lines.append(f"{ex.get('id', '?')} {c}: 得到 {result[c]['met']}，应为 {want}：{ex.get('text', '')}")
    return lines


def grow_accuracy(examples: Iterable[Mapping[str, Any]]) -> Score:
    """(correct, scored) of ``classify_question``."""
    from ..checks.questions import classify_question as classify

    correct = total = 0
    for ex in examples:
        if "open" not in ex:
            continue
        total += 1
        if bool(classify(str(ex.get("text", "")))["open"]) == bool(ex["open"]):
            correct += 1
    return correct, total


def grow_misses(examples: Iterable[Mapping[str, Any]]) -> list[str]:
    """One line per wrongly classified question, for debugging."""
    from ..checks.questions import classify_question as classify

    lines: list[str] = []
    for ex in examples:
        if "open" in ex and bool(classify(str(ex.get("text", "")))["open"]) != bool(ex["open"]):
            lines.append(f"应为{'开放' if ex['open'] else '封闭'}：{ex.get('text', '')}")
    return lines


def _pct(score: Score) -> str:
    correct, total = score
    return f"{correct / total * 100:.1f}%" if total else "—"


def format_smart_table(scores: Mapping[str, Score]) -> str:
    """A Markdown table: criterion, correct, scored, accuracy."""
    lines = ["| 标准 | 正确 | 计分 | 准确率 |", "| --- | ---: | ---: | ---: |"]
    for c in CRITERIA:
        correct, total = scores[c]
        lines.append(f"| {CRITERION_LABELS[c]} | {correct} | {total} | {_pct(scores[c])} |")
    return "\n".join(lines)


def _kind(data: Any) -> str:
    """``smart``, ``grow``, ``feedback`` or ``unknown``, from the shape of every item (not the file name)."""
    if not isinstance(data, list) or not data or not all(isinstance(x, Mapping) for x in data):
        return "unknown"
    if all(isinstance(x.get("labels"), Mapping) and "kind" in x and "level" in x for x in data):
        return "feedback"
    if not all("text" in x for x in data):
        return "unknown"
    if all(isinstance(x.get("labels"), Mapping) and set(x["labels"]) <= set(CRITERIA) for x in data):
        return "smart"
    if all(isinstance(x.get("open"), bool) for x in data):
        return "grow"
    return "unknown"


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, *, prog: str = "",
         defaults: Sequence[Path] | None = None) -> int:
    """Print the accuracy tables; return 1 when ``--min`` is given and not reached, 2 for an
    unreadable file. ``defaults`` replaces the files read when none are named."""
    out = stdout or sys.stdout
    parser = argparse.ArgumentParser(prog=prog or "python -m worksheet_engine.tools.accuracy",
                                     description="检查器在标注样例上的准确率")
    parser.add_argument("paths", nargs="*", help="标注文件（默认：tests/fixtures/eval 下所有可识别的标注文件）")
    parser.add_argument("--min", type=float, default=None, help="最低准确率（0–1），低于它时退出码为 1")
    parser.add_argument("--misses", action="store_true", help="列出判错的样例")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or list(defaults if defaults is not None else default_files())
    worst = 1.0
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            out.write(f"读不了 {path}：{exc}\n")
            return 2
        try:
            shown: Path | str = path.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = path
        kind = _kind(data)
        if kind == "unknown":
            out.write(f"{path}：无法识别的标注文件格式，已跳过。\n\n")
            continue
        if kind == "smart":
            scores = smart_accuracy(data)
            out.write(f"SMART 检查器（{shown}，{len(data)} 条）\n\n{format_smart_table(scores)}\n\n")
            worst = min([worst] + [c / t for c, t in scores.values() if t])
            misses = smart_misses(data)
        elif kind == "grow":
            score = grow_accuracy(data)
            out.write(f"GROW 问题分类（{shown}，{score[1]} 条）：开放/封闭 {score[0]}/{score[1]}，准确率 {_pct(score)}\n\n")
            if score[1]:
                worst = min(worst, score[0] / score[1])
            misses = grow_misses(data)
        else:
            from . import feedback_accuracy as fb

            fscores = fb.feedback_accuracy(data)
            out.write(f"反馈检查器（{shown}，{len(data)} 条）\n\n{fb.format_table(fscores)}\n\n")
            worst = min([worst] + [c / t for k, (c, t) in fscores.items() if t and k in fb.PARTS])
            misses = fb.feedback_misses(data)
        if args.misses:
            out.write("".join(f"- {line}\n" for line in misses) + "\n")
    if args.min is not None and worst < args.min:
        out.write(f"最低准确率 {worst * 100:.1f}% 低于要求的 {args.min * 100:.1f}%。\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
