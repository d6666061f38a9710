"""Markdown helpers for worksheet reports, and a small safe Markdown-to-HTML renderer.

Reports are written in a deliberately small Markdown subset (headings, paragraphs,
``-`` lists, pipe tables, ``**bold**``). The renderer escapes *everything* first, so
user text inside a report can never become markup in the page.

:func:`md_escape` is the one escaper for user text in every Markdown the site writes
(reports, the trainer's class summary): in any Markdown viewer the text stays text —
no HTML, no links, no images, no emphasis, no table breaks.

Example::

    >>> to_html("## 标题\\n\\n- <b>x</b>")
    '<h2>标题</h2>\\n<ul><li>&lt;b&gt;x&lt;/b&gt;</li></ul>'
    >>> print(md_escape("![x](http://evil.example/a.png) <script>"))
    !\\[x\\](http\\:\\//evil.example/a.png) &lt;script&gt;
    >>> to_html(md_escape("**粗** [链接](javascript:alert(1))"))
    '<p>**粗** [链接](javascript:alert(1))</p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model does not import this module; only the type is needed
    from .model import Field, Worksheet

_BOLD = re.compile(r"\*\*(.+?)\*\*")
#: Characters that mean something to Markdown anywhere in a line (emphasis, code, links
#: and images, GFM tables and strikethrough, attribute lists, ``^`` superscripts); each is
#: written with a backslash, which every CommonMark viewer shows as the character itself
#: (and so does ``==`` for highlighting, as ``\\==``).
#: ``<`` and ``>`` become entities instead (some renderers, Python-Markdown among them,
#: pass ``\\<tag>`` through as HTML), and so does ``&`` (a typed ``&lt;`` stays as typed).
MD_SPECIAL = "\\`*_[]|~{}^"
_SPECIAL_RE = re.compile("([" + re.escape(MD_SPECIAL) + "])")
# What only means something at the start of a line: headings, lists, quotes.
_LINE_START_RE = re.compile(r"^(#|[-+=]|\d{1,9}(?=[.)](?: |$)))")
# What viewers turn into links by themselves (GFM autolinks, markdown-it's "linkify" as in
# VS Code's preview, Python-Markdown's magiclink): a scheme (``javascript:``, ``http:``,
# ``mailto:`` …: any colon after a Latin letter), an e-mail address or @mention (``@``
# before a letter or digit), ``//`` (an address without a scheme), ``www.`` and a bare
# domain, i.e. a dot before a top-level domain that linkify knows (any two letters, or
# one of its generic names). A backslash
# before the character splits the text there for every viewer's link finder and is not
# shown. ``92.5``, ``2026.12.1``, ``09:30`` and ``学员A.json`` stay as typed.
_TLD = r"(?:[a-z]{2}|com|net|org|edu|gov|biz|info|pro|web|xxx|aero|asia|coop|museum|name|shop|рф)(?![^\W_])"
_LINKISH_RE = re.compile(r"(?<=[A-Za-z]):|@(?=[^\W_])|/(?=/)|(?<=\bwww)\.|(?<=[^\W_])\.(?=" + _TLD + ")|=(?==)",
                         re.IGNORECASE)
# Control characters (whitespace aside) show as nothing or as boxes: dropped. A lone
# surrogate cannot be written as UTF-8: it becomes U+FFFD.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}
_ENTITY_RE = re.compile("(" + "|".join(_ENTITY) + ")")


def md_escape(text: object) -> str:
    """Make user text inert inside one Markdown table cell, list item, heading or
    paragraph: one line; no HTML, links, images, emphasis or table breaks in any Markdown
    viewer (CommonMark, GFM, markdown-it, Python-Markdown with its extensions)."""
    s = str(text if text is not None else "")
    s = _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", s))
    s = re.sub(r"\s+", " ", s).strip()
    s = _SPECIAL_RE.sub(r"\\\1", s.replace("&", "&amp;")).replace("<", "&lt;").replace(">", "&gt;")
    s = _LINE_START_RE.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
                           s, count=1)
    return _LINKISH_RE.sub(lambda m: "\\" + m.group(), s)


def md_lines(text: object) -> str:
    """:func:`md_escape` for a text of several lines: each line escaped on its own, the
    lines kept as hard line breaks of one paragraph (blank lines dropped)."""
    lines = (md_escape(line) for line in re.split(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]", str(text or "")))
    return "  \n".join(line for line in lines if line)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        lines.append("| " + " | ".join(md_escape(c) or "—" for c in row) + " |")
    return "\n".join(lines)


def _inline(text: str) -> str:
    # Backslash escapes become placeholders, everything is HTML-escaped, and then only
    # our own ** markers become markup.
    kept: list[str] = []

    def hold(m: re.Match[str]) -> str:
        kept.append(m.group(1))
        return f"\x00{len(kept) - 1}\x01"

    s = _ESCAPED_RE.sub(hold, text.replace("\x00", "").replace("\x01", ""))
    s = _ENTITY_RE.sub(hold, s)
    s = html.escape(s, quote=True)
    s = _BOLD.sub(r"<strong>\1</strong>", s)
    return re.sub("\x00(\\d+)\x01", lambda m: html.escape(_ENTITY.get(kept[int(m.group(1))], kept[int(m.group(1))]),
                                                        quote=True), s)


def _split_row(line: str) -> list[str]:
    inner = line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]
    cells: list[str] = []
    buf = ""
    i = 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\" and i + 1 < len(inner):
            buf += inner[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(buf.strip())
            buf = ""
        else:
            buf += ch
        i += 1
    cells.append(buf.strip())
    return cells


def to_html(markdown: str) -> str:
    """Render the report Markdown subset to HTML; all text is escaped."""
    out: list[str] = []
    lines = markdown.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if m:
            level = len(m.group(1))
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
            i += 1
            continue
        if stripped.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_split_row(lines[i]))
                i += 1
            body = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) for c in r)]
            if body:
                head, *rest = body
                parts = ["<table><thead><tr>"]
                parts += [f"<th>{_inline(c)}</th>" for c in head]
                parts.append("</tr></thead><tbody>")
                for r in rest:
                    parts.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>")
                parts.append("</tbody></table>")
                out.append("".join(parts))
            continue
        if re.match(r"^[-*]\s+", stripped) or re.match(r"^\d+\.\s+", stripped):
            ordered = bool(re.match(r"^\d+\.\s+", stripped))
            items = []
            pattern = r"^\d+\.\s+" if ordered else r"^[-*]\s+"
            while i < len(lines) and re.match(pattern, lines[i].strip()):
                items.append(re.sub(pattern, "", lines[i].strip()))
                i += 1
            tag = "ol" if ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_inline(t)}</li>" for t in items) + f"</{tag}>")
            continue
        para = []
        while i < len(lines) and lines[i].strip() and not re.match(
            r"^(#{1,4}\s|\||[-*]\s|\d+\.\s)", lines[i].strip()
        ):
            para.append(lines[i].strip())
            i += 1
        if not para:  # a line that only looked like a block start
            para.append(stripped)
            i += 1
        out.append("<p>" + "<br>".join(_inline(p) for p in para) + "</p>")
    return "\n".join(out)


# ---- the downloaded document of one entry ---------------------------------------------------


def _option_label(f: Field, value: object) -> str:
    return next((label for v, label in f.options if v == value), str(value))


def answer_text(f: Field, value: object) -> str:
    """A field's saved value as plain text (no markup), "" when empty: chosen options by
    their labels, rows as ``a；b`` lines. Works on raw saved data (what the reader typed,
    also when the model would refuse it)."""
    if value is None or isinstance(value, bool):
        return ""
    if f.kind == "multichoice":
        return "、".join(_option_label(f, v) for v in value) if isinstance(value, list) else ""
    if f.kind in ("choice", "select"):
        return "" if value == "" or isinstance(value, (dict, list)) else _option_label(f, value)
    if f.kind == "list":
        rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        lines = ["；".join(t for t in (answer_text(sub, row.get(sub.name)).strip() for sub in f.item_fields) if t)
                 for row in rows]
        return "\n".join(line for line in lines if line)
    if isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def answers_md(ws: Worksheet, data: Mapping[str, object]) -> str:
    """An entry's answers as Markdown, section by section, every answer escaped."""
    out: list[str] = []
    for section in ws.sections:
        body: list[str] = []
        for f in section.fields:
            value = data.get(f.name)
            if f.kind == "list":
                rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
                cells = [[f"{md_escape(sub.label)}：{md_escape(t)}" for sub in f.item_fields
                          if (t := answer_text(sub, row.get(sub.name)))] for row in rows]
                cells = [c for c in cells if c]
                if cells:
                    body += [f"**{md_escape(f.label)}**", ""]
                    body += [f"{n}. {'；'.join(c)}" for n, c in enumerate(cells, 1)] + [""]
            elif text := answer_text(f, value):
                body += [f"**{md_escape(f.label)}**：{md_lines(text)}", ""]
        if body:
            out += [f"## {md_escape(section.title)}", "", *body]
    return "\n".join(out).strip()


def entry_document(ws: Worksheet, data: Mapping[str, object], report_md: str, name: object = "",
                   saved: object = "") -> str:
    """The Markdown file a reader downloads for one entry: the entry's name as the title,
    the worksheet and when it was saved, then the engine's report, or the answers when
    the worksheet has no report for this entry. User text is escaped with
    :func:`md_escape`; ``report_md`` is the engine's own (already escaped) Markdown."""
    meta = md_escape(ws.title) + (f" · 保存于 {md_escape(saved)}" if md_escape(saved) else " · 尚未保存")
    body = report_md.strip() or answers_md(ws, data) or "（还没有填写内容）"
    return f"# {md_escape(name) or md_escape(ws.title)}\n\n{meta}\n\n{body}\n"
