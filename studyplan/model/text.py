"""Text as the record keeps it: which characters may be kept, and how wide text stands in a
fixed-width cell (the sign-in sheet, the ledger, the terminal).

Chinese characters take two columns where Latin letters take one; every place that sizes a
column or breaks a line counts the same way, here.
"""

from __future__ import annotations

import re
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


#: Control characters (C0 but tab and line feed, DEL, C1) and NUL: invisible, meaningless in a
#: plan, a roster or minutes, and refused by the .xlsx format, so one of them kept in a topic
#: would make every later ledger export fail.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable_text(text: str) -> str:
    """`text` without control characters or NUL; line breaks (\\r\\n, \\r) become \\n and tabs
    stay. The one rule for text coming into the record, from a file or the window."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
