"""The sheets of the sessions: 学习计划 (the plan's topics), 学习台账 (each session) and
考勤表 (who attended which session)."""

from __future__ import annotations

from typing import Any

from studyplan.io.ledger.data import SHEET_NAMES, LedgerData, day, excerpt, subtitle, topic_label
from studyplan.io.ledger.layout import (
    LINE_HEIGHT,
    MIN_ROW_HEIGHT,
    OVERDUE_FILL,
    Column,
    Sheet,
    Styles,
    pages_across,
)
from studyplan.io.ledger.measure import lines_needed
from studyplan.model.plan import SessionStatus
from studyplan.model.statistics import RATE_NOTE

#: Cell fills of the attendance table (and its legend), by status code.
STATUS_FILLS = {
    "present": None,
    "late": "FFE699",
    "left_early": "FFE699",
    "leave": "DDEBF7",
    "absent": "F8CBAD",
}
NOT_EXPECTED_FILL = "F2F2F2"
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


def plan_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[0], st, tick)
    all_years = data.year is None
    columns = [
        Column("序号", 6, 6, "center"),
        Column("专题", 20, 46),
        Column("学习篇目", 14, 36),
        Column("计划日期", 12, 12, "center"),
        Column("举行日期", 12, 12, "center"),
        Column("状态", 8, 8, "center"),
    ]
    if all_years:
        columns.insert(0, Column("年度", 7, 7, "center"))
    topics = data.stats.topics
    done = sum(1 for t in topics if t.done)
    sheet.title(
        data.title("学习计划执行情况"),
        subtitle(data, f"专题 {len(topics)} 个，已学习 {done} 个"),
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
            "\n".join(day(d) for d in coverage.planned_dates),
            "\n".join(day(d) for d in coverage.held_dates),
            state,
        ]
        if all_years:
            values.insert(0, topic.year)
        sheet.record(values, fills={len(values): fill} if fill else None)
    sheet.finish()


def ledger_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[1], st, tick)
    columns = [
        Column("日期", 12, 12, "center"),
        Column("时间", 13, 13, "center"),
        Column("地点", 8, 18),
        Column("形式", 8, 10, "center"),
        Column("专题", 12, 34),
        Column("主持人", 8, 12, "center"),
        Column("领学/辅导人", 8, 12, "center"),
        Column("研讨发言", 10, 30),
        Column("应到", 6, 6, "center"),
        Column("实到", 6, 6, "center"),
        Column("请假", 6, 6, "center"),
        Column("缺席", 6, 6, "center"),
        Column("状态", 8, 8, "center"),
        Column("会议记录摘要", 14, 40),
    ]
    held = len(data.held)
    planned = sum(1 for s in data.sessions if s.status is SessionStatus.PLANNED)
    cancelled = len(data.sessions) - held - planned
    sheet.title(
        data.title("学习台账"),
        subtitle(
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
                day(session.date),
                session.time_range,
                session.location,
                session.form,
                data.topic_text(session),
                session.host,
                session.lecturer,
                speeches,
                *numbers,
                session.status.label,
                excerpt(data.minutes.get(session.id, "")),
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


def attendance_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[2], st, tick)
    all_years = data.year is None
    sessions = data.held
    session_width = 12.0 if all_years else 9.5
    columns = [
        Column("序号", 6, 6, "center"),
        Column("姓名", 8, 12, "center"),
        Column("职务", 10, 24),
    ]
    for session in sessions:
        head = f"{session.date:%Y-%m-%d}" if all_years else f"{session.date:%m-%d}"
        label = topic_label(session.topic_numbers)
        columns.append(
            Column(f"{head} {session.time_range}\n{label}", align="center", width=session_width)
        )
    first_total = len(columns) + 1
    for name in ("出席", "迟到", "早退", "请假", "缺席", "应到"):
        columns.append(Column(name, align="center", width=6.5))
    columns.append(Column("出勤率", align="center", width=9))
    ncols = len(columns)
    pages, first_page = pages_across([c.width or c.max_width for c in columns], fixed=3)
    sheet.title(
        data.title("考勤表"),
        subtitle(data, f"已举行 {len(sessions)} 场，成员 {len(data.stats.members)} 人"),
        first_page,
    )
    header = sheet.header(columns)
    head_lines = max(
        (lines_needed(c.header, c.width or 9) for c in columns[3 : first_total - 1]), default=1
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
        values: list[object] = [number, data.name(member), member.position]
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
    totals = sheet.row
    _attendance_totals(sheet, data, sessions, members, ncols)

    # Legend and note under the table.
    sheet.row += 1
    sheet.line("图例：", ncols, font=st.bold)
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
    # The totals go with the legend: a legend pushed to a page of its own would sit under the
    # repeated table header with no table row below that header.
    sheet.keep(totals, note)
    sheet.finish(title_cols="A:C" if pages > 1 else None, pages_wide=pages)


def _attendance_totals(sheet: Sheet, data: LedgerData, sessions, members, ncols: int) -> None:
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
