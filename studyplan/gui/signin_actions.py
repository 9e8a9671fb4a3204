"""The 签到表 menu of the 考勤 view: preview, print, export to PDF or Excel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QWidget

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.actions import run_action

T = TypeVar("T")


class SigninActions:
    """Builds the sheet for a session on demand and hands it to Qt's printing or a file."""

    def __init__(
        self, parent: QWidget, planning: PlanningService, attendance: AttendanceService
    ) -> None:
        self._parent = parent
        self._planning = planning
        self._attendance = attendance

    def menu(self, session_id: int) -> QMenu:
        menu = QMenu(self._parent)
        tr = self._parent.tr
        menu.addAction(tr("打印预览…"), lambda: self.preview(session_id))
        menu.addAction(tr("打印…"), lambda: self.print(session_id))
        menu.addSeparator()
        menu.addAction(tr("导出 PDF…"), lambda: self.export(session_id, ".pdf"))
        menu.addAction(tr("导出 Excel（.xlsx）…"), lambda: self.export(session_id, ".xlsx"))
        return menu

    def popup(self, session_id: int) -> None:
        self.menu(session_id).exec(QCursor.pos())

    def _sheet(self, session_id: int):
        from studyplan.app.signin import build_signin_sheet

        return build_signin_sheet(self._planning, self._attendance, session_id)

    def preview(self, session_id: int) -> None:
        from studyplan.gui.signin_print import preview_signin

        self._guarded(lambda: preview_signin(self._parent, self._sheet(session_id)))

    def print(self, session_id: int) -> None:
        from studyplan.gui.signin_print import print_signin

        self._guarded(lambda: print_signin(self._parent, self._sheet(session_id)))

    def export(self, session_id: int, suffix: str) -> Path | None:
        """Ask where to save, write the file, and say where it went; the path or None."""
        from studyplan.gui.exporting import SaveAs, export_file
        from studyplan.gui.signin_print import export_signin

        sheet = self._guarded(lambda: self._sheet(session_id))
        if sheet is None:
            return None
        tr = self._parent.tr
        save_as = SaveAs(
            title=tr("导出签到表"),
            suggested=sheet.file_stem + suffix,
            file_filter="PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)",
            suffixes=(suffix,),
        )
        written = export_file(
            self._parent,
            save_as,
            lambda path: export_signin(self._planning, self._attendance, session_id, path),
            lambda path, _written: tr("已保存：{p}").format(p=path),
        )
        return None if written is None else written[1]

    def _guarded(self, action: Callable[[], T]) -> T | None:
        return run_action(self._parent, self._parent.tr("签到表"), action)
