"""Entry envelopes and backup files in Python (worksheet_engine.schema): validation,
step-by-step migration, hostile files, and agreement with the browser's reader
(envelope.js, run against the same fixtures by tests/js/envelope.test.mjs) and with
the JSON schema files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worksheet_engine.tools import backups as schema
from worksheet_engine.errors import EntryFormatError, SchemaVersionError
from worksheet_engine.tools.backups import (
    BackupFormatError,
    is_iso_datetime,
    load_backup,
    parse_backup,
    upgrade_envelope,
    validate_envelope,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "backups"
SCHEMAS = REPO / "worksheet_engine" / "schemas"
ENVELOPE_JS = REPO / "docs" / "javascripts" / "worksheet" / "envelope.js"
MANIFEST: dict[str, dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def env(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "worksheet-entry", "schema_version": 1, "worksheet": "smart", "worksheet_version": 1,
        "id": "abc123", "name": "张三 · 2026 Q4", "created_at": "2026-01-05T09:00:00.000Z",
        "saved_at": "2026-01-06T10:30:00.000Z", "rev": 2, "data": {"goal_text": "本季度末前提升 CSAT"},
    }
    base.update(over)
    return base


def reason(fn: Any, *args: Any) -> str:
    with pytest.raises(BackupFormatError) as info:
        fn(*args)
    assert CHINESE.search(str(info.value)), f"message should be Chinese: {info.value}"
    return info.value.reason


# ---- the shared fixtures ----------------------------------------------------------------


def test_every_fixture_is_in_the_manifest() -> None:
    skip = {"manifest.json", "xss_strings.json", "README.md", "generate.py"}
    assert sorted(p.name for p in FIXTURES.iterdir() if p.name not in skip) == sorted(MANIFEST)


def test_fixtures_cover_the_fault_kinds_the_issue_names() -> None:
    codes = {v.get("code") for v in MANIFEST.values()}
    assert {"not_json", "wrong_format", "too_new", "forbidden_key", "too_long", "too_deep", "bad_field", "empty"} <= codes
    assert any(v["ok"] and "v0-" in "".join(v["ids"]) for v in MANIFEST.values()), "a v0 entry to migrate"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_fixture_reads_as_the_manifest_says(name: str) -> None:
    want = MANIFEST[name]
    text = fixture(name)
    if want["ok"]:
        got = parse_backup(text)
        entries = got["entries"]
        assert [e["id"] for e in entries] == want["ids"]
        assert [e["name"] for e in entries] == want["names"]
        assert [e["worksheet"] for e in entries] == want["worksheets"]
        assert got["site"] == want["site"]
        assert load_backup(text) == entries
        assert all(e["schema_version"] == schema.SCHEMA_VERSION for e in entries)
    else:
        assert reason(load_backup, text) == want["code"]


def test_load_backup_raises_entry_format_error_with_a_chinese_message() -> None:
    with pytest.raises(EntryFormatError, match="JSON"):
        load_backup(fixture("truncated.json"))
    with pytest.raises(SchemaVersionError):
        load_backup(fixture("too_new_backup.json"))
    err = pytest.raises(EntryFormatError, load_backup, fixture("bad_entry_in_backup.json")).value
    assert str(err).startswith("第 2 个条目无法读取：字段 id 无效")
    assert err.exit_code == 3


def test_load_backup_returns_plain_current_envelopes() -> None:
    entries = load_backup(fixture("valid_v1_backup.json"))
    assert isinstance(entries, list) and all(isinstance(e, dict) for e in entries)
    swot = entries[2]
    assert swot["worksheet"] == "swot"
    assert swot["data"]["strengths"][0] == {"text": "熟悉工单系统", "importance": 4, "evidence": "季度质检 95 分"}
    assert entries[0]["completion"] == 0.67
    json.dumps(entries)


def test_hostile_payload_strings_are_kept_as_plain_data() -> None:
    strings = json.loads(fixture("xss_strings.json"))
    assert len(strings) >= 20
    entries = load_backup(fixture("xss_payloads_backup.json"))
    assert [e["name"] for e in entries[: len(strings)]] == strings
    assert [e["data"]["goal_text"] for e in entries[: len(strings)]] == strings


def test_limits_match_the_browser_reader() -> None:
    source = ENVELOPE_JS.read_text(encoding="utf-8")
    block = source[source.index("export const LIMITS") : source.index("});", source.index("export const LIMITS"))]
    js = {k: int(v.replace("_", "")) for k, v in re.findall(r"(\w+): ([\d_]+),", block)}
    assert js == dict(schema.LIMITS)
    assert re.search(r'FORBIDDEN_KEYS = Object\.freeze\(\["__proto__", "constructor", "prototype"\]\)', source)
    assert f"SCHEMA_VERSION = {schema.SCHEMA_VERSION};" in source


# ---- envelopes ---------------------------------------------------------------------------


def test_valid_envelope_is_returned_unchanged_and_unknown_keys_dropped() -> None:
    assert validate_envelope(env()) == env()
    assert validate_envelope(env(completion=0.5))["completion"] == 0.5
    assert "completion" not in validate_envelope(env(completion=None))
    assert "extra" not in validate_envelope(env(extra=1))
    assert validate_envelope(env(rev=3.0, schema_version=1.0))["rev"] == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("worksheet", "SMART"), ("worksheet", "a.b"), ("worksheet", 3), ("worksheet_version", 0),
        ("worksheet_version", True), ("worksheet_version", 1.5), ("id", ""), ("id", "a b"), ("id", "x" * 65),
        ("name", ""), ("name", "   "), ("name", 5), ("name", "名" * 121), ("created_at", "2026-01-05"),
        ("saved_at", "2026-02-29T00:00:00Z"), ("saved_at", "2026-01-01T00:00:00"), ("rev", -1), ("rev", "2"),
        ("rev", False), ("rev", 2**31), ("completion", 1.5), ("completion", True), ("data", []), ("data", None),
    ],
)
def test_broken_fields_are_refused(field: str, value: Any) -> None:
    assert reason(validate_envelope, env(**{field: value})) == "bad_field"


def test_version_ids_are_optional_and_checked() -> None:
    out = validate_envelope(env(vid="v1abc", parent="v0xyz"))
    assert (out["vid"], out["parent"]) == ("v1abc", "v0xyz")
    assert "vid" not in validate_envelope(env(vid=None))
    for bad in ("", "a.b", 5, "x" * 65):
        assert reason(validate_envelope, env(vid=bad)) == "bad_field"
        assert reason(validate_envelope, env(parent=bad)) == "bad_field"


def test_names_and_strings_are_measured_in_code_points_like_the_browser() -> None:
    assert validate_envelope(env(name="😀" * 120))
    assert validate_envelope(env(data={"t": "😀" * schema.LIMITS["stringChars"]}))
    assert reason(validate_envelope, env(data={"t": "x" * (schema.LIMITS["stringChars"] + 1)})) == "too_long"


def test_forbidden_keys_refuse_the_record_wherever_they_are() -> None:
    for key in schema.FORBIDDEN_KEYS:
        assert reason(validate_envelope, env(data={"rows": [{key: {"x": 1}}]})) == "forbidden_key"
        assert reason(validate_envelope, {key: 1, **env()}) == "forbidden_key"
        assert reason(parse_backup, json.dumps({"format": "worksheet-backup", "schema_version": 1, "entries": [], key: 1})) == "forbidden_key"


def test_data_depth_and_size_limits() -> None:
    deep: Any = "x"
    for _ in range(schema.LIMITS["depth"] - 1):
        deep = {"d": deep}
    assert validate_envelope(env(data={"d": deep}))
    assert reason(validate_envelope, env(data={"d": {"d": deep}})) == "too_deep"
    assert reason(validate_envelope, env(data={"l": [""] * (schema.LIMITS["items"] + 1)})) == "too_big"
    assert reason(validate_envelope, env(data={f"k{i}": "" for i in range(schema.LIMITS["keys"] + 1)})) == "too_big"
    assert reason(validate_envelope, env(data={"n": float("inf")})) == "bad_value"


def test_nesting_bombs_and_odd_json_are_refused_cleanly() -> None:
    assert reason(parse_backup, "[" * 100_000 + "]" * 100_000) == "too_deep"
    assert reason(parse_backup, "[" * 100_000) in {"not_json", "too_deep"}
    assert reason(parse_backup, '{"format": "worksheet-backup", "schema_version": 1, "entries": [], "x": Infinity}') == "not_json"
    assert reason(parse_backup, "null") == "wrong_format"
    assert reason(parse_backup, " ") == "empty"
    assert reason(parse_backup, '"' + "x" * schema.LIMITS["fileChars"] + '"') == "too_large"
    assert reason(parse_backup, '{"format": "worksheet-backup", "schema_version": 1}') == "no_entries"
    assert reason(parse_backup, '{"format": "worksheet-backup", "entries": []}') == "bad_version"


def test_dates_are_strict_iso_8601_on_real_days() -> None:
    for ok in ("2026-01-05T09:00:00Z", "2024-02-29T23:59:59+08:00", "2026-01-05T09:00:00.123456-05:30"):
        assert is_iso_datetime(ok), ok
    for bad in ("2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-05 09:00:00Z", "２０２６-01-05T09:00:00Z",
                "2026-01-05T09:00:00+24:00", "", None):
        assert not is_iso_datetime(bad), bad


# ---- migration --------------------------------------------------------------------------


def test_v0_is_migrated_step_by_step_and_deterministically() -> None:
    v0 = json.loads(fixture("v0_entry.json"))
    a = upgrade_envelope(v0)
    assert a == upgrade_envelope(json.loads(fixture("v0_entry.json")))
    assert a["schema_version"] == 1 and a["worksheet"] == "smart" and a["name"] == v0["title"]
    assert a["saved_at"] == a["created_at"] == v0["updated"]
    assert a["data"] == v0["values"]
    assert a["id"] == MANIFEST["v0_entry.json"]["ids"][0]
    assert upgrade_envelope(v0, id_hint="fromKey")["id"] == "fromKey"
    bare = upgrade_envelope({"format": "worksheet-entry", "schema_version": 0, "slug": "grow", "values": {}})
    assert bare["name"] == "未命名条目" and bare["saved_at"] == "1970-01-01T00:00:00.000Z"
    assert sorted(schema.MIGRATIONS) == list(range(schema.SCHEMA_VERSION)), "one step per old version, none dropped"


def test_newer_and_broken_versions_are_refused_not_guessed() -> None:
    assert reason(upgrade_envelope, env(schema_version=2)) == "too_new"
    assert reason(upgrade_envelope, env(schema_version=-1)) == "bad_version"
    assert reason(upgrade_envelope, env(schema_version="1")) == "bad_version"
    assert reason(upgrade_envelope, {"format": "worksheet-entry", "schema_version": 0, "slug": "grow"}) == "bad_field"


def test_fnv1a_matches_the_browser() -> None:
    assert schema._fnv1a("") == "811c9dc5"
    assert schema._fnv1a("a") == "e40c292c"


# ---- properties -------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_read_or_refused_with_a_format_error(value: Any) -> None:
    text = json.dumps(value)
    try:
        load_backup(text)
    except BackupFormatError as exc:
        assert CHINESE.search(str(exc))
    wrapped = json.dumps({"format": "worksheet-backup", "schema_version": 1, "entries": [env(data={"x": value})]})
    try:
        entries = load_backup(wrapped)
    except BackupFormatError as exc:
        assert exc.reason in {"forbidden_key", "too_deep", "too_big", "too_long"}
    else:
        assert entries[0]["data"]["x"] == value or value != value


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(min_size=1, max_size=120).filter(lambda s: s.strip()),
    data=st.dictionaries(st.text(max_size=10).filter(lambda k: k not in schema.FORBIDDEN_KEYS), st.text(max_size=50), max_size=6),
    rev=st.integers(0, 2**31 - 1),
)
def test_export_then_import_gives_back_identical_entries(name: str, data: dict[str, str], rev: int) -> None:
    original = env(name=name, data=data, rev=rev)
    text = json.dumps({"format": "worksheet-backup", "schema_version": 1, "entries": [original]}, ensure_ascii=False)
    assert load_backup(text) == [original]


# ---- the JSON schema files --------------------------------------------------------------

SCHEMA_DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
REGISTRY = {doc["$id"]: doc for doc in SCHEMA_DOCS.values()}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _resolve(ref: str, base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    uri, _, pointer = ref.partition("#")
    doc = REGISTRY[uri] if uri else base
    node: Any = doc
    for part in [p for p in pointer.split("/") if p]:
        node = node[part]
    return node, doc


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def conforms(value: Any, s: dict[str, Any], base: dict[str, Any]) -> bool:
    """The small subset of JSON Schema 2020-12 the repo's schema files use."""
    if "$ref" in s:
        target, doc = _resolve(s["$ref"], base)
        if not conforms(value, target, doc):
            return False
    if "type" in s:
        names = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(_is_type(value, n) for n in names):
            return False
    if "const" in s and (value != s["const"] or isinstance(value, bool) != isinstance(s["const"], bool)):
        return False
    if "enum" in s and value not in s["enum"]:
        return False
    if "anyOf" in s and not any(conforms(value, sub, base) for sub in s["anyOf"]):
        return False
    if "not" in s and conforms(value, s["not"], base):
        return False
    if isinstance(value, str):
        if len(value) < s.get("minLength", 0) or len(value) > s.get("maxLength", len(value)):
            return False
        if "pattern" in s and not re.search(s["pattern"], value, re.ASCII):
            return False
    if _is_type(value, "number"):
        if value < s.get("minimum", value) or value > s.get("maximum", value):
            return False
    if isinstance(value, list):
        if len(value) > s.get("maxItems", len(value)):
            return False
        if "items" in s and not all(conforms(v, s["items"], base) for v in value):
            return False
    if isinstance(value, dict):
        if any(k not in value for k in s.get("required", [])) or len(value) > s.get("maxProperties", len(value)):
            return False
        if "propertyNames" in s and not all(conforms(k, s["propertyNames"], base) for k in value):
            return False
        props = s.get("properties", {})
        for k, v in value.items():
            sub = props.get(k, s.get("additionalProperties", True))
            if sub is False or (isinstance(sub, dict) and not conforms(v, sub, base)):
                return False
    return True


def test_schema_files_have_ids_titles_and_match_the_code() -> None:
    assert {"entry.v1.schema.json", "entry.v0.schema.json", "backup.v1.schema.json"} <= set(SCHEMA_DOCS)
    for name, doc in SCHEMA_DOCS.items():
        assert doc["$id"].startswith("urn:worksheet-engine:schema:"), name
        assert CHINESE.search(doc["title"]), name
        assert doc["$schema"].endswith("/draft/2020-12/schema"), name
    entry = SCHEMA_DOCS["entry.v1.schema.json"]
    assert set(entry["required"]) == set(env())
    assert entry["properties"]["name"]["maxLength"] == schema.LIMITS["nameChars"]
    assert SCHEMA_DOCS["backup.v1.schema.json"]["properties"]["entries"]["maxItems"] == schema.LIMITS["entries"]


@pytest.mark.parametrize("name", sorted(n for n, v in MANIFEST.items() if v["ok"]))
def test_files_the_reader_accepts_conform_to_the_json_schemas(name: str) -> None:
    doc = json.loads(fixture(name).lstrip("\ufeff"))
    backup = SCHEMA_DOCS["backup.v1.schema.json"]
    if doc.get("format") == "worksheet-backup":
        assert conforms(doc, backup, backup)
    else:
        assert any(conforms(doc, SCHEMA_DOCS[s], SCHEMA_DOCS[s]) for s in ("entry.v1.schema.json", "entry.v0.schema.json"))
    for e in load_backup(fixture(name)):
        assert conforms(e, SCHEMA_DOCS["entry.v1.schema.json"], SCHEMA_DOCS["entry.v1.schema.json"])


@pytest.mark.parametrize(
    "name", ["hostile_proto.json", "hostile_constructor.json", "hostile_huge_string.json", "hostile_types.json",
             "too_new_backup.json", "too_new_entry.json", "bad_entry_in_backup.json", "wrong_format.json"]
)
def test_files_the_reader_refuses_also_fail_the_json_schemas(name: str) -> None:
    backup = SCHEMA_DOCS["backup.v1.schema.json"]
    assert not conforms(json.loads(fixture(name)), backup, backup)
