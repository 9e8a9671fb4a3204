"""Migration 0007: ids of sessions, members, leave requests and make-ups are never reused."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils import Database as SqliteUtils

from studyplan.app.demo import build_demo
from studyplan.store import migrations as mig
from studyplan.store import schema_tables
from studyplan.store.opening import connect

REBUILT = ("members", "sessions", "leave_requests", "makeups")
MIGRATION = "0007_ids_never_reused"
#: Tables later migrations add (empty in a migrated file).
NEW_TABLES = (
    "topic_arrangements",
    "session_arrangements",
    "planned_speakers",
    "study_results",
    "member_papers",
    "self_study_plans",
    "note_checks",
    "issued_briefs",  # 0014
)


def _open_raw(path: Path) -> Database:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    return Database(conn, execute_plugins=False)


@pytest.fixture
def old_db(db_path: Path, tmp_path: Path) -> Path:
    """A file at the schema before 0007, filled with a year of demo data.

    The demo is built by today's services at today's schema, then its rows are copied into
    the columns the old schema has (the services write columns later migrations add)."""
    current = _open_raw(tmp_path / "current.db")
    mig.migration_set().apply(current)
    build_demo(current, year=2025, today=dt.date(2026, 11, 26))
    current.conn.close()
    db = _open_raw(db_path)
    mig.migration_set().apply(db, stop_before=MIGRATION)
    db.execute(f"PRAGMA user_version={mig.known_names().index(MIGRATION)}")
    _copy_rows(db.conn, tmp_path / "current.db")
    db.conn.close()
    return db_path


def _copy_rows(conn: sqlite3.Connection, source: Path) -> None:
    """Every row of `source` into the tables and columns `conn`'s schema has, ids kept."""
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("ATTACH DATABASE ? AS source", [str(source)])
    skipped = {"sqlite_sequence", mig.MIGRATIONS_TABLE}
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
        if row[0] not in skipped
    ]
    for table in [t for t in tables if t != "audit_log"] + ["audit_log"]:
        columns = ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA main.table_info("{table}")'))
        if table == "audit_log":
            conn.execute("DELETE FROM main.audit_log")  # the copy's own lines
        conn.execute(
            f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM source."{table}"'
        )
    conn.execute("DETACH DATABASE source")
    conn.execute("PRAGMA foreign_keys=ON")


def _table_sql(conn: sqlite3.Connection, table: str) -> str:
    return conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()[0]


def _normalised(sql: str) -> str:
    """The table's definition with the columns 0011 adds to leave_requests left out."""
    text = " ".join(sql.replace('"', "").split())
    return text.replace(
        " , kind TEXT NOT NULL DEFAULT '', span INTEGER, first_day TEXT, last_day TEXT, "
        "refusal TEXT NOT NULL DEFAULT '')",
        " )",
    )


def _dump(conn: sqlite3.Connection) -> list[str]:
    """Every statement of the dump but the rebuilt tables' CREATE, sqlite_sequence and the
    migrations table's rows, sorted (recreated triggers and indexes change their order)."""
    creates = tuple(f'CREATE TABLE "{t}"' for t in REBUILT) + tuple(
        f"CREATE TABLE {t} " for t in REBUILT
    )
    skipped = ("sqlite_sequence", mig.migration_set().migrations_table, *_ADDED_BY_0011)
    return sorted(
        _before_0011(line)
        for line in conn.iterdump()
        if not line.startswith(creates) and not any(name in line for name in skipped)
    )


#: What migration 0011 changes: a table and indexes added, two audit triggers rewritten, and
#: five columns of leave_requests (kind, span, first_day, last_day, refusal), empty in an
#: old request.
_ADDED_BY_0011 = (
    "session_guests",
    "leave_requests_span",
    "audit_leave_requests_insert",
    "audit_leave_requests_update",
)


def _before_0011(line: str) -> str:
    if line.startswith('INSERT INTO "leave_requests"'):
        return re.sub(r",'',NULL,NULL,NULL,''\);$", ");", line)
    return line


#: Columns a later migration (0013) adds to topics, as the dump writes them: the comparison
#: below is of the rows 0007 kept, so these are taken off again first.
_LATER_TOPIC_COLUMNS = (
    " form TEXT NOT NULL DEFAULT '',"
    " planned_month INTEGER CHECK (planned_month IS NULL OR planned_month BETWEEN 1 AND 12),"
    " planned_quarter INTEGER CHECK (planned_quarter IS NULL OR planned_quarter BETWEEN 1 AND 4),"
)


def _without_later_columns(line: str) -> str:
    if line.startswith('INSERT INTO "topics" VALUES(') and line.endswith(",'',NULL,NULL);"):
        return line.removesuffix(",'',NULL,NULL);") + ");"
    if line.startswith("CREATE TABLE topics"):
        return line.replace(_LATER_TOPIC_COLUMNS, "")
    return line


def _audit(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT action, detail FROM audit_log ORDER BY id").fetchall()


def test_old_database_keeps_every_row_and_id(old_db: Path) -> None:
    raw = sqlite3.connect(old_db)
    before = _dump(raw)
    old_sql = {t: _table_sql(raw, t) for t in REBUILT}
    counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in REBUILT}
    raw.close()
    assert all(counts.values())

    db = connect(old_db)
    conn = db.conn
    assert MIGRATION in [m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    after = [_without_later_columns(line) for line in _dump(conn)]
    # Later migrations add triggers, 0009 the database's own id, 0012 new (empty) tables
    # with their indexes, and 0013 columns of topics (taken off above).
    later = [line for line in after if line not in before]
    assert later and all(
        re.match(r"CREATE TRIGGER audit_\w+ AFTER", line)
        or re.match(rf"CREATE (TABLE|INDEX) (\w+ ON )?\"?({'|'.join(NEW_TABLES)})\b", line)
        or re.match(r"INSERT INTO \"?settings\"? VALUES\('database_id','[0-9a-f]{32}'\);", line)
        for line in later
    )
    assert [line for line in after if line not in later] == before
    for table in REBUILT:
        expected = re.sub(
            r"id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,", old_sql[table]
        )
        assert _normalised(_table_sql(conn, table)) == _normalised(expected)
    sequence = dict(conn.execute("SELECT name, seq FROM sqlite_sequence"))
    for table in REBUILT:
        assert sequence[table] == conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (
        conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'new\\_%' ESCAPE '\\'"
        ).fetchone()[0]
        == 0
    )
    db.conn.close()


def test_triggers_still_write_the_audit_trail(old_db: Path) -> None:
    db = connect(old_db)
    conn = db.conn
    start = len(_audit(conn))
    session_id = conn.execute(
        "INSERT INTO sessions (date, start, end, location) "
        "VALUES ('2026-12-01', '09:00', '11:00', '三楼会议室')"
    ).lastrowid
    conn.execute("UPDATE sessions SET location = '五楼会议室' WHERE id = ?", [session_id])
    member_id = conn.execute("SELECT min(id) FROM members").fetchone()[0]
    name = conn.execute("SELECT name FROM members WHERE id = ?", [member_id]).fetchone()[0]
    conn.execute(
        "INSERT INTO attendance (session_id, member_id, status) VALUES (?, ?, 'present')",
        [session_id, member_id],
    )
    conn.execute(
        "INSERT INTO leave_requests (member_id, session_id, reason, filed_at) "
        "VALUES (?, ?, '出差', '2026-11-30 09:00')",
        [member_id, session_id],
    )
    conn.execute("UPDATE members SET position = '调研员' WHERE id = ?", [member_id])
    conn.execute("DELETE FROM sessions WHERE id = ?", [session_id])
    written = _audit(conn)[start:]
    db.conn.close()
    assert [action for action, _ in written] == [
        "新增场次",
        "修改场次",
        "登记考勤",
        "新增请假",
        "修改成员",
        "删除场次",
    ]
    assert written[0][1] == "2026-12-01 09:00 三楼会议室"
    assert "地点：三楼会议室→五楼会议室" in written[1][1]
    assert written[2][1] == f"{name} 2026-12-01 出席"
    assert written[3][1] == f"{name} 2026-12-01 出差"


@pytest.mark.parametrize("source", ["migrated", "new"])
def test_a_deleted_highest_id_is_not_handed_out_again(
    source: str, old_db: Path, tmp_path: Path
) -> None:
    db = connect(old_db if source == "migrated" else tmp_path / "new.db")
    conn = db.conn
    highest = {}
    for _ in range(2):
        conn.execute(
            "INSERT INTO sessions (date, start, end) VALUES ('2026-12-01', '09:00', '11:00')"
        )
        conn.execute("INSERT INTO members (name) VALUES ('赵某')")
    for table in ("sessions", "members"):
        highest[table] = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        conn.execute(f"DELETE FROM {table} WHERE id = ?", [highest[table]])
    session_id = conn.execute(
        "INSERT INTO sessions (date, start, end) VALUES ('2026-12-08', '09:00', '11:00')"
    ).lastrowid
    member_id = conn.execute("INSERT INTO members (name) VALUES ('钱某')").lastrowid
    leave_id = conn.execute(
        "INSERT INTO leave_requests (member_id, session_id, filed_at) VALUES (?, ?, 'x')",
        [member_id, session_id],
    ).lastrowid
    conn.execute("DELETE FROM leave_requests WHERE id = ?", [leave_id])
    again = conn.execute(
        "INSERT INTO leave_requests (member_id, session_id, filed_at) VALUES (?, ?, 'y')",
        [member_id, session_id],
    ).lastrowid
    db.conn.close()
    assert session_id > highest["sessions"]
    assert member_id > highest["members"]
    assert again > leave_id


def test_a_run_whose_record_was_lost_changes_nothing(old_db: Path) -> None:
    """Killed between its COMMIT and the record of it: the next start only records it."""
    connect(old_db).conn.close()
    raw = sqlite3.connect(old_db)
    raw.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    raw.commit()
    before = list(raw.iterdump())
    raw.close()
    db = connect(old_db)
    after = [
        line for line in db.conn.iterdump() if mig.migration_set().migrations_table not in line
    ]
    assert MIGRATION in [m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))]
    db.conn.close()
    assert after == [line for line in before if mig.migration_set().migrations_table not in line]


def test_a_failed_rebuild_rolls_back_and_leaves_foreign_keys_on(old_db: Path, monkeypatch) -> None:
    raw = sqlite3.connect(old_db)
    before = list(raw.iterdump())
    raw.close()

    def broken(db: Database, table: str, body: str) -> None:
        db.execute(f'DROP TABLE "{table}"')
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(schema_tables, "_rebuild_with_autoincrement", broken)
    db = _open_raw(old_db)
    with pytest.raises(sqlite3.OperationalError, match="boom"):
        mig.migration_set().apply(db)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not db.conn.in_transaction
    assert MIGRATION not in [m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))]
    db.conn.close()
    raw = sqlite3.connect(old_db)
    assert list(raw.iterdump()) == before
    raw.close()
