"""Telling, before anything is read, whether a file is a spreadsheet this can read, by its
content rather than its name, and refusing anything else with one sentence."""

from __future__ import annotations

import zipfile
from pathlib import Path

from studyplan.io.files import check_read_source, unzipped_size
from studyplan.io.roster_import import limits
from studyplan.model.errors import ImportFileError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


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
        data = fh.read()  # at most limits.MAX_FILE_BYTES, checked before
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


def check_file(path: Path) -> str:
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
    if size > limits.MAX_FILE_BYTES:
        raise ImportFileError(f"文件超过 50 MB，不像是成员名单，请检查后再导入：{path.name}")
    kind = _kind(path)
    if kind == "zip":
        total = unzipped_size(path)
        if total is None:
            raise ImportFileError(f"Excel 文件已损坏，无法读取：{path.name}")
        if total > limits.MAX_UNZIPPED_BYTES:
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
