"""Tables printed for the command line as CSV: the same formula escape as every CSV file
the app saves (io/csvfile), so a session's text never runs as a formula in Excel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from studyplan.io.csvfile import write_rows

__all__ = ["print_csv"]


def print_csv(stream: TextIO, rows: Iterable[Sequence[object]]) -> None:
    """Write `rows` (the header first) as CSV to `stream`."""
    write_rows(stream, rows)
