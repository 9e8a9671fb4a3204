"""How the 学习记录 view is laid out: the session picker and particulars above, one tab per
part of the record below, each table with its buttons on the right."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyplan.gui.common import setup_row_table
from studyplan.gui.records.records_models import (
    MUTED,
    AttachmentModel,
    MaterialModel,
    ReflectionModel,
    SpeechModel,
)

_T = TypeVar("_T", bound=QTableView)


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


class RecordsPages:
    """Builds the widgets of `RecordsView` (a part of it: the buttons call its actions)."""

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
        self.documents_button = QPushButton(self.tr("生成文书"))
        self.documents_button.setObjectName("documentsButton")
        documents_menu = QMenu(self.documents_button)
        documents_menu.setToolTipsVisible(True)
        documents_menu.aboutToShow.connect(self._offer_documents)
        self.document_actions: dict[str, QAction] = {}
        for kind, label in (
            ("notice", self.tr("生成学习通知…")),
            ("record", self.tr("生成学习记录…")),
            ("brief", self.tr("生成学习简报…")),
        ):
            action = documents_menu.addAction(label)
            action.setObjectName(f"document_{kind}")
            self.document_actions[kind] = action
            action.triggered.connect(lambda _=False, k=kind: self.request_document(k))
        self.documents_button.setMenu(documents_menu)
        picker.addWidget(self.documents_button)

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
