"""One way to carry out what a click asks: run the use case, and if it refuses, say why.

A use case that cannot do what was asked raises a StudyplanError whose text is one sentence
for the secretary; the click's handler shows it in a warning and stops there, or else goes
on with what follows a success (reload, select, tell the window).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from studyplan.model.errors import StudyplanError

T = TypeVar("T")


def run_action(
    parent: QWidget | None,
    title: str,
    call: Callable[[], T],
    *,
    after: Callable[[T], object] | None = None,
) -> T | None:
    """`call()`'s result, after handing it to `after`; or None, when it refused, once its
    sentence is shown in a warning titled `title` over `parent`. (A call that returns None
    itself says that it succeeded through `after`.)"""
    try:
        result = call()
    except StudyplanError as error:
        QMessageBox.warning(parent, title, str(error))
        return None
    if after is not None:
        after(result)
    return result
