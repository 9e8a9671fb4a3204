"""The parts of the build that need no PyInstaller run: the version, the staged package, the
icon files, the .deb's control text and the check of its Depends."""

from __future__ import annotations

import struct
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import studyplan
from studyplan.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_said_once_and_read_from_the_metadata() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "studyplan.RELEASE"}
    try:
        installed = metadata.version("studyplan")
    except metadata.PackageNotFoundError:
        installed = studyplan.RELEASE
    assert studyplan.__version__ == installed


def test_version_is_read_when_first_asked_for() -> None:
    """Finding the metadata scans the installed packages: no start pays for it unless the
    version is shown (关于, --version)."""
    script = "import studyplan, sys; print('__version__' in vars(studyplan)); "
    script += "print(studyplan.__version__ == studyplan._installed_version())"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "True"]


def test_version_option_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"studyplan {studyplan.__version__}"


def test_release_is_read_without_importing(build) -> None:
    assert build.release() == studyplan.RELEASE


def test_staged_package_holds_the_data_a_wheel_would(build, tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    build.stage_package(stage)
    resources = stage / "studyplan" / "resources"
    assert (resources / "__init__.py").is_file()
    assert (resources / "icons" / "studyplan.svg").is_file()
    assert (resources / "plans" / "2026.json").is_file()
    assert (resources / "style.qss").is_file()
    assert (stage / "studyplan" / "gui" / "members" / "members_view.py").is_file()
    meta = stage / f"studyplan-{studyplan.RELEASE}.dist-info" / "METADATA"
    assert f"Version: {studyplan.RELEASE}" in meta.read_text(encoding="utf-8")


def test_icons_are_rendered_at_every_size_and_into_one_ico(build, tmp_path: Path, qapp) -> None:
    """(`qapp`: the suite's QApplication, made before the build would make a QGuiApplication.)"""
    from PySide6.QtGui import QImage

    pngs = build.render_icons(build.APP_ICON, tmp_path)
    assert sorted(pngs) == sorted(build.ICON_SIZES)
    for size, png in pngs.items():
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    ico = (tmp_path / "studyplan.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, len(build.ICON_SIZES))
    sides = []
    for number in range(count):
        width, _, _, _, _, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", ico, 6 + 16 * number
        )
        sides.append(width or 256)
        assert bits == 32
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(ico)
    assert sorted(sides) == sorted(build.ICON_SIZES)


def test_control_file_asks_for_the_xcb_libraries_a_cjk_font_and_the_glibc_floor(build) -> None:
    control = build.deb_control("1.2.3", 4096, "2.35")
    fields = dict(line.split(": ", 1) for line in control.splitlines() if ": " in line)
    assert fields["Package"] == "studyplan"
    assert fields["Version"] == "1.2.3"
    assert fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "4096"
    depends = [item.strip() for item in fields["Depends"].split(",")]
    assert depends[0] == "libc6 (>= 2.35)"
    assert "libxcb-cursor0" in depends
    assert "fonts-wqy-microhei | fonts-noto-cjk" in depends
    # Every library the xcb plugin loads, as gui/syslibs.py names them for a user.
    from studyplan.gui.syslibs import XCB_LIBRARIES

    assert set(XCB_LIBRARIES.values()) <= set(depends)


def test_a_system_library_outside_depends_is_reported(build) -> None:
    provided = {"libxcb.so.1": "libxcb1", "libc.so.6": "libc6", "libfoo.so.1": "libfoo1"}
    assert build.depends_missing(provided) == ["libfoo1"]


def test_desktop_entry_names_the_app_in_chinese_with_its_icon(build) -> None:
    entry = dict(line.split("=", 1) for line in build.DESKTOP_ENTRY.splitlines() if "=" in line)
    assert entry["Name[zh_CN]"] == "理论学习中心组学习管理"
    assert entry["Icon"] == "studyplan"
    assert entry["Categories"] == "Office;"
    assert entry["Exec"] == "studyplan"


def test_glibc_floor_is_the_highest_version_any_file_asks_for(build, tmp_path: Path) -> None:
    """Read from the build's own Python: its libpython asks for some GLIBC_2.x."""
    import shutil
    import sys
    import sysconfig

    if not sys.platform.startswith("linux") or shutil.which("readelf") is None:
        pytest.skip("needs Linux and readelf (binutils)")
    libdir = Path(sysconfig.get_config_var("LIBDIR") or "")
    library = libdir / str(sysconfig.get_config_var("LDLIBRARY") or "")
    if not library.is_file() or not library.name.endswith(".so" + library.name.split(".so")[-1]):
        library = Path(sys.executable).resolve()
    shutil.copy(library, tmp_path / library.name)
    needs = build.bundle_needs(tmp_path)
    floor = tuple(int(n) for n in needs.floor("GLIBC").split("."))
    assert floor >= (2, 2)
    assert "libc.so.6" in needs.system
