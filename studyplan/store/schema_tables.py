"""The schema's tables, one migration function each (registered in store/migrations.py).

Never edit one that has shipped: a database that had it would not get the change.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m0001_plan_calendar(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE plans (
            year INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            readings TEXT NOT NULL DEFAULT '[]',
            UNIQUE (year, number)
        )"""
    )
    db.execute(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            form TEXT NOT NULL DEFAULT '集中学习',
            host TEXT NOT NULL DEFAULT '',
            lecturer TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'held', 'cancelled')),
            notes TEXT NOT NULL DEFAULT '',
            CHECK (end > start)
        )"""
    )
    db.execute("CREATE INDEX sessions_date ON sessions(date)")
    db.execute(
        """
        CREATE TABLE session_topics (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            PRIMARY KEY (session_id, topic_id)
        )"""
    )
    db.execute("CREATE INDEX session_topics_topic ON session_topics(topic_id)")
    db.execute(
        """
        CREATE TABLE calendar_overrides (
            date TEXT PRIMARY KEY,
            is_workday INTEGER NOT NULL CHECK (is_workday IN (0, 1)),
            name TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )


def m0002_roster_attendance(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            position TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '成员',
            department TEXT NOT NULL DEFAULT '',
            rank INTEGER NOT NULL DEFAULT 0,
            active_from TEXT,
            active_to TEXT
        )"""
    )
    db.execute("CREATE INDEX members_rank ON members(rank)")
    db.execute(
        """
        CREATE TABLE attendance (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            status TEXT NOT NULL
                CHECK (status IN ('present', 'late', 'left_early', 'leave', 'absent')),
            time TEXT,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (session_id, member_id)
        )"""
    )
    db.execute("CREATE INDEX attendance_member ON attendance(member_id)")
    db.execute(
        """
        CREATE TABLE leave_requests (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            reason TEXT NOT NULL DEFAULT '',
            filed_at TEXT NOT NULL,
            approver TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL DEFAULT 'pending'
                CHECK (decision IN ('pending', 'approved', 'rejected')),
            decided_at TEXT
        )"""
    )
    db.execute("CREATE INDEX leave_requests_session ON leave_requests(session_id)")
    db.execute("CREATE INDEX leave_requests_member ON leave_requests(member_id)")
    db.execute(
        """
        CREATE TABLE makeups (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            due TEXT NOT NULL,
            completed TEXT,
            method TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            UNIQUE (member_id, session_id)
        )"""
    )
    db.execute("CREATE INDEX makeups_session ON makeups(session_id)")
    db.execute("CREATE INDEX makeups_due ON makeups(due)")


def m0003_study_records(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE study_records (
            session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            minutes TEXT NOT NULL DEFAULT '',
            materials TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE speeches (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
            speaker TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX speeches_session ON speeches(session_id)")
    db.execute(
        """
        CREATE TABLE reflections (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            submitted_on TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (session_id, member_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            stored_name TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX attachments_session ON attachments(session_id)")


def m0004_audit_log(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX audit_log_at ON audit_log(at)")


#: The tables 0007 rebuilds with AUTOINCREMENT, each with its definition from 0001/0002.
_NEVER_REUSED: dict[str, str] = {
    "members": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            position TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '成员',
            department TEXT NOT NULL DEFAULT '',
            rank INTEGER NOT NULL DEFAULT 0,
            active_from TEXT,
            active_to TEXT
        )""",
    "sessions": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            form TEXT NOT NULL DEFAULT '集中学习',
            host TEXT NOT NULL DEFAULT '',
            lecturer TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'held', 'cancelled')),
            notes TEXT NOT NULL DEFAULT '',
            CHECK (end > start)
        )""",
    "leave_requests": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            reason TEXT NOT NULL DEFAULT '',
            filed_at TEXT NOT NULL,
            approver TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL DEFAULT 'pending'
                CHECK (decision IN ('pending', 'approved', 'rejected')),
            decided_at TEXT
        )""",
    "makeups": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            due TEXT NOT NULL,
            completed TEXT,
            method TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            UNIQUE (member_id, session_id)
        )""",
}


def _mentions(sql: str, tables: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(t)}\b", sql, re.IGNORECASE) for t in tables)


def _rebuild_with_autoincrement(db: Database, table: str, body: str) -> None:
    """Steps 4–8 of SQLite's generalized ALTER TABLE procedure: a copy under AUTOINCREMENT.

    The caller has turned foreign keys off and holds the transaction; triggers that name the
    table are dropped by the caller beforehand and recreated afterwards.
    """
    indexes = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY rowid",
            [table],
        )
    ]
    columns = ", ".join(f'"{row[1]}"' for row in db.execute(f'PRAGMA table_info("{table}")'))
    db.execute(f'CREATE TABLE "new_{table}" {body}')
    db.execute(f'INSERT INTO "new_{table}" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute(f'DROP TABLE "{table}"')
    db.execute(f'ALTER TABLE "new_{table}" RENAME TO "{table}"')
    for sql in indexes:
        db.execute(sql)
    # Ids continue above the highest one in use (the highest ever used is not known).
    db.execute("DELETE FROM sqlite_sequence WHERE name = ?", [table])
    db.execute(
        f'INSERT INTO sqlite_sequence (name, seq) SELECT ?, coalesce(max(id), 0) FROM "{table}"',
        [table],
    )


def m0007_ids_never_reused(db: Database) -> None:
    """Ids of sessions, members, leave requests and make-ups are never handed out twice.

    With a plain INTEGER PRIMARY KEY SQLite gives a freed highest id to the next row, so an
    undo that keeps ids could reach a row made after it. The tables are rebuilt with
    AUTOINCREMENT following SQLite's generalized ALTER TABLE procedure: foreign keys off
    (which cannot change inside a transaction, hence transactional=False and our own
    BEGIN/COMMIT), rows copied with their ids, indexes and triggers recreated from their
    stored definitions, `PRAGMA foreign_key_check` before COMMIT. A table already rebuilt
    (a run whose record was lost) is left as it is.
    """
    conn = db.conn
    tables = [
        name
        for name in _NEVER_REUSED
        if "AUTOINCREMENT"
        not in (
            db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
            ).fetchone()[0]
        ).upper()
    ]
    if not tables:
        return
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Triggers on these tables go with DROP TABLE; those of other tables that read
            # them would make the RENAME fail while the old table is gone. Both are dropped
            # here and recreated, unchanged, once the new tables carry the old names.
            triggers = [
                (name, sql)
                for name, table, sql in conn.execute(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "ORDER BY rowid"
                ).fetchall()
                if table in tables or _mentions(sql, tables)
            ]
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            for table in tables:
                _rebuild_with_autoincrement(db, table, _NEVER_REUSED[table])
            for _, sql in triggers:
                conn.execute(sql)
            problems = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
            if problems:
                raise sqlite3.IntegrityError(f"foreign_key_check after rebuild: {problems}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")


def m0011_leave_spans_and_guests(db: Database) -> None:
    """Leave requests get a type (请假类别: 出差、病假…) and may stand for a date range: the
    per-session rows of one range share `span` (the id of its first row) and `first_day`
    and `last_day`; a refusal keeps its reason. NULL in the new columns means what every
    older request was: a request of its own for its session's day only, so old rows need
    no rewriting. 列席人员 (people attending a session who are not members) get a table of
    their own: they are never counted among the members expected."""
    for column in (
        "kind TEXT NOT NULL DEFAULT ''",
        "span INTEGER",
        "first_day TEXT",
        "last_day TEXT",
        "refusal TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE leave_requests ADD COLUMN {column}")
    db.execute("CREATE INDEX leave_requests_span ON leave_requests(span)")
    db.execute(
        """
        CREATE TABLE session_guests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            rank INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX session_guests_session ON session_guests(session_id, rank)")
