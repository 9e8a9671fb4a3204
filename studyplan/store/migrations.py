"""Named schema migrations. Append new ones at the end; never edit one that has shipped.

sqlite-utils' Migrations applies them: each in its own transaction (0007, which must turn
foreign keys off first, opens and commits its own), recorded in its `_sqlite_migrations`
table, and the schema number is stamped in PRAGMA user_version, so that a newer database can
be recognised and refused. The steps are listed here without sqlite-utils, which is imported
only when one is pending: opening an up-to-date database, as every start-up does, then does
not pay for its import.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from studyplan.store.db import Database as Store

MIGRATION_SET = "studyplan"
#: sqlite-utils' bookkeeping table (`Migrations.migrations_table`), named here so that the
#: version of a file can be read without importing sqlite-utils.
MIGRATIONS_TABLE = "_sqlite_migrations"


@dataclass(frozen=True)
class Step:
    """One named migration, as it will be handed to sqlite-utils' Migrations."""

    name: str
    fn: Callable[[Database], None]
    transactional: bool = True


#: Every migration, in the order they run.
STEPS: list[Step] = []


def step(name: str, *, transactional: bool = True) -> Callable[[Callable], Callable]:
    """Register the decorated function as the next migration, under `name`."""

    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        if any(s.name == name for s in STEPS):
            raise ValueError(f"migration {name} is registered twice")
        STEPS.append(Step(name, fn, transactional))
        return fn

    return register


@cache
def migration_set() -> Migrations:
    """sqlite-utils' Migrations holding every step, in order (made once, on first use)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for s in STEPS:
        migrations(name=s.name, transactional=s.transactional)(s.fn)
    return migrations


def apply_pending(db: Store) -> None:
    """Apply every migration the database has not had yet, through sqlite-utils."""
    from sqlite_utils import Database

    migration_set().apply(Database(db.conn, execute_plugins=False))


@step(name="0001_plan_calendar")
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


@step(name="0002_roster_attendance")
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


@step(name="0003_study_records")
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


@step(name="0004_audit_log")
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
    return len(STEPS)


def known_names() -> list[str]:
    return [s.name for s in STEPS]


_AUDIT_NOW = "strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')"
_ATTENDANCE_LABELS = {
    "present": "出席",
    "late": "迟到",
    "left_early": "早退",
    "leave": "请假",
    "absent": "缺席",
}
_SESSION_LABELS = {"planned": "计划", "held": "已举行", "cancelled": "已取消"}
_DECISION_LABELS = {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}


def _label(value: str, labels: dict[str, str]) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in labels.items())
    return f"(CASE {value} {cases} ELSE {value} END)"


def _changed(*columns: str) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _if_changed(column: str, title: str, labels: dict[str, str] | None = None) -> str:
    """SQL for ' 标题：旧→新' when `column` changed, else ''."""
    old, new = f"OLD.{column}", f"NEW.{column}"
    if labels:
        old, new = _label(old, labels), _label(new, labels)
    return (
        f"(CASE WHEN OLD.{column} IS NOT NEW.{column} "
        f"THEN ' {title}：' || coalesce({old}, '无') || '→' || coalesce({new}, '无') "
        "ELSE '' END)"
    )


def _member(row: str) -> str:
    return f"coalesce((SELECT name FROM members WHERE id = {row}.member_id), '')"


def _session_day(row: str) -> str:
    return f"coalesce((SELECT date FROM sessions WHERE id = {row}.session_id), '')"


def _who_when(row: str) -> str:
    return f"{_member(row)} || ' ' || {_session_day(row)}"


def _parents_exist(row: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM sessions WHERE id = {row}.session_id) "
        f"AND EXISTS (SELECT 1 FROM members WHERE id = {row}.member_id)"
    )


def _audit_trigger(
    db: Database, table: str, event: str, action: str, detail: str, when: str = ""
) -> None:
    db.execute(
        f"CREATE TRIGGER audit_{table}_{event.lower()} AFTER {event} ON {table} "
        + (f"WHEN {when} " if when else "")
        + "BEGIN INSERT INTO audit_log (at, action, detail) "
        + f"VALUES ({_AUDIT_NOW}, {action}, {detail}); END"
    )


@step(name="0006_audit_triggers")
def m0006_audit_triggers(db: Database) -> None:
    """操作记录: each change to the records the secretary keeps writes one line to audit_log.

    Every body is one INSERT with primary-key lookups for names and dates, so marking a
    whole group present or building years of demo data stays quick. Rows removed together
    with their session or member (ON DELETE CASCADE) are not listed one by one: the
    parent's deletion is the record. Updates that change nothing are not recorded.
    """
    # 场次
    summary = "NEW.date || ' ' || NEW.start || ' ' || NEW.location"
    _audit_trigger(db, "sessions", "INSERT", "'新增场次'", summary)
    moved = _changed("date", "start", "end")
    other = _changed("location", "form", "host", "lecturer", "notes")
    _audit_trigger(
        db,
        "sessions",
        "UPDATE",
        "(CASE WHEN OLD.status IS NOT NEW.status AND NEW.status = 'cancelled' THEN '取消场次' "
        f"WHEN OLD.status IS NOT NEW.status AND NOT ({moved} OR {other}) THEN '更改场次状态' "
        "ELSE '修改场次' END)",
        f"(CASE WHEN {moved} THEN OLD.date || ' ' || OLD.start || '–' || OLD.end || ' → ' "
        "|| NEW.date || ' ' || NEW.start || '–' || NEW.end "
        f"ELSE {summary} END)"
        + " || "
        + " || ".join(
            [
                _if_changed("location", "地点"),
                _if_changed("form", "形式"),
                _if_changed("host", "主持"),
                _if_changed("lecturer", "领学"),
                _if_changed("status", "状态", _SESSION_LABELS),
            ]
        ),
        f"{moved} OR {other} OR OLD.status IS NOT NEW.status",
    )
    _audit_trigger(
        db,
        "sessions",
        "DELETE",
        "'删除场次'",
        "OLD.date || ' ' || OLD.start || ' ' || OLD.location",
    )

    # 成员
    _audit_trigger(
        db,
        "members",
        "INSERT",
        "'新增成员'",
        "NEW.name || CASE WHEN NEW.position <> '' THEN '（' || NEW.position || '）' ELSE '' END",
    )
    _audit_trigger(
        db,
        "members",
        "UPDATE",
        "(CASE WHEN OLD.active_to IS NULL AND NEW.active_to IS NOT NULL THEN '成员离任' "
        "WHEN OLD.active_to IS NOT NULL AND NEW.active_to IS NULL THEN '恢复在册' "
        "ELSE '修改成员' END)",
        "NEW.name || "
        + " || ".join(
            [
                _if_changed("name", "原姓名"),
                _if_changed("position", "职务"),
                _if_changed("role", "角色"),
                _if_changed("department", "部门"),
                _if_changed("active_from", "加入日期"),
                _if_changed("active_to", "离任日期"),
            ]
        ),
        _changed("name", "position", "role", "department", "active_from", "active_to"),
    )
    _audit_trigger(db, "members", "DELETE", "'删除成员'", "OLD.name")

    # 考勤
    _audit_trigger(
        db,
        "attendance",
        "INSERT",
        "'登记考勤'",
        f"{_who_when('NEW')} || ' ' || {_label('NEW.status', _ATTENDANCE_LABELS)}"
        " || CASE WHEN NEW.time IS NOT NULL THEN ' ' || NEW.time ELSE '' END",
    )
    _audit_trigger(
        db,
        "attendance",
        "UPDATE",
        "'修改考勤'",
        f"{_who_when('NEW')} || ' ' || {_label('OLD.status', _ATTENDANCE_LABELS)} || '→' || "
        f"{_label('NEW.status', _ATTENDANCE_LABELS)}"
        " || CASE WHEN NEW.time IS NOT NULL THEN ' ' || NEW.time ELSE '' END"
        " || CASE WHEN NEW.note <> '' THEN '（' || NEW.note || '）' ELSE '' END",
        _changed("status", "time", "note"),
    )
    _audit_trigger(
        db,
        "attendance",
        "DELETE",
        "'撤销考勤'",
        f"{_who_when('OLD')} || ' ' || {_label('OLD.status', _ATTENDANCE_LABELS)}",
        _parents_exist("OLD"),
    )

    # 请假
    _audit_trigger(
        db,
        "leave_requests",
        "INSERT",
        "'新增请假'",
        f"{_who_when('NEW')} || CASE WHEN NEW.reason <> '' THEN ' ' || NEW.reason ELSE '' END",
    )
    _audit_trigger(
        db,
        "leave_requests",
        "UPDATE",
        "(CASE WHEN OLD.decision IS NOT NEW.decision THEN '审批请假' ELSE '修改请假' END)",
        f"{_who_when('NEW')} || ' ' || "
        + " || ".join(
            [
                f"{_label('NEW.decision', _DECISION_LABELS)}",
                "CASE WHEN NEW.approver <> '' THEN '（审批人：' || NEW.approver || '）' "
                "ELSE '' END",
                _if_changed("reason", "事由"),
            ]
        ),
        _changed("decision", "approver", "reason", "filed_at", "decided_at"),
    )
    _audit_trigger(
        db,
        "leave_requests",
        "DELETE",
        "'删除请假'",
        f"{_who_when('OLD')} || ' ' || {_label('OLD.decision', _DECISION_LABELS)}",
        _parents_exist("OLD"),
    )

    # 补学
    _audit_trigger(
        db, "makeups", "INSERT", "'新增补学'", f"{_who_when('NEW')} || ' 截止 ' || NEW.due"
    )
    _audit_trigger(
        db,
        "makeups",
        "UPDATE",
        "(CASE WHEN OLD.completed IS NULL AND NEW.completed IS NOT NULL THEN '完成补学' "
        "WHEN OLD.completed IS NOT NULL AND NEW.completed IS NULL THEN '撤销补学完成' "
        "ELSE '修改补学' END)",
        f"{_who_when('NEW')} || "
        "CASE WHEN NEW.completed IS NOT NULL THEN ' 完成于 ' || NEW.completed "
        "|| CASE WHEN NEW.method <> '' THEN ' ' || NEW.method ELSE '' END "
        "ELSE ' 截止 ' || NEW.due END",
        _changed("due", "completed", "method", "evidence"),
    )
    _audit_trigger(
        db,
        "makeups",
        "DELETE",
        "'删除补学'",
        f"{_who_when('OLD')} || ' 截止 ' || OLD.due",
        _parents_exist("OLD"),
    )

    # 学习计划
    _audit_trigger(db, "plans", "INSERT", "'导入学习计划'", "NEW.year || '年 ' || NEW.title")
    _audit_trigger(
        db,
        "plans",
        "UPDATE",
        "'更新学习计划'",
        "NEW.year || '年 ' || NEW.title",
        _changed("year", "title", "source", "imported_at"),
    )
    _audit_trigger(db, "plans", "DELETE", "'删除学习计划'", "OLD.year || '年 ' || OLD.title")

    # 调休
    def day_kind(row: str) -> str:
        return (
            f"{row}.date || CASE {row}.is_workday WHEN 1 THEN ' 调为工作日' "
            f"ELSE ' 调为休息日' END || CASE WHEN {row}.name <> '' "
            f"THEN '（' || {row}.name || '）' ELSE '' END"
        )

    _audit_trigger(db, "calendar_overrides", "INSERT", "'设置调休'", day_kind("NEW"))
    _audit_trigger(
        db,
        "calendar_overrides",
        "UPDATE",
        "'修改调休'",
        day_kind("NEW"),
        _changed("date", "is_workday", "name"),
    )
    _audit_trigger(db, "calendar_overrides", "DELETE", "'取消调休'", day_kind("OLD"))


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


@step(name="0007_ids_never_reused", transactional=False)
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


def _session_exists(row: str) -> str:
    return f"EXISTS (SELECT 1 FROM sessions WHERE id = {row}.session_id)"


#: The settings a secretary changes in 设置 (the holiday snapshot is derived data, not one).
_USER_SETTINGS = {"makeup_due_days": ("补学期限", "天"), "backup_keep": ("自动备份保留", "份")}


@step(name="0008_audit_study_records")
def m0008_audit_study_records(db: Database) -> None:
    """操作记录 for the learning archive too: minutes and materials, speeches, reflections,
    attachments, and the settings of 设置. The same rules as 0006: one INSERT per change,
    rows going with their session not listed, updates that change nothing not recorded."""
    day = _session_day
    # 学习记录（会议记录、学习资料）
    parts = (
        "(CASE WHEN {o}minutes IS NOT NEW.minutes THEN ' 会议记录' ELSE '' END) || "
        "(CASE WHEN {o}materials IS NOT NEW.materials THEN ' 学习资料' ELSE '' END)"
    )
    # The store makes the row (materials planned from the topics' readings) just before a
    # first save, in the same transaction: the save that follows is the user's change.
    _audit_trigger(
        db,
        "study_records",
        "INSERT",
        "'填写学习记录'",
        f"{day('NEW')} || ' 会议记录'",
        "NEW.minutes <> ''",
    )
    _audit_trigger(
        db,
        "study_records",
        "UPDATE",
        "(CASE WHEN OLD.minutes = '' AND NEW.minutes <> '' THEN '填写学习记录' "
        "ELSE '修改学习记录' END)",
        f"{day('NEW')} || " + parts.format(o="OLD."),
        _changed("minutes", "materials"),
    )
    _audit_trigger(
        db, "study_records", "DELETE", "'删除学习记录'", day("OLD"), _session_exists("OLD")
    )

    # 研讨发言
    speech = "{r}.speaker || CASE WHEN {r}.title <> '' THEN '：' || {r}.title ELSE '' END"
    _audit_trigger(
        db,
        "speeches",
        "INSERT",
        "'新增研讨发言'",
        f"{day('NEW')} || ' ' || " + speech.format(r="NEW"),
    )
    _audit_trigger(
        db,
        "speeches",
        "UPDATE",
        "'修改研讨发言'",
        f"{day('NEW')} || ' ' || " + speech.format(r="NEW"),
        _changed("speaker", "title", "member_id"),
    )
    _audit_trigger(
        db,
        "speeches",
        "DELETE",
        "'删除研讨发言'",
        f"{day('OLD')} || ' ' || " + speech.format(r="OLD"),
        _session_exists("OLD"),
    )

    # 心得体会
    _audit_trigger(
        db,
        "reflections",
        "INSERT",
        "'登记心得体会'",
        f"{_who_when('NEW')} || ' 提交于 ' || NEW.submitted_on"
        " || CASE WHEN NEW.title <> '' THEN ' ' || NEW.title ELSE '' END",
    )
    _audit_trigger(
        db,
        "reflections",
        "UPDATE",
        "'修改心得体会'",
        f"{_who_when('NEW')} || ' 提交于 ' || NEW.submitted_on"
        " || CASE WHEN NEW.title <> '' THEN ' ' || NEW.title ELSE '' END",
        _changed("submitted_on", "title", "note"),
    )
    _audit_trigger(
        db, "reflections", "DELETE", "'删除心得体会'", _who_when("OLD"), _parents_exist("OLD")
    )

    # 附件
    _audit_trigger(
        db, "attachments", "INSERT", "'添加附件'", f"{day('NEW')} || ' ' || NEW.file_name"
    )
    _audit_trigger(
        db,
        "attachments",
        "DELETE",
        "'移除附件'",
        f"{day('OLD')} || ' ' || OLD.file_name",
        _session_exists("OLD"),
    )

    # 设置
    keys = ", ".join(f"'{key}'" for key in _USER_SETTINGS)
    names = " ".join(
        f"WHEN '{key}' THEN '{title}'" for key, (title, _unit) in _USER_SETTINGS.items()
    )
    units = " ".join(
        f"WHEN '{key}' THEN '{unit}'" for key, (_title, unit) in _USER_SETTINGS.items()
    )
    name = f"(CASE NEW.key {names} ELSE NEW.key END)"
    unit = f"(CASE NEW.key {units} ELSE '' END)"
    _audit_trigger(
        db,
        "settings",
        "INSERT",
        "'修改设置'",
        f"{name} || ' ' || NEW.value || ' ' || {unit}",
        f"NEW.key IN ({keys})",
    )
    _audit_trigger(
        db,
        "settings",
        "UPDATE",
        "'修改设置'",
        f"{name} || ' ' || OLD.value || '→' || NEW.value || ' ' || {unit}",
        f"NEW.key IN ({keys}) AND OLD.value IS NOT NEW.value",
    )
