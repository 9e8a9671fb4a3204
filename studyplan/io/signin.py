"""The sign-in sheet (签到表) of one session: what it says, as HTML for printing and as .xlsx.

The sheet is printed before the session and signed by hand: one tall row per expected
member in roster order, members on approved leave already marked 请假 with the reason.
The PDF and the printer take the HTML (see `studyplan.gui.signin_print`); the .xlsx is for
secretaries who adjust the form in Excel or WPS before printing it.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studyplan.io.files import atomic_write
from studyplan.model.text import display_width

FALLBACK_TITLE = "理论学习中心组学习签到表"
TITLE_SUFFIX = "理论学习中心组学习签到表"
RECORDER_ROLE = "学习秘书"
LEAVE_MARK = "请假"
NO_MEMBERS_NOTE = "本场次没有应到成员，请先在成员名单中添加中心组成员。"
CANCELLED_NOTE = "本场学习已取消。"
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
COLUMNS = ("序号", "姓名", "职务", "签名", "备注")


@dataclass(frozen=True)
class SignInRow:
    """One line of the table: a member expected at the session."""

    number: int
    name: str
    position: str = ""
    on_leave: bool = False
    leave_reason: str = ""


@dataclass(frozen=True)
class GuestRow:
    """One 列席 person, in a block of their own below the members: never in 应到."""

    number: int
    name: str
    unit: str = ""


GUEST_HEADING = "列席人员"
GUEST_COLUMNS = ("序号", "姓名", "单位或职务", "签名", "备注")


@dataclass
class SignInSheet:
    """Everything printed on the sign-in sheet of one session, as text."""

    title: str
    org: str
    session_id: int | None
    date: dt.date
    time_text: str
    location: str = ""
    form: str = ""
    topic_lines: list[str] = field(default_factory=list)
    host: str = ""
    lecturer: str = ""
    rows: list[SignInRow] = field(default_factory=list)
    note: str = ""
    guests: list[GuestRow] = field(default_factory=list)

    @property
    def date_text(self) -> str:
        """E.g. 2026年3月12日 星期四."""
        d = self.date
        return f"{d.year}年{d.month}月{d.day}日 {WEEKDAYS[d.weekday()]}"

    @property
    def expected(self) -> int:
        """应到: every member on the sheet."""
        return len(self.rows)

    @property
    def on_leave(self) -> int:
        """请假: members with an approved leave request."""
        return sum(1 for row in self.rows if row.on_leave)

    @property
    def counts_line(self) -> str:
        line = f"应到 {self.expected} 人　　请假 {self.on_leave} 人　　实到 ______ 人"
        return line + (f"　　列席 {len(self.guests)} 人" if self.guests else "")

    @property
    def recorder_line(self) -> str:
        return f"记录人：______________（{RECORDER_ROLE}）"

    @property
    def file_stem(self) -> str:
        """A file name (without suffix) the save dialog can offer."""
        return f"学习签到表_{self.date:%Y-%m-%d}"

    def info_pairs(self) -> list[tuple[str, str]]:
        """The session's details as (label, value), in print order; 专题 excluded."""
        pairs = [
            ("日期", self.date_text),
            ("时间", self.time_text),
            ("地点", self.location),
            ("学习形式", self.form),
        ]
        if self.host or self.lecturer:
            pairs.append(("主持人", self.host))
            pairs.append(("领学人", self.lecturer))
        return pairs


def title_for(org: str) -> str:
    return f"{org}{TITLE_SUFFIX}" if org else FALLBACK_TITLE


# -- HTML (for the PDF and the printer) ---------------------------------------------------

#: Column widths of the member table, in percent of the text width.
HTML_COLUMN_WIDTHS = (7, 15, 32, 26, 20)

# Lengths are CSS pixels (1/96 inch), which Qt's rich text keeps whatever the device:
# a member row is one 15px line + 2 × 11px padding + rule ≈ 42px ≈ 11 mm.
_CSS = """
body { font-size: 15px; color: #000000; }
p.title { font-size: 26px; font-weight: bold; margin-top: 0px; margin-bottom: 16px; }
table.info { margin-bottom: 12px; }
table.info td { font-size: 15px; padding-top: 3px; padding-bottom: 3px; }
td.label { font-weight: bold; white-space: nowrap; }
table.grid { border-collapse: collapse; border-style: solid; border-color: #000000; }
table.grid th { font-size: 15px; font-weight: bold; background-color: #eeeeee;
  padding-top: 7px; padding-bottom: 7px; padding-left: 4px; padding-right: 4px; }
table.grid td { font-size: 15px; padding-top: 11px; padding-bottom: 11px;
  padding-left: 5px; padding-right: 5px; }
td.leave { color: #808080; background-color: #f2f2f2; }
td.reason { color: #606060; font-size: 13px; }
td.note { color: #606060; }
p.counts { font-size: 15px; margin-top: 16px; margin-bottom: 0px; }
p.recorder { font-size: 15px; margin-top: 14px; margin-bottom: 0px; }
"""

_BREAK = ' style="page-break-before: always;"'
_GAP = "&nbsp;" * 6


def _text(value: str) -> str:
    return html.escape(value or "", quote=True)


def _info_table(sheet: SignInSheet) -> str:
    out = ['<table class="info" width="100%" border="0" cellspacing="0" cellpadding="2">']
    pairs = sheet.info_pairs()
    for i in range(0, len(pairs), 2):
        cells = []
        for label, value in pairs[i : i + 2]:
            cells.append(f'<td class="label" width="12%">{_text(label)}：</td>')
            cells.append(f'<td width="38%">{_text(value)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    topics = "<br>".join(_text(line) for line in sheet.topic_lines)
    out.append(
        '<tr><td class="label" width="12%" valign="top">专题：</td>'
        f'<td colspan="3">{topics}</td></tr></table>'
    )
    return "\n".join(out)


def _member_table(rows: Sequence[SignInRow], note: str, new_page: bool) -> str:
    head = "".join(
        f'<th width="{w}%" align="center" valign="middle">{_text(name)}</th>'
        for name, w in zip(COLUMNS, HTML_COLUMN_WIDTHS, strict=True)
    )
    out = [
        f'<table class="grid" width="100%" border="1" cellspacing="0" cellpadding="5"'
        f"{_BREAK if new_page else ''}><thead><tr>{head}</tr></thead><tbody>"
    ]
    for row in rows:
        if row.on_leave:
            sign = f'<td class="leave" align="center" valign="middle">{LEAVE_MARK}</td>'
            remark = f'<td class="reason" valign="middle">{_text(row.leave_reason)}</td>'
        else:
            sign = "<td>&nbsp;</td>"
            remark = "<td>&nbsp;</td>"
        out.append(
            f'<tr><td align="center" valign="middle">{row.number}</td>'
            f'<td align="center" valign="middle">{_text(row.name)}</td>'
            f'<td valign="middle">{_text(row.position)}</td>{sign}{remark}</tr>'
        )
    if note:
        out.append(
            f'<tr><td class="note" colspan="{len(COLUMNS)}" align="center">{_text(note)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _guest_table(guests: Sequence[GuestRow]) -> str:
    """The 列席人员 block: a heading and a table like the members', below theirs."""
    head = "".join(
        f'<th width="{w}%" align="center" valign="middle">{_text(name)}</th>'
        for name, w in zip(GUEST_COLUMNS, HTML_COLUMN_WIDTHS, strict=True)
    )
    out = [
        f'<p class="counts"><b>{GUEST_HEADING}</b></p>',
        '<table class="grid" width="100%" border="1" cellspacing="0" cellpadding="5">'
        f"<thead><tr>{head}</tr></thead><tbody>",
    ]
    for guest in guests:
        out.append(
            f'<tr><td align="center" valign="middle">{guest.number}</td>'
            f'<td align="center" valign="middle">{_text(guest.name)}</td>'
            f'<td valign="middle">{_text(guest.unit)}</td><td>&nbsp;</td><td>&nbsp;</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def signin_html(
    sheet: SignInSheet, page_breaks: Sequence[int] = (), *, with_footer: bool = True
) -> str:
    """The sheet as an HTML document within what Qt's QTextDocument renders: tables with
    border attributes, simple CSS, and a <thead> Qt repeats should a table cross a page.

    `page_breaks` are the indexes of the rows that begin a new page; each page then gets a
    complete table of its own with the header row (a break at `len(rows)` puts the counts
    on a page of their own). `with_footer=False` leaves out the counts and the recorder's
    line, for measuring.
    """
    rows = sheet.rows
    bounds = sorted({b for b in page_breaks if 0 < b <= len(rows)})
    out: list[str] = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{_text(sheet.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<p class="title" align="center">{_text(sheet.title)}</p>',
        _info_table(sheet),
    ]
    edges = [0, *[b for b in bounds if b < len(rows)], len(rows)]
    for index, (first, last) in enumerate(itertools.pairwise(edges)):
        is_last = index == len(edges) - 2
        out.append(_member_table(rows[first:last], sheet.note if is_last else "", index > 0))
    if sheet.guests:
        out.append(_guest_table(sheet.guests))
    if with_footer:
        footer_break = _BREAK if len(rows) in bounds else ""
        counts = f"应到 {sheet.expected} 人{_GAP}请假 {sheet.on_leave} 人{_GAP}实到 ________ 人"
        if sheet.guests:
            counts += f"{_GAP}列席 {len(sheet.guests)} 人"
        out.append(f'<p class="counts"{footer_break}>{counts}</p>')
        out.append(f'<p class="recorder" align="right">{_text(sheet.recorder_line)}</p>')
    out.append("</body></html>")
    return "\n".join(out)


def rows_html(rows: Sequence[SignInRow]) -> str:
    """Only the member table of `rows`, under its header: for measuring a row's height."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{_CSS}</style></head><body>{_member_table(rows, '', False)}</body></html>"
    )


# -- XLSX --------------------------------------------------------------------------------

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
SIGN_ROW_HEIGHT = 30.0  # points, ≈ 10.6 mm: room for a handwritten name
LINE_HEIGHT = 17.0  # points per line of 12 pt text
#: Excel width units per display column of 12 pt text (a Chinese character is 2 columns).
UNITS_PER_COLUMN = 1.2
# Column widths in Excel units, kept within about 82 so that the table prints at or near
# 100 % on A4: fit-to-width shrinks the rows too, and they must stay tall enough to sign.
_MIN_WIDTHS = (6.0, 10.0, 16.0, 20.0, 14.0)
_MAX_WIDTHS = (7.0, 14.0, 26.0, 20.0, 18.0)


def _lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell `width` Excel units wide needs for `text`."""
    usable = max((width - 1.5) / UNITS_PER_COLUMN, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _column_widths(sheet: SignInSheet) -> list[float]:
    columns: list[list[str]] = [
        [COLUMNS[0], str(max(sheet.expected, 1))],
        [COLUMNS[1], *(r.name for r in sheet.rows)],
        [COLUMNS[2], *(r.position for r in sheet.rows)],
        [COLUMNS[3]],
        [COLUMNS[4], *(r.leave_reason for r in sheet.rows)],
    ]
    widths = []
    for values, low, high in zip(columns, _MIN_WIDTHS, _MAX_WIDTHS, strict=True):
        wanted = max(display_width(v) for v in values) * UNITS_PER_COLUMN + 2
        widths.append(round(min(max(wanted, low), high), 1))
    return widths


def write_signin_xlsx(sheet: SignInSheet, path: str | Path) -> Path:
    """Write the sheet as a printable .xlsx (A4 portrait, fit to width, header row repeated
    on every page); an existing file is replaced only once the new one is complete."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ncols = len(COLUMNS)
    last_col = get_column_letter(ncols)
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name=BODY_FONT, size=12)
    bold_font = Font(name=BODY_FONT, size=12, bold=True)
    grey_font = Font(name=BODY_FONT, size=12, color="808080")
    grey_small = Font(name=BODY_FONT, size=10.5, color="606060")
    grey_fill = PatternFill("solid", fgColor="F2F2F2")
    head_fill = PatternFill("solid", fgColor="EEEEEE")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    indented = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    widths = _column_widths(sheet)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    def put(row: int, col: int, value: object, font=body_font, align=left):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.font = font
        cell.alignment = align
        return cell

    def merge(row: int, first: int, last: int) -> None:
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    # Title.
    put(1, 1, sheet.title, Font(name=TITLE_FONT, size=18, bold=True), center)
    merge(1, 1, ncols)
    ws.row_dimensions[1].height = 36
    row = 2

    # Session details: two (label, value) pairs per line, as "日期：…" text in A–C and D–E.
    halves = ((1, 3), (4, ncols))
    pairs = sheet.info_pairs()
    for i in range(0, len(pairs), 2):
        lines = 1
        for (first, last), (label, detail) in zip(halves, pairs[i : i + 2], strict=False):
            text = f"{label}：{detail}"
            put(row, first, text)
            merge(row, first, last)
            lines = max(lines, _lines_needed(text, sum(widths[first - 1 : last])))
        ws.row_dimensions[row].height = max(20.0, lines * LINE_HEIGHT + 4)
        row += 1
    topics = "专题：" + "\n\u3000\u3000\u3000".join(sheet.topic_lines)
    put(row, 1, topics, align=top_left)
    merge(row, 1, ncols)
    lines = _lines_needed(topics, sum(widths))
    ws.row_dimensions[row].height = max(20.0, lines * LINE_HEIGHT + 4)
    row += 2

    # The member table; its header row repeats on every printed page.
    header_row = row
    for col, name in enumerate(COLUMNS, start=1):
        cell = put(row, col, name, bold_font, center)
        cell.border = grid
        cell.fill = head_fill
    ws.row_dimensions[row].height = 22
    row += 1
    for entry in sheet.rows:
        values: list[object] = [
            entry.number,
            entry.name,
            entry.position,
            LEAVE_MARK if entry.on_leave else "",
            entry.leave_reason if entry.on_leave else "",
        ]
        for col, value in enumerate(values, start=1):
            align = indented if col in (3, 5) else center
            font = body_font
            if entry.on_leave and col == 4:
                font = grey_font
            elif entry.on_leave and col == 5:
                font = grey_small
            cell = put(row, col, value, font, align) if value != "" else ws.cell(row, col)
            cell.border = grid
            if entry.on_leave and col == 4:
                cell.fill = grey_fill
        lines = max(
            _lines_needed(entry.name, widths[1]),
            _lines_needed(entry.position, widths[2]),
            _lines_needed(entry.leave_reason, widths[4]) if entry.on_leave else 1,
        )
        ws.row_dimensions[row].height = max(SIGN_ROW_HEIGHT, lines * LINE_HEIGHT + 6)
        row += 1
    if sheet.note:
        put(row, 1, sheet.note, grey_font, center)
        merge(row, 1, ncols)
        for col in range(1, ncols + 1):
            ws.cell(row, col).border = grid
        ws.row_dimensions[row].height = SIGN_ROW_HEIGHT
        row += 1

    # 列席人员: a block of their own, never counted in 应到.
    if sheet.guests:
        row += 1
        put(row, 1, GUEST_HEADING, bold_font)
        merge(row, 1, ncols)
        row += 1
        for col, name in enumerate(GUEST_COLUMNS, start=1):
            cell = put(row, col, name, bold_font, center)
            cell.border = grid
            cell.fill = head_fill
        row += 1
        for guest in sheet.guests:
            for col, value in enumerate([guest.number, guest.name, guest.unit, "", ""], start=1):
                align = indented if col == 3 else center
                cell = put(row, col, value, body_font, align) if value != "" else ws.cell(row, col)
                cell.border = grid
            ws.row_dimensions[row].height = SIGN_ROW_HEIGHT
            row += 1

    # Counts and the recorder's line.
    row += 1
    put(row, 1, sheet.counts_line)
    merge(row, 1, ncols)
    ws.row_dimensions[row].height = 24
    row += 1
    put(row, 1, sheet.recorder_line, align=Alignment(horizontal="right", vertical="center"))
    merge(row, 1, ncols)
    ws.row_dimensions[row].height = 24
    last_row = row

    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    ws.sheet_view.showGridLines = False

    return atomic_write(path, lambda tmp: wb.save(tmp))
