"""A change the user can take back (编辑 > 撤销/重做), whatever use case made it.

A use case marked `@undoable` runs as usual when called; run through `do`, its writes are
recorded row by row (`store.rowlog`) and it returns a `Change`: the Edit-menu text, what it
touched (tables, and the sessions, members and leave requests), and `undo()`/`redo()`,
which raise UndoError with one sentence, writing nothing, when the data moved on meanwhile
so that the step no longer fits. The use case gives its rules beside it: the sentences, the
tables where later edits are simply kept, checks of its own (`guard`), and what must follow
a step (`settle`, e.g. a session's status).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

from studyplan.store import rowlog
from studyplan.store.db import Database, transaction
from studyplan.store.rowlog import Refusals, RowLog

P = ParamSpec("P")
T = TypeVar("T")

#: guard(log, doing, now): raise UndoError (or ValidationError) when writing `log`'s
#: "before" values back (`doing`: 撤销 or 重做) must not happen as of `now`.
Guard = Callable[[RowLog, str, dt.datetime | None], None]


@dataclass
class Rules:
    """How a use case's change is described, refused and settled."""

    text: str
    refusals: Refusals = field(default_factory=lambda: Refusals({}))
    guard: Guard | None = None
    settle: Callable[[], None] | None = None


#: rules(service, result, log) -> Rules, given after the use case ran.
RulesFor = Callable[[Any, Any, RowLog], Rules]


def undoable(rules: RulesFor) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Mark a service method as a use case `do` can record, with its rules."""

    def mark(method: Callable[P, T]) -> Callable[P, T]:
        method.__undo_rules__ = rules  # type: ignore[attr-defined]
        return method

    return mark


class Change(Generic[T]):
    """One recorded step: its text, what it touched, and how to undo and redo it."""

    def __init__(self, db: Database, result: T, log: RowLog, rules: Rules) -> None:
        self.db = db
        #: What the use case returned.
        self.result = result
        self.text = rules.text
        self._rules = rules
        self._log = log
        self._first = log
        self.undone = False
        #: Rows the last undo or redo wrote.
        self.written = 0

    # -- what it touched ------------------------------------------------------------------
    @property
    def log(self) -> RowLog:
        """The rows the last step (the use case, an undo or a redo) changed."""
        return self._log

    @property
    def tables(self) -> frozenset[str]:
        return self._first.tables | self._log.tables

    def touches(self, tables: Iterable[str]) -> bool:
        """True when the change wrote to one of `tables`."""
        return bool(self.tables & set(tables))

    def _ids(self, own: str, column: str | None = None) -> frozenset[int]:
        found: set[Any] = set()
        for log in (self._first, self._log):
            found |= {e.rowid for e in log.edits if e.table == own}
            for table in log.tables if column else ():
                found |= log.values(table, column or "")
        return frozenset(int(i) for i in found)

    @property
    def session_ids(self) -> frozenset[int]:
        return self._ids("sessions", "session_id")

    @property
    def member_ids(self) -> frozenset[int]:
        return self._ids("members", "member_id")

    @property
    def request_ids(self) -> frozenset[int]:
        return self._ids("leave_requests")

    # -- undo and redo --------------------------------------------------------------------
    def undo(self, now: dt.datetime | None = None) -> None:
        """Take the change back; UndoError, nothing written, when it no longer fits."""
        self._step(undoing=True, now=now)

    def redo(self, now: dt.datetime | None = None) -> None:
        """Make an undone change again, by the same rules."""
        self._step(undoing=False, now=now)

    def _step(self, *, undoing: bool, now: dt.datetime | None) -> None:
        if undoing == self.undone:
            raise ValueError("undo and redo take turns")
        rules = self._rules
        doing = "撤销" if undoing else "重做"
        with transaction(self.db), rowlog.recording(self.db) as seen:
            if rules.guard is not None:
                rules.guard(self._log, doing, now)
            self.written = rowlog.revert(self.db, self._log, rules.refusals, doing)
            if rules.settle is not None:
                rules.settle()
        self._log = seen.log
        self.undone = undoing


def do(use_case: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Change[T]:
    """Run an `@undoable` service method, recording what it writes; its Change."""
    rules_for: RulesFor | None = getattr(use_case, "__undo_rules__", None)
    service = getattr(use_case, "__self__", None)
    if rules_for is None or service is None:
        raise TypeError(f"{use_case!r} is not an undoable use case")
    db: Database = service.db
    with rowlog.recording(db) as seen:
        result = use_case(*args, **kwargs)
    return Change(db, result, seen.log, rules_for(service, result, seen.log))
