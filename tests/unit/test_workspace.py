"""The agents' workspace (人员) and the follow-up (跟进阶段): worksheet_engine.checks.workspace,
api.workspace_summary / call_json, the interview's workspace context, and the saved format
(records in backups, person/period on envelopes, the JSON Schemas)."""

from __future__ import annotations

import copy
import doctest
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests import ics_rules
from worksheet_engine import api
from worksheet_engine.checks import ics, workspace
from worksheet_engine.checks.workspace import interview_context, row_key, summarize
from worksheet_engine.worksheets import WORKSHEETS

TODAY = "2026-12-10"
EXAMPLE = copy.deepcopy(dict(WORKSHEETS["interview"].example))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backups"
SCHEMAS = Path(__file__).resolve().parents[2] / "worksheet_engine" / "schemas"


def person(pid: str, name: str, created: str = "2026-11-01T08:00:00Z") -> dict[str, Any]:
    return {"kind": "person", "id": pid, "name": name, "created_at": created, "saved_at": created}


def entry(slug: str, eid: str, data: dict[str, Any], person_id: str = "", saved: str = "2026-12-01T09:00:00Z",
          name: str = "条目", period: str = "") -> dict[str, Any]:
    env = {"worksheet": slug, "id": eid, "name": name, "saved_at": saved, "data": data}
    if person_id:
        env["person"] = person_id
    if period:
        env["period"] = period
    return env


def interview(eid: str, pid: str, date: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["interview_date"] = date
    data.update(changes)
    return entry("interview", eid, data, pid, name=f"面谈 {date}")


def by_name(summary: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in summary["people"] if p["name"] == name)


def items(p: dict[str, Any], type_: str | None = None) -> list[dict[str, Any]]:
    return [i for i in p["items"] if type_ is None or i["type"] == type_]


def test_docstring_examples() -> None:
    assert doctest.testmod(workspace).failed == 0
    assert doctest.testmod(api).failed == 0


def test_states_relative_to_the_readers_today() -> None:
    actions = [
        {"kind": "action", "id": f"a{n}", "person": "p1", "text": text, "owner": "小孙", "due": due, "status": status}
        for n, (text, due, status) in enumerate([
            ("逾期", "2026-12-08", "open"), ("今天", TODAY, "open"), ("一周内", "2026-12-17", "open"),
            ("以后", "2026-12-18", "open"), ("没日期", "", "open"), ("做完了", "2026-12-01", "done")])
    ]
    s = summarize({"people": [person("p1", "小孙")], "actions": actions}, TODAY)
    got = {i["text"]: (i["state"], i["days"]) for i in by_name(s, "小孙")["items"]}
    assert got == {"逾期": ("overdue", -2), "今天": ("today", 0), "一周内": ("soon", 7), "以后": ("later", 8),
                   "没日期": ("undated", None), "做完了": ("done", None)}
    assert s["counts"]["overdue"] == 1 and s["counts"]["today"] == 1
    assert [i["text"] for i in s["due"]] == ["逾期", "今天"]
    # Open items first, by date; done last. The headline counts what matters.
    assert [i["text"] for i in by_name(s, "小孙")["items"]][-1] == "做完了"
    assert "1 项已逾期" in s["headline"] and "今天有 1 项到期" in s["headline"]
    # Another day, other states: the engine reads no clock.
    later = summarize({"people": [person("p1", "小孙")], "actions": actions}, "2026-12-20")
    assert {i["text"] for i in later["due"]} == {"逾期", "今天", "一周内", "以后"}


def test_links_are_ids_renaming_the_agent_or_the_entry_keeps_them() -> None:
    snap = {"people": [person("p1", "小孙")],
            "entries": [entry("feedback", "f1", {"agent_name": "别的名字"}, "p1", name="旧名字"),
                        interview("e1", "p1", "2026-12-01")]}
    before = by_name(api.workspace_summary(snap, TODAY), "小孙")
    snap["people"][0]["name"] = "孙晓（二组）"
    snap["entries"][0]["name"] = "新名字"
    after = by_name(api.workspace_summary(snap, TODAY), "孙晓（二组）")
    assert [e["id"] for e in after["entries"]] == [e["id"] for e in before["entries"]]
    assert {e["name"] for e in after["entries"]} >= {"新名字"}
    assert [i["key"] for i in after["items"]] == [i["key"] for i in before["items"]]
    links = {e["id"]: e["href"] for e in after["entries"]}
    assert links == {"f1": "worksheets/feedback/?entry=f1", "e1": "worksheets/interview/?entry=e1"}


def test_entries_without_a_person_are_placed_by_the_agent_name() -> None:
    snap = {"people": [person("p1", "小孙")],
            "entries": [entry("grow", "g1", {"agent_name": "小孙（二组坐席）"}),   # same agent, untied
                        entry("interview", "i1", copy.deepcopy(EXAMPLE) | {"agent_name": "王芳"}),  # unknown agent
                        entry("smart", "s1", {"goal_text": "提高 CSAT"}),              # about no agent
                        entry("feedback", "f1", {"agent_name": "小孙"}, "gone")]}       # a deleted person's id
    s = summarize(snap, TODAY)
    sun = by_name(s, "小孙")
    assert {(e["id"], e["by_name"]) for e in sun["entries"]} == {("g1", True), ("f1", True)} and sun["by_name"] == 2
    wang = by_name(s, "王芳")
    assert wang["provisional"] and wang["id"] == "" and [e["id"] for e in wang["entries"]] == ["i1"]
    assert [e["id"] for e in s["unassigned"]] == ["s1"]
    # The worked example's agent shows up once its example entry is saved.
    example_only = summarize({"entries": [entry("interview", "x", copy.deepcopy(EXAMPLE))]}, TODAY)
    assert [p["name"] for p in example_only["people"]] == [EXAMPLE["agent_name"]]


def test_interview_rows_become_items_and_a_record_takes_over_a_row() -> None:
    iv = interview("e1", "p1", "2026-12-01")
    snap = {"people": [person("p1", "小孙")], "entries": [iv]}
    p = by_name(summarize(snap, TODAY), "小孙")
    acts = items(p, "action")
    assert [a["text"] for a in acts] == [a["action"] for a in sorted(EXAMPLE["actions"], key=lambda a: a["due"])]
    assert all(a["source"] == "interview" and a["entry"] == "e1" and a["record"] == "" for a in acts)
    assert [f["due"] for f in items(p, "follow_up")] == ["2026-12-15", "2026-12-29"]
    assert items(p, "follow_up")[0]["time"] == "15:30"
    assert [(i["due"], i["text"]) for i in items(p, "interview")] == [("2027-01-05", "下一次绩效面谈（还没有准备）")]
    assert p["next_follow_up"]["due"] == "2026-12-15"
    assert p["last_interview"]["date"] == "2026-12-01"
    # Ticking the first one on the workspace makes a record with the row's key.
    first = acts[0]
    done = {"kind": "action", "id": "r1", "person": "p1", "text": first["text"], "owner": first["owner"],
            "due": first["due"], "status": "done", "entry": "e1", "row": first["row"]}
    p2 = by_name(summarize({**snap, "actions": [done]}, TODAY), "小孙")
    mine = [i for i in p2["items"] if i["key"] == "record:r1"]
    assert len(mine) == 1 and mine[0]["state"] == "done" and len(items(p2, "action")) == len(acts)
    # The row's key is its own words: reordering rows or retouching spaces keeps it.
    reordered = interview("e1", "p1", "2026-12-01", actions=[dict(a) for a in reversed(EXAMPLE["actions"])])
    reordered["data"]["actions"][-1]["action"] = " " + reordered["data"]["actions"][-1]["action"].replace("，", "， ")
    p3 = by_name(summarize({**snap, "entries": [reordered], "actions": [done]}, TODAY), "小孙")
    assert [i["key"] for i in p3["items"] if i["key"] == first["row"]] == []
    assert row_key("e1", "a", "跟听张敏半天") != row_key("e2", "a", "跟听张敏半天")


def test_the_last_interview_held_gives_the_follow_ups_and_a_planned_one_is_the_next() -> None:
    old = interview("old", "p1", "2026-09-01", follow_ups=[{"date": "2026-09-15", "purpose": "旧的跟进"}])
    held = interview("held", "p1", "2026-12-01")
    planned = interview("plan", "p1", "2027-01-05", follow_ups=[], actions=[], next_interview_date="")
    s = api.workspace_summary({"people": [person("p1", "小孙")], "entries": [old, held, planned]}, TODAY)
    p = by_name(s, "小孙")
    assert p["last_interview"]["id"] == "held" and p["planned_interview"]["id"] == "plan"
    assert "旧的跟进" not in json.dumps(p["items"], ensure_ascii=False)
    assert [(i["entry"], i["text"]) for i in items(p, "interview")] == [("plan", "绩效面谈")]
    # The next preparation starts from the last one: agent, manager, date, KPI rows without actuals.
    pre = p["prefill"]
    assert pre["worksheet"] == "interview" and pre["version"] == WORKSHEETS["interview"].version
    assert pre["data"]["agent_name"] == EXAMPLE["agent_name"] and pre["data"]["kpis"][0]["actual"] == ""
    assert [k["metric"] for k in pre["data"]["kpis"]] == [k["metric"] for k in EXAMPLE["kpis"]]
    first = summarize({"people": [person("p9", "新人")]}, TODAY)["people"][0]["prefill"]["data"]
    assert first == {"agent_name": "新人"}


def test_goals_copied_across_agents_one_size_fits_all() -> None:
    goals = [{"goal": "12月31日前，把一次解决率（FCR）从 68% 提升到 75%。"}]
    snap = {"people": [person("p1", "小孙"), person("p2", "李雷", "2026-11-02T08:00:00Z"), person("p3", "张敏", "2026-11-03T08:00:00Z")],
            "entries": [interview("e1", "p1", "2026-12-01", agent_name="小孙", goals=goals),
                        interview("e2", "p2", "2026-12-02", agent_name="李雷", goals=[{"goal": "李雷" + goals[0]["goal"]}]),
                        interview("e3", "p3", "2026-12-03", agent_name="张敏", goals=[{"goal": "质检 92 分"}])]}
    s = summarize(snap, TODAY)
    assert [(g["agents"], g["people"]) for g in s["copied_goals"]] == [(["小孙", "李雷"], ["p1", "p2"])]


def test_the_interview_reads_the_workspace_carry_over_and_one_size() -> None:
    earlier = interview("old", "p1", "2026-11-01", agent_name="小孙",
                        actions=[{"action": "整理退款速查卡", "owner": "小孙", "due": "2026-11-20", "status": "open"},
                                 {"action": "已经做完的", "owner": "小孙", "due": "2026-11-10", "status": "done"}])
    peer = interview("p2e", "p2", "2026-12-02", agent_name="李雷", goals=copy.deepcopy(EXAMPLE["goals"]))
    record = {"kind": "action", "id": "a1", "person": "p1", "text": "每周抽听 5 通", "owner": "李敏", "due": "", "status": "open"}
    snap = {"people": [person("p1", "小孙"), person("p2", "李雷")], "entries": [earlier, peer], "actions": [record]}
    data = copy.deepcopy(EXAMPLE) | {"agent_name": "小孙", "interview_date": "2026-12-20"}
    ctx = {"workspace": {**snap, "entry": "new", "person": "p1"}}
    r = api.evaluate("interview", data, TODAY, ctx)
    assert [c["text"] for c in r["carry_over"]] == ["整理退款速查卡", "每周抽听 5 通"]
    assert {f["key"]: f["value"] for f in r["figures"]}["carried_over"] == "2"
    assert "carry_over" in {i["code"] for i in r["issues"]}
    assert "整理退款速查卡" in r["report_md"] and "已经做完的" not in r["report_md"]
    checks = {c["key"]: c for c in r["checks"]}
    assert checks["one_size"]["met"] is False and "李雷" in checks["one_size"]["reason"]
    assert "goal_copied" in {i["code"] for i in r["issues"]}
    # Different goals: met. No other agent: unknown. No workspace at all: unknown, as before.
    own = data | {"goals": [{"goal": "12月31日前，把重复来电从 12% 降到 8%。"}]}
    assert {c["key"]: c["met"] for c in api.evaluate("interview", own, TODAY, ctx)["checks"]}["one_size"] is True
    alone = {"workspace": {"people": [person("p1", "小孙")], "entries": [earlier], "entry": "new", "person": "p1"}}
    assert {c["key"]: c["met"] for c in api.evaluate("interview", data, TODAY, alone)["checks"]}["one_size"] is None
    plain = api.evaluate("interview", data, TODAY)
    assert {c["key"]: c["met"] for c in plain["checks"]}["one_size"] is None and "carry_over" not in {
        i["code"] for i in plain["issues"]} and plain["carry_over"] == []
    # The entry being checked is never its own carry-over nor its own peer.
    self_ctx = {"workspace": {**snap, "entries": [earlier, peer], "entry": "old", "person": "p1"}}
    again = api.evaluate("interview", earlier["data"], TODAY, self_ctx)
    assert [c["text"] for c in again["carry_over"]] == ["每周抽听 5 通"]
    # Without a person id the agent is found by the name the entry holds.
    by = interview_context(snap, entry="new", agent_name="小孙（二组坐席）", today=TODAY)
    assert by["person"] == "p1" and len(by["carry_over"]) == 2


def test_the_private_notes_never_reach_the_workspace() -> None:
    secret = "绝密备注-只给自己看-Q7"
    snap = {"people": [person("p1", "小孙")], "entries": [interview("e1", "p1", "2026-12-01", private_notes=secret)]}
    assert secret not in json.dumps(api.workspace_summary(snap, TODAY), ensure_ascii=False)


def test_each_agents_calendar_follows_rfc_5545_and_keeps_the_interviews_uids() -> None:
    hostile = "跟进\r\nBEGIN:VEVENT;x,y\\z" + "长" * 60
    iv = interview("e1", "p1", "2026-12-01", follow_ups=[{"date": "2026-12-15", "time": "15:30", "purpose": hostile}])
    rec = {"kind": "action", "id": "a1", "person": "p1", "text": hostile, "owner": "李敏", "due": "2026-12-12", "status": "open"}
    s = summarize({"people": [person("p1", "小孙\n（二组）")], "entries": [iv], "actions": [rec]}, TODAY)
    p = s["people"][0]
    assert p["ics_filename"].endswith(".ics") and "\n" not in p["ics_filename"]
    cal = ics_rules.parse(p["ics"])
    events = cal.find("VEVENT")
    open_dated = [i for i in p["items"] if i["status"] == "open" and i["due"]]
    assert len(events) == len(open_dated)
    for ev in events:
        assert ev.find("VALARM")[0].values("TRIGGER") == ["-P1D"]
        assert ev.values("DTSTAMP") == ["20261210T000000Z"]
    assert len({ev.values("UID")[0] for ev in events}) == len(events)
    # The follow-up has the UID the interview's own export gives it: one calendar item, not two.
    own = ics_rules.parse(api.evaluate("interview", iv["data"], TODAY)["ics"])
    own_uids = {ics_rules.unescape_text(ev.values("SUMMARY")[0])[:6]: ev.values("UID")[0] for ev in own.find("VEVENT")}
    ws_uids = {ev.values("UID")[0] for ev in events}
    assert own_uids and set(own_uids.values()) <= ws_uids
    assert "BEGIN:VEVENT;x" not in [line for line in ics_rules.unfold(p["ics"])]
    nothing = summarize({"people": [person("p2", "李雷")]}, TODAY)["people"][0]
    assert nothing["ics"] == "" and nothing["ics_filename"] == ""


def test_uid_given_to_an_event_is_used_and_a_bad_one_is_not() -> None:
    import datetime as dt

    good = ics.uid_for("seed", "key")
    text = ics.build_calendar([ics.CalendarEvent("k", "x", dt.date(2026, 12, 1), uid=good),
                               ics.CalendarEvent("k2", "y", dt.date(2026, 12, 2), uid="bad\r\nUID:evil")],
                              stamp=dt.date(2026, 12, 1), uid_seed="other")
    uids = [ev.values("UID")[0] for ev in ics_rules.parse(text).find("VEVENT")]
    assert uids[0] == good and uids[1] == ics.uid_for("other", "k2")


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                        st.sampled_from(["people", "actions", "entries", "id", "name", "person", "worksheet",
                                         "data", "due", "status", "interview_date", "actions", "follow_ups",
                                         "goals", "kind", "text", "entry", "row", "agent_name"]), kids, max_size=5),
                    max_leaves=40),
       st.one_of(st.none(), st.text(max_size=12), st.just(TODAY)))
def test_any_snapshot_is_summarised_without_an_exception(snapshot: Any, today: Any) -> None:
    s = api.workspace_summary(snapshot, today)
    json.dumps(s, ensure_ascii=False)
    assert set(s) >= {"people", "due", "counts", "headline", "copied_goals", "unassigned"}


def test_call_json_is_the_workers_entry_point() -> None:
    snap = {"people": [person("p1", "小孙")]}
    out = json.loads(api.call_json("workspace_summary", json.dumps(snap), TODAY))
    assert out["people"][0]["name"] == "小孙" and out["today"] == TODAY
    assert json.loads(api.call_json("evaluate", "{}", TODAY))["error"]["code"] == "unknown_call"
    assert json.loads(api.call_json("workspace_summary", "{", TODAY))["error"]["code"] == "entry_format"
    # A malformed context is ignored: the entry still checks.
    r = json.loads(api.evaluate_json("interview", json.dumps(EXAMPLE), TODAY, "{not json"))
    assert r["slug"] == "interview" and "error" not in r
    r = json.loads(api.evaluate_json("interview", json.dumps(EXAMPLE), TODAY, json.dumps({"workspace": ["x"]})))
    assert {c["key"]: c["met"] for c in r["checks"]}["one_size"] is None


def test_the_interview_offers_its_calendar_as_a_download() -> None:
    r = api.evaluate("interview", EXAMPLE, TODAY)
    (d,) = r["downloads"]
    assert d["hook"] == {"action": "export-ics"} and d["mime"] == "text/calendar"
    assert d["text"] == r["ics"] and d["filename"] == r["ics_filename"]
    assert api.evaluate("interview", {}, TODAY)["downloads"] == []


# ---- the saved format: records in backups, person/period on envelopes ----------------------

def _registry() -> Registry:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")]
    return Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in docs)


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")), registry=_registry())


def test_the_record_schema_documents_people_and_actions() -> None:
    Draft202012Validator.check_schema(json.loads((SCHEMAS / "record.v1.schema.json").read_text(encoding="utf-8")))
    doc = json.loads((FIXTURES / "workspace_v1_backup.json").read_text(encoding="utf-8"))
    _validator("backup.v1.schema.json").validate(doc)
    record = _validator("record.v1.schema.json")
    for rec in doc["records"]:
        record.validate(rec)
    assert not record.is_valid({**doc["records"][2], "status": "maybe"})
    assert not record.is_valid({**doc["records"][0], "name": " "})
    backup = _validator("backup.v1.schema.json")
    for name in ("bad_record_backup.json", "bad_person_link.json"):
        assert not backup.is_valid(json.loads((FIXTURES / name).read_text(encoding="utf-8"))), name


def test_the_workspace_backup_fixture_reads_as_the_browser_reads_it() -> None:
    manifest = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    want = manifest["workspace_v1_backup.json"]
    assert want["people"] == ["lx9p0sun0001", "lx9p0sun0001"]
    assert want["records"][-1] == "note:lx9n0note001"
    # Every older backup reads with no records at all.
    assert all(v["records"] == [] for k, v in manifest.items() if v["ok"] and k != "workspace_v1_backup.json")
    doc = json.loads((FIXTURES / "workspace_v1_backup.json").read_text(encoding="utf-8"))
    s = api.workspace_summary({"people": [r for r in doc["records"] if r["kind"] == "person"],
                               "actions": [r for r in doc["records"] if r["kind"] == "action"],
                               "entries": doc["entries"]}, "2026-12-07")
    sun = by_name(s, "小孙（二组坐席）")
    assert {e["id"] for e in sun["entries"]} == {"lx9e0iv00001", "lx9e0fb00001"}
    assert by_name(s, "李雷")["items"][0]["text"] == "抽听 5 通退款来电"


@pytest.mark.parametrize("slug", ["interview"])
def test_the_form_asks_for_the_workspace_context(slug: str) -> None:
    from macros.forms import render_worksheet

    html = render_worksheet(slug)
    assert 'data-ws-context="interview"' in html and "data-ws-picker" in html
    assert "data-ws-context" not in render_worksheet("smart") and "data-ws-picker" in render_worksheet("smart")
