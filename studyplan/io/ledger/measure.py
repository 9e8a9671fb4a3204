"""How much room a text takes in a cell: its display width and the lines it wraps to."""

from __future__ import annotations

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


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line may break between: each wide (CJK) character, each run of spaces, and
    runs of other characters (which may break after a dash or slash)."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char.isspace() or is_wide(char):
            if word:
                tokens.append(word)
                word = ""
            if char.isspace() and tokens and tokens[-1].isspace():
                tokens[-1] += char
            else:
                tokens.append(char)
            continue
        word += char
        if char in "-–—/":
            tokens.append(word)
            word = ""
    if word:
        tokens.append(word)
    return tokens


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
        for token in _tokens(paragraph):
            size: float = display_width(token)
            if token.isspace():
                used += size
                continue
            if used and used + size > usable:
                lines += 1
                used = 0.0
            while size > usable:
                lines += 1
                size -= usable
            used += size
        total += lines
    return total
