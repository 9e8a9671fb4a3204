"""Old Excel files (.xls), read with xlrd into sheets shaped like openpyxl's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyplan.io.roster_import import limits
from studyplan.model.errors import ImportFileError


@dataclass
class XlsSheet:
    """A sheet of an .xls workbook, shaped like the openpyxl sheets `_read_sheet` reads."""

    title: str
    rows: list[tuple[Any, ...]]
    merged_refs: list[str]

    def iter_rows(self, values_only: bool = True) -> Any:
        return iter(self.rows)


def xls_sheets(path: Path) -> list[XlsSheet]:
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
            # One row past the sheet limit, so the reader refuses a sheet that long with
            # its sentence instead of reading the first rows only.
            rows = [
                tuple(value(cell) for cell in sheet.row(r))
                for r in range(min(sheet.nrows, limits.MAX_SHEET_ROWS + 1))
            ]
            if len(sheet.merged_cells) > limits.MAX_MERGED_RANGES:
                limit = limits.MAX_MERGED_RANGES
                raise ImportFileError(
                    f"名单中的合并单元格超过 {limit} 个，不像是成员名单：{path.name}"
                )
            refs = [
                f"{get_column_letter(clo + 1)}{rlo + 1}:{get_column_letter(chi)}{rhi}"
                for rlo, rhi, clo, chi in sheet.merged_cells
            ]
            sheets.append(XlsSheet(sheet.name, rows, refs))
        return sheets
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"Excel 文件已损坏，读取时出错：{path.name}") from exc
    finally:
        book.release_resources()
