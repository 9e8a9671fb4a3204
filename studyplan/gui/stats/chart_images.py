"""The 统计 view's charts filled from a year's numbers, and drawn to PNG files for the annual
report (`app.reports.ChartRenderer`): the view and the report share these functions, so the
pictures in the report are the charts the secretary sees."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from studyplan.gui.common import TOPIC_STATE_COLORS
from studyplan.gui.stats.attendance_chart import AttendanceChart
from studyplan.gui.stats.charts import MAKEUP_COLORS, MAKEUP_ORDER, TOPIC_ORDER, StatsChart
from studyplan.gui.stats.donut_chart import DonutChart
from studyplan.gui.stats.month_chart import MonthChart
from studyplan.gui.stats.stats_models import topic_state
from studyplan.model.statistics import PeriodCount, YearStatistics

#: A chart is laid out this wide (in the app's pixels), so its text prints at about 7 pt
#: when the picture fills the report's 150 mm, and drawn at `SCALE` times that for print.
IMAGE_WIDTH = 720
SCALE = 2.5
#: The donuts are round: narrower pictures, so the page does not hold mostly white.
DONUT_SIZE = QSize(560, 340)
MONTHS_SIZE = QSize(IMAGE_WIDTH, 360)
#: The tallest attendance chart (a large group): it still fits on a page beside its caption.
MAX_HEIGHT = 900


def show_months(chart: MonthChart, stats: YearStatistics, year: int) -> None:
    months = [stats.per_month.get((year, m), PeriodCount()) for m in range(1, 13)]
    quarters = [stats.per_quarter.get((year, q), PeriodCount()) for q in range(1, 5)]
    chart.set_counts(months, quarters, stats.sessions_held, stats.sessions_planned)


def show_topics(chart: DonutChart, stats: YearStatistics) -> None:
    counts = dict.fromkeys(TOPIC_ORDER, 0)
    for item in stats.topics:
        counts[topic_state(item)] += 1
    total = len(stats.topics)
    studied = counts[TOPIC_ORDER[0]]
    chart.set_slices(
        title=f"专题覆盖 · {studied}/{total}" if total else "专题覆盖",
        note="✓ 已学习　○ 已安排　– 未安排",
        slices=[(state.value, counts[state], TOPIC_STATE_COLORS[state]) for state in TOPIC_ORDER],
        center=f"{studied}/{total}",
        caption="已学习",
        unit="个",
    )


def show_makeups(chart: DonutChart, stats: YearStatistics) -> None:
    total = sum(stats.makeups.values())
    chart.set_slices(
        title=f"补学补研 · 共 {total} 项",
        note="请假、缺席均须补学；逾期指过了截止日仍未完成",
        slices=[
            (status.label, stats.makeups.get(status, 0), MAKEUP_COLORS[status])
            for status in MAKEUP_ORDER
        ],
        center=str(total),
        caption="补学任务",
        unit="项",
    )


def _save(widget: StatsChart, size: QSize, path: Path) -> Path:
    widget.resize(size)
    widget.ensurePolished()
    QApplication.sendPostedEvents()
    # A widget never shown gets its resize events (the charts' layout) when first grabbed.
    widget.grab()
    image = QImage(size * SCALE, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # The scene, not the widget: the scene scales to any target, the widget would not.
        source = widget.mapToScene(widget.viewport().rect()).boundingRect()
        widget.scene().render(painter, QRectF(image.rect()), source)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def render_chart_images(stats: YearStatistics, folder: Path) -> Mapping[str, Path]:
    """The four charts of `stats` (a year's) as PNG files in `folder`, by the placeholder
    names of `model.study_report.CHARTS`. Needs a QApplication; runs in the GUI thread."""
    year = stats.year if stats.year is not None else 0
    attendance = AttendanceChart()
    attendance.set_members(stats.members, stats.rate)
    months = MonthChart()
    show_months(months, stats, year)
    topics = DonutChart(legend_below=True)
    show_topics(topics, stats)
    makeups = DonutChart()
    show_makeups(makeups, stats)
    height = min(max(attendance.preferred_height(), 300), MAX_HEIGHT)
    charts: dict[str, tuple[StatsChart, QSize]] = {
        "chart_attendance": (attendance, QSize(IMAGE_WIDTH, height)),
        "chart_months": (months, MONTHS_SIZE),
        "chart_topics": (topics, DONUT_SIZE),
        "chart_makeups": (makeups, DONUT_SIZE),
    }
    written = {}
    try:
        for name, (widget, size) in charts.items():
            written[name] = _save(widget, size, Path(folder) / f"{name}.png")
    finally:
        for widget, _ in charts.values():
            widget.deleteLater()
    return written
