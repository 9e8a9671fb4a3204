"""`python -m studyplan` does what the `studyplan` command does."""

from studyplan.cli import run

run()
