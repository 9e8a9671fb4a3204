"""The 统计 view: a year's attendance, sessions, topics and make-ups as charts, beside the
compliance checklist — the page the secretary screenshots into the year-end report."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.compliance import ComplianceService
from studyplan.app.statistics import StatisticsService
from studyplan.gui.common import AnyIndex
from studyplan.gui.stats.attendance_chart import AttendanceChart
from studyplan.gui.stats.chart_images import show_makeups, show_months, show_topics
from studyplan.gui.stats.charts import (
    EMPTY_TEXT,
    scaled_font,
)
from studyplan.gui.stats.donut_chart import DonutChart
from studyplan.gui.stats.month_chart import MonthChart
from studyplan.gui.stats.stats_models import ComplianceModel, TopicCoverageModel
from studyplan.model.clock import Clock
from studyplan.model.compliance import ComplianceReport
from studyplan.model.statistics import YearStatistics

STYLE = """
QFrame#statsCard {
    background: #ffffff;
    border: 1px solid #e3e6eb;
    border-radius: 6px;
}
QScrollArea#attendanceScroll, QScrollArea#attendanceScroll > QWidget > QWidget {
    background: #ffffff;
    border: none;
}
QScrollArea#statsPage, QScrollArea#statsPage > QWidget > QWidget#statsPageBody {
    background: transparent;
    border: none;
}
QListView#topicCoverageList {
    background: #ffffff;
    border: none;
    border-left: 1px solid #eef0f3;
}
QListView#topicCoverageList::item {
    padding: 0px 4px;
}
QTreeView#complianceList {
    background: #ffffff;
    border: none;
}
QTreeView#complianceList::item {
    padding: 3px 2px;
}
QLabel#statsTitle {
    color: #111827;
}
QLabel#statsSubtitle, QLabel#complianceDate {
    color: #6b7280;
}
QLabel#complianceOk, QLabel#complianceFailed {
    border-radius: 4px;
    padding: 6px 8px;
}
QLabel#complianceOk {
    color: #166534;
    background: #f0fdf4;
    border: 1px solid #bbf7d0;
}
QLabel#complianceFailed {
    color: #991b1b;
    background: #fef2f2;
    border: 1px solid #fecaca;
}
QLabel#statsEmpty {
    color: #9a3412;
    background: #fff7ed;
    border: 1px solid #fed7aa;
    border-radius: 4px;
    padding: 4px 10px;
}
"""


#: The month chart's least height (and the attendance card's) with every label whole.
MONTH_CHART_HEIGHT = 310
#: Topics the coverage list shows without scrolling its own list (the page scrolls instead).
MAX_LISTED_TOPICS = 20


def _card(widget: QWidget) -> QFrame:
    """A white, rounded frame around one chart."""
    card = QFrame()
    card.setObjectName("statsCard")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(widget)
    return card


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped, the way the style will paint it, to the width
    the tree gives them."""

    PADDING = 4  # the item padding of the style sheet, above and below

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self._view.indentation() * depth
        opt.rect = QRect(indent, 0, max(80, self._view.viewport().width() - indent), 1000)
        style = self._view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, self._view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        width = max(40, text_rect.width() - 2 * margin - 2)
        layout = QTextLayout(opt.text, opt.font)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(text_option)
        height = 0.0
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            height += line.height()
        layout.endLayout()
        icon = opt.decorationSize.height() if not opt.icon.isNull() else 0
        return QSize(width, int(max(height, icon) + 0.999) + 2 * self.PADDING)


class ChecklistView(QTreeView):
    """A tree whose wrapped problem lines are laid out again when its width changes."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()


class StatsView(QWidget):
    """A year's statistics (four charts) and its compliance check (a checklist)."""

    #: 季度通报… (True) or 年度报告… (False) was clicked for the year shown.
    report_requested = Signal(int, bool)

    def __init__(
        self,
        statistics: StatisticsService,
        compliance: ComplianceService,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statsView")
        self.setStyleSheet(STYLE)
        self._statistics = statistics
        self._compliance = compliance
        #: The window's clock (by default the statistics service's): the day counted up to.
        self.clock = clock or statistics.clock
        self._year = self.today.year
        self.stats: YearStatistics | None = None
        self.report: ComplianceReport | None = None

        self.title_label = QLabel()
        self.title_label.setObjectName("statsTitle")
        self.title_label.setFont(scaled_font(5, bold=True))
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("statsSubtitle")
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("statsEmpty")
        self.empty_label.hide()
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.title_label)
        header.addWidget(self.subtitle_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.empty_label)
        self.quarter_button = QPushButton(self.tr("季度通报…"))
        self.quarter_button.setToolTip(self.tr("生成本年度某一季度的学习情况通报（Word）"))
        self.quarter_button.clicked.connect(lambda: self.report_requested.emit(self._year, True))
        self.annual_button = QPushButton(self.tr("年度报告…"))
        self.annual_button.setToolTip(self.tr("生成本年度学习情况报告（Word，附统计图）"))
        self.annual_button.clicked.connect(lambda: self.report_requested.emit(self._year, False))
        header.addWidget(self.quarter_button)
        header.addWidget(self.annual_button)

        # 1 成员出勤率: fills the card; scrolls once the group is too large for it.
        self.attendance_chart = AttendanceChart()
        self.attendance_scroll = QScrollArea()
        self.attendance_scroll.setObjectName("attendanceScroll")
        self.attendance_scroll.setWidgetResizable(True)
        self.attendance_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.attendance_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attendance_scroll.setWidget(self.attendance_chart)

        # 2 每月学习场次
        self.month_chart = MonthChart()

        # 3 专题覆盖: a donut and the topics with their marks.
        self.topic_chart = DonutChart(legend_below=True)
        self.topic_model = TopicCoverageModel(self)
        self.topic_list = QListView()
        self.topic_list.setObjectName("topicCoverageList")
        self.topic_list.setModel(self.topic_model)
        self.topic_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.topic_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.topic_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.topic_list.setUniformItemSizes(True)
        self.topic_list.setFont(scaled_font(-1))  # 14 topics fit beside the donut at 1280×800
        self.topic_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.topic_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topic_list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        # 4 补学补研
        self.makeup_chart = DonutChart()

        # 5 合规检查
        heading = QLabel("合规检查")
        heading.setObjectName("panelHeading")
        heading.setFont(scaled_font(1.5, bold=True))
        self.compliance_date = QLabel()
        self.compliance_date.setObjectName("complianceDate")
        self.compliance_summary = QLabel()
        self.compliance_summary.setWordWrap(True)
        #: 提示: what breaks no rule but should be looked at (a session on a rest day).
        self.compliance_notes = QLabel()
        self.compliance_notes.setObjectName("complianceNotes")
        self.compliance_notes.setWordWrap(True)
        self.compliance_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.compliance_notes.setStyleSheet("color: #92400e;")
        self.checklist_model = ComplianceModel(self)
        self.checklist = ChecklistView()
        self.checklist.setObjectName("complianceList")
        self.checklist.setModel(self.checklist_model)
        self.checklist.setItemDelegate(WrappingDelegate(self.checklist))
        self.checklist.setHeaderHidden(True)
        self.checklist.setWordWrap(True)
        self.checklist.setUniformRowHeights(False)
        self.checklist.setRootIsDecorated(False)
        self.checklist.setItemsExpandable(False)
        self.checklist.setIndentation(26)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.checklist.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checklist.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.checklist.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.checklist_model.modelReset.connect(self.checklist.expandAll)

        heading_row = QHBoxLayout()
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.compliance_date)
        compliance_card = QFrame()
        compliance_card.setObjectName("statsCard")
        compliance_layout = QVBoxLayout(compliance_card)
        compliance_layout.setContentsMargins(12, 10, 8, 8)
        compliance_layout.setSpacing(8)
        compliance_layout.addLayout(heading_row)
        compliance_layout.addWidget(self.compliance_summary)
        compliance_layout.addWidget(self.checklist, 1)
        compliance_layout.addWidget(self.compliance_notes)
        compliance_card.setMinimumWidth(300)

        topic_box = QWidget()
        topic_layout = QHBoxLayout(topic_box)
        topic_layout.setContentsMargins(0, 0, 0, 0)
        topic_layout.setSpacing(4)
        topic_layout.addWidget(self.topic_chart, 11)
        topic_layout.addWidget(self.topic_list, 10)

        grid = QGridLayout()
        grid.setSpacing(10)
        # The wide charts (months, topics with their list) share the wider column.
        grid.addWidget(_card(self.attendance_scroll), 0, 0)
        grid.addWidget(_card(self.month_chart), 0, 1)
        grid.addWidget(_card(self.makeup_chart), 1, 0)
        grid.addWidget(_card(topic_box), 1, 1)
        grid.setRowStretch(0, 6)
        grid.setRowStretch(1, 5)
        grid.setColumnStretch(0, 4)
        grid.setColumnStretch(1, 5)

        page_body = QWidget()
        page_body.setObjectName("statsPageBody")
        body = QHBoxLayout(page_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        body.addLayout(grid, 5)
        body.addWidget(compliance_card, 2)
        # A window shorter than the charts need (a 1366×768 screen less the title bar and
        # the panel) scrolls the page, instead of squeezing the charts until QtCharts elides
        # their labels and the topic list hides its last topics.
        self.page = QScrollArea()
        self.page.setObjectName("statsPage")
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page.setWidget(page_body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.page, 1)

        for chart in (self.attendance_chart, self.month_chart, self.topic_chart, self.makeup_chart):
            chart.setMinimumSize(260, 220)
        # What the month chart needs for its month and quarter labels unelided, and the
        # attendance card for the 14 members of a usual group without scrolling.
        self.month_chart.setMinimumHeight(MONTH_CHART_HEIGHT)
        self.attendance_scroll.setMinimumHeight(MONTH_CHART_HEIGHT)
        self.refresh()

    # -- public API ------------------------------------------------------------------------

    @property
    def today(self) -> dt.date:
        return self.clock.today()

    @property
    def year(self) -> int:
        return self._year

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._year = year
            self.refresh()

    def refresh(self) -> None:
        """Read the year's numbers and checks again and redraw everything."""
        year, today = self._year, self.today
        stats = self._statistics.year_statistics(year, today=today)
        report = self._compliance.check(year, today=today)
        self.stats, self.report = stats, report
        self._show_header(stats)
        self.attendance_chart.set_members(stats.members, stats.rate)
        self._show_months(stats)
        self._show_topics(stats)
        self._show_makeups(stats)
        self._show_compliance(report)

    @property
    def is_empty(self) -> bool:
        """Nothing at all this year: no sessions, no plan, no make-ups."""
        stats = self.stats
        return stats is None or (
            stats.sessions_held + stats.sessions_planned == 0
            and not stats.topics
            and not any(stats.makeups.values())
        )

    # -- the parts -------------------------------------------------------------------------

    def _show_header(self, stats: YearStatistics) -> None:
        self.title_label.setText(f"{self._year} 年度学习统计")
        counted = sum(1 for m in stats.members if m.rate is not None)
        parts = [f"统计截至 {self.today:%Y年%m月%d日}"]
        if counted:
            parts.append(f"成员 {counted} 人")
        parts.append(f"已举行 {stats.sessions_held} 场，计划 {stats.sessions_planned} 场")
        if stats.rate is not None:
            parts.append(f"全组出勤率 {stats.rate * 100:.1f}%")
        if any(stats.leave_counts.values()):
            parts.append(
                "请假 "
                + "、".join(
                    f"{label} {n} 人次"
                    for label, n in stats.leave_counts.items()
                    if n or label in ("因公", "因私")
                )
            )
        if stats.makeups_done_late:
            parts.append(f"补学逾期完成 {stats.makeups_done_late} 项")
        self.subtitle_label.setText(" · ".join(parts))
        self.empty_label.setVisible(self.is_empty)

    def _show_months(self, stats: YearStatistics) -> None:
        show_months(self.month_chart, stats, self._year)

    def _show_topics(self, stats: YearStatistics) -> None:
        show_topics(self.topic_chart, stats)
        self.topic_model.set_topics(stats.topics)
        self.topic_list.setVisible(bool(stats.topics))
        # Tall enough for every topic (up to a long plan's worth); the page scrolls instead.
        rows = min(len(stats.topics), MAX_LISTED_TOPICS)
        row_height = self.topic_list.sizeHintForRow(0) if stats.topics else 0
        self.topic_list.setMinimumHeight(rows * row_height + 2 * self.topic_list.frameWidth())

    def _show_makeups(self, stats: YearStatistics) -> None:
        show_makeups(self.makeup_chart, stats)

    def _show_compliance(self, report: ComplianceReport) -> None:
        self.compliance_date.setText(f"截至 {report.today:%Y-%m-%d}")
        self.compliance_summary.setText(report.summary)
        self.compliance_summary.setObjectName("complianceOk" if report.ok else "complianceFailed")
        self.compliance_summary.style().unpolish(self.compliance_summary)
        self.compliance_summary.style().polish(self.compliance_summary)
        self.checklist_model.set_report(report)
        self.compliance_notes.setText("\n".join(f"提示：{n.message}" for n in report.notes))
        self.compliance_notes.setVisible(bool(report.notes))
