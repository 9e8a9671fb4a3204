"""The measurements that run inside their own process, started by `bench/run.py`.

`python bench/tasks.py TASK ARGS…` prints one line `BENCH-RESULT {json}` last. Tasks:

- `gui DB RUNS WARMUP` — a main window on DB (offscreen): month switches, year switches, and
  opening the 考勤 view of an unmarked session and marking everyone present;
- `schedule DB RUNS WARMUP YEAR` — `PlanningService.propose_schedule` for YEAR, which gets
  the bundled plan and must have no sessions;
- `ledger DB OUT` — one all-years `export_ledger`, and the process's peak memory after it;
- `ledger-cells XLSX JSON` — read the ledger back: its non-empty cells, saved for the next;
- `bare-xlsx JSON OUT` — those cells written again to a write-only workbook (the baseline);
- `archive DB OUT YEAR` — one 学习档案专卷 of YEAR as a .zip, with the sign-in PDFs and the
  charts drawn by Qt (offscreen), as `studyplan export archive` writes it.

Times are milliseconds of `time.perf_counter`; warm-up rounds are measured but not returned.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

RESULT_PREFIX = "BENCH-RESULT "


def _emit(result: dict) -> None:
    print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def peak_rss_kib() -> int:
    """This process's peak resident memory (VmHWM) in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


# -- gui ---------------------------------------------------------------------------------
def _free_past_workdays(planning, year: int, count: int) -> list[dt.date]:
    """The latest `count` working days up to yesterday without a session, from `year` back."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    taken = {s.date for s in planning.sessions()}
    days: list[dt.date] = []
    while len(days) < count and year >= 1950:
        last = min(dt.date(year, 12, 31), yesterday)
        if last.year == year:
            free = [
                d
                for d in planning.calendar.working_days(dt.date(year, 1, 1), last)
                if d not in taken
            ]
            days.extend(reversed(free[-(count - len(days)) :]))
        year -= 1
    return days


def _unmarked_sessions(planning, year: int, count: int) -> list[int]:
    """Add `count` past sessions without attendance marks (one per run of the 考勤 task)."""
    from studyplan.model.plan import Session

    topics = [t.number for t in planning.topics(year)][:1]
    ids = []
    for day in _free_past_workdays(planning, year, count):
        session = Session(
            date=day,
            start=dt.time(15, 0),
            end=dt.time(17, 0),
            location="局机关三楼会议室",
            topic_numbers=tuple(topics) if day.year == year else (),
        )
        ids.append(planning.save_session(session))
    return ids


def _paint_counter(widget):
    """An event filter on `widget` whose `count` goes up with every paint event it gets."""
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__(widget)
            self.count = 0
            widget.installEventFilter(self)

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return PaintCounter()


def task_gui(db_path: str, runs: int, warmup: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qVersion

    from studyplan.gui.app import application, open_context
    from studyplan.gui.main_window import MainWindow

    app = application()
    with open_context(Path(db_path)) as services:
        planning = services.planning
        years = [y for y in planning.years() if planning.sessions(y)]
        last = years[-1]
        session_ids = _unmarked_sessions(planning, last, warmup + runs)

        window = MainWindow(services)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        calendar = window.calendar

        grid = calendar.view.viewport()
        painted = _paint_counter(grid)

        def settle() -> None:
            """Let Qt handle what the switch posted; the month grid must have been painted
            by then, or it is painted now (once either way)."""
            painted.count = 0
            app.processEvents()
            if not painted.count:
                grid.repaint()

        def rounds(one_round: Callable[[], list[float]]) -> list[float]:
            times: list[float] = []
            for number in range(warmup + runs):
                measured = one_round()
                if number >= warmup:
                    times.extend(measured)
            return times

        # Month: January to December and back to January of the last demo year.
        window.show_view("calendar")
        calendar.set_month(last, 1)
        settle()

        def month_round() -> list[float]:
            times = []
            for month in [*range(2, 13), 1]:
                start = time.perf_counter()
                calendar.set_month(last, month)
                settle()
                times.append(_ms(start))
            return times

        month_times = rounds(month_round)

        # Year: through every demo year with the year switcher, as a click in it does.
        def year_round() -> list[float]:
            times = []
            for year in [*years[:-1], last]:
                index = window.year_combo.findData(year)
                start = time.perf_counter()
                window.year_combo.setCurrentIndex(index)
                settle()
                times.append(_ms(start))
            return times

        year_times = rounds(year_round)
        assert window.year == last and calendar.year == last

        # 考勤: open a session nobody is marked for yet, then 全部出席.
        window.show_view("attendance")
        app.processEvents()
        view = window.attendance
        pending = iter(session_ids)
        expected: list[int] = []

        def attendance_round() -> list[float]:
            session_id = next(pending)
            start = time.perf_counter()
            view.set_session(session_id)
            view.all_present_button.click()
            app.processEvents()
            elapsed = _ms(start)
            counts = view.counts()
            assert counts.unmarked == 0 and counts.attended == counts.expected, counts
            expected.append(counts.expected)
            return [elapsed]

        attendance_times = rounds(attendance_round)
        window.close()
        window.deleteLater()
        app.processEvents()
    return {
        "month_ms": month_times,
        "year_ms": year_times,
        "attendance_ms": attendance_times,
        "years": years,
        "members": max(expected) if expected else 0,
        "qt": qVersion(),
    }


# -- schedule ----------------------------------------------------------------------------
def task_schedule(db_path: str, runs: int, warmup: int, year: int) -> dict:
    from dataclasses import replace

    from studyplan.app.planning import PlanningService
    from studyplan.io.bundled import bundled_years, load_bundled_plan
    from studyplan.model.plan import Plan, ScheduleRequest
    from studyplan.store import plans as plan_store
    from studyplan.store.db import transaction
    from studyplan.store.opening import connect

    db = connect(db_path)
    planning = PlanningService(db)
    if planning.sessions(year):
        raise SystemExit(f"{year} already has sessions")
    if not plan_store.has_plan(db, year):
        template = load_bundled_plan(bundled_years()[-1])
        plan = Plan(
            year=year,
            title=template.title.replace(str(template.year), str(year)),
            topics=tuple(replace(t, year=year, id=None) for t in template.topics),
            source="基准测试",
        )
        with transaction(db):
            plan_store.save_plan(db, plan)
    request = ScheduleRequest(year=year)
    times = []
    proposed = 0
    for number in range(warmup + runs):
        # A new service each time: the working-day table of the year is built afresh, as
        # when the secretary first schedules a year she has not looked at yet.
        service = PlanningService(db)
        start = time.perf_counter()
        proposal = service.propose_schedule(request)
        elapsed = _ms(start)
        proposed = len(proposal.new_sessions)
        if number >= warmup:
            times.append(elapsed)
    db.conn.close()
    return {"schedule_ms": times, "year": year, "sessions": proposed}


# -- ledger ------------------------------------------------------------------------------
def task_ledger(db_path: str, out: str) -> dict:
    import openpyxl  # noqa: F401 - loaded before the clock starts, as for the baseline

    from studyplan.app.ledger import export_ledger
    from studyplan.store.opening import connect

    db = connect(db_path)
    start = time.perf_counter()
    export_ledger(db, Path(out), None)
    elapsed = _ms(start)
    db.conn.close()
    return {"export_ms": elapsed, "peak_rss_kib": peak_rss_kib()}


def task_bare_xlsx(cells_json: str, out: str) -> dict:
    """The cells read back from the ledger (values only, at their places) written again
    into a write-only workbook: the same output without the ledger's formatting."""
    from openpyxl import Workbook

    sheets = json.loads(Path(cells_json).read_text(encoding="utf-8"))
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(out)
    elapsed = _ms(start)
    cells = sum(value is not None for rows in sheets.values() for row in rows for value in row)
    return {"write_ms": elapsed, "cells": cells}


def task_ledger_cells(path: str, cells_json: str) -> dict:
    """Read a workbook back: its non-empty cells, saved as JSON for `bare-xlsx`."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    sheets: dict[str, list[list[object]]] = {}
    cells = 0
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = [None if value == "" else value for value in row]
            while values and values[-1] is None:
                values.pop()
            cells += sum(value is not None for value in values)
            rows.append(values)
        sheets[ws.title] = rows
    wb.close()
    Path(cells_json).write_text(json.dumps(sheets, ensure_ascii=False), encoding="utf-8")
    return {"cells": cells, "sheets": len(sheets)}


# -- archive -----------------------------------------------------------------------------
def task_archive(db_path: str, out: str, year: int) -> dict:
    """The volume of a year, timed from an open database to the finished .zip; the modules
    it uses and the QApplication are loaded first (the window has them already)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import docxtpl  # noqa: F401
    import openpyxl  # noqa: F401

    from studyplan.app.archive import export_archive
    from studyplan.app.context import Context
    from studyplan.gui.app import application
    from studyplan.gui.reports_export import renderers
    from studyplan.gui.signin_print import write_signin_pdf  # noqa: F401
    from studyplan.gui.stats.chart_images import render_chart_images  # noqa: F401

    application()
    context = Context.open(db_path)
    held = sum(1 for s in context.planning.sessions(year) if s.status.value == "held")
    start = time.perf_counter()
    export_archive(context, year, Path(out), renderers=renderers())
    elapsed = _ms(start)
    with zipfile.ZipFile(out) as packed:
        files = len(packed.namelist())
    context.db.conn.close()
    return {"archive_ms": elapsed, "sessions": held, "files": files}


def main(argv: list[str]) -> int:
    task, *args = argv
    if task == "gui":
        result = task_gui(args[0], int(args[1]), int(args[2]))
    elif task == "schedule":
        result = task_schedule(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif task == "ledger":
        result = task_ledger(args[0], args[1])
    elif task == "bare-xlsx":
        result = task_bare_xlsx(args[0], args[1])
    elif task == "ledger-cells":
        result = task_ledger_cells(args[0], args[1])
    elif task == "archive":
        result = task_archive(args[0], args[1], int(args[2]))
    else:
        print(f"unknown task: {task}", file=sys.stderr)
        return 2
    _emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
