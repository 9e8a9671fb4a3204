"""The 统计 view: its charts show the statistics service's numbers, its checklist the
compliance report, an empty year says so, and it renders at the sizes screenshots are taken."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QImage

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.demo import build_demo
from studyplan.app.statistics import StatisticsService
from studyplan.gui.stats.charts import EMPTY_TEXT
from studyplan.gui.stats.stats_models import (
    ComplianceModel,
    MarkRole,
    PassedRole,
    TopicCoverageModel,
    topic_line,
)
from studyplan.gui.stats.stats_view import StatsView
from studyplan.model.attendance import MakeupStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import TopicState
from studyplan.model.years import QUARTER_NAMES

#: The demo's own "today": 2025 is a finished year, 2026 nearly so.
TODAY = dt.date(2026, 11, 26)


def _view(qtbot, db, year: int = 2025) -> StatsView:
    view = StatsView(StatisticsService(db), ComplianceService(db), clock=FixedClock.on(TODAY))
    qtbot.addWidget(view)
    view.set_year(year)
    return view


@pytest.fixture
def demo_db(db):
    build_demo(db, year=2025, today=TODAY)
    return db


@pytest.fixture
def view(qtbot, demo_db) -> StatsView:
    return _view(qtbot, demo_db)


def _stats(db, year: int = 2025):
    return StatisticsService(db).year_statistics(year, today=TODAY)


def test_view_builds_on_the_demo_year(view: StatsView) -> None:
    assert view.year == 2025
    assert view.title_label.text() == "2025 年度学习统计"
    assert "统计截至 2026年11月26日" in view.subtitle_label.text()
    assert not view.is_empty and view.empty_label.isHidden()
    for chart in (view.attendance_chart, view.month_chart, view.topic_chart, view.makeup_chart):
        assert not chart.is_empty
        assert chart.chart().animationOptions() == chart.chart().AnimationOption.NoAnimation


def test_attendance_bars_are_the_service_rates_in_rank_order(view: StatsView, demo_db) -> None:
    members = [m for m in _stats(demo_db).members if m.rate is not None]
    bars = view.attendance_chart.bars()
    assert len(bars) == len(members) == 14
    ranked = sorted(members, key=lambda m: -(m.rate or 0))
    assert [name for name, _ in bars] == [m.member.name for m in ranked]
    assert [value for _, value in bars] == pytest.approx([(m.rate or 0) * 100 for m in ranked])
    values = [value for _, value in bars]
    assert values == sorted(values, reverse=True)
    assert view.attendance_chart.name_labels() == [m.member.name for m in ranked]
    assert view.attendance_chart.bar_labels() == [
        f"{int((m.rate or 0) * 100 + 0.5)}%" for m in ranked
    ]
    assert "全组" in view.attendance_chart.chart().title()


def test_members_without_expected_sessions_are_left_out_and_named_in_the_note(
    qtbot, demo_db
) -> None:
    AttendanceService(demo_db).add_member("新成员", "科长", active_from=dt.date(2025, 12, 20))
    view = _view(qtbot, demo_db)
    stats = _stats(demo_db)
    assert sum(m.rate is None for m in stats.members) == 1
    assert len(view.attendance_chart.bars()) == 14
    assert "新成员" not in view.attendance_chart.name_labels()
    assert "另有 1 人无应到场次，未列出" in view.attendance_chart.chart().title()


def test_month_chart_adds_up_to_the_year(view: StatsView, demo_db) -> None:
    stats = _stats(demo_db)
    chart = view.month_chart
    assert chart.totals() == (stats.sessions_held, stats.sessions_planned) == (12, 0)
    held = [chart.held_set.at(i) for i in range(12)]
    assert held == [stats.per_month[(2025, m)].held for m in range(1, 13)]
    assert f"已举行 {stats.sessions_held} 场，计划 {stats.sessions_planned} 场" in (
        chart.chart().title()
    )
    assert chart.quarter_labels() == ["一季度 3场", "二季度 3场", "三季度 3场", "四季度 3场"]
    assert len(chart.month_labels()) == 12


def test_month_chart_stacks_planned_on_held_in_a_running_year(qtbot, db) -> None:
    build_demo(db, year=2026, today=TODAY)
    view = _view(qtbot, db, 2026)
    stats = _stats(db, 2026)
    assert stats.sessions_planned > 0
    assert view.month_chart.totals() == (stats.sessions_held, stats.sessions_planned)
    planned = [view.month_chart.planned_set.at(i) for i in range(12)]
    assert planned == [stats.per_month[(2026, m)].planned for m in range(1, 13)]
    q4 = stats.per_quarter[(2026, 4)]
    assert view.month_chart.quarter_labels()[3] == (f"四季度 {q4.held}/{q4.held + q4.planned}场")


def test_topic_coverage_counts_and_marks(qtbot, db) -> None:
    build_demo(db, year=2026, today=TODAY)
    view = _view(qtbot, db, 2026)
    topics = _stats(db, 2026).topics
    done = sum(t.done for t in topics)
    planned = sum(not t.done and bool(t.planned_dates) for t in topics)
    counts = view.topic_chart.counts()
    assert counts == {
        TopicState.STUDIED.value: done,
        TopicState.SCHEDULED.value: planned,
        TopicState.UNSCHEDULED.value: len(topics) - done - planned,
    }
    assert planned >= 1 and done >= 1
    assert f"{done}/{len(topics)}" in view.topic_chart.chart().title()
    model = view.topic_model
    assert model.rowCount() == len(topics)
    lines = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert lines == [topic_line(t) for t in topics]
    first, last = topics[0], max(topics[0].held_dates)
    assert lines[0] == f"专题{first.topic.number} ✓ {last.month}月{last.day}日"
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "状态：已学习" in tip and f"已举行：{last:%Y-%m-%d}" in tip
    marks = {model.index(r, 0).data(MarkRole) for r in range(model.rowCount())}
    assert marks <= {"✓", "○", "–"} and "○" in marks


def test_makeup_donut_counts_are_the_service_counts(view: StatsView, demo_db) -> None:
    stats = _stats(demo_db)
    counts = view.makeup_chart.counts()
    assert counts == {status.label: stats.makeups[status] for status in MakeupStatus}
    tasks = AttendanceService(demo_db).makeups(today=TODAY, year=2025)
    by_status = Counter(entry.status.label for entry in tasks)
    assert counts == {status.label: by_status.get(status.label, 0) for status in MakeupStatus}
    total = sum(counts.values())
    assert f"共 {total} 项" in view.makeup_chart.chart().title()
    for label in view.makeup_chart.legend_labels():
        name, count, _unit, share = label.split()
        assert share == f"{counts[name] * 100 / total:.0f}%"
        assert int(count) == counts[name]


def test_checklist_shows_every_check_with_its_problems(view: StatsView, demo_db) -> None:
    report = ComplianceService(demo_db).check(2025, today=TODAY)
    model = view.checklist_model
    assert view.compliance_summary.text() == report.summary
    assert model.rowCount() == len(report.results) == 9
    assert not report.ok and any(r.passed for r in report.results)
    for row, result in enumerate(report.results):
        index = model.index(row, 0)
        assert index.data(PassedRole) is result.passed
        assert index.data(MarkRole) == ("✓" if result.passed else "✗")
        assert index.data().startswith(result.title)
        assert index.data(Qt.ItemDataRole.DecorationRole) is not None
        assert model.rowCount(index) == len(result.problems)
        shown = [model.index(i, 0, index).data() for i in range(model.rowCount(index))]
        assert shown == [p.message for p in result.problems]
        assert view.checklist.isExpanded(index) or not result.problems


def test_empty_year_says_so_without_failing(qtbot, db) -> None:
    view = _view(qtbot, db, 2025)
    assert view.is_empty
    assert not view.empty_label.isHidden() and view.empty_label.text() == EMPTY_TEXT
    for chart in (view.attendance_chart, view.month_chart, view.topic_chart, view.makeup_chart):
        assert chart.empty_text == EMPTY_TEXT
    assert view.month_chart.totals() == (0, 0)
    assert view.attendance_chart.bars() == []
    assert view.topic_model.rowCount() == 0
    assert view.checklist_model.rowCount() == 9


def test_switching_years_and_refreshing(qtbot, demo_db) -> None:
    view = _view(qtbot, demo_db, 2025)
    view.set_year(2031)
    assert view.is_empty and view.attendance_chart.bars() == []
    view.set_year(2025)
    assert len(view.attendance_chart.bars()) == 14
    AttendanceService(demo_db).add_member("新成员", "科长", active_from=dt.date(2025, 12, 20))
    view.refresh()
    assert "另有 1 人" in view.attendance_chart.chart().title()


def test_models_pass_the_model_tester(qtmodeltester, view: StatsView) -> None:
    qtmodeltester.check(view.checklist_model)
    qtmodeltester.check(view.topic_model)
    empty_checks, empty_topics = ComplianceModel(), TopicCoverageModel()
    qtmodeltester.check(empty_checks)
    qtmodeltester.check(empty_topics)
    view.checklist_model.set_report(None)
    qtmodeltester.check(view.checklist_model)
    assert not view.checklist_model.index(0, 0).isValid()
    assert not view.checklist_model.parent(QModelIndex()).isValid()


def test_many_refreshes_leave_the_interpreter_sound(view: StatsView) -> None:
    before = sys.getrefcount(None)
    for _ in range(5):
        view.refresh()
    assert sys.getrefcount(None) >= before - 50


@pytest.mark.parametrize("size", [(1280, 760), (1900, 1000)])
def test_renders_for_screenshots(qtbot, demo_db, tmp_path: Path, size) -> None:
    from studyplan.gui.app import application

    application()  # the app's CJK font and style, as the secretary sees them
    view = _view(qtbot, demo_db)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(10)
    # 14 members fit without scrolling; every chart has room to draw.
    assert view.attendance_scroll.verticalScrollBar().maximum() == 0
    for chart in (view.month_chart, view.topic_chart, view.makeup_chart):
        area = chart.chart().plotArea()
        assert area.width() > 150 and area.height() > 120
    out = tmp_path / f"stats-{size[0]}x{size[1]}.png"
    assert view.grab().save(str(out))
    image = QImage(str(out))
    assert (image.width(), image.height()) == size


# -- nothing clipped in the window --------------------------------------------------------
#: 40 characters, the longest name the roster takes.
LONG_NAME = "中共某某市委某某工作领导小组办公室派驻某某科学技术局联络组长欧阳东方明华同志代表"


def _window(qtbot, db, tmp_path: Path, size: tuple[int, int]):
    """The main window on the 统计 view, as the secretary (and `--screenshot`) sees it."""
    from studyplan.app.context import Context
    from studyplan.app.planning import PlanningService
    from studyplan.gui.app import application
    from studyplan.gui.main_window import MainWindow

    application()  # the app's CJK font and style sheet
    services = Context.with_planning(
        PlanningService(db), tmp_path / "档案", clock=FixedClock.on(TODAY)
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(*size)
    view = window.show_view("stats")
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    assert isinstance(view, StatsView) and view.year == 2026
    return view


def _chart_texts(chart) -> list[str]:
    """Every text QtCharts draws in a chart (title, axis labels, legend), as shown."""
    from PySide6.QtWidgets import QGraphicsTextItem

    texts = []
    for item in chart.scene().items():
        text_item = item.toGraphicsObject()
        if (
            isinstance(text_item, QGraphicsTextItem)
            and text_item.isVisible()
            and text_item.defaultTextColor().alpha() > 0  # the names' column keeper
            and text_item.toPlainText().strip()
        ):
            texts.append(text_item.toPlainText())
    return texts


def _assert_nothing_clipped(view: StatsView, names: list[str]) -> None:
    attendance = view.attendance_chart
    assert view.attendance_scroll.verticalScrollBar().maximum() == 0
    charts = (attendance, view.month_chart, view.topic_chart, view.makeup_chart)
    for chart in charts:
        texts = _chart_texts(chart)
        assert texts and not [t for t in texts if "..." in t], texts
    # the value axis is there, with its last label whole
    assert {"0%", "100%"} <= set(_chart_texts(attendance))
    assert attendance.chart().plotArea().width() > 120
    assert any(t.startswith("成员出勤率 · 全组") for t in _chart_texts(attendance))
    quarters = [t for t in _chart_texts(view.month_chart) if t.startswith(QUARTER_NAMES)]
    assert len(quarters) == 4
    for name, shown in zip(names, attendance.name_labels(), strict=True):
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]))
    # every topic line whole, and all of them without scrolling
    topics = view.topic_list
    assert topics.verticalScrollBar().maximum() == 0
    metrics = topics.fontMetrics()
    for row in range(view.topic_model.rowCount()):
        text = view.topic_model.index(row, 0).data()
        assert metrics.horizontalAdvance(text) + 8 <= topics.viewport().width(), text


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1366, 768), (1366, 720), (1280, 740)])
def test_nothing_is_clipped_in_the_window(qtbot, db, tmp_path: Path, size) -> None:
    build_demo(db, year=2026, today=TODAY)
    view = _window(qtbot, db, tmp_path, size)
    names = [name for name, _ in view.attendance_chart.bars()]
    assert len(names) == 14
    _assert_nothing_clipped(view, names)
    assert view.attendance_chart.name_labels() == names


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_a_very_long_name_is_elided_beside_its_bar(qtbot, db, tmp_path: Path, size) -> None:
    build_demo(db, year=2026, today=TODAY)
    AttendanceService(db).add_member(LONG_NAME, "联络组组长")
    view = _window(qtbot, db, tmp_path, size)
    chart = view.attendance_chart
    names = [name for name, _ in chart.bars()]
    assert len(names) == 15 and names[-1] == LONG_NAME
    _assert_nothing_clipped(view, names)
    shown = chart.name_labels()[-1]
    assert shown.endswith("…") and len(shown) < 20
    assert chart._names[0].toolTip().startswith(LONG_NAME)  # the lowest bar's name
    title = chart.chart().title()
    assert "成员出勤率 · 全组" in title and "…" not in title
