"""The quarterly and annual reports: their numbers are the ledger's for the same span."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.demo import build_demo
from studyplan.app.ledger import collect
from studyplan.app.reports import ReportService
from studyplan.model.errors import ValidationError
from studyplan.model.plan import SessionStatus
from studyplan.model.study_report import CHARTS, PLACEHOLDERS, ReportPeriod

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def demo(db):
    build_demo(db, year=2025, years=2, members=14, today=TODAY)
    return db


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_quarter_numbers_equal_the_ledgers(demo, quarter):
    ledger = collect(demo, 2025, TODAY)
    report = ReportService(demo).report(2025, quarter, TODAY)
    first, last = report.period.first, report.period.last
    held = [s for s in ledger.held if first <= s.date <= last]
    assert held, "the demo holds a session every quarter"

    count = ledger.stats.per_quarter[(2025, quarter)]
    assert (report.sessions_held, report.sessions_planned) == (count.held, count.planned)
    assert [r.date for r in report.held] == [s.date for s in held]
    assert report.expected == sum(ledger.counts[s.id].expected for s in held)
    assert report.attended == sum(ledger.counts[s.id].attended for s in held)
    for row, session in zip(report.held, held, strict=True):
        counts = ledger.counts[session.id]
        assert (row.attended, row.expected) == (counts.attended, counts.expected)

    # Per member: the ledger's 考勤表 marks of the quarter's sessions, tallied.
    by_name = {row.name: row for row in report.members}
    for tally in ledger.stats.members:
        member = tally.member
        marks = [ledger.marks.get((s.id, member.id)) for s in held if member.expected_on(s.date)]
        row = by_name[member.name]
        assert row.expected == len(marks)
        for field in ("present", "late", "left_early", "leave", "absent"):
            assert getattr(row, field) == sum(1 for m in marks if m and m.value == field)

    # Make-ups: the ledger's tasks of the quarter's sessions, by state.
    tasks = [e for e in ledger.makeups if first <= e.session.date <= last]
    for label in ("已完成", "待完成", "已逾期"):
        assert report.makeups[label] == sum(1 for e in tasks if e.status.label == label)
    assert len(report.leave) == sum(1 for e in ledger.leave if first <= e.session.date <= last)


def test_the_annual_report_is_the_ledgers_year(demo):
    ledger = collect(demo, 2025, TODAY)
    report = ReportService(demo).report(2025, None, TODAY)
    stats = ledger.stats
    assert (report.sessions_held, report.sessions_planned) == (
        stats.sessions_held,
        stats.sessions_planned,
    )
    assert (report.expected, report.attended, report.rate) == (
        stats.expected,
        stats.attended,
        stats.rate,
    )
    assert [(r.name, r.expected, r.attended, r.rate) for r in report.members] == [
        (m.member.name, m.expected, m.attended, m.rate) for m in stats.members
    ]
    assert report.compliance_summary == ledger.compliance[0].summary
    assert len(report.findings) == len(ledger.compliance[0].problems)
    assert set(report.charts) == set(CHARTS)


def test_the_report_lists_speeches_missed_sessions_and_the_next_quarter(demo):
    report = ReportService(demo).report(2026, 3, TODAY)
    assert report.contributions and any(c.speeches for c in report.contributions)
    assert any(c.reflections for c in report.contributions)
    assert {m.makeup for m in report.missed} <= {"已完成", "待完成", "已逾期", "未安排"}
    missed = sum(m.leave + m.absent for m in report.members)
    assert len(report.missed) == missed
    # Q4 2026 still has sessions ahead of TODAY (2026-11-26) in the demo
    assert report.period.next_label == "2026年四季度"
    assert all(s.status == SessionStatus.PLANNED.label for s in report.next_sessions)
    fourth = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert all(fourth[0] <= s.date <= fourth[1] for s in report.next_sessions)


def test_context_names_are_the_documented_ones(demo):
    report = ReportService(demo).report(2025, 2, TODAY)
    context = report.context()
    assert set(context) == set(PLACEHOLDERS)
    assert context["period"] == "2025年二季度"
    assert "学习情况通报" in context["title"]
    assert context["members"][0]["number"] == 1


def test_a_bad_quarter_or_year_is_one_sentence(demo):
    with pytest.raises(ValidationError, match="季度"):
        ReportService(demo).report(2025, 5, TODAY)
    with pytest.raises(ValidationError, match="年份"):
        ReportService(demo).report(1800, None, TODAY)
    assert ReportPeriod(2025, 4).next_quarter == (2026, 1)
