"""Rules of model/duties.py that the member page and the 个人学习档案 share."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.model.duties import Paper


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("关于企业研发投入情况的调研报告", "《关于企业研发投入情况的调研报告》"),
        ("《关于企业研发投入情况的调研报告》", "《关于企业研发投入情况的调研报告》"),
        (" 《学思践悟》 ", "《学思践悟》"),
        ("学习《习近平谈治国理政》的体会", "《学习《习近平谈治国理政》的体会》"),
        ("《论持久战》与《实践论》", "《《论持久战》与《实践论》》"),
    ],
)
def test_a_papers_title_is_in_book_marks_once(typed: str, shown: str) -> None:
    assert Paper(1, "理论文章", typed, dt.date(2026, 5, 1)).quoted_title == shown
