"""A program killed in the middle of writing leaves a sound database: all of it or none.

`demo` writes years of data in one transaction; the rollback journal must undo a partial
write on the next open. `restore` replaces the file by renaming a checked copy over it, so a
kill leaves either the old or the new database.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studyplan.store.opening import connect

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL"),
]

DEMO_ARGS = ["demo", "--year", "2020", "--years", "6", "--members", "60"]
TABLES = ("members", "sessions", "attendance", "leave_requests", "makeups", "plans")


def _demo(db_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "studyplan", "--db", str(db_path), *DEMO_ARGS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _counts(db_path: Path) -> dict[str, int]:
    """Open as the app does (rolling back a hot journal), check, and count."""
    db = connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        db.conn.close()


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.db"
    connect(path).conn.close()
    return path


@pytest.fixture(scope="module")
def full_run(template: Path, tmp_path_factory) -> tuple[float, dict[str, int]]:
    """How long an uninterrupted run takes, and what it leaves."""
    path = tmp_path_factory.mktemp("full") / "studyplan.db"
    shutil.copyfile(template, path)
    started = time.monotonic()
    proc = _demo(path)
    assert proc.wait(timeout=120) == 0
    elapsed = time.monotonic() - started
    counts = _counts(path)
    assert counts["members"] == 65 and counts["sessions"] == 72
    return elapsed, counts


def _all_or_nothing(counts: dict[str, int], full: dict[str, int]) -> str:
    if counts == full:
        return "all"
    assert counts["members"] == 0 and counts["sessions"] == 0, counts
    assert counts["attendance"] == counts["leave_requests"] == counts["makeups"] == 0
    return "none"


@pytest.mark.parametrize("fraction", [0.05, 0.1, 0.3, 0.5, 0.7, 0.9])
def test_demo_killed_at_any_moment_is_all_or_nothing(
    fraction: float, full_run, template: Path, tmp_path: Path
) -> None:
    elapsed, full = full_run
    path = tmp_path / "studyplan.db"
    shutil.copyfile(template, path)
    proc = _demo(path)
    time.sleep(elapsed * fraction)
    _kill(proc)
    _all_or_nothing(_counts(path), full)


def test_demo_killed_inside_its_transaction_leaves_nothing(
    full_run, template: Path, tmp_path: Path
) -> None:
    """Kill as soon as the rollback journal appears: the write transaction is under way."""
    _, full = full_run
    path = tmp_path / "studyplan.db"
    journal = Path(str(path) + "-journal")
    shutil.copyfile(template, path)
    proc = _demo(path)
    deadline = time.monotonic() + 30
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    killed_mid_write = proc.poll() is None and journal.exists()
    _kill(proc)
    outcome = _all_or_nothing(_counts(path), full)
    assert outcome == "none" or not killed_mid_write


SMALL_CACHE_DEMO = textwrap.dedent(
    """
    import sys
    from studyplan.app.demo import build_demo
    from studyplan.store.opening import connect
    db = connect(sys.argv[1])
    db.execute("PRAGMA cache_size=8")  # spill to the file long before the commit
    build_demo(db, year=2020, years=6, members=60)
    """
)
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def test_a_hot_journal_is_rolled_back_on_open(template: Path, tmp_path: Path) -> None:
    """With a tiny page cache the database file itself is written mid-transaction; a kill
    then leaves a hot journal, and the next open must restore the file from it."""
    path = tmp_path / "studyplan.db"
    journal = Path(str(path) + "-journal")
    shutil.copyfile(template, path)
    proc = subprocess.Popen(
        [sys.executable, "-c", SMALL_CACHE_DEMO, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    hot = False
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            hot = journal.read_bytes()[:8] == JOURNAL_MAGIC
        except OSError:
            hot = False
        if hot:
            break
        time.sleep(0.002)
    _kill(proc)
    if not hot:
        pytest.skip("the run finished before the journal was seen")
    assert journal.exists()
    counts = _counts(path)
    assert counts["members"] == counts["sessions"] == counts["attendance"] == 0
    assert not journal.exists()


def test_demo_killed_during_start_up_on_a_new_file(full_run, tmp_path: Path) -> None:
    """No file yet: the kill may land before, during or after the migrations."""
    elapsed, full = full_run
    for n, fraction in enumerate((0.2, 0.35, 0.5)):
        path = tmp_path / f"new{n}.db"
        proc = _demo(path)
        time.sleep(elapsed * fraction)
        _kill(proc)
        _all_or_nothing(_counts(path), full)


RESTORER = textwrap.dedent(
    """
    import sys
    from studyplan.store.restore import restore_from
    db_path, first, second = sys.argv[1:4]
    print("ready", flush=True)
    n = 0
    while True:
        restore_from(db_path, first if n % 2 else second, keep=3)
        n += 1
    """
)


def test_restore_killed_midway_leaves_the_old_or_the_new_file(
    template: Path, tmp_path: Path
) -> None:
    """Restore back and forth between an empty and a full database, killed at random."""
    full_copy = tmp_path / "full.db"
    db = connect(full_copy)
    from studyplan.app.demo import build_demo

    build_demo(db, year=2025, years=1, members=14)
    db.conn.close()
    empty_copy = tmp_path / "empty.db"
    shutil.copyfile(template, empty_copy)
    work = tmp_path / "work"
    work.mkdir()
    path = work / "studyplan.db"
    shutil.copyfile(template, path)
    for delay in (0.05, 0.13, 0.21):
        proc = subprocess.Popen(
            [sys.executable, "-c", RESTORER, str(path), str(full_copy), str(empty_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        _kill(proc)
        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
        counts = _counts(path)
        assert counts["members"] in (0, 14)
