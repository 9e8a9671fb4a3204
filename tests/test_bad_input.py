"""Bad input of every kind: one sentence on stderr, exit status 2, the database unchanged.

Each refusal is checked through `studyplan.cli.main` (and a few through a real process):
exit 2, exactly one line on stderr, no traceback, no "unexpected error", and the database
file's SHA-256 the same before and after. Property-based tests feed the readers and the
command line generated input: they may succeed or refuse with a sentence, nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.cli import main
from studyplan.io.plan_import import parse_plan_text, read_plan
from studyplan.io.roster_import import read_roster, write_sample_roster
from studyplan.model.errors import StudyplanError

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
PLAN_TEXT = "\n".join(
    [
        "2026年局理论学习中心组专题学习计划",
        "一、指导思想",
        "坚持以习近平新时代中国特色社会主义思想为指导。",
        "二、学习专题内容",
        "1. 深入学习习近平新时代中国特色社会主义思想",
        "2. 学习贯彻党的二十大精神",
        "3. 学习《习近平关于科技创新论述摘编》",
        "三、学习要求",
        "坚持学用结合。",
    ]
)
FAST = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dbfile(tmp_path: Path, capsys) -> Path:
    """A database that has been opened once (migrated, bundled plan loaded)."""
    path = tmp_path / "studyplan.db"
    assert main(["--db", str(path), "topics", "--year", "2026"]) == 0
    capsys.readouterr()
    return path


def refused(capsys, dbfile: Path, *args: str) -> str:
    """Run the command, check the error contract, and return the one line it printed."""
    before = _digest(dbfile)
    code = main(["--db", str(dbfile), *args])
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("studyplan: ")
    assert "Traceback" not in err and "发生意外错误" not in err, err
    assert _digest(dbfile) == before
    return lines[0]


# -- files that are not what they claim to be ------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    import docx

    folder = tmp_path_factory.mktemp("bad-files")
    made: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        made[name] = folder / name
        made[name].write_bytes(data)

    put("random.bin", os.urandom(4096))
    put("random.docx", os.urandom(4096))
    put("random.xlsx", os.urandom(4096))
    put("empty.txt", b"")
    put("empty.docx", b"")
    put("empty.xlsx", b"")

    roster = write_sample_roster(folder / "roster.xlsx").read_bytes()
    put("truncated.xlsx", roster[: len(roster) // 2])
    document = docx.Document()
    for line in PLAN_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(folder / "plan.docx")
    plan_docx = (folder / "plan.docx").read_bytes()
    put("truncated.docx", plan_docx[: len(plan_docx) // 2])

    junk = OLE_MAGIC + os.urandom(8192)
    put("password.xlsx", junk)
    put("password.docx", junk)

    for name in ("huge.txt", "huge.docx", "huge.xlsx"):
        made[name] = folder / name
        with made[name].open("wb") as fh:
            fh.truncate(51 * 1024 * 1024)  # sparse: takes no disk space

    put("utf16-no-bom.txt", PLAN_TEXT.encode("utf-16-le"))
    put("utf16be-no-bom.txt", PLAN_TEXT.encode("utf-16-be"))
    put("shift-jis.txt", "これは日本語の文書です。学習計画ではありません。".encode("shift_jis"))
    put("binary.docx", b"PK\x03\x04" + os.urandom(2000))
    return made


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A .docx whose document.xml inflates to 300 MB of zeros (about 1 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    return path


PLAN_FILES = [
    "random.bin",
    "random.docx",
    "empty.txt",
    "empty.docx",
    "truncated.docx",
    "truncated.xlsx",
    "password.docx",
    "huge.txt",
    "huge.docx",
    "utf16-no-bom.txt",
    "utf16be-no-bom.txt",
    "shift-jis.txt",
    "binary.docx",
]
ROSTER_FILES = [
    "random.bin",
    "random.xlsx",
    "empty.xlsx",
    "truncated.xlsx",
    "truncated.docx",
    "password.xlsx",
    "huge.xlsx",
    "utf16-no-bom.txt",
    "binary.docx",
]


@pytest.mark.parametrize("name", PLAN_FILES)
def test_import_plan_refuses(capsys, dbfile: Path, files, name: str) -> None:
    refused(capsys, dbfile, "import-plan", str(files[name]), "--year", "2026")


@pytest.mark.parametrize("name", ROSTER_FILES)
def test_members_import_refuses(capsys, dbfile: Path, files, name: str) -> None:
    refused(capsys, dbfile, "members", "import", str(files[name]))


def test_messages_say_what_is_wrong(capsys, dbfile: Path, files) -> None:
    assert "空的" in refused(
        capsys, dbfile, "import-plan", str(files["empty.txt"]), "--year", "2026"
    )
    assert "50 MB" in refused(
        capsys, dbfile, "import-plan", str(files["huge.docx"]), "--year", "2026"
    )
    assert "50 MB" in refused(capsys, dbfile, "members", "import", str(files["huge.xlsx"]))
    assert "编码" in refused(
        capsys, dbfile, "import-plan", str(files["utf16-no-bom.txt"]), "--year", "2026"
    )
    line = refused(capsys, dbfile, "members", "import", str(files["password.xlsx"]))
    assert ".xls" in line or "密码" in line


def test_missing_files(capsys, dbfile: Path, tmp_path: Path) -> None:
    refused(capsys, dbfile, "import-plan", str(tmp_path / "gone.docx"), "--year", "2026")
    refused(capsys, dbfile, "members", "import", str(tmp_path / "gone.xlsx"))
    refused(capsys, dbfile, "import-plan", str(tmp_path), "--year", "2026")
    refused(capsys, dbfile, "members", "import", str(tmp_path))


def test_zip_bomb_is_refused_by_its_declared_size(
    capsys, dbfile: Path, zip_bomb: Path, tmp_path: Path, monkeypatch
) -> None:
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    line = refused(capsys, dbfile, "import-plan", str(zip_bomb), "--year", "2026")
    assert "200 MB" in line
    as_xlsx = tmp_path / "bomb.xlsx"
    as_xlsx.write_bytes(zip_bomb.read_bytes())
    assert "过大" in refused(capsys, dbfile, "members", "import", str(as_xlsx))
    assert "word/document.xml" not in opened


# -- out-of-range dates, times and durations --------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "--year", "99999"],
        ["schedule", "--year", "-1"],
        ["schedule", "--year", "2026", "--from", "99999-01-01"],
        ["schedule", "--year", "2026", "--from", "2026-02-30"],
        ["schedule", "--year", "2026", "--time", "25:61"],
        ["schedule", "--year", "2026", "--time", "15:00:00:00"],
        ["schedule", "--year", "2026", "--duration", "0"],
        ["schedule", "--year", "2026", "--duration", "-30"],
        ["schedule", "--year", "2026", "--duration", "99999999999999999999"],
        ["schedule", "--year", "2026", "--rule", "FREQ=NEVER"],
        ["topics", "--year", "0"],
        ["sessions", "--year", "１２３"],
        ["export", "ics", "--year", "99999", "out.ics"],
        ["import-plan", "plan.txt", "--year", "3000"],
        ["demo", "--years", "0"],
        ["demo", "--members", "100000"],
        ["export", "signin", "-1", "out.xlsx"],
        ["no-such-command"],
    ],
    ids=lambda args: " ".join(args),
)
def test_out_of_range_arguments(capsys, dbfile: Path, tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    refused(capsys, dbfile, *args)


# -- exports that cannot be written ----------------------------------------------------
def test_export_into_a_missing_folder(capsys, dbfile: Path, tmp_path: Path) -> None:
    line = refused(capsys, dbfile, "export", "ics", str(tmp_path / "nowhere" / "学习.ics"))
    assert "不存在" in line
    refused(capsys, dbfile, "export", "ics", str(tmp_path))


def test_export_into_a_read_only_folder(capsys, dbfile: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        refused(capsys, dbfile, "export", "ics", str(folder / "学习.ics"))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_export_over_a_good_file_keeps_it_when_the_data_is_bad(
    capsys, dbfile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "学习.ics"
    out.write_text("earlier export")
    refused(capsys, dbfile, "export", "ics", "--year", "99999", str(out))
    assert out.read_text() == "earlier export"


# -- a database that is not one --------------------------------------------------------
@pytest.mark.parametrize("content", [os.urandom(3000), b"SQLite format 3\x00" + bytes(200)])
def test_database_file_that_is_not_one(capsys, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    refused(capsys, path, "sessions")
    assert path.read_bytes() == content


# -- known gaps outside the data-safety files (kept visible until fixed) ------------------
def test_shift_jis_plan_is_refused(capsys, dbfile: Path, tmp_path: Path) -> None:
    path = tmp_path / "plan-sjis.txt"
    path.write_bytes(
        "二〇二六年度 理論学習計画\n一、学習テーマ\n1. 日本語のテキスト\n2. シフトJIS".encode(
            "shift_jis"
        )
    )
    refused(capsys, dbfile, "import-plan", str(path), "--year", "2026")


def test_nul_in_an_export_path(capsys, dbfile: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused(capsys, dbfile, "export", "ics", "a\x00b.ics")


def test_line_break_in_an_argument(capsys, dbfile: Path) -> None:
    refused(capsys, dbfile, "topics", "x\ny")


# -- the real program ------------------------------------------------------------------
@pytest.mark.parametrize("case", ["random", "bomb", "time"])
def test_real_process_prints_one_line(dbfile: Path, files, zip_bomb: Path, case: str) -> None:
    args = {
        "random": ["import-plan", str(files["random.bin"]), "--year", "2026"],
        "bomb": ["import-plan", str(zip_bomb), "--year", "2026"],
        "time": ["schedule", "--year", "2026", "--time", "25:61"],
    }[case]
    before = _digest(dbfile)
    done = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(dbfile), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert _digest(dbfile) == before


# -- generated input -------------------------------------------------------------------
def _refuses_or_reads(call) -> None:
    try:
        call()
    except StudyplanError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip()


plan_like_lines = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(["一、学习专题", "二、学习专题内容", "三、要求", "专题一", "（一）"]),
        st.builds(
            lambda n, t: f"{n}{t}",
            st.sampled_from(["1.", "2、", "（三）", "十一、", "(4)", "专题5 ", "１．"]),
            st.text(max_size=40),
        ),
    ),
    max_size=30,
)


@FAST
@given(text=st.one_of(st.text(max_size=2000), plan_like_lines.map("\n".join)))
def test_parse_plan_text_never_crashes(text: str) -> None:
    _refuses_or_reads(lambda: parse_plan_text(text, 2026))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="module")
def real_files(tmp_path_factory) -> dict[str, bytes]:
    import docx

    folder = tmp_path_factory.mktemp("real")
    document = docx.Document()
    for line in PLAN_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(folder / "plan.docx")
    return {
        "docx": (folder / "plan.docx").read_bytes(),
        "xlsx": write_sample_roster(folder / "roster.xlsx").read_bytes(),
    }


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer[:cut] if cut else buffer)


edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8)


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=1000).map(lambda t: t.encode("utf-8")),
        plan_like_lines.map(lambda lines: "\n".join(lines).encode("gb18030", "replace")),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=500).map(lambda b: OLE_MAGIC + b),
    ),
    suffix=st.sampled_from([".txt", ".docx", ".doc", ""]),
)
def test_read_plan_never_crashes(scratch: Path, data: bytes, suffix: str) -> None:
    path = scratch / f"plan{suffix}"
    path.write_bytes(data)
    _refuses_or_reads(lambda: read_plan(path, 2026))


@FAST
@given(edit=edits, cut=st.one_of(st.none(), st.integers(1, 20000)))
def test_read_plan_of_damaged_docx_never_crashes(
    scratch: Path, real_files, edit: list[tuple[int, int]], cut: int | None
) -> None:
    path = scratch / "damaged.docx"
    path.write_bytes(_mutate(real_files["docx"], edit, cut))
    _refuses_or_reads(lambda: read_plan(path, 2026))


@FAST
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=500).map(lambda b: OLE_MAGIC + b),
    )
)
def test_read_roster_never_crashes(scratch: Path, data: bytes) -> None:
    path = scratch / "roster.xlsx"
    path.write_bytes(data)
    _refuses_or_reads(lambda: read_roster(path))


@FAST
@given(edit=edits, cut=st.one_of(st.none(), st.integers(1, 20000)))
def test_read_roster_of_damaged_xlsx_never_crashes(
    scratch: Path, real_files, edit: list[tuple[int, int]], cut: int | None
) -> None:
    path = scratch / "damaged.xlsx"
    path.write_bytes(_mutate(real_files["xlsx"], edit, cut))
    _refuses_or_reads(lambda: read_roster(path))


COMMANDS = [
    ["topics"],
    ["sessions"],
    ["schedule"],
    ["import-plan"],
    ["members"],
    ["members", "import"],
    ["export", "ics"],
    ["demo"],
]
OPTIONS = [
    "--year",
    "--format",
    "--time",
    "--duration",
    "--from",
    "--rule",
    "--location",
    "--form",
    "--replace-planned",
    "--years",
    "--members",
]
VALUES = [
    "2026",
    "99999",
    "0",
    "-1",
    "1949",
    "2101",
    "3",
    "json",
    "csv",
    "xml",
    "25:61",
    "15:00",
    "2026-02-30",
    "99999-01-01",
    "FREQ=MONTHLY;BYDAY=+2TH",
    "FREQ=WEEKLY;INTERVAL=0",
    "FREQ=DAILY;COUNT=-1",
    "plan.txt",
    "junk.docx",
    "roster.xlsx",
    "out.ics",
    "nowhere/out.ics",
    ".",
    "",
    "局机关三楼会议室",
]


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(COMMANDS),
    words=st.lists(
        st.one_of(
            st.sampled_from(OPTIONS),
            st.sampled_from(VALUES),
            st.text(
                alphabet=st.characters(
                    blacklist_categories=("Cs",), blacklist_characters="\x00\n\r"
                ),
                max_size=12,
            ),
        ),
        max_size=6,
    ),
)
def test_command_line_never_crashes(
    tmp_path: Path, monkeypatch, command: list[str], words: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    (tmp_path / "junk.docx").write_bytes(b"PK\x03\x04junk")
    dbfile = tmp_path / "generated.db"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", str(dbfile), *command, *words])
        except SystemExit as exc:  # --help and its abbreviations print usage and exit 0
            code = exc.code
    text = err.getvalue()
    assert code in (0, 2), text
    if code == 2:
        assert text.endswith("\n") and text.count("\n") == 1, text
        assert "发生意外错误" not in text and "Traceback" not in text, text
