"""The real build: `python packaging/build.py` makes the bundle and the .deb, and the bundle
starts with no Python, no PATH and no environment variables at all (`env -i`).

It takes a minute or two and is marked slow; the quick run skips it, .ci/run runs it (it sets
STUDYPLAN_BUILD_TESTS=1). Linux only: Windows' build cannot be run here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import studyplan

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("STUDYPLAN_BUILD_TESTS") != "1",
        reason="builds the bundle (a minute or two): STUDYPLAN_BUILD_TESTS=1, as .ci/run sets",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build only"),
]

#: Qt that must not be in the bundle: the app uses none of it.
UNWANTED = re.compile(r"Qt6(WebEngine|Quick|Qml|3D|Multimedia|Pdf|VirtualKeyboard|Network)")


@dataclass
class Build:
    bundle: Path
    deb: Path
    output: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    for tool in ("readelf", "dpkg-deb"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: .ci/run installs binutils and dpkg")
    pytest.importorskip("PyInstaller", reason='the build extra: pip install -e ".[build]"')
    folder = tmp_path_factory.mktemp("build")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(folder / "dist"),
            "--work",
            str(folder / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    deb = folder / "dist" / f"studyplan_{studyplan.RELEASE}_amd64.deb"
    return Build(folder / "dist" / "studyplan", deb, done.stdout)


def bare(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run with an empty environment, as a menu entry may start it."""
    return subprocess.run(
        ["env", "-i", *map(str, command)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
    )


def test_build_reports_the_glibc_floor_and_names_every_system_library(built: Build) -> None:
    assert re.search(r"highest GLIBC_ version needed: 2\.\d+ \(by ", built.output)
    assert "WARNING: Depends does not name" not in built.output


def test_bundle_holds_only_the_qt_the_app_uses(built: Build) -> None:
    names = [p.name for p in built.bundle.rglob("*")]
    assert not [n for n in names if UNWANTED.search(n)]
    assert [n for n in names if n.endswith(".qm")] == ["qtbase_zh_CN.qm"]
    platforms = {p.name for p in built.bundle.rglob("platforms/*.so")}
    assert {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"} <= platforms
    assert not [p for p in built.bundle.rglob("*") if p.is_symlink() and not p.exists()]


def test_bundle_prints_its_version_without_python_or_environment(
    built: Build, tmp_path: Path
) -> None:
    done = bare(built.bundle / "studyplan", "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"studyplan {studyplan.RELEASE}"


def test_bundle_draws_the_window_with_chinese_text(built: Build, tmp_path: Path) -> None:
    """The bundle's screenshot against the same screenshot from this Python: the same
    picture, so the Chinese text, the icons and the style are all there."""
    from PySide6.QtGui import QImage

    args = ["--screenshot", "OUT", "--year", "2026", "--month", "3"]
    shot = tmp_path / "bundle.png"
    done = bare(
        built.bundle / "studyplan",
        "--db",
        tmp_path / "bundle.db",
        *[str(shot) if a == "OUT" else a for a in args],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    reference = tmp_path / "python.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(tmp_path / "python.db")]
        + [str(reference) if a == "OUT" else a for a in args],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    image, expected = QImage(str(shot)), QImage(str(reference))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    assert image.size() == expected.size()
    differ = sum(
        image.pixel(x, y) != expected.pixel(x, y)
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )
    assert differ / (image.width() * image.height() / 4) < 0.01


def test_bundle_writes_the_word_documents_from_its_own_templates(
    built: Build, tmp_path: Path
) -> None:
    """docxtpl, Jinja and the bundled templates are in the bundle: a demo year's notice,
    record and brief are written under `env -i` and python-docx reads the topic back."""
    import json

    from tests.documents_demo import all_text

    templates = {p.name for p in built.bundle.rglob("studyplan/io/documents/templates/*.docx")}
    bundled = ROOT / "studyplan" / "io" / "documents" / "templates"
    assert templates == {p.name for p in bundled.glob("*.docx")}
    assert {"学习通知.docx", "学习记录.docx", "学习简报.docx"} <= templates
    program, db = built.bundle / "studyplan", tmp_path / "演示.db"
    made = bare(program, "--db", db, "demo", "--year", "2025", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    listed = bare(
        program, "--db", db, "sessions", "--year", "2025", "--format", "json", cwd=tmp_path
    )
    session = json.loads(listed.stdout)[0]
    shown = bare(program, "--db", db, "topics", "--year", "2025", "--format", "json", cwd=tmp_path)
    titles = {t["number"]: t["title"] for t in json.loads(shown.stdout)}
    for kind in ("notice", "record", "brief"):
        out = tmp_path / f"{kind}.docx"
        done = bare(program, "--db", db, "export", kind, str(session["id"]), out, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        text = all_text(out)
        assert titles[session["topics"][0]] in text, kind
        assert session["host"] in text and "{{" not in text, kind


def _deb_fields(deb: Path) -> dict[str, str]:
    info = subprocess.run(
        ["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    fields: dict[str, str] = {}
    for line in info.splitlines():
        if ": " in line and not line.startswith(" "):
            key, value = line.split(": ", 1)
            fields[key] = value
    return fields


def test_deb_control_fields(built: Build) -> None:
    fields = _deb_fields(built.deb)
    assert fields["Package"] == "studyplan"
    assert fields["Version"] == studyplan.RELEASE
    assert fields["Architecture"] == "amd64"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert "libxcb-cursor0" in depends
    assert "fonts-wqy-microhei | fonts-noto-cjk" in depends
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends[0])
    info = subprocess.run(
        ["dpkg-deb", "-I", str(built.deb)], capture_output=True, text=True, check=True
    ).stdout
    assert "postrm" in info and "postinst" in info


def test_deb_files_and_desktop_entry(built: Build, tmp_path: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(built.deb)], capture_output=True, text=True, check=True
    ).stdout
    paths = {
        line.split()[-1] if " -> " not in line else line.split()[-3]
        for line in listing.splitlines()
    }
    for path in (
        "./opt/studyplan/studyplan",
        "./usr/bin/studyplan",
        "./usr/share/applications/studyplan.desktop",
        "./usr/share/icons/hicolor/16x16/apps/studyplan.png",
        "./usr/share/icons/hicolor/256x256/apps/studyplan.png",
        "./usr/share/icons/hicolor/scalable/apps/studyplan.svg",
    ):
        assert path in paths, path
    assert "root/root" in listing and "/home/" not in listing
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(built.deb), str(root)], check=True)
    desktop = root / "usr" / "share" / "applications" / "studyplan.desktop"
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate is missing: .ci/run installs desktop-file-utils"
    checked = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    text = desktop.read_text(encoding="utf-8")
    assert "Name[zh_CN]=理论学习中心组学习管理" in text
    assert "Icon=studyplan" in text
    launcher = root / "usr" / "bin" / "studyplan"
    assert os.access(launcher, os.X_OK)
    assert "/opt/studyplan/studyplan" in launcher.read_text(encoding="utf-8")
    done = bare(root / "opt" / "studyplan" / "studyplan", "--version", cwd=tmp_path)
    assert done.stdout.strip() == f"studyplan {studyplan.RELEASE}"


def _installed(package: str) -> bool:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
    )
    return "ok installed" in done.stdout


def test_deb_installs_with_its_depends_runs_and_is_removed_cleanly(
    built: Build, tmp_path: Path
) -> None:
    """apt installs the .deb with what it Depends on; `studyplan` then runs from PATH, and
    purging it leaves none of its files behind."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("installing a package needs root and apt")
    if _installed("studyplan"):
        pytest.skip("a studyplan package is installed on this machine: left as it is")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    files = [
        Path("/opt/studyplan"),
        Path("/usr/bin/studyplan"),
        Path("/usr/share/applications/studyplan.desktop"),
        Path("/usr/share/icons/hicolor/48x48/apps/studyplan.png"),
        Path("/usr/share/icons/hicolor/scalable/apps/studyplan.svg"),
    ]
    try:
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", str(built.deb)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert _installed("studyplan")
        assert all(path.exists() for path in files)
        ran = bare("/usr/bin/studyplan", "--version", cwd=tmp_path)
        assert ran.stdout.strip() == f"studyplan {studyplan.RELEASE}", ran.stderr
    finally:
        subprocess.run(["dpkg", "--purge", "studyplan"], env=env, capture_output=True, timeout=300)
    assert not _installed("studyplan")
    assert [path for path in files if path.exists()] == []
