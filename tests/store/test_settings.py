"""Every setting is read and written through store/settings with the rules of model/settings."""

from __future__ import annotations

import pytest

from studyplan.model.errors import ValidationError
from studyplan.model.settings import BACKUPS_KEPT, MAKEUP_DUE_DAYS
from studyplan.store import settings


@pytest.mark.parametrize("setting", [MAKEUP_DUE_DAYS, BACKUPS_KEPT])
def test_a_count_is_its_default_until_set_and_then_what_was_set(db, setting) -> None:
    assert settings.count(db, setting) == setting.default
    assert settings.set_count(db, setting, setting.low) is True
    assert settings.count(db, setting) == setting.low
    assert settings.set_count(db, setting, setting.low) is False  # unchanged: nothing written


@pytest.mark.parametrize("setting", [MAKEUP_DUE_DAYS, BACKUPS_KEPT])
def test_values_outside_the_range_are_refused_and_never_stored(db, setting) -> None:
    for value in (setting.low - 1, setting.high + 1):
        with pytest.raises(ValidationError, match=setting.refusal):
            settings.set_count(db, setting, value)
    assert settings.text(db, setting.key) is None


@pytest.mark.parametrize("stored", ["many", "", "0", "100000"])
def test_a_value_edited_by_hand_falls_back_to_the_default(db, stored: str) -> None:
    settings.set_text(db, MAKEUP_DUE_DAYS.key, stored)
    assert settings.count(db, MAKEUP_DUE_DAYS) == MAKEUP_DUE_DAYS.default


def test_no_other_module_touches_the_settings_table() -> None:
    from pathlib import Path

    root = Path(settings.__file__).resolve().parents[1]
    touching = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "FROM settings" in path.read_text(encoding="utf-8")
        or "INTO settings" in path.read_text(encoding="utf-8")
    ]
    # The migration that gave every database its id is history, written once.
    assert sorted(touching) == ["store/schema_audit.py", "store/settings.py"]
