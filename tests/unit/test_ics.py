"""The .ics exporter against RFC 5545's rules (tests/ics_rules.py, written from the RFC)."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import ics_rules
from worksheet_engine.checks import ics

STAMP = dt.date(2026, 11, 28)
HOSTILE = [
    "X\r\nBEGIN:VEVENT",
    "X\nEND:VCALENDAR\nBEGIN:VCALENDAR",
    "a;b,c\\d:e\"f",
    "line1\rline2\r\n\r\nline3",
    "😀" * 40 + "跟进" * 30,
    "长" * 5000,
    "\x00\x01\x07\x1b[31m\x7f tab\there",
    "\u2028\u2029\x85 unicode line breaks",
    "DESCRIPTION:fake\r\n ATTENDEE:mailto:x@example.com",
]


def _cal(summary: str, description: str = "", start: dt.date | dt.datetime = dt.date(2026, 12, 22)) -> str:
    return ics.build_calendar([ics.CalendarEvent("f1", summary, start, description)], stamp=STAMP, uid_seed="seed")


def _expected_text(s: str) -> str:
    """What a reader gets back: line breaks become \\n, other controls are dropped (§3.3.11)."""
    import re

    s = re.sub(r"\r\n|[\r\n\u0085\u2028\u2029\x0b\x0c]", "\n", s)
    return re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", lambda m: m.group(0) if m.group(0) == "\n" else "", s)


def test_docstring_examples() -> None:
    assert doctest.testmod(ics).failed == 0


def test_calendar_header_and_event_properties() -> None:
    text = _cal("跟进：王芳", "看进展")
    cal = ics_rules.parse(text)
    lines = ics_rules.unfold(text)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ics.PRODID}", "CALSCALE:GREGORIAN",
                         "METHOD:PUBLISH"]
    (ev,) = cal.find("VEVENT")
    assert ev.values("DTSTAMP") == ["20261128T000000Z"]
    assert ("DTSTART", "VALUE=DATE", "20261222") in ev.props
    assert ("DTEND", "VALUE=DATE", "20261223") in ev.props
    (alarm,) = ev.find("VALARM")
    assert alarm.values("ACTION") == ["DISPLAY"] and alarm.values("TRIGGER") == ["-P1D"]
    assert ics_rules.unescape_text(alarm.values("DESCRIPTION")[0]) == "跟进：王芳"


def test_timed_event_is_floating_local_time_with_an_end() -> None:
    cal = ics_rules.parse(_cal("x", start=dt.datetime(2026, 12, 15, 15, 30)))
    (ev,) = cal.find("VEVENT")
    assert ev.values("DTSTART") == ["20261215T153000"]
    assert ev.values("DTEND") == ["20261215T160000"]


def test_stamp_is_utc() -> None:
    local = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert ics.format_stamp(local) == "20261128T013000Z"
    assert ics.format_stamp(dt.date(2026, 1, 2)) == "20260102T000000Z"
    assert ics.parse_stamp("2026-11-28T09:30:00+08:00") == local
    assert ics.parse_stamp("2026-11-28") == dt.date(2026, 11, 28)
    assert ics.parse_stamp("gestern") is None


def test_uid_is_stable_and_distinct() -> None:
    assert ics.uid_for("王芳|2026-11", "follow-up-0") == ics.uid_for("王芳|2026-11", "follow-up-0")
    assert ics.uid_for("王芳|2026-11", "follow-up-0") != ics.uid_for("王芳|2026-11", "follow-up-1")
    assert ics.uid_for("王芳|2026-11", "x") != ics.uid_for("李雷|2026-11", "x")
    a, b = _cal("a"), _cal("b")
    uid = [line for line in ics_rules.unfold(a) if line.startswith("UID:")]
    assert uid == [line for line in ics_rules.unfold(b) if line.startswith("UID:")]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_creates_properties(text: str) -> None:
    out = _cal(text, text)
    cal = ics_rules.parse(out)  # valid per the RFC rules
    assert len(cal.find("VEVENT")) == 1 and len(cal.find("VCALENDAR")) == 0
    names = [n for n, _, _ in cal.props] + [n for e in cal.find("VEVENT") for n, _, _ in e.props]
    assert "ATTENDEE" not in names
    (ev,) = cal.find("VEVENT")
    assert sorted({n for n, _, _ in ev.props}) == ["DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "SUMMARY", "TRANSP", "UID"]
    assert ics_rules.unescape_text(ev.values("SUMMARY")[0]) == _expected_text(text)
    assert ics_rules.unescape_text(ev.values("DESCRIPTION")[0]) == _expected_text(text)


def test_fold_never_splits_a_character_at_the_boundary() -> None:
    # 73 ASCII octets + a 4-octet emoji: the emoji must move to the next line whole.
    for pad in range(60, 76):
        line = "X" * pad + "😀中é" * 5
        folded = ics.fold_line(line)
        for part in folded.split("\r\n"):
            assert len(part.encode("utf-8")) <= 75
            part.encode("utf-8").decode("utf-8")
        assert ics_rules.unfold(folded + "\r\n") == [line]


def test_fold_uses_the_full_width() -> None:
    folded = ics.fold_line("A" * 200).split("\r\n")
    assert [len(p) for p in folded] == [75, 75, 52]  # 75 + 74 + 51 characters
    assert all(p.startswith(" ") for p in folded[1:])


def test_fold_rejects_a_line_break() -> None:
    with pytest.raises(ValueError):
        ics.fold_line("A\r\nB")


def test_5000_characters_fold_and_round_trip() -> None:
    text = ("面谈跟进；" + "a,b\\c" + "😀") * 500
    out = _cal("s", text)
    ics_rules.check_physical(out)
    (ev,) = ics_rules.parse(out).find("VEVENT")
    assert ics_rules.unescape_text(ev.values("DESCRIPTION")[0]) == text


@settings(max_examples=150, deadline=None)
@given(summary=st.text(max_size=300), description=st.text(max_size=600))
def test_any_text_is_valid_and_round_trips(summary: str, description: str) -> None:
    out = _cal(summary, description)
    cal = ics_rules.parse(out)
    (ev,) = cal.find("VEVENT")
    assert ics_rules.unescape_text(ev.values("SUMMARY")[0]) == _expected_text(summary)
    if description:
        got = ev.values("DESCRIPTION")
        assert got and ics_rules.unescape_text(got[0]) == _expected_text(description)


def test_the_validator_itself_rejects_broken_files() -> None:
    good = _cal("x")
    with pytest.raises(ics_rules.IcsError):
        ics_rules.parse(good.replace("\r\n", "\n"))  # LF only
    with pytest.raises(ics_rules.IcsError):
        ics_rules.parse(good.replace("SUMMARY:x", "SUMMARY:" + "长" * 40))  # 120 octets unfolded
    with pytest.raises(ics_rules.IcsError):
        ics_rules.parse(good.replace("SUMMARY:x", "SUMMARY:a;b"))  # unescaped semicolon
    with pytest.raises(ics_rules.IcsError):
        ics_rules.parse(good.replace("DTSTAMP:20261128T000000Z", "DTSTAMP:20261128"))
    split = "SUMMARY:" + "A" * 66 + "中"  # 8 + 66 + 3 = 77 octets: fold inside the 中
    raw = good.encode("utf-8").replace(b"SUMMARY:x", split.encode("utf-8")[:75] + b"\r\n " + split.encode("utf-8")[75:])
    with pytest.raises(ics_rules.IcsError):
        ics_rules.check_physical(raw)
