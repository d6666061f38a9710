"""Property tests shared by every registered worksheet: any input, no exception, fast.

For each slug in ``WORKSHEETS`` hypothesis builds entry data from the worksheet's own
definition and then breaks it: any Unicode text up to 20,000 characters in any field,
wrong types for fields and for list rows, missing and extra keys, and non-dict data.
``api.evaluate`` must never raise, must return a JSON-serialisable dict with the common
keys, and must finish each call in under 100 ms on CPython.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worksheet_engine import api
from worksheet_engine.model import Field, Worksheet
from worksheet_engine.worksheets import WORKSHEETS

SLUGS = sorted(WORKSHEETS)
COMMON_KEYS = {"ok", "headline", "issues", "report_md", "report_html"}
LIMIT_SECONDS = 0.1
MAX_TEXT = 20_000

SETTINGS = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------------------
# Value strategies
# --------------------------------------------------------------------------------------

_SHORT_TEXT = st.text(max_size=80)
# Long text cannot be drawn character by character within hypothesis's buffer, so a
# drawn chunk is repeated up to the 20,000-character limit.
_LONG_TEXT = st.builds(
    lambda chunk, n: (chunk * (MAX_TEXT // max(1, len(chunk)) + 1))[:n],
    st.text(min_size=1, max_size=40),
    st.integers(min_value=1, max_value=MAX_TEXT),
)
_DOMAIN_TEXT = st.sampled_from(
    [
        "S1+O2", "优势1和机会二", "Ｓ１＋Ｏ２", "W9", "本季度末前将 CSAT 从 85% 提升到 92%",
        "我的沟通能力很强", "公司明年要裁员", "AI 机器人", "2024-13-45", "1e309", "-0", "NaN",
        "<script>alert(1)</script>", "| --- | **x** |", "\x00\u200b\ufeff", "😀" * 50, "  ",
        "你觉得呢？", "为什么没做到？", "是不是", "30", "3.5", "五",
    ]
)
TEXT = st.one_of(_SHORT_TEXT, _LONG_TEXT, _DOMAIN_TEXT)

SCALAR_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
LEAF = st.one_of(TEXT, SCALAR_JUNK)
JUNK = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=10), inner, max_size=4),
    ),
    max_leaves=8,
)


def _scalar_value(f: Field) -> st.SearchStrategy[Any]:
    """Plausible values for one non-list field, mixed with junk of every type."""
    plausible: list[st.SearchStrategy[Any]] = [TEXT]
    if f.kind == "number":
        lo = f.minimum if f.minimum is not None else -1000
        hi = f.maximum if f.maximum is not None else 1000
        plausible.append(st.floats(min_value=lo - 5, max_value=hi + 5))
        plausible.append(st.integers(min_value=int(lo) - 5, max_value=int(hi) + 5))
    if f.kind == "select" and f.options:
        plausible.append(st.sampled_from([v for v, _ in f.options]))
    if f.kind == "date":
        plausible.append(st.dates().map(lambda d: d.isoformat()))
    return st.one_of(*plausible, SCALAR_JUNK, JUNK)


def _row(f: Field) -> st.SearchStrategy[Any]:
    good = st.fixed_dictionaries(
        {}, optional={sub.name: _scalar_value(sub) for sub in f.item_fields}
    )
    with_extra = st.builds(lambda d, extra: {**extra, **d}, good, st.dictionaries(st.text(max_size=8), JUNK, max_size=3))
    return st.one_of(good, with_extra, TEXT, SCALAR_JUNK, st.lists(LEAF, max_size=3))


def _field_value(f: Field) -> st.SearchStrategy[Any]:
    if f.kind != "list":
        return _scalar_value(f)
    rows = st.lists(_row(f), max_size=min(f.max_items + 3, 40))
    return st.one_of(rows, SCALAR_JUNK, TEXT, st.dictionaries(st.text(max_size=5), JUNK, max_size=3))


def entries(ws: Worksheet) -> st.SearchStrategy[Any]:
    """Entry data for ``ws``: mostly dicts (any subset of fields, plus extra keys), sometimes not."""
    as_dict = st.builds(
        lambda known, extra: {**extra, **known},
        st.fixed_dictionaries({}, optional={f.name: _field_value(f) for f in ws.fields}),
        st.dictionaries(st.text(max_size=12), JUNK, max_size=3),
    )
    return st.one_of(as_dict, as_dict, as_dict, JUNK, st.just(dict(ws.example)))


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def _timed_evaluate(slug: str, data: Any, today: Any) -> tuple[dict[str, Any], float]:
    """Evaluate and measure CPU time (not wall time: on a loaded 2-core CI box the
    process can be descheduled mid-call). A slow input is measured up to 3 times and
    judged by its best run; a genuinely slow evaluator fails every time."""
    best = float("inf")
    result: dict[str, Any] = {}
    for _ in range(3):
        start = time.process_time()
        result = api.evaluate(slug, data, today)
        best = min(best, time.process_time() - start)
        if best < LIMIT_SECONDS:
            break
    return result, best


def _check_result(result: Any) -> None:
    assert isinstance(result, dict)
    assert COMMON_KEYS <= result.keys(), sorted(result)
    text = json.dumps(result, ensure_ascii=False)
    assert json.loads(text)["ok"] in (True, False)
    assert isinstance(result["headline"], str)
    assert isinstance(result["report_md"], str) and isinstance(result["report_html"], str)
    assert isinstance(result["issues"], list)
    for issue in result["issues"]:
        assert {"code", "field", "severity", "message", "suggestion"} <= issue.keys()
        assert issue["severity"] in ("error", "warning", "info")
        assert isinstance(issue["code"], str) and issue["code"]
        assert issue["code"] != "internal", issue  # an analyser crashed inside the worksheet


TODAY = st.one_of(st.none(), st.dates(), st.dates().map(str), TEXT)


@pytest.mark.parametrize("slug", SLUGS)
def test_evaluate_never_raises_and_is_fast(slug: str) -> None:
    ws = WORKSHEETS[slug]

    @SETTINGS
    @given(data=entries(ws), today=TODAY)
    def prop(data: Any, today: Any) -> None:
        result, elapsed = _timed_evaluate(slug, data, today)
        _check_result(result)
        assert elapsed < LIMIT_SECONDS, f"{slug}: {elapsed * 1000:.1f} ms"

    prop()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_field_at_maximum_length(slug: str) -> None:
    """Every text field (and list row) filled to 20,000 characters at once."""
    ws = WORKSHEETS[slug]
    long_text = ("客服主管S1+O2本季度末前将CSAT从85%提升到92%，你觉得呢？" * 700)[:MAX_TEXT]
    data: dict[str, Any] = {}
    for f in ws.fields:
        if f.kind == "list":
            data[f.name] = [{sub.name: long_text for sub in f.item_fields} for _ in range(f.max_items + 5)]
        else:
            data[f.name] = long_text
    result, elapsed = _timed_evaluate(slug, data, "2025-03-01")
    _check_result(result)
    assert elapsed < LIMIT_SECONDS, f"{slug}: {elapsed * 1000:.1f} ms"


@pytest.mark.parametrize("slug", SLUGS)
def test_example_evaluates(slug: str) -> None:
    ws = WORKSHEETS[slug]
    assert ws.example, f"{slug} has no worked example"
    result = api.evaluate(slug, dict(ws.example), "2025-03-01")
    _check_result(result)
    assert not [i for i in result["issues"] if i["severity"] == "error"], result["issues"]


# --------------------------------------------------------------------------------------
# evaluate_json: the browser entry point
# --------------------------------------------------------------------------------------


def _loads_json_reply(reply: Any) -> dict[str, Any]:
    assert isinstance(reply, str)
    parsed = json.loads(reply)
    assert isinstance(parsed, dict)
    return parsed


@SETTINGS
@given(slug=st.sampled_from(SLUGS), payload=st.one_of(st.text(max_size=200), _LONG_TEXT))
def test_evaluate_json_garbage_strings(slug: str, payload: str) -> None:
    try:
        parsed_ok = isinstance(json.loads(payload), dict)
    except ValueError:
        parsed_ok = False
    reply = _loads_json_reply(api.evaluate_json(slug, payload))
    if parsed_ok:  # any JSON object is an entry: it gets a result, never an error
        assert "error" not in reply, reply
        _check_result(reply)
    else:
        assert set(reply) == {"error"}
        assert {"code", "message"} <= reply["error"].keys()


@SETTINGS
@given(slug=st.sampled_from(SLUGS), value=JUNK, today=st.one_of(st.none(), TEXT))
def test_evaluate_json_any_json_value(slug: str, value: Any, today: str | None) -> None:
    payload = json.dumps(value, ensure_ascii=False)
    reply = _loads_json_reply(api.evaluate_json(slug, payload, today))
    if isinstance(value, dict):
        assert "error" not in reply, reply
        _check_result(reply)
    else:
        assert set(reply) == {"error"}


@pytest.mark.parametrize(
    "payload",
    ["", "{", "null", "[]", "42", '"text"', "NaN", "{'a': 1}", "\x00", "{\"a\":}", "\ud800"],
)
@pytest.mark.parametrize("slug", SLUGS)
def test_evaluate_json_known_garbage(slug: str, payload: str) -> None:
    reply = _loads_json_reply(api.evaluate_json(slug, payload))
    assert set(reply) == {"error"}


def test_evaluate_json_unknown_slug() -> None:
    reply = _loads_json_reply(api.evaluate_json("no-such-sheet", "{}"))
    assert reply["error"]["code"] == "unknown_worksheet"


def test_evaluate_json_non_string_payload() -> None:
    for payload in (None, 42, ["x"], {"a": 1}):
        reply = _loads_json_reply(api.evaluate_json("swot", payload))  # type: ignore[arg-type]
        assert "error" in reply
