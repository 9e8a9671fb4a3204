"""列席人员 of a session: people attending who are not members (name, unit or post). They
go on the sign-in sheet in a block of their own and never count in 应到 or 实到."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import Change, do
from studyplan.gui.actions import run_action


class GuestsDialog(QDialog):
    """Add or remove a session's 列席人员; each change goes to `push` (the undo stack)."""

    def __init__(
        self,
        service: AttendanceService,
        session_id: int,
        push: Callable[[Change], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("列席人员"))
        self.setObjectName("guestsDialog")
        self._service = service
        self._session_id = session_id
        self._push = push
        self.list = QListWidget()
        self.list.setObjectName("guestList")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("guestName")
        self.name_edit.setPlaceholderText(self.tr("姓名"))
        self.unit_edit = QLineEdit()
        self.unit_edit.setObjectName("guestUnit")
        self.unit_edit.setPlaceholderText(self.tr("单位或职务，例如：市委宣讲团成员"))
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.setObjectName("addGuest")
        self.remove_button = QPushButton(self.tr("删除所选"))
        self.remove_button.setObjectName("removeGuest")
        note = QLabel(self.tr("列席人员印在签到表的单独一栏，不计入应到、实到和出勤率。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        entry = QHBoxLayout()
        entry.addWidget(self.name_edit, 1)
        entry.addWidget(self.unit_edit, 2)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(entry)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(self.add)
        self.name_edit.returnPressed.connect(self.add)
        self.unit_edit.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.reload()

    def sizeHint(self) -> QSize:
        return QSize(520, 360)

    def reload(self) -> None:
        self.list.clear()
        for guest in self._service.guests(self._session_id):
            item = QListWidgetItem(guest.label)
            item.setData(Qt.ItemDataRole.UserRole, guest.id)
            self.list.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.list.currentItem() is not None)

    def add(self) -> None:
        name, unit = self.name_edit.text(), self.unit_edit.text()
        change = run_action(
            self,
            self.tr("无法添加列席人员"),
            lambda: do(self._service.add_guest, self._session_id, name, unit),
        )
        if change is None:
            return
        self.name_edit.clear()
        self.unit_edit.clear()
        self.name_edit.setFocus()
        self.reload()
        self._push(change)

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        guest_id = item.data(Qt.ItemDataRole.UserRole)
        change = run_action(
            self,
            self.tr("无法删除列席人员"),
            lambda: do(self._service.remove_guest, guest_id),
        )
        if change is not None:
            self.reload()
            self._push(change)
