"""The item bank, the lecture knowledge checks and the parallel pre/post forms."""

from __future__ import annotations

from collections import Counter

import pytest

from worksheet_engine import api
from worksheet_engine.checks.scoring import QuizItem, grade
from worksheet_engine.worksheets import WORKSHEETS, _collect
from worksheet_engine.worksheets._quizbank import BY_KEY, ITEMS, LECTURES, form_items, quiz_items

QUIZZES = [f"quiz-{lec}" for lec in LECTURES]


def test_every_lecture_has_a_knowledge_check_of_five_to_eight_questions() -> None:
    for lecture, (path, _, module) in LECTURES.items():
        ws = WORKSHEETS[f"quiz-{lecture}"]
        items = quiz_items(lecture)
        assert 5 <= len(items) <= 8
        kinds = Counter(i.kind for i in items)
        assert kinds["choice"] and kinds["multichoice"], lecture
        assert sum(i.scenario for i in items) == 1, f"{lecture}: exactly one 客服 scenario"
        assert ws.lecture == path and ws.module == module
        assert not ws.listed
        assert [f.name for f in ws.fields] == [i.key for i in items]
        assert [f.kind for f in ws.fields] == [i.kind for i in items]


def test_bank_items_are_sound() -> None:
    assert len(BY_KEY) == len(ITEMS)
    for item in ITEMS:
        assert item.explanation and item.section
        assert item.difficulty in ("基础", "应用")
        assert item.lecture in {p for p, _, _ in LECTURES.values()}
        if item.kind == "multichoice":
            assert 2 <= len(item.answer) < len(item.options), item.key  # not "all of them"
        assert len(item.options) >= 3
    with pytest.raises(ValueError):
        QuizItem("x", "lectures/00-intro.md", "choice", "?", (("a", "A"), ("b", "B")), ("a", "b"), "…")
    with pytest.raises(ValueError):
        QuizItem("x", "lectures/00-intro.md", "multichoice", "?", (("a", "A"),), ("z",), "…")


def test_correct_answers_are_not_always_in_the_same_place() -> None:
    firsts = Counter(i.answer[0] for i in ITEMS if i.kind == "choice")
    assert len(firsts) >= 3 and max(firsts.values()) < 0.5 * sum(firsts.values())


def test_parallel_forms_match_pair_by_pair() -> None:
    a, b = form_items("A"), form_items("B")
    assert len(a) == len(b) >= 14
    assert [i.pair for i in a] == [i.pair for i in b]
    for x, y in zip(a, b):
        assert x.lecture == y.lecture and x.difficulty == y.difficulty and x.kind == y.kind
        assert x.stem != y.stem
    assert Counter(i.difficulty for i in a) == Counter(i.difficulty for i in b)
    assert Counter(i.lecture for i in a) == Counter(i.lecture for i in b)
    assert len(set(Counter(i.lecture for i in a).values())) == 1  # every lecture weighs the same
    # Form A doubles as part of the lecture checks; form B is asked nowhere else.
    quizzed = {i.key for lec in LECTURES for i in quiz_items(lec)}
    assert {i.key for i in a} <= quizzed
    assert not {i.key for i in b} & quizzed
    assert [f.name for f in WORKSHEETS["pretest"].fields] == [i.key for i in a]
    assert [f.name for f in WORKSHEETS["posttest"].fields] == [i.key for i in b]
    assert WORKSHEETS["pretest"].listed and WORKSHEETS["posttest"].listed


def test_grade_single_and_multiple_choice() -> None:
    single = BY_KEY["i1"]
    assert grade(single, "c") == "correct" and grade(single, "a") == "wrong"
    assert grade(single, "") == grade(single, None) == "unanswered"
    multi = BY_KEY["c3"]  # answer a, d
    assert grade(multi, ["a", "d"]) == "correct" and grade(multi, ["d", "a"]) == "correct"
    assert grade(multi, ["a"]) == "partial"
    assert grade(multi, ["a", "b"]) == "wrong" and grade(multi, ["a", "b", "c", "d"]) == "wrong"
    assert grade(multi, []) == "unanswered" and grade(multi, "a") == "unanswered"


def test_quiz_result_explains_each_answer_with_a_link() -> None:
    r = api.evaluate("quiz-05-communication", {"c1": "b", "c2": "a", "c3": ["a"], "c5": ["a", "b"]})
    assert r["ok"] and r["headline"].startswith("答对 2 / 6 题")
    assert r["figures"][0] == {"key": "score", "label": "得分", "value": "2 / 6", "hook": {"score": "2"}}
    checks = {c["key"]: c for c in r["checks"]}
    assert checks["c1"]["met"] is True and checks["c1"]["reason"].startswith("回答正确")
    assert checks["c2"]["met"] is False and "正确答案：C." in checks["c2"]["reason"]
    assert BY_KEY["c2"].explanation in checks["c2"]["reason"]
    assert checks["c3"]["hook"]["verdict"] == "partial" and "漏选" in checks["c3"]["reason"]
    # An unanswered question does not give its answer away.
    assert checks["c4"]["met"] is None and "正确答案" not in checks["c4"]["reason"]
    assert BY_KEY["c4"].explanation not in r["report_md"]
    assert [link["href"] for link in r["links"]] == ["lectures/05-communication/#43f-倾听法",
                                                    "lectures/05-communication/#bid"]
    assert r["scoring"] == {"type": "quiz", "score": 2, "max": 6, "answered": 4, "items": {
        "c1": "correct", "c2": "wrong", "c3": "partial", "c4": "unanswered", "c5": "correct", "c6": "unanswered"}}
    assert any(i["code"] == "unanswered" for i in r["issues"])


def test_all_correct_and_not_started() -> None:
    items = quiz_items("06-coaching")
    data = {i.key: (i.answer[0] if i.kind == "choice" else list(i.answer)) for i in items}
    r = api.evaluate("quiz-06-coaching", data)
    assert r["headline"].endswith("全部正确！") and not r["links"] and not r["issues"]
    empty = api.evaluate("quiz-06-coaching", {})
    assert not empty["ok"] and empty["issues"][0]["code"] == "not_started"
    bad = api.evaluate("quiz-06-coaching", {"h1": "z", "h3": ["a", "zz"]})
    assert [i["code"] for i in bad["issues"]].count("not_an_option") == 2 and not bad["ok"]


def test_posttest_scores_form_b() -> None:
    items = form_items("B")
    data = {i.key: (i.answer[0] if i.kind == "choice" else list(i.answer)) for i in items[:10]}
    r = api.evaluate("posttest", data)
    assert r["scoring"]["score"] == 10 and r["scoring"]["max"] == len(items)


def test_registry_takes_definitions_tuples_and_refuses_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    from worksheet_engine.worksheets import quizzes

    assert len(quizzes.DEFINITIONS) == len(LECTURES)
    monkeypatch.setattr(quizzes, "DEFINITIONS", quizzes.DEFINITIONS + quizzes.DEFINITIONS[:1])
    with pytest.raises(ValueError, match="duplicate worksheet slug"):
        _collect()
    monkeypatch.setattr(quizzes, "DEFINITIONS", ())
    with pytest.raises(TypeError):
        _collect()


def test_pre_and_post_do_not_give_the_answers_away() -> None:
    item = form_items("A")[0]
    wrong = next(v for v, _ in item.options if v not in item.answer)
    r = api.evaluate("pretest", {item.key: wrong})
    check = next(c for c in r["checks"] if c["key"] == item.key)
    assert check["met"] is False and check["reason"] == "回答错误。"
    assert item.explanation not in r["report_md"] and "正确答案" not in r["report_md"]
    assert r["links"] and r["links"][0]["href"] == item.href


def test_examples_answer_every_question_with_each_kind_of_feedback() -> None:
    for slug in [*QUIZZES, "pretest", "posttest"]:
        r = api.evaluate(slug, dict(WORKSHEETS[slug].example))
        verdicts = set(r["scoring"]["items"].values())
        assert "unanswered" not in verdicts and {"correct", "wrong"} <= verdicts | {"partial"}, slug
        assert r["completion"] == 1.0
