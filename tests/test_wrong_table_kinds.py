"""``envelope``, ``isoflop`` and ``curves fit`` given a table they do not read say what it
looks like and which command or option takes it: Gadre et al.'s models (final losses, a row
a model, eight ``loss_*`` columns and no ``loss``) and the Step Law sweep (runs over learning
rates and batch sizes at each (N, D), which ``hparams fit`` reads). Before, the envelope said
only "no loss column" (listing 65 columns) or "no tokens column ... --map tokens", and
isoflop on the sweep advised other budgets or a wider tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests._cli import refused
from tests.conftest import SHARED

from scalinglab import DataError, envelope, isoflop
from scalinglab.data._curves import read_curves

MODELS = SHARED / "overtraining" / "models.dev.csv"
SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
_LOSSES = (
    "8 columns named as losses: 'loss_openlm', 'loss_c4_val', 'loss_paloma_c4_en', "
    "'loss_paloma_code', 'loss_paloma_refinedweb' and 3 more"
)
_SWEEP = (
    "an lr × batch sweep: 1746 runs in 15 groups of equal 'N' and 'D', each over 11-12 "
    "learning rates ('lr') and 10 batch sizes ('bs')"
)
_CURVES = "this reads loss curves, several checkpoints per run"


@pytest.fixture(autouse=True)
def _shared() -> None:
    if not (MODELS.is_file() and SWEEP.is_file()):
        pytest.skip("the shared data lives in ../shared/data")


def test_envelope_of_final_losses_names_their_loss_columns_and_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error, hint = refused(capsys, ["envelope", str(MODELS)])
    assert error == (
        f"error: {MODELS}: no loss column (looked for loss, train_loss, train/loss, eval_loss, "
        f"val_loss, validation_loss), and its 95 rows are one per run (each 'name' once): "
        f"final losses ({_LOSSES}); {_CURVES}"
    )
    assert hint == (
        f"hint: to fit final losses: `scalinglab isoflop {MODELS} --y loss=COLUMN` or "
        f"`scalinglab fit {MODELS} --y loss=COLUMN`"
    )


@pytest.mark.parametrize(
    ("options", "missing"),
    [((), "no tokens or step column"), (("--map", "tokens=D"), "no run has 2+ points")],
)
def test_envelope_of_a_sweep_says_hparams_fit(
    capsys: pytest.CaptureFixture[str], options: tuple[str, ...], missing: str
) -> None:
    error, hint = refused(capsys, ["envelope", str(SWEEP), *options])
    assert error == (
        f"error: {SWEEP}: {missing}, and its 1746 rows are one per run (each 'exp_name' "
        f"once): it looks like {_SWEEP}; {_CURVES}"
    )
    assert hint == (
        f"hint: to fit the optimal learning rate and batch size: `scalinglab hparams fit {SWEEP}`"
    )


def test_isoflop_names_the_loss_columns_and_says_a_sweep_is_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, hint = refused(capsys, ["isoflop", str(MODELS)])
    assert hint == (
        f"hint: say which column holds the loss ({_LOSSES}): --y loss=COLUMN (y=COLUMN in Python)"
    )
    error, hint = refused(capsys, ["isoflop", str(SWEEP)])
    assert error.startswith(f"error: {SWEEP}: 1 budget with a usable parabola")
    assert hint == (
        f"hint: the runs look like {_SWEEP}, not an IsoFLOP grid (model sizes around each "
        f"budget's optimum, at one learning rate): `scalinglab hparams fit {SWEEP}` fits their "
        "optimal learning rate and batch size"
    )


def test_python_is_told_the_python_calls() -> None:
    with pytest.raises(DataError) as err:
        envelope(pd.read_csv(SWEEP))
    assert err.value.hint == (
        "to fit the optimal learning rate and batch size: scalinglab.fit_hparams(frame)"
    )
    with pytest.raises(DataError) as err:
        envelope(pd.read_csv(MODELS))
    assert err.value.hint == (
        "to fit final losses: `scalinglab.isoflop(frame, y=COLUMN)` or "
        "`scalinglab.fit(LAW, frame, y=COLUMN)`"
    )


def _grid(lrs: list[float]) -> pd.DataFrame:
    """An IsoFLOP grid (5 budgets, 6 sizes each), each run trained at every lr of ``lrs``:
    the loss the Chinchilla law's plus a bowl in log lr around 1e-3."""
    rows = []
    for c in np.geomspace(1e18, 1e20, 5):
        for n in 0.6 * (c / 6) ** 0.48 * np.geomspace(1 / 5, 5, 6):
            d = c / (6 * n)
            for lr in lrs:
                loss = 1.9 + 520 * n**-0.36 + 1500 * d**-0.33 + 0.05 * np.log10(lr / 1e-3) ** 2
                rows.append({"params": n, "tokens": d, "lr": lr, "bs": 256, "loss": loss})
    return pd.DataFrame(rows)


def test_isoflop_warns_of_a_sweep_it_fits_and_not_of_a_grid_at_one_lr() -> None:
    one = isoflop(_grid([1e-3]), bootstrap=0)
    assert not [w for w in one.warnings if "sweep" in w]
    swept = isoflop(_grid([3e-4, 1e-3, 3e-3]), bootstrap=0)
    assert (
        "the runs look like a learning-rate sweep: 90 runs in 30 groups of equal 'params' "
        "and 'tokens', each over 3 learning rates ('lr') at one batch size ('bs'), not an IsoFLOP "
        "grid (model sizes around each budget's optimum, at one learning rate): "
        "scalinglab.fit_hparams(frame) fits their optimal learning rate and batch size"
    ) in swept.warnings


def test_a_curve_file_logging_its_lr_is_no_sweep() -> None:
    """A run's logged lr varies along its rows: the rows are checkpoints, no sweep."""
    steps = np.arange(1, 21) * 100
    frame = pd.concat(
        [
            pd.DataFrame(
                {"run": r, "step": steps, "lr": np.linspace(1e-3, 1e-4, 20), "params": n,
                 "D": 2e9, "loss": 2 + 50 * n**-0.3 + 5 * steps**-0.5}
            )
            for r, n in (("a", 1e7), ("b", 3e7), ("c", 1e8))
        ]
    )  # fmt: skip
    curves = read_curves(frame, tokens_per_step=1e6)
    assert curves.runs == ("a",) * 20 + ("b",) * 20 + ("c",) * 20
    np.testing.assert_array_equal(curves.tokens, np.tile(steps * 1e6, 3))
