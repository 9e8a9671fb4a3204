"""The 文件 menu's handlers: importing a study plan, exporting the calendar as .ics."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from studyplan.app.planning import PlanningService
from studyplan.gui.actions import run_action
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.model.plan import Plan
from studyplan.model.years import MAX_YEAR, MIN_YEAR, in_range


def guess_year(path: Path, default: int) -> int:
    """The year a plan file names in its file name (`2026年…计划.docx`), else `default`."""
    return _first_year(r"(?=(\d{4}))", path.name) or default


def title_year(title: str) -> int | None:
    """The year a plan's title names (`…2026年理论学习中心组…`), if it names one."""
    return _first_year(r"(?=(\d{4})\s*年)", title)


def _first_year(pattern: str, text: str) -> int | None:
    """The first four digits `pattern` finds in `text` that make a year the app knows."""
    found = (int(match.group(1)) for match in re.finditer(pattern, text))
    return next((year for year in found if in_range(year)), None)


def import_plan(parent: QWidget, service: PlanningService, default_year: int) -> Plan | None:
    """Ask for a .txt/.docx plan file, check that it reads, then ask its year and import it;
    the plan or None."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("导入学习计划"),
        "",
        parent.tr("学习计划 (*.txt *.docx);;所有文件 (*)"),
    )
    if not name:
        return None
    path = Path(name)
    guessed = guess_year(path, default_year)
    failed = parent.tr("导入失败")
    read = run_action(parent, failed, lambda: service.check_plan_file(path, guessed))
    if read is None:
        return None
    named_year = title_year(read.title)
    year, ok = QInputDialog.getInt(
        parent,
        parent.tr("导入学习计划"),
        parent.tr("该计划属于哪一年？"),
        named_year if named_year is not None and MIN_YEAR <= named_year <= MAX_YEAR else guessed,
        MIN_YEAR,
        MAX_YEAR,
    )
    if not ok:
        return None
    found = run_action(parent, failed, lambda: service.read_plan_file(path, year))
    if found is None:
        return None
    notes: list[str] = []
    named = title_year(found.plan.title)
    if named is not None and named != year:
        notes.append(
            parent.tr("文件标题“{title}”写的是 {named} 年，将作为 {year} 年的计划导入。").format(
                title=found.plan.title, named=named, year=year
            )
        )
    if found.replaces:
        notes.append(
            parent.tr(
                "{year} 年已有学习计划，导入后将替换为新计划的 {n} 个专题；"
                "已安排的场次按专题序号保留关联。"
            ).format(year=year, n=len(found.plan.topics))
        )
        if found.losing:
            notes.append(parent.tr("注意：{what}。").format(what=found.losing_sentence))
    if notes:
        answer = QMessageBox.question(
            parent,
            parent.tr("替换学习计划") if found.replaces else parent.tr("导入学习计划"),
            "\n\n".join([*notes, parent.tr("继续导入吗？")]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    plan = run_action(parent, failed, lambda: service.replace_plan(found, detach=True))
    if plan is None:
        return None
    QMessageBox.information(
        parent,
        parent.tr("导入完成"),
        parent.tr("已导入 {year} 年学习计划，共 {n} 个专题。").format(
            year=year, n=len(plan.topics)
        ),
    )
    return plan


def export_ics(parent: QWidget, service: PlanningService, year: int) -> Path | None:
    """Ask where to save `year`'s sessions as an .ics file, then write it."""
    sessions = service.sessions(year)
    if not sessions:
        QMessageBox.information(
            parent, parent.tr("导出日历"), parent.tr("{year} 年还没有学习场次。").format(year=year)
        )
        return None
    save_as = SaveAs(
        title=parent.tr("导出日历"),
        suggested=f"理论学习中心组{year}年学习安排.ics",
        file_filter=parent.tr("iCalendar 日历 (*.ics)"),
        suffixes=(".ics",),
    )
    written = export_file(
        parent,
        save_as,
        lambda path: service.export_ics(path, year),
        lambda path, _count: parent.tr("已导出 {n} 个场次到：\n{path}").format(
            n=len(sessions), path=path
        ),
    )
    return None if written is None else written[0]
