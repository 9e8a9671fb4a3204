"""The template engine: a .docx with Jinja placeholders, rendered in the sandbox."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from docx import Document

from studyplan.io.documents.render import TemplateError, render_docx
from studyplan.model.errors import StudyplanError


def make_template(path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def tiny_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def test_renders_values_lists_and_escapes_xml(tmp_path):
    template = make_template(
        tmp_path / "通知.docx",
        "关于{{ title }}的通知",
        "{%p for name in names %}",
        "{{ loop.index }}. {{ name }}",
        "{%p endfor %}",
        "地点：{{ place }}",
    )
    out = tmp_path / "out.docx"
    render_docx(
        template,
        {"title": "学习<二十大>精神", "names": ["张三", "李四"], "place": "A&B 会议室"},
        out,
    )
    assert texts(out) == ["关于学习<二十大>精神的通知", "1. 张三", "2. 李四", "地点：A&B 会议室"]


def test_an_image_goes_under_its_key(tmp_path):
    template = make_template(tmp_path / "t.docx", "图：{{ chart }}")
    out = tmp_path / "out.docx"
    render_docx(template, {}, out, images={"chart": (tiny_png(tmp_path / "c.png"), 80.0)})
    shapes = Document(str(out)).inline_shapes
    assert len(shapes) == 1
    assert abs(shapes[0].width.mm - 80.0) < 0.5


def refused(tmp_path: Path, template: Path, context: dict[str, object]) -> str:
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as caught:
        render_docx(template, context, out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    message = str(caught.value)
    assert isinstance(caught.value, StudyplanError)
    assert template.name in message
    assert message.count("。") == 1 and message.endswith("。")
    return message


def test_an_unknown_placeholder_is_named(tmp_path):
    template = make_template(tmp_path / "我的通知.docx", "正文", "主持人：{{ chair }}")
    message = refused(tmp_path, template, {"host": "王局长"})
    assert "chair" in message and "主持人：" in message


def test_an_unknown_attribute_is_named(tmp_path):
    template = make_template(tmp_path / "t.docx", "{{ session.room }}")
    assert "room" in refused(tmp_path, template, {"session": {"place": "x"}})


def test_a_syntax_error_names_the_passage(tmp_path):
    template = make_template(tmp_path / "t.docx", "第一段", "时间：{{ date }", "第三段")
    message = refused(tmp_path, template, {"date": "今天"})
    assert "写法错误" in message and "时间：" in message


def test_an_unclosed_block_is_refused(tmp_path):
    template = make_template(tmp_path / "t.docx", "{% if x %}是")
    assert "写法错误" in refused(tmp_path, template, {"x": True})


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ title.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_a_sandbox_escape_is_refused(tmp_path, escape):
    template = make_template(tmp_path / "t.docx", escape)
    message = refused(tmp_path, template, {"title": "x"})
    assert "程序内部" in message or "无法识别" in message


def test_a_sandbox_escape_through_a_method_is_refused(tmp_path):
    template = make_template(tmp_path / "t.docx", "{{ title.format.__globals__ }}")
    refused(tmp_path, template, {"title": "x"})


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04 broken", "zip-without-document"]
)
def test_a_broken_docx_is_refused(tmp_path, content):
    template = tmp_path / "坏模板.docx"
    if content == "zip-without-document":
        import zipfile

        with zipfile.ZipFile(template, "w") as z:
            z.writestr("hello.txt", "x")
    else:
        template.write_bytes(content)
    assert "不是有效的 Word 文档" in refused(tmp_path, template, {})


def test_a_missing_template_is_refused(tmp_path):
    with pytest.raises(TemplateError, match="找不到"):
        render_docx(tmp_path / "无.docx", {}, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_an_error_leaves_an_earlier_file_as_it_was(tmp_path):
    out = tmp_path / "out.docx"
    out.write_bytes(b"earlier")
    template = make_template(tmp_path / "t.docx", "{{ missing }}")
    with pytest.raises(TemplateError):
        render_docx(template, {}, out)
    assert out.read_bytes() == b"earlier"


def test_a_placeholder_left_after_rendering_is_refused(tmp_path):
    # docxtpl prints "{_{" as a literal "{{": a document must not carry one.
    template = make_template(tmp_path / "t.docx", "说明：{_{ date }_}")
    message = refused(tmp_path, template, {})
    assert "未能套用" in message


def test_a_header_placeholder_is_rendered(tmp_path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ unit }}"
    doc.add_paragraph("正文")
    template = tmp_path / "t.docx"
    doc.save(str(template))
    out = tmp_path / "out.docx"
    render_docx(template, {"unit": "市科学技术局"}, out)
    assert Document(str(out)).sections[0].header.paragraphs[0].text == "市科学技术局"


def test_an_unwritable_target_is_refused_before_rendering(tmp_path):
    from studyplan.model.errors import ExportFileError

    template = make_template(tmp_path / "t.docx", "x")
    with pytest.raises(ExportFileError):
        render_docx(template, {}, tmp_path / "no-such-folder" / "out.docx")


def test_a_missing_or_unreadable_picture_is_refused(tmp_path):
    from studyplan.model.errors import ImportFileError

    template = make_template(tmp_path / "t.docx", "图：{{ chart }}")
    out = tmp_path / "out.docx"
    with pytest.raises(ImportFileError, match="找不到图片"):
        render_docx(template, {}, out, images={"chart": tmp_path / "none.png"})
    (tmp_path / "bad.png").write_bytes(b"not a picture")
    with pytest.raises(ImportFileError, match="图片无法识别"):
        render_docx(template, {}, out, images={"chart": tmp_path / "bad.png"})
    assert not out.exists()


@pytest.mark.parametrize("title", ["{{测试}}", "{% 不是指令 %}", "{# 注 #}", "{_{ 原样 }_}"])
def test_braces_in_the_record_print_as_typed(tmp_path, title):
    # The record's own text is data, not a placeholder: only the template's are checked.
    template = make_template(tmp_path / "t.docx", "题目：{{ title }}", "{{ names|join('、') }}")
    out = tmp_path / "out.docx"
    render_docx(template, {"title": title, "names": [title, "李四"]}, out)
    assert texts(out) == [f"题目：{title}", f"{title}、李四"]


def test_braces_in_a_header_value_print_as_typed(tmp_path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "{{ unit }}"
    doc.core_properties.title = "{{ unit }}"
    doc.add_paragraph("正文")
    template = tmp_path / "t.docx"
    doc.save(str(template))
    out = tmp_path / "out.docx"
    render_docx(template, {"unit": "{{A&B}}局"}, out)
    written = Document(str(out))
    assert written.sections[0].header.paragraphs[0].text == "{{A&B}}局"
    assert written.core_properties.title == "{{A&B}}局"  # plain text, not XML-escaped


def test_a_raw_block_left_in_the_template_is_still_refused(tmp_path):
    template = make_template(
        tmp_path / "t.docx", "题目：{{ title }}", "{% raw %}{{ x }}{% endraw %}"
    )
    message = refused(tmp_path, template, {"title": "{{测试}}"})
    assert "未能套用" in message and "{{ x }}" in message


def test_a_placeholder_in_a_part_that_is_not_rendered_is_refused(tmp_path):
    # A comment is not rendered by docxtpl: its placeholder would stay in the document.
    doc = Document()
    paragraph = doc.add_paragraph("正文")
    doc.add_comment(paragraph.runs[0] if paragraph.runs else paragraph.add_run("x"), "{{ host }}")
    template = tmp_path / "t.docx"
    doc.save(str(template))
    message = refused(tmp_path, template, {"host": "王局长"})
    assert "未能套用" in message and "{{ host }}" in message


def test_a_leftover_is_quoted_as_it_reads(tmp_path):
    template = make_template(tmp_path / "t.docx", "{% raw %}{{ x }}{% endraw %}{{ a }}")
    message = refused(tmp_path, template, {"a": "A&B{c}"})
    assert "“{{ x }}A&B{c}”" in message
