"""Classroom activities, timetables and handouts from one data source.

``docs/_data/activities.yml`` defines each activity once; ``docs/_data/plans.yml`` the
1-day and 2-day timetables and the 1-day cut list; ``docs/_data/handouts.yml`` the key
models of each lecture's handout. The macros below render them:

* ``{{ activity("swot-practice") }}`` in a lecture (learner view: the box, with the
  model answer collapsed);
* ``{{ trainer_activities() }}`` in the trainer guide (every activity with timings per
  version, debrief, model answer and facilitation notes), ``{{ activity_cards() }}``
  (the printable material pack), ``{{ timetable("two_day") }}``;
* ``{{ lecture_time() }}`` at the top of a lecture, ``{{ one_day_cuts() }}`` on the home
  page and in the guide;
* ``{{ handout("lectures/03-goals.md") }}`` on a handout page.

Everything is checked when the data is loaded (:func:`load`): step minutes add up to
the activity's time, each teaching day adds up to ``day_minutes``, each activity is
scheduled once per version in which it has time. Errors stop the build.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "docs" / "_data"
ACTIVITY_TYPES = ("学员互动", "小组研讨", "学员实操", "现场测试", "研讨与练习", "扩展活动")
PLAN_KEYS = ("two_day", "one_day")
PLAN_SHORT = {"two_day": "2 天版", "one_day": "1 天版"}


class ActivityError(ValueError):
    """The course data is inconsistent (raised at build time)."""


@dataclass(frozen=True)
class Course:
    activities: dict[str, dict[str, Any]]
    plans: dict[str, Any]
    lectures: dict[str, str]
    cuts: list[dict[str, str]]
    handouts: dict[str, Any]
    day_minutes: int


def _read(name: str) -> Any:
    path = DATA_DIR / name
    try:
        # libyaml's safe loader when installed: the same data, 8x faster (read for every macro call).
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError as exc:
        raise ActivityError(f"{path} is missing") from exc


def _check_activity(key: str, act: dict[str, Any]) -> None:
    for field in ("short", "lecture", "type", "title", "goal", "minutes", "steps", "materials", "output",
                  "debrief", "model_answer", "one_day"):
        if not act.get(field) and act.get(field) != {}:
            raise ActivityError(f"activity {key}: missing {field}")
    if act["type"] not in ACTIVITY_TYPES:
        raise ActivityError(f"activity {key}: unknown type {act['type']!r}")
    minutes = act["minutes"]
    if set(minutes) != set(PLAN_KEYS):
        raise ActivityError(f"activity {key}: minutes needs exactly {PLAN_KEYS}")
    if minutes["one_day"] > minutes["two_day"]:
        raise ActivityError(f"activity {key}: the 1-day version is longer than the 2-day one")
    step_total = sum(int(s.get("minutes", 0)) for s in act["steps"])
    if minutes["two_day"] and step_total != minutes["two_day"]:
        raise ActivityError(f"activity {key}: steps add up to {step_total} min, not {minutes['two_day']}")


def _row_minutes(row: dict[str, Any], activities: dict[str, dict[str, Any]], plan: str) -> int:
    return int(row.get("teach", 0)) + sum(activities[a]["minutes"][plan] for a in row.get("activities", []))


def _check_plans(course: Course) -> None:
    for plan in PLAN_KEYS:
        scheduled: list[str] = []
        for day in course.plans[plan]["days"]:
            total = 0
            for row in day["rows"]:
                for a in row.get("activities", []):
                    if a not in course.activities:
                        raise ActivityError(f"plan {plan}: unknown activity {a}")
                    if course.activities[a]["lecture"] != row.get("lecture"):
                        raise ActivityError(f"plan {plan}: {a} is scheduled outside its lecture")
                    scheduled.append(a)
                total += _row_minutes(row, course.activities, plan)
            if total != course.day_minutes:
                raise ActivityError(f"plan {plan}, {day['title']}: {total} min of teaching, not {course.day_minutes}")
        expected = sorted(k for k, a in course.activities.items() if a["minutes"][plan])
        if sorted(scheduled) != expected:
            raise ActivityError(f"plan {plan}: scheduled {sorted(scheduled)}, expected each of {expected} once")


def load() -> Course:
    """Read and check the three data files."""
    acts = _read("activities.yml")["activities"]
    plans = _read("plans.yml")
    handouts = _read("handouts.yml")["handouts"]
    for key, act in acts.items():
        _check_activity(key, act)
        if act["lecture"] not in plans["lectures"]:
            raise ActivityError(f"activity {key}: unknown lecture {act['lecture']}")
    course = Course(acts, plans["plans"], plans["lectures"], plans["one_day_cuts"], handouts,
                    int(plans["day_minutes"]))
    _check_plans(course)
    return course


# ---------------------------------------------------------------------------------------- text

def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.strip("\n").splitlines())


def _join(items: list[str]) -> str:
    return "；".join(s.rstrip("。；") for s in items) + "。"


def _lecture_name(course: Course, path: str) -> str:
    return course.lectures[path]


def _short_lecture(course: Course, path: str) -> str:
    return _lecture_name(course, path).split(" ")[0]


def _time_line(act: dict[str, Any]) -> str:
    two, one = act["minutes"]["two_day"], act["minutes"]["one_day"]
    if not two:
        return "不占课时（选做），约 25 分钟。"
    one_text = f"1 天版 {one} 分钟" if one else "1 天版不在课上做"
    return f"{two} 分钟（2 天版）；{one_text}。"


def _box(course: Course, key: str, *, trainer: bool) -> str:
    """The activity box (Markdown), shared by the lecture and the guide."""
    act = course.activities[key]
    title = f"{act['type']}：{act['title']}"
    body = [f"**目标**：{act['goal']}", f"**时间**：{_time_line(act)}", f"**材料**：{_join(act['materials'])}",
            "**步骤**："]
    if act.get("show_cards"):
        cards = "\n".join(f"- **{c['title']}**：{c['body']}" for c in act.get("cards") or [])
        body.insert(3, "**案例与题目**：\n\n" + cards)
    steps = []
    for i, step in enumerate(act["steps"], 1):
        mins = f"（{step['minutes']} 分钟）" if step.get("minutes") and act["minutes"]["two_day"] else ""
        steps.append(f"{i}. {step['text']}{mins}")
    body.append("\n".join(steps))
    body.append(f"**预期产出**：{act['output']}")
    body.append("**复盘提问**：\n\n" + "\n".join(f"- {q}" for q in act["debrief"]))
    if trainer:
        body.append(f"**1 天版做法**：{act['one_day']}")
    answer_kind = '!!! success "参考答案"' if trainer else '??? success "参考答案（做完再看）"'
    body.append(answer_kind + "\n\n" + _indent(act["model_answer"]))
    if trainer and act.get("trainer"):
        body.append('!!! tip "讲师提示"\n\n' + _indent(act["trainer"]))
    inner = "\n\n".join(body)
    return (f'<div class="activity" data-activity="{html.escape(key)}" markdown>\n\n'
            f'!!! example "{title}"\n\n{_indent(inner)}\n\n</div>\n')


def render_activity(course: Course, key: str, where: str = "?") -> str:
    if key not in course.activities:
        raise ActivityError(f"{where}: unknown activity {key!r}")
    if course.activities[key]["lecture"] != where and where != "?":
        raise ActivityError(f"{where}: activity {key} belongs to {course.activities[key]['lecture']}")
    return _box(course, key, trainer=False)


def render_trainer_activities(course: Course) -> str:
    parts = []
    for key, act in course.activities.items():
        parts.append(f"### {_short_lecture(course, act['lecture'])} · {act['type']}：{act['title']}\n")
        parts.append(_box(course, key, trainer=True))
    return "\n".join(parts)


def render_cards(course: Course) -> str:
    parts = []
    for key, act in course.activities.items():
        cards = act.get("cards") or []
        if not cards:
            continue
        parts.append(f"### {_short_lecture(course, act['lecture'])} · {act['title']}\n")
        for card in cards:
            parts.append(f'<div class="print-card" markdown>\n\n**{card["title"]}**\n\n{card["body"]}\n\n</div>\n')
    return "\n".join(parts)


def _clock(start: str, minutes: int) -> str:
    h, m = (int(x) for x in start.split(":"))
    total = h * 60 + m + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def _link(course: Course, path: str, from_page: str) -> str:
    depth = from_page.count("/")
    href = "../" * depth + path
    return f"[{_lecture_name(course, path)}]({href})"


def render_timetable(course: Course, plan: str, from_page: str) -> str:
    out = []
    for day in course.plans[plan]["days"]:
        out.append(f"**{day['title']}**\n")
        out.append("| 时间 | 内容 | 讲授 | 活动 |\n|---|---|---|---|")
        t = 0
        teach_total = 0
        for row in day["rows"]:
            if "break" in row:
                dur = int(row["break"])
                out.append(f"| {_clock(day['start'], t)}–{_clock(day['start'], t + dur)} | {row['label']} | | |")
                t += dur
                continue
            dur = _row_minutes(row, course.activities, plan)
            teach_total += dur
            what = _link(course, row["lecture"], from_page) + row.get("label", "") if row.get("lecture") else row["label"]
            acts = "；".join(f"{course.activities[a]['type']}（{course.activities[a]['short']}）"
                            f"{course.activities[a]['minutes'][plan]} 分钟" for a in row.get("activities", []))
            out.append(f"| {_clock(day['start'], t)}–{_clock(day['start'], t + dur)} | {what} | {row.get('teach', 0)} 分钟 | {acts} |")
            t += dur
        out.append(f"\n合计授课 {teach_total} 分钟（{teach_total // 60} 小时），不含茶歇和午餐。\n")
    return "\n".join(out)


def lecture_minutes(course: Course, lecture: str, plan: str) -> tuple[int, int]:
    """(teaching, activity) minutes that ``plan`` gives ``lecture``."""
    teach = act = 0
    for day in course.plans[plan]["days"]:
        for row in day["rows"]:
            if row.get("lecture") == lecture:
                teach += int(row.get("teach", 0))
                act += sum(course.activities[a]["minutes"][plan] for a in row.get("activities", []))
    return teach, act


def render_lecture_time(course: Course, lecture: str) -> str:
    parts = []
    for plan in PLAN_KEYS:
        teach, act = lecture_minutes(course, lecture, plan)
        parts.append(f"{PLAN_SHORT[plan]} {teach + act} 分钟（讲授 {teach}，活动 {act}）")
    cut = next((c for c in course.cuts if c["lecture"] == lecture), None)
    text = "课堂时间：" + "；".join(parts) + "。"
    if cut:
        text += f"1 天版课上讲{cut['in_class']}；{cut['self_study']}。"
    return text


def render_cuts(course: Course, from_page: str) -> str:
    rows = ["| 内容 | 1 天版课上讲 | 移到自学 |", "|---|---|---|"]
    for cut in course.cuts:
        rows.append(f"| {_link(course, cut['lecture'], from_page)} | {cut['in_class']} | {cut['self_study']} |")
    return "\n".join(rows) + "\n"


def _lines(n: int) -> str:
    return f'<div class="write-lines" style="--lines: {int(n)}" aria-hidden="true"></div>'


def render_handout(course: Course, lecture: str, from_page: str) -> str:
    data = course.handouts.get(lecture)
    if data is None:
        raise ActivityError(f"no handout for {lecture}")
    out = [f"<div class=\"handout\" markdown>\n",
           f"**{_lecture_name(course, lecture)}**　学员讲义　姓名＿＿＿＿＿＿　日期＿＿＿＿＿＿\n",
           "## 核心模型\n", data["models"].strip() + "\n"]
    acts = [(k, a) for k, a in course.activities.items() if a["lecture"] == lecture]
    if acts:
        out.append("## 活动单\n")
        for key, act in acts:
            out.append(f'<div class="sheet" data-sheet="{html.escape(key)}" markdown>\n')
            out.append(f"### {act['type']}：{act['title']}\n")
            out.append(f"**目标**：{act['goal']}　**时间**：{_time_line(act)}\n")
            out.append("\n".join(f"{i}. {s['text']}" for i, s in enumerate(act["steps"], 1)) + "\n")
            for prompt in act.get("sheet") or []:
                out.append(f"**{prompt['prompt']}**\n\n{_lines(prompt['lines'])}\n")
            out.append("</div>\n")
    out.append("## 我的笔记\n")
    out.append("**本讲我最想用的一个方法：**\n\n" + _lines(2) + "\n")
    out.append("**回去后两周内我要做的一件事（谁、什么、哪天）：**\n\n" + _lines(2) + "\n")
    out.append("**其他笔记：**\n\n" + _lines(10) + "\n")
    out.append(f"在线版：{_link(course, lecture, from_page)}\n")
    out.append("</div>\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------- macros

def register(env: Any) -> None:
    """Add the activity macros to mkdocs-macros' ``env``."""

    def where() -> str:
        page = getattr(env, "page", None)
        return getattr(getattr(page, "file", None), "src_uri", "?")

    @env.macro
    def activity(key: str) -> str:
        """One activity box, in its lecture."""
        return render_activity(load(), key, where())

    @env.macro
    def trainer_activities() -> str:
        """Every activity, trainer view (timings, debrief, model answer, notes)."""
        return render_trainer_activities(load())

    @env.macro
    def activity_cards() -> str:
        """Printable cards and observation sheets of all activities."""
        return render_cards(load())

    @env.macro
    def timetable(plan: str) -> str:
        """The 1-day or 2-day timetable."""
        if plan not in PLAN_KEYS:
            raise ActivityError(f"{where()}: unknown plan {plan!r}")
        return render_timetable(load(), plan, where())

    @env.macro
    def lecture_time() -> str:
        """Minutes this lecture gets in both versions, and the 1-day cut."""
        return render_lecture_time(load(), where())

    @env.macro
    def one_day_cuts() -> str:
        """What the 1-day version teaches in class and what moves to self-study."""
        return render_cuts(load(), where())

    @env.macro
    def handout(lecture: str) -> str:
        """A printable handout for ``lecture``: key models, activity sheets, notes."""
        return render_handout(load(), lecture, where())
