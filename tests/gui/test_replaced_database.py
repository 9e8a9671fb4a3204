"""A window whose database file was replaced or removed under it (a restore by another
program, the file deleted) says so at its next change instead of writing to a deleted file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from studyplan.gui.settings_dialog import SettingsDialog
from studyplan.store.db import REPLACED_SENTENCE


def _due_days(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'makeup_due_days'").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


@pytest.mark.parametrize("how", ["replaced", "removed"])
def test_a_change_after_the_file_went_is_refused_with_the_sentence(
    window, qtbot, db_path: Path, tmp_path: Path, how: str
) -> None:
    copy = tmp_path / "另一份.db"
    shutil.copy(db_path, copy)
    if how == "replaced":
        copy.replace(db_path)  # another program restored a backup over the open file
    else:
        db_path.unlink()

    dialog = SettingsDialog(window._services, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.due_days.selectAll()
    qtbot.keyClicks(dialog.due_days, "21")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error.text() == REPLACED_SENTENCE
    if how == "replaced":
        assert _due_days(db_path) is None  # the file now in its place was not written
    else:
        assert not db_path.exists()
