"""Text the CJK fonts cannot print (emoji, private use, pictographs they lack) is refused where
it is typed, imported or given on the command line, naming the character (issue 14, item 5).
An emoji in a name printed as empty boxes on the sign-in sheet and in the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.app.roster import RosterService
from studyplan.cli import main
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.errors import ImportFileError, ValidationError
from studyplan.model.plan import Session
from studyplan.model.text import printing_problem, unprintable, unprintable_problem

SMILE = "😀"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("王建国", None),
        ("Müller", None),
        ("李𠮷", None),  # an ideograph beyond the basic plane, as some names have
        ("★优秀 ✓ ①", None),  # symbols the CJK fonts carry
        ("☀️晴", None),  # a symbol they carry, with the emoji selector: prints as text
        ("ئۇيغۇر", None),  # another script: left to the system's fonts
        (f"王{SMILE}国", SMILE),
        ("⭐星", "⭐"),
        ("✅完成", "✅"),
        ("1️⃣号", "1️⃣"),
        ("👍🏽好", "👍🏽"),
        ("👨\u200d👩\u200d👧家", "👨\u200d👩\u200d👧"),
        ("🇨🇳中国", "🇨🇳"),
        ("\ue000私用", "\ue000"),
        ("𝐀", "𝐀"),
    ],
)
def test_the_rule_names_the_first_character_as_typed(text: str, found: str | None) -> None:
    assert unprintable(text) == found


def test_the_sentence() -> None:
    assert unprintable_problem(f"王{SMILE}", "姓名") == "姓名中的“😀”无法打印，请删去。"
    assert printing_problem({"姓名": "王建国", "部门": "办公室✅"}) == (
        "部门中的“✅”无法打印，请删去。"
    )
    assert printing_problem({"姓名": "王建国"}) is None


def test_members_are_refused_and_nothing_is_saved(db) -> None:
    roster = RosterService(db)
    with pytest.raises(ValidationError, match=r"^姓名中的“😀”无法打印，请删去。$"):
        roster.add_member(f"王{SMILE}")
    assert roster.list_members() == []
    member = roster.add_member("王建国", "局长")
    with pytest.raises(ValidationError, match="职务中的“⭐”无法打印"):
        roster.update_member(replace(member, position="局长⭐"))
    assert roster.list_members()[0].position == "局长"


def test_sessions_leave_makeups_and_records_are_refused(db, tmp_path: Path) -> None:
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    session = Session(dt.date(2026, 3, 12), dt.time(15), dt.time(17), topic_numbers=(1,))
    with pytest.raises(ValidationError, match=r"^地点中的“🏢”无法打印，请删去。$"):
        planning.save_session(replace(session, location="🏢三楼"))
    with pytest.raises(ValidationError, match="备注中的“👍”"):
        planning.save_session(replace(session, notes="很好👍"))
    assert planning.sessions(2026) == []
    session_id = planning.save_session(session)

    roster = RosterService(db)
    member = roster.add_member("王建国")
    assert member.id is not None
    attendance = AttendanceService(db)
    with pytest.raises(ValidationError, match="请假事由中的“✈️”"):
        attendance.file_leave(member.id, session_id, "出差✈️", now=dt.datetime(2026, 3, 1, 9))

    with pytest.raises(ValidationError, match="考勤备注中的“🚗”"):
        attendance.set_attendance(session_id, member.id, AttendanceStatus.ABSENT, note="堵车🚗")
    attendance.set_attendance(session_id, member.id, AttendanceStatus.ABSENT)
    [entry] = attendance.makeups(today=dt.date(2026, 3, 20))
    assert entry.makeup.id is not None
    with pytest.raises(ValidationError, match="佐证材料中的“📝”"):
        attendance.complete_makeup(
            entry.makeup.id, dt.date(2026, 3, 13), "补交心得", "心得📝", today=dt.date(2026, 3, 20)
        )

    records = RecordsService(db, tmp_path)
    with pytest.raises(ValidationError, match="会议记录中的“🎉”"):
        records.save_minutes(session_id, "会议很成功🎉\n第二行")
    with pytest.raises(ValidationError, match="学习资料中的“📚”"):
        records.save_materials(session_id, ["📚党章"])


def _roster_file(path: Path, rows: list[list[str]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "职务", "部门"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_roster_row_with_an_emoji_is_skipped_and_reported(db, tmp_path: Path) -> None:
    path = _roster_file(
        tmp_path / "名单.xlsx",
        [
            ["1", "王建国", "局长", "局领导"],
            ["2", f"李{SMILE}", "副局长", ""],
            ["3", "张三", "科长✅", ""],
        ],
    )
    report = RosterService(db).import_roster(path, today=dt.date(2026, 3, 1))
    assert [line.name for line in report.added] == ["王建国"]
    assert [(line.row, line.reason) for line in report.skipped] == [
        (3, "姓名中的“😀”无法打印，请删去"),
        (4, "职务中的“✅”无法打印，请删去"),
    ]


def test_a_plan_with_an_emoji_is_refused_naming_the_topic(db, tmp_path: Path) -> None:
    path = tmp_path / "计划.txt"
    path.write_text("二、专题内容\n1. 第一个专题\n2. 学习🔥精神\n说明\n", encoding="utf-8")
    planning = PlanningService(db)
    with pytest.raises(ImportFileError) as refused:
        planning.import_plan(path, 2027)
    assert str(refused.value) == (
        "文件“计划.txt”中专题2的名称含有无法打印的“🔥”，请在文件中删去后重新导入。"
    )
    path.write_text("二、专题内容\n1. 第一个专题\n说明✨很多\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="专题1的说明含有无法打印的“✨”"):
        planning.import_plan(path, 2027)
    assert planning.topics(2027) == []


def test_the_command_line_says_so_in_one_line_and_exits_2(capsys, tmp_path: Path) -> None:
    dbfile = str(tmp_path / "cli.db")
    assert main(["--db", dbfile, "topics"], today=dt.date(2026, 1, 5)) == 0
    capsys.readouterr()
    before = hashlib.sha256(Path(dbfile).read_bytes()).hexdigest()
    for args in (
        ["unit", "set", "--name", f"市科技局{SMILE}"],
        ["schedule", "--year", "2026", "--location", "会议室🏛"],
    ):
        code = main(["--db", dbfile, *args], today=dt.date(2026, 1, 5))
        _, err = capsys.readouterr()
        assert code == 2, err
        assert err.count("\n") == 1 and "无法打印" in err
    assert hashlib.sha256(Path(dbfile).read_bytes()).hexdigest() == before
