"""Reading the member list (成员名单) from the .xlsx the office keeps.

Real rosters have a title row or two, a header somewhere near the top, blank separator rows
and columns in any order. This module only turns the sheet into rows of text; matching the
rows to stored members is the roster service's job. Any file it cannot read becomes an
ImportFileError with one sentence, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyplan.errors import ImportFileError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
MAX_DATA_ROWS = 5000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")

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


@dataclass(frozen=True)
class RosterRow:
    """One data row as text; `row` is the spreadsheet row number the secretary sees."""

    row: int
    name: str
    number: str = ""
    position: str = ""
    role: str = ""
    department: str = ""


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
    return str(value).strip()


def _header_key(value: Any) -> str | None:
    text = "".join(cell_text(value).split()).rstrip(":：*")
    return HEADER_ALIASES.get(text)


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """(0-based index of the header row, field -> column) for the first row naming 姓名."""
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, value in enumerate(values):
            key = _header_key(value)
            if key is not None and key not in columns:
                columns[key] = column
        if "name" in columns:
            return index, columns
    return None


def _check_file(path: Path) -> None:
    """Refuse, with a sentence, anything that is not a readable .xlsx of sensible size."""
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    if path.is_dir():
        raise ImportFileError(f"选择的是一个文件夹，不是 Excel 文件：{path}")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"文件是空的，没有可导入的名单：{path.name}")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"文件超过 50 MB，不像是成员名单，请检查后再导入：{path.name}")
    with path.open("rb") as fh:
        head = fh.read(8)
        if head == _OLE_MAGIC:
            if _ENCRYPTION_MARK in fh.read():
                raise ImportFileError(
                    f"该 Excel 文件设有打开密码，请在 Excel 中取消密码并保存后再导入：{path.name}"
                )
            raise ImportFileError(
                f"该文件是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 后再导入：{path.name}"
            )
    if head[:4] != _ZIP_MAGIC:
        raise ImportFileError(f"该文件不是 Excel 工作簿（.xlsx），无法导入：{path.name}")
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise ImportFileError(f"Excel 文件已损坏，无法读取：{path.name}") from exc
    if total > MAX_UNZIPPED_BYTES:
        raise ImportFileError(f"Excel 文件内容过大，不像是成员名单：{path.name}")


def read_roster(path: str | Path) -> RosterSheet:
    """Read the roster rows from the first sheet that has a 姓名 column near its top.

    Blank rows are skipped; rows with other cells but no name are kept (with name "") so the
    import report can point at them.
    """
    import openpyxl

    path = Path(path)
    _check_file(path)
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
        for sheet in sheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            found = _read_sheet(sheet, path)
            if found is not None:
                return found
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"Excel 文件已损坏，读取时出错：{path.name}") from exc
    finally:
        workbook.close()
    raise ImportFileError(
        f"文件中没有找到“姓名”列（应在前 {HEADER_SEARCH_ROWS} 行内），"
        f"请确认这是成员名单：{path.name}"
    )


def _read_sheet(sheet: Any, path: Path) -> RosterSheet | None:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
    rows = sheet.iter_rows(values_only=True)
    top: list[tuple[Any, ...]] = []
    for values in rows:
        top.append(tuple(values))
        if len(top) >= HEADER_SEARCH_ROWS:
            break
    header = _find_header(top)
    if header is None:
        return None
    header_index, columns = header
    result = RosterSheet(str(path), sheet.title, header_index + 1, columns)

    def pick(values: tuple[Any, ...], key: str) -> str:
        column = columns.get(key)
        if column is None or column >= len(values):
            return ""
        return cell_text(values[column])

    def take(number: int, values: tuple[Any, ...]) -> None:
        texts = {key: pick(values, key) for key in columns}
        if not any(texts.values()):
            return
        if len(result.rows) >= MAX_DATA_ROWS:
            raise ImportFileError(f"名单超过 {MAX_DATA_ROWS} 行，不像是中心组成员名单：{path.name}")
        result.rows.append(
            RosterRow(
                row=number,
                name=texts.get("name", ""),
                number=texts.get("number", ""),
                position=texts.get("position", ""),
                role=texts.get("role", ""),
                department=texts.get("department", ""),
            )
        )

    for index in range(header_index + 1, len(top)):
        take(index + 1, top[index])
    for number, values in enumerate(rows, start=len(top) + 1):
        take(number, tuple(values))
    return result


# --------------------------------------------------------------------------- sample file

SAMPLE_TITLE = "市科学技术局理论学习中心组成员名单"
SAMPLE_MEMBERS: tuple[tuple[str, str, str, str], ...] = (
    ("王建国", "局党组书记、局长", "组长", "局领导"),
    ("李红梅", "局党组成员、副局长", "副组长", "局领导"),
    ("张志强", "局党组成员、副局长", "副组长", "局领导"),
    ("陈晓东", "局党组成员、副局长", "副组长", "局领导"),
    ("刘  洋", "驻局纪检监察组组长", "成员", "驻局纪检监察组"),
    ("赵　磊", "局党组成员、机关党委书记", "成员", "机关党委"),
    ("孙丽华", "一级调研员", "成员", "局领导"),
    ("周文斌", "主任", "成员", "办公室"),
    ("吴晓燕", "处长", "成员", "政策法规处"),
    ("郑  伟", "处长", "成员", "科技计划处"),
    ("欧阳明华", "处长", "成员", "高新技术处"),
    ("黄海涛", "处长", "成员", "成果转化处"),
    ("马丽娟", "处长", "成员", "人事处"),
    ("何雨晴", "副主任", "学习秘书", "办公室"),
)


def write_sample_roster(path: str | Path) -> Path:
    """Write the sample roster a new user can try the import with (a title row above the
    header, as real rosters have)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "成员名单"
    sheet.append([SAMPLE_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["序号", "姓名", "职务", "角色", "部门"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, (name, position, role, department) in enumerate(SAMPLE_MEMBERS, start=1):
        sheet.append([number, name, position, role, department])
    for column, width in zip("ABCDE", (6, 12, 28, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path
