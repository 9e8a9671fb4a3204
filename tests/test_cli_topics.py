"""`studyplan topics add|edit|delete|move` and `studyplan plan copy`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from studyplan.cli import main

TODAY = dt.date(2026, 3, 2)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args), today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def _topics(capsys, dbfile: str, year: int = 2026) -> list[dict]:
    code, out, _ = run(capsys, "--db", dbfile, "topics", "--year", str(year), "--format", "json")
    assert code == 0
    return json.loads(out)


def test_topics_added_edited_moved_and_deleted(capsys, dbfile: str) -> None:
    before = _topics(capsys, dbfile)
    code, out, _ = run(
        capsys, "--db", dbfile, "topics", "add", "--title", "学习保密法", "--month", "5",
        "--reading", "《保密法》", "--form", "辅导讲座",
    )  # fmt: skip
    assert code == 0 and "专题15" in out
    added = _topics(capsys, dbfile)[-1]
    assert (added["title"], added.get("month"), added.get("form"), added["readings"]) == (
        "学习保密法",
        5,
        "辅导讲座",
        ["《保密法》"],
    )
    code, _, _ = run(capsys, "--db", dbfile, "topics", "edit", "15", "--quarter", "3")
    assert code == 0
    edited = _topics(capsys, dbfile)[-1]
    assert (edited["title"], edited.get("month"), edited.get("quarter")) == ("学习保密法", None, 3)
    code, _, _ = run(capsys, "--db", dbfile, "topics", "move", "15", "--to", "1", "--year", "2026")
    assert code == 0
    assert [t["title"] for t in _topics(capsys, dbfile)][:2] == ["学习保密法", before[0]["title"]]
    code, out, _ = run(capsys, "--db", dbfile, "topics", "delete", "1")
    assert code == 0 and "已删除" in out
    assert [t["title"] for t in _topics(capsys, dbfile)] == [t["title"] for t in before]


def test_deleting_a_topic_with_planned_sessions_needs_force(capsys, dbfile: str) -> None:
    run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    code, _, err = run(capsys, "--db", dbfile, "topics", "delete", "14")
    assert code == 2
    assert err.count("\n") == 1 and "--force" in err
    code, _, _ = run(capsys, "--db", dbfile, "topics", "delete", "14", "--force")
    assert code == 0


def test_bad_topic_commands_are_one_line_and_exit_2(capsys, dbfile: str) -> None:
    for args in (
        ("topics", "edit", "99", "--title", "题"),
        ("topics", "edit", "1"),
        ("topics", "move", "1", "--to", "40"),
        ("topics", "add", "--title", "题", "--month", "3", "--quarter", "1"),
        ("topics", "add"),
        ("plan", "copy", "--from", "2030", "--to", "2031"),
    ):
        code, _, err = run(capsys, "--db", dbfile, *args)
        assert code == 2, args
        assert err.startswith("studyplan: ") and err.count("\n") == 1, (args, err)


def test_plan_copy_gives_next_years_draft_without_sessions(capsys, dbfile: str) -> None:
    run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    code, out, _ = run(capsys, "--db", dbfile, "plan", "copy", "--from", "2026", "--to", "2027")
    assert code == 0 and "2027" in out
    assert [t["title"] for t in _topics(capsys, dbfile, 2027)] == [
        t["title"] for t in _topics(capsys, dbfile, 2026)
    ]
    code, out, _ = run(capsys, "--db", dbfile, "sessions", "--year", "2027", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, _, err = run(capsys, "--db", dbfile, "plan", "copy", "--from", "2026", "--to", "2027")
    assert code == 2 and "已有学习计划" in err


def test_the_table_shows_the_planned_time_once_one_is_set(capsys, dbfile: str) -> None:
    code, out, _ = run(capsys, "--db", dbfile, "topics")
    assert code == 0 and "计划时间" not in out
    run(capsys, "--db", dbfile, "topics", "edit", "2", "--month", "4", "--form", "专题研讨")
    code, out, _ = run(capsys, "--db", dbfile, "topics")
    lines = out.splitlines()
    assert "计划时间" in lines[0]
    assert "4月" in lines[3] and "专题研讨" in lines[3]
