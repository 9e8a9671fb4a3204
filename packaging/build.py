"""Build studyplan for the system this runs on: `python packaging/build.py`.

Makes a PyInstaller onedir bundle in dist/studyplan/ (it starts with no Python installed and
no environment variables set), then
- on Linux: dist/studyplan_<version>_amd64.deb (dpkg-deb), the bundle under /opt/studyplan;
- on Windows: where Inno Setup's ISCC is found, dist/studyplan-<version>-setup.exe from
  packaging/studyplan.iss (a per-user install without admin rights).
The app icon, resources/icons/studyplan.svg, is rendered by Qt to PNGs and a Windows .ico.
On Linux the build prints the highest GLIBC_ symbol version any file in the bundle needs: the
oldest glibc, hence the oldest desktop, the bundle runs on.

Needs the `build` extra (`pip install -e ".[build]"`); on Linux also binutils (readelf) and
dpkg-deb.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ICON = ROOT / "resources" / "icons" / "studyplan.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
NAME = "studyplan"

#: What the bundle takes from the system rather than carrying it: the libraries Qt's xcb
#: (X11) plugin loads (gui/syslibs.py names them for a user who lacks one), OpenGL/EGL, D-Bus
#: and GLib (Qt links them), fontconfig, and a font with Chinese glyphs (WenQuanYi first: see
#: .ci/run on Noto CJK and the sign-in PDF). libc6's floor is added from the measured
#: GLIBC_ versions, so dpkg refuses an older system instead of the app failing to start.
DEB_DEPENDS = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libxcb1",
    "libxcb-glx0",
    "libxcb-render0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxkbcommon-x11-0",
    "libxkbcommon0",
    "libx11-xcb1",
    "libx11-6",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libegl1",
    "libgl1",
    "libopengl0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
    "fonts-wqy-microhei | fonts-noto-cjk",
)
#: Packages every Debian-based system has (priority required), not worth a Depends line.
DEB_BASE = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5", "libbz2-1.0"}


# -- small helpers -----------------------------------------------------------------------
def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def release() -> str:
    """studyplan.RELEASE, read without importing (as setuptools reads it)."""
    tree = ast.parse((ROOT / "studyplan" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "RELEASE" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit("studyplan/__init__.py has no RELEASE")


def tree_size(folder: Path) -> int:
    """Bytes of the files under `folder` (what the bundle takes on disk, roughly)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# -- the package, staged as pip would install it -----------------------------------------
def stage_package(stage: Path) -> None:
    """Copy the packages and their data that pyproject.toml lists into `stage`, with a
    dist-info carrying the version, so the bundle holds exactly what a wheel would (and
    `studyplan.__version__` finds its metadata there)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = config["tool"]["setuptools"]
    package_dir = tool.get("package-dir", {})
    package_data = tool.get("package-data", {})
    shutil.rmtree(stage, ignore_errors=True)
    for package in tool["packages"]:
        source = ROOT / package_dir.get(package, package.replace(".", "/"))
        target = stage / package.replace(".", "/")
        target.mkdir(parents=True, exist_ok=True)
        for file in source.glob("*.py"):
            shutil.copy2(file, target / file.name)
        patterns = package_data.get(package, [])
        for file in source.rglob("*"):
            relative = file.relative_to(source).as_posix()
            if file.is_file() and any(_matches(relative, p) for p in patterns):
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target / relative)
    info = stage / f"{NAME}-{release()}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {release()}\n", encoding="utf-8"
    )
    (info / "INSTALLER").write_text("packaging/build.py\n", encoding="utf-8")


def _matches(relative: str, pattern: str) -> bool:
    """setuptools' package-data glob: `**/` also matches no folder at all."""
    if pattern.startswith("**/"):
        return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern[3:])
    return fnmatch.fnmatch(relative, pattern)


# -- the icon ----------------------------------------------------------------------------
def render_icons(svg: Path, out: Path) -> dict[int, Path]:
    """The SVG drawn by Qt at each of ICON_SIZES as PNG, and studyplan.ico holding them all."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([NAME])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {svg}")
    out.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, Path] = {}
    encoded: dict[int, bytes] = {}
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        encoded[size] = bytes(data.data())
        pngs[size] = out / f"{NAME}-{size}.png"
        pngs[size].write_bytes(encoded[size])
    (out / f"{NAME}.ico").write_bytes(ico_bytes(encoded))
    return pngs


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico of PNG-encoded images (Windows Vista on reads PNG entries): the header,
    one directory entry per size, then the images. Qt's own ICO writer stores one size only."""
    sizes = sorted(images)
    offset = 6 + 16 * len(sizes)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    entries, blobs = b"", b""
    for size in sizes:
        blob = images[size]
        side = size % 256  # 0 stands for 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


# -- PyInstaller -------------------------------------------------------------------------
def run_pyinstaller(stage: Path, ico: Path, dist: Path, work: Path) -> Path:
    env = dict(os.environ)
    env["STUDYPLAN_STAGE"] = str(stage)
    env["STUDYPLAN_ICO"] = str(ico)
    # The staged copy comes first, so the analysis sees it and not a checkout installed
    # in development mode.
    env["PYTHONPATH"] = os.pathsep.join([str(stage), *filter(None, [env.get("PYTHONPATH")])])
    env["QT_QPA_PLATFORM"] = "offscreen"
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(PACKAGING / "studyplan.spec"),
    ]
    say("PyInstaller: " + " ".join(command[3:]))
    subprocess.run(command, env=env, check=True)
    return dist / NAME


# -- what the bundle needs from the system (Linux) ---------------------------------------
ELF_MAGIC = b"\x7fELF"


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


@dataclass
class Needs:
    """What the ELF files of a bundle ask of the system."""

    #: The highest version of each versioned library family (GLIBC, GLIBCXX, CXXABI, GCC),
    #: with one file that asks for it.
    highest: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    #: Shared libraries linked against but not in the bundle: soname -> files asking.
    system: dict[str, set[str]] = field(default_factory=dict)

    def floor(self, family: str = "GLIBC") -> str:
        if family not in self.highest:
            return "none"
        version, _ = self.highest[family]
        return ".".join(map(str, version))


_VERSION_NAME = re.compile(r"Name: (GLIBC|GLIBCXX|CXXABI|GCC)_([0-9.]+)")
_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
_FILE = re.compile(r"^File: (.+)$")


def bundle_needs(bundle: Path, readelf: str = "readelf") -> Needs:
    """Read every ELF file's dynamic section and version requirements (readelf -dV)."""
    files = elf_files(bundle)
    bundled = {p.name for p in bundle.rglob("*")}
    needs = Needs()
    for chunk in _chunks(files, 200):
        out = subprocess.run(
            [readelf, "--wide", "-d", "-V", *map(str, chunk)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        current = str(chunk[0]) if len(chunk) == 1 else ""
        in_needs = False
        for line in out.splitlines():
            file_line = _FILE.match(line)
            if file_line:
                current, in_needs = file_line.group(1), False
                continue
            if line.startswith("Version needs section"):
                in_needs = True
            elif line.startswith(("Version symbols section", "Version definition section")):
                in_needs = False
            needed = _NEEDED.search(line)
            if needed and needed.group(1) not in bundled:
                needs.system.setdefault(needed.group(1), set()).add(_short(current, bundle))
            version = _VERSION_NAME.search(line) if in_needs else None
            if version:
                family, number = version.group(1), version.group(2)
                key = tuple(int(n) for n in number.split(".") if n)
                if family not in needs.highest or key > needs.highest[family][0]:
                    needs.highest[family] = (key, _short(current, bundle))
    return needs


def _short(path: str, bundle: Path) -> str:
    try:
        return Path(path).relative_to(bundle).as_posix()
    except ValueError:
        return path


def _chunks(items: Sequence[Path], size: int) -> Iterable[Sequence[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def system_packages(sonames: Iterable[str]) -> dict[str, str]:
    """soname -> the Debian package that provides it on this machine (dpkg -S), where known."""
    found = {}
    for soname in sorted(sonames):
        done = subprocess.run(
            ["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True, check=False
        )
        for line in done.stdout.splitlines():
            package = line.split(":", 1)[0].split(",")[0].strip()
            if package:
                found[soname] = package
                break
    return found


def depends_missing(provided: dict[str, str]) -> list[str]:
    """The system packages the bundle links against that Depends does not name."""
    named = {alt.strip().split(" ")[0] for line in DEB_DEPENDS for alt in line.split("|")}
    return sorted({p for p in provided.values() if p not in named and p not in DEB_BASE})


# -- the .deb (Linux) --------------------------------------------------------------------
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Version=1.4
Name=Studyplan
Name[zh_CN]=理论学习中心组学习管理
GenericName=Study group management
GenericName[zh_CN]=学习管理
Comment=Plan, attendance, leave, make-ups and the ledger of a theory study central group
Comment[zh_CN]=理论学习中心组的学习计划、考勤、请假补学与台账
Exec=studyplan
Icon=studyplan
Terminal=false
Categories=Office;
Keywords=study;attendance;ledger;学习;考勤;台账;
StartupWMClass=studyplan
"""

LAUNCHER = """#!/bin/sh
# The bundle finds its libraries beside itself; it is started from its own folder's path.
exec /opt/studyplan/studyplan "$@"
"""

POSTINST = """#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 \\
    && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
"""

# dpkg removes the files it installed; this removes what running the app may have left in
# the bundle's folder (none expected) and refreshes the menus. The secretary's data in
# ~/.local/share/studyplan/studyplan stays: removing a program never deletes a user's records.
POSTRM = """#!/bin/sh
set -e
case "$1" in
  remove|purge)
    rm -rf /opt/studyplan
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \\
      && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    ;;
esac
exit 0
"""


def deb_control(version: str, installed_kib: int, glibc: str) -> str:
    depends = [f"libc6 (>= {glibc})", *DEB_DEPENDS]
    return (
        f"Package: {NAME}\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        "Maintainer: studyplan <studyplan@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: office\n"
        "Priority: optional\n"
        "Description: 理论学习中心组学习管理\n"
        " Plan, sessions, roster, attendance, leave, make-ups, minutes and the Excel\n"
        " ledger of a theory study central group, in one desktop application.\n"
    )


def build_deb(
    bundle: Path, icons: dict[int, Path], version: str, glibc: str, dist: Path, work: Path
) -> Path:
    """The .deb: the bundle under /opt/studyplan, a launcher on PATH, the menu entry, the
    icons, and Depends on what the bundle takes from the system."""
    root = work / "deb"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / NAME
    shutil.copytree(bundle, opt, symlinks=True)
    _write(root / "usr" / "bin" / NAME, LAUNCHER, 0o755)
    _write(root / "usr" / "share" / "applications" / f"{NAME}.desktop", DESKTOP_ENTRY, 0o644)
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for size, png in icons.items():
        target = hicolor / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
    scalable = hicolor / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(APP_ICON, scalable)
    _write(
        root / "usr" / "share" / "doc" / NAME / "copyright",
        "studyplan is distributed under the MIT license.\n"
        "It bundles Qt and PySide6 (LGPLv3) and Python (PSF license).\n",
        0o644,
    )
    installed_kib = (tree_size(root) + 1023) // 1024
    _write(root / "DEBIAN" / "control", deb_control(version, installed_kib, glibc), 0o644)
    _write(root / "DEBIAN" / "postinst", POSTINST, 0o755)
    _write(root / "DEBIAN" / "postrm", POSTRM, 0o755)
    for folder in [root, *root.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)
    out = dist / f"{NAME}_{version}_amd64.deb"
    # gzip, not the default xz: a minute faster here, and every dpkg reads it.
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def _write(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    path.chmod(mode)


# -- the installer (Windows) -------------------------------------------------------------
def find_iscc() -> Path | None:
    """Inno Setup's command-line compiler, on PATH or where its installer puts it."""
    on_path = shutil.which("ISCC") or shutil.which("iscc")
    if on_path:
        return Path(on_path)
    # Windows reads environment names in any case; a per-user Inno Setup lives in LOCALAPPDATA.
    for base, folder in (
        ("PROGRAMFILES(X86)", "Inno Setup 6"),
        ("PROGRAMFILES", "Inno Setup 6"),
        ("LOCALAPPDATA", "Programs/Inno Setup 6"),
    ):
        if os.environ.get(base):
            candidate = Path(os.environ[base]) / folder / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def build_installer(bundle: Path, ico: Path, version: str, dist: Path) -> Path | None:
    iscc = find_iscc()
    if iscc is None:
        say("Inno Setup (ISCC.exe) not found: no installer, only the folder dist/studyplan")
        return None
    subprocess.run(
        [
            str(iscc),
            f"/DAppVersion={version}",
            f"/DBundleDir={bundle}",
            f"/DIconFile={ico}",
            f"/O{dist}",
            str(PACKAGING / "studyplan.iss"),
        ],
        check=True,
    )
    return dist / f"{NAME}-{version}-setup.exe"


# -- the command -------------------------------------------------------------------------
@dataclass
class Built:
    bundle: Path
    size_mb: float
    needs: Needs | None = None
    deb: Path | None = None
    installer: Path | None = None


def build(dist: Path, work: Path, *, deb: bool = True) -> Built:
    version = release()
    say(f"studyplan {version} for {sys.platform}, Python {sys.version.split()[0]}")
    stage = work / "stage"
    stage_package(stage)
    icons_dir = work / "icons"
    pngs = render_icons(APP_ICON, icons_dir)
    ico = icons_dir / f"{NAME}.ico"
    bundle = run_pyinstaller(stage, ico, dist, work / "pyinstaller")
    built = Built(bundle, tree_size(bundle) / 1_000_000)
    say(f"bundle: {bundle} ({built.size_mb:.0f} MB)")
    if sys.platform.startswith("linux"):
        needs = built.needs = bundle_needs(bundle)
        for family in ("GLIBC", "GLIBCXX"):
            if family in needs.highest:
                say(
                    f"highest {family}_ version needed: {needs.floor(family)} "
                    f"(by {needs.highest[family][1]})"
                )
        provided = system_packages(needs.system) if shutil.which("dpkg") else {}
        say("from the system: " + ", ".join(sorted(needs.system)))
        missing = depends_missing(provided)
        if missing:
            say("WARNING: Depends does not name " + ", ".join(missing))
        if deb and shutil.which("dpkg-deb"):
            built.deb = build_deb(bundle, pngs, version, needs.floor("GLIBC"), dist, work)
            say(f"package: {built.deb} ({built.deb.stat().st_size / 1_000_000:.0f} MB)")
    elif sys.platform == "win32":
        built.installer = build_installer(bundle, ico, version, dist)
        if built.installer:
            say(f"installer: {built.installer}")
    return built


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python packaging/build.py", description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch folder")
    parser.add_argument("--no-deb", action="store_true", help="Linux: the bundle only")
    args = parser.parse_args(argv)
    build(args.dist.resolve(), args.work.resolve(), deb=not args.no_deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
