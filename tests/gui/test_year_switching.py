"""The year switcher: the years it offers, and the month a year opens on."""

from __future__ import annotations

import datetime as dt

from studyplan.app.topics import TopicService
from studyplan.model.plan import Session
from studyplan.model.years import month_to_show, years_offered


def _years(window) -> list[int]:
    return [window.year_combo.itemData(i) for i in range(window.year_combo.count())]


def test_the_rules() -> None:
    today = dt.date(2026, 3, 10)
    assert years_offered([2024, 2026], 2026) == [2024, 2026, 2027]
    assert years_offered([2026, 2027], 2026) == [2026, 2027, 2028]
    assert years_offered([], 2026, 2031) == [2026, 2031, 2032]
    assert month_to_show(2026, today, [dt.date(2026, 1, 8)]) == 3
    assert month_to_show(2025, today, [dt.date(2025, 11, 6), dt.date(2025, 6, 12)]) == 6
    assert month_to_show(2027, today, []) == 1


def test_every_year_with_a_plan_or_sessions_and_the_next(window, planning) -> None:
    planning.save_session(Session(date=dt.date(2024, 6, 13), start=dt.time(15), end=dt.time(17)))
    window.data_changed({"sessions"})
    assert _years(window) == [2024, 2026, 2027]
    TopicService(planning.db).copy_plan(2026, 2027)
    window.data_changed({"plans", "topics"})
    assert _years(window) == [2024, 2026, 2027, 2028]


def test_a_year_opens_on_its_first_month_with_sessions(window, planning) -> None:
    planning.save_session(Session(date=dt.date(2024, 6, 13), start=dt.time(15), end=dt.time(17)))
    window.data_changed({"sessions"})
    window.year_combo.setCurrentIndex(_years(window).index(2024))
    assert (window.calendar.year, window.calendar.month) == (2024, 6)
    assert window.month_combo.currentIndex() == 5
    window.year_combo.setCurrentIndex(_years(window).index(2026))
    assert (window.calendar.year, window.calendar.month) == (2026, 3)
