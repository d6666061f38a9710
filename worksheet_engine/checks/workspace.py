"""The agents' workspace (人员) and the follow-up (跟进阶段): what is due, for whom.

The browser keeps three kinds of things (docs/javascripts/worksheet/envelope.js owns the
format): worksheet *entries* (an envelope may carry ``person``, a person record's id, and
``period``), ``person`` records (the manager's list of agents: ``{id, name}``) and
``action`` records (``{id, person, text, owner, due, status, entry?, row?, type?}``). It
passes them here as one *snapshot*::

    {"people": [record...], "actions": [record...], "entries": [envelope...]}

and :func:`summarize` says, relative to the reader's ``today`` (the engine reads no
clock), for each agent: the entries tied to them across worksheets, the last interview,
every follow-up item with its state, the next follow-up, the open actions that carry
over into the next interview preparation, the data that pre-fills that preparation and a
calendar file (RFC 5545, :mod:`worksheet_engine.checks.ics`). Across agents it finds the
goals copied from one interview preparation to another (误区 一刀切,
:mod:`worksheet_engine.checks.copied_goals`).

Follow-up items come from two places and are never counted twice:

- ``action`` records (added on the workspace, or made when the manager first ticks an
  item that came from an interview);
- the interview preparations of the agent (``worksheet == "interview"``): the agreed
  actions (``actions`` rows), the follow-up dates of the last interview held
  (``follow_ups``) and the next interview (a planned preparation's date, or the last
  one's ``next_interview_date``). A row is identified by a key made of the entry's id and
  the row's own text (:func:`row_key`), so renaming the entry or reordering rows never
  loses it; an ``action`` record with the same ``entry`` and ``row`` replaces the row.

Links are ids, never names: an entry belongs to the person whose id it carries, so
renaming the agent or the entry keeps every link. Entries without a person are placed by
the ``agent_name`` they hold: under the person of that name (``by_name``: the workspace
offers to tie them), else under a *provisional* agent of that name, so the worked example
appears on the workspace once it is saved.

States (``state``): ``overdue`` (due before today), ``today``, ``soon`` (within
:data:`SOON_DAYS` days), ``later``, ``undated`` and ``done``.

Example::

    >>> snap = {"people": [{"kind": "person", "id": "p1", "name": "小孙"}],
    ...         "actions": [{"kind": "action", "id": "a1", "person": "p1", "text": "整理速查卡",
    ...                      "owner": "小孙", "due": "2026-12-09", "status": "open"}],
    ...         "entries": []}
    >>> s = summarize(snap, today="2026-12-10")
    >>> [(i["text"], i["state"], i["days"]) for i in s["people"][0]["items"]]
    [('整理速查卡', 'overdue', -1)]
    >>> s["counts"]["overdue"], s["due"][0]["person_name"]
    (1, '小孙')
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..lang.values import parse_date, parse_time
from .copied_goals import goal_key, same_goals_across_agents
from .ics import CalendarEvent, build_calendar, uid_for

__all__ = ["summarize", "interview_context", "row_key", "name_key", "SOON_DAYS", "STATES", "INTERVIEW"]

#: Items due within this many days are "soon".
SOON_DAYS = 7
STATES = ("overdue", "today", "soon", "later", "undated", "done")
STATE_ORDER = {s: i for i, s in enumerate(STATES)}
#: The worksheet whose entries are interview preparations.
INTERVIEW = "interview"
#: Limits of what one snapshot is read for (a manager's agents, a few years of entries).
MAX_PEOPLE, MAX_ACTIONS, MAX_ENTRIES, MAX_ROWS = 500, 5000, 5000, 30
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PAREN = re.compile(r"[（(].*?[)）]")
_SPACE = re.compile(r"\s+")
_FILENAME_BAD = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|\s]+')
_TYPE_TEXT = {"action": "行动", "follow_up": "跟进", "interview": "绩效面谈"}


# --- small readers --------------------------------------------------------------------------

def _text(value: Any, limit: int = 300) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _id(value: Any) -> str:
    return value if isinstance(value, str) and _ID.match(value) else ""


def _rows(data: Mapping[str, Any], name: str) -> list[tuple[int, Mapping[str, Any]]]:
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [(i, r) for i, r in enumerate(value[:MAX_ROWS]) if isinstance(r, Mapping)]


def _today(value: Any) -> _dt.date | None:
    return parse_date(value) if value else None


def name_key(name: Any) -> tuple[str, ...]:
    """The comparable forms of an agent's name: NFKC, case-folded, no spaces; with and
    without a parenthesised note (``小孙（二组坐席）`` also matches ``小孙``).

    >>> name_key("小孙（二组坐席）"), name_key(" 小 孙 ")
    (('小孙(二组坐席)', '小孙'), ('小孙',))
    """
    text = unicodedata.normalize("NFKC", str(name or ""))[:100].casefold()
    full = _SPACE.sub("", text)
    short = _SPACE.sub("", _PAREN.sub("", text))
    return tuple(dict.fromkeys(k for k in (full, short) if k))


def row_key(entry_id: str, kind: str, *parts: Any) -> str:
    """The stable key of one row of an interview entry (its id plus the row's own words).

    >>> row_key("e1", "a", "跟听张敏半天") == row_key("e1", "a", "跟听 张敏 半天。")
    True
    """
    words = "|".join(goal_key(str(p or "")) for p in parts)
    digest = hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{entry_id}:{kind}:{digest}"


_time = parse_time


# --- the snapshot, read ------------------------------------------------------------------------

@dataclass(slots=True)
class _Entry:
    worksheet: str
    id: str
    name: str
    person: str
    period: str
    saved_at: str
    data: Mapping[str, Any]

    @property
    def agent_name(self) -> str:
        return _text(self.data.get("agent_name"), 100)

    @property
    def date(self) -> _dt.date | None:
        return parse_date(_text(self.data.get("interview_date"), 40))

    @property
    def the_period(self) -> str:
        return self.period or _text(self.data.get("period"), 60)


@dataclass(slots=True)
class _Person:
    id: str  # "" for a provisional agent (known only by the name in entries)
    name: str
    keys: tuple[str, ...]
    created: str = ""
    entries: list[tuple[_Entry, bool]] = field(default_factory=list)  # (entry, placed by name)

    @property
    def interviews(self) -> list[_Entry]:
        return [e for e, _ in self.entries if e.worksheet == INTERVIEW]


def _people(raw: Any) -> list[_Person]:
    out: dict[str, _Person] = {}
    for rec in raw[:MAX_PEOPLE] if isinstance(raw, list) else []:
        if not isinstance(rec, Mapping) or rec.get("kind", "person") != "person":
            continue
        pid, name = _id(rec.get("id")), _text(rec.get("name"), 60)
        if pid and name and pid not in out:
            out[pid] = _Person(pid, name, name_key(name), _text(rec.get("created_at"), 40) or _text(rec.get("saved_at"), 40))
    return sorted(out.values(), key=lambda p: (p.created, p.id))


def _entries(raw: Any) -> list[_Entry]:
    out = []
    seen = set()
    for env in raw[:MAX_ENTRIES] if isinstance(raw, list) else []:
        if not isinstance(env, Mapping):
            continue
        slug, eid = _text(env.get("worksheet"), 40), _id(env.get("id"))
        data = env.get("data")
        if not slug or not eid or (slug, eid) in seen:
            continue
        seen.add((slug, eid))
        out.append(_Entry(slug, eid, _text(env.get("name"), 120) or "未命名条目", _id(env.get("person")),
                          _text(env.get("period"), 60), _text(env.get("saved_at"), 40),
                          data if isinstance(data, Mapping) else {}))
    return out


def _place(people: list[_Person], entries: list[_Entry]) -> tuple[list[_Person], list[_Entry]]:
    """Put each entry under its person (by id), else by the agent name it holds."""
    by_id = {p.id: p for p in people}
    provisional: dict[str, _Person] = {}
    unassigned: list[_Entry] = []
    for e in sorted(entries, key=lambda e: e.saved_at, reverse=True):
        if e.person in by_id:
            by_id[e.person].entries.append((e, False))
            continue
        keys = name_key(e.agent_name)
        if not keys:
            unassigned.append(e)
            continue
        match = next((p for p in people if set(keys) & set(p.keys)), None)
        if match:
            match.entries.append((e, True))
            continue
        key = keys[-1]
        if key not in provisional:
            provisional[key] = _Person("", e.agent_name, keys)
        provisional[key].entries.append((e, False))
    return people + list(provisional.values()), unassigned


def _actions(raw: Any) -> list[Mapping[str, Any]]:
    out = []
    for rec in raw[:MAX_ACTIONS] if isinstance(raw, list) else []:
        if isinstance(rec, Mapping) and rec.get("kind", "action") == "action" and _id(rec.get("id")) \
                and _text(rec.get("text")):
            out.append(rec)
    return out


# --- follow-up items ------------------------------------------------------------------------------

def _state(due: _dt.date | None, done: bool, today: _dt.date | None) -> tuple[str, int | None]:
    if done:
        return "done", None
    if due is None:
        return "undated", None
    if today is None:
        return "later", None
    days = (due - today).days
    if days < 0:
        return "overdue", days
    if days == 0:
        return "today", 0
    return ("soon" if days <= SOON_DAYS else "later"), days


def _state_text(state: str, days: int | None) -> str:
    if state == "overdue":
        return f"已逾期 {-days} 天"
    if state == "today":
        return "今天到期"
    if state in ("soon", "later"):
        return "明天到期" if days == 1 else f"{days} 天后到期"
    if state == "done":
        return "已完成"
    return "未定日期"


def _item(*, key: str, type_: str, text: str, owner: str, due: _dt.date | None, done: bool,
          today: _dt.date | None, source: str, record: str = "", entry: _Entry | None = None,
          row: str = "", time: str = "", uid: str = "") -> dict[str, Any]:
    state, days = _state(due, done, today)
    return {"key": key, "type": type_, "type_text": _TYPE_TEXT[type_], "text": text, "owner": owner,
            "due": due.isoformat() if due else "", "time": time, "status": "done" if done else "open",
            "state": state, "days": days, "state_text": _state_text(state, days), "source": source,
            "record": record, "entry": entry.id if entry else "", "entry_name": entry.name if entry else "",
            "entry_worksheet": entry.worksheet if entry else "", "row": row, "_uid": uid}


def _held(person: _Person, today: _dt.date | None) -> tuple[_Entry | None, _Entry | None, _Entry | None]:
    """(last interview held, next planned interview, latest preparation of any date)."""
    dated = sorted((e for e in person.interviews if e.date), key=lambda e: (e.date, e.saved_at))
    held = [e for e in dated if today is None or e.date <= today]
    planned = [e for e in dated if today is not None and e.date > today]
    return (held[-1] if held else None), (planned[0] if planned else None), _latest(person)


def _items(person: _Person, records: list[Mapping[str, Any]], today: _dt.date | None,
           exclude_entry: str = "") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    covered: set[tuple[str, str]] = set()
    for rec in records:
        if not person.id or _id(rec.get("person")) != person.id:
            continue
        entry_id, row = _id(rec.get("entry")), _text(rec.get("row"), 200)
        if entry_id and row:
            covered.add((entry_id, row))
        if exclude_entry and entry_id == exclude_entry:
            continue
        type_ = rec.get("type") if rec.get("type") in _TYPE_TEXT else "action"
        entry = next((e for e in person.interviews if e.id == entry_id), None)
        items.append(_item(key=f"record:{rec['id']}", type_=type_, text=_text(rec.get("text")),
                           owner=_text(rec.get("owner"), 100), due=parse_date(_text(rec.get("due"), 40)),
                           done=rec.get("status") == "done", today=today, source="record", record=rec["id"],
                           entry=entry, row=row, time=_text(rec.get("time"), 10)))
    last, planned, _ = _held(person, today)
    for e in person.interviews:
        if e.id == exclude_entry:
            continue
        for _, row in _rows(e.data, "actions"):
            text = _text(row.get("action"))
            key = row_key(e.id, "a", text)
            if not text or (e.id, key) in covered:
                continue
            items.append(_item(key=key, type_="action", text=text, owner=_text(row.get("owner"), 100),
                               due=parse_date(_text(row.get("due"), 40)), done=row.get("status") == "done",
                               today=today, source="interview", entry=e, row=key))
    if last is not None and last.id != exclude_entry:
        agent, period = _text(last.data.get("agent_name"), 100), _text(last.data.get("period"), 60)
        seed = f"interview|{agent}|{period}"
        for index, row in _rows(last.data, "follow_ups"):
            day = parse_date(_text(row.get("date"), 40))
            purpose = _text(row.get("purpose"), 200)
            key = row_key(last.id, "f", day.isoformat() if day else "", purpose)
            if day is None or (last.id, key) in covered or (last.date and day < last.date):
                continue
            at = _time(_text(row.get("time"), 10))
            items.append(_item(key=key, type_="follow_up", text=f"跟进：{purpose}" if purpose else "面谈后的跟进",
                               owner=_text(last.data.get("manager_name"), 100), due=day, done=False, today=today,
                               source="interview", entry=last, row=key, time=at.strftime("%H:%M") if at else "",
                               uid=uid_for(seed, f"follow-up-{index}")))
        nxt = parse_date(_text(last.data.get("next_interview_date"), 40))
        key = row_key(last.id, "n", nxt.isoformat() if nxt else "")
        if planned is None and nxt and (not last.date or nxt > last.date) and (last.id, key) not in covered:
            items.append(_item(key=key, type_="interview", text="下一次绩效面谈（还没有准备）", owner="",
                               due=nxt, done=False, today=today, source="interview", entry=last, row=key,
                               uid=uid_for(seed, "next-interview")))
    if planned is not None and planned.id != exclude_entry:
        key = row_key(planned.id, "p", planned.date.isoformat())
        if (planned.id, key) not in covered:
            items.append(_item(key=key, type_="interview", text="绩效面谈", owner="", due=planned.date,
                               done=False, today=today, source="interview", entry=planned, row=key))
    items.sort(key=lambda i: (i["status"] == "done", i["due"] or "9999-99-99", STATE_ORDER[i["state"]], i["text"]))
    return items


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


# --- outputs ------------------------------------------------------------------------------------

def _entry_link(e: _Entry, catalog: Mapping[str, Mapping[str, str]], by_name: bool = False) -> dict[str, Any]:
    info = catalog.get(e.worksheet) or {}
    page = info.get("href") or ""
    return {"worksheet": e.worksheet, "title": info.get("title") or e.worksheet, "id": e.id, "name": e.name,
            "period": e.the_period, "saved_at": e.saved_at, "by_name": by_name,
            "href": f"{page}?entry={e.id}" if page else ""}


def _interview_info(e: _Entry | None, catalog: Mapping[str, Mapping[str, str]]) -> dict[str, Any] | None:
    if e is None:
        return None
    return {**_entry_link(e, catalog), "date": e.date.isoformat() if e.date else ""}


def _prefill(person: _Person, latest: _Entry | None) -> dict[str, Any]:
    """The next interview preparation's first values: the agent, and from the last one
    the manager, the agreed date, the length and the KPI rows with their targets (the
    actuals are the new period's, to be looked up)."""
    data: dict[str, Any] = {"agent_name": (latest.agent_name if latest else "") or person.name}
    if latest is not None:
        d = latest.data
        for name in ("manager_name", "duration"):
            if isinstance(d.get(name), (str, int, float)) and not isinstance(d.get(name), bool) and d.get(name) != "":
                data[name] = d[name]
        nxt = parse_date(_text(d.get("next_interview_date"), 40))
        if nxt:
            data["interview_date"] = nxt.isoformat()
        kpis = [{"metric": _text(r.get("metric"), 120), "target": r.get("target", ""), "actual": "",
                 "direction": _text(r.get("direction"), 10)} for _, r in _rows(d, "kpis") if _text(r.get("metric"), 120)]
        if kpis:
            data["kpis"] = kpis
    return data


def _calendar(person: _Person, items: list[dict[str, Any]], today: _dt.date | None) -> tuple[str, str]:
    events = []
    for i in items:
        if i["status"] == "done" or not i["due"]:
            continue
        day = _dt.date.fromisoformat(i["due"])
        at = _time(i["time"]) if i["time"] else None
        start: _dt.date | _dt.datetime = _dt.datetime.combine(day, at) if at else day
        who = person.name
        if i["type"] == "follow_up":
            summary, alarm = f"跟进：{who}" + (f" · {i['text'][3:23]}" if i["text"].startswith("跟进：") else ""), f"明天跟进 {who}"
        elif i["type"] == "interview":
            summary, alarm = f"绩效面谈：{who}", f"明天与 {who} 绩效面谈"
        else:
            summary, alarm = f"到期：{i['text'][:30]}（{who}）", f"明天到期：{i['text'][:30]}"
        desc = [i["text"]]
        if i["owner"]:
            desc.append(f"负责人：{i['owner']}")
        if i["entry_name"]:
            desc.append(f"来自：{i['entry_name']}")
        events.append(CalendarEvent(i["key"], summary, start, "\n".join(desc), alarm=alarm, uid=i["_uid"]))
    if not events:
        return "", ""
    stamp = today or min(e.start.date() if isinstance(e.start, _dt.datetime) else e.start for e in events)
    text = build_calendar(events, stamp=stamp, uid_seed=f"workspace|{person.id or person.name}",
                          name=f"绩效面谈跟进：{person.name}")
    name = _FILENAME_BAD.sub("", f"跟进-{person.name[:20]}") or "跟进"
    return text, f"{name}.ics"


def _headline(counts: Mapping[str, int]) -> str:
    parts = []
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} 项已逾期")
    if counts["today"]:
        parts.append(f"今天有 {counts['today']} 项到期")
    if counts["soon"]:
        parts.append(f"{SOON_DAYS} 天内还有 {counts['soon']} 项")
    return "，".join(parts) + "。" if parts else "没有到期或逾期的跟进事项。"


def _latest(person: _Person, skip: str = "") -> _Entry | None:
    """The agent's most recent interview preparation (by interview date, then saved time)."""
    found = [e for e in person.interviews if e.id != skip]
    return max(found, key=lambda e: (e.date or _dt.date.min, e.saved_at)) if found else None


def _goal_sets(people: Iterable[_Person], skip: str = "") -> list[tuple[_Person, _Entry]]:
    return [(p, e) for p in people for e in (_latest(p, skip),) if e is not None]


def _goals(e: _Entry) -> list[str]:
    return [_text(r.get("goal"), 500) for _, r in _rows(e.data, "goals") if _text(r.get("goal"), 500)]


def summarize(snapshot: Any, today: Any = None,
              catalog: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """The workspace page's content (see the module docstring). Never raises on bad data.

    Args:
        snapshot: ``{"people", "actions", "entries"}`` as the browser keeps them.
        today: the reader's local date (``YYYY-MM-DD`` or a date).
        catalog: ``{slug: {"title", "href"}}`` (href relative to the site root) for links.
    """
    snap = snapshot if isinstance(snapshot, Mapping) else {}
    day = _today(today)
    catalog = catalog or {}
    people, unassigned = _place(_people(snap.get("people")), _entries(snap.get("entries")))
    records = _actions(snap.get("actions"))
    counts = {s: 0 for s in STATES}
    out_people, due = [], []
    for p in people:
        items = _items(p, records, day)
        last, planned, latest = _held(p, day)
        open_items = [i for i in items if i["status"] == "open"]
        for i in items:
            counts[i["state"]] += 1
        nxt = next((i for i in open_items if i["type"] in ("follow_up", "interview") and i["due"]), None)
        ics, ics_name = _calendar(p, items, day)
        person_counts = {s: sum(1 for i in items if i["state"] == s) for s in STATES}
        for i in open_items:
            if i["state"] in ("overdue", "today"):
                due.append({**_public(i), "person": p.id, "person_name": p.name})
        out_people.append({
            "id": p.id, "name": p.name, "provisional": not p.id,
            "entries": [_entry_link(e, catalog, by_name) for e, by_name in p.entries],
            "by_name": sum(1 for _, b in p.entries if b),
            "last_interview": _interview_info(last, catalog),
            "planned_interview": _interview_info(planned, catalog),
            "items": [_public(i) for i in items],
            "open_count": len(open_items),
            "counts": person_counts,
            "carry_over": [_public(i) for i in open_items if i["type"] == "action"],
            "next_follow_up": _public(nxt) if nxt else None,
            "headline": _headline(person_counts),
            "prefill": {"worksheet": INTERVIEW, "name": f"{p.name} · 绩效面谈准备",
                        "data": _prefill(p, latest)},
            "ics": ics, "ics_filename": ics_name,
        })
    due.sort(key=lambda i: (i["due"], i["person_name"], i["text"]))
    sets = _goal_sets(people)
    copied = same_goals_across_agents({"agent_name": e.agent_name or p.name, "goals": _goals(e)} for p, e in sets)
    copied_out = [{"goal": g["goal"], "agents": [sets[i][0].name for i in g["entries"]],
                   "people": [sets[i][0].id for i in g["entries"]],
                   "entries": [sets[i][1].id for i in g["entries"]]} for g in copied]
    return {
        "today": day.isoformat() if day else "",
        "people": out_people,
        "due": due,
        "counts": counts,
        "headline": _headline(counts),
        "copied_goals": copied_out,
        "unassigned": [_entry_link(e, catalog) for e in unassigned],
    }


def interview_context(snapshot: Any, *, entry: str = "", person: str = "", agent_name: str = "",
                      today: Any = None) -> dict[str, Any]:
    """What one interview preparation needs from the workspace: the agent's open actions
    from earlier interviews and the workspace (``carry_over``), and the other agents'
    latest goals (``peers``, for 一刀切). ``entry`` is the preparation itself (left out of
    both); the agent is ``person`` (an id), else found by ``agent_name``.

    >>> snap = {"people": [{"id": "p1", "name": "小孙"}, {"id": "p2", "name": "李雷"}],
    ...   "entries": [{"worksheet": "interview", "id": "old", "person": "p1", "data": {
    ...       "interview_date": "2026-11-01", "actions": [{"action": "整理速查卡", "status": "open"}]}},
    ...     {"worksheet": "interview", "id": "x", "person": "p2", "data": {"goals": [{"goal": "质检 90 分"}]}}]}
    >>> c = interview_context(snap, entry="new", person="p1", today="2026-12-01")
    >>> [i["text"] for i in c["carry_over"]], c["peers"]
    (['整理速查卡'], [{'agent_name': '李雷', 'goals': ['质检 90 分'], 'entry': 'x'}])
    """
    snap = snapshot if isinstance(snapshot, Mapping) else {}
    day = _today(today)
    entries = [e for e in _entries(snap.get("entries"))]
    people, _ = _place(_people(snap.get("people")), entries)
    me = next((p for p in people if person and p.id == person), None)
    if me is None and agent_name:
        keys = set(name_key(agent_name))
        me = next((p for p in people if keys & set(p.keys)), None)
    carry = [i for i in _items(me, _actions(snap.get("actions")), day, exclude_entry=entry)
             if i["status"] == "open" and i["type"] == "action"] if me else []
    others = [p for p in people if p is not me]
    peers = [{"agent_name": e.agent_name or p.name, "goals": _goals(e), "entry": e.id}
             for p, e in _goal_sets(others, skip=entry) if _goals(e)]
    return {"person": me.id if me else "", "person_name": me.name if me else "",
            "carry_over": [_public(i) for i in carry], "peers": peers}
