"""Numbers in messages are written as the project writes them (``format_g``: ``-1e-7``,
``-1``), never as Python's float repr (``-1e-07``, ``-1.0``) or NumPy's array print
(``[ 1.e+09 -1.e+00]``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import DataError
from scalinglab.curves import Schedule


def test_a_negative_logged_rate_is_written_as_the_tables_write_numbers() -> None:
    with pytest.raises(DataError) as err:
        Schedule.from_logged([0, 1, 2], [1e-3, -1e-7, 0.0], source="c.csv")
    assert "learning rate -1e-7 at step 1 is negative" in str(err.value)


@pytest.fixture(scope="module")
def chinchilla() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, seed=0)


def test_predict_names_a_bad_scalar_as_a_number(chinchilla: sl.FitResult) -> None:
    with pytest.raises(DataError) as err:
        chinchilla.predict(params=-1, tokens=1e10)
    message = str(err.value)
    assert "params (the law's N) must be positive and finite to predict, got -1 " in message
    assert "-1.0" not in message


def test_predict_names_the_first_bad_value_of_an_array(chinchilla: sl.FitResult) -> None:
    with pytest.raises(DataError) as err:
        chinchilla.predict(params=np.array([1e9, 2e9, -3e-5, 0.0]), tokens=1e10)
    message = str(err.value)
    assert "must be positive and finite to predict, got -3e-5 (value 3 of 4)" in message
    assert "e+" not in message and "e-05" not in message


def test_loss_to_loss_predict_names_a_bad_loss_as_a_number() -> None:
    params = np.array([1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9])
    loss_a = 1.8 + 30.0 * params**-0.2
    frame = pd.DataFrame({"params": params, "loss_a": loss_a, "loss_b": 0.3 + 1.1 * loss_a})
    l2l = sl.fit_loss_to_loss(frame, x="loss_a", y="loss_b", bootstrap=0)
    with pytest.raises(DataError) as err:
        l2l.predict([3.0, -1e-7])
    assert "L_x must be positive and finite to predict, got -1e-7 " in str(err.value)
