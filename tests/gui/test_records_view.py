"""The study records view, driven the way the secretary uses it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.records import RecordsService
from studyplan.gui.records.records_dialogs import MaterialDialog, ReflectionDialog, SpeechDialog
from studyplan.gui.records.records_models import (
    AttachmentModel,
    MaterialModel,
    ReflectionModel,
    SpeechModel,
)
from studyplan.gui.records.records_view import RecordsView
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import TRASH_FOLDER, Speech
from tests.gui.conftest import type_text

TODAY = dt.date(2026, 3, 10)
DAY = dt.date(2026, 3, 5)
LATER = dt.date(2026, 4, 9)


def _click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _click_row(qtbot, table: QTableView, row: int) -> None:
    index = table.model().index(row, 0)
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert table.selectionModel().isRowSelected(row)


def _double_click_row(qtbot, table: QTableView, row: int) -> None:
    """A real double click: press and release, then the second press Qt reports."""
    pos = table.visualRect(table.model().index(row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _cell(table: QTableView, row: int, column: int) -> str:
    return table.model().index(row, column).data()


@pytest.fixture
def attendance(db) -> AttendanceService:
    service = AttendanceService(db)
    service.add_member("王建国", "局党组书记、局长", "组长")
    service.add_member("李明", "局党组副书记、副局长", "副组长")
    service.add_member("赵磊", "办公室主任")
    return service


@pytest.fixture
def records(db, tmp_path: Path) -> RecordsService:
    return RecordsService(db, tmp_path / "studyplan-档案")


@pytest.fixture
def session_ids(planning, attendance) -> tuple[int, int]:
    first = planning.save_session(
        Session(
            date=DAY,
            start=dt.time(15),
            end=dt.time(17),
            location="局机关三楼会议室",
            form="专题研讨",
            host="王建国",
            topic_numbers=(1, 2),
            status=SessionStatus.HELD,
        )
    )
    second = planning.save_session(
        Session(date=LATER, start=dt.time(15), end=dt.time(17), topic_numbers=(3,))
    )
    return first, second


@pytest.fixture
def view(qtbot, records, planning, attendance, session_ids) -> RecordsView:
    widget = RecordsView(records, planning, attendance, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []

    def warning(parent, title, text, *args):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def _answer_yes(monkeypatch) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# -- picking a session --------------------------------------------------------------------
def test_the_latest_session_by_today_is_shown(view, session_ids) -> None:
    assert view.session_combo.count() == 2
    assert view.session_combo.currentText() == "2026-03-05 15:00 专题1、2"
    assert view.session_combo.itemText(1) == "2026-04-09 15:00 专题3"
    assert view.session_id == session_ids[0]
    header = view.header.text()
    assert "2026年3月5日" in header and "局机关三楼会议室" in header and "已举行" in header
    assert "科学体系和核心要义" in header
    assert view.tabs.tabText(view.TAB_REFLECTIONS) == "心得体会（0/3）"


def test_a_year_without_sessions_shows_a_sentence(view) -> None:
    view.set_year(2027)
    assert view.session_combo.count() == 0
    assert view.session_id is None
    assert "2027 年还没有学习场次" in view.header.text()
    assert not view.tabs.isEnabled()
    view.set_year(2026)
    assert view.tabs.isEnabled()


def test_set_session_switches_to_its_year(view, planning, session_ids) -> None:
    other = planning.save_session(
        Session(date=dt.date(2025, 12, 4), start=dt.time(9), end=dt.time(11))
    )
    view.set_session(other)
    assert view.year == 2025 and view.session_id == other
    assert view.session_combo.currentText() == "2025-12-04 09:00 集中学习"
    view.set_session(session_ids[1])
    assert view.year == 2026 and view.session_id == session_ids[1]


def _picker_text_fits(view: RecordsView) -> bool:
    """Whether the picker's field shows its whole current text."""
    combo = view.session_combo
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()


def test_the_picker_grows_to_show_a_cancelled_session_whole(qtbot, view, planning) -> None:
    assert _picker_text_fits(view)
    cancelled = planning.save_session(
        Session(
            date=dt.date(2026, 12, 10),
            start=dt.time(15),
            end=dt.time(17),
            topic_numbers=(12, 13, 14),
            status=SessionStatus.CANCELLED,
        )
    )
    view.refresh()
    view.set_session(cancelled)
    qtbot.wait(1)  # the layout gives the picker its new width
    assert view.session_combo.currentText() == "2026-12-10 15:00 专题12、13、14 （已取消）"
    assert _picker_text_fits(view)
    for index in range(view.session_combo.count()):
        view.session_combo.setCurrentIndex(index)
        assert _picker_text_fits(view), view.session_combo.currentText()


# -- minutes ------------------------------------------------------------------------------
def test_minutes_are_saved_with_the_button_and_on_switching(
    qtbot, view, records, session_ids
) -> None:
    changes: list[bool] = []
    view.changed.connect(lambda: changes.append(True))
    assert not view.save_minutes_button.isEnabled()
    type_text(view.minutes_edit, "会议由王建国同志主持。")
    assert view.save_minutes_button.isEnabled()
    assert "尚未保存" in view.minutes_state.text()
    _click(qtbot, view.save_minutes_button)
    assert records.record(session_ids[0]).minutes == "会议由王建国同志主持。"
    assert "已保存" in view.minutes_state.text()
    assert changes

    type_text(view.minutes_edit, "李明同志领学。")
    view.session_combo.setCurrentIndex(1)  # leaving the session saves without asking
    assert records.record(session_ids[0]).minutes == "会议由王建国同志主持。李明同志领学。"
    assert view.minutes_edit.toPlainText() == ""
    view.session_combo.setCurrentIndex(0)
    assert view.minutes_edit.toPlainText() == "会议由王建国同志主持。李明同志领学。"


def test_the_saved_note_tells_the_time_of_the_contexts_clock(qtbot, tmp_path) -> None:
    from studyplan.gui.main_window import MainWindow
    from tests.documents_demo import TODAY as DEMO_DAY
    from tests.documents_demo import build, open_copy

    (tmp_path / "demo").mkdir()
    context = open_copy(build(tmp_path / "demo"), tmp_path / "data")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_view("records")
    view = window.views.get("records")
    first = context.planning.sessions(2025)[0]
    view.set_session(first.id)
    # The demo's minutes were saved as the session ended.
    assert view.minutes_state.text() == f"已保存（{first.date:%Y-%m-%d} {first.end:%H:%M}）。"
    type_text(view.minutes_edit, "补充。")
    _click(qtbot, view.save_minutes_button)
    assert view.minutes_state.text() == f"已保存（{DEMO_DAY:%Y-%m-%d} 09:00）。"  # its clock
    context.close()


# -- speeches -----------------------------------------------------------------------------
def test_add_a_speaker(qtbot, view, records, session_ids, monkeypatch) -> None:
    offered: list[list[str]] = []

    def ask(parent, names, speech=None):
        offered.append(names)
        return ("李明", "深刻把握科学体系和核心要义")

    monkeypatch.setattr(SpeechDialog, "ask", ask)
    view.tabs.setCurrentIndex(view.TAB_SPEECHES)
    _click(qtbot, view.add_speech_button)

    assert offered == [["王建国", "李明", "赵磊"]]
    table = view.speech_table
    assert table.model().rowCount() == 1
    assert _cell(table, 0, SpeechModel.COL_ORDER) == "1"
    assert _cell(table, 0, SpeechModel.COL_SPEAKER) == "李明"
    assert _cell(table, 0, SpeechModel.COL_TITLE) == "深刻把握科学体系和核心要义"
    [stored] = records.speeches(session_ids[0])
    assert (stored.speaker, stored.title) == ("李明", "深刻把握科学体系和核心要义")
    assert stored.member_id is not None
    assert view.tabs.tabText(view.TAB_SPEECHES) == "研讨发言（1）"


def test_speeches_are_edited_moved_and_removed(
    qtbot, view, records, session_ids, monkeypatch
) -> None:
    for speaker in ("王建国", "特邀嘉宾", "赵磊"):
        records.add_speech(session_ids[0], speaker, "")
    view.refresh()
    view.tabs.setCurrentIndex(view.TAB_SPEECHES)
    table = view.speech_table
    assert not view.edit_speech_button.isEnabled()

    _click_row(qtbot, table, 2)
    assert not view.speech_down_button.isEnabled()
    _click(qtbot, view.speech_up_button)
    _click(qtbot, view.speech_up_button)
    assert [s.speaker for s in records.speeches(session_ids[0])] == ["赵磊", "王建国", "特邀嘉宾"]
    assert table.selectionModel().isRowSelected(0)
    assert not view.speech_up_button.isEnabled()

    seen: list[Speech | None] = []

    def ask(parent, names, speech=None):
        seen.append(speech)
        return ("赵磊", "结合办公室工作谈体会")

    monkeypatch.setattr(SpeechDialog, "ask", ask)
    _double_click_row(qtbot, table, 0)
    assert seen[0] is not None and seen[0].speaker == "赵磊"
    assert _cell(table, 0, SpeechModel.COL_TITLE) == "结合办公室工作谈体会"

    _click_row(qtbot, table, 1)
    _click(qtbot, view.remove_speech_button)
    assert [s.speaker for s in records.speeches(session_ids[0])] == ["赵磊", "特邀嘉宾"]
    assert [_cell(table, r, SpeechModel.COL_ORDER) for r in range(2)] == ["1", "2"]

    # A speech removed by mistake comes back with 撤销, at its place.
    assert view.undo_stack.undoText() == "删除发言（王建国）"
    view.tabs.setCurrentIndex(view.TAB_MINUTES)
    view.undo_stack.undo()
    assert [s.speaker for s in records.speeches(session_ids[0])] == ["赵磊", "王建国", "特邀嘉宾"]
    assert view.tabs.currentIndex() == view.TAB_SPEECHES
    assert table.selectionModel().isRowSelected(1)
    view.undo_stack.redo()
    assert [s.speaker for s in records.speeches(session_ids[0])] == ["赵磊", "特邀嘉宾"]


def test_an_error_is_shown_as_a_sentence(qtbot, view, records, warnings, monkeypatch) -> None:
    monkeypatch.setattr(SpeechDialog, "ask", lambda parent, names, speech=None: ("x" * 61, ""))
    view.tabs.setCurrentIndex(view.TAB_SPEECHES)
    _click(qtbot, view.add_speech_button)
    assert warnings == ["发言人过长（不超过 60 个字）。"]
    assert view.speech_table.model().rowCount() == 0


# -- materials ----------------------------------------------------------------------------
def test_materials_are_prefilled_and_edited(qtbot, view, records, session_ids, monkeypatch) -> None:
    view.tabs.setCurrentIndex(view.TAB_MATERIALS)
    table = view.material_table
    planned = [_cell(table, r, MaterialModel.COL_TITLE) for r in range(table.model().rowCount())]
    assert planned[:2] == ["《习近平著作选读》", "《习近平谈治国理政》"]
    assert "学习计划" in view.materials_hint.text()

    monkeypatch.setattr(MaterialDialog, "ask", lambda parent, text=None: "局党组学习材料汇编")
    _click(qtbot, view.add_material_button)
    assert records.record(session_ids[0]).materials == [*planned, "局党组学习材料汇编"]
    assert table.selectionModel().isRowSelected(len(planned))

    _click_row(qtbot, table, 0)
    _click(qtbot, view.remove_material_button)
    assert records.record(session_ids[0]).materials == [*planned[1:], "局党组学习材料汇编"]

    _click(qtbot, view.reset_materials_button)
    assert records.record(session_ids[0]).materials == planned


# -- reflections --------------------------------------------------------------------------
def test_mark_a_reflection_as_submitted(
    qtbot, view, records, session_ids, attendance, monkeypatch
) -> None:
    li_ming = attendance.list_members()[1]
    asked: list[tuple] = []

    def ask(parent, member, session_day, reflection=None, today=None):
        asked.append((member.name, session_day, reflection, today))
        return (dt.date(2026, 3, 9), "学深悟透 笃行实干", "手写稿")

    monkeypatch.setattr(ReflectionDialog, "ask", ask)
    view.tabs.setCurrentIndex(view.TAB_REFLECTIONS)
    table = view.reflection_table
    assert _cell(table, 1, ReflectionModel.COL_DATE) == "未提交"
    assert not view.clear_reflection_button.isEnabled()
    _click_row(qtbot, table, 1)
    _click(qtbot, view.mark_reflection_button)

    assert asked == [("李明", DAY, None, TODAY)]
    assert _cell(table, 1, ReflectionModel.COL_NAME) == "李明"
    assert _cell(table, 1, ReflectionModel.COL_POSITION) == "局党组副书记、副局长"
    assert _cell(table, 1, ReflectionModel.COL_DATE) == "2026-03-09"
    assert _cell(table, 1, ReflectionModel.COL_TITLE) == "学深悟透 笃行实干"
    assert _cell(table, 1, ReflectionModel.COL_NOTE) == "手写稿"
    [stored] = records.record(session_ids[0]).reflections
    assert (stored.member_id, stored.submitted_on) == (li_ming.id, dt.date(2026, 3, 9))
    assert view.tabs.tabText(view.TAB_REFLECTIONS) == "心得体会（1/3）"
    assert "已提交 1 人" in view.reflections_hint.text()

    _double_click_row(qtbot, table, 2)
    assert asked[-1][0] == "赵磊"
    assert _cell(table, 2, ReflectionModel.COL_DATE) == "2026-03-09"
    assert view.tabs.tabText(view.TAB_REFLECTIONS) == "心得体会（2/3）"

    asked_yes = _answer_yes(monkeypatch)
    _click_row(qtbot, table, 1)
    assert view.clear_reflection_button.isEnabled()
    _click(qtbot, view.clear_reflection_button)
    assert "李明" in asked_yes[0]
    assert [r.member_id for r in records.record(session_ids[0]).reflections] == [
        attendance.list_members()[2].id
    ]
    assert _cell(table, 1, ReflectionModel.COL_DATE) == "未提交"


def test_reflection_before_the_session_is_refused(
    qtbot, view, records, session_ids, warnings, monkeypatch
) -> None:
    monkeypatch.setattr(
        ReflectionDialog, "ask", lambda *args, **kwargs: (DAY - dt.timedelta(days=1), "", "")
    )
    view.tabs.setCurrentIndex(view.TAB_REFLECTIONS)
    _click_row(qtbot, view.reflection_table, 0)
    _click(qtbot, view.mark_reflection_button)
    assert len(warnings) == 1 and "不能早于学习日期" in warnings[0]
    assert records.record(session_ids[0]).reflections == []


# -- attachments --------------------------------------------------------------------------
def test_attach_open_and_remove_a_file(
    qtbot, view, records, session_ids, tmp_path, monkeypatch
) -> None:
    source = tmp_path / "收件" / "会议签到表.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.7 sign-in sheet")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(source), "所有文件 (*)")
    )
    view.tabs.setCurrentIndex(view.TAB_ATTACHMENTS)
    _click(qtbot, view.add_attachment_button)

    table = view.attachment_table
    assert table.model().rowCount() == 1
    assert _cell(table, 0, AttachmentModel.COL_NAME) == "会议签到表.pdf"
    assert _cell(table, 0, AttachmentModel.COL_SIZE) == "22 B"
    [stored] = records.attachments(session_ids[0])
    assert _cell(table, 0, AttachmentModel.COL_HASH) == stored.sha256[:12]
    archived = records.attachment_path(stored)
    assert archived.read_bytes() == source.read_bytes()
    assert view.tabs.tabText(view.TAB_ATTACHMENTS) == "附件（1）"

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert table.selectionModel().isRowSelected(0)
    _click(qtbot, view.open_attachment_button)
    assert [Path(url.toLocalFile()) for url in opened] == [archived]

    asked = _answer_yes(monkeypatch)
    _click(qtbot, view.remove_attachment_button)
    assert "会议签到表.pdf" in asked[0]
    assert table.model().rowCount() == 0
    assert records.attachments(session_ids[0]) == []
    assert not archived.exists()
    trashed = records.archive_root / TRASH_FOLDER / "2026" / str(session_ids[0]) / "会议签到表.pdf"
    assert trashed.read_bytes() == source.read_bytes()


def test_cancelling_the_file_dialog_or_the_question_changes_nothing(
    qtbot, view, records, session_ids, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: ("", ""))
    view.tabs.setCurrentIndex(view.TAB_ATTACHMENTS)
    _click(qtbot, view.add_attachment_button)
    assert records.attachments(session_ids[0]) == []

    source = tmp_path / "照片.jpg"
    source.write_bytes(b"jpeg")
    records.attach_file(session_ids[0], source)
    view.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    _click_row(qtbot, view.attachment_table, 0)
    _click(qtbot, view.remove_attachment_button)
    assert len(records.attachments(session_ids[0])) == 1


def test_a_refused_file_is_reported(qtbot, view, tmp_path, warnings, monkeypatch) -> None:
    folder = tmp_path / "资料夹"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(folder), ""))
    view.tabs.setCurrentIndex(view.TAB_ATTACHMENTS)
    _click(qtbot, view.add_attachment_button)
    assert len(warnings) == 1 and "文件夹" in warnings[0]
    assert view.attachment_table.model().rowCount() == 0


def test_dropped_files_are_archived_and_refusals_reported(
    view, records, session_ids, tmp_path, warnings
) -> None:
    good = tmp_path / "会议照片.jpg"
    good.write_bytes(b"jpeg")
    bad = tmp_path / "隐藏＼资料.txt"  # NFKC makes it a backslash
    bad.write_bytes(b"x")
    assert view.attach_files([good, bad, good]) == 2
    assert [a.archived_name for a in records.attachments(session_ids[0])] == [
        "会议照片.jpg",
        "会议照片(2).jpg",
    ]
    assert view.attachment_table.model().rowCount() == 2
    assert _cell(view.attachment_table, 1, AttachmentModel.COL_NAME) == "会议照片(2).jpg"
    assert len(warnings) == 1 and "不能作为附件" in warnings[0]


# -- models and dialogs -------------------------------------------------------------------
def test_every_model_passes_the_model_tester(
    qtmodeltester, view, records, session_ids, attendance, tmp_path
) -> None:
    sid = session_ids[0]
    records.add_speech(sid, "王建国", "把握核心要义")
    records.add_speech(sid, "特邀嘉宾", "")
    records.set_reflection(sid, attendance.list_members()[0].id, DAY, "心得", "")
    source = tmp_path / "课件.pptx"
    source.write_bytes(b"slides")
    records.attach_file(sid, source)
    view.refresh()
    for model in (
        view.speech_model,
        view.material_model,
        view.reflection_model,
        view.attachment_model,
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    view.set_year(2027)
    for model in (view.speech_model, view.reflection_model, view.attachment_model):
        qtmodeltester.check(model)


def test_speech_dialog_needs_a_speaker(qtbot) -> None:
    dialog = SpeechDialog(["王建国", "李明"], None)
    qtbot.addWidget(dialog)
    assert dialog.speaker_combo.currentText() == ""
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not dialog.error_label.isHidden()
    assert dialog.result() == 0
    dialog.speaker_combo.setCurrentIndex(1)
    type_text(dialog.title_edit, "学习体会")
    assert dialog.answer() == ("李明", "学习体会")


def test_reflection_dialog_starts_on_a_sensible_day(qtbot, attendance) -> None:
    member = attendance.list_members()[0]
    dialog = ReflectionDialog(member, DAY, None, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.date_edit.date().toPython() == TODAY
    assert dialog.date_edit.minimumDate().toPython() == DAY
    early = ReflectionDialog(member, LATER, None, TODAY)
    qtbot.addWidget(early)
    assert early.answer() == (LATER, "", "")


# -- looks --------------------------------------------------------------------------------
def test_renders_at_1280_by_760_without_cramped_buttons(
    qtbot, view, records, session_ids, tmp_path
) -> None:
    for tab in range(view.tabs.count()):
        view.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        for button in view.findChildren(QPushButton):
            if button.isVisible():
                assert button.width() >= button.minimumSizeHint().width(), button.text()
    bar = view.tabs.tabBar()
    for tab in range(bar.count()):
        text_width = bar.fontMetrics().horizontalAdvance(bar.tabText(tab))
        assert bar.tabRect(tab).width() > text_width
    assert view.header.heightForWidth(view.header.width()) <= view.header.height()
    image = view.grab()
    assert image.size().width() == 1280 and image.size().height() == 760
    assert image.save(str(tmp_path / "records.png"))


def test_undoing_a_speech_removal_shows_its_session_from_another_year(
    qtbot, view, records, planning, session_ids
) -> None:
    records.add_speech(session_ids[0], "王建国", "")
    records.add_speech(session_ids[0], "赵磊", "")
    view.set_session(session_ids[0])
    view.tabs.setCurrentIndex(view.TAB_SPEECHES)
    _click_row(qtbot, view.speech_table, 1)
    _click(qtbot, view.remove_speech_button)
    other = planning.save_session(
        Session(date=DAY.replace(year=DAY.year - 1), start=dt.time(15), end=dt.time(17))
    )
    records.add_speech(other, "李明", "")
    view.set_session(other)
    assert view.session_id == other

    view.undo_stack.undo()
    assert view.session_id == session_ids[0]
    assert [s.speaker for s in records.speeches(session_ids[0])] == ["王建国", "赵磊"]
    assert view.speech_table.selectionModel().isRowSelected(1)
    assert _cell(view.speech_table, 1, SpeechModel.COL_SPEAKER) == "赵磊"


def test_the_documents_menu_greys_a_brief_before_the_session_is_held(
    qtbot, view, session_ids
) -> None:
    held, planned = session_ids
    states: dict[str, bool] = {}

    def read(menu) -> None:
        states.update({k: a.isEnabled() for k, a in view.document_actions.items()})

    menu = view.documents_button.menu()
    view.set_session(planned)
    menu.aboutToShow.emit()
    read(menu)
    assert states == {"notice": True, "record": True, "brief": False}
    assert "尚未举行" in view.document_actions["brief"].toolTip()
    view.set_session(held)
    menu.aboutToShow.emit()
    read(menu)
    assert states == {"notice": True, "record": True, "brief": True}
