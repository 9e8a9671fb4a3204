"""出勤率: one bar per member, sorted, with the rate formula under the title."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import (
    QGraphicsSimpleTextItem,
    QWidget,
)

from studyplan.gui.stats.charts import (
    BAR_COLOR,
    LABEL_ROOM,
    TEXT_COLOR,
    StatsChart,
    percent_text,
    scaled_font,
    style_axis,
)
from studyplan.model.roster import display_name
from studyplan.model.statistics import RATE_FORMULA, MemberAttendance


class AttendanceChart(StatsChart):
    """成员出勤率: one horizontal bar per member in rank order, 0–100 %, the rate on the bar.

    Members with no expected session (rate None) are left out; the title says how many.
    The names are drawn beside the bars rather than as axis labels, which QtCharts would
    elide once the rows are closer than its generous line height. The name axis keeps its
    labels, transparent, only so that QtCharts sets the names' column aside beside the plot
    (chart margins would take the room from the title as well). A name too long for that
    column is elided, and its tooltip, like every bar's, gives it whole.
    """

    MIN_ROW_HEIGHT = 15  # the bars of a larger group get closer down to this, then scroll
    OVERHEAD = 96  # title, note, value axis and margins, until the chart is laid out
    NAME_WIDTH = 150  # the longest name shown before it is elided …
    NAME_SHARE = 0.32  # … or this share of the chart's width, if less
    VALUE_TICKS = (6, 5, 3)  # every 20 %, 25 % or 50 %: the most whose labels fit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: QHorizontalBarSeries | None = None
        self.bar_set: QBarSet | None = None
        self.name_axis: QBarCategoryAxis | None = None
        self.value_axis: QValueAxis | None = None
        self.ranked: list[MemberAttendance] = []
        self.omitted: list[MemberAttendance] = []
        self.labels: list[str] = []  # top to bottom, whole
        self._values: list[QGraphicsSimpleTextItem] = []
        self._names: list[QGraphicsSimpleTextItem] = []
        self._overhead = float(self.OVERHEAD)
        self.chart().legend().hide()

    def _clear(self) -> None:
        super()._clear()
        self.series = self.bar_set = self.name_axis = self.value_axis = None
        self._names, self._values = [], []

    def preferred_height(self) -> int:
        """The least height at which every member's bar and name stay legible."""
        return int(self._overhead + 0.999) + self.MIN_ROW_HEIGHT * max(len(self.ranked), 4)

    def set_members(self, members: Sequence[MemberAttendance], group_rate: float | None) -> None:
        self._clear()
        chart = self.chart()
        self.ranked = sorted(
            (m for m in members if m.rate is not None), key=lambda m: -(m.rate or 0.0)
        )
        self.omitted = [m for m in members if m.rate is None]
        self.labels = member_labels(self.ranked)
        title = "成员出勤率"
        if group_rate is not None:
            title += f" · 全组 {group_rate * 100:.1f}%"
        note = f"由高到低排列；{RATE_FORMULA}"
        if self.omitted and self.ranked:
            note += f"；另有 {len(self.omitted)} 人无应到场次，未列出"
        self.set_title(title, note)

        series = QHorizontalBarSeries()
        series.setBarWidth(0.7)
        bars = QBarSet("出勤率")
        bars.setColor(BAR_COLOR)
        bars.setBorderColor(BAR_COLOR)
        # QHorizontalBarSeries draws the first category at the bottom: lowest rate first.
        for member in reversed(self.ranked):
            bars.append((member.rate or 0.0) * 100)
        series.append(bars)
        chart.addSeries(series)

        names = QBarCategoryAxis()
        style_axis(names, grid=False)
        names.setLabelsColor(QColor(0, 0, 0, 0))
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)

        values = QValueAxis()
        values.setRange(0, 100)
        values.setTickCount(self.VALUE_TICKS[0])
        values.setLabelFormat("%d%%")
        values.setMinorTickCount(1)
        values.setMinorGridLinePen(QPen(QColor("#f1f3f6"), 1))
        style_axis(values)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        self.series, self.bar_set = series, bars
        self.name_axis, self.value_axis = names, values

        name_font = scaled_font(-0.5)
        for member in reversed(self.ranked):
            name = self._text("", name_font, TEXT_COLOR)
            name.setToolTip(_attendance_tip(member))
            self._names.append(name)
            value = self._text(
                percent_text(member.rate or 0.0), scaled_font(-1, bold=True), TEXT_COLOR
            )
            value.setToolTip(_attendance_tip(member))
            self._values.append(value)
        chart.setMargins(QMargins(6, 4, 20, 4))  # room for half of "100%" past the plot
        self._fit_names()
        self.set_empty(not self.ranked)
        self.setMinimumHeight(self.preferred_height())

    def _name_width(self) -> float:
        return min(float(self.NAME_WIDTH), max(60.0, self.width() * self.NAME_SHARE))

    def _fit_names(self) -> None:
        """Elide the names to the column the chart's width allows, and size that column."""
        if self.name_axis is None:
            return
        metrics = QFontMetricsF(self.name_axis.labelsFont())
        width = self._name_width()
        shown: list[str] = []
        for label in self.labels:
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width)
            while text in shown:  # the axis needs distinct categories
                text += "′"
            shown.append(text)
        for item, text in zip(self._names, reversed(shown), strict=True):
            item.setText(text)
        categories = list(reversed(shown)) or [" "]
        if self.name_axis.categories() != categories:
            self.name_axis.clear()
            self.name_axis.append(categories)

    def _fit_ticks(self) -> None:
        """As many value labels as fit: QtCharts gives each an equal share of the axis and
        elides one that is wider ("10...")."""
        axis = self.value_axis
        if axis is None:
            return
        widest = QFontMetricsF(axis.labelsFont()).horizontalAdvance("100%") + LABEL_ROOM
        room = self.chart().plotArea().width()
        ticks = next((n for n in self.VALUE_TICKS if room / n >= widest), self.VALUE_TICKS[-1])
        if axis.tickCount() != ticks:
            axis.setTickCount(ticks)

    def bars(self) -> list[tuple[str, float]]:
        """(member label, value) top to bottom, as the chart shows them."""
        if self.bar_set is None or not self.ranked:
            return []
        values = [self.bar_set.at(i) for i in range(self.bar_set.count())]
        return list(zip(self.labels, reversed(values), strict=True))

    def bar_labels(self) -> list[str]:
        """The text drawn on each bar, top to bottom."""
        return [item.text() for item in reversed(self._values)]

    def name_labels(self) -> list[str]:
        """The names drawn beside the bars, top to bottom."""
        return [item.text() for item in reversed(self._names)]

    def resizeEvent(self, event) -> None:
        self._fit_names()
        super().resizeEvent(event)

    def _place_overlay(self) -> None:
        if self.series is None or self.bar_set is None:
            return
        chart = self.chart()
        area = chart.plotArea()
        if area.height() > 0 and chart.size().height() > area.height():
            # Scroll only when the rows would get closer than MIN_ROW_HEIGHT.
            self._overhead = chart.size().height() - area.height()
            if abs(self.minimumHeight() - self.preferred_height()) > 1:
                self.setMinimumHeight(self.preferred_height())
        self._fit_ticks()
        left = area.left()
        for index, (name, item) in enumerate(zip(self._names, self._values, strict=True)):
            value = self.bar_set.at(index)
            end = chart.mapToPosition(QPointF(value, index), self.series)
            rect = item.boundingRect()
            y = end.y() - rect.height() / 2
            if end.x() - left > rect.width() + 12:
                item.setBrush(QBrush(Qt.GlobalColor.white))
                item.setPos(end.x() - rect.width() - 6, y)
            else:
                item.setBrush(QBrush(TEXT_COLOR))
                item.setPos(end.x() + 4, y)
            box = name.boundingRect()
            name.setPos(left - box.width() - 8, end.y() - box.height() / 2)


def _attendance_tip(row: MemberAttendance) -> str:
    member = row.member
    head = member.label
    return (
        f"{head}\n应到 {row.expected} 次，实到 {row.attended} 次"
        f"（出席 {row.present}，迟到 {row.late}，早退 {row.left_early}）\n"
        f"请假 {row.leave} 次，缺席 {row.absent} 次"
    )


def member_labels(members: Sequence[MemberAttendance]) -> list[str]:
    """Names for the category axis, namesakes told apart as everywhere
    (`model.roster.display_name`); QtCharts needs them distinct, so a label still shared
    gets a prime."""
    shown = [m.member for m in members]
    labels: list[str] = []
    for member in members:
        name = display_name(member.member, shown)
        while name in labels:
            name += "′"
        labels.append(name)
    return labels
