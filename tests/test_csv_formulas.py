"""Every CSV the app writes shows formula-like text as text: a cell starting with =, +, -,
@, a tab or a carriage return gets a leading apostrophe — each case, in each CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from studyplan.app.safety import export_audit_csv
from studyplan.cli import main
from studyplan.io.csvfile import write_csv
from studyplan.store import opening

CASES = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize("text", CASES)
def test_a_saved_csv_defuses_each_formula_start(tmp_path: Path, text: str) -> None:
    path = write_csv(tmp_path / "a.csv", [["标题"], [text]])
    cells = _cells(path.read_bytes().decode("utf-8-sig"))
    assert cells[1] == "'" + text


@pytest.mark.parametrize("text", CASES)
def test_the_audit_csv_defuses_each_formula_start(tmp_path: Path, text: str) -> None:
    db = opening.connect(tmp_path / "a.db")
    with db.atomic():
        db.execute(
            "INSERT INTO members (name, position, role, department) VALUES (?, '', '', '')",
            [text],
        )
    out = tmp_path / "记录.csv"
    export_audit_csv(db, out)
    cells = _cells(out.read_bytes().decode("utf-8-sig"))
    inside = [c for c in cells if text.strip() in c]
    assert inside and all(not c.startswith(tuple("=+-@\t\r")) for c in cells)


@pytest.mark.parametrize("text", CASES)
def test_sessions_as_csv_defuses_each_formula_start(capsys, tmp_path: Path, text: str) -> None:
    db = str(tmp_path / "cli.db")
    today = dt.date(2026, 1, 5)
    args = ["--db", db, "schedule", "--year", "2026", f"--location={text}"]
    assert main(args, today=today) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", db, "sessions", "--year", "2026", "--format", "csv"], today=today) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out, newline="")))
    locations = {row[4] for row in rows[1:]}
    assert len(locations) == 1 and locations.pop().startswith("'")
