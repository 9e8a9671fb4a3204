"""The main window's views and year switcher, the screenshot entry point, start-up cost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from studyplan.app.planning import PlanningService
from studyplan.gui.app import render_screenshot, run_gui
from studyplan.gui.calendar.topic_panel import TopicModel
from studyplan.model.plan import ScheduleRequest
from studyplan.store.opening import connect
from tests.gui.conftest import PROVISIONAL_YEAR, TODAY


def test_views_are_addressable_by_name(window, qtbot) -> None:
    assert "calendar" in window.views
    assert window.show_view("calendar") is window.calendar
    assert window.current_view_name() == "calendar"
    with pytest.raises(ValueError, match="calendar"):
        window.show_view("nonexistent")


def test_a_new_view_plugs_in_and_follows_the_year(window) -> None:
    class YearLabel(QLabel):
        def set_year(self, year: int) -> None:
            self.setText(str(year))

    label = YearLabel()
    window.add_view("probe", "探针", label)
    assert label.text() == "2026"
    assert window.show_view("probe") is label
    window.set_year(2027)
    assert label.text() == "2027"
    with pytest.raises(ValueError):
        window.add_view("probe", "again", QLabel())


def test_views_are_built_when_first_needed(window) -> None:
    titles = ["日历", "成员", "考勤", "请假与补学", "学习记录", "统计", "操作记录", "三张清单"]
    assert [window._nav.item(row).text() for row in range(window._nav.count())] == titles
    menu = window._view_menu.actions()
    assert [a.text() for a in menu] == titles
    assert [a.shortcut().toString() for a in menu] == [f"Ctrl+{n}" for n in range(1, 9)]
    assert len(window.views) == 8 and "stats" in window.views and "nope" not in window.views
    assert window.views.built() == [window.calendar]

    window.set_year(2027)
    menu[5].trigger()  # Ctrl+6 统计
    stats = window.views["stats"]
    assert window.current_view_name() == "stats" and stats.year == 2027
    assert window.views.built() == [window.calendar, stats]
    window._nav.setCurrentRow(3)  # a click on 请假与补学
    assert window.views["leave"].year == 2027 and window.current_view_name() == "leave"
    assert window.attendance.year == 2027  # built on access, not shown
    assert window.current_view_name() == "leave"
    assert window.views.built() == [
        window.calendar,
        window.attendance,
        window.views["leave"],
        stats,
    ]


def test_start_up_builds_only_the_calendar(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from studyplan.gui.app import application, open_context
        from studyplan.gui.main_window import MainWindow
        app = application()
        with open_context(Path({str(tmp_path / "s.db")!r})) as services:
            window = MainWindow(services)
            window.show()
            app.processEvents()
            views = ["members", "attendance", "leave", "records", "stats", "audit"]
            modules = ["PySide6.QtCharts", *(f"studyplan.gui.{{v}}.{{v}}_view" for v in views)]
            print(",".join(sorted(set(modules) & set(sys.modules))))
            window.show_view("stats")
            print("PySide6.QtCharts" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split("\n")[:2] == ["", "True"]


def test_year_switcher_moves_every_part(window) -> None:
    years = [window.year_combo.itemData(i) for i in range(window.year_combo.count())]
    assert {2026, 2027} <= set(years)
    assert window.calendar.selected_date() == TODAY
    assert window._notice_action.isVisible() is False
    if PROVISIONAL_YEAR in years:
        window.year_combo.setCurrentIndex(years.index(PROVISIONAL_YEAR))
    else:  # a python-holidays that knows next year already: the switcher's own call
        window.set_year(PROVISIONAL_YEAR)
    # Another year without sessions opens on January (issue 16: today's month is for
    # the current year only).
    assert (window.calendar.year, window.calendar.month) == (PROVISIONAL_YEAR, 1)
    assert window.calendar.topics.model.rowCount() == 0
    assert window.coverage_label.accessibleName().startswith(str(PROVISIONAL_YEAR))
    assert window._notice_action.isVisible()
    assert "节假日安排尚未发布，当前为推算" in window.notice_button.text()
    window.today_button.click()
    assert (window.calendar.year, window.calendar.month) == (2026, 3)
    assert window.year == 2026 and window.year_combo.currentData() == 2026


def test_month_combo_and_arrows(window) -> None:
    window.month_combo.setCurrentIndex(8)
    assert window.calendar.month == 9 and window.calendar.title_label.text() == "2026年9月"
    window.next_button.click()
    assert window.calendar.month == 10
    window.prev_button.click()
    window.prev_button.click()
    assert window.calendar.month == 8 and window.month_combo.currentIndex() == 7


def test_topic_model_passes_the_model_tester(qtmodeltester, planning) -> None:
    model = TopicModel()
    qtmodeltester.check(model)
    model.set_overviews(planning.topic_overview(2026))
    qtmodeltester.check(model)
    assert model.data(model.index(0, TopicModel.COL_STATE)) == "未安排"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_render_screenshot_writes_a_png_of_the_size(qapp, tmp_path: Path) -> None:
    db_path = tmp_path / "shot.db"
    db = connect(db_path)
    service = PlanningService(db)
    service.ensure_bundled_plan()
    service.apply_schedule(service.propose_schedule(ScheduleRequest(year=2026)))
    db.conn.close()
    out = tmp_path / "calendar.png"
    render_screenshot(db_path, out, size=(1280, 800), year=2026, month=10, today=TODAY)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    with pytest.raises(ValueError, match="calendar"):
        render_screenshot(db_path, tmp_path / "x.png", view="nope", today=TODAY)
    assert not (tmp_path / "x.png").exists()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_render_screenshot_says_it_is_saved_while_the_window_still_shows(
    qapp, tmp_path: Path
) -> None:
    """The PNG is announced as soon as it is written (what `--screenshot` prints and the
    start-up benchmark waits for): closing the window afterwards is not start-up."""
    db_path = tmp_path / "shot.db"
    connect(db_path).conn.close()
    out = tmp_path / "calendar.png"
    told: list[tuple[Path, bool, bool]] = []

    def saved(path: Path) -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
        told.append((path, path.is_file(), any(w.isVisible() for w in shown)))

    render_screenshot(db_path, out, today=TODAY, saved=saved)
    assert told == [(out, True, True)]


def _loaded_by_the_first_paint(tmp_path: Path, modules: set[str]) -> list[str]:
    """Which of `modules` a fresh process has loaded once the window has shown itself."""
    connect(tmp_path / "s.db").conn.close()
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from studyplan.gui.app import application, open_context
        from studyplan.gui.main_window import MainWindow
        app = application()
        with open_context(Path({str(tmp_path / "s.db")!r})) as services:
            window = MainWindow(services)
            window.show()
            app.processEvents()
            print(",".join(sorted(set({sorted(modules)!r}) & set(sys.modules))))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_start_up_does_not_import_file_libraries(tmp_path: Path) -> None:
    """Nor sqlite-utils, which only migrations need: the database here is up to date."""
    libraries = {"openpyxl", "docx", "icalendar", "sqlite_utils"}
    assert _loaded_by_the_first_paint(tmp_path, libraries) == []


def test_first_paint_loads_only_what_it_shows(tmp_path: Path) -> None:
    """The window shows the calendar first: the other views, the documents, the exports
    and the 三张清单 rules are loaded when first asked for, not while the window starts."""
    later = {
        "studyplan.gui.documents",
        "studyplan.app.documents",
        "studyplan.gui.exporting",
        "studyplan.model.duties",
        "studyplan.app.records",
        "studyplan.gui.members",
        "studyplan.gui.stats",
        "studyplan.gui.lists",
    }
    assert _loaded_by_the_first_paint(tmp_path, later) == []


def test_run_gui_refuses_a_foreign_file_with_a_sentence(qapp, tmp_path: Path, monkeypatch):
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database", "utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert run_gui(foreign, ["studyplan"]) == 2
    assert "不是 studyplan 数据库" in shown[0]
    assert foreign.read_text("utf-8") == "not a database"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_run_gui_loads_the_bundled_plan_on_first_start(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    db_path = tmp_path / "fresh.db"
    assert run_gui(db_path, ["studyplan"]) == 0
    db = connect(db_path)
    try:
        assert PlanningService(db).plan_years() == [2026]
    finally:
        db.conn.close()


@pytest.mark.parametrize(
    ("name", "control"),
    [
        ("attendance", "attendanceTable"),
        ("leave", "leaveTable"),
        ("members", "memberTable"),
        ("records", "sessionPicker"),
        ("audit", "auditTable"),
    ],
)
def test_a_view_brought_forward_takes_the_keyboard_at_its_main_control(
    qtbot, window, name: str, control: str
) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.show_view(name)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.objectName() == control, focused
    assert view.isAncestorOf(focused)


def test_tab_leaves_a_list_table_instead_of_walking_its_cells(qtbot, window) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    table = window.show_view("leave").leave_table
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_menus_open_with_alt_and_a_letter(window) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "计划(&P)", "视图(&V)", "帮助(&H)"]


def test_the_dialogs_of_the_menus_have_keys(window) -> None:
    from PySide6.QtGui import QKeySequence

    keys = {
        window.act_auto_schedule: "Ctrl+Shift+A",
        window.act_backup: "Ctrl+B",
        window.act_settings: "Ctrl+,",
    }
    for action, key in keys.items():
        assert action.shortcut() == QKeySequence(key), action.text()
    every = [
        a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()
    ]
    assert len(every) == len(set(every))  # no key does two things
