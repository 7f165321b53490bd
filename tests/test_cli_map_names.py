"""``--map NAME=COLUMN`` names what a column is read as: a name the command reads no column
as (``--map bogus=params``) is refused before anything is read, listing the names it does,
as ``ingest`` refuses one, instead of renaming ``params`` away and blaming the column that is
there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.data import CANONICAL
from scalinglab.data._column_map import MAP_NAMES, RUN_NAMES
from scalinglab.data._schema import RUN_COLUMNS


def test_the_names_are_the_run_tables() -> None:
    assert (*CANONICAL, "run") == MAP_NAMES
    assert ("run", *RUN_NAMES) == RUN_COLUMNS


@pytest.mark.parametrize(
    ("command", "names", "hint"),
    [
        (["fit"], "params, tokens, flops, loss, run", "hint: map one of them, e.g. --map params="),
        (["backtest"], "params, tokens, flops, loss, run", "hint: map one of them"),
        (
            ["hparams", "fit"],
            "params, tokens, flops, loss, run, lr, batch, seq_len",
            "hint: map one of",
        ),
        (
            ["hparams", "backtest"],
            "params, tokens, flops, loss, run, lr, batch, seq_len",
            "hint: map",
        ),
    ],
)
def test_an_unknown_map_name_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], names: str, hint: str
) -> None:
    runs = tmp_path / "runs.csv"
    runs.write_text("params,tokens,loss\n1e8,2e9,3.1\n")
    assert main([*command, str(runs), "--map", "bogus=params"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0] == (
        "error: --map bogus=params (columns={'bogus': 'params'} in Python): it would read "
        f"column 'params', which is read as itself, as 'bogus' ({names})"
    )
    assert err.splitlines()[1].startswith(hint)


def test_a_misspelt_map_name_is_named_with_the_one_meant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["fit", str(tmp_path / "runs.csv"), "--map", "parms=n_params"]) == 2
    assert "hint: did you mean 'params'? map one of them" in capsys.readouterr().err


def test_the_run_ids_and_a_size_may_be_mapped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = tmp_path / "runs.csv"
    lines = [f"r{i},{1e7 * 2**i:g},{2e8 * 2**i:g},{2 + 3 * 0.7**i:.4f}" for i in range(8)]
    runs.write_text("Name,size,tokens,loss\n" + "\n".join(lines) + "\n")
    args = ["fit", str(runs), "--law", "kaplan-n", "--bootstrap", "0", "--no-compare"]
    assert main([*args, "--map", "name=Name", "--map", "params=size"]) == 0, capsys.readouterr()
    assert "runs.csv (8 runs)" in capsys.readouterr().out


def test_other_names_read_their_column_as_that_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What worked before the check came: a non-embedding size and a corpus column mapped
    under the names --x and --where read."""
    runs = tmp_path / "runs.csv"
    lines = [f"r{i},{1e7 * 2**i:g},{2e8 * 2**i:g},{2 + 3 * 0.7**i:.4f},c4" for i in range(8)]
    runs.write_text("run,n_embed_free,tokens,loss,corpus_name\n" + "\n".join(lines) + "\n")
    args = ["fit", str(runs), "--law", "kaplan-n", "--bootstrap", "0", "--no-compare"]
    code = main([*args, "--map", "params_non_embedding=n_embed_free",
                 "--x", "N=params_non_embedding", "--map", "dataset=corpus_name",
                 "--where", "dataset=c4"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "runs.csv where dataset = c4 (8 runs)" in out


def test_python_columns_are_checked_as_map_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``read_runs(columns=...)`` (and ``read_sweep``) refuse what ``--map`` refuses, with the
    message the command line prints: one check, in the library."""
    from scalinglab import ConfigError, read_runs
    from scalinglab.hparams import read_sweep

    runs = tmp_path / "runs.csv"
    runs.write_text("params,tokens,loss,lr\n1e8,2e9,3.1,0.001\n2e8,4e9,2.9,0.001\n")
    with pytest.raises(ConfigError) as raised:
        read_runs(runs, columns={"bogus": "loss"})
    assert main(["fit", str(runs), "--map", "bogus=loss"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"error: {raised.value.message}"
    assert raised.value.message == (
        "--map bogus=loss (columns={'bogus': 'loss'} in Python): it would read column 'loss', "
        "which is read as itself, as 'bogus' (params, tokens, flops, loss, run)"
    )
    with pytest.raises(ConfigError, match=r"did you mean 'params'\?"):
        read_runs(runs, columns={"parms": "params"})
    with pytest.raises(
        ConfigError, match=r"\(params, tokens, flops, loss, run, lr, batch, seq_len\)"
    ):
        read_sweep(runs, columns={"bogus": "params"})
    assert "peak_lr" in read_runs(runs, columns={"peak_lr": "lr"}).columns  # another name


def test_a_column_whose_name_is_read_from_another_may_be_mapped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``loss`` read from ``eval_loss`` in the same mapping (or by ``--y``): the column
    ``loss`` is free to be read as ``train_loss``, not renamed away."""
    from tests._hparam_sweeps import sweep

    from scalinglab import ConfigError, read_runs
    from scalinglab.hparams import read_sweep

    runs = tmp_path / "runs.csv"
    lines = [f"r{i},{1e7 * 2**i:g},{2e8 * 2**i:g},{3 + 3 * 0.7**i:.4f},{2 + 3 * 0.7**i:.4f}"
             for i in range(8)]  # fmt: skip
    runs.write_text("run,params,tokens,loss,eval_loss\n" + "\n".join(lines) + "\n")
    table = read_runs(runs, columns={"loss": "eval_loss", "train_loss": "loss"})
    assert table["loss"][0] == 5.0 and table["train_loss"][0] == 6.0
    with pytest.raises(ConfigError, match="it would read column 'loss', which is read as"):
        read_runs(runs, columns={"train_loss": "loss"})  # no loss then: still refused
    args = ["fit", str(runs), "--law", "kaplan-n", "--bootstrap", "0", "--no-compare", "--json"]
    for given in (["--y", "eval_loss"], ["--map", "loss=eval_loss"]):
        assert main([*args, *given, "--map", "train_loss=loss"]) == 0, capsys.readouterr().err
        notes = json.loads(capsys.readouterr().out)["notes"]
        assert {"column 'loss' read as train_loss (as mapped)",
                "column 'eval_loss' read as loss (as mapped)"} <= set(notes)  # fmt: skip

    frame = sweep(1)
    frame["smooth_loss"] = frame["loss"]
    swept = read_sweep(frame, columns={"loss": "smooth_loss", "raw_loss": "loss"})
    assert swept.n_cells == 12 and swept.table.has("raw_loss")
    frame.to_csv(runs, index=False)
    hp = ["hparams", "fit", str(runs), "--bootstrap", "0", "--json", "--map", "raw_loss=loss"]
    assert main([*hp, "--y", "smooth_loss"]) == 0, capsys.readouterr().err
    assert main(hp) == 2  # no other loss: the loss column would be lost
    assert "it would read column 'loss'" in capsys.readouterr().err
