from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from studyplan.model.errors import ValidationError
from studyplan.model.plan import CalendarOverride
from studyplan.model.workdays import (
    PROVISIONAL_NOTICE,
    WorkCalendar,
    last_official_year,
    library_key,
)

MAKE_UP_DAYS_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]
BRIDGE_DAYS_2026 = [
    date(2026, 1, 2),
    date(2026, 2, 20),
    date(2026, 2, 23),
    date(2026, 5, 5),
    date(2026, 10, 6),
    date(2026, 10, 7),
]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026)
def test_2026_make_up_weekends_are_working_days(cal: WorkCalendar, day: date) -> None:
    assert day.weekday() >= 5
    info = cal.day(day)
    assert info.is_workday
    assert info.is_adjusted_workday
    assert not info.provisional
    assert not info.overridden


@pytest.mark.parametrize("day", BRIDGE_DAYS_2026)
def test_2026_bridge_weekdays_are_days_off(cal: WorkCalendar, day: date) -> None:
    assert day.weekday() < 5
    info = cal.day(day)
    assert not info.is_workday
    assert info.holiday_name.startswith("休息日（由 ")


def test_national_day_week_2026_is_off(cal: WorkCalendar) -> None:
    for n in range(1, 8):
        assert not cal.is_workday(date(2026, 10, n))
    assert cal.day(date(2026, 10, 1)).holiday_name == "国庆节"
    assert cal.is_workday(date(2026, 10, 8))


def test_half_day_holidays_are_working_days(cal: WorkCalendar) -> None:
    childrens_day = date(2026, 6, 1)
    assert childrens_day.weekday() == 0
    assert cal.is_workday(childrens_day)
    assert cal.day(childrens_day).holiday_name == ""
    womens_day = date(2027, 3, 8)
    assert womens_day.weekday() == 0
    assert cal.is_workday(womens_day)


def test_ordinary_weekend_and_weekday(cal: WorkCalendar) -> None:
    assert not cal.is_workday(date(2026, 3, 7))
    assert cal.day(date(2026, 3, 7)).holiday_name == ""
    assert cal.is_workday(date(2026, 3, 9))


def test_make_up_day_from_next_years_notice(cal: WorkCalendar) -> None:
    # 2001-12-29 was worked for 2002's New Year break.
    assert cal.is_workday(date(2001, 12, 29))


def test_official_and_provisional_years(cal: WorkCalendar) -> None:
    assert last_official_year() >= 2026
    assert cal.is_official(2026)
    assert cal.provisional_notice(2026) is None
    assert not cal.is_official(1990)
    assert not cal.is_provisional(1990)
    assert cal.provisional_notice(1990) is None


@pytest.mark.skipif(last_official_year() >= 2027, reason="the library now carries 2027")
def test_2027_is_provisional(cal: WorkCalendar) -> None:
    assert not cal.is_official(2027)
    assert cal.is_provisional(2027)
    assert cal.provisional_notice(2027) == "节假日安排尚未发布，当前为推算"
    assert PROVISIONAL_NOTICE == "节假日安排尚未发布，当前为推算"
    assert cal.day(date(2027, 6, 1)).provisional
    assert not cal.day(date(2026, 6, 1)).provisional


def test_override_beats_library() -> None:
    saturday = date(2027, 2, 6)
    friday = date(2027, 3, 12)
    calendar = WorkCalendar()
    assert not calendar.is_workday(saturday)
    assert calendar.is_workday(friday)

    calendar.set_overrides(
        [
            CalendarOverride(saturday, True, "春节调休上班"),
            CalendarOverride(friday, False),
        ]
    )
    worked = calendar.day(saturday)
    assert worked.is_workday
    assert worked.is_adjusted_workday
    assert worked.overridden
    assert not worked.provisional
    assert worked.holiday_name == "春节调休上班"
    rest = calendar.day(friday)
    assert not rest.is_workday
    assert rest.overridden
    assert [d.date for d in calendar.month_days(2027, 2) if d.overridden] == [saturday]

    calendar.set_overrides([])
    assert not calendar.is_workday(saturday)
    assert calendar.is_workday(friday)
    assert not calendar.day(saturday).overridden


def test_override_in_constructor_and_later_entry_wins() -> None:
    day = date(2026, 10, 8)
    calendar = WorkCalendar([CalendarOverride(day, False), CalendarOverride(day, True)])
    assert calendar.is_workday(day)
    assert calendar.day(day).overridden


@pytest.mark.parametrize("day", [date(1949, 12, 31), date(2101, 1, 1)])
def test_year_range_guard(cal: WorkCalendar, day: date) -> None:
    with pytest.raises(ValidationError, match=r"^年份超出支持范围"):
        cal.day(day)


def test_year_range_edges_work(cal: WorkCalendar) -> None:
    assert cal.day(date(1950, 1, 1)).date == date(1950, 1, 1)
    assert cal.day(date(2100, 12, 31)).date == date(2100, 12, 31)


def test_month_days(cal: WorkCalendar) -> None:
    feb = cal.month_days(2026, 2)
    assert [d.date for d in feb] == [date(2026, 2, n) for n in range(1, 29)]
    assert len(cal.month_days(2028, 2)) == 29
    with pytest.raises(ValidationError):
        cal.month_days(2026, 13)


def test_month_switch_is_fast() -> None:
    calendar = WorkCalendar()
    calendar.month_days(2026, 1)
    begin = time.perf_counter()
    for month in range(1, 13):
        for info in calendar.month_days(2026, month):
            calendar.day(info.date)
    assert (time.perf_counter() - begin) / 12 < 0.016


def test_working_days(cal: WorkCalendar) -> None:
    assert cal.working_days(date(2026, 10, 1), date(2026, 10, 11)) == [
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]
    assert cal.working_days(date(2026, 12, 31), date(2027, 1, 4)) == [
        date(2026, 12, 31),
        date(2027, 1, 4),
    ]
    assert cal.working_days(date(2026, 5, 1), date(2026, 4, 1)) == []


def test_nearest_workday_in_week(cal: WorkCalendar) -> None:
    working = date(2026, 3, 12)
    assert cal.nearest_workday_in_week(working, set()) == working
    assert cal.nearest_workday_in_week(working, {working}) == date(2026, 3, 11)
    # 2026-10-01 (Thu): Oct 1–4 are off, so the Wednesday before is closest.
    assert cal.nearest_workday_in_week(date(2026, 10, 1), set()) == date(2026, 9, 30)
    assert cal.nearest_workday_in_week(date(2026, 10, 1), {date(2026, 9, 30)}) == date(2026, 9, 29)
    # The whole Spring Festival week is off.
    assert cal.nearest_workday_in_week(date(2026, 2, 18), set()) is None
    # Bounds keep the answer inside a period.
    assert cal.nearest_workday_in_week(date(2026, 10, 1), set(), earliest=date(2026, 10, 1)) is None


def test_nearest_workday_tie_goes_to_earlier_day() -> None:
    wednesday = date(2026, 3, 11)
    calendar = WorkCalendar([CalendarOverride(wednesday, False)])
    assert calendar.nearest_workday_in_week(wednesday, set()) == date(2026, 3, 10)
    assert calendar.nearest_workday_in_week(wednesday, {date(2026, 3, 10)}) == date(2026, 3, 12)


def test_make_up_saturday_can_be_chosen(cal: WorkCalendar) -> None:
    # Week of 2026-10-05: Mon–Wed are off, Thu/Fri and the make-up Saturday are worked.
    taken = {date(2026, 10, 8), date(2026, 10, 9)}
    assert cal.nearest_workday_in_week(date(2026, 10, 7), taken) == date(2026, 10, 10)


def test_importing_module_does_not_load_holidays() -> None:
    code = (
        "import sys, studyplan.model.workdays, studyplan.model.scheduler;"
        "print('holidays' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# -- the snapshot a start-up reads instead of loading python-holidays ---------------------
def test_a_snapshot_answers_exactly_as_the_library() -> None:
    library = WorkCalendar([CalendarOverride(date(2026, 3, 9), False, "停电")])
    for year in (2025, 2026, 2027):
        library.year_days(year)
    assert library.learned
    key = library_key()
    assert key is not None
    snapshot = library.snapshot(key)
    assert sorted(snapshot.years) == [2025, 2026, 2027]
    assert snapshot.last_official_year == last_official_year()

    cached = WorkCalendar([CalendarOverride(date(2026, 3, 9), False, "停电")], snapshot)
    for year in (2025, 2026, 2027):
        assert cached.year_days(year) == library.year_days(year)
        assert cached.provisional_notice(year) == library.provisional_notice(year)
    assert not cached.learned
    cached.year_days(2030)  # not in the snapshot: asked of the library
    assert cached.learned
    assert sorted(cached.snapshot(key).years) == [2025, 2026, 2027, 2030]


def test_years_prepared_at_once_answer_as_years_asked_one_by_one() -> None:
    """`prepare` asks python-holidays for several years in one go (the check of ten years
    does): every day answers as it does when each year is asked for alone."""
    years = [2016, 2020, 2025, 2026, 2027, 2031]
    one_by_one = WorkCalendar()
    at_once = WorkCalendar()
    at_once.prepare(years)
    assert at_once.learned
    assert set(at_once.snapshot("k").years) == set(years)
    for year in years:
        assert at_once.year_days(year) == one_by_one.year_days(year)
    at_once.prepare(years)  # nothing left to ask
    assert set(at_once.snapshot("k").years) == set(years)
    with pytest.raises(ValidationError):
        at_once.prepare([1949])


def test_the_library_key_names_the_installed_release() -> None:
    import holidays

    key = library_key()
    assert key is not None
    assert str(Path(holidays.__file__).parent) in key
    assert f"holidays-{holidays.__version__}.dist-info" in key


def test_a_start_up_with_a_snapshot_does_not_load_holidays(tmp_path: Path) -> None:
    from studyplan.app.planning import PlanningService
    from studyplan.store.opening import connect

    path = tmp_path / "s.db"
    db = connect(path)
    planning = PlanningService(db)
    planning.calendar.month_days(2026, 11)
    assert planning.remember_holidays()
    assert not PlanningService(db).remember_holidays()  # nothing new learned
    db.conn.close()
    code = (
        "import sys; from studyplan.store.opening import connect;"
        "from studyplan.app.planning import PlanningService;"
        f"p = PlanningService(connect({str(path)!r}));"
        "days = p.calendar.month_days(2026, 11);"
        "print('holidays' in sys.modules, p.calendar.is_provisional(2026), len(days))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False", "30"]


def test_the_snapshot_is_written_for_the_library_the_run_started_with(
    tmp_path: Path, monkeypatch
) -> None:
    """An upgrade of python-holidays while the window is open must not label this run's
    answers as the new release's."""
    import studyplan.app.planning as planning_module
    from studyplan.app.planning import PlanningService
    from studyplan.store import calendar as calendar_store
    from studyplan.store.opening import connect

    db = connect(tmp_path / "s.db")
    started = library_key()
    assert started is not None and started.startswith("v1|")
    planning = PlanningService(db)
    planning.calendar.month_days(2026, 11)
    monkeypatch.setattr(planning_module, "library_key", lambda: "upgraded meanwhile")
    assert planning.remember_holidays()
    assert calendar_store.holiday_snapshot(db, started) is not None
    assert calendar_store.holiday_snapshot(db, "upgraded meanwhile") is None
    db.conn.close()
