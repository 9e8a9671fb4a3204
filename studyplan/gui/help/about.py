"""帮助 → 关于: the version, the database file and the backups folder, each with a button
that opens the folder holding it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.about import AboutFacts


def open_folder(folder: Path) -> bool:
    """Open `folder` in the desktop's file manager (stubbed in tests)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    def __init__(self, facts: AboutFacts, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("关于"))
        self.setMinimumWidth(560)
        heading = QLabel(
            self.tr(
                "<p><b>{title}</b>　版本 {version}</p>"
                "<p>理论学习中心组学习计划、场次安排、考勤与台账管理。</p>"
            ).format(title=title, version=facts.version)
        )
        grid = QGridLayout()
        self.open_buttons: dict[str, QPushButton] = {}
        rows = (
            (
                "database",
                self.tr("数据库"),
                facts.database,
                facts.database.parent if facts.database else None,
            ),
            ("backups", self.tr("自动备份"), facts.backups, facts.backups),
        )
        for row, (key, label, path, folder) in enumerate(rows):
            grid.addWidget(QLabel(label), row, 0, Qt.AlignmentFlag.AlignTop)
            shown = QLabel(str(path) if path is not None else self.tr("（内存中，未保存到文件）"))
            shown.setObjectName(f"{key}Path")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(shown, row, 1)
            button = QPushButton(self.tr("打开所在文件夹"))
            button.setAutoDefault(False)
            button.setEnabled(folder is not None)
            if folder is not None:
                button.clicked.connect(lambda _=False, f=folder: self._open(f))
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.open_buttons[key] = button
        grid.setColumnStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def _open(self, folder: Path) -> None:
        # No backup yet (the first day's is taken after the window opens): the folder that
        # will hold it is beside the database.
        open_folder(folder if folder.exists() else folder.parent)
