"""lr* and B* read at a tokens per parameter D/N far from every fitted cell's warn of it, as N
and D beyond the cells do: a plan's N*, D* may each lie inside the cells' ranges at a D/N
none of them trained at."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams


@pytest.fixture(scope="module")
def long_runs() -> HparamFit:
    """Cells of N = 100M-800M trained 30x longer than the usual sweep's: D/N 300 to 3000."""
    frame = sweep(41)
    frame["tokens"] *= 30
    return fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0)


def test_a_prediction_at_a_d_over_n_beyond_the_cells_warns() -> None:
    # cells of N = 100M-800M, D = 1B-80B, D/N 10 to 100: N = 2B is 0.4 decades above (no
    # warning), D = 1B a cell's own, D/N = 0.5 1.3 decades below
    hp = fit_hparams(sweep(41), seq_len=SEQ_LEN, bootstrap=0)
    (line,) = hp.predict(params=2e9, tokens=1e9).warnings
    assert line.startswith(
        f"tokens/param = 0.5 is {math.log10(10 / 0.5):.2f} decades below the smallest fitted "
        "tokens/param, 10: "
        "lr* and B* extrapolate their laws that far"
    )
    assert hp.predict(params=4e8, tokens=4e9).warnings == ()  # D/N 10: a cell's own
    # with N beyond too, one line names both
    both = hp.predict(params=4e10, tokens=2e10).warnings[0]
    assert both.startswith(f"N = 40B is {math.log10(40 / 0.8):.2f} decades above the largest")
    assert (
        f"; tokens/param = 0.5 is {math.log10(20):.2f} decades below the smallest fitted "
        "tokens/param, 10: " in both
    )


def test_plan_warns_when_its_d_over_n_is_beyond_the_sweeps_cells(
    capsys: pytest.CaptureFixture[str], long_runs: HparamFit, tmp_path: Path
) -> None:
    path = tmp_path / "hp.json"
    long_runs.save(path)
    code, out, err = cli(capsys, "plan", "--compute", "1e21", "--preset", "epoch2024",
                         "--hparams", str(path), "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    ratio = data["allocation"]["tokens_per_param"]  # about 21: N* and D* inside the cells'
    far = math.log10(300 / ratio)
    said = (
        f"tokens/param = {ratio:.3g} is {far:.2f} decades below the smallest fitted "
        "tokens/param, 300"
    )
    assert [w.split(":")[0] for w in data["hparams"]["warnings"]] == [said]
    assert data["warnings"][0].startswith(f"hparams: {said}: lr* and B* extrapolate")
    assert f"warning: {said}" in " ".join(err.split())
