"""The month calendar's model: a 6 × 7 table of days.

It asks the planning service once per month switch for every session in the visible six
weeks and for each day's working-day facts; painting then reads only what the model holds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from studyplan.app.planning import PlanningService
from studyplan.gui.common import (
    ROOT,
    WEEKDAY_NAMES,
    AnyIndex,
    ObjectRole,
    topics_label,
    weekday_name,
)
from studyplan.model.plan import DayInfo, Session, SessionStatus
from studyplan.model.workdays import WorkCalendar
from studyplan.model.years import in_range

ROWS, COLUMNS = 6, 7

#: What a session dragged in the calendar carries: its id, as text.
SESSION_MIME = "application/x-studyplan-session"

#: `turnout(first, last)` -> {session id: (present, expected)} for held sessions in the range.
TurnoutFn = Callable[[dt.date, dt.date], Mapping[int, tuple[int, int]]]


@dataclass(frozen=True)
class DayCell:
    """Everything one calendar cell shows."""

    info: DayInfo
    sessions: tuple[Session, ...]
    in_month: bool
    is_today: bool
    turnout: Mapping[int, tuple[int, int]]

    @property
    def date(self) -> dt.date:
        return self.info.date

    @property
    def badge(self) -> str:
        """班 for a worked weekend (调休上班), 休 for a named day off, else nothing."""
        if self.info.is_adjusted_workday:
            return "班"
        if not self.info.is_workday and self.info.holiday_name:
            return "休"
        return ""


def session_line(session: Session, *, compact: bool = False) -> str:
    """`15:00 专题3`, `15:00 专题1、2`, or `15:00 集中学习` for a session without topics.

    `compact` drops the hour's leading zero (`9:00 专题13、14`) for a narrow cell.
    """
    what = topics_label(session.topic_numbers) or session.form
    if compact:
        return f"{session.start.hour}:{session.start:%M} {what}"
    return f"{session.start:%H:%M} {what}"


def short_holiday_name(name: str) -> str:
    """`国庆节` for `国庆节（观察日）`: the cell is narrow, the tooltip has the full name."""
    return name.split("（", 1)[0].split("(", 1)[0].strip()


def _day_info(calendar: WorkCalendar, day: dt.date) -> DayInfo:
    """What the calendar knows of `day`; for the grid's few days beyond the years it covers
    (the end of December before the first year), a plain weekday or weekend."""
    if in_range(day.year):
        return calendar.day(day)
    return DayInfo(date=day, is_workday=day.weekday() < 5)


def _break_name(calendar: WorkCalendar, info: DayInfo) -> DayInfo:
    """A plain weekend inside a holiday break (春节's Sunday before 除夕, the Saturday between
    two 调休 days) shows as part of the break, named after its holiday: the official list
    names only the days the arrangement moves, and the block would look broken."""
    if info.is_workday or info.holiday_name or not in_range(info.date.year):
        return info
    names: list[str] = []
    for step in (-1, 1):
        day = info.date
        for _ in range(16):  # the longest break is nine days
            day += dt.timedelta(days=step)
            near = _day_info(calendar, day)
            if near.is_workday:
                break
            name = short_holiday_name(near.holiday_name)
            if name and not name.startswith("休息日"):
                names.append(name)
    if not names:
        return info
    festival = Counter(names).most_common(1)[0][0]
    return replace(info, holiday_name=f"{festival}假期")


def grid_start(year: int, month: int) -> dt.date:
    """The Monday on or before the first of the month: the first cell of the grid."""
    first = dt.date(year, month, 1)
    return first - dt.timedelta(days=first.weekday())


def _shows_turnout(session: Session, turnout: Mapping[int, tuple[int, int]]) -> bool:
    """到会 x/y belongs on a held session; a planned one has nobody to count yet."""
    return session.status is SessionStatus.HELD and session.id in turnout


class MonthModel(QAbstractTableModel):
    """Six weeks around a month, Monday first; each cell is a `DayCell`."""

    DateRole = Qt.ItemDataRole.UserRole + 10
    SessionsRole = Qt.ItemDataRole.UserRole + 11
    InMonthRole = Qt.ItemDataRole.UserRole + 12

    #: A day's sessions were dropped on another day: (their ids, the day). The page moves the
    #: one the user means (asking which, when the day had several, and as the edit form
    #: does); the model only reports the gesture.
    sessionDropped = Signal(object, object)

    def __init__(
        self,
        service: PlanningService,
        year: int,
        month: int,
        *,
        today: dt.date,
        turnout: TurnoutFn | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._today = today
        self._turnout = turnout
        self._year, self._month = year, month
        self._cells: list[DayCell] = []
        self._load()

    # -- what is shown ----------------------------------------------------------------
    @property
    def year(self) -> int:
        return self._year

    @property
    def month(self) -> int:
        return self._month

    @property
    def first(self) -> dt.date:
        return self._cells[0].date

    @property
    def last(self) -> dt.date:
        return self._cells[-1].date

    def set_month(self, year: int, month: int) -> None:
        """Show another month: one query, then one dataChanged over the fixed grid."""
        self._year, self._month = year, month
        self.refresh()

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self.refresh()

    def set_turnout(self, turnout: TurnoutFn | None) -> None:
        self._turnout = turnout
        self.refresh()

    def refresh(self) -> None:
        """Reload the visible range (after an edit, or a change of working-day overrides)."""
        self._load()
        self.dataChanged.emit(self.index(0, 0), self.index(ROWS - 1, COLUMNS - 1))

    def _load(self) -> None:
        first = grid_start(self._year, self._month)
        days = [first + dt.timedelta(days=i) for i in range(ROWS * COLUMNS)]
        by_day: dict[dt.date, list[Session]] = {}
        for session in self._service.sessions_between(days[0], days[-1]):
            by_day.setdefault(session.date, []).append(session)
        turnout = dict(self._turnout(days[0], days[-1])) if self._turnout else {}
        calendar = self._service.calendar
        cells = []
        for day in days:
            sessions = tuple(by_day.get(day, ()))
            cells.append(
                DayCell(
                    info=_break_name(calendar, _day_info(calendar, day)),
                    sessions=sessions,
                    in_month=day.month == self._month,
                    is_today=day == self._today,
                    turnout={s.id: turnout[s.id] for s in sessions if _shows_turnout(s, turnout)},
                )
            )
        self._cells = cells

    def cell(self, index: AnyIndex) -> DayCell | None:
        if not index.isValid():
            return None
        return self._cells[index.row() * COLUMNS + index.column()]

    def index_for_date(self, day: dt.date) -> QModelIndex:
        """The cell showing `day`, or an invalid index when it is outside the grid."""
        offset = (day - self.first).days
        if not 0 <= offset < ROWS * COLUMNS:
            return QModelIndex()
        return self.index(offset // COLUMNS, offset % COLUMNS)

    def sessions(self) -> list[Session]:
        """The sessions of the shown month (not of the neighbouring days of the grid)."""
        return [s for c in self._cells if c.in_month for s in c.sessions]

    # -- QAbstractTableModel ----------------------------------------------------------
    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(cell.date.day)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._describe(cell)
        if role == ObjectRole:
            return cell
        if role == self.DateRole:
            return cell.date
        if role == self.SessionsRole:
            return cell.sessions
        if role == self.InMonthRole:
            return cell.in_month
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < COLUMNS:
            if role == Qt.ItemDataRole.DisplayRole:
                return WEEKDAY_NAMES[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return "星期" + WEEKDAY_NAMES[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        cell = self.cell(index)
        if cell is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDropEnabled
        if cell.sessions:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- dragging a session to another day ----------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [SESSION_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        """The dragged day's sessions (which of several moves is asked on the drop)."""
        cells = [c for c in (self.cell(i) for i in indexes) if c is not None and c.sessions]
        ids = [s.id for s in cells[0].sessions if s.id is not None] if cells else []
        if not ids:
            return None
        data = QMimeData()
        data.setData(SESSION_MIME, QByteArray(",".join(map(str, ids)).encode("ascii")))
        return data

    @staticmethod
    def dragged_sessions(data: QMimeData) -> tuple[int, ...]:
        if not data.hasFormat(SESSION_MIME):
            return ()
        text = bytes(data.data(SESSION_MIME).data()).decode("ascii", "replace")
        parts = text.split(",")
        return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else ()

    def canDropMimeData(  # type: ignore[override]
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        target = self.cell(parent) if parent.isValid() else None
        return target is not None and bool(self.dragged_sessions(data))

    def dropMimeData(  # type: ignore[override]
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Sessions dropped on a day: reported through `sessionDropped`; nothing is removed
        from the model here (the page reloads it once the move is saved)."""
        session_ids = self.dragged_sessions(data)
        target = self.cell(parent) if parent.isValid() else None
        if not session_ids or target is None:
            return False
        self.sessionDropped.emit(session_ids, target.date)
        return False

    @staticmethod
    def _describe(cell: DayCell) -> str:
        lines = [
            f"{cell.date.year}年{cell.date.month}月{cell.date.day}日 {weekday_name(cell.date)}"
        ]
        info = cell.info
        if info.is_adjusted_workday:
            lines.append(
                f"调休上班{('（' + info.holiday_name + '）') if info.holiday_name else ''}"
            )
        elif info.holiday_name:
            lines.append(info.holiday_name)
        if info.provisional and not info.is_workday and info.holiday_name:
            lines.append("（节假日安排尚未发布，当前为推算）")
        for session in cell.sessions:
            parts = [session.time_range, topics_label(session.topic_numbers) or session.form]
            if session.location:
                parts.append(session.location)
            parts.append(session.status.label)
            if session.id in cell.turnout:
                present, expected = cell.turnout[session.id]
                parts.append(f"到会 {present}/{expected}")
            lines.append(" · ".join(parts))
        if not cell.sessions:
            lines.append("双击安排学习场次")
        return "\n".join(lines)
