"""Members: name clean-up, the roster's order, and membership periods."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from studyplan.app.roster import RosterService
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Plan, Session, Topic
from studyplan.model.roster import ROLES, Member, normalize_name, normalize_text
from studyplan.store import plans
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction


@pytest.fixture
def roster(db) -> RosterService:
    return RosterService(db)


def add_session(db, day: dt.date) -> Session:
    with transaction(db):
        if not plans.has_plan(db, day.year):
            plans.save_plan(db, Plan(day.year, "计划", (Topic(day.year, 1, "专题一"),)))
        session_id = sessions_store.add(
            db, Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
        )
    return sessions_store.get(db, session_id)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("赵　磊", "赵磊"),
        ("  欧阳 明 华 ", "欧阳明华"),
        ("赵\t磊", "赵磊"),
        ("赵\xa0磊", "赵磊"),
        ("\ufeff王\u200b建国", "王建国"),
        ("John   Smith", "John Smith"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("=SUM(1)", "=SUM(1)"),
        ("   ", ""),
        (None, ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


def test_normalize_text_collapses_whitespace():
    assert normalize_text("  局党组书记、\n局长　 ") == "局党组书记、 局长"
    assert normalize_text("政策\u3000\u3000法规处") == "政策 法规处"
    assert normalize_text(None) == ""


def test_roles_list_order():
    assert ROLES == ("组长", "副组长", "成员", "学习秘书", "列席")


def test_member_period():
    member = Member("王建国", active_from=dt.date(2026, 3, 1), active_to=dt.date(2026, 6, 30))
    assert not member.expected_on(dt.date(2026, 2, 28))
    assert member.expected_on(dt.date(2026, 3, 1))
    assert member.expected_on(dt.date(2026, 6, 30))
    assert not member.expected_on(dt.date(2026, 7, 1))
    day = dt.date(2026, 7, 1)
    assert not member.on_roster(day)  # that period is over
    assert Member("李红梅").on_roster(day)
    assert Member("李红梅", active_to=day).on_roster(day)
    assert Member("李红梅", position="副局长").label == "李红梅（副局长）"


def test_add_member_normalises_and_appends(roster):
    first = roster.add_member(" 赵　磊 ", "  处长 ", department="办公室 ")
    second = roster.add_member("李红梅", "副局长", "副组长")
    assert (first.name, first.position, first.department, first.role) == (
        "赵磊",
        "处长",
        "办公室",
        "成员",
    )
    assert second.rank == first.rank + 1
    assert [m.name for m in roster.list_members()] == ["赵磊", "李红梅"]
    assert roster.member(first.id) == first


def test_formula_like_name_is_plain_text(roster):
    member = roster.add_member("=SUM(1)")
    assert roster.member(member.id).name == "=SUM(1)"


def test_add_member_rejects_empty_and_duplicate(roster):
    with pytest.raises(ValidationError, match="姓名不能为空"):
        roster.add_member("　")
    roster.add_member("张伟", "处长", department="办公室")
    with pytest.raises(ValidationError, match="请勿重复添加"):
        roster.add_member("张 伟", "处长", department="办公室")
    # the same name with another post is another person
    roster.add_member("张伟", "科员", department="人事处")
    assert len(roster.list_members()) == 2


def test_list_members_orders_by_rank_then_id(roster):
    roster.add_member("丙", rank=2)
    roster.add_member("甲", rank=1)
    roster.add_member("乙", rank=2)
    assert [m.name for m in roster.list_members()] == ["甲", "丙", "乙"]
    ids = [m.id for m in roster.list_members()]
    roster.reorder_members(list(reversed(ids)))
    assert [m.name for m in roster.list_members()] == ["乙", "丙", "甲"]


def test_update_member(roster):
    member = roster.add_member("王建国", "副局长")
    saved = roster.update_member(replace(member, position=" 局长 "))
    assert saved.position == "局长"
    assert roster.member(member.id).position == "局长"
    with pytest.raises(ValidationError):
        roster.update_member(Member("无编号"))
    with pytest.raises(NotFoundError):
        roster.update_member(Member("不存在", id=999))
    with pytest.raises(ValidationError, match="离组日期不能早于加入日期"):
        roster.update_member(
            replace(member, active_from=dt.date(2026, 5, 1), active_to=dt.date(2026, 4, 1))
        )


def test_deactivate_keeps_history_and_changes_expected(db, roster):
    march = add_session(db, dt.date(2026, 3, 12))
    june = add_session(db, dt.date(2026, 6, 11))
    stays = roster.add_member("李红梅")
    leaves = roster.add_member("王建国")
    joins = roster.add_member("新成员", active_from=dt.date(2026, 5, 1))
    roster.deactivate_member(leaves.id, dt.date(2026, 4, 30))

    assert [m.name for m in roster.expected_members(march)] == ["李红梅", "王建国"]
    assert [m.name for m in roster.expected_members(june)] == ["李红梅", "新成员"]
    assert [m.id for m in roster.expected_members(dt.date(2026, 4, 30))] == [stays.id, leaves.id]
    assert len(roster.list_members()) == 3
    assert [m.id for m in roster.list_members(active_only=True, today=dt.date(2026, 6, 1))] == [
        stays.id,
        joins.id,
    ]
    with pytest.raises(ValidationError, match="不能早于加入日期"):
        roster.deactivate_member(joins.id, dt.date(2026, 4, 1))
    roster.reactivate_member(leaves.id)
    assert roster.member(leaves.id).active_to is None
    with pytest.raises(NotFoundError):
        roster.deactivate_member(999, dt.date(2026, 1, 1))


def test_an_import_says_when_two_rows_or_a_new_member_share_a_name(tmp_path) -> None:
    """Issue 17: two people of one name are imported with a word, and told apart after."""
    import openpyxl

    from studyplan.app.roster import RosterService
    from studyplan.store.opening import connect

    def sheet(name: str, rows: list[list[str]]):
        wb = openpyxl.Workbook()
        wb.active.append(["姓名", "职务", "部门"])
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    db = connect(tmp_path / "names.db")
    roster = RosterService(db)
    first = roster.import_roster(
        sheet("v1.xlsx", [["王建国", "局长", "局领导"], ["王建国", "科员", "办公室"]])
    )
    assert first.same_names == [
        "文件中第 2、3 行都是王建国，已按不同的人登记（重复的行除外），名单中以部门或职务区分。"
    ]
    second = roster.import_roster(
        sheet(
            "v2.xlsx",
            [
                ["王建国", "局长", "局领导"],
                ["王建国", "科员", "办公室"],
                ["李明", "科员", "办公室"],
            ],
        )
    )
    assert second.same_names == []
    third = roster.import_roster(
        sheet(
            "v3.xlsx",
            [
                ["王建国", "局长", "局领导"],
                ["王建国", "科员", "办公室"],
                ["李明", "科员", "办公室"],
                ["李明", "处长", "财务处"],
            ],
        )
    )
    assert third.same_names == [
        "文件中第 4、5 行都是李明，已按不同的人登记（重复的行除外），名单中以部门或职务区分。"
    ]
    assert sorted(roster.display_names().values()) == [
        "李明（办公室）",
        "李明（财务处）",
        "王建国（办公室）",
        "王建国（局领导）",
    ]
    db.conn.close()
