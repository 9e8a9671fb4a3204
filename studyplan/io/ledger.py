"""The study ledger (学习台账) workbook: the year's record as the inspection asks to see it.

Six sheets, each with a title, a frozen header repeated on every printed page, A4 landscape
fitted to the page width, and page numbers in the footer: 学习计划, 学习台账, 考勤表,
请假登记, 补学登记, 统计分析. Every number comes from the same services and queries the
application shows, so the workbook and the screen always agree. User text is written as
text (a name typed as "=1+1" stays a name), dates as "yyyy-mm-dd" text throughout.
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from studyplan.io.files import atomic_write
from studyplan.model.attendance import (
    AttendanceCounts,
    AttendanceStatus,
    LeaveEntry,
    MakeupEntry,
    MakeupStatus,
)
from studyplan.model.compliance import ComplianceReport
from studyplan.model.errors import ExportFileError
from studyplan.model.plan import Session, SessionStatus, Topic
from studyplan.model.reports import Speech
from studyplan.model.statistics import RATE_NOTE, YearStatistics
from studyplan.model.text import display_width, is_wide
from studyplan.model.years import QUARTER_NAMES

SHEET_NAMES: tuple[str, ...] = (
    "学习计划",
    "学习台账",
    "考勤表",
    "请假登记",
    "补学登记",
    "统计分析",
)
EMPTY_NOTE = "（本年度暂无记录）"
EMPTY_NOTE_ALL = "（暂无记录）"
FOOTER = "第 &P 页，共 &N 页"
GROUP = "理论学习中心组"
MINUTES_EXCERPT = 120

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
#: A CJK character of 11 pt 宋体 is a little wider than two Excel width units, and wider
#: still in the fallback fonts LibreOffice uses where 宋体 is missing.
CJK_SLACK = 1.10
#: Rows of the 统计分析 member table that fit on its first printed page.
MEMBERS_PER_PAGE = 20
#: Excel width units that fit across an A4 landscape page between the margins at about 70 %.
PAGE_UNITS = 200

#: Cell fills of the attendance table (and its legend), by status code.
STATUS_FILLS = {
    "present": None,
    "late": "FFE699",
    "left_early": "FFE699",
    "leave": "DDEBF7",
    "absent": "F8CBAD",
}
NOT_EXPECTED_FILL = "F2F2F2"
HEADER_FILL = "D9E1F2"
SECTION_FILL = "EDEDED"
OVERDUE_FILL = "F8CBAD"
UNMARKED = "未登记"

#: The legend under the attendance table: (sample text, its fill, explanation).
LEGEND = (
    ("出席", STATUS_FILLS["present"], "出席：按时到会，全程参加"),
    ("迟到", STATUS_FILLS["late"], "迟到：晚于开始时间到会（计入实到）"),
    ("早退", STATUS_FILLS["left_early"], "早退：早于结束时间离会（计入实到）"),
    ("请假", STATUS_FILLS["leave"], "请假：请假经批准，须按期补学"),
    ("缺席", STATUS_FILLS["absent"], "缺席：未请假或请假未获批准，须按期补学"),
    ("", NOT_EXPECTED_FILL, "灰色空白：该场次时不在中心组名单中，不计应到"),
)
UNMARKED_LEGEND = (UNMARKED, None, "未登记：该场次已举行，但尚未登记此人的考勤")


@lru_cache(maxsize=8192)
def _text_width(text: str) -> int:
    """The display width of the widest line of `text`."""
    if "\n" not in text:
        return display_width(text)
    return max(display_width(line) for line in text.split("\n"))


def _day(value: dt.date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _moment(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _excerpt(text: str, limit: int = MINUTES_EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _topic_label(numbers: Sequence[int]) -> str:
    """E.g. 专题1、2 — the short label of a session's topics."""
    return "专题" + "、".join(str(n) for n in numbers) if numbers else "未指定专题"


# -- the data ------------------------------------------------------------------------------


@dataclass
class LedgerData:
    """Everything the workbook shows, read with a handful of queries."""

    year: int | None
    today: dt.date
    years: list[int]
    org: str
    sessions: list[Session]
    topics: dict[tuple[int, int], Topic]
    stats: YearStatistics
    marks: dict[tuple[int, int], AttendanceStatus]
    counts: dict[int, AttendanceCounts]
    minutes: dict[int, str]
    speeches: dict[int, list[Speech]]
    leave: list[LeaveEntry]
    makeups: list[MakeupEntry]
    compliance: list[ComplianceReport] = field(default_factory=list)

    @property
    def held(self) -> list[Session]:
        return [s for s in self.sessions if s.status is SessionStatus.HELD]

    def title(self, what: str) -> str:
        if self.year is not None:
            return f"{self.org}{self.year}年{GROUP}{what}"
        span = ""
        if self.years:
            first, last = self.years[0], self.years[-1]
            span = f"（{first}年）" if first == last else f"（{first}—{last}年）"
        return f"{self.org}{GROUP}{what}{span}"

    def topic_text(self, session: Session) -> str:
        """The session's topics with their titles, one a line."""
        lines = []
        for number in session.topic_numbers:
            topic = self.topics.get((session.year, number))
            lines.append(f"专题{number} {topic.title}" if topic else f"专题{number}")
        return "\n".join(lines)

    @property
    def empty_note(self) -> str:
        return EMPTY_NOTE if self.year is not None else EMPTY_NOTE_ALL


# -- writing -------------------------------------------------------------------------------


class _Styles:
    """The fonts, fills and borders of the workbook, created once and shared by every cell."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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
        from openpyxl.styles.cell_style import StyleArray

        self._fills: dict[str, Any] = {}
        self._cache: dict[tuple, Any] = {}
        #: Each text written so far, as openpyxl accepted it.
        self.texts: dict[str, str] = {}
        self._fill_class = PatternFill
        self._array = StyleArray

    def cached(
        self,
        font=None,
        align=None,
        fill: str | None = None,
        border: bool = False,
        number_format: str | None = None,
        is_text: bool = False,
    ):
        """The style `apply` gives for these arguments, if it has computed it before."""
        return self._cache.get((id(font), id(align), fill, border, number_format, is_text))

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
        text) — computed once per combination, then copied, since openpyxl hashes every
        style object on each assignment."""
        key = (id(font), id(align), fill, border, number_format, is_text)
        cached = self._cache.get(key)
        if cached is None:
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
            self._cache[key] = copy.copy(cell._style)
            return
        cell._style = self._array(cached)

    def fill(self, colour: str | None):
        if colour is None:
            return None
        if colour not in self._fills:
            self._fills[colour] = self._fill_class("solid", fgColor=colour)
        return self._fills[colour]


@dataclass
class _Column:
    header: str
    min_width: float = 6
    max_width: float = MAX_WIDTH
    align: str = "left"  # left | center
    width: float | None = None  # fixed width


class _Sheet:
    """One worksheet being written: cells, widths measured from their text, row heights."""

    def __init__(self, wb, name: str, st: _Styles, tick: Callable[[int], None]) -> None:
        from openpyxl.cell.cell import Cell

        self._cell_class = Cell
        self.ws = wb.create_sheet(name)
        self.st = st
        self.tick = tick
        self.columns: list[_Column] = []
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
        style = st.cached(font, align, fill, border, number_format, is_text)
        cell = ws._cells.get((row, col))
        if cell is None:
            # What ws.cell() does, without its checks (this writer only asks for valid
            # cells), and with the style the cell will have when it was made before.
            cell = self._cell_class(ws, row, col, style_array=style)
            ws._cells[(row, col)] = cell
            if row > ws._current_row:
                ws._current_row = row
        if isinstance(value, str):
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
        elif value is not None:
            cell.value = value
        if style is None or cell._style != style:
            st.apply(cell, font, align, fill, border, number_format, is_text)
        last = last_col or col
        if last > col:
            self._merge(row, col, last, border)
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        if number_format == "0.0%" and isinstance(value, float):
            text = "100.0%"
        if text:
            self.texts.setdefault(row, []).append((col, last, text))
            if measure and last == col:
                wanted = _text_width(text)
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
            ws.merged_cells.ranges.add(
                MergedCellRange(ws, f"{_letter(first)}{row}:{_letter(last)}{row}")
            )
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
        self.heights[1] = 34
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
        self.heights[2] = 20
        self.row = 3

    def header(self, columns: Sequence[_Column]) -> int:
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
            column = columns[col - 1] if col <= len(columns) else _Column("")
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
        result = []
        for col, column in enumerate(self.columns, start=1):
            if column.width is not None:
                result.append(column.width)
                continue
            wanted = self.measured.get(col, 0) + 2
            result.append(float(min(max(wanted, column.min_width), column.max_width)))
        return result

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
                needed = _lines_needed(text, span)
                if needed > lines:
                    lines = needed
            wanted = max(MIN_ROW_HEIGHT, lines * LINE_HEIGHT + 5)
            set_height(row, max(wanted, self.heights.get(row, 0)))
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
        """Put manual page breaks before blocks that would otherwise be split."""
        from openpyxl.worksheet.pagebreak import Break

        ws = self.ws

        def height(row: int) -> float:
            return ws.row_dimensions[row].height or DEFAULT_ROW_HEIGHT

        width_pt = sum(w * POINTS_PER_UNIT + 3.75 for w in widths)
        scale = min(1.0, PRINT_WIDTH_PT / width_pt) if width_pt else 1.0
        page = PRINT_HEIGHT_PT / scale
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
            if used + height(row) > page:
                used = repeated
            used += height(row)


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line may break between: each wide (CJK) character, each run of spaces, and
    runs of other characters (which may break after a dash or slash)."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char.isspace() or is_wide(char):
            if word:
                tokens.append(word)
                word = ""
            if char.isspace() and tokens and tokens[-1].isspace():
                tokens[-1] += char
            else:
                tokens.append(char)
            continue
        word += char
        if char in "-–—/":
            tokens.append(word)
            word = ""
    if word:
        tokens.append(word)
    return tokens


@lru_cache(maxsize=8192)
def _lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell `width` units wide needs for `text`, breaking as Excel and
    LibreOffice do: between CJK characters, at spaces, after dashes."""
    usable = max((width - 1) / CJK_SLACK, 1)
    total = 0
    for paragraph in text.split("\n"):
        if display_width(paragraph) <= usable:
            total += 1  # fits on one line: no break can happen in it
            continue
        lines, used = 1, 0.0
        for token in _tokens(paragraph):
            size: float = display_width(token)
            if token.isspace():
                used += size
                continue
            if used and used + size > usable:
                lines += 1
                used = 0.0
            while size > usable:
                lines += 1
                size -= usable
            used += size
        total += lines
    return total


# -- the sheets ----------------------------------------------------------------------------


def _subtitle(data: LedgerData, *parts: str) -> str:
    return "　　".join([*parts, f"截至 {_day(data.today)}"])


def _plan_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[0], st, tick)
    all_years = data.year is None
    columns = [
        _Column("序号", 6, 6, "center"),
        _Column("专题", 20, 46),
        _Column("学习篇目", 14, 36),
        _Column("计划日期", 12, 12, "center"),
        _Column("举行日期", 12, 12, "center"),
        _Column("状态", 8, 8, "center"),
    ]
    if all_years:
        columns.insert(0, _Column("年度", 7, 7, "center"))
    topics = data.stats.topics
    done = sum(1 for t in topics if t.done)
    sheet.title(
        data.title("学习计划执行情况"),
        _subtitle(data, f"专题 {len(topics)} 个，已学习 {done} 个"),
        len(columns),
    )
    sheet.header(columns)
    if not topics:
        sheet.empty(data.empty_note, len(columns))
    for coverage in topics:
        topic = coverage.topic
        if coverage.done:
            state, fill = "已学习", None
        elif coverage.planned_dates:
            state, fill = "已安排", "FFF2CC"
        else:
            state, fill = "未安排", OVERDUE_FILL
        values: list[object] = [
            topic.number,
            topic.title,
            "\n".join(topic.readings),
            "\n".join(_day(d) for d in coverage.planned_dates),
            "\n".join(_day(d) for d in coverage.held_dates),
            state,
        ]
        if all_years:
            values.insert(0, topic.year)
        sheet.record(values, fills={len(values): fill} if fill else None)
    sheet.finish()


def _ledger_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[1], st, tick)
    columns = [
        _Column("日期", 12, 12, "center"),
        _Column("时间", 13, 13, "center"),
        _Column("地点", 8, 18),
        _Column("形式", 8, 10, "center"),
        _Column("专题", 12, 34),
        _Column("主持人", 8, 12, "center"),
        _Column("领学/辅导人", 8, 12, "center"),
        _Column("研讨发言", 10, 30),
        _Column("应到", 6, 6, "center"),
        _Column("实到", 6, 6, "center"),
        _Column("请假", 6, 6, "center"),
        _Column("缺席", 6, 6, "center"),
        _Column("状态", 8, 8, "center"),
        _Column("会议记录摘要", 14, 40),
    ]
    held = len(data.held)
    planned = sum(1 for s in data.sessions if s.status is SessionStatus.PLANNED)
    cancelled = len(data.sessions) - held - planned
    sheet.title(
        data.title("学习台账"),
        _subtitle(
            data,
            f"共 {len(data.sessions)} 场：已举行 {held} 场，"
            f"计划 {planned} 场，已取消 {cancelled} 场",
        ),
        len(columns),
    )
    sheet.header(columns)
    if not data.sessions:
        sheet.empty(data.empty_note, len(columns))
    for session in data.sessions:
        assert session.id is not None
        counts = data.counts[session.id]
        is_held = session.status is SessionStatus.HELD
        speeches = "\n".join(
            f"{s.speaker}：{s.title}" if s.title else s.speaker
            for s in data.speeches.get(session.id, [])
        )
        numbers: list[object] = (
            [counts.expected, counts.attended, counts.leave, counts.absent]
            if is_held
            else ["", "", "", ""]
        )
        fills = {13: "EDEDED"} if session.status is SessionStatus.CANCELLED else None
        sheet.record(
            [
                _day(session.date),
                session.time_range,
                session.location,
                session.form,
                data.topic_text(session),
                session.host,
                session.lecturer,
                speeches,
                *numbers,
                session.status.label,
                _excerpt(data.minutes.get(session.id, "")),
            ],
            fills=fills,
        )
    sheet.row += 1
    sheet.line(
        "应到、实到、请假、缺席只统计已举行的场次；实到 = 出席 + 迟到 + 早退。",
        len(columns),
        font=st.small,
    )
    sheet.finish()


def _attendance_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[2], st, tick)
    all_years = data.year is None
    sessions = data.held
    session_width = 12.0 if all_years else 9.5
    columns = [
        _Column("序号", 6, 6, "center"),
        _Column("姓名", 8, 12, "center"),
        _Column("职务", 10, 24),
    ]
    for session in sessions:
        head = f"{session.date:%Y-%m-%d}" if all_years else f"{session.date:%m-%d}"
        label = _topic_label(session.topic_numbers)
        columns.append(
            _Column(f"{head} {session.time_range}\n{label}", align="center", width=session_width)
        )
    first_total = len(columns) + 1
    for name in ("出席", "迟到", "早退", "请假", "缺席", "应到"):
        columns.append(_Column(name, align="center", width=6.5))
    columns.append(_Column("出勤率", align="center", width=9))
    ncols = len(columns)
    pages, first_page = _pages_across([c.width or c.max_width for c in columns], fixed=3)
    sheet.title(
        data.title("考勤表"),
        _subtitle(data, f"已举行 {len(sessions)} 场，成员 {len(data.stats.members)} 人"),
        first_page,
    )
    header = sheet.header(columns)
    head_lines = max(
        (_lines_needed(c.header, c.width or 9) for c in columns[3 : first_total - 1]), default=1
    )
    sheet.heights[header] = max(MIN_ROW_HEIGHT, head_lines * LINE_HEIGHT + 6)
    sheet.texts.pop(header, None)
    sheet.freeze_col = 4

    # Without a held session there is nothing to tick off: the table says so instead.
    members = data.stats.members if sessions else []
    unmarked = False
    if not members:
        sheet.empty(data.empty_note, ncols)
    for number, tally in enumerate(members, start=1):
        member = tally.member
        values: list[object] = [number, member.name, member.position]
        fills: dict[int, str] = {}
        fonts: dict[int, Any] = {}
        for offset, session in enumerate(sessions):
            col = 4 + offset
            if not member.expected_on(session.date):
                values.append("")
                fills[col] = NOT_EXPECTED_FILL
                continue
            mark = data.marks.get((session.id, member.id))  # type: ignore[arg-type]
            if mark is None:
                values.append(UNMARKED)
                fonts[col] = st.grey
                unmarked = True
                continue
            values.append(mark.label)
            colour = STATUS_FILLS[mark.value]
            if colour:
                fills[col] = colour
        values += [
            tally.present,
            tally.late,
            tally.left_early,
            tally.leave,
            tally.absent,
            tally.expected,
            tally.rate if tally.rate is not None else "—",
        ]
        sheet.record(values, fills=fills, fonts=fonts, formats={ncols: "0.0%"})
    if not members:
        sheet.finish()
        return
    _attendance_totals(sheet, data, sessions, members, ncols)

    # Legend and note under the table.
    sheet.row += 1
    legend = sheet.line("图例：", ncols, font=st.bold)
    for label, colour, text in [*LEGEND, UNMARKED_LEGEND] if unmarked else LEGEND:
        row = sheet.row
        font = st.grey if label == UNMARKED else None
        sheet.put(row, 2, label, font=font, align=st.center, fill=colour, measure=False)
        sheet.put(row, 3, text, align=st.plain, border=False, measure=False)
        sheet.texts.pop(row, None)
        sheet.heights[row] = MIN_ROW_HEIGHT
        sheet.row += 1
    sheet.row += 1
    note = sheet.line(RATE_NOTE, ncols, font=st.bold, align=st.plain)
    sheet.texts.pop(note, None)
    sheet.heights[note] = MIN_ROW_HEIGHT
    sheet.keep(legend, note)
    sheet.finish(title_cols="A:C" if pages > 1 else None, pages_wide=pages)


def _pages_across(widths: Sequence[float], fixed: int) -> tuple[int, int]:
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


def _attendance_totals(sheet: _Sheet, data: LedgerData, sessions, members, ncols: int) -> None:
    st = sheet.st
    row = sheet.row
    sheet.put(row, 1, "合计（实到/应到）", font=st.bold, align=st.center, last_col=3, measure=False)
    for offset, session in enumerate(sessions):
        counts = data.counts[session.id]
        sheet.put(
            row,
            4 + offset,
            f"{counts.attended}/{counts.expected}",
            font=st.bold,
            align=st.center,
            measure=False,
        )
    sums = [
        sum(m.present for m in members),
        sum(m.late for m in members),
        sum(m.left_early for m in members),
        sum(m.leave for m in members),
        sum(m.absent for m in members),
        sum(m.expected for m in members),
    ]
    first = ncols - 6
    for offset, value in enumerate(sums):
        sheet.put(row, first + offset, value, font=st.bold, align=st.center)
    rate = data.stats.rate
    sheet.put(
        row,
        ncols,
        rate if rate is not None else "—",
        font=st.bold,
        align=st.center,
        number_format="0.0%",
    )
    sheet.row += 1


def _leave_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[3], st, tick)
    columns = [
        _Column("序号", 6, 6, "center"),
        _Column("姓名", 8, 12, "center"),
        _Column("职务", 10, 24),
        _Column("场次日期", 12, 12, "center"),
        _Column("事由", 12, 36),
        _Column("提交时间", 18, 18, "center"),
        _Column("审批人", 8, 12, "center"),
        _Column("审批结果", 10, 10, "center"),
        _Column("审批时间", 18, 18, "center"),
        _Column("事后补假", 10, 10, "center"),
    ]
    approved = sum(1 for e in data.leave if e.request.decision.value == "approved")
    sheet.title(
        data.title("请假登记表"),
        _subtitle(data, f"请假申请 {len(data.leave)} 条，已批准 {approved} 条"),
        len(columns),
    )
    sheet.header(columns)
    if not data.leave:
        sheet.empty(data.empty_note, len(columns))
    for number, entry in enumerate(data.leave, start=1):
        request = entry.request
        fills = {8: "FFF2CC"} if request.decision.value == "pending" else None
        sheet.record(
            [
                number,
                entry.member.name,
                entry.member.position,
                _day(entry.session.date),
                request.reason,
                _moment(request.filed_at),
                request.approver,
                request.decision.label,
                _moment(request.decided_at),
                "是" if request.late else "",
            ],
            fills=fills,
        )
    sheet.row += 1
    sheet.line("事后补假：会议开始后才提交的请假申请。", len(columns), font=st.small)
    sheet.finish()


def _makeup_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[4], st, tick)
    columns = [
        _Column("序号", 6, 6, "center"),
        _Column("姓名", 8, 12, "center"),
        _Column("场次日期", 12, 12, "center"),
        _Column("缺勤情形", 10, 10, "center"),
        _Column("专题", 12, 44),
        _Column("截止日期", 12, 12, "center"),
        _Column("完成日期", 12, 12, "center"),
        _Column("方式", 10, 14, "center"),
        _Column("佐证", 10, 34),
        _Column("状态", 8, 8, "center"),
    ]
    done = sum(1 for e in data.makeups if e.status is MakeupStatus.DONE)
    overdue = sum(1 for e in data.makeups if e.status is MakeupStatus.OVERDUE)
    sheet.title(
        data.title("补学登记表"),
        _subtitle(data, f"补学任务 {len(data.makeups)} 项，已完成 {done} 项，已逾期 {overdue} 项"),
        len(columns),
    )
    sheet.header(columns)
    if not data.makeups:
        sheet.empty(data.empty_note, len(columns))
    entries = sorted(
        data.makeups, key=lambda e: (e.session.date, e.session.start, e.member.rank, e.member.id)
    )
    for number, entry in enumerate(entries, start=1):
        makeup = entry.makeup
        mark = data.marks.get((makeup.session_id, makeup.member_id))
        fills = {10: OVERDUE_FILL} if entry.status is MakeupStatus.OVERDUE else None
        sheet.record(
            [
                number,
                entry.member.name,
                _day(entry.session.date),
                mark.label if mark else "",
                data.topic_text(entry.session),
                _day(makeup.due),
                _day(makeup.completed),
                makeup.method,
                makeup.evidence,
                entry.status.label,
            ],
            fills=fills,
        )
    sheet.finish()


def _statistics_sheet(wb, data: LedgerData, st: _Styles, tick) -> None:
    sheet = _Sheet(wb, SHEET_NAMES[5], st, tick)
    columns = [
        _Column("序号", 6, 6, "center"),
        _Column("姓名", 10, 14, "center"),
        _Column("职务", 16, 24),
        _Column("应到", 8, 8, "center"),
        _Column("出席", 8, 8, "center"),
        _Column("迟到", 8, 8, "center"),
        _Column("早退", 8, 8, "center"),
        _Column("请假", 8, 8, "center"),
        _Column("缺席", 8, 8, "center"),
        _Column("出勤率", 12, 12, "center"),
    ]
    ncols = len(columns)
    stats = data.stats
    rate = f"{stats.rate:.1%}" if stats.rate is not None else "—"
    sheet.title(
        data.title("学习统计分析"),
        _subtitle(
            data,
            f"已举行 {stats.sessions_held} 场，计划 {stats.sessions_planned} 场，总出勤率 {rate}",
        ),
        ncols,
    )
    section = {"font": st.section, "fill": SECTION_FILL, "border": True}

    # 一、成员出勤
    sheet.line("一、成员出勤情况", ncols, **section)
    sheet.header(columns)
    members = stats.members if stats.sessions_held else []
    if not members:
        sheet.empty(data.empty_note, ncols)
    for number, tally in enumerate(members, start=1):
        sheet.record(
            [
                number,
                tally.member.name,
                tally.member.position,
                tally.expected,
                tally.present,
                tally.late,
                tally.left_early,
                tally.leave,
                tally.absent,
                tally.rate if tally.rate is not None else "—",
            ],
            formats={ncols: "0.0%"},
        )
    if members:
        row = sheet.row
        sheet.put(row, 1, "合计", font=st.bold, align=st.center, last_col=3, measure=False)
        for col, value in enumerate(
            (
                sum(m.expected for m in members),
                sum(m.present for m in members),
                sum(m.late for m in members),
                sum(m.left_early for m in members),
                sum(m.leave for m in members),
                sum(m.absent for m in members),
            ),
            start=4,
        ):
            sheet.put(row, col, value, font=st.bold, align=st.center)
        sheet.put(
            row,
            ncols,
            stats.rate if stats.rate is not None else "—",
            font=st.bold,
            align=st.center,
            number_format="0.0%",
        )
        sheet.row += 1
    sheet.line(RATE_NOTE, ncols, font=st.small)
    sheet.row += 1

    # 二、各专题
    start = sheet.row
    sheet.line("二、各专题学习场次", ncols, **section)
    _sub_header(
        sheet,
        [
            (1, 1, "专题"),
            (2, 6, "专题名称"),
            (7, 7, "已举行"),
            (8, 8, "计划中"),
            (9, 10, "举行日期"),
        ],
    )
    if not stats.topics:
        sheet.empty(data.empty_note, ncols)
    for coverage in stats.topics:
        topic = coverage.topic
        label = f"{topic.year}年专题{topic.number}" if data.year is None else topic.number
        _sub_row(
            sheet,
            [
                (1, 1, label),
                (2, 6, topic.title),
                (7, 7, len(coverage.held_dates)),
                (8, 8, len(coverage.planned_dates)),
                (9, 10, "\n".join(_day(d) for d in coverage.held_dates) or "未举行"),
            ],
            fills={9: None if coverage.done else OVERDUE_FILL},
            left={2},
        )
    sheet.keep(start, sheet.row - 1)
    sheet.row += 1

    # 三、各季度
    start = sheet.row
    sheet.line("三、各季度学习场次", ncols, **section)
    _sub_header(
        sheet, [(1, 3, "季度"), (4, 4, "已举行"), (5, 5, "计划中"), (6, 10, "各月已举行场次")]
    )
    for (year, quarter), count in stats.per_quarter.items():
        months = "；".join(
            f"{m}月 {stats.per_month[(year, m)].held} 场"
            for m in range(3 * quarter - 2, 3 * quarter + 1)
        )
        _sub_row(
            sheet,
            [
                (1, 3, f"{year}年{QUARTER_NAMES[quarter - 1]}"),
                (4, 4, count.held),
                (5, 5, count.planned),
                (6, 10, months),
            ],
            left={6},
        )
    if not stats.per_quarter:
        sheet.empty(data.empty_note, ncols)
    sheet.keep(start, sheet.row - 1)
    sheet.row += 1

    # 四、补学
    start = sheet.row
    sheet.line("四、补学完成情况", ncols, **section)
    _sub_header(sheet, [(1, 3, "状态"), (4, 4, "数量"), (5, 10, "说明")])
    explain = {
        MakeupStatus.DONE: "已登记完成日期、方式和佐证",
        MakeupStatus.PENDING: "未完成，尚未到截止日期",
        MakeupStatus.OVERDUE: "未完成，已过截止日期",
    }
    for status in (MakeupStatus.DONE, MakeupStatus.PENDING, MakeupStatus.OVERDUE):
        _sub_row(
            sheet,
            [(1, 3, status.label), (4, 4, stats.makeups[status]), (5, 10, explain[status])],
            left={5},
        )
    sheet.keep(start, sheet.row - 1)
    sheet.row += 1

    # 五、合规检查
    start = sheet.row
    sheet.line("五、合规检查发现的问题", ncols, **section)
    for report in data.compliance:
        sheet.line(report.summary, ncols, font=st.bold)
    _sub_header(sheet, [(1, 1, "序号"), (2, 3, "检查项"), (4, 10, "问题")])
    number = 0
    for report in data.compliance:
        titles = {r.code: r.title for r in report.results}
        for problem in report.problems:
            number += 1
            check = titles.get(problem.check, problem.check)
            if data.year is None:
                check = f"{report.year}年：{check}"
            _sub_row(sheet, [(1, 1, number), (2, 3, check), (4, 10, problem.message)], left={2, 4})
    if not number:
        sheet.empty("（未发现问题，全部检查通过）", ncols)
    sheet.keep(start, sheet.row - 1)
    # A long member table repeats its header; otherwise the later sections would print
    # under a header that is not theirs, so only the title repeats.
    long_table = len(members) > MEMBERS_PER_PAGE
    sheet.finish(title_rows=None if long_table else "1:2")


def _sub_header(sheet: _Sheet, spans: Iterable[tuple[int, int, str]]) -> None:
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


def _sub_row(
    sheet: _Sheet,
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


# -- the export ----------------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the ledger is read and built: tens of thousands of
    objects stay alive until the save, and the collector would walk them again and again
    (about a fifth of the build time). Nothing cyclic is dropped meanwhile; it is back on
    after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_ledger(
    data: LedgerData,
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the workbook of `data` to `path` as .xlsx; returns the path.

    `progress(done, total)` is called as the sheets are written. An existing file is
    replaced only when the new one is complete; a folder that does not exist, or a file
    held open by another program, gives ExportFileError.
    """
    with _collector_paused():
        return _write_ledger(data, Path(path), progress)


def _write_ledger(
    data: LedgerData,
    target: Path,
    progress: Callable[[int, int], None] | None,
) -> Path:
    from openpyxl import Workbook

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"保存位置不存在：{folder}")

    total = (
        len(data.stats.topics)
        + len(data.sessions)
        + len(data.stats.members)
        + len(data.leave)
        + len(data.makeups)
        + len(data.stats.members)
        + len(data.stats.topics)
        + len(data.stats.per_quarter)
        + 3
        + sum(len(r.problems) for r in data.compliance)
        + 1
    )
    done = 0

    def tick(step: int) -> None:
        nonlocal done
        done = min(done + step, total - 1)
        if progress is not None and (done % 25 == 0 or step > 1):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    wb = Workbook()
    wb.remove(wb.active)
    st = _Styles()
    for write in (
        _plan_sheet,
        _ledger_sheet,
        _attendance_sheet,
        _leave_sheet,
        _makeup_sheet,
        _statistics_sheet,
    ):
        write(wb, data, st, tick)
        if progress is not None:
            progress(done, total)
    wb.active = 0
    result = atomic_write(target, lambda tmp: wb.save(tmp))
    if progress is not None:
        progress(total, total)
    return result
