"""One studyplan program per database: the lock file beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studyplan.gui.locking import (
    CLI_BUSY_MESSAGE,
    DatabaseLock,
    DatabaseLockedError,
    cli_lock,
    gui_lock,
    lock_path,
    pid_alive,
)
from studyplan.model.errors import StudyplanError

HOLDER = textwrap.dedent(
    """
    import os, sys
    from studyplan.gui.locking import DatabaseLock
    lock = DatabaseLock(sys.argv[1])
    assert lock.try_acquire(0)
    print("locked", flush=True)
    if sys.argv[2] == "crash":
        os._exit(0)  # no unlock, no cleanup: the lock file stays with a dead pid
    sys.stdin.read()
    lock.release()
    """
)


def _hold(db_path: Path, mode: str = "wait") -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_two_locks_in_one_process_exclude_each_other(db_path: Path) -> None:
    first = gui_lock(db_path)
    assert first is not None and first.held
    assert lock_path(db_path).exists()
    second = DatabaseLock(db_path)
    assert not second.try_acquire(0)
    assert second.contended
    assert gui_lock(db_path) is None
    owner = second.owner()
    assert owner is not None and owner[0] == os.getpid()
    first.release()
    assert not lock_path(db_path).exists()
    assert second.try_acquire(0)
    second.release()


def test_cli_lock_gives_up_after_waiting(db_path: Path) -> None:
    window = gui_lock(db_path)
    assert window is not None
    started = time.monotonic()
    with pytest.raises(DatabaseLockedError) as info, cli_lock(db_path, wait_seconds=0.4):
        pass
    assert time.monotonic() - started >= 0.35
    assert str(info.value) == CLI_BUSY_MESSAGE
    assert isinstance(info.value, StudyplanError)
    window.release()
    with cli_lock(db_path, wait_seconds=0.4) as lock:
        assert lock is not None and lock.held
    assert not lock_path(db_path).exists()


def test_another_process_holding_the_lock_makes_the_command_fail(db_path: Path) -> None:
    holder = _hold(db_path)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError), cli_lock(db_path, wait_seconds=0.5):
            pass
        assert time.monotonic() - started >= 0.45
        assert gui_lock(db_path) is None
    finally:
        holder.communicate("", timeout=10)
    with cli_lock(db_path, wait_seconds=0.5) as lock:
        assert lock is not None and lock.held


def test_command_waits_for_a_short_holder(db_path: Path) -> None:
    holder = _hold(db_path)
    try:
        assert holder.stdin is not None
        holder.stdin.close()  # the holder releases as soon as it sees end of input
        with cli_lock(db_path, wait_seconds=5.0) as lock:
            assert lock is not None and lock.held
    finally:
        holder.wait(timeout=10)


def test_a_crashed_holders_lock_is_taken_over(db_path: Path) -> None:
    holder = _hold(db_path, "crash")
    holder.wait(timeout=10)
    assert lock_path(db_path).exists()
    dead_pid = int(lock_path(db_path).read_text().split()[0])
    assert dead_pid == holder.pid and not pid_alive(dead_pid)
    lock = gui_lock(db_path)
    assert lock is not None and lock.held
    assert lock.owner()[0] == os.getpid()
    lock.release()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_holders_lock_is_taken_over(db_path: Path) -> None:
    holder = _hold(db_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert lock_path(db_path).exists()
    with cli_lock(db_path, wait_seconds=0.0) as lock:
        assert lock is not None and lock.held


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0)
    assert not pid_alive(_dead_pid())


def test_nothing_to_lock_for_memory_or_missing_folders(tmp_path: Path) -> None:
    with cli_lock(":memory:") as lock:
        assert lock is None
    with cli_lock(tmp_path / "nowhere" / "x.db") as lock:
        assert lock is None


def test_read_only_folder_opens_without_a_lock(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        lock = gui_lock(folder / "studyplan.db")
        assert lock is not None and not lock.held
        with cli_lock(folder / "studyplan.db", wait_seconds=0.1) as held:
            assert held is None
    finally:
        folder.chmod(0o700)


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_a_written_lock_with_a_dead_pid_on_this_host_is_taken_over(db_path: Path) -> None:
    from PySide6.QtCore import QSysInfo

    host = QSysInfo.machineHostName()
    lock_path(db_path).write_text(f"{_dead_pid()}\nstudyplan\n{host}\n")
    lock = gui_lock(db_path)
    assert lock is not None and lock.held
    lock.release()


def test_a_lock_from_another_computer_is_respected(db_path: Path) -> None:
    """On a shared folder the owner's pid means nothing here: never take that lock over."""
    lock_path(db_path).write_text(f"{_dead_pid()}\nstudyplan\nanother-pc-in-the-office\n")
    assert gui_lock(db_path) is None
    with pytest.raises(DatabaseLockedError), cli_lock(db_path, wait_seconds=0.1):
        pass
    assert lock_path(db_path).exists()
