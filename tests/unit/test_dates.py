"""``worksheet_engine.lang.dates``: deadlines, periods, events, SLA durations and vague time words."""

from __future__ import annotations

import datetime as dt

import pytest

from worksheet_engine.lang import dates, normalize as textnorm

TODAY = dt.date(2026, 2, 10)


def test_date_helpers() -> None:
    assert dates.end_of_month(2028, 2) == dt.date(2028, 2, 29)
    assert dates.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert dates.quarter_end(2026, 3) == dt.date(2026, 9, 30)


def test_sla_and_vague_time_helpers() -> None:
    t = textnorm.normalize("不再出现超过24小时未回复的在线工单，尽快").text
    assert [t[s.start:s.end] for s in dates.find_sla(t)] == ["24小时"]
    assert [t[s.start:s.end] for s in dates.find_vague_time(t)] == ["不再", "尽快"]
    assert dates.find_deadlines(t) == []

def _found(text: str) -> list[tuple[str, str, dt.date | None]]:
    t = textnorm.normalize(text).text
    return [(t[d.start:d.end], d.kind, d.resolve(TODAY)) for d in dates.find_deadlines(t)]


# Event deadlines by kind of event (issue 14): a 节点 noun phrase + 前, not a fixed list of phrases.
@pytest.mark.parametrize(("text", "span"), [
    ("国庆放假前清空工单", "国庆放假前"),
    ("清明小长假前排好班", "清明小长假前"),
    ("季度盘点前交报告", "季度盘点前"),
    ("内部审计之前把录音归档", "内部审计之前"),
    ("年终述职前整理案例", "年终述职前"),
    ("新版系统上线前培训全员", "新版系统上线前"),
    ("双节高峰前完成排班", "双节高峰前"),
    ("下周例会前提交方案", "下周例会前"),
    ("月度校准会前听完录音", "月度校准会前"),
    ("新人转正前做一次面谈", "新人转正前"),
    ("before the quarterly audit, fix it", "before the quarterly audit"),
    ("ahead of the system cutover", "ahead of the system cutover"),
    ("prior to our annual review", "prior to our annual review"),
    ("before the holidays", "before the holidays"),
])
def test_event_deadlines_by_kind_of_event(text: str, span: str) -> None:
    found = _found(text)
    assert [f[0] for f in found if f[1] == "event"] == [span], found


@pytest.mark.parametrize("text", ["三年前的投诉率", "目前满意度", "提前完成", "当前的数据", "你就会前进", "前台接待",
                                  "improve CSAT by meeting customer needs", "每次开会前准备", "上班前打卡"])
def test_words_with_qian_that_are_not_event_deadlines(text: str) -> None:
    assert [f for f in _found(text) if f[1] == "event"] == []


def test_holiday_events_resolve_to_their_date() -> None:
    # 2026: 春节 17 Feb, so the day before; 元宵 = 春节 + 14 days; 年前 = before 春节
    assert _found("春节放假前完成")[0][2] == dt.date(2026, 2, 16)
    assert _found("元宵节前完成")[0][2] == dt.date(2026, 3, 2)
    assert _found("年前把流失率压下来")[0][2] == dt.date(2026, 2, 16)
    assert _found("除夕前完成")[0][2] == dt.date(2026, 2, 15)
    assert _found("年中盘点前完成")[0][2] is None  # the team knows the date; the checker asks for it


def test_every_morning_is_a_frequency() -> None:
    assert [f[1] for f in _found("Hold a huddle every morning.")] == ["frequency"]
