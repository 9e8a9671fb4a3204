"""The sheets of 三张清单 and of the members' duties: 学习责任清单, 学习任务清单, 成果转化清单
and 成员履职情况. The ledger writes them after its six sheets; `io/lists_workbook.py`
writes them alone as one printable file. Both follow the ledger's A4 layout (layout.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from studyplan.io.ledger.data import day
from studyplan.io.ledger.layout import OVERDUE_FILL, Column, Sheet, Styles
from studyplan.io.ledger.measure import CJK_SLACK
from studyplan.model.duties import (
    DUTIES,
    DutyState,
    ListsData,
    SpeakerState,
    duty_shortfall,
    lists_check,
    rate_text,
)
from studyplan.model.plan import SessionStatus

#: The 专题 column of 学习任务清单: a title of up to 22 characters on one line as the layout
#: estimates it (model/text display widths, with the layout's slack for CJK).
TOPIC_WIDTH = 50

#: Table rows kept on the page of the lines under a table (成员履职情况's check, 学习责任
#:清单's note).
TABLE_ROWS_KEPT = 3

LIST_SHEET_NAMES: tuple[str, ...] = ("学习责任清单", "学习任务清单", "成果转化清单", "成员履职情况")


class ListsBook(Protocol):
    """What the list sheets need of the workbook they are in (LedgerData has it all)."""

    @property
    def year(self) -> int | None: ...

    @property
    def lists(self) -> list[ListsData]: ...

    def title(self, what: str) -> str: ...

    @property
    def empty_note(self) -> str: ...


def _finish(sheet: Sheet) -> None:
    """Finish the sheet with each measured column wide enough that the layout's own estimate
    of lines (measure.lines_needed, which allows CJK_SLACK per character) keeps its widest
    text on one line. A column measured to its text alone (学习场次 "2025-07-10 已举行",
    职务) was estimated to wrap, and its rows printed twice as tall as their text."""
    for col, wanted in sheet.measured.items():
        sheet.measured[col] = math.ceil(wanted * CJK_SLACK) + 1
    sheet.finish()


def _prefix(book: ListsBook, lists: ListsData) -> str:
    return "" if book.year is not None else f"{lists.year}年"


def _subtitle(book: ListsBook, text: str) -> str:
    today = book.lists[0].today if book.lists else None
    return "　　".join([text, f"截至 {day(today)}"]) if today else text


def responsibility_sheet(wb, book: ListsBook, st: Styles, tick: Callable[[int], None]) -> None:
    sheet = Sheet(wb, LIST_SHEET_NAMES[0], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("专题或场次", 16, 40),
        Column("主持人", 8, 12, "center"),
        Column("领学/辅导人", 10, 14, "center"),
        Column("重点发言人及题目", 16, 40),
        Column("责任处室", 10, 16, "center"),
        Column("发言落实", 12, 18),
    ]
    missing = sum(len(lists.missing_speakers) for lists in book.lists)
    sheet.title(
        book.title("学习责任清单"),
        _subtitle(book, f"重点发言人未发言 {missing} 人次"),
        len(columns),
    )
    sheet.header(columns)
    number = 0
    for lists in book.lists:
        prefix = _prefix(book, lists)
        rows = [
            (
                f"{prefix}专题{line.topic.number} {line.topic.title}",
                line.arrangement.host,
                line.arrangement.lecturer,
                line.speakers,
                line.arrangement.department,
            )
            for line in lists.topics
        ] + [
            (
                f"{day(line.session.date)} 学习（{line.session.status.label}）"
                + (
                    "\n专题" + "、".join(str(n) for n in line.session.topic_numbers)
                    if line.session.topic_numbers
                    else ""
                ),
                line.session.host,
                line.session.lecturer,
                line.speakers,
                line.department,
            )
            for line in lists.sessions
        ]
        for what, host, lecturer, speakers, department in rows:
            number += 1
            planned = "\n".join(
                s.name + (f"：{s.speaker.subject}" if s.speaker.subject else "") for s in speakers
            )
            states = "\n".join(f"{s.name} {s.state.label}" for s in speakers)
            short = any(s.state is SpeakerState.MISSING for s in speakers)
            sheet.record(
                [number, what, host, lecturer, planned, department, states],
                fills={7: OVERDUE_FILL} if short else None,
            )
    if not number:
        sheet.empty(book.empty_note, len(columns))
    kept_from = max(sheet.row - TABLE_ROWS_KEPT, sheet.header_row + 1)
    sheet.row += 1
    sheet.line(
        "发言落实：场次举行后，按研讨发言记录核对；专题的重点发言人在该专题任一场学习中发言即为已发言。",
        len(columns),
        font=st.small,
    )
    sheet.keep(kept_from, sheet.row - 1)  # the note not alone under a repeated header
    _finish(sheet)


def task_sheet(wb, book: ListsBook, st: Styles, tick: Callable[[int], None]) -> None:
    sheet = Sheet(wb, LIST_SHEET_NAMES[1], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        # The topic's title is the longest text of a row, and many topics list no reading:
        # a narrow title column gave such rows two or three lines of height for a title
        # LibreOffice prints on one or two. The readings wrap instead.
        Column("专题", 16, TOPIC_WIDTH),
        Column("学习内容（篇目）", 20, 40),
        Column("学习形式", 10, 12, "center"),
        Column("计划月份", 8, 10, "center"),
        Column("学习场次", 14, 22),
        Column("完成情况", 8, 10, "center"),
    ]
    done = sum(
        1
        for lists in book.lists
        for line in lists.topics
        if any(s.status is SessionStatus.HELD for s in line.sessions)
    )
    total = sum(len(lists.topics) for lists in book.lists)
    sheet.title(
        book.title("学习任务清单"),
        _subtitle(book, f"专题 {total} 个，已学 {done} 个"),
        len(columns),
    )
    sheet.header(columns)
    number = 0
    for lists in book.lists:
        for line in lists.topics:
            number += 1
            held = any(s.status is SessionStatus.HELD for s in line.sessions)
            month = line.arrangement.month
            sheet.record(
                [
                    number,
                    f"{_prefix(book, lists)}专题{line.topic.number} {line.topic.title}",
                    "\n".join(line.topic.readings),
                    line.arrangement.form,
                    f"{month}月" if month else "",
                    "\n".join(f"{day(s.date)} {s.status.label}" for s in line.sessions),
                    "已学" if held else "未学",
                ]
            )
    if not number:
        sheet.empty(book.empty_note, len(columns))
    _finish(sheet)


def results_sheet(wb, book: ListsBook, st: Styles, tick: Callable[[int], None]) -> None:
    sheet = Sheet(wb, LIST_SHEET_NAMES[2], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("对应专题或场次", 14, 30),
        Column("成果名称", 14, 30),
        Column("类型", 8, 10, "center"),
        Column("责任人", 8, 10, "center"),
        Column("完成时限", 12, 12, "center"),
        Column("进展", 8, 8, "center"),
        Column("成效说明", 14, 36),
        Column("附件", 10, 24),
    ]
    results = [(lists, line) for lists in book.lists for line in lists.results]
    overdue = sum(1 for _, line in results if line.overdue)
    sheet.title(
        book.title("学习成果转化清单"),
        _subtitle(book, f"成果 {len(results)} 项，已逾期 {overdue} 项"),
        len(columns),
    )
    sheet.header(columns)
    if not results:
        sheet.empty(book.empty_note, len(columns))
    for number, (lists, line) in enumerate(results, start=1):
        result = line.result
        sheet.record(
            [
                number,
                _prefix(book, lists) + line.target,
                result.name,
                result.kind,
                line.owner,
                day(result.due),
                "已逾期" if line.overdue else result.progress.label,
                result.effect,
                "\n".join(a.replace("\\", "/").rsplit("/", 1)[-1] for a in result.attachments),
            ],
            fills={6: OVERDUE_FILL, 7: OVERDUE_FILL} if line.overdue else None,
        )
    _finish(sheet)


def duties_sheet(wb, book: ListsBook, st: Styles, tick: Callable[[int], None]) -> None:
    sheet = Sheet(wb, LIST_SHEET_NAMES[3], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("姓名", 8, 12, "center"),
        Column("职务", 12, 24),
        Column("应到", 6, 6, "center"),
        Column("实到", 6, 6, "center"),
        Column("出勤率", 8, 8, "center"),
        *(Column(duty.name, 8, 12, "center") for duty in DUTIES),
        Column("笔记检查", 8, 8, "center"),
        Column("完成情况", 12, 36),
    ]
    entries = [(lists, entry) for lists in book.lists for entry in lists.members]
    required = book.lists[-1].members[0].required if entries else {}
    rule = "；".join(f"{d.name} {required.get(d.code, 0)}" for d in DUTIES)
    sheet.title(book.title("成员履职情况"), _subtitle(book, f"每年须完成：{rule}"), len(columns))
    sheet.header(columns)
    if not entries:
        sheet.empty(book.empty_note, len(columns))
    for number, (lists, entry) in enumerate(entries, start=1):
        a = entry.attendance
        short = entry.short
        if not short:
            state = "已完成"
        elif entry.over:
            state = f"未完成：{duty_shortfall(entry)}"
        else:
            state = f"进行中：{duty_shortfall(entry)}"
        fills = {}
        for col, duty in enumerate(DUTIES, start=7):
            if entry.state(duty) is DutyState.SHORT:
                fills[col] = OVERDUE_FILL
        sheet.record(
            [
                number,
                _prefix(book, lists) + entry.member.name,
                entry.member.position,
                a.expected,
                a.attended,
                rate_text(a.rate),
                *(f"{entry.counts.done(d)}/{entry.required[d.code]}" for d in DUTIES),
                entry.counts.note_checks,
                state,
            ],
            fills=fills or None,
        )
    # The check of the lists: planned speakers, results, duties. What is still on its way
    # is the 完成情况 column's (进行中：…), not said again here. The lines are kept on a
    # page with the table's last rows: alone on a page of their own they were printed under
    # the repeated header, a table heading nothing.
    kept_from = max(sheet.row - TABLE_ROWS_KEPT, sheet.header_row + 1)
    sheet.row += 1
    ncols = len(columns)
    for lists in book.lists:
        checked = lists_check(lists)
        sheet.line(
            _prefix(book, lists) + checked.report.summary.replace("合规检查", "清单检查"),
            ncols,
            font=st.bold,
        )
        for problem in checked.report.problems:
            sheet.line(problem.message, ncols)
    sheet.keep(kept_from, sheet.row - 1)
    _finish(sheet)


LIST_SHEETS = (responsibility_sheet, task_sheet, results_sheet, duties_sheet)
