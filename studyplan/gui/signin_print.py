"""The sign-in sheet on paper: as a PDF, on the printer, in a print preview.

The HTML of `studyplan.io.signin` is laid out by QTextDocument in CSS pixels on a page
the size of the A4 text area, then painted onto the PDF or printer scaled to its resolution;
the table's <thead> repeats on every page.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)

from studyplan.app.signin import build_signin_sheet
from studyplan.io.files import atomic_write
from studyplan.io.signin import SignInSheet, rows_html, signin_html, write_signin_xlsx
from studyplan.model.errors import ValidationError

PDF_DPI = 300
PAGE_MARGIN_MM = 15.0
#: Layout unit of the document: the CSS pixel, 1/96 inch.
LAYOUT_DPI = 96.0
BASE_FONT_PX = 15

#: CJK fonts in order of preference: a Song (serif) face as official forms use, then the
#: sans faces of common Linux, Windows and macOS installations.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "宋体",
    "NSimSun",
    "Songti SC",
    "STSong",
    "AR PL UMing CN",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Hiragino Sans GB",
)

_app: QCoreApplication | None = None


def ensure_gui_app() -> QCoreApplication:
    """The running Qt application, or a new QGuiApplication for painting without windows
    (offscreen when there is no display, as on a server or in the CLI)."""
    global _app
    app = QCoreApplication.instance()
    if app is not None:
        return app
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "studyplan"])
    return _app


def cjk_font_families() -> list[str]:
    """Installed CJK families, preferred ones first; empty if Qt knows of none."""
    installed = QFontDatabase.families()
    chosen = [f for f in CJK_FAMILIES if f in installed]
    if not chosen:
        chosen = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)[:1]
    return chosen


#: Characters below the common ideographs (U+4E00…) that CJK fonts often draw with the same
#: glyph as one of them: the radicals (⼼ for 心, ⻋ for 车) and some of Extension A (㬵 for 胶).
_LOOK_ALIKES = "".join(chr(c) for c in (*range(0x2E80, 0x2FE0), *range(0x3400, 0x4DC0)))


@cache
def _look_alike_glyphs(family: str) -> frozenset[int]:
    raw = QRawFont.fromFont(QFont(family))
    return frozenset(raw.glyphIndexesForString(_LOOK_ALIKES)) - {0}


def _spoils_text(family: str, text: str) -> bool:
    """True if `family` draws a character of `text` with a glyph it also maps a look-alike
    of lower code point to.

    Qt's PDF writer tells copy and search which character a glyph is by the lowest code
    point the font maps to it, so with such a font 中心 in the PDF reads 中⼼ when copied
    or searched for (Noto CJK does so for about 200 radicals and more of Extension A).
    """
    ideographs = "".join(sorted({c for c in text if c >= "\u4e00"}))
    if not ideographs:
        return False
    raw = QRawFont.fromFont(QFont(family))
    return not _look_alike_glyphs(family).isdisjoint(raw.glyphIndexesForString(ideographs))


def pdf_font_families(text: str) -> list[str]:
    """`cjk_font_families()` for a PDF of `text`: fonts that would spoil its text layer
    come after those that keep it exact, the order otherwise kept."""
    return sorted(cjk_font_families(), key=lambda family: _spoils_text(family, text))


def a4_layout(margin_mm: float = PAGE_MARGIN_MM) -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm),
        QPageLayout.Unit.Millimeter,
    )


def _text_area_px(layout: QPageLayout) -> QSizeF:
    """The printable area of a page layout in CSS pixels."""
    rect = layout.paintRect(QPageLayout.Unit.Point)
    scale = LAYOUT_DPI / 72.0
    return QSizeF(rect.width() * scale, rect.height() * scale)


def _new_document(page: QSizeF, families: list[str] | None = None) -> QTextDocument:
    document = QTextDocument()
    document.setUseDesignMetrics(True)
    document.setDocumentMargin(0)
    font = QFont()
    families = cjk_font_families() if families is None else families
    if families:
        font.setFamilies(families)
    font.setPixelSize(BASE_FONT_PX)
    document.setDefaultFont(font)
    document.setPageSize(page)
    return document


def page_breaks(
    sheet: SignInSheet,
    page_layout: QPageLayout | None = None,
    families: list[str] | None = None,
) -> list[int]:
    """Where the member table must break so that every page holds whole rows under a
    header, and the counts stay on the page of the last rows.

    Qt's own table pagination splits a row across pages and leaves the page's last rule
    out; here Qt only measures, and each page gets a table of its own.
    """
    ensure_gui_app()
    document = _new_document(_text_area_px(page_layout or a4_layout()), families)
    rows = sheet.rows

    def pages(end: int, breaks: list[int], with_footer: bool) -> int:
        part = replace(sheet, rows=rows[:end]) if end < len(rows) else sheet
        document.setHtml(signin_html(part, breaks, with_footer=with_footer))
        return document.pageCount()

    def taller_than_a_page(index: int) -> bool:
        document.setHtml(rows_html(rows[index : index + 1]))
        return document.pageCount() > 1

    breaks: list[int] = []
    start = 0
    while True:
        # The page the rows from `start` begin on: the first, below the session's details,
        # or the one after the pages the rows before take (one too tall takes several).
        wanted = pages(start, breaks, False) + (1 if start else 0)
        if pages(len(rows), breaks, True) <= wanted:
            break

        def fits(end: int, breaks: list[int] = breaks, wanted: int = wanted) -> bool:
            if end >= len(rows):
                return pages(end, breaks, False) <= wanted
            # Measured with the break and the next page's first row in place: the break
            # needs room of its own, and a page filled to the last pixel without it would
            # push a blank page in between. A next row taller than a page is left out.
            if pages(end + 1, [*breaks, end], False) <= wanted + 1:
                return True
            return taller_than_a_page(end) and pages(end, breaks, False) <= wanted

        low, high = start + 1, len(rows)
        if not fits(low):
            end = low  # a row taller than a page: let Qt split it
        else:
            while low < high:
                middle = (low + high + 1) // 2
                if fits(middle):
                    low = middle
                else:
                    high = middle - 1
            end = low
        if end >= len(rows):
            # Every row fits, but not with the counts below: carry the last row over.
            end = len(rows) - 1 if len(rows) - 1 > start else len(rows)
        breaks.append(end)
        start = end
        if end >= len(rows):
            break
    return breaks


def signin_document(
    sheet_or_html: SignInSheet | str,
    page_layout: QPageLayout | None = None,
    families: list[str] | None = None,
) -> QTextDocument:
    """The sheet as a QTextDocument paginated for `page_layout` (A4, 15 mm margins), in
    `families` (default `cjk_font_families()`); `pageCount()` is the number of pages it
    prints on."""
    ensure_gui_app()
    layout = page_layout or a4_layout()
    if isinstance(sheet_or_html, str):
        html = sheet_or_html
    else:
        html = signin_html(sheet_or_html, page_breaks(sheet_or_html, layout, families))
    document = _new_document(_text_area_px(layout), families)
    document.setHtml(html)
    return document


def render_signin(
    sheet_or_html: SignInSheet | str,
    device: QPagedPaintDevice,
    families: list[str] | None = None,
) -> int:
    """Paint the sheet onto a PDF writer or printer, fitting its page area; returns pages.

    Unless `families` is given, a PDF (written, or printed to a file) gets
    `pdf_font_families`, paper `cjk_font_families`."""
    if families is None and _writes_pdf(device):
        text = sheet_or_html if isinstance(sheet_or_html, str) else signin_html(sheet_or_html, [])
        families = pdf_font_families(text)
    document = signin_document(sheet_or_html, device.pageLayout(), families)
    document.print_(device)
    return document.pageCount()


def _writes_pdf(device: QPagedPaintDevice) -> bool:
    if isinstance(device, QPdfWriter):
        return True
    from PySide6.QtPrintSupport import QPrinter

    return isinstance(device, QPrinter) and device.outputFormat() == QPrinter.OutputFormat.PdfFormat


def write_signin_pdf(sheet_or_html: SignInSheet | str, path: str | Path) -> Path:
    """Write the sheet as an A4 PDF; an existing file is replaced only once the new one is
    complete. Needs a QGuiApplication, which is created if there is none."""
    ensure_gui_app()
    title = sheet_or_html.title if isinstance(sheet_or_html, SignInSheet) else "学习签到表"

    def write(tmp: Path) -> None:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(a4_layout())
        writer.setTitle(title)
        writer.setCreator("studyplan")
        render_signin(sheet_or_html, writer)
        del writer  # finishes the file

    return atomic_write(path, write)


def _printer():
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4_layout())
    printer.setDocName("学习签到表")
    return printer


def print_signin(parent, sheet: SignInSheet) -> bool:
    """Ask for a printer and print the sheet; False if the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    printer = _printer()
    printer.setDocName(sheet.file_stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印签到表")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    render_signin(sheet, printer)
    return True


def preview_signin(parent, sheet: SignInSheet) -> None:
    """Show the sheet in a print preview, from which it can also be printed."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = _printer()
    printer.setDocName(sheet.file_stem)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"签到表预览 — {sheet.date_text}")
    dialog.paintRequested.connect(lambda device: render_signin(sheet, device))
    dialog.exec()


def export_signin(planning, attendance, session_id: int, path: str | Path) -> Path:
    """Write the sign-in sheet of a session as .pdf or .xlsx, chosen by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("签到表只能导出为 .pdf 或 .xlsx")
    sheet = build_signin_sheet(planning, attendance, session_id)
    if suffix == ".xlsx":
        return write_signin_xlsx(sheet, path)
    return write_signin_pdf(sheet, path)
