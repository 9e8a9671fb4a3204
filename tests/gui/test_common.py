"""The file name a save dialog returns: a dot in it is part of the name, and a suffix added
to it never replaces an existing file without asking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from studyplan.gui.common import save_target, with_suffix_added

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("签到表", "签到表.pdf"),
        ("2026.11.12签到表", "2026.11.12签到表.pdf"),
        ("签到表 v1.2", "签到表 v1.2.pdf"),
        ("签到表.pdf", "签到表.pdf"),
        ("签到表.PDF", "签到表.PDF"),
        ("签到表.xlsx", "签到表.xlsx.pdf"),
    ],
)
def test_a_missing_suffix_is_added_after_the_whole_name(typed: str, expected: str) -> None:
    folder = Path("/tmp/导出")
    assert with_suffix_added(folder / typed, (".pdf",), ".pdf") == folder / expected


def test_any_allowed_suffix_is_kept() -> None:
    assert with_suffix_added(Path("名单.XLS"), (".xlsx", ".xls"), ".xlsx") == Path("名单.XLS")


class Questions:
    """Every question put to the user, answered with `answer`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        self.answer = NO
        monkeypatch.setattr(QMessageBox, "question", self._question)

    def _question(self, *args, **_kwargs):
        self.asked.append(args[2])
        return self.answer


@pytest.fixture
def questions(monkeypatch) -> Questions:
    return Questions(monkeypatch)


def test_an_existing_file_the_suffix_leads_to_is_replaced_only_after_yes(
    qtbot, tmp_path: Path, questions: Questions
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    existing = tmp_path / "签到表 v1.2.pdf"
    existing.write_bytes(b"earlier")
    assert save_target(parent, str(tmp_path / "签到表 v1.2"), (".pdf",), ".pdf") is None
    assert questions.asked == ["文件 签到表 v1.2.pdf 已存在，要替换它吗？"]
    assert existing.read_bytes() == b"earlier"

    questions.answer = YES
    assert save_target(parent, str(tmp_path / "签到表 v1.2"), (".pdf",), ".pdf") == existing


def test_no_question_for_a_new_file_or_the_name_the_dialog_asked_about(
    qtbot, tmp_path: Path, questions: Questions
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    (tmp_path / "签到表.pdf").write_bytes(b"earlier")
    assert save_target(parent, tmp_path / "签到表.pdf", (".pdf",), ".pdf") == (
        tmp_path / "签到表.pdf"
    )
    assert save_target(parent, tmp_path / "新签到表", (".pdf",), ".pdf") == (
        tmp_path / "新签到表.pdf"
    )
    assert questions.asked == []
