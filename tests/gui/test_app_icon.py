"""The window carries the app's own icon, and the row filters work on Qt 6.9 too."""

from __future__ import annotations

from studyplan.gui.app import application
from studyplan.gui.common import refilter_rows
from tests.packaging.conftest import load_build


def test_application_sets_the_studyplan_icon() -> None:
    icon = application().windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(32, 32).isNull()


def test_the_desktop_file_name_is_the_menu_entrys() -> None:
    # Wayland has no WM_CLASS: a dock finds the .desktop entry (and its icon) by this name.
    build = load_build()
    assert application().desktopFileName() == build.NAME  # it installs NAME.desktop
    assert f"StartupWMClass={build.NAME}\n" in build.DESKTOP_ENTRY  # the X11 match agrees


class _Qt69Proxy:
    """What QSortFilterProxyModel offers in Qt 6.9: beginFilterChange without its
    endFilterChange (which came in 6.10)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def beginFilterChange(self) -> None:
        self.calls.append("begin")

    def invalidateRowsFilter(self) -> None:
        self.calls.append("invalidate rows")


def test_refilter_rows_on_qt_6_9_changes_then_filters_again() -> None:
    proxy = _Qt69Proxy()
    refilter_rows(proxy, lambda: proxy.calls.append("change"))  # type: ignore[arg-type]
    assert proxy.calls[-2:] == ["change", "invalidate rows"]
