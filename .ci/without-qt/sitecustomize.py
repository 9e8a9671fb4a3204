"""Makes Qt unimportable, for the check that model/, store/, io/ and app/ and their tests run
without it (.ci/run puts this folder first on PYTHONPATH)."""

import importlib.abc
import sys

BLOCKED = ("PySide6", "shiboken6", "pytestqt")


class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"{name} is blocked: this run has no Qt", name=name)
        return None


sys.meta_path.insert(0, _NoQt())
