"""The Python API as a notebook uses it: what the command line does with ``--y``/``--x``,
keywords checked, and the library's errors instead of raw ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab.validate import choose_law


def _runs(seed: int = 0) -> pd.DataFrame:
    """Runs drawn from E + A/N^a + B/D^b (E 1.8, A 400, a 0.34, B 1000, b 0.3), 1% noise,
    with the loss under a column of another name and a higher train loss beside it."""
    rng = np.random.default_rng(seed)
    n = np.repeat(np.logspace(7, 9, 6), 5)
    d = n * np.tile([5.0, 10, 20, 40, 80], 6)
    loss = (1.8 + 400 * n**-0.34 + 1000 * d**-0.3) * np.exp(0.01 * rng.standard_normal(n.size))
    return pd.DataFrame({"run": [f"r{i}" for i in range(n.size)], "model_size": n,
                         "n_tokens": d, "val_loss": loss, "train_loss": loss + 0.1})  # fmt: skip


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_y_and_x_name_columns_of_a_frame_as_the_cli_does() -> None:
    frame = _runs()
    named = frame.rename(columns={"model_size": "params", "n_tokens": "tokens", "val_loss": "loss"})
    want = scalinglab.fit("chinchilla", named.drop(columns="train_loss"), bootstrap=0)
    got = scalinglab.fit(
        "chinchilla", frame, y="val_loss", x={"N": "model_size", "D": "n_tokens"}, bootstrap=0
    )
    assert got.coefs == pytest.approx(want.coefs, rel=1e-9)
    assert got.coefs["alpha"] == pytest.approx(0.34, abs=0.08)
    # the train loss was not fitted: y chose the column
    train = scalinglab.fit(
        "chinchilla", frame, y="train_loss", x={"N": "model_size", "D": "n_tokens"}, bootstrap=0
    )
    assert train.coefs["E"] > got.coefs["E"]
    # the validation API reads the same way
    bt = scalinglab.backtest(
        frame, law="chinchilla", y="val_loss", x={"N": "model_size", "D": "n_tokens"},
        holdout="largest:5", bootstrap=20,
    )  # fmt: skip
    assert bt.summary.n == 5
    val = dict(zip(frame["run"], frame["val_loss"], strict=True))
    assert [r.actual for r in bt.runs] == [val[r.run] for r in bt.runs]
    sized = frame.rename(columns={"model_size": "params", "n_tokens": "tokens"})
    choice = choose_law(sized, y="val_loss", laws=("chinchilla", "kaplan"))
    assert choice.chosen in ("chinchilla", "kaplan")


def test_predict_refuses_keywords_the_law_did_not_read() -> None:
    result = scalinglab.fit("chinchilla", _runs().rename(columns={"val_loss": "loss"}),
                            x={"N": "model_size", "D": "n_tokens"}, bootstrap=20)  # fmt: skip
    at = {"params": 7e9, "tokens": 1.4e12}
    assert result.predict(**at, level=0.5).level == 0.5
    with pytest.raises(scalinglab.ConfigError, match="levle=") as info:
        result.predict(**at, levle=0.5)  # once silently a 90% interval
    assert info.value.hint == "did you mean level=?"
    with pytest.raises(scalinglab.ConfigError, match="width="):
        result.predict(**at, width=3)
    with pytest.raises(scalinglab.ConfigError, match="do not broadcast"):
        result.predict(params=[1e9, 2e9], tokens=[1e10, 2e10, 3e10])
    with pytest.raises(scalinglab.ConfigError, match="no values"):
        result.predict(params=[], tokens=[])
    # the symbols, arrays and units still work, and give the same numbers
    by_symbol = result.predict(N=[7e9, 7e9], D="1.4T").loss
    assert np.allclose(by_symbol, result.predict(**at).loss)


def test_sizes_and_budgets_take_units_in_every_predict_and_plan() -> None:
    from scalinglab.plan import optimal_allocation

    preset = scalinglab.get_hparam_preset("steplaw2025")
    assert (
        preset.predict(params="7B", tokens="1.4T").lr
        == preset.predict(params=7e9, tokens=1.4e12).lr
    )
    assert (
        optimal_allocation("hoffmann2022", flops="5.76e23").params.value
        == optimal_allocation("hoffmann2022", flops=5.76e23).params.value
    )
    with pytest.raises(scalinglab.ConfigError, match="params must be one number"):
        preset.predict(params=[7e9], tokens=1e12)


def test_fit_auto_chooses_as_the_command_line_does(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from scalinglab.cli import main

    runs = scalinglab.bundled_runs()
    result = scalinglab.fit("auto", runs, bootstrap=0)  # once: "unknown law 'auto'"
    choice = choose_law(runs)
    assert result.law_spec == choice.chosen
    assert f"law auto chose {choice.chosen}: {choice.reason}" in result.notes
    # the law the CLI's --law auto fits, with the same numbers
    assert main(["fit", "--law", "auto", "--bootstrap", "0", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["law"] == result.law_spec
    assert cli["coefs"] == pytest.approx(dict(result.coefs), rel=1e-9)


@pytest.mark.parametrize(
    ("law", "options", "message"),
    [
        (3, {}, "law must be a law's name, a formula or a Law, got int 3"),
        (None, {}, "got NoneType None"),
        ("chinchilla", {"bootstrap": "100"}, "bootstrap must be a whole number, got str '100'"),
        ("chinchilla", {"bootstrap": 10.5}, "bootstrap must be a whole number"),
        ("chinchilla", {"bootstrap": -1}, "bootstrap must be at least 0"),
        ("chinchilla", {"seed": "a"}, "seed must be a whole number"),
        ("chinchilla", {"threads": 0}, "threads must be at least 1"),
        ("chinchilla", {"max_iter": True}, "max_iter must be a whole number"),
    ],
)
def test_fit_names_an_option_of_the_wrong_type(
    law: object, options: dict[str, object], message: str
) -> None:
    with pytest.raises(scalinglab.ConfigError, match=message.replace("(", r"\(")):
        scalinglab.fit(law, scalinglab.bundled_runs(), **options)  # type: ignore[arg-type]


def test_default_runs_are_what_the_cli_fits_and_simulated_ones_say_so() -> None:
    default = scalinglab.default_runs()
    assert not default.simulated
    assert default.describe_source() == scalinglab.bundled_runs().describe_source()
    simulated = scalinglab.simulated_runs()
    assert simulated.simulated
    assert "SIMULATED" in repr(scalinglab.fit("chinchilla", simulated, bootstrap=0))
    assert "SIMULATED" not in repr(scalinglab.fit("chinchilla", default, bootstrap=0))


def test_isoflop_budgets_and_compare_laws_take_what_a_user_writes() -> None:
    from tests._chinchilla_draws import BUDGETS, isoflop_runs

    runs = isoflop_runs()
    listed = scalinglab.isoflop(runs, budgets=list(BUDGETS), bootstrap=0).a.value
    written = ",".join(f"{b:.17g}" for b in BUDGETS)  # as --compute takes them
    assert scalinglab.isoflop(runs, budgets=written, bootstrap=0).a.value == pytest.approx(listed)
    with pytest.raises(scalinglab.ConfigError, match="budgets='x' is not a number"):
        scalinglab.isoflop(runs, budgets="6e18,x")
    # one law as a string is that law, not its letters ('law 'c' is given twice')
    one = scalinglab.compare(scalinglab.simulated_runs(), laws="chinchilla", bootstrap=20)
    assert [s.law for s in one.laws] == ["chinchilla"]


def test_a_curve_fit_file_is_strict_json_and_names_its_format(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.test_curves import SPECS, _synthetic

    from scalinglab.curves import CurveFit, Tissue

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3)
    result = scalinglab.fit_curves(curves, law="tissue", bootstrap=0)  # no bootstrap: NaN intervals
    path = tmp_path / "curve.json"
    result.save(path)

    def refuse(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token}")

    data = json.loads(path.read_text(), parse_constant=refuse)  # once: "n_ref": NaN
    assert data["format"] == "scalinglab.curve_fit/1"
    again = CurveFit.load(path)
    assert again.coefs == result.coefs
    assert np.isnan(again.intervals["L0"]).all() and np.isnan(again.n_ref)
    with pytest.raises(scalinglab.DataError) as info:
        scalinglab.FitResult.load(path)
    assert "CurveFit.load" in (info.value.hint or "")


def test_a_curve_prediction_carries_its_notes() -> None:
    from tests.test_curves import SPECS, _synthetic

    from scalinglab.curves import Tissue

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    result = scalinglab.fit_curves(_synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3),
                                   law="tissue", bootstrap=30)  # fmt: skip
    inside = result.predict("cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000")
    assert not any("outside its interval" in n for n in (*inside.notes, *inside.warnings))
    hotter = result.predict("cosine:peak=1e-3,end=3e-5,warmup=200,steps=3000")
    assert any("peak" in n for n in hotter.notes)  # the law read beyond the fitted curves
    longer = result.predict("cosine:peak=3e-4,end=3e-5,warmup=200,steps=9000")
    assert any(
        "9,000 steps, 0.48 decades beyond the longest fitted curve's 3,000" in n
        for n in longer.notes
    )
    assert not any("beyond the longest" in n for n in inside.notes)
    # an estimate outside its own interval is flagged where it happens, as a warning
    shifted = replace(result, samples=result.samples + 0.05 * np.abs(result.samples))
    assert any("outside its interval" in n for n in shifted.predict(SPECS[0]).warnings)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_y_and_x_take_the_command_line_spellings() -> None:
    frame = _runs()
    want = scalinglab.fit(
        "chinchilla", frame, y="val_loss", x={"N": "model_size", "D": "n_tokens"}, bootstrap=0
    )
    for y, x in (("loss=val_loss", "N=model_size,D=n_tokens"),
                 ("val_loss", ["N=model_size", "D=n_tokens"])):  # fmt: skip
        got = scalinglab.fit("chinchilla", frame, y=y, x=x, bootstrap=0)
        assert got.coefs == pytest.approx(want.coefs, rel=1e-12)
    with pytest.raises(scalinglab.ConfigError, match="y names the loss column"):
        scalinglab.fit("chinchilla", frame, y="params=val_loss")
    with pytest.raises(scalinglab.ConfigError, match="x must map a law's symbols to columns"):
        scalinglab.fit("chinchilla", frame, x=3)  # type: ignore[arg-type]
    with pytest.raises(scalinglab.ConfigError, match="y must name the loss column"):
        scalinglab.fit("chinchilla", frame, y=3)  # type: ignore[arg-type]
    from tests._chinchilla_draws import isoflop_runs

    runs = isoflop_runs()
    renamed = runs.rename(columns={"loss": "val_loss"})
    assert scalinglab.isoflop(renamed, y="val_loss", bootstrap=0).a.value == pytest.approx(
        scalinglab.isoflop(runs, bootstrap=0).a.value, rel=1e-12
    )


def test_law_auto_is_in_the_notes_from_the_cli_and_from_python(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scalinglab.cli import main

    out = tmp_path / "auto.json"
    assert main(["fit", "--law", "auto", "--bootstrap", "0", "--out", str(out)]) == 0
    saved = scalinglab.FitResult.load(out)
    python = scalinglab.fit("auto", scalinglab.default_runs(), bootstrap=0)
    assert saved.notes[0].startswith("law auto chose") and saved.notes[0] == python.notes[0]
    # Chinchilla's law ties and plans another N*: the same warning from both
    assert saved.warnings == python.warnings and python.warnings[-1].startswith("law auto: ")


def test_several_laws_in_one_name_and_a_point_fit_say_what_to_do() -> None:
    with pytest.raises(scalinglab.FormulaError, match="names 2 laws") as info:
        scalinglab.compare(scalinglab.simulated_runs(), laws="chinchilla,kaplan")
    assert "laws=['chinchilla', 'kaplan']" in (info.value.hint or "")
    point = scalinglab.fit("chinchilla", scalinglab.default_runs(), bootstrap=0)
    assert point.interval_note.startswith("none: the fit has no bootstrap")  # not 'bootstrap'
    assert point.interval_kind == "none"


def test_backtest_and_compare_name_themselves_for_an_unknown_option() -> None:
    runs = scalinglab.simulated_runs()
    with pytest.raises(scalinglab.ConfigError, match="backtest got laws=, which is none") as info:
        scalinglab.backtest(runs, laws=["chinchilla"])
    assert info.value.hint.startswith("it fits one law: law='chinchilla'; compare(runs, laws=")
    with pytest.raises(scalinglab.ConfigError, match="backtest got holdotu=, which is none"):
        scalinglab.backtest(runs, holdotu="largest:5")  # once: "fit() got an unexpected ..."
    with pytest.raises(scalinglab.ConfigError, match="compare got bootsrap=, which") as info:
        scalinglab.compare(runs, laws=["chinchilla"], bootsrap=3)
    assert info.value.hint == "did you mean bootstrap=?"
    with pytest.raises(scalinglab.ConfigError, match="x=\\{'Q': 'params'\\}"):
        scalinglab.fit("chinchilla", runs, x={"Q": "params"})


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_backtest_and_compare_read_y_and_x_as_fit_does(
    capsys: pytest.CaptureFixture[str],
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    frame = _runs()
    want = scalinglab.backtest(frame, y="val_loss", x={"N": "model_size", "D": "n_tokens"},
                               holdout="largest:5", bootstrap=0)  # fmt: skip
    got = scalinglab.backtest(frame, y="loss=val_loss", x="N=model_size,D=n_tokens",
                              holdout="largest:5", bootstrap=0)  # fmt: skip
    assert [r.predicted for r in got.runs] == pytest.approx([r.predicted for r in want.runs])
    formula = scalinglab.backtest(frame, law="E + A*N**-alpha", y="val_loss", x="N=model_size",
                                  holdout="largest:5", bootstrap=0)  # fmt: skip
    assert formula.summary.n == 5  # once: ValueError from dict("N=model_size")
    with pytest.raises(scalinglab.ConfigError, match="x maps 'N' twice"):
        scalinglab.fit("chinchilla", frame, y="val_loss", x="N=model_size,N=n_tokens")
    with pytest.raises(scalinglab.ConfigError, match="compare got law=, which is none") as info:
        scalinglab.compare(frame, laws=["chinchilla"], law="kaplan", y="val_loss")
    assert info.value.hint == "compare takes laws= (a list), e.g. laws=['chinchilla']"
    # the command line takes the same comma-separated --x (it read 'model_size,D=n_tokens')
    import json

    from scalinglab.cli import main

    path = tmp_path / "runs.csv"
    frame.rename(columns={"model_size": "size_m", "n_tokens": "seen"}).to_csv(path, index=False)
    args = ["fit", str(path), "--y", "val_loss", "--x", "N=size_m,D=seen", "--bootstrap", "0"]
    assert main([*args, "--json", "--no-compare"]) == 0
    cli = json.loads(capsys.readouterr().out)
    py = scalinglab.fit("chinchilla", frame.rename(columns={"model_size": "size_m", "n_tokens": "seen"}),
                        y="val_loss", x="N=size_m,D=seen", bootstrap=0)  # fmt: skip
    assert cli["coefs"] == pytest.approx(dict(py.coefs), rel=1e-9)


def test_law_choice_reads_the_x_columns_the_fit_will_read() -> None:
    frame = _runs()
    frame["non_embedding"] = frame["model_size"] * np.linspace(0.5, 0.9, len(frame))
    chosen = choose_law(frame, y="val_loss", x={"N": "non_embedding"})
    moved = frame.drop(columns="model_size").rename(columns={"non_embedding": "model_size"})
    assert chosen.scores == pytest.approx(choose_law(moved, y="val_loss").scores, rel=1e-12)
    assert chosen.scores != pytest.approx(choose_law(frame, y="val_loss").scores, rel=1e-6)
