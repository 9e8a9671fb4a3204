"""文件 → 设置…: make-up deadline and backups kept, saved for the next tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from studyplan.gui.settings_dialog import SettingsDialog
from tests.gui.conftest import type_text


def test_settings_are_shown_and_saved(window, qtbot) -> None:
    services = window._services
    dialog = SettingsDialog(services, window)
    qtbot.addWidget(dialog)
    assert dialog.due_days.value() == 14 and dialog.keep.value() == 30
    dialog.due_days.selectAll()
    qtbot.keyClicks(dialog.due_days, "21")
    dialog.keep.selectAll()
    qtbot.keyClicks(dialog.keep, "60")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert services.attendance.makeup_due_days() == 21
    assert services.safety.backups_to_keep() == 60
    assert services.planning.calendar_reminder_days() == 1  # untouched: the default


def test_the_calendar_reminder_can_be_turned_off(window, qtbot) -> None:
    services = window._services
    dialog = SettingsDialog(services, window)
    qtbot.addWidget(dialog)
    assert dialog.reminder.text() == "1 天"
    dialog.reminder.selectAll()
    qtbot.keyClicks(dialog.reminder, "0")
    assert dialog.reminder.value() == 0
    assert dialog.reminder.specialValueText() == "不提醒"  # what the field shows for 0
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert services.planning.calendar_reminder_days() == 0


def test_settings_is_in_the_file_menu(window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(lambda cls, *a: asked.append(a)))
    window.act_settings.trigger()
    assert asked
    assert "设置…" in [a.text() for a in window.file_menu.actions()]


def test_the_unit_details_are_typed_and_saved(window, qtbot) -> None:
    services = window._services
    dialog = SettingsDialog(services, window)
    qtbot.addWidget(dialog)
    assert dialog.unit_name.text() == ""
    assert "市科学技术局" in dialog.unit_name.placeholderText()  # what the plan title says
    assert dialog.group_name.text() == "党组理论学习中心组"
    type_text(dialog.unit_name, "县发展和改革局")
    type_text(dialog.secretary, "张敏")
    qtbot.keyClicks(dialog.phone, "0351-1234567")
    dialog.next_brief.selectAll()
    qtbot.keyClicks(dialog.next_brief, "5")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    details = services.unit.details()
    assert (details.name, details.secretary, details.phone) == (
        "县发展和改革局",
        "张敏",
        "0351-1234567",
    )
    assert services.unit.next_brief_number() == 5
    assert services.unit.unit_name(2026) == "县发展和改革局"
