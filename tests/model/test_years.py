"""One range of years (model/years.py): every way a year comes in accepts and refuses the same.

If a copy of the range came back (the plan importer once took 1900–2200 while the calendar
knew 1950–2100), one of the readers below would answer differently at the edges.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from studyplan.app.planning import PlanningService
from studyplan.io.plan_import import parse_plan_text
from studyplan.model import years
from studyplan.model.errors import ValidationError
from studyplan.model.plan import ScheduleRequest
from studyplan.model.scheduler import propose_schedule
from studyplan.model.workdays import WorkCalendar
from studyplan.model.years import MAX_YEAR, MIN_YEAR, check_year, quarter_end, quarter_of

EDGES_IN = [MIN_YEAR, MAX_YEAR]
EDGES_OUT = [MIN_YEAR - 1, MAX_YEAR + 1]

#: Files allowed a copy of the range (none: each takes it from model/years.py).
KNOWN_COPIES: set[str] = set()


def _plan_text(year: int) -> str:
    return f"某局{year}年理论学习中心组学习计划\n二、学习专题内容\n1.、学习党章\n认真学习党章。\n"


def test_the_range_is_1950_to_2100() -> None:
    assert (MIN_YEAR, MAX_YEAR) == (1950, 2100)
    assert check_year(1950) == 1950 and check_year(2100) == 2100


@pytest.mark.parametrize("year", EDGES_OUT)
def test_one_sentence_refuses_a_year(year: int) -> None:
    with pytest.raises(ValidationError) as refused:
        check_year(year)
    assert str(refused.value) == f"年份超出支持范围（1950–2100年）：{year}年"


@pytest.mark.parametrize("year", EDGES_IN)
def test_every_reader_accepts_the_edges(year: int) -> None:
    assert parse_plan_text(_plan_text(year), year).topics
    assert WorkCalendar().year_days(year)
    assert years.year_span(year) == (dt.date(year, 1, 1), dt.date(year, 12, 31))


@pytest.mark.parametrize("year", EDGES_OUT)
def test_every_reader_refuses_beyond_the_edges(year: int, db) -> None:
    # The plan importer keeps its own words (the year may come from a file) but not its
    # own range.
    with pytest.raises(ValidationError, match=rf"^年份“{year}”不在 1950 到 2100 之间"):
        parse_plan_text(_plan_text(year), year)
    with pytest.raises(ValidationError, match="年份超出支持范围"):
        propose_schedule(ScheduleRequest(year), [], [], WorkCalendar())
    with pytest.raises(ValidationError, match="年份超出支持范围"):
        WorkCalendar().year_days(year)
    with pytest.raises(ValidationError, match="年份超出支持范围"):
        years.year_span(year)
    with pytest.raises(ValidationError, match="年份超出支持范围"):
        PlanningService(db).sessions(year)


def test_every_year_spans_the_whole_range() -> None:
    assert years.year_span(None) == (dt.date(1950, 1, 1), dt.date(2100, 12, 31))


def test_quarters() -> None:
    assert [quarter_of(m) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert [quarter_end(2024, q) for q in range(1, 5)] == [
        dt.date(2024, 3, 31),
        dt.date(2024, 6, 30),
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
    ]


def test_no_copy_of_the_range_in_the_code() -> None:
    """The range's numbers appear in years.py and nowhere else in the package (a year
    guessed from a file name is checked against `in_range`, not a pattern of digits)."""
    package = Path(years.__file__).parents[1]
    copies = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "years.py" or path.name in KNOWN_COPIES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?<![\d.])(1950|2100|1900|2200)(?![\d])", line):
                copies.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert copies == []
