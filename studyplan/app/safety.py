"""备份、恢复与操作记录: what the window offers to keep the records safe.

Copies are made and checked by `studyplan.store.backup`; the trail is written by the
database's own triggers (`studyplan.store.audit`). Restoring replaces the database file, so
the window asks for it and the composition root (`gui/app.py`) carries it out with the
connection closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from studyplan.io import files
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import DatabaseError, ExportFileError
from studyplan.model.records import format_size
from studyplan.model.settings import BACKUPS_KEPT
from studyplan.store import audit, location, settings
from studyplan.store import backup as backup_store
from studyplan.store import restore as restore_store
from studyplan.store.audit import AuditEntry
from studyplan.store.backup import BackupInfo
from studyplan.store.db import Database, DetailedDatabaseError, transaction
from studyplan.store.restore import BackupCheck

__all__ = [
    "AuditEntry",
    "BackupCheck",
    "BackupInfo",
    "SafetyService",
    "describe_backup",
    "format_size",
]

#: Entries recorded by hand (no table change shows them).
ACTION_BACKUP = "备份数据库"
ACTION_RESTORE = "恢复数据库"
ACTION_EXPORT_AUDIT = "导出操作记录"


def describe_backup(check: BackupCheck) -> str:
    """One sentence on what a backup holds, to confirm a restore with."""
    last = (
        f"最后一场 {check.last_session:%Y-%m-%d}"
        if check.last_session is not None
        else "尚无学习场次"
    )
    size = format_size(check.size)
    text = f"成员 {check.members} 人，场次 {check.sessions} 场，{last}，大小 {size}"
    if check.needs_upgrade:
        text += "；该备份由较早版本创建，恢复后将自动升级"
    return text + "。"


class SafetyService:
    """Backups of the open database and its audit trail (操作记录)."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    # -- backups ---------------------------------------------------------------------------
    def backups_to_keep(self) -> int:
        """How many automatic backups are kept beside the database."""
        return settings.count(self.db, BACKUPS_KEPT)

    def set_backups_to_keep(self, count: int) -> None:
        with transaction(self.db):
            settings.set_count(self.db, BACKUPS_KEPT, count)

    def daily_backup(self, db_path: str | Path) -> Path | None:
        """Today's automatic backup beside the database, once a day; the file or None.

        Leftovers of a backup or restore that was cut off are cleared first."""
        backup_store.remove_leftovers(db_path)
        return backup_store.automatic_backup(self.db, db_path, keep=self.backups_to_keep())

    def backup_to(self, target: str | Path) -> Path:
        """A checked copy of the open database at `target`; the trail notes it where the
        database can be written (a read-only one is backed up all the same)."""
        files.check_write_target(target)
        written = backup_store.backup_to(self.db, target)
        audit.record_if_writable(self.db, ACTION_BACKUP, str(written))
        return written

    def backups(self, db_path: str | Path) -> list[BackupInfo]:
        """The automatic backups beside the database at `db_path`, newest first."""
        return backup_store.list_backups(db_path)

    def check_backup(self, path: str | Path) -> BackupCheck:
        """What a backup file holds; DatabaseError with a sentence if it cannot be restored."""
        return restore_store.check_backup_file(path)

    def note_restore(self, source: str | Path, saved: Path | None) -> None:
        """Note in the (restored) trail which file the database was restored from."""
        detail = f"从 {source} 恢复"
        if saved is not None:
            detail += f"，恢复前的数据库已保存为 {saved}"
        audit.record(self.db, ACTION_RESTORE, detail)

    # -- the audit trail -------------------------------------------------------------------
    def audit_entries(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """Entries newest first, `since`..`until` inclusive, optionally of one action."""
        return audit.entries(self.db, since=since, until=until, action=action)

    def audit_actions(self) -> list[str]:
        return audit.actions(self.db)

    def export_audit(
        self,
        path: str | Path,
        since: dt.date | None = None,
        until: dt.date | None = None,
        action: str | None = None,
    ) -> int:
        """Write the entries as CSV; returns how many. ExportFileError if it cannot, or if
        `path` is the database file itself. A read-only database is exported unnoted."""
        written = export_audit_csv(self.db, path, since=since, until=until, action=action)
        audit.record_if_writable(self.db, ACTION_EXPORT_AUDIT, f"{written} 条，{path}")
        return written


def export_audit_csv(
    db: Database,
    path: str | Path,
    *,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    action: str | None = None,
) -> int:
    """Write the trail (or only the entries of one `action`) as CSV; returns the number of
    entries written. Raises ExportFileError with a sentence when it cannot, or when `path`
    is the database's own file (the CSV would replace the data)."""
    if backup_store.is_database_file(db, path):
        raise ExportFileError("不能把操作记录导出到正在使用的数据库文件本身。")
    files.check_write_target(path)
    from studyplan.io.csvfile import write_csv  # the csv module waits for an export

    rows = audit.audit_rows(db, since=since, until=until, action=action)
    write_csv(path, rows)
    return len(rows) - 1


# -- the database file itself (no connection open) ---------------------------------------


@dataclass(frozen=True)
class Restored:
    """A backup just put in place of the database: what it holds, and where the file it
    replaced was saved (None: there was none)."""

    source: Path
    saved: Path | None
    check: BackupCheck

    @property
    def holds(self) -> str:
        return describe_backup(self.check)

    @property
    def sentence(self) -> str:
        text = f"已从 {self.source} 恢复数据库"
        text += f"（{self.holds.rstrip('。')}）。" if self.holds else "。"
        if self.saved is not None:
            text += f"恢复前的数据库已另存为 {self.saved}。"
        return text


def restore_backup(db_path: str | Path, source: str | Path, keep: int | None = None) -> Restored:
    """Replace the (closed) database at `db_path` with the backup `source`, after checking
    it; the current file is saved first. DatabaseError with a sentence if the backup
    cannot be restored, in which case the database is as it was."""
    files.check_read_source(source, "备份文件")
    files.check_write_target(db_path, [(source, "所选备份")], registered=False)
    try:
        check = restore_store.check_backup_file(source)
    except DatabaseError as exc:
        if "未做任何改动" in str(exc):
            raise
        raise DetailedDatabaseError(
            f"{str(exc).rstrip('。')}；当前数据库未做任何改动。", getattr(exc, "detail", "")
        ) from exc
    saved = restore_store.restore_from(db_path, source, keep=keep)
    return Restored(Path(source), saved, check)


def latest_backup(db_path: str | Path) -> BackupInfo | None:
    """The newest automatic backup beside the database that a restore would accept."""
    return restore_store.latest_sound_backup(db_path)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine (the lock's owner, say)."""
    return backup_store.pid_alive(pid)


def location_warnings(db_path: str | Path) -> list[tuple[str, str]]:
    """(title, sentence) for each risk of where the database lies: a network share, where
    SQLite's locking is unreliable, or a read-only place."""
    warnings = []
    network = location.network_warning(db_path)
    if network:
        warnings.append(("数据库位于网络位置", network))
    read_only = location.read_only_warning(db_path)
    if read_only:
        warnings.append(("数据库只读", read_only))
    return warnings
