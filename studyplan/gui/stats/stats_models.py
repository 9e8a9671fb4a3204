"""Item models of the 统计 view: the topics with their marks, and the compliance checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from studyplan.gui.common import ROOT, TOPIC_STATE_COLORS, AnyIndex, ObjectRole, demibold_font
from studyplan.model.compliance import CheckResult, ComplianceReport, Problem
from studyplan.model.plan import TopicState
from studyplan.model.statistics import TopicCoverage

PASS_COLOR = QColor("#15803d")
FAIL_COLOR = QColor("#dc2626")
FAIL_TEXT_COLOR = QColor("#991b1b")
PROBLEM_TEXT_COLOR = QColor("#374151")

#: True for a passed check, False for a failed one (top-level rows only).
PassedRole = Qt.ItemDataRole.UserRole + 10
#: The mark of a row: ✓ / ✗ for checks, ✓ / ○ / – for topics.
MarkRole = Qt.ItemDataRole.UserRole + 11

TOPIC_MARKS: dict[TopicState, str] = {
    TopicState.STUDIED: "✓",
    TopicState.SCHEDULED: "○",
    TopicState.UNSCHEDULED: "–",
}


def topic_state(item: TopicCoverage) -> TopicState:
    if item.done:
        return TopicState.STUDIED
    return TopicState.SCHEDULED if item.planned_dates else TopicState.UNSCHEDULED


def _dates(days: Sequence[dt.date]) -> str:
    return "、".join(f"{d:%Y-%m-%d}" for d in sorted(days))


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def topic_line(item: TopicCoverage) -> str:
    """专题3 ✓ 3月12日 (the last time it was studied), 专题4 ○ 12月10日 (the next planned
    date), 专题5 – 未安排.

    Short enough for the list beside the donut at 1280×800: the mark and colour say the state
    (the donut's note explains them), the view's year is in its title, and the tooltip gives
    the full dates.
    """
    state = topic_state(item)
    head = f"{item.topic.short_label} {TOPIC_MARKS[state]}"
    if state is TopicState.STUDIED:
        extra = f" 共{len(item.held_dates)}次" if len(item.held_dates) > 1 else ""
        return f"{head} {_day(max(item.held_dates))}{extra}"
    if state is TopicState.SCHEDULED:
        return f"{head} {_day(min(item.planned_dates))}"
    return f"{head} {state.value}"


class TopicCoverageModel(QAbstractListModel):
    """One row per topic of the year: its mark, state and date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TopicCoverage] = []

    def set_topics(self, rows: Sequence[TopicCoverage]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        state = topic_state(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return topic_line(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{item.topic.short_label}：{item.topic.title}", f"状态：{state.value}"]
            if item.held_dates:
                lines.append(f"已举行：{_dates(item.held_dates)}")
            if item.planned_dates:
                lines.append(f"已安排：{_dates(item.planned_dates)}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(TOPIC_STATE_COLORS[state])
        if role == MarkRole:
            return TOPIC_MARKS[state]
        if role == ObjectRole:
            return item
        return None


def _mark_icon(passed: bool) -> QIcon:
    """A filled circle with a white tick or cross, drawn so no font is needed for it."""
    scale = 2
    size = 16
    pixmap = QPixmap(size * scale, size * scale)
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(PASS_COLOR if passed else FAIL_COLOR)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    pen = QPen(Qt.GlobalColor.white, 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    if passed:
        painter.drawPolyline([QPointF(4.5, 8.3), QPointF(7, 10.8), QPointF(11.5, 5.5)])
    else:
        painter.drawLine(QPointF(5.2, 5.2), QPointF(10.8, 10.8))
        painter.drawLine(QPointF(10.8, 5.2), QPointF(5.2, 10.8))
    painter.end()
    return QIcon(pixmap)


class ComplianceModel(QAbstractItemModel):
    """The checklist as a two-level tree: each check, and under it its problems."""

    _NO_PARENT = 0  # internal id of a check row; a problem row stores its check's row + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._results: list[CheckResult] = []
        self._icons: dict[bool, QIcon] = {}

    def set_report(self, report: ComplianceReport | None) -> None:
        self.beginResetModel()
        self._results = list(report.results) if report is not None else []
        self.endResetModel()

    def result(self, row: int) -> CheckResult:
        return self._results[row]

    # -- structure -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._results):
                return QModelIndex()
            return self.createIndex(row, 0, self._NO_PARENT)
        if parent.internalId() != self._NO_PARENT or parent.column() != 0:
            return QModelIndex()
        if row >= len(self._results[parent.row()].problems):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: AnyIndex = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == self._NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, self._NO_PARENT)

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        if not parent.isValid():
            return len(self._results)
        if parent.internalId() == self._NO_PARENT and parent.column() == 0:
            return len(self._results[parent.row()].problems)
        return 0

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- data ------------------------------------------------------------------------------

    def _item(self, index: AnyIndex) -> CheckResult | Problem | None:
        if not index.isValid():
            return None
        if index.internalId() == self._NO_PARENT:
            return self._results[index.row()] if index.row() < len(self._results) else None
        result = self._results[index.internalId() - 1]
        return result.problems[index.row()] if index.row() < len(result.problems) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self._item(index)
        if item is None:
            return None
        if role == ObjectRole:
            return item
        if isinstance(item, Problem):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return item.message
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(PROBLEM_TEXT_COLOR)
            return None
        passed = item.passed
        if role == Qt.ItemDataRole.DisplayRole:
            if passed:
                return item.title
            return f"{item.title}（{len(item.problems)} 个问题）"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "通过" if passed else f"未通过：{len(item.problems)} 个问题"
        if role == Qt.ItemDataRole.DecorationRole:
            if passed not in self._icons:
                self._icons[passed] = _mark_icon(passed)
            return self._icons[passed]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#111827") if passed else FAIL_TEXT_COLOR)
        if role == Qt.ItemDataRole.FontRole:
            return demibold_font()
        if role == PassedRole:
            return passed
        if role == MarkRole:
            return "✓" if passed else "✗"
        return None
