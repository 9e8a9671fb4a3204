"""The Qt binding itself: a defect in it would abort the app after some hours of use."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_that_return_nothing_keep_none_alive(qtbot) -> None:
    # PySide6 6.12.0 on CPython 3.11 drops a reference to None on every such call, and the
    # interpreter aborts once the count reaches zero; pyproject keeps that release out.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("学习")
        label.setVisible(False)
    assert sys.getrefcount(None) >= before - 10
