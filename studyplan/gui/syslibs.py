"""Before Qt starts on a Linux desktop: name the missing system libraries in a sentence.

Without them Qt's xcb plugin aborts with "could not load the Qt platform plugin" and a core
dump, which tells a secretary nothing. The package names are Debian's (also used by Kylin and
UOS); other distributions name them alike.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: Shared libraries Qt's xcb platform plugin loads, and the package that provides each.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
}


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt will pick its X11 (xcb) plugin on this machine."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.startswith("xcb")
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return False
    return bool(env.get("DISPLAY"))


def missing_packages(loadable=_loadable) -> list[str]:
    """Debian package names of the xcb libraries that cannot be loaded, in a stable order."""
    return sorted({pkg for lib, pkg in XCB_LIBRARIES.items() if not loadable(lib)})


def desktop_problem(environ: dict[str, str] | None = None, loadable=_loadable) -> str | None:
    """The sentence to print instead of Qt's abort, or None when the window can open."""
    if not uses_xcb(environ):
        return None
    missing = missing_packages(loadable)
    if not missing:
        return None
    return (
        "无法打开窗口：系统缺少图形界面所需的库 "
        + "、".join(missing)
        + "。请让管理员安装，例如：sudo apt install "
        + " ".join(missing)
    )
