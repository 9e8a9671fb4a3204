"""The year's topics beside the calendar: their progress, and the selected one in full."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.app.topics import TopicHasSessions, TopicService
from studyplan.gui.actions import run_action
from studyplan.gui.common import (
    TOPIC_STATE_COLORS,
    AnyIndex,
    ObjectRole,
    RowTableModel,
    demibold_font,
)
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.plan import Topic, TopicState
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
    planned = "　".join(
        text
        for text in (
            f"计划时间：{topic.planned_label}" if topic.planned_label else "",
            f"学习形式：{esc(topic.form)}" if topic.form else "",
        )
        if text
    )
    if planned:
        parts.append(f"<p style='margin:0 0 6px 0;color:#374151'>{planned}</p>")
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: (key, modifiers) -> what the panel does for it; other keys move about as usual.
        self.key_actions: dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], object]] = {}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        action = self.key_actions.get((Qt.Key(event.key()), modifiers))
        if action is None:
            super().keyPressEvent(event)
            return
        event.accept()
        action()

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
    """The plan's title and topic table above the selected topic's full text, with the
    buttons (and context menu) that add, edit, remove and move topics: each change goes on
    the undo stack (编辑 > 撤销)."""

    def __init__(
        self,
        service: PlanningService,
        topics: TopicService | None = None,
        *,
        undo_stack: ChangeStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("topicPanel")
        self._service = service
        self._topics = topics or TopicService(service.db, clock=service.clock)
        self.undo_stack = undo_stack_for(self, undo_stack, service.clock)
        self._year: int | None = None

        self.heading = QLabel(self.tr("学习专题"))
        self.heading.setObjectName("panelHeading")
        self.plan_title = QLabel()
        self.plan_title.setObjectName("planTitle")
        self.plan_title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("panelSummary")
        self.summary.setWordWrap(True)

        # The table and the text are made inside their splitter: a widget moved into another
        # parent is styled again by the application's style sheet, its children with it.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = TopicModel(self)
        self.table = _TopicTable(splitter)
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
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _index: self.edit_topic())
        # Keys on the table: Insert adds, Enter edits, Delete removes, Ctrl+↑/↓ move.
        ctrl = Qt.KeyboardModifier.ControlModifier
        none = Qt.KeyboardModifier.NoModifier
        self.table.key_actions = {
            (Qt.Key.Key_Insert, none): self.add_topic,
            (Qt.Key.Key_Return, none): self.edit_topic,
            (Qt.Key.Key_Enter, none): self.edit_topic,
            (Qt.Key.Key_Delete, none): self.delete_topic,
            (Qt.Key.Key_Up, ctrl): lambda: self.move_topic(-1),
            (Qt.Key.Key_Down, ctrl): lambda: self.move_topic(1),
        }

        self.detail = QTextBrowser(splitter)
        self.detail.setObjectName("topicDetail")
        self.detail.setOpenLinks(False)

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.add_button = self._button(
            self.tr("新增"), self.tr("在计划末尾新增专题"), self.add_topic
        )
        self.edit_button = self._button(self.tr("修改"), self.tr("修改所选专题"), self.edit_topic)
        self.delete_button = self._button(
            self.tr("删除"), self.tr("删除所选专题（已举行过的专题不能删除）"), self.delete_topic
        )
        self.up_button = self._button("↑", self.tr("上移所选专题"), lambda: self.move_topic(-1))
        self.down_button = self._button("↓", self.tr("下移所选专题"), lambda: self.move_topic(1))
        self.title_button = self._button(
            self.tr("改标题"), self.tr("修改本年度学习计划的标题"), self.edit_plan_title
        )
        for button in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.title_button)

        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.plan_title)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setObjectName("topicButton")
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(lambda _=False: slot())
        return button

    @property
    def year(self) -> int | None:
        return self._year

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._year = year
            self.refresh(keep_selection=False)

    def refresh(self, *, keep_selection: bool = True, select: int | None = None) -> None:
        """Reload the year's topics, keeping the selected topic when it is still there (or
        selecting topic `select`)."""
        if self._year is None:
            return
        current = self.table.currentIndex()
        number = (
            self.model.overview(current.row()).topic.number
            if keep_selection and current.isValid()
            else None
        )
        if select is not None:
            number = select
        rows = self._service.topic_overview(self._year)
        self.model.set_overviews(rows)
        self._update_summary(rows)
        title = self._topics.plan_title(self._year)
        self.plan_title.setText(title)
        self.plan_title.setVisible(bool(title))
        row = self.model.row_of(number) if number is not None else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, TopicModel.COL_TITLE))
        else:
            self.detail.setHtml(f"<p style='color:#6b7280'>{html.escape(self._empty_text())}</p>")
        self._update_buttons()

    def _empty_text(self) -> str:
        return self.tr(
            "{year} 年还没有学习计划。可通过“文件 → 导入学习计划…”导入，"
            "或点“新增”逐个录入专题，或用“计划 → 新建下一年计划…”复制上一年的专题。"
        ).format(year=self._year)

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
        self._update_buttons()

    def _update_buttons(self) -> None:
        topic = self.current_topic()
        count = self.model.rowCount()
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(topic is not None)
        self.up_button.setEnabled(topic is not None and topic.number > 1)
        self.down_button.setEnabled(topic is not None and topic.number < count)

    # -- editing ------------------------------------------------------------------------
    def current_topic(self) -> Topic | None:
        index = self.table.currentIndex()
        return self.model.overview(index.row()).topic if index.isValid() else None

    def add_topic(self) -> Topic | None:
        """Ask for a new topic and add it at the end of the year's plan."""
        from studyplan.gui.calendar.topic_dialog import TopicDialog

        if self._year is None:
            return None
        year = self._year
        fields = TopicDialog.ask(self, None, self.model.rowCount() + 1)
        if fields is None:
            return None
        change = self._do(self.tr("无法新增专题"), lambda: do(self._topics.add_topic, year, fields))
        if change is None:
            return None
        self.refresh(select=change.result.number)
        return change.result

    def edit_topic(self) -> Topic | None:
        from studyplan.gui.calendar.topic_dialog import TopicDialog

        topic = self.current_topic()
        if topic is None:
            return None
        fields = TopicDialog.ask(self, topic, topic.number)
        if fields is None:
            return None
        change = self._do(
            self.tr("无法修改专题"),
            lambda: do(self._topics.edit_topic, topic.year, topic.number, fields),
        )
        if change is None:
            return None
        self.refresh(select=topic.number)
        return change.result

    def delete_topic(self) -> bool:
        """Ask (naming the planned sessions that cover it), then remove the selected topic."""
        topic = self.current_topic()
        if topic is None:
            return False
        failed = self.tr("无法删除专题")
        question = run_action(
            self, failed, lambda: self._topics.deletion_question(topic.year, topic.number)
        )
        if question is None:
            return False
        text = question or self.tr("确定删除专题{n}“{title}”吗？其后的专题序号依次前移。").format(
            n=topic.number, title=topic.title
        )
        answer = QMessageBox.question(
            self,
            self.tr(TopicHasSessions.title) if question else self.tr("删除专题"),
            text + self.tr("\n\n可用“编辑 > 撤销”（Ctrl+Z）恢复。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        change = self._do(
            failed,
            lambda: do(self._topics.delete_topic, topic.year, topic.number, detach=True),
        )
        if change is None:
            return False
        self.refresh(select=min(topic.number, self.model.rowCount() - 1) or None)
        return True

    def move_topic(self, step: int) -> bool:
        """Move the selected topic `step` places (-1 up, 1 down); its sessions follow it."""
        topic = self.current_topic()
        if topic is None:
            return False
        to = topic.number + step
        if not 1 <= to <= self.model.rowCount():
            return False
        change = self._do(
            self.tr("无法调整顺序"),
            lambda: do(self._topics.move_topic, topic.year, topic.number, to),
        )
        if change is None:
            return False
        self.refresh(select=to)
        return True

    def edit_plan_title(self) -> str | None:
        if self._year is None:
            return None
        year = self._year
        current = self._service.plan_title(year) or ""
        title, ok = QInputDialog.getText(
            self,
            self.tr("计划标题"),
            self.tr("{year} 年学习计划的标题：").format(year=year),
            QLineEdit.EchoMode.Normal,
            current,
        )
        if not ok or title.strip() == current:
            return None
        change = self._do(
            self.tr("无法修改标题"), lambda: do(self._topics.set_plan_title, year, title)
        )
        if change is None:
            return None
        self.refresh()
        return self._service.plan_title(year)

    def _do(self, failed: str, call: Callable[[], Change]) -> Change | None:
        """Run a change (its sentence shown if refused) and put it on the undo stack."""
        change = run_action(self, failed, call)
        if change is not None and change.log.edits:
            push_change(self.undo_stack, change, self, lambda _change: self.refresh())
        return change

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The table's right-click menu, with the buttons' actions."""
        menu = QMenu(self)
        for button in (self.add_button, self.edit_button, self.delete_button):
            action = menu.addAction(
                button.text() + "…" if button is not self.delete_button else button.text()
            )
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.addSeparator()
        for button, text in (
            (self.up_button, self.tr("上移")),
            (self.down_button, self.tr("下移")),
        ):
            action = menu.addAction(text)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.addSeparator()
        menu.addAction(self.tr("修改计划标题…")).triggered.connect(self.title_button.click)
        return menu
