"""The four charts of the 统计 view, drawn to be screenshotted into a report.

Every chart is white, unanimated and set in the application's font (so Chinese renders in
the CJK face the app picked). Numbers QtCharts cannot format as a report wants (92%, —, the
total in a donut's hole) are drawn as small text items over the plot and follow its size.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import shiboken6
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLegend,
    QPieSeries,
    QPieSlice,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QWidget,
)

from studyplan.gui.common import STATUS_COLORS
from studyplan.model.attendance import MakeupStatus
from studyplan.model.plan import SessionStatus, TopicState
from studyplan.model.statistics import RATE_FORMULA, MemberAttendance, PeriodCount
from studyplan.model.years import QUARTER_NAMES

EMPTY_TEXT = "本年度暂无数据"
MONTH_LABELS: tuple[str, ...] = tuple(f"{m}月" for m in range(1, 13))

TEXT_COLOR = QColor("#1f2937")
MUTED_COLOR = QColor("#6b7280")
GRID_COLOR = QColor("#e5e7eb")
BAND_COLOR = QColor("#f3f6fa")
BAR_COLOR = QColor("#2563eb")

MAKEUP_COLORS: dict[MakeupStatus, QColor] = {
    MakeupStatus.PENDING: QColor("#2563eb"),
    MakeupStatus.OVERDUE: QColor("#dc2626"),
    MakeupStatus.DONE: QColor("#15803d"),
}
#: The order the make-up donut lists its slices in.
MAKEUP_ORDER = (MakeupStatus.DONE, MakeupStatus.PENDING, MakeupStatus.OVERDUE)
#: The order the topic donut lists its slices in.
TOPIC_ORDER = (TopicState.STUDIED, TopicState.SCHEDULED, TopicState.UNSCHEDULED)
#: QtCharts gives each label of a horizontal axis an equal share of its width (the plot's
#: width over the number of ticks, or categories + 1) and elides one that needs more than
#: its text's advance plus about 4 px (padding and text margins; measured, plus 2 to spare).
_LABEL_ROOM = 6


def base_font() -> QFont:
    """The application's font (the CJK face `gui.app` picked), never a pixel-sized one."""
    font = QFont(QApplication.font())
    if font.pointSizeF() <= 0:
        font.setPointSizeF(10)
    return font


def scaled_font(delta: float = 0.0, *, bold: bool = False) -> QFont:
    font = base_font()
    font.setPointSizeF(max(7.0, font.pointSizeF() + delta))
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    return font


def percent_text(fraction: float) -> str:
    """92%, from 0.9166…; rounding half up as a report reads it."""
    return f"{int(fraction * 100 + 0.5)}%"


#: Where a title or note may break: after "；" (kept on the line), or at " · " (dropped).
_BREAKS = re.compile("(?<=；)|(?= · )")


def wrap_text(text: str, font: QFont, width: float) -> list[str]:
    """`text` in lines no wider than `width`: broken after "；" or at " · " where it can be,
    else between any two characters (as Chinese may be)."""
    metrics = QFontMetricsF(font)
    lines: list[str] = []
    line = ""
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if line and metrics.horizontalAdvance(line + piece) > width:
            lines.append(line)
            piece = piece.removeprefix(" · ")
            line = ""
        line += piece
        while metrics.horizontalAdvance(line) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and metrics.horizontalAdvance(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def chart_title(title: str, note: str = "", width: float | None = None) -> str:
    """A chart title with an optional grey line of explanation under it (QChart takes HTML),
    both wrapped to `width` so that QtCharts, which elides a title too wide for the chart,
    never has to."""
    muted = MUTED_COLOR.name()
    note_font = scaled_font(-1)
    if width is None:
        title_lines, note_lines = [title], [note] if note else []
    else:
        title_lines = wrap_text(title, scaled_font(1.5, bold=True), width)
        note_lines = wrap_text(note, note_font, width) if note else []
    text = "<br>".join(html.escape(line, quote=False) for line in title_lines)
    if not note_lines:
        return text
    size = note_font.pointSizeF()
    notes = "<br>".join(html.escape(line, quote=False) for line in note_lines)
    return (
        f"{text}<br><span style='font-size:{size:g}pt;font-weight:normal;color:{muted}'>"
        f"{notes}</span>"
    )


def _style_axis(axis, *, grid: bool = True) -> None:
    axis.setLabelsFont(scaled_font(-0.5))
    axis.setLabelsColor(TEXT_COLOR)
    axis.setTitleFont(scaled_font(-0.5))
    axis.setLinePen(QPen(QColor("#9ca3af"), 1))
    axis.setGridLineVisible(grid)
    axis.setGridLinePen(QPen(GRID_COLOR, 1))


class StatsChart(QChartView):
    """A chart view set up for reports: white, no animation, the app's fonts, a title that
    wraps rather than being cut, and a centred sentence when there is nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeLight)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundBrush(QBrush(Qt.GlobalColor.white))
        chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        chart.setBackgroundRoundness(0)
        chart.setDropShadowEnabled(False)
        chart.setMargins(QMargins(6, 4, 6, 4))
        chart.setTitleFont(scaled_font(1.5, bold=True))
        chart.setTitleBrush(QBrush(TEXT_COLOR))
        legend = chart.legend()
        legend.setFont(scaled_font(-0.5))
        legend.setLabelColor(TEXT_COLOR)
        legend.setMarkerShape(QLegend.MarkerShape.MarkerShapeRectangle)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(Qt.GlobalColor.white))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty_item = QGraphicsSimpleTextItem(EMPTY_TEXT, chart)
        self.empty_item.setFont(scaled_font(1))
        self.empty_item.setBrush(QBrush(MUTED_COLOR))
        self.empty_item.setZValue(20)
        self.empty_item.hide()
        self._overlay: list[QGraphicsItem] = []
        self._title = ("", "")
        chart.plotAreaChanged.connect(self._place)

    @property
    def is_empty(self) -> bool:
        return self.empty_item.isVisible()

    @property
    def empty_text(self) -> str:
        return self.empty_item.text() if self.empty_item.isVisible() else ""

    def set_title(self, title: str, note: str = "") -> None:
        """Show `title` with a grey `note` under it, each wrapped to the chart's width."""
        self._title = (title, note)
        self._fit_title()

    def _fit_title(self) -> None:
        chart = self.chart()
        margins = chart.margins()
        # Before the first layout the chart has no size yet: assume the narrowest it gets.
        width = max(chart.size().width(), float(self.minimumWidth()), 200.0)
        room = width - margins.left() - margins.right() - 12  # the title's text margins
        text = chart_title(*self._title, width=room) if self._title[0] else ""
        if chart.title() != text:
            chart.setTitle(text)

    def set_empty(self, empty: bool, text: str = EMPTY_TEXT) -> None:
        self.empty_item.setText(text)
        self.empty_item.setVisible(empty)
        self._place()

    def _clear(self) -> None:
        """Remove every series and axis (the chart is rebuilt on each refresh)."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        for item in self._overlay:
            shiboken6.delete(item)  # leaves the chart and the scene with it
        self._overlay = []

    def _text(self, text: str, font: QFont, color: QColor) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text, self.chart())
        item.setFont(font)
        item.setBrush(QBrush(color))
        item.setZValue(10)
        self._overlay.append(item)
        return item

    def _place(self) -> None:
        area = self.chart().plotArea()
        if self.empty_item.isVisible():
            rect = self.empty_item.boundingRect()
            self.empty_item.setPos(area.center() - QPointF(rect.width() / 2, rect.height() / 2))
        self._place_overlay()

    def _place_overlay(self) -> None:
        """Put the overlay text where the series now are (subclasses)."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_title()
        self._place()


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
        _style_axis(names, grid=False)
        names.setLabelsColor(QColor(0, 0, 0, 0))
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)

        values = QValueAxis()
        values.setRange(0, 100)
        values.setTickCount(self.VALUE_TICKS[0])
        values.setLabelFormat("%d%%")
        values.setMinorTickCount(1)
        values.setMinorGridLinePen(QPen(QColor("#f1f3f6"), 1))
        _style_axis(values)
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
        widest = QFontMetricsF(axis.labelsFont()).horizontalAdvance("100%") + _LABEL_ROOM
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
    head = f"{member.name}（{member.position}）" if member.position else member.name
    return (
        f"{head}\n应到 {row.expected} 次，实到 {row.attended} 次"
        f"（出席 {row.present}，迟到 {row.late}，早退 {row.left_early}）\n"
        f"请假 {row.leave} 次，缺席 {row.absent} 次"
    )


def member_labels(members: Sequence[MemberAttendance]) -> list[str]:
    """Names for the category axis; QtCharts needs them distinct, so a shared name gets the
    member's department (or position) and, failing that, a number."""
    names = [m.member.name for m in members]
    labels: list[str] = []
    for member, name in zip(members, names, strict=True):
        if names.count(name) > 1:
            extra = member.member.department or member.member.position
            name = f"{name}（{extra}）" if extra else name
        while name in labels:
            name += "′"
        labels.append(name)
    return labels


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
        _style_axis(axis_months, grid=False)
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
        _style_axis(axis_quarters)
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
        _style_axis(axis_values)
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
        fits = max(metrics.horizontalAdvance(text) for text in one_line) + _LABEL_ROOM <= room
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


class DonutChart(StatsChart):
    """A donut of a few counted states: each slice's count on it, the total in the hole, and
    a legend of its own (name, count, share), drawn beside or under the donut so that
    QtCharts never elides it."""

    SWATCH = 10
    HOLE = 0.56  # the hole's share of the donut's diameter
    MAX_DIAMETER = 280.0  # a larger donut only dwarfs its legend

    def __init__(self, parent: QWidget | None = None, *, legend_below: bool = False) -> None:
        super().__init__(parent)
        self.series: QPieSeries | None = None
        self.center_item: QGraphicsSimpleTextItem | None = None
        self.caption_item: QGraphicsSimpleTextItem | None = None
        self.legend_below = legend_below
        self._legend: list[tuple[QGraphicsRectItem, list[QGraphicsSimpleTextItem]]] = []
        self._slices: list[tuple[str, int]] = []
        self._radius = 0.0
        self._total = 0
        self.chart().legend().hide()

    def _clear(self) -> None:
        super()._clear()
        self.series = self.center_item = self.caption_item = None
        self._legend = []

    def set_slices(
        self,
        title: str,
        note: str,
        slices: Sequence[tuple[str, int, QColor]],
        center: str,
        caption: str,
        unit: str,
    ) -> None:
        self._clear()
        chart = self.chart()
        self.set_title(title, note)
        total = sum(value for _, value, _ in slices)
        self._slices = [(label, value) for label, value, _ in slices]
        series = QPieSeries()
        series.setPieSize(0.9)
        series.setHoleSize(0.9 * self.HOLE)
        label_font = scaled_font(-0.5, bold=True)
        for label, value, color in slices:
            piece = series.append(label, value)
            piece.setColor(color)
            piece.setBorderColor(Qt.GlobalColor.white)
            piece.setBorderWidth(2)
            piece.setLabel(str(value))
            piece.setLabelFont(label_font)
            piece.setLabelColor(Qt.GlobalColor.white)
            piece.setLabelPosition(QPieSlice.LabelPosition.LabelInsideNormal)
            # A count on a slice only where it adds something: not on a whole ring.
            piece.setLabelVisible(0 < value < total and value / total >= 0.06)
        chart.addSeries(series)
        self.series = series

        font = scaled_font(-0.5)
        for label, value, color in slices:
            swatch = QGraphicsRectItem(0, 0, self.SWATCH, self.SWATCH, chart)
            swatch.setBrush(QBrush(color))
            swatch.setPen(QPen(Qt.PenStyle.NoPen))
            self._overlay.append(swatch)
            share = f"{value * 100 / total:.0f}%" if total else "—"
            texts = [label, f"{value} {unit}", share]
            if self.legend_below:
                texts = [f"{label} {value}"]
            items = [self._text(t, font, TEXT_COLOR) for t in texts]
            for item in (swatch, *items):
                item.setVisible(total > 0)
            self._legend.append((swatch, items))

        self.center_item = self._text(center, scaled_font(4, bold=True), TEXT_COLOR)
        self.caption_item = self._text(caption, scaled_font(-1), MUTED_COLOR)
        self._total = total
        self.center_item.setVisible(total > 0)
        self.caption_item.setVisible(total > 0)
        self.set_empty(total == 0)

    def counts(self) -> dict[str, int]:
        """Slice counts by state label, read back from the series."""
        if self.series is None:
            return {}
        return {
            label: int(piece.value())
            for (label, _), piece in zip(self._slices, self.series.slices(), strict=True)
        }

    def legend_labels(self) -> list[str]:
        """Each legend row as one line of text."""
        return [" ".join(item.text() for item in texts) for _, texts in self._legend]

    def _columns(self) -> list[float]:
        """Widths of the legend's columns (name, count, share) beside the donut."""
        widths: list[float] = []
        for _, texts in self._legend:
            for column, item in enumerate(texts):
                width = item.boundingRect().width()
                if column < len(widths):
                    widths[column] = max(widths[column], width)
                else:
                    widths.append(width)
        return widths

    def _legend_size(self) -> tuple[float, float]:
        if not self._legend:
            return 0.0, 0.0
        row = max(item.boundingRect().height() for _, texts in self._legend for item in texts)
        if self.legend_below:
            width = sum(
                self.SWATCH + 6 + texts[0].boundingRect().width() + 16 for _, texts in self._legend
            )
            return width - 16, row
        columns = self._columns()
        return self.SWATCH + 8 + sum(columns) + 14 * (len(columns) - 1), row * len(self._legend)

    def _fit_pie(self, area: QRectF, legend_width: float, legend_height: float) -> QPointF:
        """Size and place the donut in the plot area beside (or above) the legend; returns
        its centre."""
        series = self.series
        if series is None or area.width() <= 0 or area.height() <= 0:
            return area.center()
        side = min(area.width(), area.height())
        if self.legend_below:
            room_w, room_h = area.width(), area.height() - legend_height - 10
        else:
            room_w, room_h = area.width() - legend_width - 28, area.height()
        diameter = max(40.0, min(room_w * 0.92, room_h * 0.92, self.MAX_DIAMETER))
        # Both sizes are fractions of the plot area, so the hole follows the ring.
        size = min(1.0, diameter / side)
        series.setPieSize(size)
        series.setHoleSize(size * self.HOLE)
        self._radius = diameter / 2
        if self.legend_below:
            center = QPointF(area.center().x(), area.top() + room_h / 2)
        else:
            gap = max(0.0, (room_w - diameter) / 3)
            center = QPointF(area.left() + gap + diameter / 2, area.center().y())
        series.setHorizontalPosition((center.x() - area.left()) / area.width())
        series.setVerticalPosition((center.y() - area.top()) / area.height())
        return center

    def _place_overlay(self) -> None:
        if self.center_item is None or self.caption_item is None:
            return
        area = self.chart().plotArea()
        width, total_height = self._legend_size()
        center = self._fit_pie(area, width, total_height)
        big = self.center_item.boundingRect()
        small = self.caption_item.boundingRect()
        # The caption goes where the hole has room for it, the number always.
        hole = 2 * self._radius * self.HOLE
        self.caption_item.setVisible(self._total > 0 and small.width() <= hole - 10)
        if not self.caption_item.isVisible():
            small = QRectF()
        height = big.height() + small.height() - 4
        self.center_item.setPos(center.x() - big.width() / 2, center.y() - height / 2)
        self.caption_item.setPos(
            center.x() - small.width() / 2, center.y() - height / 2 + big.height() - 4
        )
        if self.legend_below:
            x = center.x() - width / 2
            y = area.bottom() - total_height
            for swatch, texts in self._legend:
                rect = texts[0].boundingRect()
                swatch.setPos(x, y + (rect.height() - self.SWATCH) / 2)
                texts[0].setPos(x + self.SWATCH + 6, y)
                x += self.SWATCH + 6 + rect.width() + 16
            return
        columns = self._columns()
        row = total_height / len(self._legend)
        y = center.y() - total_height / 2
        left = min(area.right() - width, center.x() + self._radius + 24)
        for swatch, texts in self._legend:
            x = left
            swatch.setPos(x, y + (row - self.SWATCH) / 2)
            x += self.SWATCH + 8
            for column, item in enumerate(texts):
                # Names left-aligned, numbers right-aligned in their columns.
                offset = 0.0 if column == 0 else columns[column] - item.boundingRect().width()
                item.setPos(x + offset, y)
                x += columns[column] + 14
            y += row
