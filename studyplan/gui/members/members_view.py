"""The 成员 view: the roster in rank order, with adding, editing, importing and departures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.lists import ListsService
from studyplan.app.planning import PlanningService
from studyplan.gui.actions import run_action
from studyplan.gui.common import AnyIndex, ObjectRole, RowTableModel, refilter_rows, setup_row_table
from studyplan.gui.members.member_dialog import ImportReportDialog, LastDayDialog, MemberDialog
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.roster import Member

#: The member's id (int).
MemberIdRole = Qt.ItemDataRole.UserRole + 2
#: Whether the member is on the roster on the view's day (bool).
ActiveRole = Qt.ItemDataRole.UserRole + 3

FILTER_ALL, FILTER_ACTIVE, FILTER_LEFT = "all", "active", "left"
FILTER_LABELS = {FILTER_ALL: "全部", FILTER_ACTIVE: "在册", FILTER_LEFT: "已离任"}

LEFT_COLOR = QColor("#9ca3af")
ACTIVE_COLOR = QColor("#15803d")
LEAVING_COLOR = QColor("#c2410c")


def is_active(member: Member, today: dt.date) -> bool:
    return member.on_roster(today)


def status_text(member: Member, today: dt.date) -> str:
    """在册, 在册（2026-06-30 离任）for a departure still ahead, or 已离任（2026-03-31）."""
    if member.active_to is None:
        return "在册"
    if member.on_roster(today):
        return f"在册（{member.active_to:%Y-%m-%d} 离任）"
    return f"已离任（{member.active_to:%Y-%m-%d}）"


class MemberTableModel(RowTableModel):
    """One row per member in rank order; names are shown exactly as stored."""

    COL_RANK, COL_NAME, COL_POSITION, COL_ROLE, COL_DEPARTMENT, COL_STATUS = range(6)
    HEADERS = ("序号", "姓名", "职务", "角色", "部门", "状态")
    CENTERED = frozenset((COL_RANK,))

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today

    def set_members(self, members: list[Member], today: dt.date) -> None:
        self.beginResetModel()
        self._rows = list(members)
        self._today = today
        self.endResetModel()

    def member(self, row: int) -> Member:
        return self._rows[row]

    def members(self) -> list[Member]:
        return list(self._rows)

    def row_of(self, member_id: int) -> int | None:
        for row, member in enumerate(self._rows):
            if member.id == member_id:
                return row
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        member: Member | None = self.row(index)
        if member is None:
            return None
        column = index.column()
        active = is_active(member, self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_RANK: str(member.rank),
                self.COL_NAME: member.name,
                self.COL_POSITION: member.position,
                self.COL_ROLE: member.role,
                self.COL_DEPARTMENT: member.department,
                self.COL_STATUS: status_text(member, self._today),
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_STATUS:
                joined = (
                    f"{member.active_from:%Y-%m-%d} 加入" if member.active_from else "加入日期未填"
                )
                return f"{status_text(member, self._today)}；{joined}"
            if column in (self.COL_NAME, self.COL_POSITION, self.COL_DEPARTMENT):
                return member.label if column == self.COL_NAME else self.data(index)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if not active:
                return LEFT_COLOR
            if column == self.COL_STATUS:
                return LEAVING_COLOR if member.active_to is not None else ACTIVE_COLOR
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return member
        if role == MemberIdRole:
            return member.id
        if role == ActiveRole:
            return active
        return None


class MemberFilterProxy(QSortFilterProxyModel):
    """Members by state (全部/在册/已离任) and a search over name, position, role, department."""

    SEARCH_COLUMNS = (
        MemberTableModel.COL_NAME,
        MemberTableModel.COL_POSITION,
        MemberTableModel.COL_ROLE,
        MemberTableModel.COL_DEPARTMENT,
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = FILTER_ALL
        self._words: list[str] = []

    def set_state(self, state: str) -> None:
        refilter_rows(self, lambda: setattr(self, "_state", state))

    def set_search(self, text: str) -> None:
        refilter_rows(self, lambda: setattr(self, "_words", text.casefold().split()))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if model is None:
            return False
        active = model.index(source_row, 0, source_parent).data(ActiveRole)
        if self._state == FILTER_ACTIVE and not active:
            return False
        if self._state == FILTER_LEFT and active:
            return False
        if not self._words:
            return True
        text = " ".join(
            str(model.index(source_row, column, source_parent).data() or "")
            for column in self.SEARCH_COLUMNS
        ).casefold()
        return all(word in text for word in self._words)


class MembersView(QWidget):
    """The roster: who belongs to the group, in what order, and who has left."""

    #: The tables this view shows: the window reloads it after a change to one of them.
    SHOWS = frozenset({"members"})

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
        lists: ListsService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("membersView")
        #: The members' years (学习档案); without it the member page is not offered.
        self._lists = lists
        self.year = (clock or service.clock).today().year
        self._service = service
        self._planning = planning
        #: The window's clock (by default the service's): who is on the roster today.
        self.clock = clock or service.clock
        self._last_folder = ""
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)

        self.model = MemberTableModel(self.today, self)
        self.proxy = MemberFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.heading_label = QLabel(self.tr("中心组成员"))
        self.heading_label.setObjectName("panelHeading")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("panelSummary")

        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("memberFilter")
        for key, label in FILTER_LABELS.items():
            self.filter_combo.addItem(self.tr(label), key)
        self.filter_combo.setMinimumContentsLength(5)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("memberSearch")
        self.search_edit.setPlaceholderText(self.tr("搜索姓名、职务、部门"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)

        self.add_button = QPushButton(self.tr("添加…"))
        self.edit_button = QPushButton(self.tr("编辑…"))
        self.import_button = QPushButton(self.tr("导入名单…"))
        self.leave_button = QPushButton(self.tr("离任…"))
        self.restore_button = QPushButton(self.tr("恢复在册"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        self.year_page_button = QPushButton(self.tr("学习档案…"))
        self.year_page_button.setToolTip(self.tr("所选成员本年度的出勤与学习任务完成情况"))
        self.year_page_button.setVisible(lists is not None)
        self.import_button.setToolTip(self.tr("从 Excel 名单（.xlsx 或 .xls）新增或更新成员"))
        self.leave_button.setToolTip(self.tr("登记所选成员离开中心组的日期，历史记录保留"))
        self.restore_button.setToolTip(self.tr("撤销误登记的离任"))
        self.up_button.setToolTip(self.tr("在名单中上移一位（Ctrl+↑）"))
        self.down_button.setToolTip(self.tr("在名单中下移一位（Ctrl+↓）"))
        self.up_button.setShortcut("Ctrl+Up")
        self.down_button.setShortcut("Ctrl+Down")

        self.table = QTableView()
        self.table.setObjectName("memberTable")
        self.table.setModel(self.proxy)
        header = setup_row_table(self.table, 32)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MemberTableModel.COL_POSITION, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (MemberTableModel.COL_RANK, 64),
            (MemberTableModel.COL_NAME, 130),
            (MemberTableModel.COL_ROLE, 100),
            (MemberTableModel.COL_DEPARTMENT, 180),
            (MemberTableModel.COL_STATUS, 200),
        ):
            self.table.setColumnWidth(column, width)

        self.hint_label = QLabel(
            self.tr("双击成员可编辑；离任的成员保留在名单中，以往的考勤和补学记录不受影响。")
        )
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)

        self._layout()
        self.setFocusProxy(self.table)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self.search_edit.textChanged.connect(self.proxy.set_search)
        self.table.doubleClicked.connect(lambda _index: self.edit_member())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.proxy.modelReset.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._update_buttons)
        self.proxy.rowsInserted.connect(self._update_buttons)
        self.proxy.rowsRemoved.connect(self._update_buttons)
        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.import_button.clicked.connect(self.import_roster)
        self.leave_button.clicked.connect(self.deactivate_member)
        self.restore_button.clicked.connect(self.reactivate_member)
        self.up_button.clicked.connect(lambda: self.move_member(-1))
        self.down_button.clicked.connect(lambda: self.move_member(1))
        self.year_page_button.clicked.connect(self.open_member_page)
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading_label)
        top.addSpacing(12)
        top.addWidget(self.summary_label)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("显示")))
        top.addWidget(self.filter_combo)
        top.addWidget(self.search_edit)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.import_button):
            buttons.addWidget(button)
        buttons.addSpacing(16)
        buttons.addWidget(self.leave_button)
        buttons.addWidget(self.restore_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.year_page_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint_label)

    # -- state ----------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.clock.today()

    def refresh(self) -> None:
        """Reload the roster, keeping the selected member selected."""
        selected = self.current_member()
        members = self._service.list_members()
        self.model.set_members(members, self.today)
        active = sum(1 for m in members if is_active(m, self.today))
        left = len(members) - active
        text = self.tr("在册 {n} 人").format(n=active)
        if left:
            text += self.tr("，已离任 {n} 人").format(n=left)
        self.summary_label.setText(text if members else self.tr("名单为空，可添加成员或导入名单"))
        if selected is not None and selected.id is not None:
            self.select_member(selected.id)
        self._update_buttons()

    def current_member(self) -> Member | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        return index.data(ObjectRole)

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, MemberTableModel.COL_NAME))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _filter_changed(self) -> None:
        self.proxy.set_state(self.filter_combo.currentData())

    def _update_buttons(self) -> None:
        member = self.current_member()
        chosen = member is not None
        self.edit_button.setEnabled(chosen)
        self.leave_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen and member.active_to is not None)
        row = self.table.currentIndex().row() if chosen else -1
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and 0 <= row < self.proxy.rowCount() - 1)
        self.year_page_button.setEnabled(chosen)

    def set_year(self, year: int) -> None:
        """The year the member page opens on (the window's year)."""
        self.year = year

    def member_page(self, member: Member):
        """The page of `member`'s year (学习档案), or None without the lists service."""
        from studyplan.gui.members.member_year import MemberYearPage

        if self._lists is None:
            return None
        page = MemberYearPage(
            self._lists, member, self.year, clock=self.clock, undo_stack=self.undo_stack
        )
        page.changed.connect(self.changed.emit)
        return page

    def open_member_page(self) -> None:
        from studyplan.gui.members.member_year import MemberYearDialog

        member = self.current_member()
        page = self.member_page(member) if member is not None else None
        if page is not None:
            MemberYearDialog.show_page(self, page)

    def _written(self, member_id: int | None = None) -> None:
        """A member was added, edited, reordered, left or came back: only the roster."""
        self.refresh()
        if member_id is not None:
            self.select_member(member_id)
        self.changed.emit(frozenset({"members"}))

    # -- commands -------------------------------------------------------------------------
    def add_member(self) -> None:
        joined = self.today if self._service.list_members() else None
        draft = MemberDialog.ask(self, None, today=self.today, joined_default=joined)
        while draft is not None:
            saved = run_action(
                self,
                self.tr("无法添加成员"),
                lambda d=draft: self._service.add_member(
                    d.name, d.position, d.role, d.department, active_from=d.active_from
                ),
            )
            if saved is None:
                draft = MemberDialog.ask(self, draft, today=self.today)
                continue
            if self.filter_combo.currentData() == FILTER_LEFT:
                self.filter_combo.setCurrentIndex(self.filter_combo.findData(FILTER_ALL))
            self.search_edit.clear()
            self._written(saved.id)
            return

    def edit_member(self) -> None:
        member = self.current_member()
        if member is None:
            return
        draft = MemberDialog.ask(self, member, today=self.today)
        while draft is not None:
            saved = run_action(
                self, self.tr("无法保存成员"), lambda d=draft: self._service.update_member(d)
            )
            if saved is None:
                draft = MemberDialog.ask(self, draft, today=self.today)
                continue
            self._written(saved.id)
            return

    def import_roster(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self,
            self.tr("导入成员名单"),
            self._last_folder,
            self.tr("Excel 表格 (*.xlsx *.xls);;所有文件 (*)"),
        )
        if not path:
            return
        self._last_folder = str(Path(path).parent)
        change = run_action(
            self,
            self.tr("导入失败"),
            lambda: do(self._service.import_roster, path, today=self.today),
        )
        if change is None:
            return
        self.refresh()
        push_change(self.undo_stack, change, self, lambda _change: self.refresh())
        ImportReportDialog.show_report(self, change.result)

    def _departure_confirmed(self, member: Member, last_day: dt.date) -> bool:
        """Ask first when sessions after the last day hold the member's records."""
        assert member.id is not None
        days = self._service.days_recorded_after(member.id, last_day)
        if not days:
            return True
        shown = "、".join(f"{d:%Y-%m-%d}" for d in days[:6]) + ("等" if len(days) > 6 else "")
        answer = QMessageBox.question(
            self,
            self.tr("登记离任"),
            self.tr(
                "{name} 在 {days} 的学习中已有考勤、请假或补学记录。最后一天定为 {last:%Y-%m-%d}，"
                "这些场次将不再把其计为应到，这些记录也不再计入考勤、统计和台账（记录本身保留，"
                "恢复在册后重新计入）。确定吗？"
            ).format(name=member.name, days=shown, last=last_day),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def deactivate_member(self) -> None:
        member = self.current_member()
        if member is None or member.id is None:
            return
        member_id = member.id
        last_day = LastDayDialog.ask(self, member, member.active_to or self.today)
        if last_day is None or not self._departure_confirmed(member, last_day):
            return
        run_action(
            self,
            self.tr("无法登记离任"),
            lambda: self._service.deactivate_member(member_id, last_day),
            after=lambda _member: self._written(member_id),
        )

    def reactivate_member(self) -> None:
        member = self.current_member()
        if member is None or member.id is None or member.active_to is None:
            return
        member_id = member.id
        run_action(
            self,
            self.tr("无法恢复在册"),
            lambda: self._service.reactivate_member(member_id),
            after=lambda _member: self._back_on_roster(member_id),
        )

    def _back_on_roster(self, member_id: int) -> None:
        if self.filter_combo.currentData() == FILTER_LEFT:
            self.filter_combo.setCurrentIndex(self.filter_combo.findData(FILTER_ALL))
        self._written(member_id)

    def move_member(self, step: int) -> None:
        """Swap the selected member with the one shown above (step -1) or below (+1)."""
        member = self.current_member()
        if member is None or member.id is None:
            return
        member_id = member.id
        row = self.table.currentIndex().row() + step
        if not 0 <= row < self.proxy.rowCount():
            return
        other = self.proxy.index(row, 0).data(ObjectRole)
        order = [m.id for m in self.model.members() if m.id is not None]
        first, second = order.index(member_id), order.index(other.id)
        order[first], order[second] = order[second], order[first]
        run_action(
            self,
            self.tr("无法调整顺序"),
            lambda: self._service.reorder_members(order),
            after=lambda _none: self._written(member_id),
        )
