"""A member's page: their year against the duties (出勤、交流发言、心得体会、调研报告或理论文章、
个人自学计划、学习笔记检查), with the records the secretary adds for them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.changes import do
from studyplan.app.lists import ListsService, export_member_file
from studyplan.gui.actions import run_action
from studyplan.gui.date_field import Bound, DateField
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.gui.lists.lists_dialogs import refused
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.duties import DUTIES, PAPER_KINDS, DutyState, MemberYear, rate_text
from studyplan.model.roster import Member
from studyplan.model.years import MAX_YEAR, MIN_YEAR

STATE_COLORS = {
    DutyState.MET: "#15803d",
    DutyState.ON_THE_WAY: "#b45309",
    DutyState.SHORT: "#991b1b",
}


#: What each record's date is called, in its form and in the sentence refusing it.
DATE_NAMES = {"paper": "日期", "plan": "提交日期", "check": "检查日期"}


class RecordDialog(QDialog):
    """One record of a member's year: a paper, a self-study plan or a note check."""

    def __init__(
        self, kind: str, today: dt.date, parent: QWidget | None = None, *, year: int | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(
            {
                "paper": "登记调研报告或理论文章",
                "plan": "登记个人自学计划",
                "check": "登记学习笔记检查",
            }[kind]
        )
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(PAPER_KINDS)
        self.title_edit = QLineEdit()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("文件位置（可不填）"))
        self.by_edit = QLineEdit()
        self.remark_edit = QLineEdit()
        what = self.tr(DATE_NAMES[kind])
        self.date_edit = DateField(today, what)
        self.date_edit.setObjectName("recordDate")
        # Written, submitted or checked by today: a later day would count before it is. On
        # a year's page, a day in that year (a self-study plan may be handed in the year
        # before), or the record would not show on the page it was entered from.
        earliest = None
        if year is not None:
            first = dt.date(year - 1 if kind == "plan" else year, 1, 1)
            earliest = Bound(first) if first <= today else None
        self.date_edit.set_range(earliest, Bound(today, self.tr("今天")))
        form = QFormLayout(self)
        if kind == "paper":
            form.addRow(self.tr("类型"), self.kind_combo)
            form.addRow(self.tr("题目"), self.title_edit)
            form.addRow(what, self.date_edit)
            form.addRow(self.tr("文件"), self.file_edit)
        elif kind == "plan":
            form.addRow(what, self.date_edit)
            form.addRow(self.tr("文件"), self.file_edit)
        else:
            form.addRow(what, self.date_edit)
            form.addRow(self.tr("检查人"), self.by_edit)
            form.addRow(self.tr("检查意见"), self.remark_edit)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def accept(self) -> None:
        """A paper without its title, a date out of range or text the record cannot print
        is not closed on: what was typed would be lost."""
        if self.kind == "paper" and not self.title_edit.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("请填写题目。"))
            self.title_edit.setFocus()
            return
        problem = self.date_edit.check()
        if problem:
            QMessageBox.warning(self, self.windowTitle(), problem)
            self.date_edit.setFocus()
            return
        texts = {
            "paper": [(self.tr("题目"), self.title_edit)],
            "plan": [],
            "check": [(self.tr("检查人"), self.by_edit), (self.tr("检查意见"), self.remark_edit)],
        }[self.kind]
        if refused(self, [(what, edit, edit.text()) for what, edit in texts]):
            return
        super().accept()

    def answer(self) -> dict[str, object]:
        values: dict[str, object] = {"day": self.date_edit.day(), "file": self.file_edit.text()}
        values.update(
            kind=self.kind_combo.currentText(),
            title=self.title_edit.text(),
            by=self.by_edit.text(),
            remark=self.remark_edit.text(),
        )
        return values

    @classmethod
    def ask(
        cls, parent: QWidget | None, kind: str, today: dt.date, year: int | None = None
    ) -> dict[str, object] | None:
        dialog = cls(kind, today, parent, year=year)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()


class MemberYearPage(QWidget):
    """A member's year against the duties set in 设置, and its records."""

    changed = Signal(object)

    def __init__(
        self,
        lists: ListsService,
        member: Member,
        year: int,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        undo_stack: ChangeStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("memberYearPage")
        self._lists = lists
        self.member = member
        self.clock = clock or lists.clock
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        self.entry: MemberYear | None = None

        self.heading_label = QLabel()
        self.heading_label.setObjectName("panelHeading")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(year)
        self.year_spin.setSuffix(self.tr(" 年"))
        #: The numbers shown, by the keys `members --year Y --format json` prints.
        self.value_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        rows = [
            ("expected", self.tr("应到")),
            ("attended", self.tr("实到")),
            ("rate", self.tr("出勤率")),
            *((duty.code, duty.name) for duty in DUTIES),
            ("note_checks", self.tr("学习笔记检查")),
        ]
        for row, (key, title) in enumerate(rows):
            label = QLabel()
            label.setObjectName(f"memberYear_{key}")
            self.value_labels[key] = label
            grid.addWidget(QLabel(title), row, 0)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(2, 1)
        self.records_list = QListWidget()
        self.paper_button = QPushButton(self.tr("登记调研报告或理论文章…"))
        self.plan_button = QPushButton(self.tr("登记个人自学计划…"))
        self.check_button = QPushButton(self.tr("登记学习笔记检查…"))
        self.remove_button = QPushButton(self.tr("删除所选记录"))
        self.export_button = QPushButton(self.tr("导出学习档案…"))
        self.export_button.setToolTip(self.tr("把本人这一年的个人学习档案导出为 Word 文件"))
        buttons = QHBoxLayout()
        for button in (self.paper_button, self.plan_button, self.check_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.heading_label, 1)
        top.addWidget(self.year_spin)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.records_list, 1)
        self.year_spin.valueChanged.connect(lambda _y: self.refresh())
        self.paper_button.clicked.connect(lambda: self.add_record("paper"))
        self.plan_button.clicked.connect(lambda: self.add_record("plan"))
        self.check_button.clicked.connect(lambda: self.add_record("check"))
        self.remove_button.clicked.connect(self.remove_record)
        self.export_button.clicked.connect(self.export)
        self.refresh()

    @property
    def year(self) -> int:
        return self.year_spin.value()

    def refresh(self) -> None:
        assert self.member.id is not None
        today = self.clock.today()
        entry = next(
            (
                e
                for e in self._lists.member_years(self.year, today)
                if e.member.id == self.member.id
            ),
            None,
        )
        self.entry = entry
        self.heading_label.setText(
            self.tr("{name} {year} 年学习档案").format(name=self.member.name, year=self.year)
        )
        self.records_list.clear()
        if entry is None:
            for label in self.value_labels.values():
                label.setText("—")
            self.records_list.addItem(self.tr("该年度不在中心组。"))
            return
        a = entry.attendance
        self.value_labels["expected"].setText(str(a.expected))
        self.value_labels["attended"].setText(str(a.attended))
        self.value_labels["rate"].setText(rate_text(a.rate))
        for duty in DUTIES:
            state = entry.state(duty)
            label = self.value_labels[duty.code]
            label.setText(f"{entry.counts.done(duty)} / {entry.required[duty.code]}　{state.label}")
            label.setStyleSheet(f"color: {STATE_COLORS[state]}")
        self.value_labels["note_checks"].setText(str(entry.counts.note_checks))
        for paper in entry.papers:
            self._item(
                f"{paper.kind}{paper.quoted_title} {paper.written_on:%Y-%m-%d}", "paper", paper.id
            )
        if entry.self_plan is not None and entry.self_plan.submitted_on is not None:
            day = entry.self_plan.submitted_on
            self._item(self.tr("个人自学计划 {day:%Y-%m-%d} 提交").format(day=day), "plan", None)
        for check in entry.note_checks:
            text = f"学习笔记检查 {check.checked_on:%Y-%m-%d} {check.checked_by} {check.remark}"
            self._item(text.strip(), "check", check.id)

    def export(self) -> Path | None:
        """This member's 个人学习档案 of the year shown, as the ledger counts it (.docx)."""
        member_id = self.member.id
        assert member_id is not None
        year, today, db = self.year, self.clock.today(), self._lists.db
        save_as = SaveAs(
            title=self.tr("导出个人学习档案"),
            suggested=f"{year}年个人学习档案-{self.member.name}.docx",
            file_filter=self.tr("Word 文档 (*.docx)"),
            suffixes=(".docx",),
        )
        written = export_file(
            self,
            save_as,
            lambda target: export_member_file(db, target, year, today=today, member_id=member_id),
            lambda _target, path: self.tr("已导出{name}的 {year} 年个人学习档案：{path}").format(
                name=self.member.name, year=year, path=path
            ),
        )
        return None if written is None else written[1]

    def _item(self, text: str, kind: str, record_id: int | None) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (kind, record_id))
        self.records_list.addItem(item)

    def remove_record(self) -> None:
        """Take back the selected paper, self-study plan or note check (撤销 restores it)."""
        chosen = self.records_list.selectedItems()  # not the current row the keys alone set
        item = chosen[0] if chosen else None
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not found or item is None or self.member.id is None:
            QMessageBox.information(
                self, self.tr("删除记录"), self.tr("请先在下面的列表中选中要删除的记录。")
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除记录"),
            self.tr("删除“{what}”吗？删除后可用“编辑 → 撤销”恢复。").format(what=item.text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        kind, record_id = found
        lists, member_id = self._lists, self.member.id
        if kind == "paper":
            call = lambda: do(lists.remove_paper, record_id)  # noqa: E731
        elif kind == "check":
            call = lambda: do(lists.remove_note_check, record_id)  # noqa: E731
        else:
            call = lambda: do(lists.set_self_plan, member_id, self.year, None)  # noqa: E731
        self._done(run_action(self, self.tr("无法删除"), call))

    def add_record(self, kind: str) -> None:
        member_id = self.member.id
        assert member_id is not None
        answer = RecordDialog.ask(self, kind, self.clock.today(), self.year)
        if answer is None:
            return
        day = answer["day"]
        assert isinstance(day, dt.date)
        lists = self._lists
        if kind == "paper":
            call = lambda: do(  # noqa: E731
                lists.add_paper,
                member_id,
                str(answer["kind"]),
                str(answer["title"]),
                day,
                str(answer["file"]),
            )
        elif kind == "plan":
            call = lambda: do(  # noqa: E731
                lists.set_self_plan, member_id, self.year, day, str(answer["file"])
            )
        else:
            call = lambda: do(  # noqa: E731
                lists.add_note_check, member_id, day, str(answer["by"]), str(answer["remark"])
            )
        self._done(run_action(self, self.tr("无法登记"), call))

    def _done(self, change) -> None:
        if change is None:
            return
        self.refresh()
        push_change(self.undo_stack, change, self, lambda _change: self.refresh())
        self.changed.emit(frozenset(change.tables))


class MemberYearDialog(QDialog):
    """The member page as a window of its own, opened from the 成员 view."""

    def __init__(self, page: MemberYearPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("个人学习档案"))
        self.page = page
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(page, 1)
        layout.addWidget(box)
        # As wide as the row of buttons needs with the window's style sheet, so none of
        # 登记调研报告或理论文章… is cut.
        self.ensurePolished()
        for button in page.findChildren(QPushButton):
            button.ensurePolished()
            button.setMinimumWidth(button.sizeHint().width())
            # Return in the year box must not press the first of them (导出学习档案…).
            button.setAutoDefault(False)
        self.resize(max(620, self.sizeHint().width()), 560)

    @classmethod
    def show_page(cls, parent: QWidget | None, page: MemberYearPage) -> None:
        cls(page, parent).exec()
