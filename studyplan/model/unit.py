"""The unit (单位) a record belongs to, as its documents name it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyplan.model.errors import ValidationError
from studyplan.model.text import refuse_unprintable

GROUP = "理论学习中心组"
#: The group's name in documents until the secretary sets another.
DEFAULT_GROUP_NAME = "党组理论学习中心组"
#: Longest text a unit detail may have: a full unit name fits, a pasted paragraph does not.
MAX_DETAIL_LENGTH = 60


@dataclass(frozen=True)
class UnitDetails:
    """Who keeps this record (设置 → 单位信息): every document, the ledger and the sign-in
    sheet name the unit from here."""

    name: str = ""
    group: str = DEFAULT_GROUP_NAME
    secretary: str = ""
    phone: str = ""

    def check(self) -> UnitDetails:
        """These details with each text trimmed; ValidationError naming a field too long."""
        cleaned = UnitDetails(
            " ".join(self.name.split()),
            " ".join(self.group.split()) or DEFAULT_GROUP_NAME,
            " ".join(self.secretary.split()),
            " ".join(self.phone.split()),
        )
        for label, value in (
            ("单位名称", cleaned.name),
            ("中心组名称", cleaned.group),
            ("学习秘书", cleaned.secretary),
            ("联系电话", cleaned.phone),
        ):
            if len(value) > MAX_DETAIL_LENGTH:
                raise ValidationError(f"{label}过长（不超过 {MAX_DETAIL_LENGTH} 个字）。")
            refuse_unprintable({label: value})
        return cleaned


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
