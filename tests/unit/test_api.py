"""The JSON façade, the definition model and the safe report renderer."""

from __future__ import annotations

import json

import pytest

from worksheet_engine import api
from worksheet_engine.errors import UnknownWorksheetError
from worksheet_engine.model import Field, Section, Worksheet, coerce
from worksheet_engine.markdown import md_escape, md_table, to_html
from worksheet_engine.worksheets import WORKSHEETS


def test_evaluate_returns_common_keys_and_is_json_serialisable() -> None:
    """Every result carries the keys the browser relies on."""
    r = api.evaluate("smart", {"goal_text": "本季度末前，将 CSAT 从 85% 提升到 92%。"}, "2026-11-24")
    for key in ("slug", "worksheet_version", "engine_version", "ok", "headline", "issues", "completion",
                "report_md", "report_html", "criteria"):
        assert key in r
    json.dumps(r)


def test_unknown_worksheet_raises_in_python_and_is_an_error_in_json() -> None:
    with pytest.raises(UnknownWorksheetError):
        api.evaluate("nope", {})
    out = json.loads(api.evaluate_json("nope", "{}"))
    assert out["error"]["code"] == "unknown_worksheet"
    assert "nope" in out["error"]["message"]


@pytest.mark.parametrize("payload", ["", "not json", "[1,2]", "null", "{", '"text"'])
def test_evaluate_json_turns_bad_payloads_into_error_objects(payload: str) -> None:
    out = json.loads(api.evaluate_json("smart", payload))
    assert out["error"]["code"] == "entry_format"


def test_empty_goal_is_an_issue_not_an_exception() -> None:
    r = api.evaluate("smart", {})
    assert r["ok"] is False
    assert any(i["code"] == "required" and i["field"] == "goal_text" for i in r["issues"])


def test_info_is_the_definition_the_form_uses() -> None:
    info = api.worksheet_info("smart")
    assert info["slug"] == "smart"
    assert [f["name"] for s in info["sections"] for f in s["fields"]][0] == "goal_text"
    assert set(api.worksheet_info()) == set(WORKSHEETS)


def test_every_worksheet_example_evaluates_cleanly() -> None:
    """The 填入示例 data of each worksheet produces a result without errors."""
    for slug, ws in WORKSHEETS.items():
        r = api.evaluate(slug, dict(ws.example), "2026-11-24")
        assert not [i for i in r["issues"] if i["severity"] == "error"], (slug, r["issues"])
        assert r["report_md"].strip(), slug
        assert r["completion"] > 0.5, slug


def _tiny() -> Worksheet:
    return Worksheet(
        slug="t", version=1, title="T", description="", lecture="x.md",
        sections=(Section("a", "A", (
            Field("name", "名称", max_length=5),
            Field("score", "分数", kind="number", minimum=1, maximum=5),
            Field("rows", "行", kind="list", item_fields=(Field("text", "文字"), Field("w", "权重", kind="number"))),
        )),),
        evaluate=lambda v: {"ok": True},
    )


def test_coerce_handles_wrong_types_long_text_and_extra_keys() -> None:
    values, issues = coerce(_tiny(), {"name": "长长长长长长长", "score": "9", "rows": ["裸字符串", 3, {"w": "x"}], "extra": 1})
    assert values["name"] == "长长长长长"
    assert values["score"] is None
    assert values["rows"] == [{"text": "裸字符串", "w": None}]
    codes = {i.code for i in issues}
    assert {"too_long", "out_of_range", "not_a_number"} <= codes


def test_coerce_of_non_mapping_is_an_issue() -> None:
    values, issues = coerce(_tiny(), ["not", "a", "dict"])
    assert values["rows"] == [] and issues[0].code == "malformed_entry"


def test_duplicate_field_names_are_rejected() -> None:
    with pytest.raises(ValueError):
        Worksheet(slug="d", version=1, title="", description="", lecture="", evaluate=lambda v: {},
                  sections=(Section("a", "A", (Field("x", "X"), Field("x", "Y"))),))


def test_report_html_escapes_user_text() -> None:
    md = "## 标题\n\n" + md_table(["a", "b"], [["<script>alert(1)</script>", "x | y"]]) + "\n\n- **粗** <img src=x>"
    html = to_html(md)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<td>x | y</td>" in html
    assert "<strong>粗</strong>" in html


def test_md_escape_neutralises_markdown_in_user_text() -> None:
    assert "<strong>" not in to_html(md_escape("**不是粗体**"))
    assert md_escape("a\nb|c") == "a b\\|c"
