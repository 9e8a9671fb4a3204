"""Before Qt starts on a Linux desktop: name the missing system libraries in a sentence, and
let Chinese be typed with fcitx.

Without the libraries Qt's xcb plugin aborts with "could not load the Qt platform plugin" and
a core dump, which tells a secretary nothing. The package names are Debian's (also used by
Kylin and UOS); other distributions name them alike.

Kylin and UOS type Chinese through fcitx, but the Qt inside the PySide6 wheel carries no
fcitx plugin (only ibus and compose), so typing in the window would give Latin letters only.
fcitx 5 also answers the ibus protocol, so Qt is pointed at its ibus plugin instead.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterable, MutableMapping
from pathlib import Path

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


def _is_fcitx(name: str) -> bool:
    return "fcitx" in name.strip().lower()


def _is_qt6_plugin(path: Path) -> bool:
    """True for a plugin built against Qt 6: its symbols carry Qt 6's version tag (a Qt 5
    plugin on QT_PLUGIN_PATH would not load)."""
    try:
        with path.open("rb") as fh:
            return b"Qt_6" in fh.read(8 * 1024 * 1024)
    except OSError:
        return False


def _has_fcitx_plugin(plugin_dirs: Iterable[str | Path]) -> bool:
    for folder in plugin_dirs:
        if not str(folder):
            continue
        contexts = Path(folder) / "platforminputcontexts"
        try:
            plugins = [p for p in contexts.iterdir() if _is_fcitx(p.name)]
        except OSError:
            continue
        if any(_is_qt6_plugin(p) for p in plugins):
            return True
    return False


def input_method_fallback(
    environ: MutableMapping[str, str],
    plugin_dirs: Iterable[str | Path],
    platform: str | None = None,
) -> dict[str, str]:
    """The input-method variables to set before Qt starts (none when nothing is needed).

    fcitx is the input method when QT_IM_MODULE (or, if unset, XMODIFIERS) names it, or
    when Qt 6.7's QT_IM_MODULES list does; if no folder in `plugin_dirs` holds a fcitx
    plugin, ibus takes its place (or, in the list, joins it as the fallback).
    """
    if not (platform or sys.platform).startswith("linux"):
        return {}
    modules = environ.get("QT_IM_MODULES", "")
    module = environ.get("QT_IM_MODULE", "")
    if modules:
        names = [n.strip() for n in modules.split(";") if n.strip()]
        if not any(_is_fcitx(n) for n in names) or "ibus" in names:
            return {}
        if _has_fcitx_plugin(plugin_dirs):
            return {}
        return {"QT_IM_MODULES": ";".join([*names, "ibus"])}
    wants_fcitx = _is_fcitx(module) if module else _is_fcitx(environ.get("XMODIFIERS", ""))
    if not wants_fcitx or _has_fcitx_plugin(plugin_dirs):
        return {}
    return {"QT_IM_MODULE": "ibus"}
