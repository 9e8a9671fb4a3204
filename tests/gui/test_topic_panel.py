"""The topic table beside the calendar: wrapped titles get the rows they need."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from studyplan.gui.calendar.topic_panel import TopicModel, TopicPanel
from studyplan.gui.common import demibold_font


def test_rows_fit_their_wrapped_titles_and_short_columns_their_text(qtbot, planning) -> None:
    panel = TopicPanel(planning)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.set_year(2026)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    line = table.fontMetrics().height()
    title = table.columnWidth(TopicModel.COL_TITLE)
    for row in range(table.model().rowCount()):
        text = table.model().index(row, TopicModel.COL_TITLE).data()
        needed = table.fontMetrics().boundingRect(
            0, 0, title - 8, 10_000, Qt.TextFlag.TextWordWrap, text
        )
        assert table.rowHeight(row) >= needed.height(), text
    assert table.rowHeight(0) >= 2 * line  # the first 2026 title wraps at this width
    bold = QFontMetrics(demibold_font())
    for column in (TopicModel.COL_NUMBER, TopicModel.COL_STATE, TopicModel.COL_SESSIONS):
        widest = max(
            bold.horizontalAdvance(str(table.model().index(row, column).data()))
            for row in range(table.model().rowCount())
        )
        assert table.columnWidth(column) > widest

    narrow = [table.rowHeight(row) for row in range(table.model().rowCount())]
    panel.resize(700, 700)  # wider: every title fits on one line, and its row shrinks to it
    qtbot.waitUntil(lambda: table.rowHeight(0) < narrow[0])
    for row, before in enumerate(narrow):
        assert table.rowHeight(row) < 2 * line
        assert table.rowHeight(row) <= before
