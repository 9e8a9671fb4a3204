"""Roster membership on a day is one rule: `Member.expected_on` in Python and
`store.members.in_group_on` in SQL answer alike for every member and day, and no other
module writes the comparison again."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import studyplan
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member
from studyplan.store import attendance as attendance_store
from studyplan.store import members as members_store
from studyplan.store import reports
from studyplan.store import sessions as session_store
from studyplan.store.db import transaction

D = dt.date
JOIN, LAST = D(2026, 3, 10), D(2026, 6, 30)

#: Every shape of period: open, joined later, left, both, and one single day.
PERIODS = [
    (None, None),
    (JOIN, None),
    (None, LAST),
    (JOIN, LAST),
    (JOIN, JOIN),
]

#: The edges of those periods and the days around them.
DAYS = [
    D(2026, 1, 5),
    JOIN - dt.timedelta(days=1),
    JOIN,
    JOIN + dt.timedelta(days=1),
    LAST - dt.timedelta(days=1),
    LAST,
    LAST + dt.timedelta(days=1),
    D(2026, 12, 31),
]


@pytest.fixture
def roster(db) -> list[Member]:
    with transaction(db):
        for number, (first, last) in enumerate(PERIODS, 1):
            members_store.insert(
                db, Member(f"成员{number}", rank=number, active_from=first, active_to=last)
            )
    return members_store.all_members(db)


def _expected(roster: list[Member], day: dt.date) -> list[int]:
    return [m.id for m in roster if m.expected_on(day)]  # type: ignore[misc]


@pytest.mark.parametrize("day", DAYS)
def test_sql_and_python_agree_on_a_day(db, roster: list[Member], day: dt.date) -> None:
    expected = _expected(roster, day)
    assert [m.id for m in members_store.all_members(db, active_on=day)] == expected
    assert [m.id for m in roster if members_store.is_expected(db, m.id, day)] == expected
    assert attendance_store.status_counts(db, 0, day)[0] == len(expected)


def test_sql_and_python_agree_on_session_days(db, roster: list[Member]) -> None:
    """The fragment joined on the session's date (`IN_GROUP_THAT_DAY`) and the turnout."""
    with transaction(db):
        for day in DAYS:
            session_store.add(db, Session(day, dt.time(9), dt.time(11), status=SessionStatus.HELD))
    first, last = DAYS[0], DAYS[-1]
    tallies = reports.member_tallies(db, first, last)
    for member in roster:
        times = sum(member.expected_on(day) for day in DAYS)
        assert (tallies[member.id].expected if times else 0) == times  # type: ignore[index]
        assert (member.id in tallies) == bool(times)
    by_day = {s.date: s.id for s in session_store.between(db, first, last)}
    turnout = attendance_store.turnout(db, first, last)
    for day in DAYS:
        assert turnout[by_day[day]][1] == len(_expected(roster, day))


@pytest.mark.parametrize(
    ("first", "last"),
    [(DAYS[0], DAYS[1]), (DAYS[0], JOIN), (LAST, DAYS[-1]), (DAYS[6], DAYS[7]), (JOIN, LAST)],
)
def test_in_group_during_a_span(db, roster: list[Member], first: dt.date, last: dt.date) -> None:
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    wanted = [m.id for m in roster if any(m.expected_on(day) for day in days)]
    assert reports.members_in_group_between(db, first, last) == wanted


def test_on_roster_ignores_a_joining_day_ahead() -> None:
    member = Member("王建国", active_from=JOIN, active_to=LAST)
    assert member.on_roster(JOIN - dt.timedelta(days=1))
    assert not member.expected_on(JOIN - dt.timedelta(days=1))
    assert member.on_roster(LAST) and not member.on_roster(LAST + dt.timedelta(days=1))


def test_no_copy_of_the_membership_rule() -> None:
    """Only model/roster.py compares a member's dates with a day, and only store/members.py
    puts the period columns in a WHERE (the schema's history apart)."""
    package = Path(studyplan.__file__).parent
    allowed = {
        "model/roster.py",
        "store/members.py",
        "store/schema_tables.py",
        "store/schema_audit.py",
    }
    pattern = re.compile(r"active_to (>=|<=|<|>) |active_from (>=|<=|<|>) |m\.active_(from|to)")
    copies = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                copies.append(f"{name}:{number}: {line.strip()}")
    assert copies == []
