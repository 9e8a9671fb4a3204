"""How the documents word dates, numbers and the standing requirements."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.model.documents import (
    chinese_number,
    date_text,
    date_with_weekday,
    part_of_day,
    requirements,
    short_date,
    templates_folder_for,
    time_text,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "〇"),
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (123, "一百二十三"),
    ],
)
def test_chinese_numbers(number, text):
    assert chinese_number(number) == text


def test_dates_and_times():
    day = dt.date(2026, 3, 12)
    assert date_text(day) == "2026年3月12日"
    assert date_with_weekday(day) == "2026年3月12日（星期四）"
    assert short_date(day) == "2026.3.12"
    assert time_text(dt.time(15), dt.time(17, 30)) == "15:00—17:30"
    assert [part_of_day(dt.time(h)) for h in (9, 15, 19)] == ["上午", "下午", "晚上"]


def test_requirements_name_the_makeup_deadline():
    assert "14 日内完成补学补研" in requirements(14)[-1]


def test_templates_folder_is_beside_the_database(tmp_path):
    assert templates_folder_for(tmp_path / "学习台账.db") == tmp_path / "学习台账-文书模板"
