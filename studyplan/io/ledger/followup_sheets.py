"""The sheets that follow the sessions up: 请假登记, 补学登记 and 统计分析 (with the
compliance check's problems)."""

from __future__ import annotations

from studyplan.io.ledger.data import SHEET_NAMES, LedgerData, day, moment, subtitle
from studyplan.io.ledger.layout import (
    OVERDUE_FILL,
    TITLE_HEIGHT,
    Column,
    Sheet,
    Styles,
    height_of,
    sub_header,
    sub_row,
    table_pages,
)
from studyplan.model.attendance import MakeupStatus, done_late
from studyplan.model.statistics import RATE_NOTE
from studyplan.model.years import QUARTER_NAMES

SECTION_FILL = "EDEDED"


def leave_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[3], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("姓名", 8, 12, "center"),
        Column("职务", 10, 24),
        Column("场次日期", 12, 12, "center"),
        Column("类别", 10, 12, "center"),
        Column("事由", 12, 36),
        Column("提交时间", 18, 18, "center"),
        Column("审批人", 8, 12, "center"),
        Column("审批结果", 10, 10, "center"),
        Column("审批时间", 18, 18, "center"),
        Column("事后补假", 10, 10, "center"),
    ]
    approved = sum(1 for e in data.leave if e.request.decision.value == "approved")
    sheet.title(
        data.title("请假登记表"),
        subtitle(
            data,
            f"请假申请 {len(data.leave)} 条，已批准 {approved} 条（{data.leave_count_text}）",
        ),
        len(columns),
    )
    sheet.header(columns)
    if not data.leave:
        sheet.empty(data.empty_note, len(columns))
    for number, entry in enumerate(data.leave, start=1):
        request = entry.request
        fills = {9: "FFF2CC"} if request.decision.value == "pending" else None
        sheet.record(
            [
                number,
                data.name(entry.member),
                entry.member.position,
                entry.span_label,
                request.kind_label,
                request.reason,
                moment(request.filed_at),
                request.approver,
                request.decision.label,
                moment(request.decided_at),
                "是" if request.late else "",
            ],
            fills=fills,
        )
    sheet.row += 1
    sheet.line("事后补假：会议开始后才提交的请假申请。", len(columns), font=st.small)
    sheet.finish()


def makeup_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[4], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("姓名", 8, 12, "center"),
        Column("场次日期", 12, 12, "center"),
        Column("缺勤情形", 10, 10, "center"),
        Column("专题", 12, 44),
        Column("截止日期", 12, 12, "center"),
        Column("完成日期", 12, 12, "center"),
        Column("方式", 10, 14, "center"),
        Column("佐证", 10, 34),
        Column("状态", 8, 8, "center"),
    ]
    done = sum(1 for e in data.makeups if e.status is MakeupStatus.DONE)
    done_after = sum(1 for e in data.makeups if done_late(e.makeup))
    overdue = sum(1 for e in data.makeups if e.status is MakeupStatus.OVERDUE)
    late_text = f"（其中逾期完成 {done_after} 项）" if done_after else ""
    sheet.title(
        data.title("补学登记表"),
        subtitle(
            data,
            f"补学任务 {len(data.makeups)} 项，已完成 {done} 项{late_text}，已逾期 {overdue} 项",
        ),
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
                data.name(entry.member),
                day(entry.session.date),
                mark.label if mark else "",
                data.topic_text(entry.session),
                day(makeup.due),
                day(makeup.completed),
                makeup.method,
                makeup.evidence,
                "逾期完成" if done_late(makeup) else entry.status.label,
            ],
            fills=fills,
        )
    sheet.finish()


def statistics_sheet(wb, data: LedgerData, st: Styles, tick) -> None:
    sheet = Sheet(wb, SHEET_NAMES[5], st, tick)
    columns = [
        Column("序号", 6, 6, "center"),
        Column("姓名", 10, 14, "center"),
        Column("职务", 16, 24),
        Column("应到", 8, 8, "center"),
        Column("出席", 8, 8, "center"),
        Column("迟到", 8, 8, "center"),
        Column("早退", 8, 8, "center"),
        Column("请假", 8, 8, "center"),
        Column("缺席", 8, 8, "center"),
        Column("出勤率", 12, 12, "center"),
    ]
    ncols = len(columns)
    stats = data.stats
    rate = f"{stats.rate:.1%}" if stats.rate is not None else "—"
    sheet.title(
        data.title("学习统计分析"),
        subtitle(
            data,
            f"已举行 {stats.sessions_held} 场，计划 {stats.sessions_planned} 场，总出勤率 {rate}",
        ),
        ncols,
    )
    section = {"font": st.section, "fill": SECTION_FILL, "border": True}

    # 一、成员出勤: a long table goes on over pages, each beginning with its header; the
    # header is not a print title, which would repeat it above the later sections too.
    start = sheet.line("一、成员出勤情况", ncols, **section)
    sheet.header(columns)
    members = stats.members if stats.sessions_held else []
    if not members:
        sheet.empty(data.empty_note, ncols)
    rows = [
        [
            number,
            data.name(tally.member),
            tally.member.position,
            tally.expected,
            tally.present,
            tally.late,
            tally.left_early,
            tally.leave,
            tally.absent,
            tally.rate if tally.rate is not None else "—",
        ]
        for number, tally in enumerate(members, start=1)
    ]
    shown = [
        [*row[:-1], f"{row[-1]:.1%}" if isinstance(row[-1], float) else row[-1]] for row in rows
    ]
    total_row = ["合计", "", "", *([0] * 6), "100.0%"]
    pages = table_pages(
        columns,
        [*shown, total_row] if rows else [],
        first_above=TITLE_HEIGHT + height_of(1),  # and the section's heading
        above=TITLE_HEIGHT,
    )
    done = 0
    for page, on_page in enumerate(pages):
        if page:
            start = sheet.header_again()
        for row in rows[done : done + on_page]:
            sheet.record(row, formats={ncols: "0.0%"})
        done += on_page
        if done > len(rows):  # the totals row ends this page
            _totals(sheet, members, stats.rate, ncols)
        sheet.keep(start, sheet.row - 1)
    sheet.line(f"已批准请假：{data.leave_count_text}。", ncols, font=st.small)
    sheet.line(RATE_NOTE, ncols, font=st.small)
    sheet.row += 1

    # 二、各专题
    start = sheet.row
    sheet.line("二、各专题学习场次", ncols, **section)
    sub_header(
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
        sub_row(
            sheet,
            [
                (1, 1, label),
                (2, 6, topic.title),
                (7, 7, len(coverage.held_dates)),
                (8, 8, len(coverage.planned_dates)),
                (9, 10, "\n".join(day(d) for d in coverage.held_dates) or "未举行"),
            ],
            fills={9: None if coverage.done else OVERDUE_FILL},
            left={2},
        )
    sheet.keep(start, sheet.row - 1)
    sheet.row += 1

    # 三、各季度
    start = sheet.row
    sheet.line("三、各季度学习场次", ncols, **section)
    sub_header(
        sheet, [(1, 3, "季度"), (4, 4, "已举行"), (5, 5, "计划中"), (6, 10, "各月已举行场次")]
    )
    for (year, quarter), count in stats.per_quarter.items():
        months = "；".join(
            f"{m}月 {stats.per_month[(year, m)].held} 场"
            for m in range(3 * quarter - 2, 3 * quarter + 1)
        )
        sub_row(
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
    sub_header(sheet, [(1, 3, "状态"), (4, 4, "数量"), (5, 10, "说明")])
    explain = {
        MakeupStatus.DONE: "已登记完成日期、方式和佐证",
        MakeupStatus.PENDING: "未完成，尚未到截止日期",
        MakeupStatus.OVERDUE: "未完成，已过截止日期",
    }
    for status in (MakeupStatus.DONE, MakeupStatus.PENDING, MakeupStatus.OVERDUE):
        sub_row(
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
    sub_header(sheet, [(1, 1, "序号"), (2, 3, "检查项"), (4, 10, "问题")])
    number = 0
    for report in data.compliance:
        titles = {r.code: r.title for r in report.results}
        for problem in report.problems:
            number += 1
            check = titles.get(problem.check, problem.check)
            if data.year is None:
                check = f"{report.year}年：{check}"
            sub_row(sheet, [(1, 1, number), (2, 3, check), (4, 10, problem.message)], left={2, 4})
    if not number:
        sheet.empty("（未发现问题，全部检查通过）", ncols)
    for report in data.compliance:
        prefix = f"{report.year}年：" if data.year is None else ""
        for note in report.notes:  # e.g. a member on the way to a yearly duty
            sheet.line(f"提示：{prefix}{note.message}", ncols, font=st.small)
    sheet.keep(start, sheet.row - 1)
    # Only the title repeats: the member table writes its own header on each of its pages,
    # and the later sections have theirs.
    sheet.finish(title_rows="1:2")


def _totals(sheet: Sheet, members, rate: float | None, ncols: int) -> None:
    """The member table's 合计 row."""
    st = sheet.st
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
        rate if rate is not None else "—",
        font=st.bold,
        align=st.center,
        number_format="0.0%",
    )
    sheet.row += 1
