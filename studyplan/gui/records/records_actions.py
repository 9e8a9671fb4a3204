"""What the buttons of the 学习记录 tabs do: speeches, materials, reflections, attachments."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from studyplan.app.changes import Change, do
from studyplan.gui.records.records_dialogs import MaterialDialog, ReflectionDialog, SpeechDialog
from studyplan.gui.undo import push_change
from studyplan.model.errors import StudyplanError
from studyplan.model.records import TRASH_FOLDER, Attachment


class RecordActions:
    """The tabs' commands of `RecordsView` (a part of it: they act on the session shown, and
    reload it with `_after_change`)."""

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
