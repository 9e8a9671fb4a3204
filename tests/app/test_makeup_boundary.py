"""The make-up due/overdue boundary is one rule: a task due today is still on time, one due
yesterday is overdue, and every reader agrees (the badge's count, the list filter, the
statistics, the compliance check, the ledger). Shifting the SQL or the Python by a day
fails here."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import studyplan
from studyplan.app import ledger
from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.statistics import StatisticsService
from studyplan.model.attendance import AttendanceStatus, MakeupStatus, is_overdue
from studyplan.model.compliance import MAKEUPS
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.store import plans
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction

DAY = dt.date(2026, 3, 12)
ONE = dt.timedelta(days=1)


@pytest.fixture
def due(db) -> dt.date:
    """One member absent from one held session: one open make-up task; its due day."""
    service = AttendanceService(db)
    member = service.add_member("王建国", "局长", "组长", "局领导")
    with transaction(db):
        plans.save_plan(db, Plan(2026, "计划", (Topic(2026, 1, "专题一"),)))
        session_id = sessions_store.add(
            db,
            Session(DAY, dt.time(15), dt.time(17), topic_numbers=(1,), status=SessionStatus.HELD),
        )
    service.set_attendance(session_id, member.id, AttendanceStatus.ABSENT)
    [entry] = service.makeups(today=DAY)
    return entry.makeup.due


def _readers(db, today: dt.date) -> dict[str, bool]:
    """Whether each reader calls the one task overdue on `today`."""
    service = AttendanceService(db)
    [entry] = service.makeups(today=today)
    stats = StatisticsService(db).year_statistics(2026, today)
    report = ComplianceService(db).check(2026, today)
    [checked] = [r for r in report.results if r.code == MAKEUPS]
    [ledger_entry] = ledger.collect(db, 2026, today).makeups
    overdue_list = service.makeups(MakeupStatus.OVERDUE, today=today)
    pending_list = service.makeups(MakeupStatus.PENDING, today=today)
    assert len(overdue_list) + len(pending_list) == 1  # no day falls between the two
    return {
        "status": entry.status is MakeupStatus.OVERDUE,
        "badge": service.overdue_count(today) == 1,
        "list": len(overdue_list) == 1,
        "statistics": stats.makeups[MakeupStatus.OVERDUE] == 1,
        "statistics pending": stats.makeups[MakeupStatus.PENDING] == 0,
        "compliance": any("已逾期" in p.message for p in checked.problems),
        "ledger": ledger_entry.status is MakeupStatus.OVERDUE,
    }


def test_due_today_is_not_overdue_anywhere(db, due: dt.date) -> None:
    assert not is_overdue(due, due)
    assert not any(_readers(db, due).values())


def test_due_yesterday_is_overdue_everywhere(db, due: dt.date) -> None:
    assert is_overdue(due, due + ONE)
    assert all(_readers(db, due + ONE).values())


def test_no_copy_of_the_boundary() -> None:
    """Only `store.makeups.PAST_DUE` compares a task's due day in SQL."""
    package = Path(studyplan.__file__).parent
    copies = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"k\.due\s*[<>=]", line) and "PAST_DUE =" not in line
    ]
    assert copies == []
