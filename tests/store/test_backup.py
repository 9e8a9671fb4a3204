"""Backups, restores, and refusing damaged files at open without touching them."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils import Database as SqliteUtils

from studyplan.app.demo import build_demo
from studyplan.model.errors import DatabaseError, ExportFileError
from studyplan.model.settings import BACKUPS_KEPT
from studyplan.store import backup as bk
from studyplan.store import migrations as mig
from studyplan.store import restore as restore_store
from studyplan.store import settings
from studyplan.store.opening import connect

NOW = dt.datetime(2026, 11, 26, 8, 30, 0)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str) -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        raw.close()


def _add_member(db, name: str) -> None:
    db.execute("INSERT INTO members (name) VALUES (?)", [name])


def _make_older(path: Path) -> None:
    """Turn a current database into one written before the newest migration existed."""
    assert "0006_audit_triggers" in mig.known_names()
    raw = sqlite3.connect(path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        if name.startswith("audit_"):
            raw.execute(f"DROP TRIGGER {name}")
    raw.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_audit_triggers'")
    raw.execute(f"PRAGMA user_version={mig.schema_version() - 1}")
    raw.commit()
    raw.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A real database of some size (one year of demo data), closed."""
    path = tmp_path / "studyplan.db"
    db = connect(path)
    build_demo(db, year=2025, years=1, members=14, today=dt.date(2026, 1, 1))
    db.conn.close()
    return path


# -- backup_to -------------------------------------------------------------------------
def test_backup_to_writes_a_checked_copy(db, tmp_path: Path) -> None:
    _add_member(db, "张三")
    target = tmp_path / "copy.db"
    assert bk.backup_to(db, target) == target
    assert _count(target, "members") == 1
    raw = sqlite3.connect(target)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    raw.close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_backup_to_replaces_an_older_copy(db, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    bk.backup_to(db, target)
    _add_member(db, "张三")
    bk.backup_to(db, target)
    assert _count(target, "members") == 1


def test_backup_to_a_missing_folder_is_a_sentence(db, tmp_path: Path) -> None:
    with pytest.raises(ExportFileError, match="不存在"):
        bk.backup_to(db, tmp_path / "nowhere" / "copy.db")


def test_backup_to_the_database_itself_is_refused(db, db_path: Path) -> None:
    before = _digest(db_path)
    with pytest.raises(ExportFileError, match="正在使用的数据库"):
        bk.backup_to(db, db_path)
    assert _digest(db_path) == before


# -- automatic backups -----------------------------------------------------------------
def test_daily_backup_once_a_day(db, db_path: Path) -> None:
    first = bk.automatic_backup(db, db_path, now=NOW)
    assert first == db_path.parent / "backups" / "studyplan-20261126-083000-daily.db"
    assert first.exists()
    assert bk.automatic_backup(db, db_path, now=NOW + dt.timedelta(hours=5)) is None
    second = bk.automatic_backup(db, db_path, now=NOW + dt.timedelta(days=1))
    assert second is not None and second.name == "studyplan-20261127-083000-daily.db"
    listed = bk.list_backups(db_path)
    assert [b.path for b in listed] == [second, first]
    assert listed[0].taken_at == NOW + dt.timedelta(days=1)
    assert listed[0].reason == "daily" and listed[0].size == second.stat().st_size
    assert bk.latest_backup(db_path) == listed[0]


def test_premigration_backup_is_always_taken(db, db_path: Path) -> None:
    bk.automatic_backup(db, db_path, now=NOW)
    again = bk.automatic_backup(db, db_path, now=NOW, reason="premigration")
    twice = bk.automatic_backup(db, db_path, now=NOW, reason="premigration")
    assert again is not None and again.name == "studyplan-20261126-083000-premigration.db"
    assert twice is not None and twice.name == "studyplan-20261126-083000-premigration-2.db"
    assert bk.latest_backup(db_path).path == twice


def test_only_the_newest_are_kept(db, db_path: Path) -> None:
    for day in range(6):
        bk.automatic_backup(db, db_path, keep=3, now=NOW + dt.timedelta(days=day))
    names = [b.path.name for b in bk.list_backups(db_path)]
    assert names == [
        "studyplan-20261201-083000-daily.db",
        "studyplan-20261130-083000-daily.db",
        "studyplan-20261129-083000-daily.db",
    ]
    assert len(list((db_path.parent / "backups").iterdir())) == 3


def test_other_files_in_the_backups_folder_are_left_alone(db, db_path: Path) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir()
    (folder / "readme.txt").write_text("x")
    (folder / "other-20200101-000000-daily.db").write_bytes(b"")
    for day in range(3):
        bk.automatic_backup(db, db_path, keep=1, now=NOW + dt.timedelta(days=day))
    assert (folder / "readme.txt").exists()
    assert (folder / "other-20200101-000000-daily.db").exists()
    assert len(bk.list_backups(db_path)) == 1


def test_keep_comes_from_the_setting(db) -> None:
    assert settings.count(db, BACKUPS_KEPT) == 30
    db.execute("INSERT INTO settings (key, value) VALUES ('backup_keep', '7')")
    assert settings.count(db, BACKUPS_KEPT) == 7
    db.execute("UPDATE settings SET value = 'many' WHERE key = 'backup_keep'")
    assert settings.count(db, BACKUPS_KEPT) == 30


def test_no_backups_yet(db_path: Path) -> None:
    assert bk.list_backups(db_path) == []
    assert bk.latest_backup(db_path) is None


# -- checking backup files -------------------------------------------------------------
def test_check_accepts_a_good_backup_without_changing_it(demo_path: Path, tmp_path: Path) -> None:
    db = connect(demo_path)
    copy = bk.backup_to(db, tmp_path / "copy.db")
    db.conn.close()
    before = _digest(copy)
    check = restore_store.check_backup_file(copy)
    assert _digest(copy) == before
    assert check.members == 14 and check.sessions > 0
    assert check.schema_version == mig.schema_version() and not check.needs_upgrade
    assert check.last_session is not None and check.last_session.year == 2025


def test_check_refuses_missing(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="找不到备份文件"):
        restore_store.check_backup_file(tmp_path / "gone.db")


@pytest.mark.parametrize(
    "content", [b"", b"not a database", bytes(range(256)) * 64], ids=["empty", "text", "bytes"]
)
def test_check_refuses_non_databases(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="不是 studyplan 数据库"):
        restore_store.check_backup_file(path)
    assert path.read_bytes() == content


def test_check_refuses_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="不是 studyplan 数据库"):
        restore_store.check_backup_file(path)


def test_check_refuses_a_damaged_file(demo_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):
        data[offset : offset + 200] = b"\xff" * 200
    demo_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="已损坏"):
        restore_store.check_backup_file(demo_path)
    assert demo_path.read_bytes() == bytes(data)


def test_check_refuses_newer_versions(db, db_path: Path, tmp_path: Path) -> None:
    newer = bk.backup_to(db, tmp_path / "newer.db")
    raw = sqlite3.connect(newer)
    raw.execute(f"PRAGMA user_version={mig.schema_version() + 1}")
    raw.close()
    with pytest.raises(DatabaseError, match="更新版本"):
        restore_store.check_backup_file(newer)
    future = bk.backup_to(db, tmp_path / "future.db")
    raw = sqlite3.connect(future)
    raw.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('studyplan', '0099_from_the_future', '2030-01-01')"
    )
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="更新版本"):
        restore_store.check_backup_file(future)


# -- restoring -------------------------------------------------------------------------
def test_restore_brings_back_the_backup_and_keeps_the_current_data(
    db_path: Path, tmp_path: Path
) -> None:
    db = connect(db_path)
    _add_member(db, "张三")
    saved = bk.backup_to(db, tmp_path / "saved.db")
    _add_member(db, "李四")
    db.conn.close()

    before = restore_store.restore_from(db_path, saved)
    assert before is not None and before.parent == db_path.parent / "backups"
    assert before.name.endswith("-prerestore.db")
    assert _count(before, "members") == 2
    db = connect(db_path)
    assert [r["name"] for r in db.query("SELECT name FROM members")] == ["张三"]
    db.conn.close()
    assert saved.exists()


def test_restore_refuses_a_bad_source_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    connect(db_path).conn.close()
    before = _digest(db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 100)
    with pytest.raises(DatabaseError):
        restore_store.restore_from(db_path, junk)
    assert _digest(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_restore_of_an_older_backup_is_migrated_on_open(db_path: Path, tmp_path: Path) -> None:
    db = connect(db_path)
    _add_member(db, "张三")
    old = bk.backup_to(db, tmp_path / "old.db")
    db.conn.close()
    _make_older(old)
    assert restore_store.check_backup_file(old).needs_upgrade

    restore_store.restore_from(db_path, old)
    db = connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    assert "0006_audit_triggers" in {
        m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))
    }
    assert _count(db_path, "members") == 1
    db.conn.close()
    reasons = [b.reason for b in bk.list_backups(db_path)]
    assert "premigration" in reasons and "prerestore" in reasons


def test_restore_over_a_damaged_database_keeps_its_bytes(demo_path: Path, tmp_path: Path) -> None:
    db = connect(demo_path)
    good = bk.backup_to(db, tmp_path / "good.db")
    db.conn.close()
    damaged = demo_path.read_bytes()[: demo_path.stat().st_size // 2]
    demo_path.write_bytes(damaged)

    kept = restore_store.restore_from(demo_path, good)
    assert kept is not None and kept.read_bytes() == damaged
    db = connect(demo_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 14
    db.conn.close()


def test_restore_into_a_new_place(tmp_path: Path, db) -> None:
    source = bk.backup_to(db, tmp_path / "src.db")
    target = tmp_path / "fresh" / "studyplan.db"
    target.parent.mkdir()
    assert restore_store.restore_from(target, source) is None
    connect(target).conn.close()


# -- integrity at open and the backup before a migration --------------------------------
def test_migration_is_preceded_by_a_backup(db_path: Path) -> None:
    db = connect(db_path)
    _add_member(db, "张三")
    db.conn.close()
    assert bk.list_backups(db_path) == []
    _make_older(db_path)
    old_bytes = db_path.read_bytes()

    connect(db_path).conn.close()
    backups = bk.list_backups(db_path)
    assert [b.reason for b in backups] == ["premigration"]
    assert backups[0].path.read_bytes() != b""
    check = restore_store.check_backup_file(backups[0].path)
    assert check.needs_upgrade and check.members == 1
    assert db_path.read_bytes() != old_bytes


def test_new_and_current_databases_are_not_backed_up(db_path: Path) -> None:
    connect(db_path).conn.close()
    connect(db_path).conn.close()
    assert not (db_path.parent / "backups").exists()


def test_truncated_database_is_refused_and_left_unchanged(demo_path: Path) -> None:
    size = demo_path.stat().st_size
    assert size > 64 * 1024
    with demo_path.open("r+b") as fh:
        fh.truncate(size // 2)
    before = _digest(demo_path)
    with pytest.raises(DatabaseError, match="数据库文件已损坏") as info:
        connect(demo_path)
    assert "未做任何改动" in str(info.value) and "\n" not in str(info.value)
    assert _digest(demo_path) == before
    assert not Path(str(demo_path) + "-journal").exists()


def test_damaged_database_message_names_the_latest_backup(demo_path: Path) -> None:
    db = connect(demo_path)
    taken = bk.automatic_backup(db, demo_path, now=NOW)
    db.conn.close()
    with demo_path.open("r+b") as fh:
        fh.truncate(demo_path.stat().st_size // 2)
    with pytest.raises(DatabaseError) as info:
        connect(demo_path)
    message = str(info.value)
    assert message == f"数据库文件已损坏，未做任何改动。最近的备份是 2026-11-26 08:30 的 {taken}。"
    assert info.value.latest_backup == str(taken)
    assert info.value.detail  # what SQLite said, kept out of the sentence


def test_dangling_references_are_refused_unchanged(db_path: Path) -> None:
    connect(db_path).conn.close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("INSERT INTO attendance (session_id, member_id, status) VALUES (7, 9, 'present')")
    raw.commit()
    raw.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseError, match="已损坏") as info:
        connect(db_path)
    assert "attendance" in info.value.detail
    assert _digest(db_path) == before


def test_restoring_from_the_backups_folder_keeps_the_chosen_backup(db_path: Path) -> None:
    db = connect(db_path)
    _add_member(db, "张三")
    chosen = bk.automatic_backup(db, db_path, now=NOW - dt.timedelta(days=3))
    bk.automatic_backup(db, db_path, now=NOW - dt.timedelta(days=2))
    db.conn.close()
    restore_store.restore_from(db_path, chosen, keep=1)
    assert chosen.exists()
    assert len(bk.list_backups(db_path)) == 2  # the chosen one and the pre-restore copy


def test_a_first_start_killed_before_its_first_migration_is_simply_new(db_path: Path) -> None:
    """sqlite-utils commits its bookkeeping table before the first migration runs."""
    raw = sqlite3.connect(db_path)
    mig.migration_set().ensure_migrations_table(Database(raw))
    raw.commit()
    raw.close()
    db = connect(db_path)
    assert [m.name for m in mig.migration_set().applied(SqliteUtils(db.conn))] == mig.known_names()
    db.conn.close()
    assert not (db_path.parent / "backups").exists()


def test_a_migrations_table_of_another_program_is_foreign(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
    raw.execute("INSERT INTO _sqlite_migrations VALUES ('invoices', '0001_init', '2020')")
    raw.commit()
    raw.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseError, match="不是 studyplan 数据库"):
        connect(db_path)
    assert _digest(db_path) == before


def test_leftovers_of_a_cut_off_backup_or_restore_are_removed(db, db_path: Path) -> None:
    import os

    first = bk.automatic_backup(db, db_path, now=NOW)
    assert first is not None
    folder = first.parent
    # Temporary copies named exactly as a backup and a restore name theirs.
    old_backup_copy = bk.open_target(folder, "studyplan-20261126-090000-daily.db")
    old_restore_copy = bk.open_target(db_path.parent, db_path.name)
    recent_copy = bk.open_target(folder, "studyplan-20261126-100000-manual.db")
    someone_elses = db_path.parent / ".report.xlsx.abc123.tmp"
    someone_elses.write_bytes(b"x")
    hour_and_a_half_ago = (NOW - dt.timedelta(minutes=90)).timestamp()
    for path in (old_backup_copy, old_restore_copy, someone_elses):
        os.utime(path, (hour_and_a_half_ago, hour_and_a_half_ago))
    os.utime(recent_copy, (NOW.timestamp(), NOW.timestamp()))

    # Those of another database in the same folder are not this one's to judge.
    sibling_db = bk.open_target(db_path.parent, "studyplan.db.old")
    sibling_backup = bk.open_target(folder, "studyplan-2-20261126-090000-daily.db")
    for path in (sibling_db, sibling_backup):
        os.utime(path, (hour_and_a_half_ago, hour_and_a_half_ago))

    removed = bk.remove_leftovers(db_path, now=NOW.timestamp())

    assert sorted(removed) == sorted([old_backup_copy, old_restore_copy])
    assert not old_backup_copy.exists() and not old_restore_copy.exists()
    assert recent_copy.exists() and someone_elses.exists()
    assert sibling_db.exists() and sibling_backup.exists()
    assert first.exists() and db_path.exists()
    assert bk.remove_leftovers(db_path, now=NOW.timestamp()) == []


def test_a_new_backup_is_as_readable_as_any_new_file(db, tmp_path: Path) -> None:
    import os
    import stat

    from studyplan.io.files import new_file_mode
    from studyplan.store.db import database_file

    os.chmod(database_file(db), 0o666)  # as open as a database gets: the backup is no wider
    target = bk.backup_to(db, tmp_path / "copy.db")
    assert stat.S_IMODE(target.stat().st_mode) == new_file_mode()
    os.chmod(target, 0o640)
    bk.backup_to(db, target)  # replaced: its permissions stay
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_restored_database_keeps_its_permissions_and_backup_count(
    db, db_path: Path, tmp_path: Path
) -> None:
    import os
    import stat

    from studyplan.app.safety import SafetyService

    SafetyService(db).set_backups_to_keep(100)
    for day in range(35):
        bk.automatic_backup(db, db_path, keep=100, now=NOW + dt.timedelta(days=day))
    source = bk.backup_to(db, tmp_path / "manual.db")
    db.conn.close()
    os.chmod(db_path, 0o644)
    assert bk.keep_setting_of(db_path) == 100
    restore_store.restore_from(db_path, source)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o644
    assert len(bk.list_backups(db_path)) == 36  # 35 daily and the pre-restore copy
    assert bk.keep_setting_of(tmp_path / "none.db") == BACKUPS_KEPT.default
