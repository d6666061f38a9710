"""Every export the engine and the trainer's tools write takes user text safely.

One shared list of hostile payloads (tests/fixtures/hostile.json: HTML, Markdown link,
image and autolink syntax, spreadsheet formulas, iCalendar line injection, odd Unicode,
very long lines) is typed into every field of every worksheet, into entry names and into
backup file names, and then:

- every worksheet's report (``report_md``, the downloaded document ``document_md``) and
  the trainer's ``class-summary.md`` are rendered by our renderer and by Python-Markdown
  with the link-making extensions; no tag or attribute outside the reports' own small
  set may appear (no ``<a>``, ``<img>``, ``<script>``, no ``on…=``), and a model of the
  "linkify" step of GFM and markdown-it finds no address in the text between escapes;
- the CSV files hold no cell a spreadsheet would run as a formula;
- the interview's .ics is valid by RFC 5545's rules and holds only the events it should.

The browser side (print view, the downloaded Markdown) is tests/browser/test_xss.py.
"""

from __future__ import annotations

import csv
import functools
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest

from tests import ics_rules
from worksheet_engine import api
from worksheet_engine.markdown import answers_md, md_escape, md_lines, md_table, to_html
from worksheet_engine.model import Field, Worksheet
from worksheet_engine.tools import class_report, cli
from worksheet_engine.worksheets import WORKSHEETS

REPO = Path(__file__).resolve().parents[2]
HOSTILE_FILE = REPO / "tests" / "fixtures" / "hostile.json"
HOSTILE: list[tuple[str, str]] = [(p["id"], p["text"] * p.get("repeat", 1))
                                  for p in json.loads(HOSTILE_FILE.read_text("utf-8"))["payloads"]]
IDS = [i for i, _ in HOSTILE]
TEXTS = [t for _, t in HOSTILE]
TODAY = "2026-11-24"

# What our reports are written with (headings, paragraphs, lists, tables, bold, code for
# issue codes); Python-Markdown adds text-align styles to table cells and ids to headings.
ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
                "ul", "ol", "li", "br", "strong", "code", "hr"}
ALLOWED_ATTRS = {("style", "text-align: right;"), ("style", "text-align: left;"), ("style", "text-align: center;")}
# Python-Markdown configured like a permissive viewer: GFM-style autolinks, e-mails,
# strikethrough, attribute lists, footnotes, raw HTML inside Markdown.
VIEWER_EXTENSIONS = ["tables", "attr_list", "footnotes", "def_list", "abbr", "md_in_html",
                     "pymdownx.magiclink", "pymdownx.tilde", "pymdownx.mark", "pymdownx.caret"]
# An address a linkifier would find in one text run (GFM autolinks; linkify-it, as in
# markdown-it and VS Code: schemes, "//", e-mails, and fuzzy domains ending in a
# top-level domain of its list: any two letters or a generic name).
_TLDS = "com|net|org|edu|gov|biz|info|pro|web|xxx|aero|asia|coop|museum|name|shop|рф"
_LINKISH = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*:|//[^\W_]|www\.|[\w.+-]@[^\W_]|[^\W_]\.(?:[a-z]{2}|" + _TLDS
                      + r")(?![^\W_])")
# Backslash escapes and entities end a text run in CommonMark, GFM and markdown-it.
_RUN_BREAK = re.compile(r"\\[!-/:-@\[-`{-~]|&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


_VIEWER = python_markdown.Markdown(extensions=VIEWER_EXTENSIONS)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if tag.startswith("h") and name == "id":
                continue
            if (name, value) not in ALLOWED_ATTRS:
                self.bad.append(f"<{tag} {name}={value!r}>")

    def handle_comment(self, data: str) -> None:
        self.bad.append("<!-- -->")

    def handle_pi(self, data: str) -> None:
        self.bad.append("<?pi>")


def markup_problems(md: str, *, ours: str = "", long_blocks: bool = True) -> list[str]:
    """Everything in ``md`` that some viewer would turn into markup or a link.
    ``ours``: the same document written for harmless input, whose addresses are ours.
    ``long_blocks=False`` leaves blocks over 8,000 characters to our renderer and the
    linkify model (Python-Markdown takes seconds on them; the escaper's own test renders
    the long payloads with it)."""
    bad = [f"to_html: {b}" for b in _tags(to_html(md))]
    # Python-Markdown is slow on long documents: one block at a time (blocks are
    # independent here: link reference definitions would need an unescaped "["), and the
    # blocks that hold no user text are the same in every report: rendered once.
    for block in re.split(r"\n\s*\n", md):
        if long_blocks or len(block) <= 8000:
            bad += [f"python-markdown: {b}" for b in _viewer_problems(block)]
    allowed = set(_linkish_runs(ours))
    bad += [f"linkify: {m!r}" for m in _linkish_runs(md) if m not in allowed]
    return bad


def _tags(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.bad


@functools.lru_cache(maxsize=None)
def _viewer_problems(block: str) -> tuple[str, ...]:
    return tuple(_tags(_VIEWER.reset().convert(block)))


def _linkish_runs(md: str) -> list[str]:
    found = []
    for line in md.splitlines():
        if line.startswith("|") and set(line) <= set("|-: "):
            continue
        for run in _RUN_BREAK.split(line):
            found += [m.group() for m in _LINKISH.finditer(run)]
    return found


# ---- the one escaper ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_md_escape_leaves_nothing_a_viewer_would_render(text: str) -> None:
    escaped = md_escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    for md in (escaped, "- " + escaped, "### 标题 · " + escaped, "**栏目**：" + escaped,
               md_table(["说明", "内容"], [[text, text]]), "**栏目**：" + md_lines(text)):
        assert markup_problems(md) == [], md[:300]


@pytest.mark.parametrize("text", ["<b>x</b> & 85% → 92%", "C:\\路径\\文件", "满意度 |差| *星* ~删~ {x}",
                                  "12. 不是编号", "www.example.com 和 boss@example.com", "javascript:alert(1)",
                                  "2026.12.1 的 92.5%，09:00 开会", "零\u200b宽 \u202e反向\u202c"])
def test_our_renderer_shows_the_text_the_reader_typed(text: str) -> None:
    import html

    shown = html.unescape(re.sub(r"<[^>]+>", "", to_html(md_escape(text))))
    assert shown == text


def test_md_escape_keeps_numbers_dates_and_times_readable() -> None:
    assert md_escape("2026.12.1 前把 FCR 从 72.5% 提到 78%，09:30 复盘") == "2026.12.1 前把 FCR 从 72.5% 提到 78%，09:30 复盘"


def test_md_escape_drops_control_characters_and_replaces_lone_surrogates() -> None:
    assert md_escape("a\x00b\x07c\x1bd") == "abcd"
    assert md_escape("孤\ud800立").encode("utf-8") == "孤\ufffd立".encode("utf-8")


def test_md_lines_keeps_line_breaks_and_escapes_each_line() -> None:
    assert md_lines("第一行\n\n# 第二行\r\n- 三\u2028四") == "第一行  \n\\# 第二行  \n\\- 三  \n四"


# ---- every worksheet's report and downloaded document -------------------------------------------


def _hostile_value(f: Field, text: str, example: Any) -> Any:
    """``text`` in every field the reader types into; options and bounded values keep the
    example's (so the parts of the report that need them are drawn), except that a third
    of the payloads go into every field, to reach the model's messages."""
    if f.kind in ("text", "textarea"):
        return text
    return example


def _entry(ws: Worksheet, text: str, everywhere: bool) -> dict[str, Any]:
    example = dict(ws.example)
    data: dict[str, Any] = {}
    for f in ws.fields:
        if f.kind == "list":
            rows = [r for r in example.get(f.name) or [] if isinstance(r, dict)] or [{}]
            data[f.name] = [{sub.name: text if everywhere else _hostile_value(sub, text, row.get(sub.name, ""))
                             for sub in f.item_fields} for row in rows[:3]]
        elif everywhere:
            data[f.name] = [text] if f.kind == "multichoice" else text
        else:
            data[f.name] = _hostile_value(f, text, example.get(f.name))
    return data


def _clean_entry(ws: Worksheet) -> dict[str, Any]:
    return _entry(ws, "普通的文字", False)


@pytest.mark.parametrize("slug", sorted(WORKSHEETS))
def test_every_report_keeps_hostile_text_inert(slug: str) -> None:
    ws = WORKSHEETS[slug]
    ours = api.evaluate(slug, _clean_entry(ws), TODAY)["report_md"]
    for n, text in enumerate(TEXTS):
        data = _entry(ws, text, everywhere=n % 3 == 0)
        # Entry names are at most 120 characters (the browser's limit).
        result = json.loads(api.evaluate_json(slug, json.dumps(data), TODAY, None,
                                              json.dumps({"name": text[:120], "saved": text[:40]})))
        where = f"{slug} / {IDS[n]}"
        assert markup_problems(result["report_md"], ours=ours, long_blocks=False) == [], where
        for extra in result.get("reports") or []:
            assert [b for b in _tags(extra["html"]) if "<a" in b or "<img" in b or "script" in b or " on" in b] == [], where
        document = result["document_md"]
        assert document.startswith("# ") and document.count("\n# ") == 0, where
        report = result["report_md"].strip()
        head = document[: document.index(report)] if report else document  # the report is checked above
        assert markup_problems(head, ours=ours, long_blocks=False) == [], where
        document.encode("utf-8")  # writable as a file


@pytest.mark.parametrize("slug", sorted(WORKSHEETS))
def test_the_downloaded_document_holds_the_answers_when_there_is_no_report(slug: str) -> None:
    ws = WORKSHEETS[slug]
    text = "[点我](javascript:alert(1)) <img src=x onerror=alert(1)>"
    data = {f.name: text for f in ws.fields if f.kind in ("text", "textarea")}
    doc = api.entry_markdown(slug, data, name=text, saved="2026-11-24 09:30")
    assert doc.startswith("# \\[点我\\](javascript\\:alert(1)) &lt;img src=x onerror=alert(1)&gt;\n\n")
    assert markup_problems(doc) == []
    assert ws.title in doc and "2026-11-24 09:30" in doc


def test_answers_are_listed_by_label_with_option_labels_and_rows() -> None:
    data = {"agent_name": "小孙\n第二行", "kpis": [{"metric": "FCR", "target": "75", "direction": ""}, {}, "x"],
            "evidence": [{"kind": "BIA"}], "follow_ups": [{"date": "2026年12月22日", "purpose": "看 **FCR**"}]}
    md = answers_md(WORKSHEETS["interview"], data)
    assert md.startswith("## 面谈信息\n\n**员工**：小孙  \n第二行\n")
    assert "**本期指标**\n\n1. 指标：FCR；目标：75\n" in md  # empty rows and non-rows left out
    assert "1. 类型：BIA 正向反馈" in md  # an option by its label
    assert "1. 日期：2026年12月22日；要看什么：看 \\*\\*FCR\\*\\*" in md  # as typed, escaped


# ---- the trainer's class summary -----------------------------------------------------------------


def _backup(entries: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "worksheet-backup", "schema_version": 1, "site": "<script>站</script>",
                       "exported_at": "2026-11-03T08:00:00.000Z", "entries": entries})  # \ud800 stays escaped


def _envelope(slug: str, n: int, text: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"format": "worksheet-entry", "schema_version": 1, "worksheet": slug,
            "worksheet_version": WORKSHEETS[slug].version, "id": f"{slug}-{n}", "name": text[:120],
            "created_at": "2026-11-01T08:00:00.000Z", "saved_at": "2026-11-02T08:00:00.000Z", "rev": 1,
            "completion": 0, "data": data}


def _class_files() -> list[class_report.SourceFile]:
    # Every payload in a SMART entry and one other worksheet's (in turn), in its name and
    # in the file's name.
    files = []
    slugs = sorted(WORKSHEETS)
    for n, text in enumerate(TEXTS):
        entries = [_envelope(slug, n, text, _entry(WORKSHEETS[slug], text, everywhere=n % 2 == 0))
                   for slug in {"smart", slugs[n % len(slugs)]}]
        files.append(class_report.load_file(f"{text[:60]}.json", _backup(entries)))
    files.append(class_report.load_file("<img src=x onerror=alert(1)>坏文件.json", "{not json"))
    return files


@pytest.fixture(scope="module")
def class_files() -> list[class_report.SourceFile]:
    return _class_files()


@pytest.mark.parametrize("include_text", [False, True])
def test_class_summary_markdown_keeps_hostile_text_inert(class_files: list[class_report.SourceFile],
                                                         include_text: bool) -> None:
    rep = class_report.summarize(class_files, include_text=include_text, today=dt.date(2026, 11, 24))
    md = class_report.render_markdown(rep, generated="2026-11-24 09:30")
    clean = class_report.render_markdown(class_report.summarize([class_report.load_file("学员.json", _backup(
        [_envelope(slug, 0, "普通", _clean_entry(ws)) for slug, ws in WORKSHEETS.items()]))], include_text=include_text))
    assert markup_problems(md, ours=clean, long_blocks=False) == []
    md.encode("utf-8")
    if include_text:  # the text is there, as text
        assert "javascript\\:alert(1)" in md and "&lt;script&gt;" in md


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def test_class_csv_files_hold_no_formula(class_files: list[class_report.SourceFile]) -> None:
    csv.field_size_limit(1 << 24)
    rep = class_report.summarize(class_files, include_text=True, today=dt.date(2026, 11, 24))
    for name, text in (("summary", class_report.render_summary_csv(rep)), ("entries", class_report.render_entries_csv(rep))):
        text.encode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        width = len(rows[0])
        for row in rows:
            assert len(row) == width, (name, row[:3])  # no cell broke out of its column or row
            for cell in row:
                assert not cell.startswith(_FORMULA_START), (name, cell[:40])
    files = [row[0] for row in csv.reader(io.StringIO(class_report.render_entries_csv(rep), newline=""))][1:]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\").json" in files  # kept, as text


def test_cli_report_writes_every_file_for_hostile_backups(tmp_path: Path) -> None:
    inputs = []
    for n, text in enumerate(TEXTS):
        path = tmp_path / f"in-{n}.json"
        path.write_text(_backup([_envelope("smart", n, text, {"goal_text": text, "owner": text})]), encoding="utf-8")
        inputs.append(str(path))
    assert any("\\ud800" in Path(p).read_text("utf-8") for p in inputs)  # a lone surrogate, as JSON allows
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["report", *inputs, "--include-text", "--out", str(tmp_path / "rep")],
                    stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    md = (tmp_path / "rep" / "class-summary.md").read_text(encoding="utf-8")
    assert markup_problems(md, ours=md.split("## 条目原文")[0], long_blocks=False) == []
    for name in ("class-summary.csv", "entries.csv"):
        for row in csv.reader(io.StringIO((tmp_path / "rep" / name).read_text(encoding="utf-8-sig"), newline="")):
            assert not any(cell.startswith(_FORMULA_START) for cell in row)


# ---- the interview's calendar file ----------------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_interview_calendar_stays_valid_with_hostile_text(text: str) -> None:
    data = dict(WORKSHEETS["interview"].example)
    data.update(agent_name=text, period=text)
    data["follow_ups"] = [{**row, "purpose": text} for row in data["follow_ups"]]
    data["actions"] = [{**row, "action": text, "owner": text} for row in data["actions"]]
    clean = api.evaluate("interview", WORKSHEETS["interview"].example, TODAY)
    result = api.evaluate("interview", data, TODAY)
    ics = result["ics"]
    cal = ics_rules.parse(ics)  # valid by the RFC's rules: lines, folding, escaping, structure
    assert len(cal.find("VEVENT")) == len(ics_rules.parse(clean["ics"]).find("VEVENT"))
    assert all(not line.startswith(("ATTENDEE", "ORGANIZER", "URL", "ATTACH")) for line in ics_rules.unfold(ics))
    assert ics.encode("utf-8")
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', result["ics_filename"]), result["ics_filename"]


# ---- the browser's stand-in when the engine cannot answer -------------------------------------------

_STAND_IN = """
import { entryMarkdown } from "./docs/javascripts/worksheet/transfer.js";
import { readFileSync } from "node:fs";
const { defs, entries } = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(entries.map(([slug, env]) => entryMarkdown(defs[slug], env, env.name.slice(0, 40)))));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (it is in CI)")
def test_the_browsers_stand_in_markdown_keeps_hostile_text_inert() -> None:
    """transfer.entryMarkdown (the download while the engine cannot answer) is a plain
    transport: the same payloads, in every field and in the name, render to no markup."""
    defs = api.worksheet_info()
    entries = [(slug, {"name": text[:120], "data": _entry(ws, text, everywhere=n % 2 == 0)})
               for slug, ws in WORKSHEETS.items() for n, text in enumerate(TEXTS) if (n + len(slug)) % 3 == 0]
    proc = subprocess.run([shutil.which("node"), "--input-type=module", "-e", _STAND_IN], cwd=REPO,
                          input=json.dumps({"defs": defs, "entries": entries}), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for (slug, env), md in zip(entries, json.loads(proc.stdout), strict=True):
        assert md.startswith("# ") and md.count("\n# ") == 0, slug
        assert markup_problems(md, long_blocks=False) == [], (slug, env["name"][:40])
