"""CSV files the secretary opens in Excel or WPS: UTF-8 with a BOM, formulas defused."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from studyplan.io.files import atomic_write

#: A cell starting with one of these is run as a formula by Excel (=, +, -, @) or turned into
#: one after a paste (tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Text Excel would run as a formula is shown as text instead."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def write_rows(stream: TextIO, rows: Iterable[Sequence[object]]) -> None:
    """CSV to an open text stream (the command line's stdout), formulas defused as in a
    file."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([formula_safe(str(c)) for c in row])


def write_csv(path: str | Path, rows: Sequence[Sequence[str]]) -> Path:
    """Write `rows` to `path` in one step (the old file stays until the new one is whole)."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([[formula_safe(c) for c in row] for row in rows])

    return atomic_write(path, write)
