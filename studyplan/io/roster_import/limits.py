"""How much of a spreadsheet the roster import reads before it says the file is not a
roster. Read as `limits.NAME` where they apply, so a test can lower one in one place."""

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
MAX_DATA_ROWS = 5000
#: Most merged cells a sheet may have; a real roster has a few per department at most.
MAX_MERGED_RANGES = 4 * MAX_DATA_ROWS
#: Rows read from a sheet, blank or not (Excel 97-2003 held 65,536): past this, the sheet is
#: not a roster, and reading on would only cost time.
MAX_SHEET_ROWS = 100_000
