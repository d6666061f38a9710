"""The knowledge checks at the end of each lecture (导入篇, 第一讲–第六讲), from the item bank.

Slugs ``quiz-<lecture page slug>`` (e.g. ``quiz-01-learning``); not listed in the nav
or the overview: the macro ``{{ quiz("01-learning") }}`` shows each at the end of its
lecture, inside ``data-ws-quiz="01-learning"``. Entries are saved like any worksheet's.
"""

from __future__ import annotations

from ._quiz import quiz_worksheet
from ._quizbank import LECTURES, quiz_items


def slug_for(lecture: str) -> str:
    return f"quiz-{lecture}"


DEFINITIONS = tuple(
    quiz_worksheet(
        slug=slug_for(lecture),
        title=f"{title} · 知识自测",
        description=f"{title}的 {len(quiz_items(lecture))} 道自测题：单选、多选和一道客服情境题，每题附解析和讲义链接。",
        lecture=path,
        module=module,
        order=200 + n,
        summary="本讲要点的单选、多选和客服情境题，逐题解析",
        items=quiz_items(lecture),
        listed=False,
        help="选好答案后会自动判分，并给出解析和讲义链接。作答只保存在这台电脑的浏览器里。",
    )
    for n, (lecture, (path, title, module)) in enumerate(LECTURES.items())
)
