"""The merged cells of a worksheet, read from its XML without loading the sheet, and the
values they give the rows they cover."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from studyplan.io.roster_import import limits
from studyplan.io.roster_import.columns import SPREAD_FIELDS
from studyplan.model.errors import ImportFileError


class _StopParsing(Exception):
    """Raised from the expat handlers once the merged cells have been read."""


class _UnsafeXml(Exception):
    """A DOCTYPE or entity declaration, which no spreadsheet writer puts in a sheet."""


def merged_refs(source: Any, path: Path) -> list[str]:
    """The refs ("D2:D4") of the <mergeCell> elements in a worksheet's XML stream.

    Read-only worksheets do not expose merged cells: openpyxl reads <mergeCells> only when it
    loads the whole sheet, cells, styles and all, into memory. Expat streams the XML in
    chunks without building a tree, and stops at </mergeCells>, so this costs one more pass
    of the parser over the sheet and next to no memory, however large the file.
    """
    refs: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "mergeCell" and "ref" in attrs:
            refs.append(attrs["ref"])
            if len(refs) > limits.MAX_MERGED_RANGES:
                limit = limits.MAX_MERGED_RANGES
                raise ImportFileError(
                    f"名单中的合并单元格超过 {limit} 个，不像是成员名单：{path.name}"
                )

    def end(name: str) -> None:
        if name.rpartition(" ")[2] == "mergeCells":
            raise _StopParsing

    def unsafe(*_args: Any) -> None:
        raise _UnsafeXml

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = unsafe
    parser.EntityDeclHandler = unsafe
    try:
        while chunk := source.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _StopParsing:
        pass
    return refs


@dataclass
class Merges:
    """The merged cells below the header that the rows need: which cells take their value
    from another (the top-left cell of their range), and which rows continue a person whose
    姓名 cell is merged over several rows."""

    #: 1-based column -> sorted (first row, last row, anchor row, anchor column) of its ranges.
    spans: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    #: Anchor cells (row, column) whose value the rows below will need.
    anchors: set[tuple[int, int]] = field(default_factory=set)
    #: Sorted (first row, last row) of the 姓名 cells merged over several rows.
    names: list[tuple[int, int]] = field(default_factory=list)
    #: Values seen at the anchor cells so far (rows are read top to bottom).
    values: dict[tuple[int, int], Any] = field(default_factory=dict)

    @classmethod
    def read(cls, sheet: Any, header_row: int, columns: dict[str, int], path: Path) -> Merges:
        from openpyxl.utils.cell import range_boundaries

        merges = cls()
        refs = getattr(sheet, "merged_refs", None)
        if refs is None:
            get_source = getattr(sheet, "_get_source", None)
            if get_source is None:  # not a read-only sheet: nothing to read the XML from
                return merges
            with get_source() as source:
                refs = merged_refs(source, path)
        spread = {columns[key] + 1 for key in SPREAD_FIELDS if key in columns}
        name_column = columns["name"] + 1
        for ref in refs:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (TypeError, ValueError):
                continue  # a ref Excel would not write: leave those cells as they are
            if None in (min_col, min_row, max_col, max_row) or min_row <= header_row:
                continue  # a title or a header spanning rows is not data
            assert min_col and min_row and max_col and max_row
            hit = [c for c in spread if min_col <= c <= max_col]
            for column in hit:
                merges.spans.setdefault(column, []).append((min_row, max_row, min_row, min_col))
            if hit:
                merges.anchors.add((min_row, min_col))
            if min_col <= name_column <= max_col and max_row > min_row:
                merges.names.append((min_row, max_row))
        for spans in merges.spans.values():
            spans.sort()
        merges.names.sort()
        return merges

    def note(self, number: int, values: tuple[Any, ...]) -> None:
        """Keep the values of anchor cells in row `number` for the rows below."""
        for column, value in enumerate(values, start=1):
            if (number, column) in self.anchors:
                self.values[(number, column)] = value

    def name_start(self, number: int) -> int | None:
        """The first row of the merged 姓名 cell that row `number` continues, if any."""
        index = bisect.bisect_right(self.names, (number, float("inf"))) - 1
        if index < 0:
            return None
        first, last = self.names[index]
        return first if first < number <= last else None

    def value(self, number: int, column: int, own: Any) -> Any:
        """The value cell (number, column) shows: its own, or its merged range's."""
        spans = self.spans.get(column)
        if not spans:
            return own
        index = bisect.bisect_right(spans, (number, float("inf"))) - 1
        if index < 0:
            return own
        first, last, anchor_row, anchor_column = spans[index]
        if not first <= number <= last or (number, column) == (anchor_row, anchor_column):
            return own
        return self.values.get((anchor_row, anchor_column), own)
