"""Donuts of parts of a whole: topic coverage and make-up completion."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QPieSeries,
    QPieSlice,
)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QWidget,
)

from studyplan.gui.stats.charts import MUTED_COLOR, TEXT_COLOR, StatsChart, scaled_font


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
