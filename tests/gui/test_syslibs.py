"""Before Qt starts: the sentence shown instead of Qt's abort when xcb libraries are missing,
and the input method that lets Chinese be typed with fcitx."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyplan.gui.syslibs import (
    NO_DISPLAY,
    _has_fcitx_plugin,
    desktop_problem,
    input_method_fallback,
    missing_packages,
    uses_xcb,
)


def test_only_x11_sessions_on_linux_need_xcb() -> None:
    assert uses_xcb({"DISPLAY": ":0"}, platform="linux")
    assert not uses_xcb({"DISPLAY": ":0"}, platform="win32")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, platform="linux")
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux")
    assert not uses_xcb({}, platform="linux")


def test_missing_library_is_named_with_its_package() -> None:
    def loadable(name: str) -> bool:
        return name not in {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}

    assert missing_packages(loadable) == ["libxcb-cursor0", "libxcb-icccm4"]
    sentence = desktop_problem(
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, loadable, platform="linux"
    )
    assert sentence is not None
    assert "libxcb-cursor0" in sentence and "sudo apt install" in sentence
    assert "\n" not in sentence


def test_nothing_to_say_when_everything_loads() -> None:
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}
    problem = desktop_problem(env, lambda name: True, platform="linux", reachable=lambda d: True)
    assert problem is None


@pytest.mark.parametrize("env", [{}, {"QT_QPA_PLATFORM": "xcb"}, {"XDG_SESSION_TYPE": "tty"}])
def test_no_display_at_all_is_one_sentence_before_qt_aborts(env: dict[str, str]) -> None:
    problem = desktop_problem(env, lambda name: True, platform="linux")
    assert problem == NO_DISPLAY
    assert "DISPLAY" in problem and "\n" not in problem


def test_a_display_that_does_not_answer_is_named() -> None:
    env = {"DISPLAY": ":93"}
    problem = desktop_problem(env, lambda name: True, platform="linux", reachable=lambda d: False)
    assert problem is not None and ":93" in problem


def test_offscreen_wayland_and_windows_need_no_x_display() -> None:
    ok = lambda name: True  # noqa: E731
    assert desktop_problem({"QT_QPA_PLATFORM": "offscreen"}, ok, platform="linux") is None
    assert desktop_problem({"WAYLAND_DISPLAY": "wayland-0"}, ok, platform="linux") is None
    assert desktop_problem({}, ok, platform="win32") is None


def test_the_real_x_check_answers_for_a_display_that_is_not_there() -> None:
    from studyplan.gui.syslibs import _display_reachable

    assert _display_reachable(":4711") is False


def test_the_command_without_a_display_says_so_and_exits_2(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(tmp_path / "s.db")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"studyplan: {NO_DISPLAY}"
    assert not (tmp_path / "s.db").exists()


# -- typing Chinese with fcitx -------------------------------------------------------------
@pytest.fixture
def wheel_plugins(tmp_path: Path) -> Path:
    """A plugin folder like the PySide6 wheel's: ibus and compose, no fcitx."""
    contexts = tmp_path / "wheel" / "platforminputcontexts"
    contexts.mkdir(parents=True)
    for name in ("libibusplatforminputcontextplugin.so", "libcomposeplatforminputcontextplugin.so"):
        (contexts / name).write_bytes(b"")
    return contexts.parent


@pytest.fixture
def system_plugins(tmp_path: Path) -> Path:
    """A system Qt 6's plugin folder that has fcitx 5's plugin."""
    contexts = tmp_path / "system" / "platforminputcontexts"
    contexts.mkdir(parents=True)
    (contexts / "libfcitx5platforminputcontextplugin.so").write_bytes(b"\x7fELF..Qt_6..")
    return contexts.parent


def test_a_qt5_fcitx_plugin_does_not_count(tmp_path: Path, wheel_plugins) -> None:
    contexts = tmp_path / "qt5" / "platforminputcontexts"
    contexts.mkdir(parents=True)
    (contexts / "libfcitx5platforminputcontextplugin.so").write_bytes(b"\x7fELF..Qt_5..")
    plugins = [wheel_plugins, contexts.parent]
    assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, plugins, "linux") == {
        "QT_IM_MODULE": "ibus"
    }


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_IM_MODULE": "fcitx"},
        {"QT_IM_MODULE": "fcitx5"},
        {"XMODIFIERS": "@im=fcitx"},
    ],
)
def test_fcitx_without_its_plugin_goes_through_ibus(environ, wheel_plugins) -> None:
    assert input_method_fallback(environ, [wheel_plugins], "linux") == {"QT_IM_MODULE": "ibus"}


def test_a_list_of_input_methods_gets_ibus_as_fallback(wheel_plugins) -> None:
    environ = {"QT_IM_MODULES": "wayland;fcitx"}
    assert input_method_fallback(environ, [wheel_plugins], "linux") == {
        "QT_IM_MODULES": "wayland;fcitx;ibus"
    }
    assert input_method_fallback({"QT_IM_MODULES": "fcitx;ibus"}, [wheel_plugins], "linux") == {}


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"QT_IM_MODULE": "ibus"},
        {"QT_IM_MODULE": "ibus", "XMODIFIERS": "@im=fcitx"},  # the user chose ibus
        {"XMODIFIERS": "@im=ibus"},
        {"QT_IM_MODULES": "wayland;ibus"},
    ],
)
def test_other_input_methods_are_left_alone(environ, wheel_plugins) -> None:
    assert input_method_fallback(environ, [wheel_plugins], "linux") == {}


def test_fcitx_is_kept_where_qt_can_load_its_plugin(wheel_plugins, system_plugins) -> None:
    plugins = ["", wheel_plugins, system_plugins]
    assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, plugins, "linux") == {}
    assert input_method_fallback({"QT_IM_MODULES": "fcitx"}, plugins, "linux") == {}


def test_only_linux_needs_the_fallback(wheel_plugins) -> None:
    for platform in ("win32", "darwin"):
        assert input_method_fallback({"QT_IM_MODULE": "fcitx"}, [wheel_plugins], platform) == {}


def test_the_fallback_holds_only_while_qt_starts() -> None:
    """What application() does around making the QApplication, against the wheel's own Qt:
    programs started from the window later get the desktop's own settings back."""
    from studyplan.gui import app as gui_app

    environ = {"XMODIFIERS": "@im=fcitx", "QT_IM_MODULE": "fcitx"}
    expected = "fcitx" if _has_fcitx_plugin([_wheel_plugin_dir()]) else "ibus"
    with gui_app._input_method(environ):
        assert environ["QT_IM_MODULE"] == expected
    assert environ == {"XMODIFIERS": "@im=fcitx", "QT_IM_MODULE": "fcitx"}
    environ = {"XMODIFIERS": "@im=fcitx"}
    with gui_app._input_method(environ):
        assert environ.get("QT_IM_MODULE") == (None if expected == "fcitx" else "ibus")
    assert environ == {"XMODIFIERS": "@im=fcitx"}


def _wheel_plugin_dir() -> str:
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
