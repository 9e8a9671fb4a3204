"""The 成员 view: the roster table, its filter, the member dialogs and the roster import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.members.member_dialog import (
    ImportReportDialog,
    LastDayDialog,
    MemberDialog,
    report_html,
)
from studyplan.gui.members.members_view import (
    ActiveRole,
    MemberFilterProxy,
    MembersView,
    MemberTableModel,
)
from studyplan.model.clock import FixedClock
from studyplan.model.roster import ImportLine, ImportReport, Member

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def planning(db) -> PlanningService:
    return PlanningService(db)


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db)


@pytest.fixture
def people(service) -> list[Member]:
    return [
        service.add_member("王建国", "局党组书记、局长", "组长", "局领导"),
        service.add_member("李红梅", "副局长", "副组长", "局领导"),
        service.add_member("周文斌", "主任", "成员", "办公室"),
        service.add_member("=1+1", "科员", "成员", "人事处"),
    ]


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text)
    )
    return shown


def make_view(qtbot, service, planning) -> MembersView:
    widget = MembersView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(qtbot, service, planning, people) -> MembersView:
    return make_view(qtbot, service, planning)


def column(view: MembersView, col: int) -> list[str]:
    proxy = view.proxy
    return [proxy.index(row, col).data() for row in range(proxy.rowCount())]


def click_row(qtbot, view: MembersView, row: int) -> None:
    rect = view.table.visualRect(view.proxy.index(row, MemberTableModel.COL_NAME))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def answer_with(monkeypatch, dialog, value) -> list:
    calls: list = []

    def ask(cls, *args, **kwargs):
        calls.append(args)
        return value

    monkeypatch.setattr(dialog, "ask", classmethod(ask))
    return calls


def test_table_shows_names_as_stored(view):
    assert column(view, MemberTableModel.COL_NAME) == ["王建国", "李红梅", "周文斌", "=1+1"]
    assert column(view, MemberTableModel.COL_RANK) == ["1", "2", "3", "4"]
    assert column(view, MemberTableModel.COL_STATUS) == ["在册"] * 4
    assert view.summary_label.text() == "在册 4 人"
    assert not view.edit_button.isEnabled()


def test_messy_roster_import(qtbot, monkeypatch, tmp_path: Path, service, planning):
    path = tmp_path / "成员名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["市科学技术局理论学习中心组成员名单"],
        ["（2026年3月更新）"],
        [],
        ["序号", "姓名", "职务", "部门"],
        [1, "王建国", "局党组书记、局长", "局领导"],
        [None, None, None, None],
        [2, "赵　磊", "办公室主任", "办公室"],
        [3, "张伟", "办公室副主任", "办公室"],
        [4, "张伟", "人事处处长", "人事处"],
        [5, "张 伟", "办公室副主任", "办公室"],
        [],
        [6, "=1+1", "科员", "人事处"],
    ]:
        sheet.append(row)
    sheet["B12"].data_type = "s"
    book.save(path)

    view = make_view(qtbot, service, planning)
    assert view.summary_label.text() == "名单为空，可添加成员或导入名单"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    reports: list[ImportReport] = []
    monkeypatch.setattr(
        ImportReportDialog, "show_report", classmethod(lambda cls, p, r: reports.append(r))
    )
    changed: list[bool] = []
    # A change that can be undone is announced by the undo stack the view pushes it on.
    view.undo_stack.applied.connect(lambda *_: changed.append(True))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)

    assert changed
    names = column(view, MemberTableModel.COL_NAME)
    assert names == ["王建国", "赵磊", "张伟", "张伟", "=1+1"]
    positions = column(view, MemberTableModel.COL_POSITION)
    assert positions[2:4] == ["办公室副主任", "人事处处长"]
    assert [m.name for m in service.list_members()] == names
    [report] = reports
    assert [line.name for line in report.added] == names
    assert [(line.row, line.name) for line in report.skipped] == [(10, "张伟")]

    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "新增 5 人，更新 0 人，无变化 0 人，跳过 1 行。" in text
    assert "第 7 行" in text and "赵磊" in text
    assert "第 10 行" in text and "与第8行重复" in text
    assert "=1+1" in text


def test_import_report_escapes_and_lists_members_not_in_file(people):
    report = ImportReport(source="名单.xlsx", sheet="Sheet1", not_in_file=[people[2]])
    report.added.append(ImportLine(3, "<b>x"))
    html = report_html(report)
    assert "&lt;b&gt;x" in html
    assert "名单中没有的现有成员（1）" in html and "周文斌（主任）" in html


def test_import_failure_shows_the_sentence(qtbot, monkeypatch, tmp_path, view, warnings):
    bad = tmp_path / "not-a-roster.xlsx"
    bad.write_text("hello", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    shown: list[ImportReport] = []
    monkeypatch.setattr(
        ImportReportDialog, "show_report", classmethod(lambda cls, p, r: shown.append(r))
    )
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert warnings == ["该文件不是 Excel 工作簿（.xlsx 或 .xls），无法导入：not-a-roster.xlsx"]
    assert shown == []
    assert view.proxy.rowCount() == 4


def test_add_and_edit_members(qtbot, monkeypatch, view, service, warnings):
    calls = answer_with(monkeypatch, MemberDialog, Member("何雨晴", "办公室副主任", "学习秘书"))
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert calls[0][1] is None
    assert column(view, MemberTableModel.COL_NAME)[-1] == "何雨晴"
    assert view.current_member().name == "何雨晴"
    assert service.list_members()[-1].role == "学习秘书"

    click_row(qtbot, view, 1)
    edited = Member("李红梅", "局党组副书记、副局长", "副组长", "局领导", rank=2, id=2)
    calls = answer_with(monkeypatch, MemberDialog, edited)
    rect = view.table.visualRect(view.proxy.index(1, MemberTableModel.COL_NAME))
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert calls and calls[0][1].name == "李红梅"
    assert column(view, MemberTableModel.COL_POSITION)[1] == "局党组副书记、副局长"
    assert service.member(2).position == "局党组副书记、副局长"
    assert warnings == []


def test_duplicate_member_shows_the_sentence_and_reopens(
    qtbot, monkeypatch, view, service, warnings
):
    answers = iter([Member("王建国", "局党组书记、局长", department="局领导"), None])
    monkeypatch.setattr(MemberDialog, "ask", classmethod(lambda cls, *a, **k: next(answers)))
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert warnings and warnings[0].startswith("名单中已有王建国")
    assert len(service.list_members()) == 4


def test_departure_filter_and_restore(qtbot, monkeypatch, view, service, people):
    click_row(qtbot, view, 2)
    answer_with(monkeypatch, LastDayDialog, dt.date(2026, 3, 1))
    qtbot.mouseClick(view.leave_button, Qt.MouseButton.LeftButton)
    assert column(view, MemberTableModel.COL_STATUS)[2] == "已离任（2026-03-01）"
    assert service.member(people[2].id).active_to == dt.date(2026, 3, 1)
    assert view.summary_label.text() == "在册 3 人，已离任 1 人"
    assert view.restore_button.isEnabled()

    view.filter_combo.setCurrentIndex(view.filter_combo.findText("在册"))
    assert column(view, MemberTableModel.COL_NAME) == ["王建国", "李红梅", "=1+1"]
    view.filter_combo.setCurrentIndex(view.filter_combo.findText("已离任"))
    assert column(view, MemberTableModel.COL_NAME) == ["周文斌"]

    click_row(qtbot, view, 0)
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    assert service.member(people[2].id).active_to is None
    assert view.filter_combo.currentText() == "全部"
    assert column(view, MemberTableModel.COL_STATUS)[2] == "在册"


def test_a_departure_dated_before_recorded_sessions_asks_first(
    qtbot, monkeypatch, replies, view, service, planning, people
):
    from PySide6.QtWidgets import QMessageBox

    from studyplan.model.attendance import AttendanceStatus
    from studyplan.model.plan import Session

    planning.ensure_bundled_plan()
    held = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    )
    service.set_attendance(held, people[2].id, AttendanceStatus.PRESENT)
    asked = replies(QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    answer_with(monkeypatch, LastDayDialog, dt.date(2026, 3, 1))
    click_row(qtbot, view, 2)
    qtbot.mouseClick(view.leave_button, Qt.MouseButton.LeftButton)
    assert asked[0].startswith("周文斌 在 2026-03-12 的学习中已有考勤、请假或补学记录")
    assert service.member(people[2].id).active_to is None

    qtbot.mouseClick(view.leave_button, Qt.MouseButton.LeftButton)
    assert service.member(people[2].id).active_to == dt.date(2026, 3, 1)


def test_search_box(qtbot, view):
    qtbot.keyClicks(view.search_edit, "=1")
    assert column(view, MemberTableModel.COL_NAME) == ["=1+1"]
    view.search_edit.clear()
    view.search_edit.setText("局领导")
    assert column(view, MemberTableModel.COL_NAME) == ["王建国", "李红梅"]
    view.search_edit.clear()
    assert view.proxy.rowCount() == 4


def test_move_up_and_down(qtbot, view, service):
    click_row(qtbot, view, 2)
    qtbot.mouseClick(view.up_button, Qt.MouseButton.LeftButton)
    assert [m.name for m in service.list_members()] == ["王建国", "周文斌", "李红梅", "=1+1"]
    assert column(view, MemberTableModel.COL_NAME)[1] == "周文斌"
    assert view.current_member().name == "周文斌"
    qtbot.mouseClick(view.up_button, Qt.MouseButton.LeftButton)
    assert not view.up_button.isEnabled()
    for _ in range(3):
        qtbot.mouseClick(view.down_button, Qt.MouseButton.LeftButton)
    assert not view.down_button.isEnabled()
    assert [m.name for m in service.list_members()] == ["王建国", "李红梅", "=1+1", "周文斌"]
    assert column(view, MemberTableModel.COL_RANK) == ["1", "2", "3", "4"]


def test_member_dialog_form(qtbot, people):
    dialog = MemberDialog(None, today=TODAY, joined_default=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "添加成员"
    assert dialog.joined_check.isChecked()
    dialog.name_edit.setText("　")
    dialog.accept()
    assert dialog.error_label.text() == "请填写成员姓名。"
    dialog.name_edit.setText("赵　磊")
    dialog.position_edit.setText("办公室主任")
    dialog.joined_check.setChecked(False)
    dialog.accept()
    member = dialog.member()
    assert (member.name, member.position, member.role, member.active_from) == (
        "赵　磊",
        "办公室主任",
        "成员",
        None,
    )
    editing = MemberDialog(people[1], today=TODAY)
    qtbot.addWidget(editing)
    assert editing.windowTitle() == "编辑成员"
    assert editing.member() == people[1]


def test_models_pass_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(MemberTableModel(TODAY))
    qtmodeltester.check(view.model)
    proxy = MemberFilterProxy()
    proxy.setSourceModel(view.model)
    proxy.set_search("局")
    qtmodeltester.check(proxy)
    assert view.model.index(0, 0).data(ActiveRole) is True
