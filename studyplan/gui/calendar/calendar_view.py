"""The month calendar on screen: the delegate that paints a day, and the view.

Painting reads only what the model (`month_model`) holds for each cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
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

from studyplan.gui.calendar.month_model import DayCell, session_line, short_holiday_name
from studyplan.gui.common import (
    ADJUSTED_WORKDAY_COLOR,
    HOLIDAY_COLOR,
    STATUS_COLORS,
    AnyIndex,
    ObjectRole,
)
from studyplan.model.plan import Session, SessionStatus


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
        # A session is dragged from its day to another (the model reports the drop). The
        # scroll area passes accepting drops on to its viewport itself: asking Python for the
        # viewport here would cost the start-up a lookup of its type (a few milliseconds).
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(True)

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
