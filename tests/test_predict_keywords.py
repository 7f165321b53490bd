"""A misspelt keyword to a fit's ``predict`` is refused with the one meant (a ConfigError
naming the call, its options and the nearest, as :meth:`FitResult.predict` does), on every
kind of fit, not Python's bare ``TypeError``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, fit_curves
from scalinglab._errors import check_keywords
from scalinglab.curves import Tissue
from scalinglab.downstream import fit_loss_to_loss
from scalinglab.hparams import fit_hparams


def test_check_keywords_passes_the_names_it_knows() -> None:
    check_keywords({"level": 0.5}, ("params", "level"), call="f")  # known: no error
    with pytest.raises(ConfigError) as err:
        check_keywords({"level": 0.5, "levle": 0.5}, ("params", "level"), call="f")
    assert str(err.value) == (
        "f got levle=, which is none of its options (params, level) (did you mean level=?)"
    )


def test_a_part_of_a_name_is_read_as_the_name_that_holds_it() -> None:
    """``compute_for_loss(fit, loss=2.5)``: no close spelling of ``loss`` among its options,
    but ``target_loss`` ends with it (it said "see help(...)")."""
    from scalinglab import compute_for_loss, get_preset

    with pytest.raises(ConfigError) as err:
        compute_for_loss(get_preset("hoffmann2022"), loss=2.5)  # type: ignore[call-arg]
    assert str(err.value) == (
        "scalinglab.compute_for_loss got loss=, which is none of its options (source, "
        "target_loss, level) (did you mean target_loss=?)"
    )
    with pytest.raises(ConfigError, match=r"did you mean level=\?"):  # one it holds
        check_keywords({"target_level": 0.5}, ("params", "level"), call="f")
    with pytest.raises(ConfigError, match=r"\(see help\(f\)\)"):  # nothing near: help
        check_keywords({"xyz": 0.5}, ("params", "level"), call="f")


def test_every_predict_names_the_keyword_meant() -> None:
    lx = np.geomspace(2.2, 4.5, 16)
    l2l = fit_loss_to_loss(
        pd.DataFrame({"params": 1e7 * np.arange(1, 17), "tokens": 2e9, "loss_x": lx,
                      "loss_y": 0.9 * (lx - 0.5) ** 1.1 + 0.6}),
        x="loss_x", y="loss_y", bootstrap=0,
    )  # fmt: skip
    hp = fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=0)
    tissue = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = fit_curves(_synthetic(Tissue(), tissue, SPECS, noise=0, seed=0), law="tissue",
                        bootstrap=0)  # fmt: skip
    for call, meant, predict in (
        ("LossToLossFit.predict", "level", lambda: l2l.predict(3.0, levle=0.5)),
        ("HparamFit.predict", "seq_len", lambda: hp.predict(params=3e8, tokens=6e9, seqlen=4096)),
        ("HparamFit.predict", "params", lambda: hp.predict(parms=3e8, tokens=6e9)),
        ("CurveFit.predict", "steps", lambda: curves.predict(SPECS[0], step=[300])),
        ("CurveFit.final_loss", "level", lambda: curves.final_loss(SPECS[0], levl=0.5)),
    ):
        with pytest.raises(ConfigError, match=f"{call} got ") as err:
            predict()
        assert err.value.hint == f"did you mean {meant}=?", call
    # the keywords they take still pass
    assert l2l.predict(3.0, level=0.5)["all"].level == 0.5
    assert hp.predict(params=3e8, tokens=6e9, seq_len=4096).seq_len == 4096
    with pytest.raises(
        ConfigError, match=r"^HparamFit.predict needs params= and tokens= \(e.g. fit.predict\("
    ):
        hp.predict()
    with pytest.raises(
        ConfigError,
        match=r"reads N and D, which D alone does not give \(give params= \(--params\)\)$",
    ):
        hp.predict(tokens=6e9)  # what is missing, named
    assert curves.final_loss(SPECS[0], level=0.5).level == 0.5


@pytest.mark.parametrize(
    ("call", "typo", "meant"),
    [
        ("fit", "bootstarp", "bootstrap"),
        ("optimal_allocation", "flop", "flops"),
        ("compute_for_loss", "target", "target_loss"),
        ("isoflop", "tolerence", "tolerance"),
        ("envelope", "gird", "grid"),
    ],
)
def test_the_top_level_calls_name_the_keyword_meant(call: str, typo: str, meant: str) -> None:
    """fit, optimal_allocation, isoflop, envelope: "did you mean", as predict and backtest
    say it (they raised a bare TypeError), before any work; their signatures stay theirs."""
    import inspect

    import scalinglab

    func = getattr(scalinglab, call)
    with pytest.raises(ConfigError) as err:
        func("never-read.csv", **{typo: 1.0})
    assert str(err.value).startswith(f"scalinglab.{call} got {typo}=, which is none of its ")
    assert err.value.hint == f"did you mean {meant}=?"
    assert meant in inspect.signature(func).parameters


def test_ingest_says_a_mapping_as_python_writes_it_too(tmp_path: Path) -> None:
    from scalinglab import ingest

    path = tmp_path / "wb.csv"
    path.write_text("Name,State,model.n_params,eval/loss\nr0,finished,1e8,3.1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        ingest(path, store=tmp_path / "s.duckdb", kind="wandb", mapping={"los": "eval/loss"})
    assert str(err.value).startswith(
        "--map los=... (mapping={'los': ...} in Python): 'los' is not a quantity ingest reads"
    )
    assert err.value.hint.startswith("did you mean 'loss'? map one of params")
    assert err.value.hint.endswith("e.g. --map loss=eval/loss (mapping={'loss': 'eval/loss'})")
