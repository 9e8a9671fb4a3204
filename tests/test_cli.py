"""The command line: outputs, and the error contract (exit 2, one line, nothing changed)."""

from __future__ import annotations

import argparse
import datetime as dt
import gettext
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from studyplan.cli import main
from studyplan.model.workdays import WorkCalendar

#: The day the commands run on, so `schedule` (which plans the current year from today)
#: does not depend on the day the tests run.
TODAY = dt.date(2026, 1, 5)


def run(capsys, *args: str, today: dt.date = TODAY) -> tuple[int, str, str]:
    code = main(list(args), today=today)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_topics_json_lists_the_bundled_plan(capsys, dbfile: str) -> None:
    code, out, err = run(capsys, "--db", dbfile, "topics", "--year", "2026", "--format", "json")
    assert code == 0, err
    topics = json.loads(out)
    assert [t["number"] for t in topics] == list(range(1, 15))
    assert topics[0]["title"] == "深入学习领会习近平新时代中国特色社会主义思想的科学体系和核心要义"
    assert topics[1]["readings"] == [
        "《习近平关于科技创新论述摘编》",
        "《习近平总书记科技自立自强重要论述学习读本》",
    ]
    assert all(set(t) == {"number", "title", "description", "readings"} for t in topics)
    assert all(t["description"] for t in topics)


def test_topics_table(capsys, dbfile: str) -> None:
    code, out, _ = run(capsys, "--db", dbfile, "topics", "--year", "2026")
    assert code == 0
    assert "未安排" in out and "专题" in out.splitlines()[0]


def test_import_seed_for_another_year_gives_the_same_titles(
    capsys, dbfile: str, seed_plan: Path
) -> None:
    code, out, err = run(capsys, "--db", dbfile, "import-plan", str(seed_plan), "--year", "2030")
    assert code == 0, err
    assert "14 个专题" in out
    _, out2030, _ = run(capsys, "--db", dbfile, "topics", "--year", "2030", "--format", "json")
    _, out2026, _ = run(capsys, "--db", dbfile, "topics", "--year", "2026", "--format", "json")
    assert [t["title"] for t in json.loads(out2030)] == [t["title"] for t in json.loads(out2026)]


def test_schedule_then_sessions(capsys, dbfile: str) -> None:
    code, out, err = run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", dbfile, "sessions", "--year", "2026", "--format", "json")
    sessions = json.loads(out)
    calendar = WorkCalendar()
    days = [dt.date.fromisoformat(s["date"]) for s in sessions]
    assert {n for s in sessions for n in s["topics"]} == set(range(1, 15))
    assert {(d.month - 1) // 3 for d in days} == {0, 1, 2, 3}
    assert all(calendar.is_workday(d) for d in days)
    assert len(set(days)) == len(days)
    assert set(sessions[0]) >= {"id", "date", "start", "end", "location", "form", "topics"}
    assert sessions[0]["start"] == "15:00" and sessions[0]["end"] == "17:00"

    code, out, _ = run(capsys, "--db", dbfile, "sessions", "--format", "csv")
    assert out.splitlines()[0] == "id,date,start,end,location,form,topics,status"
    assert len(out.strip().splitlines()) == len(sessions) + 1


def test_schedule_from_a_date_with_options(capsys, dbfile: str) -> None:
    code, _, err = run(
        capsys,
        "--db",
        dbfile,
        "schedule",
        "--year",
        "2026",
        "--from",
        "2026-07-01",
        "--rule",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        "--time",
        "09:30",
        "--duration",
        "90",
    )
    assert code == 0, err
    _, out, _ = run(capsys, "--db", dbfile, "sessions", "--format", "json")
    sessions = json.loads(out)
    assert all(s["date"] >= "2026-07-01" for s in sessions)
    assert {(s["start"], s["end"]) for s in sessions} == {("09:30", "11:00")}


def test_export_ics(capsys, dbfile: str, tmp_path: Path) -> None:
    run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    out_file = tmp_path / "plan.ics"
    code, _, err = run(capsys, "--db", dbfile, "export", "ics", "--year", "2026", str(out_file))
    assert code == 0, err
    from icalendar import Calendar

    _, out, _ = run(capsys, "--db", dbfile, "sessions", "--year", "2026", "--format", "json")
    sessions = json.loads(out)
    assert len(sessions) >= 12
    events = Calendar.from_ical(out_file.read_bytes()).walk("VEVENT")
    # One event per session, at its day and hours, titled with its form and topics.
    shown = sorted(
        (
            event.decoded("dtstart").strftime("%Y-%m-%d %H:%M"),
            event.decoded("dtend").strftime("%H:%M"),
            str(event["summary"]),
        )
        for event in events
    )
    assert shown == sorted(
        (
            f"{s['date']} {s['start']}",
            s["end"],
            f"理论学习中心组{s['form']}（{'、'.join(f'专题{n}' for n in s['topics'])}）",
        )
        for s in sessions
    )
    assert len({str(event["uid"]) for event in events}) == len(sessions)


@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "--year", "99999"],
        ["schedule", "--year", "2026", "--time", "25:61"],
        ["schedule", "--year", "2026", "--rule", "FREQ=SOMETIMES"],
        ["schedule", "--year", "2026", "--duration", "-5"],
        ["schedule", "--year", "2026", "--from", "2026-13-45"],
        ["import-plan", "/no/such/plan.txt", "--year", "2030"],
        ["export", "ics", "/no/such/folder/x.ics"],
        ["topics", "--year", "2031"],
        ["no-such-command"],
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, dbfile: str, args: list[str]) -> None:
    run(capsys, "--db", dbfile, "topics")  # create the database first
    before = hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()
    code, _, err = run(capsys, "--db", dbfile, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("studyplan: ")
    assert "Traceback" not in err
    assert hashlib.sha256(Path(dbfile).read_bytes()).hexdigest() == before


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("hello")
    result = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(not_a_db), "topics"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "不是 studyplan 数据库" in result.stderr
    assert not_a_db.read_text() == "hello"


def test_environment_variable_names_the_database(capsys, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("STUDYPLAN_DB", str(target))
    code, _, _ = run(capsys, "topics", "--format", "json")
    assert code == 0 and target.exists()


def test_demo_then_members(capsys, dbfile: str) -> None:
    code, out, err = run(capsys, "--db", dbfile, "demo", "--year", "2025")
    assert code == 0, err
    assert "成员 14 人" in out
    code, out, _ = run(capsys, "--db", dbfile, "members", "--format", "json")
    members = json.loads(out)
    assert len(members) == 14
    assert set(members[0]) == {"id", "name", "position", "role", "department", "active"}
    assert members[0]["role"] == "组长"
    code, out, _ = run(capsys, "--db", dbfile, "sessions", "--year", "2025", "--format", "json")
    assert {s["status"] for s in json.loads(out)} == {"held"}


def test_members_import(capsys, dbfile: str) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "roster-sample.xlsx"
    code, out, err = run(capsys, "--db", dbfile, "members", "import", str(sample))
    assert code == 0, err
    assert re.search(r"(?<!\d)14(?!\d)", out), out
    _, out, _ = run(capsys, "--db", dbfile, "members", "--format", "json")
    members = json.loads(out)
    assert len(members) == 14
    # The sheet's rows, read apart from the import: 序号, 姓名, 职务, 角色, 部门 under a title
    # (a two-character name padded to the width of three, "刘  洋", is stored as 刘洋).
    import openpyxl

    workbook = openpyxl.load_workbook(sample, read_only=True)
    rows = [r for r in workbook.active.iter_rows(min_row=3, values_only=True) if r[1]]
    workbook.close()
    assert [(m["name"], m["position"], m["role"], m["department"]) for m in members] == [
        ("".join(name.split()), position, role, department)
        for _, name, position, role, department in rows
    ]
    assert all(m["active"] for m in members)


def test_members_import_of_a_non_spreadsheet_changes_nothing(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    junk = tmp_path / "名单.xlsx"
    junk.write_bytes(b"\x00\x01 not a workbook" * 20)
    code, _, err = run(capsys, "--db", dbfile, "members", "import", str(junk))
    assert code == 2 and err.count("\n") == 1
    _, out, _ = run(capsys, "--db", dbfile, "members", "--format", "json")
    assert json.loads(out) == []


def test_check_lists_problems_and_exits_1(capsys, dbfile: str) -> None:
    run(capsys, "--db", dbfile, "demo", "--year", "2025")
    code, out, _ = run(capsys, "--db", dbfile, "check", "--year", "2025")
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[-1].startswith("2025 年合规检查")
    assert any("无故缺席" in line for line in lines)


def test_check_of_a_year_without_plan_exits_1(capsys, dbfile: str) -> None:
    code, out, _ = run(capsys, "--db", dbfile, "check", "--year", "2031")
    assert code == 1 and "没有学习计划" in out


def test_export_ledger(capsys, dbfile: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    run(capsys, "--db", dbfile, "demo", "--year", "2025")
    out_file = tmp_path / "台账.xlsx"
    code, out, err = run(
        capsys, "--db", dbfile, "export", "ledger", "--year", "2025", str(out_file)
    )
    assert code == 0, err
    assert out == f"已导出 2025 年学习台账：{out_file}\n"
    workbook = load_workbook(out_file, read_only=True)
    assert workbook.sheetnames == [
        "学习计划",
        "学习台账",
        "考勤表",
        "请假登记",
        "补学登记",
        "统计分析",
        "学习责任清单",
        "学习任务清单",
        "成果转化清单",
        "成员履职情况",
    ]
    workbook.close()
    code, _, err = run(capsys, "--db", dbfile, "export", "ledger", str(tmp_path / "no" / "x.xlsx"))
    assert code == 2 and err.count("\n") == 1


# The PDF is painted with Qt: `qapp` makes the QApplication first, as a QGuiApplication
# made by the command itself would stop later GUI tests of this process from making one.
@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_export_signin(qapp, capsys, dbfile: str, tmp_path: Path, suffix: str) -> None:
    run(capsys, "--db", dbfile, "demo", "--year", "2025")
    out_file = tmp_path / f"签到表{suffix}"
    code, _, err = run(capsys, "--db", dbfile, "export", "signin", "1", str(out_file))
    assert code == 0, err
    _, out, _ = run(capsys, "--db", dbfile, "members", "--format", "json")
    names = [m["name"] for m in json.loads(out)]
    if suffix == ".pdf":
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument()
        assert document.load(str(out_file)) == QPdfDocument.Error.None_
        assert document.pageCount() == 1
        text = document.getAllText(0).text()
    else:
        import openpyxl

        workbook = openpyxl.load_workbook(out_file, read_only=True)
        cells = workbook.active.iter_rows(values_only=True)
        text = "\n".join(str(value) for row in cells for value in row if value is not None)
        workbook.close()
    # The first demo session (2025-01-09), titled for the unit, with the members by rank.
    assert "市科学技术局理论学习中心组学习签到表" in text
    assert "2025年1月9日" in text and "15:00–17:00" in text
    assert "局机关三楼会议室" in text and "专题1" in text and "专题2" in text
    assert [name for name in names if name in text] == names
    assert sorted(names, key=text.index) == names


def test_export_signin_of_unknown_session(qapp, capsys, dbfile: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", dbfile, "export", "signin", "999", str(tmp_path / "x.pdf"))
    assert code == 2 and "999" in err and err.count("\n") == 1


def _dump(path: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_backup_and_restore_round_trip_exactly(capsys, tmp_path: Path) -> None:
    live, copy, other = tmp_path / "live.db", tmp_path / "copy.db", tmp_path / "other.db"
    run(capsys, "--db", str(live), "demo", "--year", "2025")
    code, out, err = run(capsys, "--db", str(live), "backup", str(copy))
    assert code == 0, err
    # The live database has since noted the backup in its 操作记录; nothing else differs.
    noted = [line for line in _dump(live) if line not in _dump(copy)]
    assert len(noted) == 1 and "备份数据库" in noted[0]
    run(capsys, "--db", str(other), "demo", "--year", "2024", "--members", "9")
    code, out, err = run(capsys, "--db", str(other), "restore", str(copy))
    assert code == 0, err
    assert "成员 14 人" in out and "prerestore" in out
    # The restored database is the copy, with the restore noted in its 操作记录.
    noted = [line for line in _dump(other) if line not in _dump(copy)]
    assert len(noted) == 1 and "恢复数据库" in noted[0]
    assert [line for line in _dump(other) if line not in noted] == _dump(copy)


def test_a_read_only_database_is_backed_up_and_says_so(capsys, tmp_path: Path) -> None:
    live, copy = tmp_path / "live.db", tmp_path / "copy.db"
    run(capsys, "--db", str(live), "demo", "--year", "2025")
    live.chmod(0o444)
    try:
        if os.access(live, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        before = live.read_bytes()
        code, out, err = run(capsys, "--db", str(live), "backup", str(copy))
        assert (code, out, err) == (0, f"已备份数据库到 {copy}\n", "")
        assert _dump(copy) == _dump(live)
        assert live.read_bytes() == before
    finally:
        live.chmod(0o644)


def test_restore_refuses_a_newer_backup_and_changes_nothing(capsys, tmp_path: Path) -> None:
    import sqlite3

    live, newer = tmp_path / "live.db", tmp_path / "newer.db"
    run(capsys, "--db", str(live), "demo", "--year", "2025")
    run(capsys, "--db", str(live), "backup", str(newer))
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version=999")
    conn.close()
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    newer_bytes = newer.read_bytes()
    code, _, err = run(capsys, "--db", str(live), "restore", str(newer))
    assert code == 2 and err.count("\n") == 1
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert newer.read_bytes() == newer_bytes
    code, _, err = run(capsys, "--db", str(newer), "topics")
    assert code == 2 and "更新版本" in err
    assert newer.read_bytes() == newer_bytes


def test_a_command_waits_for_an_open_window_then_says_so(capsys, dbfile: str) -> None:
    from studyplan.gui.locking import gui_lock

    run(capsys, "--db", dbfile, "topics")
    lock = gui_lock(dbfile)
    assert lock is not None and lock.held
    try:
        code, _, err = run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    finally:
        lock.release()
    assert code == 2 and "打开着的窗口）使用；这条命令会修改数据" in err
    code, _, _ = run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    assert code == 0


# -- a reader that stops reading (`studyplan sessions | head -1`) ------------------------
def _into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run studyplan with stdout a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "studyplan", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["sessions", "--year", "2026"],  # a few lines, written at the final flush
        ["topics", "--year", "2026", "--format", "json"],  # 20 KB, cut off mid-way
    ],
)
def test_a_closed_stdout_ends_quietly(capsys, dbfile: str, args: list[str]) -> None:
    run(capsys, "--db", dbfile, "schedule", "--year", "2026")
    before = hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()
    done = _into_a_closed_pipe("--db", dbfile, *args)
    assert done.stderr == "" and done.returncode == 0
    assert hashlib.sha256(Path(dbfile).read_bytes()).hexdigest() == before


def test_schedule_into_a_closed_stdout_keeps_its_sessions(capsys, dbfile: str) -> None:
    done = _into_a_closed_pipe("--db", dbfile, "schedule", "--year", "2026", "--from", "2026-01-01")
    assert done.stderr == "" and done.returncode == 0
    _, out, _ = run(capsys, "--db", dbfile, "sessions", "--format", "json")
    assert len(json.loads(out)) == 12


# -- restore keeps as many automatic backups as the database says ------------------------
def test_restore_keeps_the_number_of_backups_set(capsys, tmp_path: Path) -> None:
    from studyplan.app.safety import SafetyService
    from studyplan.store.backup import list_backups
    from studyplan.store.opening import connect

    live, copy = tmp_path / "live.db", tmp_path / "copy.db"
    run(capsys, "--db", str(live), "topics")
    db = connect(live)
    SafetyService(db).set_backups_to_keep(100)
    db.conn.close()
    run(capsys, "--db", str(live), "backup", str(copy))
    folder = tmp_path / "backups"
    folder.mkdir(exist_ok=True)
    start = dt.datetime(2026, 1, 1, 9)
    for n in range(40):
        taken = start + dt.timedelta(days=n)
        (folder / f"live-{taken:%Y%m%d-%H%M%S}-daily.db").write_bytes(copy.read_bytes())
    code, _, err = run(capsys, "--db", str(live), "restore", str(copy))
    assert code == 0, err
    assert len(list_backups(live)) == 41  # none of the 40 pruned (30 were kept before)


# -- schedule starts from today in the current year, as the dialog does ------------------
def _dates(capsys, dbfile: str) -> list[str]:
    _, out, _ = run(capsys, "--db", dbfile, "sessions", "--format", "json")
    return [s["date"] for s in json.loads(out)]


def test_schedule_of_the_current_year_starts_today(capsys, dbfile: str) -> None:
    code, _, err = run(
        capsys, "--db", dbfile, "schedule", "--year", "2026", today=dt.date(2026, 11, 26)
    )
    assert code == 0, err
    dates = _dates(capsys, dbfile)
    assert dates and min(dates) >= "2026-11-26"
    code, out, _ = run(
        capsys, "--db", dbfile, "check", "--year", "2026", today=dt.date(2026, 11, 26)
    )
    assert "未登记考勤" not in out and "逾期" not in out


@pytest.mark.parametrize("today", [dt.date(2025, 11, 26), dt.date(2027, 2, 1)])
def test_schedule_of_another_year_starts_in_january(capsys, dbfile: str, today) -> None:
    code, _, err = run(capsys, "--db", dbfile, "schedule", "--year", "2026", today=today)
    assert code == 0, err
    assert min(_dates(capsys, dbfile)) == "2026-01-08"


def test_schedule_from_overrides_today(capsys, dbfile: str) -> None:
    args = ("--db", dbfile, "schedule", "--year", "2026", "--from", "2026-03-01")
    code, _, err = run(capsys, *args, today=dt.date(2026, 11, 26))
    assert code == 0, err
    assert min(_dates(capsys, dbfile)) == "2026-03-12"


# -- an empty form, and a daily rule ---------------------------------------------------
@pytest.mark.parametrize("form", ["", "  "])
def test_schedule_refuses_an_empty_form(capsys, dbfile: str, form: str) -> None:
    run(capsys, "--db", dbfile, "topics")
    before = hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()
    code, _, err = run(capsys, "--db", dbfile, "schedule", "--year", "2026", "--form", form)
    assert code == 2 and err.count("\n") == 1 and "学习形式" in err
    assert hashlib.sha256(Path(dbfile).read_bytes()).hexdigest() == before


def test_schedule_with_a_daily_rule_prints_no_wall_of_warnings(capsys, dbfile: str) -> None:
    code, out, err = run(
        capsys, "--db", dbfile, "schedule", "--year", "2026", "--rule", "FREQ=DAILY"
    )
    assert code == 0, err
    assert "提示" not in out and "已跳过" not in out
    assert "新安排 14 场学习" in out and len(out.splitlines()) == 15


# -- argparse in Chinese ---------------------------------------------------------------
ENGLISH = re.compile(
    r"usage|options|argument|required|invalid|choose|unrecognized|expected|error|"
    r"show this help|positional",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["schedule"], "缺少必需的参数 --year"),
        (
            ["sessions", "--format", "xml"],
            "参数 --format：“xml”不是可选的值，可选：json、csv、table",
        ),
        (["import-plan"], "缺少必需的参数 FILE、--year"),
        (["schedule", "--year", "2026", "--time", "25:61"], "参数 --time：时间格式应为"),
        (["demo", "--years", "x"], "参数 --years：“x”不是有效的值"),
        (["topics", "--bogus"], "无法识别的参数 --bogus"),
        (["schedule", "--year"], "参数 --year：缺少取值"),
        (["no-such-command"], "没有“no-such-command”这个子命令，可用的有：topics、import-plan、"),
        (["export"], "缺少必需的参数 文件类型"),
    ],
)
def test_usage_errors_are_one_chinese_sentence(
    capsys, dbfile: str, args: list[str], says: str
) -> None:
    code, out, err = run(capsys, "--db", dbfile, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("studyplan: 命令用法有误：")
    assert says in err
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize("args", [["--help"], ["schedule", "--help"], ["export", "ics", "-h"]])
def test_help_is_in_chinese(capsys, args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, _ = capsys.readouterr()
    assert exited.value.code == 0
    assert out.startswith("用法：studyplan") and "选项" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out


def test_argparse_speaks_english_again_afterwards(capsys, dbfile: str) -> None:
    run(capsys, "--db", dbfile, "schedule")
    with pytest.raises(SystemExit):
        main(["--help"])
    capsys.readouterr()
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    assert "usage:" in argparse.ArgumentParser(prog="other").format_usage()


def test_an_unforeseen_error_is_one_line_and_its_traceback_goes_to_the_log(
    capsys, dbfile: str, monkeypatch
) -> None:
    from studyplan.app.planning import PlanningService
    from studyplan.gui.logbook import LOG_NAME, data_folder

    def broken(self, year):
        raise RuntimeError("出了\n两行的问题")

    monkeypatch.setattr(PlanningService, "topics", broken)
    log = data_folder() / LOG_NAME
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    code, out, err = run(capsys, "--db", dbfile, "topics", "--year", "2026")
    assert code == 2 and out == ""
    assert err == f"studyplan: 发生意外错误（详情已记入 {log}），数据未改动。\n"
    written = log.read_text(encoding="utf-8")[len(before) :]
    assert "Traceback" in written and "RuntimeError" in written


def test_a_damaged_database_names_its_newest_backup_and_the_command(capsys, tmp_path: Path) -> None:
    from studyplan.store import backup
    from studyplan.store.opening import connect

    db_path = tmp_path / "学习台账.db"
    db = connect(db_path)
    taken = backup.automatic_backup(db, db_path)
    db.conn.close()
    with db_path.open("r+b") as fh:
        fh.truncate(db_path.stat().st_size // 2)
    code, _out, err = run(capsys, "--db", str(db_path), "topics")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("studyplan: 数据库文件已损坏，未做任何改动。最近的备份是 ")
    assert err.endswith(f'可用 studyplan --db "{db_path}" restore "{taken}" 恢复。\n')


def test_a_plan_that_would_take_topics_from_planned_sessions_needs_force(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    assert run(capsys, "--db", dbfile, "schedule", "--year", "2026", "--from", "2026-01-01")[0] == 0
    smaller = tmp_path / "三个专题.txt"
    smaller.write_text("1.一\n说明\n2.二\n说明\n3.三\n说明\n", encoding="utf-8")
    before = Path(dbfile).read_bytes()
    code, _out, err = run(capsys, "--db", dbfile, "import-plan", str(smaller), "--year", "2026")
    assert code == 2 and err.count("\n") == 1
    assert "未导入。确认无误后请加 --force 重新导入。" in err
    assert Path(dbfile).read_bytes() == before

    code, out, _err = run(
        capsys, "--db", dbfile, "import-plan", str(smaller), "--year", "2026", "--force"
    )
    assert code == 0 and "已导入 2026 年学习计划：3 个专题。" in out
    assert "场学习场次已不再关联" in out


def test_members_import_names_namesakes_and_members_not_in_the_file(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    import openpyxl

    def sheet(name: str, rows: list[list[str]]) -> Path:
        wb = openpyxl.Workbook()
        wb.active.append(["姓名", "职务", "部门"])
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    first = sheet("v1.xlsx", [["张三", "科员", "办公室"], ["李四", "科长", "人事处"]])
    assert run(capsys, "--db", dbfile, "members", "import", str(first))[0] == 0
    moved = sheet("v2.xlsx", [["张三", "处长", "综合处"]])
    code, out, _err = run(capsys, "--db", dbfile, "members", "import", str(moved))
    assert code == 0
    assert "  新增第 2 行 张三：处长，综合处，成员；与现有成员张三（科员，办公室，成员）同名" in out
    assert "  名单中没有：张三" in out and "李四" in out
    assert "同名而职务、部门不同" in out and "请在界面的成员页核对" in out


def test_a_namesake_is_told_apart_only_by_the_fields_the_file_has(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    import openpyxl

    def sheet(name: str, header: list[str], rows: list[list[str]]) -> Path:
        wb = openpyxl.Workbook()
        wb.active.append(header)
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    first = sheet("v1.xlsx", ["姓名", "职务", "部门"], [["张三", "科员", "办公室"]])
    assert run(capsys, "--db", dbfile, "members", "import", str(first))[0] == 0
    moved = sheet("v2.xlsx", ["姓名", "职务"], [["张三", "处长"]])
    _code, out, _err = run(capsys, "--db", dbfile, "members", "import", str(moved))
    assert "同名而职务不同，已按另一人新增" in out


def test_reading_exporting_and_backing_up_run_beside_an_open_window(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    from studyplan.gui.locking import gui_lock

    assert run(capsys, "--db", dbfile, "schedule", "--year", "2026")[0] == 0
    window = gui_lock(Path(dbfile))  # as an open window holds it
    assert window is not None
    try:
        for args in (
            ["sessions", "--year", "2026"],
            ["topics"],
            ["members"],
            ["check", "--year", "2026"],
            ["export", "ics", "--year", "2026", str(tmp_path / "a.ics")],
            ["backup", str(tmp_path / "在线备份.db")],
        ):
            code, _out, err = run(capsys, "--db", dbfile, *args)
            assert code in (0, 1) and err == "", (args, err)
    finally:
        window.release()
    assert (tmp_path / "在线备份.db").exists()


@pytest.mark.parametrize(
    ("args", "shared"),
    [
        (["members"], True),
        (["members", "import", "名单.xlsx"], False),
        (["schedule", "--year", "2026"], False),
        (["import-plan", "计划.txt", "--year", "2026"], False),
        (["restore", "备份.db"], False),
        (["demo"], False),
        (["export", "ledger", "台账.xlsx"], True),
    ],
)
def test_only_commands_that_change_nothing_skip_the_lock(args: list[str], shared: bool) -> None:
    from studyplan.cli import build_parser

    assert build_parser().parse_args(args).shared is shared


def test_a_database_that_needs_an_upgrade_is_not_read_beside_an_open_window(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    """Upgrading writes: a listing that would upgrade an older database waits for the lock
    like any change, instead of altering the file under the window of the older version."""
    from sqlite_utils import Database as SqliteUtils

    from studyplan.gui import locking
    from studyplan.store import migrations as mig
    from studyplan.store.opening import needs_upgrade

    older = tmp_path / "旧版.db"
    raw = SqliteUtils(str(older))
    mig.migration_set().apply(raw, stop_before=mig.known_names()[-1])
    raw.conn.close()
    assert needs_upgrade(older) and needs_upgrade(tmp_path / "没有.db")
    before = older.read_bytes()
    short = locking.cli_lock
    monkeypatch.setattr(locking, "cli_lock", lambda path: short(path, wait_seconds=0.2))
    window = locking.gui_lock(older)
    try:
        code, _out, err = run(capsys, "--db", str(older), "sessions")
    finally:
        window.release()
    assert code == 2 and "打开着的窗口" in err
    assert older.read_bytes() == before
    assert run(capsys, "--db", str(older), "sessions")[0] == 0
    assert not needs_upgrade(older)


def test_what_sqlite_said_of_a_damaged_file_goes_to_the_log(capsys, tmp_path: Path) -> None:
    from studyplan.gui.logbook import LOG_NAME, data_folder
    from studyplan.store.opening import connect

    db_path = tmp_path / "坏.db"
    connect(db_path).conn.close()
    with db_path.open("r+b") as fh:
        fh.truncate(db_path.stat().st_size // 2)
    log = data_folder() / LOG_NAME
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    code, _out, err = run(capsys, "--db", str(db_path), "topics")
    assert code == 2 and "已损坏" in err
    assert f"damaged database {db_path}: " in log.read_text(encoding="utf-8")[len(before) :]


# -- unit -----------------------------------------------------------------------------------


def test_unit_details_are_shown_set_and_used_by_the_exports(
    capsys, dbfile: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", dbfile, "unit", "--format", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["name"] == "" and shown["name_in_use"] == "市科学技术局"
    assert shown["group"] == "党组理论学习中心组" and shown["next_brief"] == 1

    code, out, err = run(
        capsys, "--db", dbfile, "unit", "set", "--name", "县发展和改革局", "--secretary",
        "张敏", "--phone", "0351-1234567", "--next-brief", "7",
    )  # fmt: skip
    assert code == 0, err
    assert "县发展和改革局" in out
    shown = json.loads(run(capsys, "--db", dbfile, "unit", "--format", "json")[1])
    assert shown == {
        "name": "县发展和改革局",
        "name_in_use": "县发展和改革局",
        "group": "党组理论学习中心组",
        "secretary": "张敏",
        "phone": "0351-1234567",
        "next_brief": 7,
    }
    out_file = tmp_path / "台账.xlsx"
    assert run(capsys, "--db", dbfile, "export", "ledger", "--year", "2026", str(out_file))[0] == 0
    import openpyxl

    assert openpyxl.load_workbook(out_file).worksheets[0]["A1"].value.startswith("县发展和改革局")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "请至少给出一项"),
        (("--next-brief", "0"), "简报期号应在 1 到 9999 之间"),
        (("--name", "局" * 61), "单位名称过长"),
    ],
)
def test_bad_unit_details_change_nothing(capsys, dbfile: str, args, said: str) -> None:
    run(capsys, "--db", dbfile, "unit", "set", "--name", "市科学技术局")
    before = run(capsys, "--db", dbfile, "unit", "--format", "json")[1]
    code, out, err = run(capsys, "--db", dbfile, "unit", "set", *args)
    assert code == 2 and out == ""
    assert said in err and err.count("\n") == 1
    assert run(capsys, "--db", dbfile, "unit", "--format", "json")[1] == before
