"""downstream_accuracy's section 4: the chain's speed against an earlier commit's, each run in
a fresh process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _downstream_split import DATA, ROOT

#: The fourth round of issue 15 as merged (the speed baseline).
BASELINE = "498ff86"


#: What each timed process runs: the 46-task chain on the <= 154M models, after a warm-up.
_TIMED = """
import json, sys, time
from scalinglab.downstream import fit_downstream, read_evals
data, boot = sys.argv[1], int(sys.argv[2])
evals = read_evals(data + "/models.dev.csv", loss="loss_c4_val", chance=data + "/eval_metadata.csv")
train = evals.select(evals.runs["params"] < 4e8)
fit_downstream(train, tasks=["hellaswag"], bootstrap=10)  # warm the imports
start, cpu = time.perf_counter(), time.process_time()
chain = fit_downstream(train, bootstrap=boot)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - start,
                  "predictable": len(chain.predictable), "tasks": len(chain.tasks)}))
"""


def _baseline_source(commit: str) -> Path:
    """``src/`` of ``commit`` in a temporary folder, with this checkout's compiled kernels."""
    folder = Path(tempfile.mkdtemp(prefix="downstream-baseline-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    for built in (ROOT / "src" / "scalinglab" / "fit").glob("*.so"):
        shutil.copy2(built, folder / "src" / "scalinglab" / "fit" / built.name)
    same = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "--quiet", commit, "--", "src/scalinglab/fit/_sumpow.c"]
    ).returncode == 0  # fmt: skip
    if not same:
        print(f"   note: _sumpow.c changed since {commit}; the baseline runs today's kernels")
    return folder / "src"


#: The resamples the speed target is set for, and the target (CPU seconds).
TARGET_RESAMPLES, TARGET_CPU_S = 1000, 20.0


def speed_verdict(new: float, old: float, *, boot: int, labels: tuple[str, str]) -> str:
    """The speed section's last line: best CPU seconds of ``labels`` = (new, old), their ratio
    new/old (below 1: the new code is faster), and the target judged only at the count of
    resamples it is set for."""
    if boot == TARGET_RESAMPLES:
        verdict = "met" if new <= TARGET_CPU_S else "not met"
        target = f"target <= {TARGET_CPU_S:.0f} s: {verdict}"
    else:
        target = f"target is for {TARGET_RESAMPLES:,} resamples: not judged"
    return (
        f"   best CPU: {labels[0]} {new:.1f} s, {labels[1]} {old:.1f} s "
        f"(new/old {new / old:.2f}x); {target}"
    )


def speed(boot: int, baseline: str) -> None:
    print(
        f"\n4. Speed: the chain for all 46 tasks, {boot:,} resamples, the <= 154M models, each "
        "run in a fresh process"
    )
    # the label says round 4 only for the commit that is the fourth round
    old_label = f"round 4 ({baseline})" if baseline == BASELINE else f"baseline ({baseline})"
    sources = {old_label: _baseline_source(baseline), "round 5 (default)": ROOT / "src"}
    cpu_times: dict[str, list[float]] = {k: [] for k in sources}
    try:
        for _ in range(2):
            for label, src in sources.items():
                env = {**os.environ, "PYTHONPATH": str(src)}
                out = subprocess.run(
                    [sys.executable, "-c", _TIMED, str(DATA), str(boot)],
                    env=env, check=True, capture_output=True, text=True,
                )  # fmt: skip
                got = json.loads(out.stdout.strip().splitlines()[-1])
                cpu_times[label].append(got["cpu"])
                print(
                    f"   {label}: CPU {got['cpu']:.1f} s, wall {got['wall']:.1f} s (load average "
                    f"{os.getloadavg()[0]:.2f}; {got['predictable']} of {got['tasks']} tasks "
                    "predictable)"
                )
    finally:
        shutil.rmtree(sources[old_label].parent, ignore_errors=True)
    old, new = (min(v) for v in cpu_times.values())
    print(speed_verdict(new, old, boot=boot, labels=("round 5 (default)", old_label)))
