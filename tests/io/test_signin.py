"""The sign-in sheet: what it says, its HTML, and the printable .xlsx read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.signin import build_signin_sheet
from studyplan.io.signin import (
    COLUMNS,
    FALLBACK_TITLE,
    NO_MEMBERS_NOTE,
    SIGN_ROW_HEIGHT,
    SignInRow,
    SignInSheet,
    signin_html,
    write_signin_xlsx,
)
from studyplan.model.errors import ExportFileError, NotFoundError
from studyplan.model.plan import Session
from studyplan.model.text import display_width
from studyplan.model.unit import unit_from_plan_title

MEMBERS = [
    ("王建国", "党组书记、局长"),
    ("李明", "党组成员、副局长"),
    ("张伟", "党组成员、副局长"),
    ("刘芳", "党组成员、机关党委书记"),
    ("陈静", "二级巡视员"),
    ("=1+1", "办公室主任"),
    ("赵磊", "政策法规处处长"),
]
FILED = dt.datetime(2026, 3, 10, 9, 0)
DECIDED = dt.datetime(2026, 3, 10, 10, 0)


@pytest.fixture
def services(db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    return planning, AttendanceService(db)


@pytest.fixture
def session_id(services) -> int:
    planning, attendance = services
    sid = planning.save_session(
        Session(
            date=dt.date(2026, 3, 12),
            start=dt.time(15, 0),
            end=dt.time(17, 0),
            location="局机关三楼会议室",
            topic_numbers=(1, 2),
            host="王建国",
        )
    )
    members = [attendance.add_member(name, position) for name, position in MEMBERS]
    approved = attendance.file_leave(
        members[3].id, sid, "赴省厅参加全省科技工作会议", FILED, now=FILED
    )
    attendance.approve_leave(approved.id, "王建国", DECIDED)
    attendance.file_leave(members[4].id, sid, "家中有事", FILED, now=FILED)  # pending
    rejected = attendance.file_leave(members[6].id, sid, "外出调研", FILED, now=FILED)
    attendance.reject_leave(rejected.id, "王建国", DECIDED)
    return sid


def test_sheet_has_the_session_and_members_in_rank_order(services, session_id) -> None:
    sheet = build_signin_sheet(*services, session_id)
    assert sheet.org == "市科学技术局"
    assert sheet.title == "市科学技术局理论学习中心组学习签到表"
    assert sheet.date_text == "2026年3月12日 星期四"
    assert sheet.time_text == "15:00–17:00"
    assert sheet.location == "局机关三楼会议室"
    assert sheet.form == "集中学习"
    assert sheet.host == "王建国"
    assert sheet.topic_lines[0].startswith("专题1 深入学习领会习近平新时代")
    assert sheet.topic_lines[1] == "专题2 深入学习领会习近平总书记关于科技创新的重要论述"
    assert [(r.number, r.name, r.position) for r in sheet.rows] == [
        (i, name, position) for i, (name, position) in enumerate(MEMBERS, start=1)
    ]
    on_leave = {r.name: r.leave_reason for r in sheet.rows if r.on_leave}
    assert on_leave == {"刘芳": "赴省厅参加全省科技工作会议"}  # not pending, not rejected
    assert (sheet.expected, sheet.on_leave) == (7, 1)
    assert "应到 7 人" in sheet.counts_line and "请假 1 人" in sheet.counts_line
    assert sheet.note == ""


def test_unknown_session_is_not_found(services) -> None:
    with pytest.raises(NotFoundError):
        build_signin_sheet(*services, 999)


def test_session_without_members_gives_an_empty_table_with_a_note(services, tmp_path) -> None:
    planning, attendance = services
    sid = planning.save_session(
        Session(date=dt.date(2026, 4, 9), start=dt.time(9, 0), end=dt.time(11, 0))
    )
    sheet = build_signin_sheet(planning, attendance, sid)
    assert sheet.rows == [] and sheet.note == NO_MEMBERS_NOTE
    assert NO_MEMBERS_NOTE in signin_html(sheet)
    ws = load_workbook(write_signin_xlsx(sheet, tmp_path / "empty.xlsx")).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert NO_MEMBERS_NOTE in values and "应到 0 人　　请假 0 人　　实到 ______ 人" in values


@pytest.mark.parametrize(
    ("title", "org"),
    [
        ("市科学技术局2026年理论学习中心组专题学习计划", "市科学技术局"),
        ("中共市科学技术局党组 2026 年理论学习中心组学习计划", "中共市科学技术局党组"),
        ("市科学技术局二〇二六年理论学习中心组学习计划", "市科学技术局"),
        ("市科学技术局理论学习中心组专题学习计划", "市科学技术局"),
        ("2026年市科学技术局理论学习中心组学习计划", "市科学技术局"),
        ("2026年度理论学习中心组学习计划", ""),
        ("2026年学习计划", ""),
        ("学习计划", ""),
        (None, ""),
    ],
)
def test_org_is_the_text_before_the_year(title, org) -> None:
    assert unit_from_plan_title(title) == org


def test_a_year_without_its_own_plan_names_the_unit_as_the_ledger_does(services) -> None:
    """One rule names the unit: a 2027 session, before 2027 has a plan, is the 2026 plan's
    unit's, as the ledger says."""
    planning, attendance = services
    sid = planning.save_session(
        Session(date=dt.date(2027, 3, 11), start=dt.time(15, 0), end=dt.time(17, 0))
    )
    sheet = build_signin_sheet(planning, attendance, sid)
    assert sheet.title == "市科学技术局理论学习中心组学习签到表" and sheet.topic_lines == []


def test_no_plan_naming_a_unit_gives_the_plain_title(db) -> None:
    planning, attendance = PlanningService(db), AttendanceService(db)
    sid = planning.save_session(
        Session(date=dt.date(2027, 3, 11), start=dt.time(15, 0), end=dt.time(17, 0))
    )
    sheet = build_signin_sheet(planning, attendance, sid)
    assert sheet.title == FALLBACK_TITLE


def test_the_unit_set_in_settings_names_every_sheet(services) -> None:
    from studyplan.app.unit import UnitService
    from studyplan.model.unit import UnitDetails

    planning, attendance = services
    UnitService(planning.db).save(UnitDetails(name="县发展和改革局"))
    sid = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15, 0), end=dt.time(17, 0))
    )
    sheet = build_signin_sheet(planning, attendance, sid)
    assert sheet.title == "县发展和改革局理论学习中心组学习签到表"


def _sheet(count: int = 3, **changes) -> SignInSheet:
    fields = {
        "title": "市科学技术局理论学习中心组学习签到表",
        "org": "市科学技术局",
        "session_id": 1,
        "date": dt.date(2026, 3, 12),
        "time_text": "15:00–17:00",
        "location": "局机关三楼会议室",
        "form": "集中学习",
        "topic_lines": ["专题1 深入学习"],
        "rows": [SignInRow(i, f"成员{i}", "处长") for i in range(1, count + 1)],
    }
    fields.update(changes)
    return SignInSheet(**fields)


def test_html_escapes_user_text() -> None:
    sheet = _sheet(
        location="<script>alert(1)</script>",
        rows=[SignInRow(1, "<b>张&三</b>", '"职务"', True, "<i>会议</i>")],
    )
    text = signin_html(sheet)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;张&amp;三&lt;/b&gt;" in text and "&lt;i&gt;会议&lt;/i&gt;" in text
    assert "&quot;职务&quot;" in text


def test_html_table_has_a_header_and_the_leave_mark() -> None:
    sheet = _sheet(rows=[SignInRow(1, "刘芳", "书记", True, "出差"), SignInRow(2, "陈静", "")])
    text = signin_html(sheet)
    assert text.count("<thead>") == 1
    assert all(f">{name}</th>" in text for name in COLUMNS)
    assert ">请假</td>" in text and ">出差</td>" in text
    assert "2026年3月12日 星期四" in text and "15:00–17:00" in text
    assert "记录人" in text and "学习秘书" in text


def test_html_page_breaks_give_each_page_a_whole_table() -> None:
    sheet = _sheet(30)
    text = signin_html(sheet, [16])
    assert text.count("<thead>") == 2
    assert text.count("page-break-before: always") == 1
    assert text.index(">成员16<") < text.index("page-break-before") < text.index(">成员17<")
    footer_alone = signin_html(sheet, [30])
    assert footer_alone.count("<thead>") == 1
    assert 'class="counts" style="page-break-before: always;"' in footer_alone
    assert "应到" not in signin_html(sheet, with_footer=False)


def test_display_width_counts_chinese_as_two() -> None:
    assert display_width("王建国") == 6
    assert display_width("ab1") == 3
    assert display_width("（学习）") == 8


def _cells(ws) -> dict[str, object]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_xlsx_reads_back_as_a_printable_form(services, session_id, tmp_path: Path) -> None:
    sheet = build_signin_sheet(*services, session_id)
    path = write_signin_xlsx(sheet, tmp_path / "签到表.xlsx")
    assert path == tmp_path / "签到表.xlsx"
    ws = load_workbook(path).active
    cells = _cells(ws)

    assert ws["A1"].value == "市科学技术局理论学习中心组学习签到表"
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.bold
    texts = [v for v in cells.values() if isinstance(v, str)]
    assert "日期：2026年3月12日 星期四" in texts
    assert "时间：15:00–17:00" in texts
    assert "地点：局机关三楼会议室" in texts
    assert "学习形式：集中学习" in texts
    assert "主持人：王建国" in texts
    assert any(t.startswith("专题：专题1 深入学习领会") and "专题2" in t for t in texts)

    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    assert [ws.cell(header, c).value for c in range(1, 6)] == list(COLUMNS)
    assert ws.print_title_rows == f"${header}:${header}"  # repeated on every page
    body = range(header + 1, header + 1 + len(MEMBERS))
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in body] == [
        (i, name, position) for i, (name, position) in enumerate(MEMBERS, start=1)
    ]
    marks = {ws.cell(r, 2).value: (ws.cell(r, 4).value, ws.cell(r, 5).value) for r in body}
    assert marks["刘芳"] == ("请假", "赴省厅参加全省科技工作会议")
    assert marks["陈静"] == (None, None)  # pending
    assert marks["赵磊"] == (None, None)  # rejected
    leave_row = header + 4
    assert ws.cell(leave_row, 4).font.color.rgb.endswith("808080")

    formula = ws.cell(header + 6, 2)
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert ws.cell(header + 1, 2).font.name == "仿宋"
    for r in body:
        assert ws.row_dimensions[r].height >= SIGN_ROW_HEIGHT
        assert ws.cell(r, 4).border.left.style == "thin"

    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_area is not None and f"$E${ws.max_row}" in str(ws.print_area)
    assert any("应到 7 人" in t and "请假 1 人" in t and "实到" in t for t in texts)
    assert any(t.startswith("记录人：") and "学习秘书" in t for t in texts)
    widths = [ws.column_dimensions[c].width for c in "ABCDE"]
    assert widths[3] >= 20 and sum(widths) <= 90


def test_xlsx_into_a_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportFileError):
        write_signin_xlsx(_sheet(), tmp_path / "no-such-folder" / "签到表.xlsx")


def test_xlsx_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_signin_xlsx(_sheet(30), tmp_path / "a.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
