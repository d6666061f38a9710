"""SMART 目标检查 worksheet (第三讲): the form definition and its evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Context, Field, Missing, Section, Worksheet
from ..markdown import md_escape, md_table
from ..checks.goal import CRITERIA, CRITERION_LABELS, check_goal
from ._shared import MET_TEXT as _MET_TEXT



def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one SMART goal: the five criteria, what was understood, a rewrite and the report."""
    goal = str(values.get("goal_text") or "").strip()
    issues: list[dict[str, Any]] = []
    if not goal:  # the model reports the empty required field
        return {"ok": False, "headline": "还没有目标可检查。", "issues": issues, "criteria": {},
                "checks": [], "report_md": ""}
    check = check_goal(goal, today=ctx.today)
    criteria = {k: {**check["criteria"][k], "label": CRITERION_LABELS[k]} for k in CRITERIA}
    issues.extend(check.get("issues", []))
    met = sum(1 for k in CRITERIA if criteria[k]["met"] is True)
    failed = [CRITERION_LABELS[k] for k in CRITERIA if criteria[k]["met"] is False]
    headline = f"五项中 {met} 项达标" + (f"；需改进：{'、'.join(failed)}" if failed else "。")
    lines = ["## SMART 目标检查", "", f"**目标**：{md_escape(goal)}", ""]
    owner = str(values.get("owner") or "").strip()
    if owner:
        lines += [f"**责任人**：{md_escape(owner)}", ""]
    lines.append(
        md_table(
            ["标准", "结论", "理由", "建议"],
            [
                [CRITERION_LABELS[k], _MET_TEXT[criteria[k]["met"]], criteria[k]["reason"],
                 criteria[k]["suggestion"]]
                for k in CRITERIA
            ],
        )
    )
    found = _parsed_lines(check.get("parsed") or {})
    if found:
        lines += ["", "### 识别结果", ""] + found
    notes = [i for i in check.get("issues", []) if i.get("severity") in ("error", "warning")]
    if notes:
        lines += ["", "### 提示", ""]
        lines += [f"- {md_escape(i['message'])}" + (f" {md_escape(i['suggestion'])}" if i.get("suggestion") else "")
                  for i in notes]
    if check.get("rewrite"):
        lines += ["", "### 建议改写", "", md_escape(check["rewrite"])]
    extra = [(f.label, values.get(f.name)) for f in _PLAN_FIELDS if values.get(f.name)]
    if extra:
        lines += ["", "### 设定目标五步", ""]
        lines += [f"- **{label}**：{md_escape(text)}" for label, text in extra]
    return {
        "ok": not failed,
        "headline": headline,
        "issues": issues,
        "criteria": criteria,
        "checks": [{"key": k, **criteria[k]} for k in CRITERIA],
        "rewrite": check.get("rewrite", ""),
        "parsed": check.get("parsed", {}),
        "report_md": "\n".join(lines),
    }


_DEADLINE_KIND = {"date": "截止日期", "period": "考核期", "window": "时间窗口", "duration": "持续期",
                  "frequency": "考核频率", "event": "事件节点"}


def _parsed_lines(parsed: Mapping[str, Any]) -> list[str]:
    """Bullet lines describing what the checker understood (metric, baseline → target, deadline)."""
    lines: list[str] = []
    metrics = parsed.get("metrics") or []
    if metrics:
        arrows = {"up": "越高越好", "down": "越低越好"}
        lines.append("- **指标**：" + "、".join(
            md_escape(m["label"]) + (f"（{arrows[m['direction']]}）" if m.get("direction") in arrows else "")
            for m in metrics))
    unit = parsed.get("unit") or ""
    if parsed.get("baseline") is not None or parsed.get("target") is not None:
        base = "—" if parsed.get("baseline") is None else f"{parsed['baseline']}{unit}"
        target = "—" if parsed.get("target") is None else f"{parsed['target']}{unit}"
        lines.append(f"- **现状 → 目标**：{md_escape(base)} → {md_escape(target)}")
    deadline = parsed.get("deadline")
    if deadline:
        kind = _DEADLINE_KIND.get(deadline.get("kind"), "期限")
        when = md_escape(deadline.get("text", ""))
        if deadline.get("resolved"):
            when += f"（{deadline['resolved']}）"
        lines.append(f"- **{kind}**：{when}")
    return lines


_PLAN_FIELDS = (
    Field("keywords", "① 理解目标：关键词", kind="textarea", max_length=2000,
          help="把目标拆成关键词：做什么、对谁、到什么程度。"),
    Field("principles", "② 七个原则自查", kind="textarea", max_length=2000,
          help="对照课程的设定目标七原则，写下这条目标还欠缺哪一条。"),
    Field("obstacles", "③ 假设问题和阻碍", kind="textarea", max_length=4000,
          help="可能出现的问题，以及每个问题的应对办法。"),
    Field("enablers", "④ 支撑因子", kind="textarea", max_length=4000,
          help="实现目标所依靠的资源、人员、工具和上级支持。"),
    Field("tolerance", "⑤ 期限及弹性说明", kind="textarea", max_length=2000,
          help="截止时间、检查点，以及可接受的偏差，如 ±2 个百分点。"),
)

DEFINITION = Worksheet(
    slug="smart",
    version=1,
    title="SMART 目标检查",
    description="写下一个团队目标，逐条检查 S 具体、M 可衡量、A 可实现、R 相关、T 有时限，并给出改写建议。",
    lecture="lectures/03-goals.md",
    module="business",
    order=20,
    summary="具体、可衡量、可实现、相关、有时限五项，附改写建议",
    evaluate=evaluate,
    entry_label_field="owner",
    sections=(
        Section(
            "goal",
            "目标",
            (
                Field("goal_text", "目标陈述", kind="textarea", required=True, max_length=20000,
                      missing=Missing("请先写下一个目标。", suggestion="例如：本季度末前，将二组 CSAT 从 91% 提升到 93%。"),
                      placeholder="例如：本季度末前，将二组 CSAT 从 91% 提升到 93%。",
                      help="一句话写清：什么指标、从多少到多少、什么时候之前。"),
                Field("owner", "责任人", placeholder="例如：李敏（二组组长）", max_length=200,
                      help="谁对这个目标负责（可选）。"),
                Field("why_relevant", "与团队目标的关系", kind="textarea", max_length=4000,
                      help="这个目标支撑了部门或公司的哪个目标（可选）。"),
            ),
        ),
        Section("plan", "设定目标五步（选填）", _PLAN_FIELDS, optional=True,
                help="课程的设定目标五个步骤，帮助把目标落到计划上。"),
    ),
    example={
        "goal_text": "本季度末（9 月 30 日）前，将二组的一次解决率（FCR）从 72% 提升到 78%，同时 AHT 不高于 400 秒。",
        "owner": "李敏（二组组长）",
        "why_relevant": "中心的 FCR 目标是 78%，部门下半年要把重复来电率降低三分之一；"
                        "二组客户少打一次电话，重复来电就少一通，FCR 提升和重复来电减少是一件事的两面。",
        "keywords": "对象：二组 15 名坐席，重点是退款类来电；指标：FCR；方向：提升；"
                    "程度：72%（退款类 58%）→ 78%；期限：9 月 30 日；约束：AHT 不高于 400 秒（现状 395 秒）",
        "principles": "具体、可衡量、有时限已具备；每月约提升 2 个百分点，有挑战但可争取；"
                      "对应中心 FCR 目标和部门的重复来电目标；AHT 400 秒是约束线，不是第二个冲刺目标；"
                      "还要在组会上和坐席一起确认，争取认同。",
        "obstacles": "知识库更新滞后 → 每周五集中更新，组长当天在站会上讲解；"
                     "小王、小刘、小何 FCR 低于 65% → 每人配一位导师席（小陈或老张），每周两次跟听；"
                     "月初账单高峰 → 启用简易问题快捷话术，复杂单转回拨。",
        "enablers": "质检专员小赵每周抽听 20 通重复来电并标注原因；骨干小陈牵头整理退款类处理路径；"
                    "IT 在工单系统增加“重复来电”标签；小陈、老张担任导师席。",
        "tolerance": "9 月 30 日前达成；检查点 7 月 31 日 ≥ 74%、8 月 31 日 ≥ 76%；每月检查一次，"
                     "允许 ±1 个百分点的波动；进线量连续两周超预测 15% 以上时，由组长提出复议。",
    },
)
