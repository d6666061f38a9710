"""Command line: ``python -m worksheet_engine …`` prints JSON.

    python -m worksheet_engine smart "本季度末前，将 CSAT 从 85% 提升到 92%。"
    python -m worksheet_engine evaluate smart --input entry.json [--today 2026-11-24]
    python -m worksheet_engine info [slug]
    python -m worksheet_engine report BACKUP.json ... [--out DIR] [--include-text] [--today 2026-11-24]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import Any, TextIO

from .. import api
from ..checks.goal import check_goal
from ..errors import EntryFormatError, WorksheetError


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
    r = sub.add_parser("report", help="把学员导出的备份文件汇总成班级报告（Markdown 和 CSV）")
    r.add_argument("files", nargs="+", metavar="BACKUP.json", help="学员导出的备份文件（可以多个）")
    r.add_argument("--out", "-o", default="class-report", help="输出文件夹（默认 class-report）")
    r.add_argument("--include-text", action="store_true", help="包含学员填写的文字和条目名称（默认不包含）")
    r.add_argument("--today", type=_date, help="解析相对日期用的今天（默认：每个条目的保存日期）")
    return p


def _report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """The ``report`` command: read files, summarise, write Markdown and CSV."""
    import datetime
    from pathlib import Path

    from . import class_report as report

    sources = []
    for name in args.files:
        label = Path(name).name
        try:
            text = Path(name).read_bytes().decode("utf-8-sig")
        except OSError as exc:
            sources.append(report.SourceFile(name=label, error=f"读不了文件：{exc.strerror or exc}"))
        except UnicodeDecodeError:
            sources.append(report.SourceFile(name=label, error="文件不是 UTF-8 文本，不像是本站导出的备份。"))
        else:
            sources.append(report.load_file(label, text))
    for src in sources:
        if not src.ok:
            stderr.write(f"跳过 {src.name}：{src.error}\n")
    rep = report.summarize(sources, include_text=args.include_text, today=args.today)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    written = {
        "class-summary.md": report.render_markdown(rep, generated=stamp),
        "class-summary.csv": report.render_summary_csv(rep),
        "entries.csv": report.render_entries_csv(rep),
    }
    for fname, content in written.items():
        # utf-8-sig: Excel on Windows opens the CSV with the right encoding.
        encoding = "utf-8-sig" if fname.endswith(".csv") else "utf-8"
        (out / fname).write_text(content, encoding=encoding, newline="")
    good = len(rep.good_files)
    stdout.write(f"已汇总 {good}/{len(sources)} 个文件、{len(rep.rows)} 个条目 → {out}/"
                 f"（{'、'.join(written)}）\n")
    if good == 0:
        stderr.write("错误：没有一个文件能读取，没有生成有效的汇总。\n")
        return EntryFormatError.exit_code
    return 0


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
                raw = stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
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
        elif args.command == "report":
            return _report(args, stdout, stderr)
        else:  # pragma: no cover - argparse enforces the choices
            raise AssertionError(args.command)
    except WorksheetError as exc:
        stderr.write(f"错误：{exc}\n")
        return exc.exit_code
    return 0
