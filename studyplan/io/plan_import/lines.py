"""The grammar of a plan's lines: a section (一、), a numbered item ((一), 1., 专题一) or text.

Both the text parser and the Word reader (which rebuilds Word's automatic numbers and checks
that they read as numbers) classify lines here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_CHARS = "〇零一二三四五六七八九十两"
CN_NUMBER = f"[{_CN_CHARS}]{{1,4}}"
AR_NUMBER = r"[0-9０-９]{1,3}"
#: The largest number a plan gives an item (three digits, as `AR_NUMBER` reads them): no
#: list counter, start value or topic count may run past it.
MAX_NUMBER = 999
_SEP = r"[、.．,，:：\s]*"

_SECTION_RE = re.compile(rf"^(?P<num>{CN_NUMBER})\s*[、.．](?P<rest>.*)$")

#: (kind, pattern) for the numbered items a topic heading may start with, most specific first.
_ITEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren-cn", re.compile(rf"^[（(]\s*(?P<num>{CN_NUMBER})\s*[）)]{_SEP}(?P<rest>.*)$")),
    ("paren-ar", re.compile(rf"^[（(]\s*(?P<num>{AR_NUMBER})\s*[）)]{_SEP}(?P<rest>.*)$")),
    ("half-paren", re.compile(rf"^(?P<num>{AR_NUMBER})\s*[)）]{_SEP}(?P<rest>.*)$")),
    ("arabic", re.compile(rf"^(?P<num>{AR_NUMBER})\s*[.．、](?![0-9０-９]){_SEP}(?P<rest>.*)$")),
    (
        "zhuanti",
        re.compile(
            rf"^专题\s*(?P<num>{CN_NUMBER}|{AR_NUMBER})(?:\s|[、.．,，:：]){_SEP}(?P<rest>.*)$"
        ),
    ),
)

_STRIP_CHARS = " \t\r\n\u3000\xa0\u200b\ufeff"
_LEADING_PUNCT = "、.．,，:：;；"

_CN_DIGIT_VALUES = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_DIGITS = "零一二三四五六七八九"


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral from 一 to 九十九, as plans number sections and topics."""
    if not text:
        return None
    if text.isdigit():
        return int(text) if len(text) <= len(str(MAX_NUMBER)) else None
    if "十" not in text:
        return (_CN_DIGIT_VALUES.get(text) or None) if len(text) == 1 else None
    tens_text, _, units_text = text.partition("十")
    if "十" in units_text or len(tens_text) > 1 or len(units_text) > 1:
        return None
    tens = 1 if not tens_text else _CN_DIGIT_VALUES.get(tens_text)
    units = 0 if not units_text else _CN_DIGIT_VALUES.get(units_text)
    if tens is None or units is None or tens == 0:
        return None
    value = tens * 10 + units
    return value if value > 0 else None


def int_to_chinese(number: int) -> str:
    """Write 1..99 as 一..九十九, the way Word's chineseCounting numbering shows them."""
    if number <= 0 or number >= 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[units]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[units] if units else "")


@dataclass(frozen=True)
class Line:
    text: str
    role: str  # "section", "item" or "text"
    kind: str = ""
    number: int | None = None
    rest: str = ""


def clean(line: str) -> str:
    return line.strip(_STRIP_CHARS)


def classify(text: str) -> Line:
    match = _SECTION_RE.match(text)
    if match:
        rest = clean(clean(match["rest"]).lstrip(_LEADING_PUNCT))
        return Line(text, "section", "section", chinese_to_int(match["num"]), rest)
    for kind, pattern in _ITEM_PATTERNS:
        match = pattern.match(text)
        if match:
            rest = clean(clean(match["rest"]).lstrip(_LEADING_PUNCT))
            return Line(text, "item", kind, chinese_to_int(match["num"]), rest)
    return Line(text, "text")
