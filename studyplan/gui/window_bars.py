"""The main window's actions, toolbar, menus and status bar."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolBar, QToolButton, QWidget

from studyplan.gui.common import STATUS_COLORS, icon
from studyplan.model.plan import SessionStatus

#: ✓ held, ○ only planned, – nothing yet (the marks of `QuarterCoverage.mark`).
COVERAGE_COLORS = {"✓": "#15803d", "○": "#2563eb", "–": "#9ca3af"}


class WindowBars:
    """Builds and updates the bars of `MainWindow` (a part of it: the actions call its
    commands, the status bar shows its year)."""

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_actions(self) -> None:
        self.act_import = self._action(self.tr("导入学习计划…"), self.import_plan, "Ctrl+O")
        self.act_export_ics = self._action(self.tr("导出日历 (.ics)…"), self.export_ics, "Ctrl+E")
        self.act_quit = self._action(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        self.act_new_session = self._action(
            self.tr("新建场次"), self.new_session, QKeySequence.StandardKey.New
        )
        self.act_auto_schedule = self._action(
            self.tr("自动排期…"), self.auto_schedule, "Ctrl+Shift+A"
        )
        self.act_overrides = self._action(self.tr("节假日调整…"), self.edit_overrides)
        self.act_about = self._action(self.tr("关于"), self.about)
        self.act_manual = self._action(
            self.tr("使用说明"), self.show_manual, QKeySequence.StandardKey.HelpContents
        )
        self.act_wizard = self._action(self.tr("入门向导…"), self.run_wizard)
        self.act_next_year = self._action(self.tr("新建下一年计划…"), self.new_next_year_plan)
        self.act_next_year.setToolTip(self.tr("复制本年度计划的专题，作为下一年计划的草稿"))
        self.act_plan_template = self._action(self.tr("下载计划模板…"), self.download_plan_template)
        self.act_backup = self._action(self.tr("备份数据库…"), self.backup_database, "Ctrl+B")
        self.act_restore = self._action(self.tr("从备份恢复…"), self.restore_backup)
        self.act_audit = self._action(self.tr("操作记录"), self.show_audit)
        self.act_settings = self._action(self.tr("设置…"), self.edit_settings, "Ctrl+,")
        self.act_export_ledger = self._action(
            self.tr("导出学习台账 (.xlsx)…"), self.export_ledger, "Ctrl+L"
        )
        self.act_export_archive = self._action(self.tr("导出学习档案专卷…"), self.export_archive)
        self.act_export_archive.setToolTip(
            self.tr("把一年的计划、台账、通知、签到表、记录、简报、附件和报告按档案顺序导出")
        )
        self.act_backup.setToolTip(self.tr("把数据库完整复制一份，例如存到 U 盘或共享位置"))
        self.act_restore.setToolTip(self.tr("用一份备份替换当前数据库（替换前自动另存）"))
        for action in (self.act_backup, self.act_restore):
            action.setEnabled(self._db_path is not None)
        self.act_undo = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.act_redo = self.undo_stack.createRedoAction(self, self.tr("重做"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_new_session.setToolTip(self.tr("在所选日期新建学习场次（Ctrl+N）"))
        self.act_auto_schedule.setToolTip(self.tr("按频次为本年度未安排的专题自动排期"))

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("工具栏"))
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        year_label = QLabel(self.tr("年度"))
        year_label.setObjectName("toolbarLabel")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearCombo")
        self.year_combo.setMinimumContentsLength(7)
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        bar.addWidget(year_label)
        bar.addWidget(self.year_combo)
        bar.addSeparator()

        self.prev_button = self._nav_button("chevron-left", self.tr("上个月（PageUp）"), -1)
        self.next_button = self._nav_button("chevron-right", self.tr("下个月（PageDown）"), 1)
        self.month_combo = QComboBox()
        self.month_combo.setObjectName("monthCombo")
        self.month_combo.addItems([f"{m} 月" for m in range(1, 13)])
        self.month_combo.setMinimumContentsLength(5)
        self.month_combo.currentIndexChanged.connect(self._month_chosen)
        self.today_button = QToolButton()
        self.today_button.setText(self.tr("今天"))
        self.today_button.setObjectName("todayButton")
        self.today_button.clicked.connect(self.go_today)
        self._month_actions = [
            bar.addWidget(self.prev_button),
            bar.addWidget(self.month_combo),
            bar.addWidget(self.next_button),
            bar.addWidget(self.today_button),
            bar.addSeparator(),
        ]
        bar.addAction(self.act_new_session)
        bar.addAction(self.act_auto_schedule)
        for action in (self.act_new_session, self.act_auto_schedule):
            bar.widgetForAction(action).setObjectName("primaryAction")

        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.notice_button = QToolButton()
        self.notice_button.setObjectName("provisionalNotice")
        self.notice_button.setToolTip(self.tr("点击录入国务院办公厅公布的节假日安排"))
        self.notice_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.notice_button.clicked.connect(self.edit_overrides)
        self._notice_action = bar.addWidget(self.notice_button)

    def _nav_button(self, icon_name: str, tip: str, step: int) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(icon_name))
        button.setText("◀" if step < 0 else "▶")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setToolTip(tip)
        button.setObjectName("monthStep")
        button.clicked.connect(lambda _=False: self.step_month(step))
        return button

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_export_ics)
        file_menu.addAction(self.act_export_ledger)
        file_menu.addSeparator()
        file_menu.addAction(self.act_backup)
        file_menu.addAction(self.act_restore)
        file_menu.addAction(self.act_audit)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export_archive)  # the year's record, filed
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.file_menu = file_menu
        edit_menu = menus.addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        self.edit_menu = edit_menu
        plan_menu = menus.addMenu(self.tr("计划(&P)"))
        plan_menu.addAction(self.act_new_session)
        plan_menu.addAction(self.act_auto_schedule)
        plan_menu.addSeparator()
        plan_menu.addAction(self.act_overrides)
        plan_menu.addSeparator()
        plan_menu.addAction(self.act_next_year)
        plan_menu.addAction(self.act_plan_template)
        self.plan_menu = plan_menu
        self._view_menu = menus.addMenu(self.tr("视图(&V)"))
        help_menu = menus.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.act_manual)
        help_menu.addAction(self.act_wizard)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)
        self.help_menu = help_menu

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        status.setSizeGripEnabled(False)
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverageLabel")
        self.coverage_label.setToolTip(
            self.tr("✓ 已举行学习　○ 仅有计划　– 尚无安排（每季度至少集中学习一次）")
        )
        status.addWidget(self.coverage_label)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueLabel")
        self.overdue_label.setStyleSheet("color: #b91c1c; font-weight: bold; padding-left: 16px;")
        self.overdue_label.setToolTip(self.tr("已过截止日期仍未完成的补学补研任务"))
        status.addWidget(self.overdue_label)
        swatches = "".join(
            f"<span style='color:{STATUS_COLORS[s].name()}'>■</span> {s.label}&nbsp;&nbsp;"
            for s in SessionStatus
        )
        legend = QLabel(
            swatches
            + self.tr(
                "<span style='color:#dc2626'>休</span> 放假&nbsp;&nbsp;"
                "<span style='color:#475569'>班</span> 调休上班"
            )
        )
        legend.setObjectName("legendLabel")
        status.addPermanentWidget(legend)

    def _update_status(self) -> None:
        year = self._year
        heading = self.tr("{year} 年季度学习：").format(year=year)
        line = self._planning.coverage_line(year)
        rich = html.escape(line)
        for mark, color in COVERAGE_COLORS.items():
            rich = rich.replace(f"{mark} ", f"{mark}&nbsp;&nbsp;&nbsp;&nbsp;")
            rich = rich.replace(mark, f"<b style='color:{color}'>{mark}</b>")
        self.coverage_label.setText(html.escape(heading) + rich)
        self.coverage_label.setAccessibleName(heading + line)
        overdue = self._services.attendance.overdue_count(self.clock.today())
        self.overdue_label.setText(self.tr("补学逾期 {n} 项").format(n=overdue) if overdue else "")
        notice = self._planning.calendar.provisional_notice(year)
        self.notice_button.setText(f"⚠ {notice}" if notice else "")
        self._notice_action.setVisible(bool(notice))
