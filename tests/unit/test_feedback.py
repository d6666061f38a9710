"""BIA/BID 反馈练习: the feedback checker's rules, its accuracy on the labelled sets, and the worksheet.

The rule tables use situations that are in none of the labelled files, so they test the
rules rather than remembered sentences.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from worksheet_engine import api
from worksheet_engine.checks.feedback import PARTS, check_feedback
from worksheet_engine.tools import feedback_accuracy as acc
from worksheet_engine.worksheets.feedback import DEFINITION

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
THRESHOLD = 0.95


def parts(kind: str, b: str = "", i: str = "", c: str = "") -> tuple[bool, bool, bool]:
    r = check_feedback(kind, b, i, c)["parts"]
    return r["behaviour"]["met"], r["impact"]["met"], r["closing"]["met"]


# ----------------------------------------------------------------------------- behaviour

BEHAVIOUR = [
    # kind, text, met
    ("BIA", "周三上午那通挂失电话，你先帮客户冻结了卡，再一条条核对了最近的交易。", True),
    ("BID", "本周一 14:20 那通退订电话，你回答“这个退不了”，就结束了通话。", True),
    ("BID", "工单#B-0912 里，你没有写明预计退款日期。", True),
    ("BIA", "今天早班你接了62通电话。", True),  # occasion + counted action
    ("BID", "在客户描述故障的时候，你两次打断了他。", True),  # 在…的时候 is an occasion
    ("BID", "你平时回复工单都很慢。", False),  # 平时 is not an occasion
    ("BIA", "你最近做得很好。", False),
    ("BIA", "这周你表现很好。", False),  # occasion but only a verdict
    ("BID", "上个月你的平均处理时长是 480 秒。", False),  # occasion but only a metric value
    ("BID", "你老是在高峰期去小休。", False),  # absolute
    ("BIA", "你从来不让客户等太久。", False),  # absolute, even in praise
    ("BID", "你每次都忘了做结束语。", False),  # 每次都 without an occasion
    ("BID", "昨天下午那通电话，你的态度很差。", False),  # judgement only
    ("BID", "昨天下午那通电话，你很不耐烦地说了一句“您听不懂吗”。", False),  # judgement inside specific text
    ("BID", "你真厉害啊，昨天那张工单拖了两天才回。", False),  # sarcasm
    ("BIA", "你真贴心！昨天下午那通电话，你主动帮老人把快递改到了楼下驿站。", True),  # label beside specifics
    ("BIA", "你真贴心。", False),  # label alone
    ("BID", "你这段时间很努力，但是周五那张投诉单你没有在 24 小时内联系客户。", True),  # sandwich: warn, judge after
    ("BID", "周五那张工单里，你在备注写了“客户胡搅蛮缠”。", True),  # judgement inside a quote is the agent's words
    ("BIA", "", False),
    ("BIA", "Yesterday on the billing call you walked the customer through the refund form.", True),
    ("BID", "You are always late.", False),
]


@pytest.mark.parametrize("kind,text,met", BEHAVIOUR)
def test_behaviour_rules(kind: str, text: str, met: bool) -> None:
    assert check_feedback(kind, text, "", "")["parts"]["behaviour"]["met"] is met


# ----------------------------------------------------------------------------- impact

IMPACT = [
    ("客户当场取消了投诉，回访给了 5 分。", True),
    ("这位客户第二天又来电两次。", True),
    ("组里本周的接通率从 88% 掉到了 81%。", True),
    ("新人小赵当天就能独立处理退订来电了。", True),
    ("客户很满意。", True),  # beneficiary + state: the minimum
    ("客户很着急。", True),
    ("The customer called back twice and the ticket breached the SLA.", True),
    ("", False),
    ("影响很不好。", False),
    ("这对团队很有帮助。", False),  # beneficiary, but only an evaluation
    ("我对你很失望。", False),  # the manager's feeling
    ("这违反了公司的服务规范。", False),  # bare rule citation
    ("影响了我们的 KPI。", False),  # unnamed KPI
    ("你知道客户有多生气吗？", False),  # rhetorical question
    ("大家都对你有意见。", False),  # other people's opinion
    ("客户迟早会全跑光。", False),  # catastrophising
]


@pytest.mark.parametrize("text,met", IMPACT)
def test_impact_rules(text: str, met: bool) -> None:
    for kind in ("BIA", "BID"):
        assert check_feedback(kind, "", text, "")["parts"]["impact"]["met"] is met, kind


# ----------------------------------------------------------------------------- closing

APPRECIATION = [
    ("谢谢你把那位客户稳住了。", True),
    ("这个做法我很欣赏。", True),
    ("多谢！", True),  # a plain thanks is tied to the behaviour box
    ("我很高兴看到你主动帮新人。", True),
    ("thx", True),
    ("你是全中心最强的！谢谢你！", True),  # hyperbole next to a real thanks: warning only
    ("辛苦了！", False),
    ("继续加油！", False),
    ("🌹🌹", False),
    ("感谢各位本周的坚守。", False),  # thanks to a group
    ("居然按时交了，谢谢。", False),  # backhanded
    ("", False),
]


@pytest.mark.parametrize("text,met", APPRECIATION)
def test_bia_closing_rules(text: str, met: bool) -> None:
    assert check_feedback("BIA", "", "", text)["parts"]["closing"]["met"] is met


EXPECTATION = [
    ("下次客户要求退订时，请先在系统里查他的合约期，再告诉他违约金是多少。", True),
    ("从明天起，每通电话结束前请用一句话复述客户的诉求。", True),
    ("希望你下周把重复来电控制在 5 通以内。", True),  # target value
    ("以后备注里请写上“已告知到账时间”。", True),  # a quoted script
    ("别再在客户说话时打字了。", True),  # 别再 + a specific action: warning only
    ("下次注意点。", False),
    ("希望你多用点心。", False),
    ("以后回复快一点。", False),  # direction without a target
    ("你觉得下次可以怎么做？", False),  # an open question on its own
    ("你那时候应该先查订单。", False),  # a look back
    ("再出错就扣你绩效。", False),  # a threat
    ("别再犯这种低级错误。", False),  # 别再 + nothing specific
    ("", False),
]


@pytest.mark.parametrize("text,met", EXPECTATION)
def test_bid_closing_rules(text: str, met: bool) -> None:
    assert check_feedback("BID", "", "", text)["parts"]["closing"]["met"] is met


def test_every_verdict_has_a_reason_and_unmet_boxes_a_hint() -> None:
    for kind, text, _ in BEHAVIOUR:
        for p in check_feedback(kind, text, "", "")["parts"].values():
            assert p["reason"]
            if not p["met"]:
                assert p["suggestion"]


# ----------------------------------------------------------------------------- warnings


def _warnings(kind: str, b: str = "", i: str = "", c: str = "") -> list[tuple[str, str, str, int]]:
    return [(w["code"], w["box"], w["word"], w["start"]) for w in check_feedback(kind, b, i, c)["warnings"]]


def test_absolute_is_named_where_it_stands() -> None:
    text = "这周你总是在 9 点后才登录"
    w = _warnings("BID", text)
    assert ("absolute", "behaviour", "总是", text.index("总是")) in w


def test_positions_point_into_the_original_text() -> None:
    # Full-width digits and Chinese numerals are normalised inside; positions are not.
    text = "本周二两通电话里，你从不先问客户姓名"
    for code, box, word, start in _warnings("BID", text):
        assert text[start:start + len(word)] == word


def test_judgement_and_sarcasm_words_are_quoted() -> None:
    text = "昨天那通电话你很马虎，没核对地址"
    w = _warnings("BID", text)
    assert [(c, b) for c, b, _, _ in w] == [("judgement", "behaviour")]
    word, start = w[0][2], w[0][3]
    assert "马虎" in word and text[start:start + len(word)] == word
    w = _warnings("BID", "你可真行，周三那张单拖了三天")
    assert [x[:3] for x in w] == [("judgement", "behaviour", "你可真行")]


def test_label_word_in_specific_bia_is_a_warning() -> None:
    r = check_feedback("BIA", "你真贴心！昨天下午你主动帮老人把快递改到了楼下驿站。", "", "")
    assert r["parts"]["behaviour"]["met"] is True
    assert [(w["code"], w["word"]) for w in r["warnings"]] == [("label", "真贴心")]


def test_but_sandwich_warning() -> None:
    text = "你这个月挺积极的，不过周二那通电话你没有核实身份就报了余额。"
    r = check_feedback("BID", text, "", "")
    sandwich = [w for w in r["warnings"] if w["code"] == "but_sandwich"]
    assert [(w["word"], w["start"]) for w in sandwich] == [("不过", text.index("不过"))]
    assert r["parts"]["behaviour"]["met"] is True
    # A plain 但 after facts is no sandwich.
    assert not [w for w in _warnings("BID", "周二那通电话你转给了售后，但这类问题应该由我们处理。")
                if w[0] == "but_sandwich"]


@pytest.mark.parametrize("kind,closing,code", [
    ("BIA", "你是天花板！谢谢你！", "hyperbole"),
    ("BIA", "终于准时了一回，谢谢。", "backhanded"),
    ("BID", "下次再这样就调岗。", "threat"),
    ("BID", "别再在客户说话时打字了。", "negative_phrasing"),
])
def test_closing_warnings(kind: str, closing: str, code: str) -> None:
    assert code in [w[0] for w in _warnings(kind, c=closing)]


def test_quoted_words_are_not_the_managers_judgement() -> None:
    assert not _warnings("BID", "周五那张工单里，你在备注写了“客户总是胡搅蛮缠”。")


# ----------------------------------------------------------------------------- level and drill

LEVELS = [
    ("BIA", "", "", "", 0),
    ("BIA", "早上好！", "", "周末愉快～", 0),  # small talk only
    ("BIA", "干得漂亮！", "", "", 1),  # a bare verdict
    ("BID", "你这样可不行啊", "", "", 1),
    ("BID", "周三那通电话你没核实身份就报了余额。", "", "下次注意。", 1),  # partial
    ("BIA", "今天上午那通电话你先复述了客户的诉求，再给出了两个方案。", "客户当场选了第二个方案，没有再来电。", "谢谢你！", 2),
    ("BID", "本周四你有 3 张工单超过 24 小时才首次回复。", "其中 1 位客户打了投诉电话。",
     "从下周起，请每天 10 点和 16 点各查一次待回复工单。", 2),
]


@pytest.mark.parametrize("kind,b,i,c,level", LEVELS)
def test_level(kind: str, b: str, i: str, c: str, level: int) -> None:
    r = check_feedback(kind, b, i, c)
    assert r["level"] == level
    assert (level == 2) == all(p["met"] for p in r["parts"].values())


def test_drill_names_what_is_missing_for_level_two() -> None:
    r = check_feedback("BIA", "干得漂亮！", "", "继续加油")
    assert r["level"] == 1
    boxes = "".join(r["drill"])
    assert "B 行为" in boxes and "I 影响" in boxes and "A 欣赏与感谢" in boxes
    assert check_feedback(*LEVELS[-1][:4])["drill"] == []


def test_api_reexport_and_bad_arguments() -> None:
    assert api.check_feedback is check_feedback
    r = check_feedback(None, 5, ["x"], {"y": 1})  # never raises
    assert r["kind"] == "BIA" and r["level"] == 0
    assert set(r["parts"]) == set(PARTS)


# ----------------------------------------------------------------------------- accuracy

FILES = ["feedback_dev.json", "feedback_own.json", "feedback_probe.json"]


@pytest.fixture(scope="module", params=FILES)
def labelled(request: pytest.FixtureRequest) -> tuple[str, list[dict]]:
    return request.param, json.loads((EVAL / request.param).read_text(encoding="utf-8"))


def test_labelled_files_are_well_formed(labelled: tuple[str, list[dict]]) -> None:
    name, examples = labelled
    assert len(examples) >= (30 if name == "feedback_dev.json" else 20)
    for ex in examples:
        assert ex["kind"] in ("BIA", "BID")
        assert set(ex["labels"]) == set(PARTS)
        # convention 8: level 2 iff all three labels are true
        assert (ex["level"] == 2) == all(ex["labels"].values())


def test_own_set_is_large_enough() -> None:
    own = json.loads((EVAL / "feedback_own.json").read_text(encoding="utf-8"))
    assert len(own) >= 40
    dev = json.loads((EVAL / "feedback_dev.json").read_text(encoding="utf-8"))
    assert not {ex["behaviour"] for ex in own if ex["behaviour"]} & {ex["behaviour"] for ex in dev}


def test_accuracy_per_box(labelled: tuple[str, list[dict]]) -> None:
    name, examples = labelled
    scores = acc.feedback_accuracy(examples)
    print(f"\n{name}\n{acc.format_table(scores)}")
    for key in PARTS:
        correct, total = scores[key]
        assert total == len(examples)
        assert correct / total >= THRESHOLD, (name, key, acc.feedback_misses(examples))


def test_accuracy_command(tmp_path: Path) -> None:
    out = io.StringIO()
    assert acc.main(["--min", str(THRESHOLD)], stdout=out) == 0
    assert out.getvalue().count("| B 行为 |") == len(FILES)
    wrong = [{"kind": "BIA", "behaviour": "干得不错！", "impact": "", "closing": "",
              "labels": {"behaviour": True, "impact": True, "closing": True}, "level": 2}]
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    assert acc.main([str(path), "--min", "0.95", "--misses"], stdout=out) == 1
    assert "应为 True" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert acc.main([str(bad)], stdout=io.StringIO()) == 2


# ----------------------------------------------------------------------------- worksheet


def test_definition_fixed_field_names() -> None:
    names = {f.name: f for f in DEFINITION.fields}
    assert {"kind", "behaviour", "impact", "closing", "question", "first_draft"} <= set(names)
    assert [v for v, _ in names["kind"].options] == ["BIA", "BID"]
    assert names["kind"].kind == "select"
    assert (DEFINITION.slug, DEFINITION.module, DEFINITION.order, DEFINITION.lecture) == (
        "feedback", "team", 50, "lectures/05-communication.md")


def test_worksheet_result_shape_and_hooks() -> None:
    r = api.evaluate("feedback", {"kind": "BID", "behaviour": "你总是态度很差", "impact": "影响很不好",
                                  "closing": "下次周三前请把 5 张超时工单全部回复。", "question": "你明白吗？"})
    assert [(c["key"], c["met"], c["hook"]) for c in r["checks"]] == [
        ("behaviour", False, {"part": "behaviour"}),
        ("impact", False, {"part": "impact"}),
        ("closing", True, {"part": "closing"}),
    ]
    level = [f for f in r["figures"] if f["key"] == "level"]
    assert level and level[0]["hook"] == {"level": "1"}
    codes = {(i["code"], i["field"]) for i in r["issues"]}
    assert {("absolute_word", "behaviour"), ("judgement_word", "behaviour"), ("part_not_met", "impact"),
            ("closed_question", "question")} <= codes
    assert "【" in r["rewrite"] and "下次周三前" in r["rewrite"]
    assert r["ok"] is False and r["headline"].startswith("一级")
    assert r["links"][0]["href"] == "lectures/05-communication/#bid"
    json.dumps(r, ensure_ascii=False)


def test_worksheet_sandwich_issue_has_a_field_path() -> None:
    r = api.evaluate("feedback", {"kind": "BID", "behaviour": "你最近挺努力的，但是周二那通电话你没核实身份就报了余额。"})
    assert ("but_sandwich", "behaviour") in {(i["code"], i["field"]) for i in r["issues"]}


def test_worksheet_without_kind_asks_for_it() -> None:
    r = api.evaluate("feedback", {"behaviour": "干得不错"})
    assert "required" in [i["code"] for i in r["issues"] if i["field"] == "kind"]
    assert r["ok"] is False


def test_first_draft_drill() -> None:
    data = dict(DEFINITION.example)
    r = api.evaluate("feedback", data)
    drafts = [f for f in r["figures"] if f["key"] == "first_draft_level"]
    assert drafts and drafts[0]["hook"] == {"draft-level": "1"}
    assert r["draft_drill"] and "一级 → 二级" in r["report_md"]


def test_example_is_level_two() -> None:
    ex = DEFINITION.example
    assert ex["kind"] == "BIA" and "小孙" in ex["agent_name"]
    r = api.evaluate("feedback", ex)
    assert r["level"] == 2 and r["ok"] is True
    assert all(c["met"] for c in r["checks"])
    assert r["figures"][0]["hook"] == {"level": "2"}
    assert r["question"]["open"] is True
    assert ex["behaviour"] in r["rewrite"] and ex["question"] in r["rewrite"]


def test_report_escapes_user_text() -> None:
    r = api.evaluate("feedback", {"kind": "BIA", "behaviour": "<script>alert(1)</script> | **x**"})
    assert "<script>" not in r["report_html"]
    assert "&lt;script&gt;" in r["report_html"]
