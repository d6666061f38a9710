"""The trainer tools' backup reader (lenient, Python) and the format's JSON Schema
documentation, against the shared fixtures whose verdicts the browser's own reader
(envelope.js, the format's owner) defines in tests/fixtures/backups/manifest.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from worksheet_engine.api import evaluate
from worksheet_engine.errors import EntryFormatError
from worksheet_engine.tools.backups import CODES, BackupFormatError, load_backup

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backups"
MANIFEST: dict[str, dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
SCHEMAS = Path(__file__).resolve().parents[2] / "worksheet_engine" / "schemas"
SCHEMA_DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
REGISTRY = Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in SCHEMA_DOCS.values())
#: Refusals that are about the file as a whole: the trainer tools refuse them with the browser's code.
STRUCTURAL = {"empty", "not_json", "too_deep", "forbidden_key", "wrong_format", "too_new"}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMA_DOCS[name], registry=REGISTRY)


def test_every_fixture_is_in_the_manifest() -> None:
    files = {p.name for p in FIXTURES.glob("*.json")} - {"manifest.json", "xss_strings.json"}
    assert files == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(n for n, v in MANIFEST.items() if v["ok"]))
def test_files_the_browser_reads_are_read_alike(name: str) -> None:
    want = MANIFEST[name]
    entries = load_backup(fixture(name))
    assert [e["id"] for e in entries] == want["ids"]
    assert [e["name"] for e in entries] == want["names"]
    assert [e["worksheet"] for e in entries] == want["worksheets"]
    assert all(e["schema_version"] == 1 and isinstance(e["data"], dict) for e in entries)


@pytest.mark.parametrize("name", sorted(n for n, v in MANIFEST.items() if not v["ok"] and v["code"] in STRUCTURAL))
def test_files_that_are_no_backup_are_refused_with_the_browsers_code(name: str) -> None:
    with pytest.raises(BackupFormatError) as info:
        load_backup(fixture(name))
    assert info.value.code == MANIFEST[name]["code"]
    assert isinstance(info.value, EntryFormatError) and str(info.value)


@pytest.mark.parametrize("name", sorted(n for n, v in MANIFEST.items() if not v["ok"] and v["code"] not in STRUCTURAL))
def test_files_with_faulty_details_are_read_leniently_and_still_check(name: str) -> None:
    # The browser refuses these (a field out of its limits); the class report may read them:
    # every entry still evaluates without an internal fault.
    for entry in load_backup(fixture(name)):
        codes = {i["code"] for i in evaluate(entry["worksheet"], entry["data"])["issues"]} if entry["worksheet"] in (
            "smart", "swot", "q10", "grow") else set()
        assert "internal" not in codes


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
                    max_leaves=30))
def test_any_json_is_read_or_refused_with_a_known_code(value: Any) -> None:
    try:
        entries = load_backup(json.dumps(value))
    except BackupFormatError as exc:
        assert exc.code in CODES
    else:
        assert all(isinstance(e["data"], dict) and isinstance(e["worksheet"], str) for e in entries)


def test_schema_files_are_valid_json_schema_with_ids_and_titles() -> None:
    assert {"entry.v1.schema.json", "entry.v0.schema.json", "backup.v1.schema.json"} <= set(SCHEMA_DOCS)
    for name, doc in SCHEMA_DOCS.items():
        Draft202012Validator.check_schema(doc)
        assert doc["$id"].startswith("urn:worksheet-engine:schema:"), name
        assert doc["title"], name


@pytest.mark.parametrize("name", sorted(n for n, v in MANIFEST.items() if v["ok"]))
def test_files_the_browser_reads_conform_to_the_json_schemas(name: str) -> None:
    doc = json.loads(fixture(name).lstrip("\ufeff"))
    if doc.get("format") == "worksheet-backup":
        validator("backup.v1.schema.json").validate(doc)
    else:
        assert any(validator(s).is_valid(doc) for s in ("entry.v1.schema.json", "entry.v0.schema.json"))


@pytest.mark.parametrize("name", ["hostile_proto.json", "hostile_constructor.json", "hostile_huge_string.json",
                                  "hostile_types.json", "too_new_backup.json", "too_new_entry.json",
                                  "bad_entry_in_backup.json", "wrong_format.json"])
def test_files_the_browser_refuses_also_fail_the_json_schemas(name: str) -> None:
    doc = json.loads(fixture(name))
    assert not any(validator(s).is_valid(doc) for s in ("backup.v1.schema.json", "entry.v1.schema.json",
                                                         "entry.v0.schema.json"))


def test_hostile_payload_strings_are_kept_as_plain_data() -> None:
    strings = json.loads(fixture("xss_strings.json"))
    entries = load_backup(fixture("xss_payloads_backup.json"))
    kept = json.dumps([e["data"] for e in entries] + [e["name"] for e in entries], ensure_ascii=False)
    assert len(strings) >= 20 and all(json.dumps(s, ensure_ascii=False)[1:-1] in kept for s in strings)
