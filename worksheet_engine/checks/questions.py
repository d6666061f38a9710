"""Open/closed question classifier for GROW coaching plans (第六讲 绩效面谈与辅导).

``classify_question(text)`` decides whether a coaching question is *open* (the coachee
has to build the answer) or *closed* (a yes/no answer, or a pick among options the
asker offered), explains why, and for closed questions proposes an open rewording.

The rules follow the course's methods brief §5.3, applied per sentence:

1. ``难道……``/``要不……``/``不如……`` (rhetorical or a disguised suggestion) is closed
   and flagged as leading;
2. a polite request to narrate (能/可以……说说/讲讲/描述……吗) is open;
3. a rating scale (从1到10、打几分) is closed;
4. an offered choice (A 还是 B; "A和B，哪种更……") is closed even with a wh-word;
5. A-not-A forms (是不是、有没有、能不能……), 是否/能否/可否 and a final 吗/吧/嘛 are
   closed, unless the A-not-A part is an indirect question governed by an earlier
   wh-word in the same phrase ("你怎么判断他是不是理解了");
6. wh-words (什么、怎么、如何、哪些、为什么、多少、谁……) make it open;
7. an invitation to narrate (说说/讲讲/举个例子), a follow-up ``……呢`` or a
   fill-in-the-blank ``……是？`` is open;
8. a question with none of these is a yes/no question by intonation: closed.

A turn with several questions is open when any of them is open (it is then flagged as
stacked). Quoted speech and bracketed notes are ignored, so "客户问“能不能退款”，你怎么
回答的？" is judged by its own words.

Example::

    >>> classify_question("你还有别的办法吗？")["open"]
    False
    >>> classify_question("你还有别的办法吗？")["suggestion"]
    '还有哪些办法？还有呢？'
    >>> classify_question("你能具体说说当时的经过吗？")["open"]
    True
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["classify_question", "STAGES", "STAGE_LABELS", "STAGE_HINTS"]

#: GROW stages in interview order.
STAGES = ("G", "R", "O", "W")
STAGE_LABELS = {
    "G": "G 目标设定（愿景重现）",
    "R": "R 现状分析（澄清真相）",
    "O": "O 发展路径（探讨方案）",
    "W": "W 行动计划（改善方式）",
}
#: Sample open questions per stage, shown as help text in the form.
STAGE_HINTS = {
    "G": "例如：这次谈完，你最想带走什么？半年后你希望自己的一次解决率是多少？",
    "R": "例如：最近一周的数据是多少？上次遇到这种来电时具体发生了什么？你已经试过哪些做法？",
    "O": "例如：你还可以怎么做？还有呢？组里谁做得好，他是怎么做的？每个办法的利弊是什么？",
    "W": "例如：你决定先做哪一项？什么时候完成？可能遇到什么阻碍？需要我提供什么支持？",
}

# Questions longer than this are not questions; the cap keeps every regex cheap.
_MAX_CHARS = 600

_QUOTED = re.compile(r"“[^”]{0,200}”|‘[^’]{0,200}’|「[^」]{0,200}」|『[^』]{0,200}』|\"[^\"]{0,200}\"")
_BRACKETED = re.compile(r"（[^）]{0,200}）|\([^)]{0,200}\)|【[^】]{0,200}】|\[[^\]]{0,200}\]")
_SENTENCE = re.compile(r"[^?？!！。;；\n]+[?？!！。;；\n]*")
_TRAILING = re.compile(r"[\s,，、.。…~～:：!！?？;；\"'“”‘’\-—]+$")
_SOFT_END = re.compile(r"(啊|呀|哦|喔|哈|啦|呐|哇)+$")

_NARRATE_VERB = (
    r"(说说|说一说|说一下|讲讲|讲一讲|讲一下|谈谈|谈一谈|谈一下|聊聊|聊一聊|聊一下|描述|形容|"
    r"介绍|分享|展开|举个例子|举个例|举例|举几个例子|回忆|回顾|列举|列一列|列一下|列出|告诉我|"
    r"解释|还原|复述|梳理)"
)
_POLITE = re.compile(
    r"(能不能|可不可以|能否|可否|能|可以|愿意|方便|麻烦你|麻烦|请你|请)([^,，]{0,10}?)" + _NARRATE_VERB
)
_NARRATE = re.compile(_NARRATE_VERB)
# The narration is a request to the coach only; "给新人介绍一下" asks for an action.
_THIRD_PARTY = re.compile(
    r"(给|跟|和|向|为|帮|对)(新人|新员工|大家|团队|同事|客户|组员|组里|他|她|领导|上级|主管|经理|其他人|别人)"
)

_NANDAO = re.compile(r"难道|何不|岂不|莫非")
_SUGGEST_START = re.compile(r"^(要不|不如|何不)(?!要)")
_SCALE_RANGE = re.compile(
    r"[0-9零一二三四五六七八九十]{1,3}\s*分?\s*(到|至|-|~|—|－|～)\s*(10|十|5|五|100|一百)(?![0-9])"
    r"\s*(分|打分|来|的|之间|里|中|,|，|$)"
)
_SCALE_SCORE = re.compile(
    r"(打|评|给)[^，]{0,6}?(几|多少)\s*分(?!钟|之|析|配|工|组|别|享|开|散|担|心|类)|"
    r"几成(把握|信心)|几分(把握|信心|满意|确定)|满分(是|为)?\s*[0-9十五百]+\s*分"
)
_SCALE_WORD = re.compile(r"打分|评分|分数|打个分|评个分|几分|把握|信心")

_HAISHI = re.compile(r"还是")
_HAISHI_NOT_OR = re.compile(r"不管|无论|不论")
_HAISHI_FOLLOW_NOT_OR = re.compile(r"^(要|会|没|不|得|很|挺|那么|这样|老样子|一样|有点|比较好|算了)")
_PRONOUN_BEFORE = "你我他她它们也却就都"
_WHICH_CHOICE = re.compile(
    r"哪(一)?(种|个|样|项|条|边|位|类|套|家)(方式|方法|做法|方案|选项|办法|途径|渠道)?"
)
_CHOICE_TAIL = re.compile(r"^(会|能|对你|对客户|你)?(更|比较|最|好|合适|适合|优先|先)")
_ENUM = re.compile(r"(.)(和|与|跟|或者|或是|或|以及|、)")
_HUOZHE = re.compile(r"或者|或是|要么")

_ANOTA = re.compile(r"(.)(不|没)\1")
_ANOTA_SKIP = set("时动一不没了")
_SHIFOU = re.compile(r"是否|能否|可否|有无|是非|与否|可不$|是不$|对不$|好不$|行不$")
_FINAL_PARTICLE = re.compile(r"(吗|嘛|麽|吧)$|(?<![什怎那这多要])么$")
_WH = re.compile(
    r"为什么|为何|凭什么|什么|啥|怎么样|怎么|怎样|咋|如何|"
    r"哪(些|里|儿|个|种|样|天|位|项|条|类|方面|一[个种项天步]?)?|"
    r"多少|多久|多长|多大|多高|多远|多快|多重|多深|"
    # 这几个/好几天 are not questions.
    r"(?<![这那好十前后没头末])几(个|次|天|位|种|项|点|周|月|年|通|单|件|步|条|名|人|遍|批|类|小时|分钟|秒)|"
    r"何时|何处|何种|何以|谁|干嘛"
)
_EMBED_WH = re.compile(r"怎么|怎样|如何|什么|哪|谁|为什么|多少")
_FOCUSED_WH = re.compile(r"^(多少|多久|多长|多大|多高|多远|多快|几|何时)|什么时候|哪天|哪一天")
# Judgemental "why" (brief §5.3: "why-questions that may sound accusatory (为什么你没有…)"): a
# why-question about the coachee's own failure or habit reads as blame, whatever its exact
# wording. It is one of
#   * why + (你) + a negation or failure verb: 为什么你没有…, 你为什么又没…, 为什么不提前…, 为什么忘了…;
#   * why + 你/你的… + a repetition adverb: 为什么你总是…, 为什么这周你的质检分又掉了;
#   * English "Why didn't you / Why did you not / Why do you always / Why do you keep …".
# "为什么你觉得……不……" asks for an opinion and is not flagged; nor is a why about someone else
# (客户为什么会不满意). The question stays open; the flag adds a softer wording.
_WHY = r"(?:为什么|为何|怎么|干嘛|凭什么)"
_ACCUSE = re.compile(
    _WHY + r"(?:你|你们)?(?:又|总是|总|老是|老|还|竟然|居然|就|一直|每次都|从来)?"
    r"(?:没有|没|不|未|又|老是|总是|忘|漏|错过|迟到|早退|超时|跳过|违反)(?!是|觉得|认为|同意|知道|错|一样)"
    r"|" + _WHY + r"[^，,？?]{0,12}?(?:你|你们)[^，,？?]{0,10}?(?:又|总是|老是|一直|每次都|从来|还是没|还没)"
    r"|(?:你|你们)[^，,？?]{0,10}?" + _WHY + r"(?:又|总是|老是|一直|每次都|从来)"
)
_OPINION_WHY = re.compile(_WHY + r"(?:你|你们)?(?:会)?(?:觉得|认为|感觉|想|看)")
_EN_ACCUSE = re.compile(
    r"^why\s+(?:didn't|did not|don't|do not|haven't|have not|hasn't|has not|can't|cannot|couldn't|could not|"
    r"wouldn't|won't|weren't|wasn't|aren't|isn't)\s+(?:you|your)\b"
    r"|^why\s+(?:did|do|does|have|are|were|can|would|is|was)\s+(?:you|your\s+\w+)\s+(?:not|never|always|keep|still|"
    r"again|fail(?:ed)?|forg[oe]t|miss(?:ed)?|skip(?:ped)?)\b",
    re.IGNORECASE)
_NE = re.compile(r"呢$")
_BLANK = re.compile(r"[^不就也还都真]是$|包括$|在于$|叫$")
_EN_OPEN = re.compile(
    r"^(what|how|why|which|who|whom|whose|when|where|tell me|describe|walk me|talk me|take me|share|explain|"
    r"help me understand|give me an example|say more)\b", re.IGNORECASE
)
# Polite requests to narrate are open in English as in Chinese (rule 1, like 你能具体说说……吗):
# "Would you share…", "Could you tell me…", "Can you walk me through…", "Would you mind describing…".
# The verb must ask for an account (share, tell, describe, explain, walk/talk/take me through, say
# more, give an example); a request for an action ("Could you finish the report?") stays closed,
# and so does "Could you tell me whether/if…", an indirect yes/no question.
_EN_POLITE = re.compile(
    r"^(?:so,?\s+|and\s+|then\s+)?(?:would|could|can|will|might)\s+you\s+(?:please\s+|perhaps\s+|maybe\s+|briefly\s+)?"
    r"(?:mind\s+)?(?:share|sharing|tell|telling|describe|describing|explain|explaining|walk|walking|talk|talking|take|taking|"
    r"say|saying|give|giving|elaborate|elaborating|expand|expanding|outline|outlining|recount|recall|go\s+over|"
    r"help\s+me\s+understand|paint|summari[sz]e)\b"
    r"(?!\s+(?:me\s+|us\s+)?(?:if|whether)\b)"
    r"(?!\s+(?:me\s+|us\s+)?(?:the|your|a)\s+(?:report|file|list|document|numbers?|data)\b(?!\s+(?:about|on|of)))",
    re.IGNORECASE)
_EN_SCALE = re.compile(r"scale of\s+\d+\s+to\s+\d+|from\s+\d+\s+to\s+\d+|out of\s+(?:5|10|ten|five)\b", re.IGNORECASE)
_EN_CLOSED = re.compile(
    r"^(do|does|did|is|are|was|were|can|could|will|would|have|has|had|should|shall|may|might|must)\b", re.IGNORECASE
)

_OPINION_PREFIX = re.compile(r"^(那|那么|所以)?[，]?(你|您|你们)(自己)?(觉得|认为|感觉|看|说|想)|^(觉得|认为)")
_ACTION_YN = re.compile(r"^(那|那么|所以)?(你|您|你们)?(自己)?(会|能|可以|打算|准备|要|想|愿意|敢)(?!不)(.+)$")
_EXPERIENCE = re.compile(r"(试过|想过|考虑过|做过|用过|问过|找过|沟通过|了解过|练过|听过|看过|学过|谈过|说过)")
_NEGATIVE_OPINION = re.compile(
    r"^(那|所以)?(你|您|你们)?(就|真的|难道)?(不|没)(觉得|认为|知道|发现)|不是[^，]{1,20}(吗|嘛)$"
)
_OPTION_NOUN = re.compile(r"办法|方法|做法|选择|方案|思路")
_ELSE_WHAT = re.compile(r"还有(没有)?(别的|其他|其它|更好的|新的)?([^,，吗嘛吧]{0,6}?)(吗|嘛|吧|$)")


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text[:_MAX_CHARS])
    # NFKC turns full-width ？！，；： into ASCII; keep one spelling of each.
    return s.replace("?", "？").replace("!", "！").replace(",", "，").replace(";", "；").replace(":", "：")


def _mask(s: str) -> str:
    """Drop quoted speech and bracketed notes (keep them if nothing else is left)."""
    masked = _BRACKETED.sub("", s)
    masked = _QUOTED.sub("这句话", masked)
    core = masked.replace("这句话", "")
    if re.search(r"\w", core):
        return masked
    return re.sub(r"[“”‘’「」『』\"（）()【】\[\]]", "", s)


def _sentences(s: str) -> list[tuple[str, bool]]:
    """Split into (sentence, asked-with-a-question-mark) pairs."""
    out: list[tuple[str, bool]] = []
    for m in _SENTENCE.finditer(s):
        chunk = m.group(0)
        asked = "？" in chunk
        body = _TRAILING.sub("", chunk).strip()
        body = _SOFT_END.sub("", body) if len(body) > 2 else body
        if body:
            out.append((body, asked))
    return out


def _short(text: str, limit: int = 24) -> str:
    text = text.strip("，,、 ")
    return text if len(text) <= limit else text[:limit] + "…"


def _strip_markers(c: str) -> str:
    c = _OPINION_PREFIX.sub("", c)
    c = re.sub(r"难道|是不是|是否|对不对|好不好|行不行|可不可以|能不能|会不会|要不要|有没有|吗$|吧$|嘛$", "", c)
    c = re.sub(r"^(你|您|我们|你们)?(不|没)?(觉得|认为)", "", c)
    return c.strip("，,、 ")


def _topic(c: str) -> str:
    """The clause with question markers removed, or "" when too little is left."""
    t = _strip_markers(c)
    return t if len(t) >= 4 else ""


def _rephrase(kind: str, c: str, marker: str) -> str:
    """A proposed open wording for a closed sentence ``c`` (already normalised)."""
    body = re.sub(r"(吗|嘛|麽|吧|么)$", "", c)
    if kind == "scale":
        return "你为什么给出这个分数？做些什么能让它再高一分？"
    if kind == "choice":
        if "先" in c:
            return "你打算先从哪里入手？为什么？"
        return "你有哪些选择？各自的利弊是什么？你更看重什么？"
    if kind == "leading":
        option = _OPTION_NOUN.search(c)
        if option:
            return f"还可以有哪些{option.group(0)}？"
        if _SUGGEST_START.search(c):
            return "你自己打算先试试哪些做法？"
        topic = _topic(_NANDAO.sub("", c))
        return f"关于“{_short(topic)}”，你是怎么考虑的？" if topic else "你是怎么考虑这件事的？"
    if re.search(r"(要不要|需不需要|需要)我", c):
        return "你需要我提供哪些支持？"
    if _WH.search(body) and kind == "final":
        # "还有什么要补充的吗" -> drop the particle; "你知道……为什么……吗" -> ask for their view.
        return re.sub(r"^(你|您)?(知道|清楚|了解|明白|记得)", r"\1觉得", body) + "？"
    if "还有" in c and kind in ("final", "anota", "intonation"):
        m = _ELSE_WHAT.search(c)
        noun = m.group(3) if m else ""
        if not noun or re.search(r"[了的过要我你]", noun):
            return "还有什么？还有呢？"
        return f"还有哪些{noun}？还有呢？"
    if re.search(r"信心|把握", c):
        return "你对此有多大把握？什么会让你更有信心？"
    understand = re.search(r"(明白|理解|清楚|懂|了解|知道)(了)?([^，]*)$", body)
    if understand and re.match(r"^(你|您)?(是否|是不是)?(明白|理解|清楚|懂|了解|知道)", c):
        rest = understand.group(3).strip()
        return f"你是怎么理解{_short(rest)}的？" if len(rest) >= 2 else "你是怎么理解的？能用自己的话说说吗？"
    exp = _EXPERIENCE.search(c) or (re.search(r"(\w)过", c) if marker == "有没有" else None)
    if exp:
        after = c[exp.end():]
        if exp.group(0) in ("想过", "考虑过") and _WH.search(after):
            return f"你觉得{re.sub(r'(吗|嘛|吧)$', '', after)}？"
        if exp.group(0) in ("试过", "用过", "做过", "练过", "学过", "找过"):
            return f"到目前为止，你已经{exp.group(0)}哪些办法？效果怎么样？"
        return "这件事目前进展到哪一步了？对方是怎么回应的？"
    if marker == "有没有" or (kind == "final" and re.match(r"^(你|您)?(还)?有", c)):
        rest = re.split(r"有没有|有", c, maxsplit=1)[-1]
        rest = re.sub(r"(吗|嘛|吧)$", "", rest).strip("，, ")
        return f"有哪些{_short(rest)}？" if len(rest) >= 2 else "目前有哪些情况？"
    if re.search(r"(了|过)$", body) and kind in ("final", "intonation"):
        return "这件事目前进展到哪一步了？结果怎么样？"
    if marker in ("能不能", "可不可以", "能否", "可否"):
        rest = _short(c.split(marker, 1)[-1])
        return f"怎样才能{rest}？" if len(rest) >= 2 else "怎样才能做到？"
    if marker == "会不会":
        rest = _short(c.split(marker, 1)[-1])
        return f"你觉得“{rest}”的可能性有多大？依据是什么？" if len(rest) >= 2 else "可能会出现哪些情况？"
    if marker in ("要不要", "该不该"):
        rest = _short(c.split(marker, 1)[-1])
        return f"如果{rest}，会带来什么好处和代价？" if len(rest) >= 2 else "这样做会带来什么好处和代价？"
    if marker in ("是不是", "是否") and re.search(r"因为|由于|原因", c):
        return "你觉得原因可能有哪些？"
    if marker in ("对不对", "好不好", "行不行") or re.search(r"(可以|行|好|对|同意|合适)(吗|吧)?$", c):
        subject = re.split(r"对不对|好不好|行不行", c)[0]
        subject = re.sub(r"^(你|您)?(觉得|认为|看)", "", subject)
        subject = re.sub(r"(可以|行|好|对|同意|合适)(吗|吧)?$", "", subject).strip("，, ")
        if 2 <= len(subject) <= 10 and "，" not in subject:
            return f"你怎么看{subject}？它的利弊是什么？"
        return "你觉得这样做的利弊是什么？"
    if len(marker) == 4 and marker[1] == "不":
        # 满不满意 / 同不同意 / 喜不喜欢
        before, _, after = c.partition(marker)
        after = after.strip("，, ")
        if len(after) >= 2:
            return f"对于{_short(after)}，你有什么看法？"
        if before.startswith(("你对", "您对")) and len(before) > 2:
            return f"{before}有什么看法？哪些地方最需要改进？"
    act = _ACTION_YN.match(body)
    if act and kind == "final" and len(act.group(5)) >= 2:
        verb, rest = act.group(4), _short(act.group(5))
        if verb in ("想", "愿意", "敢"):
            return f"对于{rest}，你有什么想法？"
        return f"你打算怎样{rest}？"
    topic = _topic(c)
    if topic:
        return f"关于“{_short(topic)}”，你是怎么看的？"
    return "你是怎么考虑的？依据是什么？"


def _clause(c: str, asked: bool) -> dict[str, Any]:
    """Classify one sentence. ``label`` is open, closed or none (not a question)."""

    def res(label: str, kind: str, reason: str, marker: str = "", flags: tuple[str, ...] = ()) -> dict[str, Any]:
        return {"label": label, "kind": kind, "reason": reason, "marker": marker, "flags": list(flags), "text": c}

    if _NANDAO.search(c) or _SUGGEST_START.search(c):
        m = _NANDAO.search(c) or _SUGGEST_START.search(c)
        word = m.group(0) if m else ""
        return res("closed", "leading", f"“{word}……”是反问或变相建议，答案已经藏在问题里，属于封闭式引导问题。",
                   word, ("leading",))

    polite = _POLITE.search(c)
    if polite and not _THIRD_PARTY.search(polite.group(2)):
        return res("open", "polite", f"“{polite.group(1)}……{polite.group(3)}”是客气的请求，对方需要展开叙述，属于开放式。")

    if _SCALE_RANGE.search(c) and (_SCALE_WORD.search(c) or re.search(r"分", c)) or _SCALE_SCORE.search(c):
        return res("closed", "scale", "请对方在预设的刻度上选一个分数，属于封闭式；刻度提问本身有用，记得追问分数背后的原因。",
                   "", ("scale",))

    for m in _HAISHI.finditer(c):
        before, after = c[: m.start()], c[m.end():]
        if not before.strip("，, ") and not after.startswith("说"):
            continue
        if before and before[-1] in _PRONOUN_BEFORE and not after.startswith("说"):
            continue
        if _HAISHI_NOT_OR.search(before) or _HAISHI_FOLLOW_NOT_OR.match(after):
            continue
        if after.strip("，, 呢"):
            return res("closed", "choice", "给出了现成的选项（……还是……），对方只需挑一个，属于封闭式。", "还是")
    for m in _WHICH_CHOICE.finditer(c):
        after = c[m.end():]
        if not (_CHOICE_TAIL.match(after) or not after.strip("，,呢吧")):
            continue
        before = c[: m.start()]
        enum = [e for e in _ENUM.finditer(before) if not (e.group(2) in "和与跟" and e.group(1) in "你我他她们")]
        if enum:
            return res("closed", "choice", f"先列出几个选项，再问“{m.group(0)}”，对方只需挑一个，属于封闭式。", m.group(0))

    segments = re.split(r"[，、：]", c)
    for seg in segments:
        for m in _ANOTA.finditer(seg):
            if m.group(1) in _ANOTA_SKIP or not re.match(r"\w", m.group(1)):
                continue
            if _EMBED_WH.search(seg[: m.start()]) or _HAISHI_NOT_OR.search(seg[: m.start()]):
                # "你怎么判断他是不是理解了" / "不管是不是高峰期": not a yes/no question
                continue
            word = m.group(0)
            if word in ("可不可", "需不需", "愿不愿", "该不该", "知不知", "清不清", "同不同", "喜不喜", "满不满"):
                word = seg[m.start(): m.end() + 1]
            leading = ("leading",) if word == "是不是" and re.search(r"是不是(因为|由于|应该|该|要|得)", seg) else ()
            if word in ("有没有",) and _EXPERIENCE.search(seg[m.end():]):
                leading = ("leading",)
            return res("closed", "anota", f"含正反问“{word}”，对方用“是/否”就能回答。", word, leading)
        m2 = _SHIFOU.search(seg)
        if m2 and not _EMBED_WH.search(seg[: m2.start()]):
            return res("closed", "anota", f"含“{m2.group(0)}”，对方用“是/否”就能回答。", m2.group(0))

    narrate = _NARRATE.search(c)
    if narrate and c.endswith("吧"):
        return res("open", "narrate", f"邀请对方“{narrate.group(0)}”，需要展开叙述，属于开放式。", narrate.group(0))
    if _FINAL_PARTICLE.search(c):
        p = _FINAL_PARTICLE.search(c)
        word = p.group(0) if p else "吗"
        if _NEGATIVE_OPINION.search(c):
            return res("closed", "final", "这是反问句（……不……吗），答案已经藏在问题里，属于封闭式引导问题。", word,
                       ("leading",))
        return res("closed", "final", f"以“{word}”结尾，对方答“是/不是”或“有/没有”就可以了。", word)

    if len(_HUOZHE.findall(c)) and not _WH.search(c) and asked:
        return res("closed", "choice", "给出了现成的选项（……或者……），对方只需挑一个，属于封闭式。", "或者")

    wh = _WH.search(c)
    if wh:
        flags: list[str] = []
        if _FOCUSED_WH.search(c[wh.start():]):
            flags.append("focused")
        if _ACCUSE.search(c) and not _OPINION_WHY.search(c):
            flags.append("why_accusatory")
        word = wh.group(0)
        reason = f"用疑问词“{word}”提问，对方需要自己组织答案，属于开放式。"
        if "focused" in flags:
            reason = f"用“{word}”提问，属于开放式，但答案范围较窄（聚焦型开放问题）。"
        return res("open", "wh", reason, word, tuple(flags))

    if narrate:
        return res("open", "narrate", f"邀请对方“{narrate.group(0)}”，需要展开叙述，属于开放式。", narrate.group(0))
    if _EN_SCALE.search(c):
        return res("closed", "scale", "请对方在预设的刻度上选一个分数，属于封闭式；刻度提问本身有用，记得追问分数背后的原因。",
                   "", ("scale",))
    en_polite = _EN_POLITE.match(c)
    if en_polite and not re.search(r"\bor\b", c, re.IGNORECASE):
        return res("open", "polite", f"“{_short(en_polite.group(0))}……”是客气的请求，对方需要展开叙述，属于开放式。")
    if _EN_OPEN.match(c):
        flags_en = ("why_accusatory",) if _EN_ACCUSE.match(c) else ()
        return res("open", "wh", "用英文疑问词提问，对方需要自己组织答案，属于开放式。", "", flags_en)
    if _EN_CLOSED.match(c):
        return res("closed", "intonation", "以助动词开头的英文是非问句，对方答 yes/no 就可以了。")
    if _NE.search(c) and len(c) <= 30:
        return res("open", "ne", "用“……呢”追问，邀请对方接着说，属于开放式。", "呢")
    if asked and _BLANK.search(c):
        return res("open", "blank", "以“……是？”收尾，请对方自己补全答案，属于开放式。")
    if asked:
        return res("closed", "intonation", "没有疑问词，只是用语调提问，对方答“是/不是”就可以了。")
    return res("none", "statement", "没有找到疑问词或问句标记，更像一句陈述。")


def classify_question(text: str) -> dict[str, Any]:
    """Classify one coaching question as open or closed.

    Args:
        text: the question as the manager plans to ask it (any length; only the first
            600 characters are read).

    Returns:
        ``{"open": bool, "reason": str, "suggestion": str | None, "flags": [...],
        "kind": str}``. ``suggestion`` is an open rewording for a closed question, or
        a softer wording for an open "为什么你没有……" question; otherwise ``None``.
        ``flags`` may hold ``leading``, ``scale``, ``why_accusatory``, ``focused``,
        ``stacked`` (several questions in one turn) and ``mixed`` (an open turn that
        also holds a closed question).
    """
    raw = str(text) if text is not None else ""
    s = _mask(_normalize(raw))
    sentences = _sentences(s)
    if not sentences:
        return {"open": False, "reason": "没有填写问题。", "suggestion": None, "flags": [], "kind": "empty"}
    results = [_clause(c, asked) for c, asked in sentences]
    questions = [r for r in results if r["label"] != "none"]
    flags: list[str] = []
    for r in questions:
        flags += [f for f in r["flags"] if f not in flags]
    if len(questions) > 1:
        flags.append("stacked")
    opened = [r for r in questions if r["label"] == "open"]
    if opened:
        first = opened[0]
        reason = first["reason"]
        closed = [r for r in questions if r["label"] == "closed"]
        if closed:
            flags.append("mixed")
            reason += "同一轮里还夹着封闭式小问，可以删掉，只留开放的那一问。"
        elif len(questions) > 1:
            reason += "一次问了多个问题，面谈时可以一个一个问。"
        suggestion = None
        if "why_accusatory" in flags:
            if _EN_ACCUSE.match(first["text"]):
                suggestion = ("“Why didn't you…”容易听成指责，可以改成“What got in the way of…?”"
                              "或“What was happening when…?”。")
            else:
                suggestion = "“为什么你没有……”容易听成指责，可以改成“是什么让……”或“当时发生了什么，让……”。"
        return {"open": True, "reason": reason, "suggestion": suggestion, "flags": flags, "kind": first["kind"]}
    if not questions:
        only = results[0]
        return {
            "open": False,
            "reason": only["reason"] + "请写成问句，并用“什么、怎么、哪些”等疑问词。",
            "suggestion": f"关于“{_short(only['text'])}”，你是怎么看的？",
            "flags": flags,
            "kind": "statement",
        }
    first = questions[0]
    return {
        "open": False,
        "reason": first["reason"],
        "suggestion": _rephrase(first["kind"], first["text"], first["marker"]),
        "flags": flags,
        "kind": first["kind"],
    }
