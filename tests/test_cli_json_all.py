"""Every command's ``--json``, run once on small inputs: strict JSON (no ``NaN`` token), a
``"format"`` naming what it is, and a law's coefficients never under ``"params"`` (which
means model size everywhere: ``"coefs"`` holds them)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._hparam_sweeps import sweep
from tests._ladders import make_corpus, write_ladder
from tests._stores import store_of
from tests.test_cli_backtest import ladder_csv
from tests.test_cli_curves import _write_curves
from tests.test_curves import MPL_TRUE, SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab._formats import KINDS
from scalinglab.cli import main
from scalinglab.curves import MultiPower


def _commands() -> set[str]:
    """Every command of the app that takes ``--json``, by its words (``curves predict``)."""
    from typer.main import get_command

    from scalinglab.cli._app import app

    found: set[str] = set()

    def walk(command: Any, words: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*words, name])
        if any("--json" in p.opts for p in getattr(command, "params", ())):
            found.add(" ".join(words))

    walk(get_command(app), [])
    return found


def curves_and_hparams(folder: Path) -> dict[str, str]:
    """The sweep and the curves, and the fits of them the ``hparams`` and ``curves`` commands
    read (``hp``, ``curve``): what ``test_cli_out_is_json`` needs of :func:`given`."""
    f = {k: str(folder / f"{k}.json") for k in ("hp", "curve")}
    f["sweep"] = str(folder / "sweep.csv")
    sweep(0).to_csv(f["sweep"], index=False)
    f["curves"] = _write_curves(
        folder / "curves.csv",
        _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100),
    )
    writes = [
        ["hparams", "fit", f["sweep"], "--bootstrap", "0", "--seq-len", "2048", "--out", f["hp"]],
        ["curves", "fit", f["curves"], "--law", "tissue", "--warmup", "200", "--bootstrap", "0",
         "--out", f["curve"]],
    ]  # fmt: skip
    for args in writes:
        assert main(args) == 0, args
    return f


def make_given(folder: Path) -> dict[str, str]:
    """The inputs, and the files the fits write that the other commands read: the session's
    ``given`` fixture (tests/conftest.py), which tests/test_cli_json_source.py reads too."""
    f = curves_and_hparams(folder)
    f |= {k: str(folder / f"{k}.json") for k in ("fit", "l2l", "ds")}
    f["runs"] = str(ladder_csv(folder / "runs.csv"))
    f["sized"] = str(folder / "sized.csv")  # curves of 16 sizes, for the envelope
    law_curves(HOFFMANN, noise=0.0, sizes=16).to_csv(f["sized"], index=False)
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    f["evals"] = str(folder / "evals.csv")
    frame.to_csv(f["evals"], index=False)
    f["store"] = str(store_of(frame, folder / "runs.duckdb"))
    f["ingested"] = str(folder / "ingested.duckdb")
    f["ladder"] = str(write_ladder(folder / "mini.toml", steps=(2, 2), corpus=make_corpus(
        folder / "text"), eval_every=2, checkpoint_every=2))  # fmt: skip
    f["trained"] = str(folder / "trained.duckdb")
    writes = [
        ["fit", f["runs"], "--bootstrap", "20", "--no-compare", "--out", f["fit"]],
        ["loss2loss", "fit", f["evals"], "--x", "loss", "--y", "loss_other", "--bootstrap", "20",
         "--out", f["l2l"]],
        ["downstream", "fit", f["evals"], "--tasks", "all", "--bootstrap", "20", "--out", f["ds"]],
    ]  # fmt: skip
    for args in writes:
        assert main(args) == 0, args
    return f


#: Each command with ``--json`` and its arguments (``{name}``: a file of :func:`given`).
_RUNS: dict[str, list[str]] = {
    "fit": ["fit", "{runs}", "--bootstrap", "0", "--no-compare"],
    "plan": ["plan", "--preset", "hoffmann2022", "--compute", "1e22"],
    "predict": ["predict", "--fit", "{fit}", "--params", "1e9", "--tokens", "2e10"],
    "laws": ["laws"],
    "report": ["report", "{runs}", "--bootstrap", "0", "--out", "{dir}/r.html"],
    "backtest": ["backtest", "{runs}", "--no-rolling"],
    "isoflop": ["isoflop", "{runs}", "--bootstrap", "0"],
    "envelope": ["envelope", "{sized}", "--bootstrap", "0"],
    "ingest": ["ingest", "{evals}", "--store", "{ingested}"],
    "runs": ["runs", "--store", "{store}"],
    "runs rm": ["runs", "rm", "m0", "--store", "{store}"],
    "ladder plan": ["ladder", "plan", "chinchilla-tiny"],
    # in-process: the JSON is the backend's to neither shape nor change, and a local worker
    # per rung starts Python and PyTorch anew (test_cli_ladder.py runs those with --json)
    "ladder run": ["ladder", "run", "{ladder}", "--store", "{trained}", "--backend", "in-process"],
    "ladder status": ["ladder", "status", "--store", "{trained}"],
    "hparams fit": ["hparams", "fit", "{sweep}", "--bootstrap", "0", "--seq-len", "2048"],
    "hparams predict": ["hparams", "predict", "--fit", "{hp}", "--params", "7B", "--tokens",
                        "1.4T"],
    "hparams backtest": ["hparams", "backtest", "{sweep}", "--seq-len", "2048"],
    "downstream fit": ["downstream", "fit", "{evals}", "--tasks", "all", "--bootstrap", "0"],
    "downstream predict": ["downstream", "predict", "--fit", "{ds}", "--params", "800M",
                           "--tokens", "16B"],
    "downstream backtest": ["downstream", "backtest", "{evals}", "--tasks", "all"],
    "downstream plan": ["downstream", "plan", "--fit", "{ds}", "--target-accuracy", "task=0.5"],
    "loss2loss fit": ["loss2loss", "fit", "{evals}", "--x", "loss", "--y", "loss_other",
                      "--bootstrap", "20"],
    "loss2loss predict": ["loss2loss", "predict", "--fit", "{l2l}", "--loss", "3.0"],
    "curves fit": ["curves", "fit", "{curves}", "--law", "tissue", "--warmup", "200",
                   "--bootstrap", "0"],
    "curves predict": ["curves", "predict", "--fit", "{curve}", "--schedule",
                       "wsd:decay=0.2,steps=3000"],
    "curves compare": ["curves", "compare", "--fit", "{curve}", "--steps", "3000",
                       "--schedules", "cosine,wsd:0.2"],
    "curves backtest": ["curves", "backtest", "{curves}", "--train", "run0,run1", "--law",
                        "tissue", "--warmup", "200"],
}  # fmt: skip
_PLUS = {  # the same commands in another form: one law, a plan from a fit, a laws preset
    "laws NAME": ["laws", "chinchilla"],
    "laws PRESET": ["laws", "hoffmann2022"],
    "plan --fit": ["plan", "--fit", "{fit}", "--target-loss", "2.6"],
}


def test_every_command_with_json_is_run_here() -> None:
    assert _commands() == set(_RUNS), "a command takes --json: add it to _RUNS"


def _strict(text: str) -> Any:
    def refuse(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def _params_keys(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every ``"params"`` key in ``data`` with its value, by path."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "params":
                yield f"{path}.{k}", v
            yield from _params_keys(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _params_keys(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", [*_RUNS, *_PLUS])
@pytest.mark.heavy
def test_json_is_strict_has_a_format_and_no_coefs_under_params(
    capsys: pytest.CaptureFixture[str], given: dict[str, str], tmp_path: Path, name: str
) -> None:
    if name == "ladder run" and importlib.util.find_spec("torch") is None:
        pytest.skip("ladder run trains with PyTorch (extra [train]), not installed here")
    words = {**_RUNS, **_PLUS}[name]
    args = [a.format(**given, dir=tmp_path) for a in words] + ["--json"]
    if name == "ladder status":  # a store the ladder trained
        ladder = _RUNS["ladder run"]
        assert main([a.format(**given) for a in ladder]) == 0
        capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    data = _strict(out)
    assert data.get("format") in KINDS, f"{name} --json: format {data.get('format')!r}"
    assert next(iter(data)) == "format", "the format is the first key"
    for where, value in _params_keys(data):
        # model size: a number, numbers, or what the numbers count (a convention)
        holds_names = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, str | dict) for v in value)
        )
        assert not holds_names, f"{name} --json: {where} holds {value!r}, not model size"


def test_a_fit_saves_strict_json(tmp_path: Path) -> None:
    """``FitResult.to_json`` (what ``save`` writes): a NaN anywhere is the string ``"nan"``,
    never the ``NaN`` token strict readers refuse, and it reads back as NaN."""
    import dataclasses
    import math

    import scalinglab as sl

    fit = sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0)
    odd = dataclasses.replace(fit, objective=math.nan, delta=math.inf)
    data = _strict(odd.to_json())
    assert (data["objective"], data["delta"]) == ("nan", "inf")
    odd.save(tmp_path / "fit.json")
    again = sl.FitResult.load(tmp_path / "fit.json")
    assert math.isnan(again.objective) and again.delta == math.inf


@pytest.mark.heavy  # the shared `given` fixture: 7.0 s in the suite on a 2-core AMD EPYC
def test_a_downstream_chain_saves_strict_json(given: dict[str, str], tmp_path: Path) -> None:
    """``downstream fit --out`` (``DownstreamFit.save``): a NaN is the string ``"nan"`` and
    reads back as NaN; a chain saved before, with ``NaN`` tokens, still loads."""
    import dataclasses
    import math

    from scalinglab.downstream import DownstreamFit
    from scalinglab.downstream._io import chain_to_dict

    chain = DownstreamFit.load(given["ds"])
    step = dataclasses.replace(chain.loss_step, noise=math.nan)
    odd = dataclasses.replace(chain, loss_step=step, loss_delta=math.inf)
    odd.save(tmp_path / "ds.json")
    data = _strict((tmp_path / "ds.json").read_text())
    assert next(iter(data)) == "format" and data["format"] == "scalinglab.downstream/1"
    assert (data["loss_step"]["noise"], data["loss_delta"]) == ("nan", "inf")
    (tmp_path / "before.json").write_text(json.dumps(chain_to_dict(odd)))  # NaN tokens
    for saved in (tmp_path / "ds.json", tmp_path / "before.json"):
        again = DownstreamFit.load(saved)
        assert math.isnan(again.loss_step.noise) and again.loss_delta == math.inf
        assert again.loss_step.coefs == chain.loss_step.coefs


def test_a_curve_fit_of_the_old_format_name_still_loads(
    given: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Curve fits were ``"scalinglab.curve_fit"`` before ``"/1"``: still read as curve fits,
    and a reader of another kind names them so."""
    from scalinglab.curves import CurveFit

    data = json.loads(Path(given["curve"]).read_text())
    assert data["format"] == "scalinglab.curve_fit/1"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data | {"format": "scalinglab.curve_fit"}))
    assert CurveFit.load(old).coefs == CurveFit.load(given["curve"]).coefs
    code = main(["predict", "--fit", str(old), "--params", "1e9", "--tokens", "2e10"])
    err = capsys.readouterr().err
    assert code == 2 and "hint: it is a curve fit: read it with `curves predict --fit`" in err


def test_a_prediction_given_as_a_fit_is_named(
    given: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "pred.json"
    args = ["predict", "--fit", given["fit"], "--params", "1e9", "--tokens", "2e10"]
    assert main([*args, "--out", str(saved)]) == 0
    code = main(["plan", "--fit", str(saved), "--compute", "1e22"])
    err = capsys.readouterr().err
    assert code == 2 and "(format 'scalinglab.predict/1', expected 'scalinglab.fit/1')" in err
    assert "hint: it is predictions (`scalinglab predict --out`): `plan --fit` reads a law" in err
