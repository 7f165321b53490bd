"""Findings of a new user's sweep of the Python API: frozen results that stay frozen,
argument types refused with a ConfigError, saving into a missing folder, plans from a
saved fit, and the shapes predict accepts."""

from __future__ import annotations

import copy
import json
import pickle
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

import scalinglab
from scalinglab import FitResult


@cache
def _fit() -> FitResult:
    return scalinglab.fit("chinchilla", chinchilla_runs(), bootstrap=8, seed=0)


def test_fit_result_coefs_and_intervals_are_read_only(tmp_path: Path) -> None:
    result = _fit()
    result.save(tmp_path / "fit.json")
    loaded = FitResult.load(tmp_path / "fit.json")
    before = float(loaded.predict(params=7e9, tokens=1.4e12).loss[0])
    with pytest.raises(TypeError):
        loaded.coefs["E"] = 0.0  # type: ignore[index]
    with pytest.raises(TypeError):
        loaded.intervals["E"] = (0.0, 1.0)  # type: ignore[index]
    assert float(loaded.predict(params=7e9, tokens=1.4e12).loss[0]) == before
    # the JSON form, a pickle and a deep copy are as before
    loaded.save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == (tmp_path / "fit.json").read_text()
    assert type(loaded.to_dict()["coefs"]) is dict
    assert pickle.loads(pickle.dumps(loaded)).to_dict() == loaded.to_dict()
    assert copy.deepcopy(loaded).to_dict() == loaded.to_dict()


def test_fit_result_does_not_follow_the_dict_it_was_built_from() -> None:
    d = _fit().to_dict()
    result = FitResult.from_dict(json.loads(json.dumps(d)))
    coefs = dict(result.coefs)
    rebuilt = FitResult(**{**vars(result), "coefs": coefs})
    coefs["E"] = 0.0
    assert rebuilt.coefs["E"] == result.coefs["E"]


def test_curve_fit_coefs_are_read_only(tmp_path: Path) -> None:
    from tests.test_curves_json import SPECS, TRUTH

    from scalinglab.curves import CurveFit, Tissue, parse_schedule

    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    curves = {}
    for run, spec in SPECS.items():
        s = parse_schedule(spec)
        steps = np.arange(200, 3000, 50)
        loss = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)[0][0]
        curves[run] = (s, steps, loss)
    rows = ["run,step,lr,loss"] + [
        f"{run},{k},{float(s.lr[k])!r},{float(v)!r}"
        for run, (s, steps, loss) in curves.items()
        for k, v in zip(steps, loss, strict=True)
    ]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n")
    fit = scalinglab.fit_curves(scalinglab.read_lr_curves(tmp_path / "c.csv"), law="tissue")
    with pytest.raises(TypeError):
        fit.coefs["L0"] = 0.0  # type: ignore[index]
    with pytest.raises(TypeError):
        fit.defaults["peak"] = 1.0  # type: ignore[index]
    fit.save(tmp_path / "curve.json")
    again = CurveFit.load(tmp_path / "curve.json")
    again.save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == (tmp_path / "curve.json").read_text()
    assert pickle.loads(pickle.dumps(again)).coefs == again.coefs


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: scalinglab.get_preset(5), "a preset name must be a string, got 5 (int)"),
        (
            lambda: scalinglab.get_preset(Path("x")),
            "a preset name must be a string, got PosixPath('x')",
        ),
        (lambda: scalinglab.get_law(None), "must be a string, got None (NoneType)"),
        (lambda: scalinglab.get_law(5), "must be a string, got 5 (int)"),
        (
            lambda: scalinglab.backtest(chinchilla_runs(), holdout=5),
            "a hold-out rule must be a string, got 5 (int)",
        ),
        (lambda: scalinglab.flops_6nd(None, 1e9), "params=None is not a number"),
        (lambda: scalinglab.laws.parse_formula(5), "a formula must be a string, got 5 (int)"),
    ],
)
def test_wrong_argument_types_are_config_errors(call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(scalinglab.ConfigError) as err:
        call()
    assert message in str(err.value)


def test_flops_6nd_reads_sizes_with_units() -> None:
    assert scalinglab.flops_6nd("7B", "1.4T") == pytest.approx(6 * 7e9 * 1.4e12)
    assert scalinglab.flops_6nd(["7B", "70B"], 1.4e12).tolist() == pytest.approx([5.88e22, 5.88e23])


def test_saving_into_a_missing_folder_makes_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As the command line's --out makes its folder (it refused it before: 'does not
    exist'); a file in the way is refused before anything is written."""
    monkeypatch.chdir(tmp_path)
    result = _fit()
    result.save(Path("sub/dir/fit.json"))
    assert scalinglab.FitResult.load("sub/dir/fit.json").coefs == result.coefs
    Path("file").write_text("x")
    with pytest.raises(scalinglab.ConfigError) as err:
        result.save("file/dir/fit.json")
    assert str(err.value) == (
        "path 'file/dir/fit.json': cannot create the folder 'file/dir': 'file' is a file "
        "(check the path, or write somewhere else)"
    )
    with pytest.raises(scalinglab.ConfigError, match="cannot create the folder 'file'"):
        scalinglab.write_report(result, scalinglab.read_runs(chinchilla_runs()), "file/r.html")
    with pytest.raises(scalinglab.ConfigError, match="is a folder"):
        result.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "sub"]


def test_plans_from_the_path_of_a_saved_fit(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = _fit()
    result.save("fit.json")
    direct = scalinglab.optimal_allocation(result, flops=1e23)
    for source in ("fit.json", Path("fit.json"), str(tmp_path / "fit.json")):
        plan = scalinglab.optimal_allocation(source, flops=1e23)
        assert plan.params == direct.params
        assert plan.loss == direct.loss  # the saved fit's prediction interval, too
    need = scalinglab.compute_for_loss(Path("fit.json"), target_loss=2.3)
    assert need.flops == scalinglab.compute_for_loss(result, target_loss=2.3).flops
    with pytest.raises(scalinglab.DataError, match=r"nope\.json"):
        scalinglab.optimal_allocation("nope.json", flops=1e23)
    # a preset's name is still a preset's name
    assert scalinglab.optimal_allocation("hoffmann2022", flops=1e23).params.value > 0


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_downstream_fit_and_prediction_have_to_dict(tmp_path: Path) -> None:
    from tests.test_downstream_chain import models

    from scalinglab.downstream import DownstreamFit, fit_downstream, read_evals

    rng = np.random.default_rng(0)
    frame = models(rng, np.geomspace(2e7, 1e9, 6), np.array([10.0, 20.0, 40.0]))
    chain = fit_downstream(read_evals(frame), law="chinchilla", bootstrap=10, seed=0)
    chain.save(tmp_path / "ds.json")
    assert chain.to_dict() == json.loads((tmp_path / "ds.json").read_text())
    assert DownstreamFit.load(tmp_path / "ds.json").to_dict() == chain.to_dict()

    p = _fit().predict(params=[7e9, 70e9], tokens=1.4e12)
    d = p.to_dict()
    assert [r["loss"] for r in d["points"]] == p.loss.tolist() and d["level"] == p.level
    assert json.loads(json.dumps(d)) == d


def test_readme_start_counts_are_the_fit_s(
    chinchilla_csv_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's counts are the AVX2 build's, as its blocks say (how many starts are solved
    to the end is the build's: 613 with AVX2, 609 with AVX-512); was the test machine's own
    build, so the README read 609 where AVX-512 ran the tests."""
    runs = scalinglab.read_runs(chinchilla_csv_path, drop_outliers=True)
    monkeypatch.setenv("SCALINGLAB_SOLVER", "avx2")
    try:
        result = scalinglab.fit("chinchilla", runs, bootstrap=0, seed=0)
    except scalinglab.ConfigError as err:  # no AVX2 on this CPU, or the build not installed
        pytest.skip(f"the README's counts are the AVX2 build's: {err.message}")
    assert result.solver == "compiled-avx2"
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    line = (
        f"result.n_starts_at_best           # {result.n_starts_at_best} of the "
        f"{result.n_starts_solved} starts solved to the end"
    )
    assert line in readme


def test_predict_refuses_tables_and_2d_arrays_it_would_flatten() -> None:
    import pandas as pd

    result = _fit()
    two = pd.DataFrame({"a": [7e9, 70e9], "b": [1e9, 1e9]})
    with pytest.raises(scalinglab.ConfigError) as err:
        result.predict(params=two, tokens=1.4e12)
    assert str(err.value).startswith("params= is a table of 2 columns (a, b): predict takes one")
    with pytest.raises(scalinglab.ConfigError, match=r"an array of shape \(2, 3\)"):
        result.predict(params=np.full((2, 3), 7e9), tokens=1.4e12)
    # one column, a Series, a list: one point per value
    want = result.predict(params=[7e9, 70e9], tokens=1.4e12).loss
    for params in (pd.DataFrame({"a": [7e9, 70e9]}), pd.Series([7e9, 70e9])):
        assert result.predict(params=params, tokens=1.4e12).loss.tolist() == want.tolist()


def test_rolling_backtest_documents_every_argument_and_its_bootstrap_default() -> None:
    import inspect

    from scalinglab.validate import rolling_backtest

    doc = inspect.getdoc(rolling_backtest) or ""
    args = doc.split("Args:")[1].split("Returns:")[0]
    for name, p in inspect.signature(rolling_backtest).parameters.items():
        label = f"**{name}:" if p.kind is p.VAR_KEYWORD else f"{name}:"
        assert f"\n    {label}" in "\n" + args, name
    assert inspect.signature(rolling_backtest).parameters["bootstrap"].default == 100
    assert "(default 100," in args and "ROLLING_BOOTSTRAP" in args
    assert "others as in" not in doc
