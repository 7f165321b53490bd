"""Which parameters a hyperparameter law's N counts: recorded by the fit from the column it
read, compared by ``plan`` with its own N*'s, and used by the ladder."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests._hparam_sweeps import sweep

from scalinglab.cli import main
from scalinglab.hparams import HparamFit, fit_hparams, get_hparam_preset
from scalinglab.hparams._ladder import with_hparams
from scalinglab.hparams._params_count import NON_EMBEDDING, params_mismatch
from scalinglab.ladder import get_recipe, rung_counts

UNKNOWN = "as given in column 'params' (with or without embeddings: not recorded)"


@pytest.fixture(scope="module")
def fits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same sweep with N in a column 'params', and in 'params_non_embedding' (mapped)."""
    folder = tmp_path_factory.mktemp("count")
    frame = sweep(1)
    plain = fit_hparams(frame, seq_len=2048, bootstrap=0)
    named = frame.rename(columns={"params": "params_non_embedding"})
    mapped = fit_hparams(named, seq_len=2048, bootstrap=0,
                         columns={"params": "params_non_embedding"})  # fmt: skip
    out = {"plain": folder / "plain.json", "non_embedding": folder / "ne.json"}
    plain.save(out["plain"])
    mapped.save(out["non_embedding"])
    return out


def test_fit_records_which_parameters_its_n_counts(fits: dict[str, Path]) -> None:
    assert HparamFit.load(fits["plain"]).params_convention == UNKNOWN
    assert (
        HparamFit.load(fits["non_embedding"]).params_convention
        == "non-embedding parameters (column 'params_non_embedding')"
    )
    assert json.loads(fits["plain"].read_text())["params_convention"] == UNKNOWN


def _plan_notes(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code = main(["plan", "--compute", "1e23", "--seq-len", "2048", "--json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    # less the note on the loss at the optimum a plan leaves out (test_plan_hparams_loss)
    return [n for n in json.loads(out)["hparams"]["notes"] if not n.startswith("no loss at")]


def test_plan_says_when_the_laws_count_n_differently(
    capsys: pytest.CaptureFixture[str], fits: dict[str, Path]
) -> None:
    notes = _plan_notes(capsys, "--preset", "epoch2024", "--hparams-preset", "steplaw2025")
    assert notes == [
        "N differs: the plan's N* counts all parameters including embeddings (as Hoffmann et "
        "al.) (--preset epoch2024), the hyperparameter law's N counts non-embedding parameters "
        "(--hparams-preset steplaw2025): lr* and B* are read at N* as it is, for a model "
        "larger than the law's N by its embeddings (converting needs the vocabulary and width)"
    ]
    # Kaplan's N is non-embedding, as Step Law's and as the mapped column's: nothing to say
    assert _plan_notes(capsys, "--preset", "kaplan2020", "--hparams-preset", "steplaw2025") == []
    ne = str(fits["non_embedding"])
    assert _plan_notes(capsys, "--preset", "kaplan2020", "--hparams", ne) == []
    assert _plan_notes(capsys, "--preset", "epoch2024", "--hparams", ne)[0].startswith(
        "N differs: the plan's N* counts all parameters including embeddings"
    )
    plain = str(fits["plain"])
    assert _plan_notes(capsys, "--preset", "epoch2024", "--hparams", plain) == [
        "N may differ: the plan's N*: all parameters including embeddings (as Hoffmann et al.) "
        f"(--preset epoch2024); the hyperparameter law's N: {UNKNOWN} (--hparams {plain}); "
        "lr* and B* are read at N* as it is, right only if both count the same parameters "
        "(embeddings or not) (a sweep records it when its N is read from a column "
        "params_non_embedding or total_params: --map params=COLUMN)"
    ]


def test_a_fit_saved_before_the_count_was_recorded_says_so() -> None:
    note = params_mismatch("non-embedding parameters", "--preset kaplan2020", "", "--hparams x")
    assert note is not None and "the hyperparameter law's N: not recorded (a fit saved" in note
    both = params_mismatch("as given in the run table", "--fit f.json", "", "--hparams x")
    assert both is not None and "neither says whether it counts embeddings" in both
    same = params_mismatch("non-embedding parameters", "--fit f.json", NON_EMBEDDING, "--hparams x")
    assert same is None


def test_plan_says_when_neither_n_records_what_it_counts(
    capsys: pytest.CaptureFixture[str], fits: dict[str, Path], tmp_path: Path
) -> None:
    """A fit of a plain table and a sweep's column 'params': both unknown, one line says so
    (Hoffmann et al.'s N and Step Law's count differently, so neither is to be assumed)."""
    law = tmp_path / "sim.json"
    assert main(["fit", "--data", "simulated", "--bootstrap", "0", "--no-compare", "--json",
                 "--out", str(law)]) == 0  # fmt: skip
    capsys.readouterr()
    plain = str(fits["plain"])
    assert _plan_notes(capsys, "--fit", str(law), "--hparams", plain) == [
        f"N may differ: the plan's N*: as given in the run table (--fit {law}); the "
        f"hyperparameter law's N: {UNKNOWN} (--hparams {plain}); lr* and B* are read at N* as "
        "it is, right only if both count the same parameters: neither says whether it counts "
        "embeddings (Hoffmann et al.'s N counts them, Step Law's does not) (a sweep records it "
        "when its N is read from a column params_non_embedding or total_params: --map "
        "params=COLUMN)"
    ]


def test_ladder_reads_a_total_count_law_at_each_rungs_total(fits: dict[str, Path]) -> None:
    fit = HparamFit.load(fits["plain"])
    total = replace(fit, params_convention="total parameters (column 'total_params')")
    spec = get_recipe("tiny")
    for rule, count in ((total, "params"), (fit, "params_non_embedding")):
        ladder = with_hparams(spec, rule)
        for old, new in zip(spec.rungs, ladder.rungs, strict=True):
            counts = rung_counts(old)  # at the tokens the rung trains (whole steps)
            trained = rung_counts(new).tokens
            want = rule.predict(params=getattr(counts, count), tokens=trained)
            assert new.train.lr == pytest.approx(want.lr)
    assert with_hparams(spec, total).rungs[0].train.lr < with_hparams(spec, fit).rungs[0].train.lr
    assert "read at each rung's total parameters" in with_hparams(spec, total).notes
    assert "total parameters" not in with_hparams(spec, get_hparam_preset("porian2024")).notes


def test_hparams_predict_says_which_n_the_fit_counts(
    capsys: pytest.CaptureFixture[str], fits: dict[str, Path]
) -> None:
    """The prediction names the fit's N as a preset's does (``conventions:``)."""
    pred = HparamFit.load(fits["non_embedding"]).predict(params=1e9, tokens=2e10)
    assert pred.conventions == "N non-embedding parameters (column 'params_non_embedding')"
    args = ["hparams", "predict", "--fit", str(fits["plain"]), "--params", "1B", "--tokens", "20B"]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"conventions: N {UNKNOWN}" in out
