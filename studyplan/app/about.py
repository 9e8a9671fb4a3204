"""What 帮助 → 关于 tells: the version, where the database and its backups are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studyplan.store.backup import backups_folder


@dataclass(frozen=True)
class AboutFacts:
    version: str
    database: Path | None
    backups: Path | None


def about_facts(db_path: str | Path | None) -> AboutFacts:
    """The version, the database file and its automatic backups' folder (None in memory)."""
    import studyplan

    path = Path(db_path) if db_path is not None and str(db_path) != ":memory:" else None
    return AboutFacts(
        studyplan.__version__, path, backups_folder(path) if path is not None else None
    )
