"""撤销/重做: the commands behind 编辑 > 撤销 and 重做 (one QUndoStack per window).

A view carries the action out with `do(service.use_case, …)` first, so an error shows the
usual way and nothing reaches the stack, then hands the `Change` it got to `push_change`;
the first `redo()` (called by `QUndoStack.push`) therefore only announces it. Later `undo()`
and `redo()` run the change and then `after(change)`: the view shows what it concerns, and
the window reloads the other views that show a table the change touched. If the data
changed since so that an undo or redo no longer fits, a sentence says so and the command
leaves the stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from studyplan.app.changes import Change
from studyplan.model.clock import Clock
from studyplan.model.errors import StudyplanError


class ChangeStack(QUndoStack):
    """The window's undo stack; `applied` says each change made, undone or redone, and the
    view it came from, so that only the views showing what it touched reload. An undo is
    judged as of the window's clock (a leave request may not be withdrawn once its session
    has begun)."""

    applied = Signal(object, object)

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock


def undo_stack_for(widget: QWidget, stack: ChangeStack | None, clock: Clock) -> ChangeStack:
    """The window's stack when given, else one of the widget's own (a view on its own)."""
    return stack if stack is not None else ChangeStack(clock, widget)


class ChangeCommand(QUndoCommand):
    """Any `Change` a use case returned, already made when pushed (so the first `redo()`,
    called by `QUndoStack.push`, only announces it). Later `undo()` and `redo()` run the
    change and then `after(change)` (the view shows what it concerns); a change that no
    longer fits says why and leaves the stack."""

    def __init__(
        self,
        change: Change,
        stack: ChangeStack,
        widget: QWidget,
        after: Callable[[Change], object] | None = None,
    ) -> None:
        super().__init__(change.text)
        self.change = change
        self._stack = stack
        self._widget = widget
        self._after = after
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            self._announce()
            return
        self._run(self.change.redo, "无法重做")

    def undo(self) -> None:
        self._run(self.change.undo, "无法撤销")

    def _run(self, step: Callable[[dt.datetime], None], title: str) -> None:
        try:
            step(self._now())
        except StudyplanError as error:
            self.setObsolete(True)
            QMessageBox.warning(self._widget, title, str(error))
            return
        if self._after is not None:
            self._after(self.change)
        self._announce()

    def _now(self) -> dt.datetime:
        return self._stack.clock.now()

    def _announce(self) -> None:
        self._stack.applied.emit(self.change, self._widget)


def push_change(
    stack: ChangeStack,
    change: Change,
    widget: QWidget,
    after: Callable[[Change], object] | None = None,
) -> None:
    """Put a change just made on `stack` (the Edit menu's 撤销 now names it); `widget` has
    shown it already, and reloads through `after` when it is undone or redone."""
    stack.push(ChangeCommand(change, stack, widget, after))
