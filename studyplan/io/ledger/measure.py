"""How much room a text takes in a cell: its display width and the lines it wraps to."""

from __future__ import annotations

import re
from functools import lru_cache

from studyplan.model.text import display_width, is_wide

#: A CJK character of 11 pt 宋体 is a little wider than two Excel width units, and wider
#: still in the fallback fonts LibreOffice uses where 宋体 is missing.
CJK_SLACK = 1.10


@lru_cache(maxsize=8192)
def text_width(text: str) -> int:
    """The display width of the widest line of `text`."""
    if "\n" not in text:
        return display_width(text)
    return max(display_width(line) for line in text.split("\n"))


class _CharKinds(dict):
    """Code point -> how a line may break around that character: "s" a space, "w" a wide
    (CJK) character, "d" a dash or slash (a break may follow it), "n" any other. Filled as
    characters are met, for `str.translate` to spell out a paragraph's kinds at C speed."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isspace():
            kind = "s"
        elif is_wide(char):
            kind = "w"
        elif char in "-–—/":
            kind = "d"
        else:
            kind = "n"
        self[code] = kind
        return kind


_KINDS = _CharKinds()
#: The pieces a line may break between: each run of spaces, each wide character (a run of
#: them, taken one by one), and runs of other characters, ended after a dash or slash.
_PIECES = re.compile(r"s+|w+|n*d|n+")


@lru_cache(maxsize=8192)
def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell `width` units wide needs for `text`, breaking as Excel and
    LibreOffice do: between CJK characters, at spaces, after dashes."""
    usable = max((width - 1) / CJK_SLACK, 1)
    total = 0
    for paragraph in text.split("\n"):
        if display_width(paragraph) <= usable:
            total += 1  # fits on one line: no break can happen in it
            continue
        lines, used = 1, 0.0
        kinds = paragraph.translate(_KINDS)
        for piece in _PIECES.finditer(kinds):
            start, end = piece.span()
            kind = kinds[start]
            if kind == "s":
                used += display_width(paragraph[start:end])
                continue
            if kind == "w" and usable >= 2:
                lines, used = _wide_run(end - start, lines, used, usable)
                continue
            # A run of wide characters is so many pieces of 2; another run is one piece as
            # wide as it is long (it holds no wide character).
            sizes = (2,) * (end - start) if kind == "w" else (end - start,)
            for whole in sizes:
                size: float = whole
                if used and used + size > usable:
                    lines += 1
                    used = 0.0
                while size > usable:
                    lines += 1
                    size -= usable
                used += size
        total += lines
    return total


def _wide_run(count: int, lines: int, used: float, usable: float) -> tuple[int, float]:
    """(lines, room used on the last) after `count` wide characters, each a piece of 2, on
    lines `usable` wide (at least 2): the pieces one by one until a line is begun, then
    whole lines of them at once (the same sums, exact in whole numbers)."""
    while count and used:
        if used + 2 > usable:
            lines += 1
            used = 0.0
            break
        used += 2
        count -= 1
    if count:
        per_line = int(usable // 2)
        breaks = (count - 1) // per_line
        lines += breaks
        used = float(2 * (count - breaks * per_line))
    return lines, used
