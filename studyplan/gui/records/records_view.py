"""The study record of a session: minutes, speeches, materials, reflections, attachments.

A session picker and the session's particulars on top, one tab per part of the record below.
The minutes are saved with 保存, and also without asking when another session is chosen or
the view is left.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QHideEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import Change, do
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.gui.actions import run_action
from studyplan.gui.common import (
    STATUS_COLORS,
    AnyIndex,
    ObjectRole,
    RowTableModel,
    session_label,
    setup_row_table,
    weekday_name,
)
from studyplan.gui.records.records_dialogs import MaterialDialog, ReflectionDialog, SpeechDialog
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.errors import StudyplanError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import (
    MAX_ATTACHMENT_BYTES,
    TRASH_FOLDER,
    Attachment,
    Reflection,
    Speech,
    StudyRecord,
    format_size,
)
from studyplan.model.roster import Member

_T = TypeVar("_T", bound=QTableView)
T = TypeVar("T")

MUTED = "#6b7280"
PENDING_COLOR = "#b45309"
DONE_COLOR = "#15803d"


def picker_label(session: Session) -> str:
    """How the session picker names a session: `2026-03-12 15:00 专题1、2`, marked when
    cancelled."""
    cancelled = session.status is SessionStatus.CANCELLED
    return session_label(session) + (" （已取消）" if cancelled else "")


def _fit_picker(combo: QComboBox) -> None:
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


# -- the view -----------------------------------------------------------------------------
class FileDropTable(QTableView):
    """A table that takes files dragged onto it from the file manager."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def _has_files(self, event: QDropEvent) -> bool:
        return any(url.isLocalFile() for url in event.mimeData().urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths)


def _table(model: QAbstractTableModel, name: str, table: _T) -> _T:
    table.setObjectName(name)
    table.setModel(model)
    setup_row_table(table, table.fontMetrics().height() + 14)
    return table


def _fit(table: QTableView, widths: dict[int, int | None], stretch: int) -> None:
    """Column sizes: `None` fits the contents, a number is a starting width in pixels."""
    header = table.horizontalHeader()
    header.setMinimumSectionSize(48)
    for column, width in widths.items():
        if width is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _button(text: str, slot: Callable[[], object], name: str = "") -> QPushButton:
    button = QPushButton(text)
    if name:
        button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def _with_buttons(table: QWidget, buttons: Sequence[QPushButton]) -> QHBoxLayout:
    """The table with its buttons in a column on the right (`buttonColumn`)."""
    holder = QWidget()
    holder.setObjectName("buttonColumn")
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(6)
    for button in buttons:
        column.addWidget(button)
    column.addStretch(1)
    row = QHBoxLayout()
    row.addWidget(table, 1)
    row.addWidget(holder)
    return row


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED};")
    return label


class RecordsView(QWidget):
    """学习记录: pick a session of the year, keep its record. `changed` is emitted with the
    table written after every change but 删除发言 (which goes on the undo stack)."""

    #: The tables this view shows: the window reloads it after a change to one of them.
    SHOWS = frozenset(
        {
            "study_records",
            "speeches",
            "reflections",
            "attachments",
            "sessions",
            "members",
            "session_topics",
            "topics",
            "plans",
        }
    )

    #: Emitted after a write that cannot be undone, with the tables it wrote.
    changed = Signal(object)

    TAB_MINUTES, TAB_SPEECHES, TAB_MATERIALS, TAB_REFLECTIONS, TAB_ATTACHMENTS = range(5)
    TAB_NAMES = ("会议记录", "研讨发言", "学习资料", "心得体会", "附件")

    def __init__(
        self,
        records: RecordsService,
        planning: PlanningService,
        attendance: AttendanceService,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        undo_stack: ChangeStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordsView")
        self._records = records
        #: The window's clock (by default the records service's): which session is shown
        #: first, when a reflection is handed in.
        self.clock = clock or records.clock
        #: 删除发言 goes on the window's 撤销 stack.
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        self._planning = planning
        self._attendance = attendance
        self._year = self.clock.today().year
        self._session: Session | None = None
        self._record: StudyRecord | None = None
        self._last_folder = str(Path.home())

        self._build()
        self.set_year(self._year)

    # -- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        picker_heading = QLabel(self.tr("学习场次"))
        picker_heading.setObjectName("fieldHeading")
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionPicker")
        self.session_combo.setMinimumContentsLength(24)
        # As wide as its longest label ("… （已取消）", several topics), never cut short.
        self.session_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.session_combo.currentIndexChanged.connect(self._session_chosen)
        self.setFocusProxy(self.session_combo)  # arriving on the view, pick the session
        self.summary_label = QLabel()
        self.summary_label.setObjectName("recordsSummary")
        self.summary_label.setStyleSheet(f"color: {MUTED};")
        picker = QHBoxLayout()
        picker.addWidget(picker_heading)
        picker.addWidget(self.session_combo)
        picker.addSpacing(16)
        picker.addWidget(self.summary_label, 1)

        self.header = QLabel()
        self.header.setObjectName("sessionHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header_frame = QFrame()
        header_frame.setObjectName("sessionHeaderFrame")
        header_frame.setStyleSheet(
            "QFrame#sessionHeaderFrame { background: #ffffff; border: 1px solid #e3e6eb;"
            " border-radius: 6px; }"
        )
        header_layout = QVBoxLayout(header_frame)
        header_layout.setContentsMargins(14, 10, 14, 10)
        header_layout.addWidget(self.header)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("recordTabs")
        self.tabs.setDocumentMode(False)
        self.tabs.addTab(self._minutes_page(), self.TAB_NAMES[self.TAB_MINUTES])
        self.tabs.addTab(self._speeches_page(), self.TAB_NAMES[self.TAB_SPEECHES])
        self.tabs.addTab(self._materials_page(), self.TAB_NAMES[self.TAB_MATERIALS])
        self.tabs.addTab(self._reflections_page(), self.TAB_NAMES[self.TAB_REFLECTIONS])
        self.tabs.addTab(self._attachments_page(), self.TAB_NAMES[self.TAB_ATTACHMENTS])

        # every tab's button column as wide as the widest label needs (padding 14px a side)
        columns = self.tabs.findChildren(QWidget, "buttonColumn")
        metrics = self.fontMetrics()
        width = max(
            metrics.horizontalAdvance(button.text())
            for holder in columns
            for button in holder.findChildren(QPushButton)
        )
        for holder in columns:
            holder.setFixedWidth(width + 44)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(picker)
        layout.addWidget(header_frame)
        layout.addWidget(self.tabs, 1)

    def _minutes_page(self) -> QWidget:
        page = QWidget()
        self.minutes_edit = QPlainTextEdit()
        self.minutes_edit.setObjectName("minutesEdit")
        self.minutes_edit.setPlaceholderText(
            self.tr(
                "记录会议主持、领学内容、研讨交流情况和会议提出的要求等。"
                "切换场次或离开本页时自动保存。"
            )
        )
        self.minutes_edit.modificationChanged.connect(self._minutes_state_changed)
        self.minutes_state = _hint()
        self.save_minutes_button = _button(self.tr("保存"), self.save_minutes, "primaryButton")
        row = QHBoxLayout()
        row.addWidget(self.minutes_state, 1)
        row.addWidget(self.save_minutes_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.minutes_edit, 1)
        layout.addLayout(row)
        return page

    def _speeches_page(self) -> QWidget:
        page = QWidget()
        self.speech_model = SpeechModel(self)
        self.speech_table = _table(self.speech_model, "speechTable", QTableView())
        _fit(
            self.speech_table,
            {SpeechModel.COL_ORDER: 64, SpeechModel.COL_SPEAKER: 200},
            SpeechModel.COL_TITLE,
        )
        self.speech_table.doubleClicked.connect(lambda _index: self.edit_speech())
        self.add_speech_button = _button(self.tr("添加…"), self.add_speech)
        self.edit_speech_button = _button(self.tr("编辑…"), self.edit_speech)
        self.remove_speech_button = _button(self.tr("删除"), self.remove_speech)
        self.speech_up_button = _button(self.tr("上移"), lambda: self.move_speech(-1))
        self.speech_down_button = _button(self.tr("下移"), lambda: self.move_speech(1))
        self._speech_row_buttons = (
            self.edit_speech_button,
            self.remove_speech_button,
            self.speech_up_button,
            self.speech_down_button,
        )
        self.speech_table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(page)
        layout.addLayout(
            _with_buttons(self.speech_table, (self.add_speech_button, *self._speech_row_buttons)),
            1,
        )
        layout.addWidget(
            _hint(self.tr("按发言顺序排列；发言人可从应到成员中选择，也可填写特邀发言人。"))
        )
        return page

    def _materials_page(self) -> QWidget:
        page = QWidget()
        self.material_model = MaterialModel(self)
        self.material_table = _table(self.material_model, "materialTable", QTableView())
        _fit(self.material_table, {MaterialModel.COL_ORDER: 64}, MaterialModel.COL_TITLE)
        self.material_table.doubleClicked.connect(lambda _index: self.edit_material())
        self.add_material_button = _button(self.tr("添加…"), self.add_material)
        self.edit_material_button = _button(self.tr("编辑…"), self.edit_material)
        self.remove_material_button = _button(self.tr("删除"), self.remove_material)
        self.material_up_button = _button(self.tr("上移"), lambda: self.move_material(-1))
        self.material_down_button = _button(self.tr("下移"), lambda: self.move_material(1))
        self.reset_materials_button = _button(self.tr("按计划篇目"), self.reset_materials)
        self.reset_materials_button.setToolTip(
            self.tr("把列表换成本场次专题在学习计划中列出的篇目")
        )
        self._material_row_buttons = (
            self.edit_material_button,
            self.remove_material_button,
            self.material_up_button,
            self.material_down_button,
        )
        self.material_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.materials_hint = _hint()
        layout = QVBoxLayout(page)
        layout.addLayout(
            _with_buttons(
                self.material_table,
                (
                    self.add_material_button,
                    *self._material_row_buttons,
                    self.reset_materials_button,
                ),
            ),
            1,
        )
        layout.addWidget(self.materials_hint)
        return page

    def _reflections_page(self) -> QWidget:
        page = QWidget()
        self.reflection_model = ReflectionModel(self)
        self.reflection_table = _table(self.reflection_model, "reflectionTable", QTableView())
        _fit(
            self.reflection_table,
            {
                ReflectionModel.COL_NAME: 110,
                ReflectionModel.COL_POSITION: 210,
                ReflectionModel.COL_DATE: 120,
                ReflectionModel.COL_NOTE: 220,
            },
            ReflectionModel.COL_TITLE,
        )
        self.reflection_table.doubleClicked.connect(lambda _index: self.mark_reflection())
        self.mark_reflection_button = _button(self.tr("标记已提交…"), self.mark_reflection)
        self.clear_reflection_button = _button(self.tr("撤销"), self.clear_reflection)
        self.reflection_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reflections_hint = _hint()
        layout = QVBoxLayout(page)
        layout.addLayout(
            _with_buttons(
                self.reflection_table,
                (self.mark_reflection_button, self.clear_reflection_button),
            ),
            1,
        )
        layout.addWidget(self.reflections_hint)
        return page

    def _attachments_page(self) -> QWidget:
        page = QWidget()
        self.attachment_model = AttachmentModel(self)
        self.attachment_table = _table(self.attachment_model, "attachmentTable", FileDropTable())
        _fit(
            self.attachment_table,
            {
                AttachmentModel.COL_SIZE: 100,
                AttachmentModel.COL_ADDED: 160,
                AttachmentModel.COL_HASH: 150,
            },
            AttachmentModel.COL_NAME,
        )
        self.attachment_table.doubleClicked.connect(lambda _index: self.open_attachment())
        self.attachment_table.files_dropped.connect(self.attach_files)
        self.add_attachment_button = _button(self.tr("添加附件…"), self.add_attachment)
        self.open_attachment_button = _button(self.tr("打开"), self.open_attachment)
        self.verify_attachment_button = _button(self.tr("校验"), self.verify_attachment)
        self.verify_attachment_button.setToolTip(
            self.tr("重新计算 SHA-256，检查文件是否与添加时一致")
        )
        self.remove_attachment_button = _button(self.tr("移除"), self.remove_attachment)
        self.open_folder_button = _button(self.tr("打开文件夹"), self.open_archive_folder)
        self._attachment_row_buttons = (
            self.open_attachment_button,
            self.verify_attachment_button,
            self.remove_attachment_button,
        )
        self.attachment_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.archive_hint = _hint()
        self.archive_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addLayout(
            _with_buttons(
                self.attachment_table,
                (
                    self.add_attachment_button,
                    *self._attachment_row_buttons,
                    self.open_folder_button,
                ),
            ),
            1,
        )
        layout.addWidget(self.archive_hint)
        return page

    # -- the year and the session ----------------------------------------------------------
    @property
    def year(self) -> int:
        return self._year

    @property
    def session_id(self) -> int | None:
        return self._session.id if self._session else None

    def set_year(self, year: int) -> None:
        """Show `year`'s sessions; keeps the session shown if it is in that year."""
        self._save_pending()
        self._year = year
        keep = self.session_id if self._session and self._session.year == year else None
        self._fill_picker(keep)

    def set_session(self, session_id: int | None) -> None:
        """Show one session's record (switching to its year), or none."""
        self._save_pending()
        if session_id is not None:
            session = self._run(lambda: self._planning.session(session_id))
            if session is None:
                return
            self._year = session.year
        self._fill_picker(session_id, default=False)

    def refresh(self) -> None:
        """Read everything again (after changes elsewhere), keeping typed minutes."""
        self._save_pending()
        self._fill_picker(self.session_id)

    def _fill_picker(self, session_id: int | None, *, default: bool = True) -> None:
        sessions = self._planning.sessions(self._year)
        self.session_combo.blockSignals(True)
        try:
            self.session_combo.clear()
            for session in sessions:
                self.session_combo.addItem(picker_label(session), session.id)
            _fit_picker(self.session_combo)
            index = self.session_combo.findData(session_id) if session_id is not None else -1
            if index < 0 and default and sessions:
                index = self._default_index(sessions)
            self.session_combo.setCurrentIndex(index)
        finally:
            self.session_combo.blockSignals(False)
        self._show(self.session_combo.currentData() if index >= 0 else None)

    def _default_index(self, sessions: list[Session]) -> int:
        """The latest session held or due by today, else the first of the year."""
        today = self.clock.today()
        past = [
            i
            for i, s in enumerate(sessions)
            if s.date <= today and s.status is not SessionStatus.CANCELLED
        ]
        return past[-1] if past else 0

    def _session_chosen(self, index: int) -> None:
        self._save_pending()
        self._show(self.session_combo.itemData(index) if index >= 0 else None)

    def _show(self, session_id: int | None) -> None:
        """Load and show one session's record."""
        self._session = None
        self._record = None
        if session_id is not None:
            shown = self._run(
                lambda: (self._planning.session(session_id), self._records.record(session_id))
            )
            if shown is not None:
                self._session, self._record = shown
        self._load()

    def _reload(self) -> None:
        """Read the shown session's record again after a change."""
        if self._session is None or self._session.id is None:
            return
        minutes = self.minutes_edit.toPlainText()
        modified = self.minutes_edit.document().isModified()
        session_id = self._session.id
        record = self._run(lambda: self._records.record(session_id))
        if record is None:
            return
        self._record = record
        self._load(keep_minutes=minutes if modified else None)

    def _load(self, keep_minutes: str | None = None) -> None:
        session, record = self._session, self._record
        has = session is not None and record is not None
        self.tabs.setEnabled(has)
        self.header.setText(self._header_html())
        if not has:
            self.minutes_edit.setPlainText("")
            self.minutes_edit.document().setModified(False)
            self.speech_model.set_speeches([])
            self.material_model.set_materials([])
            self.reflection_model.set_entries([])
            self.attachment_model.set_attachments([])
            self.summary_label.setText("")
            self.materials_hint.setText("")
            self.reflections_hint.setText("")
            self.archive_hint.setText("")
            self._update_tabs()
            self._update_buttons()
            self._minutes_state_changed(False)
            return
        assert session is not None and record is not None and session.id is not None
        if keep_minutes is None:
            self.minutes_edit.setPlainText(record.minutes)
            self.minutes_edit.document().setModified(False)
        self.speech_model.set_speeches(record.speeches)
        self.material_model.set_materials(record.materials)
        self.materials_hint.setText(
            self.tr("尚未修改过，列表是本场次专题在学习计划中的学习篇目。")
            if record.updated_at is None
            else self.tr("学习资料随每次修改自动保存。")
        )
        session_id = session.id
        entries = self._run(lambda: self._records.reflections_status(session_id))
        self.reflection_model.set_entries(entries if entries is not None else [])
        self.attachment_model.set_attachments(record.attachments)
        folder = self._records.archive_root / str(session.year) / str(session.id)
        self.archive_hint.setText(
            self.tr(
                "文件复制到档案文件夹：{folder}；单个文件不超过 {limit}，"
                "移除的附件移入“{trash}”文件夹。也可把文件拖到表格中。"
            ).format(folder=folder, limit=format_size(MAX_ATTACHMENT_BYTES), trash=TRASH_FOLDER)
        )
        self._update_tabs()
        self._update_buttons()
        self._minutes_state_changed(self.minutes_edit.document().isModified())

    def _header_html(self) -> str:
        esc = html.escape
        session = self._session
        if session is None:
            if self.session_combo.count() == 0:
                return (
                    f"<p style='color:{MUTED}'>"
                    + esc(self.tr("{year} 年还没有学习场次，请先在学习日历中安排。")).format(
                        year=self._year
                    )
                    + "</p>"
                )
            return f"<p style='color:{MUTED}'>" + esc(self.tr("请选择学习场次。")) + "</p>"
        color = STATUS_COLORS[session.status].name()
        when = (
            f"{session.date.year}年{session.date.month}月{session.date.day}日 "
            f"{weekday_name(session.date)}　{session.time_range}"
        )
        facts = [
            ("地点", session.location),
            ("形式", session.form),
            ("主持", session.host),
            ("领学/辅导", session.lecturer),
        ]
        facts_html = "&nbsp;&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{MUTED}'>{esc(label)}</span>&nbsp;{esc(value)}"
            for label, value in facts
            if value
        )
        topics = {t.number: t for t in self._planning.topics(session.year)}
        topic_lines = "".join(
            f"<div style='margin-top:3px'><span style='color:{MUTED}'>专题{number}</span>　"
            f"{esc(topics[number].title) if number in topics else ''}</div>"
            for number in session.topic_numbers
        )
        return (
            f"<div><span style='font-size:large;font-weight:600'>{esc(when)}</span>"
            f"　<span style='color:{color};font-weight:600'>{esc(session.status.label)}</span>"
            f"</div><div style='margin-top:4px'>{facts_html}</div>{topic_lines}"
        )

    def _update_tabs(self) -> None:
        record = self._record
        counts: dict[int, str] = {}
        if record is not None:
            counts[self.TAB_SPEECHES] = str(len(record.speeches))
            counts[self.TAB_MATERIALS] = str(len(record.materials))
            counts[self.TAB_REFLECTIONS] = (
                f"{self.reflection_model.submitted}/{self.reflection_model.rowCount()}"
            )
            counts[self.TAB_ATTACHMENTS] = str(len(record.attachments))
        for tab, name in enumerate(self.TAB_NAMES):
            count = counts.get(tab)
            self.tabs.setTabText(tab, f"{name}（{count}）" if count is not None else name)
        if record is None:
            return
        submitted = self.reflection_model.submitted
        expected = self.reflection_model.rowCount()
        self.reflections_hint.setText(
            self.tr("应提交 {n} 人，已提交 {done} 人，未提交 {todo} 人。双击一行可登记。").format(
                n=expected, done=submitted, todo=expected - submitted
            )
        )
        self.summary_label.setText(
            self.tr("研讨发言 {s} 人次 · 心得体会 {done}/{n} · 附件 {a} 个").format(
                s=len(record.speeches), done=submitted, n=expected, a=len(record.attachments)
            )
        )

    def _update_buttons(self, *_args: object) -> None:
        has = self._session is not None
        speech_row = self._current_row(self.speech_table)
        for button in self._speech_row_buttons:
            button.setEnabled(has and speech_row is not None)
        if speech_row is not None:
            self.speech_up_button.setEnabled(speech_row > 0)
            self.speech_down_button.setEnabled(speech_row < self.speech_model.rowCount() - 1)
        material_row = self._current_row(self.material_table)
        for button in self._material_row_buttons:
            button.setEnabled(has and material_row is not None)
        if material_row is not None:
            self.material_up_button.setEnabled(material_row > 0)
            self.material_down_button.setEnabled(material_row < self.material_model.rowCount() - 1)
        reflection_row = self._current_row(self.reflection_table)
        self.mark_reflection_button.setEnabled(has and reflection_row is not None)
        self.clear_reflection_button.setEnabled(
            has
            and reflection_row is not None
            and self.reflection_model.entry(reflection_row)[1] is not None
        )
        attachment_row = self._current_row(self.attachment_table)
        for button in self._attachment_row_buttons:
            button.setEnabled(has and attachment_row is not None)

    @staticmethod
    def _current_row(table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    @staticmethod
    def _select(table: QTableView, row: int | None) -> None:
        model = table.model()
        if row is None or not 0 <= row < model.rowCount():
            table.clearSelection()
            return
        table.selectRow(row)
        table.scrollTo(model.index(row, 0))

    def _after_change(self, wrote: str, table: QTableView, row: int | None) -> None:
        """`wrote` (a table) changed from `table`'s buttons: show it, select `row`, and tell
        the window."""
        self._reload()
        self._select(table, row)
        self.changed.emit(frozenset({wrote}))

    def _run(
        self, call: Callable[[], T], *, after: Callable[[T], object] | None = None
    ) -> T | None:
        """`run_action` under this view's title."""
        return run_action(self, self.tr("学习记录"), call, after=after)

    def _sid(self) -> int:
        assert self._session is not None and self._session.id is not None
        return self._session.id

    # -- minutes ---------------------------------------------------------------------------
    def _minutes_state_changed(self, modified: bool) -> None:
        has = self._session is not None
        self.save_minutes_button.setEnabled(has and modified)
        if not has:
            self.minutes_state.setText("")
        elif modified:
            self.minutes_state.setText(self.tr("有尚未保存的修改。"))
        elif self._record is not None and self._record.updated_at is not None:
            self.minutes_state.setText(
                self.tr("已保存（{at}）。").format(at=f"{self._record.updated_at:%Y-%m-%d %H:%M}")
            )
        else:
            self.minutes_state.setText(self.tr("尚未填写会议记录。"))

    def save_minutes(self) -> bool:
        """Save the minutes typed for the shown session; False if saving failed."""
        if self._session is None:
            return True
        session_id, text = self._sid(), self.minutes_edit.toPlainText()
        self._run(lambda: self._records.save_minutes(session_id, text), after=self._minutes_saved)
        return not self.minutes_edit.document().isModified()

    def _minutes_saved(self, _none: None) -> None:
        self.minutes_edit.document().setModified(False)
        self._record = self._records.record(self._sid())
        self._minutes_state_changed(False)
        self.changed.emit(frozenset({"study_records"}))

    def _save_pending(self) -> None:
        if self._session is not None and self.minutes_edit.document().isModified():
            self.save_minutes()

    def hideEvent(self, event: QHideEvent) -> None:
        self._save_pending()
        super().hideEvent(event)

    # -- speeches --------------------------------------------------------------------------
    def _member_names(self) -> list[str]:
        if self._session is None:
            return []
        return [m.name for m in self._attendance.expected_members(self._session)]

    def add_speech(self) -> None:
        if self._session is None:
            return
        answer = SpeechDialog.ask(self, self._member_names(), None)
        if answer is None:
            return
        session_id = self._sid()
        if self._run(lambda: self._records.add_speech(session_id, *answer)) is not None:
            self._after_change("speeches", self.speech_table, self.speech_model.rowCount())

    def edit_speech(self) -> None:
        row = self._current_row(self.speech_table)
        if self._session is None or row is None:
            return
        speech = self.speech_model.speech(row)
        answer = SpeechDialog.ask(self, self._member_names(), speech)
        if answer is None or speech.id is None:
            return
        speech_id = speech.id
        if self._run(lambda: self._records.update_speech(speech_id, *answer)) is not None:
            self._after_change("speeches", self.speech_table, row)

    def remove_speech(self) -> None:
        row = self._current_row(self.speech_table)
        if row is None:
            return
        speech = self.speech_model.speech(row)
        if speech.id is None:
            return
        speech_id = speech.id
        change = self._run(lambda: do(self._records.remove_speech, speech_id))
        if change is None:
            return
        self._reload()
        self._select(self.speech_table, min(row, self.speech_model.rowCount() - 1))
        push_change(self.undo_stack, change, self, self._speech_undone)

    def _speech_undone(self, change: Change) -> None:
        """After 撤销 or 重做 of a removal: show that session's speeches, in whatever year
        the view was, with the speech put back (if it is) selected."""
        for session_id in change.session_ids:
            if session_id != self.session_id:
                self.set_session(session_id)
                if self.session_id != session_id:
                    return  # the session is gone; set_session said so
        self.tabs.setCurrentIndex(self.TAB_SPEECHES)
        self._reload()
        back = set(change.log.added("speeches"))
        rows = [
            r for r in range(self.speech_model.rowCount()) if self.speech_model.speech(r).id in back
        ]
        self._select(self.speech_table, rows[0] if rows else None)

    def move_speech(self, step: int) -> None:
        row = self._current_row(self.speech_table)
        if row is None:
            return
        speech = self.speech_model.speech(row)
        if speech.id is None:
            return
        speech_id = speech.id
        moved = self._run(lambda: self._records.move_speech(speech_id, step))
        if moved:
            self._after_change("speeches", self.speech_table, row + step)

    # -- materials -------------------------------------------------------------------------
    def _save_materials(self, materials: list[str], select: int | None) -> None:
        session_id = self._sid()
        if self._run(lambda: self._records.save_materials(session_id, materials)) is not None:
            self._after_change("study_records", self.material_table, select)

    def add_material(self) -> None:
        if self._session is None:
            return
        text = MaterialDialog.ask(self, None)
        if not text:
            return
        materials = self.material_model.materials()
        if text in materials:
            self._select(self.material_table, materials.index(text))
            return
        self._save_materials([*materials, text], len(materials))

    def edit_material(self) -> None:
        row = self._current_row(self.material_table)
        if self._session is None or row is None:
            return
        materials = self.material_model.materials()
        text = MaterialDialog.ask(self, materials[row])
        if not text or text == materials[row]:
            return
        materials[row] = text
        self._save_materials(materials, row)

    def remove_material(self) -> None:
        row = self._current_row(self.material_table)
        if self._session is None or row is None:
            return
        materials = self.material_model.materials()
        del materials[row]
        self._save_materials(materials, min(row, len(materials) - 1))

    def move_material(self, step: int) -> None:
        row = self._current_row(self.material_table)
        if self._session is None or row is None:
            return
        materials = self.material_model.materials()
        other = row + step
        if not 0 <= other < len(materials):
            return
        materials[row], materials[other] = materials[other], materials[row]
        self._save_materials(materials, other)

    def reset_materials(self) -> None:
        if self._session is None:
            return
        session_id = self._sid()
        planned = self._run(lambda: self._records.planned_materials(session_id))
        if planned is None or planned == self.material_model.materials():
            return
        self._save_materials(planned, None)

    # -- reflections -----------------------------------------------------------------------
    def mark_reflection(self) -> None:
        row = self._current_row(self.reflection_table)
        if self._session is None or row is None:
            return
        member, reflection = self.reflection_model.entry(row)
        if member.id is None:
            return
        answer = ReflectionDialog.ask(
            self, member, self._session.date, reflection, self.clock.today()
        )
        if answer is None:
            return
        submitted_on, title, note = answer
        session_id, member_id = self._sid(), member.id
        handed_in = self._run(
            lambda: self._records.set_reflection(session_id, member_id, submitted_on, title, note)
        )
        if handed_in is not None:
            self._after_change("reflections", self.reflection_table, row)

    def clear_reflection(self) -> None:
        row = self._current_row(self.reflection_table)
        if self._session is None or row is None:
            return
        member, reflection = self.reflection_model.entry(row)
        if reflection is None or reflection.id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("撤销心得体会"),
            self.tr("撤销 {name} 的心得体会提交记录吗？").format(name=member.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        reflection_id = reflection.id
        if self._run(lambda: self._records.remove_reflection(reflection_id)) is not None:
            self._after_change("reflections", self.reflection_table, row)

    # -- attachments -----------------------------------------------------------------------
    def add_attachment(self) -> None:
        if self._session is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("添加附件"), self._last_folder, self.tr("所有文件 (*)")
        )
        if path:
            self._last_folder = str(Path(path).parent)
            self.attach_files([Path(path)])

    def attach_files(self, paths: Sequence[Path]) -> int:
        """Archive files for the shown session; returns how many were added."""
        if self._session is None:
            return 0
        added = 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            errors: list[str] = []
            for path in paths:
                try:
                    self._records.attach_file(self._sid(), path)
                    added += 1
                except StudyplanError as error:
                    errors.append(str(error))
        finally:
            QApplication.restoreOverrideCursor()
        if added:
            self._after_change(
                "attachments", self.attachment_table, self.attachment_model.rowCount() + added - 1
            )
        if errors:
            QMessageBox.warning(self, self.tr("添加附件"), "\n".join(errors))
        return added

    def _current_attachment(self) -> Attachment | None:
        row = self._current_row(self.attachment_table)
        return None if row is None else self.attachment_model.attachment(row)

    def open_attachment(self) -> None:
        attachment = self._current_attachment()
        if attachment is None:
            return
        path = self._run(lambda: self._records.attachment_path(attachment))
        if path is None:
            return
        if not path.is_file():
            QMessageBox.warning(
                self,
                self.tr("打开附件"),
                self.tr("档案文件夹中找不到该文件：{path}").format(path=path),
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self,
                self.tr("打开附件"),
                self.tr("系统中没有能打开该文件的程序：{path}").format(path=path),
            )

    def verify_attachment(self) -> None:
        attachment = self._current_attachment()
        if attachment is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            intact = self._records.verify_attachment(attachment)
        finally:
            QApplication.restoreOverrideCursor()
        if intact:
            QMessageBox.information(
                self,
                self.tr("校验附件"),
                self.tr("“{name}”完好，与添加时的 SHA-256 一致。").format(
                    name=attachment.file_name
                ),
            )
        else:
            QMessageBox.warning(
                self,
                self.tr("校验附件"),
                self.tr(
                    "“{name}”已丢失或被改动，与添加时的 SHA-256 不一致。\n登记的 SHA-256：{sha}"
                ).format(name=attachment.file_name, sha=attachment.sha256),
            )

    def remove_attachment(self) -> None:
        attachment = self._current_attachment()
        if attachment is None:
            return
        row = self._current_row(self.attachment_table)
        answer = QMessageBox.question(
            self,
            self.tr("移除附件"),
            self.tr(
                "移除附件“{name}”吗？\n文件将移入档案文件夹中的“{trash}”文件夹，不会删除。"
            ).format(name=attachment.file_name, trash=TRASH_FOLDER),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        attachment_id = attachment.id
        if self._run(lambda: self._records.remove_attachment(attachment_id)) is None:
            return
        self._after_change(
            "attachments",
            self.attachment_table,
            None if row is None else min(row, self.attachment_model.rowCount() - 2),
        )

    def open_archive_folder(self) -> None:
        if self._session is None:
            return
        folder = self._records.archive_root / str(self._session.year) / str(self._sid())
        target = folder if folder.is_dir() else self._records.archive_root
        if not target.is_dir():
            QMessageBox.information(
                self, self.tr("打开文件夹"), self.tr("还没有添加过附件，档案文件夹尚未建立。")
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
