"""Named schema migrations, in the order they run. Append new ones at the end (their
functions live in store/schema_tables.py, store/schema_audit.py, store/schema_audit_later.py
and store/schema_lists.py); never edit one that has shipped (its function may move between
those modules, its SQL never changes).

sqlite-utils' Migrations applies them: each in its own transaction (0007, which must turn
foreign keys off first, opens and commits its own), recorded in its `_sqlite_migrations`
table, and the schema number is stamped in PRAGMA user_version, so that a newer database can
be recognised and refused. The steps are listed here without sqlite-utils, which is imported
only when one is pending: opening an up-to-date database, as every start-up does, then does
not pay for its import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from studyplan.store import schema_audit as audit
from studyplan.store import schema_audit_later as later
from studyplan.store import schema_lists as lists
from studyplan.store import schema_tables as tables

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


step(name="0001_plan_calendar")(tables.m0001_plan_calendar)
step(name="0002_roster_attendance")(tables.m0002_roster_attendance)
step(name="0003_study_records")(tables.m0003_study_records)
step(name="0004_audit_log")(tables.m0004_audit_log)
step(name="0006_audit_triggers")(audit.m0006_audit_triggers)
step(name="0007_ids_never_reused", transactional=False)(tables.m0007_ids_never_reused)
step(name="0008_audit_study_records")(audit.m0008_audit_study_records)
step(name="0009_database_id_and_reminder")(audit.m0009_database_id_and_reminder)
step(name="0010_audit_unit_details")(audit.m0010_audit_unit_details)
step(name="0011_leave_types_spans_and_guests")(later.m0011_leave_types_spans_and_guests)
step(name="0012_lists_and_duties")(lists.m0012_lists_and_duties)
step(name="0013_topic_details")(later.m0013_topic_details)
step(name="0014_issued_briefs")(later.m0014_issued_briefs)


def schema_version() -> int:
    """The schema number this version writes: the count of migrations it knows."""
    return len(STEPS)


def known_names() -> list[str]:
    return [s.name for s in STEPS]
