"""三张清单 as one printable workbook (.xlsx): the list sheets of the ledger, alone, with
the ledger's A4 layout, for the secretary to print and hand round."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyplan.io.files import atomic_write
from studyplan.io.ledger.data import EMPTY_NOTE, GROUP
from studyplan.io.ledger.layout import Styles
from studyplan.io.ledger.list_sheets import LIST_SHEETS
from studyplan.model.duties import ListsData
from studyplan.model.errors import ExportFileError


@dataclass
class ListsWorkbook:
    """What the file shows: the unit's name and one year's lists."""

    org: str
    data: ListsData

    @property
    def year(self) -> int:
        return self.data.year

    @property
    def lists(self) -> list[ListsData]:
        return [self.data]

    def title(self, what: str) -> str:
        return f"{self.org}{self.year}年{GROUP}{what}"

    @property
    def empty_note(self) -> str:
        return EMPTY_NOTE


def write_lists(book: ListsWorkbook, path: str | Path) -> Path:
    """Write the list sheets of `book` to `path` (.xlsx); the file is replaced only when the
    new one is complete; ExportFileError for a folder that does not exist."""
    from openpyxl import Workbook

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"保存位置不存在：{folder}")
    wb = Workbook()
    wb.remove(wb.active)
    st = Styles()
    for write in LIST_SHEETS:
        write(wb, book, st, lambda _step: None)
    wb.active = 0
    return atomic_write(target, lambda tmp: wb.save(tmp))
