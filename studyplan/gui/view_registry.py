"""The main window's views by name, each built the first time it is needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtWidgets import QWidget


class ViewRegistry(Mapping[str, QWidget]):
    """The views by name in navigation order; a view registered as a factory is built the
    first time it is looked up. Membership, iteration and `len` never build a view."""

    def __init__(self, on_built: Callable[[str, QWidget], None]) -> None:
        self._factories: dict[str, Callable[[], QWidget] | None] = {}
        self._built: dict[str, QWidget] = {}
        self._on_built = on_built

    def register(
        self, name: str, widget: QWidget | None, factory: Callable[[], QWidget] | None
    ) -> None:
        self._factories[name] = factory
        if widget is not None:
            self._built[name] = widget
            self._on_built(name, widget)

    def __getitem__(self, name: str) -> QWidget:
        widget = self._built.get(name)
        if widget is None:
            factory = self._factories[name]  # KeyError for an unknown name
            assert factory is not None
            widget = factory()
            self._built[name] = widget
            self._on_built(name, widget)
        return widget

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def built(self) -> list[QWidget]:
        """The views built so far, in navigation order."""
        return [self._built[n] for n in self._factories if n in self._built]
