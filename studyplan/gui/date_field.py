"""The one date field of the window: a date typed whole, or picked from a calendar.

QDateEdit checks every keystroke against its range, so with a narrow range (a make-up done
between its session and today) the digits of 2026-11-20 typed one by one are turned into
another date on the way, silently. This field takes the text as typed (2026-11-20,
2026/11/20, 20261120, 2026年11月20日) and says at OK, or on leaving the field, why a date is
refused; the calendar it pops up offers only the days in range.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QTextCharFormat, QWheelEvent
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QVBoxLayout, QWidget

from studyplan.gui.common import icon, to_qdate
from studyplan.model.years import MAX_YEAR, MIN_YEAR

#: How dates are shown, and the example every sentence about a date gives.
DATE_FORMAT = "%Y-%m-%d"

_NUMBERS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DIGITS = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_date(text: str) -> dt.date | None:
    """The day `text` names (年-月-日 with -, /, . or 年月日, or eight digits), or None."""
    match = _NUMBERS.match(text) or _DIGITS.match(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class Bound:
    """One end of a date field's range and what the day is to the user ("学习日期", "今天");
    an empty name says only the date."""

    day: dt.date
    name: str = ""


def range_problem(day: dt.date, what: str, earliest: Bound, latest: Bound) -> str | None:
    """The sentence refusing `day` for the field `what`, or None if it is in range. The one
    rule every date field applies, whether the date was typed or set."""
    if day < earliest.day:
        return f"{what}不能早于{earliest.name} {earliest.day:{DATE_FORMAT}}。"
    if day > latest.day:
        return f"{what}不能晚于{latest.name} {latest.day:{DATE_FORMAT}}。"
    return None


class _CalendarPopup(QFrame):
    """The month calendar under the field, sized to show all six week rows."""

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setObjectName("dateFieldPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("dateFieldCalendar")
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setGridVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        # Qt's own popup takes the calendar's minimum size, which cuts off the last row of
        # weeks under the style sheet's padding; this one takes the size it asks for.
        hint = self.calendar.sizeHint()
        self.calendar.setMinimumSize(hint.width() + 24, hint.height() + 24)
        self.adjustSize()
        self._range = (dt.date.min, dt.date.max)
        self.calendar.currentPageChanged.connect(self._grey_out)

    def limit(self, earliest: dt.date, latest: dt.date) -> None:
        """Offer only the days from `earliest` to `latest`; the others are greyed."""
        self._range = (earliest, latest)
        self.calendar.setDateRange(to_qdate(earliest), to_qdate(latest))
        self._grey_out(self.calendar.yearShown(), self.calendar.monthShown())

    def _grey_out(self, year: int, month: int) -> None:
        """Grey the days of the shown six weeks that cannot be picked (under the app's style
        sheet Qt paints them like the others, and a click on one does nothing)."""
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears them all
        grey = QTextCharFormat()
        grey.setForeground(QColor("#c0c4cc"))
        first = dt.date(year, month, 1) - dt.timedelta(days=7)
        for offset in range(7 * 7):
            day = first + dt.timedelta(days=offset)
            if not self._range[0] <= day <= self._range[1]:
                self.calendar.setDateTextFormat(to_qdate(day), grey)


class DateField(QLineEdit):
    """A date field: `date()`, `setDate()`, `dateChanged` as QDateEdit has them, and
    `problem()`, the sentence refusing what is typed (None when it is a day in range).

    `date()` is always a day in range: the last one typed or picked. `setDate()` and the
    calendar keep to the range as QDateEdit does; only typed text can be out of it, and the
    dialog asks `problem()` before it takes the answer. Up/Down step a day."""

    dateChanged = Signal(QDate)
    #: The sentence refusing what was typed, when the user leaves the field with it.
    refused = Signal(str)

    def __init__(
        self, day: dt.date | QDate | None = None, what: str = "日期", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dateField")
        self._what = what
        self._earliest = Bound(dt.date(MIN_YEAR, 1, 1))
        self._latest = Bound(dt.date(MAX_YEAR, 12, 31))
        start = _python_day(day) if day is not None else dt.date.min
        self._day = self._clamped(start)
        self.setText(f"{self._day:{DATE_FORMAT}}")
        self.setPlaceholderText("例如 2026-11-20")
        self.setToolTip("按“年-月-日”输入，或点右侧按钮从日历中选择")
        self.setMaxLength(16)
        # A selector, not a bare rule: a bare one would also restyle the calendar popup (a
        # child of the field) and the app's style sheet would no longer reach the field.
        self.setStyleSheet('QLineEdit[refused="true"] { border: 1px solid #dc2626; }')
        self._popup: _CalendarPopup | None = None
        self.popup_action = QAction(icon("chevron-down"), "选择日期", self)
        self.popup_action.triggered.connect(self.show_calendar)
        self.addAction(self.popup_action, QLineEdit.ActionPosition.TrailingPosition)
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)
        width = self.fontMetrics().horizontalAdvance("0000-00-00") + 56
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + 40)

    # -- the QDateEdit part the dialogs use ----------------------------------------------
    def date(self) -> QDate:
        return to_qdate(self._day)

    def day(self) -> dt.date:
        return self._day

    def setDate(self, day: QDate | dt.date) -> None:
        self._set_day(self._clamped(_python_day(day)), show=True)

    def minimumDate(self) -> QDate:
        return to_qdate(self._earliest.day)

    def maximumDate(self) -> QDate:
        return to_qdate(self._latest.day)

    def setDateRange(self, earliest: QDate | dt.date, latest: QDate | dt.date) -> None:
        self.set_range(Bound(_python_day(earliest)), Bound(_python_day(latest)))

    def setMinimumDate(self, earliest: QDate | dt.date) -> None:
        self.set_range(Bound(_python_day(earliest)), self._latest)

    # -- the range and its sentences ----------------------------------------------------
    def set_range(self, earliest: Bound | None = None, latest: Bound | None = None) -> None:
        """The days the field takes, each end with its name for the sentence refusing a day
        beyond it; a missing end is the supported years' (model/years.py)."""
        self._earliest = earliest or Bound(dt.date(MIN_YEAR, 1, 1))
        self._latest = latest or Bound(dt.date(MAX_YEAR, 12, 31))
        typed = parse_date(self.text())
        if typed is not None and self._in_range(typed):
            self._set_day(typed, show=False)
        elif not self._in_range(self._day):
            self._set_day(self._clamped(self._day), show=True)

    def problem(self) -> str | None:
        """Why the text in the field is not taken, in one sentence; None when it is a day in
        range (then `date()` is that day)."""
        typed = parse_date(self.text())
        if typed is None:
            return f"请按“年-月-日”填写{self._what}，例如 2026-11-20。"
        return range_problem(typed, self._what, self._earliest, self._latest)

    def check(self) -> str | None:
        """`problem()`, also shown on the field (red, with the sentence as its tooltip) until
        it is edited: what a dialog asks at OK."""
        problem = self.problem()
        self._mark(problem)
        return problem

    def _in_range(self, day: dt.date) -> bool:
        return range_problem(day, self._what, self._earliest, self._latest) is None

    def _clamped(self, day: dt.date) -> dt.date:
        return min(max(day, self._earliest.day), self._latest.day)

    # -- typing, leaving, picking ---------------------------------------------------------
    def _set_day(self, day: dt.date, *, show: bool) -> None:
        if show:
            self.setText(f"{day:{DATE_FORMAT}}")
            self._mark(None)
        if day != self._day:
            self._day = day
            self.dateChanged.emit(to_qdate(day))

    def _typed(self, text: str) -> None:
        typed = parse_date(text)
        if typed is not None and self._in_range(typed):
            self._set_day(typed, show=False)
        self._mark(None)

    def _finished(self) -> None:
        problem = self.problem()
        if problem is None:
            self.setText(f"{self._day:{DATE_FORMAT}}")
        else:
            self.refused.emit(problem)
        self._mark(problem)

    def _mark(self, problem: str | None) -> None:
        """A refused date shows in red with its sentence as the tooltip until it is edited."""
        refused = problem is not None
        if bool(self.property("refused")) != refused:
            self.setProperty("refused", refused)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setToolTip(problem or "按“年-月-日”输入，或点右侧按钮从日历中选择")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
        if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self._step(step)
            return
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.AltModifier
        ):
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus() and event.angleDelta().y():
            self._step(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def _step(self, days: int) -> None:
        base = parse_date(self.text()) or self._day
        self.setDate(base + dt.timedelta(days=days))

    def show_calendar(self) -> None:
        """Pop up the month calendar under the field (above it near the screen's foot)."""
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.calendar.clicked.connect(self._picked)
            self._popup.calendar.activated.connect(self._picked)
            self._popup.calendar.installEventFilter(self)
        calendar = self._popup.calendar
        self._popup.limit(self._earliest.day, self._latest.day)
        shown = parse_date(self.text())
        calendar.setSelectedDate(to_qdate(shown if shown and self._in_range(shown) else self._day))
        popup = self._popup
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        x = min(max(below.x(), screen.left()), screen.right() - popup.width())
        y = below.y()
        if y + popup.height() > screen.bottom():
            y = max(screen.top(), self.mapToGlobal(QPoint(0, 0)).y() - popup.height())
        popup.move(x, y)
        popup.show()
        calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        if self._popup is not None:
            self._popup.hide()
        self.setDate(day)
        self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._popup is not None
            and watched is self._popup.calendar
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self._popup.hide()
            self.setFocus()
            return True
        return super().eventFilter(watched, event)


def _python_day(day: QDate | dt.date) -> dt.date:
    return day.toPython() if isinstance(day, QDate) else day  # type: ignore[return-value]
