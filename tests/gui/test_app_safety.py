"""Data safety at start-up and in the 文件 menu: the lock, the network warning, a damaged
file, the daily backup, backing up and restoring from the window."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from studyplan.app.planning import PlanningService
from studyplan.gui import app as gui_app
from studyplan.gui.app import render_screenshot, run_gui
from studyplan.gui.audit.restore_dialog import BackupModel, RestoreDialog
from studyplan.gui.locking import GUI_BUSY_MESSAGE, gui_lock, lock_path
from studyplan.gui.main_window import MainWindow
from studyplan.model.plan import Session
from studyplan.store import audit, backup, location
from studyplan.store import restore as restore_store
from studyplan.store.opening import connect
from tests.gui.conftest import CLOCK, TODAY

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


class Boxes:
    """Every message box run_gui shows, by kind; `answer` replies to questions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer=NO) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = answer
        for kind in ("critical", "warning", "information"):
            monkeypatch.setattr(
                QMessageBox, kind, lambda *a, k=kind, **_: self.shown.append((k, a[1], a[2]))
            )
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _question(self, *args, **_kwargs):
        self.shown.append(("question", args[1], args[2]))
        return self.answer

    def texts(self, kind: str) -> list[str]:
        return [text for k, _, text in self.shown if k == kind]


def _session(planning: PlanningService, day: dt.date) -> int:
    return planning.save_session(Session(date=day, start=dt.time(15), end=dt.time(17)))


def _make_db(path: Path, *days: dt.date) -> None:
    db = connect(path)
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    for day in days:
        _session(planning, day)
    db.conn.close()


def _sessions(path: Path) -> list[dt.date]:
    db = connect(path)
    try:
        return [s.date for s in PlanningService(db).sessions()]
    finally:
        db.conn.close()


@pytest.fixture
def no_loop(monkeypatch):
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)


def test_a_second_window_on_a_locked_database_says_so_and_touches_nothing(
    qapp, tmp_path, monkeypatch
) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    before = db_path.read_bytes()
    boxes = Boxes(monkeypatch)
    first = gui_lock(db_path)
    assert first is not None and first.held
    try:
        monkeypatch.setattr(QApplication, "exec", lambda *a: pytest.fail("no window expected"))
        assert run_gui(db_path, ["studyplan"]) == 2
        assert boxes.texts("warning") == [GUI_BUSY_MESSAGE]
        assert first.held  # the first window keeps its lock
        assert db_path.read_bytes() == before
        assert not backup.backups_folder(db_path).exists()
    finally:
        first.release()


def test_the_lock_is_held_while_the_window_is_open_and_released_after(
    qapp, tmp_path, monkeypatch
) -> None:
    db_path = tmp_path / "学习台账.db"
    Boxes(monkeypatch)
    seen: list[bool] = []

    def exec_(*_args) -> int:
        other = gui_lock(db_path)
        seen.append(other is None)
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert run_gui(db_path, ["studyplan"]) == 0
    assert seen == [True]
    again = gui_lock(db_path)
    assert again is not None and again.held
    again.release()


def test_a_database_on_a_network_share_is_warned_about_once(
    qapp, tmp_path, monkeypatch, no_loop
) -> None:
    sentence = "数据库位于网络共享位置，SQLite 在网络盘上加锁不可靠，可能损坏数据。"
    monkeypatch.setattr(location, "network_warning", lambda path: sentence)
    boxes = Boxes(monkeypatch)
    assert run_gui(tmp_path / "shared.db", ["studyplan"]) == 0
    assert boxes.texts("warning") == [sentence]


def test_no_warning_for_a_local_database(qapp, tmp_path, monkeypatch, no_loop) -> None:
    monkeypatch.setattr(location, "network_warning", lambda path: None)
    boxes = Boxes(monkeypatch)
    assert run_gui(tmp_path / "local.db", ["studyplan"]) == 0
    assert boxes.shown == []


def _damage(db_path: Path) -> bytes:
    with db_path.open("r+b") as fh:
        fh.truncate(db_path.stat().st_size // 2)
    return db_path.read_bytes()


@pytest.fixture
def damaged(tmp_path) -> tuple[Path, bytes]:
    """A database with one session, its daily backup, then a later session, then damage."""
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    db = connect(db_path)
    backup.automatic_backup(db, db_path, now=dt.datetime(2026, 3, 12, 18, 0))
    _session(PlanningService(db), dt.date(2026, 4, 9))
    db.conn.close()
    return db_path, _damage(db_path)


def test_a_damaged_database_is_restored_from_the_latest_backup_after_yes(
    qapp, damaged, monkeypatch, no_loop
) -> None:
    db_path, broken = damaged
    boxes = Boxes(monkeypatch, answer=YES)
    assert run_gui(db_path, ["studyplan"]) == 0
    (question,) = boxes.texts("question")
    assert "已损坏" in question
    assert "是否用这份备份恢复？" in question
    assert _sessions(db_path) == [dt.date(2026, 3, 12)]
    (told,) = boxes.texts("information")
    assert told.startswith("已从") and "成员 0 人，场次 1 场" in told
    kept = [b for b in backup.list_backups(db_path) if b.reason == "prerestore"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == broken
    db = connect(db_path)
    try:
        assert audit.entries(db, action="恢复数据库")
    finally:
        db.conn.close()


def test_a_damaged_database_is_left_untouched_after_no(qapp, damaged, monkeypatch, no_loop) -> None:
    db_path, broken = damaged
    boxes = Boxes(monkeypatch, answer=NO)
    assert run_gui(db_path, ["studyplan"]) == 2
    assert len(boxes.texts("question")) == 1
    assert db_path.read_bytes() == broken
    assert [b.reason for b in backup.list_backups(db_path)] == ["daily"]


def test_a_newer_database_is_refused_without_offering_an_older_backup(
    qapp, tmp_path, monkeypatch, no_loop
) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path)
    db = connect(db_path)
    backup.automatic_backup(db, db_path)
    db.execute("PRAGMA user_version = 999")
    db.conn.close()
    boxes = Boxes(monkeypatch, answer=YES)
    assert run_gui(db_path, ["studyplan"]) == 2
    assert boxes.texts("question") == []
    assert "更新版本" in boxes.texts("critical")[0]


def test_the_daily_backup_is_made_once_a_day(qapp, tmp_path, monkeypatch, no_loop) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    Boxes(monkeypatch)
    assert run_gui(db_path, ["studyplan"]) == 0
    daily = [b for b in backup.list_backups(db_path) if b.reason == "daily"]
    assert len(daily) == 1 and daily[0].taken_at.date() == dt.date.today()
    assert run_gui(db_path, ["studyplan"]) == 0
    assert len([b for b in backup.list_backups(db_path) if b.reason == "daily"]) == 1


def test_the_window_shows_before_the_daily_backup_is_taken(
    qapp, tmp_path, monkeypatch, no_loop
) -> None:
    from studyplan.app.safety import SafetyService
    from studyplan.gui.main_window import MainWindow

    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    Boxes(monkeypatch)
    seen: list[bool] = []
    original = SafetyService.daily_backup

    def daily_backup(self, path):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.append(any(w.isVisible() and w.windowHandle().isExposed() for w in windows))
        return original(self, path)

    monkeypatch.setattr(SafetyService, "daily_backup", daily_backup)
    assert run_gui(db_path, ["studyplan"]) == 0
    assert seen == [True]


def test_a_start_clears_what_a_cut_off_restore_left_behind(
    qapp, tmp_path, monkeypatch, no_loop
) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    leftover = tmp_path / f".{db_path.name}.k1ll3d.tmp"
    leftover.write_bytes(b"half a database")
    yesterday = (dt.datetime.now() - dt.timedelta(days=1)).timestamp()
    os.utime(leftover, (yesterday, yesterday))
    Boxes(monkeypatch)
    assert run_gui(db_path, ["studyplan"]) == 0
    assert not leftover.exists()
    assert _sessions(db_path) == [dt.date(2026, 3, 12)]


def test_screenshots_take_no_lock_and_make_no_backup(qapp, tmp_path) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    holder = gui_lock(db_path)
    try:
        render_screenshot(db_path, tmp_path / "shot.png", view="audit", today=TODAY)
    finally:
        holder.release()
    assert (tmp_path / "shot.png").exists()
    assert not backup.backups_folder(db_path).exists()
    assert not lock_path(db_path).exists()


# -- 文件 menu -----------------------------------------------------------------------------
def test_backup_and_restore_need_the_database_path(window) -> None:
    assert not window.act_backup.isEnabled() and not window.act_restore.isEnabled()
    assert window.act_audit.isEnabled()
    titles = [a.text() for a in window.file_menu.actions()]
    assert titles[4:7] == ["备份数据库…", "从备份恢复…", "操作记录"]
    assert [a.text() for a in window.edit_menu.actions()] == ["撤销", "重做"]
    window.act_audit.trigger()
    assert window.current_view_name() == "audit"


def test_backup_from_the_file_menu(qtbot, tmp_path, monkeypatch) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    target = tmp_path / "U盘" / "备份.db"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    boxes = Boxes(monkeypatch)
    with gui_app.open_context(db_path, clock=CLOCK) as services:
        window = MainWindow(services, db_path=db_path)
        qtbot.addWidget(window)
        assert window.act_backup.isEnabled()
        window.act_backup.trigger()
        assert boxes.texts("information") == [f"已把数据库备份到 {target}。"]
        assert restore_store.check_backup_file(target).sessions == 1
        assert services.safety.audit_entries(action="备份数据库")[0].detail == str(target)
        window.close()


def test_restoring_from_the_window_reopens_it_on_the_backup(qapp, tmp_path, monkeypatch) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    db = connect(db_path)
    chosen = backup.automatic_backup(db, db_path, reason="manual")
    _session(PlanningService(db), dt.date(2026, 4, 9))
    db.conn.close()

    boxes = Boxes(monkeypatch, answer=YES)
    offered: list[list[Path]] = []

    def ask(parent, service, path):
        offered.append([b.path for b in service.backups(path)])
        return chosen

    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, *a: ask(*a)))
    windows: list[list[dt.date]] = []

    def exec_(*_args) -> int:
        (window,) = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        shown = []
        for month in (3, 4):
            window.calendar.set_month(2026, month)
            shown += [s.date for s in window.calendar.model.sessions()]
        windows.append(shown)
        if len(windows) == 1:
            window.act_restore.trigger()
            assert not window.isVisible()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    assert run_gui(db_path, ["studyplan"]) == 0
    assert windows == [[dt.date(2026, 3, 12), dt.date(2026, 4, 9)], [dt.date(2026, 3, 12)]]
    assert chosen in offered[0]
    confirm = boxes.texts("question")[0]
    assert "成员 0 人，场次 1 场，最后一场 2026-03-12" in confirm
    assert boxes.texts("information")[0].startswith(f"已从 {chosen} 恢复数据库")
    assert _sessions(db_path) == [dt.date(2026, 3, 12)]
    saved = [b for b in backup.list_backups(db_path) if b.reason == "prerestore"]
    assert len(saved) == 1 and restore_store.check_backup_file(saved[0].path).sessions == 2
    again = gui_lock(db_path)
    assert again is not None and again.held
    again.release()


def test_a_restore_not_confirmed_changes_nothing(qtbot, tmp_path, monkeypatch) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    db = connect(db_path)
    chosen = backup.automatic_backup(db, db_path, reason="manual")
    db.conn.close()
    Boxes(monkeypatch, answer=NO)
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, *a: chosen))
    with gui_app.open_context(db_path, clock=CLOCK) as services:
        window = MainWindow(services, db_path=db_path)
        qtbot.addWidget(window)
        with qtbot.assertNotEmitted(window.restartRequested):
            assert window.restore_backup() is False


def test_a_broken_backup_is_refused_before_asking(qtbot, tmp_path, monkeypatch) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path)
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", "utf-8")
    boxes = Boxes(monkeypatch, answer=YES)
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, *a: junk))
    with gui_app.open_context(db_path, clock=CLOCK) as services:
        window = MainWindow(services, db_path=db_path)
        qtbot.addWidget(window)
        assert window.restore_backup() is False
    assert boxes.texts("question") == []
    assert "不是 studyplan 数据库备份" in boxes.texts("warning")[0]


def test_the_restore_dialog_lists_the_backups(qtbot, qtmodeltester, tmp_path) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path)
    db = connect(db_path)
    first = backup.automatic_backup(db, db_path, now=dt.datetime(2026, 3, 1, 9, 0))
    second = backup.automatic_backup(
        db, db_path, reason="manual", now=dt.datetime(2026, 3, 9, 17, 30)
    )
    with gui_app.open_context(db_path, db) as services:
        dialog = RestoreDialog(services.safety, db_path)
        qtbot.addWidget(dialog)
        model = dialog.model
        qtmodeltester.check(model)
        assert model.rowCount() == 2
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
        assert headers == ["时间", "原因", "大小"]
        assert [model.backup(r).path for r in range(2)] == [second, first]
        assert model.data(model.index(1, BackupModel.COL_TIME)) == "2026-03-01 09:00:00"
        assert model.data(model.index(1, BackupModel.COL_REASON)) == "每日自动备份"
        assert model.data(model.index(0, BackupModel.COL_REASON)) == "手动备份"
        assert model.data(model.index(0, BackupModel.COL_SIZE)).endswith("KB")
        assert dialog.restore_button.isEnabled()
        dialog.table.selectRow(1)
        dialog.accept()
        assert dialog.chosen == first


def test_a_read_only_database_is_said_at_start(qapp, tmp_path, monkeypatch, no_loop) -> None:
    db_path = tmp_path / "只读.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    monkeypatch.setattr(location, "network_warning", lambda path: None)
    real_access = os.access
    monkeypatch.setattr(
        location.os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode)
    )
    boxes = Boxes(monkeypatch)
    run_gui(db_path, ["studyplan"])
    assert boxes.texts("warning")[0] == location.READ_ONLY_WARNING


def test_the_read_only_warning_needs_file_and_folder_writable(tmp_path, monkeypatch) -> None:
    db_path = tmp_path / "a.db"
    assert location.read_only_warning(db_path) is None  # not made yet
    db_path.write_bytes(b"")
    assert location.read_only_warning(db_path) is None
    monkeypatch.setattr(location.os, "access", lambda p, mode: Path(p) != tmp_path)
    assert location.read_only_warning(db_path) == location.READ_ONLY_WARNING


def test_saving_minutes_on_a_read_only_file_says_so_and_keeps_the_text(
    qtbot, tmp_path, monkeypatch
) -> None:
    import sqlite3

    from studyplan.app.attendance import AttendanceService
    from studyplan.app.records import RecordsService
    from studyplan.gui.records.records_view import RecordsView
    from studyplan.store.db import Database

    db_path = tmp_path / "只读.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    before = db_path.read_bytes()
    db = Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None))
    view = RecordsView(
        RecordsService(db, tmp_path / "档案"),
        PlanningService(db),
        AttendanceService(db),
        clock=CLOCK,
    )
    qtbot.addWidget(view)
    view.show()
    boxes = Boxes(monkeypatch)
    view.minutes_edit.insertPlainText("会议由王建国同志主持。")
    qtbot.mouseClick(view.save_minutes_button, Qt.MouseButton.LeftButton)
    [sentence] = boxes.texts("warning")
    assert "只读" in sentence and "没有保存" in sentence
    assert view.minutes_edit.toPlainText() == "会议由王建国同志主持。"
    assert "尚未保存" in view.minutes_state.text()
    view.close()  # tries once more, and says so once more
    assert len(boxes.texts("warning")) == 2
    db.conn.close()
    assert db_path.read_bytes() == before


def test_an_unforeseen_error_in_a_click_is_one_sentence_and_a_log(
    qapp, tmp_path, monkeypatch
) -> None:
    import sys

    boxes = Boxes(monkeypatch)
    previous = sys.excepthook
    with gui_app.unexpected_errors_shown(tmp_path):
        try:
            raise KeyError("未知的列")
        except KeyError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    assert sys.excepthook is previous
    [(title, text)] = [(t, x) for k, t, x in boxes.shown if k == "critical"]
    assert title == "发生意外错误"
    log = tmp_path / "studyplan.log"
    assert text == f"发生意外错误（详情已记入 {log}），这一操作没有完成。"
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_a_backup_name_with_dots_gets_db_added_and_an_existing_file_asked_about(
    qtbot, tmp_path, monkeypatch
) -> None:
    db_path = tmp_path / "学习台账.db"
    _make_db(db_path, dt.date(2026, 3, 12))
    typed = tmp_path / "备份 v1.2"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(typed), ""))
    boxes = Boxes(monkeypatch, answer=NO)
    with gui_app.open_context(db_path, clock=CLOCK) as services:
        window = MainWindow(services, db_path=db_path)
        qtbot.addWidget(window)
        window.act_backup.trigger()
        written = tmp_path / "备份 v1.2.db"
        assert restore_store.check_backup_file(written).sessions == 1
        before = written.read_bytes()
        window.act_backup.trigger()  # the same name again: asked, and No keeps the file
        assert [k for k, _t, _x in boxes.shown].count("question") == 1
        assert written.read_bytes() == before
        window.close()


def test_a_foreseen_error_that_escaped_its_handler_is_its_own_sentence(
    qapp, tmp_path, monkeypatch
) -> None:
    import sys

    from studyplan.model.errors import ValidationError

    boxes = Boxes(monkeypatch)
    with gui_app.unexpected_errors_shown(tmp_path):
        error = ValidationError("请填写学习形式。")
        sys.excepthook(type(error), error, None)
    assert boxes.shown == [("warning", "无法完成", "请填写学习形式。")]
    assert not (tmp_path / "studyplan.log").exists()
