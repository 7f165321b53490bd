"""A ladder's lr and batch from a fit say where each came from: an lr-only fit sets the lr
alone (the batch stays the recipe's), with the prediction's note that its lr* holds at the
sweep's batches; a fit of B* as well carries the note on converting B* to the rungs' context."""

from __future__ import annotations

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams
from scalinglab.hparams._fixed_batch import prediction_note
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import get_recipe


@pytest.fixture(scope="module")
def lr_only() -> HparamFit:
    frame = sweep(0)
    fourth = frame.groupby(["params", "tokens"])["bs"].transform(lambda b: sorted(set(b))[3])
    return fit_hparams(frame[frame["bs"] == fourth], seq_len=SEQ_LEN, bootstrap=0)


def test_an_lr_only_fit_sets_the_lr_and_says_the_batch_is_the_recipes(lr_only: HparamFit) -> None:
    assert lr_only.batch_law is None
    spec = get_recipe("tiny")
    ladder = with_hparams(spec, lr_only)
    assert [r.train.batch_size for r in ladder.rungs] == [r.train.batch_size for r in spec.rungs]
    lines = ladder.notes.splitlines()
    assert lines[0].startswith("recipe notes (its lr rule replaced as below): ")
    assert lines[1].startswith(
        f"lr of every rung from fit: {lr_only.lr_law.formula} ({lr_only.source}), in place of "
        "the recipe's lr rule; the batch is the recipe's, as the rule has no B* law (w32-d2: lr "
    )
    cells = [lr_only.cells[i] for i in lr_only.used]
    assert lines[2] == (
        prediction_note(cells, "tokens") + "; the rungs train at the recipe's batches, so each "
        "rung's lr is the law's at the sweep's batch, not at the rung's"
    )
    assert lines[2].startswith("peak lr*: optimal at the batch the sweep used (one batch per cell")
    assert lines[3].startswith("warning: 3 of 3 rungs lie outside what the rule was fitted to")
    assert lines[3].endswith("lr* extrapolates its law that far") and "B*" not in lines[3]


def test_a_fit_of_b_star_converted_to_the_rungs_context_says_so() -> None:
    fit = fit_hparams(sweep(0), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    ladder = with_hparams(get_recipe("tiny"), fit)  # rungs of 64-token sequences
    assert (
        f"\nthe sweep ran at {SEQ_LEN}-token sequences; B* converted to 64-token sequences (its "
        "B* in tokens over 64) assumes that the optimal batch in tokens, and lr*, do not "
        "depend on the sequence length\n"
    ) in ladder.notes
    assert "\nlr and batch of every rung from fit: " in ladder.notes


def test_cli_ladder_plan_says_where_lr_and_batch_came_from(
    capsys: pytest.CaptureFixture[str], lr_only: HparamFit, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("ladder") / "hp.json"
    lr_only.save(path)
    code, out, err = cli(capsys, "ladder", "plan", "tiny", "--hparams", str(path))
    assert code == 0, err
    text = " ".join(out.split())
    assert (
        "in place of the recipe's lr rule; the batch is the recipe's, as the rule has no B*" in text
    )
    assert "peak lr*: optimal at the batch the sweep used" in text
