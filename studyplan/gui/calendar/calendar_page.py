"""The 日历 view: the month calendar beside the year's topics, and the session actions."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.app.topics import TopicService
from studyplan.gui.actions import run_action
from studyplan.gui.calendar.calendar_view import MonthView
from studyplan.gui.calendar.month_model import MonthModel, TurnoutFn
from studyplan.gui.calendar.topic_panel import TopicPanel
from studyplan.gui.common import add_months, month_title, topics_label
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.errors import StudyplanError
from studyplan.model.plan import ScheduleProposal, Session, SessionStatus
from studyplan.model.planning import NeedsConfirmation
from studyplan.model.years import MAX_YEAR, MIN_YEAR, month_to_show


def describe_session(session: Session) -> str:
    """`11月12日 15:00–17:00 专题3`, to name a session in menus and questions."""
    what = topics_label(session.topic_numbers) or session.form
    return f"{session.date.month}月{session.date.day}日 {session.time_range} {what}"


class CalendarPage(QWidget):
    """Month calendar + topic panel. Its writes (sessions, auto-scheduling) go on the undo
    stack, which tells the window."""

    #: The tables this view shows: the window reloads it after a change to one of them.
    SHOWS = frozenset(
        {
            "sessions",
            "session_topics",
            "topics",
            "plans",
            "calendar_overrides",
            "attendance",
            "members",
        }
    )

    monthChanged = Signal(int, int)
    #: The user asked to record attendance for this session (context menu 登记考勤).
    attendanceRequested = Signal(int)
    #: The user asked for the study record of this session (context menu 学习记录).
    recordsRequested = Signal(int)
    #: The user asked for a document of this session ("notice", "record" or "brief").
    documentRequested = Signal(str, int)

    def __init__(
        self,
        service: PlanningService,
        *,
        clock: Clock | None = None,
        year: int | None = None,
        month: int | None = None,
        turnout: TurnoutFn | None = None,
        undo_stack: ChangeStack | None = None,
        topics: TopicService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self._service = service
        #: The window's clock (by default the planning service's): what "today" is.
        self.clock = clock or service.clock
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        today = self.clock.today()
        year = year or today.year
        month = month or today.month

        # Built from the page down, each widget made inside its final parent: with the
        # application's style sheet, a widget moved into another parent is styled again, and
        # its children with it.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("calendarSplitter")
        layout.addWidget(self.splitter)
        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)

        self.title_label = QLabel(left)
        self.title_label.setObjectName("monthTitle")
        self.month_summary = QLabel(left)
        self.month_summary.setObjectName("monthSummary")
        self.model = MonthModel(service, year, month, today=today, turnout=turnout, parent=self)
        self.view = MonthView()
        self.view.setModel(self.model)
        self.topics = TopicPanel(service, topics, undo_stack=self.undo_stack, parent=self.splitter)
        self.topics.setMinimumWidth(300)

        heading = QHBoxLayout()
        heading.setContentsMargins(2, 0, 2, 0)
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.month_summary, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        left_layout.addLayout(heading)
        left_layout.addWidget(self.view, 1)

        self.splitter.addWidget(left)
        self.splitter.addWidget(self.topics)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([800, 340])

        self.setFocusProxy(self.view)
        # Queued: the questions and the reload come once the drag has ended.
        self.model.sessionDropped.connect(self.move_dropped, Qt.ConnectionType.QueuedConnection)
        self.view.openRequested.connect(self.open_day)
        self.view.deleteRequested.connect(self.delete_day)
        self.view.monthStepRequested.connect(self.step_month)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.topics.set_year(year)
        self._after_month_switch(today if (today.year, today.month) == (year, month) else None)

    # -- which month ------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.model.year

    @property
    def month(self) -> int:
        return self.model.month

    def set_year(self, year: int) -> None:
        """Show another year (the window's year switcher): today's month in the current
        year, otherwise its first month with a session, else January."""
        if year != self.year:
            days = (s.date for s in self._service.sessions(year))
            self.set_month(year, month_to_show(year, self.clock.today(), days))

    def set_month(self, year: int, month: int, select: dt.date | None = None) -> None:
        """Show `year`-`month`, selecting `select`, or the same day number as before."""
        if (year, month) == (self.year, self.month):
            if select:
                self._select(select)
            return
        current = self.selected_date()
        if select is None and current is not None:
            last = _calendar.monthrange(year, month)[1]
            select = dt.date(year, month, min(current.day, last))
        self.model.set_month(year, month)
        self.topics.set_year(year)
        self._after_month_switch(select)

    def step_month(self, step: int) -> None:
        """The month `step` months away; nothing beyond the years the calendar covers."""
        year, month = add_months(self.year, self.month, step)
        if MIN_YEAR <= year <= MAX_YEAR:
            self.set_month(year, month)

    def go_today(self) -> None:
        today = self.clock.today()
        self.set_month(today.year, today.month, select=today)

    def _after_month_switch(self, select: dt.date | None) -> None:
        self.title_label.setText(month_title(self.year, self.month))
        self._update_summary()
        self._select(select or dt.date(self.year, self.month, 1))
        self.monthChanged.emit(self.year, self.month)

    def _select(self, day: dt.date) -> None:
        index = self.model.index_for_date(day)
        if index.isValid():
            self.view.setCurrentIndex(index)

    def _update_summary(self) -> None:
        sessions = [s for s in self.model.sessions() if s.status is not SessionStatus.CANCELLED]
        if not sessions:
            self.month_summary.setText(self.tr("本月暂无学习安排"))
            return
        held = sum(1 for s in sessions if s.status is SessionStatus.HELD)
        self.month_summary.setText(
            self.tr("本月 {n} 场学习 · 已举行 {h} · 计划 {p}").format(
                n=len(sessions), h=held, p=len(sessions) - held
            )
        )

    def selected_date(self) -> dt.date | None:
        cell = self.model.cell(self.view.currentIndex())
        return cell.date if cell else None

    def refresh(self) -> None:
        """Reload the month and the topics after something else changed the data."""
        self.model.set_today(self.clock.today())
        self.topics.refresh()
        self._update_summary()

    def set_turnout(self, turnout: TurnoutFn | None) -> None:
        self.model.set_turnout(turnout)

    # -- session actions --------------------------------------------------------------
    def new_session(self, day: dt.date | None = None) -> Session | None:
        """Ask for a new session on `day` (default: the selected day)."""
        from studyplan.gui.calendar.session_dialog import SessionDialog

        day = day or self.selected_date() or self.clock.today()
        return self._saved(SessionDialog.ask(self, self._service, None, day))

    def edit_session(self, session: Session) -> Session | None:
        from studyplan.gui.calendar.session_dialog import SessionDialog

        return self._saved(SessionDialog.ask(self, self._service, session, session.date))

    def _saved(self, change: Change[int] | None) -> Session | None:
        """After the dialog: offer 撤销 and show the saved session's day (its month may have
        changed)."""
        if change is None:
            return None
        saved = self._service.session(change.result)
        self.set_month(saved.date.year, saved.date.month, select=saved.date)
        self.refresh()
        if change.log.edits:  # OK on an unchanged form leaves nothing to undo
            push_change(self.undo_stack, change, self, self._undone)
        return saved

    def move_dropped(self, session_ids: tuple[int, ...], day: dt.date) -> Session | None:
        """A day's sessions dropped on `day`: the one of them the user picks (asked when the
        day had several) is moved; the moved session, or None."""
        sessions = [self._service.session(i) for i in session_ids]
        if len(sessions) > 1:
            names = [describe_session(s) for s in sessions]
            picked, ok = QInputDialog.getItem(
                self,
                self.tr("移动场次"),
                self.tr("这一天有 {count} 场学习，把哪一场移到 {day}？").format(
                    count=len(sessions), day=f"{day.month}月{day.day}日"
                ),
                names,
                0,
                False,
            )
            if not ok or picked not in names:
                return None
            sessions = [sessions[names.index(picked)]]
        session_id = sessions[0].id
        return None if session_id is None else self.move_session(session_id, day)

    def move_session(self, session_id: int, day: dt.date) -> Session | None:
        """A session dragged to `day`: moved as one change (撤销 puts it back), asking about a
        day off or a second session that day as the edit form does; the moved session."""
        from studyplan.gui.calendar.session_dialog import do_asking

        if self._service.session(session_id).date == day:
            return None
        try:
            change = do_asking(self, self._service.move_session, session_id, day)
        except NeedsConfirmation:
            return None  # the user kept it where it was
        except StudyplanError as error:
            QMessageBox.warning(self, self.tr("无法移动"), str(error))
            return None
        _before, after = change.result
        self.set_month(after.date.year, after.date.month, select=after.date)
        self.refresh()
        push_change(self.undo_stack, change, self, self._undone)
        return after

    def _undone(self, _change: Change) -> None:
        """After 撤销 or 重做 of a change made here (the window reloads the other views)."""
        self.refresh()

    def delete_session(self, session: Session) -> bool:
        """Ask, then delete (with 撤销 to take it back); True if it was deleted."""
        answer = QMessageBox.question(
            self,
            self.tr("删除学习场次"),
            self.tr(
                "确定删除 {what} 的学习场次吗？其考勤、请假、补学和学习记录将一并删除，"
                "可用“编辑 > 撤销”（Ctrl+Z）恢复。"
            ).format(what=describe_session(session)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes or session.id is None:
            return False
        session_id = session.id
        change = run_action(
            self, self.tr("无法删除"), lambda: do(self._service.delete_session, session_id)
        )
        if change is None:
            return False
        self.refresh()
        push_change(self.undo_stack, change, self, self._undone)
        return True

    def auto_schedule(self) -> list[int] | None:
        """Preview and write an auto-schedule (with 撤销 to take it back); the ids written."""
        from studyplan.gui.calendar.schedule_dialog import AutoScheduleDialog

        ids = AutoScheduleDialog.ask(
            self, self._service, self.year, today=self.clock.today(), apply=self._apply_schedule
        )
        return ids

    def _apply_schedule(self, proposal: ScheduleProposal) -> list[int]:
        change = do(self._service.apply_schedule, proposal)
        self.refresh()
        push_change(self.undo_stack, change, self, self._undone)
        return change.result

    def open_day(self, index: QModelIndex) -> None:
        """Double-click or Enter: a new session on an empty day, else edit (choose if several)."""
        cell = self.model.cell(index)
        if cell is None:
            return
        if not cell.sessions:
            self.new_session(cell.date)
            return
        session = self._choose(cell.sessions, index)
        if session is not None:
            self.edit_session(session)

    def delete_day(self, index: QModelIndex) -> None:
        cell = self.model.cell(index)
        if cell is None or not cell.sessions:
            return
        session = self._choose(cell.sessions, index)
        if session is not None:
            self.delete_session(session)

    def _choose(self, sessions: tuple[Session, ...], index: QModelIndex) -> Session | None:
        """The only session, or the one picked from a small menu at the cell."""
        if len(sessions) == 1:
            return sessions[0]
        menu = QMenu(self)
        for session in sessions:
            action = menu.addAction(describe_session(session))
            action.setData(session.id)
        chosen = menu.exec(self.view.viewport().mapToGlobal(self.view.visualRect(index).center()))
        if chosen is None:
            return None
        return next((s for s in sessions if s.id == chosen.data()), None)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        cell = self.model.cell(index)
        if cell is None:
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        new = menu.addAction(self.tr("新建场次…"))
        new.triggered.connect(lambda: self.new_session(cell.date))
        if cell.sessions:
            menu.addSeparator()
            self._session_actions(menu, self.tr("编辑场次"), cell.sessions, self.edit_session)
            self._session_actions(menu, self.tr("删除场次"), cell.sessions, self.delete_session)
            menu.addSeparator()
            self._session_actions(
                menu,
                self.tr("登记考勤"),
                cell.sessions,
                lambda session: self.attendanceRequested.emit(session.id),
            )
            self._session_actions(
                menu,
                self.tr("学习记录"),
                cell.sessions,
                lambda session: self.recordsRequested.emit(session.id),
            )
            menu.addSeparator()
            for kind, label in (
                ("notice", self.tr("生成学习通知")),
                ("record", self.tr("生成学习记录")),
                ("brief", self.tr("生成学习简报")),
            ):
                self._session_actions(
                    menu,
                    label,
                    cell.sessions,
                    lambda session, k=kind: self.documentRequested.emit(k, session.id),
                    refusal=lambda session, k=kind: session.document_refusal(k),
                )
        menu.setToolTipsVisible(True)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    @staticmethod
    def _session_actions(
        menu: QMenu,
        label: str,
        sessions: tuple[Session, ...],
        slot: Callable[[Session], object],
        refusal: Callable[[Session], str | None] = lambda _session: None,
    ) -> None:
        """One item for a day's only session, else a submenu naming each session; an item
        `refusal` gives a sentence for is greyed, the sentence as its tooltip."""

        def offer(action: QAction, session: Session) -> None:
            refused = refusal(session)
            action.setEnabled(refused is None)
            action.setToolTip(refused or "")

        if len(sessions) == 1:
            action: QAction = menu.addAction(f"{label}…")
            action.triggered.connect(lambda: slot(sessions[0]))
            offer(action, sessions[0])
            return
        sub = menu.addMenu(label)
        sub.setToolTipsVisible(True)
        for session in sessions:
            action = sub.addAction(describe_session(session))
            action.triggered.connect(lambda _=False, s=session: slot(s))
            offer(action, session)
