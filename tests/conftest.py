"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from studyplan.store.opening import connect

SEED_PLAN = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "seeds"
    / ("2026-central-group-study-plan.txt")
)


@pytest.fixture(scope="session", autouse=True)
def _user_folders(tmp_path_factory: pytest.TempPathFactory):
    """The user's configuration, data and cache folders (window size, default database) are
    temporary ones: the suite never reads or writes the real ones."""
    from PySide6.QtCore import QSettings

    home = tmp_path_factory.mktemp("user")
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = str(home / name.lower())
    # The same for INI settings on every platform (on Linux it follows XDG_CONFIG_HOME).
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(home / "xdg_config_home"))
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
    """The bureau's 2026 plan from ../shared; tests that need it skip where it is absent."""
    if not SEED_PLAN.exists():
        pytest.skip("the shared seed plan is not beside the repository")
    return SEED_PLAN
