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
    !\\[x\\](http\\://evil.example/a.png) &lt;script&gt;
    >>> to_html(md_escape("**粗** [链接](javascript:alert(1))"))
    '<p>**粗** [链接](javascript:alert(1))</p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

_BOLD = re.compile(r"\*\*(.+?)\*\*")
#: Characters that mean something to Markdown anywhere in a line (emphasis, code, links
#: and images, raw HTML and autolinks, GFM tables and strikethrough); each is written
#: with a backslash, which every viewer shows as the character itself.
#: ``<`` and ``>`` become entities instead (some renderers, Python-Markdown among them,
#: pass ``\\<tag>`` through as HTML).
MD_SPECIAL = "\\`*_[]|"
_SPECIAL_RE = re.compile("([" + re.escape(MD_SPECIAL) + "])")
# What only means something at the start of a line: headings, lists, quotes.
_LINE_START_RE = re.compile(r"^(#|[-+=]|\d+(?=[.)]))")
# Bare addresses that GFM viewers turn into links by themselves: break the pattern.
_AUTOLINK_RE = re.compile(r"(?i)\b(https?|ftp|file|javascript|data|vbscript|mailto)(\\?):|\b(www)\\?\.")
_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}
_ENTITY_RE = re.compile("(" + "|".join(_ENTITY) + ")")


def md_escape(text: object) -> str:
    """Make user text inert inside one Markdown table cell, list item or paragraph: one
    line; no HTML, links, images, emphasis or table breaks in any Markdown viewer."""
    s = str(text if text is not None else "")
    s = re.sub(r"\s+", " ", s).strip()
    s = _SPECIAL_RE.sub(r"\\\1", s.replace("&", "&amp;")).replace("<", "&lt;").replace(">", "&gt;")
    s = _LINE_START_RE.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1),
                           s, count=1)
    return _AUTOLINK_RE.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(3)}\\.", s)


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
