"""误区 一刀切: the same next-period goals copied for several agents.

One interview preparation cannot see the others, so this is a pure function over many
entries, for the agents' workspace (人员) to call with every agent's latest interview
preparation. Two goals count as the same when they are equal after NFKC, case folding,
dropping spaces and punctuation, and dropping the agent's own name (so "小孙本月把 FCR
提到 75%" and "李雷本月把 FCR 提到 75%" are one copied goal). Different numbers make
different goals: a goal tuned to each agent is exactly what the article asks for.

Example::

    >>> same_goals_across_agents([
    ...     {"agent_name": "小孙（二组坐席）", "goals": [{"goal": "小孙12月底前 FCR 达到 75%。"}]},
    ...     {"agent_name": "李雷", "goals": [{"goal": "李雷 12月底前FCR达到75%"}, {"goal": "质检 90 分"}]},
    ...     {"agent_name": "张敏", "goals": ["质检 92 分"]},
    ... ])[0]["agents"]
    ['小孙（二组坐席）', '李雷']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["same_goals_across_agents", "goal_key"]

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_PAREN = re.compile(r"[（(].*?[)）]")


def _names(agent: str) -> list[str]:
    agent = unicodedata.normalize("NFKC", agent).strip()
    short = _PAREN.sub("", agent).strip()
    return sorted({n for n in (agent, short) if len(n) >= 2}, key=len, reverse=True)


def goal_key(goal: str, agent: str = "") -> str:
    """The comparable form of one goal (see the module docstring)."""
    text = unicodedata.normalize("NFKC", str(goal or ""))[:500].casefold()
    for name in _names(agent):
        text = text.replace(name.casefold(), "")
    return _DROP.sub("", text)


def _goals_of(entry: Mapping[str, Any]) -> list[str]:
    raw = entry.get("goals")
    out: list[str] = []
    for g in raw if isinstance(raw, list) else []:
        text = g.get("goal") if isinstance(g, Mapping) else g
        if isinstance(text, str) and text.strip():
            out.append(text.strip())
    return out


def same_goals_across_agents(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Goals that appear, unchanged, in the entries of two or more different agents.

    Args:
        entries: interview-preparation values (``agent_name`` and ``goals`` rows with a
            ``goal`` cell), or plain ``{"agent": name, "goals": [str, ...]}`` mappings.

    Returns:
        One ``{"goal", "agents", "entries"}`` per copied goal, in first-seen order:
        ``goal`` as first written, the distinct agents' names, the entries' indices.
    """
    groups: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        agent = entry.get("agent_name", entry.get("agent", ""))
        agent = agent.strip() if isinstance(agent, str) else ""
        for goal in _goals_of(entry):
            key = goal_key(goal, agent)
            if not key:
                continue
            group = groups.setdefault(key, {"goal": goal, "agents": [], "entries": []})
            if agent not in group["agents"]:
                group["agents"].append(agent)
            if index not in group["entries"]:
                group["entries"].append(index)
    return [g for g in groups.values() if len({a for a in g["agents"]}) >= 2]
