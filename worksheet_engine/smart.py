"""SMART goal checker (第三讲 目标与过程管理).

``check_goal(text, today=None)`` judges one goal sentence against the five SMART
criteria. ``today`` (a :class:`datetime.date`) is only used to resolve relative dates;
the engine never reads the clock.

Example::

    >>> r = check_goal("本季度末前，将团队的客户满意度（CSAT）从85%提升到92%。")
    >>> r["criteria"]["time_bound"]["met"]
    True
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
CRITERION_LABELS = {
    "specific": "S 具体",
    "measurable": "M 可衡量",
    "achievable": "A 可实现",
    "relevant": "R 相关",
    "time_bound": "T 有时限",
}

_KPI = re.compile(
    r"CSAT|FCR|AHT|NPS|ASA|满意度|满意率|好评率|一次解决率|首次解决率|接通率|放弃率|投诉率|质检|"
    r"处理时长|服务水平|遵从度|adherence|satisfaction|complaint|流失率|差评率|工单|培训|辅导|角色演练",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TIME = re.compile(
    r"\d{4}年|\d{1,2}月|本(周|月|季度|年)|今年|全年|[一二两三四五六七八九十\d]+(天|周|个月|月)内|"
    r"Q[1-4]|H[12]|每(天|周|月)|by end of|before",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"客户|坐席|团队|工单|来电|投诉|质检|排班|服务|customer|agent|team", re.I)


def _verdict(met: bool | None, reason: str, suggestion: str = "") -> dict[str, Any]:
    return {"met": met, "reason": reason, "suggestion": suggestion}


def check_goal(text: str, today: _dt.date | None = None) -> dict[str, Any]:
    """Check one goal sentence. See the module docstring."""
    text = str(text or "")[:20000]
    kpi = bool(_KPI.search(text))
    number = bool(_NUMBER.search(text))
    criteria = {
        "specific": _verdict(kpi, "写出了具体指标或事项。" if kpi else "没有写出具体指标或事项。",
                             "" if kpi else "写明要改变的指标，如 CSAT、FCR、AHT。"),
        "measurable": _verdict(kpi and number, "指标带有数值。" if kpi and number else "缺少指标的目标值。",
                               "" if kpi and number else "写出基线和目标值，如“从85%提升到92%”。"),
        "achievable": _verdict(None, "仅凭文字无法判断，请补充现状值与资源。", "写出现状（基线）和可用资源。"),
        "relevant": _verdict(bool(_DOMAIN.search(text)) or kpi, "与客服工作相关。", ""),
        "time_bound": _verdict(bool(_TIME.search(text)), "有期限。" if _TIME.search(text) else "没有期限。",
                               "" if _TIME.search(text) else "加上截止时间，如“本季度末前”。"),
    }
    return {"text": text, "criteria": criteria, "warnings": [], "rewrite": ""}
