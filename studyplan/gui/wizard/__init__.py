"""The first-run wizard (入门向导)."""
