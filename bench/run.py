"""Benchmarks at scale, each against a fixed target: `python bench/run.py [--runs N] [--quick]`.

Builds a demo database of ten years × 60 members in a temporary folder, measures start-up,
calendar switching, the 考勤 view, auto-scheduling, the ledger export, the archive volume
of a year and the demo build itself, and prints a table of medians with their targets. The
full run also writes the table and the machine it ran on to bench/RESULTS.md. `--quick` runs
everything once on one year × 8 members, so the benchmark code can be checked quickly
(tests/test_bench_smoke.py); its numbers mean nothing. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TASKS = BENCH / "tasks.py"
BARE_WINDOW = BENCH / "bare_window.py"
RESULTS = BENCH / "RESULTS.md"
DEFAULT_BUNDLE = ROOT / "dist" / "studyplan"  # where packaging/build.py puts it
RESULT_PREFIX = "BENCH-RESULT "
COMMAND_TIMEOUT = 600  # seconds for any one process
SAVED = "已保存截图"  # the line `studyplan --screenshot` and bare_window.py print once saved
#: The year auto-scheduling plans: far from the demo years, so it has no sessions.
SCHEDULE_YEAR = 2040


@dataclass(frozen=True)
class Size:
    year: int
    years: int
    members: int

    @property
    def label(self) -> str:
        last = self.year + self.years - 1
        return f"{self.years} years × {self.members} members ({self.year}–{last})"


FULL = Size(year=2017, years=10, members=60)
QUICK = Size(year=2017, years=1, members=8)


@dataclass
class Row:
    """One measure: its median against the target (lower is better)."""

    name: str
    value: float
    unit: str
    target: float
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.value <= self.target

    def shown(self, number: float) -> str:
        if self.unit == "×":
            return f"{number:.2f}×"
        if self.unit == "s":
            return f"{number:.2f} s"
        if self.unit == "MB":
            return f"{number:.0f} MB"
        return f"{number:.1f} ms"


@dataclass
class Report:
    size: Size
    runs: int
    quick: bool
    rows: list[Row] = field(default_factory=list)
    data: str = ""
    qt: str = ""
    seconds: float = 0.0


# -- processes ---------------------------------------------------------------------------
def child_env(work: Path) -> dict[str, str]:
    """The environment of every measured process: offscreen Qt, this checkout importable,
    and compiled bytecode kept (in the work folder) as an installed copy keeps it."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("STUDYPLAN_DB", None)
    env["PYTHONUNBUFFERED"] = "1"  # a line printed reaches us when printed, not at exit
    env["PYTHONIOENCODING"] = "utf-8"  # the lines we wait for are Chinese, on any platform
    return env


def timed(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    """Run `cmd` to the end; (wall seconds, stdout). A failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(
        list(cmd), env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr.strip()[-2000:]}"
        )
    return elapsed, done.stdout


def timed_to_line(cmd: Sequence[str], env: dict[str, str], marker: str) -> float:
    """Run `cmd` to the end; the wall seconds until it printed a line starting with `marker`.

    Start-up ends when the window is painted and saved, which both sides announce with such a
    line; what the process does after it (closing the window, the interpreter's shutdown) is
    not start-up. A failure, or no such line, stops the benchmark.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(list(cmd), env=env, stdout=subprocess.PIPE, stderr=errors)
        assert child.stdout is not None
        watchdog = threading.Timer(COMMAND_TIMEOUT, child.kill)  # a hung child ends the read
        watchdog.start()
        elapsed = None
        try:
            for raw in child.stdout:
                if elapsed is None and raw.decode("utf-8", "replace").startswith(marker):
                    elapsed = time.perf_counter() - start
            code = child.wait()
        finally:
            watchdog.cancel()
        if code != 0 or elapsed is None:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited with {code} before {marker!r}:\n{said}")
    return elapsed


def task(env: dict[str, str], *args: object) -> dict:
    """Run one task of bench/tasks.py and return what it reported."""
    _, out = timed([sys.executable, str(TASKS), *map(str, args)], env)
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"bench/tasks.py {args[0]} reported nothing:\n{out[-2000:]}")


def demo_command(db: Path, size: Size) -> list[str]:
    return [
        sys.executable,
        "-m",
        "studyplan",
        "--db",
        str(db),
        "demo",
        "--year",
        str(size.year),
        "--years",
        str(size.years),
        "--members",
        str(size.members),
    ]


def counted(count: int, singular: str, plural: str = "") -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def paired_ratio(measured: Sequence[float], baseline: Sequence[float]) -> float:
    """The median of the ratios of runs made back to back: a slower or faster spell of the
    machine then affects both sides of a ratio alike."""
    return statistics.median(m / b for m, b in zip(measured, baseline, strict=True))


def median_ms(times: Sequence[float]) -> float:
    return statistics.median(times) * 1000.0


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


# -- the measures ------------------------------------------------------------------------
def build_database(work: Path, env: dict[str, str], size: Size) -> tuple[Path, float, str]:
    """The database every other measure reads; its build is the demo build's warm-up."""
    db = work / "big.db"
    elapsed, out = timed(demo_command(db, size), env)
    return db, elapsed, out.strip()


def measure_demo(work: Path, env: dict[str, str], size: Size, runs: int) -> Row:
    times = []
    for number in range(runs):
        db = work / f"demo-{number}.db"
        elapsed, _ = timed(demo_command(db, size), env)
        times.append(elapsed)
        for leftover in work.glob(f"demo-{number}.db*"):
            leftover.unlink()
    return Row(
        f"Demo build, {size.years} years × {size.members} members (`python -m studyplan demo`)",
        statistics.median(times),
        "s",
        10.0,
        counted(len(times), "run"),
    )


def measure_startup(work: Path, env: dict[str, str], db: Path, runs: int, warmup: int) -> Row:
    """`studyplan --screenshot` against the bare PySide6 window, alternating, in fresh
    processes; the median of the pairs' ratios."""
    app_cmd = [sys.executable, "-m", "studyplan", "--db", str(db), "--screenshot"]
    bare_cmd = [sys.executable, str(BARE_WINDOW)]
    app_times, bare_times = [], []
    for number in range(warmup + runs):
        app = timed_to_line([*app_cmd, str(work / "app.png")], env, SAVED)
        bare = timed_to_line([*bare_cmd, str(work / "bare.png")], env, SAVED)
        if number >= warmup:
            app_times.append(app)
            bare_times.append(bare)
    app_ms, bare_ms = median_ms(app_times), median_ms(bare_times)
    return Row(
        "Cold start to the first painted main window, vs a bare PySide6 window",
        paired_ratio(app_times, bare_times),
        "×",
        1.5,
        f"`studyplan --screenshot` {app_ms:.0f} ms, bare QMainWindow + QCalendarWidget "
        f"{bare_ms:.0f} ms, each until its PNG is saved; fresh processes, "
        f"{counted(len(app_times), 'run')} each",
    )


def measure_gui(
    work: Path, env: dict[str, str], db: Path, runs: int, warmup: int
) -> tuple[list[Row], str]:
    copy = work / "gui.db"
    shutil.copyfile(db, copy)
    result = task(env, "gui", copy, runs, warmup)
    span = f"{result['years'][0]}–{result['years'][-1]}"
    rows = [
        Row(
            f"Calendar month switch, {len(result['years'])} years of data",
            statistics.median(result["month_ms"]),
            "ms",
            16.0,
            f"`set_month` + events + paint of the grid; "
            f"{counted(len(result['month_ms']), 'switch', 'switches')}",
        ),
        Row(
            "Calendar year switch (the year switcher)",
            statistics.median(result["year_ms"]),
            "ms",
            16.0,
            f"through {span} + events + paint; "
            f"{counted(len(result['year_ms']), 'switch', 'switches')}",
        ),
        Row(
            f"考勤: open a session of {result['members']} members and mark 全部出席",
            statistics.median(result["attendance_ms"]),
            "ms",
            50.0,
            f"`set_session` + 全部出席 click + events; "
            f"{counted(len(result['attendance_ms']), 'session')}",
        ),
    ]
    return rows, result["qt"]


def measure_schedule(work: Path, env: dict[str, str], db: Path, runs: int, warmup: int) -> Row:
    copy = work / "schedule.db"
    shutil.copyfile(db, copy)
    result = task(env, "schedule", copy, runs, warmup, SCHEDULE_YEAR)
    return Row(
        "Auto-schedule a year (`propose_schedule`)",
        statistics.median(result["schedule_ms"]),
        "ms",
        50.0,
        f"{result['year']} with the bundled plan, no sessions yet: "
        f"{counted(result['sessions'], 'session')} proposed; "
        f"{counted(len(result['schedule_ms']), 'run')}",
    )


def measure_ledger(work: Path, env: dict[str, str], db: Path, runs: int, warmup: int) -> list[Row]:
    """The all-years ledger against a write-only workbook of as many cells, alternating,
    each in its own process; the exporting process also reports its peak memory."""
    ledger = work / "ledger.xlsx"
    bare = work / "bare.xlsx"
    cells_json = work / "ledger-cells.json"
    first = task(env, "ledger", db, ledger)  # the warm-up, and the cells of the baseline
    size = task(env, "ledger-cells", ledger, cells_json)
    cells, sheets = size["cells"], size["sheets"]
    export_times, bare_times, peaks = [], [], []
    for number in range(runs):
        exported = first if number == 0 and not warmup else task(env, "ledger", db, ledger)
        written = task(env, "bare-xlsx", cells_json, bare)
        export_times.append(exported["export_ms"])
        peaks.append(exported["peak_rss_kib"])
        bare_times.append(written["write_ms"])
    export_ms, bare_ms = statistics.median(export_times), statistics.median(bare_times)
    return [
        Row(
            "Ledger export, all years, vs a bare openpyxl write-only workbook",
            paired_ratio(export_times, bare_times),
            "×",
            3.0,
            f"`export_ledger` {export_ms:.0f} ms, bare {bare_ms:.0f} ms for the same "
            f"{counted(cells, 'cell')} ({counted(sheets, 'sheet')}, values only); "
            f"{counted(len(export_times), 'run')}",
        ),
        Row(
            "Ledger export peak memory",
            max(peaks) / 1024.0,
            "MB",
            300.0,
            f"peak RSS (VmHWM) of the exporting process, highest of {counted(len(peaks), 'run')}",
        ),
    ]


def bundle_size_mb(bundle: Path) -> float:
    """What the bundle's folder takes on disk, in MB (10^6 bytes): its files' blocks where
    the system counts them, else their sizes."""
    total = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            status = path.stat()
            total += getattr(status, "st_blocks", status.st_size / 512) * 512
    return total / 1_000_000


def measure_bundle(
    work: Path, env: dict[str, str], db: Path, runs: int, warmup: int, bundle: Path
) -> list[Row]:
    """The bundle of `packaging/build.py`: its size, and its cold start against the same
    start from this Python (the venv), alternating, in fresh processes."""
    program = bundle / ("studyplan.exe" if sys.platform == "win32" else "studyplan")
    bundle_cmd = [str(program), "--db", str(db), "--screenshot"]
    venv_cmd = [sys.executable, "-m", "studyplan", "--db", str(db), "--screenshot"]
    bundle_times, venv_times = [], []
    for number in range(warmup + runs):
        frozen = timed_to_line([*bundle_cmd, str(work / "bundle.png")], env, SAVED)
        venv = timed_to_line([*venv_cmd, str(work / "venv.png")], env, SAVED)
        if number >= warmup:
            bundle_times.append(frozen)
            venv_times.append(venv)
    return [
        Row(
            "Bundle size on disk (`packaging/build.py`, dist/studyplan)",
            bundle_size_mb(bundle),
            "MB",
            150.0,
            f"{sum(1 for p in bundle.rglob('*') if p.is_file())} files",
        ),
        Row(
            "Bundle cold start to the first painted window, vs the same from the venv",
            paired_ratio(bundle_times, venv_times),
            "×",
            1.3,
            f"bundle {median_ms(bundle_times):.0f} ms, `python -m studyplan` "
            f"{median_ms(venv_times):.0f} ms, each until its PNG is saved; "
            f"{counted(len(bundle_times), 'run')} each",
        ),
    ]


def measure_archive(
    work: Path, env: dict[str, str], db: Path, size: Size, runs: int, warmup: int
) -> Row:
    """The 学习档案专卷 of the demo's last full year, each run in a fresh process."""
    year = size.year + size.years - 1
    if size.years > 1:
        year -= 1  # the demo's last year is the current one, held only up to today
    out = work / "archive.zip"
    times, result = [], {}
    for number in range(warmup + runs):
        out.unlink(missing_ok=True)
        result = task(env, "archive", db, out, year)
        if number >= warmup:
            times.append(result["archive_ms"] / 1000.0)
    return Row(
        f"学习档案专卷 of one year ({year}, {size.members} members) as a .zip",
        statistics.median(times),
        "s",
        10.0,
        f"`export_archive` with the sign-in PDFs and charts drawn offscreen: "
        f"{counted(result['sessions'], 'held session')}, {counted(result['files'], 'file')}; "
        f"fresh processes, {counted(len(times), 'run')}",
    )


# -- the report ----------------------------------------------------------------------------
def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_revision() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def machine(qt: str) -> list[tuple[str, str]]:
    cpu = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    os_name = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', _read("/etc/os-release"), re.MULTILINE)
    load = _read("/proc/loadavg").split()[:3]
    return [
        ("Date", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", cpu.group(1).strip() if cpu else platform.processor() or "unknown"),
        ("Cores", str(os.cpu_count())),
        ("RAM", f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "unknown"),
        (
            "OS",
            f"{os_name.group(1) if os_name else platform.system()} (kernel {platform.release()})",
        ),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PySide6", f"{_version('PySide6')} (Qt {qt or 'unknown'})"),
        ("SQLite", sqlite3.sqlite_version),
        (
            "Other",
            f"sqlite-utils {_version('sqlite-utils')}, openpyxl {_version('openpyxl')}, "
            f"holidays {_version('holidays')}",
        ),
        ("studyplan", f"{_version('studyplan')} at {_git_revision()}"),
        ("Load average at the end", " ".join(load) if load else "unknown"),
    ]


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| Measure | Median | Target | Result | Details |",
        "|---|---:|---:|:---:|---|",
    ]
    for row in rows:
        result = "pass" if row.passed else "**FAIL**"
        lines.append(
            f"| {row.name} | {row.shown(row.value)} | ≤ {row.shown(row.target)} | {result} "
            f"| {row.detail} |"
        )
    return "\n".join(lines)


def markdown(report: Report, command: str, qt: str) -> str:
    facts = "\n".join(f"| {name} | {value} |" for name, value in machine(qt))
    passed = sum(row.passed for row in report.rows)
    runs = counted(report.runs, "measured run") + " per measure"
    if not report.quick:
        runs += " after a warm-up"
    else:
        runs += ", no warm-up: a check of the code, not a measurement"
    return f"""# Benchmark results

Produced by `{command}` ({runs}; medians; {report.seconds:.0f} s in all).
Data: {report.size.label} — {report.data}

{table(report.rows)}

{passed} of {len(report.rows)} targets met.

## Machine

| | |
|---|---|
{facts}

## How it is measured

- Every process is started with `QT_QPA_PLATFORM=offscreen`, and with bytecode caching on
  (a `PYTHONPYCACHEPREFIX` in the temporary folder), as an installed copy has its `.pyc`.
- Cold start: wall time from launching `python -m studyplan --db BIG.db --screenshot out.png`
  until it prints that the PNG is saved, against the same for `bench/bare_window.py`
  (QApplication, QMainWindow with a QCalendarWidget, show, process events, grab to PNG),
  alternating, each in a fresh process; the median of the ratios of the back-to-back pairs
  (the details give the medians of each side). Closing the window and the interpreter's
  shutdown come after the first paint and are not counted, on either side. The warm-up
  run is the database's first start. The demo wrote down the holidays of the years it
  scheduled, as the window does on closing, so no start loads python-holidays for them:
  a database kept over those years in the window holds the same.
- Month, year and 考勤: one process builds the `MainWindow` on a copy of the database, shows
  it (1280×800, offscreen) and times each switch until its events are processed and the
  month grid painted; 考勤 opens sessions added without marks and clicks 全部出席, which
  also lets the other views reload, as in the application.
- Auto-scheduling: `PlanningService.propose_schedule` for {SCHEDULE_YEAR} after copying the bundled
  plan into that year, on a new service each run.
- Ledger: `export_ledger(db, path, None)` in a fresh process (openpyxl already imported),
  against a write-only openpyxl workbook holding the same cells (the ledger read back once,
  its non-empty values written again at their places, without styles, merges or row
  heights), alternating; the median of the pairs' ratios. Peak memory is the exporting
  process's VmHWM after the export.
- The bundle (measured when `python packaging/build.py` has made dist/studyplan, or with
  `--bundle PATH`): its files' size on disk, and its cold start, as above, against
  `python -m studyplan` from the venv, alternating, each in a fresh process.
- 学习档案专卷: `export_archive` of the demo's last full year to a .zip, with every held
  session's notice, sign-in PDF, record and brief, the four quarterly reports and the
  annual report with its charts (drawn offscreen), in a fresh process each run; the modules
  and the QApplication are loaded before the clock starts, as the window has them.
- Demo build: wall time of `python -m studyplan --db NEW.db demo --year {report.size.year}
  --years {report.size.years} --members {report.size.members}`.
"""


#: The measures `--only` can name.
MEASURES = ("demo", "start", "gui", "schedule", "ledger", "archive", "bundle")


def run(args: argparse.Namespace) -> Report:
    size = QUICK if args.quick else FULL
    runs = 1 if args.quick else args.runs
    warmup = 0 if args.quick else 1
    report = Report(size=size, runs=runs, quick=args.quick)
    only = set(args.only or MEASURES)
    started = time.perf_counter()
    keep = Path(tempfile.mkdtemp(prefix="studyplan-bench-"))
    try:
        work = keep
        env = child_env(work)
        progress(f"building the demo database ({size.label})")
        db, _, summary = build_database(work, env, size)
        report.data = summary.splitlines()[-1] if summary else ""
        demo = None
        if "demo" in only:
            progress("demo build")
            demo = measure_demo(work, env, size, runs)
        if "start" in only:
            progress("cold start")
            report.rows.append(measure_startup(work, env, db, runs, warmup))
        if "gui" in only:
            progress("calendar and 考勤")
            gui_rows, report.qt = measure_gui(work, env, db, runs, warmup)
            report.rows.extend(gui_rows)
        if "schedule" in only:
            progress("auto-scheduling")
            report.rows.append(measure_schedule(work, env, db, runs, warmup))
        if "ledger" in only:
            progress("ledger export")
            report.rows.extend(measure_ledger(work, env, db, runs, warmup))
        if "archive" in only:
            progress("archive volume")
            report.rows.append(measure_archive(work, env, db, size, runs, warmup))
        if demo is not None:
            report.rows.append(demo)
        # --quick checks the code: a bundle left in dist/ by an earlier build (perhaps of an
        # older schema) is measured only when named.
        bundle = args.bundle or (None if args.quick else DEFAULT_BUNDLE)
        if "bundle" in only:
            if bundle is None:
                progress("the bundle: not measured by --quick unless --bundle names one")
            elif (bundle / "studyplan").exists() or (bundle / "studyplan.exe").exists():
                progress(f"the bundle in {bundle}")
                report.rows.extend(measure_bundle(work, env, db, runs, warmup, bundle))
            else:
                progress(f"no bundle in {bundle} (packaging/build.py makes it): not measured")
    finally:
        if args.keep:
            progress(f"kept {keep}")
        else:
            shutil.rmtree(keep, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--runs", type=int, default=5, help="measured runs per measure (≥ 3)")
    parser.add_argument(
        "--quick", action="store_true", help="1 year × 8 members, 1 run: checks the code only"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the results (default: bench/RESULTS.md; --quick writes none)",
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        help="the bundle to measure (default: dist/studyplan, if built)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        action="append",
        choices=MEASURES,
        help="run only this measure (repeatable); the results go to --out, never to "
        "bench/RESULTS.md",
    )
    parser.add_argument("--strict", action="store_true", help="exit with 1 if a target is missed")
    args = parser.parse_args(argv)
    if not args.quick and args.runs < 3:
        parser.error("--runs must be at least 3 (use --quick for a single check run)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    words = ["python", "bench/run.py"]
    if args.quick:
        words.append("--quick")
    elif args.runs != 5:
        words += ["--runs", str(args.runs)]
    for measure in args.only or ():
        words += ["--only", measure]
    command = " ".join(words)
    print(f"{command}: {report.size.label}, {report.data}")
    print(table(report.rows))
    # Only a full run replaces the committed results.
    out = args.out or (None if args.quick or args.only else RESULTS)
    if out is not None:
        out.write_text(markdown(report, command, report.qt), encoding="utf-8")
        print(f"written to {out}")
    missed = [row.name for row in report.rows if not row.passed]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
