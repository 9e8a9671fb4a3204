"""Rendering a Word template (.docx with Jinja placeholders) into a document.

A template may come from the unit itself (设置 → 文书模板), so it is rendered in Jinja's
sandbox: it sees only the values it is given, and a placeholder that reaches for Python's
internals is refused. Every failure is one sentence naming the template and the placeholder
or the passage of text where it sits, and nothing is written.

A placeholder the template still holds after rendering is refused, but braces in the
record (a speech titled "{{测试}}") are not: every value a placeholder prints has its braces
written as XML character references (``&#123;``), which Word reads as the same characters
but which are not braces in the rendered XML. So a raw ``{{``/``{%``/``{#`` in what Jinja
gave back can only be the template's own text. That check looks at what was actually
rendered, whatever docxtpl's clean-up of the template did, and it keeps docxtpl from
turning "{_{" in the record into "{{". Comparing the output with the data instead could
not tell a leftover from a value with the same text; checking the template before
rendering would mean predicting which text docxtpl hands to Jinja. The parts docxtpl does
not render at all (comments, endnotes) are checked in the written file, as they stand.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from studyplan.io.files import atomic_write, check_read_source, check_write_target, unzipped_size
from studyplan.model.errors import ImportFileError, StudyplanError

#: The text width of an A4 page with the official margins (210 − 28 − 26 mm): a picture
#: given no width fills it, less a little air.
A4_TEXT_WIDTH_MM = 156.0
DEFAULT_IMAGE_WIDTH_MM = 150.0
#: A .docx template unpacks to a few hundred kilobytes; more than this is not a template.
MAX_TEMPLATE_UNZIPPED = 200 * 1024 * 1024

_MARKERS = ("{{", "{%", "{#")
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<w:p([ >])")


class TemplateError(StudyplanError):
    """A template that cannot be rendered (unknown placeholder, syntax error, an attempt to
    reach Python's internals, not a .docx); nothing was written."""


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Passages:
    """The XML source docxtpl rendered last, split as docxtpl splits it (a paragraph a line),
    so an error's line number can be turned back into the paragraph's text; and the parts
    it rendered, with the first placeholder left in them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.rendered: set[str] = set()
        self.left = ""

    def text(self, lineno: int | None) -> str:
        if lineno is None or not 0 < lineno <= len(self.lines):
            return ""
        return _quote(_TAG.sub("", self.lines[lineno - 1]))


def _template_class(passages: _Passages) -> type:
    from docxtpl import DocxTemplate

    class _Template(DocxTemplate):  # type: ignore[misc]
        def render_xml_part(  # type: ignore[no-untyped-def]
            self, src_xml, part, context, jinja_env=None
        ):
            passages.lines = _PARAGRAPH.sub(r"\n<w:p\1", src_xml).splitlines()
            rendered = super().render_xml_part(src_xml, part, context, jinja_env)
            passages.rendered.add(str(part.partname).lstrip("/"))
            if not passages.left:
                passages.left = _first_marker(rendered)
            return rendered

        def render_properties(  # type: ignore[no-untyped-def]
            self, context, jinja_env=None
        ):
            # The document's title and subject are plain text, not XML: nothing to escape.
            super().render_properties(context, _environment(xml=False))

    return _Template


def _template_line(tb: TracebackType | None) -> int | None:
    """The template line a runtime error happened on (Jinja maps its frames back to it)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _refusal(exc: Exception, name: str, passages: _Passages) -> TemplateError:
    """The one sentence for an error Jinja raised while rendering `name`."""
    from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

    if isinstance(exc, TemplateSyntaxError):
        where = passages.text(exc.lineno)
        at = f"“{where}”处" if where else f"第 {exc.lineno} 行"
        return TemplateError(f"模板“{name}”在{at}有占位符写法错误，未生成文件。")
    where = passages.text(_template_line(exc.__traceback__))
    at = f"（在“{where}”处）" if where else ""
    if isinstance(exc, SecurityError):
        place = f"在“{where}”处" if where else ""
        return TemplateError(f"模板“{name}”{place}试图访问程序内部，已拒绝，未生成文件。")
    if isinstance(exc, UndefinedError):
        found = _UNDEFINED_NAME.search(str(exc))
        placeholder = next((g for g in found.groups() if g), "") if found else ""
        what = f"占位符“{placeholder}”" if placeholder else "一个占位符"
        return TemplateError(f"模板“{name}”中的{what}无法识别{at}，未生成文件。")
    return TemplateError(f"模板“{name}”{at}无法套用（{_quote(str(exc), 40)}），未生成文件。")


def _printed(value: object) -> object:
    """What a placeholder prints: text escaped for XML with its braces as character
    references, so the record's own braces are never taken for a placeholder left over
    (nor turned by docxtpl from "{_{" into "{{"). Pictures and other objects that write
    their own XML pass as they are."""
    if not isinstance(value, str):
        return value
    from markupsafe import Markup, escape

    text = str(escape(value))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def _environment(*, xml: bool = True) -> Any:
    """The sandbox; for XML (the body, headers, footers) values are escaped as `_printed`
    says, for the document properties (plain text) not at all."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    if not xml:
        return SandboxedEnvironment(undefined=StrictUndefined)
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_printed)


def _open_template(template: Path) -> Any:
    """The template, checked to be a readable .docx; TemplateError with a sentence if not."""
    name = template.name
    try:
        check_read_source(template, f"模板“{name}”")
    except ImportFileError as exc:
        raise TemplateError(str(exc)) from exc
    size = unzipped_size(template)
    if size is None or size > MAX_TEMPLATE_UNZIPPED:
        raise TemplateError(f"模板“{name}”不是有效的 Word 文档（.docx），未生成文件。")
    from docx import Document

    try:
        return Document(str(template))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise TemplateError(f"模板“{name}”不是有效的 Word 文档（.docx），未生成文件。") from exc


def _first_marker(xml: str) -> str:
    """The first placeholder in the text of `xml` (tags removed), quoted; or "". Braces
    the record brought are character references here, so they do not count."""
    text = _TAG.sub("", xml)
    found = [at for at in (text.find(marker) for marker in _MARKERS) if at >= 0]
    return _quote(html.unescape(text[min(found) : min(found) + 30])) if found else ""


def _leftover(path: Path, rendered: set[str]) -> str:
    """The first placeholder in a part of the written document that docxtpl did not render
    (`rendered` holds the parts it did), or ""."""
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            name = info.filename
            if not (name.startswith("word/") and name.endswith(".xml")) or name in rendered:
                continue
            left = _first_marker(package.read(info).decode("utf-8", "replace"))
            if left:
                return left
    return ""


def _unrendered(name: str, left: str) -> TemplateError:
    return TemplateError(f"模板“{name}”中有未能套用的占位符“{left}”，未生成文件。")


def render_docx(
    template: Path,
    context: Mapping[str, object],
    out: Path,
    *,
    images: Mapping[str, Path | tuple[Path, float]] | None = None,
) -> None:
    """Render `template` with `context` into `out`, written in one step.

    `images` puts pictures under their context keys (a path, or a path and a width in mm;
    without one a picture fills the A4 text width). A value that is a list of texts is
    there for `{%p for line in … %}` paragraphs; a plain text's line breaks print as spaces.
    TemplateError (one sentence, nothing written) for a template that is not a .docx, a
    placeholder the context lacks, a syntax error, or an escape from the sandbox;
    ExportFileError when `out` cannot be written.
    """
    template, out = Path(template), Path(out)
    check_write_target(out)
    passages = _Passages()
    document = _open_template(template)
    from docx.shared import Mm

    tpl = _template_class(passages)(str(template))
    tpl.docx = document  # already opened and checked above
    values: dict[str, object] = dict(context)
    if images:
        from docxtpl import InlineImage

        for key, picture in images.items():
            path, width = picture if isinstance(picture, tuple) else (picture, None)
            check_read_source(path, "图片")
            values[key] = InlineImage(
                tpl, str(path), width=Mm(min(width or DEFAULT_IMAGE_WIDTH_MM, A4_TEXT_WIDTH_MM))
            )
    from jinja2.exceptions import TemplateError as JinjaError

    try:
        tpl.render(values, jinja_env=_environment(), autoescape=True)
    except JinjaError as exc:
        raise _refusal(exc, template.name, passages) from exc
    except Exception as exc:  # lxml rejects what a template produced (a tag cut in two)
        if isinstance(exc, StudyplanError):
            raise
        if type(exc).__name__ == "UnrecognizedImageError":
            raise ImportFileError("文书中的图片无法识别（应为 PNG 或 JPEG），未生成文件。") from exc
        raise TemplateError(
            f"模板“{template.name}”套用后不是有效的 Word 文档，请检查占位符的位置，未生成文件。"
        ) from exc
    if passages.left:
        raise _unrendered(template.name, passages.left)

    def write(tmp: Path) -> None:
        tpl.save(str(tmp))
        left = _leftover(tmp, passages.rendered)
        if left:
            raise _unrendered(template.name, left)

    atomic_write(out, write)
