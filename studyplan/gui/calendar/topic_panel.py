"""The year's topics beside the calendar: their progress, and the selected one in full."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.planning import PlanningService
from studyplan.gui.common import (
    TOPIC_STATE_COLORS,
    AnyIndex,
    ObjectRole,
    RowTableModel,
    demibold_font,
)
from studyplan.model.plan import TopicState
from studyplan.model.planning import TopicOverview


class TopicModel(RowTableModel):
    """One row per topic of a year's plan: number, title, state, number of sessions."""

    COL_NUMBER, COL_TITLE, COL_STATE, COL_SESSIONS = range(4)
    HEADERS = ("序号", "专题", "状态", "场次")

    def set_overviews(self, rows: list[TopicOverview]) -> None:
        self.set_rows(rows)

    def overview(self, row: int) -> TopicOverview:
        return self._rows[row]

    def row_of(self, number: int) -> int | None:
        for row, item in enumerate(self._rows):
            if item.topic.number == number:
                return row
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item: TopicOverview | None = self.row(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_NUMBER: str(item.topic.number),
                self.COL_TITLE: item.topic.title,
                self.COL_STATE: item.state.value,
                self.COL_SESSIONS: str(item.scheduled),
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_TITLE:
                return f"专题{item.topic.number}：{item.topic.title}"
            if column == self.COL_SESSIONS:
                return f"安排 {item.scheduled} 场，已举行 {item.held} 场"
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_STATE:
            return TOPIC_STATE_COLORS[item.state]
        if role == Qt.ItemDataRole.FontRole and column == self.COL_STATE:
            return demibold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COL_TITLE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ObjectRole:
            return item
        return None


def topic_html(item: TopicOverview) -> str:
    """The selected topic in full, for the text browser."""
    topic = item.topic
    esc = html.escape
    color = TOPIC_STATE_COLORS[item.state].name()
    progress = f"安排 {item.scheduled} 场，已举行 {item.held} 场"
    parts = [
        f"<p style='margin:0 0 4px 0;color:#6b7280'>专题{topic.number}"
        f" · <span style='color:{color};font-weight:600'>{esc(item.state.value)}</span>"
        f" · {progress}</p>",
        f"<p style='margin:0 0 8px 0;font-size:large;font-weight:600'>{esc(topic.title)}</p>",
    ]
    if topic.description:
        parts.append(f"<p style='line-height:150%'>{esc(topic.description)}</p>")
    if topic.readings:
        parts.append("<p style='margin:8px 0 2px 0;font-weight:600'>学习篇目</p><ul>")
        parts.extend(f"<li>{esc(reading)}</li>" for reading in topic.readings)
        parts.append("</ul>")
    return "".join(parts)


class _RoomyDelegate(QStyledItemDelegate):
    """Rows with some air above and below wrapped titles.

    The table sizes its rows to their contents, which lays out every wrapped title again on
    each reload; the same title at the same width always needs the same size, so sizes are
    remembered (switching the year then costs a lookup, not a text layout).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[int, str, int], QSize] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        key = (index.column(), str(index.data()), option.rect.width())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 4096:
                self._sizes.clear()
            hint = super().sizeHint(option, index)
            size = self._sizes[key] = QSize(hint.width(), hint.height() + 10)
        return QSize(size)


class _TopicTable(QTableView):
    """The topic table, measured by its wrapped titles only.

    Row heights follow the contents (ResizeToContents), which Qt works out on every layout
    pass by asking the delegate about every cell of every row; only the title wraps, so
    only its cell is asked here, and the short columns measure their widest text.
    """

    def sizeHintForRow(self, row: int) -> int:
        index = self.model().index(row, TopicModel.COL_TITLE)
        if not index.isValid():
            return super().sizeHintForRow(row)
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        # A valid rect (height too): the style wraps the text only within one.
        option.rect = QRect(
            0, 0, self.columnWidth(TopicModel.COL_TITLE), self.fontMetrics().height()
        )
        if self.wordWrap():
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        return self.itemDelegate().sizeHint(option, index).height()

    def sizeHintForColumn(self, column: int) -> int:
        if column == TopicModel.COL_TITLE:
            return super().sizeHintForColumn(column)
        model = self.model()
        texts = [str(model.index(row, column).data() or "") for row in range(model.rowCount())]
        bold = QFontMetrics(demibold_font())
        # The style's text margins on both sides, as QCommonStyle pads an item's text.
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return max((bold.horizontalAdvance(text) for text in texts), default=0) + 2 * margin + 2


class TopicPanel(QWidget):
    """The topic table above the selected topic's full text."""

    def __init__(self, service: PlanningService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicPanel")
        self._service = service
        self._year: int | None = None

        self.heading = QLabel(self.tr("学习专题"))
        self.heading.setObjectName("panelHeading")
        self.summary = QLabel()
        self.summary.setObjectName("panelSummary")
        self.summary.setWordWrap(True)

        self.model = TopicModel(self)
        self.table = _TopicTable()
        self.table.setObjectName("topicTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_RoomyDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TopicModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)

        self.detail = QTextBrowser()
        self.detail.setObjectName("topicDetail")
        self.detail.setOpenLinks(False)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._year = year
            self.refresh(keep_selection=False)

    def refresh(self, *, keep_selection: bool = True) -> None:
        """Reload the year's topics, keeping the selected topic when it is still there."""
        if self._year is None:
            return
        current = self.table.currentIndex()
        number = (
            self.model.overview(current.row()).topic.number
            if keep_selection and current.isValid()
            else None
        )
        rows = self._service.topic_overview(self._year)
        self.model.set_overviews(rows)
        self._update_summary(rows)
        row = self.model.row_of(number) if number is not None else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, TopicModel.COL_TITLE))
        else:
            self.detail.setHtml(f"<p style='color:#6b7280'>{html.escape(self._empty_text())}</p>")

    def _empty_text(self) -> str:
        return self.tr("{year} 年还没有学习计划。可通过“文件 → 导入学习计划…”导入。").format(
            year=self._year
        )

    def _update_summary(self, rows: list[TopicOverview]) -> None:
        if not rows:
            self.summary.setText(self.tr("尚未导入本年度学习计划"))
            return
        counts = {state: 0 for state in TopicState}
        for row in rows:
            counts[row.state] += 1
        self.summary.setText(
            self.tr("共 {n} 个专题：已学习 {s} · 已安排 {p} · 未安排 {u}").format(
                n=len(rows),
                s=counts[TopicState.STUDIED],
                p=counts[TopicState.SCHEDULED],
                u=counts[TopicState.UNSCHEDULED],
            )
        )

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.setHtml(topic_html(self.model.overview(current.row())))
