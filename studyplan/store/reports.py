"""Read-only queries behind the statistics, the compliance check and the ledger export.

Every function answers for a date range in one aggregate query, so a decade of sessions and
a large roster cost a handful of queries, never one per session and member. Marks count only
for members who belonged to the group on the session's date (`members.in_group_on`), as everywhere.
"""

from __future__ import annotations

import datetime as dt
import json

from studyplan.model.attendance import AttendanceStatus, MakeupStatus
from studyplan.model.plan import Topic
from studyplan.model.reports import MarkRow, MemberTally, OverdueRow, Speech, TopicSession
from studyplan.store.db import Database
from studyplan.store.makeups import COUNTED, status_condition
from studyplan.store.members import IN_GROUP_THAT_DAY, in_group_during


def _span(first: dt.date, last: dt.date) -> list[str]:
    return [first.isoformat(), last.isoformat()]


#: The statuses in the order of `MemberTally`'s fields (each named by its status code).
_TALLIED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)


def member_tallies(db: Database, first: dt.date, last: dt.date) -> dict[int, MemberTally]:
    """Member id -> numbers over the HELD sessions dated first..last at which the member was
    expected (in the group on the day). Members never expected are absent from the result."""
    sql = (
        "SELECT m.id, count(*), "
        + ", ".join(f"count(CASE WHEN a.status = '{s.value}' THEN 1 END)" for s in _TALLIED)
        + " FROM sessions s JOIN members m ON "
        + IN_GROUP_THAT_DAY
        + " "
        "LEFT JOIN attendance a ON a.session_id = s.id AND a.member_id = m.id "
        "WHERE s.status = 'held' AND s.date BETWEEN ? AND ? GROUP BY m.id"
    )
    return {
        row[0]: MemberTally(*row)  # type: ignore[arg-type]
        for row in db.execute(sql, _span(first, last))
    }


def members_in_group_between(db: Database, first: dt.date, last: dt.date) -> list[int]:
    """Ids, in roster order, of members whose period in the group overlaps first..last."""
    sql = (
        "SELECT id FROM members m WHERE "
        + in_group_during(":first", ":last")
        + " ORDER BY m.rank, m.id"
    )
    return [
        row[0] for row in db.execute(sql, {"first": first.isoformat(), "last": last.isoformat()})
    ]


def monthly_session_counts(
    db: Database, first: dt.date, last: dt.date
) -> dict[tuple[int, int], tuple[int, int]]:
    """(year, month) -> (held, planned) for sessions dated first..last; cancelled ones are
    left out. Months without sessions are absent."""
    sql = (
        "SELECT substr(date, 1, 4), substr(date, 6, 2), "
        "count(CASE WHEN status = 'held' THEN 1 END), "
        "count(CASE WHEN status = 'planned' THEN 1 END) "
        "FROM sessions WHERE date BETWEEN ? AND ? GROUP BY 1, 2"
    )
    return {
        (int(year), int(month)): (held, planned)
        for year, month, held, planned in db.execute(sql, _span(first, last))
    }


def session_years(db: Database) -> list[int]:
    """Every year that has a plan or a session."""
    sql = "SELECT year FROM plans UNION SELECT CAST(substr(date, 1, 4) AS INTEGER) FROM sessions"
    return sorted({int(row[0]) for row in db.execute(sql)})


def topic_sessions(db: Database, first: dt.date, last: dt.date) -> list[TopicSession]:
    """Every link between a topic and a session dated first..last, by date."""
    sql = (
        "SELECT t.year, t.number, s.date, s.status FROM session_topics st "
        "JOIN topics t ON t.id = st.topic_id JOIN sessions s ON s.id = st.session_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY s.date, s.start, s.id"
    )
    return [
        TopicSession(year, number, dt.date.fromisoformat(day), status)
        for year, number, day, status in db.execute(sql, _span(first, last))
    ]


def topics_of_years(db: Database, years: list[int]) -> list[Topic]:
    """The topics of the plans of `years`, by year and number, in one query."""
    if not years:
        return []
    placeholders = ",".join("?" * len(years))
    sql = f"SELECT * FROM topics WHERE year IN ({placeholders}) ORDER BY year, number"
    return [
        Topic(
            id=row["id"],
            year=row["year"],
            number=row["number"],
            title=row["title"],
            description=row["description"],
            readings=tuple(json.loads(row["readings"] or "[]")),
        )
        for row in db.query(sql, years)
    ]


def makeup_status_counts(
    db: Database, first: dt.date, last: dt.date, today: dt.date
) -> tuple[int, int, int]:
    """(pending, overdue, done) make-up tasks that count (`makeups.COUNTED`) for sessions
    dated first..last, as of `today`."""
    sql = (
        "SELECT "
        + ", ".join(
            f"count(CASE WHEN {status_condition(status)} THEN 1 END)"
            for status in (MakeupStatus.PENDING, MakeupStatus.OVERDUE, MakeupStatus.DONE)
        )
        + " "
        "FROM makeups k JOIN sessions s ON s.id = k.session_id "
        "JOIN members m ON m.id = k.member_id "
        "WHERE s.date BETWEEN :first AND :last AND " + COUNTED
    )
    row = db.execute(
        sql, {"today": today.isoformat(), "first": first.isoformat(), "last": last.isoformat()}
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def marks_between(db: Database, first: dt.date, last: dt.date) -> dict[tuple[int, int], str]:
    """(session id, member id) -> status code for every mark at a session dated first..last
    of a member in the group on that day."""
    sql = (
        "SELECT a.session_id, a.member_id, a.status FROM attendance a "
        "JOIN sessions s ON s.id = a.session_id JOIN members m ON m.id = a.member_id "
        "WHERE s.date BETWEEN ? AND ? AND " + IN_GROUP_THAT_DAY
    )
    return {
        (session_id, member_id): status
        for session_id, member_id, status in db.execute(sql, _span(first, last))
    }


def unexcused_absences(db: Database, first: dt.date, last: dt.date) -> list[MarkRow]:
    """缺席 marks at sessions (not cancelled) dated first..last with no approved leave
    request for that member and session, by date and roster order."""
    sql = (
        "SELECT s.id, s.date, m.id, a.status FROM attendance a "
        "JOIN sessions s ON s.id = a.session_id JOIN members m ON m.id = a.member_id "
        "WHERE a.status = 'absent' AND s.status != 'cancelled' AND s.date BETWEEN ? AND ? AND "
        + IN_GROUP_THAT_DAY
        + " AND NOT EXISTS (SELECT 1 FROM leave_requests r WHERE r.session_id = s.id "
        "AND r.member_id = m.id AND r.decision = 'approved') "
        "ORDER BY s.date, s.start, s.id, m.rank, m.id"
    )
    return [
        MarkRow(session_id, dt.date.fromisoformat(day), member_id, status)
        for session_id, day, member_id, status in db.execute(sql, _span(first, last))
    ]


def missed_without_makeup(db: Database, first: dt.date, last: dt.date) -> list[MarkRow]:
    """请假/缺席 marks at sessions (not cancelled) dated first..last that have no make-up
    task, by date and roster order."""
    sql = (
        "SELECT s.id, s.date, m.id, a.status FROM attendance a "
        "JOIN sessions s ON s.id = a.session_id JOIN members m ON m.id = a.member_id "
        "WHERE a.status IN ('leave', 'absent') AND s.status != 'cancelled' "
        "AND s.date BETWEEN ? AND ? AND "
        + IN_GROUP_THAT_DAY
        + " AND NOT EXISTS (SELECT 1 FROM makeups k WHERE k.session_id = s.id "
        "AND k.member_id = m.id) "
        "ORDER BY s.date, s.start, s.id, m.rank, m.id"
    )
    return [
        MarkRow(session_id, dt.date.fromisoformat(day), member_id, status)
        for session_id, day, member_id, status in db.execute(sql, _span(first, last))
    ]


def overdue_makeups(
    db: Database, first: dt.date, last: dt.date, today: dt.date
) -> list[OverdueRow]:
    """Make-up tasks that count (`makeups.COUNTED`) for sessions dated first..last, not
    completed and due before `today`."""
    sql = (
        "SELECT k.id, s.id, s.date, m.id, k.due FROM makeups k "
        "JOIN sessions s ON s.id = k.session_id JOIN members m ON m.id = k.member_id "
        "WHERE " + status_condition(MakeupStatus.OVERDUE) + " "
        "AND s.date BETWEEN :first AND :last AND " + COUNTED + " "
        "ORDER BY s.date, s.start, s.id, m.rank, m.id"
    )
    return [
        OverdueRow(
            makeup_id, session_id, dt.date.fromisoformat(day), member_id, dt.date.fromisoformat(due)
        )
        for makeup_id, session_id, day, member_id, due in db.execute(
            sql, {"today": today.isoformat(), "first": first.isoformat(), "last": last.isoformat()}
        )
    ]


def sessions_without_marks(
    db: Database, first: dt.date, last: dt.date
) -> list[tuple[int, dt.date]]:
    """(id, date) of sessions dated first..last, not cancelled, with no attendance mark."""
    sql = (
        "SELECT s.id, s.date FROM sessions s WHERE s.status != 'cancelled' "
        "AND s.date BETWEEN ? AND ? "
        "AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id) "
        "ORDER BY s.date, s.start, s.id"
    )
    return [
        (session_id, dt.date.fromisoformat(day))
        for session_id, day in db.execute(sql, _span(first, last))
    ]


def minutes_between(db: Database, first: dt.date, last: dt.date) -> dict[int, str]:
    """Session id -> the minutes (会议记录) text, for sessions dated first..last that have any."""
    sql = (
        "SELECT r.session_id, r.minutes FROM study_records r "
        "JOIN sessions s ON s.id = r.session_id "
        "WHERE s.date BETWEEN ? AND ? AND r.minutes != ''"
    )
    return {session_id: minutes for session_id, minutes in db.execute(sql, _span(first, last))}


def speeches_between(db: Database, first: dt.date, last: dt.date) -> dict[int, list[Speech]]:
    """Session id -> the speeches of its discussion (研讨发言) in their order."""
    sql = (
        "SELECT p.session_id, coalesce(nullif(p.speaker, ''), m.name), p.title FROM speeches p "
        "JOIN sessions s ON s.id = p.session_id LEFT JOIN members m ON m.id = p.member_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY p.session_id, p.position, p.id"
    )
    result: dict[int, list[Speech]] = {}
    for session_id, speaker, title in db.execute(sql, _span(first, last)):
        result.setdefault(session_id, []).append(Speech(speaker or "", title or ""))
    return result


def reflections_between(db: Database, first: dt.date, last: dt.date) -> dict[int, list[int]]:
    """Session id -> the members (ids, in roster order) who handed in a reflection (心得体会)
    on a session dated first..last."""
    sql = (
        "SELECT r.session_id, r.member_id FROM reflections r "
        "JOIN sessions s ON s.id = r.session_id JOIN members m ON m.id = r.member_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY r.session_id, m.rank, m.id"
    )
    result: dict[int, list[int]] = {}
    for session_id, member_id in db.execute(sql, _span(first, last)):
        result.setdefault(session_id, []).append(member_id)
    return result
