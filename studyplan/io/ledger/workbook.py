"""The ledger workbook written as one file: its six sheets in order, progress as they are
written, the file replaced only when the new one is complete, and a cancel heard between
rows and sheets (the window's 取消 stops a ten-year ledger within a moment)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from studyplan.io.files import atomic_write
from studyplan.io.ledger.data import LedgerData
from studyplan.io.ledger.followup_sheets import leave_sheet, makeup_sheet, statistics_sheet
from studyplan.io.ledger.layout import Styles
from studyplan.io.ledger.list_sheets import LIST_SHEETS
from studyplan.io.ledger.session_sheets import attendance_sheet, ledger_sheet, plan_sheet
from studyplan.model.errors import ExportCancelled, ExportFileError


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the ledger is read and built: tens of thousands of
    objects stay alive until the save, and the collector would walk them again and again
    (about a fifth of the build time). Nothing cyclic is dropped meanwhile; it is back on
    after (as it was: a pause inside another leaves it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_ledger(
    data: LedgerData,
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write the workbook of `data` to `path` as .xlsx; returns the path.

    `progress(done, total)` is called as the sheets are written. An existing file is
    replaced only when the new one is complete; a folder that does not exist, or a file
    held open by another program, gives ExportFileError. `cancelled()` is asked between
    rows and sheets and before the file is moved into place: once it is true, the export
    stops with ExportCancelled and leaves no file behind.
    """
    with collector_paused():
        return _write_ledger(data, Path(path), progress, cancelled or _never)


def _never() -> bool:
    return False


def _write_ledger(
    data: LedgerData,
    target: Path,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool],
) -> Path:
    from openpyxl import Workbook

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFileError(f"保存位置不存在：{folder}")

    total = (
        len(data.stats.topics)
        + len(data.sessions)
        + len(data.stats.members)
        + len(data.leave)
        + len(data.makeups)
        + len(data.stats.members)
        + len(data.stats.topics)
        + len(data.stats.per_quarter)
        + 3
        + sum(len(r.problems) for r in data.compliance)
        + 1
        + sum(
            len(x.topics) * 2 + len(x.sessions) + len(x.results) + len(x.members)
            for x in data.lists
        )
    )
    done = 0

    def tick(step: int) -> None:
        nonlocal done
        if cancelled():
            raise ExportCancelled()
        done = min(done + step, total - 1)
        if progress is not None and (done % 25 == 0 or step > 1):
            progress(done, total)

    if progress is not None:
        progress(0, total)
    wb = Workbook()
    wb.remove(wb.active)
    st = Styles()
    try:
        for write in (
            plan_sheet,
            ledger_sheet,
            attendance_sheet,
            leave_sheet,
            makeup_sheet,
            statistics_sheet,
            *LIST_SHEETS,
        ):
            if cancelled():
                raise ExportCancelled()
            write(wb, data, st, tick)
            if progress is not None:
                progress(done, total)
        wb.active = 0
        result = atomic_write(target, lambda tmp: wb.save(tmp), cancelled=cancelled)
    finally:
        _release(wb)
    if progress is not None:
        progress(total, total)
    return result


def _release(wb) -> None:
    """Let the saved workbook go by reference counting. Its cells, row and column
    dimensions and merged ranges refer back to their sheet, so without this the collector,
    back on, would walk every object the export made (a tenth of its time) to free them."""
    for ws in wb.worksheets:
        ws._cells.clear()
        ws.row_dimensions.clear()
        ws.column_dimensions.clear()
        ws.merged_cells.ranges.clear()
