"""The window opens where it was closed: size, place and the calendar/topics split."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication

from studyplan.app.context import Context
from studyplan.gui.app import FRAME_ALLOWANCE, first_size, fit_to_screen, run_gui, window_settings
from studyplan.gui.main_window import MainWindow


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def test_layout_round_trips_through_settings(qtbot, window: MainWindow, planning, tmp_path):
    window.resize(720, 560)  # inside the offscreen screen (800×800)
    window.show()
    qtbot.waitExposed(window)
    window.calendar.splitter.setSizes([380, 300])
    sizes = window.calendar.splitter.sizes()
    settings = _settings(tmp_path)
    window.save_layout(settings)
    settings.sync()

    again = MainWindow(Context.with_planning(planning, tmp_path / "archive"))
    qtbot.addWidget(again)
    assert again.restore_layout(_settings(tmp_path))
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (720, 560)
    assert again.calendar.splitter.sizes() == sizes


def test_nothing_or_garbage_saved_leaves_the_size_to_the_caller(qtbot, window, tmp_path):
    assert not window.restore_layout(_settings(tmp_path))
    settings = _settings(tmp_path)
    settings.setValue("mainWindow/geometry", QByteArray(b"not a geometry"))
    settings.setValue("mainWindow/calendarSplitter", "not a state")
    assert not window.restore_layout(settings)


def test_run_gui_reopens_the_window_as_it_was_closed(qapp, tmp_path, monkeypatch) -> None:
    seen: list[tuple[int, int]] = []

    def exec_(*_args) -> int:
        (window,) = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        seen.append((window.width(), window.height()))
        window.resize(700, 520)
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    window_settings().clear()
    assert run_gui(tmp_path / "学习台账.db", ["studyplan"]) == 0
    assert run_gui(tmp_path / "学习台账.db", ["studyplan"]) == 0
    # The first size leaves room for the title bar (test_the_first_window_and_its_frame_...).
    available = QApplication.primaryScreen().availableGeometry().size()
    first = first_size(available - FRAME_ALLOWANCE)
    assert seen == [(first.width(), first.height()), (700, 520)]
    # The suite's own configuration folder (tests/conftest.py), never the user's.
    assert window_settings().fileName().startswith(os.environ["XDG_CONFIG_HOME"])


@pytest.mark.parametrize(
    ("screen", "size"),
    [
        ((1366, 728), (1280, 728)),  # a laptop: within the screen
        ((1280, 760), (1280, 760)),
        ((1920, 1040), (1536, 832)),  # four fifths of a large screen
        ((2560, 1400), (2048, 1120)),
    ],
)
def test_the_first_window_fits_the_screen(screen, size) -> None:
    assert first_size(QSize(*screen)) == QSize(*size)


def _run_on_a_small_screen(tmp_path, monkeypatch, small: QRect) -> list[QRect]:
    """run_gui on a screen whose available geometry is `small`; the window's frames seen."""
    frames: list[QRect] = []

    def exec_(*_args) -> int:
        (window,) = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        frames.append(window.frameGeometry())
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(small))
    assert run_gui(tmp_path / "学习台账.db", ["studyplan"]) == 0
    return frames


def test_the_first_window_and_its_frame_fit_a_small_screen(qapp, tmp_path, monkeypatch) -> None:
    window_settings().clear()
    small = QRect(0, 0, 760, 560)  # smaller than the offscreen screen, as a laptop's is
    (frame,) = _run_on_a_small_screen(tmp_path, monkeypatch, small)
    assert small.contains(frame), frame


def test_a_restored_window_larger_than_the_screen_is_fitted(qapp, tmp_path, monkeypatch) -> None:
    window_settings().clear()
    _run_on_a_small_screen(tmp_path, monkeypatch, QRect(0, 0, 800, 800))  # saves its layout
    small = QRect(0, 0, 760, 500)  # the window is narrower than that at least
    (frame,) = _run_on_a_small_screen(tmp_path, monkeypatch, small)
    assert small.contains(frame), frame


def test_fitting_keeps_a_window_that_fits_and_moves_one_that_sticks_out(qtbot, window) -> None:
    window.resize(600, 400)
    window.move(300, 300)
    window.show()
    qtbot.waitExposed(window)
    available = QRect(0, 0, 800, 600)
    fit_to_screen(window, available)
    assert available.contains(window.frameGeometry()) and window.width() == 600
