"""Dialogs refuse at OK text the record cannot print, naming the character, and stay open
(issue 14, item 5); the session form gets the sentence from its use case."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.gui.leave.leave_dialog import LeaveDialog
from studyplan.gui.leave.makeup_dialog import MakeupDialog
from studyplan.gui.members.member_dialog import MemberDialog
from studyplan.gui.records.records_dialogs import MaterialDialog, ReflectionDialog, SpeechDialog
from studyplan.model.attendance import Makeup, MakeupEntry, MakeupStatus
from studyplan.model.plan import Session
from studyplan.model.roster import Member
from tests.gui.conftest import type_text

TODAY = dt.date(2026, 3, 10)


def _refused(dialog: QDialog, sentence: str) -> None:
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.error_label.text() == sentence  # type: ignore[attr-defined]


def test_member_form(qtbot) -> None:
    dialog = MemberDialog(None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name_edit, "王😀国")
    _refused(dialog, "姓名中的“😀”无法打印，请删去。")
    dialog.name_edit.clear()
    type_text(dialog.name_edit, "王建国")
    type_text(dialog.department_edit, "办公室✅")
    _refused(dialog, "部门中的“✅”无法打印，请删去。")
    dialog.department_edit.clear()
    type_text(dialog.department_edit, "办公室")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_leave_and_makeup_forms(qtbot) -> None:
    session = Session(dt.date(2026, 3, 20), dt.time(15), dt.time(17), id=1)
    leave = LeaveDialog([Member("王建国", id=1)], [session], now=dt.datetime(2026, 3, 10, 9))
    qtbot.addWidget(leave)
    leave.show()
    leave.member_combo.setCurrentIndex(0)
    type_text(leave.reason_combo.lineEdit(), "出差✈️")
    _refused(leave, "请假事由中的“✈️”无法打印，请删去。")

    entry = MakeupEntry(
        Makeup(member_id=1, session_id=1, due=dt.date(2026, 3, 27), id=1),
        Member("王建国", id=1),
        session,
        MakeupStatus.PENDING,
    )
    makeup = MakeupDialog(entry, today=dt.date(2026, 3, 25))
    qtbot.addWidget(makeup)
    makeup.show()
    type_text(makeup.evidence_edit, "心得一篇📝")
    _refused(makeup, "佐证材料中的“📝”无法打印，请删去。")


def test_records_forms(qtbot) -> None:
    speech = SpeechDialog(["王建国"])
    qtbot.addWidget(speech)
    speech.show()
    speech.speaker_combo.setCurrentIndex(0)
    type_text(speech.title_edit, "学习体会🌟")
    _refused(speech, "发言题目中的“🌟”无法打印，请删去。")

    reflection = ReflectionDialog(Member("王建国", id=1), TODAY, None, TODAY)
    qtbot.addWidget(reflection)
    reflection.show()
    type_text(reflection.note_edit, "\ue000手写稿")
    _refused(reflection, "备注中的“\ue000”无法打印，请删去。")

    material = MaterialDialog()
    qtbot.addWidget(material)
    material.show()
    type_text(material.text_edit, "📚党章")
    _refused(material, "学习资料中的“📚”无法打印，请删去。")


def test_session_form_keeps_the_sentence_and_saves_nothing(qtbot, planning) -> None:
    dialog = SessionDialog(planning, day=dt.date(2026, 3, 19))
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.location_edit, "三楼🏢会议室")
    _refused(dialog, "地点中的“🏢”无法打印，请删去。")
    assert planning.sessions(2026) == []
