"""Command line: ``python -m worksheet_engine …`` prints JSON.

    python -m worksheet_engine smart "本季度末前，将 CSAT 从 85% 提升到 92%。"
    python -m worksheet_engine evaluate smart --input entry.json [--today 2026-11-24]
    python -m worksheet_engine info [slug]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from . import api
from .errors import EntryFormatError, WorksheetError
from .smart import check_goal


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD：{text}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m worksheet_engine", description="客服管理工作表检查引擎")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("smart", help="检查一句目标（SMART）")
    s.add_argument("text")
    s.add_argument("--today", type=_date, help="解析相对日期用的今天（YYYY-MM-DD）")
    e = sub.add_parser("evaluate", help="检查一个工作表条目（JSON）")
    e.add_argument("slug")
    e.add_argument("--input", "-i", default="-", help="条目 JSON 文件，- 表示标准输入")
    e.add_argument("--today", type=_date)
    i = sub.add_parser("info", help="打印工作表定义")
    i.add_argument("slug", nargs="?")
    return p


def _emit(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        if args.command == "smart":
            _emit(check_goal(args.text, today=args.today), stdout)
        elif args.command == "evaluate":
            try:
                raw = stdin.read() if args.input == "-" else open(args.input, encoding="utf-8").read()
            except OSError as exc:
                raise EntryFormatError(f"读不了文件 {args.input}：{exc.strerror}") from exc
            try:
                data = json.loads(raw)
            except ValueError as exc:
                raise EntryFormatError(f"{args.input} 不是有效的 JSON：{exc}") from exc
            if isinstance(data, dict) and data.get("format") == "worksheet-entry":
                data = data.get("data")  # a saved envelope: check its data
            _emit(api.evaluate(args.slug, data, args.today), stdout)
        elif args.command == "info":
            _emit(api.worksheet_info(args.slug), stdout)
        else:  # pragma: no cover - argparse enforces the choices
            raise AssertionError(args.command)
    except WorksheetError as exc:
        stderr.write(f"错误：{exc}\n")
        return exc.exit_code
    return 0
