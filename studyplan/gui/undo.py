"""撤销/重做: the commands behind 编辑 > 撤销 and 重做 (one QUndoStack per window).

A view carries the action out through its domain service first, so an error shows the
usual way and nothing reaches the stack, then pushes the command with what the service
returned; the first `redo()` (called by `QUndoStack.push`) therefore does nothing. Later
`undo()` and `redo()` call the service again and then `after()`: the view reloads and emits
`changed`, and the window refreshes the other views. If the data changed since so that an
undo or redo no longer fits, a sentence says so and the command leaves the stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import Change
from studyplan.app.planning import AppliedSchedule, DeletedSession, PlanningService, SavedSession
from studyplan.app.records import RecordsService
from studyplan.app.roster import RosterImport, RosterService
from studyplan.model.attendance import MarkChange, MarkedPresent
from studyplan.model.errors import StudyplanError
from studyplan.model.records import RemovedSpeech


class ChangeStack(QUndoStack):
    """The window's undo stack; `applied` says each change made, undone or redone, and the
    view it came from, so that only the views showing what it touched reload."""

    applied = Signal(object, object)


def undo_stack_for(widget: QWidget, stack: QUndoStack | None) -> QUndoStack:
    """The window's stack when given, else one of the widget's own (a view on its own)."""
    return stack if stack is not None else ChangeStack(widget)


class ChangeCommand(QUndoCommand):
    """Any `Change` a use case returned, already made when pushed (so the first `redo()`,
    called by `QUndoStack.push`, only announces it). Later `undo()` and `redo()` run the
    change and then `after(change)` (the view shows what it concerns); a change that no
    longer fits says why and leaves the stack."""

    def __init__(
        self,
        change: Change,
        stack: QUndoStack,
        widget: QWidget,
        after: Callable[[Change], object] | None = None,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(change.text)
        self.change = change
        self._stack = stack
        self._widget = widget
        self._after = after
        self._now = now
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

    def _announce(self) -> None:
        if isinstance(self._stack, ChangeStack):
            self._stack.applied.emit(self.change, self._widget)


def push_change(
    stack: QUndoStack,
    change: Change,
    widget: QWidget,
    after: Callable[[Change], object] | None = None,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> None:
    """Put a change just made on `stack` (the Edit menu's 撤销 now names it); `widget` has
    shown it already, and reloads through `after` when it is undone or redone."""
    stack.push(ChangeCommand(change, stack, widget, after, now))


class DataCommand(QUndoCommand):
    """A change already made when pushed; subclasses say how to undo and redo it."""

    def __init__(self, text: str, widget: QWidget, after: Callable[[], object]) -> None:
        super().__init__(text)
        self._widget = widget
        self._after = after
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run(self._redo, "无法重做")

    def undo(self) -> None:
        self._run(self._undo, "无法撤销")

    def _run(self, step: Callable[[], None], title: str) -> None:
        try:
            step()
        except StudyplanError as error:
            self.setObsolete(True)
            QMessageBox.warning(self._widget, title, str(error))
        self._after()

    def _undo(self) -> None:
        raise NotImplementedError

    def _redo(self) -> None:
        raise NotImplementedError


class DeleteSessionCommand(DataCommand):
    """删除场次: undo puts the session back with everything recorded on it."""

    def __init__(
        self,
        service: PlanningService,
        deleted: DeletedSession,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        day = deleted.session.date
        super().__init__(f"删除场次（{day.month}月{day.day}日）", widget, after)
        self._service = service
        self.deleted = deleted

    def _undo(self) -> None:
        self.deleted = self._service.restore_deleted(self.deleted)

    def _redo(self) -> None:
        assert self.deleted.session.id is not None
        self.deleted = self._service.delete_session_undoable(self.deleted.session.id)


class SaveSessionCommand(DataCommand):
    """新建场次 or 修改场次 (the session form): undo removes the new session, or puts the
    changed one back as it was (make-up deadlines move back with its day)."""

    def __init__(
        self,
        service: PlanningService,
        saved: SavedSession,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        day = saved.after.date
        what = "新建场次" if saved.before is None else "修改场次"
        super().__init__(f"{what}（{day.month}月{day.day}日）", widget, after)
        self._service = service
        self.saved = saved

    def _undo(self) -> None:
        self.saved = self._service.undo_saved_session(self.saved)

    def _redo(self) -> None:
        self.saved = self._service.redo_saved_session(self.saved)


class AutoScheduleCommand(DataCommand):
    """自动排期: undo removes the sessions it added and brings back the ones it replaced."""

    def __init__(
        self,
        service: PlanningService,
        applied: AppliedSchedule,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        super().__init__(f"自动排期（{len(applied.created)} 场）", widget, after)
        self._service = service
        self.applied = applied

    def _undo(self) -> None:
        self.applied = self._service.undo_schedule(self.applied)

    def _redo(self) -> None:
        self.applied = self._service.redo_schedule(self.applied)


class MarkAllPresentCommand(DataCommand):
    """全部出席: undo removes exactly the marks it added and the session's status returns."""

    def __init__(
        self,
        service: AttendanceService,
        marked: MarkedPresent,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        super().__init__(f"全部出席（{marked.count} 人）", widget, after)
        self._service = service
        self.marked = marked

    def _undo(self) -> None:
        marked = self.marked
        self._service.undo_mark_all_present(
            marked.session_id, marked.member_ids, marked.previous_status
        )

    def _redo(self) -> None:
        self.marked = self._service.mark_all_present_undoable(self.marked.session_id)


class MarkChangeCommand(DataCommand):
    """One attendance mark set or cleared: undo puts back the mark, the make-up task it made
    or removed, and the session's status."""

    def __init__(
        self,
        service: AttendanceService,
        change: MarkChange,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        super().__init__(change.text, widget, after)
        self._service = service
        self.change = change

    def _undo(self) -> None:
        self._service.undo_mark_change(self.change)

    def _redo(self) -> None:
        self._service.redo_mark_change(self.change)


class RemoveSpeechCommand(DataCommand):
    """删除发言: undo puts the speech back at its place in the speaking order."""

    def __init__(
        self,
        service: RecordsService,
        removed: RemovedSpeech,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        super().__init__(f"删除发言（{removed.speech.speaker}）", widget, after)
        self._service = service
        self.removed = removed

    def _undo(self) -> None:
        self.removed = self._service.restore_speech(self.removed)

    def _redo(self) -> None:
        assert self.removed.speech.id is not None
        self.removed = self._service.remove_speech_undoable(self.removed.speech.id)


class ImportRosterCommand(DataCommand):
    """导入名单: undo removes the members it added and restores the ones it updated."""

    def __init__(
        self,
        service: RosterService,
        change: RosterImport,
        widget: QWidget,
        after: Callable[[], object],
    ) -> None:
        report = change.report
        super().__init__(
            f"导入名单（新增 {len(report.added)} 人，更新 {len(report.updated)} 人）",
            widget,
            after,
        )
        self._service = service
        self.change = change

    def _undo(self) -> None:
        self.change = self._service.undo_import(self.change)

    def _redo(self) -> None:
        self.change = self._service.redo_import(self.change)
