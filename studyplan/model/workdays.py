"""Which days the bureau works: China's public holidays, 调休 days and the secretary's overrides.

The State Council publishes each year's holiday arrangement (放假安排) only late in the
previous year, so a year beyond the library's data is computed from the statutory rules
and flagged as provisional until the secretary enters the real notice as overrides.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import importlib
import importlib.util
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from studyplan.model.errors import ValidationError
from studyplan.model.plan import CalendarOverride, DayInfo
from studyplan.model.years import check_year, in_range

#: Shown above a month whose year has no published arrangement yet.
PROVISIONAL_NOTICE = "节假日安排尚未发布，当前为推算"

#: The first year python-holidays checks against an official State Council notice.
FIRST_OFFICIAL_YEAR = 2001

#: Used only if the library's data cannot be read; the last notice known when this was written.
_FALLBACK_LAST_OFFICIAL_YEAR = 2026


@cache
def _holidays_module() -> Any:
    """Import python-holidays on first use: it takes tens of milliseconds to load."""
    import holidays

    return holidays


_CHINA_MODULE = "holidays.countries.china"


@cache
def _china_module() -> Any:
    """python-holidays' China calendar (the classes `CN` and `ChinaStaticHolidays`).

    The ordinary import runs the `holidays.countries` package first, which imports all of
    the library's ~250 countries: most of the time the first calendar month takes to show.
    The China module needs only the library's core, so it is loaded from its own file under
    a private name; if that fails (another layout in some release), it is imported as usual.
    """
    loaded = sys.modules.get(_CHINA_MODULE)
    if loaded is not None:
        return loaded
    package = _holidays_module()
    try:
        path = Path(package.__file__).with_name("countries") / "china.py"
        spec = importlib.util.spec_from_file_location("_studyplan_holidays_china", path)
        if spec is None or spec.loader is None:
            raise ImportError(_CHINA_MODULE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not (hasattr(module, "CN") and hasattr(module, "ChinaStaticHolidays")):
            raise ImportError(_CHINA_MODULE)
    except Exception:
        module = importlib.import_module(_CHINA_MODULE)
    return module


@cache
def last_official_year() -> int:
    """The last year whose State Council arrangement the installed library carries.

    Derived from the library's table of substituted days rather than written down, so a
    newer python-holidays release makes the next year official without a code change.
    """
    try:
        static = _china_module().ChinaStaticHolidays
        years = [y for y in static.special_public_holidays if isinstance(y, int)]
        return max(years)
    except (ImportError, AttributeError, TypeError, ValueError):
        return _FALLBACK_LAST_OFFICIAL_YEAR


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


#: Raised whenever what a `HolidayYear` holds, or how days are made of it, changes.
SNAPSHOT_FORMAT = 1


def library_key() -> str | None:
    """Which python-holidays is installed, told without importing it (None if not found).

    Names the release (its dist-info folder) and the China module's file size and time, so
    that any change to the library's data makes a saved `HolidaySnapshot` stale, and
    SNAPSHOT_FORMAT for a change on our side.
    """
    try:
        spec = importlib.util.find_spec("holidays")
        if spec is None or spec.origin is None:
            return None
        package = Path(spec.origin).parent
        china = (package / "countries" / "china.py").stat()
        releases = sorted(p.name for p in package.parent.glob("holidays-*.dist-info"))
    except (OSError, ImportError, ValueError):
        return None
    parts = [str(package), *releases, str(china.st_size), str(china.st_mtime_ns)]
    return "|".join([f"v{SNAPSHOT_FORMAT}", *parts])


@dataclass(frozen=True)
class HolidayYear:
    """What python-holidays says of one year: its named days off and the weekends worked."""

    year: int
    names: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@dataclass
class HolidaySnapshot:
    """The library's answers for some years, written down by an earlier run.

    Loading python-holidays and computing a year takes longer than drawing the first
    window; with a snapshot whose `key` matches `library_key()`, a start-up needs neither.
    """

    key: str
    last_official_year: int
    years: dict[int, HolidayYear] = field(default_factory=dict)


def _library_years(years: Iterable[int]) -> dict[int, HolidayYear]:
    """Years from python-holidays' China calendar (public days off only), asked in one
    go: the library's set-up costs more than a year's days."""
    wanted = sorted(set(years))
    lib = _china_module().CN(years=wanted, language="zh_CN", categories=("public",))
    names: dict[int, dict[dt.date, str]] = {year: {} for year in wanted}
    for d, name in lib.items():
        if d.year in names:
            names[d.year][d] = name
    # The library's own set of Saturdays and Sundays worked in exchange for a bridge day.
    worked = lib.weekend_workdays
    return {
        year: HolidayYear(
            year=year,
            names=names[year],
            weekend_workdays=frozenset(d for d in worked if d.year == year),
        )
        for year in wanted
    }


def _days_of(source: HolidayYear, provisional: bool) -> dict[dt.date, DayInfo]:
    """Every day of the year, as the library (without the secretary's overrides) sees it."""
    year, names, weekend_workdays = source.year, source.names, source.weekend_workdays
    days: dict[dt.date, DayInfo] = {}
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        name = names.get(day, "")
        if day.weekday() >= 5:
            adjusted = day in weekend_workdays
            workday = adjusted
        else:
            adjusted = False
            workday = not name
        days[day] = DayInfo(
            date=day,
            is_workday=workday,
            holiday_name=name,
            is_adjusted_workday=adjusted,
            provisional=provisional,
        )
        day += one
    return days


class WorkCalendar:
    """Answers "is this a working day?" for the calendar view and the scheduler.

    Each year is built once and kept, so the month view can ask about every cell on
    every month switch without recomputing holidays.
    """

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        snapshot: HolidaySnapshot | None = None,
    ) -> None:
        """`snapshot`, taken by `snapshot()` with the same `library_key()`, spares loading
        python-holidays for the years it holds."""
        self._snapshot = snapshot
        self._learned = False
        self._sources: dict[int, HolidayYear] = dict(snapshot.years) if snapshot else {}
        self._library_years: dict[int, dict[dt.date, DayInfo]] = {}
        self._years: dict[int, dict[dt.date, DayInfo]] = {}
        self._months: dict[tuple[int, int], tuple[DayInfo, ...]] = {}
        self._overrides: dict[dt.date, CalendarOverride] = {}
        self.set_overrides(overrides)

    # -- overrides -------------------------------------------------------------------------

    def set_overrides(self, overrides: Iterable[CalendarOverride]) -> None:
        """Replace the secretary's overrides; a later entry for the same date wins."""
        self._overrides = {_as_date(o.date): o for o in overrides}
        self._years.clear()
        self._months.clear()

    @property
    def overrides(self) -> tuple[CalendarOverride, ...]:
        """The overrides in force, by date."""
        return tuple(self._overrides[d] for d in sorted(self._overrides))

    # -- year status -----------------------------------------------------------------------

    def last_official_year(self) -> int:
        """The last year whose published arrangement the library carries."""
        if self._snapshot is not None:
            return self._snapshot.last_official_year
        return last_official_year()

    def is_official(self, year: int) -> bool:
        """True if the library holds the State Council's published arrangement for `year`."""
        return FIRST_OFFICIAL_YEAR <= year <= self.last_official_year()

    def is_provisional(self, year: int) -> bool:
        """True if `year` lies after the last published arrangement, so 调休 days are unknown."""
        return year > self.last_official_year()

    # -- what the library said ---------------------------------------------------------------

    def snapshot(self, key: str) -> HolidaySnapshot:
        """Every year the library has answered for so far, to be handed to a later run."""
        return HolidaySnapshot(key, self.last_official_year(), dict(self._sources))

    @property
    def learned(self) -> bool:
        """True once a year was asked of python-holidays: `snapshot()` then holds more."""
        return self._learned

    def provisional_notice(self, year: int) -> str | None:
        """The warning the calendar shows for a year whose arrangement is only computed."""
        return PROVISIONAL_NOTICE if self.is_provisional(year) else None

    # -- days ------------------------------------------------------------------------------

    def day(self, d: dt.date) -> DayInfo:
        """Everything known about one date; overrides win over the library."""
        d = _as_date(d)
        days = self._years.get(d.year)
        if days is None:
            days = self._year(d.year)
        return days[d]

    def is_workday(self, d: dt.date) -> bool:
        """True if the bureau works on `d` (including 调休 weekends, excluding bridge days)."""
        return self.day(d).is_workday

    def month_days(self, year: int, month: int) -> list[DayInfo]:
        """The days of one month in order, for drawing a month view."""
        if not 1 <= month <= 12:
            raise ValidationError(f"月份无效：{month}")
        key = (year, month)
        cached = self._months.get(key)
        if cached is None:
            days = self._year(year)
            last = _calendar.monthrange(year, month)[1]
            cached = tuple(days[dt.date(year, month, n)] for n in range(1, last + 1))
            self._months[key] = cached
        return list(cached)

    def prepare(self, years: Iterable[int]) -> None:
        """Ask python-holidays at once for those of `years` it has not answered for yet
        (a check of ten years, say), rather than one year at a time as days are asked."""
        missing = [year for year in set(years) if year not in self._sources]
        for year in missing:
            check_year(year)
        if missing:
            self._sources.update(_library_years(missing))
            self._learned = True

    def year_days(self, year: int) -> list[DayInfo]:
        """Every day of a year in order, for the scheduler and yearly overviews."""
        return list(self._year(year).values())

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from `start` to `end`, both included; empty if `end` comes first."""
        start, end = _as_date(start), _as_date(end)
        check_year(start.year)
        check_year(end.year)
        result: list[dt.date] = []
        for year in range(start.year, end.year + 1):
            for d, info in self._year(year).items():
                if start <= d <= end and info.is_workday:
                    result.append(d)
        return result

    def nearest_workday_in_week(
        self,
        d: dt.date,
        taken: set[dt.date] | frozenset[dt.date] = frozenset(),
        *,
        earliest: dt.date | None = None,
        latest: dt.date | None = None,
    ) -> dt.date | None:
        """The working day of d's ISO week (Monday–Sunday) closest to `d` and not in `taken`.

        A session that falls on a holiday is held the same week, so participants keep the
        rhythm; of two equally close days the earlier wins. `earliest`/`latest` keep the
        answer inside a plan's period. None if the week has no such day.
        """
        d = _as_date(d)
        check_year(d.year)
        weekday = d.weekday()
        monday = d - dt.timedelta(days=weekday)
        for offset in sorted(range(7), key=lambda i: (abs(i - weekday), i)):
            candidate = monday + dt.timedelta(days=offset)
            if not in_range(candidate.year):
                continue
            if earliest is not None and candidate < earliest:
                continue
            if latest is not None and candidate > latest:
                continue
            if candidate in taken:
                continue
            if self.day(candidate).is_workday:
                return candidate
        return None

    # -- internals -------------------------------------------------------------------------

    def _year(self, year: int) -> dict[dt.date, DayInfo]:
        days = self._years.get(year)
        if days is not None:
            return days
        check_year(year)
        base = self._library_years.get(year)
        if base is None:
            source = self._sources.get(year)
            if source is None:
                source = self._sources[year] = _library_years([year])[year]
                self._learned = True
            base = _days_of(source, self.is_provisional(year))
            self._library_years[year] = base
        overrides = [o for d, o in self._overrides.items() if d.year == year]
        if overrides:
            days = dict(base)
            for o in overrides:
                d = _as_date(o.date)
                library = base[d]
                name = o.name or ("" if o.is_workday else library.holiday_name)
                days[d] = DayInfo(
                    date=d,
                    is_workday=o.is_workday,
                    holiday_name=name,
                    is_adjusted_workday=o.is_workday and d.weekday() >= 5,
                    provisional=False,
                    overridden=True,
                )
        else:
            days = base
        self._years[year] = days
        return days
