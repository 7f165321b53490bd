"""The store is below ``execute``: showing a stopped ladder rung ``interrupted`` (the rule
``runs --status`` and ``--where status=`` select by) is the store's own, so importing the
store and selecting by status imports nothing from ``execute`` (``_listing`` imported
``execute._rung_status`` lazily, a dependency upward)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import json, pkgutil, sys, tempfile
from pathlib import Path

import scalinglab.store as store
for info in pkgutil.iter_modules(store.__path__, "scalinglab.store."):
    __import__(info.name)
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._listing import where_runs

path = Path(tempfile.mkdtemp()) / "s.duckdb"
rs = RunStore(path)
rs.put_run(StoredRun(run_id="r", name="w32", status="pending", source="ladder:micro",
                     params=2e4, tokens=2e5))
chosen = where_runs(rs.runs(), [("status", "interrupted")], str(path))
print(json.dumps({
    "chosen": [r.name for r in chosen],
    "execute": sorted(m for m in sys.modules if m.startswith("scalinglab.execute")),
}))
"""


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_the_store_imports_nothing_from_execute() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    said = json.loads(out.stdout.strip().splitlines()[-1])
    assert said == {"chosen": ["w32"], "execute": []}
