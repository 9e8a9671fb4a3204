"""The document kinds, their bundled templates and the unit's templates folder."""

from __future__ import annotations

import re
import zipfile

import pytest
from docx import Document
from docx.shared import Mm

from studyplan.io.documents import templates
from studyplan.io.documents.render import TemplateError
from studyplan.io.documents.templates import (
    KINDS,
    bundled_template,
    prepare_folder,
    restore_default,
    template_for,
    write_folder_readme,
)

SESSION_KINDS = ("notice", "record", "brief")


def placeholders_in(path) -> set[str]:
    """Every name a template's {{ … }} uses first (before a dot or a filter)."""
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    loops = set(re.findall(r"for (\w+) in", text))
    names = set(re.findall(r"\{\{\s*(\w+)", text))
    names |= set(re.findall(r"\{%p? *(?:if|for \w+ in) (?:not )?(\w+)", text))
    return names - loops - {"loop"}


@pytest.mark.parametrize("key", SESSION_KINDS)
def test_each_session_template_uses_only_its_listed_placeholders(key):
    path = bundled_template(key)
    assert path.is_file()
    assert placeholders_in(path) <= set(KINDS[key].placeholders)


@pytest.mark.parametrize("key", SESSION_KINDS)
def test_the_bundled_layout_is_the_official_page(key):
    document = Document(str(bundled_template(key)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid"
    )
    assert (
        grid.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}linePitch") == "579"
    )  # 22 lines in 225 mm
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    fonts = normal.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋_GB2312"
    )
    title = document.styles["公文标题"].element.rPr.rFonts
    assert "小标宋" in title.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer and " —" in footer
    assert Mm(150) < section.page_width - section.left_margin - section.right_margin


def test_font_fallbacks_are_named_in_the_font_table():
    with zipfile.ZipFile(bundled_template("notice")) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="仿宋_GB2312".*?w:altName w:val="仿宋"', fonts)
    assert re.search(r'w:name="方正小标宋简体".*?w:altName w:val="宋体"', fonts)


def test_list_tables_repeat_their_header_row():
    with zipfile.ZipFile(bundled_template("record")) as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") == 2  # the speeches and the make-ups


def test_the_units_own_copy_wins_and_restore_default_moves_it_aside(tmp_path):
    assert template_for("notice", tmp_path) == bundled_template("notice")
    assert template_for("notice", None) == bundled_template("notice")
    own = tmp_path / "学习通知.docx"
    own.write_bytes(bundled_template("notice").read_bytes())
    assert template_for("notice", tmp_path) == own
    kept = restore_default("notice", tmp_path)
    assert kept is not None and kept.is_file() and not own.exists()
    assert kept.parent.name == templates.REPLACED_FOLDER
    assert template_for("notice", tmp_path) == bundled_template("notice")
    assert restore_default("notice", tmp_path) is None
    own.write_bytes(b"second")
    second = restore_default("notice", tmp_path)
    assert second is not None and second != kept and second.read_bytes() == b"second"


def test_a_report_without_its_template_yet_says_so(tmp_path):
    for key in ("quarter_report", "annual_report"):
        assert key in KINDS
        if (
            not (templates.resources.files("studyplan.io.documents") / "templates")
            .joinpath(KINDS[key].file_name)
            .is_file()
        ):
            with pytest.raises(TemplateError, match=KINDS[key].label):
                template_for(key, tmp_path)
    with pytest.raises(TemplateError):
        template_for("memo", tmp_path)


def test_the_folder_is_prepared_with_defaults_and_a_readme(tmp_path):
    folder = prepare_folder(tmp_path / "文书模板")
    for key in SESSION_KINDS:
        assert (folder / templates.DEFAULTS_FOLDER / KINDS[key].file_name).is_file()
    readme = (folder / templates.README_NAME).read_text("utf-8-sig")
    for kind in KINDS.values():
        assert kind.file_name in readme
        for name in kind.placeholders:
            assert f"  {name}：" in readme
    # the defaults are copies to start from: they do not replace the bundled template
    assert template_for("notice", folder) == bundled_template("notice")
    write_folder_readme(folder)
    assert (folder / templates.README_NAME).read_text("utf-8-sig") == readme


def test_an_edited_default_copy_is_kept_aside_not_overwritten(tmp_path):
    folder = prepare_folder(tmp_path / "文书模板")
    copy = folder / templates.DEFAULTS_FOLDER / "学习通知.docx"
    copy.write_bytes(b"edited in place")
    prepare_folder(folder)
    assert copy.read_bytes() == bundled_template("notice").read_bytes()
    kept = list((folder / templates.REPLACED_FOLDER).iterdir())
    assert [p.read_bytes() for p in kept] == [b"edited in place"]
    prepare_folder(folder)  # unchanged copies stay as they are
    assert len(list((folder / templates.REPLACED_FOLDER).iterdir())) == 1


@pytest.mark.parametrize("key", list(KINDS))
def test_the_theme_names_chinese_fonts_not_japanese_ones(key):
    with zipfile.ZipFile(bundled_template(key)) as package:
        theme = package.read("word/theme/theme1.xml").decode()
        fonts = package.read("word/fontTable.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert "ＭＳ" not in theme and "ＭＳ" not in fonts and 'script="Jpan"' not in theme
    major = re.search(r"<a:majorFont>(.*?)</a:majorFont>", theme, re.S).group(1)
    minor = re.search(r"<a:minorFont>(.*?)</a:minorFont>", theme, re.S).group(1)
    assert '<a:ea typeface="黑体"/>' in major and 'script="Hans" typeface="黑体"' in major
    assert '<a:ea typeface="宋体"/>' in minor and 'script="Hans" typeface="宋体"' in minor
    assert 'w:eastAsia="zh-CN"' in re.search(r"<w:themeFontLang[^>]*>", settings).group(0)


def test_the_records_label_columns_hold_their_longest_label_on_one_line():
    document = Document(str(bundled_template("record")))
    form = document.tables[0]
    widths = [cell.width.mm for cell in form.rows[2].cells]  # 主持人 | … | 记录人 | …
    labels = [
        line
        for row in form.rows
        for index, cell in enumerate(row.cells)
        if index in (0, 2) and cell.paragraphs[0].style.name == "表头文字"
        for line in cell.text.split("\n")
    ]
    assert "迟到、早退" in labels and "领学/辅导" in labels
    longest = max(len(label) for label in labels)
    # 4号 (14 pt) characters, with the cell's margins (1.9 mm a side)
    needed = longest * 14 * 25.4 / 72 + 2 * 1.9
    assert widths[0] >= needed and widths[2] >= needed
    assert round(sum(widths)) == 156  # the values take the rest of the text width
    assert widths[1] > widths[0] and widths[3] > widths[2]
