"""Named schema migrations. Append new ones at the end; never edit one that has shipped.

Each migration runs in its own transaction (sqlite-utils' Migrations) and the schema number
is stamped in PRAGMA user_version, so a newer database can be recognised and refused.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "studyplan"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_plan_calendar")
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


@migrations(name="0002_roster_attendance")
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


@migrations(name="0003_study_records")
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


@migrations(name="0004_audit_log")
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


def schema_version() -> int:
    """The schema number this version writes: the count of migrations it knows."""
    return len(migrations._migrations)


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]
