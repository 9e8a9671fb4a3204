"""Topics added, edited, moved and removed from the topic panel, each undone with Ctrl+Z."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox

from studyplan.app.ledger import collect
from studyplan.app.topics import TopicFields
from studyplan.gui.calendar.topic_dialog import TopicDialog
from studyplan.model.plan import Session
from tests.gui.conftest import TODAY, type_text


@pytest.fixture
def answers(monkeypatch):
    """TopicDialog.ask answers with these fields in turn."""
    queue: list[TopicFields | None] = []
    monkeypatch.setattr(TopicDialog, "ask", classmethod(lambda cls, *a: queue.pop(0)))
    return queue


def _panel_titles(window) -> list[str]:
    model = window.calendar.topics.model
    return [model.overview(row).topic.title for row in range(model.rowCount())]


def _ledger_titles(planning) -> list[str]:
    data = collect(planning.db, 2026, TODAY)
    return [t.title for (year, _n), t in sorted(data.topics.items()) if year == 2026]


def _ctrl_z(qtbot, window) -> None:
    window.act_undo.trigger()
    assert window.act_undo.shortcuts()[0] == QKeySequence(QKeySequence.StandardKey.Undo)


def test_a_topic_added_edited_moved_and_removed_in_the_panel(
    qtbot, window, planning, answers, monkeypatch
) -> None:
    window.set_year(2026)
    panel = window.calendar.topics
    before = _panel_titles(window)
    answers.append(TopicFields("学习新修订的保密法", readings=("《保密法》",), month=5))
    panel.add_button.click()
    assert _panel_titles(window) == [*before, "学习新修订的保密法"]
    assert _ledger_titles(planning)[-1] == "学习新修订的保密法"
    assert "5月" in panel.detail.toPlainText()
    assert window.act_undo.text().startswith("撤销")

    answers.append(TopicFields("保密法专题", form="辅导讲座", quarter=2))
    panel.edit_button.click()
    assert _panel_titles(window)[-1] == "保密法专题"
    assert "二季度" in panel.detail.toPlainText()

    panel.up_button.click()
    assert _panel_titles(window)[-2:] == ["保密法专题", before[-1]]
    assert panel.current_topic().title == "保密法专题"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.delete_button.click()
    assert _panel_titles(window) == before

    for expected in (
        [*before[:-1], "保密法专题", before[-1]],  # the removal undone
        [*before, "保密法专题"],  # the move undone
        [*before, "学习新修订的保密法"],  # the edit undone
        before,  # the addition undone
    ):
        _ctrl_z(qtbot, window)
        assert _panel_titles(window) == expected
        assert _ledger_titles(planning) == expected


def test_removing_a_topic_names_its_planned_sessions(window, planning, monkeypatch) -> None:
    planning.save_session(
        Session(date=dt.date(2026, 4, 9), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    window.set_year(2026)
    window.calendar.refresh()
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    panel = window.calendar.topics
    panel.table.setCurrentIndex(panel.model.index(0, 1))
    assert not panel.delete_topic()
    assert "4月9日" in asked[0]
    assert len(_panel_titles(window)) == 14


def test_the_plan_title_is_edited_and_the_context_menu_offers_the_buttons(
    qtbot, window, planning, monkeypatch
) -> None:
    window.set_year(2026)
    panel = window.calendar.topics
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: ("本局2026年理论学习中心组学习计划", True)
    )
    panel.title_button.click()
    assert panel.plan_title.text() == "本局2026年理论学习中心组学习计划"
    window.act_undo.trigger()
    assert panel.plan_title.text() == "市科学技术局2026年理论学习中心组专题学习计划"
    texts = [a.text() for a in panel.context_menu().actions() if a.text()]
    assert texts[:5] == ["新增…", "修改…", "删除", "上移", "下移"]


def test_the_dialog_keeps_a_topic_without_a_title_open(qtbot, monkeypatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    dialog = TopicDialog(None, None, 15)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert warned == ["请填写专题名称。"] and dialog.result() == 0
    type_text(dialog.title_edit, "新专题")
    dialog.when_combo.setCurrentIndex(dialog.when_combo.findText("三季度"))
    dialog.readings_edit.setPlainText("篇一\n\n篇二")
    fields = dialog.fields().cleaned()
    assert (fields.title, fields.quarter, fields.readings) == ("新专题", 3, ("篇一", "篇二"))


def test_keys_on_the_topic_table(qtbot, window, planning, answers, monkeypatch) -> None:
    window.set_year(2026)
    window.show()
    qtbot.waitExposed(window)
    panel = window.calendar.topics
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(1, 1))
    before = _panel_titles(window)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _panel_titles(window)[:2] == [before[1], before[0]]
    answers.append(TopicFields("键盘新增"))
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert _panel_titles(window)[-1] == "键盘新增"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _panel_titles(window) == [before[1], before[0], *before[2:]]


def test_topics_changed_from_the_command_line_show_in_the_panel_and_ledger(
    qtbot, tmp_path, capsys
) -> None:
    from studyplan.app.context import Context
    from studyplan.cli import main
    from studyplan.gui.main_window import MainWindow
    from tests.gui.conftest import CLOCK

    db = str(tmp_path / "cli.db")
    for args in (
        ["topics", "add", "--title", "命令行新增", "--quarter", "3"],
        ["topics", "move", "15", "--to", "1"],
        ["topics", "edit", "1", "--title", "命令行改名"],
        ["topics", "delete", "2"],
    ):
        assert main(["--db", db, *args], today=TODAY) == 0, capsys.readouterr()
    context = Context.open(db, clock=CLOCK)
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        titles = _panel_titles(window)
        assert titles[0] == "命令行改名" and len(titles) == 14
        assert _ledger_titles(context.planning)[0] == "命令行改名"
        window.close()
    finally:
        context.close()
