"""The study ledger (学习台账) workbook: the year's record as the inspection asks to see it.

Six sheets, each with a title, a frozen header repeated on every printed page, A4 landscape
fitted to the page width, and page numbers in the footer: 学习计划, 学习台账, 考勤表,
请假登记, 补学登记, 统计分析. Every number comes from the same services and queries the
application shows, so the workbook and the screen always agree. User text is written as
text (a name typed as "=1+1" stays a name), dates as "yyyy-mm-dd" text throughout.

The parts: `data` (LedgerData, what the workbook shows), `layout` and `measure` (the
layout engine: styles, widths, row heights, page breaks and setup; text measuring),
`session_sheets` and `followup_sheets` (the six sheets), `workbook` (writing the file).
"""

from __future__ import annotations

from studyplan.io.ledger.data import EMPTY_NOTE, EMPTY_NOTE_ALL, SHEET_NAMES, LedgerData
from studyplan.io.ledger.workbook import collector_paused, write_ledger

__all__ = [
    "EMPTY_NOTE",
    "EMPTY_NOTE_ALL",
    "SHEET_NAMES",
    "LedgerData",
    "collector_paused",
    "write_ledger",
]
