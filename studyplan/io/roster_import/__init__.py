"""Reading the member list (成员名单) from the .xlsx (or old .xls) the office keeps.

Real rosters have a title row or two, a header somewhere near the top, blank separator rows
and columns in any order. This package only turns the sheet into rows of text (`reading`);
matching the rows to stored members is the roster service's job. Any file it cannot read
becomes an ImportFileError with one sentence, before anything is written (`checks`). Merged
cells (`merges`) are read as Excel shows them; old .xls files go through xlrd (`xls`).
"""

from studyplan.io.roster_import.columns import HEADER_ALIASES, SPREAD_FIELDS, cell_text
from studyplan.io.roster_import.limits import (
    HEADER_SEARCH_ROWS,
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    MAX_MERGED_RANGES,
    MAX_UNZIPPED_BYTES,
)
from studyplan.io.roster_import.reading import RosterRow, RosterSheet, read_roster
from studyplan.io.roster_import.sample import SAMPLE_MEMBERS, SAMPLE_TITLE, write_sample_roster

__all__ = [
    "HEADER_ALIASES",
    "HEADER_SEARCH_ROWS",
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "MAX_MERGED_RANGES",
    "MAX_UNZIPPED_BYTES",
    "SAMPLE_MEMBERS",
    "SAMPLE_TITLE",
    "SPREAD_FIELDS",
    "RosterRow",
    "RosterSheet",
    "cell_text",
    "read_roster",
    "write_sample_roster",
]
