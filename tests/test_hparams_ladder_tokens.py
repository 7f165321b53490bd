"""A ladder's lr and batch from a hyperparameter law are read at the tokens each rung trains
on (its budget in whole steps of the batch, as its table shows), and its warning quotes
those tokens without words on intervals the ladder does not show."""

from __future__ import annotations

import math

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab._format import format_count
from scalinglab.hparams import HparamFit, fit_hparams
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import get_recipe, rung_counts


@pytest.fixture(scope="module")
def fit() -> HparamFit:
    # B* falls with N: at the tiny recipe's N, batches of ~300 sequences, ~20 steps a rung,
    # so whole steps train visibly fewer tokens than the budget (a bootstrap: the fit has
    # intervals, whose words the ladder's warning must not carry)
    return fit_hparams(
        sweep(3, delta=-0.4), seq_len=SEQ_LEN, law="steplaw",
        batch_law="B * N**delta * D**gamma", bootstrap=20,
    )  # fmt: skip


def test_rungs_are_read_at_the_tokens_they_train(fit: HparamFit) -> None:
    spec = get_recipe("tiny")
    ladder = with_hparams(spec, fit)
    moved = 0
    for old, new in zip(spec.rungs, ladder.rungs, strict=True):
        n = float(rung_counts(old).params_non_embedding)
        trained = rung_counts(new).tokens  # the table's tokens: whole steps of the batch
        moved += trained != old.train.tokens
        at = fit.predict(params=n, tokens=trained, seq_len=new.model.context)
        assert new.train.lr == pytest.approx(at.lr, rel=1e-12)
        # the rule's batch there; where whole steps allow none to be (w48-d2: 12 steps of
        # 360 trains the tokens of 366, 11 of 366 those of 351), the closest, a few % off
        law = at.batch / new.model.context
        assert abs(math.log(new.train.batch_size / law)) < 0.03
        assert new.name == "w48-d2" or new.train.batch_size == round(law)
    assert moved  # the budget is not whole steps: what the rungs train differs from it
    first = ladder.rungs[0]
    d = format_count(rung_counts(first).tokens)
    assert (d, format_count(first.train.tokens)) == ("119K", "126K")
    gap = math.log10(fit.cells[0].keys["tokens"] / rung_counts(first).tokens)
    assert f"D = {d} is {gap:.2f} decades below the smallest fitted D" in ladder.notes
    assert "lr* and B* extrapolate their laws that far" in ladder.notes
    assert fit.has_intervals and "interval" not in ladder.notes


def test_cli_ladder_plan_quotes_the_trained_tokens(
    capsys: pytest.CaptureFixture[str], fit: HparamFit, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("ladder") / "hp.json"
    fit.save(path)
    code, out, err = cli(capsys, "ladder", "plan", "tiny", "--hparams", str(path))
    assert code == 0, err
    row = next(line.split() for line in out.splitlines() if line.strip().startswith("w32-d2"))
    said = " ".join(out.split())
    assert f"D = {row[5]} is" in said and "their intervals" not in said  # the table's tokens
