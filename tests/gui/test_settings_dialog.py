"""文件 → 设置…: make-up deadline and backups kept, saved for the next tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from studyplan.gui.settings_dialog import SettingsDialog


def test_settings_are_shown_and_saved(window, qtbot) -> None:
    services = window._services
    dialog = SettingsDialog(services.attendance, services.safety, window)
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


def test_settings_is_in_the_file_menu(window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(lambda cls, *a: asked.append(a)))
    window.act_settings.trigger()
    assert asked
    assert "设置…" in [a.text() for a in window.file_menu.actions()]
