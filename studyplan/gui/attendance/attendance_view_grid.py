"""The attendance grid: the model of one session's marks, its delegates and the key handling.

Pressing 1–5 (or C/D/Z/Q/K) on a row records that status at once; Delete clears it. Edits go
through the attendance service as they are made and update their own row only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QRect, QRegularExpression, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.gui.common import AnyIndex, ObjectRole, RowTableModel, demibold_font
from studyplan.model.attendance import AttendanceMark, AttendanceStatus
from studyplan.model.errors import StudyplanError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member

#: The row's status code (an AttendanceStatus value), or None while unmarked.
StatusRole = Qt.ItemDataRole.UserRole + 2
#: The row's AttendanceMark, or None while unmarked.
MarkRole = Qt.ItemDataRole.UserRole + 3

#: Text and background colour of each status, as the status cell and counts bar show it.
ATTENDANCE_COLORS: dict[AttendanceStatus, tuple[QColor, QColor]] = {
    AttendanceStatus.PRESENT: (QColor("#166534"), QColor("#dcfce7")),
    AttendanceStatus.LATE: (QColor("#92400e"), QColor("#fef3c7")),
    AttendanceStatus.LEFT_EARLY: (QColor("#9a3412"), QColor("#ffedd5")),
    AttendanceStatus.LEAVE: (QColor("#1e40af"), QColor("#dbeafe")),
    AttendanceStatus.ABSENT: (QColor("#991b1b"), QColor("#fee2e2")),
}
UNMARKED_COLOR = QColor("#9ca3af")
UNMARKED_TEXT = "未登记"

KEY_HINT = (
    "快捷键：1/C 出席　2/D 迟到　3/Z 早退　4/Q 请假　5/K 缺席　Delete 清除登记　"
    "迟到、早退后直接输入时间（如 15:20）回车确认，Esc 跳过"
)

_TIME = re.compile(r"^(\d{1,2})\s*[:：.点时]?\s*(\d{2})?\s*分?$")


def parse_time(text: str) -> dt.time | None:
    """`15:20`, `15：20`, `1520`, `9.05` or `15点20` as a time; empty text is no time."""
    text = text.strip()
    if not text:
        return None
    compact = re.fullmatch(r"(\d{1,2})(\d{2})", text)
    match = compact or _TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValidationError(f"时间“{text}”无法识别，请按 时:分 填写，例如 15:20。")


class AttendanceModel(RowTableModel):
    """The expected members of one session in roster order, each with their mark.

    Edits (status, time, note) are written through the service at once; a refused one is
    reported by `failed` with the sentence to show and leaves the row as it was.
    """

    COL_NUMBER, COL_NAME, COL_POSITION, COL_STATUS, COL_TIME, COL_NOTE = range(6)
    HEADERS = ("序号", "姓名", "职务", "状态", "时间", "备注")
    CENTERED = frozenset((COL_NUMBER, COL_STATUS, COL_TIME))

    failed = Signal(str)
    written = Signal(int)
    #: A `Change` (one mark set or cleared) just written, for the window's 撤销.
    markChanged = Signal(object)

    def __init__(self, service: AttendanceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._session: Session | None = None
        self._rows: list[tuple[Member, AttendanceMark | None]]
        self._names: dict[int, str] = {}  # namesakes told apart
        #: Asked before a mark is written; False leaves everything as it is (the view asks
        #: the user about a session that has not taken place yet).
        self.confirm_write: Callable[[], bool] | None = None

    # -- loading --------------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def read_only(self) -> bool:
        return self._session is None or self._session.status is SessionStatus.CANCELLED

    def load(self, session: Session | None) -> None:
        self.beginResetModel()
        self._session = session
        self._rows = (
            self._service.attendance(session.id) if session and session.id is not None else []
        )
        self._names = self._service.display_names() if self._rows else {}
        self.endResetModel()

    def set_session_info(self, session: Session) -> None:
        """Keep the session's details (e.g. it became 已举行) without reloading rows."""
        self._session = session

    def member(self, row: int) -> Member:
        return self._rows[row][0]

    def mark(self, row: int) -> AttendanceMark | None:
        return self._rows[row][1]

    def row_of(self, member_id: int) -> int | None:
        for row, (member, _mark) in enumerate(self._rows):
            if member.id == member_id:
                return row
        return None

    # -- writing --------------------------------------------------------------------------
    def set_status(self, row: int, status: AttendanceStatus) -> bool:
        """Record `status` for the row; the note stays, the time only if the status does."""
        mark = self.mark(row)
        time = mark.time if mark is not None and mark.status is status else None
        return self._write(row, status, time, mark.note if mark else "")

    def set_time(self, row: int, text: str) -> bool:
        mark = self.mark(row)
        if mark is None or not mark.status.takes_time:
            return False
        try:
            time = parse_time(text)
        except StudyplanError as error:
            self.failed.emit(str(error))
            return False
        return self._write(row, mark.status, time, mark.note)

    def set_note(self, row: int, text: str) -> bool:
        mark = self.mark(row)
        if mark is None:
            return False
        return self._write(row, mark.status, mark.time, text)

    def clear(self, row: int) -> bool:
        """Remove the row's mark (and the open make-up task it created)."""
        member, mark = self._rows[row]
        if mark is None or self.read_only or self._session is None or member.id is None:
            return False
        try:
            change = do(self._service.clear_attendance, mark.session_id, member.id)
        except StudyplanError as error:
            self.failed.emit(str(error))
            return False
        self._replace(row, None)
        self.markChanged.emit(change)
        return True

    def _write(self, row: int, status: AttendanceStatus, time: dt.time | None, note: str) -> bool:
        member = self.member(row)
        session = self._session
        if session is None or session.id is None or member.id is None:
            return False
        if self.read_only:
            self.failed.emit(f"{session.date:%Y年%m月%d日}的学习已取消，不能登记考勤。")
            return False
        mark = self.mark(row)
        if mark is not None and (mark.status, mark.time, mark.note) == (status, time, note):
            return True  # as it was: nothing to write, nothing to undo
        if self.confirm_write is not None and not self.confirm_write():
            return False
        try:
            change = do(self._service.set_attendance, session.id, member.id, status, time, note)
        except StudyplanError as error:
            self.failed.emit(str(error))
            return False
        self._replace(row, change.result)
        self.markChanged.emit(change)
        return True

    def _replace(self, row: int, mark: AttendanceMark | None) -> None:
        self._rows[row] = (self._rows[row][0], mark)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        self.written.emit(row)

    # -- the model interface --------------------------------------------------------------
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only or not 0 <= index.row() < len(self._rows):
            return flags
        mark = self._rows[index.row()][1]
        column = index.column()
        if (
            column == self.COL_STATUS
            or (column == self.COL_TIME and mark is not None and mark.status.takes_time)
            or (column == self.COL_NOTE and mark is not None)
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        member, mark = self._rows[index.row()]
        column = index.column()
        status = mark.status if mark else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(index.row(), column, member, mark, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(column, member, mark)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.COL_STATUS:
                return ATTENDANCE_COLORS[status][0] if status else UNMARKED_COLOR
            if column == self.COL_TIME and status and status.takes_time and not mark.time:
                return UNMARKED_COLOR
            return None
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COL_STATUS and status:
            return ATTENDANCE_COLORS[status][1]
        if role == Qt.ItemDataRole.FontRole and column == self.COL_STATUS and status:
            return demibold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return member
        if role == StatusRole:
            return status.value if status else None
        if role == MarkRole:
            return mark
        return None

    def _text(
        self, row: int, column: int, member: Member, mark: AttendanceMark | None, role: int
    ) -> str | None:
        editing = role == Qt.ItemDataRole.EditRole
        if column == self.COL_NUMBER:
            return str(row + 1)
        if column == self.COL_NAME:
            return self._names.get(member.id or 0, member.name)
        if column == self.COL_POSITION:
            return member.position
        if column == self.COL_STATUS:
            if mark is None:
                return "" if editing else UNMARKED_TEXT
            return mark.status.value if editing else mark.status.label
        if column == self.COL_TIME:
            if mark is None or not mark.status.takes_time:
                return ""
            if mark.time is None:
                return "" if editing else "未填"
            return f"{mark.time:%H:%M}"
        if column == self.COL_NOTE:
            return mark.note if mark else ""
        return None

    def _tooltip(self, column: int, member: Member, mark: AttendanceMark | None) -> str | None:
        if column == self.COL_NAME:
            return member.label
        if column == self.COL_STATUS:
            return "按 1–5 或 C/D/Z/Q/K 登记，双击可从列表选择"
        if column == self.COL_TIME and mark is not None and mark.status.takes_time:
            what = "到会时间" if mark.status is AttendanceStatus.LATE else "离会时间"
            return f"{what}（时:分，例如 15:20）"
        if column == self.COL_NOTE:
            return mark.note if mark and mark.note else "登记状态后可填写备注"
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not self.flags(index) & Qt.ItemFlag.ItemIsEditable
        ):
            return False
        row, column = index.row(), index.column()
        if column == self.COL_STATUS:
            try:
                status = (
                    value
                    if isinstance(value, AttendanceStatus)
                    else AttendanceStatus.from_label(str(value))
                )
            except ValueError:
                return False
            return self.set_status(row, status)
        if column == self.COL_TIME:
            return self.set_time(row, str(value or ""))
        if column == self.COL_NOTE:
            return self.set_note(row, str(value or ""))
        return False


class StatusDelegate(QStyledItemDelegate):
    """Paints the status as a coloured tag (visible on a selected row too) and edits it with
    a drop-down of the five statuses."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        opt.backgroundBrush = QBrush(Qt.BrushStyle.NoBrush)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        status = index.data(StatusRole)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(opt.rect).adjusted(10, 4, -10, -4)
        font = QFont(opt.font)
        if status is not None:
            foreground, background = ATTENDANCE_COLORS[AttendanceStatus(status)]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(rect, 4, 4)
            font.setWeight(QFont.Weight.DemiBold)
        else:
            foreground = UNMARKED_COLOR
        painter.setFont(font)
        painter.setPen(foreground)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("statusEditor")
        for status in AttendanceStatus:
            combo.addItem(f"{status.label}（{status.shortcut_keys[0]}）", status.value)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(StatusRole))))

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: AnyIndex) -> None:
        if not isinstance(editor, QComboBox):
            return
        code = editor.currentData()
        if code is not None and code != index.data(StatusRole):
            model.setData(index, AttendanceStatus(code), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        editor.setGeometry(option.rect)


class TimeDelegate(QStyledItemDelegate):
    """A short line edit for 时:分."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        edit = QLineEdit(parent)
        edit.setObjectName("timeEditor")
        edit.setPlaceholderText("时:分")
        edit.setMaxLength(8)
        edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9:：.点时分 ]{0,8}"), edit)
        )
        return edit


class AttendanceTable(QTableView):
    """The grid; turns status keys into `statusKeyPressed(row, status)` and Delete into
    `clearKeyPressed(row)`, and moves down after a time or note is confirmed with Enter."""

    statusKeyPressed = Signal(int, object)
    clearKeyPressed = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        modifiers = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if index.isValid() and not modifiers:
            column = index.column()
            text = event.text()
            status = AttendanceStatus.from_key(text) if text.strip() else None
            typing_time = (
                column == AttendanceModel.COL_TIME
                and text.isdigit()
                and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
            )
            if status is not None and column != AttendanceModel.COL_NOTE and not typing_time:
                self.statusKeyPressed.emit(index.row(), status)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and column not in (
                AttendanceModel.COL_TIME,
                AttendanceModel.COL_NOTE,
            ):
                self.clearKeyPressed.emit(index.row())
                event.accept()
                return
            if column == AttendanceModel.COL_STATUS and text.strip() and text.isprintable():
                event.accept()  # other letters do nothing here; F2 or a double-click edits
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = self.currentIndex()
        super().closeEditor(editor, hint)
        if not index.isValid():
            return
        column = index.column()
        # Enter confirms and Esc skips a time (as the hint under the table says): either way
        # the next key is meant for the next person.
        skipped_time = (
            hint == QAbstractItemDelegate.EndEditHint.RevertModelCache
            and column == AttendanceModel.COL_TIME
        )
        if hint != QAbstractItemDelegate.EndEditHint.SubmitModelCache and not skipped_time:
            return
        if column in (AttendanceModel.COL_TIME, AttendanceModel.COL_NOTE):
            target = AttendanceModel.COL_STATUS if column == AttendanceModel.COL_TIME else column
            below = index.sibling(index.row() + 1, target)
            self.setCurrentIndex(below if below.isValid() else index.sibling(index.row(), target))
