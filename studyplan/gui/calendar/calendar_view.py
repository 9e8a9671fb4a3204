"""The month calendar: a 6 × 7 table model of days, the delegate that paints a day, the view.

The model asks the planning service once per month switch for every session in the visible
six weeks and for each day's working-day facts; painting then reads only what the model holds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from studyplan.app.planning import PlanningService
from studyplan.gui.common import (
    ADJUSTED_WORKDAY_COLOR,
    HOLIDAY_COLOR,
    ROOT,
    STATUS_COLORS,
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
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

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


@dataclass(frozen=True)
class CellFonts:
    """The fonts of a day cell, all derived from the view's font, with their metrics."""

    number: QFont
    number_metrics: QFontMetrics
    small: QFont
    small_metrics: QFontMetrics
    line: QFont
    line_metrics: QFontMetrics
    struck: QFont  # a cancelled session's line
    struck_metrics: QFontMetrics

    @classmethod
    def derive(cls, base: QFont) -> CellFonts:
        number = QFont(base)
        number.setPointSizeF(base.pointSizeF() * 1.08)
        number.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.85)
        line = QFont(base)
        line.setPointSizeF(base.pointSizeF() * 0.9)
        struck = QFont(line)
        struck.setStrikeOut(True)
        return cls(
            number,
            QFontMetrics(number),
            small,
            QFontMetrics(small),
            line,
            QFontMetrics(line),
            struck,
            QFontMetrics(struck),
        )


class DayDelegate(QStyledItemDelegate):
    """Paints one day: number, 班/休 badge, holiday name, one line per session."""

    PADDING = 5
    ACCENT = QColor("#2563eb")
    TEXT = QColor("#1f2937")
    DIM = QColor("#b6bcc6")
    WEEKEND_BG = QColor("#f8fafc")
    HOLIDAY_BG = QColor("#fff4f4")
    OUTSIDE_BG = QColor("#fbfbfc")
    SELECTED_BG = QColor("#eaf1ff")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._font_sets: dict[str, CellFonts] = {}

    def fonts(self, base: QFont) -> CellFonts:
        """The fonts derived from the view's font, made once per font rather than per cell."""
        key = base.key()
        fonts = self._font_sets.get(key)
        if fonts is None:
            fonts = self._font_sets[key] = CellFonts.derive(base)
        return fonts

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        cell = index.data(ObjectRole)
        if not isinstance(cell, DayCell):
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, self._background(cell, selected))
        if selected:
            painter.setPen(QPen(self.ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        inner = rect.adjusted(self.PADDING, self.PADDING - 2, -self.PADDING, -self.PADDING + 2)
        fonts = self.fonts(option.font)
        top = self._paint_heading(painter, fonts, inner, cell)
        if not cell.in_month:
            painter.setOpacity(0.45)
        self._paint_sessions(painter, fonts, inner.adjusted(0, top - inner.top(), 0, 0), cell)
        painter.restore()

    def _background(self, cell: DayCell, selected: bool) -> QColor:
        if selected:
            return self.SELECTED_BG
        if not cell.in_month:
            return self.OUTSIDE_BG
        if not cell.info.is_workday:
            return self.HOLIDAY_BG if cell.info.holiday_name else self.WEEKEND_BG
        return QColor(Qt.GlobalColor.white)

    def _paint_heading(
        self, painter: QPainter, fonts: CellFonts, inner: QRect, cell: DayCell
    ) -> int:
        """Day number, badge and holiday name; returns the y where session lines start."""
        fm = fonts.number_metrics
        text = str(cell.date.day)
        height = fm.height() + 2
        width = max(fm.horizontalAdvance(text) + 12, height)
        number_rect = QRect(inner.left() - 2, inner.top(), width, height)
        rest_day = not cell.info.is_workday
        if cell.is_today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.ACCENT)
            painter.drawRoundedRect(number_rect, height / 2, height / 2)
            color = QColor(Qt.GlobalColor.white)
        elif not cell.in_month:
            color = self.DIM
        elif rest_day:
            color = HOLIDAY_COLOR
        else:
            color = self.TEXT
        painter.setFont(fonts.number)
        painter.setPen(color)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignCenter, text)

        small, small_fm = fonts.small, fonts.small_metrics
        right = inner.right()
        if cell.badge:
            side = small_fm.height() + 2
            badge_rect = QRect(right - side + 1, inner.top() + (height - side) // 2, side, side)
            badge_color = HOLIDAY_COLOR if cell.badge == "休" else ADJUSTED_WORKDAY_COLOR
            if not cell.in_month:
                badge_color = self.DIM
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(badge_color)
            painter.drawRoundedRect(badge_rect, 4, 4)
            painter.setFont(small)
            painter.setPen(QColor(Qt.GlobalColor.white))
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, cell.badge)
            right = badge_rect.left() - 4
        name = short_holiday_name(cell.info.holiday_name)
        if name:
            name_rect = QRect(
                number_rect.right() + 5, inner.top(), right - number_rect.right() - 5, height
            )
            if name_rect.width() > small_fm.horizontalAdvance("…") * 2:
                painter.setFont(small)
                name_color = ADJUSTED_WORKDAY_COLOR if cell.info.is_workday else HOLIDAY_COLOR
                painter.setPen(self.DIM if not cell.in_month else name_color)
                elided = small_fm.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
                painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter, elided)
        return number_rect.bottom() + 5

    def _paint_sessions(
        self, painter: QPainter, fonts: CellFonts, area: QRect, cell: DayCell
    ) -> None:
        line_height = fonts.line_metrics.height() + 4
        gap = 3
        fits = max(0, (area.height() + gap) // (line_height + gap))
        sessions = list(cell.sessions)
        shown = sessions if len(sessions) <= fits else sessions[: max(0, fits - 1)]
        small, small_fm = fonts.small, fonts.small_metrics
        y = area.top()
        for session in shown:
            line = QRect(area.left(), y, area.width(), line_height)
            turnout = cell.turnout.get(session.id)
            label = f"到会 {turnout[0]}/{turnout[1]}" if turnout else ""
            inline = small_fm.horizontalAdvance(label) < (area.width() - 7) // 2
            self._paint_session(painter, fonts, line, session, turnout if inline else None)
            y += line_height + gap
            below = QRect(area.left() + 6, y - gap, area.width() - 6, small_fm.height() + 2)
            if label and not inline and below.bottom() <= area.bottom():
                # A narrow cell (1280 px wide window) shows the turnout under the session.
                painter.setFont(small)
                painter.setPen(STATUS_COLORS[session.status])
                painter.drawText(below, Qt.AlignmentFlag.AlignVCenter, label)
                y = below.bottom() + gap
        hidden = len(sessions) - len(shown)
        if hidden and fits:
            painter.setFont(small)
            painter.setPen(self.TEXT)
            more = QRect(area.left() + 4, y, area.width() - 4, line_height)
            painter.drawText(more, Qt.AlignmentFlag.AlignVCenter, f"另有 {hidden} 场…")

    def _paint_session(
        self,
        painter: QPainter,
        fonts: CellFonts,
        line: QRect,
        session: Session,
        turnout: tuple[int, int] | None,
    ) -> None:
        color = STATUS_COLORS[session.status]
        fill = QColor(color)
        fill.setAlpha(26)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(line, 4, 4)
        painter.setBrush(color)
        painter.drawRoundedRect(QRect(line.left(), line.top(), 3, line.height()), 1.5, 1.5)
        text_rect = line.adjusted(6, 0, -1, 0)
        if turnout is not None:
            painter.setFont(fonts.small)
            label = f"到会 {turnout[0]}/{turnout[1]}"
            label_width = fonts.small_metrics.horizontalAdvance(label)
            if label_width < text_rect.width() // 2:
                painter.setPen(color)
                align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
                painter.drawText(text_rect, align, label)
                text_rect.setRight(text_rect.right() - label_width - 4)
        if session.status is SessionStatus.CANCELLED:
            line_font, metrics = fonts.struck, fonts.struck_metrics
        else:
            line_font, metrics = fonts.line, fonts.line_metrics
        painter.setFont(line_font)
        painter.setPen(color.darker(115))
        text = session_line(session)
        if metrics.horizontalAdvance(text) > text_rect.width():
            text = metrics.elidedText(
                session_line(session, compact=True), Qt.TextElideMode.ElideRight, text_rect.width()
            )
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, text)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(96, 84)


class MonthView(QTableView):
    """The calendar grid. Keys: arrows move, Enter opens, Delete deletes, PageUp/Down page."""

    openRequested = Signal(QModelIndex)
    deleteRequested = Signal(QModelIndex)
    monthStepRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthView")
        self.setItemDelegate(DayDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(48)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        header.setSectionsClickable(False)
        self.doubleClicked.connect(self.openRequested)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_PageUp:
            self.monthStepRequested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.monthStepRequested.emit(1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.currentIndex().isValid():
                self.deleteRequested.emit(self.currentIndex())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.openRequested.emit(self.currentIndex())
        else:
            super().keyPressEvent(event)
            return
        event.accept()
