"""The 学习记录 view's tables: speeches, materials, reflections and attachments, and the
session picker's labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

from studyplan.gui.common import AnyIndex, ObjectRole, RowTableModel, session_label
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import Attachment, Reflection, Speech, format_size
from studyplan.model.roster import Member

MUTED = "#6b7280"
PENDING_COLOR = "#b45309"
DONE_COLOR = "#15803d"


def picker_label(session: Session) -> str:
    """How the session picker names a session: `2026-03-12 15:00 专题1、2`, marked when
    cancelled."""
    cancelled = session.status is SessionStatus.CANCELLED
    return session_label(session) + (" （已取消）" if cancelled else "")


def fit_picker(combo: QComboBox) -> None:
    """Make the picker wide enough to show its longest label whole. Qt sizes a combo box by
    the ink of its labels, which for one ending in "）" is narrower than the text drawn, and
    the end ("（已取消）") would be cut off."""
    metrics = combo.fontMetrics()
    widest = max(
        (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0
    )
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    size = combo.style().sizeFromContents(
        QStyle.ContentsType.CT_ComboBox, option, QSize(widest + 4, metrics.height()), combo
    )
    combo.setMinimumWidth(size.width())


# -- models -------------------------------------------------------------------------------
class _RowsModel(RowTableModel):
    """A read-only table over a list of rows; subclasses say what each cell shows."""

    CENTERED: frozenset[int] = frozenset()
    RIGHT: frozenset[int] = frozenset()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        row = self._rows[index.row()]
        if role == ObjectRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(index.column())
        return self._cell(index.row(), row, index.column(), role)

    def _alignment(self, column: int) -> int:
        if column in self.CENTERED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if column in self.RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _cell(self, number: int, row: Any, column: int, role: int) -> object:
        raise NotImplementedError


class SpeechModel(_RowsModel):
    """The discussion's speeches in speaking order."""

    COL_ORDER, COL_SPEAKER, COL_TITLE = range(3)
    HEADERS = ("序号", "发言人", "题目")
    CENTERED = frozenset({COL_ORDER})

    def set_speeches(self, speeches: Sequence[Speech]) -> None:
        self.set_rows(speeches)

    def speech(self, row: int) -> Speech:
        return self._rows[row]

    def _cell(self, number: int, row: Any, column: int, role: int) -> object:
        speech: Speech = row
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_ORDER: str(number + 1),
                self.COL_SPEAKER: speech.speaker,
                self.COL_TITLE: speech.title or "—",
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_TITLE:
            return speech.title or None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SPEAKER:
            return None if speech.member_id else "非中心组成员（如特邀发言人）"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_TITLE:
            return None if speech.title else QColor(MUTED)
        return None


class MaterialModel(_RowsModel):
    """The materials studied at the session, in the order listed."""

    COL_ORDER, COL_TITLE = range(2)
    HEADERS = ("序号", "学习资料")
    CENTERED = frozenset({COL_ORDER})

    def set_materials(self, materials: Sequence[str]) -> None:
        self.set_rows(materials)

    def materials(self) -> list[str]:
        return list(self._rows)

    def _cell(self, number: int, row: Any, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(number + 1) if column == self.COL_ORDER else row
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_TITLE:
            return row
        return None


class ReflectionModel(_RowsModel):
    """The members expected at the session and whether each handed in a reflection."""

    COL_NAME, COL_POSITION, COL_DATE, COL_TITLE, COL_NOTE = range(5)
    HEADERS = ("姓名", "职务", "提交日期", "题目", "备注")
    CENTERED = frozenset({COL_DATE})

    def set_entries(self, entries: Sequence[tuple[Member, Reflection | None]]) -> None:
        self.set_rows(entries)

    def entry(self, row: int) -> tuple[Member, Reflection | None]:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        for row, (member, _reflection) in enumerate(self._rows):
            if member.id == member_id:
                return row
        return None

    @property
    def submitted(self) -> int:
        return sum(1 for _member, reflection in self._rows if reflection is not None)

    def _cell(self, number: int, row: Any, column: int, role: int) -> object:
        member: Member = row[0]
        reflection: Reflection | None = row[1]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_NAME:
                return member.name
            if column == self.COL_POSITION:
                return member.position
            if reflection is None:
                return "未提交" if column == self.COL_DATE else ""
            return {
                self.COL_DATE: f"{reflection.submitted_on:%Y-%m-%d}",
                self.COL_TITLE: reflection.title,
                self.COL_NOTE: reflection.note,
            }.get(column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_DATE:
            return QColor(PENDING_COLOR if reflection is None else DONE_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NAME:
                return member.label
            if reflection is not None and column in (self.COL_TITLE, self.COL_NOTE):
                return (reflection.title if column == self.COL_TITLE else reflection.note) or None
        return None


class AttachmentModel(_RowsModel):
    """The files archived for the session."""

    COL_NAME, COL_SIZE, COL_ADDED, COL_HASH = range(4)
    HEADERS = ("文件名", "大小", "添加时间", "SHA-256")
    CENTERED = frozenset({COL_ADDED, COL_HASH})
    RIGHT = frozenset({COL_SIZE})

    def set_attachments(self, attachments: Sequence[Attachment]) -> None:
        self.set_rows(attachments)

    def attachment(self, row: int) -> Attachment:
        return self._rows[row]

    def _cell(self, number: int, row: Any, column: int, role: int) -> object:
        attachment: Attachment = row
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_NAME: attachment.archived_name,
                self.COL_SIZE: format_size(attachment.size),
                self.COL_ADDED: f"{attachment.added_at:%Y-%m-%d %H:%M}",
                self.COL_HASH: attachment.short_hash,
            }.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NAME:
                return f"原文件名：{attachment.file_name}\n存放于：{attachment.stored_name}"
            if column == self.COL_HASH:
                return attachment.sha256
            if column == self.COL_SIZE:
                return f"{attachment.size:,} 字节"
        if role == Qt.ItemDataRole.FontRole and column == self.COL_HASH:
            font = QFont("monospace")
            font.setStyleHint(QFont.StyleHint.Monospace)
            return font
        return None
