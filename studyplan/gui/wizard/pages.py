"""The first-run wizard's pages: welcome, the unit, the year's plan, the roster."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from studyplan.app.context import Context
from studyplan.app.first_run import BUNDLED_NAME, BUNDLED_YEAR, PlanChoice, RosterChoice
from studyplan.app.templates import save_roster_template
from studyplan.gui.actions import run_action
from studyplan.gui.common import save_target
from studyplan.model.unit import DEFAULT_GROUP_NAME, UnitDetails
from studyplan.model.years import MAX_YEAR, MIN_YEAR


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("wizardHint")
    label.setWordWrap(True)
    return label


class _FileRow(QWidget):
    """A file path with its 选择文件… button."""

    def __init__(self, caption: str, filter_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("尚未选择文件"))
        self.button = QPushButton(self.tr("选择文件…"))
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.choose)
        self._caption = caption
        self._filter = filter_text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self._caption, "", self._filter)
        if name:
            self.edit.setText(name)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("欢迎使用理论学习中心组学习管理"))
        self.setSubTitle(self.tr("三步完成准备：单位信息、学习计划、成员名单。"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                self.tr(
                    "本向导帮助学习秘书做好第一次使用的准备：\n\n"
                    "1. 填写本单位的名称、中心组名称、学习秘书和联系电话——台账、签到表和窗口标题"
                    "都使用这里的单位名称；\n"
                    "2. 选择本年度学习计划：导入本单位的计划文件，参考内置的计划，或从空白开始；\n"
                    "3. 导入或录入中心组成员名单，也可以稍后再做。\n\n"
                    "可以随时点“跳过向导”，以后从“帮助 → 入门向导”再次打开。"
                )
            )
        )
        layout.addStretch(1)


class UnitPage(QWizardPage):
    """单位名称、中心组名称、学习秘书、联系电话 — the same settings 设置 → 单位信息 holds."""

    def __init__(self, details: UnitDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("第一步：单位信息"))
        self.setSubTitle(self.tr("台账、签到表、简报和窗口标题都使用这里的单位名称。"))
        self.name_edit = QLineEdit(details.name)
        self.name_edit.setObjectName("wizardUnitName")
        self.name_edit.setPlaceholderText(self.tr("例如：市生态环境局"))
        self.group_edit = QLineEdit(details.group or DEFAULT_GROUP_NAME)
        self.secretary_edit = QLineEdit(details.secretary)
        self.phone_edit = QLineEdit(details.phone)
        form = QFormLayout(self)
        form.addRow(self.tr("单位名称"), self.name_edit)
        form.addRow(self.tr("中心组名称"), self.group_edit)
        form.addRow(self.tr("学习秘书"), self.secretary_edit)
        form.addRow(self.tr("联系电话"), self.phone_edit)
        form.addRow(_hint(self.tr("以后可在“文件 → 设置… → 单位信息”中修改。")))

    def details(self) -> UnitDetails:
        return UnitDetails(
            self.name_edit.text(),
            self.group_edit.text(),
            self.secretary_edit.text(),
            self.phone_edit.text(),
        )

    def validatePage(self) -> bool:
        checked = run_action(self, self.tr("单位信息"), lambda: self.details().check())
        return checked is not None


class PlanPage(QWizardPage):
    """The year's plan: the unit's own file, the bundled plan (the default), or empty."""

    def __init__(self, context: Context, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setTitle(self.tr("第二步：本年度学习计划"))
        self.setSubTitle(self.tr("学习专题来自年度学习计划；之后可在日历右侧的专题栏中修改。"))
        self.bundled_radio = QRadioButton(self.tr("参考内置计划：{name}").format(name=BUNDLED_NAME))
        self.bundled_radio.setObjectName("wizardPlanBundled")
        self.file_radio = QRadioButton(self.tr("导入本单位的学习计划文件（.docx 或 .txt）"))
        self.file_radio.setObjectName("wizardPlanFile")
        self.empty_radio = QRadioButton(self.tr("从空白计划开始，自己录入专题（每行一个专题）"))
        self.empty_radio.setObjectName("wizardPlanEmpty")
        self.group = QButtonGroup(self)
        for radio in (self.bundled_radio, self.file_radio, self.empty_radio):
            self.group.addButton(radio)
        self.bundled_radio.setChecked(True)
        self.file_row = _FileRow(self.tr("选择学习计划"), self.tr("学习计划 (*.docx *.txt)"))
        self.topics_edit = QPlainTextEdit()
        self.topics_edit.setObjectName("wizardTopics")
        self.topics_edit.setPlaceholderText(
            self.tr("例如：\n深入学习领会习近平新时代中国特色社会主义思想")
        )
        self.topics_edit.setTabChangesFocus(True)
        self.topics_edit.setMaximumHeight(110)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(year)
        self.year_spin.setSuffix(self.tr(" 年"))
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel(self.tr("计划年度")))
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(year_row)
        layout.addWidget(self.file_radio)
        layout.addWidget(self.file_row)
        layout.addWidget(self.bundled_radio)
        layout.addWidget(
            _hint(
                self.tr(
                    "    内置计划是市科学技术局的 {year} 年计划，供参考；其中的专题可以逐个修改。"
                ).format(year=BUNDLED_YEAR)
            )
        )
        layout.addWidget(self.empty_radio)
        layout.addWidget(self.topics_edit)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self._update()

    def _update(self) -> None:
        self.file_row.setEnabled(self.file_radio.isChecked())
        self.topics_edit.setEnabled(self.empty_radio.isChecked())
        self.year_spin.setEnabled(not self.bundled_radio.isChecked())
        if self.bundled_radio.isChecked():
            self.year_spin.setValue(BUNDLED_YEAR)

    def choice(self) -> PlanChoice:
        if self.file_radio.isChecked():
            return PlanChoice.FILE
        if self.empty_radio.isChecked():
            return PlanChoice.EMPTY
        return PlanChoice.BUNDLED

    def topics(self) -> tuple[str, ...]:
        return tuple(line for line in self.topics_edit.toPlainText().splitlines() if line.strip())

    def validatePage(self) -> bool:
        """The chosen file must read as a plan before the wizard goes on."""
        if self.choice() is not PlanChoice.FILE:
            return True
        path = self.file_row.path()
        if path is None:
            QMessageBox.warning(self, self.tr("学习计划"), self.tr("请选择本单位的学习计划文件。"))
            return False
        year = self.year_spin.value()
        read = run_action(
            self,
            self.tr("无法读取计划"),
            lambda: self._context.planning.check_plan_file(path, year),
        )
        return read is not None


class RosterPage(QWizardPage):
    """The roster: a spreadsheet (with a template to download), typed in, or later."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("第三步：中心组成员名单"))
        self.setSubTitle(self.tr("考勤、签到表和补学任务都按成员名单生成。"))
        self.file_radio = QRadioButton(self.tr("导入 Excel 名单（.xlsx 或 .xls）"))
        self.file_radio.setObjectName("wizardRosterFile")
        self.typed_radio = QRadioButton(self.tr("逐个录入（每行一人：姓名 职务）"))
        self.typed_radio.setObjectName("wizardRosterTyped")
        self.later_radio = QRadioButton(self.tr("稍后在“成员”页添加"))
        self.later_radio.setObjectName("wizardRosterLater")
        self.group = QButtonGroup(self)
        for radio in (self.file_radio, self.typed_radio, self.later_radio):
            self.group.addButton(radio)
        self.later_radio.setChecked(True)
        self.file_row = _FileRow(self.tr("选择成员名单"), self.tr("Excel 名单 (*.xlsx *.xls)"))
        self.template_button = QPushButton(self.tr("下载名单模板…"))
        self.template_button.setObjectName("wizardRosterTemplate")
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(self.save_template)
        template_row = QHBoxLayout()
        template_row.setContentsMargins(24, 0, 0, 0)
        template_row.addWidget(self.template_button)
        template_row.addWidget(
            _hint(
                self.tr("模板中有“序号、姓名、职务、角色、部门”各列和一行示例，按此填写后导入。")
            ),
            1,
        )
        self.members_edit = QPlainTextEdit()
        self.members_edit.setObjectName("wizardMembers")
        self.members_edit.setPlaceholderText(
            self.tr("例如：\n王建国 局党组书记、局长\n李红梅 副局长")
        )
        self.members_edit.setTabChangesFocus(True)
        self.members_edit.setMaximumHeight(110)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_radio)
        layout.addWidget(self.file_row)
        layout.addLayout(template_row)
        layout.addWidget(self.typed_radio)
        layout.addWidget(self.members_edit)
        layout.addWidget(self.later_radio)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self._update()

    def _update(self) -> None:
        self.file_row.setEnabled(self.file_radio.isChecked())
        self.members_edit.setEnabled(self.typed_radio.isChecked())

    def save_template(self) -> Path | None:
        """Ask where, then save the roster template; its path goes into the file box."""
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("下载名单模板"), "中心组成员名单（模板）.xlsx", self.tr("Excel (*.xlsx)")
        )
        if not name:
            return None
        path = save_target(self, name, (".xlsx",), ".xlsx")
        if path is None:
            return None
        written = run_action(self, self.tr("保存失败"), lambda: save_roster_template(path))
        if written is not None:
            self.file_radio.setChecked(True)
            self.file_row.edit.setText(str(written))
            QMessageBox.information(
                self,
                self.tr("下载名单模板"),
                self.tr(
                    "已保存名单模板：{path}\n\n用 Excel 或 WPS 填写后保存，再点“完成”导入。"
                ).format(path=written),
            )
        return written

    def choice(self) -> RosterChoice:
        if self.file_radio.isChecked():
            return RosterChoice.FILE
        if self.typed_radio.isChecked():
            return RosterChoice.TYPED
        return RosterChoice.LATER

    def members(self) -> tuple[tuple[str, str], ...]:
        typed = []
        for line in self.members_edit.toPlainText().splitlines():
            name, _, position = line.strip().partition(" ")
            if name:
                typed.append((name, position.strip()))
        return tuple(typed)

    def validatePage(self) -> bool:
        if self.choice() is RosterChoice.FILE and self.file_row.path() is None:
            QMessageBox.warning(self, self.tr("成员名单"), self.tr("请选择成员名单文件。"))
            return False
        return True
