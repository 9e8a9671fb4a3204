"""Text as the record keeps it: which characters may be kept, and how wide text stands in a
fixed-width cell (the sign-in sheet, the ledger, the terminal).

Chinese characters take two columns where Latin letters take one; every place that sizes a
column or breaks a line counts the same way, here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from studyplan.model.errors import ValidationError


@lru_cache(maxsize=8192)
def is_wide(char: str) -> bool:
    """An East-Asian wide or full-width character, two columns wide. Kept per character:
    the ledger sizes tens of thousands of cells, mostly of the same few thousand characters."""
    return unicodedata.east_asian_width(char) in "WF"


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns `text` takes: wide and full-width characters count 2, the others 1 (also the
    width in Excel character units)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(is_wide, text))  # a wide character counts once more


#: Control characters (C0 but tab and line feed, DEL, C1) and NUL: invisible, meaningless in a
#: plan, a roster or minutes, and refused by the .xlsx format, so one of them kept in a topic
#: would make every later ledger export fail.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable_text(text: str) -> str:
    """`text` without control characters or NUL; line breaks (\\r\\n, \\r) become \\n and tabs
    stay. The one rule for text coming into the record, from a file or the window."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


#: The pictograph blocks of the basic plane (Miscellaneous Technical, Miscellaneous Symbols,
#: Dingbats, Miscellaneous Symbols and Arrows): the emoji of the basic plane live there.
_PICTOGRAPH_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x2300, 0x23FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
)

#: Of those blocks, the characters WenQuanYi Micro Hei or Noto Sans CJK (the fonts the sign-in
#: sheet and the ledger are printed with: Debian's fonts-wqy-microhei and fonts-noto-cjk) do
#: carry, as measured from the fonts' character maps: ★ ☆ ☎ ♀ ♂ ✓ ✔ ❶ … ➓ and the like.
_IN_CJK_FONTS: tuple[tuple[int, int], ...] = (
    (0x2305, 0x230B), (0x2312, 0x2312), (0x2318, 0x2318), (0x2329, 0x232A),
    (0x23AF, 0x23B1), (0x23BE, 0x23CC), (0x23CE, 0x23CE), (0x23DA, 0x23DB),
    (0x2600, 0x2603), (0x2605, 0x2606), (0x2609, 0x2609), (0x260E, 0x260F),
    (0x2616, 0x2617), (0x261C, 0x261F), (0x262F, 0x262F), (0x2640, 0x2642),
    (0x2654, 0x266F), (0x2672, 0x267D), (0x2680, 0x2685), (0x26A0, 0x26A0),
    (0x26BD, 0x26BE), (0x2702, 0x2702), (0x2713, 0x2716), (0x2718, 0x2718),
    (0x271A, 0x271A), (0x2727, 0x2727), (0x273D, 0x273D), (0x273F, 0x2740),
    (0x2756, 0x2756), (0x2776, 0x2793), (0x27A1, 0x27A1), (0x2B05, 0x2B07),
    (0x2B1A, 0x2B1A), (0x2B95, 0x2B95),
)  # fmt: skip

#: What rides on a character without a glyph of its own: variation selectors and the joiner
#: (ignored where they follow a printable character: they print nothing), enclosing marks,
#: skin tones and tags (named together with the character they change).
_IGNORED = re.compile("[\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_RIDERS = re.compile(
    "[\u200d\u20dd-\u20e4\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
    "\U000e0100-\U000e01ef]"
)


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= code <= last for first, last in ranges)


def _prints(char: str) -> bool:
    code = ord(char)
    if unicodedata.category(char) in ("Co", "Cn", "Cs"):
        return False  # private use (no font has it), unassigned, a lone surrogate
    if code >= 0x10000:
        # CJK ideographs beyond the basic plane (扩展 B 起) are kept: Noto CJK carries those
        # of the 通用规范汉字表 that names use, and refusing one would bar a real name. The
        # rest of those planes (emoji, pictographs, historic scripts, styled maths letters)
        # is in no CJK font.
        return 0x20000 <= code <= 0x3FFFF
    if _in(code, _PICTOGRAPH_BLOCKS):
        return _in(code, _IN_CJK_FONTS)
    # Enclosing marks (the keycap of 1️⃣) have no glyph in the CJK fonts.
    return unicodedata.category(char) != "Me"


def unprintable(text: str) -> str | None:
    """The first character of `text` the bundled CJK fonts cannot print (an emoji, a
    private-use character, a pictograph those fonts lack), with the selectors and joiners
    riding on it so that it reads as the user typed it; None when all of `text` prints.

    Only symbols are judged: letters of other scripts (Latin, Uyghur, Tibetan…) are left to
    the system's other fonts, so a real name in another script is never refused."""
    if text.isascii():
        return None
    for index, char in enumerate(text):
        if _IGNORED.fullmatch(char) or (_prints(char) and not _RIDERS.fullmatch(char)):
            continue
        start = index
        if _RIDERS.fullmatch(char):  # a keycap or the like: name it with what it encloses
            while start > 0 and _IGNORED.fullmatch(text[start - 1]):
                start -= 1
            start = max(start - 1, 0)
        end = index + 1
        while end < len(text) and (_RIDERS.fullmatch(text[end]) or text[end - 1] == "\u200d"):
            end += 1
        if _is_flag_half(char) and end < len(text) and _is_flag_half(text[end]):
            end += 1  # a flag is two regional indicators
        return text[start:end]
    return None


def _is_flag_half(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def unprintable_problem(text: str, what: str) -> str | None:
    """The sentence refusing `text` as the field `what` ("姓名中的“😀”无法打印，请删去。"), or
    None. The one rule for names and free text typed, pasted or imported: the record is
    printed (sign-in sheet, ledger) with CJK fonts, and a character they lack prints as a box."""
    found = unprintable(text)
    return None if found is None else f"{what}中的“{found}”无法打印，请删去。"


def printing_problem(fields: dict[str, str]) -> str | None:
    """The sentence for the first of `fields` (what the user calls the field → its text)
    holding a character the record cannot print; None when every one prints. What a
    dialog shows at OK."""
    for what, text in fields.items():
        problem = unprintable_problem(text, what)
        if problem:
            return problem
    return None


def refuse_unprintable(fields: dict[str, str]) -> None:
    """Raise ValidationError with `printing_problem`'s sentence, if there is one: what a use
    case does before it writes."""
    problem = printing_problem(fields)
    if problem:
        raise ValidationError(problem)
