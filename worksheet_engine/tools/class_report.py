"""Class summary for trainers, from the backup files trainees export.

Pure functions: the CLI (``python -m worksheet_engine report …``) reads the files and
writes the outputs; this module only turns texts into a summary and renders it.

* :func:`load_file` reads one file's text (a ``worksheet-backup`` or a single exported
  ``worksheet-entry``) into a :class:`SourceFile`; a bad file keeps its Chinese reason.
* :func:`summarize` drops duplicate entries (the same entry in several backups: the
  highest ``rev`` wins), re-checks every entry with :func:`worksheet_engine.api.evaluate`
  and counts completion per worksheet, SMART criterion pass rates and issue codes, and
  (:mod:`.score_report`) the self-assessment, knowledge-check and pre/post results.
* :func:`render_markdown`, :func:`render_summary_csv`, :func:`render_entries_csv`.

Personal free text (entry names, what trainees wrote, and engine messages that quote
it) stays out unless ``include_text=True``; issue descriptions are shown with quoted
fragments replaced by “…”. Trainees are identified only by the file name.

Example::

    >>> src = load_file("张三.json", '{"format": "worksheet-entry", "schema_version": 1,'
    ...     ' "worksheet": "smart", "worksheet_version": 1, "id": "a1", "name": "张三的目标",'
    ...     ' "created_at": "2026-11-02T08:00:00Z", "saved_at": "2026-11-02T08:00:00Z",'
    ...     ' "rev": 1, "data": {"goal_text": "提高服务质量。"}}')
    >>> rep = summarize([src])
    >>> rep.worksheets["smart"].entries, rep.criteria["time_bound"].not_met
    (1, 1)
    >>> "张三的目标" in render_markdown(rep)
    False
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import api
from ..errors import EntryFormatError
from ..markdown import md_escape
from ..worksheets import WORKSHEETS

from .backups import load_backup as _load_backup
from .score_report import ScoreSummary, summarize_scores
from . import score_report as _scores

__all__ = [
    "SourceFile",
    "WorksheetStats",
    "CriterionStats",
    "IssueStats",
    "EntryRow",
    "ClassReport",
    "load_file",
    "summarize",
    "render_markdown",
    "render_summary_csv",
    "render_entries_csv",
    "redact",
]

#: Top issues listed in the Markdown summary (the CSV lists all).
TOP_ISSUES = 10
SMART_ORDER = ("specific", "measurable", "achievable", "relevant", "time_bound")
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: its entries, or why it could not be read."""

    name: str
    entries: tuple[dict[str, Any], ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(slots=True)
class WorksheetStats:
    slug: str
    title: str
    entries: int = 0
    files: int = 0
    completion_sum: float = 0.0
    complete: int = 0
    without_errors: int = 0

    @property
    def mean_completion(self) -> float | None:
        return self.completion_sum / self.entries if self.entries else None


@dataclass(slots=True)
class CriterionStats:
    key: str
    label: str
    met: int = 0
    not_met: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.unknown

    @property
    def rate(self) -> float | None:
        """Share of SMART entries that meet the criterion (undecided counts as not met)."""
        return self.met / self.total if self.total else None


@dataclass(slots=True)
class IssueStats:
    code: str
    worksheet: str
    field: str
    severity: str
    entries: int = 0
    files: set[str] = field(default_factory=set)
    descriptions: Counter[str] = field(default_factory=Counter)

    @property
    def description(self) -> str:
        return self.descriptions.most_common(1)[0][0] if self.descriptions else ""


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One checked entry (text only when the report includes text)."""

    file: str
    worksheet: str
    saved_at: str
    completion: float
    ok: bool
    criteria: dict[str, bool | None]
    issue_codes: tuple[str, ...]
    name: str = ""
    texts: tuple[tuple[str, str], ...] = ()
    messages: tuple[str, ...] = ()
    score: str = ""  # self-test / knowledge-check score, e.g. "66/100" or "5/6"


@dataclass(slots=True)
class ClassReport:
    files: list[SourceFile]
    include_text: bool
    worksheets: dict[str, WorksheetStats]
    criteria: dict[str, CriterionStats]
    issues: list[IssueStats]
    rows: list[EntryRow]
    per_file: dict[str, dict[str, float]]
    duplicates: int = 0
    unknown_worksheet: Counter[str] = field(default_factory=Counter)
    #: Self-assessment, knowledge-check and pre/post results (see :func:`summarize_scores`).
    scores: ScoreSummary | None = None

    @property
    def good_files(self) -> list[SourceFile]:
        return [f for f in self.files if f.ok]

    @property
    def bad_files(self) -> list[SourceFile]:
        return [f for f in self.files if not f.ok]


# ---- reading --------------------------------------------------------------------------------------


def load_file(name: str, text: str) -> SourceFile:
    """Read one backup file's text; a bad file becomes a SourceFile with ``error`` set."""
    try:
        entries = _load_backup(text)
    except EntryFormatError as exc:
        return SourceFile(name=name, error=str(exc))
    return SourceFile(name=name, entries=tuple(entries))


# ---- summarising ----------------------------------------------------------------------------------


def redact(message: str) -> str:
    """``message`` with quoted fragments (which may be the trainee's words) replaced by “…”."""
    return _QUOTED.sub("“…”", message)


def _entry_today(env: dict[str, Any], today: _dt.date | None) -> _dt.date | None:
    if today is not None:
        return today
    saved = env.get("saved_at")
    try:
        return _dt.date.fromisoformat(str(saved)[:10])
    except ValueError:
        return None


def _rank(env: dict[str, Any]) -> tuple[int, str]:
    rev = env.get("rev")
    return (rev if isinstance(rev, int) and not isinstance(rev, bool) else 0, str(env.get("saved_at") or ""))


def _texts(slug: str, data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The filled-in text fields of an entry as (label, text), for --include-text."""
    out: list[tuple[str, str]] = []
    for f in WORKSHEETS[slug].fields:
        value = data.get(f.name)
        if isinstance(value, str) and value.strip():
            out.append((f.label, value.strip()))
        elif isinstance(value, list):
            parts = []
            for item in value:
                if isinstance(item, dict):
                    parts.append("；".join(str(v).strip() for v in item.values() if str(v).strip()))
                elif str(item).strip():
                    parts.append(str(item).strip())
            if any(parts):
                out.append((f.label, " / ".join(p for p in parts if p)))
    return tuple(out)


def _score_text(scoring: Any) -> str:
    if not isinstance(scoring, dict):
        return ""
    if scoring.get("type") in ("likert", "quiz"):
        return f"{scoring.get('total', scoring.get('score'))}/{scoring.get('max')}"
    if scoring.get("type") == "modes" and isinstance(scoring.get("modes"), dict):
        return " ".join(f"{k}:{v}" for k, v in scoring["modes"].items())
    return ""


def summarize(files: Sequence[SourceFile], include_text: bool = False,
              today: _dt.date | None = None) -> ClassReport:
    """Check every entry again and count. ``today`` (default: each entry's save date)
    anchors relative deadlines such as “本季度末”."""
    best: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    duplicates = 0
    unknown: Counter[str] = Counter()
    for src in files:
        for env in src.entries:
            slug = str(env.get("worksheet", ""))
            if slug not in WORKSHEETS:
                unknown[slug] += 1
                continue
            key = (slug, str(env.get("id", "")))
            if key in best:
                duplicates += 1
                if _rank(env) <= _rank(best[key][1]):
                    continue
            best[key] = (src.name, env)

    worksheets = {slug: WorksheetStats(slug=slug, title=ws.title) for slug, ws in WORKSHEETS.items()}
    criteria: dict[str, CriterionStats] = {}
    issues: dict[tuple[str, str], IssueStats] = {}
    rows: list[EntryRow] = []
    per_file: dict[str, dict[str, float]] = {f.name: {} for f in files if f.ok}
    files_per_ws: dict[str, set[str]] = {slug: set() for slug in WORKSHEETS}

    latest_scores: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for (slug, _id), (fname, env) in sorted(best.items(), key=lambda kv: (kv[1][0], kv[0])):
        data = env.get("data") if isinstance(env.get("data"), dict) else {}
        result = api.evaluate(slug, data, _entry_today(env, today))
        scoring = result.get("scoring")
        if isinstance(scoring, dict):
            saved = str(env.get("saved_at") or "")
            held = latest_scores.get((fname, slug))
            if held is None or saved >= held[0]:
                latest_scores[(fname, slug)] = (saved, scoring)
        completion = float(result.get("completion") or 0.0)
        stats = worksheets[slug]
        stats.entries += 1
        stats.completion_sum += completion
        stats.complete += completion >= 0.999
        all_issues = result.get("issues") or []
        stats.without_errors += not any(i.get("severity") == "error" for i in all_issues)
        files_per_ws[slug].add(fname)
        per_file[fname][slug] = max(per_file[fname].get(slug, 0.0), completion)

        verdicts: dict[str, bool | None] = {}
        if slug == "smart":
            for key, c in (result.get("criteria") or {}).items():
                cs = criteria.setdefault(key, CriterionStats(key=key, label=str(c.get("label") or key)))
                met = c.get("met")
                if met is True:
                    cs.met += 1
                elif met is False:
                    cs.not_met += 1
                else:
                    cs.unknown += 1
                verdicts[key] = met if isinstance(met, bool) else None

        codes: list[str] = []
        for issue in all_issues:
            code = str(issue.get("code") or "?")
            if code in codes:
                continue
            codes.append(code)
            top_field = str(issue.get("field") or "").split(".")[0]
            st = issues.setdefault((slug, code), IssueStats(
                code=code, worksheet=slug, field=top_field, severity=str(issue.get("severity") or "warning")))
            st.entries += 1
            st.files.add(fname)
            message = str(issue.get("message") or "")
            st.descriptions[message if include_text else redact(message)] += 1

        rows.append(EntryRow(
            file=fname,
            worksheet=slug,
            saved_at=str(env.get("saved_at") or ""),
            completion=completion,
            ok=bool(result.get("ok")),
            criteria=verdicts,
            issue_codes=tuple(codes),
            name=str(env.get("name") or "") if include_text else "",
            texts=_texts(slug, data) if include_text else (),
            messages=tuple(str(i.get("message") or "") for i in all_issues) if include_text else (),
            score=_score_text(scoring),
        ))

    for slug, names in files_per_ws.items():
        worksheets[slug].files = len(names)
    ordered_criteria = {k: criteria[k] for k in SMART_ORDER if k in criteria}
    ordered_criteria.update({k: v for k, v in criteria.items() if k not in ordered_criteria})
    ranked = sorted(issues.values(), key=lambda s: (-s.entries, -len(s.files), s.worksheet, s.code))
    return ClassReport(
        files=list(files),
        include_text=include_text,
        worksheets=worksheets,
        criteria=ordered_criteria,
        issues=ranked,
        rows=rows,
        per_file=per_file,
        duplicates=duplicates,
        unknown_worksheet=unknown,
        scores=summarize_scores({k: v for k, (_, v) in latest_scores.items()}, include_text=include_text),
    )


# ---- rendering ------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _field_label(slug: str, name: str) -> str:
    for f in WORKSHEETS[slug].fields:
        if f.name == name:
            return f.label
    return name or "—"


def render_markdown(rep: ClassReport, generated: str = "") -> str:
    """The class summary as Markdown (Chinese)."""
    good, bad = rep.good_files, rep.bad_files
    n_entries = len(rep.rows)
    out: list[str] = ["# 班级工作表汇总", ""]
    if generated:
        out += [f"生成时间：{generated}", ""]
    out += [
        f"- 读取文件 {len(rep.files)} 个：可以读取 {len(good)} 个，无法读取 {len(bad)} 个",
        f"- 检查条目 {n_entries} 个（重复出现的条目只算一次，去掉 {rep.duplicates} 个）",
    ]
    if rep.unknown_worksheet:
        skipped = "、".join(f"{slug or '（空）'} {n} 个" for slug, n in sorted(rep.unknown_worksheet.items()))
        out.append(f"- 跳过本站没有的工作表的条目：{skipped}")
    out.append("- 学员填写的文字：" + ("已包含（--include-text）" if rep.include_text
                                 else "未包含；问题说明里引用的原话以“…”代替"))
    out += ["", "## 各工作表完成情况", "",
            "| 工作表 | 条目 | 学员（文件） | 平均完成度 | 全部填完 | 检查无错误 |", "|---|---:|---:|---:|---:|---:|"]
    for st in rep.worksheets.values():
        out.append(f"| {st.title} | {st.entries} | {st.files} | {_pct(st.mean_completion)} | {st.complete} | {st.without_errors} |")

    if rep.per_file:
        slugs = list(rep.worksheets)
        out += ["", "## 每位学员（按文件）的完成度", "", "取该学员每张工作表里完成度最高的条目。", "",
                "| 文件 | " + " | ".join(rep.worksheets[s].title for s in slugs) + " |",
                "|---|" + "---:|" * len(slugs)]
        for fname, done in rep.per_file.items():
            out.append(f"| {md_escape(fname)} | " + " | ".join(_pct(done.get(s)) for s in slugs) + " |")

    out += ["", "## SMART 目标：各项达标率", ""]
    if rep.criteria:
        out += ["达标率 = 达标的条目 ÷ SMART 条目总数（“待确认”算作未达标）。", "",
                "| 标准 | 达标 | 未达标 | 待确认 | 达标率 |", "|---|---:|---:|---:|---:|"]
        for cs in rep.criteria.values():
            out.append(f"| {cs.label} | {cs.met} | {cs.not_met} | {cs.unknown} | {_pct(cs.rate)} |")
    else:
        out.append("没有 SMART 条目。")

    out += ["", f"## 最常见的问题（前 {TOP_ISSUES} 项）", ""]
    if rep.issues:
        out += ["| # | 工作表 | 栏目 | 问题代码 | 条目数 | 学员数 | 说明（示例） |", "|---:|---|---|---|---:|---:|---|"]
        for i, st in enumerate(rep.issues[:TOP_ISSUES], 1):
            out.append(
                f"| {i} | {rep.worksheets[st.worksheet].title} | {md_escape(_field_label(st.worksheet, st.field))} | "
                f"`{st.code}` | {st.entries} | {len(st.files)} | {md_escape(st.description)} |")
    else:
        out.append("没有发现问题。")

    if rep.scores:
        out += _scores.render_markdown(rep.scores, md_escape)

    if bad:
        out += ["", "## 无法读取的文件", ""]
        out += [f"- {md_escape(f.name)}：{md_escape(f.error)}" for f in bad]

    if rep.include_text and rep.rows:
        out += ["", "## 条目原文", ""]
        for row in rep.rows:
            title = rep.worksheets[row.worksheet].title
            out += [f"### {md_escape(row.file)} · {title} · {md_escape(row.name) or '（未命名）'}", ""]
            out += [f"- **{md_escape(label)}**：{md_escape(text)}" for label, text in row.texts] or ["- （空）"]
            if row.messages:
                out += ["", "检查提示："] + [f"- {md_escape(m)}" for m in row.messages]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Excel holds at most 32,767 characters in a cell; a longer text is cut here, saying so.
CSV_CELL_CHARS = 32_000


def _safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (text starting with = + - @, a tab or a
    line break gets a leading apostrophe), that can be written as UTF-8 (a lone surrogate
    becomes U+FFFD) and that fits in a spreadsheet cell."""
    if not isinstance(value, str):
        return value
    value = _SURROGATE.sub("\ufffd", value)
    if len(value) > CSV_CELL_CHARS:
        value = value[:CSV_CELL_CHARS] + f"…（已截断，原文共 {len(value)} 字）"
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else value


def _csv(rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return buf.getvalue()


def render_summary_csv(rep: ClassReport) -> str:
    """All counts in one long table: section, worksheet, key, label, count, total, rate."""
    rows: list[Sequence[Any]] = [("section", "worksheet", "key", "label", "count", "total", "rate")]
    for st in rep.worksheets.values():
        mean = st.mean_completion
        rows.append(("completion", st.slug, "mean_completion", st.title, st.entries, st.files,
                     "" if mean is None else f"{mean:.3f}"))
        rows.append(("completion", st.slug, "complete", st.title, st.complete, st.entries,
                     f"{st.complete / st.entries:.3f}" if st.entries else ""))
        rows.append(("completion", st.slug, "without_errors", st.title, st.without_errors, st.entries,
                     f"{st.without_errors / st.entries:.3f}" if st.entries else ""))
    for cs in rep.criteria.values():
        rows.append(("smart_criterion", "smart", cs.key, cs.label, cs.met, cs.total,
                     "" if cs.rate is None else f"{cs.rate:.3f}"))
        rows.append(("smart_criterion_not_met", "smart", cs.key, cs.label, cs.not_met, cs.total, ""))
        rows.append(("smart_criterion_unknown", "smart", cs.key, cs.label, cs.unknown, cs.total, ""))
    n_rows = len(rep.rows)
    for st in rep.issues:
        rows.append(("issue", st.worksheet, st.code, st.description, st.entries, n_rows,
                     f"{st.entries / n_rows:.3f}" if n_rows else ""))
    if rep.scores:
        rows += _scores.csv_rows(rep.scores)
    for f in rep.bad_files:
        rows.append(("bad_file", "", f.name, f.error, "", "", ""))
    return _csv(rows)


def render_entries_csv(rep: ClassReport) -> str:
    """One row per checked entry; name and texts only with include_text."""
    head = ["file", "worksheet", "saved_at", "completion", "ok", *SMART_ORDER, "issue_codes", "score"]
    if rep.include_text:
        head += ["name", "text"]
    rows: list[Sequence[Any]] = [head]

    def verdict(v: bool | None, present: bool) -> str:
        if not present:
            return ""
        return "met" if v is True else "not_met" if v is False else "unknown"

    for r in rep.rows:
        row: list[Any] = [r.file, r.worksheet, r.saved_at, f"{r.completion:.2f}", "yes" if r.ok else "no"]
        row += [verdict(r.criteria.get(k), k in r.criteria) for k in SMART_ORDER]
        row.append(" ".join(r.issue_codes))
        row.append(r.score)
        if rep.include_text:
            row += [r.name, " | ".join(f"{label}：{text}" for label, text in r.texts)]
        rows.append(row)
    return _csv(rows)
