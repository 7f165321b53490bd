"""``where=`` / ``--where COLUMN=VALUE`` on the hparams commands: a sweep of two training
corpora, narrowed to one, fits as that corpus's runs alone do, with ``fit --where``'s errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep

from scalinglab import ConfigError, DataError
from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A sweep of corpus a and one of b (10% lower loss, optima at twice the lr), in one
    file, and a's runs alone in another."""
    a, b = sweep(1), sweep(2)
    b["loss"], b["lr"] = 0.9 * b["loss"], 2.0 * b["lr"]
    a["dataset"], b["dataset"] = "a", "b"
    folder = tmp_path_factory.mktemp("where_hparams")
    both, alone = folder / "both.csv", folder / "a.csv"
    pd.concat([b, a], ignore_index=True).to_csv(both, index=False)  # b first: rows differ
    a.to_csv(alone, index=False)
    return both, alone


def test_fit_hparams_where_fits_as_the_corpus_alone(corpora: tuple[Path, Path]) -> None:
    both, alone = corpora
    kept = fit_hparams(both, where={"dataset": "a"}, bootstrap=0)
    own = fit_hparams(alone, bootstrap=0)
    pooled = fit_hparams(both, bootstrap=0)
    assert dict(kept.lr_law.coefs) == dict(own.lr_law.coefs)
    assert dict(kept.batch_law.coefs) == dict(own.batch_law.coefs)  # type: ignore[union-attr]
    # pooled, b's runs (lower loss, twice the lr) lead the cells
    assert abs(pooled.lr_law.coefs["A"] / own.lr_law.coefs["A"] - 1) > 0.1
    assert kept.settings["where"] == {"dataset": "a"} and own.settings["where"] == {}
    assert kept.source == f"{both} (1152 of its 2304 runs selected, 100M-800M params)"
    # the same through pairs, and through read_sweep's table
    pairs = fit_hparams(read_sweep(both, where=[("dataset", "a")]), bootstrap=0)
    assert dict(pairs.lr_law.coefs) == dict(own.lr_law.coefs)
    spelt = fit_hparams(both, where="dataset=a", bootstrap=0)  # as --where spells it
    assert dict(spelt.lr_law.coefs) == dict(own.lr_law.coefs)


def test_where_errors_name_the_columns_and_values(corpora: tuple[Path, Path]) -> None:
    both, _ = corpora
    for where, message, hint in (
        ({"corpus": "a"}, f"no text column 'corpus' in {both}",
         "its text columns are dataset, run (row2, row3, ...: no column names the runs)"),
        ({"dataset": "c"}, f"no run has dataset = 'c' in {both}", "its values are a, b"),
        ([("dataset", "a"), ("dataset", "b")],
         f"no run has dataset = 'b' among the 1152 runs selected in {both}", "its values are a"),
        ("dataset", "where holds 'dataset': each condition is a (column, value) pair of "
         "strings, 'column=value' or 'column>=number' (>= > <= < == !=)",
         "e.g. where={'dataset': 'c4_original'}, where=('dataset', 'c4_original'), "
         "where='dataset=c4_original' or where=['params>=2e7', 'dataset=c4_original']"),
        ("run=zz", f"no run has run = 'zz' in {both}", "no run name is near it; the runs are "),
    ):  # fmt: skip
        with pytest.raises(ConfigError) as caught:
            fit_hparams(both, where=where, bootstrap=0)  # type: ignore[arg-type]
        assert caught.value.message == message
        assert caught.value.hint == hint or (
            hint.endswith(" ") and caught.value.hint.startswith(hint)
        )
    with pytest.raises(ConfigError, match="this sweep is read already"):
        fit_hparams(read_sweep(both), where={"dataset": "a"}, bootstrap=0)


def test_where_reads_a_mapped_text_column_by_its_mapped_name(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    """``--map dataset=corpus_name --where dataset=a``, as ``fit --where`` reads it: the
    column is the table's ``dataset``, not a quantity left out of the text columns."""
    both, alone = corpora
    renamed = tmp_path / "renamed.csv"
    pd.read_csv(both).rename(columns={"dataset": "corpus_name"}).to_csv(renamed, index=False)
    mapped = {"dataset": "corpus_name"}
    kept = fit_hparams(renamed, columns=mapped, where={"dataset": "a"}, bootstrap=0)
    assert dict(kept.lr_law.coefs) == dict(fit_hparams(alone, bootstrap=0).lr_law.coefs)
    with pytest.raises(ConfigError) as caught:  # the file's name is no table's name: as fit's
        read_sweep(renamed, columns=mapped, where={"corpus_name": "a"})
    assert (caught.value.message, caught.value.hint) == (
        f"no text column 'corpus_name' in {renamed}",
        "its text columns are dataset, run (row2, row3, ...: no column names the runs)",
    )
    # a file column 'dataset' beside the mapped one is not read (the table ignores it)
    shadow = tmp_path / "shadow.csv"
    pd.read_csv(renamed).assign(dataset="x").to_csv(shadow, index=False)
    labels = read_sweep(shadow, columns=mapped, where={"dataset": "a"}).table.labels
    assert labels["dataset"] == ("a",) * 1152  # (the 48 with a blank loss read as diverged)
    code, out, _ = cli(capsys, "hparams", "fit", str(renamed), "--map", "dataset=corpus_name",
                       "--where", "dataset=a", "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["lr_law"]["coefs"] == dict(kept.lr_law.coefs)
    code, _, err = cli(capsys, "hparams", "fit", str(renamed), "--map", "dataset=corpus_name",
                       "--where", "dataset=c")  # fmt: skip
    assert (code, err) == (2, f"error: no run has dataset = 'c' in {renamed}\n"
                              "hint: its values are a, b\n")  # fmt: skip


def test_hparams_cli_where_records_the_filter(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    both, alone = corpora
    code, out, _ = cli(capsys, "hparams", "fit", str(both), "--where", "dataset=a",
                       "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0
    kept = json.loads(out)
    code, out, _ = cli(capsys, "hparams", "fit", str(alone), "--bootstrap", "0", "--json")
    own = json.loads(out)
    assert kept["lr_law"]["coefs"] == own["lr_law"]["coefs"]
    assert kept["settings"]["where"] == {"dataset": "a"}
    assert "(1152 of its 2304 runs selected" in kept["source"]

    code, out, _ = cli(capsys, "hparams", "backtest", str(both), "--where", "dataset=a",
                       "--seq-len", "2048", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    bt = backtest_hparams(alone, seq_len=2048)
    assert data["where"] == {"dataset": "a"} and bt.where == {}
    assert data["summary"]["scalinglab"] == pytest.approx(bt.summary("scalinglab"), nan_ok=True)

    for command in ("fit", "backtest"):
        code, out, err = cli(capsys, "hparams", command, str(both), "--where", "dataset=c")
        assert (code, out, err) == (
            2, "", f"error: no run has dataset = 'c' in {both}\nhint: its values are a, b\n"
        )  # fmt: skip
        code, out, err = cli(capsys, "hparams", command, str(both), "--where", "dataset")
        assert (code, err) == (2, "error: --where 'dataset' is not COLUMN=VALUE (a text column's value) nor "
                    "COLUMN OP NUMBER (OP one of >= > <= < == !=)\n"
                                  "hint: write it as --where dataset=c4_original or --where 'params>=2e7'\n")  # fmt: skip


@pytest.mark.heavy
def test_report_hparams_where_keeps_the_runs_and_says_so_on_its_card(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    both, _ = corpora
    out = tmp_path / "hp.html"
    code, _, _ = cli(capsys, "report", str(both), "--hparams", "--where", "dataset=a",
                     "--bootstrap", "0", "--out", str(out))  # fmt: skip
    page = out.read_text()
    assert code == 0 and "--where dataset=a" in page  # the command on its card
    assert "1152 of its 2304 runs selected" in page
    code, _, err = cli(capsys, "report", str(both), "--hparams", "--where", "dataset=c",
                       "--out", str(out))  # fmt: skip
    assert (code, err) == (2, f"error: no run has dataset = 'c' in {both}\n"
                              "hint: its values are a, b\n")  # fmt: skip


def test_a_sweep_of_two_corpora_pooled_warns_as_fit_does(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path]
) -> None:
    both, _ = corpora
    pooled = (
        "the runs span 2 values of 'dataset' (b, a), fitted as one: a law holds for "
        "one training distribution — choose one with --where dataset=b (where= in Python)"
    )
    assert pooled in fit_hparams(both, bootstrap=0).warnings
    assert pooled in backtest_hparams(both, seq_len=2048).warnings
    kept = fit_hparams(both, where={"dataset": "a"}, bootstrap=0)
    assert not any("span" in w for w in (*kept.notes, *kept.warnings))
    code, out, _ = cli(capsys, "hparams", "fit", str(both), "--bootstrap", "0")
    assert code == 0 and f"warning: {pooled}" in " ".join(out.split())  # rich wraps the line


def test_a_map_to_no_column_is_said_as_fit_says_it(
    capsys: pytest.CaptureFixture[str], corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    """``--map dataset=nosuch --where dataset=a``: the mapped column that is not there, as
    ``fit`` says it, not ``dataset`` looked for as a text column (with a wrong run hint)."""
    both, _ = corpora
    renamed = tmp_path / "renamed.csv"
    pd.read_csv(both).rename(columns={"dataset": "corpus_name"}).to_csv(renamed, index=False)
    have = "'params', 'tokens', 'lr', 'bs', 'loss', 'corpus_name'"
    for target, what, hint in (
        ("dataset", "dataset", "pass an existing column: --map dataset=COLUMN"),
        ("run", "run ids", "pass an existing column"),
    ):
        said = f"{renamed}, column 'nosuch': no column 'nosuch' to read {what} from; " + (
            f"the columns are {have}"
        )
        with pytest.raises(DataError) as caught:
            read_sweep(renamed, columns={target: "nosuch"}, where={target: "a"})
        assert (caught.value.message, caught.value.hint) == (said, hint)
        errors = set()
        for command in (("hparams", "fit"), ("fit",)):
            code, _, err = cli(capsys, *command, str(renamed), "--map", f"{target}=nosuch",
                               "--where", f"{target}=a")  # fmt: skip
            assert code == 2
            errors.add(err)
        assert errors == {f"error: {said}\nhint: {hint}\n"}


def test_where_takes_the_canonical_names_of_a_sweeps_own_columns(tmp_path: Path) -> None:
    """A sweep whose sizes are in a column ``N`` (Step Law's file) is narrowed by
    ``params>=...`` as ``fit --where`` narrows runs (it said "no number column 'params'"),
    and by ``N>=...`` still; ``params=...`` is told to compare it, as ``fit`` tells it."""
    table = sweep(1).rename(columns={"params": "N", "tokens": "D"})
    path = tmp_path / "nd.csv"
    table.to_csv(path, index=False)
    said = read_sweep(path, where="params>=4e8").table.describe_source()
    assert said == f"{path} (576 of its 1152 runs selected, 400M-800M params)"
    assert read_sweep(path, where="N>=4e8").table.describe_source() == said
    fewest = read_sweep(path, where="tokens<=1e9").table
    assert len(fewest.runs) < 1152 and float(fewest["tokens"].max()) <= 1e9
    with pytest.raises(ConfigError) as err:
        read_sweep(path, where="params=4e8")
    assert err.value.message == (
        f"'params' is a number column of {path}: --where (where() in Python) matches the "
        "values of text columns"
    )
    assert err.value.hint is not None and err.value.hint.startswith(
        "to keep runs by a number, compare it: --where 'params==4e8'"
    )
    # a column compared that is not there: the hint lists both names each column goes by
    with pytest.raises(ConfigError) as err:
        read_sweep(path, where="size>=4e8")
    assert err.value.hint == "its number columns are params, tokens, loss, D, N, bs, lr"
