"""The study record of a session: minutes, speeches, materials, reflections, attachments.

A session picker and the session's particulars on top, one tab per part of the record below.
The minutes are saved with 保存, and also without asking when another session is chosen or
the view is left.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QTableView, QWidget

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.gui.actions import run_action
from studyplan.gui.common import STATUS_COLORS, weekday_name
from studyplan.gui.records.records_actions import RecordActions
from studyplan.gui.records.records_models import MUTED, fit_picker, picker_label
from studyplan.gui.records.records_pages import RecordsPages
from studyplan.gui.undo import ChangeStack, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.records import MAX_ATTACHMENT_BYTES, TRASH_FOLDER, StudyRecord, format_size

T = TypeVar("T")


class RecordsView(RecordsPages, RecordActions, QWidget):
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
    #: The user asked for a document of the session shown ("notice", "record", "brief").
    documentRequested = Signal(str, int)

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

    def request_document(self, kind: str) -> None:
        """Ask the window for a document of the session shown, its typed minutes saved."""
        self._save_pending()
        if self.session_id is not None:
            self.documentRequested.emit(kind, self.session_id)

    def _offer_documents(self) -> None:
        """Grey the documents the session shown cannot have yet (a record or brief before
        it is held), saying why in the item's tooltip."""
        for kind, action in self.document_actions.items():
            refused = self._session.document_refusal(kind) if self._session else ""
            action.setEnabled(refused is None)
            action.setToolTip(refused or "")

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
            fit_picker(self.session_combo)
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
