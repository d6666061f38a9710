"""BIA / BID feedback checker (第五讲 管理沟通: 二级反馈, BIA, BID).

``check_feedback(kind, behaviour, impact, closing)`` judges the three boxes of one piece
of feedback, each on its own text (methods brief §7.1–7.3 and the labelling conventions
of the eval set):

* **B 行为** is met when it names a specific *occasion* (昨天下午那通电话, 本周二,
  工单号, 11月2日, 10:40…; not 最近/平时/经常) and an *observable action* of the agent
  (an action verb, a count such as 接了80通, an omission such as 没有写…, or the agent's
  own words in quotes). A verdict (处理得很好, 表现不错) or a bare metric value (AHT是512秒)
  is a result, not an action. Absolutes (总是, 从不, 从来, 一向, 根本…; 每次都 without a
  named occasion) fail in both kinds. In **BID** any judgement, label or sarcasm (态度太差,
  语气很冲, 不负责任, 你可真行…) fails the box; a praise opener before 但是/不过/but (the
  but-sandwich) is only a warning, and the text after the conjunction is judged. In
  **BIA** a trait or praise word (你真细心, 很棒) fails only on its own; next to a specific
  occasion and action it is a warning.
* **I 影响** is met when it names a beneficiary or a metric (客户, 同事, 组, 投诉, 时长,
  满意度, CSAT…) and says what factually happened to it (an event, a state or a number).
  Generic evaluations (影响很不好, 很有帮助), the manager's feelings (我很失望), a bare rule
  citation (违反了规定), an unnamed "KPI", questions, other people's opinions and
  hyperbole are set aside first.
* **A 欣赏与感谢** (BIA) is met by an appreciation word addressed to this agent (谢谢,
  感谢, 欣赏, 很认可, 我很高兴…); not by 辛苦了/加油/继续保持/emoji, thanks to a group, or
  backhanded thanks (终于…一回). Hyperbole next to a real thanks is a warning.
* **D 期望** (BID) is met when it is forward-looking (希望, 下次, 以后, 请, 从明天起…) AND
  concrete (a specific action for a named situation, a quoted script, or a target value,
  threshold or deadline in numbers). Vague wishes (下次注意, 多用点心), a metric direction
  without a target (把AHT降下来), an open question on its own, a look back (当时应该…) and
  threats fail. 别再 + a specific action passes with a warning to say it positively.

The level is 2 (二级反馈) when all three boxes are met, 0 (零级) when there is no feedback
on work at all (every box empty, or only greetings and small talk), 1 (一级) otherwise.
Quoted speech (“…”) is the agent's or customer's words: it counts as an observable
detail and is never read as the manager's judgement.

Example::

    >>> r = check_feedback("BID", "你总是不按时提交交接班记录", "影响很不好", "下次注意")
    >>> r["level"], [p["met"] for p in r["parts"].values()]
    (1, [False, False, False])
    >>> [(w["code"], w["word"], w["start"]) for w in r["warnings"]]
    [('absolute', '总是', 1)]
    >>> check_feedback("BIA", "今天辛苦啦", "", "早点回家休息～")["level"]
    0
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..lang.normalize import Normalized, normalize

__all__ = ["check_feedback", "PARTS", "PART_LABELS", "KINDS", "rewrite_drill"]

KINDS = ("BIA", "BID")
PARTS = ("behaviour", "impact", "closing")
PART_LABELS = {
    "BIA": {"behaviour": "B 行为（场合与行为）", "impact": "I 影响", "closing": "A 欣赏与感谢"},
    "BID": {"behaviour": "B 行为（场合与行为）", "impact": "I 影响", "closing": "D 期望"},
}
#: Each box is read up to this many characters (a box is one to three sentences).
MAX_CHARS = 2000

_CJK = "\u4e00-\u9fff"


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


# ----------------------------------------------------------------------------- vocabulary

# Quoted speech: the agent's or the customer's own words.
_QUOTE = re.compile(r"“[^”]{0,300}”|「[^」]{0,300}」|『[^』]{0,300}』|\"[^\"\n]{0,300}\"|‘[^’]{0,300}’")

# Specific occasions (time, date, a named call/ticket/event).
_OCCASION = _rx(
    r"昨天|前天|今天|今早|今晨|今晚|昨晚|昨夜|前晚|刚才|刚刚|当天|当晚|那天|那晚|那次|这次|上次",
    r"(?:上|本|这|下)(?:个)?(?:周|星期|礼拜)[一二三四五六日天1-7]?",
    r"(?:周|星期|礼拜)[一二三四五六日天1-7]",
    r"(?:上|本|这)个?月",
    r"\d{1,2}月(?:\d{1,2}[日号])?|(?<![\d.])\d{1,2}[日号](?![常码])|\d{4}[-/年]\d{1,2}",
    r"\d{1,2}[:：]\d{2}|(?<![\d.快慢好多少大小高低近远有])\d{1,2}点(?:半|\d{1,2}分?|整)?(?![\d多])",
    r"(?:早|晚|夜|白|中|午)班|上午|下午|中午|凌晨|早上|早晨|晚上|傍晚|深夜|半夜|高峰",
    r"(?:那|这)(?:一)?(?:通|张|单|笔|场|轮|条|位|批)|那个|上一(?:通|张|个|次|单)",
    r"这个(?:会话|客户|工单|电话|来电|月|周|班)",
    r"工单\s*[#＃号]|#\s*[A-Za-z0-9]|双1[12]|6\.?18|大促|班前会|例会|周会|晨会|夕会|交班|交接班|开线|"
    r"质检(?:报告|抽查|抽听|抽检)|抽听|抽查|录音|回访时|培训(?:时|上|中)|带教(?:时|中)|演练时|"
    r"宕机|故障期间|值守|第一次|升级期间|那段时间",
    r"(?:在|当)[^，。；！？,.;!?]{1,24}?(?:时|的时候|期间|过程中|之前|之后|情况下)",
    r"(?:会话|通话|电话|直播|群)(?:里|中)",
    # English
    r"\b(?:yesterday|today|tonight|this (?:morning|afternoon|evening|week)|last (?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|last week|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|during|at \d{1,2}(?::\d{2})?|"
    r"on the \w+ (?:call|chat|ticket)|in (?:the|that|this) \w+ (?:call|chat|ticket|shift))\b",
)
# Not occasions: generalising time words.
_VAGUE_TIME = _rx(r"最近|近期|近来|平时|平常|经常|常常|往往|一般|这段时间|这阵子|有时候|有时|时不时|一直|老这样|"
                  r"\b(?:lately|recently|usually|often|generally)\b")

# Absolutes: always fail B. 每次…都 fails unless a specific occasion bounds it.
_ABSOLUTE = _rx(r"总是|总爱|老是|老爱|从不|从来|从没|从未|一向|向来|永远|始终|根本|动不动|回回|次次|一贯|"
                r"\b(?:always|never|constantly|every single time)\b")
_EVERY_TIME = _rx(r"每次都|每回都|每次[^，。；！？,.;!?]{0,12}?都|天天都|\bevery time\b")

# Judgement and label words (about the person, not the act).
_JUDGEMENT = _rx(
    r"态度(?:很|太|非常|特别|有点|真|极其)?(?:差|不好|恶劣|有问题|不端正|不行|冷淡|生硬|消极|傲慢)",
    r"服务态度|工作态度|态度问题",
    r"语气(?:很|太|非常|特别|有点|真)?(?:冲|差|生硬|不好|凶|冷|不耐烦|不客气)",
    r"不负责任?|没有责任心|没责任心|偷懒|懒散|(?<![不])懒(?!得)|马虎|粗心|大意|不用心|不上心|不认真|不专业|不耐烦|没耐心|"
    r"没有耐心|敷衍|拖拉|磨蹭|散漫|差劲|糟糕|离谱|无能|笨|蠢|不像话|过分|冷漠|傲慢|甩锅|推诿|没礼貌|不礼貌|"
    r"不尊重|不靠谱|不上进|玻璃心|不积极|消极|混日子|摸鱼",
    r"(?:太|很|非常|特别|极其|十分|真)(?:差|慢|乱|糟|烂|凶|冲|冷|拖|随便|马虎|粗心|粗糙)",
    r"(?:处理|做|干|表现|完成|办|服务|应对|回答)得?(?:很|太|非常|特别|挺|真|相当|十分|也)?(?:差|糟|不好|不行|一般|不怎么样|"
    r"马虎|粗糙|不到位|不理想|不佳)",
    r"表现(?:不好|不佳|一般|很差|太差|不理想|不太理想)|不太理想|有问题|问题很大|不行",
    r"\b(?:rude|lazy|careless|sloppy|unprofessional|bad attitude|irresponsible|impatient)\b",
)
# Sarcasm in BID.
_SARCASM = _rx(r"你可真行|真行啊|真有你的|真厉害啊|可真厉害|好样的|太厉害了吧|服了你|真是(?:个)?人才|"
               r"你可真|可真是")
# Traits and praise (labels): fail BIA only on their own; sarcasm in BID.
_PRAISE = _rx(
    r"(?:真|很|太|非常|特别|超级?|好|挺|最)(?:是)?(?:棒|厉害|优秀|靠谱|聪明|细心|耐心|有耐心|能干|给力|牛|专业|负责|认真|用心|"
    r"贴心|可靠|出色|积极|能扛|稳|努力|勤奋|上进|用功|拼)",
    r"(?:你|您)(?:真|真是|是|很|太)(?:棒|厉害|优秀|靠谱|天才|宝藏|榜样|大神)|真棒|很棒|好棒|棒棒|给力|天才|天花板|宝藏|最强|"
    r"大神|榜样|客服之星|有一套|了不起",
    r"态度(?:很|非常|特别|真|超)?(?:好|积极|端正|诚恳)",
    r"(?:处理|做|干|表现|完成|办|服务|应对|回答)得?(?:很|太|非常|特别|挺|真|相当|十分)?(?:好|不错|棒|漂亮|出色|到位|完美|利索)",
    r"表现(?:很|非常|特别|挺|真)?(?:好|不错|出色|优秀)|进步(?:很|挺|非常|特别)?大|(?<![不])不错|挺好|很好|特别好",
    r"\b(?:great job|good job|awesome|amazing|brilliant|the best|well done|superstar)\b",
)
# Small talk (no feedback on work at all).
_SMALL_TALK = _rx(
    r"(?:早上|中午|晚上|下午)?好(?:呀|啊|哇)?|早安|晚安|你好|您好|嗨|哈喽|hello|\bhi\b",
    r"(?:今天|大家|你)?(?:也)?辛苦(?:了|啦|咯|喽)?(?:呀|啊)?",
    r"(?:早点|好好)?(?:回家)?休息(?:一下)?|回家|(?:中午|晚上)?一起吃(?:个)?饭|吃饭了?(?:吗|没)?",
    r"(?:今天)?天气(?:真|很|挺|不错|真好|很好|太)?(?:好|不错|热|冷)?|周末愉快|节日快乐|生日快乐|拜拜|再见|明天见",
    r"今天|大家|你|呀|啊|哦|哈+|嘿+|吧",
)

# Action verbs (observable doings of the agent).
_ACTION = _rx(
    r"说了|说“|说:|说：|说他|说她|说您|说一句|回答|回复|答复|告诉|解释|介绍|念|读给|问了|问“|询问|追问|反问|确认|复述|"
    r"核实|核验|核对|查到|查了|查询|查看|调出|调取|打开|发了|发给|发到|发送|发出|转给|转到|转接|转派|转交|派单|派了|"
    r"提交|填写|填进|填了|写了|写明|写在|写进|写成|记录|标注|标出|整理|补上|补了|补充|列成|列了|列出|联系|打电话|打了|"
    r"致电|回电|外呼|接了|接到|接线|接起|接过|处理了|处理完|办理|挂断|挂了|挂机|结束了|结束通话|关闭|关掉|打断|插话|"
    r"教|演示|示范|陪|带着|帮|协助|引导|安抚|稳住|道歉|致歉|登录|上线|下线|迟到|早退|超时|超了|离开|离席|静音|开着|拒绝|"
    r"推给|申请|加班|值守|分享|共享|测试|截图|冻结|解冻|退了|退款|赔付|约好|约了|安排|通知|上报|升级给|拦截|发现|注意到|"
    r"提醒|跟进|回访|设置|设了|修改|改了|录入|复盘|演练|培训|推荐|推销|承诺|答应|操作|替她|替他|算清|算了|报价|报了|"
    r"提出|提供|给了|给他|给她|给客户|送|交还|归还|交接|留下|坐在|站起|打字|点了|选了|用了|采用|使用|按照|按流程|按脚本|"
    r"没有?(?:写|说|讲|报|查|核实|核对|确认|回复|回|接|提交|填|记录|告知|通知|转|等|听|按|做|给|发|跟进|解释|提醒|登记)|"
    r"不(?:报|说|回|接|查|填|写|按)",
    # mistakes are actions too: 说成了, 填错, 报漏
    r"(?:说|讲|报|写|填|念|算|记|发|转|输|录|标|查|看|读|选|点)(?:成|错|漏|反|串)",
    r"\b(?:wrote|said|told|sent|asked|answered|replied|called|checked|closed|opened|posted|explained|offered|"
    r"escalated|transferred|logged|stayed|helped|fixed|found|noticed|kept|put|took|gave|made|spoke|handled|"
    r"resolved|refunded|interrupted|hung up|didn't \w+|did not \w+|skipped|missed|forgot|used|walked)\b",
)
# Verdict predicates hide no action: masked before the action search.
_VERDICT = _rx(
    r"(?:处理|做|干|表现|完成|办|服务|应对|回答|说|讲|答)得[^，。；！？,.;!?]{0,8}",
    r"(?:处理|做|对待)(?:\w{0,4})?很有一套",
)

# Impact: beneficiaries and metrics.
_BENEFICIARY = _rx(
    r"客户|顾客|用户|乘客|旅客|玩家|业主|住户|患者|病人|老人|家长|家属|会员|买家|卖家|商家|来电人|对方|民警|"
    r"同事|新人|新员工|组长|主管|组里|全组|本组|组内|小组|我们组|别的组|其他组|售后组|团队|中心|部门|二线|一线|专员|师傅|司机|"
    r"(?<![一三])小[王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文]|"
    r"(?<![其])他(?:们)?|(?<![其])她(?:们)?",
    r"投诉|升级|时长|等待|排队|接通率|满意度|满意|不满|评价|评分|好评|差评|星|质检|扣分|解决率|转化率|续费率|流失率|"
    r"重复来电|来电|回访|工单|超时|返工|成本|费用|房费|账单|\d+\s*元|赔付|错赔|损失|订单|咨询量|话务量|"
    r"FCR|CSAT|ASA|AHT|NPS|SLA|QA",
    r"\b(?:customers?|clients?|callers?|team|colleagues?|queue|tickets?|chats?|calls?|complaints?|sla|csat|nps|fcr|aht)\b",
)
# Impact: what happened (an event, a state, or a number).
_EVENT = _rx(
    r"\d|满意|不满|平复|消气|撤回|挂机|挂断|挂了|投诉|升级|追问|来电|打进来|打来|要求|说了|说“|说:|说：|写了|写下|给了|打了|"
    r"评了|没有|没|不用|不再|避免|减少|增加|降到|升到|降了|升了|掉到|涨到|拉长|缩短|提前|推迟|延误|耽误|超时|扣了|扣分|"
    r"返工|拿回|收到|找到|办理|完成|解决|学会|会了|不会|能够|开始|离开|关闭|流失|多了|少了|多等|等了|转接|接手|跑错|"
    r"赔付|发了|差评|好评|星|达标|最高|最低|最少|最多|第一|高于|低于|超过|不到|保持|恢复|道谢|谢谢|表扬|感谢|"
    r"很少|很多|下降|上升|提高|提升|节省|省了|复制|用上|用了|愿意|同意|取消|退订|续费|下单|购买|改买|看到|知道|"
    r"成功|失败|丢失|错过|延迟|等待|错|没能",
    # the beneficiary's state of mind is what happened to them (the manager's is set aside above)
    r"生气|愤怒|恼火|着急|激动|抱怨|质问|骂|放心|安心|感动|开心|高兴|失望|不耐烦|哭",
    r"\b(?:reopened|breached|stayed|dropped|rose|fell|used|waited|left|complained|thanked|escalated|saved|"
    r"cut|reduced|increased|missed|met|got|gave|rated|returned|churned|\d)\b",
)
# Impact: set aside before judging (evaluations, feelings, opinions, rules, hyperbole).
_IMPACT_NOISE = _rx(
    r"影响(?:了|到)?(?:很|非常|特别|太)?(?:不好|很坏|很大|恶劣|坏)|影响(?:了|到)?(?:我们)?(?:的)?(?:组里|团队|大家|整体|工作|"
    r"业绩|效率|进度|形象)?(?:的)?(?:KPI|绩效|指标|考核|业绩|团队|大家|工作|效率|进度|形象)",
    r"(?:很|非常|特别|挺|对[^，。]{0,6}?很|对[^，。]{0,6}?)(?:有帮助|有意义|有价值|受益|重要)|意义重大|很有帮助|帮助很大|"
    r"效率很高|办得漂亮|挺好的?|很好|不错|很棒|(?<![不])专业|不专业|很不好|不太好|不好|很坏|添麻烦|麻烦|拖后腿|丢人|丢脸|"
    r"受益",
    r"我(?:真的|真|很|非常|特别|有点|挺|太)?(?:失望|生气|难过|担心|痛心|不满|寒心|头疼|无语|高兴|开心|欣慰|满意)",
    r"(?:违反|违背|不符合)了?[^，。；]{0,12}?(?:规定|规范|制度|流程|要求|纪律)|(?:属于|是)?红线",
    r"大家(?:都)?(?:很|对你)?(?:有意见|觉得|说|喜欢|不满|认为|议论)|别人(?:都)?(?:说|觉得)|大家都很喜欢你",
    r"迟早|早晚会|毁掉|毁了|完蛋|都爱你|爱死|全世界|所有人都|没有人不|天下",
    r"\b(?:very helpful|great|good|bad|unprofessional|disappointed)\b",
)
_SENTENCE = re.compile(r"[^。！!；;\n？?]+[。！!；;\n？?]*")
_QUESTION_END = re.compile(r"(?:[？?]|吗|呢)[\s。！!；;～~…]*$")


def _question_spans(text: str) -> list[tuple[int, int]]:
    """Sentences that are questions (end in ？, 吗 or 呢, or hold 难道); one linear pass."""
    return [m.span() for m in _SENTENCE.finditer(text)
            if _QUESTION_END.search(m.group(0)) or "难道" in m.group(0)]


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)

# Closing (BIA): appreciation.
_APPRECIATION = _rx(r"谢谢|谢啦|谢了|多谢|感谢|感激|欣赏|(?:很|非常|特别|十分)?认可|我(?:真的|很|非常|特别|真)(?:高兴|开心|欣慰)|"
                    r"佩服|\bthx\b|\bthanks\b|\bthank you\b|\bappreciate\b|\bgrateful\b")
_GROUP_TARGET = re.compile(r"^[\s,，]?(?:大家|各位|所有人|全组|全体|团队|你们|同事们|伙伴们|小伙伴|老师|组里|everyone|all|team)",
                           re.IGNORECASE)
_BACKHANDED = _rx(r"终于|难得|总算|居然|竟然|原来你也|破天荒|一回|太阳从西边|也有今天|没想到你|\bfinally\b|for once")
_HYPERBOLE = _rx(r"天才|天花板|最强|全公司最|全中心最|宇宙|无敌|大神|封神|神一样|第一名|第一人|给你点个大大的赞|超级无敌|!!+|！！+")

# Closing (BID): forward-looking and concrete.
_FORWARD = _rx(
    r"希望|下次|下回|以后|今后|往后|之后|接下来|再遇到|遇到|碰到|建议|请|能否|能不能|可以|我们约定|约定|约好|"
    r"从(?:明天|今天|下周|本周|下个月|现在|下一班|明早)|明天|下周|下个月|下班前|月底前|周[一二三四五六日]前|本周内|今天内|"
    r"\b(?:next time|from now on|going forward|please|tomorrow|next week|i'd like you to|let's|in future)\b",
)
_VAGUE_WISH = _rx(
    r"注意(?:一下|点)?|改进|改正|改善|改改|好好改|提高|提升|加强|用心|上心|认真(?:点|些|一点)?|努力|争取|反省|重视|端正|"
    r"态度|(?:快|慢|好|多|少|早)(?:一|1)?点|及时|尽快|尽量|同样的错误?|犯错|再犯|这样|那样|"
    r"降下来|升上去|降低|搞好|做好|弄好|太久|太慢|太多|多用点心|长点心|犯|错误|失误|出错",
    r"\b(?:be more careful|pay attention|improve|do better|try harder|be faster)\b",
)
# A degree wish makes its whole clause a direction, not a request (以后回复快一点, 及时回复客户).
# (the normaliser writes 一点 as 1点)
_DEGREE_WISH = _rx(r"[快慢好多少早勤细]些|(?:快|慢|好|多|少|早|勤|细心|耐心|认真|仔细)(?:一|1)?点|及时|尽快|尽量|尽早|更快|更好|更多|更少|"
                   r"太久|太慢|降下来|升上去|\b(?:faster|quicker|sooner|asap|better)\b")
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_CONCRETE = _rx(
    r"\d|“|「|『|\"",
    r"查|核实|核对|核验|确认|复述|说一句|说明|念|读给|写明|写上|写清|只写|不写|填|记下|记录|标注|发到|发给|发送|提交|转派|转给|"
    r"建工单|建一张|设(?:一个|置)?(?:提醒|闹钟)|提醒|打开|点开|调出|申请|解释|告诉|报备|回复|回电|联系|挂上号|挂号|口述|"
    r"先听|听完|说完|让(?:她|他|客户|对方)|按(?:脚本|流程|话术|标准|排班表|规定|模板)|使用|开场|结束语|道歉|致歉|交接|上报|"
    r"检查|抽听|一起看|演练|练习|截图|备注|逐项|逐条|列出|列成|每天|每周|每通|先帮|先把|先在|先按|先查|先让|先说|先问|"
    r"再介绍|再解释|再说|再开始|再讲|再告诉|暂停|停下",
    r"\b(?:wait|set|check|confirm|send|write|tell|ask|call|log|add|use|read|repeat|note|escalate|reply|follow up)\b",
)
_DONT_AGAIN = _rx(r"别再|不要再|不许再|不准再|不能再|\bdon't\b|\bdo not\b|\bstop\b")
_THREAT = _rx(r"(?:就|则)(?:要|会)?(?:扣|罚|处分|开除|辞退|调岗|走人|记过|通报|淘汰)|扣绩效|扣钱|扣工资|罚款|后果自负|"
              r"否则|再这样就|再犯就|看着办|别怪我|\bor else\b|\bfired\b")
_LOOK_BACK = _rx(r"当时(?:就)?应该|本来(?:就)?应该|那时(?:候)?应该|早该|应该早点|本应|早就应该|\bshould have\b")

_PERIOD_ONLY = re.compile(r"(?:上|本|这|下)个?(?:月|周|星期|礼拜)|当天|那天|那段时间")

_BUT = _rx(r"但是|不过|可是|只是|然而|但(?=[你这那今昨上本周在有一])|\bbut\b|\bhowever\b")


# ----------------------------------------------------------------------------- text helpers


class _Box:
    """One box: normalised text, a copy with quoted speech blanked, and the map back."""

    __slots__ = ("raw", "norm", "text", "has_quote")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.norm: Normalized = normalize(raw)
        s = self.norm.text
        self.has_quote = False
        pieces: list[str] = []
        pos = 0
        for m in _QUOTE.finditer(s):
            inner = m.end() - m.start() - 2
            if inner <= 0:
                continue
            self.has_quote = True
            pieces.append(s[pos:m.start() + 1])
            pieces.append("□" * inner)
            pos = m.end() - 1
        pieces.append(s[pos:])
        self.text = "".join(pieces)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of normalised ``text[start:end]``."""
        n = self.norm
        if not n.text or end <= start:
            return 0, 0
        start = max(0, min(start, len(n.text) - 1))
        end = max(start + 1, min(end, len(n.text)))
        return n.starts[start], n.ends[end - 1]

    def word(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.raw[a:b]


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` replaced by spaces (positions kept)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _hits(box: _Box, pattern: re.Pattern[str], text: str | None = None, offset: int = 0) -> list[tuple[str, int, int]]:
    """(original word, original start, original end) of each match."""
    out: list[tuple[str, int, int]] = []
    for m in pattern.finditer(text if text is not None else box.text):
        a, b = box.span(m.start() + offset, m.end() + offset)
        out.append((box.raw[a:b], a, b))
    return out


def _quote_list(hits: Iterable[tuple[str, int, int]]) -> str:
    words: list[str] = []
    for w, _, _ in hits:
        if w and w not in words:
            words.append(w)
    return "、".join(f"“{w}”" for w in words[:4])


def _warning(code: str, box: str, hit: tuple[str, int, int], message: str, suggestion: str) -> dict[str, Any]:
    word, start, end = hit
    return {"code": code, "box": box, "word": word, "start": start, "end": end,
            "message": message, "suggestion": suggestion}


def _verdict(met: bool, reason: str, suggestion: str = "") -> dict[str, Any]:
    return {"met": met, "reason": reason, "suggestion": "" if met and not suggestion else suggestion}


def _has_content(text: str) -> bool:
    return bool(re.search(r"[\w]", text.replace("□", "")))


# ----------------------------------------------------------------------------- behaviour


def _but_split(box: _Box) -> tuple[int, tuple[str, int, int] | None]:
    """(offset where the judged text starts, the but-sandwich hit or None)."""
    s = box.text
    praise = _PRAISE.search(s)
    if not praise:
        return 0, None
    # Only the first conjunction after the first praise can open the criticism: a later
    # one has the same praise (and any judgement) before it. One linear pass.
    m = _BUT.search(s, praise.end())
    if not m:
        return 0, None
    judgement = _JUDGEMENT.search(s, 0, m.start())
    if judgement or not _has_content(s[m.end():]):
        return 0, None
    a, b = box.span(m.start(), m.end())
    return m.end(), (box.raw[a:b], a, b)


def _check_behaviour(kind: str, box: _Box, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    if not _has_content(box.text) and not box.has_quote:
        return _verdict(False, "还没有写行为：哪一次、对方做了什么。",
                        "写出场合和动作，如“昨天下午 3 点那通退货电话，你先说了‘您别急，我先帮您查一下’，2 分钟内查到了原因”。")
    offset, sandwich = _but_split(box)
    if sandwich:
        warnings.append(_warning(
            "but_sandwich", "behaviour", sandwich,
            f"先表扬、再用“{sandwich[0]}”转到问题（三明治式）：对方容易只记住表扬，或者从此一听表扬就等着“但是”。",
            f"删掉“{sandwich[0]}”前面的表扬，直接从事实说起；表扬另找时间用 BIA 单独说。"))
    judged = box.text[offset:]
    occ = _hits(box, _OCCASION, judged, offset)
    absolutes = _hits(box, _ABSOLUTE, judged, offset)
    every = _hits(box, _EVERY_TIME, judged, offset)
    # 每次…都 inside a named occasion (那通电话里、本周二的3通) is a count; bounded only by a
    # period (这个月、上周) it generalises.
    if not [h for h in occ if not _PERIOD_ONLY.fullmatch(h[0])]:
        absolutes += every
    judgements = _hits(box, _JUDGEMENT, judged, offset)
    sarcasm = _hits(box, _SARCASM, judged, offset)
    # Praise before a but-sandwich's conjunction is the opener, not a label.
    praise = _hits(box, _PRAISE, _blank(judged, _JUDGEMENT), offset)
    actionable = _blank(_blank(judged, _VERDICT), _JUDGEMENT)
    actions = _hits(box, _ACTION, actionable, offset)
    has_action = bool(actions) or box.has_quote
    vague = _hits(box, _VAGUE_TIME, judged, offset)

    for hit in absolutes:
        warnings.append(_warning(
            "absolute", "behaviour", hit,
            f"“{hit[0]}”是绝对化的说法（第 {hit[1] + 1} 个字起）：对方只要举出一次例外，整段反馈就被推翻了。",
            f"把“{hit[0]}”换成具体的日期和次数，如“本周二、周四两次”。"))
    if kind == "BID":
        for hit in judgements + sarcasm:
            warnings.append(_warning(
                "judgement", "behaviour", hit,
                f"“{hit[0]}”是对人的评判或反话（第 {hit[1] + 1} 个字起），不是看得见的事实。",
                f"删掉“{hit[0]}”，换成你看到或听到的事实：他说了哪句话、做了什么操作。"))
        if not sarcasm:
            for hit in praise:
                warnings.append(_warning(
                    "judgement", "behaviour", hit,
                    f"建设反馈里的“{hit[0]}”（第 {hit[1] + 1} 个字起）听起来像反话，对方会觉得被挖苦。",
                    f"删掉“{hit[0]}”，只陈述事实。"))
    else:
        for hit in praise + judgements:
            warnings.append(_warning(
                "label", "behaviour", hit,
                f"“{hit[0]}”是标签或评价（第 {hit[1] + 1} 个字起），对方不知道该重复哪个做法。",
                f"把“{hit[0]}”留到最后的欣赏里，或干脆删掉，让具体行为自己说话。"))

    label_hits = praise + judgements + sarcasm
    if absolutes:
        also = f"，还有评判{_quote_list(label_hits)}" if kind == "BID" and label_hits else ""
        return _verdict(False, f"用了绝对化的说法{_quote_list(absolutes)}{also}，把一次行为说成了一贯如此。",
                        f"删掉{_quote_list(absolutes + (label_hits if also else []))}，写清是哪一天、哪一通电话或哪张工单，"
                        "以及具体做了什么。")
    if kind == "BID" and (judgements or sarcasm or praise):
        return _verdict(False, f"行为里夹带了评判{_quote_list(label_hits)}；建设反馈的 B 只能写事实。",
                        f"删掉{_quote_list(label_hits)}，换成可观察的事实，如对方的原话、操作步骤、时长或次数。")
    if not occ and not has_action:
        what = f"{_quote_list(label_hits)}是评价，" if label_hits else ""
        return _verdict(False, f"{what}没有具体场合，也没有看得见的动作。",
                        "写清是哪一次（如“昨天上午 10 点那通改签电话”），再写对方说了什么、做了什么。")
    if not occ:
        why = f"{_quote_list(vague)}不是具体场合" if vague else "没有写是哪一次"
        return _verdict(False, f"{why}：对方想不起你说的是哪件事。",
                        "加上具体场合：哪天、哪一通电话或哪张工单，如“本周二下午那通退款电话”。")
    if not has_action:
        what = f"{_quote_list(label_hits)}是评价或结果，" if label_hits else "只有结果或数字，"
        return _verdict(False, f"有场合（{occ[0][0]}），但{what}没有写对方具体做了什么。",
                        "写出可观察的动作：说了哪句话（引用原话）、做了哪一步操作、处理了多少单。")
    reason = f"有场合（{occ[0][0]}）和可观察的动作（{(actions[0][0] if actions else '原话引用')}）。"
    if kind == "BIA" and label_hits:
        reason += f"“{label_hits[0][0]}”这样的标签可以删去。"
    return _verdict(True, reason)


# ----------------------------------------------------------------------------- impact


def _check_impact(kind: str, box: _Box, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    example = ("如“客户当场办理了分期，回访给了 5 分”" if kind == "BIA"
               else "如“客户第二天再次来电并转成投诉，你本周 FCR 从 74% 降到 68%”")
    if not _has_content(box.text) and not box.has_quote:
        return _verdict(False, "还没有写影响。", f"写出这个行为对客户、团队或指标带来了什么结果，{example}。")
    text = box.text
    questions = _question_spans(text)
    text = _blank_spans(text, questions)
    noise = _hits(box, _IMPACT_NOISE, text)
    text = _blank(text, _IMPACT_NOISE)
    text = text.replace("□", " ")
    who = _hits(box, _BENEFICIARY, text)
    what = _hits(box, _EVENT, text)
    kpi = re.search(r"\bKPI\b|指标|绩效", box.text, re.IGNORECASE)
    if who and what:
        return _verdict(True, f"写出了受影响的对象或指标（{who[0][0]}）和实际发生的结果。")
    if questions and not who:
        return _verdict(False, "影响写成了问句（反问），不是事实。",
                        f"改成陈述句，写清实际发生了什么，{example}。")
    if noise:
        return _verdict(False, f"{_quote_list(noise)}是笼统的评价、感受或规定，不是实际发生的结果。",
                        f"写出谁受到了什么影响、发生了什么，{example}。")
    if kpi and not what:
        return _verdict(False, "只说了影响“指标”，没有说是哪个指标、变成了多少。",
                        "点名指标和变化，如“组里本周的 AHT 从 430 秒升到 455 秒”。")
    if who:
        return _verdict(False, f"提到了{who[0][0]}，但没有说对方实际发生了什么。",
                        f"补上事实：发生了什么事、数字变成了多少，{example}。")
    return _verdict(False, "没有写出受影响的人或指标。", f"写出这个行为对客户、同事或指标的实际影响，{example}。")


# ----------------------------------------------------------------------------- closing


def _check_appreciation(box: _Box, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    hint = "写一句指向这次行为的感谢或欣赏，如“谢谢你先稳住了客户，这个做法我很欣赏”。"
    if not _has_content(box.text):
        return _verdict(False, "还没有写欣赏与感谢。", hint)
    backhanded = _hits(box, _BACKHANDED)
    thanks = []
    group = []
    for m in _APPRECIATION.finditer(box.text):
        a, b = box.span(m.start(), m.end())
        hit = (box.raw[a:b], a, b)
        (group if _GROUP_TARGET.match(box.text[m.end():]) else thanks).append(hit)
    if backhanded and (thanks or group):
        for hit in backhanded:
            warnings.append(_warning("backhanded", "closing", hit,
                                     f"“{hit[0]}”（第 {hit[1] + 1} 个字起）让感谢变成了翻旧账或讽刺。",
                                     f"删掉“{hit[0]}”，只感谢这一次的做法。"))
        return _verdict(False, f"感谢里带着{_quote_list(backhanded)}，听起来像讽刺，不是真诚的欣赏。",
                        f"删掉{_quote_list(backhanded)}，只说这次做得好的地方和你的感谢。")
    if thanks:
        for hit in _hits(box, _HYPERBOLE):
            warnings.append(_warning("hyperbole", "closing", hit,
                                     f"“{hit[0]}”（第 {hit[1] + 1} 个字起）言过其实，表扬的分量要和事情相当。",
                                     "保留感谢，把夸张的称号换成你欣赏的具体做法。"))
        return _verdict(True, f"有对本人的欣赏或感谢（{thanks[0][0]}）。")
    if group:
        return _verdict(False, f"{_quote_list(group)}的对象是大家或别人，不是这位员工这一次的行为。",
                        "把感谢对准对方本人和这次行为，如“谢谢你那天下午陪小吴听线”。")
    return _verdict(False, "只有客套、鼓励或夸奖，没有欣赏或感谢（辛苦了、加油、继续保持、表情都不算）。", hint)


def _check_expectation(box: _Box, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    hint = "写出下次希望看到的具体做法，如“下次客户问费用时，请先打开明细页逐项念给客户听”。"
    if not _has_content(box.text) and not box.has_quote:
        return _verdict(False, "还没有写期望。", hint)
    threats = _hits(box, _THREAT)
    if threats:
        for hit in threats:
            warnings.append(_warning("threat", "closing", hit, f"“{hit[0]}”（第 {hit[1] + 1} 个字起）是威胁，不是期望。",
                                     "删掉后果，只说希望对方下次怎么做。"))
        return _verdict(False, f"{_quote_list(threats)}是威胁，不是期望的做法。",
                        "把威胁换成具体的期望：下次遇到什么情况，先做什么、再做什么。")
    statements = _blank_spans(box.text, _question_spans(box.text))
    if not _has_content(statements) and not box.has_quote:
        return _verdict(False, "只有一个问句，没有提出你期望的具体做法。",
                        "先说出具体期望，再用开放式问题收尾，如“……请先查物流轨迹再答复。你觉得这样做有什么困难？”")
    forward = _hits(box, _FORWARD, statements)
    look_back = _hits(box, _LOOK_BACK, statements)
    dont = list(_DONT_AGAIN.finditer(statements))
    if look_back and not forward:
        return _verdict(False, f"{_quote_list(look_back)}是回头看，不是面向以后的期望。",
                        f"把{_quote_list(look_back)}改成“下次……时，请先……”。")
    if not forward and not dont:
        return _verdict(False, "没有面向以后的说法（希望、下次、以后、请、从明天起……）。",
                        "用“下次遇到……时，请……”或“从明天起……”说出期望的做法。")
    # A 别再 clause that stays vague (别再犯同样的错、别再让客户等太久) is set aside whole.
    tails_vague: list[bool] = []
    vague_spans: list[tuple[int, int]] = []
    for m in dont[:50]:
        clause = re.split(r"[，。；,.;!?！？]", statements[m.end():m.end() + 40])[0]
        vague = bool(_VAGUE_WISH.search(clause)) or not clause.strip()
        tails_vague.append(vague)
        if vague:
            vague_spans.append((m.start(), m.end() + len(clause)))
    for m in _CLAUSE.finditer(statements):
        clause = m.group(0)
        if _DEGREE_WISH.search(clause) and not re.search(r"\d|□", _DEGREE_WISH.sub("", clause)):
            vague_spans.append(m.span())
    concrete_text = _blank(_blank_spans(statements, vague_spans), _VAGUE_WISH)
    concrete = _hits(box, _CONCRETE, concrete_text)
    if dont:
        vague_tail = all(tails_vague)
        d = dont[0]
        a, b = box.span(d.start(), d.end())
        if vague_tail and not concrete:
            return _verdict(False, f"“{box.raw[a:b]}……”没有说出具体要做或不做的动作。",
                            "改成正面、具体的做法，如“下次客户还没说完时，请先听完再用一句话复述他的诉求”。")
        if not vague_tail:
            warnings.append(_warning("negative_phrasing", "closing", (box.raw[a:b], a, b),
                                     f"“{box.raw[a:b]}”是从反面说的；对方知道了不该做什么，还不知道该做什么。",
                                     "换成正面的说法：希望他下次怎么做。"))
            return _verdict(True, "点名了一个具体的动作（从反面说的）。")
    vague = _hits(box, _VAGUE_WISH, statements)
    if not concrete:
        what = f"{_quote_list(vague)}太笼统，" if vague else ""
        return _verdict(False, f"{what}有面向以后的说法，但没有具体做法、目标值或期限。",
                        "写清在什么情况下做什么，或给出目标值和期限，如“AHT 在下周五前降到 430 秒以内，每通先用一句话复述诉求”。")
    return _verdict(True, f"面向以后（{forward[0][0] if forward else '别再'}），并写出了具体做法或目标。")


# ----------------------------------------------------------------------------- level


def _is_small_talk(box: _Box) -> bool:
    rest = _blank(box.text, _SMALL_TALK)
    return not re.search(r"[A-Za-z0-9\u4e00-\u9fff□]", rest)


def _level(parts: dict[str, dict[str, Any]], boxes: dict[str, _Box]) -> int:
    if all(p["met"] for p in parts.values()):
        return 2
    if all(_is_small_talk(b) for b in boxes.values()):
        return 0
    return 1


_LEVEL_TEXT = {0: "零级：还没有对工作的反馈", 1: "一级反馈：只有结论或不完整", 2: "二级反馈：BIA/BID 完整"}


def rewrite_drill(result: dict[str, Any], kind: str) -> list[str]:
    """What to add or change to turn this feedback into a 二级 one (empty when it is one)."""
    if result.get("level") == 2 and not result.get("warnings"):
        return []
    labels = PART_LABELS.get(kind, PART_LABELS["BIA"])
    steps = [f"{labels[k]}：{p['suggestion']}" for k, p in result["parts"].items() if not p["met"] and p["suggestion"]]
    seen: set[str] = set()
    for w in result.get("warnings", []):
        if w["code"] in ("absolute", "judgement") and result["parts"].get(w["box"], {}).get("met") is False:
            continue  # already covered by the box's own suggestion
        key = w["suggestion"]
        if key and key not in seen:
            seen.add(key)
            steps.append(f"{labels.get(w['box'], w['box'])}：{key}")
    return steps


def check_feedback(kind: Any, behaviour: Any, impact: Any, closing: Any) -> dict[str, Any]:
    """Check one BIA or BID feedback.

    Args:
        kind: ``"BIA"`` (positive) or ``"BID"`` (constructive); anything else is read as BIA.
        behaviour, impact, closing: the three boxes (B, I, A/D). Each is judged on its own
            text; only the first :data:`MAX_CHARS` characters are read.

    Returns:
        ``{"kind", "parts": {"behaviour"|"impact"|"closing": {"met", "reason", "suggestion"}},
        "level": 0|1|2, "level_text", "warnings": [{"code", "box", "word", "start", "end",
        "message", "suggestion"}], "drill": [str]}``. ``start``/``end`` are character
        offsets of ``word`` in that box's text. Warning codes: ``absolute``, ``judgement``,
        ``label``, ``but_sandwich``, ``hyperbole``, ``backhanded``, ``threat``,
        ``negative_phrasing``.
    """
    k = str(kind).strip().upper() if isinstance(kind, str) else "BIA"
    k = k if k in KINDS else "BIA"
    texts = {}
    for name, value in (("behaviour", behaviour), ("impact", impact), ("closing", closing)):
        texts[name] = (value if isinstance(value, str) else "")[:MAX_CHARS]
    boxes = {name: _Box(t) for name, t in texts.items()}
    warnings: list[dict[str, Any]] = []
    parts = {
        "behaviour": _check_behaviour(k, boxes["behaviour"], warnings),
        "impact": _check_impact(k, boxes["impact"], warnings),
        "closing": (_check_appreciation if k == "BIA" else _check_expectation)(boxes["closing"], warnings),
    }
    if k == "BID":
        # The last slice of a sandwich: praise after the request.
        for hit in _hits(boxes["closing"], _PRAISE):
            warnings.append(_warning("but_sandwich", "closing", hit,
                                     f"期望后面又加了表扬“{hit[0]}”（三明治的最后一片），会冲淡要改进的信息。",
                                     "表扬另找时间用 BIA 单独说，这里以期望和一个开放式问题收尾。"))
    level = _level(parts, boxes)
    result: dict[str, Any] = {"kind": k, "parts": parts, "level": level, "level_text": _LEVEL_TEXT[level],
                              "warnings": warnings}
    result["drill"] = rewrite_drill(result, k)
    return result
