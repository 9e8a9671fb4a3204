"""The 考勤 view: pick a session, see its details and counts, and mark who came.

The grid (`attendance_view_grid`) is keyboard first: 1–5 or C/D/Z/Q/K set the current row's
status and move down; after 迟到 or 早退 the time cell opens for the arrival or departure time.
Each write updates its own row and the counts bar only, so the view stays quick with a large
group.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.gui.actions import run_action
from studyplan.gui.attendance.attendance_view_grid import (
    KEY_HINT,
    AttendanceModel,
    AttendanceTable,
    StatusDelegate,
    TimeDelegate,
)
from studyplan.gui.attendance.guests_dialog import GuestsDialog
from studyplan.gui.common import STATUS_COLORS, session_label, setup_row_table, weekday_name
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.attendance import AttendanceCounts, AttendanceStatus
from studyplan.model.clock import Clock
from studyplan.model.plan import Session, SessionStatus


class AttendanceView(QWidget):
    """Pick a session, then mark who came. Every mark goes on the undo stack, which tells the
    window; `signin_requested(session_id)` asks for the sign-in sheet."""

    #: The tables this view shows: the window reloads it after a change to one of them.
    SHOWS = frozenset(
        {
            "attendance",
            "makeups",
            "leave_requests",
            "members",
            "sessions",
            "session_topics",
            "topics",
            "plans",
            "session_guests",
        }
    )

    signin_requested = Signal(int)

    COUNT_NAMES = ("应到", "实到", "请假", "缺席", "迟到", "早退", "未登记")

    def __init__(
        self,
        service: AttendanceService,
        planning: PlanningService,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        undo_stack: ChangeStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attendanceView")
        self._service = service
        self._planning = planning
        #: The window's clock (by default the service's): which sessions are still ahead.
        self.clock = clock or service.clock
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        self._year = self.today.year
        self._counts = AttendanceCounts()

        self.model = AttendanceModel(service, self)
        self._early_allowed: set[int] = set()  # sessions ahead the user agreed to mark
        self.model.confirm_write = self._confirm_early
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionPicker")
        self.session_combo.setMinimumContentsLength(24)
        self.session_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.all_present_button = QPushButton(self.tr("全部出席"))
        self.all_present_button.setObjectName("allPresentButton")
        self.all_present_button.setToolTip(
            self.tr("把尚未登记的成员都记为出席，再逐个修改例外情况")
        )
        self.guests_button = QPushButton(self.tr("列席人员…"))
        self.guests_button.setObjectName("guestsButton")
        self.guests_button.setToolTip(self.tr("登记本场次的列席人员（不计入应到、实到）"))
        self.signin_button = QPushButton(self.tr("签到表…"))
        self.signin_button.setToolTip(self.tr("导出或打印本场次的签到表"))

        self.title_label = QLabel()
        self.title_label.setObjectName("sessionTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: 600; color: #111827;")
        self.status_label = QLabel()
        self.status_label.setObjectName("sessionStatus")
        self.topics_label = QLabel()
        self.topics_label.setObjectName("panelSummary")
        self.topics_label.setTextFormat(Qt.TextFormat.PlainText)
        self.topics_label.setWordWrap(True)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("warningLabel")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        self.count_labels: dict[str, QLabel] = {}
        for name in self.COUNT_NAMES:
            label = QLabel()
            label.setObjectName("countChip")
            label.setTextFormat(Qt.TextFormat.RichText)
            self.count_labels[name] = label

        self.table = AttendanceTable()
        self.table.setObjectName("attendanceTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(AttendanceModel.COL_STATUS, StatusDelegate(self))
        self.table.setItemDelegateForColumn(AttendanceModel.COL_TIME, TimeDelegate(self))
        header = setup_row_table(self.table, 32)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AttendanceModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (AttendanceModel.COL_NUMBER, 60),
            (AttendanceModel.COL_NAME, 130),
            (AttendanceModel.COL_POSITION, 260),
            (AttendanceModel.COL_STATUS, 110),
            (AttendanceModel.COL_TIME, 90),
        ):
            self.table.setColumnWidth(column, width)

        self.hint_label = QLabel(self.tr(KEY_HINT))
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)

        self._layout()
        self.setFocusProxy(self.table)  # arriving on the view, the keys 1–5 mark at once
        self.session_combo.currentIndexChanged.connect(self._session_chosen)
        self.all_present_button.clicked.connect(self.mark_all_present)
        self.signin_button.clicked.connect(self._signin_clicked)
        self.guests_button.clicked.connect(self.edit_guests)
        self.table.statusKeyPressed.connect(self._status_key)
        self.table.clearKeyPressed.connect(self._clear_key)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.model.written.connect(self._row_written)
        self.model.markChanged.connect(self._mark_changed)
        self.model.failed.connect(self._show_error, Qt.ConnectionType.QueuedConnection)
        self.set_year(self._year, force=True)

    def _layout(self) -> None:
        picker = QHBoxLayout()
        picker_label = QLabel(self.tr("场次"))
        picker_label.setObjectName("fieldHeading")
        picker.addWidget(picker_label)
        picker.addWidget(self.session_combo)
        picker.addStretch(1)
        picker.addWidget(self.all_present_button)
        picker.addWidget(self.guests_button)
        picker.addWidget(self.signin_button)

        title = QHBoxLayout()
        title.addWidget(self.title_label)
        title.addSpacing(8)
        title.addWidget(self.status_label)
        title.addStretch(1)

        counts = QHBoxLayout()
        counts.setSpacing(6)
        for label in self.count_labels.values():
            counts.addWidget(label)
        counts.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(picker)
        layout.addLayout(title)
        layout.addWidget(self.topics_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint_label)

    # -- state ----------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.clock.today()

    @property
    def year(self) -> int:
        return self._year

    def session_id(self) -> int | None:
        return self.session_combo.currentData()

    def set_year(self, year: int, *, force: bool = False) -> None:
        """Offer `year`'s sessions; the one shown is the latest held by today (or the next)."""
        if year == self._year and not force:
            return
        self._year = year
        self._fill_sessions(keep=None)

    def set_session(self, session_id: int | None) -> None:
        """Show one session (e.g. picked in the calendar); None shows none."""
        if session_id is None:
            self.session_combo.setCurrentIndex(-1)
            return
        if self.session_combo.findData(session_id) < 0:
            session = run_action(
                self, self.tr("无法登记考勤"), lambda: self._planning.session(session_id)
            )
            if session is None:
                return
            self._year = session.year
            self._fill_sessions(keep=session_id)
        self.session_combo.setCurrentIndex(self.session_combo.findData(session_id))

    def refresh(self) -> None:
        """Reload the session list, the marks and the counts (another view changed data)."""
        session_id = self.session_id()
        current = self.table.currentIndex()
        self._fill_sessions(keep=session_id)
        if session_id is not None and self.session_id() == session_id and current.isValid():
            index = self.model.index(current.row(), current.column())
            if index.isValid():
                self.table.setCurrentIndex(index)

    def _fill_sessions(self, keep: int | None) -> None:
        sessions = self._planning.sessions(self._year)
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for session in sessions:
            text = session_label(session)
            if session.status is not SessionStatus.PLANNED:
                text += f"（{session.status.label}）"
            self.session_combo.addItem(text, session.id)
        ids = [s.id for s in sessions]
        chosen = keep if keep in ids else self._default_session(sessions)
        self.session_combo.setCurrentIndex(ids.index(chosen) if chosen in ids else -1)
        self.session_combo.setPlaceholderText(
            self.tr("请选择场次")
            if sessions
            else self.tr("{year} 年还没有学习场次").format(year=self._year)
        )
        self.session_combo.blockSignals(False)
        self._session_chosen()

    def _default_session(self, sessions: list[Session]) -> int | None:
        open_sessions = [s for s in sessions if s.status is not SessionStatus.CANCELLED]
        past = [s for s in open_sessions if s.date <= self.today]
        if past:
            return past[-1].id
        return open_sessions[0].id if open_sessions else None

    def _session_chosen(self) -> None:
        session_id = self.session_id()
        session = None
        if session_id is not None:
            session = run_action(
                self, self.tr("无法登记考勤"), lambda: self._planning.session(session_id)
            )
        self.model.load(session)
        self._show_header(session)
        self._reload_counts()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, AttendanceModel.COL_STATUS))

    def _show_header(self, session: Session | None) -> None:
        self.all_present_button.setEnabled(session is not None and not self.model.read_only)
        self.signin_button.setEnabled(session is not None)
        self.guests_button.setEnabled(session is not None)
        guests = len(self._service.guests(session.id)) if session and session.id else 0
        self.guests_button.setText(
            self.tr("列席人员（{n}）…").format(n=guests) if guests else self.tr("列席人员…")
        )
        self.notice_label.hide()
        if session is None:
            self.title_label.setText(self.tr("请选择场次"))
            self.status_label.setText("")
            self.topics_label.setText(self.tr("在上方选择场次，或在日历中点选一次学习后登记考勤。"))
            return
        parts = [
            f"{session.date.year}年{session.date.month}月{session.date.day}日",
            weekday_name(session.date),
            session.time_range,
        ]
        if session.location:
            parts.append(session.location)
        parts.append(session.form)
        self.title_label.setText("　".join(parts))
        color = STATUS_COLORS[session.status].name()
        self.status_label.setText(
            f"<span style='color:{color};font-weight:600'>● {session.status.label}</span>"
        )
        titles = {t.number: t.title for t in self._planning.topics(session.year)}
        topics = [f"专题{n}　{titles.get(n, '')}".rstrip() for n in session.topic_numbers]
        self.topics_label.setText("；".join(topics) if topics else self.tr("未关联学习专题"))
        self.topics_label.setToolTip("\n".join(topics))
        if session.status is SessionStatus.CANCELLED:
            self.notice_label.setText(self.tr("该场次已取消，不能登记考勤。"))
            self.notice_label.show()

    def _reload_counts(self) -> None:
        session = self.model.session
        if session is None or session.id is None:
            self._counts = AttendanceCounts()
        else:
            self._counts = self._service.counts(session.id)
        counts = self._counts
        values = {
            "应到": (counts.expected, "#111827", "#f1f5f9"),
            "实到": (counts.attended, "#166534", "#dcfce7"),
            "请假": (counts.leave, "#1e40af", "#dbeafe"),
            "缺席": (counts.absent, "#991b1b", "#fee2e2"),
            "迟到": (counts.late, "#92400e", "#fef3c7"),
            "早退": (counts.left_early, "#9a3412", "#ffedd5"),
            "未登记": (counts.unmarked, "#374151", "#e5e7eb"),
        }
        for name, (number, color, background) in values.items():
            label = self.count_labels[name]
            if not number and name not in ("应到", "实到"):
                color, background = "#6b7280", "#f8fafc"
            label.setText(f"{name} <b style='font-size:12pt'>{number}</b>")
            label.setStyleSheet(
                f"QLabel {{ color: {color}; background: {background}; "
                "border: 1px solid #e3e6eb; border-radius: 4px; padding: 4px 10px; }"
            )

    def counts(self) -> AttendanceCounts:
        return self._counts

    def counts_text(self) -> str:
        """The counts bar as plain text, e.g. `应到 14 实到 12 请假 1 缺席 1 …`."""
        c = self._counts
        numbers = (c.expected, c.attended, c.leave, c.absent, c.late, c.left_early, c.unmarked)
        return " ".join(f"{n} {v}" for n, v in zip(self.COUNT_NAMES, numbers, strict=True))

    # -- writing --------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        """A mark the grid could not write (it says why in one sentence)."""
        QMessageBox.warning(self, self.tr("无法登记考勤"), message)

    def _row_written(self, _row: int) -> None:
        session = self.model.session
        if (
            session is not None
            and session.id is not None
            and (session.status is SessionStatus.PLANNED)
        ):
            updated = self._planning.session(session.id)
            self.model.set_session_info(updated)
            self._show_header(updated)
            index = self.session_combo.currentIndex()
            self.session_combo.setItemText(
                index, f"{session_label(updated)}（{updated.status.label}）"
            )
        self._reload_counts()  # the window hears of the change from the undo stack

    def _status_key(self, row: int, status: AttendanceStatus) -> None:
        column = self.table.currentIndex().column()
        if not self.model.set_status(row, status):
            return
        if status.takes_time:
            index = self.model.index(row, AttendanceModel.COL_TIME)
            self.table.setCurrentIndex(index)
            self.table.edit(index)
            return
        below = self.model.index(min(row + 1, self.model.rowCount() - 1), column)
        self.table.setCurrentIndex(below)

    def _clear_key(self, row: int) -> None:
        self.model.clear(row)

    def set_status(self, row: int, status: AttendanceStatus) -> bool:
        """Record a status for a row as the keyboard does (without moving)."""
        return self.model.set_status(row, status)

    def _confirm_early(self) -> bool:
        """Marks make a session 已举行; for one still ahead, ask once before the first."""
        session = self.model.session
        if session is None or session.date <= self.today or session.id in self._early_allowed:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("场次尚未举行"),
            self.tr(
                "{day:%Y年%m月%d日}的学习尚未举行，登记考勤后它将记为已举行。确定现在登记吗？"
            ).format(day=session.date),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._early_allowed.add(session.id)
        return True

    def mark_all_present(self) -> None:
        session_id = self.session_id()
        if session_id is None or not self._confirm_early():
            return
        change = run_action(
            self, self.tr("无法登记考勤"), lambda: do(self._service.mark_all_present, session_id)
        )
        if change is None:
            return
        current = self.table.currentIndex()
        self.model.load(self._planning.session(session_id))
        self._show_header(self.model.session)
        self.session_combo.setItemText(
            self.session_combo.currentIndex(),
            f"{session_label(self.model.session)}（{self.model.session.status.label}）",
        )
        self._reload_counts()
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        else:
            self.table.setCurrentIndex(self.model.index(0, AttendanceModel.COL_STATUS))
        self.table.setFocus()
        push_change(self.undo_stack, change, self, self._undone)

    def _mark_changed(self, change: Change) -> None:
        push_change(self.undo_stack, change, self, self._mark_undone)

    def _mark_undone(self, change: Change) -> None:
        """After 撤销 or 重做 of one mark: show that session and member, wherever the view was."""
        self.refresh()
        for session_id in change.session_ids:
            index = self.session_combo.findData(session_id)
            if index >= 0 and index != self.session_combo.currentIndex():
                self.session_combo.setCurrentIndex(index)
        for member_id in change.member_ids:
            row = self.model.row_of(member_id)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, AttendanceModel.COL_STATUS))

    def _undone(self, _change: Change) -> None:
        """After 撤销 or 重做 of a 全部出席: reload (the window reloads the other views)."""
        self.refresh()

    def edit_guests(self) -> None:
        """The session's 列席人员, in a dialog; each change goes on the undo stack."""
        session_id = self.session_id()
        if session_id is None:
            return
        dialog = GuestsDialog(
            self._service,
            session_id,
            lambda change: push_change(self.undo_stack, change, self, self._undone),
            self,
        )
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        self._show_header(self.model.session)

    def _signin_clicked(self) -> None:
        session_id = self.session_id()
        if session_id is not None:
            self.signin_requested.emit(session_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid() or self.model.read_only:
            return
        row = index.row()
        menu = QMenu(self)
        for status in AttendanceStatus:
            action = menu.addAction(f"{status.label}\t{status.shortcut_keys[0]}")
            action.triggered.connect(lambda _=False, s=status: self.model.set_status(row, s))
        menu.addSeparator()
        clear = menu.addAction(self.tr("清除登记\tDelete"))
        clear.setEnabled(self.model.mark(row) is not None)
        clear.triggered.connect(lambda _=False: self.model.clear(row))
        menu.exec(self.table.viewport().mapToGlobal(pos))
