"""Session documents from the calendar and the 学习记录 view, and 设置 → 文书模板."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from studyplan.gui import documents as gui_documents
from studyplan.gui import exporting
from studyplan.gui.exporting import tell_written as real_tell_written
from studyplan.gui.main_window import MainWindow
from studyplan.gui.settings_dialog import SettingsDialog
from studyplan.io.documents.templates import README_NAME, bundled_template
from tests.documents_demo import all_text, build, first_session_with_leave_and_absence, open_copy
from tests.gui.test_exporting import click_when_shown


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def context(built, tmp_path):
    context = open_copy(built, tmp_path / "data")
    yield context
    context.close()


@pytest.fixture
def window(qtbot, context):
    main = MainWindow(context)
    qtbot.addWidget(main)
    return main


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path; the unit's name is confirmed as
    offered; messages are noted, not shown."""
    seen: dict[str, list] = {"save": [], "asked": [], "info": [], "warning": []}

    def save(parent, title, suggested, filters):
        seen["save"].append(suggested)
        return str(tmp_path / f"out{len(seen['save'])}.docx"), filters

    def get_text(parent, title, label, *args, text="", **kwargs):
        seen["asked"].append(text)
        return text, True

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, m, *a: seen["info"].append(m))
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, m, *a: seen["warning"].append(m))
    return seen


def click_in_calendar_menu(window, session, text: str) -> None:
    page = window.calendar
    page.set_month(session.date.year, session.date.month)

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        action = next(a for a in menu.actions() if a.text() == text)
        menu.close()
        action.trigger()

    QTimer.singleShot(0, choose)
    view = page.view
    view.customContextMenuRequested.emit(
        view.visualRect(page.model.index_for_date(session.date)).center()
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [("生成学习通知…", "notice"), ("生成学习记录…", "record"), ("生成学习简报…", "brief")],
)
def test_each_document_from_the_calendar_menu(window, context, dialogs, tmp_path, text, kind):
    session = first_session_with_leave_and_absence(context)
    click_in_calendar_menu(window, session, text)
    out = tmp_path / "out1.docx"
    assert out.is_file(), dialogs["warning"]
    body = all_text(out)
    assert session.host in body and f"{session.date.month}月{session.date.day}日" in body
    assert "{{" not in body
    assert dialogs["info"] == [f"已保存：{out}"]
    assert dialogs["save"][0].endswith(".docx") and str(session.date.year) in dialogs["save"][0]


def test_the_first_export_asks_for_the_unit_name_once(window, context, dialogs, tmp_path):
    session = first_session_with_leave_and_absence(context)
    assert not context.unit.is_set()
    derived = context.unit.unit_name(session.year)
    assert derived  # the demo plan's title names the unit
    window.documents.export("notice", session.id)
    assert dialogs["asked"] == [derived]
    assert context.unit.is_set() and context.unit.details().name == derived
    window.documents.export("record", session.id)
    assert dialogs["asked"] == [derived]  # not asked again
    assert derived in all_text(tmp_path / "out1.docx")


def test_cancelling_the_unit_name_writes_nothing(window, context, dialogs, monkeypatch, tmp_path):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    session = first_session_with_leave_and_absence(context)
    assert window.documents.export("brief", session.id) is None
    assert dialogs["save"] == [] and not list(tmp_path.glob("*.docx"))
    assert context.unit.next_brief_number() == 1


def test_each_document_from_the_records_view(window, context, dialogs, tmp_path):
    session = first_session_with_leave_and_absence(context)
    window.show_view("records")
    view = window.views.get("records")
    view.set_session(session.id)
    for number, kind in enumerate(("notice", "record", "brief"), start=1):
        action = next(
            a
            for a in view.documents_button.menu().actions()
            if a.objectName() == f"document_{kind}"
        )
        action.trigger()
        assert (tmp_path / f"out{number}.docx").is_file(), dialogs["warning"]
    record = all_text(tmp_path / "out2.docx")
    for speech in context.records.speeches(session.id):
        assert speech.speaker in record


def test_a_refused_template_says_why_and_writes_nothing(window, context, dialogs, tmp_path):
    folder = context.templates_folder
    folder.mkdir()
    document = Document(str(bundled_template("record")))
    document.add_paragraph("{{ ''.__class__.__mro__ }}")
    document.save(str(folder / "学习记录.docx"))
    session = first_session_with_leave_and_absence(context)
    assert window.documents.export("record", session.id) is None
    assert len(dialogs["warning"]) == 1 and "学习记录.docx" in dialogs["warning"][0]
    assert not (tmp_path / "out1.docx").exists()


def test_a_refused_write_says_why_and_reopens_the_save_dialog(
    window, context, dialogs, monkeypatch, tmp_path
):
    a_file = tmp_path / "不是文件夹"
    a_file.write_text("x", "utf-8")  # its "folder" is a file: nobody can write there
    answers = iter([a_file / "通知.docx", tmp_path / "别处" / "通知", ""])
    (tmp_path / "别处").mkdir()
    asked: list[str] = []

    def save(parent, title, start, filters):
        asked.append(start)
        return str(next(answers)), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    session = first_session_with_leave_and_absence(context)
    written = window.documents.export("notice", session.id)
    assert dialogs["warning"] == [f"保存位置不是文件夹：{a_file}"]
    assert asked[1] == str(a_file / "通知.docx")  # reopened on the refused name
    assert written == tmp_path / "别处" / "通知.docx"  # the suffix added
    assert session.host in all_text(written)
    assert dialogs["info"] == [f"已保存：{written}"]
    assert len(dialogs["asked"]) == 1  # the unit's name asked once, before the dialog
    assert window.documents.export("record", session.id) is None  # cancelled, but it
    assert Path(asked[2]).parent == tmp_path / "别处"  # started where the last one went


@pytest.mark.parametrize(("button", "opened"), [("打开文件", "out1.docx"), ("打开所在文件夹", "")])
def test_the_message_after_a_document_opens_the_file_or_its_folder(
    window, context, dialogs, monkeypatch, tmp_path, button, opened
):
    monkeypatch.setattr(exporting, "tell_written", real_tell_written)
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    session = first_session_with_leave_and_absence(context)
    said = click_when_shown("exportDone", button)
    window.documents.export("brief", session.id)
    assert said == [f"已保存：{tmp_path / 'out1.docx'}"]
    assert [Path(u.toLocalFile()) for u in urls] == [tmp_path / opened if opened else tmp_path]


def test_settings_lists_the_templates_opens_the_folder_and_restores(
    window, context, qtbot, monkeypatch, replies
):
    opened = []
    monkeypatch.setattr(gui_documents, "open_folder", lambda path: opened.append(path) or True)
    folder = context.templates_folder
    folder.mkdir()
    (folder / "学习简报.docx").write_bytes(bundled_template("brief").read_bytes())
    dialog = SettingsDialog(context, window)
    qtbot.addWidget(dialog)
    box = dialog.templates
    assert set(box.rows) >= {"notice", "record", "brief"}
    state, opener, restore = box.rows["brief"]
    assert state.text() == "本单位模板" and restore.isEnabled()
    assert box.rows["notice"][0].text() == "程序自带" and not box.rows["notice"][2].isEnabled()
    opener.click()
    assert opened == [folder] and (folder / README_NAME).is_file()
    assert "{{ number }}" not in (folder / README_NAME).read_text("utf-8-sig")
    replies(QMessageBox.StandardButton.Yes)
    restore.click()
    assert not (folder / "学习简报.docx").exists()
    assert state.text() == "程序自带" and not restore.isEnabled()


def test_a_refused_place_reopens_the_save_dialog_and_the_message_opens_the_file(
    window, context, dialogs, monkeypatch, tmp_path
):
    from studyplan.gui import exporting

    blocker = tmp_path / "一个文件"
    blocker.write_text("x")
    places = iter([str(blocker / "通知.docx"), str(tmp_path / "通知.docx")])
    starts: list[str] = []

    def save(parent, title, start, filters):
        starts.append(start)
        return next(places), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    told: list[tuple[str, object, bool]] = []
    monkeypatch.setattr(
        exporting,
        "tell_written",
        lambda p, t, sentence, path, *, openable=True: told.append((sentence, path, openable)),
    )
    session = first_session_with_leave_and_absence(context)
    written = window.documents.export("notice", session.id)
    assert written == tmp_path / "通知.docx" and written.is_file()
    assert len(dialogs["warning"]) == 1 and "一个文件" in dialogs["warning"][0]
    assert starts[1].endswith("通知.docx")  # the same name, to be put elsewhere
    assert told == [(f"已保存：{written}", written, True)]  # with 打开文件 and its folder


def test_an_emptied_unit_name_is_asked_again_not_dropped(
    window, context, dialogs, monkeypatch, tmp_path
):
    answers = iter([("  ", True), ("市科学技术局", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    session = first_session_with_leave_and_absence(context)
    assert window.documents.export("notice", session.id) == tmp_path / "out1.docx"
    assert dialogs["warning"] == ["请填写单位名称。"]
    assert context.unit.details().name == "市科学技术局"
