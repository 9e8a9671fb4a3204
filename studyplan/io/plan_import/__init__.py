"""Reading a year's study plan (its 专题) from the document the bureau hands out.

Plans arrive as plain text copied from a web page or as Word documents. Both become a list
of lines (`reading`), and one parser (`parser`, with the line grammar in `lines`) finds the
sections (一、二、三、), picks the section that holds the topics, and turns each numbered item
there into a `Topic`. Word's automatic numbering keeps the numbers out of the paragraph text,
so for .docx files the numbers are rebuilt from numbering.xml (`numbering`) and tables are
read row by row (`tables`) before the lines reach the parser. `json_form` is the form the
bundled plans are shipped in.
"""

from studyplan.io.plan_import.json_form import (
    build_bundled_plan,
    main,
    plan_from_dict,
    plan_to_dict,
    write_plan_json,
)
from studyplan.io.plan_import.lines import chinese_to_int, int_to_chinese
from studyplan.io.plan_import.parser import parse_plan_text
from studyplan.io.plan_import.reading import MAX_FILE_BYTES, MAX_UNZIPPED_BYTES, read_plan

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNZIPPED_BYTES",
    "build_bundled_plan",
    "chinese_to_int",
    "int_to_chinese",
    "main",
    "parse_plan_text",
    "plan_from_dict",
    "plan_to_dict",
    "read_plan",
    "write_plan_json",
]
