"""A researcher's walk through the Python API in a notebook, never the command line:
a fit on 20 to 99 resamples prints the caveat ``scalinglab fit`` prints (its ``str`` and
its notebook HTML); an evaluation table whose task columns carry a unit (``HellaSwag (%)``,
``piqa_acc``) is read when the task is asked for by name, and named, not passed over in
silence, when it is not; one task is counted as one; ``predict(flops=)`` on a law of N and D
points at the plan."""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError, DataError, fit, simulated_runs
from scalinglab.downstream import fit_downstream, read_evals

_COARSE = "note: intervals from 20 resamples: their ends at 90% move from seed to seed"


@pytest.fixture(scope="module")
def result() -> Any:
    return fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)


def test_a_fit_on_twenty_resamples_says_so_in_its_str_and_html(result: Any) -> None:
    assert _COARSE in str(result)
    page = html.unescape(re.sub(r"<[^>]+>", "\n", result._repr_html_()))
    assert _COARSE in page
    # the same words `scalinglab fit --bootstrap 20` prints, first of the notes
    lines = str(result).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("note: "))
    assert lines[first].startswith(_COARSE)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_a_point_fit_or_enough_resamples_get_no_caveat() -> None:
    runs = simulated_runs()
    assert "move from seed to seed" not in str(fit("chinchilla", runs, bootstrap=0))
    assert "move from seed to seed" not in str(fit("chinchilla", runs, bootstrap=100, seed=0))


def _united() -> pd.DataFrame:
    """Models with one acc_<task> column and three named as tasks, with a unit or in
    capitals, as a spreadsheet names them."""
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["HellaSwag (%)"] = 100 * frame.pop("acc_hellaswag")
    frame["piqa_acc"] = frame["acc_flat"]
    frame["MMLU"] = frame.pop("acc_flat") - 0.3
    return frame


def test_a_task_asked_for_reads_its_column_named_with_a_unit() -> None:
    evals = read_evals(_united(), tasks="hellaswag,piqa,mmlu")
    assert evals.tasks == ("hellaswag", "piqa", "mmlu")
    assert evals.chance["hellaswag"] == 0.25 and evals.chance["piqa"] == 0.5
    # HellaSwag (%) is in percent, as its name says: read as fractions
    assert np.nanmax(evals.accuracy("hellaswag")) < 1
    said = " ".join(evals.notes)
    assert "column 'HellaSwag (%)' read as task hellaswag (without its unit" in said
    assert "column 'piqa_acc' read as task piqa (without its unit" in said


def test_two_columns_of_one_task_by_unit_are_ambiguous() -> None:
    frame = _united()
    frame["piqa (%)"] = 100 * frame["piqa_acc"]
    with pytest.raises(DataError, match="'piqa_acc', 'piqa \\(%\\)' differ only by case or unit"):
        read_evals(frame, tasks="piqa")


def test_columns_named_as_tasks_are_named_when_not_read() -> None:
    evals = read_evals(_united())
    assert evals.tasks == ("task",)
    note = next(n for n in evals.notes if "named as tasks" in n)
    assert "'HellaSwag (%)', 'piqa_acc', 'MMLU'" in note
    assert "tasks='task,hellaswag,piqa,mmlu'" in note


def test_a_table_of_task_named_columns_alone_is_not_called_final_losses() -> None:
    frame = _united().drop(columns=["acc_task"])
    with pytest.raises(DataError) as err:
        read_evals(frame)
    said = str(err.value)
    assert "looks like final losses" not in said
    assert "'HellaSwag (%)', 'piqa_acc', 'MMLU' are named as tasks" in said
    assert "tasks='hellaswag,piqa,mmlu'" in said


def test_one_task_is_one_task() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), tasks="task")
    assert "1 task," in repr(evals)
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert "; 1 task, " in repr(chain)
    assert "downstream fit: 1 task<" in chain._repr_html_()


def test_predict_with_a_budget_alone_points_at_the_plan(result: Any) -> None:
    with pytest.raises(ConfigError) as err:
        result.predict(flops=1e21)
    assert "optimal_allocation(result, flops=...).loss" in str(err.value)
    with pytest.raises(ConfigError) as err:  # a size missing, no budget: as before
        result.predict(params=1e9)
    assert "optimal_allocation" not in str(err.value)
