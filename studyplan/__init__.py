"""studyplan: the theory study central group's plan, attendance and records in one place."""

__version__ = "0.1.0"
