"""What a new user of the downstream commands and ``DownstreamFit`` meets: a misspelt keyword
named with the one meant, a chain through a column named ``loss`` said without "loss loss",
the loss column a chain without ``--via`` goes through, and loss-to-loss's too-few-runs hint
naming what loss-to-loss can do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError, DataError
from scalinglab.downstream import fit_downstream, fit_loss_to_loss, read_evals


def test_predict_names_the_keyword_meant() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, tasks=["task"], bootstrap=0, max_backtest_error=None)
    with pytest.raises(ConfigError, match="got levle=, which is none of its options") as err:
        chain.predict(params=1e9, tokens=2e10, levle=0.5)
    assert err.value.hint == "did you mean level=?"
    with pytest.raises(ConfigError, match="got N=") as err:
        chain.predict(N=1e9, D=2e10)
    with pytest.raises(ConfigError, match="needs params= and tokens="):
        chain.predict(params=1e9)
    assert chain.predict(params=1e9, tokens=2e10, level=0.5)["task"].level == 0.5


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_the_loss_the_chain_goes_through_is_said_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    options = ["--task", "task", "--bootstrap", "0", "--max-backtest-error", "inf"]
    code, out, err = run(capsys, "downstream", "fit", str(path), *options)
    assert code == 0, err
    said = " ".join(out.split())  # wrapped where the path's length puts it
    assert "; loss by " in said and "loss loss" not in said and "no --via" not in err
    # without a `loss` column and without --via: the first loss_* column, said on stderr
    frame.rename(columns={"loss": "loss_c4"}).assign(loss_code=frame["loss"] * 1.2).to_csv(
        path, index=False
    )
    code, out, err = run(capsys, "downstream", "fit", str(path), *options)
    assert code == 0, err
    assert "; loss loss_c4 by " in " ".join(out.split())
    assert (
        "no --via: the chain goes through loss_c4, the loss column found in "
        f"{path} (loss columns: loss_c4, loss_code); choose one with --via COLUMN"
    ) in " ".join(err.split())
    code, out, err = run(capsys, "downstream", "fit", str(path), *options, "--via", "loss_code")
    assert code == 0 and "no --via" not in err


def test_loss_to_loss_with_too_few_runs_says_to_add_runs() -> None:
    frame = pd.DataFrame(
        {"params": [1e7, 2e7, 4e7, 8e7], "tokens": [2e8, 4e8, 8e8, 1.6e9],
         "loss_a": [4.0, 3.6, 3.3, 3.1], "loss_b": [4.4, 4.0, 3.6, 3.4],
         "dataset": ["c4"] * 4}
    )  # fmt: skip
    with pytest.raises(DataError, match="has 4 parameters") as err:
        fit_loss_to_loss(frame, x="loss_a", y="loss_b", bootstrap=0)
    assert err.value.hint == "loss-to-loss fits this one law: add runs"
    assert "power-law" not in str(err.value)
    with pytest.raises(DataError, match="no dataset value has runs enough") as err:
        fit_loss_to_loss(frame, x="loss_a", y="loss_b", group="dataset", bootstrap=0)
    assert "add runs of that dataset" in str(err.value) and "power-law" not in str(err.value)
