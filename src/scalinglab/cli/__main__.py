"""``python -m scalinglab.cli ...``: the same as the ``scalinglab`` command."""

from scalinglab.cli import run

if __name__ == "__main__":
    run()
