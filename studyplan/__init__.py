"""studyplan: the theory study central group's plan, attendance and records in one place."""

from importlib import metadata

#: The version this source tree is released as, said once: pyproject.toml reads it from here
#: (setuptools reads the literal without importing), and so the installed metadata has it.
RELEASE = "0.1.0"


def _installed_version() -> str:
    """The installed copy's version (a bundle carries the metadata too); RELEASE for a
    checkout put on PYTHONPATH without being installed."""
    try:
        return metadata.version("studyplan")
    except metadata.PackageNotFoundError:
        return RELEASE


__version__ = _installed_version()
