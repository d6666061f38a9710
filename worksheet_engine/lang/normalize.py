"""Text normalisation for the goal checkers, with a map back to the original text.

The SMART checker matches its rules against a *normalised* copy of the user's text:

* full-width letters, digits and punctuation become half-width (per-character NFKC),
  dashes and arrows get one canonical form (``-`` and ``→``);
* blanks next to Chinese characters disappear (``CSAT 从 85 % 提升`` → ``CSAT从85%提升``);
* Chinese numerals before a unit become digits (``两周`` → ``2周``, ``三个月`` → ``3个月``,
  ``一百零五分`` → ``105分``), and so do ``百分之九十`` → ``90%``, ``九成`` → ``90%``,
  ``三分之一`` → ``33.3%``; a few English number words before a unit too (``two weeks``).

Every character of the normalised text remembers the span of the original text it came
from, so a match can be shown to the reader in the words they typed.

Example::

    >>> n = normalize("两周内把ＦＣＲ提升到百分之八十")
    >>> n.text
    '2周内把FCR提升到80%'
    >>> n.original(0, 3)
    '两周内'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# ----------------------------------------------------------------------------- fast regexes

_DIGITS = frozenset("0123456789")
_WORD_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _structure(p: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Yield ``(index, char, depth)`` for each unescaped character of pattern ``p`` that is
    outside a ``[...]`` class; ``depth`` is the group nesting before that character."""
    depth = 0
    j = start
    in_class = False
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        else:
            yield j, c, depth
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
        j += 1


def _close_paren(p: str, i: int) -> int:
    """Index of the ``)`` matching the ``(`` at ``p[i]`` (-1 when unbalanced)."""
    return next((j for j, c, depth in _structure(p, i) if c == ")" and depth == 1), -1)


def _split_top(p: str) -> list[str]:
    """The top-level alternatives of pattern ``p``."""
    parts: list[str] = []
    start = 0
    for j, c, depth in _structure(p):
        if c == "|" and depth == 0:
            parts.append(p[start:j])
            start = j + 1
    parts.append(p[start:])
    return parts


def _class_chars(body: str) -> frozenset[str] | None:
    """Characters of a simple ``[...]`` class (None for negated classes or escapes other than \\d)."""
    if body.startswith("^"):
        return None
    out: set[str] = set()
    j = 0
    while j < len(body):
        c = body[j]
        if c == "\\":
            if body[j + 1:j + 2] == "d":
                out |= _DIGITS
                j += 2
                continue
            if j + 1 < len(body) and not body[j + 1].isalnum():
                out.add(body[j + 1])
                j += 2
                continue
            return None
        if j + 2 < len(body) and body[j + 1] == "-":
            lo, hi = ord(c), ord(body[j + 2])
            if hi - lo > 2000:
                return None
            out.update(chr(x) for x in range(lo, hi + 1))
            j += 3
            continue
        out.add(c)
        j += 1
    return frozenset(out)


def _first_chars(p: str) -> frozenset[str] | None:
    """Characters that can start a match of ``p`` (None when it cannot be worked out, or
    when the pattern can match the empty string)."""
    result: set[str] = set()
    for alt in _split_top(p):
        got = _first_seq(alt, 0)
        if got is None:
            return None
        result |= got
    return frozenset(result)


def _first_seq(a: str, i: int) -> frozenset[str] | None:
    while True:
        if i >= len(a):
            return None  # may match empty
        c = a[i]
        if a.startswith(("(?<=", "(?<!", "(?=", "(?!"), i):
            close = _close_paren(a, i)
            if close < 0:
                return None
            i = close + 1
            continue
        if c == "(":
            close = _close_paren(a, i)
            if close < 0:
                return None
            inner = a[i + 1:close]
            m = re.match(r"\?(?::|P<\w+>|[aiLmsux-]+:)", inner)
            if m:
                inner = inner[m.end():]
            elif inner.startswith("?"):
                return None
            first = _first_chars(inner)
            end = close + 1
        elif c == "[":
            close = a.find("]", i + 2)
            if close < 0:
                return None
            first = _class_chars(a[i + 1:close])
            end = close + 1
        elif c == "\\":
            if a[i + 1:i + 2] == "d":
                first = _DIGITS
            elif a[i + 1:i + 2] and not a[i + 1].isalnum():
                first = frozenset(a[i + 1])
            else:
                return None
            end = i + 2
        elif c in ".^$|)":
            return None
        else:
            first = frozenset(c)
            end = i + 1
        if first is None:
            return None
        quant = a[end:end + 1]
        if quant == "{":
            close = a.find("}", end)
            if close < 0:
                return None
            optional = a[end + 1:close].split(",")[0].strip() in ("", "0")
            end = close + 1
        else:
            optional = quant in ("?", "*")
            if quant in ("?", "*", "+"):
                end += 1
        if end < len(a) and a[end] == "?":
            end += 1  # lazy quantifier
        if not optional:
            return first
        rest = _first_seq(a, end)
        if rest is None:
            return None
        return frozenset(first | rest)


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` plus a leading look-ahead on the characters a match can start with.

    ``re`` tries every position of the text; a cheap ``(?=[…])`` lets it skip the ones
    that cannot start a match, which keeps 20,000-character inputs fast.
    """
    first = _first_chars(pattern)
    if not first or len(first) > 400:
        return re.compile(pattern, flags)
    chars = set(first)
    if flags & re.IGNORECASE:
        chars |= {c.swapcase() for c in first if c.isascii()}
    cls = "".join(sorted(re.escape(c) if c in "\\]^-[" else c for c in chars))
    return re.compile(f"(?=[{cls}])(?:{pattern})", flags)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万"
CN_NUM = f"[{_CN_NUM_CHARS}]"

#: Characters mapped before NFKC (NFKC leaves these alone or maps them unhelpfully).
_CHAR_MAP = {
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2012": "-", "\u2010": "-",
    "\u2192": "→", "\u27f6": "→", "\u279d": "→", "\u27a1": "→", "\u21d2": "→", "\uff5e": "~",
    "\u301c": "~", "\u2264": "≤", "\u2265": "≥", "\u2266": "≤", "\u2267": "≥", "\ufe6a": "%",
    "\u3000": " ", "\u00a0": " ",
}


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    mapped = _CHAR_MAP.get(ch)
    if mapped is not None:
        return mapped
    out = unicodedata.normalize("NFKC", ch)
    # NFKC may expand one character into many (e.g. ligatures); keep that, it is rare.
    return out


_NEEDS_NFKC = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")
_ONE_TO_ONE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_ONE_TO_ONE.update({ord(k): v for k, v in _CHAR_MAP.items() if len(v) == 1})


def _norm_char_or_none(ch: str) -> str | None:
    out = _norm_char(ch)
    return None if out == ch else out


def cn_to_number(s: str) -> float | None:
    """Value of a Chinese numeral such as ``十二``, ``一百零五``, ``九十五点五`` or ``二〇二六``.

    Returns ``None`` when ``s`` is not a numeral.
    """
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = cn_to_number(whole) if whole else 0.0
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")
    if any(c not in _CN_DIGITS and c not in _CN_UNITS for c in s):
        return None
    if not any(c in _CN_UNITS for c in s):
        # a digit string such as 二〇二六
        return float(int("".join(str(_CN_DIGITS[c]) for c in s)))
    total = 0
    section = 0
    num = 0
    for c in s:
        if c in _CN_DIGITS:
            num = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            if unit == 10000:
                section = (section + num) * unit
                total += section
                section = 0
            else:
                section += (num or 1) * unit
            num = 0
    return float(total + section + num)


def fmt_number(value: float) -> str:
    """``90.0`` → ``'90'``, ``0.5`` → ``'0.5'``, ``33.333`` → ``'33.3'``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original span it came from."""

    text: str
    source: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> str:
        """The original text behind ``text[start:end]``."""
        if not self.text or end <= start:
            return ""
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.source[self.starts[start]:self.ends[end - 1]]


def _sub(
    text: str, starts: list[int], ends: list[int], pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str | None],
) -> tuple[str, list[int], list[int]]:
    """``pattern.sub`` that keeps the per-character source map. ``repl`` returning None keeps the match."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new is None:
            continue
        a, b = m.span()
        pieces.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        if new:
            s0 = starts[a] if a < len(starts) else (ends[-1] if ends else 0)
            e0 = ends[b - 1] if b > a else s0
            pieces.append(new)
            new_starts.extend([s0] * len(new))
            new_ends.extend([e0] * len(new))
        pos = b
    if not pieces:
        return text, starts, ends
    pieces.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(pieces), new_starts, new_ends


_SPACE_NEAR_CJK = compile_fast(r"[ \t]+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])[ \t]+")
_SPACE_IN_NUMBER = compile_fast(r"(?<=\d)[ \t]+(?=[%‰])|(?<=[<>=])[ \t]+(?=[-+\d])|(?<=[\d%])[ \t]+(?=\+)")
_MULTI_SPACE = compile_fast(r"[ \t]{2,}")
_ARROW = compile_fast(r"(?<!-)-+>|=>|→|~")
_HUNDRED_PERCENT = compile_fast(r"百分百|百分之百")
_PERCENT = compile_fast(rf"(百分之|千分之)({CN_NUM}+(?:点[零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)")
_FRACTION = compile_fast(rf"(?<![{_CN_NUM_CHARS}\d])({CN_NUM}+|\d+)分之({CN_NUM}+|\d+)")
_TENTHS = compile_fast(r"([一二三四五六七八九十])成(?![员功为立本交绩果效不])")
_ONE_ON_ONE = compile_fast(r"一对一|1对1|一對一")
_UNITS = (r"个?半?(?:月|周|星期|礼拜|天|日|年|季度|季|小时|钟头|分钟|秒|名|人|位|次|通|条|份|项|场|篇|本|节|"
          r"轮|倍|公斤|斤|公里|单|件|张|批|遍|声|个百分点|百分点|个|分|号|点|家|门|轮|周年)")
_CN_BEFORE_UNIT = compile_fast(
    rf"(?<![{_CN_NUM_CHARS}])({CN_NUM}+(?:点[零〇一二三四五六七八九]+)?)(?={_UNITS}|以上|以下|以内|之内|左右|上下|%)"
    # after 到/至/为/达/于/过/在 ("做到九十", "低于三百") a numeral is a value whatever follows
    rf"|(?<=[到至为是达于过在约近])(?<![{_CN_NUM_CHARS}])({CN_NUM}{{2,}}(?:点[零〇一二三四五六七八九]+)?|[一二两三四五六七八九])"
    r"(?![\u4e00-\u9fff])"
)
_ONCE_WORDS = compile_fast(r"次(?:性|解决|处理|办结|通过|到位|接通|答复|回复|沟通|说清)")
_EN_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_EN_UNIT_WORDS = (r"days?|weeks?|months?|years?|quarters?|hours?|minutes?|seconds?|calls?|sessions?|times?|"
                  r"agents?|people|reports?|tickets?|complaints?|role-?plays?|1:1s?|one-on-ones?|meetings?|"
                  r"articles?|workshops?|members?|new hires?|percent|per cent|points?|business days?|"
                  r"working days?|coaching|reviews?")
_EN_NUMBER_WORD = compile_fast(
    r"(?<![A-Za-z-])(" + "|".join(sorted(_EN_NUM, key=len, reverse=True)) + r")(?=[ -][A-Za-z0-9:])"
    r"(?![ -](?:of|another|more|or|and|to|by|on|in|at|the|a|an|is|was|way|off)(?![A-Za-z]))",
    re.IGNORECASE,
)
_EN_TENS = compile_fast(
    r"(?<![A-Za-z])(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|"
    r"nine)(?![A-Za-z])", re.IGNORECASE)
_EN_PERCENT = compile_fast(r"(?<=\d)[ ]?(?:percent|per cent|pct)(?![A-Za-z])", re.IGNORECASE)


def _repl_cn_before_unit(text: str) -> Callable[[re.Match[str]], str | None]:
    def repl(m: re.Match[str]) -> str | None:
        s = m.group(1) or m.group(2)
        after = text[m.end():m.end() + 4]
        if s == "一" and _ONCE_WORDS.match(after):
            return None  # 一次解决率, 一次性: not a count
        if s in ("十", "百", "千", "万") and after.startswith("分") and not after.startswith("分钟"):
            return None  # 十分 = "very"; 百分点, 百分比 are words, not numbers
        if s == "一" and m.start() >= 2 and text[m.start() - 2:m.start()] in ("新的", "每一"):
            return None
        value = cn_to_number(s)
        return None if value is None else fmt_number(value)
    return repl


def normalize(source: str) -> Normalized:
    """Normalise ``source`` for matching. Never raises for any ``str``."""
    n = len(source)
    # one-to-one mappings first (full-width ASCII, dashes, arrows): C speed, positions unchanged
    text = source.translate(_ONE_TO_ONE)
    text, starts, ends = _sub(text, list(range(n)), list(range(1, n + 1)), _NEEDS_NFKC,
                              lambda m: _norm_char_or_none(m.group(0)))

    def const(value: str) -> Callable[[re.Match[str]], str]:
        return lambda m: value

    text, starts, ends = _sub(text, starts, ends, _ARROW, const("→"))
    text, starts, ends = _sub(text, starts, ends, _SPACE_NEAR_CJK, const(""))
    text, starts, ends = _sub(text, starts, ends, _SPACE_IN_NUMBER, const(""))
    text, starts, ends = _sub(text, starts, ends, _MULTI_SPACE, const(" "))
    text, starts, ends = _sub(text, starts, ends, _HUNDRED_PERCENT, const("100%"))

    def percent(m: re.Match[str]) -> str | None:
        raw = m.group(2)
        value = float(raw) if raw[0].isdigit() else cn_to_number(raw)
        if value is None:
            return None
        return fmt_number(value) + ("%" if m.group(1) == "百分之" else "‰")

    text, starts, ends = _sub(text, starts, ends, _PERCENT, percent)

    def fraction(m: re.Match[str]) -> str | None:
        den_raw, num_raw = m.group(1), m.group(2)
        den = float(den_raw) if den_raw.isdigit() else cn_to_number(den_raw)
        num = float(num_raw) if num_raw.isdigit() else cn_to_number(num_raw)
        if not den or num is None or den > 1000:
            return None
        return fmt_number(round(num / den * 100, 1)) + "%"

    text, starts, ends = _sub(text, starts, ends, _FRACTION, fraction)

    def tenths(m: re.Match[str]) -> str | None:
        value = cn_to_number(m.group(1))
        return None if value is None else fmt_number(value * 10) + "%"

    text, starts, ends = _sub(text, starts, ends, _TENTHS, tenths)
    text, starts, ends = _sub(text, starts, ends, _ONE_ON_ONE, const("1对1"))
    text, starts, ends = _sub(text, starts, ends, _CN_BEFORE_UNIT, _repl_cn_before_unit(text))
    text, starts, ends = _sub(
        text, starts, ends, _EN_TENS,
        lambda m: str(_EN_NUM[m.group(1).lower()] + _EN_NUM[m.group(2).lower()]),
    )
    text, starts, ends = _sub(
        text, starts, ends, _EN_NUMBER_WORD, lambda m: str(_EN_NUM[m.group(1).lower()])
    )
    text, starts, ends = _sub(text, starts, ends, _EN_PERCENT, const("%"))
    return Normalized(text=text, source=source, starts=tuple(starts), ends=tuple(ends))


def replace_spans(norm: Normalized, spans: list[tuple[int, int, str]]) -> Normalized:
    """``norm`` with ``text[start:end]`` replaced by ``new`` for each non-overlapping span,
    keeping the map to the original text (a replacement maps to the span it replaces).

    >>> n = replace_spans(normalize("满意渡90%"), [(0, 3, "满意度")])
    >>> n.text, n.original(0, 3)
    ('满意度90%', '满意渡')
    """
    if not spans:
        return norm
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    text = norm.text
    for a, b, new in sorted(spans):
        if a < pos or b <= a or b > len(text):
            continue
        pieces.append(text[pos:a])
        starts.extend(norm.starts[pos:a])
        ends.extend(norm.ends[pos:a])
        if len(new) == b - a:  # same length (a homophone): keep the per-character map
            starts.extend(norm.starts[a:b])
            ends.extend(norm.ends[a:b])
        else:
            starts.extend([norm.starts[a]] * len(new))
            ends.extend([norm.ends[b - 1]] * len(new))
        pieces.append(new)
        pos = b
    pieces.append(text[pos:])
    starts.extend(norm.starts[pos:])
    ends.extend(norm.ends[pos:])
    return Normalized(text="".join(pieces), source=norm.source, starts=tuple(starts), ends=tuple(ends))


class SpanMask:
    """Which positions of a text are covered by some span; O(1) marking per character.

    Example::

        >>> m = SpanMask(10); m.mark(2, 4)
        >>> m.covered(3, 5), m.covered(4, 6)
        (True, False)
    """

    __slots__ = ("_bits",)

    def __init__(self, size: int) -> None:
        self._bits = bytearray(size + 1)

    def mark(self, start: int, end: int) -> None:
        if end > start:
            self._bits[start:end] = b"\x01" * (end - start)

    def covered(self, start: int, end: int) -> bool:
        """True when any position in ``start:end`` is marked."""
        if end <= start:
            return False
        return self._bits.find(1, start, end) != -1

