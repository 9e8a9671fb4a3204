"""The ledger's estimate of wrapped lines (`lines_needed`) breaks as the plain rule says:
between wide characters, at spaces, after dashes; the pieces taken a run at a time give the
same count as taking them a character at a time."""

from __future__ import annotations

import random

import pytest

from studyplan.io.ledger.measure import CJK_SLACK, lines_needed
from studyplan.model.text import display_width, is_wide


def reference_lines(text: str, width: float) -> int:
    """The rule written out a character at a time (as the ledger first estimated it)."""
    usable = max((width - 1) / CJK_SLACK, 1)
    total = 0
    for paragraph in text.split("\n"):
        if display_width(paragraph) <= usable:
            total += 1
            continue
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
        lines, used = 1, 0.0
        for token in tokens:
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


def test_known_cases() -> None:
    assert lines_needed("学习", 10) == 1
    assert lines_needed("学习\n计划", 10) == 2
    # 20 wide characters of 2 units, 9 units a line after the slack: 4 a line, 5 lines.
    assert lines_needed("学" * 20, 10.9) == 5
    assert lines_needed("2025-07-10 已举行", 8) == reference_lines("2025-07-10 已举行", 8)


@pytest.mark.parametrize("seed", range(4))
def test_same_count_as_one_character_at_a_time(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [*"学习中心组，。、（）：；-–—/abcXYZ019·Ａ《》", " ", "  ", "\t", "\u3000", "\n"]
    wide_heavy = ["学"] * 12 + pieces
    widths = [1, 1.5, 2, 3, 3.2, 3.3, 4, 5.4, 7.7, 9, 12.5, 14, 20, 22, 30, 36, 50, 56]
    for _ in range(400):
        alphabet = wide_heavy if rng.random() < 0.5 else pieces
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 160)))
        for width in widths:
            assert lines_needed(text, width) == reference_lines(text, width), (text, width)
