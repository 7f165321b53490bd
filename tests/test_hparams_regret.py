"""The regret-weighted lr* and B* laws against closed-form weighted least squares."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError, DataError
from scalinglab._errors import TooFewCellsError
from scalinglab._format import format_g
from scalinglab._hparams_numbers import si
from scalinglab.hparams import CellOptimum, backtest_hparams, fit_hparams, locate_optima, read_sweep
from scalinglab.hparams._choose import resolve
from scalinglab.hparams._few_cells import with_optima
from scalinglab.hparams._pair import fit_pair


def _cell(
    n: float, d: float, lr: float, batch: float, h: tuple[float, float, float]
) -> CellOptimum:
    """A cell whose surface has Hessian ``[[huu, huv], [huv, hvv]]`` (loss* = 1)."""
    huu, hvv, huv = h
    return CellOptimum(
        keys={"params": n, "tokens": d},
        n_runs=50,
        diverged=(),
        lr=lr,
        lr_interval=(math.nan, math.nan),
        batch=batch,
        batch_interval=(math.nan, math.nan),
        loss=1.0,
        best_run="r",
        best_lr=lr,
        best_batch=batch,
        best_loss=1.0,
        bracketed=True,
        status="ok",
        center=(math.log(lr), math.log(batch)),
        coef=(1.0, 0.0, 0.0, huu / 2, huv, hvv / 2),
        n_window=50,
    )


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    return np.linalg.lstsq(x * sw[:, None], y * sw, rcond=None)[0]


def test_regret_weighting_is_the_closed_form_weighted_fit() -> None:
    rng = np.random.default_rng(3)
    n = np.repeat([2e8, 3e8, 5e8, 8e8], 3)
    d = n * np.tile([10.0, 30.0, 100.0], 4)
    lr = 1.79 * n**-0.713 * d**0.307 * np.exp(rng.normal(0, 0.1, 12))
    batch = 0.58 * d**0.571 * np.exp(rng.normal(0, 0.15, 12))
    hs = [(rng.uniform(0.01, 0.03), rng.uniform(0.01, 0.02), -rng.uniform(0, 0.006)) for _ in n]
    cells = [_cell(*args) for args in zip(n, d, lr, batch, hs, strict=True)]
    cols = {"params": n, "tokens": d}
    lr_law, b_law = fit_pair(
        "A * N**alpha * D**beta", "B * D**gamma", cols, cells, robust_loss="squared", level=0.9
    )
    assert b_law is not None
    huu, hvv, huv = (np.array([h[k] for h in hs]) for k in range(3))
    # B*: weighted by S = hvv - huv^2/huu, the regret of a batch error once lr follows it
    gamma = _wls(np.column_stack([np.ones(12), np.log(d)]), np.log(batch), hvv - huv**2 / huu)
    assert b_law.coefs["gamma"] == pytest.approx(gamma[1], abs=1e-6)
    assert b_law.coefs["B"] == pytest.approx(math.exp(gamma[0]), rel=1e-5)
    # lr*: the best lr at the predicted batch, lr* exp(-(huv/huu) v), weighted by huu
    v = gamma[0] + gamma[1] * np.log(d) - np.log(batch)
    x = np.column_stack([np.ones(12), np.log(n), np.log(d)])
    coef = _wls(x, np.log(lr) - huv / huu * v, huu)
    assert lr_law.coefs["alpha"] == pytest.approx(coef[1], abs=1e-6)
    assert lr_law.coefs["beta"] == pytest.approx(coef[2], abs=1e-6)
    # equal weights: the plain least-squares line through the located optima
    eq, _ = fit_pair(
        "A * N**alpha * D**beta", None, cols, cells, weighting="equal", robust_loss="squared"
    )
    plain = _wls(x, np.log(lr), np.ones(12))
    assert eq.coefs["alpha"] == pytest.approx(plain[1], abs=1e-6)


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_regret_weighted_fit_recovers_known_laws_and_is_refused_when_unknown() -> None:
    frame = sweep(4)
    hp = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=100)
    assert hp.settings["weighting"] == "regret"
    # the sweeps are drawn from Step Law's laws with no batch error: both weightings agree
    eq = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, weighting="equal")
    assert hp.lr_law.coefs["alpha"] == pytest.approx(eq.lr_law.coefs["alpha"], abs=0.02)
    lo, hi = hp.lr_law.intervals["alpha"]
    assert lo <= -0.713 <= hi
    with pytest.raises(ConfigError, match=r"unknown weighting 'loss'.*regret, equal"):
        fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, weighting="loss")


def test_backtest_takes_a_batch_law_with_an_n_term() -> None:
    # the synthetic sweeps have B* = B D^gamma (no N): a fitted N exponent near zero, and
    # held-out cells predicted as well as by the Step Law form
    frame = sweep(5)
    form = backtest_hparams(frame, seq_len=SEQ_LEN, presets=())
    with_n = backtest_hparams(
        frame, seq_len=SEQ_LEN, presets=(), batch_law="B * N**delta * D**gamma"
    )
    ours = with_n.summary("scalinglab")
    assert ours["cells"] == 3 and ours["median_regret"] < 1e-3
    assert abs(math.log(ours["median_batch_ratio"])) < 0.1
    assert form.summary("scalinglab")["median_regret"] < 1e-3


def test_unbracketed_cells_kept_weigh_as_the_median_cell() -> None:
    # cells whose grid stops below the optimum, kept on request: their surfaces may have no
    # minimum, so they carry no tilt and the median weight; the fit stays finite
    edge = sweep(3, edge=True)
    hp = fit_hparams(edge, seq_len=SEQ_LEN, bootstrap=20, include_unbracketed=True)
    assert len(hp.used) == 12
    assert hp.batch_law is not None
    values = [*hp.lr_law.coefs.values(), *hp.batch_law.coefs.values()]
    assert all(math.isfinite(v) for v in values)


def test_the_command_line_and_python_fit_equal_weights_with_the_same_loss(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``--weighting equal`` fits with Huber in both: the CLI once chose it by itself."""
    from scalinglab.cli import main
    from scalinglab.hparams import HparamFit

    frame = sweep(4)
    path = tmp_path / "sweep.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "hp.json"
    args = ["hparams", "fit", str(path), "--seq-len", str(SEQ_LEN), "--weighting", "equal"]
    assert main([*args, "--law", "steplaw", "--bootstrap", "0", "--out", str(out)]) == 0
    cli = HparamFit.load(out)
    py = fit_hparams(path, seq_len=SEQ_LEN, bootstrap=0, weighting="equal", law="steplaw")
    assert py.settings["robust_loss"] == cli.settings["robust_loss"] == "huber"
    assert py.lr_law.coefs == pytest.approx(cli.lr_law.coefs, rel=1e-9)
    squared = fit_hparams(
        path, seq_len=SEQ_LEN, bootstrap=0, weighting="equal", law="steplaw", robust_loss="squared"
    )
    assert squared.settings["robust_loss"] == "squared"
    assert fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0).settings["robust_loss"] == "squared"


def test_a_law_of_lr_that_reads_no_cell_column_is_refused_with_what_it_can_read() -> None:
    frame = sweep(4)
    with pytest.raises(ConfigError, match=r"lr_law: formula 'A\*h\*\*alpha' uses no variable") as e:
        fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, lr_law="A*h**alpha")
    assert e.value.hint.startswith("write lr_law over N, D and C (params, tokens, flops)")
    with pytest.raises(ConfigError, match=r"batch_law: formula 'B\*lr\*\*g' uses no variable"):
        backtest_hparams(frame, seq_len=SEQ_LEN, presets=(), batch_law="B*lr**g")
    # read once, by get_law, as the fit reads it: what it refuses is refused before any fit
    with pytest.raises(ConfigError, match=r"lr_law: formula 'N\*\*2' has no parameter to fit"):
        resolve("auto", "N**2", None)
    with pytest.raises(ConfigError, match=r"batch_law='chinchilla' names a loss law, not a"):
        resolve("auto", None, "chinchilla")
    fit = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, lr_law="A*params**alpha")
    assert set(fit.lr_law.coefs) == {"A", "alpha"}


def test_a_sweep_of_one_model_names_its_located_optimum_where_no_law_can_be_fitted() -> None:
    frame = sweep(4)
    one = frame[
        (frame["params"] == frame["params"].min()) & (frame["tokens"] == frame["tokens"].min())
    ]
    cell = locate_optima(read_sweep(one, seq_len=SEQ_LEN), bootstrap=0)[0]
    with pytest.raises(DataError, match="1 cell for the lr law") as err:
        fit_hparams(one, seq_len=SEQ_LEN, bootstrap=0)
    found = (
        f"the optima located: {cell.label()}: lr* {format_g(cell.lr, 3)}, "
        f"B* {si(cell.batch)} tokens"
    )
    assert found in err.value.hint and err.value.hint.endswith("(Python: hparams.locate_optima)")
    assert type(err.value) is TooFewCellsError  # a DataError: callers catching that still do
    # told by its class, not its wording
    said = with_optima(
        TooFewCellsError("too few", hint="add sweeps"), [cell], batch_unit="tokens"
    ).hint
    assert said.startswith(f"add sweeps; {found}")
