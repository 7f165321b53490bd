"""The bundled real runs: the rows of the shared over-training table, cited, never simulated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from conftest import SHARED
from scalinglab import ConfigError
from scalinglab.data import BUNDLED, DEFAULT_DATA

MODELS = SHARED / "overtraining" / "models.dev.csv"


@pytest.mark.parametrize("name", [n for n, c in BUNDLED.items() if c is not None])
def test_bundled_runs_are_real_cited_and_small(name: str) -> None:
    runs = sl.bundled_runs(name)
    assert not runs.simulated and len(runs) >= 31
    assert "Gadre et al. 2024" in runs.source and "MIT license" in runs.source
    assert float(np.max(runs["params"])) == 411616256  # nothing larger is bundled
    np.testing.assert_allclose(runs["flops"], 6 * runs["params"] * runs["tokens"], rtol=1e-12)


def test_default_is_c4_and_simulated_stays_available() -> None:
    assert DEFAULT_DATA == "overtraining-c4"
    assert sl.bundled_runs().labels["dataset"] == ("c4_original",) * 31
    assert sl.bundled_runs("simulated").simulated
    with pytest.raises(ConfigError, match="no bundled data set 'c4'"):
        sl.bundled_runs("c4")


@pytest.mark.skipif(not MODELS.is_file(), reason=f"shared data not found: {MODELS}")
def test_bundled_rows_are_the_shared_table_with_c4_validation_loss() -> None:
    shared = pd.read_csv(MODELS).set_index("name")
    for name, corpus in BUNDLED.items():
        if corpus is None:
            continue
        runs = sl.bundled_runs(name)
        rows = shared.loc[list(runs.runs)]
        assert set(rows["dataset"]) == {corpus}
        assert len(rows) == int((shared["dataset"] == corpus).sum())
        np.testing.assert_array_equal(runs["params"], rows["params"])
        np.testing.assert_array_equal(runs["tokens"], rows["tokens"])
        np.testing.assert_array_equal(runs["loss"], rows["loss_c4_val"])
