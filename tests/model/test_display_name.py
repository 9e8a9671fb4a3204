"""The one rule naming a member (issue 17): the name alone, or with what tells a namesake
apart."""

from __future__ import annotations

from studyplan.model.roster import Member, display_name, display_names


def test_a_name_borne_once_stands_alone() -> None:
    wang = Member("王建国", "局长", department="局领导", id=1)
    li = Member("李红梅", "副局长", department="局领导", id=2)
    assert display_name(wang, [wang, li]) == "王建国"


def test_namesakes_get_department_then_post_then_both_then_number() -> None:
    a = Member("王建国", "局长", department="局领导", id=1)
    b = Member("王建国", "科员", department="办公室", id=2)
    assert display_names([a, b]) == {1: "王建国（局领导）", 2: "王建国（办公室）"}
    c = Member("王建国", "科员", department="局领导", id=3)
    assert display_name(a, [a, c]) == "王建国（局长）"  # same department: the post
    d = Member("王建国", "", department="", id=4)
    e = Member("王建国", "", department="", id=5)
    assert display_name(d, [d, e]) == "王建国（编号 4）"
    f = Member("王建国", "科员", department="办公室", id=6)
    g = Member("王建国", "科员", department="人事处", id=7)
    h = Member("王建国", "处长", department="办公室", id=8)
    assert display_name(f, [f, g, h]) == "王建国（办公室，科员）"
