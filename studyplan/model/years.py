"""The years the app answers for, and how a year divides into quarters.

The working-day calendar only knows 1950–2100, so every way a year comes in (the session
form, the scheduler, a plan file, the statistics, the ledger, the date pickers) is held to
that one range here; a year outside it is refused with the same sentence everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from studyplan.model.errors import ValidationError

MIN_YEAR = 1950
MAX_YEAR = 2100


#: The quarters by number (1–4) minus one, as the checks, the charts and the ledger name them.
QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")


def in_range(year: int) -> bool:
    """Whether the calendar can answer for `year`."""
    return MIN_YEAR <= year <= MAX_YEAR


def out_of_range_text(year: object) -> str:
    """The sentence that refuses a year outside the range."""
    return f"年份超出支持范围（{MIN_YEAR}–{MAX_YEAR}年）：{year}年"


def check_year(year: int) -> int:
    """`year` itself, or a refusal with a sentence the user can read."""
    if not in_range(year):
        raise ValidationError(out_of_range_text(year))
    return year


def year_span(year: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day a year (None: every supported year) covers."""
    if year is None:
        return dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
    check_year(year)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_of(month: int) -> int:
    """The quarter (1–4) a month (1–12) belongs to."""
    return (month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    """The first day of a quarter."""
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter."""
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def years_offered(with_data: Iterable[int], this_year: int, shown: int | None = None) -> list[int]:
    """The year switcher's years: every year with a plan or a session, this year, the one
    being shown, and the year after the latest of them (where next year's plan is begun)."""
    years = {year for year in with_data if in_range(year)} | {this_year}
    if shown is not None:
        years.add(shown)
    if max(years) < MAX_YEAR:
        years.add(max(years) + 1)
    return sorted(years)


def month_to_show(year: int, today: dt.date, session_days: Iterable[dt.date]) -> int:
    """The month a year opens on when switched to: today's in the current year, otherwise
    the first month with a session, else January."""
    if year == today.year:
        return today.month
    return min((day.month for day in session_days if day.year == year), default=1)
