"""The 计划 menu's plan commands: next year's plan begun from this one's, and the plan
template to download."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studyplan.app.changes import Change, do
from studyplan.app.context import Context
from studyplan.app.templates import save_plan_template
from studyplan.gui.actions import run_action
from studyplan.gui.common import save_target
from studyplan.gui.undo import ChangeStack, push_change
from studyplan.model.plan import Plan


def new_next_year_plan(
    parent: QWidget, services: Context, year: int, stack: ChangeStack
) -> Change[Plan] | None:
    """Ask, then copy `year`'s topics as the next year's draft (撤销 takes it back)."""
    topics = services.planning.topics(year)
    target = year + 1
    if not topics:
        QMessageBox.information(
            parent,
            parent.tr("新建下一年计划"),
            parent.tr("{year} 年还没有学习计划，无从复制。请先切换到有计划的年度。").format(
                year=year
            ),
        )
        return None
    answer = QMessageBox.question(
        parent,
        parent.tr("新建下一年计划"),
        parent.tr(
            "按 {year} 年计划的 {n} 个专题新建 {target} 年计划草稿（不含学习场次），"
            "之后可在专题栏中修改。继续吗？"
        ).format(year=year, n=len(topics), target=target),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    change = run_action(
        parent,
        parent.tr("无法新建计划"),
        lambda: do(services.topics.copy_plan, year, target),
    )
    if change is not None:
        push_change(stack, change, parent)
    return change


def download_plan_template(parent: QWidget, services: Context, year: int) -> Path | None:
    """Ask where, then save the plan template (.docx) for `year`."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        parent.tr("下载计划模板"),
        f"{year}年理论学习中心组学习计划（模板）.docx",
        parent.tr("Word 文档 (*.docx)"),
    )
    if not name:
        return None
    path = save_target(parent, name, (".docx",), ".docx")
    if path is None:
        return None
    unit = services.unit.details().name
    written = run_action(
        parent, parent.tr("保存失败"), lambda: save_plan_template(path, year, unit)
    )
    if written is not None:
        QMessageBox.information(
            parent,
            parent.tr("下载计划模板"),
            parent.tr(
                "已保存计划模板：{path}\n\n按模板中的编号填写专题后，用“文件 → 导入学习计划…”导入。"
            ).format(path=written),
        )
    return written
