"""从备份恢复: pick one of the automatic backups beside the database, or any other file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.safety import BackupInfo, SafetyService, format_size
from studyplan.gui.common import AnyIndex, ObjectRole, RowTableModel


class BackupModel(RowTableModel):
    """Automatic backups, newest first: 时间, 原因, 大小."""

    COL_TIME, COL_REASON, COL_SIZE = range(3)
    HEADERS = ("时间", "原因", "大小")

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.set_rows(backups)

    def backup(self, row: int) -> BackupInfo:
        return self._rows[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        info: BackupInfo | None = self.row(index)
        if info is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_TIME:
                return info.taken_at.strftime("%Y-%m-%d %H:%M:%S")
            if column == self.COL_REASON:
                return info.reason_label
            if column == self.COL_SIZE:
                return format_size(info.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ObjectRole:
            return info
        return None


class RestoreDialog(QDialog):
    """The backups to restore from; `chosen` is the file picked once accepted."""

    def __init__(
        self, service: SafetyService, db_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("从备份恢复"))
        self.resize(560, 420)
        self._db_path = Path(db_path)
        self.chosen: Path | None = None

        self.model = BackupModel(self)
        self.model.set_backups(service.backups(self._db_path))
        intro = QLabel(
            self.tr(
                "选择一份备份，用它替换当前数据库。恢复前会先把当前数据库另存一份，"
                "随时可以再恢复回来。"
            )
        )
        intro.setWordWrap(True)
        self.empty_label = QLabel(
            self.tr("备份文件夹中还没有备份，可点“选择其他文件…”找到备份文件。")
        )
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(self.model.rowCount() == 0)

        self.table = QTableView()
        self.table.setObjectName("backupTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(BackupModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(BackupModel.COL_TIME, 180)
        self.table.setColumnWidth(BackupModel.COL_SIZE, 90)

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            self.tr("恢复…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.other_button = QPushButton(self.tr("选择其他文件…"))
        self.buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self.choose_file)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_button()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup(rows[0].row()) if rows else None

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def choose_file(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self,
            self.tr("选择备份文件"),
            str(self._db_path.parent),
            self.tr("SQLite 数据库 (*.db *.sqlite *.sqlite3);;所有文件 (*)"),
        )
        if path:
            self.chosen = Path(path)
            super().accept()

    def accept(self) -> None:
        info = self.selected()
        if info is None:
            return
        self.chosen = info.path
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, service: SafetyService, db_path: Path) -> Path | None:
        """Show the dialog; the backup file picked, or None if cancelled."""
        dialog = cls(service, db_path, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen
            return None
        finally:
            dialog.deleteLater()
