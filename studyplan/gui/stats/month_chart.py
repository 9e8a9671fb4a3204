"""每月学习场次: sessions per month, the quarters banded, each quarter's count below."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import (
    QGraphicsSimpleTextItem,
    QWidget,
)

from studyplan.gui.common import STATUS_COLORS
from studyplan.gui.stats.charts import (
    BAND_COLOR,
    LABEL_ROOM,
    MONTH_LABELS,
    MUTED_COLOR,
    TEXT_COLOR,
    StatsChart,
    scaled_font,
    style_axis,
)
from studyplan.model.plan import SessionStatus
from studyplan.model.statistics import PeriodCount
from studyplan.model.years import QUARTER_NAMES


def quarter_label(name: str, count: PeriodCount) -> str:
    """一季度 3场, or 四季度 1/3场 while some of its sessions are still planned."""
    if count.planned:
        return f"{name} {count.held}/{count.held + count.planned}场"
    return f"{name} {count.held}场"


def _two_lines(label: str) -> str:
    """一季度 3场 as a centred axis label of two lines (QtCharts takes HTML)."""
    head, _, tail = label.partition(" ")
    return f"<div align='center'>{head}<br>{tail}</div>"


class MonthChart(StatsChart):
    """每月学习场次: held and still-planned sessions stacked per month, quarters banded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.held_set: QBarSet | None = None
        self.planned_set: QBarSet | None = None
        self.series: QStackedBarSeries | None = None
        self.quarter_axis: QCategoryAxis | None = None
        self.month_axis: QBarCategoryAxis | None = None
        # The count on each bar segment: (text, month index, on the held part).
        self._labels: list[tuple[QGraphicsSimpleTextItem, int, bool]] = []
        self._quarters: list[tuple[str, PeriodCount]] = []
        legend = self.chart().legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)

    def _clear(self) -> None:
        super()._clear()
        self.series = self.held_set = self.planned_set = None
        self.quarter_axis = self.month_axis = None
        self._labels = []

    def set_counts(
        self,
        months: Sequence[PeriodCount],
        quarters: Sequence[PeriodCount],
        held: int,
        planned: int,
    ) -> None:
        """`months` are January…December, `quarters` the four quarters, both of one year."""
        self._clear()
        chart = self.chart()
        self.set_title(
            f"每月学习场次 · 已举行 {held} 场，计划 {planned} 场",
            "计划：尚未举行、未取消的场次；底纹区分季度",
        )
        series = QStackedBarSeries()
        series.setBarWidth(0.6)
        held_set = QBarSet(SessionStatus.HELD.label)
        planned_set = QBarSet("计划")
        held_set.setColor(STATUS_COLORS[SessionStatus.HELD])
        planned_set.setColor(QColor("#93b4f5"))
        for bar_set in (held_set, planned_set):
            bar_set.setBorderColor(bar_set.color())
        for count in months:
            held_set.append(count.held)
            planned_set.append(count.planned)
        series.append(held_set)
        series.append(planned_set)
        chart.addSeries(series)

        axis_months = QBarCategoryAxis()
        axis_months.append(list(MONTH_LABELS))
        self.month_axis = axis_months
        style_axis(axis_months, grid=False)
        chart.addAxis(axis_months, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_months)

        axis_quarters = QCategoryAxis()
        axis_quarters.setStartValue(-0.5)
        self._quarters = [
            (name, quarters[index] if index < len(quarters) else PeriodCount())
            for index, name in enumerate(QUARTER_NAMES)
        ]
        for index, (name, count) in enumerate(self._quarters):
            axis_quarters.append(quarter_label(name, count), 2.5 + 3 * index)
        axis_quarters.setRange(-0.5, 11.5)
        axis_quarters.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionCenter)
        style_axis(axis_quarters)
        axis_quarters.setLabelsColor(MUTED_COLOR)
        axis_quarters.setGridLinePen(QPen(QColor("#cbd5e1"), 1, Qt.PenStyle.DashLine))
        axis_quarters.setShadesVisible(True)
        axis_quarters.setShadesBrush(QBrush(BAND_COLOR))
        axis_quarters.setShadesPen(QPen(Qt.PenStyle.NoPen))
        chart.addAxis(axis_quarters, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_quarters)

        top = max((c.held + c.planned for c in months), default=0)
        axis_values = QValueAxis()
        axis_values.setRange(0, max(2, top + 1))
        axis_values.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_values.setTickAnchor(0)
        axis_values.setTickInterval(1 if top < 8 else 2)
        axis_values.setLabelFormat("%d")
        axis_values.setTitleText("场次")
        style_axis(axis_values)
        chart.addAxis(axis_values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_values)

        self.series, self.held_set, self.planned_set = series, held_set, planned_set
        self.quarter_axis = axis_quarters
        font = scaled_font(-1, bold=True)
        for index, count in enumerate(months):
            if count.held:
                item = self._text(str(count.held), font, QColor(Qt.GlobalColor.white))
                self._labels.append((item, index, True))
            if count.planned:
                item = self._text(str(count.planned), font, TEXT_COLOR)
                self._labels.append((item, index, False))
        for marker in chart.legend().markers(series):
            marker.setFont(scaled_font(-0.5))
        self.set_empty(held + planned == 0)

    def totals(self) -> tuple[int, int]:
        """(held, planned) summed over the bars."""
        if self.held_set is None or self.planned_set is None:
            return 0, 0
        return (
            int(sum(self.held_set.at(i) for i in range(self.held_set.count()))),
            int(sum(self.planned_set.at(i) for i in range(self.planned_set.count()))),
        )

    def quarter_labels(self) -> list[str]:
        """What the quarter axis says, one line per quarter however it is laid out."""
        if self.quarter_axis is None:
            return []
        return [quarter_label(name, count) for name, count in self._quarters]

    def month_labels(self) -> list[str]:
        return self.month_axis.categories() if self.month_axis else []

    def _fit_month_labels(self) -> None:
        """1月…12月 where there is room, 1…12 in a narrow chart (the quarters stay below)."""
        axis = self.month_axis
        if axis is None:
            return
        room = self.chart().plotArea().width() / 12
        needed = QFontMetricsF(axis.labelsFont()).horizontalAdvance("12月") + 10
        labels = list(MONTH_LABELS) if room >= needed else [str(m) for m in range(1, 13)]
        if axis.categories() != labels:
            axis.clear()
            axis.append(labels)

    def _fit_quarter_labels(self) -> None:
        """一季度 3场 on one line where there is room, else on two (一季度 above 3场): QtCharts
        gives each of the four labels only a fifth of the axis and elides one wider."""
        axis = self.quarter_axis
        if axis is None:
            return
        metrics = QFontMetricsF(axis.labelsFont())
        room = self.chart().plotArea().width() / (len(self._quarters) + 1)
        one_line = [quarter_label(name, count) for name, count in self._quarters]
        fits = max(metrics.horizontalAdvance(text) for text in one_line) + LABEL_ROOM <= room
        wanted = one_line if fits else [_two_lines(text) for text in one_line]
        for old, new in zip(axis.categoriesLabels(), wanted, strict=True):
            if old != new:
                axis.replaceLabel(old, new)

    def _place_overlay(self) -> None:
        if self.series is None or self.held_set is None or self.planned_set is None:
            return
        self._fit_month_labels()
        self._fit_quarter_labels()
        chart = self.chart()
        for item, index, is_held in self._labels:
            held = self.held_set.at(index)
            planned = self.planned_set.at(index)
            low, high = (0.0, held) if is_held else (held, held + planned)
            top = chart.mapToPosition(QPointF(index, high), self.series)
            bottom = chart.mapToPosition(QPointF(index, low), self.series)
            rect = item.boundingRect()
            item.setPos(top.x() - rect.width() / 2, (top.y() + bottom.y()) / 2 - rect.height() / 2)
            item.setVisible(bottom.y() - top.y() >= rect.height() - 2)
