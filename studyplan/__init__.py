"""studyplan: the theory study central group's plan, attendance and records in one place."""

from __future__ import annotations

#: The version this source tree is released as, said once: pyproject.toml reads it from here
#: (setuptools reads the literal without importing), and so the installed metadata has it.
RELEASE = "0.1.0"


def _installed_version() -> str:
    """The installed copy's version (a bundle carries the metadata too); RELEASE for a
    checkout put on PYTHONPATH without being installed."""
    from importlib import metadata

    try:
        return metadata.version("studyplan")
    except metadata.PackageNotFoundError:
        return RELEASE


def __getattr__(name: str) -> str:
    """`__version__`, read from the metadata when first asked for: finding it scans the
    installed packages, which the window's start-up does not need to wait for."""
    if name == "__version__":
        version = _installed_version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
