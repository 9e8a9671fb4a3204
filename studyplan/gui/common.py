"""Small helpers the views share: colours, weekday names, labels, date conversions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from importlib import resources

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from studyplan.domain.models import SessionStatus, TopicState

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
