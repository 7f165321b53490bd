"""`hparams backtest --holdout` reads backtest's rule vocabulary on the cells: top-scales:K is
the K largest model sizes (largest:K, its old name here, warns and keeps its meaning), rules
on params, tokens and flops select cells, and what was held out is said in words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError, DataError
from scalinglab.hparams import Sweep, read_sweep
from scalinglab.hparams._holdout import split_sweep

OLD = (
    "--holdout largest:2 (holdout= in Python) of a hyperparameter backtest is deprecated and "
    "goes in the next release: it reads as top-scales:2, the cells of the 2 largest model "
    "sizes, as before; write top-scales:2 (backtest's largest:K holds out the K largest runs "
    "by flops)"
)
#: The same warning to a Python caller, led by the argument as Python spells it.
OLD_PYTHON = (
    "holdout='largest:2' of a hyperparameter backtest is deprecated and goes in the next "
    "release: it reads as top-scales:2, the cells of the 2 largest model sizes, as before; "
    "write holdout='top-scales:2' (backtest's largest:K holds out the K largest runs by flops)"
)


@pytest.fixture(scope="module")
def cells() -> Sweep:
    return read_sweep(sweep(1), seq_len=SEQ_LEN)  # 4 model sizes x 3 token counts


def test_top_scales_holds_out_the_largest_model_sizes_in_words(cells: Sweep) -> None:
    held = split_sweep(cells, "top-scales:2")
    assert len(held.cells) == 6
    assert held.description == "the 2 largest model sizes: 6 cells"
    assert split_sweep(cells, "top-scales:1").description == "the largest model size: 3 cells"
    assert split_sweep(cells, "size:200M").description == "model size 200M: 3 cells"


def test_the_old_largest_warns_and_keeps_its_meaning(cells: Sweep) -> None:
    with pytest.warns(DeprecationWarning, match="reads as top-scales:2") as said:
        old = split_sweep(cells, "largest:2")
    assert str(said[0].message) == OLD_PYTHON
    assert old == split_sweep(cells, "top-scales:2")


def test_backtest_rules_on_flops_and_fractions_select_cells(cells: Sweep) -> None:
    flops = split_sweep(cells, "flops>=1e20")
    assert flops.description.startswith("flops>=1e20: ")
    top = split_sweep(cells, "top:25%")
    assert len(top.cells) == 3 and top.description.startswith("the top 25% by flops: flops >= ")
    both = split_sweep(cells, "top-scales:2 & tokens<1e10")
    assert both.description == "the 2 largest model sizes and tokens<1e10: 2 cells"


def test_rules_that_make_no_sense_for_cells_are_refused(cells: Sweep) -> None:
    with pytest.raises(ConfigError, match="near-best:F keeps the runs near each scale's lowest"):
        split_sweep(cells, "near-best:1.5")
    with pytest.raises(ConfigError, match=r"K must be between 1 and 3: the cells have 4 ") as no:
        split_sweep(cells, "top-scales:4")
    assert "4 model sizes (100M, 200M, 400M, 800M), and one at least must be left" in str(no.value)
    assert no.value.hint == "e.g. --holdout top-scales:1, or size:800M (holdout= in Python)"
    with pytest.raises(ConfigError, match=r"holds out 0 of 12 cells \(flops>=1e30; flops: "):
        split_sweep(cells, "flops>=1e30")


@pytest.mark.parametrize("stretch", [1.0, 1.0049])
def test_a_sweep_of_one_model_size_is_pointed_to_a_holdout_it_can_make(stretch: float) -> None:
    # 100M's cells: 1B, 3B and 10B tokens (x1.0049: 10.049B, whose 3 figures, 10B, are
    # below it: a rounded-up 10.1B would hold out nothing)
    one = sweep(1).query("params == 1e8").assign(tokens=lambda t: t["tokens"] * stretch)
    cells = read_sweep(one, seq_len=SEQ_LEN)
    with pytest.raises(ConfigError, match="every cell is of one model size") as no:
        split_sweep(cells, "top-scales:1")
    assert str(no.value).startswith(
        "--holdout 'top-scales:1' (holdout= in Python): every cell is of one model size "
        "(100M), so holding out the largest model sizes would leave none to fit the laws on"
    )
    hint = no.value.hint or ""
    assert hint.endswith("(the largest budget); or add sweeps at other model sizes")
    rule = hint.split("--holdout '")[1].split("'")[0]
    assert rule == "tokens>=10B"
    held = split_sweep(cells, rule)  # the rule it names holds out the largest budget alone
    assert cells.cell_columns()["tokens"][held.cells].tolist() == [1e10 * stretch]


def test_cli_says_what_was_held_out_and_warns_of_the_old_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    args = ["hparams", "backtest", str(path), "--seq-len", str(SEQ_LEN)]
    code, out, err = cli(capsys, *args, "--holdout", "largest:2", one_line=True)
    assert code == 0, err
    assert f"warning: {OLD}" in err
    assert "held out the 2 largest model sizes: 6 cells (top-scales:2); fitted on 6 cells" in out
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["holdout"], data["holdout_description"]) == (
        "top-scales:1",
        "the largest model size: 3 cells",
    )


def test_help_defines_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "hparams", "backtest", "--help")
    text = " ".join(out.replace("│", " ").split())
    assert code == 0
    assert "top-scales:K (the cells of the K largest model sizes)" in text
    assert "largest:K, the old name of top-scales:K here, warns" in text


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("flops>=", "cannot read 'flops>=': no number after >="),
        ("bogus:3", "cannot read 'bogus:3'"),
    ],
)
def test_a_rule_backtest_cannot_read_is_hinted_with_this_commands_forms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rule: str, said: str
) -> None:
    """The hint was backtest's ('largest:5', deprecated here with another meaning, and
    'near-best:1.5', refused here): it names the forms a hyperparameter backtest takes."""
    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    args = ["hparams", "backtest", str(path), "--seq-len", str(SEQ_LEN), "--holdout", rule]
    code, _, err = cli(capsys, *args, one_line=True)
    assert code == 2
    assert err == (
        f"error: --holdout {rule!r} (holdout= in Python): {said} hint: a hyperparameter "
        "backtest holds out 'top-scales:K' (the K largest model sizes), 'size:N' (537M), or a "
        "rule on the cells' params, tokens or flops as backtest takes it ('params>=500M', "
        "'flops>=1e20', 'top-decile', 'top:10%', joined by &) (--holdout, holdout= in Python)"
    )
    assert "largest:5" not in err and "near-best" not in err


def test_report_help_names_the_hparams_rule_by_its_new_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "report", "--help")
    text = " ".join(out.replace("│", " ").split()).replace("top- scales", "top-scales")
    assert code == 0
    assert "the held-out regret (with --holdout top-scales:K)" in text
    assert "--holdout largest:K" not in text


def test_a_top_fraction_shows_its_cut_at_the_digits_that_part_the_runs() -> None:
    """Runs at 1.28778e20 and 1.28786e20 are left in, 1.28798e20 and 1.3e20 held out: the
    cut (1.287872e20) is no longer shown 1.29e20, beside runs left in that round to it."""
    from scalinglab.data import read_runs
    from scalinglab.validate._rules import rule_mask

    flops = [*(1e18 * k for k in range(1, 17)), 1.28778e20, 1.28786e20, 1.28798e20, 1.3e20]
    params = np.full(len(flops), 1e8)
    frame = pd.DataFrame(
        {"run": [f"r{i}" for i in range(len(flops))], "params": params,
         "tokens": np.array(flops) / (6 * params), "flops": flops, "loss": 3.0}
    )  # fmt: skip
    table = read_runs(frame)
    chosen = rule_mask(table, "top-decile")
    assert chosen.description == "the top 10% by flops: flops >= 1.2879e20"
    assert chosen.mask.tolist() == rule_mask(table, "flops>=1.2879e20").mask.tolist()
    assert chosen.mask.sum() == 2
    # well apart, the cut keeps its 3 digits
    assert rule_mask(table, "top:50%").description == "the top 50% by flops: flops >= 1.05e19"


def test_the_old_largest_by_params_warns_alike(cells: Sweep) -> None:
    # backtest's reading would hold out 2 of the largest size's 3 cells, ties cut
    for given in ("largest:2:params", "largest:2:'params'"):
        with pytest.warns(DeprecationWarning, match="reads as top-scales:2") as said:
            old = split_sweep(cells, given)
        assert str(said[0].message) == OLD_PYTHON.replace("'largest:2'", repr(given))
        assert old == split_sweep(cells, "top-scales:2")


@pytest.mark.parametrize("rule", ["foo>=3", "top:10%:foo"])
def test_a_column_the_cells_lack_is_said_of_the_cells(cells: Sweep, rule: str) -> None:
    with pytest.raises(
        DataError, match=r"names column 'foo'; the cells have flops, params, tokens"
    ):
        split_sweep(cells, rule)
