"""The ledger workbook, checked sheet by sheet against the database it was written from."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.demo import build_demo
from studyplan.app.ledger import export_ledger
from studyplan.app.planning import PlanningService
from studyplan.app.statistics import StatisticsService
from studyplan.io.ledger import EMPTY_NOTE
from studyplan.io.ledger import SHEET_NAMES as LEDGER_SHEETS
from studyplan.io.ledger.list_sheets import LIST_SHEET_NAMES
from studyplan.model.attendance import AttendanceStatus, LeaveDecision
from studyplan.model.errors import ExportFileError
from studyplan.model.plan import SessionStatus

TODAY = dt.date(2026, 11, 26)
#: The six sheets of the record, then 三张清单 and 成员履职情况 (issue 18).
SHEET_NAMES = (*LEDGER_SHEETS, *LIST_SHEET_NAMES)
LABELS = {s.label for s in AttendanceStatus}


@pytest.fixture
def demo(db):
    build_demo(db, year=2025, today=TODAY)
    return db


@pytest.fixture
def ledger(demo, tmp_path):
    out = tmp_path / "台账.xlsx"
    calls: list[tuple[int, int]] = []
    result = export_ledger(
        demo, out, 2025, today=TODAY, progress=lambda done, total: calls.append((done, total))
    )
    assert result == out
    return load_workbook(out), calls


def header_row(ws, first: str) -> int:
    """The row whose first cells start with `first` (序号, 日期, …)."""
    for row in ws.iter_rows(min_row=1, max_row=12):
        values = [c.value for c in row]
        if first in values:
            return row[0].row
    raise AssertionError(f"{ws.title}: no header row with {first}")


def table(ws, first: str = "序号") -> tuple[list[str], list[list[object]]]:
    """Header and data rows of the sheet's (first) table: rows until the first blank one,
    numbered rows only where the table has a 序号 column."""
    top = header_row(ws, first)
    header = [c.value for c in ws[top]]
    rows = []
    for row in ws.iter_rows(min_row=top + 1, values_only=True):
        if row[0] in (None, ""):
            break
        if first == "序号" and not isinstance(row[0], int):
            break
        rows.append(list(row))
    return header, rows


def column(header: list, name: str) -> int:
    return header.index(name)


# -- structure -----------------------------------------------------------------------------


def test_sheet_names_order_and_page_setup(ledger):
    wb, _ = ledger
    assert wb.sheetnames == list(SHEET_NAMES)
    assert wb.sheetnames[:6] == [
        "学习计划",
        "学习台账",
        "考勤表",
        "请假登记",
        "补学登记",
        "统计分析",
    ]
    for ws in wb.worksheets:
        title = ws["A1"].value
        assert "2025年理论学习中心组" in title, ws.title
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges), ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
        assert int(ws.page_setup.fitToWidth) == 1, ws.title
        assert int(ws.page_setup.fitToHeight) == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows, ws.title
        assert ws.freeze_panes, ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert 0.3 <= ws.page_margins.left <= 1 and 0.3 <= ws.page_margins.bottom <= 1
    assert wb["学习台账"]["A1"].value == "市科学技术局2025年理论学习中心组学习台账"


def test_headers_are_frozen_repeated_and_styled(ledger):
    wb, _ = ledger
    for name, first in (
        ("学习计划", "序号"),
        ("学习台账", "日期"),
        ("考勤表", "序号"),
        ("请假登记", "序号"),
        ("补学登记", "序号"),
    ):
        ws = wb[name]
        top = header_row(ws, first)
        assert ws.print_title_rows == f"${top}:${top}", name
        assert ws.freeze_panes.endswith(str(top + 1)), name
        cell = ws.cell(top, 1)
        assert cell.font.name == "黑体" and cell.font.b, name
        assert cell.fill.fgColor.rgb.endswith("D9E1F2"), name
        assert cell.border.left.style == "thin", name
        body = ws.cell(top + 1, 2)
        assert body.font.name == "宋体" and body.font.sz == 11, name
        assert body.border.bottom.style == "thin", name
    assert wb["考勤表"].freeze_panes == "D4"  # names stay in view while scrolling across
    for name in ("考勤表", "请假登记", "补学登记", "统计分析"):
        ws = wb[name]
        rows = [[c.value for c in row] for row in ws.iter_rows(max_row=6)]
        assert any("姓名" in row for row in rows), name


def test_column_widths_fit_cjk_text(ledger):
    wb, _ = ledger
    ws = wb["请假登记"]
    header, rows = table(ws)
    widths = {name: ws.column_dimensions[chr(65 + i)].width for i, name in enumerate(header)}
    assert widths["场次日期"] >= 12 and widths["提交时间"] >= 18
    longest = max(len(r[column(header, "职务")]) for r in rows)
    assert widths["职务"] >= min(longest * 2 + 2, 24)
    for ws in wb.worksheets:
        for letter, dim in ws.column_dimensions.items():
            assert dim.width is None or dim.width <= 50, (ws.title, letter)


# -- 学习计划 ------------------------------------------------------------------------------


def test_plan_sheet(demo, ledger):
    wb, _ = ledger
    header, rows = table(wb["学习计划"])
    assert header == ["序号", "专题", "学习篇目", "计划日期", "举行日期", "状态"]
    stats = StatisticsService(demo).year_statistics(2025, today=TODAY)
    assert len(rows) == len(stats.topics) == 14
    for row, coverage in zip(rows, stats.topics, strict=True):
        assert row[0] == coverage.topic.number
        assert row[1] == coverage.topic.title
        assert (row[2] or "") == "\n".join(coverage.topic.readings)
        assert (row[4] or "").split("\n") == [f"{d:%Y-%m-%d}" for d in coverage.held_dates]
        assert row[5] == "已学习"


# -- 学习台账 ------------------------------------------------------------------------------


def test_ledger_sheet_rows_and_counts(demo, ledger):
    wb, _ = ledger
    header, rows = table(wb["学习台账"], "日期")
    assert header == [
        "日期",
        "时间",
        "地点",
        "形式",
        "专题",
        "主持人",
        "领学/辅导人",
        "研讨发言",
        "应到",
        "实到",
        "请假",
        "缺席",
        "状态",
        "会议记录摘要",
    ]
    sessions = PlanningService(demo).sessions(2025)
    service = AttendanceService(demo)
    assert len(rows) == len(sessions) == 12
    for row, session in zip(rows, sessions, strict=True):
        counts = service.counts(session.id)
        assert row[0] == f"{session.date:%Y-%m-%d}"
        assert row[1] == session.time_range == "15:00–17:00"
        assert row[2] == session.location
        assert row[4].startswith(f"专题{session.topic_numbers[0]} ")
        assert (row[5], row[6]) == (session.host, session.lecturer)
        assert row[8:12] == [counts.expected, counts.attended, counts.leave, counts.absent]
        assert row[12] == "已举行"


def test_ledger_sheet_shows_speeches_and_minutes(demo, tmp_path):
    from studyplan.app.records import RecordsService

    records = RecordsService(demo, tmp_path / "档案")
    session = PlanningService(demo).sessions(2025)[2]
    members = AttendanceService(demo).list_members()
    for speech in records.record(session.id).speeches:
        records.remove_speech(speech.id)
    minutes = "会议由局长主持。" + "围绕专题深入研讨，" * 30
    records.save_minutes(session.id, minutes)
    records.add_speech(session.id, members[0].name, "坚持创新驱动", member_id=members[0].id)
    records.add_speech(session.id, members[1].name, "推进科技自立自强", member_id=members[1].id)
    out = export_ledger(demo, tmp_path / "l.xlsx", 2025, today=TODAY)
    header, rows = table(load_workbook(out)["学习台账"], "日期")
    row = rows[2]
    assert row[column(header, "研讨发言")] == (
        f"{members[0].name}：坚持创新驱动\n{members[1].name}：推进科技自立自强"
    )
    summary = row[column(header, "会议记录摘要")]
    assert summary.startswith("会议由局长主持。围绕专题深入研讨，")
    assert summary.endswith("…") and len(summary) <= 121
    first_minutes = records.record(PlanningService(demo).sessions(2025)[0].id).minutes
    assert rows[0][column(header, "会议记录摘要")] == first_minutes


# -- 考勤表 --------------------------------------------------------------------------------


def test_attendance_sheet_marks_totals_and_rates(demo, ledger):
    wb, _ = ledger
    ws = wb["考勤表"]
    header, rows = table(ws)
    assert header[:3] == ["序号", "姓名", "职务"]
    first_total = header.index("出席")
    assert header[first_total:] == ["出席", "迟到", "早退", "请假", "缺席", "应到", "出勤率"]
    planning, service = PlanningService(demo), AttendanceService(demo)
    sessions = [s for s in planning.sessions(2025) if s.status is SessionStatus.HELD]
    session_headers = header[3:first_total]
    assert len(session_headers) == len(sessions)
    for text, session in zip(session_headers, sessions, strict=True):
        first_line, label = text.split("\n")
        assert first_line == f"{session.date:%m-%d} {session.time_range}"
        assert label == "专题" + "、".join(str(n) for n in session.topic_numbers)
    stats = StatisticsService(demo).year_statistics(2025, today=TODAY)
    assert [r[1] for r in rows] == [m.member.name for m in stats.members]
    marks = {
        (session.id, member.id): mark
        for session in sessions
        for member, mark in service.attendance(session.id)
    }
    top = header_row(ws, "序号")
    for offset, (row, tally) in enumerate(zip(rows, stats.members, strict=True)):
        member = tally.member
        assert row[0] == offset + 1 and row[2] == member.position
        for col, session in enumerate(sessions, start=3):
            mark = marks.get((session.id, member.id))
            if member.expected_on(session.date):
                assert row[col] == mark.status.label
            else:
                assert row[col] in (None, "")
        totals = row[first_total:]
        assert totals[:6] == [
            tally.present,
            tally.late,
            tally.left_early,
            tally.leave,
            tally.absent,
            tally.expected,
        ]
        assert totals[6] == pytest.approx(tally.rate)
        rate_cell = ws.cell(top + 1 + offset, first_total + 7)
        assert rate_cell.number_format == "0.0%"
        counted = [row[c] for c in range(3, first_total)]
        assert counted.count("出席") == tally.present
        assert sum(counted.count(x) for x in ("出席", "迟到", "早退")) == tally.attended


def test_attendance_sheet_colours_legend_and_note(ledger):
    wb, _ = ledger
    ws = wb["考勤表"]
    fills: dict[str, set[str]] = {}
    for row in ws.iter_rows(min_row=4, max_row=17, min_col=4, max_col=15):
        for cell in row:
            if cell.value in LABELS:
                fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb[-6:])
    assert fills["迟到"] == fills["早退"] == {"FFE699"}
    assert fills["请假"] == {"DDEBF7"}
    assert fills["缺席"] == {"F8CBAD"}
    assert fills["出席"] == {"000000"}  # no fill
    _, rows = table(ws)
    below = [
        [c.value for c in row] for row in ws.iter_rows(min_row=4 + len(rows), max_row=ws.max_row)
    ]
    texts = [v for row in below for v in row if isinstance(v, str)]
    assert "图例：" in texts
    assert "出勤率 = (出席+迟到+早退) / 应到" in " ".join(texts)
    legend = {row[1]: row[2] for row in below if row[1] in LABELS}
    assert set(legend) == LABELS


# -- 请假登记, 补学登记 -------------------------------------------------------------------


def test_leave_sheet(demo, ledger):
    wb, _ = ledger
    header, rows = table(wb["请假登记"])
    assert header == [
        "序号",
        "姓名",
        "职务",
        "场次日期",
        "类别",
        "事由",
        "提交时间",
        "审批人",
        "审批结果",
        "审批时间",
        "事后补假",
    ]
    service = AttendanceService(demo)
    entries = service.leave_requests(2025)
    assert len(rows) == len(entries) > 0
    for row, entry in zip(rows, entries, strict=True):
        assert row[1] == entry.member.name
        assert row[3] == f"{entry.session.date:%Y-%m-%d}"
        assert row[4] == entry.request.kind_label != ""  # the demo's requests have a type
        assert row[5] == entry.request.reason
        assert row[6] == f"{entry.request.filed_at:%Y-%m-%d %H:%M}"
        assert row[8] == entry.request.decision.label
        assert (row[10] or "") == ("是" if entry.request.late else "")
    approved = {(r[1], r[3]) for r in rows if r[8] == "已批准"}
    on_leave = {
        (member.name, f"{session.date:%Y-%m-%d}")
        for session in PlanningService(demo).sessions(2025)
        for member, mark in service.attendance(session.id)
        if mark.status is AttendanceStatus.LEAVE
    }
    assert approved == on_leave
    assert {r[8] for r in rows} <= {d.label for d in LeaveDecision}
    assert any(r[10] == "是" for r in rows) and any(r[8] == "未批准" for r in rows)


def test_makeup_sheet(demo, ledger):
    wb, _ = ledger
    header, rows = table(wb["补学登记"])
    for name in ("姓名", "场次日期", "专题", "截止日期", "完成日期", "方式", "佐证", "状态"):
        assert name in header
    service = AttendanceService(demo)
    missed = {
        (member.name, f"{session.date:%Y-%m-%d}")
        for session in PlanningService(demo).sessions(2025)
        for member, mark in service.attendance(session.id)
        if mark.status.needs_makeup
    }
    assert len(rows) == len(missed)
    assert {(r[column(header, "姓名")], r[column(header, "场次日期")]) for r in rows} == missed
    entries = {
        (e.member.name, f"{e.session.date:%Y-%m-%d}"): e
        for e in service.makeups(today=TODAY, year=2025)
    }
    for row in rows:
        entry = entries[(row[column(header, "姓名")], row[column(header, "场次日期")])]
        assert row[column(header, "截止日期")] == f"{entry.makeup.due:%Y-%m-%d}"
        assert row[column(header, "状态")] == entry.status.label
        done = entry.makeup.completed
        assert (row[column(header, "完成日期")] or "") == (f"{done:%Y-%m-%d}" if done else "")
    assert {r[column(header, "状态")] for r in rows} >= {"已完成", "已逾期"}


# -- 统计分析 ------------------------------------------------------------------------------


def test_statistics_sheet(demo, ledger):
    wb, _ = ledger
    ws = wb["统计分析"]
    header, rows = table(ws)
    assert header == [
        "序号",
        "姓名",
        "职务",
        "应到",
        "出席",
        "迟到",
        "早退",
        "请假",
        "缺席",
        "出勤率",
    ]
    stats = StatisticsService(demo).year_statistics(2025, today=TODAY)
    assert len(rows) == len(stats.members)
    for row, tally in zip(rows, stats.members, strict=True):
        assert row[1] == tally.member.name
        assert row[3:9] == [
            tally.expected,
            tally.present,
            tally.late,
            tally.left_early,
            tally.leave,
            tally.absent,
        ]
        assert row[9] == pytest.approx(tally.rate)
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("出勤率 = (出席+迟到+早退) / 应到") for t in texts)
    for section in ("二、各专题学习场次", "三、各季度学习场次", "五、合规检查发现的问题"):
        assert section in texts
    for quarter in ("2025年一季度", "2025年二季度", "2025年三季度", "2025年四季度"):
        assert quarter in texts
    report = ComplianceService(demo).check(2025, today=TODAY)
    assert report.summary in texts
    for problem in report.problems:
        assert problem.message in texts
    assert report.problems  # the demo year has absences and overdue make-ups


def test_progress_is_reported(ledger):
    _, calls = ledger
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert len(calls) >= 7
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))
    assert len({total for _, total in calls}) == 1


# -- text safety, other years, errors --------------------------------------------------------


def test_user_text_is_never_a_formula(demo, tmp_path):
    service = AttendanceService(demo)
    member = service.list_members()[3]
    service.update_member(replace(member, name="=1+1", position="=SUM(A1:A3)"))
    out = export_ledger(demo, tmp_path / "l.xlsx", 2025, today=TODAY)
    wb = load_workbook(out)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in ("=1+1", "=SUM(A1:A3)"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                    found += 1
    assert found >= 4  # 考勤表 and 统计分析 name and position, plus the registers


def test_all_years(db, tmp_path):
    build_demo(db, year=2024, years=2, today=TODAY)
    out = export_ledger(db, tmp_path / "all.xlsx", None, today=TODAY)
    wb = load_workbook(out)
    assert wb.sheetnames == list(SHEET_NAMES)
    assert "（2024—2026年）" in wb["学习台账"]["A1"].value
    header, rows = table(wb["学习计划"], "年度")
    assert header[:3] == ["年度", "序号", "专题"]
    assert {r[0] for r in rows} == {2024, 2025, 2026}
    _, ledger_rows = table(wb["学习台账"], "日期")
    assert len(ledger_rows) == len(PlanningService(db).sessions())
    header, rows = table(wb["考勤表"])
    held = [s for s in PlanningService(db).sessions() if s.status is SessionStatus.HELD]
    first_total = header.index("出席")
    assert first_total - 3 == len(held)
    assert header[3].startswith(f"{held[0].date:%Y-%m-%d} ")
    stats = StatisticsService(db).year_statistics(None, today=TODAY)
    assert [r[1] for r in rows] == [m.member.name for m in stats.members]
    for row, tally in zip(rows, stats.members, strict=True):
        assert row[first_total + 5] == tally.expected
    _, leave_rows = table(wb["请假登记"])
    assert len(leave_rows) == len(AttendanceService(db).leave_requests())
    _, makeup_rows = table(wb["补学登记"])
    assert len(makeup_rows) == len(AttendanceService(db).makeups(today=TODAY))


@pytest.mark.parametrize("with_roster", [False, True])
def test_year_without_records(db, tmp_path, with_roster):
    if with_roster:
        build_demo(db, year=2025, today=TODAY)
    out = export_ledger(db, tmp_path / "empty.xlsx", 2030, today=TODAY)
    wb = load_workbook(out)
    assert wb.sheetnames == list(SHEET_NAMES)
    for name in SHEET_NAMES[:5]:
        values = [c.value for row in wb[name].iter_rows() for c in row]
        assert EMPTY_NOTE in values, name
    texts = [c.value for row in wb["统计分析"].iter_rows() for c in row]
    assert "该年度没有学习计划" in texts
    assert EMPTY_NOTE in texts  # no held session: no member table of zeros
    if with_roster:  # the organisation comes from another year's plan
        assert wb["考勤表"]["A1"].value == "市科学技术局2030年理论学习中心组考勤表"


def test_missing_folder_gives_export_error(demo, tmp_path):
    target = tmp_path / "没有这个文件夹" / "台账.xlsx"
    with pytest.raises(ExportFileError, match="不存在"):
        export_ledger(demo, target, 2025, today=TODAY)
    assert not target.exists() and not target.parent.exists()


def test_existing_file_is_replaced_whole(demo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "台账.xlsx"
    target.write_bytes(b"old")
    export_ledger(demo, target, 2025, today=TODAY)
    assert load_workbook(target).sheetnames == list(SHEET_NAMES)
    assert [p.name for p in folder.iterdir()] == ["台账.xlsx"]


def test_a_decade_exports_in_seconds(db, tmp_path):
    import time

    build_demo(db, year=2016, years=10, members=60, today=TODAY)
    started = time.perf_counter()
    out = export_ledger(db, tmp_path / "decade.xlsx", None, today=TODAY)
    assert time.perf_counter() - started < 10
    ws = load_workbook(out, read_only=True)["考勤表"]
    assert ws.max_column >= 120 + 10


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_ledger_to_pdf(demo, tmp_path):
    out = export_ledger(demo, tmp_path / "ledger.xlsx", 2025, today=TODAY)
    profile = tmp_path / "lo-profile"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        timeout=120,
        capture_output=True,
        env=env,
    )
    pdf = Path(tmp_path / "ledger.pdf")
    assert pdf.exists()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


def test_unrecorded_mark_is_shown_and_explained(demo, tmp_path):
    service = AttendanceService(demo)
    session = PlanningService(demo).sessions(2025)[0]
    member = service.list_members()[2]
    service.clear_attendance(session.id, member.id)
    out = export_ledger(demo, tmp_path / "l.xlsx", 2025, today=TODAY)
    ws = load_workbook(out)["考勤表"]
    header, rows = table(ws)
    assert rows[2][1] == member.name and rows[2][3] == "未登记"
    legend = [c.value for row in ws.iter_rows(min_row=5 + len(rows)) for c in row]
    assert "未登记" in legend
    stats = StatisticsService(demo).year_statistics(2025, today=TODAY)
    tally = stats.members[2]
    assert rows[2][header.index("应到")] == tally.expected == 12
    assert rows[2][header.index("出勤率")] == pytest.approx(tally.attended / 12)


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)
def test_the_attendance_legend_stays_with_the_table_in_libreoffice(db, tmp_path):
    """With 33–34 members LibreOffice printed the repeated header above the legend on a
    page of its own: it breaks pages where its fonts put them, not where the estimate did.
    The legend and its note share their page with the totals row (a row of the table)."""
    from studyplan.store.opening import connect

    files = []
    for members in (20, 33, 34, 45):
        database = connect(tmp_path / f"{members}.db")
        try:
            build_demo(database, year=2025, today=TODAY, members=members)
            files.append(export_ledger(database, tmp_path / f"{members}.xlsx", 2025, today=TODAY))
        finally:
            database.conn.close()
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, files),
        ],
        check=True,
        timeout=300,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    for out in files:
        text = subprocess.run(
            ["pdftotext", "-layout", str(out.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages = text.split("\f")
        first = next(i for i, page in enumerate(pages) if "中心组考勤表" in page)
        after = next(i for i, page in enumerate(pages) if "中心组请假登记表" in page)
        pages = pages[first:after]
        # From the totals row to the note under the legend, on one page.
        block = ("合计（实到/应到）", "图例：", "缺席：未请假", "应到只计成员在组期间")
        found = [[i for i, page in enumerate(pages) if words in page] for words in block]
        assert all(len(where) == 1 for where in found), (out.name, found)
        assert len({where[0] for where in found}) == 1, (out.name, found)


# -- 统计分析 printed over several pages ----------------------------------------------------
MEMBER_HEADER = ["序号", "姓名", "职务", "应到", "出席", "迟到", "早退", "请假", "缺席", "出勤率"]


def _long_ledger(tmp_path: Path, members: int = 45) -> Path:
    from studyplan.store.opening import connect

    database = connect(tmp_path / f"{members}.db")
    try:
        build_demo(database, year=2025, today=TODAY, members=members)
        return export_ledger(database, tmp_path / f"{members}.xlsx", 2025, today=TODAY)
    finally:
        database.conn.close()


def test_a_long_member_table_writes_its_header_on_each_of_its_pages(tmp_path):
    """The member header is no print title (it would repeat above 二、三、五 too): only the
    title repeats, and the table writes its header again where it goes on to a new page."""
    ws = load_workbook(_long_ledger(tmp_path))["统计分析"]
    assert ws.print_title_rows == "$1:$2"
    headers = [
        cell.row
        for cell in ws["A"]
        if cell.value == "序号" and [c.value for c in ws[cell.row]] == MEMBER_HEADER
    ]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(headers) >= 3
    assert all(row - 1 in breaks for row in headers[1:])  # each begins a printed page
    total = next(c.row for c in ws["A"] if c.value == "合计")
    numbers = [ws.cell(row, 1).value for row in range(headers[0] + 1, total)]
    members = [n for n in numbers if isinstance(n, int)]
    assert members == list(range(1, 46))


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils is not installed",
)
def test_the_statistics_sections_print_without_the_member_header_in_libreoffice(tmp_path):
    """LibreOffice printed the member table's header (a print title) above 二、三、五 on
    their pages; now each page of the member table starts with it and no other page has it."""
    import re

    out = _long_ledger(tmp_path)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        timeout=300,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(out.with_suffix(".pdf")), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = [page for page in text.split("\f") if "中心组学习统计分析" in page]
    member_row = re.compile(r"^\s*\d+\s+\S+\s+.*\s(\d+\.\d%|—)\s*$")
    header = re.compile(r"序号\s+姓名\s+职务\s+应到\s+出席")
    with_members = [i for i, page in enumerate(pages) if any(
        member_row.match(line) for line in page.splitlines()
    )]  # fmt: skip
    with_header = [i for i, page in enumerate(pages) if header.search(page)]
    assert len(with_members) >= 3
    assert with_header == with_members
    for section in ("二、各专题学习场次", "三、各季度学习场次", "五、合规检查发现的问题"):
        where = [i for i, page in enumerate(pages) if section in page]
        assert len(where) == 1 and where[0] > with_members[-1], section
    for i in with_members:
        lines = [line for line in pages[i].splitlines() if line.strip()]
        first = next(n for n, line in enumerate(lines) if member_row.match(line))
        assert any(header.search(line) for line in lines[:first])


def test_the_compliance_part_shows_the_check_s_notes(demo, tmp_path):
    """While the year runs, members on their way to a yearly duty are 提示 lines under the
    problems, as `studyplan check` prints them."""
    running = dt.date(2025, 6, 30)
    report = ComplianceService(demo).check(2025, today=running)
    assert report.notes
    out = export_ledger(demo, tmp_path / "running.xlsx", 2025, today=running)
    ws = load_workbook(out)["统计分析"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert [t for t in texts if t.startswith("提示：")] == [
        f"提示：{n.message}" for n in report.notes
    ]
