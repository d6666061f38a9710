"""iCalendar (RFC 5545) export of follow-ups and interviews, for Outlook, 钉钉 and 飞书.

What the RFC asks and where it is done here:

- §3.1 content lines end in CRLF and are *folded* at 75 octets: a CRLF plus one space
  is inserted, never inside a UTF-8 character (:func:`fold_line`); :func:`unfold`
  reverses it.
- §3.3.11 TEXT values escape backslash, semicolon and comma with a backslash and write a
  line break as ``\\n``; control characters other than HTAB are not allowed and are
  dropped (:func:`escape_text`). A CR or LF in user text therefore can never start a
  new content line: ``"X\\r\\nBEGIN:VEVENT"`` stays inside its property's value.
- §3.6.1 each VEVENT has UID and DTSTAMP; DTSTART is a DATE (``;VALUE=DATE``, an all-day
  event with DTEND the next day) or a floating local DATE-TIME with DTEND after it.
- §3.6.6 a VALARM with ACTION:DISPLAY needs TRIGGER and DESCRIPTION; ``-P1D`` rings the
  day before.
- §3.8.7.2 DTSTAMP is in UTC. The engine reads no clock: the stamp is passed in (a date,
  read as 00:00 UTC, or an aware date-time, converted to UTC).

UIDs are stable: a digest of the caller's seed (what identifies the entry) and the
event's key, so exporting the same follow-up twice updates one calendar item instead of
adding a second.

Example::

    >>> import datetime as dt
    >>> text = build_calendar([CalendarEvent("f1", "跟进：小孙", dt.date(2026, 12, 22))],
    ...                       stamp=dt.date(2026, 11, 28), uid_seed="小孙|2026-11")
    >>> text.startswith("BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\n"), text.endswith("END:VCALENDAR\\r\\n")
    (True, True)
    >>> [l for l in unfold(text) if l.startswith("DTSTART")]
    ['DTSTART;VALUE=DATE:20261222']
    >>> escape_text("a;b,c\\\\d\\ne")
    'a\\\\;b\\\\,c\\\\\\\\d\\\\ne'
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CalendarEvent", "build_calendar", "escape_text", "fold_line", "unfold", "uid_for", "format_stamp",
           "parse_stamp", "PRODID"]

PRODID = "-//kefu-course//绩效面谈工作表//ZH"
CRLF = "\r\n"
MAX_OCTETS = 75
_UID_DOMAIN = "interview.kefu-course.invalid"
_UID_OK = re.compile(r"^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,64}$")

_NEWLINES = re.compile(r"\r\n|[\r\n\u0085\u2028\u2029\x0b\x0c]")
# CONTROL = %x00-08 / %x0A-1F / %x7F (§3.1); HTAB stays. Lone surrogates cannot be UTF-8.
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")


def escape_text(value: object) -> str:
    """A TEXT property value (§3.3.11): ``\\`` ``;`` ``,`` escaped, line breaks as ``\\n``,
    other control characters removed."""
    s = str(value if value is not None else "")
    s = _NEWLINES.sub("\n", s)
    s = s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    s = s.replace("\n", "\\n")
    return _CONTROLS.sub("", s)


def fold_line(line: str) -> str:
    """Fold one content line (no CRLF inside) at 75 octets; continuation lines start with
    one space, which counts toward their 75 octets. A UTF-8 character is never split."""
    if "\r" in line or "\n" in line:
        raise ValueError("a content line cannot contain CR or LF")
    parts: list[str] = []
    current: list[str] = []
    used = 0
    limit = MAX_OCTETS
    for ch in line:
        size = len(ch.encode("utf-8"))
        if used + size > limit:
            parts.append("".join(current))
            current, used, limit = [" "], 1, MAX_OCTETS
        current.append(ch)
        used += size
    parts.append("".join(current))
    return CRLF.join(parts)


def unfold(text: str) -> list[str]:
    """The logical content lines of an iCalendar text (§3.1: CRLF + one SPACE/HTAB removed)."""
    joined = re.sub(r"\r\n[ \t]", "", text)
    lines = joined.split(CRLF)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def uid_for(seed: str, key: str) -> str:
    """A UID that stays the same for the same seed and event key (no randomness, no clock)."""
    digest = hashlib.sha256(f"{seed}\x1f{key}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{digest}@{_UID_DOMAIN}"


def parse_stamp(value: object) -> _dt.date | _dt.datetime | None:
    """A stamp given by the caller: a date, a date-time, or ISO text (``2026-11-28``,
    ``2026-11-28T09:30:00+08:00``); ``None`` when unreadable."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value
    text = str(value or "").strip()[:40]
    if not text:
        return None
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def format_stamp(stamp: _dt.date | _dt.datetime) -> str:
    """DTSTAMP text in UTC (§3.3.5 form 2). A date is 00:00 UTC that day; an aware
    date-time is converted to UTC; a naive one is taken as UTC already."""
    if isinstance(stamp, _dt.datetime):
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return stamp.strftime("%Y%m%dT%H%M%SZ")
    return stamp.strftime("%Y%m%dT000000Z")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One calendar item. ``start`` is a date (all day) or a naive date-time (floating
    local time: the reader's calendar shows it at that clock time)."""

    key: str
    summary: str
    start: _dt.date | _dt.datetime
    description: str = ""
    minutes: int = 30  # length of a timed event
    alarm: str = ""  # the reminder's text (default: the summary)
    uid: str = ""  # a UID made elsewhere (uid_for), so one item keeps it across exports


def _event_lines(event: CalendarEvent, stamp: str, seed: str) -> list[str]:
    uid = event.uid if _UID_OK.match(event.uid) else uid_for(seed, event.key)
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}"]
    if isinstance(event.start, _dt.datetime):
        start = event.start.replace(tzinfo=None, microsecond=0)
        end = start + _dt.timedelta(minutes=max(5, min(int(event.minutes or 30), 24 * 60)))
        lines += [f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}", f"DTEND:{end.strftime('%Y%m%dT%H%M%S')}"]
    else:
        end_day = event.start + _dt.timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{end_day.strftime('%Y%m%d')}"]
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += [
        "TRANSP:TRANSPARENT" if not isinstance(event.start, _dt.datetime) else "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-P1D",
        f"DESCRIPTION:{escape_text(event.alarm or event.summary)}",
        "END:VALARM",
        "END:VEVENT",
    ]
    return lines


def build_calendar(events: Iterable[CalendarEvent], *, stamp: _dt.date | _dt.datetime, uid_seed: str,
                   name: str = "") -> str:
    """The whole ``.ics`` text: one VCALENDAR (METHOD:PUBLISH) holding every event."""
    stamp_text = format_stamp(stamp)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(PRODID)}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines += _event_lines(event, stamp_text, uid_seed)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
