"""Reading the member list (成员名单) from the .xlsx (or old .xls) the office keeps.

Real rosters have a title row or two, a header somewhere near the top, blank separator rows
and columns in any order. This module only turns the sheet into rows of text; matching the
rows to stored members is the roster service's job. Any file it cannot read becomes an
ImportFileError with one sentence, before anything is written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.parsers import expat

from studyplan.io.files import check_read_source, unzipped_size
from studyplan.model.errors import ImportFileError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
MAX_DATA_ROWS = 5000
#: Most merged cells a sheet may have; a real roster has a few per department at most.
MAX_MERGED_RANGES = 4 * MAX_DATA_ROWS

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

#: Columns whose merged cell holds one value for every row it covers: a department written
#: once beside the people in it. 姓名 is not among them (see `read_roster`), nor 序号.
SPREAD_FIELDS: tuple[str, ...] = ("position", "role", "department")
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


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


#: Stream names in an OLE compound file's directory, and what kind of file holds each.
_OLE_STREAMS: tuple[tuple[bytes, str], ...] = (
    (_ENCRYPTION_MARK, "encrypted"),
    (_utf16("WordDocument"), "word"),
    (_utf16("PowerPoint Document"), "powerpoint"),
    (_utf16("Workbook"), "xls"),
    (_utf16("Book"), "xls"),
)
#: Folders of an Office Open XML zip, and what kind of file holds each.
_ZIP_PARTS: tuple[tuple[str, str], ...] = (("word/", "word"), ("ppt/", "powerpoint"))

#: What to say of a file that is not a spreadsheet, by its kind.
_NOT_A_SHEET = {
    "word": "该文件是 Word 或 WPS 文字文档，不是表格",
    "powerpoint": "该文件是演示文稿，不是表格",
    "pdf": "该文件是 PDF 文档，无法从中读取名单",
}
_WAY_FORWARD = "请把成员名单整理在 Excel 或 WPS 表格中（.xlsx 或 .xls）后再导入"


def _kind(path: Path) -> str:
    """ "xlsx" or "xls" for a spreadsheet this reads; else "word", "powerpoint", "pdf",
    "encrypted" or "unknown", told by the file's content, not its name."""
    with path.open("rb") as fh:
        data = fh.read()  # at most MAX_FILE_BYTES, checked before
    if data.startswith(_OLE_MAGIC):
        return next((kind for mark, kind in _OLE_STREAMS if mark in data), "unknown")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    return "unknown"


def _zip_kind(path: Path) -> str:
    """ "word" or "powerpoint" for such an Office file, else "xlsx" (read from the zip's
    directory alone: nothing is inflated)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "xlsx"  # openpyxl then says it is damaged
    for folder, kind in _ZIP_PARTS:
        if any(name.startswith(folder) for name in names):
            return kind
    return "xlsx"


def _check_file(path: Path) -> str:
    """Refuse, with a sentence, anything that is not a readable .xlsx or .xls of sensible
    size; the kind ("xlsx" or "xls") otherwise."""
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    if path.is_dir():
        raise ImportFileError(f"选择的是一个文件夹，不是 Excel 文件：{path}")
    check_read_source(path, "Excel 文件")  # a pipe or a device: reading it would never end
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"文件是空的，没有可导入的名单：{path.name}")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"文件超过 50 MB，不像是成员名单，请检查后再导入：{path.name}")
    kind = _kind(path)
    if kind == "zip":
        total = unzipped_size(path)
        if total is None:
            raise ImportFileError(f"Excel 文件已损坏，无法读取：{path.name}")
        if total > MAX_UNZIPPED_BYTES:
            raise ImportFileError(f"Excel 文件内容过大，不像是成员名单：{path.name}")
        kind = _zip_kind(path)
    if kind == "encrypted":
        raise ImportFileError(
            f"该 Excel 文件设有打开密码，请在 Excel 中取消密码并保存后再导入：{path.name}"
        )
    if kind in _NOT_A_SHEET:
        raise ImportFileError(f"{_NOT_A_SHEET[kind]}；{_WAY_FORWARD}：{path.name}")
    if kind == "unknown":
        raise ImportFileError(f"该文件不是 Excel 工作簿（.xlsx 或 .xls），无法导入：{path.name}")
    return kind


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
    if _check_file(path) == "xls":
        return _first_roster(_xls_sheets(path), path)
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
        f"文件中没有找到“姓名”列（应在前 {HEADER_SEARCH_ROWS} 行内），"
        f"请确认这是成员名单：{path.name}"
    )


class _StopParsing(Exception):
    """Raised from the expat handlers once the merged cells have been read."""


class _UnsafeXml(Exception):
    """A DOCTYPE or entity declaration, which no spreadsheet writer puts in a sheet."""


def _merged_refs(source: Any, path: Path) -> list[str]:
    """The refs ("D2:D4") of the <mergeCell> elements in a worksheet's XML stream.

    Read-only worksheets do not expose merged cells: openpyxl reads <mergeCells> only when it
    loads the whole sheet, cells, styles and all, into memory. Expat streams the XML in
    chunks without building a tree, and stops at </mergeCells>, so this costs one more pass
    of the parser over the sheet and next to no memory, however large the file.
    """
    refs: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "mergeCell" and "ref" in attrs:
            refs.append(attrs["ref"])
            if len(refs) > MAX_MERGED_RANGES:
                raise ImportFileError(
                    f"名单中的合并单元格超过 {MAX_MERGED_RANGES} 个，不像是成员名单：{path.name}"
                )

    def end(name: str) -> None:
        if name.rpartition(" ")[2] == "mergeCells":
            raise _StopParsing

    def unsafe(*_args: Any) -> None:
        raise _UnsafeXml

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = unsafe
    parser.EntityDeclHandler = unsafe
    try:
        while chunk := source.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _StopParsing:
        pass
    return refs


@dataclass
class _Merges:
    """The merged cells below the header that the rows need: which cells take their value
    from another (the top-left cell of their range), and which rows continue a person whose
    姓名 cell is merged over several rows."""

    #: 1-based column -> sorted (first row, last row, anchor row, anchor column) of its ranges.
    spans: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    #: Anchor cells (row, column) whose value the rows below will need.
    anchors: set[tuple[int, int]] = field(default_factory=set)
    #: Sorted (first row, last row) of the 姓名 cells merged over several rows.
    names: list[tuple[int, int]] = field(default_factory=list)
    #: Values seen at the anchor cells so far (rows are read top to bottom).
    values: dict[tuple[int, int], Any] = field(default_factory=dict)

    @classmethod
    def read(cls, sheet: Any, header_row: int, columns: dict[str, int], path: Path) -> _Merges:
        from openpyxl.utils.cell import range_boundaries

        merges = cls()
        refs = getattr(sheet, "merged_refs", None)
        if refs is None:
            get_source = getattr(sheet, "_get_source", None)
            if get_source is None:  # not a read-only sheet: nothing to read the XML from
                return merges
            with get_source() as source:
                refs = _merged_refs(source, path)
        spread = {columns[key] + 1 for key in SPREAD_FIELDS if key in columns}
        name_column = columns["name"] + 1
        for ref in refs:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (TypeError, ValueError):
                continue  # a ref Excel would not write: leave those cells as they are
            if None in (min_col, min_row, max_col, max_row) or min_row <= header_row:
                continue  # a title or a header spanning rows is not data
            assert min_col and min_row and max_col and max_row
            hit = [c for c in spread if min_col <= c <= max_col]
            for column in hit:
                merges.spans.setdefault(column, []).append((min_row, max_row, min_row, min_col))
            if hit:
                merges.anchors.add((min_row, min_col))
            if min_col <= name_column <= max_col and max_row > min_row:
                merges.names.append((min_row, max_row))
        for spans in merges.spans.values():
            spans.sort()
        merges.names.sort()
        return merges

    def note(self, number: int, values: tuple[Any, ...]) -> None:
        """Keep the values of anchor cells in row `number` for the rows below."""
        for column, value in enumerate(values, start=1):
            if (number, column) in self.anchors:
                self.values[(number, column)] = value

    def name_start(self, number: int) -> int | None:
        """The first row of the merged 姓名 cell that row `number` continues, if any."""
        index = bisect.bisect_right(self.names, (number, float("inf"))) - 1
        if index < 0:
            return None
        first, last = self.names[index]
        return first if first < number <= last else None

    def value(self, number: int, column: int, own: Any) -> Any:
        """The value cell (number, column) shows: its own, or its merged range's."""
        spans = self.spans.get(column)
        if not spans:
            return own
        index = bisect.bisect_right(spans, (number, float("inf"))) - 1
        if index < 0:
            return own
        first, last, anchor_row, anchor_column = spans[index]
        if not first <= number <= last or (number, column) == (anchor_row, anchor_column):
            return own
        return self.values.get((anchor_row, anchor_column), own)


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
        if len(top) >= HEADER_SEARCH_ROWS:
            break
    header = _find_header(top)
    if header is None:
        return None
    header_index, columns = header
    result = RosterSheet(str(path), sheet.title, header_index + 1, columns)
    merges = _Merges.read(sheet, header_index + 1, columns, path)
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
        if len(result.rows) >= MAX_DATA_ROWS:
            raise ImportFileError(f"名单超过 {MAX_DATA_ROWS} 行，不像是中心组成员名单：{path.name}")
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


# -- old Excel files (.xls) ---------------------------------------------------------------


@dataclass
class _XlsSheet:
    """A sheet of an .xls workbook, shaped like the openpyxl sheets `_read_sheet` reads."""

    title: str
    rows: list[tuple[Any, ...]]
    merged_refs: list[str]

    def iter_rows(self, values_only: bool = True) -> Any:
        return iter(self.rows)


def _xls_sheets(path: Path) -> list[_XlsSheet]:
    """The sheets of an .xls workbook (Excel 97–2003, as WPS and old systems still save
    them), the active one first, with Excel's values: whole numbers as int, dates as dates."""
    import xlrd
    from openpyxl.utils import get_column_letter

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise ImportFileError(
                f"该 Excel 文件设有打开密码，请在 Excel 中取消密码并保存后再导入：{path.name}"
            ) from exc
        raise ImportFileError(f"Excel 文件已损坏或格式不受支持，无法读取：{path.name}") from exc
    except Exception as exc:  # xlrd raises many kinds for damaged files
        raise ImportFileError(f"Excel 文件已损坏，无法读取：{path.name}") from exc

    def value(cell: Any) -> Any:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
            return int(cell.value)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        return cell.value

    try:
        order = list(range(book.nsheets))
        active = next((i for i in order if book.sheet_by_index(i).sheet_selected), 0)
        order.remove(active)
        sheets = []
        for index in [active, *order]:
            sheet = book.sheet_by_index(index)
            rows = [
                tuple(value(cell) for cell in sheet.row(r))
                for r in range(min(sheet.nrows, MAX_DATA_ROWS + HEADER_SEARCH_ROWS))
            ]
            refs = [
                f"{get_column_letter(clo + 1)}{rlo + 1}:{get_column_letter(chi)}{rhi}"
                for rlo, rhi, clo, chi in sheet.merged_cells[:MAX_MERGED_RANGES]
            ]
            sheets.append(_XlsSheet(sheet.name, rows, refs))
        return sheets
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"Excel 文件已损坏，读取时出错：{path.name}") from exc
    finally:
        book.release_resources()
