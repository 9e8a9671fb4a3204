"""The layers hold: the import contracts in pyproject.toml pass, and they would catch a
planted upward import or a cycle (a contract that cannot fail proves nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports")

pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is not installed")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    assert LINT is not None
    return subprocess.run(
        [LINT, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def planted(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package with `line` added at the top of `module`."""
    shutil.copytree(ROOT / "studyplan", tmp_path / "studyplan")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + "\n" + rest, encoding="utf-8")
    return tmp_path


def test_the_contracts_hold() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("studyplan/model/plan.py", "import studyplan.app.planning", "Layers"),
        ("studyplan/store/sessions.py", "import studyplan.io.ics", "Layers"),
        ("studyplan/model/roster.py", "import PySide6.QtCore", "model/ is plain Python"),
        ("studyplan/app/records.py", "import PySide6.QtCore", "Qt only in gui/"),
        ("studyplan/gui/calendar/topic_panel.py", "import sqlite3", "SQL only in store/"),
        ("studyplan/gui/calendar/topic_panel.py", "import studyplan.store.plans", "through app/"),
        ("studyplan/store/db.py", "import studyplan.store.opening", "No import cycles"),
    ],
)
def test_a_planted_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    done = lint(planted(tmp_path, module, line))
    assert done.returncode != 0
    broken = " ".join(done.stdout.split("Broken contracts", 1)[-1].split())
    assert contract in broken, done.stdout
