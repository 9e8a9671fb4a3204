"""The workbook's layout engine: styles, columns measured from their text, row heights,
manual page breaks and the A4 page setup. It knows cells and pages, not the record."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from studyplan.io.ledger.measure import lines_needed, text_width

#: The footer of every printed page: "page n of N".
FOOTER = "第 &P 页，共 &N 页"
BODY_FONT = "宋体"
HEAD_FONT = "黑体"
BODY_SIZE = 11
LINE_HEIGHT = 15.0  # points per line of 11 pt text
MIN_ROW_HEIGHT = 20.0
MAX_WIDTH = 50
DEFAULT_ROW_HEIGHT = 15.0
#: A4 landscape between the margins, in points, and points per Excel width unit.
PRINT_WIDTH_PT = (11.69 - 1.0) * 72
PRINT_HEIGHT_PT = (8.27 - 0.6 - 0.75) * 72
POINTS_PER_UNIT = 5.25
#: The share of a page's height the page breaks fill: room for a viewer whose rows come out
#: a little taller than estimated.
PAGE_SPARE = 0.96
#: Excel width units that fit across an A4 landscape page between the margins at about 70 %.
PAGE_UNITS = 200

#: The heights of a sheet's title and subtitle rows (rows 1–2; `Sheet.title`), together.
TITLE_ROW_HEIGHT = 34.0
SUBTITLE_ROW_HEIGHT = 20.0
TITLE_HEIGHT = TITLE_ROW_HEIGHT + SUBTITLE_ROW_HEIGHT

#: Fills the sheets share: header rows, and what is overdue or not yet done.
HEADER_FILL = "D9E1F2"
OVERDUE_FILL = "F8CBAD"


class Styles:
    """The fonts, fills and borders of the workbook, created once and shared by every cell."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.styles.cell_style import StyleArray

        thin = Side(style="thin", color="000000")
        self.grid = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.body = Font(name=BODY_FONT, size=BODY_SIZE)
        self.grey = Font(name=BODY_FONT, size=BODY_SIZE, color="808080")
        self.small = Font(name=BODY_FONT, size=10, color="404040")
        self.bold = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)
        self.head = Font(name=HEAD_FONT, size=BODY_SIZE, bold=True)
        self.title = Font(name=HEAD_FONT, size=16, bold=True)
        self.section = Font(name=HEAD_FONT, size=12, bold=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center", wrap_text=True)
        self.plain = Alignment(horizontal="left", vertical="center", wrap_text=False)

        self._fills: dict[str, Any] = {}
        #: (font, alignment, fill, bordered, number format, text) -> the style those give,
        #: one object shared by every cell that has it.
        self.shared: dict[tuple, Any] = {}
        #: Each text written so far, as openpyxl accepted it.
        self.texts: dict[str, str] = {}
        self._fill_class = PatternFill
        self._array = StyleArray
        self._shared_class = _shared_style_class(StyleArray)

    def apply(
        self,
        cell,
        font=None,
        align=None,
        fill: str | None = None,
        border: bool = False,
        number_format: str | None = None,
        is_text: bool = False,
    ) -> None:
        """Give `cell` the style (font, alignment, fill colour, bordered, number format,
        text). Each combination is computed once, then shared: openpyxl hashes a cell's
        style object on each assignment and again for each cell as the file is saved, and
        a shared one is neither copied nor hashed again."""
        key = style_key(font, align, fill, border, number_format, is_text)
        shared = self.shared.get(key)
        if shared is not None:
            cell._style = shared
            return
        # The cell's own copy is changed (never a shared one), then kept as the shared one.
        cell._style = self._array() if cell._style is None else self._array(cell._style)
        if font is not None:
            cell.font = font
        if align is not None:
            cell.alignment = align
        if fill:
            cell.fill = self.fill(fill)
        if border:
            cell.border = self.grid
        if number_format:
            cell.number_format = number_format
        if is_text:
            cell.quotePrefix = True
        shared = self.shared[key] = self._shared_class(cell._style)
        cell._style = shared

    def fill(self, colour: str | None):
        if colour is None:
            return None
        if colour not in self._fills:
            self._fills[colour] = self._fill_class("solid", fgColor=colour)
        return self._fills[colour]


def style_key(font, align, fill, border, number_format, is_text) -> tuple:
    """What `Styles.shared` files a cell's style under."""
    return (id(font), id(align), fill, border, number_format, is_text)


_SHARED_STYLE: Any = None


def _shared_style_class(base: Any) -> Any:
    """openpyxl's StyleArray for a style many cells share: it never changes once made, so
    its hash is computed once, not for every cell as the workbook is saved."""
    global _SHARED_STYLE
    if _SHARED_STYLE is None:

        class SharedStyle(base):
            __slots__ = ("_hash",)

            def __new__(cls, values):
                self = super().__new__(cls, values)
                self._hash = hash(tuple(self))  # as StyleArray's own hash
                return self

            def __hash__(self) -> int:
                return self._hash

            def __setitem__(self, index, value) -> None:
                raise TypeError("a shared cell style does not change")

        _SHARED_STYLE = SharedStyle
    return _SHARED_STYLE


@dataclass
class Column:
    header: str
    min_width: float = 6
    max_width: float = MAX_WIDTH
    align: str = "left"  # left | center
    width: float | None = None  # fixed width


class Sheet:
    """One worksheet being written: cells, widths measured from their text, row heights."""

    def __init__(self, wb, name: str, st: Styles, tick: Callable[[int], None]) -> None:
        from openpyxl.cell.cell import Cell

        self._cell_class = Cell
        self.ws = wb.create_sheet(name)
        self.st = st
        self.tick = tick
        self.columns: list[Column] = []
        self.measured: dict[int, int] = {}
        self.texts: dict[int, list[tuple[int, int, str]]] = {}
        self.heights: dict[int, float] = {}
        self.header_row = 0
        self.freeze_col = 1
        self.blocks: dict[int, int] = {}
        self.merged: dict[int, list[tuple[int, int]]] = {}
        self.row = 1

    # cells
    def put(
        self,
        row: int,
        col: int,
        value: object,
        *,
        font=None,
        align=None,
        border: bool = True,
        fill: str | None = None,
        number_format: str | None = None,
        last_col: int | None = None,
        measure: bool = True,
    ):
        ws = self.ws
        st = self.st
        is_text = isinstance(value, str)
        font = font or st.body
        align = align or st.left
        style = st.shared.get(style_key(font, align, fill, border, number_format, is_text))
        cells = ws._cells
        cell = cells.get((row, col))
        if cell is None:
            # What ws.cell() does, without its checks (this writer only asks for valid cells).
            cell = self._cell_class(ws, row, col)
            cells[(row, col)] = cell
            if row > ws._current_row:
                ws._current_row = row
        text: str
        if isinstance(value, str):  # is_text, as the type checker sees it
            if value:
                # openpyxl checks a text (illegal characters, length) once; the same text
                # again takes the checked value. It stays text even if it starts with "=".
                checked = st.texts.get(value)
                if checked is None:
                    cell.value = value
                    checked = st.texts[value] = cell._value
                else:
                    cell._value = checked
                cell.data_type = "s"
            text = value
        elif value is not None:
            cell.value = value
            percent = number_format == "0.0%" and isinstance(value, float)
            text = "100.0%" if percent else str(value)
        else:
            text = ""
        if style is None:
            st.apply(cell, font, align, fill, border, number_format, is_text)
        elif cell._style is not style:
            cell._style = style
        last = last_col or col
        if last > col:
            self._merge(row, col, last, border)
        if text:
            self.texts.setdefault(row, []).append((col, last, text))
            if measure and last == col:
                wanted = text_width(text)
                if wanted > self.measured.get(col, 0):
                    self.measured[col] = wanted
        return cell

    def _merge(self, row: int, first: int, last: int, border: bool) -> None:
        """Merge a row's cells first..last. The covered cells get the anchor's border, as
        openpyxl's own merge does, but from the style cache (much faster on big sheets)."""
        from openpyxl.cell.cell import MergedCell
        from openpyxl.worksheet.merge import MergedCellRange

        ws = self.ws
        # Every merge of a sheet is made here and spans one row, so a row's own list
        # answers openpyxl's "already inside a merged range?" without its scan of them all.
        spans = self.merged.setdefault(row, [])
        if not any(a <= first and last <= b for a, b in spans):
            spans.append((first, last))
            anchor = ws._cells.get((row, first))
            # openpyxl may give the anchor the right and bottom borders of a last cell
            # already there, changing its style: its own copy, not the one it shares.
            if anchor is not None and anchor._style is not None:
                anchor._style = self.st._array(anchor._style)
            merged = MergedCellRange(ws, f"{_letter(first)}{row}:{_letter(last)}{row}")
            ws.merged_cells.ranges.add(merged)
        for col in range(first + 1, last + 1):
            covered = MergedCell(ws, row=row, column=col)
            if border:
                self.st.apply(covered, None, None, None, True, None, False)
            ws._cells[(row, col)] = covered

    def keep(self, first: int, last: int) -> None:
        """Rows first..last belong together: when they would straddle a page break, they
        start a new page (if they fit on one; else their first few rows stay together)."""
        if last >= first:
            self.blocks[first] = last

    # blocks
    def title(self, text: str, subtitle: str, ncols: int) -> None:
        self.put(
            1,
            1,
            text,
            font=self.st.title,
            align=self.st.center,
            border=False,
            last_col=ncols,
            measure=False,
        )
        self.heights[1] = TITLE_ROW_HEIGHT
        self.put(
            2,
            1,
            subtitle,
            font=self.st.small,
            align=self.st.right,
            border=False,
            last_col=ncols,
            measure=False,
        )
        self.heights[2] = SUBTITLE_ROW_HEIGHT
        self.row = 3

    def header(self, columns: Sequence[Column]) -> int:
        """The table's header row; it is frozen and repeated on every printed page."""
        self.columns = list(columns)
        row = self.row
        for col, column in enumerate(columns, start=1):
            self.put(
                row, col, column.header, font=self.st.head, align=self.st.center, fill=HEADER_FILL
            )
        self.header_row = row
        self.row += 1
        return row

    def record(
        self,
        values: Sequence[object],
        *,
        fills: dict[int, str] | None = None,
        fonts: dict[int, Any] | None = None,
        formats: dict[int, str] | None = None,
    ) -> int:
        """One table row under the header; numbers centred, text as its column says."""
        row = self.row
        columns, center, left = self.columns, self.st.center, self.st.left
        fills, fonts, formats = fills or {}, fonts or {}, formats or {}
        for col, value in enumerate(values, start=1):
            column = columns[col - 1] if col <= len(columns) else Column("")
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            align = center if number or column.align == "center" else left
            self.put(
                row,
                col,
                value,
                align=align,
                fill=fills.get(col),
                font=fonts.get(col),
                number_format=formats.get(col),
            )
        self.row += 1
        self.tick(1)
        return row

    def line(
        self,
        text: str,
        ncols: int,
        *,
        font=None,
        align=None,
        border: bool = False,
        fill: str | None = None,
        first_col: int = 1,
    ) -> int:
        """A text line merged across the table (a note, a section heading, an empty table)."""
        row = self.row
        self.put(
            row,
            first_col,
            text,
            font=font or self.st.body,
            align=align or self.st.left,
            border=border,
            fill=fill,
            last_col=ncols,
            measure=False,
        )
        self.row += 1
        return row

    def empty(self, text: str, ncols: int) -> None:
        self.line(text, ncols, font=self.st.grey, align=self.st.center, border=True)

    # finishing
    def widths(self) -> list[float]:
        return [
            column_width(column, self.measured.get(col, 0))
            for col, column in enumerate(self.columns, start=1)
        ]

    def header_again(self) -> int:
        """The table's header once more, where a long table goes on to a new page of a
        sheet whose later sections must not print under it (so it is not a print title)."""
        row = self.row
        for col, column in enumerate(self.columns, start=1):
            self.put(
                row, col, column.header, font=self.st.head, align=self.st.center, fill=HEADER_FILL
            )
        self.row += 1
        return row

    def finish(
        self, *, title_rows: str | None = None, title_cols: str | None = None, pages_wide: int = 1
    ) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.dimensions import RowDimension
        from openpyxl.worksheet.page import PageMargins

        ws = self.ws
        widths = self.widths()
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        dims = ws.row_dimensions

        def set_height(row: int, height: float) -> None:
            # As ws.row_dimensions[row].height = height, made in one step.
            dim = dims.get(row)
            if dim is None:
                dims[row] = RowDimension(ws, index=row, ht=height)
            else:
                dim.height = height

        count = len(widths)
        for row, cells in self.texts.items():
            lines = 1
            for first, last, text in cells:
                if first == last and last <= count:
                    span = widths[last - 1]
                else:
                    span = sum(widths[first - 1 : last]) if last <= count else MAX_WIDTH
                needed = lines_needed(text, span)
                if needed > lines:
                    lines = needed
            set_height(row, max(height_of(lines), self.heights.get(row, 0)))
        for row, height in self.heights.items():
            if row not in self.texts:
                set_height(row, height)
        repeat: tuple[int, int] | None = None
        if self.header_row:
            letter = get_column_letter(self.freeze_col)
            ws.freeze_panes = f"{letter}{self.header_row + 1}"
            repeat = (self.header_row, self.header_row)
        if title_rows:
            top, bottom = title_rows.split(":")
            repeat = (int(top), int(bottom))
        if repeat:
            ws.print_title_rows = f"{repeat[0]}:{repeat[1]}"
        if self.blocks and pages_wide == 1:
            self._paginate(widths, repeat)
        if title_cols:
            ws.print_title_cols = title_cols
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = pages_wide
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(
            left=0.5, right=0.5, top=0.6, bottom=0.75, header=0.3, footer=0.35
        )
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.size = 9
        ws.oddFooter.center.font = BODY_FONT
        ws.sheet_view.showGridLines = False

    def _paginate(self, widths: list[float], repeat: tuple[int, int] | None) -> None:
        """Put a manual page break wherever a page ends, before blocks that would otherwise
        be split too.

        Every break is written, not only those before blocks: the scale a viewer shrinks the
        sheet by to fit the width depends on its fonts (LibreOffice without Calibri measures
        columns about a quarter wider, shrinks more and fits more rows on a page), so pages
        it broke by itself ended elsewhere than estimated here, and a block meant for the
        next page was split under the repeated header. With every break written, a viewer
        that fits more rows leaves some room at a page's foot instead. The estimate takes the
        narrowest columns (Calibri's), the fewest rows per page, less a margin to spare."""
        from openpyxl.worksheet.pagebreak import Break

        ws = self.ws

        def height(row: int) -> float:
            return ws.row_dimensions[row].height or DEFAULT_ROW_HEIGHT

        page = page_height(widths)
        repeated = sum(height(r) for r in range(repeat[0], repeat[1] + 1)) if repeat else 0.0
        used = 0.0
        for row in range(1, self.row):
            last = self.blocks.get(row)
            if last is not None:
                need = sum(height(r) for r in range(row, last + 1))
                if need > page - repeated:
                    need = sum(height(r) for r in range(row, min(row + 4, last) + 1))
                if used + need > page and used > repeated:
                    ws.row_breaks.append(Break(id=row - 1))
                    used = repeated
            if used + height(row) > page and used > repeated:
                ws.row_breaks.append(Break(id=row - 1))
                used = repeated
            used += height(row)


def column_width(column: Column, measured: float) -> float:
    """A column's width: its fixed one, or its widest text (`measured`) within its bounds."""
    if column.width is not None:
        return column.width
    return float(min(max(measured + 2, column.min_width), column.max_width))


def height_of(lines: int) -> float:
    """The height of a row whose tallest cell has `lines` lines of text."""
    return max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 5)


def page_height(widths: Sequence[float]) -> float:
    """The rows' height a printed page holds, in the sheet's own points: a sheet wider than
    the page is shrunk to fit, so more of its rows go on a page."""
    width_pt = sum(w * POINTS_PER_UNIT + 3.75 for w in widths)
    scale = min(1.0, PRINT_WIDTH_PT / width_pt) if width_pt else 1.0
    return PRINT_HEIGHT_PT * PAGE_SPARE / scale


def table_pages(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    first_above: float,
    above: float,
) -> list[int]:
    """How a table of one-cell-per-column `rows` (as their text prints) splits over printed
    pages before it is written, each page beginning with the header: the number of rows on
    each page. `first_above` is the height the page holds above the header on the table's
    first page (title, heading), `above` on each later one (the repeated title). A row
    taller than a page goes on a page alone."""
    measured = [text_width(c.header) for c in columns]
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    for row in texts:
        for col, text in enumerate(row[: len(columns)]):
            measured[col] = max(measured[col], text_width(text))
    widths = [column_width(c, m) for c, m in zip(columns, measured, strict=True)]

    def height(texts: Sequence[str]) -> float:
        lines = (lines_needed(t, w) for t, w in zip(texts, widths, strict=False) if t)
        return height_of(max(lines, default=1))

    page = page_height(widths) - height([c.header for c in columns])
    counts: list[int] = []
    used, count, left = 0.0, 0, page - first_above
    for row in texts:
        if count and used + height(row) > left:
            counts.append(count)
            used, count, left = 0.0, 0, page - above
        used += height(row)
        count += 1
    if count:
        counts.append(count)
    return counts


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def pages_across(widths: Sequence[float], fixed: int) -> tuple[int, int]:
    """(pages across, columns on the first page) for a table too wide to shrink onto one
    page: its first `fixed` columns repeat on every page, the rest run on. A table that fits
    at a readable scale is one page wide."""
    total = sum(widths)
    if total <= PAGE_UNITS * 1.25:
        return 1, len(widths)
    head = sum(widths[:fixed])
    pages = math.ceil((total - head) / (PAGE_UNITS - head))
    share = (total - head) / pages
    used, count = 0.0, fixed
    for width in widths[fixed:]:
        if used + width > share:
            break
        used += width
        count += 1
    return pages, max(count, fixed + 1)


def sub_header(sheet: Sheet, spans: Iterable[tuple[int, int, str]]) -> None:
    row = sheet.row
    for first, last, text in spans:
        sheet.put(
            row,
            first,
            text,
            font=sheet.st.head,
            align=sheet.st.center,
            fill=HEADER_FILL,
            last_col=last,
            measure=False,
        )
    sheet.row += 1


def sub_row(
    sheet: Sheet,
    spans: Iterable[tuple[int, int, object]],
    fills: dict[int, str | None] | None = None,
    left: Iterable[int] = (),
) -> None:
    """A row of a table whose cells span several columns; text left-aligned in `left`."""
    row = sheet.row
    left = set(left)
    for first, last, value in spans:
        align = sheet.st.left if first in left else sheet.st.center
        sheet.put(
            row,
            first,
            value,
            align=align,
            last_col=last,
            measure=False,
            fill=(fills or {}).get(first),
        )
    sheet.row += 1
    sheet.tick(1)
