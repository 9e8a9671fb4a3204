"""The dates of the 三张清单 and the member page are typed whole and checked at OK, like every
other date field of the window; their dialogs, and the topic form, refuse at OK text the
record cannot print, naming the character, and stay open with what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from studyplan.gui.calendar.topic_dialog import TopicDialog
from studyplan.gui.date_field import DateField
from studyplan.gui.lists.lists_dialogs import (
    ArrangementDialog,
    ListSettingsDialog,
    ResultDialog,
    SpeakerDialog,
)
from studyplan.gui.members.member_year import RecordDialog
from studyplan.model.duties import DUTIES, Arrangement
from studyplan.model.roster import Member
from tests.gui.conftest import type_text

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def warned(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    return said


def _type_digits(qtbot, field: DateField, text: str) -> None:
    """The date as a user types it: the old text selected away, then key by key."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    for char in text:
        qtbot.keyClick(field, char)


def _result_dialog(qtbot) -> ResultDialog:
    dialog = ResultDialog([("专题1", 1, None)], ["调研报告"], [Member("王建国", id=1)], None, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_results_deadline_is_typed_digit_by_digit(qtbot, warned) -> None:
    dialog = _result_dialog(qtbot)
    assert isinstance(dialog.due_edit, DateField)
    type_text(dialog.name_edit, "调研报告一篇")
    _type_digits(qtbot, dialog.due_edit, "2026-11-20")
    dialog.accept()
    assert QDialog.result(dialog) == QDialog.DialogCode.Accepted and warned == []
    assert dialog.result().due == dt.date(2026, 11, 20)


def test_a_deadline_not_a_date_keeps_the_dialog_open(qtbot, warned) -> None:
    dialog = _result_dialog(qtbot)
    type_text(dialog.name_edit, "调研报告一篇")
    _type_digits(qtbot, dialog.due_edit, "2026-13-01")
    dialog.accept()
    assert dialog.isVisible() and QDialog.result(dialog) != QDialog.DialogCode.Accepted
    assert warned == ["请按“年-月-日”填写完成时限，例如 2026-11-20。"]


def test_a_result_name_that_cannot_print_keeps_the_dialog_open(qtbot, warned) -> None:
    dialog = _result_dialog(qtbot)
    type_text(dialog.name_edit, "调研报告🔥")
    dialog.accept()
    assert dialog.isVisible() and warned == ["成果名称中的“🔥”无法打印，请删去。"]
    assert dialog.name_edit.text() == "调研报告🔥"


@pytest.mark.parametrize(("kind", "what"), [("paper", "日期"), ("check", "检查日期")])
def test_a_record_of_the_year_is_dated_by_today(qtbot, warned, kind, what) -> None:
    dialog = RecordDialog(kind, TODAY, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    assert isinstance(dialog.date_edit, DateField)
    type_text(dialog.title_edit, "学思践悟")
    _type_digits(qtbot, dialog.date_edit, "2026-12-01")
    dialog.accept()
    assert dialog.isVisible() and warned == [f"{what}不能晚于今天 2026-03-10。"]
    warned.clear()
    _type_digits(qtbot, dialog.date_edit, "2025-12-30")
    dialog.accept()
    assert dialog.isVisible() and warned == [f"{what}不能早于 2026-01-01。"]
    warned.clear()
    _type_digits(qtbot, dialog.date_edit, "2026-02-28")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and warned == []
    assert dialog.answer()["day"] == dt.date(2026, 2, 28)


def test_a_self_study_plan_may_be_handed_in_the_year_before(qtbot, warned) -> None:
    dialog = RecordDialog("plan", TODAY, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_digits(qtbot, dialog.date_edit, "2025-12-20")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and warned == []
    assert dialog.answer()["day"] == dt.date(2025, 12, 20)


def test_record_texts_that_cannot_print_are_refused(qtbot, warned) -> None:
    paper = RecordDialog("paper", TODAY, year=2026)
    qtbot.addWidget(paper)
    paper.show()
    type_text(paper.title_edit, "论📄")
    paper.accept()
    assert paper.isVisible() and warned == ["题目中的“📄”无法打印，请删去。"]
    check = RecordDialog("check", TODAY, year=2026)
    qtbot.addWidget(check)
    check.show()
    type_text(check.remark_edit, "认真👍")
    check.accept()
    assert check.isVisible() and warned[-1] == "检查意见中的“👍”无法打印，请删去。"


def test_the_list_dialogs_refuse_text_that_cannot_print(qtbot, warned) -> None:
    speaker = SpeakerDialog([Member("王建国", id=1)], "专题1")
    qtbot.addWidget(speaker)
    speaker.show()
    type_text(speaker.subject_edit, "创新✨")
    speaker.accept()
    assert speaker.isVisible() and warned == ["发言题目中的“✨”无法打印，请删去。"]

    arrangement = ArrangementDialog(Arrangement(), ["集中学习"], "专题1", session=False)
    qtbot.addWidget(arrangement)
    arrangement.show()
    type_text(arrangement.department_edit, "🏢办公室")
    arrangement.accept()
    assert arrangement.isVisible() and warned[-1] == "责任处室中的“🏢”无法打印，请删去。"

    required = {duty.code: 1 for duty in DUTIES}
    settings = ListSettingsDialog(["集中学习"], ["调研报告"], required)
    qtbot.addWidget(settings)
    settings.show()
    type_text(settings.kinds_edit, "星级⭐")
    settings.accept()
    assert settings.isVisible() and warned[-1] == "成果类型中的“⭐”无法打印，请删去。"
    settings.kinds_edit.clear()
    settings.accept()
    assert settings.result() == QDialog.DialogCode.Accepted


def test_the_topic_form_refuses_text_that_cannot_print(qtbot, warned) -> None:
    dialog = TopicDialog(None, None, 15)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.title_edit, "学习😀")
    dialog.accept()
    assert dialog.isVisible() and warned == ["专题名称中的“😀”无法打印，请删去。"]
