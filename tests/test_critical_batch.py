"""Kaplan et al. 2020's critical batch size: the paper's numbers, the CLI, and refusals."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

from scalinglab import ConfigError
from scalinglab.hparams import (
    CRITICAL_BATCH_PRESETS,
    get_critical_batch_preset,
    get_hparam_preset,
)


def test_kaplan2020_is_the_papers_power_law_in_the_loss() -> None:
    rule = get_critical_batch_preset("kaplan2020")
    # eq. 1.4 / 5.3: B_crit(L) = B* / L^(1/alpha_B), B* ~ 2e8 tokens, alpha_B ~ 0.21
    assert rule.critical_batch(1.0) == pytest.approx(2e8)
    assert rule.critical_batch(2.5) == pytest.approx(2e8 * 2.5 ** (-1 / 0.21))
    # Figure 10's reading: B_crit "approximately doubles for every 13% decrease in loss"
    ratio = rule.critical_batch(0.87 * 3.0) / rule.critical_batch(3.0)
    assert 1.9 < ratio < 2.0
    assert "arXiv:2001.08361" in rule.citation and "eq. 1.4" in rule.citation
    cb = rule.predict(loss=2.5, seq_len=2048)
    assert cb.batch_sequences == pytest.approx(cb.batch / 2048)
    # the rule gives no lr: null, as it always read (a number it lacks would be "nan")
    assert cb.to_dict()["lr"] is None and cb.to_dict()["warnings"] == []
    assert rule.predict(loss=2.5).to_dict()["batch_sequences"] == "nan"
    with pytest.raises(ConfigError, match="positive number"):
        rule.critical_batch(0.0)


def test_kaplan2020_refused_where_lr_and_batch_at_n_d_are_needed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "kaplan2020" in CRITICAL_BATCH_PRESETS
    with pytest.raises(ConfigError, match="no learning rate") as err:
        get_hparam_preset("kaplan2020")
    assert "--loss" in (err.value.hint or "")
    with pytest.raises(ConfigError, match=r"kaplan2020: a critical batch at a loss"):
        get_hparam_preset("kaplan")
    with pytest.raises(ConfigError, match="not a critical batch"):
        get_critical_batch_preset("steplaw2025")
    code, _, err = cli(
        capsys, "plan", "--compute", "1e23", "--preset", "hoffmann2022",
        "--hparams-preset", "kaplan2020",
    )  # fmt: skip
    assert code == 2 and "critical batch size" in err and len(err.strip().splitlines()) <= 2
    code, _, err = cli(capsys, "ladder", "plan", "tiny", "--hparams-preset", "kaplan2020")
    assert code == 2 and "no learning rate" in err

    from tests._hparam_sweeps import sweep

    from scalinglab.hparams import backtest_hparams

    with pytest.raises(ConfigError, match="critical batch size"):
        backtest_hparams(sweep(1), holdout="top-scales:1", presets=("kaplan2020",), seq_len=2048)


def test_cli_predict_gives_b_crit_at_the_loss_and_no_lr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(
        capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "2.5",
        "--seq-len", "2048", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["batch"] == pytest.approx(2e8 / 2.5 ** (1 / 0.21))
    assert data["batch_sequences"] == pytest.approx(data["batch"] / 2048)
    assert data["lr"] is None and data["batch_unit"] == "tokens" and data["warnings"] == []
    assert '"lr": null' in out
    code, out, _ = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "2.5")
    assert code == 0 and "B_crit (tokens)" in out and "gives no learning rate" in out
    assert "conventions: L the test cross-entropy in nats per token on WebText2" in out


def test_cli_predict_takes_the_loss_from_a_loss_preset_or_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # hoffmann2022 (eq. 10) at 70B, 1.4T, written out here from the paper's constants
    loss = 1.69 + 406.4 / 70e9**0.34 + 410.7 / 1.4e12**0.28
    code, out, _ = cli(
        capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "hoffmann2022",
        "--params", "70B", "--tokens", "1.4T", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["loss"] == pytest.approx(loss, rel=1e-12)
    assert data["batch"] == pytest.approx(2e8 * loss ** (-1 / 0.21))
    assert data["loss_source"] == "loss-law preset hoffmann2022"

    from scalinglab import fit, read_runs

    result = fit("chinchilla", read_runs(chinchilla_runs()), bootstrap=0)
    path = tmp_path / "fit.json"
    result.save(path)
    expected = float(result.predict(params=[1e9], tokens=[2e10]).loss[0])
    code, out, _ = cli(
        capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", str(path),
        "--params", "1B", "--tokens", "20B", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["loss"] == pytest.approx(expected, rel=1e-9)
    assert math.isclose(data["params"], 1e9) and math.isclose(data["tokens"], 2e10)


def test_cli_predict_carries_a_loss_fits_warnings_and_its_not_converging(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A loss fit saved though it failed (``fit --out`` keeps it) or with warnings gives a
    loss not to trust: the critical batch read at it says so, in the text and the JSON."""
    from dataclasses import replace

    from scalinglab import fit, read_runs
    from scalinglab.fit._implausible import unconverged_warning
    from scalinglab.hparams._critical import critical_batch_at

    failed = fit("chinchilla", read_runs(chinchilla_runs()), bootstrap=0, max_iter=1)
    assert not failed.ok
    path = tmp_path / "ms1.json"
    failed.save(path)
    args = ["hparams", "predict", "--preset", "kaplan2020", "--loss", str(path),
            "--params", "1B", "--tokens", "20B"]  # fmt: skip
    line = f"loss fit {path}: {unconverged_warning(failed.status, failed.message)}"
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 0 and json.loads(out)["warnings"][0] == line
    code, out, _ = cli(capsys, *args)
    assert code == 0 and f"warning: {line}" in " ".join(out.split())
    # a converged fit's own warnings (runs of several datasets, too few runs) come along too
    mixed = replace(fit("chinchilla", read_runs(chinchilla_runs()), bootstrap=0),
                    warnings=("the runs span 3 values of 'dataset'",))  # fmt: skip
    mixed.save(path)
    cb = critical_batch_at("kaplan2020", loss=str(path), params=1e9, tokens=2e10)
    assert cb.warnings == (f"loss fit {path}: the runs span 3 values of 'dataset'",)
    # a preset or a number has none
    assert (
        critical_batch_at("kaplan2020", loss="hoffmann2022", params=1e9, tokens=2e10).warnings == ()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "kaplan2020"], "give --loss"),
        (["--preset", "kaplan2020", "--loss", "2.5", "--fit", "hp.json"], "not --fit"),
        (["--preset", "kaplan2020", "--loss", "-1"], "positive number"),
        (["--preset", "kaplan2020", "--loss", "hoffmann2022"], "needs --params and --tokens"),
        (["--preset", "kaplan2020", "--loss", "nofile.json", "--params", "1B", "--tokens", "1T"],
         "--loss nofile.json: no such loss fit file"),
        (["--preset", "kaplan2020", "--loss", "fits/ds", "--params", "1B", "--tokens", "1T"],
         "--loss fits/ds: no such loss fit file"),
        (["--preset", "kaplan2020", "--loss", "2..5", "--params", "1B", "--tokens", "1T"],
         "is neither a number, a loss fit file nor a loss-law preset"),
        (["--preset", "steplaw2025", "--params", "1B", "--tokens", "1T", "--loss", "2"],
         "--loss is for --preset kaplan2020"),
        (["--preset", "steplaw2025"], "give --params and --tokens"),
    ],
)  # fmt: skip
def test_cli_predict_refusals(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = cli(capsys, "hparams", "predict", *args)
    assert code == 2 and message in err and not out


def test_loss_at_a_law_of_another_column_says_what_to_give() -> None:
    from types import SimpleNamespace

    from scalinglab.hparams._critical import loss_at
    from scalinglab.laws import get_law

    law = get_law("E + A*C**-alpha")
    fit = SimpleNamespace(law=law, coefs={"E": 1.7, "A": 400.0, "alpha": 0.15})
    want = 1.7 + 400.0 * (6 * 1e9 * 2e10) ** -0.15  # closed form, C = 6·N·D
    assert loss_at(fit, params=1e9, tokens=2e10) == pytest.approx(want, rel=1e-12)
    other = SimpleNamespace(law=get_law("E + A*T**-alpha", columns={"T": "lr"}), coefs=fit.coefs)
    with pytest.raises(ConfigError, match=r"the loss law .* reads the column 'lr'") as err:
        loss_at(other, params=1e9, tokens=2e10)
    assert err.value.hint == "give the loss itself: --loss 2.5"


def test_a_loss_file_that_is_not_a_fit_is_named_by_the_option_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--loss trunc.json``: the hint names ``--loss``, the option given, not ``--fit``."""
    path = tmp_path / "trunc.json"
    path.write_text('{"format": "scalinglab.fit/1", "law": "chinchilla"')  # cut short
    code, out, err = cli(
        capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", str(path),
        "--params", "1B", "--tokens", "20B",
    )  # fmt: skip
    assert code == 2 and not out
    assert "fit file is not valid JSON" in err
    assert "hint: `--loss` reads a fit written by `scalinglab fit ... --out fit.json`" in err
    assert "--fit" not in err
