"""生成学习通知 / 学习记录 / 学习简报 from the window, and 设置 → 文书模板.

A document is saved as every other export is (gui/exporting.export_file): a refused write
says why and reopens the save dialog, and the message afterwards offers 打开文件 and
打开所在文件夹. Before the first document the unit's name is asked, since every document
carries it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from studyplan.app.context import Context
from studyplan.app.documents import SESSION_KINDS
from studyplan.gui.actions import run_action
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.model.unit import MAX_DETAIL_LENGTH

#: The menu items, in the order a secretary makes the documents.
MENU_LABELS = {"notice": "生成学习通知…", "record": "生成学习记录…", "brief": "生成学习简报…"}
LABELS = {"notice": "学习通知", "record": "学习记录", "brief": "学习简报"}


def open_folder(path: Path) -> bool:
    """Show a folder in the system's file manager (one place, so tests can stub it)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DocumentActions:
    """Writes a session's documents for the window: asks the unit's name the first time,
    then where to save, then says where the file went."""

    def __init__(self, parent: QWidget, context: Context) -> None:
        self._parent = parent
        self._context = context
        self._folder = str(Path.home())

    def add_to_menu(self, menu: QMenu, session_id: int) -> None:
        for kind in SESSION_KINDS:
            action = menu.addAction(self._parent.tr(MENU_LABELS[kind]))
            action.triggered.connect(lambda _=False, k=kind: self.export(k, session_id))

    def ensure_unit_name(self) -> bool:
        """Before the first document: ask for the unit's name (prefilled with the one the
        plan title gives) and save it. False when the secretary cancels."""
        unit = self._context.unit
        if unit.is_set():
            return True
        tr = self._parent.tr
        offered = unit.unit_name()
        while True:
            text, ok = QInputDialog.getText(
                self._parent,
                tr("单位名称"),
                tr("文书的落款和标题使用单位名称，请确认（以后可在“设置”中修改）："),
                text=offered,
            )
            if not ok:
                return False
            name = " ".join(text.split())[:MAX_DETAIL_LENGTH]
            if name:
                break
            # Emptied and confirmed: say so and ask again, rather than drop the document.
            QMessageBox.warning(self._parent, tr("单位名称"), tr("请填写单位名称。"))
        saved = run_action(
            self._parent, tr("单位名称"), lambda: unit.save(replace(unit.details(), name=name))
        )
        return saved is not None

    def _suggested_name(self, kind: str, session_id: int) -> str:
        session = self._context.planning.session(session_id)
        if kind == "brief":
            # The number it was issued with, or the one it will be issued with now
            number = self._context.documents.brief_number(session_id)
            return f"{session.date:%Y-%m-%d} 学习简报第{number}期.docx"
        return f"{session.date:%Y-%m-%d} {LABELS[kind]}.docx"

    def export(self, kind: str, session_id: int) -> Path | None:
        """Ask where to save the document of `kind` for a session, write it, say where it
        went; the path, or None when cancelled or refused (with its sentence)."""
        tr = self._parent.tr
        title = tr("生成{what}").format(what=LABELS[kind])
        suggested = run_action(self._parent, title, lambda: self._suggested_name(kind, session_id))
        if suggested is None or not self.ensure_unit_name():
            return None
        save_as = SaveAs(
            title=title,
            suggested=Path(self._folder) / suggested,
            file_filter=tr("Word 文档 (*.docx)"),
            suffixes=(".docx",),
        )
        written = export_file(
            self._parent,
            save_as,
            lambda path: self._context.documents.export(kind, session_id, path),
            lambda path, _written: tr("已保存：{p}").format(p=path),
        )
        if written is None:
            return None
        path, _written = written
        self._folder = str(path.parent)
        return path


class TemplatesBox(QGroupBox):
    """设置 → 文书模板: each template, whether the unit's own copy or the bundled one is in
    use, with 打开模板文件夹 and 恢复默认."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("文书模板"))
        self.setObjectName("templatesBox")
        self._context = context
        self._grid = QGridLayout(self)
        self.rows: dict[str, tuple[QLabel, QPushButton, QPushButton]] = {}
        for row, info in enumerate(context.documents.templates()):
            name = QLabel(info.kind.label)
            state = QLabel()
            state.setObjectName("hintLabel")
            opener = QPushButton(self.tr("打开模板文件夹"))
            opener.clicked.connect(self.open_folder)
            restore = QPushButton(self.tr("恢复默认"))
            restore.clicked.connect(lambda _=False, k=info.kind.key: self.restore(k))
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(state, row, 1)
            self._grid.addWidget(opener, row, 2)
            self._grid.addWidget(restore, row, 3)
            self.rows[info.kind.key] = (state, opener, restore)
        hint = QLabel(
            self.tr(
                "把本单位的模板（如红头版本）以同样的文件名放进模板文件夹即可使用；"
                "文件夹中的说明列出了可用的占位符。"
            )
        )
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self._grid.addWidget(hint, len(self.rows), 0, 1, 4)
        self._grid.setColumnStretch(1, 1)
        self.refresh()

    def refresh(self) -> None:
        for info in self._context.documents.templates():
            if info.kind.key not in self.rows:
                continue
            state, _opener, restore = self.rows[info.kind.key]
            state.setText(self.tr("本单位模板") if info.own else self.tr("程序自带"))
            restore.setEnabled(info.own)

    def open_folder(self) -> None:
        folder = run_action(self, self.tr("文书模板"), self._context.documents.prepare_folder)
        if folder is not None and not open_folder(folder):
            QMessageBox.information(
                self, self.tr("文书模板"), self.tr("模板文件夹在：{p}").format(p=folder)
            )

    def restore(self, kind: str) -> None:
        tr = self.tr
        answer = QMessageBox.question(
            self,
            tr("恢复默认"),
            tr("改用程序自带的模板吗？本单位的模板会移到模板文件夹的“已替换的模板”中。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        run_action(self, tr("恢复默认"), lambda: self._context.documents.restore_default(kind))
        self.refresh()
