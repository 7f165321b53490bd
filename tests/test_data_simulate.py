"""The simulated default ladder: deterministic, on the Hoffmann et al. 2022 law, packaged."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab import _errors
from scalinglab.data import DEFAULT_LADDER_SOURCE, simulate_ladder, simulated_runs
from scalinglab.data._simulate import _chinchilla_loss, _optimal_params


def test_shape_and_marking() -> None:
    table = simulate_ladder()
    assert len(table) == 49
    assert table.simulated
    assert table.source == "simulated: Hoffmann et al. 2022 law + 1% log-normal noise, seed 0"
    assert table.source == DEFAULT_LADDER_SOURCE
    assert table.describe_source().startswith("SIMULATED ladder")
    assert table.describe_source().endswith("(49 runs)")
    assert table.runs[0] == "sim-C1e+18-N1e+07"
    assert len(set(table.runs)) == 49
    assert any("SIMULATED" in n for n in table.notes)


def test_deterministic_and_seeded() -> None:
    a, b = simulate_ladder(seed=3), simulate_ladder(seed=3)
    np.testing.assert_array_equal(a["loss"], b["loss"])
    assert not np.array_equal(a["loss"], simulate_ladder(seed=4)["loss"])
    assert "seed 3" in a.source


def test_isoflop_geometry() -> None:
    table = simulate_ladder(budgets=(1e19, 1e20), sizes_per_budget=5)
    N, D, C = table["params"], table["tokens"], table["flops"]
    np.testing.assert_allclose(C, 6 * N * D, rtol=1e-14)
    np.testing.assert_array_equal(C, [1e19] * 5 + [1e20] * 5)
    for k in (0, 5):  # N_opt/8 ... 8·N_opt, with N_opt in the middle
        np.testing.assert_allclose(N[k : k + 5] / N[k + 2], [1 / 8, 8**-0.5, 1, 8**0.5, 8])


def test_noise_free_loss_is_the_law() -> None:
    table = simulate_ladder(noise=0.0)
    expected = 1.69 + 406.4 / table["params"] ** 0.34 + 410.7 / table["tokens"] ** 0.28
    np.testing.assert_allclose(table["loss"], expected, rtol=1e-15)
    assert "0% log-normal noise" in table.source


def test_noise_level() -> None:
    table = simulate_ladder(
        noise=0.02, budgets=np.geomspace(1e18, 1e22, 40).tolist(), sizes_per_budget=25
    )
    log_ratio = np.log(table["loss"] / _chinchilla_loss(table["params"], table["tokens"]))
    assert np.std(log_ratio) == pytest.approx(0.02, rel=0.05)
    assert "2% log-normal noise" in table.source


def test_optimal_params_minimises_the_law_at_fixed_compute() -> None:
    C = 1e21
    N = np.geomspace(1e8, 1e11, 20001)
    best = N[np.argmin(_chinchilla_loss(N, C / (6 * N)))]
    assert best == pytest.approx(_optimal_params(C), rel=1e-3)


@pytest.mark.parametrize(
    "options",
    [
        {"noise": -0.1},
        {"noise": float("nan")},
        {"budgets": ()},
        {"budgets": (1e18, 0.0)},
        {"sizes_per_budget": 0},
    ],
)
def test_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(_errors.ConfigError):
        simulate_ladder(**options)  # type: ignore[arg-type]


def test_single_size_per_budget_is_the_optimum() -> None:
    table = simulate_ladder(budgets=(1e20,), sizes_per_budget=1, noise=0.0)
    assert table["params"][0] == pytest.approx(_optimal_params(1e20), rel=1e-15)


def test_packaged_csv_reproduces_simulate_ladder() -> None:
    packaged, simulated = simulated_runs(), simulate_ladder()
    assert packaged.runs == simulated.runs
    for column in ("params", "tokens", "flops", "loss"):
        np.testing.assert_allclose(packaged[column], simulated[column], rtol=1e-12, atol=0)
    assert packaged.simulated
    assert packaged.source == DEFAULT_LADDER_SOURCE
    assert packaged.rows == tuple(range(2, 51))  # CSV lines under the header
    assert packaged.excluded == ()
    assert not any("diverged" in n for n in packaged.notes)
    assert packaged.describe_source() == simulated.describe_source()
