"""``python -m scalinglab`` runs the command line."""

from scalinglab.cli import run

run()
