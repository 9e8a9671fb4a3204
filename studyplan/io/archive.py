"""学习档案专卷: the files that go with the volume — its 卷内目录 (.docx and .xlsx), the
manifest of SHA-256 sums an inspector checks the files against, the plan's topics as a Word
file when the plan file itself is not kept, and the .zip of the whole volume.

The manifest is in the format of `sha256sum` (`<hash>  <name>` a line, UTF-8), so
`sha256sum -c SHA256SUMS.txt` in the volume's folder checks every file.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studyplan.model.documents import title_lines
from studyplan.model.plan import Topic

CATALOGUE_STEM = "000-卷内目录"
MANIFEST_NAME = "SHA256SUMS.txt"
CATALOGUE_HEADERS = ("序号", "文件题名", "日期", "份数", "备注")

#: Characters Windows, macOS or a zip reader refuse in a file name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CatalogueEntry:
    """One file of the volume, as its 卷内目录 lists it."""

    number: int
    title: str
    date: str  # yyyy-mm-dd
    file_name: str
    copies: int = 1
    note: str = ""


def file_name(number: int, title: str, suffix: str) -> str:
    """The numbered name of a file in the volume, e.g. `003-2026-03-12 学习通知.docx`; the
    number keeps archive order in any file manager."""
    clean = _UNSAFE.sub("_", title).strip(" .") or "文件"
    # A name stays within 255 bytes with its number and suffix (ext4, NTFS alike).
    room = 240 - len(suffix.encode()) - 4
    while len(clean.encode()) > room:
        clean = clean[:-1]
    return f"{number:03d}-{clean}{suffix.lower()}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path, names: Sequence[str]) -> Path:
    """SHA256SUMS.txt in `folder` for the files `names` (in that order)."""
    lines = [f"{sha256_of(folder / name)}  {name}\n" for name in names]
    path = folder / MANIFEST_NAME
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return path


def write_catalogue_xlsx(title: str, entries: Sequence[CatalogueEntry], path: Path) -> Path:
    """The 卷内目录 as a workbook: one A4 sheet, the header repeated on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "卷内目录"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CATALOGUE_HEADERS))
    ws.cell(1, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    for col, header in enumerate(CATALOGUE_HEADERS, start=1):
        cell = ws.cell(2, col, header)
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    wrap = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center")
    for row, entry in enumerate(entries, start=3):
        values = (entry.number, entry.title, entry.date, entry.copies, entry.note)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.font = Font(name="宋体", size=11)
            cell.alignment = wrap if col in (2, 5) else centre
            cell.border = border
    for letter, width in zip("ABCDE", (7, 48, 12, 6, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    wb.save(path)
    return path


def _bundled(name: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("studyplan.io.documents") / "templates" / name))


def write_catalogue_docx(title: str, entries: Sequence[CatalogueEntry], path: Path) -> Path:
    """The 卷内目录 as a Word table in the official layout, its header repeated on every
    page (the bundled 卷内目录.docx, made by tools/make_report_templates.py)."""
    from studyplan.io.documents.render import render_docx

    rows = [
        {
            "number": e.number,
            "title": e.title,
            "date": e.date,
            "copies": e.copies,
            "note": e.note,
        }
        for e in entries
    ]
    values = {"title": title, "title_lines": title_lines(title), "entries": rows}
    render_docx(_bundled("卷内目录.docx"), values, path)
    return path


def write_plan_docx(title: str, topics: Sequence[Topic], path: Path) -> Path:
    """The plan's topics with their readings, when the imported plan file is not kept."""
    from studyplan.io.documents.render import render_docx

    rows = [
        {
            "number": t.number,
            "title": t.title,
            "description": t.description,
            "readings": list(t.readings),
        }
        for t in topics
    ]
    values = {"title": title, "title_lines": title_lines(title), "topics": rows}
    render_docx(_bundled("学习计划.docx"), values, path)
    return path


def zip_folder(folder: Path, names: Sequence[str], path: Path, root: str) -> Path:
    """The files `names` of `folder` in a .zip under the folder name `root` (UTF-8 names,
    as Windows Explorer and WinRAR read them)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in names:
            archive.write(folder / name, f"{root}/{name}")
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())
    return path
