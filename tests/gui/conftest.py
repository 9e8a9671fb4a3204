"""GUI fixtures: a planning service with the bundled 2026 plan, and a window on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studyplan.app.context import Context
from studyplan.app.planning import PlanningService
from studyplan.gui.main_window import MainWindow
from studyplan.model.clock import FixedClock
from studyplan.model.workdays import last_official_year

#: A Tuesday in March 2026, so tests do not depend on the day they run.
TODAY = dt.date(2026, 3, 10)
#: The window's clock: nine in the morning of that day.
CLOCK = FixedClock.on(TODAY)
#: The first year the installed python-holidays has no State Council arrangement for, so its
#: holidays are estimated (推算): a newer release moves it on without failing a test.
PROVISIONAL_YEAR = last_official_year() + 1


@pytest.fixture(scope="session", autouse=True)
def _qt_settings_folder(_user_folders) -> None:
    """INI settings go to the suite's temporary configuration folder on every platform (on
    Linux they follow XDG_CONFIG_HOME already)."""
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(_user_folders / "xdg_config_home"))


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=CLOCK)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def window(qtbot, planning: PlanningService, tmp_path) -> MainWindow:
    services = Context.with_planning(planning, tmp_path / "archive", clock=CLOCK)
    main = MainWindow(services)
    qtbot.addWidget(main)
    return main


@pytest.fixture
def replies(monkeypatch) -> Callable[..., list[str]]:
    """`replies(No, Yes, …)`: QMessageBox.question answers with these in turn; the list it
    returns fills with the questions' texts as they are asked."""

    def answer(*buttons: QMessageBox.StandardButton) -> list[str]:
        queue = list(buttons)
        asked: list[str] = []

        def question(parent, title, text, *args, **kwargs):
            asked.append(text)
            return queue.pop(0)

        monkeypatch.setattr(QMessageBox, "question", question)
        return asked

    return answer


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese the way an input method does: one committed string. (QTest's key clicks
    map only Latin-1 keys and abort on CJK text.)"""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture(autouse=True)
def _plain_after_export_message(monkeypatch) -> None:
    """The message after an export (gui/exporting.tell_written) is a modal box with buttons
    of its own; a test that does not look at them sees it as the QMessageBox.information it
    stubs anyway (tests/gui/test_exporting.py drives the real one)."""
    from studyplan.gui import exporting

    def plain(parent, title, sentence, path, *, openable=True):
        QMessageBox.information(parent, title, sentence)

    monkeypatch.setattr(exporting, "tell_written", plain)
