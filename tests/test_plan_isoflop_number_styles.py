"""A new user's walk of plan, isoflop and envelope: one number style within a cell and a
column, and one label for tokens per parameter in every table (``tokens/param``)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from tests._chinchilla_draws import BUDGETS, isoflop_runs

from scalinglab.cli import main
from scalinglab.plan._result import Estimate
from scalinglab.plan._text import allocation_text


def _allocation(loss: float, params: Estimate) -> SimpleNamespace:
    """What :func:`allocation_text` reads of a plan for a target loss."""
    tokens = Estimate(params.value * 12.6, params.lower * 25, math.inf)
    return SimpleNamespace(
        method="closed form (Hoffmann et al. 2022 eq. 4)",
        params=params,
        tokens=tokens,
        tokens_per_param=Estimate(12.6, math.nan, math.nan),
        loss=Estimate(loss, loss, loss),
        flops=Estimate(2.43e36, 2.94e25, math.inf),
        level=0.9,
        distance=14.27,
        below=False,
    )


def test_a_count_and_its_interval_share_one_style() -> None:
    """``plan --target-loss 1.81`` printed N* 1.79e17 beside [3.67T, ∞]."""
    from scalinglab._cells import count_for

    text = allocation_text(_allocation(1.81, Estimate(1.79e17, 3.67e12, math.inf)),
                           query="target_loss")  # fmt: skip
    rows = {label: (value, band) for label, value, band in text.rows}
    assert rows["params N*"] == ("1.79e17", "[3.67e12, ∞]")
    assert rows["tokens D*"] == ("2.26e18", "[9.18e13, ∞]")
    # within the units, the units throughout
    assert count_for(7e10, 6.1e10, 8.2e10)(7e10) == "70B"
    assert count_for(7e10, 6.1e10, 2e15)(6.1e10) == "6.1e10"
    assert count_for(7e10, math.nan, math.inf)(7e10) == "70B"


def test_the_target_loss_is_written_as_its_row_writes_it() -> None:
    """``plan --target-loss 2.0``: the title said loss 2, its row 2.0000."""
    text = allocation_text(_allocation(2.0, Estimate(4.25e10, 2.6e10, 6e10)),
                           query="target_loss")  # fmt: skip
    assert text.title == "compute needed to reach loss 2.0000, allocated optimally"
    assert ("loss", "2.0000", "(given)") in text.rows


def test_plan_labels_tokens_per_param_as_fit_does() -> None:
    text = allocation_text(_allocation(2.0, Estimate(4.25e10, 2.6e10, 6e10)),
                           query="target_loss")  # fmt: skip
    labels = [row[0] for row in text.rows]
    assert "tokens/param" in labels and "tokens per param" not in labels


@pytest.fixture
def runs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "runs.csv"
    isoflop_runs().to_csv(path, index=False)
    return path


def test_isoflop_budgets_table_losses_have_one_count_of_decimals(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """The loss column wrote 4.326 next to 4.3005 (a trailing zero dropped), and the
    ratio column was headed D/N where fit and isoflop --at say tokens/param."""
    budgets = ",".join(f"{b:.6g}" for b in BUDGETS)
    code = main(["isoflop", str(runs_csv), "--compute", budgets, "--tolerance", "0.1",
                 "--bootstrap", "20"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    table = re.split(r"\nbudgets *\n", out, maxsplit=1)[1].split("compute-optimal power", 1)[0]
    header = next(line for line in table.splitlines() if "C (FLOPs)" in line)
    assert "tokens/param" in header and "D/N" not in header
    cells = [line.split("│") for line in table.splitlines() if line.startswith("│")]
    losses = [c[7].strip() for c in cells]  # the loss column: value, then its interval
    numbers = re.findall(r"\d+\.\d+", " ".join(losses))
    assert len(numbers) == 3 * len(BUDGETS)
    assert all(re.fullmatch(r"\d\.\d{4}", n) for n in numbers), numbers
