"""`studyplan leave add|list` and `studyplan attendance` (issue 17): outputs, and bad input
leaving the database unchanged with exit 2 and one line."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from studyplan.app.context import Context
from studyplan.cli import main
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session

TODAY = dt.date(2026, 2, 20)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args), today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path: Path) -> str:
    """Three sessions in March and one in April 2026; two members named 王建国."""
    path = tmp_path / "cli.db"
    context = Context.open(path, clock=FixedClock.on(TODAY))
    planning, attendance = context.planning, context.attendance
    planning.ensure_bundled_plan()
    for day in ("2026-03-05", "2026-03-12", "2026-03-26", "2026-04-09"):
        planning.save_session(
            Session(
                date=dt.date.fromisoformat(day),
                start=dt.time(15),
                end=dt.time(17),
                topic_numbers=(1,),
            )
        )
    attendance.add_member("王建国", "局长", "组长", "局领导")
    attendance.add_member("李红梅", "副局长", "副组长", "局领导")
    attendance.add_member("王建国", "科员", "成员", "办公室")
    attendance.add_member("周文斌", "主任", "成员", "办公室")
    context.close()
    return str(path)


def _digest(dbfile: str) -> str:
    return hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()


def test_leave_add_for_a_range_and_list(capsys, dbfile: str) -> None:
    code, out, err = run(
        capsys, "--db", dbfile, "leave", "add", "--member", "王建国（局领导）",
        "--from", "2026-03-01", "--to", "2026-03-31", "--type", "出差", "--reason", "赴京学习",
        "--approve", "--approver", "李红梅",
    )  # fmt: skip
    assert code == 0, err
    assert (
        out == "已登记 王建国（局领导） 的请假（因公·出差，3 场：03-05、03-12、03-26），已批准。\n"
    )
    code, out, err = run(
        capsys, "--db", dbfile, "leave", "add", "--member", "4", "--from", "2026-04-09",
        "--type", "病假", "--reason", "住院",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(
        capsys, "--db", dbfile, "leave", "list", "--year", "2026", "--format", "json"
    )
    data = json.loads(out)
    first, second = data["leaves"]
    assert first["display_name"] == "王建国（局领导）" and first["category"] == "因公"
    assert [s["date"] for s in first["sessions"]] == ["2026-03-05", "2026-03-12", "2026-03-26"]
    assert first["decision"] == "approved" and first["approver"] == "李红梅"
    assert second["name"] == "周文斌" and second["decision"] == "pending"
    assert data["approved_counts"] == {"因公": 3, "因私": 0}
    code, out, _ = run(capsys, "--db", dbfile, "leave", "list", "--year", "2026")
    assert "2026-03-01 至 2026-03-31（3 场）" in out and "因私·病假" in out
    assert "已批准请假：因公 3 人次，因私 0 人次。" in out
    # The approved leave shows on each session's attendance.
    code, out, _ = run(capsys, "--db", dbfile, "attendance", "2", "--format", "json")
    marks = {m["display_name"]: m["status_label"] for m in json.loads(out)["members"]}
    assert marks["王建国（局领导）"] == "请假" and marks["王建国（办公室）"] == "未登记"


def test_attendance_set_several_at_once(capsys, dbfile: str) -> None:
    code, out, err = run(
        capsys, "--db", dbfile, "attendance", "1", "--set", "李红梅=出席", "1=迟到@15:20",
        "3=早退@16:30", "周文斌=缺席",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("已登记 2026-03-05 这一场 4 人的考勤。\n")
    assert "王建国（局领导）  迟到  15:20" in out
    assert "应到 4 人，实到 3 人，缺席 1 人，迟到 1 人，早退 1 人。" in out
    code, out, _ = run(capsys, "--db", dbfile, "attendance", "1", "--format", "json")
    data = json.loads(out)
    assert data["counts"]["expected"] == 4 and data["counts"]["attended"] == 3
    assert [m["time"] for m in data["members"]][:3] == ["15:20", None, "16:30"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            [
                "leave",
                "add",
                "--member",
                "赵六",
                "--from",
                "2026-03-01",
                "--type",
                "病假",
                "--reason",
                "x",
            ],
            "成员名单中没有“赵六”",
        ),
        (
            [
                "leave",
                "add",
                "--member",
                "王建国",
                "--from",
                "2026-03-01",
                "--type",
                "病假",
                "--reason",
                "x",
            ],
            "有 2 位成员名叫王建国",
        ),
        (
            [
                "leave",
                "add",
                "--member",
                "1",
                "--from",
                "1900-03-01",
                "--type",
                "病假",
                "--reason",
                "x",
            ],
            "年份超出支持范围",
        ),
        (
            [
                "leave",
                "add",
                "--member",
                "1",
                "--from",
                "2026-03-01",
                "--type",
                "年假",
                "--reason",
                "x",
            ],
            "没有“年假”这种请假类别",
        ),
        (
            [
                "leave",
                "add",
                "--member",
                "1",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--type",
                "出差",
                "--reason",
                "x",
                "--approve",
                "--approver",
                "王建国",
            ],
            "审批人不能是请假人本人",
        ),
        (
            [
                "leave",
                "add",
                "--member",
                "1",
                "--from",
                "2026-03-01",
                "--type",
                "出差",
                "--reason",
                "x",
                "--approve",
            ],
            "须用 --approver",
        ),
        (["leave", "list", "--year", "1900"], "年份超出支持范围"),
        (["attendance", "1", "--set", "李红梅=出席", "周文斌=旷课"], "没有“旷课”这种考勤状态"),
        (["attendance", "1", "--set", "李红梅=出席", "王建国=出席"], "请用编号指明"),
        (["attendance", "1", "--set", "李红梅=出席", "赵六=出席"], "成员名单中没有“赵六”"),
        (["attendance", "1", "--set", "李红梅=出席", "1=迟到@14:00"], "应晚于会议开始时间"),
        (["attendance", "1", "--set", "李红梅"], "--set 的写法应为"),
        (["attendance", "1", "--set", "李红梅=出席@15:10"], "只有迟到和早退可以带时间"),
        (["attendance", "99"], "找不到编号为 99 的"),
    ],
)
def test_bad_input_changes_nothing(capsys, dbfile: str, args: list[str], said: str) -> None:
    before = _digest(dbfile)
    code, _out, err = run(capsys, "--db", dbfile, *args)
    assert code == 2
    assert err.count("\n") == 1 and said in err, err
    assert _digest(dbfile) == before


def test_check_names_namesakes_and_a_rest_day(capsys, dbfile: str) -> None:
    context = Context.open(dbfile, clock=FixedClock.on(TODAY))
    context.planning.save_session(
        Session(date=dt.date(2026, 3, 14), start=dt.time(9), end=dt.time(11)),
        allow_day_off=True,
    )
    context.attendance.set_attendance(1, 1, AttendanceStatus.LEAVE)
    context.close()
    code, out, _ = run(capsys, "--db", dbfile, "check", "--year", "2026")
    assert code == 1
    assert "2026-03-05 王建国（局领导） 登记为请假，但没有批准的请假申请\n" in out
    assert (
        "2026-03-14（周六）的学习安排在休息日；如为调休上班日，请核实后在工作日历中设为工作日\n"
        in out
    )
    assert "提示：2026-03-14" not in out
