"""What a roster's header cells mean, and a cell as the secretary reads it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from studyplan.io.roster_import import limits
from studyplan.model.text import printable_text

#: Header text (spaces removed) -> the field it fills. 姓名 is required.
HEADER_ALIASES: dict[str, str] = {
    "姓名": "name",
    "序号": "number",
    "编号": "number",
    "排序": "number",
    "职务": "position",
    "职位": "position",
    "现任职务": "position",
    "角色": "role",
    "组内角色": "role",
    "中心组职务": "role",
    "部门": "department",
    "单位": "department",
    "处室": "department",
    "所在部门": "department",
    "所在单位": "department",
    "所在处室": "department",
    "工作单位": "department",
}

#: Columns whose merged cell holds one value for every row it covers: a department written
#: once beside the people in it. 姓名 is not among them (see `read_roster`), nor 序号.
SPREAD_FIELDS: tuple[str, ...] = ("position", "role", "department")


def cell_text(value: Any) -> str:
    """A cell as the secretary would read it: 3.0 → "3", a date → "2024-05-01"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return printable_text(str(value)).strip()


def _header_key(value: Any) -> str | None:
    text = "".join(cell_text(value).split()).rstrip(":：*")
    return HEADER_ALIASES.get(text)


def find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """(0-based index of the header row, field -> column) for the first row naming 姓名."""
    for index, values in enumerate(rows[: limits.HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(values):
            key = _header_key(value)
            if key is not None and key not in columns:
                columns[key] = column
        if "name" in columns:
            return index, columns
    return None
