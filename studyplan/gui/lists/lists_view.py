"""The 三张清单 view: who hosts, leads and speaks (学习责任清单), what each topic studies and
when (学习任务清单), what the study turned into (成果转化清单), and their check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.compliance import lists_check
from studyplan.app.lists import ListsService, export_lists
from studyplan.gui.actions import run_action
from studyplan.gui.common import ObjectRole, RowTableModel, setup_row_table
from studyplan.gui.exporting import SaveAs, export_file
from studyplan.gui.lists.lists_dialogs import (
    ArrangementDialog,
    ListSettingsDialog,
    ResultDialog,
    SpeakerDialog,
    Target,
)
from studyplan.gui.lists.lists_models import DutyModel, ResultModel, TaskModel
from studyplan.gui.undo import ChangeStack, push_change, undo_stack_for
from studyplan.model.clock import Clock
from studyplan.model.duties import Arrangement, ListsData, SessionLine, TopicLine


def _table(model: RowTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    header = setup_row_table(table, 30)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, 320)
    return table


class ListsView(QWidget):
    """三张清单 of the year shown, with their editing and the check of them."""

    SHOWS = frozenset(
        {
            "topics",
            "plans",
            "sessions",
            "session_topics",
            "members",
            "speeches",
            "reflections",
            "attendance",
            "settings",
            "topic_arrangements",
            "session_arrangements",
            "planned_speakers",
            "study_results",
            "member_papers",
            "self_study_plans",
            "note_checks",
        }
    )

    changed = Signal(object)

    def __init__(
        self,
        lists: ListsService,
        attendance: AttendanceService,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        undo_stack: ChangeStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listsView")
        self._lists = lists
        self._attendance = attendance
        self.clock = clock or lists.clock
        self.undo_stack = undo_stack_for(self, undo_stack, self.clock)
        self.year = self.clock.today().year
        self.data: ListsData | None = None

        self.heading_label = QLabel()
        self.heading_label.setObjectName("panelHeading")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("panelSummary")
        self.export_button = QPushButton(self.tr("导出清单…"))
        self.settings_button = QPushButton(self.tr("可选项与年度任务…"))
        self.settings_button.setToolTip(
            self.tr("增加学习形式、成果类型，设定每人每年须完成的学习任务")
        )
        self.export_button.setToolTip(self.tr("把三张清单与成员履职情况导出为可打印的 Excel 文件"))

        self.duty_model = DutyModel(self)
        self.task_model = TaskModel(self)
        self.result_model = ResultModel(self)
        self.duty_table = _table(self.duty_model, DutyModel.COL_SPEAKERS)
        # 发言落实 names each speaker with 已发言/未发言: cut short, the one who did not speak
        # (the point of the column) is what disappears.
        self.duty_table.horizontalHeader().setSectionResizeMode(
            DutyModel.COL_STATE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.task_table = _table(self.task_model, TaskModel.COL_READINGS)
        self.result_table = _table(self.result_model, ResultModel.COL_EFFECT)
        # The result's name is what the list is about: room for a title of some 18 characters.
        self.result_table.setColumnWidth(ResultModel.COL_TARGET, 220)
        self.result_table.setColumnWidth(ResultModel.COL_NAME, 300)
        self.check_list = QListWidget()
        self.check_list.setObjectName("listsCheck")

        self.arrange_button = QPushButton(self.tr("编辑责任…"))
        self.speaker_button = QPushButton(self.tr("安排重点发言…"))
        self.unplan_button = QPushButton(self.tr("取消重点发言…"))
        self.add_result_button = QPushButton(self.tr("新增成果…"))
        self.edit_result_button = QPushButton(self.tr("修改…"))
        self.remove_result_button = QPushButton(self.tr("删除"))

        self.tabs = QTabWidget()
        self.tabs.addTab(
            self._page(
                self.duty_table, self.arrange_button, self.speaker_button, self.unplan_button
            ),
            self.tr("学习责任清单"),
        )
        self.tabs.addTab(self._page(self.task_table), self.tr("学习任务清单"))
        self.tabs.addTab(
            self._page(
                self.result_table,
                self.add_result_button,
                self.edit_result_button,
                self.remove_result_button,
            ),
            self.tr("成果转化清单"),
        )
        self.tabs.addTab(self._page(self.check_list), self.tr("检查"))

        top = QHBoxLayout()
        top.addWidget(self.heading_label)
        top.addSpacing(12)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.arrange_button.clicked.connect(self.edit_arrangement)
        self.speaker_button.clicked.connect(self.plan_speaker)
        self.unplan_button.clicked.connect(self.unplan_speaker)
        self.add_result_button.clicked.connect(lambda: self.edit_result(new=True))
        self.edit_result_button.clicked.connect(lambda: self.edit_result(new=False))
        # activated: a double click, and Return from the keyboard.
        self.result_table.activated.connect(lambda _i: self.edit_result(new=False))
        self.duty_table.activated.connect(lambda _i: self.edit_arrangement())
        self.remove_result_button.clicked.connect(self.remove_result)
        self.export_button.clicked.connect(self.export)
        self.settings_button.clicked.connect(self.edit_settings)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setFocusProxy(self.duty_table)  # Ctrl+8 lands in the table, as Ctrl+1…7 do
        self.refresh()

    def _tab_changed(self, index: int) -> None:
        """The keys go to the list the secretary turned to."""
        page = self.tabs.widget(index)
        main = page.property("mainWidget") if page is not None else None
        if isinstance(main, QWidget):
            self.setFocusProxy(main)
            main.setFocus()

    def _page(self, main: QWidget, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        page.setProperty("mainWidget", main)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        if buttons:
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(main, 1)
        return page

    # -- state ----------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.clock.today()

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.refresh()

    def refresh(self) -> None:
        data = self._lists.lists(self.year, self.today)
        self.data = data
        self.heading_label.setText(self.tr("{year} 年三张清单").format(year=self.year))
        self.duty_model.set_rows([*data.topics, *data.sessions])
        self.task_model.set_rows(data.topics)
        self.result_model.set_rows(data.results)
        checked = lists_check(data)
        self.check_list.clear()
        # Named as the printed lists name it (io/ledger/list_sheets.py): 清单检查, not the
        # year's 合规检查 of the 统计 view.
        self.check_list.addItem(checked.report.summary.replace("合规检查", "清单检查"))
        heading = self.check_list.item(0)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        for problem in checked.report.problems:
            self.check_list.addItem(problem.message)
        for line in checked.on_the_way:
            self.check_list.addItem(self.tr("进行中：") + line)
        overdue = sum(1 for r in data.results if r.overdue)
        self.summary_label.setText(
            self.tr(
                "重点发言人未发言 {missing} 人次；成果 {results} 项，已逾期 {overdue} 项"
            ).format(missing=len(data.missing_speakers), results=len(data.results), overdue=overdue)
        )

    def _written(self, tables: set[str]) -> None:
        self.refresh()
        self.changed.emit(frozenset(tables))

    def _pushed(self, change) -> None:
        self.refresh()
        push_change(self.undo_stack, change, self, lambda _change: self.refresh())
        self.changed.emit(frozenset(change.tables))

    def current_line(self) -> TopicLine | SessionLine | None:
        index = self.duty_table.currentIndex()
        return index.data(ObjectRole) if index.isValid() else None

    @staticmethod
    def _where(line: TopicLine | SessionLine) -> str:
        if isinstance(line, TopicLine):
            return f"专题{line.topic.number} {line.topic.title}"
        return f"{line.session.date:%Y-%m-%d} 学习"

    # -- 学习责任清单 ------------------------------------------------------------------------
    def edit_arrangement(self) -> None:
        line = self.current_line()
        if line is None:
            return
        if isinstance(line, TopicLine):
            answer = ArrangementDialog.ask(
                self, line.arrangement, self._lists.study_forms(), self._where(line), session=False
            )
            if answer is None or line.topic.id is None:
                return
            topic_id = line.topic.id
            run_action(
                self,
                self.tr("无法保存"),
                lambda: self._lists.set_topic_arrangement(
                    topic_id,
                    host=answer.host,
                    lecturer=answer.lecturer,
                    department=answer.department,
                    form=answer.form,
                    month=answer.month,
                ),
                after=lambda _a: self._written({"topic_arrangements"}),
            )
            return
        answer = ArrangementDialog.ask(
            self,
            Arrangement(department=line.department),
            [],
            self._where(line),
            session=True,
        )
        if answer is None or line.session.id is None:
            return
        session_id = line.session.id
        run_action(
            self,
            self.tr("无法保存"),
            lambda: self._lists.set_session_department(session_id, answer.department),
            after=lambda _a: self._written({"session_arrangements"}),
        )

    def plan_speaker(self) -> None:
        line = self.current_line()
        if line is None:
            return
        if isinstance(line, SessionLine):
            members = self._attendance.expected_members(line.session.date)
            target = {"session_id": line.session.id}
        else:
            members = [
                m
                for m in self._attendance.list_members()
                if m.expected_on(dt.date(self.year, 12, 31))
                or m.expected_on(dt.date(self.year, 1, 1))
            ]
            target = {"topic_id": line.topic.id}
        answer = SpeakerDialog.ask(self, members, self._where(line))
        if answer is None:
            return
        member_id, subject = answer
        change = run_action(
            self,
            self.tr("无法安排重点发言"),
            lambda: do(self._lists.add_planned_speaker, member_id, subject, **target),
        )
        if change is not None:
            self._pushed(change)

    def unplan_speaker(self) -> None:
        line = self.current_line()
        if line is None or not line.speakers:
            return
        names = [s.name for s in line.speakers]
        name, ok = QInputDialog.getItem(
            self, self.tr("取消重点发言"), self.tr("取消谁的重点发言："), names, 0, False
        )
        if not ok or name not in names:
            return
        speaker_id = line.speakers[names.index(name)].speaker.id
        if speaker_id is None:
            return
        change = run_action(
            self,
            self.tr("无法取消重点发言"),
            lambda: do(self._lists.remove_planned_speaker, speaker_id),
        )
        if change is not None:
            self._pushed(change)

    # -- 成果转化清单 ------------------------------------------------------------------------
    def _targets(self) -> list[Target]:
        data = self.data
        if data is None:
            return []
        targets: list[Target] = [
            (f"专题{t.topic.number} {t.topic.title}", t.topic.id, None) for t in data.topics
        ]
        targets += [(f"{s.session.date:%Y-%m-%d} 学习", None, s.session.id) for s in data.sessions]
        return targets

    def edit_result(self, *, new: bool) -> None:
        current = None
        if not new:
            index = self.result_table.currentIndex()
            line = index.data(ObjectRole) if index.isValid() else None
            if line is None:
                return
            current = line.result
        members = [m for m in self._attendance.list_members() if m.on_roster(self.today)]
        use_case = self._lists.add_result if new else self._lists.update_result
        while True:
            result = ResultDialog.ask(
                self, self._targets(), self._lists.result_types(), members, current, self.today
            )
            if result is None:
                return
            change = run_action(self, self.tr("无法保存学习成果"), lambda r=result: do(use_case, r))
            if change is not None:
                self._pushed(change)
                return
            current = result  # refused: the dialog again, with what was typed, to correct

    def chosen_result(self):
        """The result line the secretary selected, or None: the table's current cell alone
        (set when the tab takes the keys) is not a choice to delete."""
        rows = self.result_table.selectionModel().selectedRows()
        return rows[0].data(ObjectRole) if rows else None

    def remove_result(self) -> None:
        line = self.chosen_result()
        if line is None or line.result.id is None:
            QMessageBox.information(
                self, self.tr("删除学习成果"), self.tr("请先在清单中选中要删除的成果。")
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除学习成果"),
            self.tr("删除成果“{name}”吗？删除后可用“编辑 → 撤销”恢复。").format(
                name=line.result.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        result_id = line.result.id
        change = run_action(
            self, self.tr("无法删除学习成果"), lambda: do(self._lists.remove_result, result_id)
        )
        if change is not None:
            self._pushed(change)

    # -- settings -------------------------------------------------------------------------
    def edit_settings(self) -> None:
        lists = self._lists
        answer = ListSettingsDialog.ask(
            self, lists.study_forms(), lists.result_types(), lists.required()
        )
        if answer is None:
            return
        forms, kinds, required = answer

        def save() -> None:
            lists.set_study_forms(forms)
            lists.set_result_types(kinds)
            for code, value in required.items():
                lists.set_required(code, value)

        run_action(
            self, self.tr("无法保存设置"), save, after=lambda _n: self._written({"settings"})
        )

    # -- export ---------------------------------------------------------------------------
    def export(self) -> Path | None:
        """Save the lists as one printable workbook, the way every export of the window does:
        a refused place reopens the dialog, and the message after offers to open the file."""
        save_as = SaveAs(
            title=self.tr("导出三张清单"),
            suggested=f"{self.year}年三张清单.xlsx",
            file_filter=self.tr("Excel 工作簿 (*.xlsx)"),
            suffixes=(".xlsx",),
        )
        year, today, db = self.year, self.today, self._lists.db
        written = export_file(
            self,
            save_as,
            lambda target: export_lists(db, target, year, today=today),
            lambda _target, path: self.tr("已导出 {year} 年三张清单：{path}").format(
                year=year, path=path
            ),
        )
        return None if written is None else written[1]
