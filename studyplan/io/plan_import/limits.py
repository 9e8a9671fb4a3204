"""How much of a Word document the plan import reads before it says the file is not a plan.

A plan is a few pages: tens of paragraphs, a table or two. The zip's directory (read before
anything is unpacked) and the document's element counts (read before any paragraph is turned
into text) are checked against limits far above that, so a crafted file is refused in one
sentence instead of costing gigabytes of memory or minutes of work.
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path
from typing import Any

from studyplan.model.errors import ImportFileError

#: Largest XML part (document.xml, numbering.xml, …) once unpacked; a plan's is under 1 MB.
MAX_XML_PART_BYTES = 20 * 1024 * 1024
MAX_PARAGRAPHS = 20_000
MAX_TABLES = 500
MAX_TABLE_ROWS = 5_000
MAX_TABLE_CELLS = 50_000
#: Word's own limit on a table's columns; a cell spanning more would be copied once per column.
MAX_GRID_SPAN = 63
#: List definitions (w:abstractNum and w:num) in numbering.xml.
MAX_LISTS = 5_000


def _counts() -> tuple[tuple[str, str, int, str], ...]:
    """(element, the part it is in, its limit, how the sentence names it), read when called
    so that a test may lower a limit."""
    return (
        ("w:p", "document", MAX_PARAGRAPHS, "段落"),
        ("w:tbl", "document", MAX_TABLES, "表格"),
        ("w:tr", "document", MAX_TABLE_ROWS, "表格行"),
        ("w:tc", "document", MAX_TABLE_CELLS, "单元格"),
        ("w:abstractNum", "numbering", MAX_LISTS, "编号定义"),
        ("w:num", "numbering", MAX_LISTS, "编号定义"),
    )


def _too_much(name: str, what: str, limit: int) -> ImportFileError:
    return ImportFileError(
        f"文件“{name}”中的{what}超过 {limit:,} 个，不像一份学习计划，为安全起见没有导入。"
    )


def check_parts(path: Path, name: str) -> None:
    """Refuse a .docx with an XML part larger than a plan's could be, from the zip's
    directory alone (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            largest = max(
                (
                    info.file_size
                    for info in archive.infolist()
                    if info.filename.lower().endswith((".xml", ".rels"))
                ),
                default=0,
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        return  # the unzipped-size check (or python-docx) names the damage
    if largest > MAX_XML_PART_BYTES:
        raise ImportFileError(
            f"文件“{name}”中的文字内容解压后超过 {MAX_XML_PART_BYTES // (1024 * 1024)} MB，"
            "不像一份学习计划，为安全起见没有导入。"
        )


def check_elements(document: Any, name: str) -> None:
    """Refuse a document with more paragraphs, tables, rows, cells or list definitions than
    any plan has, or a cell spanning more columns than Word allows, before reading them."""
    from docx.oxml.ns import qn

    roots: dict[str, Any] = {"document": document.element.body, "numbering": None}
    with contextlib.suppress(Exception):  # no numbering.xml: nothing to count there
        roots["numbering"] = document.part.numbering_part.element
    for tag, where, limit, what in _counts():
        root = roots[where]
        if root is None:
            continue
        for count, _ in enumerate(root.iter(qn(tag)), start=1):
            if count > limit:
                raise _too_much(name, what, limit)
    span_tag, val = qn("w:gridSpan"), qn("w:val")
    for span in document.element.body.iter(span_tag):
        try:
            columns = int(span.get(val) or 1)
        except ValueError:
            columns = 1
        if columns > MAX_GRID_SPAN:
            raise ImportFileError(
                f"文件“{name}”的表格中有单元格跨 {columns} 列，超过 Word 允许的 "
                f"{MAX_GRID_SPAN} 列，文件可能已经损坏，没有导入。"
            )
