"""The class report's scored part: self-tests, knowledge checks and pre vs post, from backups."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.unit.test_report import backup, envelope
from worksheet_engine.tools import class_report as report, cli
from worksheet_engine.worksheets import listening
from worksheet_engine.worksheets._quizbank import form_items, quiz_items
from worksheet_engine.worksheets._selftest import field_name

PRE, POST = form_items("A"), form_items("B")


def answered(items, right: int) -> dict:
    """The first ``right`` items answered correctly, the rest wrongly."""
    data = {}
    for n, item in enumerate(items):
        good = list(item.answer)
        if n < right:
            data[item.key] = good[0] if item.kind == "choice" else good
        else:
            wrong = next(v for v, _ in item.options if v not in good)
            data[item.key] = wrong if item.kind == "choice" else [wrong]
    return data


def listening_take(value: str, date: str) -> dict:
    return {field_name(1, "date"): date, **{field_name(1, k): value for k in listening.KEYS}}


def class_files() -> list[report.SourceFile]:
    a = backup(
        envelope("pretest", answered(PRE, 4), id="a-pre", name="王小明 前测"),
        envelope("posttest", answered(POST, 12), id="a-post", name="王小明 后测"),
        envelope("listening", listening_take("3", "2026-11-02"), id="a-l"),
        envelope("quiz-01-learning", answered(quiz_items("01-learning"), 3), id="a-q1"),
        envelope("conflict", {}, id="a-c"),  # opened, never answered: not counted
    )
    b = backup(
        envelope("pretest", answered(PRE, 6), id="b-pre", name="李四 前测"),
        envelope("posttest", answered(POST, 10), id="b-post", name="李四 后测"),
        # b retook the knowledge check: only the latest attempt counts.
        envelope("quiz-01-learning", answered(quiz_items("01-learning"), 1), id="b-q1",
                 saved="2026-11-02T08:00:00.000Z"),
        envelope("quiz-01-learning", answered(quiz_items("01-learning"), 6), id="b-q1-again",
                 saved="2026-11-05T08:00:00.000Z"),
    )
    c = backup(envelope("pretest", answered(PRE, 7), id="c-pre", name="赵六 前测"))  # no post-test
    return [report.load_file(n, t) for n, t in (("学员A.json", a), ("学员B.json", b), ("学员C.json", c))]


def test_pre_vs_post_is_paired_by_learner() -> None:
    rep = report.summarize(class_files())
    pp = rep.scores.prepost
    n = len(PRE)
    assert pp.pre.learners == 3 and pp.post.learners == 2
    assert pp.paired == 2
    assert round(pp.mean_gain, 4) == round(((12 - 4) + (10 - 6)) / 2 / n, 4)
    first = pp.pairs[0]  # every learner answered the first question of each form correctly
    assert first.pre.rate == 1.0 and first.post.rate == 1.0
    last = pp.pairs[-1]
    assert last.pre.counts["wrong"] == 3 and last.post.counts["wrong"] == 2


def test_quiz_and_selftest_distributions() -> None:
    rep = report.summarize(class_files())
    q = rep.scores.quizzes["quiz-01-learning"]
    assert q.learners == 2 and sorted(q.scores) == [3, 6]  # b's later attempt only
    assert q.items["l1"].counts["correct"] == 2 and q.items["l6"].counts["wrong"] == 1
    st = rep.scores.selftests["listening"]
    assert st.learners == 1 and st.rows["receive"].values == [12] and st.rows["receive"].flagged == 1
    assert "conflict" not in rep.scores.selftests


def test_markdown_and_csv_show_pre_post_anonymously_unless_include_text() -> None:
    files = class_files()
    md = report.render_markdown(report.summarize(files))
    assert "## 课程前测与后测" in md and "两次都做了的学员 2 人" in md
    assert "## 各讲知识自测" in md and "## 自测结果" in md and "倾听能力自测：1 人" in md
    assert "学员A.json | " not in md.split("## 课程前测与后测")[1].split("## 各讲知识自测")[0]
    assert "王小明" not in md
    rows = list(csv.reader(io.StringIO(report.render_summary_csv(report.summarize(files)))))
    gain = next(r for r in rows if r[0] == "prepost_gain")
    assert gain[4] == "2"
    assert any(r[0] == "quiz_item" and r[1] == "quiz-01-learning" and r[2] == "l1" for r in rows)
    assert any(r[0] == "selftest_flagged" and r[1] == "listening" for r in rows)
    named = report.render_markdown(report.summarize(files, include_text=True))
    assert "| 学员A.json |" in named.split("## 课程前测与后测")[1]
    entries = list(csv.DictReader(io.StringIO(report.render_entries_csv(report.summarize(files)))))
    assert {e["score"] for e in entries if e["worksheet"] == "pretest"} == {f"{k}/{len(PRE)}" for k in (4, 6, 7)}


def test_cli_report_includes_pre_post(tmp_path: Path) -> None:
    paths = []
    for src, (name, text) in zip(class_files(), [("a.json", None), ("b.json", None), ("c.json", None)]):
        p = tmp_path / name
        p.write_text(backup(*src.entries), encoding="utf-8")
        paths.append(str(p))
    out = io.StringIO()
    assert cli.main(["report", *paths, "--out", str(tmp_path / "o")], stdout=out, stderr=io.StringIO()) == 0
    md = (tmp_path / "o" / "class-summary.md").read_text(encoding="utf-8")
    assert "前测" in md and "后测" in md and "平均得分率变化" in md
