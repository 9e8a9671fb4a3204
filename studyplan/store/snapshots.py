"""Row snapshots for undo: rows as they were, with everything that depends on them.

`capture` reads some rows of one table and, following the schema's foreign keys (found with
`PRAGMA foreign_key_list`, so a new table is covered without changes here), every row that
would disappear with them through ON DELETE CASCADE, and every reference ON DELETE SET NULL
would clear. `restore` writes such a snapshot back in one transaction, parents before
children, with the original ids. Should an integer id have been taken meanwhile (a table
without AUTOINCREMENT reuses the highest number after a deletion; any row written with an
explicit id can take one), the row gets a fresh id and the rows that point at it follow;
the returned snapshot holds the ids as restored. The audit trail and the migrations table
are never captured.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from studyplan.model.errors import UndoError
from studyplan.store import migrations as mig
from studyplan.store.db import Database, transaction

#: Tables a snapshot never reads or writes.
SKIPPED_TABLES = frozenset({"audit_log", mig.MIGRATIONS_TABLE})
#: Values per `IN (…)` list, well below SQLite's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class Reference:
    """A single-column foreign key: `child.column` points at `parent.parent_column`."""

    child: str
    column: str
    parent: str
    parent_column: str
    on_delete: str


@dataclass(frozen=True)
class Rows:
    """Rows of one table, each with its rowid, in the order they must be written back."""

    table: str
    columns: tuple[str, ...]
    rowids: tuple[int, ...]
    values: tuple[tuple[object, ...], ...]

    def dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.values]


@dataclass(frozen=True)
class Link:
    """A reference ON DELETE SET NULL clears: `table.column` of row `rowid` held `value`."""

    table: str
    column: str
    rowid: int
    value: object
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Snapshot:
    """Rows of `table` whose `key` is one of `ids`, then the rows depending on them."""

    table: str
    key: str
    ids: tuple[Any, ...]
    parts: tuple[Rows, ...] = ()
    links: tuple[Link, ...] = ()

    @cached_property
    def _by_table(self) -> dict[str, list[dict[str, object]]]:
        grouped: dict[str, list[dict[str, object]]] = {}
        for part in self.parts:
            grouped.setdefault(part.table, []).extend(part.dicts())
        return grouped

    def rows(self, table: str | None = None) -> list[dict[str, object]]:
        """The captured rows of `table` (default: the snapshot's own table) as dicts."""
        return list(self._by_table.get(table or self.table, []))

    def count(self, table: str | None = None) -> int:
        """Rows captured in `table`, or in every table when None."""
        if table is None:
            return sum(len(part.rowids) for part in self.parts)
        return len(self._by_table.get(table, []))

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables with captured rows, parents first."""
        return tuple(dict.fromkeys(part.table for part in self.parts if part.rowids))

    def only(self, ids: Iterable[object]) -> Snapshot:
        """The snapshot's own rows whose key is among `ids`; dependent rows are dropped."""
        wanted = set(ids)
        root = next((p for p in self.parts if p.table == self.table), None)
        if root is None:
            return Snapshot(self.table, self.key, ())
        position = root.columns.index(self.key)
        kept = [
            (rowid, row)
            for rowid, row in zip(root.rowids, root.values, strict=True)
            if row[position] in wanted
        ]
        part = Rows(
            root.table,
            root.columns,
            tuple(rowid for rowid, _ in kept),
            tuple(row for _, row in kept),
        )
        return Snapshot(
            self.table, self.key, tuple(row[position] for _, row in kept), (part,) if kept else ()
        )


# -- the schema ----------------------------------------------------------------------------
def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(db: Database) -> list[str]:
    """The tables a snapshot may touch: every user table but the audit and migration ones."""
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


def primary_key(db: Database, table: str) -> tuple[str, ...]:
    """The primary-key columns of `table`, in key order."""
    info = [row for row in _table_info(db, table) if row[5]]
    return tuple(row[1] for row in sorted(info, key=lambda row: row[5]))


def rowid_alias(db: Database, table: str) -> str | None:
    """The INTEGER PRIMARY KEY column that is the rowid itself, if the table has one."""
    info = [row for row in _table_info(db, table) if row[5]]
    if len(info) == 1 and str(info[0][2]).strip().upper() == "INTEGER":
        return str(info[0][1])
    return None


def references(db: Database) -> list[Reference]:
    """Every single-column foreign key between the tables `tables` lists."""
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
                key = primary_key(db, parent)
                if len(key) != 1:
                    continue
                to = key[0]
            found.append(Reference(child, column, parent, to, str(on_delete).upper()))
    return found


# -- capturing -----------------------------------------------------------------------------
def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _select(
    db: Database, table: str, column: str, values: Sequence[object]
) -> tuple[tuple[str, ...], list[tuple[int, tuple[object, ...]]]]:
    """(column names, [(rowid, row)]) of the rows whose `column` is one of `values`."""
    columns = tuple(row[1] for row in _table_info(db, table))
    found: list[tuple[int, tuple[object, ...]]] = []
    listed = ", ".join(_quote(c) for c in columns)
    for chunk in _chunks(values):
        marks = ", ".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT rowid, {listed} FROM {_quote(table)} "
            f"WHERE {_quote(column)} IN ({marks}) ORDER BY rowid",
            list(chunk),
        ):
            found.append((int(row[0]), tuple(row[1:])))
    return columns, found


def _single_key(db: Database, table: str) -> str:
    key = primary_key(db, table)
    if len(key) != 1:
        raise ValueError(f"snapshots need a single-column primary key: {table}")
    return key[0]


def capture(db: Database, table: str, ids: Iterable[object], *, cascade: bool = True) -> Snapshot:
    """The rows of `table` with these primary keys and, with `cascade`, every row that
    deleting them would delete or unlink (followed recursively)."""
    if table in SKIPPED_TABLES:
        raise ValueError(f"table {table} is never captured")
    key = _single_key(db, table)
    wanted = tuple(dict.fromkeys(ids))
    refs = references(db) if cascade else []
    seen: dict[str, set[int]] = {}
    parts: list[Rows] = []
    links: list[Link] = []
    queue: list[tuple[str, str, Sequence[object]]] = [(table, key, wanted)]
    while queue:
        current, column, values = queue.pop(0)
        if not values:
            continue
        columns, found = _select(db, current, column, values)
        done = seen.setdefault(current, set())
        fresh = [(rowid, row) for rowid, row in found if rowid not in done]
        if not fresh:
            continue
        done.update(rowid for rowid, _ in fresh)
        parts.append(
            Rows(
                current,
                columns,
                tuple(rowid for rowid, _ in fresh),
                tuple(row for _, row in fresh),
            )
        )
        for ref in refs:
            if ref.parent != current:
                continue
            position = columns.index(ref.parent_column)
            keys = tuple(dict.fromkeys(r[position] for _, r in fresh if r[position] is not None))
            if ref.on_delete == "CASCADE":
                queue.append((ref.child, ref.column, keys))
            elif ref.on_delete == "SET NULL":
                for chunk in _chunks(keys):
                    marks = ", ".join("?" * len(chunk))
                    for rowid, value in db.execute(
                        f"SELECT rowid, {_quote(ref.column)} FROM {_quote(ref.child)} "
                        f"WHERE {_quote(ref.column)} IN ({marks})",
                        list(chunk),
                    ):
                        links.append(
                            Link(ref.child, ref.column, rowid, value, ref.parent, ref.parent_column)
                        )
    root = next((p for p in parts if p.table == table), None)
    captured: tuple[object, ...] = ()
    if root is not None:
        position = root.columns.index(key)
        captured = tuple(row[position] for row in root.values)
    return Snapshot(table, key, captured, tuple(parts), tuple(links))


# -- writing back ----------------------------------------------------------------------------
def _exists(db: Database, table: str, column: str, value: object) -> bool:
    sql = f"SELECT 1 FROM {_quote(table)} WHERE {_quote(column)} = ? LIMIT 1"
    return db.execute(sql, [value]).fetchone() is not None


def _insert(db: Database, table: str, columns: Sequence[str], values: Sequence[object]) -> int:
    listed = ", ".join(_quote(c) for c in columns)
    marks = ", ".join("?" * len(columns))
    cursor = db.execute(f"INSERT INTO {_quote(table)} ({listed}) VALUES ({marks})", list(values))
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


_Remap = dict[tuple[str, str], dict[object, object]]


def _restore_part(
    db: Database, part: Rows, pointing: dict[str, tuple[str, str]], remap: _Remap
) -> Rows:
    """Insert one part's rows, pointing them at remapped parents and remapping a taken id."""
    alias = rowid_alias(db, part.table)
    rowids: list[int] = []
    rows: list[tuple[object, ...]] = []
    for rowid, original in zip(part.rowids, part.values, strict=True):
        values = list(original)
        for position, column in enumerate(part.columns):
            moved = remap.get(pointing.get(column, ("", "")), {})
            if values[position] in moved:
                values[position] = moved[values[position]]
        if alias is None:
            if _exists(db, part.table, "rowid", rowid):
                rowid = _insert(db, part.table, part.columns, values)
            else:
                _insert(db, part.table, ("rowid", *part.columns), (rowid, *values))
        else:
            position = part.columns.index(alias)
            old = values[position]
            if old is not None and _exists(db, part.table, alias, old):
                values[position] = None
                rowid = _insert(db, part.table, part.columns, values)
                remap.setdefault((part.table, alias), {})[old] = rowid
                values[position] = rowid
            else:
                rowid = _insert(db, part.table, part.columns, values)
        rowids.append(rowid)
        rows.append(tuple(values))
    return Rows(part.table, part.columns, tuple(rowids), tuple(rows))


def restore(db: Database, snapshot: Snapshot) -> Snapshot:
    """Write the snapshot's rows back, parents first, in one transaction; returns it as
    restored (an id taken meanwhile is replaced by a fresh one, and the rows pointing at it
    follow). Raises UndoError, writing nothing, when a row no longer fits (e.g. it points at
    a row deleted since)."""
    refs = references(db)
    remap: _Remap = {}
    parts: list[Rows] = []
    links: list[Link] = []
    try:
        with transaction(db):
            for part in snapshot.parts:
                pointing = {
                    r.column: (r.parent, r.parent_column) for r in refs if r.child == part.table
                }
                parts.append(_restore_part(db, part, pointing, remap))
            for link in snapshot.links:
                value = remap.get((link.parent, link.parent_column), {}).get(link.value, link.value)
                db.execute(
                    f"UPDATE {_quote(link.table)} SET {_quote(link.column)} = ? "
                    f"WHERE rowid = ? AND {_quote(link.column)} IS NULL",
                    [value, link.rowid],
                )
                links.append(replace(link, value=value))
    except sqlite3.IntegrityError as exc:
        raise UndoError(
            "无法恢复已删除的记录：与之相关的数据已被修改或删除，数据库未做任何改动。"
        ) from exc
    mapping = remap.get((snapshot.table, snapshot.key), {})
    ids = tuple(mapping.get(i, i) for i in snapshot.ids)
    return Snapshot(snapshot.table, snapshot.key, ids, tuple(parts), tuple(links))


def delete(db: Database, snapshot: Snapshot) -> int:
    """Delete the snapshot's own rows (their dependants go by the schema's cascades);
    returns how many were deleted. The caller owns the transaction."""
    removed = 0
    for chunk in _chunks(snapshot.ids):
        marks = ", ".join("?" * len(chunk))
        cursor = db.execute(
            f"DELETE FROM {_quote(snapshot.table)} WHERE {_quote(snapshot.key)} IN ({marks})",
            list(chunk),
        )
        removed += cursor.rowcount
    return removed


def overwrite(db: Database, target: Snapshot, *, only_if: Snapshot | None = None) -> int:
    """Give the snapshot's own rows that still exist the values it holds; returns how many
    rows changed. With `only_if`, a column is written only while it still holds `only_if`'s
    value, so a change made since is kept. The caller owns the transaction."""
    expected = {row[target.key]: row for row in only_if.rows()} if only_if else None
    changed = 0
    for row in target.rows():
        key = row[target.key]
        current = db.execute(
            f"SELECT * FROM {_quote(target.table)} WHERE {_quote(target.key)} = ?", [key]
        )
        names = [d[0] for d in current.description]
        found = current.fetchone()
        if found is None:
            continue
        now = dict(zip(names, found, strict=True))
        columns = []
        for column, value in row.items():
            if column == target.key or column not in now or now[column] == value:
                continue
            if expected is not None:
                before = expected.get(key)
                if before is None or before.get(column) != now[column]:
                    continue
            columns.append(column)
        if not columns:
            continue
        assignments = ", ".join(f"{_quote(c)} = ?" for c in columns)
        db.execute(
            f"UPDATE {_quote(target.table)} SET {assignments} WHERE {_quote(target.key)} = ?",
            [row[c] for c in columns] + [key],
        )
        changed += 1
    return changed
