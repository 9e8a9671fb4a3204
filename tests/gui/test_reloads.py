"""After a write, the window reloads only the views that show a table it wrote."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.model.plan import Session

#: Every view but 学习记录, which writes in these tests.
OTHERS = ("calendar", "members", "attendance", "leave", "stats", "audit")


def _count_reloads(monkeypatch: pytest.MonkeyPatch, window, names) -> dict[str, int]:
    """How often each view named is reloaded from now on (each is built first)."""
    counts = dict.fromkeys(names, 0)
    for name in names:
        view = window.views[name]

        def counted(real=view.refresh, name=name) -> None:
            counts[name] += 1
            real()

        monkeypatch.setattr(view, "refresh", counted)
    return counts


@pytest.fixture
def session_id(window, planning) -> int:
    made = planning.save_session(
        Session(dt.date(2026, 3, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    window.data_changed({"sessions"})
    return made


def test_saved_minutes_reload_only_the_views_that_show_everything(
    window, session_id, monkeypatch
) -> None:
    reloads = _count_reloads(monkeypatch, window, OTHERS)
    window.open_records(session_id)
    records = window.records
    records.minutes_edit.insertPlainText("会议由王建国同志主持。")
    assert records.save_minutes()
    for name in OTHERS:
        window.show_view(name)  # a hidden view catches up when shown
    assert reloads == {
        "calendar": 0,
        "members": 0,
        "attendance": 0,
        "leave": 0,
        "stats": 1,  # 统计 and 操作记录 show every table
        "audit": 1,
    }


def test_a_view_on_screen_reloads_at_once_only_if_it_shows_the_table(
    window, session_id, monkeypatch
) -> None:
    reloads = _count_reloads(monkeypatch, window, ["members", "leave"])
    window.show_view("members")
    window.data_changed({"speeches"}, window.records)
    assert reloads == {"members": 0, "leave": 0}
    window.data_changed({"members"}, window.records)
    assert reloads == {"members": 1, "leave": 0}  # 请假与补学 waits until it is shown
    window.show_view("leave")
    assert reloads == {"members": 1, "leave": 1}
