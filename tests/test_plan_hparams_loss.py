"""``plan --hparams``: the loss at the optimum of the sweep's own loss law is left out (the
plan's loss is its law's, on its data), written as null in the JSON, and a note says why and
what the sweep's law gives there, in the JSON and under the text's table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, fit_hparams

LOSS_KEYS = ("loss", "loss_lower", "loss_upper")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[HparamFit, Path]:
    hp = fit_hparams(sweep(5), seq_len=SEQ_LEN, bootstrap=20)
    path = tmp_path_factory.mktemp("loss") / "hp.json"
    hp.save(path)
    return hp, path


def test_plan_writes_the_loss_it_leaves_out_as_null_with_a_note(
    capsys: pytest.CaptureFixture[str], fitted: tuple[HparamFit, Path]
) -> None:
    hp, path = fitted
    args = ("plan", "--compute", "1e21", "--preset", "epoch2024", "--hparams", str(path))
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    got = data["hparams"]
    assert [got[k] for k in LOSS_KEYS] == [None, None, None]
    assert got["loss_interval"] == [None, None]
    assert isinstance(data["allocation"]["loss"], float)  # the plan's own loss stays
    # what `hparams predict --fit` gives at N*, D*: named in the note
    own = hp.predict(params=got["params"], tokens=got["tokens"]).loss
    note = (
        "no loss at the optimum here (null in --json): the plan's loss is its own law's, in "
        f"the allocation above; the sweep's loss law {hp.loss_law.formula} is of the sweep's "  # type: ignore[union-attr]
        f"own data and loss, and gives {own:.4f} at N*, D* (hparams predict --fit)"
    )
    assert got["notes"][0] == note
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    assert note in " ".join(out.split())  # under the table, which has no row for it
    assert not any(line.startswith("│ loss at the optimum") for line in out.splitlines())


def test_a_preset_without_a_loss_law_writes_null_and_no_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "plan", "--compute", "1e21", "--preset", "epoch2024",
                         "--hparams-preset", "steplaw2025", "--json")  # fmt: skip
    assert code == 0, err
    got = json.loads(out)["hparams"]
    assert [got[k] for k in LOSS_KEYS] == [None, None, None]
    assert not any("loss at the optimum" in n for n in got["notes"])
