"""The row log behind 撤销/重做: which rows a use case changed, with their values before and
after, per (table, rowid).

SQLite's classic "automatic undo/redo with triggers": TEMP triggers, installed once per
connection the first time something is recorded, hand every insert, update and delete of
the tables `tables` lists to a function registered on the connection while a recording is
on (a flag the triggers read through another such function). The rows go to the
Database's `rows_written`, which a rolled-back block empties again as SQLite undoes its
rows, so neither switching a recording on nor reading what it saw costs any SQL.
The audit trail and the migrations table are never recorded, so the audit
triggers go on logging what an undo or a redo writes, as for any other change.

`revert` writes a log's "before" values back after checking that the rows still hold its
"after" values; run under `recording`, it yields the log of what it wrote, whose own revert
is the redo. A row deleted by the change comes back under its id, or, should that id have
been taken meanwhile, under a fresh one (the rows pointing at it follow).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from studyplan.model.errors import UndoError
from studyplan.store import migrations as mig
from studyplan.store.db import Database

_TAKEN = "无法恢复已删除的记录：与之相关的数据已被修改或删除，数据库未做任何改动。"
Row = tuple[Any, ...]


@dataclass(frozen=True)
class RowEdit:
    """One row's net change: `before` None for a row added, `after` None for one removed."""

    table: str
    rowid: int
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class RowLog:
    """The rows one step changed, in the order first changed, with each table's columns."""

    edits: tuple[RowEdit, ...] = ()
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(edit.table for edit in self.edits)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables & set(tables))

    def values(self, table: str, column: str) -> set[Any]:
        """The values `column` held in the logged rows of `table`, before or after."""
        if column not in self.columns.get(table, ()):
            return set()
        position = self.columns[table].index(column)
        found = set()
        for edit in self.edits:
            if edit.table == table:
                for row in (edit.before, edit.after):
                    if row is not None and row[position] is not None:
                        found.add(row[position])
        return found

    def added(self, table: str) -> tuple[int, ...]:
        """The rowids of the rows of `table` the step added."""
        return tuple(e.rowid for e in self.edits if e.table == table and e.before is None)

    def removed(self, table: str) -> tuple[int, ...]:
        """The rowids of the rows of `table` the step removed."""
        return tuple(e.rowid for e in self.edits if e.table == table and e.after is None)

    def updated(self, table: str) -> tuple[int, ...]:
        """The rowids of the rows of `table` the step changed in place."""
        return tuple(
            e.rowid
            for e in self.edits
            if e.table == table and e.before is not None and e.after is not None
        )

    def rows(self, table: str, *, after: bool = True) -> list[dict[str, Any]]:
        """The logged rows of `table` as they were after (or before) the step, as dicts."""
        columns = self.columns.get(table, ())
        picked = [e.after if after else e.before for e in self.edits if e.table == table]
        return [dict(zip(columns, row, strict=True)) for row in picked if row is not None]


# -- recording ----------------------------------------------------------------------------
def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- the schema ----------------------------------------------------------------------------
#: Tables never recorded nor written back: the audit trail goes on logging what an undo
#: writes, and the migrations are no user's data.
SKIPPED_TABLES = frozenset({"audit_log", mig.MIGRATIONS_TABLE})


@dataclass(frozen=True)
class Reference:
    """A single-column foreign key: `child.column` points at `parent.parent_column`."""

    child: str
    column: str
    parent: str
    parent_column: str
    on_delete: str


def tables(db: Database) -> list[str]:
    """The tables a change may touch: every user table but the audit and migration ones."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    return [name for name in names if name not in SKIPPED_TABLES]


def _table_info(db: Database, table: str) -> list[tuple]:
    return db.execute(f"PRAGMA table_info({_quote(table)})").fetchall()


def _primary_key(db: Database, table: str) -> tuple[str, ...]:
    info = [row for row in _table_info(db, table) if row[5]]
    return tuple(row[1] for row in sorted(info, key=lambda row: row[5]))


def rowid_alias(db: Database, table: str) -> str | None:
    """The INTEGER PRIMARY KEY column that is the rowid itself, if the table has one."""
    info = [row for row in _table_info(db, table) if row[5]]
    if len(info) == 1 and str(info[0][2]).strip().upper() == "INTEGER":
        return str(info[0][1])
    return None


def references(db: Database) -> list[Reference]:
    """Every single-column foreign key between the tables `tables` lists (found with
    `PRAGMA foreign_key_list`, so a new table is covered without changes here)."""
    known = tables(db)
    found: list[Reference] = []
    for child in known:
        groups: dict[int, list[tuple]] = {}
        for row in db.execute(f"PRAGMA foreign_key_list({_quote(child)})"):
            groups.setdefault(row[0], []).append(row)
        for rows in groups.values():
            if len(rows) != 1:
                continue  # composite keys: none in this schema
            _, _, parent, column, to, _, on_delete, _ = rows[0]
            if parent not in known:
                continue
            if to is None:
                key = _primary_key(db, parent)
                if len(key) != 1:
                    continue
                to = key[0]
            found.append(Reference(child, column, parent, to, str(on_delete).upper()))
    return found


def _columns(db: Database, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info({_quote(table)})"))


def _install(db: Database) -> dict[str, tuple[str, ...]]:
    """Create the TEMP triggers on this connection (once); the columns. Created inside a
    transaction, they would go with its rollback, so they are known to stay only once
    made outside one (the `IF NOT EXISTS` makes a second making cost nothing else)."""
    installed = getattr(db, "_rowlog_columns", None)
    if installed is not None:
        return installed
    columns = {table: _columns(db, table) for table in tables(db)}
    state = {"on": False}
    journal = db.rows_written
    db.conn.create_function("studyplan_recording", 0, lambda: state["on"], deterministic=False)
    db.conn.create_function(
        "studyplan_row",
        5,
        lambda *row: journal.append(row),  # (table, old rowid, new rowid, before, after)
        deterministic=False,
    )
    db._rowlog_state = state  # type: ignore[attr-defined]
    on = "WHEN studyplan_recording()"
    for table, names in columns.items():
        old = "json_array(" + ", ".join(f"OLD.{_quote(c)}" for c in names) + ")"
        new = "json_array(" + ", ".join(f"NEW.{_quote(c)}" for c in names) + ")"
        name = table.replace('"', "")
        literal = "'" + table.replace("'", "''") + "'"
        for event, values in (
            ("INSERT", f"NULL, NEW.rowid, NULL, {new}"),
            ("UPDATE", f"OLD.rowid, NEW.rowid, {old}, {new}"),
            ("DELETE", f"OLD.rowid, NULL, {old}, NULL"),
        ):
            db.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {_quote(f'rowlog_{name}_{event.lower()}')} "
                f"AFTER {event} ON main.{_quote(table)} {on} "
                f"BEGIN SELECT studyplan_row({literal}, {values}); END"
            )
    if not db.conn.in_transaction:
        db._rowlog_columns = columns  # type: ignore[attr-defined]
    return columns


@dataclass
class Recording:
    """What `recording` saw; `log` is filled when the block ends without an error."""

    log: RowLog = field(default_factory=RowLog)


@contextmanager
def recording(db: Database) -> Iterator[Recording]:
    """Log every row the block changes (the block owns its transaction, if any)."""
    columns = _install(db)
    state = db._rowlog_state  # type: ignore[attr-defined]
    if state["on"]:
        raise RuntimeError("a recording is already on")
    journal = db.rows_written
    start = len(journal)
    state["on"] = True
    found = Recording()
    try:
        yield found
    except BaseException:
        state["on"] = False
        del journal[start:]  # nothing the failed block saw counts
        raise
    state["on"] = False
    rows = journal[start:]
    del journal[start:]
    found.log = _fold(rows, columns)


def _fold(rows: list[tuple], columns: Mapping[str, tuple[str, ...]]) -> RowLog:
    """Net change per row, from the rows in the order written: its first "before" and its
    last "after"."""
    net: dict[tuple[str, int], list[Any]] = {}

    def touch(table: str, rowid: int, before: Row | None, after: Row | None) -> None:
        key = (table, rowid)
        if key in net:
            net[key][1] = after
        else:
            net[key] = [before, after]

    for table, old_rowid, new_rowid, before, after in rows:
        old = tuple(json.loads(before)) if before is not None else None
        new = tuple(json.loads(after)) if after is not None else None
        if old_rowid is not None and new_rowid is not None and old_rowid != new_rowid:
            touch(table, old_rowid, old, None)
            touch(table, new_rowid, None, new)
        else:
            touch(table, old_rowid if old_rowid is not None else new_rowid, old, new)
    edits = tuple(
        RowEdit(table, rowid, before, after)
        for (table, rowid), (before, after) in net.items()
        if before != after
    )
    used = {edit.table for edit in edits}
    return RowLog(edits, {t: c for t, c in columns.items() if t in used})


# -- writing a log back -------------------------------------------------------------------
@dataclass(frozen=True)
class Refusals:
    """The sentences an undo or redo gives when the data moved on (`{doing}` is 撤销 or
    重做): `stale[table]` (or `stale["*"]`) when a row of `table` no longer holds what the
    change left; `dependents` when taking a row away would take rows written since with it.
    Tables in `lenient` are never refused: a row or a column changed since is left as it is.
    """

    stale: Mapping[str, str]
    dependents: str = ""
    lenient: Collection[str] = ()
    dependents_first: bool = False
    #: Said instead of `stale[table]` when the row is gone altogether.
    gone: Mapping[str, str] = field(default_factory=dict)

    def said(self, table: str, doing: str, *, missing: bool = False) -> UndoError:
        text = (self.gone.get(table) if missing else None) or self.stale.get(table)
        text = text or self.stale.get("*") or "数据此后又有改动，无法{doing}。"
        return UndoError(text.format(doing=doing))


def _order(db: Database, tables: Collection[str]) -> list[str]:
    """`tables` with parents before the tables that point at them."""
    refs = references(db)
    ordered: list[str] = []
    pending = sorted(tables)
    while pending:
        for table in pending:
            parents = {r.parent for r in refs if r.child == table and r.parent != table}
            if not parents & (set(pending) - {table}):
                ordered.append(table)
                pending.remove(table)
                break
        else:  # a cycle: none in this schema
            ordered.extend(pending)
            break
    return ordered


def _current(db: Database, table: str, columns: tuple[str, ...], rowid: int) -> Row | None:
    listed = ", ".join(_quote(c) for c in columns)
    found = db.execute(f"SELECT {listed} FROM {_quote(table)} WHERE rowid = ?", [rowid])
    row = found.fetchone()
    return tuple(row) if row is not None else None


def row_now(db: Database, log: RowLog, table: str, rowid: int) -> dict[str, Any] | None:
    """The row `rowid` of `table` as it stands, with the columns `log` knows, or None."""
    columns = log.columns[table]
    row = _current(db, table, columns, rowid)
    return dict(zip(columns, row, strict=True)) if row is not None else None


def revert(db: Database, log: RowLog, refusals: Refusals, doing: str) -> int:
    """Write `log`'s "before" values back (caller's transaction; run it under `recording`
    to get the log of this step); returns the rows written.

    Raises UndoError (the caller rolls back) when a row of a strict table no longer holds
    its "after" values, or when removing a row the step added would take rows written since
    with it (ON DELETE CASCADE or SET NULL).
    """
    lenient = set(refusals.lenient)
    states = {
        (e.table, e.rowid): _current(db, e.table, log.columns[e.table], e.rowid)
        for e in log.edits
        if e.after is not None
    }
    removing = [e for e in log.edits if e.before is None]
    if refusals.dependents_first:
        _check_dependents(db, log, removing, refusals, states, doing)
    for edit in log.edits:
        if edit.after is not None and edit.table not in lenient:
            state = states[(edit.table, edit.rowid)]
            if state != edit.after:
                raise refusals.said(edit.table, doing, missing=state is None)
    if not refusals.dependents_first:
        _check_dependents(db, log, removing, refusals, states, doing)
    try:
        return _write_back(db, log, states, removing)
    except sqlite3.IntegrityError as error:  # a row it points at is gone since
        raise UndoError(_TAKEN) from error


def _write_back(
    db: Database,
    log: RowLog,
    states: Mapping[tuple[str, int], Row | None],
    removing: list[RowEdit],
) -> int:
    order = _order(db, log.tables)
    written = 0
    remap: dict[tuple[str, str], dict[Any, Any]] = {}
    refs = references(db)
    for table in order:  # rows the step removed come back, parents first
        columns = log.columns[table]
        for edit in log.edits:
            if edit.table == table and edit.after is None and edit.before is not None:
                _put_back(db, table, columns, edit, refs, remap)
                written += 1
    for edit in log.edits:  # rows the step changed get their values back
        if edit.before is None or edit.after is None:
            continue
        columns = log.columns[edit.table]
        now = states[(edit.table, edit.rowid)]
        if now is None:
            continue  # lenient: gone since
        changed = [
            i
            for i, c in enumerate(columns)
            if edit.before[i] != edit.after[i] and now[i] == edit.after[i]
        ]
        if not changed:
            continue
        values = [_moved(refs, remap, edit.table, columns[i], edit.before[i]) for i in changed]
        sets = ", ".join(f"{_quote(columns[i])} = ?" for i in changed)
        db.execute(f"UPDATE {_quote(edit.table)} SET {sets} WHERE rowid = ?", [*values, edit.rowid])
        written += 1
    for table in reversed(order):  # rows the step added go, children first
        for edit in removing:
            if edit.table == table and states[(table, edit.rowid)] == edit.after:
                db.execute(f"DELETE FROM {_quote(table)} WHERE rowid = ?", [edit.rowid])
                written += 1
    return written


def _check_dependents(
    db: Database,
    log: RowLog,
    removing: list[RowEdit],
    refusals: Refusals,
    states: Mapping[tuple[str, int], Row | None],
    doing: str,
) -> None:
    """Refuse when a row to be removed has rows pointing at it that go or change with it
    and that the log does not remove as well (entered since: attendance, leave, …)."""
    # Checked first, the rows the step added count while they exist at all: rows written
    # on them since say more than a change to the rows themselves.
    gone = {
        (e.table, e.rowid)
        for e in removing
        if (states[(e.table, e.rowid)] is not None)
        if refusals.dependents_first or states[(e.table, e.rowid)] == e.after
    }
    if not gone:
        return
    # A row the log writes back anyway (a rowid the step reused: SQLite hands out the
    # highest one again after a deletion) is no row written since.
    rewritten = {
        (e.table, e.rowid)
        for e in log.edits
        if e.after is not None and states[(e.table, e.rowid)] == e.after
    }
    for ref in references(db):
        parents = [
            e
            for e in removing
            if e.table == ref.parent and (e.table, e.rowid) in gone and e.after is not None
        ]
        if not parents:
            continue
        position = log.columns[ref.parent].index(ref.parent_column)
        keys = sorted({e.after[position] for e in parents if e.after is not None})
        marks = ", ".join("?" * len(keys))
        for (rowid,) in db.execute(
            f"SELECT rowid FROM {_quote(ref.child)} WHERE {_quote(ref.column)} IN ({marks})",
            keys,
        ):
            if (ref.child, rowid) not in rewritten:
                raise UndoError(refusals.dependents.format(doing=doing))


def _moved(refs: list, remap: dict, table: str, column: str, value: Any) -> Any:
    """`value` of `table.column`, pointed at the fresh id of a parent restored under one."""
    for ref in refs:
        if ref.child == table and ref.column == column:
            return remap.get((ref.parent, ref.parent_column), {}).get(value, value)
    return value


def _put_back(
    db: Database,
    table: str,
    columns: tuple[str, ...],
    edit: RowEdit,
    refs: list,
    remap: dict[tuple[str, str], dict[Any, Any]],
) -> None:
    """Insert a removed row again under its rowid; under a fresh one if that was taken."""
    assert edit.before is not None
    values = [_moved(refs, remap, table, c, v) for c, v in zip(columns, edit.before, strict=True)]
    alias = rowid_alias(db, table)
    listed = ", ".join(_quote(c) for c in columns)
    marks = ", ".join("?" * len(columns))
    taken = _current(db, table, columns, edit.rowid) is not None
    if alias is None:
        if taken:
            raise UndoError(_TAKEN)
        db.execute(
            f"INSERT INTO {_quote(table)} (rowid, {listed}) VALUES (?, {marks})",
            [edit.rowid, *values],
        )
        return
    position = columns.index(alias)
    if taken:
        old = values[position]
        values[position] = None
        cursor = db.execute(f"INSERT INTO {_quote(table)} ({listed}) VALUES ({marks})", values)
        remap.setdefault((table, alias), {})[old] = int(cursor.lastrowid or 0)
    else:
        db.execute(f"INSERT INTO {_quote(table)} ({listed}) VALUES ({marks})", values)
