"""``python -m scalinglab`` runs the command line."""

import sys

try:
    from scalinglab.cli import run
except KeyboardInterrupt:  # Ctrl-C as the command line loads: said in its line, no traceback
    from scalinglab._caught_interrupt import forget_caught_interrupt

    sys.stderr.write("error: interrupted: scalinglab stopped as it started; nothing written\n")
    forget_caught_interrupt()  # as it left a dataclass being built: still exit 130
    raise SystemExit(130) from None

run()
