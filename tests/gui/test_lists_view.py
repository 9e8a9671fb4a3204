"""The 三张清单 view and the member page (issue 18): a planned speaker's plan met by the
speech, one without a speech pointed out, an overdue result flagged, and the member page
showing the numbers the command line prints."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace as dt_replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from studyplan.cli import main
from studyplan.gui.lists.lists_dialogs import ResultDialog, SpeakerDialog
from studyplan.gui.lists.lists_models import OVERDUE_BACKGROUND, DutyModel, ResultModel
from studyplan.model.duties import DUTIES, Progress, SessionLine, StudyResult
from studyplan.model.plan import Session
from tests.gui.conftest import TODAY, type_text


def _session_row(view, session_id: int) -> int:
    model = view.duty_model
    for row in range(model.rowCount()):
        line = model.row(model.index(row, 0))
        if isinstance(line, SessionLine) and line.session.id == session_id:
            return row
    raise AssertionError("no such session row")


def test_a_planned_speaker_is_met_by_the_speech_and_one_without_is_pointed_out(
    window, planning, monkeypatch
) -> None:
    services = window._services
    attendance = services.attendance
    a = attendance.add_member("王建国", "局长", "组长", "局领导")
    b = attendance.add_member("李红梅", "副局长", "成员", "局领导")
    session_id = planning.save_session(
        Session(dt.date(2026, 3, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    window.data_changed({"sessions", "members"})
    view = window.show_view("lists")
    row = _session_row(view, session_id)
    view.duty_table.selectRow(row)
    view.duty_table.setCurrentIndex(view.duty_model.index(row, 0))
    answers = iter([(a.id, "谈科技创新"), (b.id, "谈成果转化")])
    monkeypatch.setattr(SpeakerDialog, "ask", classmethod(lambda cls, *args: next(answers)))
    view.plan_speaker()
    view.duty_table.setCurrentIndex(view.duty_model.index(_session_row(view, session_id), 0))
    view.plan_speaker()
    state = view.duty_model.index(_session_row(view, session_id), DutyModel.COL_STATE)
    assert state.data() == "王建国 待发言；李红梅 待发言"
    assert window.undo_stack.undoText() == "安排重点发言（李红梅）"

    attendance.mark_all_present(session_id)  # the session is held
    services.records.add_speech(session_id, "王建国", "谈科技创新", member_id=a.id)
    window.data_changed({"attendance", "sessions", "speeches"})
    state = view.duty_model.index(_session_row(view, session_id), DutyModel.COL_STATE)
    assert state.data() == "王建国 已发言；李红梅 未发言"
    assert state.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    checks = [view.check_list.item(i).text() for i in range(view.check_list.count())]
    assert any("李红梅" in text and "没有发言记录" in text for text in checks)
    assert "未发言 1 人次" in view.summary_label.text()


def test_a_result_past_its_deadline_is_flagged(window, planning, monkeypatch) -> None:
    attendance = window._services.attendance
    owner = attendance.add_member("王建国", "局长", "组长", "局领导")
    session_id = planning.save_session(
        Session(dt.date(2026, 2, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    view = window.show_view("lists")
    view.refresh()
    result = StudyResult(
        name="成果转化办法",
        kind="制度机制",
        member_id=owner.id,
        due=TODAY - dt.timedelta(days=3),
        progress=Progress.UNDER_WAY,
        session_id=session_id,
    )
    monkeypatch.setattr(ResultDialog, "ask", classmethod(lambda cls, *args: result))
    view.edit_result(new=True)
    assert view.result_model.rowCount() == 1
    progress = view.result_model.index(0, ResultModel.COL_PROGRESS)
    assert progress.data() == "已逾期"
    assert progress.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "已逾期 1 项" in view.summary_label.text()
    window.undo_stack.undo()
    assert view.result_model.rowCount() == 0


def test_the_member_page_shows_what_members_json_prints(window, planning, capsys) -> None:
    services = window._services
    attendance = services.attendance
    a = attendance.add_member("王建国", "局长", "组长", "局领导")
    attendance.add_member("李红梅", "副局长", "成员", "局领导")
    session_id = planning.save_session(
        Session(dt.date(2026, 3, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    attendance.mark_all_present(session_id)
    services.records.add_speech(session_id, "王建国", member_id=a.id)
    services.records.set_reflection(session_id, a.id, dt.date(2026, 3, 6))
    services.lists.add_paper(a.id, "调研报告", "企业研发投入调研", dt.date(2026, 3, 8))
    window.data_changed({"members"})
    members = window.show_view("members")
    members.select_member(a.id)
    page = members.member_page(members.current_member())
    assert page is not None

    db_file = str(services.db_path)
    assert (
        main(["--db", db_file, "members", "--year", "2026", "--format", "json"], today=TODAY) == 0
    )
    [printed] = [r for r in json.loads(capsys.readouterr().out) if r["id"] == a.id]
    labels = page.value_labels
    assert labels["expected"].text() == str(printed["expected"]) == "1"
    assert labels["attended"].text() == str(printed["attended"])
    assert labels["rate"].text() == "100.0%" and printed["rate"] == 1.0
    for duty in DUTIES:
        numbers = printed["duties"][duty.code]
        assert labels[duty.code].text().startswith(f"{numbers['done']} / {numbers['required']}")
    assert labels["speeches"].text() == "1 / 1　已完成"
    assert labels["reflections"].text() == "1 / 2　进行中"
    assert labels["papers"].text().startswith("1 / 1")
    assert labels["note_checks"].text() == str(printed["note_checks"]) == "0"


def test_the_secretary_extends_the_lists_and_sets_the_duties(window, monkeypatch) -> None:
    from studyplan.gui.lists.lists_dialogs import ListSettingsDialog

    view = window.show_view("lists")
    answer = (
        ["红色教育"],
        ["典型案例"],
        {"speeches": 2, "reflections": 2, "papers": 1, "self_plan": 1},
    )
    monkeypatch.setattr(ListSettingsDialog, "ask", classmethod(lambda cls, *args: answer))
    view.edit_settings()
    lists = window._services.lists
    assert lists.study_forms()[-1] == "红色教育" and lists.result_types()[-1] == "典型案例"
    assert lists.required()["speeches"] == 2
    details = [row[0] for row in lists.db.execute("SELECT detail FROM audit_log")]
    assert "每年交流发言 2 次" in details


def test_the_member_page_records_a_paper_and_takes_it_back(window, monkeypatch, replies) -> None:
    from studyplan.gui.members.member_year import RecordDialog

    attendance = window._services.attendance
    member = attendance.add_member("王建国", "局长", "组长", "局领导", active_from=TODAY)
    window.data_changed({"members"})
    view = window.show_view("members")
    view.select_member(member.id)
    page = view.member_page(view.current_member())
    answer = {
        "day": TODAY,
        "file": "",
        "kind": "理论文章",
        "title": "学思践悟",
        "by": "",
        "remark": "",
    }
    monkeypatch.setattr(RecordDialog, "ask", classmethod(lambda cls, *args: answer))
    page.add_record("paper")
    assert page.value_labels["papers"].text() == "1 / 1　已完成"
    assert page.records_list.item(0).text() == "理论文章《学思践悟》 2026-03-10"
    page.records_list.setCurrentRow(0)
    replies(QMessageBox.StandardButton.Yes)  # 删除“…”吗？
    page.remove_record()
    assert page.value_labels["papers"].text() == "0 / 1　进行中"
    window.undo_stack.undo()
    assert page.value_labels["papers"].text() == "1 / 1　已完成"


def test_ctrl_8_puts_the_keys_in_the_list_and_a_tab_in_its_own(window, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    view = window.views["lists"]
    assert window.current_view_name() == "lists"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.duty_table)
    view.tabs.setCurrentIndex(2)  # 成果转化清单
    assert QApplication.focusWidget() is view.result_table


def test_the_speech_check_column_shows_who_did_not_speak(window, planning) -> None:
    attendance = window._services.attendance
    lists = window._services.lists
    names = ["欧阳建国", "司马红梅", "诸葛晓明"]
    members = [attendance.add_member(n, "副局长", "成员", "局领导") for n in names]
    session_id = planning.save_session(
        Session(dt.date(2026, 3, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    for member in members:
        lists.add_planned_speaker(member.id, "谈科技创新", session_id=session_id)
    window.data_changed({"sessions", "members", "planned_speakers"})
    view = window.show_view("lists")
    window.resize(1366, 768)
    window.show()
    index = view.duty_model.index(_session_row(view, session_id), DutyModel.COL_STATE)
    text = index.data()
    assert text.endswith("诸葛晓明 待发言")
    width = view.duty_table.columnWidth(DutyModel.COL_STATE)
    assert width > view.duty_table.fontMetrics().horizontalAdvance(text)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == text


def test_the_lists_export_as_every_export_does(window, tmp_path, monkeypatch) -> None:
    from studyplan.gui import exporting

    refused = tmp_path / "一个文件"
    refused.write_text("x")
    places = iter([str(refused / "清单.xlsx"), str(tmp_path / "清单")])
    starts: list[str] = []

    def save_dialog(parent, title, start, file_filter):
        starts.append(start)
        return next(places), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    told: list[tuple[str, Path]] = []
    monkeypatch.setattr(
        exporting, "tell_written", lambda p, t, sentence, path, **k: told.append((sentence, path))
    )
    view = window.show_view("lists")
    written = view.export()
    assert written == tmp_path / "清单.xlsx" and written.exists()
    assert len(warned) == 1 and "一个文件" in warned[0]
    # The suggested name, in the last export's folder or 文档 (not the working directory).
    assert Path(starts[0]).name == "2026年三张清单.xlsx" and Path(starts[1]).name == "清单.xlsx"
    assert told == [(f"已导出 2026 年三张清单：{written}", written)]


def test_the_member_page_exports_the_members_file(window, tmp_path, monkeypatch) -> None:
    from docx import Document

    from studyplan.gui import exporting

    attendance = window._services.attendance
    member = attendance.add_member("王建国", "局长", "组长", "局领导")
    attendance.add_member("李红梅", "副局长", "成员", "局领导")
    window.data_changed({"members"})
    view = window.show_view("members")
    view.select_member(member.id)
    page = view.member_page(view.current_member())
    starts: list[str] = []

    def save_dialog(parent, title, start, file_filter):
        starts.append(start)
        return str(tmp_path / "档案"), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    told: list[str] = []
    monkeypatch.setattr(
        exporting, "tell_written", lambda p, t, sentence, path, **k: told.append(sentence)
    )
    page.export_button.click()
    written = tmp_path / "档案.docx"
    assert [Path(start).name for start in starts] == ["2026年个人学习档案-王建国.docx"]
    assert told == [f"已导出王建国的 2026 年个人学习档案：{written}"]
    text = "\n".join(p.text for p in Document(str(written)).paragraphs)
    tables = "".join(c.text for t in Document(str(written)).tables for c in t._cells)
    assert text.count("个人学习档案") == 1 and "王建国" in tables and "李红梅" not in tables


def test_the_member_page_shows_its_buttons_whole(window, qapp) -> None:
    from studyplan.gui.app import load_style, pick_font
    from studyplan.gui.members.member_year import MemberYearDialog

    member = window._services.attendance.add_member("王建国", "局长", "组长", "局领导")
    window.data_changed({"members"})
    view = window.show_view("members")
    view.select_member(member.id)
    font = qapp.font()
    qapp.setStyleSheet(load_style())  # and the font, as the program starts with them
    qapp.setFont(pick_font() or font)
    try:
        dialog = MemberYearDialog(view.member_page(view.current_member()), view)
        dialog.show()
        for button in dialog.findChildren(QPushButton):
            assert button.width() >= button.sizeHint().width(), button.text()
        dialog.close()
    finally:
        qapp.setStyleSheet("")
        qapp.setFont(font)


def test_a_paper_without_a_title_keeps_its_dialog_open(window, qtbot, monkeypatch) -> None:
    from studyplan.gui.members.member_year import RecordDialog

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    dialog = RecordDialog("paper", TODAY, window)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.title_edit, "  ")
    dialog.accept()
    assert dialog.isVisible() and warned == ["请填写题目。"]
    type_text(dialog.title_edit, "学思践悟")
    dialog.accept()
    assert dialog.result() == RecordDialog.DialogCode.Accepted


def test_return_in_the_member_pages_year_presses_no_button(window, qtbot, monkeypatch) -> None:
    from studyplan.gui.members.member_year import MemberYearDialog, MemberYearPage, RecordDialog

    member = window._services.attendance.add_member("王建国", "局长", "组长", "局领导")
    window.data_changed({"members"})
    view = window.show_view("members")
    view.select_member(member.id)
    pressed: list[str] = []
    monkeypatch.setattr(MemberYearPage, "export", lambda self: pressed.append("export"))
    monkeypatch.setattr(RecordDialog, "ask", classmethod(lambda cls, *a: pressed.append("ask")))
    dialog = MemberYearDialog(view.member_page(view.current_member()), view)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    spin = dialog.page.year_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert pressed == []  # (关闭, the dialog's own button, may take it)


def test_return_on_a_line_edits_it_as_a_double_click_does(window, qtbot, monkeypatch) -> None:
    from studyplan.gui.lists.lists_dialogs import ArrangementDialog

    asked: list[str] = []
    monkeypatch.setattr(
        ArrangementDialog,
        "ask",
        classmethod(lambda cls, parent, a, f, where, **k: asked.append(where)),
    )
    view = window.show_view("lists")
    window.show()
    qtbot.waitExposed(window)
    table = view.duty_table
    table.setCurrentIndex(view.duty_model.index(0, 0))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    rect = table.visualRect(view.duty_model.index(0, 1))
    qtbot.mousePress(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(asked) == 2 and asked[0].startswith("专题1 ")


def test_the_arrangement_dialog_shows_the_whole_topic_and_starts_at_the_host(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from studyplan.gui.lists.lists_dialogs import ArrangementDialog, SpeakerDialog
    from studyplan.model.duties import Arrangement

    where = "专题1 深入学习领会习近平新时代中国特色社会主义思想的科学体系和核心要义"
    dialog = ArrangementDialog(Arrangement(host="郑子涵"), ["集中学习"], where, session=False)
    speaker = SpeakerDialog([], where)
    for shown, first in ((dialog, dialog.host_edit), (speaker, speaker.member_combo)):
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitExposed(shown)
        [label] = [w for w in shown.findChildren(QLabel) if w.objectName() == "whereLabel"]
        assert label.text() == where and label.wordWrap()
        assert label.height() >= 2 * label.fontMetrics().height() - 2  # on two lines
        qtbot.waitUntil(lambda s=shown, f=first: s.focusWidget() is f)


def test_deleting_a_result_needs_it_chosen_and_confirmed(
    window, planning, monkeypatch, replies
) -> None:
    owner = window._services.attendance.add_member("王建国", "局长", "组长", "局领导")
    session_id = planning.save_session(
        Session(dt.date(2026, 2, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    window._services.lists.add_result(
        StudyResult(
            name="成果转化办法",
            kind="制度机制",
            member_id=owner.id,
            due=TODAY,
            session_id=session_id,
        )
    )
    view = window.show_view("lists")
    view.refresh()
    view.tabs.setCurrentIndex(2)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: told.append(text))
    view.result_table.setCurrentIndex(view.result_model.index(0, 0))  # the cell the tab set
    view.result_table.clearSelection()
    view.remove_result_button.click()
    assert view.result_model.rowCount() == 1 and told == ["请先在清单中选中要删除的成果。"]
    view.result_table.selectRow(0)
    asked = replies(QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    view.remove_result_button.click()
    assert view.result_model.rowCount() == 1
    view.remove_result_button.click()
    assert view.result_model.rowCount() == 0
    assert asked == ["删除成果“成果转化办法”吗？删除后可用“编辑 → 撤销”恢复。"] * 2


def test_the_member_page_deletes_only_a_chosen_record_and_asks(window, replies, monkeypatch):
    member = window._services.attendance.add_member("王建国", "局长", "组长", "局领导")
    window._services.lists.add_paper(member.id, "理论文章", "学思践悟", TODAY)
    window.data_changed({"members"})
    view = window.show_view("members")
    view.select_member(member.id)
    page = view.member_page(view.current_member())
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: told.append(text))
    page.records_list.setCurrentRow(0)
    page.records_list.clearSelection()  # current, as Tab leaves it, but not chosen
    page.remove_button.click()
    assert told == ["请先在下面的列表中选中要删除的记录。"]
    page.records_list.setCurrentRow(0)
    asked = replies(QMessageBox.StandardButton.No)
    page.remove_button.click()
    assert asked == ["删除“理论文章《学思践悟》 2026-03-10”吗？删除后可用“编辑 → 撤销”恢复。"]
    assert page.value_labels["papers"].text() == "1 / 1　已完成"


def test_a_refused_result_reopens_its_dialog_with_what_was_typed(
    window, planning, monkeypatch
) -> None:
    owner = window._services.attendance.add_member("王建国", "局长", "组长", "局领导")
    session_id = planning.save_session(
        Session(dt.date(2026, 2, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    typed = StudyResult(
        name="",
        kind="制度机制",
        member_id=owner.id,
        due=TODAY,
        session_id=session_id,
        effect="已印发实施",
    )
    answers = iter([typed, dt_replace(typed, name="成果转化办法")])
    shown: list[object] = []

    def ask(cls, parent, targets, kinds, members, current, today):
        shown.append(current)
        return next(answers)

    monkeypatch.setattr(ResultDialog, "ask", classmethod(ask))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: warned.append(text))
    view = window.show_view("lists")
    view.edit_result(new=True)
    assert warned == ["请填写成果名称。"]
    assert shown == [None, typed]  # the second time with the effect already written
    model = view.result_model
    assert [model.row(model.index(r, 0)).result.name for r in range(model.rowCount())] == [
        "成果转化办法"
    ]


def test_a_results_name_has_room_before_its_target(window) -> None:
    view = window.show_view("lists")
    table, font = view.result_table, view.result_table.fontMetrics()
    name = font.horizontalAdvance("关于加快科技成果转化的若干措施")
    assert table.columnWidth(ResultModel.COL_NAME) > name
    assert table.columnWidth(ResultModel.COL_TARGET) > font.horizontalAdvance(
        "2026-01-08 学习（专题1、2）"
    )


def test_the_check_tab_is_headed_as_the_printed_lists_are(window) -> None:
    view = window.show_view("lists")
    heading = view.check_list.item(0)
    assert heading.text().startswith("2026 年清单检查：") and heading.font().bold()
