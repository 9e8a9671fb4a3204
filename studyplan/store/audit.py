"""操作记录: reading the audit trail the database triggers write (migration 0006).

Triggers record every change to sessions, members, attendance, leave, make-ups, plans and
calendar overrides, whoever made it (window, command line, import), so the trail cannot be
forgotten by a code path. `record` adds an entry for events no table change shows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from studyplan.model.errors import DatabaseError
from studyplan.store.db import BUSY, READ_ONLY, Database, refusal

CSV_HEADER = ("时间", "操作", "内容")
_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    action: str
    detail: str


def _bound(moment: dt.date | dt.datetime, *, end: bool) -> str:
    """A date means the whole day: from its start, or up to its last second."""
    if isinstance(moment, dt.datetime):
        return moment.strftime(_FORMAT)
    if end:
        return f"{moment.isoformat()} 23:59:59"
    return f"{moment.isoformat()} 00:00:00"


def _parse(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.min


def entries(
    db: Database,
    *,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    limit: int | None = None,
    action: str | None = None,
) -> list[AuditEntry]:
    """Entries newest first; `since`/`until` are inclusive (a date covers the whole day)."""
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("at >= ?")
        params.append(_bound(since, end=False))
    if until is not None:
        where.append("at <= ?")
        params.append(_bound(until, end=True))
    if action is not None:
        where.append("action = ?")
        params.append(action)
    sql = "SELECT at, action, detail FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(int(limit), 0))
    return [
        AuditEntry(_parse(at), action, detail) for at, action, detail in db.execute(sql, params)
    ]


def actions(db: Database) -> list[str]:
    """The kinds of entry in the trail (新增场次, 登记考勤, …), most frequent first."""
    return [
        row[0]
        for row in db.execute(
            "SELECT action FROM audit_log GROUP BY action ORDER BY count(*) DESC, action"
        )
    ]


def count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def record(db: Database, action: str, detail: str = "", *, at: dt.datetime | None = None) -> None:
    """Add one entry by hand, for events that change no audited table (备份、恢复、导出)."""
    moment = (at or dt.datetime.now()).strftime(_FORMAT)
    db.execute(
        "INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)", [moment, action, detail]
    )


def record_if_writable(db: Database, action: str, detail: str = "") -> bool:
    """Like `record`, for a note that must not undo what it notes (a backup written, an
    export made): False, and nothing written, when the database cannot take the note now,
    being read-only or held by another program. Other errors raise."""
    try:
        record(db, action, detail)
    except (sqlite3.OperationalError, DatabaseError) as error:
        if refusal(error) not in (READ_ONLY, BUSY):
            raise
        return False
    return True


def audit_rows(
    db: Database,
    *,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    action: str | None = None,
) -> list[tuple[str, str, str]]:
    """The rows of the CSV export (header first), newest entry first."""
    rows: list[tuple[str, str, str]] = [CSV_HEADER]
    for entry in entries(db, since=since, until=until, action=action):
        rows.append((entry.at.strftime(_FORMAT), entry.action, entry.detail))
    return rows
