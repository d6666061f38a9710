"""Tests for the SWOT 自我扫描 worksheet (worksheet_engine/worksheets/swot.py)."""

from __future__ import annotations

import copy
import json
import random
import time
from typing import Any

import pytest

from tests.timing import best_cpu_time

from worksheet_engine import api
from worksheet_engine.model import coerce
from worksheet_engine.worksheets import WORKSHEETS
from worksheet_engine.worksheets import swot

EXAMPLE: dict[str, Any] = copy.deepcopy(dict(swot.DEFINITION.example))


def run(data: dict[str, Any]) -> dict[str, Any]:
    return api.evaluate("swot", data)


def codes(result: dict[str, Any]) -> list[str]:
    return [i["code"] for i in result["issues"]]


def issues_with(result: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in result["issues"] if i["code"] == code]


def rows(*texts: str, importance: Any = None) -> list[dict[str, Any]]:
    return [{"text": t, "importance": importance} for t in texts]


def base_entry(**overrides: Any) -> dict[str, Any]:
    """A small, clean entry (two items per quadrant, one strategy per cell)."""
    data: dict[str, Any] = {
        "context": "我作为客服一组组长的下一年",
        "strengths": rows("做过 5 年投诉专席，熟悉升级投诉的处理流程", "组内质检均分连续两个季度第一"),
        "weaknesses": rows("不会用 Excel 做数据透视，周报靠手工统计", "新人带教没有固定的清单"),
        "opportunities": rows("公司下半年上线新的知识库系统", "部门计划选拔 2 名储备主管"),
        "threats": rows("AI 机器人开始接待简单咨询，人工话务量下降", "大促期间话务量翻倍，排班压力大"),
        "so": [{"strategy": "用投诉处理经验为新知识库编写 20 条投诉话术，9 月前上线", "uses": "S1+O1"}],
        "wo": [{"strategy": "借新知识库整理新人带教清单，每月更新一次", "uses": "W2+O1"}],
        "st": [{"strategy": "把质检第一的做法教给全组，3 个月内让人工专注复杂咨询", "uses": "S2+T1"}],
        "wt": [{"strategy": "大促前两周参加 Excel 速成课，用透视表做排班预测", "uses": "W1+T2"}],
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------------------
# Definition
# --------------------------------------------------------------------------------------


def test_definition_registered_and_shaped() -> None:
    ws = WORKSHEETS["swot"]
    assert ws is swot.DEFINITION
    assert ws.lecture == "lectures/02-swot.md"
    names = [f.name for f in ws.fields]
    assert names == ["context", "strengths", "weaknesses", "opportunities", "threats", "so", "wo", "st", "wt"]
    by_name = {f.name: f for f in ws.fields}
    for name in ("strengths", "weaknesses", "opportunities", "threats"):
        f = by_name[name]
        assert f.kind == "list"
        sub = {s.name: s for s in f.item_fields}
        assert sub["importance"].kind == "number"
        assert (sub["importance"].minimum, sub["importance"].maximum) == (1, 5)
        assert sub["text"].max_length > 0
    for name in ("so", "wo", "st", "wt"):
        assert [s.name for s in by_name[name].item_fields] == ["strategy", "uses"]
    info = api.worksheet_info("swot")
    json.dumps(info, ensure_ascii=False)
    assert info["example"]["context"].startswith("未来 12 个月，我作为二组组长")


def test_example_is_clean() -> None:
    r = run(EXAMPLE)
    assert r["ok"] is True, r["issues"]
    assert not [i for i in r["issues"] if i["severity"] in ("error", "warning")]
    assert r["completion"] == 1.0
    assert all(not s["missing"] for s in r["strategies"])
    assert len(r["strategies"]) == 8
    json.dumps(r, ensure_ascii=False)


def test_example_report_contents() -> None:
    r = run(EXAMPLE)
    md = r["report_md"]
    for item_id in ("S1", "S2", "S3", "W1", "W3", "O1", "O3", "T1", "T3"):
        assert f"**{item_id}**" in md
    assert "### TOWS 交叉矩阵" in md
    assert "| O 机会 | SO 增长型：" in md
    assert "WT 防御型" in md and "ST 多元型" in md and "WO 扭转型" in md
    assert "### 策略优先级" in md
    assert "教学参考" in md
    html = r["report_html"]
    assert "<table>" in html and "<h2>SWOT 自我扫描</h2>" in html


def test_empty_entry() -> None:
    r = run({})
    assert r["ok"] is False
    assert codes(r) == ["required"]
    assert r["issues"][0]["severity"] == "error"
    assert r["headline"]


def test_missing_context_is_an_error() -> None:
    r = run(base_entry(context=""))
    assert r["ok"] is False
    assert "required" in codes(r)


def test_base_entry_is_clean() -> None:
    r = run(base_entry())
    assert r["ok"] is True, r["issues"]


# --------------------------------------------------------------------------------------
# Quadrant sizes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1])
def test_quadrant_too_few(count: int) -> None:
    r = run(base_entry(threats=rows("AI 机器人开始接待简单咨询，人工话务量下降")[:count]))
    found = issues_with(r, "quadrant_too_few")
    assert [i["field"] for i in found] == ["threats"]
    assert r["ok"] is False


def test_quadrant_size_limits() -> None:
    seven = rows(*(f"会做第 {n} 种客服报表，每周按时提交" for n in range(7)))
    eight = rows(*(f"会做第 {n} 种客服报表，每周按时提交" for n in range(8)))
    assert "quadrant_too_many" not in codes(run(base_entry(strengths=seven)))
    found = issues_with(run(base_entry(strengths=eight)), "quadrant_too_many")
    assert [i["field"] for i in found] == ["strengths"]


# --------------------------------------------------------------------------------------
# Internal / external placement
# --------------------------------------------------------------------------------------

EXTERNAL_PHRASES = [
    "竞争对手的客服薪资比我们高 20%",
    "市场上有经验的客服越来越难招",
    "公司明年要裁员，客服编制缩减 10%",
    "AI 机器人可以替代人工接待简单咨询",
    "客户需求变化快，线上咨询量大增",
    "行业整体服务标准在提高",
    "监管政策要求投诉 48 小时内办结",
    "公司今年要调整排班规则，取消弹性班",
]

INTERNAL_PHRASES = [
    "我的沟通能力很强，组员愿意找我谈心",
    "我擅长做排班和话务预测",
    "团队成员经验不足，新人占一半",
    "我缺乏数据分析技能",
    "组员流失率高，上季度走了 3 人",
    "性格急躁，面谈时容易打断员工",
    "新人多，投诉处理流程不熟",
]


@pytest.mark.parametrize("quadrant", ["strengths", "weaknesses"])
@pytest.mark.parametrize("phrase", EXTERNAL_PHRASES)
def test_external_item_under_internal_quadrant(quadrant: str, phrase: str) -> None:
    entry = base_entry()
    entry[quadrant] = entry[quadrant] + rows(phrase)
    found = issues_with(run(entry), "item_looks_external")
    assert [i["field"] for i in found] == [f"{quadrant}.2.text"]
    assert found[0]["suggestion"]


@pytest.mark.parametrize("quadrant", ["opportunities", "threats"])
@pytest.mark.parametrize("phrase", INTERNAL_PHRASES)
def test_internal_item_under_external_quadrant(quadrant: str, phrase: str) -> None:
    entry = base_entry()
    entry[quadrant] = entry[quadrant] + rows(phrase)
    found = issues_with(run(entry), "item_looks_internal")
    assert [i["field"] for i in found] == [f"{quadrant}.2.text"]


@pytest.mark.parametrize(
    ("quadrant", "phrase"),
    [
        ("strengths", "我熟悉行业政策，新规出台后一周内能讲给全组"),  # internal knowledge about outside
        ("strengths", "客户对我评价高，去年收到 12 封表扬信"),
        ("weaknesses", "我不擅长向上汇报，月报常被退回"),
        ("opportunities", "公司给我安排了季度管理培训"),
        ("opportunities", "我有机会参加储备干部选拔"),
        ("opportunities", "公司推行新的质检流程，抽检量翻倍"),
        ("opportunities", "中心明年计划扩招约 60 名新人，需要若干名带教组长"),  # 中心 decides, not the team
        ("threats", "AI 机器人的能力越来越强，简单咨询在减少"),
        ("threats", "竞争对手的服务能力更强，客户流向对方"),
    ],
)
def test_correctly_placed_items_are_not_flagged(quadrant: str, phrase: str) -> None:
    entry = base_entry()
    entry[quadrant] = entry[quadrant] + rows(phrase)
    got = codes(run(entry))
    assert "item_looks_external" not in got
    assert "item_looks_internal" not in got


# --------------------------------------------------------------------------------------
# Vague items
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["耐心", "有责任心", "经验丰富", "沟通能力比较强", "做事认真负责又细心"])
def test_vague_items_are_nudged(phrase: str) -> None:
    entry = base_entry()
    entry["strengths"] = entry["strengths"] + rows(phrase)
    found = issues_with(run(entry), "item_vague")
    assert [i["field"] for i in found] == ["strengths.2.text"]
    assert found[0]["severity"] == "info"
    assert "依据" in found[0]["suggestion"] or "数据" in found[0]["suggestion"]


def test_evidence_makes_a_short_item_concrete() -> None:
    entry = base_entry()
    entry["strengths"] = entry["strengths"] + [
        {"text": "耐心", "importance": 4, "evidence": "去年投诉升级 0 次，组内最少"}
    ]
    assert "item_vague" not in codes(run(entry))


@pytest.mark.parametrize("phrase", ["质检分低于组均值 5 分", "上季度 3 份月报有 2 份返工", "熟悉退换货流程"])
def test_concrete_items_pass(phrase: str) -> None:
    entry = base_entry()
    entry["weaknesses"] = entry["weaknesses"] + rows(phrase)
    assert "item_vague" not in codes(run(entry))


# --------------------------------------------------------------------------------------
# Strategy citations
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S1+O2", [("S", 1), ("O", 2)]),
        ("s1、o2", [("S", 1), ("O", 2)]),
        ("Ｓ１＋Ｏ２", []),  # full width is normalised by the evaluator, not here
        ("优势1 和 机会2", [("S", 1), ("O", 2)]),
        ("优势一和机会二", [("S", 1), ("O", 2)]),
        ("劣势十二", [("W", 12)]),
        ("用S3配合T1", [("S", 3), ("T", 1)]),
        ("抓住机会一举拿下", []),
        ("ISO9001 认证、AHT 300 秒", []),
        ("S1+S1+O2", [("S", 1), ("O", 2)]),
    ],
)
def test_parse_item_refs(text: str, expected: list[tuple[str, int]]) -> None:
    assert swot.parse_item_refs(text) == expected


@pytest.mark.parametrize(
    ("strategy", "uses"),
    [
        ("用投诉处理经验为新知识库编写 20 条投诉话术，9 月前上线", "S1+O1"),
        ("用投诉处理经验为新知识库编写 20 条投诉话术，9 月前上线", "S1、O1"),
        ("S1+O1：用投诉处理经验为新知识库编写 20 条投诉话术，9 月前上线", ""),
        ("优势1配合机会1：为新知识库编写 20 条投诉话术，9 月前上线", ""),
        ("为新知识库编写 20 条投诉话术，9 月前上线", "优势一、机会一"),
        ("为新知识库编写 20 条投诉话术，9 月前上线", "Ｓ１＋Ｏ１"),
    ],
)
def test_citation_by_number(strategy: str, uses: str) -> None:
    r = run(base_entry(so=[{"strategy": strategy, "uses": uses}]))
    so1 = r["strategies"][0]
    assert so1["id"] == "SO1"
    assert so1["cites"] == ["S1", "O1"]
    assert so1["cited_by_number"] == ["S1", "O1"]
    assert "strategy_missing_link" not in codes(r)


def test_citation_by_wording() -> None:
    strategy = "结合升级投诉的处理经验，在新的知识库系统里补齐投诉话术，9 月前完成"
    r = run(base_entry(so=[{"strategy": strategy, "uses": ""}]))
    so1 = r["strategies"][0]
    assert so1["cited_by_wording"] == ["S1", "O1"]
    assert so1["missing"] == []
    assert "strategy_missing_link" not in codes(r)


def test_wording_fills_in_only_the_missing_factor() -> None:
    strategy = "在新的知识库系统里补齐投诉话术，9 月前完成"
    r = run(base_entry(so=[{"strategy": strategy, "uses": "S1"}]))
    so1 = r["strategies"][0]
    assert so1["cited_by_number"] == ["S1"]
    assert so1["cited_by_wording"] == ["O1"]


def test_generic_words_do_not_count_as_citation() -> None:
    r = run(base_entry(so=[{"strategy": "我们团队要通过加强工作提升客服能力，每月一次", "uses": ""}]))
    assert r["strategies"][0]["cites"] == []
    found = issues_with(r, "strategy_missing_link")
    assert found and found[0]["field"] == "so.0.strategy"


@pytest.mark.parametrize(
    ("cell", "uses", "missing"),
    [("so", "S1", ["O"]), ("wo", "O1", ["W"]), ("st", "T2", ["S"]), ("wt", "", ["W", "T"])],
)
def test_missing_factor(cell: str, uses: str, missing: list[str]) -> None:
    entry = base_entry(**{cell: [{"strategy": "每周组织一次 30 分钟的案例分享会", "uses": uses}]})
    r = run(entry)
    strat = next(s for s in r["strategies"] if s["cell"] == cell.upper())
    assert strat["missing"] == missing
    found = issues_with(r, "strategy_missing_link")
    assert [i["field"] for i in found] == [f"{cell}.0.strategy"]
    assert r["ok"] is False


def test_unknown_item_reference() -> None:
    r = run(base_entry(so=[{"strategy": "每周组织一次 30 分钟的案例分享会", "uses": "S1+O9"}]))
    found = issues_with(r, "strategy_unknown_item")
    assert [i["field"] for i in found] == ["so.0.uses"]
    assert "O9" in found[0]["message"]
    assert r["strategies"][0]["unknown_refs"] == ["O9"]


def test_off_factor_reference_is_a_hint() -> None:
    r = run(base_entry(so=[{"strategy": "每周组织一次 30 分钟的案例分享会", "uses": "S1+O1+W2"}]))
    found = issues_with(r, "strategy_off_factor")
    assert found and found[0]["severity"] == "info"
    assert "WO" in found[0]["suggestion"] or "WT" in found[0]["suggestion"]


def test_strategy_restating_an_item_is_flagged() -> None:
    entry = base_entry(wo=[{"strategy": "新人带教没有固定的清单。", "uses": "W2+O1"}])
    found = issues_with(run(entry), "strategy_restates_item")
    assert [i["field"] for i in found] == ["wo.0.strategy"]
    assert "W2" in found[0]["message"]


def test_strategy_restating_with_small_edits_is_flagged() -> None:
    entry = base_entry(so=[{"strategy": "做过5年投诉专席，很熟悉升级投诉处理流程", "uses": "S1+O1"}])
    assert "strategy_restates_item" in codes(run(entry))


def test_real_strategy_is_not_a_restatement() -> None:
    assert "strategy_restates_item" not in codes(run(base_entry()))


def test_strategy_without_text() -> None:
    r = run(base_entry(so=[{"strategy": "", "uses": "S1+O1"}]))
    assert "strategy_missing_text" in codes(r)


def test_strategy_without_measure_gets_info() -> None:
    r = run(base_entry(so=[{"strategy": "用投诉经验帮新知识库补充投诉话术", "uses": "S1+O1"}]))
    found = issues_with(r, "strategy_no_measure")
    assert found and found[0]["severity"] == "info"


def test_wt_empty_warns() -> None:
    r = run(base_entry(wt=[]))
    found = issues_with(r, "wt_empty")
    assert [i["field"] for i in found] == ["wt"]
    assert found[0]["severity"] == "warning"


def test_no_strategies_at_all() -> None:
    r = run(base_entry(so=[], wo=[], st=[], wt=[]))
    assert "tows_empty" in codes(r)
    assert "wt_empty" not in codes(r)
    assert r["ok"] is False


def test_other_empty_cells_are_info() -> None:
    r = run(base_entry(wo=[], st=[]))
    found = issues_with(r, "tows_cell_empty")
    assert sorted(i["field"] for i in found) == ["st", "wo"]
    assert all(i["severity"] == "info" for i in found)


# --------------------------------------------------------------------------------------
# Ranking and balance
# --------------------------------------------------------------------------------------


def test_ranking_uses_importance_with_default_three() -> None:
    entry = base_entry()
    entry["strengths"][0]["importance"] = 5  # S1
    entry["opportunities"][0]["importance"] = 4  # O1
    entry["threats"][1]["importance"] = 1  # T2
    r = run(entry)
    scores = {s["id"]: s["score"] for s in r["strategies"]}
    assert scores == {"SO1": 9, "WO1": 7, "ST1": 6, "WT1": 4}
    assert [x["id"] for x in r["ranking"]] == ["SO1", "WO1", "ST1", "WT1"]
    assert [x["rank"] for x in r["ranking"]] == [1, 2, 3, 4]
    table = r["report_md"].split("### 策略优先级")[1]
    assert table.index("SO1") < table.index("WO1") < table.index("ST1") < table.index("WT1")


@pytest.mark.parametrize(
    ("s", "w", "o", "t", "stance"),
    [
        (5, 2, 5, 2, "SO"),
        (2, 5, 5, 2, "WO"),
        (2, 5, 2, 5, "WT"),
        (5, 2, 2, 5, "ST"),
        (3, 3, 5, 2, None),
        (3, 3, 3, 3, None),
    ],
)
def test_balance_quadrant(s: int, w: int, o: int, t: int, stance: str | None) -> None:
    entry = base_entry()
    for name, value in (("strengths", s), ("weaknesses", w), ("opportunities", o), ("threats", t)):
        for row in entry[name]:
            row["importance"] = value
    bal = run(entry)["balance"]
    assert bal["x"] == 2 * (s - w) and bal["y"] == 2 * (o - t)
    assert bal["stance"] == stance
    assert bal["complete"] is True
    assert "教学" in bal["note"]
    if stance:
        assert stance in bal["summary"]


def test_balance_marks_incomplete_entries() -> None:
    bal = run(base_entry(threats=[]))["balance"]
    assert bal["complete"] is False
    assert "还没有都填写" in bal["summary"]


# --------------------------------------------------------------------------------------
# Safety and robustness of this worksheet
# --------------------------------------------------------------------------------------


def test_user_text_cannot_break_the_report() -> None:
    evil = "<script>alert(1)</script> | **粗体** \n## 标题 |---|"
    entry = base_entry(context=evil)
    entry["strengths"][0]["text"] = evil
    entry["so"][0]["strategy"] = evil + " 9 月前"
    r = run(entry)
    html = r["report_html"]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>粗体</strong>" not in html
    assert "<h2>标题" not in html
    matrix = r["report_md"].split("### TOWS 交叉矩阵")[1].split("###")[0]
    assert all(line.count(" | ") - line.count("\\|") <= 2 for line in matrix.splitlines() if line)


def test_out_of_range_importance_uses_default() -> None:
    entry = base_entry()
    entry["strengths"][0]["importance"] = 9
    entry["strengths"][1]["importance"] = "4"
    r = run(entry)
    assert "out_of_range" in codes(r)
    s1, s2 = r["items"]["S"]
    assert s1["importance"] is None and s1["weight"] == 3
    assert s2["importance"] == 4


def test_fully_blank_rows_are_dropped_before_numbering() -> None:
    entry = base_entry()
    entry["strengths"] = [{"text": "", "importance": None}] + entry["strengths"]
    r = run(entry)
    assert [i["id"] for i in r["items"]["S"]] == ["S1", "S2"]


def test_item_numbers_follow_row_positions() -> None:
    entry = base_entry()
    entry["strengths"] = [{"text": "", "importance": 4}] + entry["strengths"]
    entry["so"] = [{"strategy": "用投诉处理经验为新知识库编写 20 条投诉话术，9 月前上线", "uses": "S2+O1"}]
    r = run(entry)
    assert [i["id"] for i in r["items"]["S"]] == ["S2", "S3"]
    found = issues_with(r, "item_missing_text")
    assert [i["field"] for i in found] == ["strengths.0.text"]
    assert r["strategies"][0]["cites"] == ["S2", "O1"]
    assert "strategy_unknown_item" not in codes(r)


def test_evaluate_accepts_raw_junk_directly() -> None:
    for junk in ({}, {"strengths": "x"}, {"so": [1, None, {"strategy": 5}]}, {"context": ["a"]}, []):
        result = swot.evaluate(junk)  # type: ignore[arg-type]
        json.dumps(result, ensure_ascii=False)


def test_coerced_values_roundtrip() -> None:
    values, issues = coerce(swot.DEFINITION, EXAMPLE)
    assert not issues
    assert swot.evaluate({**values, "_today": None})["ok"] is True


def _adversarial_entry(alphabet: str, generator: str) -> dict[str, Any]:
    rnd = random.Random(7)
    base = "".join(rnd.choice(alphabet) for _ in range(300))

    def text(seed: int) -> str:
        if generator == "rotate":
            return base[seed * 7 % 300 :] + base[: seed * 7 % 300]
        chars = list(base)
        random.Random(seed).shuffle(chars)
        return "".join(chars)

    data: dict[str, Any] = {"context": base * 4}
    for name in ("strengths", "weaknesses", "opportunities", "threats"):
        data[name] = [{"text": text(i), "importance": 3, "evidence": text(50 + i)} for i in range(12)]
    for name in ("so", "wo", "st", "wt"):
        data[name] = [{"strategy": text(100 + i) + text(200 + i), "uses": "S1+O2+W3+T4" * 8}
                      for i in range(8)]
    return data


@pytest.mark.parametrize("alphabet_size", [2, 8, 40])
@pytest.mark.parametrize("generator", ["shuffle", "rotate"])
def test_worst_case_is_fast(alphabet_size: int, generator: str) -> None:
    alphabet = "客服质检新人带教流程系统智能机器人公司我的能力经验数据分析报告月度汇报常被上级退回修改"[:alphabet_size]
    data = _adversarial_entry(alphabet, generator)
    best = best_cpu_time(lambda: run(data))  # CPU time: the bound is on the code, not on a busy machine
    assert best < 0.1, f"{best * 1000:.1f} ms"
    assert len(run(data)["strategies"]) == 32
