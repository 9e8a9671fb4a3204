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

import os
import sys
from collections.abc import Callable, Iterable, MutableMapping
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
    import ctypes  # here: only an X11 start asks, and the window's start-up need not load it

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


def _needs_a_display(env: dict[str, str] | os._Environ[str], platform: str | None) -> bool:
    """True when Qt will look for a screen (xcb or wayland) rather than draw offscreen."""
    if (platform or sys.platform) != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    return not chosen or chosen.startswith(("xcb", "wayland"))


def _display_reachable(display: str) -> bool:
    """Whether the X server named by `display` accepts a connection (libxcb, which Qt's
    xcb plugin uses itself); True where libxcb cannot be asked, so Qt decides."""
    import ctypes

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)


def missing_packages(loadable=_loadable) -> list[str]:
    """Debian package names of the xcb libraries that cannot be loaded, in a stable order."""
    return sorted({pkg for lib, pkg in XCB_LIBRARIES.items() if not loadable(lib)})


NO_DISPLAY = (
    "无法打开窗口：没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY）。"
    "请在桌面上打开 studyplan；在终端中可以使用命令行子命令，见 studyplan --help。"
)


def desktop_problem(
    environ: dict[str, str] | None = None,
    loadable: Callable[[str], bool] = _loadable,
    *,
    platform: str | None = None,
    reachable: Callable[[str], bool] = _display_reachable,
) -> str | None:
    """The sentence to print instead of Qt's abort, or None when the window can open: no
    display at all, missing xcb libraries (named with their packages), or an X display that
    does not answer."""
    env = os.environ if environ is None else environ
    if not _needs_a_display(env, platform):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return NO_DISPLAY
    if not uses_xcb(env, platform):
        return None
    missing = missing_packages(loadable)
    if missing:
        return (
            "无法打开窗口：系统缺少图形界面所需的库 "
            + "、".join(missing)
            + "。请让管理员安装，例如：sudo apt install "
            + " ".join(missing)
        )
    display = env.get("DISPLAY", "")
    if not reachable(display):
        return (
            f"无法打开窗口：连接不到图形显示 {display}。"
            "请在桌面上打开 studyplan，或检查 DISPLAY 的设置。"
        )
    return None


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
