"""The holiday snapshot kept in settings: read back exactly, or not at all."""

from __future__ import annotations

from datetime import date

import pytest

from studyplan.model.settings import HOLIDAY_SNAPSHOT
from studyplan.model.workdays import HolidaySnapshot, HolidayYear
from studyplan.store import calendar as calendar_store
from studyplan.store import settings

SNAPSHOT = HolidaySnapshot(
    key="/lib/holidays|holidays-0.109.dist-info|100|1",
    last_official_year=2026,
    years={
        2026: HolidayYear(
            2026,
            {date(2026, 1, 1): "元旦", date(2026, 10, 1): "国庆节"},
            frozenset({date(2026, 1, 4), date(2026, 9, 28)}),
        )
    },
)


def test_a_snapshot_is_read_back_for_its_own_library_only(db) -> None:
    assert calendar_store.holiday_snapshot(db, SNAPSHOT.key) is None
    assert calendar_store.save_holiday_snapshot(db, SNAPSHOT)
    assert calendar_store.holiday_snapshot(db, SNAPSHOT.key) == SNAPSHOT
    assert calendar_store.holiday_snapshot(db, SNAPSHOT.key + "-newer") is None
    assert calendar_store.holiday_snapshot(db, None) is None


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"library": "%s"}',
        '{"library": "%s", "last_official_year": 2026, "years": {"x": {}}}',
        '{"library": "%s", "last_official_year": 2026, '
        '"years": {"2026": {"names": {"2026-02-30": "?"}, "weekend_workdays": []}}}',
    ],
)
def test_an_unreadable_snapshot_is_ignored(db, text: str) -> None:
    value = text % SNAPSHOT.key if "%s" in text else text
    settings.set_text(db, HOLIDAY_SNAPSHOT, value)
    assert calendar_store.holiday_snapshot(db, SNAPSHOT.key) is None


def test_a_snapshot_that_cannot_be_written_changes_nothing(db) -> None:
    db.execute("PRAGMA query_only = ON")
    try:
        assert not calendar_store.save_holiday_snapshot(db, SNAPSHOT)
    finally:
        db.execute("PRAGMA query_only = OFF")
    assert settings.text(db, HOLIDAY_SNAPSHOT) is None
