"""The 请假与补学 view's tables: leave requests and make-up tasks, their colours, the filter."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QWidget

from studyplan.gui.common import (
    AnyIndex,
    ObjectRole,
    RowTableModel,
    demibold_font,
    refilter_rows,
    setup_row_table,
    topics_label,
)
from studyplan.model.attendance import (
    LeaveDecision,
    LeaveEntry,
    MakeupEntry,
    MakeupStatus,
    done_late,
)

#: The id of the row's leave request or make-up task (int).
IdRole = Qt.ItemDataRole.UserRole + 2
#: The row's LeaveDecision (leave table) or MakeupStatus (make-up table) code.
StateRole = Qt.ItemDataRole.UserRole + 3

DECISION_COLORS = {
    LeaveDecision.PENDING: QColor("#b45309"),
    LeaveDecision.APPROVED: QColor("#15803d"),
    LeaveDecision.REJECTED: QColor("#6b7280"),
}
LATE_COLOR = QColor("#b91c1c")
MAKEUP_COLORS = {
    MakeupStatus.PENDING: QColor("#b45309"),
    MakeupStatus.OVERDUE: QColor("#991b1b"),
    MakeupStatus.DONE: QColor("#15803d"),
}
OVERDUE_BACKGROUND = QColor("#fee2e2")
OVERDUE_FOREGROUND = QColor("#991b1b")

MAKEUP_FILTERS: tuple[tuple[str, MakeupStatus | None], ...] = (
    ("全部", None),
    ("待完成", MakeupStatus.PENDING),
    ("已逾期", MakeupStatus.OVERDUE),
    ("已完成", MakeupStatus.DONE),
)


def _moment(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


class EntriesModel(RowTableModel):
    """Rows of domain entries with fixed headers; subclasses say what each cell shows."""

    CENTERED: frozenset[int] = frozenset()

    def row_of(self, item_id: int) -> int | None:
        for row in range(len(self._rows)):
            if self.index(row, 0).data(IdRole) == item_id:
                return row
        return None


class LeaveModel(EntriesModel):
    """Leave requests with member and session, by session date."""

    (
        COL_NAME,
        COL_SESSION,
        COL_KIND,
        COL_REASON,
        COL_FILED,
        COL_APPROVER,
        COL_DECISION,
        COL_DECIDED,
        COL_LATE,
        COL_REFUSAL,
    ) = range(10)
    HEADERS = (
        "姓名",
        "场次",
        "类别",
        "事由",
        "提交时间",
        "审批人",
        "审批结果",
        "审批时间",
        "事后补假",
        "不批准理由",
    )
    CENTERED = frozenset((COL_DECISION, COL_LATE, COL_KIND))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[int, str] = {}

    def set_entries(self, entries: list[LeaveEntry], names: dict[int, str] | None = None) -> None:
        """`names`: member id -> the name shown (namesakes told apart)."""
        self._names = dict(names or {})
        self.set_rows(entries)

    def entry(self, row: int) -> LeaveEntry:
        return self._rows[row]

    def entries(self) -> list[LeaveEntry]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry: LeaveEntry | None = self.row(index)
        if entry is None:
            return None
        request, session = entry.request, entry.session
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            where = (
                entry.span_label
                if len(entry.sessions) > 1 or entry.first_day != entry.last_day
                else f"{session.date:%Y-%m-%d} "
                + (topics_label(session.topic_numbers) or session.form)
            )
            return {
                self.COL_NAME: self._names.get(entry.member.id or 0, entry.member.name),
                self.COL_SESSION: where,
                self.COL_KIND: request.kind_label,
                self.COL_REFUSAL: request.refusal,
                self.COL_REASON: request.reason,
                self.COL_FILED: _moment(request.filed_at),
                self.COL_APPROVER: request.approver,
                self.COL_DECISION: request.decision.label,
                self.COL_DECIDED: _moment(request.decided_at),
                self.COL_LATE: request.late_label,
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NAME:
                return entry.member.label
            if column == self.COL_SESSION and len(entry.sessions) > 1:
                return "\n".join(f"{s.date:%Y-%m-%d} {s.time_range}" for s in entry.sessions)
            if column == self.COL_SESSION:
                return f"{session.date:%Y-%m-%d} {session.time_range} {session.location}".strip()
            if column == self.COL_REASON:
                return request.reason
            if column == self.COL_LATE and request.late:
                return "会议开始后才提交的请假"
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_DECISION:
                return DECISION_COLORS[request.decision]
            if column == self.COL_LATE:
                return LATE_COLOR
            return None
        if role == Qt.ItemDataRole.FontRole and column in (self.COL_DECISION, self.COL_LATE):
            return demibold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return entry
        if role == IdRole:
            return request.id
        if role == StateRole:
            return request.decision.value
        return None


class MakeupModel(EntriesModel):
    """Make-up tasks with member, session and status as of the view's day."""

    (
        COL_NAME,
        COL_SESSION,
        COL_TOPICS,
        COL_DUE,
        COL_COMPLETED,
        COL_METHOD,
        COL_EVIDENCE,
        COL_STATUS,
    ) = range(8)
    HEADERS = ("姓名", "场次", "专题", "截止日期", "完成日期", "方式", "佐证", "状态")
    CENTERED = frozenset((COL_STATUS,))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles: dict[tuple[int, int], str] = {}
        self._names: dict[int, str] = {}

    def set_entries(
        self,
        entries: list[MakeupEntry],
        titles: dict[tuple[int, int], str] | None = None,
        names: dict[int, str] | None = None,
    ) -> None:
        """`titles` maps (year, topic number) to the topic's title, `names` member ids to
        the names shown (namesakes told apart)."""
        self.beginResetModel()
        self._rows = list(entries)
        self._titles = dict(titles or {})
        self._names = dict(names or {})
        self.endResetModel()

    def entry(self, row: int) -> MakeupEntry:
        return self._rows[row]

    def _topics(self, entry: MakeupEntry, separator: str) -> str:
        session = entry.session
        parts = []
        for number in session.topic_numbers:
            title = self._titles.get((session.year, number), "")
            parts.append(f"专题{number} {title}".strip())
        return separator.join(parts)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry: MakeupEntry | None = self.row(index)
        if entry is None:
            return None
        makeup, session = entry.makeup, entry.session
        column = index.column()
        overdue = entry.status is MakeupStatus.OVERDUE
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_NAME: self._names.get(entry.member.id or 0, entry.member.name),
                self.COL_SESSION: f"{session.date:%Y-%m-%d} {session.start:%H:%M}",
                self.COL_TOPICS: self._topics(entry, "；") or session.form,
                self.COL_DUE: f"{makeup.due:%Y-%m-%d}",
                self.COL_COMPLETED: f"{makeup.completed:%Y-%m-%d}" if makeup.completed else "",
                self.COL_METHOD: makeup.method,
                self.COL_EVIDENCE: makeup.evidence,
                self.COL_STATUS: "逾期完成" if done_late(makeup) else entry.status.label,
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NAME:
                return entry.member.label
            if column == self.COL_TOPICS:
                return self._topics(entry, "\n") or None
            if column == self.COL_EVIDENCE and makeup.evidence:
                return makeup.evidence
            if column == self.COL_STATUS and overdue:
                return f"已超过截止日期 {makeup.due:%Y-%m-%d}"
            return None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return OVERDUE_FOREGROUND
            if column == self.COL_STATUS:
                return MAKEUP_COLORS[entry.status]
            return None
        if role == Qt.ItemDataRole.FontRole and (column == self.COL_STATUS or overdue):
            return demibold_font() if column in (self.COL_STATUS, self.COL_DUE) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return entry
        if role == IdRole:
            return makeup.id
        if role == StateRole:
            return entry.status.value
        return None


class MakeupFilterProxy(QSortFilterProxyModel):
    """Make-up tasks of one status (None: all)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code: str | None = None

    def set_status(self, status: MakeupStatus | str | None) -> None:
        """Show only tasks of `status` (a MakeupStatus or its code); None or "" shows all."""
        code = MakeupStatus(status).value if status else None
        refilter_rows(self, lambda: setattr(self, "_code", code))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if model is None:
            return False
        if self._code is None:
            return True
        return model.index(source_row, 0, source_parent).data(StateRole) == self._code


def row_table(name: str, model: QAbstractTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    header = setup_row_table(table, 30)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def panel_heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("panelHeading")
    return label
