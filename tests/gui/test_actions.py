"""The one way a click runs a use case: its result, or its sentence in a warning."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from studyplan.gui.actions import run_action
from studyplan.model.errors import ValidationError


def test_a_refusal_is_shown_once_and_nothing_follows(qapp, monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, t, text: shown.append((t, text)))
    followed: list[object] = []

    def refuse() -> int:
        raise ValidationError("请填写请假事由。")

    assert run_action(None, "无法登记请假", refuse, after=followed.append) is None
    assert shown == [("无法登记请假", "请填写请假事由。")] and followed == []


def test_a_success_is_handed_on_and_returned(qapp, monkeypatch) -> None:
    shown: list[tuple] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a))
    followed: list[object] = []
    assert run_action(None, "无法保存", lambda: 7, after=followed.append) == 7
    assert followed == [7] and shown == []
