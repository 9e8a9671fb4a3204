"""Display width is one rule (model/text.py): the ledger, the sign-in sheet and the CLI's
tables size their columns with the same function, and nothing else asks unicodedata."""

from __future__ import annotations

from pathlib import Path

import studyplan
from studyplan.cli import commands
from studyplan.io import signin
from studyplan.io.ledger import measure as ledger
from studyplan.model.text import display_width, is_wide


def test_wide_characters_count_two() -> None:
    assert display_width("王建国") == 6
    assert display_width("ab1") == 3
    assert display_width("（学习）") == 8
    assert display_width("Ａ1") == 3  # full-width Latin is wide too
    assert display_width("") == 0
    assert is_wide("学") and is_wide("，") and not is_wide("a") and not is_wide("·")


def test_every_writer_uses_the_one_function() -> None:
    assert ledger.display_width is display_width
    assert signin.display_width is display_width
    assert commands.display_width is display_width


def test_no_copy_of_the_width_rule() -> None:
    package = Path(studyplan.__file__).parent
    askers = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "east_asian_width" in path.read_text(encoding="utf-8")
    )
    assert askers == ["model/text.py"]
