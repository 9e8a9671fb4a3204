"""The context every use case runs in: one open database, its archive folder and the clock.

The window and the command line each open one `Context` and call the services it hands out;
nothing else opens the database or builds a service. Services that only some screens need
(statistics, compliance) are made the first time they are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.safety import SafetyService
from studyplan.app.topics import TopicService
from studyplan.app.unit import UnitService
from studyplan.io import files
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.records import archive_root_for
from studyplan.store import backup as backup_store
from studyplan.store import opening
from studyplan.store.db import Database, database_file

__all__ = ["Context", "Database", "needs_upgrade", "open_database"]

if TYPE_CHECKING:
    from studyplan.app.compliance import ComplianceService
    from studyplan.app.documents import DocumentService
    from studyplan.app.lists import ListsService
    from studyplan.app.records import RecordsService
    from studyplan.app.statistics import StatisticsService


@dataclass(frozen=True)
class Context:
    """An open database with what the use cases need beside it."""

    db: Database
    archive_root: Path
    clock: Clock = SYSTEM_CLOCK
    #: A planning service already made over `db` (the window's first screen needs it
    #: before anything else), else one is made on first use.
    given_planning: PlanningService | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, db_path: str | Path, *, clock: Clock = SYSTEM_CLOCK) -> Context:
        """Open (and if needed create or upgrade) the database at `db_path`."""
        return cls.over(open_database(db_path), db_path, clock=clock)

    @classmethod
    def over(cls, db: Database, db_path: str | Path, *, clock: Clock = SYSTEM_CLOCK) -> Context:
        """A context over a database already open on `db_path`."""
        return cls(db, archive_root_for(db_path), clock)

    @classmethod
    def with_planning(
        cls, planning: PlanningService, archive_root: str | Path, *, clock: Clock = SYSTEM_CLOCK
    ) -> Context:
        """A context over the database of a planning service already made."""
        return cls(planning.db, Path(archive_root), clock, given_planning=planning)

    @property
    def db_path(self) -> Path | None:
        return database_file(self.db)

    def close(self) -> None:
        path = self.db_path
        self.db.conn.close()
        if path is not None:
            files.unprotect(path)

    @cached_property
    def planning(self) -> PlanningService:
        if self.given_planning is not None:
            return self.given_planning
        return PlanningService(self.db, clock=self.clock)

    @cached_property
    def attendance(self) -> AttendanceService:
        return AttendanceService(self.db, clock=self.clock)

    @cached_property
    def records(self) -> RecordsService:
        from studyplan.app.records import RecordsService

        return RecordsService(self.db, self.archive_root, clock=self.clock)

    @cached_property
    def safety(self) -> SafetyService:
        return SafetyService(self.db, clock=self.clock)

    @cached_property
    def topics(self) -> TopicService:
        return TopicService(self.db, clock=self.clock)

    @cached_property
    def unit(self) -> UnitService:
        return UnitService(self.db, clock=self.clock)

    @cached_property
    def statistics(self) -> StatisticsService:
        from studyplan.app.statistics import StatisticsService

        return StatisticsService(self.db, clock=self.clock)

    @cached_property
    def lists(self) -> ListsService:
        from studyplan.app.lists import ListsService

        return ListsService(self.db, self.archive_root, clock=self.clock)

    @cached_property
    def compliance(self) -> ComplianceService:
        from studyplan.app.compliance import ComplianceService

        return ComplianceService(self.db, clock=self.clock)

    @property
    def templates_folder(self) -> Path:
        """The unit's document templates, beside the database as its archive folder is."""
        from studyplan.model.documents import templates_folder_for

        path = self.db_path
        if path is None:  # an in-memory database: beside its archive folder
            return self.archive_root.parent / "文书模板"
        return templates_folder_for(path)

    @cached_property
    def documents(self) -> DocumentService:
        from studyplan.app.documents import DocumentService

        return DocumentService(self.db, self.archive_root, self.templates_folder, clock=self.clock)


def open_database(db_path: str | Path) -> Database:
    """Open (and if needed create or upgrade) the database at `db_path`; DatabaseError or
    DamagedDatabaseError with a sentence when it cannot be used, the file untouched."""
    if str(db_path) != ":memory:":
        # What a backup or restore cut off (killed, the power gone) left beside the file
        backup_store.remove_leftovers(db_path)
    db = opening.connect(db_path)
    files.protect(db_path)  # no export or copy of this process may write over it
    return db


def needs_upgrade(db_path: str | Path) -> bool:
    """Whether opening the file would migrate it (a write, which waits for the lock)."""
    return opening.needs_upgrade(db_path)
