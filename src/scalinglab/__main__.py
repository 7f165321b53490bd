"""``python -m scalinglab`` runs the command line."""

import sys

try:
    from scalinglab.cli import run
except KeyboardInterrupt:  # Ctrl-C as the command line loads: said in its line, no traceback
    sys.stderr.write("error: interrupted: scalinglab stopped as it started; nothing written\n")
    raise SystemExit(130) from None

run()
