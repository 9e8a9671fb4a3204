"""Which documents a session can have, by where it stands."""

from __future__ import annotations

import datetime as dt

from studyplan.model.plan import Session, SessionStatus


def test_a_session_says_which_documents_it_can_have() -> None:
    session = Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17))
    assert session.document_refusal("notice") is None
    assert session.document_refusal("record") is None  # the page to fill in by hand
    assert "尚未举行" in (session.document_refusal("brief") or "")
    session.status = SessionStatus.HELD
    assert [session.document_refusal(k) for k in ("notice", "record", "brief")] == [None] * 3
    session.status = SessionStatus.CANCELLED
    assert session.document_refusal("notice") == "2026-03-12 的学习已取消，不生成文书。"
