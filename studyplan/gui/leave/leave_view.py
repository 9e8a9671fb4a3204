"""The 请假与补学 view: leave requests of the year above, make-up study tasks below."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.gui.actions import run_action
from studyplan.gui.common import ObjectRole
from studyplan.gui.leave.leave_dialog import LeaveDialog
from studyplan.gui.leave.leave_models import (
    MAKEUP_FILTERS,
    EntriesModel,
    IdRole,
    LeaveModel,
    MakeupFilterProxy,
    MakeupModel,
    panel_heading,
    row_table,
)
from studyplan.gui.leave.makeup_dialog import MakeupDialog
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.attendance import LeaveDecision, LeaveEntry, MakeupEntry, MakeupStatus
from studyplan.model.clock import Clock


class LeaveView(QWidget):
    """Leave requests (file, approve, refuse, withdraw) and make-up tasks (complete, reopen).

    Decisions go on the undo stack (approving a request also marks attendance); filing a
    request and completing or reopening a make-up emit `changed` with the table written."""

    #: The tables this view shows: the window reloads it after a change to one of them.
    SHOWS = frozenset({"leave_requests", "makeups", "members", "sessions", "topics", "plans"})

    #: Emitted after a write that cannot be undone, with the tables it wrote.
    changed = Signal(object)

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
        self.setObjectName("leaveView")
        self._service = service
        self._planning = planning
        #: The window's clock (by default the service's): when a request is filed or decided.
        self.clock = clock or service.clock
        #: 审批 and 撤回 go on the window's 撤销 stack.
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        self._year = self.today.year
        self._last_approver = ""

        self.leave_model = LeaveModel(self)
        self.makeup_model = MakeupModel(self)
        self.makeup_proxy = MakeupFilterProxy(self)
        self.makeup_proxy.setSourceModel(self.makeup_model)

        self.title_label = panel_heading(self.tr("请假与补学"))
        self.title_label.setStyleSheet("font-size: 14pt;")
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueBadge")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("panelSummary")

        self.new_button = QPushButton(self.tr("新建请假…"))
        self.approve_button = QPushButton(self.tr("批准"))
        self.reject_button = QPushButton(self.tr("不批准"))
        self.withdraw_button = QPushButton(self.tr("撤回"))
        self.withdraw_button.setToolTip(self.tr("删除该请假申请；只能在会议开始前撤回"))
        self.leave_table = row_table("leaveTable", self.leave_model)
        self.leave_empty = QLabel()
        self.leave_empty.setObjectName("hint")

        self.makeup_filter = QComboBox()
        self.makeup_filter.setObjectName("makeupFilter")
        for label, status in MAKEUP_FILTERS:
            self.makeup_filter.addItem(self.tr(label), status.value if status else "")
        self.makeup_filter.setMinimumContentsLength(5)
        self.complete_button = QPushButton(self.tr("完成补学…"))
        self.reopen_button = QPushButton(self.tr("重新打开"))
        self.reopen_button.setToolTip(self.tr("撤销误登记的完成情况"))
        self.makeup_table = row_table("makeupTable", self.makeup_proxy)
        self.makeup_hint = QLabel(
            self.tr("请假或缺席后自动生成补学任务；列出本年度的全部任务和以往未完成的任务。")
        )
        self.makeup_hint.setObjectName("hint")
        self.makeup_hint.setWordWrap(True)

        self._size_columns()
        self._layout()
        self.setFocusProxy(self.leave_table)
        self.new_button.clicked.connect(self.new_request)
        self.approve_button.clicked.connect(self.approve_request)
        self.reject_button.clicked.connect(self.reject_request)
        self.withdraw_button.clicked.connect(self.withdraw_request)
        self.complete_button.clicked.connect(self.complete_makeup)
        self.reopen_button.clicked.connect(self.reopen_makeup)
        self.makeup_filter.currentIndexChanged.connect(
            lambda _i: self.makeup_proxy.set_status(self.makeup_filter.currentData())
        )
        self.makeup_table.doubleClicked.connect(lambda _index: self.complete_makeup())
        for table in (self.leave_table, self.makeup_table):
            table.selectionModel().selectionChanged.connect(self._update_buttons)
            table.model().modelReset.connect(self._update_buttons)
            table.model().layoutChanged.connect(self._update_buttons)
        self.refresh()

    def _size_columns(self) -> None:
        leave = self.leave_table.horizontalHeader()
        leave.setSectionResizeMode(LeaveModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (LeaveModel.COL_NAME, 90),
            (LeaveModel.COL_SESSION, 170),
            (LeaveModel.COL_KIND, 100),
            (LeaveModel.COL_FILED, 140),
            (LeaveModel.COL_APPROVER, 90),
            (LeaveModel.COL_DECISION, 80),
            (LeaveModel.COL_DECIDED, 140),
            (LeaveModel.COL_LATE, 80),
        ):
            self.leave_table.setColumnWidth(column, width)
        makeup = self.makeup_table.horizontalHeader()
        makeup.setSectionResizeMode(MakeupModel.COL_TOPICS, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (MakeupModel.COL_NAME, 90),
            (MakeupModel.COL_SESSION, 140),
            (MakeupModel.COL_DUE, 100),
            (MakeupModel.COL_COMPLETED, 100),
            (MakeupModel.COL_METHOD, 110),
            (MakeupModel.COL_EVIDENCE, 190),
            (MakeupModel.COL_STATUS, 76),
        ):
            self.makeup_table.setColumnWidth(column, width)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(12)
        top.addWidget(self.overdue_label)
        top.addSpacing(8)
        top.addWidget(self.summary_label)
        top.addStretch(1)

        leave_bar = QHBoxLayout()
        leave_bar.addWidget(panel_heading(self.tr("请假登记")))
        leave_bar.addSpacing(12)
        leave_bar.addWidget(self.leave_empty)
        leave_bar.addStretch(1)
        for button in (
            self.new_button,
            self.approve_button,
            self.reject_button,
            self.withdraw_button,
        ):
            leave_bar.addWidget(button)
        leave_part = QWidget()
        leave_layout = QVBoxLayout(leave_part)
        leave_layout.setContentsMargins(0, 0, 0, 0)
        leave_layout.setSpacing(6)
        leave_layout.addLayout(leave_bar)
        leave_layout.addWidget(self.leave_table, 1)

        makeup_bar = QHBoxLayout()
        makeup_bar.addWidget(panel_heading(self.tr("补学补研")))
        makeup_bar.addSpacing(12)
        makeup_bar.addWidget(QLabel(self.tr("显示")))
        makeup_bar.addWidget(self.makeup_filter)
        makeup_bar.addStretch(1)
        makeup_bar.addWidget(self.complete_button)
        makeup_bar.addWidget(self.reopen_button)
        makeup_part = QWidget()
        makeup_layout = QVBoxLayout(makeup_part)
        makeup_layout.setContentsMargins(0, 0, 0, 0)
        makeup_layout.setSpacing(6)
        makeup_layout.addLayout(makeup_bar)
        makeup_layout.addWidget(self.makeup_table, 1)
        makeup_layout.addWidget(self.makeup_hint)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(leave_part)
        self.splitter.addWidget(makeup_part)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # -- state ----------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.clock.today()

    def _now(self) -> dt.datetime:
        return self.clock.now().replace(microsecond=0)

    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._year = year
            self.refresh()

    def refresh(self) -> None:
        """Reload both tables and the counts, keeping the selected rows."""
        leave_id = self._selected_id(self.leave_table)
        makeup_id = self._selected_id(self.makeup_table)
        requests = self._service.leave_requests(year=self._year)
        names = self._service.display_names()
        self.leave_model.set_entries(requests, names)
        entries = [
            e
            for e in self._service.makeups(today=self.today)
            if e.session.year == self._year or e.status is not MakeupStatus.DONE
        ]
        years = {e.session.year for e in entries}
        titles = {(t.year, t.number): t.title for y in years for t in self._planning.topics(y)}
        self.makeup_model.set_entries(entries, titles, names)
        self._select(self.leave_table, self.leave_model, leave_id)
        self._select(self.makeup_table, self.makeup_model, makeup_id)
        self._show_counts(requests, entries)
        self._update_buttons()

    def _show_counts(self, requests: list[LeaveEntry], entries: list[MakeupEntry]) -> None:
        overdue = self._service.overdue_count(self.today)
        if overdue:
            self.overdue_label.setText(self.tr("已逾期 {n} 项").format(n=overdue))
            self.overdue_label.setStyleSheet(
                "QLabel { color: #ffffff; background: #dc2626; border-radius: 4px;"
                " padding: 3px 10px; font-weight: 600; font-size: 11pt; }"
            )
        else:
            self.overdue_label.setText(self.tr("无逾期补学"))
            self.overdue_label.setStyleSheet(
                "QLabel { color: #166534; background: #dcfce7; border-radius: 4px;"
                " padding: 3px 10px; }"
            )
        decisions = Counter(e.request.decision for e in requests)
        open_tasks = [e for e in entries if e.status is not MakeupStatus.DONE]
        pending = Counter(e.session.year == self._year for e in open_tasks)
        overdue = sum(
            1
            for e in open_tasks
            if e.session.year == self._year and e.status is MakeupStatus.OVERDUE
        )
        text = self.tr(
            "{year} 年请假申请 {n} 项（已批准 {a}，未批准 {r}，待审批 {p}）；补学待完成 {m} 项"
        ).format(
            year=self._year,
            n=len(requests),
            a=decisions[LeaveDecision.APPROVED],
            r=decisions[LeaveDecision.REJECTED],
            p=decisions[LeaveDecision.PENDING],
            m=pending[True],
        )
        if overdue:  # an overdue task is still to be done: never "0 项" beside "已逾期"
            text += self.tr("（其中已逾期 {o} 项）").format(o=overdue)
        if pending[False]:  # the table lists the open tasks of other years too
            text += self.tr("，其他年度 {k} 项").format(k=pending[False])
        self.summary_label.setText(text)
        self.leave_empty.setText(
            "" if requests else self.tr("{year} 年还没有请假登记").format(year=self._year)
        )

    def _selected_id(self, table: QTableView) -> int | None:
        index = table.currentIndex()
        if not index.isValid() or not table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        return index.data(IdRole)

    def _select(self, table: QTableView, source: EntriesModel, item_id: int | None) -> bool:
        if item_id is None:
            return False
        row = source.row_of(item_id)
        if row is None:
            return False
        index = source.index(row, 0)
        model = table.model()
        if isinstance(model, QSortFilterProxyModel):
            index = model.mapFromSource(index)
        if not index.isValid():
            return False
        table.setCurrentIndex(index)
        table.selectRow(index.row())
        return True

    def select_request(self, request_id: int) -> bool:
        return self._select(self.leave_table, self.leave_model, request_id)

    def select_makeup(self, makeup_id: int) -> bool:
        return self._select(self.makeup_table, self.makeup_model, makeup_id)

    def current_request(self) -> LeaveEntry | None:
        if self._selected_id(self.leave_table) is None:
            return None
        return self.leave_table.currentIndex().data(ObjectRole)

    def current_makeup(self) -> MakeupEntry | None:
        if self._selected_id(self.makeup_table) is None:
            return None
        return self.makeup_table.currentIndex().data(ObjectRole)

    def _update_buttons(self) -> None:
        entry = self.current_request()
        decision = entry.request.decision if entry else None
        self.approve_button.setEnabled(entry is not None and decision is not LeaveDecision.APPROVED)
        self.reject_button.setEnabled(entry is not None and decision is not LeaveDecision.REJECTED)
        self.withdraw_button.setEnabled(entry is not None)
        task = self.current_makeup()
        self.complete_button.setEnabled(
            task is not None
            and task.status is not MakeupStatus.DONE
            and task.session.date <= self.today  # nothing to make up before it took place
        )
        self.reopen_button.setEnabled(task is not None and task.status is MakeupStatus.DONE)

    def _written(self, wrote: str) -> None:
        self.refresh()
        self.changed.emit(frozenset({wrote}))

    # -- leave ----------------------------------------------------------------------------
    def new_request(self) -> None:
        sessions = self._planning.sessions(self._year)
        members = self._service.list_members()
        approvers = {e.request.approver for e in self.leave_model.entries()}
        answer = LeaveDialog.ask(
            self,
            members,
            sessions,
            now=self._now(),
            approvers=approvers,
            names=self._service.display_names(),
        )
        if answer is None:
            return
        member_id, session_id, reason, filed_at, approver, *terms = answer
        kind, last = terms if terms else ("", None)

        def file():
            if last is None:
                return self._service.file_leave(
                    member_id, session_id, reason, filed_at, approver, now=self._now(), kind=kind
                )
            first = self._service.session(session_id).date
            return self._service.file_leave_span(
                member_id, first, last, kind, reason, filed_at, approver, now=self._now()
            )[0]

        request = run_action(self, self.tr("无法登记请假"), file)
        if request is None:
            return
        self._written("leave_requests")
        if request.id is not None:
            self.select_request(request.id)

    def _approver_for(self, entry: LeaveEntry) -> str | None:
        if entry.request.approver:
            return entry.request.approver
        text, ok = QInputDialog.getText(
            self,
            self.tr("审批人"),
            self.tr("{name} 的请假由谁审批？").format(
                name=self._service.display_name(entry.member)
            ),
            text=self._last_approver,
        )
        text = text.strip()
        return text if ok and text else None

    def _decide(self, approve: bool) -> None:
        entry = self.current_request()
        if entry is None or entry.request.id is None:
            return
        approver = self._approver_for(entry)
        if approver is None:
            return
        request_id = entry.request.id
        if approve:
            change = run_action(
                self,
                self.tr("无法审批"),
                lambda: do(self._service.approve_leave, request_id, approver, self._now()),
            )
        else:
            refusal, ok = QInputDialog.getText(
                self,
                self.tr("不批准"),
                self.tr("不批准 {name} 的请假，理由是？").format(
                    name=self._service.display_name(entry.member)
                ),
            )
            if not ok or not refusal.strip():
                return
            change = run_action(
                self,
                self.tr("无法审批"),
                lambda: do(self._service.reject_leave, request_id, approver, self._now(), refusal),
            )
        if change is None:
            return
        self._last_approver = approver
        self._push(change)
        self.select_request(request_id)

    def approve_request(self) -> None:
        """Approve: the member's attendance becomes 请假 and a make-up task is created."""
        self._decide(True)

    def reject_request(self) -> None:
        self._decide(False)

    def withdraw_request(self) -> None:
        entry = self.current_request()
        if entry is None or entry.request.id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("撤回请假"),
            (
                self.tr("撤回 {name} {day} 的请假吗？其中尚未开始的各场都将撤回。")
                if entry.is_span
                else self.tr("撤回 {name} 对 {day} 学习的请假申请吗？")
            ).format(name=self._service.display_name(entry.member), day=entry.span_label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        request_id = entry.request.id
        run_action(
            self,
            self.tr("无法撤回"),
            lambda: do(self._service.withdraw_leave, request_id, now=self._now()),
            after=self._push,
        )

    def _push(self, change: Change) -> None:
        """The change is made: this view reloads, the window the views it touches."""
        self.refresh()
        push_change(self.undo_stack, change, self, self._leave_undone)

    def _leave_undone(self, change: Change) -> None:
        """After 撤销 or 重做 of a decision: reload and show the request, if it is there."""
        self.refresh()
        for request_id in change.request_ids:
            self.select_request(request_id)

    # -- make-up study --------------------------------------------------------------------
    def complete_makeup(self) -> None:
        entry = self.current_makeup()
        if entry is None or entry.makeup.id is None or entry.status is MakeupStatus.DONE:
            return
        answer = MakeupDialog.ask(self, entry, today=self.today)
        if answer is None:
            return
        completed_on, method, evidence = answer
        makeup_id = entry.makeup.id
        run_action(
            self,
            self.tr("无法登记补学"),
            lambda: self._service.complete_makeup(
                makeup_id, completed_on, method, evidence, today=self.today
            ),
            after=lambda _makeup: self._written("makeups"),
        )

    def reopen_makeup(self) -> None:
        entry = self.current_makeup()
        if entry is None or entry.makeup.id is None or entry.status is not MakeupStatus.DONE:
            return
        answer = QMessageBox.question(
            self,
            self.tr("重新打开补学"),
            self.tr("重新打开将清除 {name} 的完成日期、方式和佐证，确定吗？").format(
                name=self._service.display_name(entry.member)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        makeup_id = entry.makeup.id
        run_action(
            self,
            self.tr("无法重新打开"),
            lambda: self._service.reopen_makeup(makeup_id),
            after=lambda _makeup: self._written("makeups"),
        )
