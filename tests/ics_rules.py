"""An independent iCalendar checker written from RFC 5545's rules (not from our exporter).

- §3.1: content lines are delimited by CRLF; a physical line SHOULD NOT exceed 75 octets
  (excluding the CRLF); folding inserts CRLF + one SPACE or HTAB; multi-octet characters
  must stay contiguous (each physical line is valid UTF-8 on its own); unfolding removes
  every CRLF immediately followed by one SPACE/HTAB.
- §3.1 grammar: ``contentline = name *(";" param) ":" value CRLF``; ``name = iana-token /
  x-name``; ``iana-token = 1*(ALPHA / DIGIT / "-")``.
- §3.3.11 TEXT: ``*(TSAFE-CHAR / ":" / DQUOTE / ESCAPED-CHAR)``; ESCAPED-CHAR is ``\\\\``
  ``\\;`` ``\\,`` ``\\N`` ``\\n``; TSAFE-CHAR excludes CONTROLs (except HTAB), ``;`` ``,``
  and ``\\``.
- §3.4/§3.6.1/§3.6.6/§3.7: VCALENDAR needs PRODID and VERSION; VEVENT needs exactly one
  UID, DTSTAMP (UTC date-time) and DTSTART; a DISPLAY VALARM needs ACTION, TRIGGER and
  DESCRIPTION; BEGIN/END nest properly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TEXT_PROPS = {"SUMMARY", "DESCRIPTION", "PRODID", "X-WR-CALNAME", "COMMENT", "LOCATION"}
_NAME = re.compile(r"^(?:[A-Za-z0-9-]+)$")
_PARAM = re.compile(r'^[A-Za-z0-9-]+=(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)'
                    r'(?:,(?:"[^"]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*))*$')
# TEXT per §3.3.11: anything but CONTROL (HTAB allowed), ";", ",", "\" unless escaped.
_TEXT = re.compile(r'^(?:[^\x00-\x08\x0a-\x1f\x7f;,\\]|\\[\\;,Nn])*$')
_UTC = re.compile(r"^\d{8}T\d{6}Z$")


@dataclass
class Component:
    name: str
    props: list[tuple[str, str, str]] = field(default_factory=list)  # (name, params, value)
    children: list["Component"] = field(default_factory=list)

    def values(self, prop: str) -> list[str]:
        return [v for n, _, v in self.props if n == prop]

    def find(self, name: str) -> list["Component"]:
        out = []
        for c in self.children:
            if c.name == name:
                out.append(c)
            out += c.find(name)
        return out


class IcsError(AssertionError):
    pass


def unfold(text: str) -> list[str]:
    """§3.1 unfolding, independent of the exporter's own helper."""
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    if lines[-1] != "":
        raise IcsError("the last content line does not end with CRLF")
    return lines[:-1]


def unescape_text(value: str) -> str:
    if not _TEXT.match(value):
        raise IcsError(f"not a valid TEXT value: {value[:60]!r}")
    return re.sub(r"\\([\\;,Nn])", lambda m: "\n" if m.group(1) in "Nn" else m.group(1), value)


def check_physical(text: str | bytes) -> None:
    """§3.1 on the octets: CRLF only, at most 75 octets a line, no split UTF-8 character."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    if b"\r" in raw.replace(b"\r\n", b"") or b"\n" in raw.replace(b"\r\n", b""):
        raise IcsError("bare CR or LF outside a CRLF")
    for i, line in enumerate(raw.split(b"\r\n")[:-1]):
        if len(line) > 75:
            raise IcsError(f"physical line {i + 1} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IcsError(f"physical line {i + 1} splits a UTF-8 character") from exc
        if i and line[:1] in (b" ", b"\t") and len(line) == 1:
            raise IcsError("a folded line must carry at least one character")


def parse(text: str) -> Component:
    """Validate and parse; raises :class:`IcsError` on any rule broken."""
    check_physical(text)
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(text):
        if ":" not in line:
            raise IcsError(f"no colon in {line[:40]!r}")
        # the name and parameters end at the first colon outside a quoted parameter value
        m = re.match(r'^((?:[^":]|"[^"]*")*):(.*)$', line)
        if not m:
            raise IcsError(f"bad content line {line[:40]!r}")
        head, value = m.group(1), m.group(2)
        name, *params = head.split(";")
        if not _NAME.match(name):
            raise IcsError(f"bad property name {name!r}")
        for p in params:
            if not _PARAM.match(p):
                raise IcsError(f"bad parameter {p!r}")
        name = name.upper()
        if name == "BEGIN":
            comp = Component(value)
            if stack:
                stack[-1].children.append(comp)
            elif root is None:
                root = comp
            else:
                raise IcsError("a second top-level component")
            stack.append(comp)
            continue
        if name == "END":
            if not stack or stack[-1].name != value:
                raise IcsError(f"END:{value} does not close {stack[-1].name if stack else 'nothing'}")
            stack.pop()
            continue
        if not stack:
            raise IcsError("a property outside any component")
        if name in TEXT_PROPS:
            unescape_text(value)
        stack[-1].props.append((name, ";".join(params), value))
    if stack or root is None:
        raise IcsError("unbalanced BEGIN/END")
    _check_structure(root)
    return root


def _one(comp: Component, prop: str) -> str:
    vals = comp.values(prop)
    if len(vals) != 1:
        raise IcsError(f"{comp.name} has {len(vals)} {prop}")
    return vals[0]


def _check_structure(cal: Component) -> None:
    if cal.name != "VCALENDAR":
        raise IcsError("top-level component is not VCALENDAR")
    if _one(cal, "VERSION") != "2.0":
        raise IcsError("VERSION is not 2.0")
    _one(cal, "PRODID")
    for ev in cal.find("VEVENT"):
        _one(ev, "UID")
        if not _UTC.match(_one(ev, "DTSTAMP")):
            raise IcsError("DTSTAMP is not a UTC date-time")
        start = [(p, v) for n, p, v in ev.props if n == "DTSTART"]
        if len(start) != 1:
            raise IcsError("VEVENT without exactly one DTSTART")
        params, value = start[0]
        if params == "VALUE=DATE":
            if not re.fullmatch(r"\d{8}", value):
                raise IcsError("DTSTART;VALUE=DATE is not a date")
        elif not re.fullmatch(r"\d{8}T\d{6}Z?", value):
            raise IcsError("DTSTART is not a date-time")
        for alarm in ev.find("VALARM"):
            if _one(alarm, "ACTION") == "DISPLAY":
                _one(alarm, "DESCRIPTION")
            _one(alarm, "TRIGGER")
