"""The scored part of the class report: self-assessments, knowledge checks, pre vs post.

Input: every learner's (file's) latest ``scoring`` result per worksheet (the engine's
results carry it: ``likert`` for 倾听能力自测, ``modes`` for 沟通冲突应对能力自测,
``quiz`` for the knowledge checks and the pre/post test). Output: distributions per
dimension, mode and question, and the pre/post comparison. Learners are counted, never
named, unless ``include_text`` (then the paired pre/post table names their files).

    >>> s = summarize_scores({("a.json", "pretest"): {"type": "quiz", "score": 3, "max": 14, "answered": 14,
    ...     "items": {}}, ("a.json", "posttest"): {"type": "quiz", "score": 10, "max": 14, "answered": 14, "items": {}}})
    >>> s.prepost.paired, round(s.prepost.mean_gain, 2)
    (1, 0.5)
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..worksheets import WORKSHEETS, conflict, listening
from ..worksheets._quizbank import BY_KEY, LECTURES

PRE, POST = "pretest", "posttest"


@dataclass(slots=True)
class Distribution:
    key: str
    label: str
    maximum: int
    values: list[int] = field(default_factory=list)
    flagged: int = 0  # weak dimension / habit mode
    rare: int = 0  # mode seldom used

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None

    @property
    def low(self) -> int | None:
        return min(self.values) if self.values else None

    @property
    def high(self) -> int | None:
        return max(self.values) if self.values else None


@dataclass(slots=True)
class SelfTestSummary:
    slug: str
    title: str
    learners: int = 0
    rows: dict[str, Distribution] = field(default_factory=dict)
    bands: Counter[str] = field(default_factory=Counter)  # band label / main mode -> learners
    totals: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ItemStats:
    key: str
    number: int
    section: str
    counts: Counter[str] = field(default_factory=Counter)  # correct / partial / wrong / unanswered

    @property
    def answered(self) -> int:
        return sum(n for k, n in self.counts.items() if k != "unanswered")

    @property
    def rate(self) -> float | None:
        """Share of learners who answered correctly (unanswered counts as not correct)."""
        total = sum(self.counts.values())
        return self.counts["correct"] / total if total else None


@dataclass(slots=True)
class QuizSummary:
    slug: str
    title: str
    maximum: int
    scores: list[int] = field(default_factory=list)
    items: dict[str, ItemStats] = field(default_factory=dict)

    @property
    def learners(self) -> int:
        return len(self.scores)

    @property
    def mean_share(self) -> float | None:
        return statistics.fmean(self.scores) / self.maximum if self.scores and self.maximum else None


@dataclass(slots=True)
class PairStats:
    pair: str
    section: str
    pre: ItemStats | None
    post: ItemStats | None


@dataclass(slots=True)
class PrePost:
    pre: QuizSummary | None
    post: QuizSummary | None
    pairs: list[PairStats]
    learners: list[tuple[str, float, float]]  # (file, pre share, post share) of learners with both

    @property
    def paired(self) -> int:
        return len(self.learners)

    @property
    def mean_gain(self) -> float | None:
        return statistics.fmean(b - a for _, a, b in self.learners) if self.learners else None


@dataclass(slots=True)
class ScoreSummary:
    selftests: dict[str, SelfTestSummary]
    quizzes: dict[str, QuizSummary]
    prepost: PrePost
    include_text: bool = False


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _quiz_summary(slug: str) -> QuizSummary:
    ws = WORKSHEETS[slug]
    items = {f.name: ItemStats(f.name, n, BY_KEY[f.name].section if f.name in BY_KEY else f.name)
             for n, f in enumerate(ws.fields, 1)}
    return QuizSummary(slug, ws.title, len(items), items=items)


def summarize_scores(latest: Mapping[tuple[str, str], Mapping[str, Any]], include_text: bool = False) -> ScoreSummary:
    """``latest``: (file, slug) -> the ``scoring`` dict of that learner's latest entry."""
    selftests: dict[str, SelfTestSummary] = {}
    quizzes: dict[str, QuizSummary] = {}
    shares: dict[str, dict[str, float]] = {PRE: {}, POST: {}}
    for (fname, slug), sc in sorted(latest.items()):
        if slug not in WORKSHEETS:
            continue
        kind = sc.get("type")
        if kind == "likert" and slug == "listening":
            st = selftests.setdefault(slug, SelfTestSummary(slug, WORKSHEETS[slug].title, rows={
                k: Distribution(k, v[0], 4 * 5) for k, v in listening.DIMENSIONS.items()}))
            dims = sc.get("dimensions") if isinstance(sc.get("dimensions"), Mapping) else {}
            if not all(_int(dims.get(k)) is not None for k in st.rows):
                continue
            st.learners += 1
            for k, row in st.rows.items():
                row.values.append(dims[k])
                row.flagged += dims[k] <= listening.WEAK_AT
            total = _int(sc.get("total"))
            if total is not None:
                st.totals.append(total)
            band = next((b.label for b in listening.BANDS if b.key == sc.get("band")), "")
            if band:
                st.bands[band] += 1
        elif kind == "modes" and slug == "conflict":
            st = selftests.setdefault(slug, SelfTestSummary(slug, WORKSHEETS[slug].title, rows={
                k: Distribution(k, v[0], conflict.PER_MODE) for k, v in conflict.MODES.items()}))
            modes = sc.get("modes") if isinstance(sc.get("modes"), Mapping) else {}
            if not all(_int(modes.get(k)) is not None for k in st.rows):
                continue
            st.learners += 1
            for k, row in st.rows.items():
                row.values.append(modes[k])
                row.flagged += modes[k] >= conflict.HIGH_AT
                row.rare += modes[k] <= conflict.LOW_AT
            for m in sc.get("main") or []:
                if m in conflict.MODES:
                    st.bands[conflict.MODES[m][0]] += 1
        elif kind == "quiz":
            if not _int(sc.get("answered")):
                continue  # opened but never answered
            q = quizzes.setdefault(slug, _quiz_summary(slug))
            score = _int(sc.get("score")) or 0
            q.scores.append(score)
            verdicts = sc.get("items") if isinstance(sc.get("items"), Mapping) else {}
            for key, stats in q.items.items():
                v = verdicts.get(key)
                stats.counts[v if v in ("correct", "partial", "wrong") else "unanswered"] += 1
            if slug in shares and q.maximum:
                shares[slug][fname] = score / q.maximum
    pre, post = quizzes.get(PRE), quizzes.get(POST)
    pairs = []
    for pair in sorted({i.pair for i in BY_KEY.values() if i.pair}):
        a = next((i for i in BY_KEY.values() if i.pair == pair and i.form == "A"), None)
        b = next((i for i in BY_KEY.values() if i.pair == pair and i.form == "B"), None)
        item = a or b
        where = next((t for path, t, _ in LECTURES.values() if item and path == item.lecture), "")
        pairs.append(PairStats(pair, f"{where}：{item.section}" if item else pair,
                               pre.items.get(a.key) if pre and a else None,
                               post.items.get(b.key) if post and b else None))
    both = sorted(set(shares[PRE]) & set(shares[POST]))
    learners = [(f, shares[PRE][f], shares[POST][f]) for f in both]
    ordered = {s: quizzes[s] for s in WORKSHEETS if s in quizzes and s not in (PRE, POST)}
    return ScoreSummary(selftests={s: selftests[s] for s in ("listening", "conflict") if s in selftests},
                        quizzes=ordered, prepost=PrePost(pre, post, pairs, learners), include_text=include_text)


# ---- rendering ----------------------------------------------------------------------------------


def _f(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def render_markdown(s: ScoreSummary, cell: Any) -> list[str]:
    """Markdown lines (``cell`` escapes a table cell)."""
    out: list[str] = []
    if s.selftests:
        out += ["", "## 自测结果（每位学员取最近一次完成的作答）", ""]
    for st in s.selftests.values():
        out += [f"### {st.title}：{st.learners} 人", ""]
        if st.slug == "listening":
            out += [f"总分平均 {_f(statistics.fmean(st.totals) if st.totals else None)} / 100；等级分布："
                    + ("、".join(f"{k} {n} 人" for k, n in st.bands.most_common()) or "—"), "",
                    "| 维度 | 平均 | 最低 | 最高 | 薄弱（≤ 12 分）人数 |", "|---|---:|---:|---:|---:|"]
            out += [f"| {r.label} | {_f(r.mean)} / {r.maximum} | {r.low} | {r.high} | {r.flagged} |"
                    for r in st.rows.values()]
        else:
            out += ["最常用的方式：" + ("、".join(f"{k} {n} 人" for k, n in st.bands.most_common()) or "—"), "",
                    "| 方式 | 平均 | 最低 | 最高 | 惯用（≥ 6 分）人数 | 少用（≤ 2 分）人数 |",
                    "|---|---:|---:|---:|---:|---:|"]
            out += [f"| {r.label} | {_f(r.mean)} / {r.maximum} | {r.low} | {r.high} | {r.flagged} | {r.rare} |"
                    for r in st.rows.values()]
        out.append("")
    pp = s.prepost
    if pp.pre or pp.post:
        out += ["", "## 课程前测与后测", "",
                "前测和后测逐题平行（同一要点、同样难度，题目不同）。得分率 = 答对题数 ÷ 总题数。", "",
                "| | 人数 | 平均得分率 |", "|---|---:|---:|",
                f"| 前测 | {pp.pre.learners if pp.pre else 0} | {_pct(pp.pre.mean_share if pp.pre else None)} |",
                f"| 后测 | {pp.post.learners if pp.post else 0} | {_pct(pp.post.mean_share if pp.post else None)} |", ""]
        if pp.paired:
            gain = pp.mean_gain or 0.0
            out.append(f"两次都做了的学员 {pp.paired} 人：平均得分率变化 {gain * 100:+.0f} 个百分点。")
        else:
            out.append("还没有学员同时交来前测和后测。")
        out += ["", "| 要点 | 前测正确率 | 后测正确率 | 变化 |", "|---|---:|---:|---:|"]
        for p in pp.pairs:
            a = p.pre.rate if p.pre else None
            b = p.post.rate if p.post else None
            change = "—" if a is None or b is None else f"{(b - a) * 100:+.0f}"
            out.append(f"| {cell(p.section)} | {_pct(a)} | {_pct(b)} | {change} |")
        if s.include_text and pp.learners:
            out += ["", "| 文件 | 前测 | 后测 | 变化 |", "|---|---:|---:|---:|"]
            out += [f"| {cell(f)} | {_pct(a)} | {_pct(b)} | {(b - a) * 100:+.0f} |" for f, a, b in pp.learners]
    if s.quizzes:
        out += ["", "## 各讲知识自测（每位学员取最近一次作答）", "",
                "| 测验 | 人数 | 平均得分率 |", "|---|---:|---:|"]
        out += [f"| {q.title} | {q.learners} | {_pct(q.mean_share)} |" for q in s.quizzes.values()]
        for q in s.quizzes.values():
            out += ["", f"### {q.title}", "", "| 题号 | 要点 | 正确 | 部分正确 | 错误 | 未答 | 正确率 |",
                    "|---:|---|---:|---:|---:|---:|---:|"]
            out += [f"| {i.number} | {cell(i.section)} | {i.counts['correct']} | {i.counts['partial']} | "
                    f"{i.counts['wrong']} | {i.counts['unanswered']} | {_pct(i.rate)} |" for i in q.items.values()]
    return out


def csv_rows(s: ScoreSummary) -> list[tuple[Any, ...]]:
    """Rows for class-summary.csv: section, worksheet, key, label, count, total, rate."""
    rows: list[tuple[Any, ...]] = []
    for st in s.selftests.values():
        for r in st.rows.values():
            rows.append(("selftest_mean", st.slug, r.key, r.label, _f(r.mean, 2), r.maximum, ""))
            rows.append(("selftest_flagged", st.slug, r.key, r.label, r.flagged, st.learners,
                         f"{r.flagged / st.learners:.3f}" if st.learners else ""))
    for q in [*s.quizzes.values(), *(x for x in (s.prepost.pre, s.prepost.post) if x)]:
        rows.append(("quiz_mean", q.slug, "score", q.title, _f(statistics.fmean(q.scores) if q.scores else None, 2),
                     q.maximum, "" if q.mean_share is None else f"{q.mean_share:.3f}"))
        for i in q.items.values():
            rows.append(("quiz_item", q.slug, i.key, i.section, i.counts["correct"], sum(i.counts.values()),
                         "" if i.rate is None else f"{i.rate:.3f}"))
    for p in s.prepost.pairs:
        for side, st in (("pre", p.pre), ("post", p.post)):
            if st:
                rows.append((f"prepost_{side}", PRE if side == "pre" else POST, p.pair, p.section,
                             st.counts["correct"], sum(st.counts.values()), "" if st.rate is None else f"{st.rate:.3f}"))
    if s.prepost.paired:
        rows.append(("prepost_gain", "", "mean_gain", "平均得分率变化", s.prepost.paired, "",
                     f"{s.prepost.mean_gain:.3f}"))
    return rows
