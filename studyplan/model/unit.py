"""The unit (单位) a record belongs to, as its documents name it."""

from __future__ import annotations

import re

GROUP = "理论学习中心组"
_YEAR_IN_TITLE = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?")


def unit_from_plan_title(title: str | None) -> str:
    """The unit named in a plan title: the text before the year, or between the year and
    理论学习中心组 ("市科学技术局2026年理论学习中心组专题学习计划" → "市科学技术局";
    "2026年市科学技术局理论学习中心组学习计划" → "市科学技术局"); "" when it names none.

    The ledger, the sign-in sheet and every document take the unit from here."""
    text = " ".join((title or "").split())
    match = _YEAR_IN_TITLE.search(text)
    head = text[: match.start()] if match else ""
    if not head.strip() and GROUP in text:
        head = text[match.end() if match else 0 : text.index(GROUP)]
    return head.strip(' ：:，,、-—《》"“”')
