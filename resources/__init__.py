"""Bundled data files: the plans, icons and style, read with importlib.resources."""
