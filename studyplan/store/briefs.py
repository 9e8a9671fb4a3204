"""The number each session's 学习简报 was issued with (table `issued_briefs`)."""

from __future__ import annotations

import datetime as dt

from studyplan.store.db import Database


def issued_number(db: Database, session_id: int) -> int | None:
    """The number the session's brief was issued with; None when it never was."""
    row = db.execute(
        "SELECT number FROM issued_briefs WHERE session_id = ?", [session_id]
    ).fetchone()
    return int(row[0]) if row else None


def record_issued(db: Database, session_id: int, number: int, issued_on: dt.date) -> None:
    """Note that the session's brief went out as 第`number`期 on `issued_on`."""
    db.execute(
        "INSERT INTO issued_briefs (session_id, number, issued_on) VALUES (?, ?, ?)",
        [session_id, number, issued_on.isoformat()],
    )
