"""The plan and roster templates read back through their importers."""

from __future__ import annotations

from studyplan.app.templates import save_plan_template, save_roster_template
from studyplan.io.plan_import import read_plan
from studyplan.io.roster_import import read_roster
from studyplan.io.templates import ROSTER_EXAMPLE


def test_the_plan_template_imports_as_numbered(tmp_path) -> None:
    path = save_plan_template(tmp_path / "计划模板.docx", 2027, "市生态环境局")
    plan = read_plan(path, 2027)
    assert plan.title == "市生态环境局2027年理论学习中心组专题学习计划"
    assert [t.number for t in plan.topics] == [1, 2, 3]
    assert plan.topics[0].readings == ("《习近平著作选读》",)


def test_the_roster_template_has_the_headers_the_importer_reads(tmp_path) -> None:
    sheet = read_roster(save_roster_template(tmp_path / "名单模板.xlsx"))
    assert set(sheet.columns) == {"number", "name", "position", "role", "department"}
    assert [(r.name, r.position, r.role) for r in sheet.rows] == [ROSTER_EXAMPLE[1:4]]
