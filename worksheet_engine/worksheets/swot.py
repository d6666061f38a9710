"""SWOT 自我扫描 worksheet (第二讲): the form definition and its evaluator.

The reader lists strengths (S), weaknesses (W), opportunities (O) and threats (T) for a
stated scope ("我作为客服主管的下一年"), then pairs them in the TOWS cross matrix:
SO 增长型, WO 扭转型, ST 多元型, WT 防御型. The evaluator checks

* that each quadrant holds two to seven items;
* that internal factors (skills, team, process) sit under S/W and external ones
  (policy, market, competitors, technology, company decisions) under O/T;
* that items are concrete enough to act on;
* that every strategy cites at least one item of each of its two factors — by number
  (``S1+O2``, ``优势1``) or by shared wording — and is more than a restated item;

and ranks strategies by the importance of what they cite. A weighted balance
(X = ΣS − ΣW, Y = ΣO − ΣT) suggests a stance; it is a teaching aid only.

Example::

    >>> r = evaluate({"context": "我的下一年", "strengths": [{"text": "熟悉退换货流程，做过 6 年一线客服"}],
    ...               "so": [{"strategy": "S1+O1 带新人", "uses": ""}]})
    >>> r["strategies"][0]["cites"]
    ['S1']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any

from ..model import Context, Field, Issue, Missing, Section, Worksheet
from ..markdown import md_escape, md_table
from ._shared import issue as _issue, rows_of as _rows, short as _short

# --------------------------------------------------------------------------------------
# Quadrants and TOWS cells
# --------------------------------------------------------------------------------------

#: Quadrant letter -> (field name, Chinese name, internal?).
QUADRANTS: dict[str, tuple[str, str, bool]] = {
    "S": ("strengths", "优势", True),
    "W": ("weaknesses", "劣势", True),
    "O": ("opportunities", "机会", False),
    "T": ("threats", "威胁", False),
}
QUADRANT_ORDER = ("S", "W", "O", "T")

#: TOWS cell -> (field name, Chinese name, the two quadrants it pairs).
CELLS: dict[str, tuple[str, str, tuple[str, str]]] = {
    "SO": ("so", "增长型", ("S", "O")),
    "WO": ("wo", "扭转型", ("W", "O")),
    "ST": ("st", "多元型", ("S", "T")),
    "WT": ("wt", "防御型", ("W", "T")),
}
CELL_ORDER = ("SO", "WO", "ST", "WT")

#: What each cell is for (own words, shown in the report and the form help).
CELL_LOGIC = {
    "SO": "用优势抓住机会",
    "WO": "借机会补上劣势",
    "ST": "用优势化解威胁",
    "WT": "减少劣势、避开威胁",
}

DEFAULT_IMPORTANCE = 3
MIN_ITEMS = 2
MAX_ITEMS_ADVISED = 7
RESTATE_THRESHOLD = 0.8
VAGUE_MIN_CHARS = 6

_ITEM_MAX = 300
_STRATEGY_MAX = 500
_COMPARE_MAX = 120  # characters compared for similarity; bounds the cost per pair
_RATIO_BUDGET = 32  # full difflib comparisons per entry; bounds the worst case

# --------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PUNCT_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]+")

# Bigrams too common in this domain to show that a strategy builds on a given item.
_STOP_BIGRAMS = frozenset(
    "我们 我的 自己 团队 客服 公司 部门 工作 一个 一些 没有 需要 可以 能够 进行 通过 利用 借助 加强 "
    "提升 提高 增加 减少 降低 目前 现在 今年 明年 以后 之前 以上 以下 比较 非常 问题 方面 情况 时候 "
    "因为 所以 如果 但是 而且 并且 或者 还是 已经 开始 继续 更加 更好 相关 主要 其他 不够 不足 很多 "
    "优势 劣势 机会 威胁 发挥 抓住 弥补 避开 应对 策略 计划 我会 我要 用我 让我 给我 为我".split()
)
_STOP_CHARS = frozenset("的了是在和与及或也都很就把被对向从到为以于之其这那个些我你他她它们有不会能要将已并等而且但着过吗呢吧啊")
_STOP_WORDS = frozenset({"the", "and", "for", "with", "of", "to", "in", "on", "my", "our"})

_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_ID_LATIN = re.compile(r"(?<![A-Za-z])([SWOTswot])\s*[-_#.]?\s*(\d{1,2})(?!\d)")
_ID_CHINESE = re.compile(
    r"(优势|劣势|机会|威胁)\s*第?\s*(?:(\d{1,2})(?!\d)|([一二两三四五六七八九十]{1,3})"
    rf"(?:条|项)?(?=$|[^{_CJK}]|[和与及、加配搭]))"
)
_ZH_QUADRANT = {"优势": "S", "劣势": "W", "机会": "O", "威胁": "T"}


def _clean(text: Any, limit: int) -> str:
    """Stripped text, at most ``limit`` characters (what the report shows)."""
    if text is None or isinstance(text, (dict, list, tuple, set)):
        return ""
    return str(text)[: limit * 2].strip()[:limit]


def _norm(text: str) -> str:
    """NFKC form used for matching only (full-width Ｓ１ → S1); never shown to the reader."""
    return unicodedata.normalize("NFKC", text)[: len(text) + 16]


def _compact(text: str) -> str:
    """Lower-case text without spaces and punctuation (for similarity)."""
    return _PUNCT_SPACE.sub("", text.lower())


def _zh_number(text: str) -> int:
    """Parse 一…九十九 written with 十; 0 when it cannot be read."""
    if not text:
        return 0
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _ZH_DIGITS.get(head, 0) if head else 1
        ones = _ZH_DIGITS.get(tail, 0) if tail else 0
        if (head and not tens) or (tail and not ones):
            return 0
        return tens * 10 + ones
    return _ZH_DIGITS.get(text, 0) if len(text) == 1 else 0


Keywords = tuple[frozenset[str], frozenset[str]]


def _keywords(text: str) -> Keywords:
    """Meaningful tokens of ``text``: CJK bigrams (weight 1) and Latin words (weight 2)."""
    low = text.lower()
    grams = {run[i : i + 2] for run in _CJK_RUN.findall(low) for i in range(len(run) - 1)}
    grams -= _STOP_BIGRAMS
    bigrams = frozenset(g for g in grams if not (g[0] in _STOP_CHARS and g[1] in _STOP_CHARS))
    words = frozenset(_LATIN_WORD.findall(low)) - _STOP_WORDS
    return bigrams, words


def _shared_weight(a: Keywords, b: Keywords) -> int:
    return len(a[0] & b[0]) + 2 * len(a[1] & b[1])


def _bigram_set(text: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    found = cache.get(text)
    if found is None:
        found = cache[text] = frozenset(text[i : i + 2] for i in range(len(text) - 1))
    return found


def _similarity(a: str, b: str, budget: list[int], grams: dict[str, frozenset[str]]) -> float:
    """difflib ratio of two compacted texts, with cheap filters checked first.

    Texts above the restatement threshold share most of their character bigrams, so a
    bigram Dice coefficient below 0.5 (or a length or multiset bound at most the
    threshold) skips the quadratic ``ratio()``. ``budget[0]`` counts the ``ratio()``
    calls still allowed for this entry; when it is spent the pair counts as different.
    """
    a, b = a[:_COMPARE_MAX], b[:_COMPARE_MAX]
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(set(a) | set(b)) < 12:  # few distinct characters make difflib quadratic; compare less
        a, b = a[:40], b[:40]
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() <= RESTATE_THRESHOLD:
        return 0.0
    ga, gb = _bigram_set(a, grams), _bigram_set(b, grams)
    if ga and gb and 2 * len(ga & gb) / (len(ga) + len(gb)) < 0.5:
        return 0.0
    if sm.quick_ratio() <= RESTATE_THRESHOLD or budget[0] <= 0:
        return 0.0
    budget[0] -= 1
    return sm.ratio()


# --------------------------------------------------------------------------------------
# Internal / external placement
# --------------------------------------------------------------------------------------

# Each pattern counts once per item. Signals describe the *phrasing* of an item; an item
# is flagged only when the opposite side's signals outnumber its own side's.
_EXTERNAL_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("政策法规", r"政策|法规|监管|法律|新规"),
        ("竞争对手", r"竞争对手|竞品|同行|友商|对手"),
        ("市场与行业", r"市场|行业|经济|大环境|社会|消费者"),
        ("客户需求变化", r"客户(?:的)?(?:需求|期望|要求|习惯|偏好|结构)"),
        ("技术变化", r"(?<![A-Za-z])AI(?![A-Za-z])|人工智能|机器人|智能客服|大模型|自动化|新技术|技术发展"),
        ("组织变动", r"裁员|降本|缩编|重组|并购|外包|合并"),
        ("公司或上级的决定",
         r"(?:公司|集团|部门|(?<![为的])中心|上级|领导|总部|管理层|人力)(?:今年|明年|下半年|将|要|计划|正在|准备|决定|开始|已经|会){0,2}"
         r"(?:推行|上线|引入|开展|提供|安排|调整|扩张|扩充|扩招|收缩|支持|重视|鼓励|投入|开放|选拔|招聘|试点|改革|要求)"),
        ("别人作用于我", r"(?:给|为|让|帮|派|选|推荐|要求)我|我被"),
        ("趋势用语", r"越来越|日益|逐渐|趋势|即将|将会|预计|未来"),
        ("机会用语", r"有机会|有望|可能会|有可能"),
        ("季节与活动", r"旺季|淡季|大促|节假日|双十一|(?<!\d)618(?!\d)"),
    )
)

_INTERNAL_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("以“我”为主语", r"^(?:我|本人)(?![们司国被])"),
        ("个人特点",
         r"我(?:的|个人|自己)?(?:很|比较|非常|特别|不太|不够|不)?"
         r"(?:擅长|熟悉|了解|懂|会|善于|喜欢|习惯|缺乏|缺少|拥有|具备|容易|曾经|曾|做过|带过|当过|有(?!机会|可能|望))"),
        ("“我的”", r"我的"),
        ("能力与经验", r"能力|技能|经验|性格|脾气|特长|专长|短板|资历|学历|证书|执行力|耐心"),
        ("团队内部",
         r"团队成员|组员|下属|本组|我组|我们组|班组|我(?:们)?的?团队|"
         r"团队(?:的)?(?:士气|氛围|凝聚力|人员|新人|骨干|离职|流失|技能|能力|执行力|配合)"),
        ("流程与方法", r"流程|制度|带教|排班表|SOP|管理方法|工作方法"),
    )
)


def _signals(text: str, table: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    return [label for label, pattern in table if pattern.search(text)]


# --------------------------------------------------------------------------------------
# Vagueness
# --------------------------------------------------------------------------------------

_CONCRETE = re.compile(
    r"\d|[一二两三四五六七八九十百千万半](?:个|名|人|次|年|月|周|天|分|条|项|份|通|倍|成)|"
    r"[A-Za-z]{2,}|%|％|"
    r"客户|坐席|员工|新人|组员|下属|同事|工单|来电|电话|在线|投诉|质检|满意度|好评|差评|排班|话术|知识库|"
    r"系统|工具|报表|报告|数据|培训|辅导|带教|会议|流程|制度|考核|绩效|指标|项目|上级|领导|部门|公司|"
    r"政策|竞争对手|同行|市场|行业|机器人|智能|外包|预算|人员|离职|流失|招聘|证书|课程|业务|产品|渠道|"
    r"方案|案例|升级|订单|退换货|物流|售后|预测|话务|录音|岗位|晋升|干部|选拔|认证|讲师|主管|经理|储备|"
    r"汇报|面谈|表扬|加班|时限|政府|法规",
    re.IGNORECASE,
)


def _is_vague(text: str, evidence: str) -> tuple[bool, str]:
    """Whether an item is too thin to act on, and why."""
    body = _compact(text)
    ev = _compact(evidence)
    if len(ev) >= VAGUE_MIN_CHARS and _CONCRETE.search(evidence):
        return False, ""
    if len(body) < VAGUE_MIN_CHARS:
        return True, "short"
    if not _CONCRETE.search(text):
        return True, "abstract"
    return False, ""


# --------------------------------------------------------------------------------------
# Reading the entry
# --------------------------------------------------------------------------------------


def _importance(raw: Any) -> int | float | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None
    if raw != raw or raw < 1 or raw > 5:
        return None
    return raw


def _read_items(values: Mapping[str, Any],
                issues: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Items per quadrant. An item's number is its row's position (S3 is the third row),
    so the numbers the reader sees next to the rows are the ones strategies cite."""
    items: dict[str, list[dict[str, Any]]] = {}
    for q in QUADRANT_ORDER:
        name = QUADRANTS[q][0]
        out: list[dict[str, Any]] = []
        for index, row in enumerate(_rows(values, name)):
            text = _clean(row.get("text"), _ITEM_MAX)
            evidence = _clean(row.get("evidence"), _ITEM_MAX)
            if not text:
                if evidence:  # evidence without an item still counts as the item
                    text = evidence
                    evidence = ""
                else:
                    issues.append(_issue(
                        "item_missing_text",
                        f"“{q} {QUADRANTS[q][1]}”第 {index + 1} 行只填了重要性，没有内容。",
                        f"{name}.{index}.text",
                        suggestion="写上这一条的内容，或删除这一行。",
                    ))
                    continue
            imp = _importance(row.get("importance"))
            out.append(
                {
                    "id": f"{q}{index + 1}",
                    "quadrant": q,
                    "row": index,
                    "text": text,
                    "evidence": evidence,
                    "importance": imp,
                    "weight": imp if imp is not None else DEFAULT_IMPORTANCE,
                    "flags": [],
                    "_n": _norm(text),
                    "_ne": _norm(evidence),
                }
            )
        items[q] = out
    return items


def _read_strategies(values: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    cells: dict[str, list[dict[str, Any]]] = {}
    for cell in CELL_ORDER:
        name = CELLS[cell][0]
        out: list[dict[str, Any]] = []
        for index, row in enumerate(_rows(values, name)):
            text = _clean(row.get("strategy"), _STRATEGY_MAX)
            uses = _clean(row.get("uses"), _ITEM_MAX)
            if not text and not uses:
                continue
            out.append({"id": f"{cell}{index + 1}", "cell": cell, "row": index, "text": text,
                        "uses": uses, "_n": _norm(text), "_nu": _norm(uses)})
        cells[cell] = out
    return cells


def parse_item_refs(text: str) -> list[tuple[str, int]]:
    """Item references written as numbers: ``S1``, ``S1+O2``, ``o 3``, ``优势1``, ``机会二``.

    >>> parse_item_refs("S1+O2，再加上劣势三")
    [('S', 1), ('O', 2), ('W', 3)]
    """
    refs: list[tuple[str, int]] = []
    for m in _ID_LATIN.finditer(text):
        refs.append((m.group(1).upper(), int(m.group(2))))
    for m in _ID_CHINESE.finditer(text):
        n = int(m.group(2)) if m.group(2) else _zh_number(m.group(3) or "")
        if n:
            refs.append((_ZH_QUADRANT[m.group(1)], n))
    seen: set[tuple[str, int]] = set()
    return [r for r in refs if not (r in seen or seen.add(r))]


def _wording_matches(strategy_kw: Keywords, quadrant_items: list[dict[str, Any]],
                     keywords: Mapping[str, Keywords]) -> list[str]:
    """Items whose wording the strategy reuses (best two, at least weight 2 shared)."""
    scored: list[tuple[int, int, str]] = []
    for pos, item in enumerate(quadrant_items):
        shared = _shared_weight(keywords[item["id"]], strategy_kw)
        if shared >= 2:
            scored.append((-shared, pos, item["id"]))
    scored.sort()
    return [item_id for _, _, item_id in scored[:2]]


# --------------------------------------------------------------------------------------
# Balance (teaching aid)
# --------------------------------------------------------------------------------------

_STANCE_TEXT = {
    "SO": "优势多于劣势、机会多于威胁，整体倾向 SO 增长型：用优势去抓机会。",
    "WO": "劣势多于优势、机会多于威胁，整体倾向 WO 扭转型：先借外部机会补短板。",
    "WT": "劣势多于优势、威胁多于机会，整体倾向 WT 防御型：先补短板、避风险。",
    "ST": "优势多于劣势、威胁多于机会，整体倾向 ST 多元型：用优势化解威胁。",
}


def _balance(items: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    sums = {q: sum(i["weight"] for i in items.get(q, [])) for q in QUADRANT_ORDER}
    x = sums["S"] - sums["W"]
    y = sums["O"] - sums["T"]
    complete = all(items.get(q) for q in QUADRANT_ORDER)
    stance: str | None = None
    if x and y:
        stance = ("S" if x > 0 else "W") + ("O" if y > 0 else "T")
        text = _STANCE_TEXT[stance]
    elif not x and not y:
        text = "内外因素的分值正好抵消，看不出明显倾向，可以重新评估各条的重要性。"
    elif not x:
        side = "机会" if y > 0 else "威胁"
        text = f"优势与劣势分值相同，外部{side}占上风；可在 {'SO 与 WO' if y > 0 else 'ST 与 WT'} 之间权衡。"
    else:
        side = "优势" if x > 0 else "劣势"
        text = f"机会与威胁分值相同，内部{side}占上风；可在 {'SO 与 ST' if x > 0 else 'WO 与 WT'} 之间权衡。"
    if not complete:
        text = "四个象限还没有都填写，倾向判断暂不可靠。" + text
    return {
        "sums": {q: _num(v) for q, v in sums.items()},
        "x": _num(x),
        "y": _num(y),
        "stance": stance,
        "stance_label": f"{stance} {CELLS[stance][1]}" if stance else "",
        "complete": complete,
        "summary": text,
        "note": "这是课堂常用的加权打分简化算法，只作教学参考，不是 TOWS 方法本身的一部分。",
    }


def _num(v: float) -> int | float:
    v = round(float(v), 2)
    return int(v) if v.is_integer() else v


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------




def _check_items(items: dict[str, list[dict[str, Any]]], issues: list[dict[str, Any]]) -> None:
    for q in QUADRANT_ORDER:
        name, zh, internal = QUADRANTS[q]
        rows = items[q]
        if len(rows) > MAX_ITEMS_ADVISED:  # too few: the model checks min_items
            issues.append(_issue(
                "quadrant_too_many",
                f"“{q} {zh}”有 {len(rows)} 条，超过 {MAX_ITEMS_ADVISED} 条会分散注意力。",
                name,
                suggestion="按重要性排序，只保留最关键的 3–5 条，其余合并或删去。",
            ))
        for item in rows:
            path = f"{name}.{item['row']}.text"
            own = _signals(item["_n"], _INTERNAL_SIGNALS if internal else _EXTERNAL_SIGNALS)
            other = _signals(item["_n"], _EXTERNAL_SIGNALS if internal else _INTERNAL_SIGNALS)
            if other and len(other) > len(own):
                item["flags"].append("misplaced")
                if internal:
                    target = "O 机会" if q == "S" else "T 威胁"
                    issues.append(_issue(
                        "item_looks_external",
                        f"{item['id']}“{_short(item['text'])}”读起来像外部环境（{'、'.join(other)}），"
                        f"不是您自己或团队能控制的{zh}。",
                        path,
                        suggestion=f"如果它来自外部，请移到“{target}”；如果想写自己的{zh}，"
                                   f"改写成您或团队{'具备' if q == 'S' else '欠缺'}的能力、资源或做法，"
                                   f"例如“{'我熟悉……' if q == 'S' else '我还不会……'}”。",
                    ))
                else:
                    target = "S 优势" if q == "O" else "W 劣势"
                    issues.append(_issue(
                        "item_looks_internal",
                        f"{item['id']}“{_short(item['text'])}”读起来像您自己或团队的内部情况"
                        f"（{'、'.join(other)}），而{zh}应来自外部环境。",
                        path,
                        suggestion=f"内部情况请移到“{target}”；外部{zh}写成政策、客户、公司决策、"
                                   f"技术或行业的变化，例如“公司明年上线……”。",
                    ))
            vague, why = _is_vague(item["_n"], item["_ne"])
            if vague:
                item["flags"].append("vague")
                reason = "太短" if why == "short" else "没有具体的事、数或对象"
                issues.append(_issue(
                    "item_vague",
                    f"{item['id']}“{_short(item['text'])}”{reason}，别人难以判断它有多重要。",
                    path,
                    severity="info",
                    suggestion="补上事实或数据，例如“质检分低于组均值 5 分”“去年带出 3 名骨干”，"
                               "也可以写在“事实依据”一栏。",
                ))


_FEW_HINT = {
    "S": "想想上级或组员常夸您的地方、您带来过的好结果。",
    "W": "想想最近一次复盘里暴露的短板，或上级给过的改进建议。",
    "O": "想想公司、客户、技术或政策方面正在发生、对您有利的变化。",
    "T": "想想可能让您或团队的指标变差的外部变化，例如话务量、AI 替代、人员政策。",
}




_MEASURE = re.compile(
    r"\d|[一二两三四五六七八九十百半](?:个|名|人|次|周|天|月|季|年|条|项|份|倍|成|轮)|"
    r"月底|月末|季度|年底|年末|之前|以前|前完成|每周|每月|每天|每季|上半年|下半年|%|％"
)


def _check_strategies(items: dict[str, list[dict[str, Any]]],
                      cells: dict[str, list[dict[str, Any]]],
                      issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {item["id"]: item for q in QUADRANT_ORDER for item in items[q]}
    keywords = {item_id: _keywords(item["_n"] + " " + item["_ne"]) for item_id, item in by_id.items()}
    compact_items = [(item["id"], _compact(item["_n"])) for item in by_id.values()]
    ratio_cache: dict[tuple[str, str], float] = {}
    budget = [_RATIO_BUDGET]
    grams: dict[str, frozenset[str]] = {}
    results: list[dict[str, Any]] = []

    for cell in CELL_ORDER:
        name, zh, (qa, qb) = CELLS[cell]
        for strat in cells[cell]:
            path = f"{name}.{strat['row']}.strategy"
            refs = parse_item_refs(strat["_nu"] + " " + strat["_n"])
            explicit = [f"{q}{n}" for q, n in refs]
            unknown = [r for r in explicit if r not in by_id]
            cited_explicit = [r for r in explicit if r in by_id]
            body = _ID_LATIN.sub(" ", strat["_n"])
            body = _ID_CHINESE.sub(" ", body)
            strat_kw = _keywords(body)
            cites = list(cited_explicit)
            by_wording: list[str] = []
            for q in (qa, qb):
                if any(r.startswith(q) for r in cited_explicit):
                    continue
                for item_id in _wording_matches(strat_kw, items[q], keywords):
                    by_wording.append(item_id)
                    cites.append(item_id)
            missing = [q for q in (qa, qb) if not any(c.startswith(q) for c in cites)]
            off_factor = [c for c in cited_explicit if c[0] not in (qa, qb)]
            score = sum(by_id[c]["weight"] for c in cites)

            if not strat["text"]:
                issues.append(_issue(
                    "strategy_missing_text",
                    f"{strat['id']} 只写了用到的条目（{_short(strat['uses'])}），还没写策略本身。",
                    path,
                    suggestion=f"用一个动词开头写出要做的事，例如“{_CELL_EXAMPLE[cell]}”。",
                ))
            if unknown:
                issues.append(_issue(
                    "strategy_unknown_item",
                    f"{strat['id']} 引用了不存在的条目：{'、'.join(unknown)}。",
                    f"{name}.{strat['row']}.uses",
                    suggestion="核对编号：条目按填写顺序编号为 S1、S2…；删除或移动条目后编号会变化。",
                ))
            if missing:
                labels = "、".join(f"{q} {QUADRANTS[q][1]}" for q in missing)
                issues.append(_issue(
                    "strategy_missing_link",
                    f"{strat['id']}（{cell} {zh}）没有对应到任何“{labels}”条目。",
                    path,
                    suggestion=f"{cell} 策略要把 {qa} 和 {qb} 各至少一条配对起来，"
                               f"在“用到的条目”里写上编号，例如“{qa}1+{qb}2”。",
                ))
            if off_factor:
                homes = "、".join(sorted({_home_cells(c[0], cell) for c in off_factor}))
                issues.append(_issue(
                    "strategy_off_factor",
                    f"{strat['id']} 放在 {cell} {zh}，却引用了 {'、'.join(off_factor)}。",
                    path,
                    severity="info",
                    suggestion=f"如果这条策略主要靠这些条目，它可能更适合放在 {homes}。",
                ))
            restated = ""
            compact_body = _compact(body)
            if strat["text"]:
                for item_id, compact_item in compact_items:
                    key = (compact_body[:_COMPARE_MAX], compact_item[:_COMPARE_MAX])
                    if key not in ratio_cache:
                        ratio_cache[key] = _similarity(key[0], key[1], budget, grams)
                    if ratio_cache[key] > RESTATE_THRESHOLD:
                        restated = item_id
                        break
            if restated:
                issues.append(_issue(
                    "strategy_restates_item",
                    f"{strat['id']} 和 {restated} 几乎一样，只是把条目又写了一遍，还不是策略。",
                    path,
                    suggestion=f"写出要采取的行动：{CELL_LOGIC[cell]}，例如“{_CELL_EXAMPLE[cell]}”。",
                ))
            elif strat["text"] and not _MEASURE.search(strat["_n"]):
                issues.append(_issue(
                    "strategy_no_measure",
                    f"{strat['id']} 没有写数量或期限，事后难以判断是否做到。",
                    path,
                    severity="info",
                    suggestion="加上衡量标准或完成时间，例如“每月一次”“6 月底前”“覆盖 10 名新人”。",
                ))
            results.append({
                "id": strat["id"],
                "cell": cell,
                "cell_label": f"{cell} {zh}",
                "text": strat["text"],
                "uses": strat["uses"],
                "cites": cites,
                "cited_by_number": cited_explicit,
                "cited_by_wording": by_wording,
                "unknown_refs": unknown,
                "missing": missing,
                "restates": restated or None,
                "score": _num(score),
            })

    if not results:
        issues.append(_issue(
            "tows_empty",
            "还没有写任何 TOWS 交叉策略；只列清单而不配对，SWOT 就停在了描述现状。",
            "so",
            suggestion="先从最重要的一条优势和一条机会开始，写一条 SO 增长型策略。",
        ))
    else:
        if not cells["WT"]:
            issues.append(_issue(
                "wt_empty",
                "WT 防御型一格还是空的：劣势遇上威胁时的预案没有准备。",
                "wt",
                suggestion=f"挑一条最重要的劣势和一条威胁，想想怎样减少损失，例如“{_CELL_EXAMPLE['WT']}”。",
            ))
        for cell in ("SO", "WO", "ST"):
            if not cells[cell]:
                issues.append(_issue(
                    "tows_cell_empty",
                    f"{cell} {CELLS[cell][1]}一格还是空的。",
                    CELLS[cell][0],
                    severity="info",
                    suggestion=f"这一格的思路是“{CELL_LOGIC[cell]}”，每格写 1–3 条即可。",
                ))
    return results


_CELL_EXAMPLE = {
    "SO": "用我熟悉投诉流程的经验，6 月底前为新上线的质检系统写好评分规则",
    "WO": "报名公司的数据分析课，每月交一份话务分析报告",
    "ST": "把常见咨询整理进知识库，交给机器人处理，人工专注复杂投诉",
    "WT": "大促前安排两轮情绪管理演练，高峰期每天复盘一次投诉录音",
}


def _home_cells(q: str, current: str) -> str:
    homes = [c for c in CELL_ORDER if q in CELLS[c][2] and c != current]
    return "/".join(f"{c} {CELLS[c][1]}" for c in homes)


def evaluate(values: Mapping[str, Any], ctx: Context = Context()) -> dict[str, Any]:
    """Check one SWOT entry (values as produced by :func:`worksheet_engine.model.coerce`)."""
    if not isinstance(values, Mapping):
        values = {}
    context = _clean(values.get("context"), 2000)
    issues: list[dict[str, Any]] = []
    items = _read_items(values, issues)
    cells = _read_strategies(values)
    total_items = sum(len(items[q]) for q in QUADRANT_ORDER)
    total_strats = sum(len(cells[c]) for c in CELL_ORDER)

    if not context and not total_items and not total_strats:  # the model asks for the context
        return {
            "ok": False, "headline": "还没有内容可检查。", "issues": issues, "items": items,
            "strategies": [], "ranking": [], "balance": _balance(items), "report_md": "",
        }

    _check_items(items, issues)
    strategies = _check_strategies(items, cells, issues)
    ranking = sorted(strategies, key=lambda s: -s["score"])  # stable: ties keep SO→WT order
    ranked = [{"id": s["id"], "score": s["score"], "rank": pos + 1} for pos, s in enumerate(ranking)]
    balance = _balance(items)
    for q in QUADRANT_ORDER:
        for item in items[q]:
            item.pop("_n", None)
            item.pop("_ne", None)

    everything = [i.to_dict() for i in ctx.issues] + issues  # the model's issues count too
    errors = ctx.errors(issues)
    warnings = sum(1 for i in everything if i["severity"] == "warning")
    ok = not errors and not warnings
    headline = f"{total_items} 条 SWOT 因素、{total_strats} 条交叉策略；"
    if ok:
        headline += "结构完整。"
    else:
        headline += f"有 {errors + warnings} 处需要完善。"
    if balance["stance"] and balance["complete"]:
        headline += f"加权打分倾向 {balance['stance_label']}。"

    return {
        "ok": ok,
        "headline": headline,
        "issues": issues,
        "items": items,
        "strategies": strategies,
        "ranking": ranked,
        "balance": balance,
        "report_md": _report(context, items, strategies, ranking, balance, everything),
    }


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def _report(context: str, items: Mapping[str, list[dict[str, Any]]], strategies: list[dict[str, Any]],
            ranking: list[dict[str, Any]], balance: Mapping[str, Any],
            issues: list[dict[str, Any]]) -> str:
    lines = ["## SWOT 自我扫描", ""]
    if context:
        lines += [f"**扫描对象**：{md_escape(context)}", ""]
    lines += ["### 四象限", ""]
    for q in QUADRANT_ORDER:
        name, zh, internal = QUADRANTS[q]
        lines += [f"#### {q} {zh}（{'内部' if internal else '外部'}）", ""]
        if not items[q]:
            lines += ["（未填写）", ""]
            continue
        for item in items[q]:
            imp = f"（重要性 {_num(item['importance'])}）" if item["importance"] is not None else ""
            ev = f"；依据：{md_escape(item['evidence'])}" if item["evidence"] else ""
            lines.append(f"- **{item['id']}** {md_escape(item['text'])}{imp}{ev}")
        lines.append("")

    by_cell: dict[str, list[str]] = {c: [] for c in CELL_ORDER}
    for s in strategies:
        cites = "+".join(s["cites"]) or "未对应条目"
        by_cell[s["cell"]].append(f"{s['id']} {_short(s['text'], 40) or '（未写策略）'}〔{cites}〕")

    def cell_text(cell: str) -> str:
        return "；".join(by_cell[cell]) or "（空）"

    lines += ["### TOWS 交叉矩阵", ""]
    lines.append(md_table(
        ["", "S 优势", "W 劣势"],
        [
            ["O 机会", f"SO 增长型：{cell_text('SO')}", f"WO 扭转型：{cell_text('WO')}"],
            ["T 威胁", f"ST 多元型：{cell_text('ST')}", f"WT 防御型：{cell_text('WT')}"],
        ],
    ))
    lines.append("")
    if ranking:
        lines += ["### 策略优先级", "",
                  f"按每条策略所引用条目的重要性合计排序（重要性未填时按 {DEFAULT_IMPORTANCE} 计）。", ""]
        lines.append(md_table(
            ["排名", "策略", "类型", "内容", "引用", "分值"],
            [[str(pos + 1), s["id"], s["cell_label"], s["text"] or "（未写策略）",
              "+".join(s["cites"]) or "—", str(s["score"])]
             for pos, s in enumerate(ranking)],
        ))
        lines.append("")
    sums = balance["sums"]
    lines += [
        "### 态势判断（教学参考）", "",
        f"加权合计：S {sums['S']}，W {sums['W']}，O {sums['O']}，T {sums['T']}；"
        f"X = S − W = {balance['x']}，Y = O − T = {balance['y']}。",
        "",
        str(balance["summary"]),
        "",
        str(balance["note"]),
    ]
    shown = [i for i in issues if i["severity"] in ("error", "warning")]
    if shown:
        lines += ["", "### 待完善", ""]
        lines += [f"- {md_escape(i['message'])}" for i in shown]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Definition
# --------------------------------------------------------------------------------------


def _item_fields(label: str, placeholder: str, evidence_placeholder: str) -> tuple[Field, ...]:
    return (
        Field("text", label, max_length=_ITEM_MAX, placeholder=placeholder),
        Field("importance", "重要性（1–5）", kind="number", minimum=1, maximum=5,
              help="5 最重要；不填按 3 计。"),
        Field("evidence", "事实依据", max_length=_ITEM_MAX, placeholder=evidence_placeholder,
              help="数据、事例或别人的反馈（选填）。"),
    )


def _strategy_fields(placeholder: str, uses_placeholder: str) -> tuple[Field, ...]:
    return (
        Field("strategy", "策略", max_length=_STRATEGY_MAX, placeholder=placeholder),
        Field("uses", "用到的条目", max_length=100, placeholder=uses_placeholder,
              help="写条目编号，如 S1+O2。"),
    )


def _quadrant_field(q: str, help_text: str, placeholder: str, evidence_placeholder: str) -> Field:
    name, zh, internal = QUADRANTS[q]
    return Field(
        name,
        f"{q} {zh}（{'内部' if internal else '外部'}）",
        kind="list",
        help=help_text,
        item_fields=_item_fields(zh, placeholder, evidence_placeholder),
        min_items=MIN_ITEMS,
        missing=Missing("“{label}”只有 {count} 条，至少写 {min} 条才便于交叉分析。", code="quadrant_too_few",
                        severity="warning", suggestion=_FEW_HINT[q]),
        max_items=12,
        add_label=f"添加一条{zh}",
    )


def _cell_field(cell: str, placeholder: str) -> Field:
    name, zh, (qa, qb) = CELLS[cell]
    return Field(
        name,
        f"{cell} {zh}：{CELL_LOGIC[cell]}",
        kind="list",
        help=f"每条策略至少对应一条 {qa}{QUADRANTS[qa][1]}和一条 {qb}{QUADRANTS[qb][1]}；写新的行动，不要重复条目原文。",
        item_fields=_strategy_fields(placeholder, f"如 {qa}1+{qb}2"),
        max_items=8,
        add_label=f"添加一条 {cell} 策略",
    )


DEFINITION = Worksheet(
    slug="swot",
    version=1,
    title="SWOT 自我扫描",
    description="列出您作为客服管理者的优势、劣势、机会和威胁，再用 TOWS 交叉矩阵配对出四类策略；"
                "会检查内外因素是否放错、条目是否具体、策略是否真正对应条目，并给策略排出优先级。",
    lecture="lectures/02-swot.md",
    module="self",
    order=10,
    summary="四个象限是否充实、内外因素是否放错、TOWS 策略是否真正引用了优势/劣势与机会/威胁",
    evaluate=evaluate,
    entry_label_field="context",
    sections=(
        Section(
            "context",
            "扫描对象",
            (
                Field("context", "扫描对象和目的", kind="textarea", required=True, max_length=1000,
                      missing=Missing("请写下这次扫描的对象和目的。",
                                      suggestion="例如：我作为二组组长的未来 12 个月；范围不同，优劣势也不同。"),
                      placeholder="例如：我作为二组组长的未来 12 个月",
                      help="写清是谁、在什么岗位、看多长时间；范围不同，优劣势也不同。"),
            ),
        ),
        Section(
            "internal",
            "内部因素：优势与劣势",
            (
                _quadrant_field("S", "您自己或团队已经具备、能够掌控的长处：技能、经验、资源、做法。",
                                "例如：熟悉退换货和物流投诉的全部流程", "例如：去年处理升级投诉 300 余件"),
                _quadrant_field("W", "您自己或团队欠缺、需要改进的地方。写事实，不写自我批评。",
                                "例如：月度数据报告常被上级退回修改", "例如：上季度 3 份报告中 2 份返工"),
            ),
            help="内部因素是您或团队能控制的。每个象限写 2–7 条，先写最重要的。",
        ),
        Section(
            "external",
            "外部因素：机会与威胁",
            (
                _quadrant_field("O", "环境中对您有利的变化：公司决策、客户、技术、政策、行业。",
                                "例如：公司明年上线智能质检系统", "例如：IT 已发布上线时间表"),
                _quadrant_field("T", "环境中可能让您或团队受损的变化。",
                                "例如：AI 机器人会接走大部分简单咨询", "例如：试点组人工话务量已降 30%"),
            ),
            help="外部因素来自环境，您无法直接控制，只能利用或应对。",
        ),
        Section(
            "tows",
            "TOWS 交叉策略",
            (
                _cell_field("SO", "例如：用投诉处理经验为智能质检设计评分规则，6 月底前试用"),
                _cell_field("WO", "例如：参加公司的数据分析课，每月交一份话务分析报告"),
                _cell_field("ST", "例如：把常见咨询整理成知识库交给机器人，人工专注复杂投诉"),
                _cell_field("WT", "例如：大促前做两轮情绪管理演练，减少冲突升级"),
            ),
            help="把内部和外部因素两两配对，写出具体行动。每格 1–3 条，至少要有 SO 和 WT。",
        ),
    ),
    example={
        "context": "未来 12 个月，我作为二组组长（带 15 名电话坐席）要把本组 FCR 提高到 78%，同时为竞聘储备经理做好准备",
        "strengths": [
            {"text": "服务质量扎实：本组质检 90.5 分、中心第二，CSAT 91%", "importance": 5,
             "evidence": "中心质检均分 87 分，CSAT 均值 88%"},
            {"text": "团队稳定，有 3 名工龄 3 年以上的骨干", "importance": 4,
             "evidence": "近 12 个月流失 2 人（约 13%），中心平均约 32%"},
            {"text": "业务熟：本人做过 4 年退款和物流坐席", "importance": 3,
             "evidence": "亲自处理的升级投诉一次办结率 92%"},
        ],
        "weaknesses": [
            {"text": "退款类来电 FCR 只有 58%，这类来电占本组话务的 30%", "importance": 5,
             "evidence": "全组 FCR 72%，中心目标 78%"},
            {"text": "不会用报表平台拆解原因，月报靠手工整理", "importance": 4,
             "evidence": "每月手工整理月报约 6 小时"},
            {"text": "排班遵从度 88%（目标 92%），周一上午 20 秒服务水平 71%", "importance": 4,
             "evidence": "放弃率 5.8%，目标不高于 5%"},
            {"text": "不善授权：升级来电大多由我亲自处理，一对一辅导少", "importance": 3,
             "evidence": "每周亲自处理约 25 通升级来电；每名坐席每月一对一辅导不到 1 次"},
        ],
        "opportunities": [
            {"text": "公司下季度上线新报表平台和智能质检，并为主管开设 4 次数据分析培训", "importance": 4,
             "evidence": ""},
            {"text": "知识库组正在改版，向各组征集高频问题与处理路径，下月底截止", "importance": 5, "evidence": ""},
            {"text": "中心明年计划扩招约 60 名新人，需要若干名带教组长", "importance": 4, "evidence": ""},
            {"text": "明年上半年内部竞聘两名储备经理", "importance": 3, "evidence": ""},
        ],
        "threats": [
            {"text": "双十一大促期间话务量预计比平时高 40%", "importance": 5,
             "evidence": "今年 618 期间放弃率 7.8%，往年双十一都超过 8%"},
            {"text": "同城两家公司在招客服，底薪高约 10%，骨干被挖走的风险上升", "importance": 3, "evidence": ""},
            {"text": "机器人继续扩大分流范围，人工来电中的复杂问题占比上升", "importance": 4,
             "evidence": "AHT 预计再增加 30–40 秒"},
        ],
        "so": [
            {"strategy": "申请担任新人带教组长，第一批新人入职前把本组“先回应情绪、再核实身份”的开场做法"
                         "整理成 30 分钟微课，所带新人首月质检平均不低于 85 分", "uses": "S1+O3"},
            {"strategy": "明年竞聘报名前，把本组服务质量和留人的做法整理成一份带数据的案例报告，作为竞聘储备经理的材料",
             "uses": "S1+S2+O4"},
        ],
        "wo": [
            {"strategy": "牵头和骨干小陈整理退款类 15 条高频问题的处理路径，下月底前提交知识库改版；"
                         "9 月 30 日前退款类 FCR 从 58% 提高到 70%", "uses": "W1+O2"},
            {"strategy": "参加全部 4 次数据分析培训，此后每周用新平台做一次 FCR 原因拆解，"
                         "下季度末前月报整理时间从 6 小时降到 2 小时以内", "uses": "W2+O1"},
        ],
        "st": [
            {"strategy": "用我退款和物流方面的经验，下季度末前培养 4 名“复杂问题双技能”坐席，"
                         "复杂类来电 FCR 达到 80%，AHT 增幅控制在 20 秒以内", "uses": "S3+T3"},
            {"strategy": "为 3 名骨干各设计一个成长角色（新人带教、质检校准、知识库联络），一个月内三人都承担新角色，"
                         "年内骨干零流失", "uses": "S2+T2"},
        ],
        "wt": [
            {"strategy": "双十一开始前 6 周重排周一和大促高峰的班次，建立替班名单；排班遵从度从 88% 提高到 92%，"
                         "大促期间放弃率不高于 6%", "uses": "W3+T1"},
            {"strategy": "把升级来电交给 2 名骨干轮流处理，我只做复核；3 个月内每周亲自处理的升级来电从约 25 通降到 8 通以内，"
                         "期间骨干零流失", "uses": "W4+T2"},
        ],
    },
)
