"""Sessions and the topics each one covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.store.db import Database

#: Sessions (s) with the numbers of their topics: what `session_from_row` reads.
SELECT = """
SELECT s.*, (
    SELECT group_concat(t.number, ',') FROM (
        SELECT t.number FROM session_topics st JOIN topics t ON t.id = st.topic_id
        WHERE st.session_id = s.id ORDER BY t.number
    ) AS t
) AS topic_numbers
FROM sessions s
"""


def session_from_row(row: dict) -> Session:
    numbers = row.get("topic_numbers") or ""
    return Session(
        id=row["id"],
        date=dt.date.fromisoformat(row["date"]),
        start=dt.time.fromisoformat(row["start"]),
        end=dt.time.fromisoformat(row["end"]),
        location=row["location"],
        form=row["form"],
        host=row["host"],
        lecturer=row["lecturer"],
        status=SessionStatus(row["status"]),
        notes=row["notes"],
        topic_numbers=tuple(int(n) for n in numbers.split(",") if n),
    )


def _row(session: Session) -> dict:
    return {
        "date": session.date.isoformat(),
        "start": session.start.strftime("%H:%M"),
        "end": session.end.strftime("%H:%M"),
        "location": session.location,
        "form": session.form,
        "host": session.host,
        "lecturer": session.lecturer,
        "status": session.status.value,
        "notes": session.notes,
    }


def get(db: Database, session_id: int) -> Session:
    rows = list(db.query(SELECT + " WHERE s.id = ?", [session_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {session_id} 的学习场次。")
    return session_from_row(rows[0])


def between(db: Database, first: dt.date, last: dt.date) -> list[Session]:
    """Sessions dated first..last inclusive, in date and time order (uses the date index)."""
    return [
        session_from_row(row)
        for row in db.query(
            SELECT + " WHERE s.date BETWEEN ? AND ? ORDER BY s.date, s.start, s.id",
            [first.isoformat(), last.isoformat()],
        )
    ]


def in_year(db: Database, year: int) -> list[Session]:
    return between(db, dt.date(year, 1, 1), dt.date(year, 12, 31))


def all_sessions(db: Database) -> list[Session]:
    return [session_from_row(row) for row in db.query(SELECT + " ORDER BY s.date, s.start, s.id")]


def years(db: Database) -> list[int]:
    return [
        int(row[0])
        for row in db.execute("SELECT DISTINCT substr(date, 1, 4) FROM sessions ORDER BY 1")
    ]


def dates_taken(db: Database, first: dt.date, last: dt.date) -> dict[dt.date, list[int]]:
    """Which days already have sessions (cancelled ones excluded): day -> session ids."""
    taken: dict[dt.date, list[int]] = {}
    for session_id, day in db.execute(
        "SELECT id, date FROM sessions WHERE date BETWEEN ? AND ? AND status != 'cancelled'",
        [first.isoformat(), last.isoformat()],
    ):
        taken.setdefault(dt.date.fromisoformat(day), []).append(session_id)
    return taken


def _link_topics(db: Database, session_id: int, year: int, numbers: Iterable[int]) -> None:
    ids = {
        number: topic_id
        for topic_id, number in db.execute("SELECT id, number FROM topics WHERE year = ?", [year])
    }
    wanted = []
    for number in numbers:
        if number not in ids:
            raise ValidationError(f"{year} 年的学习计划中没有专题 {number}。")
        wanted.append(ids[number])
    # Links that stay are left alone, so that saving an unchanged session writes no row
    # (and leaves nothing to undo).
    linked = {
        row[0]
        for row in db.execute(
            "SELECT topic_id FROM session_topics WHERE session_id = ?", [session_id]
        )
    }
    for topic_id in linked - set(wanted):
        db.execute(
            "DELETE FROM session_topics WHERE session_id = ? AND topic_id = ?",
            [session_id, topic_id],
        )
    for topic_id in dict.fromkeys(wanted):
        if topic_id not in linked:
            db.execute(
                "INSERT INTO session_topics (session_id, topic_id) VALUES (?, ?)",
                [session_id, topic_id],
            )


def add(db: Database, session: Session) -> int:
    """Insert `session` with its topic links; the caller owns the transaction."""
    cursor = db.execute(
        "INSERT INTO sessions (date, start, end, location, form, host, lecturer, status, notes) "
        "VALUES (:date, :start, :end, :location, :form, :host, :lecturer, :status, :notes)",
        _row(session),
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    session_id = int(cursor.lastrowid)
    _link_topics(db, session_id, session.year, session.topic_numbers)
    return session_id


def update(db: Database, session: Session) -> None:
    if session.id is None:
        raise ValueError("update needs a stored session")
    cursor = db.execute(
        "UPDATE sessions SET date=:date, start=:start, end=:end, location=:location, "
        "form=:form, host=:host, lecturer=:lecturer, status=:status, notes=:notes "
        "WHERE id=:id",
        {**_row(session), "id": session.id},
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {session.id} 的学习场次。")
    _link_topics(db, session.id, session.year, session.topic_numbers)


def last_location(db: Database) -> str:
    """The place of the session added last that names one ("" if none does)."""
    row = db.execute(
        "SELECT location FROM sessions WHERE location != '' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else ""


def set_status(db: Database, session_id: int, status: SessionStatus) -> None:
    db.execute("UPDATE sessions SET status = ? WHERE id = ?", [status.value, session_id])


def delete(db: Database, session_id: int) -> None:
    cursor = db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {session_id} 的学习场次。")


def topic_session_counts(db: Database, year: int) -> dict[int, tuple[int, int]]:
    """Topic number -> (sessions not cancelled, sessions held), for the topic panel."""
    counts: dict[int, tuple[int, int]] = {}
    for number, scheduled, held in db.execute(
        """
        SELECT t.number,
               count(CASE WHEN s.status != 'cancelled' THEN s.id END),
               count(CASE WHEN s.status = 'held' THEN s.id END)
        FROM topics t
        LEFT JOIN session_topics st ON st.topic_id = t.id
        LEFT JOIN sessions s ON s.id = st.session_id
        WHERE t.year = ?
        GROUP BY t.number
        """,
        [year],
    ):
        counts[number] = (scheduled, held)
    return counts


def with_history(db: Database, session_ids: list[int]) -> set[int]:
    """Those of the sessions that have attendance, leave, make-ups or a study record."""
    if not session_ids:
        return set()
    marks = ",".join("?" * len(session_ids))
    found: set[int] = set()
    for table in ("attendance", "leave_requests", "makeups", "study_records", "speeches"):
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT DISTINCT session_id FROM {table} WHERE session_id IN ({marks})",
                session_ids,
            )
        )
    return found
