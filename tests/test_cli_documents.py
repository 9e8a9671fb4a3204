"""`studyplan export notice|record|brief SESSION OUT.docx [--template FILE.docx]`."""

from __future__ import annotations

import json

import pytest
from docx import Document

from studyplan.cli import main
from studyplan.io.documents.templates import bundled_template
from tests.documents_demo import (
    TODAY,
    all_text,
    build,
    copy_of,
    first_session_with_leave_and_absence,
    open_copy,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def dbfile(built, tmp_path):
    return str(copy_of(built, tmp_path / "data"))


@pytest.fixture(scope="module")
def session(built, tmp_path_factory):
    context = open_copy(built, tmp_path_factory.mktemp("look"))
    try:
        found = first_session_with_leave_and_absence(context)
        speeches = [s.speaker for s in context.records.speeches(found.id)]
        return found, speeches
    finally:
        context.close()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args), today=TODAY)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("what", "label"), [("notice", "学习通知"), ("record", "学习记录"), ("brief", "学习简报")]
)
def test_each_document_from_the_command_line(capsys, dbfile, session, tmp_path, what, label):
    found, speakers = session
    _, listing, _ = run(capsys, "--db", dbfile, "sessions", "--format", "json")
    assert found.id in [s["id"] for s in json.loads(listing)]
    out = tmp_path / f"{what}.docx"
    code, printed, err = run(capsys, "--db", dbfile, "export", what, str(found.id), str(out))
    assert code == 0, err
    assert printed == f"已导出{label}：{out}\n"
    text = all_text(out)
    assert f"{found.date.month}月{found.date.day}日" in text and found.host in text
    assert "{{" not in text and "{%" not in text
    if what != "notice":
        assert all(name in text for name in speakers)


def test_a_template_given_on_the_command_line_is_used(capsys, dbfile, session, tmp_path):
    found, _ = session
    template = tmp_path / "红头通知.docx"
    document = Document(str(bundled_template("notice")))
    document.paragraphs[0].insert_paragraph_before("市科学技术局文件")
    document.save(str(template))
    out = tmp_path / "n.docx"
    args = ["--db", dbfile, "export", "notice", str(found.id), str(out), "--template"]
    code, _, err = run(capsys, *args, str(template))
    assert code == 0, err
    assert Document(str(out)).paragraphs[0].text == "市科学技术局文件"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["notice", "999999", "{tmp}/n.docx"], "999999"),
        (["record", "{id}", "{tmp}/r.pdf"], ".docx"),
        (["brief", "{id}", "{tmp}/no-such-folder/b.docx"], "保存位置不存在"),
        (["notice", "{id}", "{tmp}/n.docx", "--template", "{tmp}/坏.docx"], "坏.docx"),
        (["notice", "{id}", "{tmp}/n.docx", "--template", "{tmp}/escape.docx"], "程序内部"),
        (["notice", "{id}", "{tmp}/n.docx", "--template", "{tmp}/无.docx"], "找不到"),
        (["notice", "{id}", "{tmp}/n.docx", "--template", "{tmp}/t.txt"], ".docx"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, dbfile, session, tmp_path, args, words):
    found, _ = session
    (tmp_path / "坏.docx").write_bytes(b"not a word document")
    escape = Document(str(bundled_template("notice")))
    escape.add_paragraph("{{ ''.__class__.__mro__ }}")
    escape.save(str(tmp_path / "escape.docx"))
    filled = [a.format(tmp=tmp_path, id=found.id) for a in args]
    code, out, err = run(capsys, "--db", dbfile, "export", *filled)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err
    assert not list(tmp_path.glob("n.docx")) and not list(tmp_path.glob("*.pdf"))
