"""How wide text stands in a fixed-width cell: the sign-in sheet, the ledger, the terminal.

Chinese characters take two columns where Latin letters take one; every place that sizes a
column or breaks a line counts the same way, here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def is_wide(char: str) -> bool:
    """An East-Asian wide or full-width character, two columns wide."""
    return unicodedata.east_asian_width(char) in "WF"


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns `text` takes: wide and full-width characters count 2, the others 1 (also the
    width in Excel character units)."""
    if text.isascii():
        return len(text)
    return sum(2 if is_wide(c) else 1 for c in text)
