"""学习台账: the record of a year (or every year) gathered for the workbook of io/ledger/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.lists_data import collect_lists_of
from studyplan.app.planning import PlanningService
from studyplan.app.statistics import StatisticsService
from studyplan.app.unit import UnitService
from studyplan.io.ledger import LedgerData, collector_paused, write_ledger
from studyplan.model.attendance import AttendanceCounts, AttendanceStatus
from studyplan.model.errors import ExportCancelled
from studyplan.model.years import check_year, year_span
from studyplan.store import attendance as attendance_store
from studyplan.store import reports
from studyplan.store.db import Database, reading


def export_ledger(
    db: Database,
    path: str | Path,
    year: int | None = None,
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write the ledger of `year` (None: every year) to `path` as .xlsx; returns the path.

    `today` decides what is overdue and which problems the compliance check lists. The
    record is read as one snapshot (`collect`); the file is written after the read ends, so
    a change made meanwhile in the window waits only for the reading. `cancelled()` (e.g.
    a `threading.Event`'s `is_set`) is asked after the reading and between the rows
    written: once true, ExportCancelled is raised and no file is left.
    """
    # The record read is as many objects again as the workbook: the collector is paused
    # for both, and back on once the record is let go (when `_export` returns).
    with collector_paused():
        return _export(db, path, year, today or dt.date.today(), progress, cancelled)


def _export(
    db: Database,
    path: str | Path,
    year: int | None,
    today: dt.date,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> Path:
    data = collect(db, year, today)
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    return write_ledger(data, path, progress, cancelled)


def collect(db: Database, year: int | None, today: dt.date) -> LedgerData:
    """The record the workbook shows, every part of it read in one read transaction: a
    member renamed meanwhile has one name on every sheet (the old one, or the new one)."""
    if year is not None:
        check_year(year)
    with reading(db):
        return _gather(db, year, today)


def _gather(db: Database, year: int | None, today: dt.date) -> LedgerData:
    planning = PlanningService(db)
    service = AttendanceService(db)
    first, last = year_span(year)
    stats = StatisticsService(db).year_statistics(year, today)
    years = [year] if year is not None else reports.session_years(db)
    sessions = planning.sessions(year)
    topics = {(c.topic.year, c.topic.number): c.topic for c in stats.topics}
    org = UnitService(db).unit_name(year if year is not None else max(years, default=None))
    raw = reports.marks_between(db, first, last)
    by_code = {status.value: status for status in AttendanceStatus}
    marks = {key: by_code.get(status) or AttendanceStatus(status) for key, status in raw.items()}
    per_session = attendance_store.status_counts_between(db, first, last)
    counts = {
        session.id: AttendanceCounts.of(*per_session.get(session.id, (0, {})))
        for session in sessions
        if session.id is not None
    }
    checker = ComplianceService(db)
    lists = collect_lists_of(db, years, today, marks=raw)  # printed, and checked
    return LedgerData(
        year=year,
        today=today,
        years=years,
        org=org,
        sessions=sessions,
        topics=topics,
        stats=stats,
        marks=marks,
        counts=counts,
        minutes=reports.minutes_between(db, first, last),
        speeches=reports.speeches_between(db, first, last),
        leave=service.leave_requests(year),
        makeups=service.makeups(today=today, year=year),
        compliance=checker.check_years(years, today, lists=lists),
        lists=lists,
        names=service.display_names(),
        leave_counts=stats.leave_counts,
    )
