"""Reading the roster's rows from the first sheet with a 姓名 column near its top."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studyplan.io.roster_import import limits
from studyplan.io.roster_import.checks import check_file
from studyplan.io.roster_import.columns import SPREAD_FIELDS, cell_text, find_header
from studyplan.io.roster_import.merges import Merges
from studyplan.io.roster_import.xls import xls_sheets
from studyplan.model.errors import ImportFileError

#: Joined with "、" when a person's merged 姓名 cell spans rows that each hold one.
_JOINED_FIELDS = ("position", "department")


@dataclass(frozen=True)
class RosterRow:
    """One data row as text; `row` is the spreadsheet row number the secretary sees.

    `name_kind` is "" when the 姓名 cell held text, else what it held instead: "number",
    "boolean" or "date" (`name` is then that value as Excel shows it, e.g. "123", "TRUE"),
    so the import can skip the row and say why rather than add a member called "123".
    """

    row: int
    name: str
    number: str = ""
    position: str = ""
    role: str = ""
    department: str = ""
    name_kind: str = ""


@dataclass
class RosterSheet:
    """The rows of a roster and where they came from."""

    path: str
    sheet_name: str
    header_row: int
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column
    rows: list[RosterRow] = field(default_factory=list)

    @property
    def has_number(self) -> bool:
        return "number" in self.columns


def _name_kind(value: Any) -> str:
    """Empty for a 姓名 cell holding text (or nothing), else what it holds instead."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date | dt.time):
        return "date"
    return ""


def _name_text(value: Any) -> str:
    """A 姓名 cell as the secretary sees it in Excel: a boolean reads TRUE, not 是."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return cell_text(value)


def read_roster(path: str | Path) -> RosterSheet:
    """Read the roster rows from the first sheet that has a 姓名 column near its top.

    Blank rows are skipped; rows with other cells but no name are kept (with name "") so the
    import report can point at them.

    Merged cells are read as Excel shows them. A 部门, 职务 or 角色 cell merged over several
    rows gives its value to each of them. A 姓名 cell merged over several rows is one person:
    the rows below its first add to that person (an empty detail filled in, a second 职务 or
    部门 joined with "、") instead of becoming nameless rows of their own.
    """
    import openpyxl

    path = Path(path)
    if check_file(path) == "xls":
        return _first_roster(xls_sheets(path), path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportFileError(f"Excel 文件已损坏或格式不受支持，无法读取：{path.name}") from exc
    try:
        sheets = list(workbook.worksheets)
        active = workbook.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        return _first_roster([s for s in sheets if hasattr(s, "iter_rows")], path)  # no charts
    finally:
        workbook.close()


def _first_roster(sheets: list[Any], path: Path) -> RosterSheet:
    """The roster of the first sheet with a 姓名 column near its top."""
    try:
        for sheet in sheets:
            found = _read_sheet(sheet, path)
            if found is not None:
                return found
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"Excel 文件已损坏，读取时出错：{path.name}") from exc
    raise ImportFileError(
        f"文件中没有找到“姓名”列（应在前 {limits.HEADER_SEARCH_ROWS} 行内），"
        f"请确认这是成员名单：{path.name}"
    )


def _join(first: str, more: str) -> str:
    """`first`, with `more` added after "、" unless it says nothing new."""
    if not more or more in first.split("、"):
        return first
    return f"{first}、{more}" if first else more


def _read_sheet(sheet: Any, path: Path) -> RosterSheet | None:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
    rows = sheet.iter_rows(values_only=True)
    top: list[tuple[Any, ...]] = []
    for values in rows:
        top.append(tuple(values))
        if len(top) >= limits.HEADER_SEARCH_ROWS:
            break
    header = find_header(top)
    if header is None:
        return None
    header_index, columns = header
    result = RosterSheet(str(path), sheet.title, header_index + 1, columns)
    merges = Merges.read(sheet, header_index + 1, columns, path)
    #: First row of a person's merged 姓名 cell -> their place in result.rows.
    people: dict[int, int] = {}

    def pick(number: int, values: tuple[Any, ...], key: str) -> Any:
        column = columns.get(key)
        if column is None:
            return None
        own = values[column] if column < len(values) else None
        if key in SPREAD_FIELDS:
            return merges.value(number, column + 1, own)
        return own

    def take(number: int, values: tuple[Any, ...]) -> None:
        merges.note(number, values)
        if not any(cell_text(values[c]) for c in columns.values() if c < len(values)):
            return  # blank of its own: a merged cell beside it does not make it a row
        raw = {key: pick(number, values, key) for key in columns}
        texts = {key: cell_text(value) for key, value in raw.items()}
        first_row = merges.name_start(number)
        if first_row is not None and first_row in people:
            # The same person as the row their merged 姓名 cell starts on.
            index = people[first_row]
            person = result.rows[index]
            changes: dict[str, Any] = {
                key: _join(getattr(person, key), texts[key])
                if key in _JOINED_FIELDS
                else getattr(person, key) or texts[key]
                for key in ("number", "position", "role", "department")
                if key in texts
            }
            result.rows[index] = replace(person, **changes)
            return
        if len(result.rows) >= limits.MAX_DATA_ROWS:
            raise ImportFileError(
                f"名单超过 {limits.MAX_DATA_ROWS} 行，不像是中心组成员名单：{path.name}"
            )
        name = raw.get("name")
        people[number] = len(result.rows)
        result.rows.append(
            RosterRow(
                row=number,
                name=_name_text(name),
                number=texts.get("number", ""),
                position=texts.get("position", ""),
                role=texts.get("role", ""),
                department=texts.get("department", ""),
                name_kind=_name_kind(name),
            )
        )

    for number, values in itertools.chain(
        enumerate(top[header_index + 1 :], start=header_index + 2),
        enumerate(rows, start=len(top) + 1),
    ):
        if number > limits.MAX_SHEET_ROWS:
            raise ImportFileError(
                f"工作表“{sheet.title}”超过 {limits.MAX_SHEET_ROWS:,} 行，"
                f"不像是成员名单：{path.name}"
            )
        take(number, tuple(values))
    return result
