"""One studyplan program per database at a time, with a lock file beside the database.

`QLockFile` (QtCore only: the command line needs no QApplication) writes `<db>.lock` holding
the owner's PID, host and program name. The window keeps its lock for as long as it is open,
so stale detection by age is switched off (`setStaleLockTime(0)`) for every lock: a command
must never take over a window's lock just because the window has been open a while. A lock
left by a process that died on this machine is recovered, whatever its age.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from studyplan.app.safety import pid_alive
from studyplan.model.errors import StudyplanError

GUI_BUSY_MESSAGE = "该数据库已在另一个 studyplan 窗口中打开。"
CLI_BUSY_MESSAGE = (
    "数据库正被另一个 studyplan 程序（例如打开着的窗口）使用；这条命令会修改数据，"
    "请先关闭它后重试。"
)


class DatabaseLockedError(StudyplanError):
    """Another studyplan program holds the database's lock."""


def real_path(db_path: str | Path) -> Path:
    """The database file itself, every link and `..` resolved: the window on `link.db` and
    a command on the file it points to take the same lock."""
    try:
        return Path(db_path).resolve()
    except (OSError, RuntimeError):  # a loop of links: as spelled
        return Path(db_path).absolute()


def lock_path(db_path: str | Path) -> Path:
    return Path(str(real_path(db_path)) + ".lock")


class DatabaseLock:
    """The lock on one database file; `QLockFile` is per object, so two of these in one
    process exclude each other as two processes do."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = real_path(db_path)
        self.path = lock_path(db_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def owner(self) -> tuple[int, str, str] | None:
        """(pid, host name, program name) written in the lock file, if it can be read."""
        info = self._lock.getLockInfo()
        if not isinstance(info, tuple) or len(info) < 3:
            return None
        if len(info) == 4:  # bindings that also return the success flag
            if not info[0]:
                return None
            info = info[1:]
        pid, host, app = info[:3]
        if not pid:
            return None
        return int(pid), str(host), str(app)

    def _recover_stale(self) -> bool:
        """Remove the lock file when its owner is a process on this host that no longer
        exists; True if it was removed."""
        owner = self.owner()
        if owner is None:
            return False
        pid, host, _ = owner
        if host and host != QSysInfo.machineHostName():
            return False
        if pid == os.getpid() or pid_alive(pid):
            return False
        return bool(self._lock.removeStaleLockFile())

    def try_acquire(self, timeout_ms: int = 0) -> bool:
        """Take the lock, waiting up to `timeout_ms`; a dead owner's lock is taken over."""
        if self._lock.isLocked():
            return True
        if self._lock.tryLock(0):
            return True
        if self.contended and self._recover_stale() and self._lock.tryLock(0):
            return True
        if timeout_ms > 0:
            return bool(self._lock.tryLock(int(timeout_ms)))
        return False

    @property
    def contended(self) -> bool:
        """True when the last attempt failed because someone else holds the lock (rather
        than because the lock file could not be written)."""
        return self._lock.error() == QLockFile.LockError.LockFailedError

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def gui_lock(db_path: str | Path) -> DatabaseLock | None:
    """The window's lock, held until `release()`; None when another studyplan program has
    the database open (show GUI_BUSY_MESSAGE). If no lock file can be written there (a
    read-only folder) the returned lock is not `held` and the window opens anyway."""
    lock = DatabaseLock(db_path)
    if lock.try_acquire(0):
        return lock
    if lock.contended:
        return None
    return lock


@contextlib.contextmanager
def cli_lock(db_path: str | Path, wait_seconds: float = 5.0) -> Iterator[DatabaseLock | None]:
    """Hold the database's lock for one command, waiting up to `wait_seconds` for another
    command to finish; raises DatabaseLockedError (a StudyplanError) when it does not."""
    if str(db_path) == ":memory:" or not real_path(db_path).parent.is_dir():
        yield None
        return
    lock = DatabaseLock(db_path)
    deadline = time.monotonic() + max(wait_seconds, 0.0)
    acquired = lock.try_acquire(0)
    while not acquired and lock.contended and time.monotonic() < deadline:
        remaining = int((deadline - time.monotonic()) * 1000)
        acquired = lock.try_acquire(max(1, min(remaining, 250)))
    if not acquired and lock.contended:
        raise DatabaseLockedError(CLI_BUSY_MESSAGE)
    try:
        yield lock if acquired else None
    finally:
        lock.release()
