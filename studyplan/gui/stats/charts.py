"""The four charts of the 统计 view, drawn to be screenshotted into a report.

Every chart is white, unanimated and set in the application's font (so Chinese renders in
the CJK face the app picked). Numbers QtCharts cannot format as a report wants (92%, —, the
total in a donut's hole) are drawn as small text items over the plot and follow its size.
"""

from __future__ import annotations

import html
import re

import shiboken6
from PySide6.QtCharts import (
    QChart,
    QChartView,
    QLegend,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QWidget,
)

from studyplan.model.attendance import MakeupStatus
from studyplan.model.plan import TopicState

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
LABEL_ROOM = 6


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


def style_axis(axis, *, grid: bool = True) -> None:
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
