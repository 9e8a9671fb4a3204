"""The benchmark (bench/run.py) runs end to end at a tiny size, so its code cannot rot.

No timing is checked here: `--quick` measures one year × 8 members once, which says nothing
about the targets. It writes its table to a temporary file, never to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "bench" / "run.py"

MEASURES = (
    "Cold start",
    "Calendar month switch",
    "Calendar year switch",
    "考勤",
    "Auto-schedule",
    "Ledger export, all years",
    "Ledger export peak memory",
    "学习档案专卷 of one year",
    "Demo build",
)


def _quick(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`bench/run.py --quick OPTIONS`, run in `folder`, offscreen."""
    return subprocess.run(
        [sys.executable, str(RUN), "--quick", *options],
        cwd=folder,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_quick_benchmark_runs_and_reports_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    results = ROOT / "bench" / "RESULTS.md"
    before = results.stat().st_mtime_ns if results.exists() else None
    done = _quick(tmp_path, "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    for measure in MEASURES:
        assert measure in report, measure
        assert measure in done.stdout, measure
    assert "| Measure | Median | Target | Result |" in report
    assert "## Machine" in report and "PySide6" in report and "SQLite" in report
    assert "60 members" not in report  # the quick size, not the full one
    after = results.stat().st_mtime_ns if results.exists() else None
    assert after == before  # the committed results stay as the full run wrote them


def test_only_runs_the_measures_named_and_keeps_the_committed_results(tmp_path: Path) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    before = results.stat().st_mtime_ns if results.exists() else None
    done = _quick(tmp_path, "--only", "ledger")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Ledger export, all years" in done.stdout
    assert "Ledger export peak memory" in done.stdout
    assert "--only ledger" in done.stdout
    rows = "\n".join(line for line in done.stdout.splitlines() if line.startswith("| "))
    for measure in MEASURES:
        if not measure.startswith("Ledger"):
            assert measure not in rows, measure
    after = results.stat().st_mtime_ns if results.exists() else None
    assert after == before
    refused = subprocess.run(
        [sys.executable, str(RUN), "--only", "nothing"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2 and "--only" in refused.stderr


def test_only_start_measures_the_cold_start_alone(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = _quick(tmp_path, "--only", "start", "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    table = report.split("| Measure |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 and "Cold start" in rows[0]
    assert "Cold start" in done.stdout
    assert "--only start" in report


def test_runs_below_three_are_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--runs", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--runs" in done.stderr


def test_bundle_rows_measure_its_size_and_start(tmp_path: Path) -> None:
    """The two rows of the built bundle, on a stand-in bundle whose program starts this
    Python (so no build is needed): a size and a ratio against the venv's start."""
    import importlib.util

    if sys.platform == "win32":
        return  # the stand-in is a shell script
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = bench
    spec.loader.exec_module(bench)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / "studyplan"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m studyplan "$@"\n')
    program.chmod(0o755)
    (bundle / "data.bin").write_bytes(b"x" * 100_000)
    work = tmp_path / "work"
    work.mkdir()
    rows = bench.measure_bundle(work, bench.child_env(work), work / "s.db", 1, 0, bundle)
    size, start = rows
    assert (size.unit, size.target) == ("MB", 150.0)
    assert 0.1 <= size.value < 1.0
    assert (start.unit, start.target) == ("×", 1.3)
    assert start.value > 0
