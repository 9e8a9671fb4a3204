"""Opening the file the secretary picked: what it is (.txt, .docx, or something refused),
its size, its text encoding, and its lines for the parser."""

from __future__ import annotations

from pathlib import Path

from studyplan.io.files import unzipped_size
from studyplan.io.plan_import.limits import check_elements, check_parts
from studyplan.io.plan_import.lines import MAX_NUMBER
from studyplan.io.plan_import.numbering import Numbering, NumberOutOfRange
from studyplan.io.plan_import.parser import check_year, parse_lines, parse_plan_text
from studyplan.io.plan_import.tables import block_lines
from studyplan.model.errors import ImportFileError
from studyplan.model.plan import Plan

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def _check_zip(path: Path, name: str) -> None:
    unzipped = unzipped_size(path)
    if unzipped is None:
        raise _corrupt(name)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            f"文件“{name}”解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB，"
            "不像一份正常的 Word 文档，为安全起见没有导入。"
        )


def _corrupt(name: str) -> ImportFileError:
    return ImportFileError(
        f"文件“{name}”不是有效的 Word 文档（.docx），可能已经损坏，"
        "请在 Word 或 WPS 中打开并重新保存后再导入。"
    )


def _old_word(name: str) -> ImportFileError:
    return ImportFileError(
        f"文件“{name}”是旧版 Word/WPS 格式（.doc 或 .wps），无法直接读取，"
        "请在 Word 或 WPS 中打开它，“另存为 .docx”后再导入。"
    )


def _docx_lines(path: Path, name: str) -> list[str]:
    _check_zip(path, name)
    check_parts(path, name)
    import docx

    try:
        document = docx.Document(str(path))
        check_elements(document, name)
        numbering = Numbering(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            lines.extend(block_lines(block, numbering))
    except ImportFileError:
        raise
    except NumberOutOfRange as exc:
        raise ImportFileError(
            f"文件“{name}”中的自动编号出现了 {exc.number}，而一份学习计划最多 {MAX_NUMBER} 条，"
            "这不像正常的编号，为安全起见没有导入。"
        ) from exc
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged package
        raise _corrupt(name) from exc
    return lines


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_japanese(data):
            return text
    raise ImportFileError(
        f"无法识别文件的文字编码：“{name}”既不是 UTF-8 也不是 GBK/GB18030 编码的文本，"
        "请用记事本或 WPS 把它另存为 UTF-8 编码后再导入。"
    )


def _looks_japanese(data: bytes) -> bool:
    """Shift-JIS bytes also decode as GB18030 (into nonsense): kana tell them apart.

    Chinese text in GBK never decodes as Shift-JIS into hiragana, which sits on GBK's rarely
    used 0x82 lead byte; a Japanese file has it in nearly every sentence.
    """
    try:
        text = data.decode("shift_jis")
    except UnicodeDecodeError:
        return False
    kana = sum(1 for char in text if "\u3041" <= char <= "\u30ff")
    return kana >= 3 and kana * 20 >= len(text)


def read_plan(path: str | Path, year: int) -> Plan:
    """Read a plan file the secretary picked (.txt or .docx); any problem is one sentence."""
    check_year(year)
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise ImportFileError(f"找不到文件“{name}”，请确认它没有被移动、改名或删除。")
    if path.is_dir():
        raise ImportFileError(f"“{name}”是一个文件夹，请选择学习计划文件（.docx 或 .txt）。")
    if not path.is_file():  # a pipe or a device: reading it would never end
        raise ImportFileError(f"“{name}”不是普通文件（是管道或设备），请选择学习计划文件。")
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        raise _old_word(name)
    unreadable = f"无法读取文件“{name}”，请确认有权限打开它，并且它没有被其他程序占用。"
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFileError(unreadable) from exc
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise ImportFileError(f"文件“{name}”超过 {limit} MB，不像一份学习计划，没有导入。")
    if size == 0:
        raise ImportFileError(f"文件“{name}”是空的，没有可以导入的学习计划内容。")
    if head.startswith(_OLE_MAGIC):
        raise _old_word(name)
    if head.startswith(b"%PDF") or suffix == ".pdf":
        raise ImportFileError(
            f"文件“{name}”是 PDF，无法从中读取专题。请用 Word 或 WPS 打开计划原文，"
            "“另存为 .docx”（或复制文字存为 .txt）后再导入。"
        )
    if suffix == ".docx" or head.startswith(_ZIP_MAGIC):
        return parse_lines(_docx_lines(path, name), year, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(unreadable) from exc
    return parse_plan_text(_decode(data, name), year, source=name)
