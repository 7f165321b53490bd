"""A hyperparameter fit records its sweep's FLOPs convention, and ``predict`` reads laws of C
at the C the sweep would have counted (not 6·N·D), says so, or asks for the FLOPs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.hparams import HparamFit, fit_hparams

#: An exact count's share above 6·N·D falls with N (attention and head over the weights).
K = 2e8


def _exact(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["flops"] = 6.0 * out["params"] * out["tokens"] * (1.0 + K / out["params"])
    return out


def _by_tokens(frame: pd.DataFrame) -> pd.DataFrame:
    """FLOPs whose ratio to 6·N·D changes with D: no function of N alone."""
    out = frame.copy()
    out["flops"] = 6.0 * out["params"] * out["tokens"] * (1.0 + out["tokens"] / 1e11)
    return out


@pytest.fixture(scope="module")
def exact() -> HparamFit:
    return fit_hparams(_exact(sweep(3)), seq_len=SEQ_LEN, law="compute", bootstrap=0)


def test_predict_reads_a_law_of_c_at_the_sweeps_own_count(exact: HparamFit) -> None:
    conv = exact.flops_convention
    assert conv is not None and not conv.unclear
    assert conv.coef == pytest.approx(K, rel=1e-6) and conv.power == pytest.approx(-1.0)
    pred = exact.predict(params=1e9, tokens=2e10)
    c = 6.0 * 1e9 * 2e10 * (1.0 + K / 1e9)  # 1.44e20, where 6·N·D is 1.2e20
    assert pred.flops == pytest.approx(c, rel=1e-9)
    assert pred.lr == pytest.approx(exact.lr_law.predict(params=1e9, tokens=2e10, flops=c)[0])
    assert pred.notes[-1].startswith(
        "C=1.44e20 from the sweep's FLOPs convention: C = 6·N·D·(1 + 2e8·N^-1), the "
        "sweep's flops/(6·N·D) at its 4 model sizes (N = 100M to 800M) to within 1%; its "
        "FLOPs: as given in the data (column 'flops')"
    )
    given = exact.predict(params=1e9, tokens=2e10, flops=1.2e20)  # as given, no note on C
    assert given.flops == 1.2e20 and not any(n.startswith("C=") for n in given.notes)


def test_a_constant_ratio_and_derived_flops() -> None:
    frame = sweep(3)
    seven = frame.assign(flops=7.0 * frame["params"] * frame["tokens"])
    hp = fit_hparams(seven, seq_len=SEQ_LEN, law="compute", bootstrap=0)
    pred = hp.predict(params=1e9, tokens=2e10)
    assert pred.flops == pytest.approx(7e9 * 2e10)
    assert pred.notes[-1].startswith("C=1.4e20 from the sweep's FLOPs convention: C = 1.167·6·N·D")

    plain = fit_hparams(frame, seq_len=SEQ_LEN, law="compute", bootstrap=0)
    pred = plain.predict(params=1e9, tokens=2e10)
    assert pred.flops == 1.2e20
    assert pred.notes[-1] == (
        "C=1.2e20 from the sweep's FLOPs convention: C = 6·N·D, computed from params and "
        "tokens (the data have no FLOPs column)"
    )


def test_flops_no_function_of_n_are_asked_for_by_laws_of_c() -> None:
    frame = _by_tokens(sweep(3))
    hp = fit_hparams(frame, seq_len=SEQ_LEN, law="compute", bootstrap=0)
    with pytest.raises(ConfigError, match="no C can be computed at N=1B, D=20B") as err:
        hp.predict(params=1e9, tokens=2e10)
    assert "differs by up to" in str(err.value) and "no function of N alone" in str(err.value)
    assert err.value.hint == "give C as the sweep counted it: --flops 1e23 (Python: flops=1e23)"
    assert hp.predict(params=1e9, tokens=2e10, flops=1.5e20).flops == 1.5e20

    # laws of N and D need no C: none is made up
    steplaw = fit_hparams(frame, seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    pred = steplaw.predict(params=1e9, tokens=2e10)
    assert pred.flops != pred.flops  # nan
    assert pred.notes[-1].startswith("C not computed (the laws read N and D alone)")


def test_an_old_file_keeps_6nd_with_a_note(exact: HparamFit, tmp_path: Path) -> None:
    exact.save(tmp_path / "hp.json")
    assert HparamFit.load(tmp_path / "hp.json").flops_convention == exact.flops_convention
    data = json.loads((tmp_path / "hp.json").read_text())
    del data["flops_convention"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = HparamFit.load(tmp_path / "old.json")
    assert old.flops_convention is None
    pred = old.predict(params=1e9, tokens=2e10)
    assert pred.flops == 1.2e20
    assert pred.notes[-1].startswith(
        "C=1.2e20 as 6·N·D: the fit was saved before fits recorded their sweep's FLOPs convention"
    )
    # an old file whose laws read N and D alone: C only labels the prediction, so no advice
    # to pass --flops or fit again (passing it would change nothing)
    steplaw = fit_hparams(_exact(sweep(3)), seq_len=SEQ_LEN, law="steplaw", bootstrap=0)
    steplaw.save(tmp_path / "nd.json")
    data = json.loads((tmp_path / "nd.json").read_text())
    del data["flops_convention"]
    (tmp_path / "nd_old.json").write_text(json.dumps(data))
    note = HparamFit.load(tmp_path / "nd_old.json").predict(params=1e9, tokens=2e10).notes[-1]
    assert note == "C=1.2e20 as 6·N·D (the laws read N and D alone, not C)"


def test_cli_prints_the_c_and_takes_flops(
    capsys: pytest.CaptureFixture[str], exact: HparamFit, tmp_path: Path
) -> None:
    exact.save(tmp_path / "hp.json")
    at = (
        "hparams",
        "predict",
        "--params",
        "1B",
        "--tokens",
        "20B",
        "--fit",
        str(tmp_path / "hp.json"),
    )
    code, out, err = cli(capsys, *at)
    assert code == 0, err
    assert "(C=1.44e20)" in out
    assert "C=1.44e20 from the sweep's FLOPs convention: C = 6·N·D·(1 + 2e8·N^-1)" in out
    code, out, err = cli(capsys, *at, "--flops", "1.3e20")
    assert code == 0, err
    assert "(C=1.3e20)" in out and "from the sweep's FLOPs convention" not in out

    unclear = fit_hparams(_by_tokens(sweep(3)), seq_len=SEQ_LEN, law="compute", bootstrap=0)
    unclear.save(tmp_path / "unclear.json")
    code, out, err = cli(capsys, *at[:-1], str(tmp_path / "unclear.json"), one_line=True)
    assert code == 2 and not out
    assert "no C can be computed at N=1B, D=20B" in err and "--flops 1e23" in err
    code, _, err = cli(
        capsys, *at[:6], "--preset", "kaplan2020", "--loss", "2.5", "--flops", "1e20"
    )
    assert code == 2 and "takes no --flops" in err


def test_a_plan_reads_the_fit_at_the_c_its_sweep_counted(
    capsys: pytest.CaptureFixture[str], exact: HparamFit, tmp_path: Path
) -> None:
    # the plan passed its own C = 6·N·D: an exact-count fit's law of C read 1e21, not 1.11e21
    exact.save(tmp_path / "hp.json")
    plan = ("plan", "--preset", "hoffmann2022", "--compute", "1e21", "--hparams")
    code, out, err = cli(capsys, *plan, str(tmp_path / "hp.json"))
    assert code == 0, err
    n, d = 1.82e9, 91.4e9  # the plan's N*, D* as printed
    said = " ".join(out.split())  # the table's title wraps
    assert "optimal hyperparameters at N=1.82B, D=91.4B (C=1.11e21)" in said
    c = exact.flops_convention.flops(n, d)  # type: ignore[union-attr]
    assert c == pytest.approx(1.11e21, rel=0.01)
    shown = re.search(r"B\* \(tokens\) +│ (\S+)M", out)
    assert shown is not None
    batch, at_6nd = (exact.batch_law.predict(params=n, tokens=d, flops=f)[0] for f in (c, 1e21))
    assert float(shown[1]) * 1e6 == pytest.approx(batch, rel=0.005)  # 1.41M
    assert at_6nd == pytest.approx(1.35e6, rel=0.005)  # what the plan's C read
    assert "C=1.11e21 from the sweep's FLOPs convention: C = 6·N·D·(1 + 2e8·N^-1)" in out

    # no rule for C: the plan's, with a line that says so
    unclear = fit_hparams(_by_tokens(sweep(3)), seq_len=SEQ_LEN, law="compute", bootstrap=0)
    unclear.save(tmp_path / "unclear.json")
    code, out, err = cli(capsys, *plan, str(tmp_path / "unclear.json"))
    assert code == 0, err
    assert "(C=1e21)" in out
    assert (
        "C=1e21 is the plan's, not counted as the sweep counted it: the sweep's FLOPs are as "
        "given in the data (column 'flops')"
    ) in out
