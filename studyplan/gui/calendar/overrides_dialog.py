"""Entering a year's holiday arrangement (调休) from the State Council's notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.planning import PlanningService
from studyplan.gui.common import (
    AnyIndex,
    ObjectRole,
    RowTableModel,
    error_label,
    to_qdate,
    weekday_name,
)
from studyplan.gui.date_field import Bound, DateField
from studyplan.model.errors import StudyplanError
from studyplan.model.plan import CalendarOverride

KIND_WORK, KIND_REST = "上班", "休息"


class OverridesModel(RowTableModel):
    """A year's overrides, editable in place: date, 上班/休息, name."""

    COL_DATE, COL_KIND, COL_NAME = range(3)
    HEADERS = ("日期", "类型", "名称")

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year

    def set_entries(self, entries: Sequence[CalendarOverride]) -> None:
        self.beginResetModel()
        self._rows = sorted(entries, key=lambda e: e.date)
        self.endResetModel()

    def entries(self) -> list[CalendarOverride]:
        return sorted(self._rows, key=lambda e: e.date)

    def add_entry(self, entry: CalendarOverride | None = None) -> int:
        """Append a row (by default a day off after the last one); returns its row."""
        if entry is None:
            last = max((e.date for e in self._rows), default=None)
            if last is None:
                day = dt.date(self.year, 1, 1)
            else:
                day = min(last + dt.timedelta(days=1), dt.date(self.year, 12, 31))
            entry = CalendarOverride(day, is_workday=False)
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(entry)
        self.endInsertRows()
        return row

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry: CalendarOverride | None = self.row(index)
        if entry is None:
            return None
        column = index.column()
        kind = KIND_WORK if entry.is_workday else KIND_REST
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_DATE: f"{entry.date:%Y-%m-%d}  {weekday_name(entry.date)}",
                self.COL_KIND: kind,
                self.COL_NAME: entry.name,
            }.get(column)
        if role == Qt.ItemDataRole.EditRole:
            return {
                self.COL_DATE: to_qdate(entry.date),
                self.COL_KIND: kind,
                self.COL_NAME: entry.name,
            }.get(column)
        if role == ObjectRole:
            return entry
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        entry = self._rows[index.row()]
        column = index.column()
        if column == self.COL_DATE:
            day = value.toPython() if isinstance(value, QDate) else value
            if not isinstance(day, dt.date):
                return False
            entry = CalendarOverride(day, entry.is_workday, entry.name)
        elif column == self.COL_KIND:
            if value not in (KIND_WORK, KIND_REST):
                return False
            entry = CalendarOverride(entry.date, value == KIND_WORK, entry.name)
        elif column == self.COL_NAME:
            entry = CalendarOverride(entry.date, entry.is_workday, str(value).strip())
        else:
            return False
        self._rows[index.row()] = entry
        self.dataChanged.emit(index, index)
        return True


class _OverrideDelegate(QStyledItemDelegate):
    """A date field within the year, and a 上班/休息 chooser."""

    #: The sentence refusing a date typed in a row; the row keeps its date.
    refused = Signal(str)

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._year = year

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() == OverridesModel.COL_DATE:
            editor = DateField(parent=parent)
            editor.setMinimumWidth(0)  # the cell's width, not a form field's
            editor.setMaximumWidth(16777215)
            editor.set_range(Bound(dt.date(self._year, 1, 1)), Bound(dt.date(self._year, 12, 31)))
            return editor
        if index.column() == OverridesModel.COL_KIND:
            editor = QComboBox(parent)
            editor.addItems([KIND_REST, KIND_WORK])
            return editor
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, DateField):
            day = index.data(Qt.ItemDataRole.EditRole)
            if isinstance(day, QDate | dt.date):
                editor.setDate(day)
            return
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, DateField):
            problem = editor.problem()
            if problem:
                self.refused.emit(problem)
                return
            model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class HolidayOverridesDialog(QDialog):
    """The year's arrangement: official or provisional, and the days set by hand."""

    def __init__(self, service: PlanningService, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._year = year
        self.setObjectName("overridesDialog")
        self.setWindowTitle(self.tr("节假日调整 — {year} 年").format(year=year))

        calendar = service.calendar
        notice = calendar.provisional_notice(year)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        if notice:
            self.status_label.setObjectName("noticeLabel")
            self.status_label.setText(f"⚠ {year} 年：{notice}")
        elif calendar.is_official(year):
            self.status_label.setObjectName("okLabel")
            self.status_label.setText(
                self.tr("✓ {year} 年：已载入国务院办公厅公布的节假日安排。").format(year=year)
            )
        else:
            self.status_label.setText(
                self.tr("{year} 年：按法定节假日规则推算。").format(year=year)
            )
        help_label = QLabel(
            self.tr(
                "按国务院办公厅的放假通知逐日录入：放假的日期选“休息”，调休上班的周末选“上班”。"
                "这里的设置优先于内置数据。"
            )
        )
        help_label.setObjectName("hint")
        help_label.setWordWrap(True)

        self.model = OverridesModel(year, self)
        self.model.set_entries([o for o in service.overrides() if o.date.year == year])
        self.table = QTableView()
        self.table.setObjectName("overridesTable")
        self.table.setModel(self.model)
        delegate = _OverrideDelegate(year, self.table)
        self.table.setItemDelegate(delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OverridesModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        # ResizeToContents measures when the rows are first shown, not when rows come later:
        # a year without overrides showed its first 添加一天 as "2027-01-···". Measure again
        # whenever the rows change.
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.dataChanged,
            self.model.modelReset,
        ):
            signal.connect(self._fit_columns)

        self.add_button = QPushButton(self.tr("添加一天"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)

        self.error_label = error_label()
        delegate.refused.connect(self._show_error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(help_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def sizeHint(self) -> QSize:
        return QSize(620, 520)

    def _fit_columns(self, *_changed: object) -> None:
        self.table.horizontalHeader().resizeSections()

    def add_row(self) -> None:
        row = self.model.add_entry()
        index = self.model.index(row, OverridesModel.COL_DATE)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def remove_selected(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.model.remove_rows(rows)

    def accept(self) -> None:
        """Save the year's overrides; a date twice or outside the year keeps the dialog open."""
        entries = self.model.entries()
        seen: set[dt.date] = set()
        for entry in entries:
            if entry.date in seen:
                self._show_error(
                    self.tr("{d} 录入了两次，请删除其中一行。").format(d=f"{entry.date:%Y-%m-%d}")
                )
                return
            seen.add(entry.date)
        try:
            self._service.set_overrides(self._year, entries)
        except StudyplanError as error:
            self._show_error(str(error))
            return
        super().accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @classmethod
    def ask(cls, parent: QWidget | None, service: PlanningService, year: int) -> bool:
        """Show the dialog; True if the overrides were saved."""
        dialog = cls(service, year, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
