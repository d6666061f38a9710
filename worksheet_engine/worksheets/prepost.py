"""The course pre-test and post-test: two parallel forms of the item bank.

``pretest`` (form A) at the start of the course and ``posttest`` (form B) at the end:
the same points of every lecture, pair by pair, at the same difficulty. Form B's
questions appear nowhere else on the site. Results mark each answer right or wrong
and name the section to review, without giving the correct option away. The trainer collects both through the
learners' exported backups; ``python -m worksheet_engine report`` compares them.
"""

from __future__ import annotations

from ._quiz import quiz_worksheet
from ._quizbank import form_items

_HELP = ("共 {n} 题，覆盖导入篇和第一讲到第六讲。按自己现在的理解作答，不会的题可以不答；"
         "结果只保存在这台电脑的浏览器里，讲师会请大家导出备份来汇总。")

DEFINITIONS = (
    quiz_worksheet(
        slug="pretest", title="课程前测", lecture="lectures/00-intro.md", module="intro", order=1,
        description="开课时做的 {n} 道题，了解自己对课程内容的起点；结课时再做后测，对比变化。".format(n=len(form_items("A"))),
        summary="开课前的起点测验（与后测题目平行）", items=form_items("A"), listed=True, reveal=False,
        help=_HELP.format(n=len(form_items("A")))),
    quiz_worksheet(
        slug="posttest", title="课程后测", lecture="lectures/00-intro.md", module="intro", order=99,
        description="结课时做的 {n} 道题，与前测逐题平行（同一要点、同样难度），用来看学到了多少。".format(n=len(form_items("B"))),
        summary="结课后的测验（与前测题目平行）", items=form_items("B"), listed=True, reveal=False,
        help=_HELP.format(n=len(form_items("B")))),
)
