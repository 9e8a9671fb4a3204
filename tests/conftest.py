"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The first-run wizard never opens by itself under the suite (a test asks for it).
os.environ.setdefault("STUDYPLAN_NO_WIZARD", "1")

from pathlib import Path

import pytest

from studyplan.store.opening import connect

#: A copy of the bureau's 2026 plan (../shared/seeds), so a clean clone runs every test of it.
SEED_PLAN = Path(__file__).resolve().parent / "data" / "2026-central-group-study-plan.txt"


@pytest.fixture(scope="session", autouse=True)
def _user_folders(tmp_path_factory: pytest.TempPathFactory):
    """The user's configuration, data and cache folders (window size, default database) are
    temporary ones: the suite never reads or writes the real ones. (Qt's own settings paths
    are set in tests/gui/conftest.py: the tests outside gui/ run without Qt.)"""
    home = tmp_path_factory.mktemp("user")
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = str(home / name.lower())
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "studyplan.db"


@pytest.fixture
def db(db_path: Path):
    """A fresh, migrated database in a temporary folder (no plan loaded)."""
    database = connect(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def seed_plan() -> Path:
    """The bureau's 2026 plan as a text file (tests/data)."""
    return SEED_PLAN
