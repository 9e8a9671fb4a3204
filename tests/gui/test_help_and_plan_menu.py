"""帮助 (使用说明, 关于) and the 计划 menu's 新建下一年计划… and 下载计划模板…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from studyplan.gui.help import about as about_module
from studyplan.gui.help.about import AboutDialog
from studyplan.gui.help.manual import ManualDialog
from studyplan.io.plan_import import read_plan


def _manual(window) -> ManualDialog:
    window.act_manual.trigger()
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ManualDialog)]
    assert found
    return found[-1]


def test_the_manual_opens_from_help_with_its_pictures_and_finds_buqiu(qtbot, window) -> None:
    assert window.act_manual in window.help_menu.actions()
    manual = _manual(window)
    qtbot.addWidget(manual)
    text = manual.browser.toPlainText()
    for heading in ("界面", "学习秘书的一年", "键盘操作", "数据存放在哪里", "如何从备份恢复"):
        assert heading in text
    for picture in ("calendar.png", "members.png", "attendance.png", "leave.png", "stats.png"):
        # What the browser draws for the <img>: loaded from the bundled manual's folder.
        loaded = manual.browser.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(picture)
        )
        image = QImage(loaded) if isinstance(loaded, QPixmap | QImage) else QImage()
        if isinstance(loaded, bytes | bytearray | QByteArray):
            image.loadFromData(loaded)
        assert image.width() >= 640, picture
    type_into = manual.find_edit
    type_into.setText("补学")
    assert manual.find_next()
    assert manual.browser.textCursor().selectedText() == "补学"
    type_into.setText("没有这个词")
    assert not manual.find_next()
    assert "未找到" in manual.found_label.text()


def test_about_names_the_version_the_database_and_its_backups(qtbot, window, tmp_path, monkeypatch):
    import studyplan

    opened: list[Path] = []
    monkeypatch.setattr(about_module, "open_folder", lambda folder: opened.append(folder))
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.act_about.trigger()
    dialog = shown[0]
    qtbot.addWidget(dialog)
    labels = " ".join(label.text() for label in dialog.findChildren(type(window.coverage_label)))
    database = window._planning.database_file()
    assert studyplan.__version__ in labels
    assert str(database) in labels and str(database.parent / "backups") in labels
    dialog.open_buttons["database"].click()
    dialog.open_buttons["backups"].click()
    # No backup taken yet: the folder that will hold them is beside the database.
    assert opened == [database.parent, database.parent]


def test_next_years_plan_copied_from_the_plan_menu_and_undone(window, planning, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.set_year(2026)
    assert window.act_next_year in window.plan_menu.actions()
    window.act_next_year.trigger()
    assert window.year == 2027
    assert [t.title for t in planning.topics(2027)] == [t.title for t in planning.topics(2026)]
    assert planning.sessions(2027) == []
    assert window.calendar.topics.model.rowCount() == 14
    window.act_undo.trigger()
    assert planning.topics(2027) == []


def test_the_plan_template_is_saved_where_asked(window, monkeypatch, tmp_path) -> None:
    target = tmp_path / "模板.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window.set_year(2027)
    window.act_plan_template.trigger()
    assert [t.number for t in read_plan(target, 2027).topics] == [1, 2, 3]
    assert QDialog  # the dialogs above were all stubbed
