"""The central group's members: who belongs, in what order, and from when to when.

A member is never deleted when they leave: `active_to` closes their period, so the attendance
of past sessions keeps the people who were expected then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from studyplan.model.errors import ValidationError
from studyplan.model.text import printable_text, refuse_unprintable

#: The roles a member holds in the group, in the order the roster lists them.
ROLES: tuple[str, ...] = ("组长", "副组长", "成员", "学习秘书", "列席")


DEFAULT_ROLE = "成员"


#: Longest name accepted; anything longer is a cell pasted into the wrong column.
MAX_NAME_LENGTH = 40


#: Why an import skips a row whose 姓名 cell is not text, by what the cell held instead
#: (`RosterRow.name_kind`): a number or TRUE there is a column mix-up, never a person.
NAME_NOT_TEXT: dict[str, str] = {
    "number": "姓名是数字，不是文字",
    "boolean": "姓名是逻辑值（TRUE/FALSE），不是文字",
    "date": "姓名是日期，不是文字",
}


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


_DOTS = re.compile("\\s*[\u00b7\u2022\u2027\u30fb\uff65]\\s*")


@cache
def _cjk() -> re.Pattern[str]:
    """Compiled when a name is first checked: its ranges past the BMP take a millisecond or
    two to compile, which the window's start-up need not spend."""
    return re.compile(
        "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        "\U00020000-\U0003134f\u00b7]"
    )


def _is_cjk(char: str) -> bool:
    return bool(_cjk().match(char))


def normalize_text(text: object) -> str:
    """Trim and collapse every run of whitespace (full-width, NBSP, tabs, line breaks) to one
    space, so the same position typed twice compares equal; control characters go too
    (`printable_text`), so no export fails on them."""
    if text is None:
        return ""
    return " ".join(printable_text(_INVISIBLE.sub("", str(text))).split())


def normalize_name(text: object) -> str:
    """A name as it is stored and matched: spaces inside a Chinese name are padding, not
    part of it ("赵　磊" → "赵磊", "欧阳 明 华" → "欧阳明华"); a space between Latin words
    stays ("John Smith"). The middle dot of transliterated names is unified to "·"."""
    words = normalize_text(text)
    words = _DOTS.sub("\u00b7", words)
    parts = words.split(" ")
    if not parts or parts == [""]:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if _is_cjk(out[-1]) and _is_cjk(part[0]):
            out += part
        else:
            out += " " + part
    return out


@dataclass(frozen=True)
class Member:
    """One person on the roster; `rank` is their place in the list (组长 first)."""

    name: str
    position: str = ""
    role: str = DEFAULT_ROLE
    department: str = ""
    rank: int = 0
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    id: int | None = None

    def on_roster(self, day: dt.date) -> bool:
        """Not gone by `day`: their last day, if set, is `day` or later. A member whose
        joining day is still ahead is on the roster already (but not yet expected)."""
        return self.active_to is None or self.active_to >= day

    def expected_on(self, day: dt.date) -> bool:
        """Whether the member belonged to the group on `day`, so was expected at its session.
        The SQL twin is `store.members.in_group_on`."""
        joined = self.active_from is None or self.active_from <= day
        return joined and self.on_roster(day)

    @property
    def label(self) -> str:
        """Name with position, which tells apart two people of the same name."""
        return f"{self.name}（{self.position}）" if self.position else self.name


def display_name(member: Member, roster: Iterable[Member]) -> str:
    """The name a member is shown by: the name alone, or, when another member of `roster`
    (present or past) has the same name, the name with what tells them apart: department,
    else position, else both, else the member's number. The one rule for every list,
    dialog, message and export that names a member."""
    namesakes = [m for m in roster if m.name == member.name and m.id != member.id]
    if not namesakes:
        return member.name
    for fields in (("department",), ("position",), ("department", "position")):

        def detail(m: Member, fields: tuple[str, ...] = fields) -> str:
            return "，".join(getattr(m, f) for f in fields if getattr(m, f))

        mine = detail(member)
        if mine and all(detail(m) != mine for m in namesakes):
            return f"{member.name}（{mine}）"
    return f"{member.name}（编号 {member.id}）"


def display_names(roster: Iterable[Member]) -> dict[int, str]:
    """Member id -> `display_name`, for a whole roster at once."""
    members = list(roster)
    by_name: dict[str, list[Member]] = {}
    for m in members:
        by_name.setdefault(m.name, []).append(m)
    return {m.id: display_name(m, by_name[m.name]) for m in members if m.id is not None}


@dataclass(frozen=True)
class ImportLine:
    """One line of an import report: the spreadsheet row, the name and why."""

    row: int
    name: str
    reason: str = ""
    #: A new member who shares a current member's name (see `SAME_NAME_NOTE`).
    namesake: bool = False


#: Said of a new member whose name a current member has, with a different position and
#: department: two people, or one moved and promoted?
SAME_NAME_NOTE = "与现有成员{others}同名而{fields}不同，已按另一人新增"


@dataclass
class ImportReport:
    """What a roster import did, row by row, for the secretary to check."""

    source: str = ""
    sheet: str = ""
    added: list[ImportLine] = field(default_factory=list)
    updated: list[ImportLine] = field(default_factory=list)
    unchanged: list[ImportLine] = field(default_factory=list)
    skipped: list[ImportLine] = field(default_factory=list)
    #: Current members the file does not list: perhaps they left; nothing was changed.
    not_in_file: list[Member] = field(default_factory=list)
    #: Sentences about two people of one name: two rows of the file, or a new member
    #: named as one already on the roster.
    same_names: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = (
            f"新增 {len(self.added)} 人，更新 {len(self.updated)} 人，"
            f"无变化 {len(self.unchanged)} 人，跳过 {len(self.skipped)} 行。"
        )
        if self.not_in_file:
            text += (
                f"另有 {len(self.not_in_file)} 名现有成员不在名单中，"
                "排到了名单所列成员之后，其他信息未作改动。"
            )
        return text


def _clean(member: Member) -> Member:
    """Normalise the text fields and check the rules every stored member obeys."""
    name = normalize_name(member.name)
    if not name:
        raise ValidationError("成员姓名不能为空。")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"成员姓名过长（不超过 {MAX_NAME_LENGTH} 个字）：{name[:20]}…")
    if (
        member.active_from is not None
        and member.active_to is not None
        and member.active_to < member.active_from
    ):
        raise ValidationError(f"{name} 的离组日期不能早于加入日期。")
    refuse_unprintable(
        {"姓名": name, "职务": member.position, "组内角色": member.role, "部门": member.department}
    )
    return replace(
        member,
        name=name,
        position=normalize_text(member.position),
        role=normalize_text(member.role) or DEFAULT_ROLE,
        department=normalize_text(member.department),
    )


def _parse_rank(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,6}", text):
        return int(text)
    return None
