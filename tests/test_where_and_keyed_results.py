"""Library errors, not Python's bare ones: ``RunTable.where`` given a list (a keyword is a condition),
``LossToLossFit.predict`` given text, and a result mapping (a loss-to-loss fit's groups, a
chain's tasks) indexed by a name it lacks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab import ConfigError
from scalinglab._errors import MissingKeyError
from scalinglab._keyed import Keyed
from scalinglab.downstream import fit_loss_to_loss


@pytest.fixture(scope="module")
def runs() -> scalinglab.RunTable:
    rng = np.random.default_rng(0)
    n = np.repeat([1e7, 3e7, 1e8, 3e8], 3)
    x = 2.0 + 40 * n**-0.25 * np.exp(rng.normal(0, 0.005, n.size))
    frame = pd.DataFrame(
        {
            "run": [f"m{i}" for i in range(n.size)],
            "params": n,
            "tokens": 20 * n,
            "loss": x,
            "loss_y": 1.0 + 1.3 * (x - 1.8) ** 1.1,
            "dataset": ["rpj", "c4", "rw"] * 4,
        }
    )
    return scalinglab.read_runs(frame)


def test_where_refuses_a_list_and_a_keyword_saying_what_to_write(
    runs: scalinglab.RunTable,
) -> None:
    with pytest.raises(ConfigError) as err:
        runs.where("dataset", ["rpj", "rw"])  # type: ignore[arg-type]
    assert err.value.message == (
        "where('dataset', ['rpj', 'rw']) takes one value: several where() narrow each other, "
        "as a repeated --where does"
    )
    # the hint's own code selects the runs of any of them
    assert err.value.hint == (
        "runs of any of them: runs.select(np.isin(runs.labels['dataset'], ['rpj', 'rw']))"
    )
    either = runs.select(np.isin(runs.labels["dataset"], ["rpj", "rw"]))
    assert len(either) == 8 and set(either.labels["dataset"]) == {"rpj", "rw"}
    # a keyword is where(column, value): several narrow each other, as a repeated --where
    assert runs.where(dataset="rpj").runs == runs.where("dataset", "rpj").runs == (
        "m0", "m3", "m6", "m9"
    )  # fmt: skip
    both = runs.where(dataset="rpj", run="m3")
    assert both.runs == ("m3",) and dict(both.kept_where) == {"dataset": "rpj", "run": "m3"}
    with pytest.raises(ConfigError) as err:
        runs.where(dataset=["rpj", "rw"])
    assert err.value.message.startswith("where('dataset', ['rpj', 'rw']) takes one value")


def test_loss_to_loss_predict_of_text_and_an_unknown_group(runs: scalinglab.RunTable) -> None:
    l2l = fit_loss_to_loss(runs, x="loss", y="loss_y", bootstrap=0)
    with pytest.raises(ConfigError) as err:
        l2l.predict("abc")
    assert (
        str(err.value) == "L_x must be a loss, a number, got 'abc' (give losses on loss, e.g. 3.1)"
    )
    preds = l2l.predict(3.1)
    with pytest.raises(MissingKeyError) as miss:
        preds["c4"]
    assert isinstance(miss.value, KeyError) and isinstance(miss.value, ConfigError)
    assert str(miss.value) == "no group 'c4'; the groups are 'all' (index by one of the groups)"
    assert preds["all"] is preds.get("all")


def test_a_keyed_mapping_names_the_nearest_key() -> None:
    tasks = Keyed([("hellaswag", 1), ("piqa", 2)], what="task")
    with pytest.raises(KeyError) as err:
        tasks["hellaswg"]
    assert str(err.value) == (
        "no task 'hellaswg'; the tasks are 'hellaswag', 'piqa' (did you mean 'hellaswag'?)"
    )
    assert dict(tasks) == {"hellaswag": 1, "piqa": 2} and tasks.get("x") is None
