"""Exports through gui/exporting.py: closing the window during a ledger export (wait, or
cancel), the progress dialog's 取消, a refused write that reopens the save dialog, and the
message after an export with 打开文件 / 打开所在文件夹."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QThread, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
)

from studyplan.app.demo import build_demo
from studyplan.gui import exporting, ledger_export
from studyplan.gui.exporting import tell_written as real_tell_written
from studyplan.io import files
from studyplan.model.plan import Session
from tests.gui.conftest import TODAY


class Gate:
    """Holds a ledger export at its first progress report, after the reading: the export is
    then running, as at 77 % in the issue, until `open()` or a cancel."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def gate(monkeypatch) -> Gate:
    gate = Gate()
    real = ledger_export.write_ledger_file

    def held(db_path, target, year, today, job):
        report = job.progress

        def progress(done: int, total: int) -> None:
            gate.entered.set()
            while not (gate.opened.is_set() or job.cancelled.is_set()):
                time.sleep(0.01)
            report(done, total)

        job.progress = progress
        return real(db_path, target, year, today, job)

    monkeypatch.setattr(ledger_export, "write_ledger_file", held)
    return gate


@pytest.fixture
def boxes(monkeypatch) -> dict[str, list[str]]:
    """The texts of the information and warning boxes shown."""
    shown: dict[str, list[str]] = {"information": [], "warning": []}
    for kind, texts in shown.items():
        monkeypatch.setattr(QMessageBox, kind, lambda *a, texts=texts, **k: texts.append(a[2]))
    return shown


def click_when_shown(object_name: str, text: str) -> list[str]:
    """Click the button `text` of the modal box `object_name` as soon as it is open; the list
    fills with the box's text once clicked."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != object_name:
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        button = next(b for b in box.findChildren(QPushButton) if b.text() == text)
        button.click()

    QTimer.singleShot(0, click)
    return seen


def start_ledger_export(window, monkeypatch, target: Path):
    build_demo(window._planning.db, year=2025, today=TODAY)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("全部年度", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.show()
    window.export_ledger()
    exporter = window.ledger_export
    assert exporter is not None and exporter.running
    return exporter


def left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def no_thread_running(window) -> bool:
    return not any(t.isRunning() for t in window.findChildren(QThread))


def test_closing_during_an_export_and_waiting_writes_the_whole_file_then_closes(
    window, qtbot, tmp_path, monkeypatch, gate, boxes
) -> None:
    out = tmp_path / "导出"
    out.mkdir()
    exporter = start_ledger_export(window, monkeypatch, out / "台账.xlsx")
    assert gate.entered.wait(30)
    asked = click_when_shown("closeWhileExporting", "等待导出完成")
    assert window.close() is False  # still exporting: the window stays
    assert asked == [
        "“导出学习台账”还没有完成：等它完成后再关闭窗口，还是取消导出（不会留下不完整的文件）？"
    ]
    assert window.isVisible() and exporter.running
    gate.open()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert not exporter.running and no_thread_running(window)
    assert left_in(out) == ["台账.xlsx"]  # no temporary file beside it
    workbook = load_workbook(out / "台账.xlsx", read_only=True)
    assert workbook.sheetnames[:2] == ["学习计划", "学习台账"]
    workbook.close()
    assert boxes["information"] == [f"已保存：{out / '台账.xlsx'}"]


def test_closing_during_an_export_and_cancelling_leaves_no_file(
    window, qtbot, tmp_path, monkeypatch, gate, boxes
) -> None:
    out = tmp_path / "导出"
    out.mkdir()
    earlier = out / "台账.xlsx"
    earlier.write_bytes(b"last year's ledger")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    exporter = start_ledger_export(window, monkeypatch, out / "台账")
    assert gate.entered.wait(30)
    ended: list[object] = []
    exporter.finished.connect(ended.append)
    click_when_shown("closeWhileExporting", "取消导出")
    assert window.close() is True
    assert not window.isVisible()
    # joined before the window went: nothing is left running, written or half-written
    assert not exporter.running and no_thread_running(window) and ended == [None]
    assert left_in(out) == ["台账.xlsx"] and earlier.read_bytes() == b"last year's ledger"
    assert boxes == {"information": [], "warning": []}


def test_the_progress_dialog_cancel_button_stops_the_export(
    window, qtbot, tmp_path, monkeypatch, gate, boxes
) -> None:
    out = tmp_path / "导出"
    out.mkdir()
    exporter = start_ledger_export(window, monkeypatch, out / "台账.xlsx")
    assert gate.entered.wait(30)
    progress = exporter.progress
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=5_000)  # after a moment, as users see it
    button = next(b for b in progress.findChildren(QPushButton))
    assert button.text() == "取消"
    with qtbot.waitSignal(exporter.finished, timeout=30_000) as blocker:
        button.click()
    assert blocker.args == [None]
    assert not exporter.running and no_thread_running(window)
    assert left_in(out) == []
    assert boxes == {"information": [], "warning": []}
    window.close()


def test_a_refused_ledger_write_says_why_and_reopens_the_save_dialog(
    window, qtbot, tmp_path, monkeypatch, boxes
) -> None:
    build_demo(window._planning.db, year=2025, today=TODAY)
    locked = tmp_path / "只读"
    locked.mkdir()
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    replace = os.replace

    def refuse_in_locked(source, target):  # as a file open in WPS, even for root
        if Path(target).parent == locked:
            raise PermissionError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", refuse_in_locked)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2025 年", True))
    asked: list[str] = []
    answers = iter([locked / "台账.xlsx", elsewhere / "台账.xlsx"])

    def save_dialog(parent, title, start, file_filter):
        asked.append(start)
        return str(next(answers)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.set_year(2025)
    window.export_ledger()
    with qtbot.waitSignal(window.ledger_export.finished, timeout=60_000) as blocker:
        pass
    assert blocker.args == [elsewhere / "台账.xlsx"]
    [why] = boxes["warning"]
    assert why == (
        "文件可能正在被 Excel/WPS 等程序打开，或没有写入权限，请关闭它或换一个位置："
        f"{locked / '台账.xlsx'}"
    )
    # The first dialog opens on the suggested name in the last export's folder or 文档
    # (tests/gui/test_export_folder.py), no longer in the working directory.
    assert [Path(asked[0]).name, asked[1]] == [
        "2025年理论学习中心组学习台账.xlsx",
        str(locked / "台账.xlsx"),
    ]
    assert left_in(locked) == [] and left_in(elsewhere) == ["台账.xlsx"]
    assert boxes["information"] == [f"已保存：{elsewhere / '台账.xlsx'}"]


def test_a_save_place_that_cannot_be_written_reopens_the_dialog(
    window, planning, tmp_path, monkeypatch, boxes
) -> None:
    planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    a_file = tmp_path / "不是文件夹"
    a_file.write_text("x", "utf-8")  # its "folder" is a file: no user can write there
    asked: list[str] = []
    answers = iter([a_file / "学习安排.ics", tmp_path / "学习安排.ics"])

    def save_dialog(parent, title, start, file_filter):
        asked.append(start)
        return str(next(answers)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.act_export_ics.trigger()
    assert boxes["warning"] == [f"保存位置不是文件夹：{a_file}"]
    assert asked[1] == str(a_file / "学习安排.ics")  # reopened on the refused name
    assert (tmp_path / "学习安排.ics").read_text("utf-8").startswith("BEGIN:VCALENDAR")
    assert len(boxes["information"]) == 1


@pytest.mark.parametrize(
    ("button", "opened"), [("打开文件", "学习安排.ics"), ("打开所在文件夹", "")]
)
def test_the_message_after_an_export_opens_the_file_or_its_folder(
    window, planning, tmp_path, monkeypatch, button, opened
) -> None:
    monkeypatch.setattr(exporting, "tell_written", real_tell_written)
    planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )
    target = tmp_path / "学习安排.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    said = click_when_shown("exportDone", button)
    window.act_export_ics.trigger()
    assert said == [f"已导出 1 个场次到：\n{target}"]
    assert [Path(u.toLocalFile()) for u in urls] == [tmp_path / opened if opened else tmp_path]


def test_the_message_after_an_export_has_both_buttons(window, tmp_path) -> None:
    box = exporting.written_box(window, "导出完成", "已保存：x", tmp_path / "x.xlsx")
    texts = {b.text() for b in box.buttons()}
    assert {"打开文件", "打开所在文件夹"} < texts and len(texts) == 3  # and 确定
    backup = exporting.written_box(window, "备份完成", "", tmp_path / "x.db", openable=False)
    assert "打开所在文件夹" in {b.text() for b in backup.buttons()}
    assert "打开文件" not in {b.text() for b in backup.buttons()}


@pytest.fixture
def window_style(qapp):
    """The window's style sheet, as the running program has it."""
    from studyplan.gui.app import load_style

    qapp.setStyleSheet(load_style())
    yield
    qapp.setStyleSheet("")


def test_the_buttons_after_an_export_show_their_whole_words(window, tmp_path, window_style):
    box = exporting.written_box(window, "导出完成", "已保存：x", tmp_path / "x.xlsx")
    box.show()
    try:
        for button in box.buttons():
            words = button.fontMetrics().horizontalAdvance(button.text())
            assert button.width() >= button.sizeHint().width() > words, button.text()
    finally:
        box.close()
        box.deleteLater()


def test_a_program_that_cannot_open_the_file_is_said(window, tmp_path, monkeypatch, boxes):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    box = exporting.written_box(window, "导出完成", "已保存", tmp_path / "x.ics")
    next(b for b in box.buttons() if b.text() == "打开文件").click()
    assert boxes["warning"] == [f"系统中没有能打开该文件的程序：{tmp_path / 'x.ics'}"]


END_TO_END = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox
    from studyplan.gui import app as gui_app, exporting, ledger_export
    from studyplan.gui.main_window import MainWindow

    db_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    for name in ("information", "warning", "critical"):
        setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    QInputDialog.getItem = staticmethod(lambda *a, **k: ("全部年度", True))
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(out / "台账.xlsx"), ""))
    closing = threading.Event()
    real = ledger_export.write_ledger_file

    def held(db_path, target, year, today, job):  # running, as at 77 %, until the close
        report = job.progress
        def progress(done, total):
            closing.wait(60)
            report(done, total)
        job.progress = progress
        return real(db_path, target, year, today, job)

    ledger_export.write_ledger_file = held

    def answer(parent, what):
        closing.set()
        return True  # 取消导出

    exporting.ask_cancel_on_close = answer
    app = gui_app.application()

    def export_then_close():
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        if not window.isVisible():
            QTimer.singleShot(50, export_then_close)
            return
        window.export_ledger()
        print("running", window.ledger_export.running, flush=True)
        QTimer.singleShot(200, window.close)

    QTimer.singleShot(100, export_then_close)
    sys.exit(gui_app.run_gui(db_path, ["studyplan"]))
    """
)


def test_closing_the_real_window_during_an_export_neither_aborts_nor_leaves_a_lock(
    tmp_path: Path,
) -> None:
    from studyplan.app.demo import build_demo as demo
    from studyplan.store.opening import connect

    db_path = tmp_path / "学习台账.db"
    db = connect(db_path)
    demo(db, year=2025, today=TODAY)
    db.conn.close()
    out = tmp_path / "导出"
    out.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", END_TO_END, str(db_path), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "QThread: Destroyed" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "running True" in done.stdout
    assert left_in(out) == []
    assert not Path(str(db_path) + ".lock").exists()
