"""The sentence shown instead of Qt's abort when xcb libraries are missing."""

from __future__ import annotations

from studyplan.gui.syslibs import desktop_problem, missing_packages, uses_xcb


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
    sentence = desktop_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, loadable)
    assert sentence is not None
    assert "libxcb-cursor0" in sentence and "sudo apt install" in sentence
    assert "\n" not in sentence


def test_nothing_to_say_when_everything_loads() -> None:
    assert desktop_problem({"QT_QPA_PLATFORM": "xcb"}, lambda name: True) is None
