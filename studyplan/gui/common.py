"""Small helpers the views share: colours, weekday names, labels, date conversions, the
file names save dialogs return, and the base of their table models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)

from studyplan.model.plan import Session, SessionStatus, TopicState

#: Monday first, as Chinese wall calendars and the State Council's notices are laid out.
WEEKDAY_NAMES: tuple[str, ...] = ("一", "二", "三", "四", "五", "六", "日")

#: What Qt hands a model as an index.
AnyIndex = QModelIndex | QPersistentModelIndex

#: The invalid index: the parent of every row of a table model.
ROOT = QModelIndex()

#: A role every table model of this package answers with the domain object of the row.
ObjectRole = Qt.ItemDataRole.UserRole + 1

STATUS_COLORS: dict[SessionStatus, QColor] = {
    SessionStatus.PLANNED: QColor("#2563eb"),
    SessionStatus.HELD: QColor("#15803d"),
    SessionStatus.CANCELLED: QColor("#9ca3af"),
}

TOPIC_STATE_COLORS: dict[TopicState, QColor] = {
    TopicState.UNSCHEDULED: QColor("#b45309"),
    TopicState.SCHEDULED: QColor("#2563eb"),
    TopicState.STUDIED: QColor("#15803d"),
}

HOLIDAY_COLOR = QColor("#dc2626")
ADJUSTED_WORKDAY_COLOR = QColor("#475569")
NOTICE_COLOR = QColor("#c2410c")


def weekday_name(day: dt.date) -> str:
    """星期一 … 星期日."""
    return "星期" + WEEKDAY_NAMES[day.weekday()]


def topics_label(numbers: Iterable[int]) -> str:
    """`专题3`, `专题1、2`, or an empty string for a session without topics."""
    listed = "、".join(str(n) for n in numbers)
    return f"专题{listed}" if listed else ""


def session_label(session: Session) -> str:
    """`2026-03-12 15:00 专题1、2`: a session as pickers and tables name it."""
    what = topics_label(session.topic_numbers) or session.form
    return f"{session.date:%Y-%m-%d} {session.start:%H:%M} {what}"


def error_label() -> QLabel:
    """A dialog's line for the sentence refusing what was typed: styled by its object name,
    wrapped, hidden until there is something to say."""
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.hide()
    return label


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def month_title(year: int, month: int) -> str:
    return f"{year}年{month}月"


def add_months(year: int, month: int, step: int) -> tuple[int, int]:
    """The (year, month) `step` months away."""
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def icons_folder() -> str:
    """The folder of the bundled SVG icons, as a path Qt and style sheets can read."""
    return str(resources.files("studyplan.resources").joinpath("icons")).replace("\\", "/")


def icon(name: str) -> QIcon:
    """A bundled icon by file stem, e.g. `icon("chevron-left")`."""
    return QIcon(f"{icons_folder()}/{name}.svg")


def alignment(centered: bool) -> int:
    """Centred or left-aligned text, vertically centred, as a TextAlignmentRole value."""
    horizontal = Qt.AlignmentFlag.AlignCenter if centered else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


def demibold_font() -> QFont:
    """The default font at DemiBold weight, for a FontRole."""
    font = QFont()
    font.setWeight(QFont.Weight.DemiBold)
    return font


def refilter_rows(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Apply `change` to a proxy's filter state and filter its rows again.

    The pair is asked for by its second half: Qt 6.9 (the newest PySide6 for glibc 2.28, as
    on Kylin V10 and UOS 20) has beginFilterChange but not endFilterChange, which came in 6.10.
    """
    if hasattr(proxy, "endFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        change()
        proxy.invalidateRowsFilter()


def with_suffix_added(path: Path, allowed_suffixes: Iterable[str], default: str) -> Path:
    """`path` as it is when its suffix is one of `allowed_suffixes` (any case), else with
    `default` appended: a dot in the name is part of the name, so `2026.11.12签到表` becomes
    `2026.11.12签到表.pdf`, never `2026.11.pdf`."""
    if path.suffix.lower() in {suffix.lower() for suffix in allowed_suffixes}:
        return path
    return path.with_name(path.name + default)


def save_target(
    parent: QWidget, chosen: str | Path, allowed_suffixes: Iterable[str], default: str
) -> Path | None:
    """The file to write for a name a save dialog returned, its suffix added where missing.

    The dialog asked about replacing the name as typed only; when the added suffix names a
    file that exists, the user is asked here. None when they will not replace it."""
    typed = Path(chosen)
    path = with_suffix_added(typed, allowed_suffixes, default)
    if path != typed and path.exists():
        answer = QMessageBox.question(
            parent,
            parent.tr("替换文件"),
            parent.tr("文件 {name} 已存在，要替换它吗？").format(name=path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    return path


def setup_row_table(table: QTableView, row_height: int) -> QHeaderView:
    """Set up a table of whole rows: one row selected at a time, read-only, alternating row
    colours, unwrapped text elided on the right, Tab moving on to the next control, no row
    numbers, rows `row_height` pixels high and column headers aligned left. Returns the
    column header."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setTabKeyNavigation(False)  # Tab leaves for the next control; arrows move within
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return header


class RowTableModel(QAbstractTableModel):
    """A table over a list of row objects under fixed column headers.

    Subclasses set HEADERS and say in `data` what each cell shows. With CENTERED set, cells
    and header sections of those columns are centred and the others left-aligned; without
    it, the header's alignment is left to the view.
    """

    HEADERS: tuple[str, ...] = ()
    CENTERED: frozenset[int] | None = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: AnyIndex) -> Any:
        """The row object at `index`, or None for an invalid index or one past the rows."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def _alignment(self, column: int) -> int | None:
        if self.CENTERED is None:
            return None
        return alignment(column in self.CENTERED)

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
        return None
