"""The record is never swapped or spoiled: the lock is on the real file, a restore is as
strict as opening and leaves nothing half-made, and the files the app makes are the
owner's alone."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from studyplan.app.safety import restore_backup
from studyplan.cli import main
from studyplan.model.errors import DamagedDatabaseError, DatabaseError, StudyplanError
from studyplan.store import backup as bk
from studyplan.store import opening
from studyplan.store import restore as restore_store
from studyplan.store.db import REPLACED_SENTENCE, transaction

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def demo(tmp_path: Path, capsys) -> Path:
    """A database with members, sessions, attendance and leave (the demo data)."""
    path = tmp_path / "学习.db"
    assert main(["--db", str(path), "demo", "--year", "2025"]) == 0
    capsys.readouterr()
    return path


def _spoiled_copy(demo: Path, tmp_path: Path, *sql: str) -> Path:
    copy = tmp_path / "坏备份.db"
    conn = sqlite3.connect(demo)
    conn.execute("VACUUM INTO ?", [str(copy)])
    conn.close()
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    for statement in sql:
        conn.execute(statement)
    conn.close()
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return copy


# -- 3. restore as strict as open --------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        ["DELETE FROM members WHERE id IN (SELECT member_id FROM attendance)"],
        ["DROP TABLE leave_requests"],
        [
            *(f"DROP TRIGGER audit_members_{kind}" for kind in ("insert", "update", "delete")),
            "ALTER TABLE members DROP COLUMN department",
        ],
    ],
    ids=["foreign-keys", "table-dropped", "column-dropped"],
)
def test_a_backup_that_open_would_refuse_is_refused_before_anything_changes(
    capsys, demo: Path, tmp_path: Path, sql: list[str]
) -> None:
    copy = _spoiled_copy(demo, tmp_path, *sql)
    before = _bytes(demo)
    status = main(["--db", str(demo), "restore", str(copy)])
    err = capsys.readouterr().err
    assert status == 2 and "未做任何改动" in err and "意外" not in err, err
    assert _bytes(demo) == before
    folder = bk.backups_folder(demo)
    assert not folder.exists() or not any("prerestore" in p.name for p in folder.iterdir())


def test_a_restore_on_a_full_disk_keeps_no_truncated_copy(
    demo: Path, tmp_path: Path, monkeypatch
) -> None:
    good = tmp_path / "好备份.db"
    sqlite3.connect(demo).execute("VACUUM INTO ?", [str(good)])
    before = _bytes(demo)

    def full(*args: object, **kwargs: object) -> None:
        raise bk.DiskFullError("磁盘空间不足，没有保存备份。")

    monkeypatch.setattr(restore_store, "snapshot_to", full)
    with pytest.raises(StudyplanError, match="磁盘空间不足"):
        restore_backup(demo, good)
    assert _bytes(demo) == before
    folder = bk.backups_folder(demo)
    assert not folder.exists() or not any("prerestore" in p.name for p in folder.iterdir())


def test_a_byte_copy_cut_short_leaves_nothing_under_its_name(
    demo: Path, tmp_path: Path, monkeypatch
) -> None:
    import errno
    import shutil

    def half(source: Path, target: Path) -> None:
        Path(target).write_bytes(Path(source).read_bytes()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", half)
    target = tmp_path / "副本.db"
    with pytest.raises(OSError):
        restore_store._keep_damaged_copy(demo, target)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_the_damaged_message_recommends_only_a_backup_that_passes(
    demo: Path, tmp_path: Path
) -> None:
    db = opening.connect(demo)
    older = bk.automatic_backup(db, demo, reason="manual")
    db.conn.close()
    assert older is not None
    newest = bk.backups_folder(demo) / f"{demo.stem}-29991231-235959-prerestore.db"
    newest.write_bytes(older.read_bytes()[:4096])  # truncated: the header, then nothing
    data = bytearray(demo.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's b-tree spoiled
    demo.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError) as caught:
        opening.connect(demo)
    assert caught.value.latest_backup == str(older)
    assert str(newest) not in str(caught.value)


def test_a_cli_restore_is_in_the_trail(capsys, demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "备份.db"
    assert main(["--db", str(demo), "backup", str(copy)]) == 0
    assert main(["--db", str(demo), "restore", str(copy)]) == 0
    conn = sqlite3.connect(demo)
    actions = [row[0] for row in conn.execute("SELECT action FROM audit_log")]
    conn.close()
    assert actions[-1] == "恢复数据库"


KILLER = """
import os, signal, sys
from studyplan.store import backup
def killed(path):
    os.kill(os.getpid(), signal.SIGKILL)
backup.fsync = killed
from studyplan.cli import main
sys.exit(main(sys.argv[1:]))
"""


@posix_only
@pytest.mark.parametrize("command", ["backup", "restore"])
def test_a_backup_or_restore_killed_mid_copy_leaves_nothing_after_the_next_start(
    capsys, demo: Path, tmp_path: Path, command: str
) -> None:
    copy = tmp_path / "备份.db"
    if command == "restore":
        assert main(["--db", str(demo), "backup", str(copy)]) == 0
        args = ["restore", str(copy)]
    else:
        args = ["backup", str(tmp_path / "新备份.db")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, "--db", str(demo), *args],
        env=env,
        timeout=120,
        capture_output=True,
    )
    assert done.returncode == -9
    left = [p for p in tmp_path.rglob("*.tmp")]
    assert left, "the kill came after the copy: nothing to sweep"
    assert main(["--db", str(demo), "topics", "--year", "2025"]) == 0
    assert [p for p in tmp_path.rglob("*.tmp")] == []


def test_a_copy_of_a_live_process_is_not_swept(demo: Path) -> None:
    tmp = bk.open_target(demo.parent, demo.name)
    assert bk.remove_leftovers(demo) == []
    assert tmp.exists()


# -- 2. the lock on the real file -------------------------------------------------------
def test_the_lock_is_the_same_through_a_link(qapp, demo: Path, tmp_path: Path) -> None:
    from studyplan.gui.locking import DatabaseLockedError, cli_lock, gui_lock, lock_path

    link = tmp_path / "link.db"
    link.symlink_to(demo)
    assert lock_path(link) == lock_path(demo)
    window = gui_lock(link)
    assert window is not None and window.held
    try:
        with pytest.raises(DatabaseLockedError), cli_lock(demo, wait_seconds=0):
            pass
    finally:
        window.release()


def test_a_restore_through_a_link_replaces_the_file_it_points_to(
    capsys, demo: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "备份.db"
    assert main(["--db", str(demo), "backup", str(copy)]) == 0
    db = opening.connect(demo)
    db.execute("UPDATE members SET name = '改名' WHERE id = (SELECT min(id) FROM members)")
    db.conn.close()
    link = tmp_path / "link.db"
    link.symlink_to(demo)
    assert main(["--db", str(link), "restore", str(copy)]) == 0
    assert link.is_symlink() and link.resolve() == demo.resolve()
    names = [r[0] for r in sqlite3.connect(demo).execute("SELECT name FROM members")]
    assert "改名" not in names


@pytest.mark.parametrize("how", ["replaced", "removed"])
def test_a_connection_whose_file_went_refuses_to_write(
    demo: Path, tmp_path: Path, how: str
) -> None:
    db = opening.connect(demo)
    if how == "replaced":
        other = tmp_path / "other.db"
        sqlite3.connect(demo).execute("VACUUM INTO ?", [str(other)])
        os.replace(other, demo)
    else:
        demo.unlink()
    with pytest.raises(DatabaseError, match="替换或删除"), transaction(db):
        db.execute("UPDATE members SET name = name")
    assert REPLACED_SENTENCE
    db.conn.close()


# -- 8. permissions ---------------------------------------------------------------------
@pytest.fixture
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@posix_only
def test_new_files_are_the_owners_alone(usual_umask, tmp_path: Path) -> None:
    from studyplan.gui.logbook import log_note

    path = tmp_path / "新.db"
    db = opening.connect(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = bk.automatic_backup(db, path, reason="manual")
    assert made is not None
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(bk.backups_folder(path).stat().st_mode) == 0o700
    db.conn.close()
    log = log_note("test", folder=tmp_path)
    assert log is not None and stat.S_IMODE(log.stat().st_mode) == 0o600


@posix_only
def test_backups_are_never_wider_than_the_database(usual_umask, demo: Path) -> None:
    os.chmod(demo, 0o600)
    db = opening.connect(demo)
    out = demo.parent / "手动.db"
    bk.backup_to(db, out)
    made = bk.automatic_backup(db, demo, reason="manual")
    db.conn.close()
    assert made is not None
    for path in (out, made):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


# -- 7. clear sentences -----------------------------------------------------------------
def _one_sentence(capsys, status: int) -> str:
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "意外" not in err, err
    return lines[0]


def test_a_name_too_long_for_the_file_system_is_a_sentence(
    capsys, demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / ("日历" * 200 + ".ics")
    line = _one_sentence(capsys, main(["--db", str(demo), "export", "ics", str(out)]))
    assert "文件名太长" in line


@posix_only
def test_output_to_a_full_device_is_a_sentence(demo: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "studyplan", "--db", str(demo), "sessions"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "磁盘空间不足" in lines[0], done.stderr


def test_an_error_python_cannot_raise_goes_to_the_log_not_the_terminal(
    capsys, demo: Path, monkeypatch, tmp_path: Path
) -> None:
    import gc

    import studyplan.cli as cli
    from studyplan.cli import parser

    logged: list[object] = []
    monkeypatch.setattr(cli, "log_unexpected", lambda info, folder=None: logged.append(info))

    class ClosesBadly:
        def __del__(self) -> None:
            raise OSError(28, "No space left on device")

    def export(args: object) -> int:
        ClosesBadly()
        gc.collect()
        raise StudyplanError("磁盘空间不足，没有写入。")

    monkeypatch.setattr(parser, "cmd_export_ics", export)
    status = main(["--db", str(demo), "export", "ics", str(tmp_path / "a.ics")])
    line = _one_sentence(capsys, status)
    assert "磁盘空间不足" in line
    assert logged


def test_sqlite_english_stays_out_of_a_refused_restore(capsys, demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "坏.db"
    data = bytearray(demo.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    copy.write_bytes(bytes(data))
    line = _one_sentence(capsys, main(["--db", str(demo), "restore", str(copy)]))
    assert "未做任何改动" in line
    assert not any(word in line for word in ("malformed", "database disk image", "Tree"))
