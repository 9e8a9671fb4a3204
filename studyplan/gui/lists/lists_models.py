"""Table models of the 三张清单 view, one per list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from studyplan.gui.common import AnyIndex, ObjectRole, RowTableModel
from studyplan.model.duties import ResultLine, SessionLine, SpeakerState, TopicLine
from studyplan.model.plan import SessionStatus

#: Overdue and missing as the make-ups show them (请假与补学).
OVERDUE_BACKGROUND = QColor("#fee2e2")
OVERDUE_FOREGROUND = QColor("#991b1b")
MET_FOREGROUND = QColor("#15803d")


def speakers_text(line: TopicLine | SessionLine) -> str:
    return "；".join(
        s.name + (f"（{s.speaker.subject}）" if s.speaker.subject else "") for s in line.speakers
    )


def states_text(line: TopicLine | SessionLine) -> str:
    return "；".join(f"{s.name} {s.state.label}" for s in line.speakers)


def _missing(line: TopicLine | SessionLine) -> bool:
    return any(s.state is SpeakerState.MISSING for s in line.speakers)


class DutyModel(RowTableModel):
    """学习责任清单: each topic, then each session, with who hosts, leads and speaks."""

    COL_WHAT, COL_HOST, COL_LECTURER, COL_SPEAKERS, COL_DEPARTMENT, COL_STATE = range(6)
    HEADERS = ("专题或场次", "主持人", "领学/辅导人", "重点发言人（题目）", "责任处室", "发言落实")
    CENTERED = frozenset((COL_HOST, COL_LECTURER, COL_DEPARTMENT))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        line = self.row(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(line, TopicLine):
                a = line.arrangement
                what = f"专题{line.topic.number} {line.topic.title}"
                host, lecturer, department = a.host, a.lecturer, a.department
            else:
                session = line.session
                what = f"{session.date:%Y-%m-%d} 学习（{session.status.label}）"
                host, lecturer, department = session.host, session.lecturer, line.department
            return (what, host, lecturer, speakers_text(line), department, states_text(line))[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole and column in (
            self.COL_WHAT,
            self.COL_SPEAKERS,
            self.COL_STATE,
        ):
            return self.data(index)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_STATE:
            if _missing(line):
                return OVERDUE_FOREGROUND
            if line.speakers and all(s.state is SpeakerState.MET for s in line.speakers):
                return MET_FOREGROUND
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COL_STATE and _missing(line):
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return line
        return None


class TaskModel(RowTableModel):
    """学习任务清单: each topic's readings, form, month and the sessions that covered it."""

    COL_TOPIC, COL_READINGS, COL_FORM, COL_MONTH, COL_SESSIONS, COL_DONE = range(6)
    HEADERS = ("专题", "学习内容（篇目）", "学习形式", "计划月份", "学习场次", "完成情况")
    CENTERED = frozenset((COL_FORM, COL_MONTH, COL_DONE))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        line: TopicLine | None = self.row(index)
        if line is None:
            return None
        column = index.column()
        held = any(s.status is SessionStatus.HELD for s in line.sessions)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            month = line.arrangement.month
            return (
                f"专题{line.topic.number} {line.topic.title}",
                "；".join(line.topic.readings),
                line.arrangement.form,
                f"{month}月" if month else "",
                "；".join(f"{s.date:%m-%d} {s.status.label}" for s in line.sessions),
                "已学" if held else "未学",
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return line
        return None


class ResultModel(RowTableModel):
    """成果转化清单: an overdue result is flagged as an overdue make-up is."""

    COL_TARGET, COL_NAME, COL_KIND, COL_OWNER, COL_DUE, COL_PROGRESS, COL_EFFECT = range(7)
    HEADERS = ("对应专题或场次", "成果名称", "类型", "责任人", "完成时限", "进展", "成效说明")
    CENTERED = frozenset((COL_KIND, COL_OWNER, COL_DUE, COL_PROGRESS))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        line: ResultLine | None = self.row(index)
        if line is None:
            return None
        column = index.column()
        result = line.result
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                line.target,
                result.name,
                result.kind,
                line.owner,
                f"{result.due:%Y-%m-%d}" if result.due else "",
                "已逾期" if line.overdue else result.progress.label,
                result.effect,
            )[column]
        if line.overdue and column in (self.COL_DUE, self.COL_PROGRESS):
            if role == Qt.ItemDataRole.BackgroundRole:
                return OVERDUE_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return OVERDUE_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == ObjectRole:
            return line
        return None
