"""``scalinglab predict``: the loss at (N, D) from a saved fit is what ``FitResult.predict``
gives at the same point (value, interval, its kind, distance), with ``plan``'s notes for
points far outside the runs; the options a law does not read, and files that are not loss
fits, are refused in one line."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import TRUTH, isoflop_runs

from scalinglab import FitResult
from scalinglab.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 IsoFLOP runs of the Chinchilla law with TRUTH (1e18-1e20 FLOPs), and a column
    ``unique`` for a formula's third variable."""
    runs = isoflop_runs(seed=3)
    runs["unique"] = runs["tokens"] / np.tile([1.0, 2.0, 4.0], 10)
    path = tmp_path_factory.mktemp("predict") / "runs.csv"
    runs.to_csv(path, index_label="run")
    return path.parent


def _fit(folder: Path, name: str, *args: str) -> Path:
    path = folder / f"{name}.json"
    if not path.exists():
        assert main(["fit", str(folder / "runs.csv"), "--no-compare", "--json", "--out",
                     str(path), *args]) == 0  # fmt: skip
    return path


@pytest.fixture(scope="module")
def chinchilla(folder: Path) -> Path:
    return _fit(folder, "chinchilla", "--bootstrap", "40")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    code, out, err = cli(capsys, "predict", *args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_predict_is_fit_result_predict(
    capsys: pytest.CaptureFixture[str], chinchilla: Path
) -> None:
    data = _json(capsys, "--fit", str(chinchilla), "--params", "7B", "--tokens", "1.4T")
    result = FitResult.load(chinchilla)
    p = result.predict(params=7e9, tokens=1.4e12)
    assert (data["params"], data["tokens"]) == (7e9, 1.4e12)
    assert data["loss"] == p.loss.item() and data["distance"] == p.distance.item()  # type: ignore[union-attr]
    assert (data["lower"], data["upper"]) == (p.lower.item(), p.upper.item())
    assert data["interval_kind"] == p.interval_kind == "backtest-calibrated"
    assert (data["level"], data["noise"]) == (0.9, p.noise)
    # the loss is the law at the fitted coefficients (an oracle outside predict)
    c = result.coefs
    law = c["E"] + c["A"] * 7e9 ** -c["alpha"] + c["B"] * 1.4e12 ** -c["beta"]
    assert data["loss"] == pytest.approx(law, rel=1e-12)
    # and its interval holds the loss of the law that drew the runs, 2.8 decades out
    truth = TRUTH["E"] + TRUTH["A"] * 7e9 ** -TRUTH["alpha"] + TRUTH["B"] * 1.4e12 ** -TRUTH["beta"]
    assert data["lower"] < truth < data["upper"] and data["lower"] < data["loss"] < data["upper"]
    assert data["source"] == {**data["source"], "kind": "fit", "law": "chinchilla"}
    assert data["source"]["origin"] == f"--fit {chinchilla}"
    # 7B at 1.4T is beyond the runs (5B, 1e20 FLOPs): plan's notes say so, as for N*, D*
    assert data["distance"] > 1 and data["notes"][0].startswith(
        "rows more than 1 decade beyond the fitted runs"
    )
    # --level, as predict(level=)
    half = _json(capsys, "--fit", str(chinchilla), "--params", "7B", "--tokens", "1.4T",
                 "--level", "0.5")  # fmt: skip
    q = result.predict(params=7e9, tokens=1.4e12, level=0.5)
    assert (half["level"], half["lower"], half["upper"]) == (0.5, q.lower.item(), q.upper.item())


def test_a_level_past_what_the_backtests_calibrate_is_unbounded_and_says_so(
    capsys: pytest.CaptureFixture[str], chinchilla: Path
) -> None:
    """A level beyond the backtest residuals' ``max_level`` gives the unbounded interval,
    not the largest score's under the level's label; JSON, table and Python say so."""
    result = FitResult.load(chinchilla)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    top = ex.max_level  # the scores' share of the weighted mass, the new point's at +inf
    w = ex.weights
    assert top == pytest.approx(w.sum() / (w.sum() + w.max())) and 0.9 < top < 0.999
    at = ("--fit", str(chinchilla), "--params", "7B", "--tokens", "1.4T")
    data = _json(capsys, *at, "--level", "0.999")
    assert (data["lower"], data["upper"], data["max_level"]) == (0.0, "inf", top)
    note = ex.level_note(0.999)
    n, cuts = int(ex.scored.sum()), len(ex.sizes)
    assert note is not None and data["notes"][0] == note
    assert note.startswith(f"the 99.9% interval is unbounded: {n} backtest residuals from {cuts}")
    notes = result.predict(params=7e9, tokens=1.4e12, level=0.999).notes
    assert notes[0] == note and notes == tuple(data["notes"])  # Python says what the CLI does
    bounded = _json(capsys, *at, "--level", "0.9")
    assert math.isfinite(bounded["upper"]) and not bounded["notes"][0].startswith("the 9")
    code, out, _ = cli(capsys, "predict", *at, "--level", "0.999")
    assert code == 0 and "99.9% interval is unbounded" in " ".join(out.split())


def test_the_interval_line_speaks_of_the_level_asked_not_the_fits(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    """A fit saved at a level its backtests do not reach (99.9%) and read at one they do:
    the "prediction intervals" line said the fit's "99.9% interval is unbounded ... ask
    X% or less" under a bounded 80% interval, and at the fit's own level it said so twice."""
    path = _fit(folder, "chinchilla-999", "--bootstrap", "40", "--level", "0.999")
    at = ("--fit", str(path), "--params", "7B", "--tokens", "1.4T")
    capsys.readouterr()  # the fit's JSON
    code, out, _ = cli(capsys, "predict", *at, "--level", "0.8")
    said = " ".join(out.split())
    assert code == 0 and "prediction intervals: backtest-calibrated (" in said
    assert "unbounded" not in said and "∞" not in said  # the 80% interval is bounded
    code, out, _ = cli(capsys, "predict", *at)  # the fit's own 99.9%: one line says it
    assert code == 0 and " ".join(out.split()).count("99.9% interval is unbounded") == 1
    assert "[0, ∞]" in out and "0.0000" not in out  # its 0 a bound, not a loss of 0.0000


def test_several_values_pair_up_and_one_holds_for_all(
    capsys: pytest.CaptureFixture[str], chinchilla: Path
) -> None:
    data = _json(capsys, "--fit", str(chinchilla), "--params", "100M,1B,70B", "--tokens", "20B")
    p = FitResult.load(chinchilla).predict(params=np.array([1e8, 1e9, 7e10]), tokens=2e10)
    points = data["points"]
    assert [(r["params"], r["tokens"]) for r in points] == [(1e8, 2e10), (1e9, 2e10), (7e10, 2e10)]
    assert [r["loss"] for r in points] == p.loss.tolist()
    assert [(r["lower"], r["upper"]) for r in points] == list(zip(p.lower, p.upper, strict=True))
    assert [r["distance"] for r in points] == p.distance.tolist()  # type: ignore[union-attr]
    assert "loss" not in data and data["interval_kind"] == p.interval_kind
    pairs = _json(capsys, "--fit", str(chinchilla), "--params", "1B,2B", "--tokens", "20B,40B")
    assert [(r["params"], r["tokens"]) for r in pairs["points"]] == [(1e9, 2e10), (2e9, 4e10)]
    code, out, err = cli(capsys, "predict", "--fit", str(chinchilla), "--params", "1B,2B",
                         "--tokens", "1T,2T,3T")  # fmt: skip
    assert (code, out) == (2, "")
    assert "error: --params has 2 values and --tokens has 3" in err


def test_flops_with_params_is_predict_params_flops(
    capsys: pytest.CaptureFixture[str], chinchilla: Path
) -> None:
    data = _json(capsys, "--fit", str(chinchilla), "--params", "1B", "--flops", "1.2e20")
    p = FitResult.load(chinchilla).predict(params=1e9, flops=1.2e20)  # D = C/(6N) = 20B
    assert (data["params"], data["flops"], data["tokens"]) == (1e9, 1.2e20, 2e10)
    assert (data["loss"], data["lower"], data["upper"]) == (
        p.loss.item(), p.lower.item(), p.upper.item(),
    )  # fmt: skip


def test_the_table_shows_value_interval_kind_and_distance(
    capsys: pytest.CaptureFixture[str], chinchilla: Path
) -> None:
    code, out, _ = cli(capsys, "predict", "--fit", str(chinchilla), "--params", "10M,7B",
                       "--tokens", "1B,1.4T")  # fmt: skip
    assert code == 0
    result = FitResult.load(chinchilla)
    p = result.predict(params=np.array([1e7, 7e9]), tokens=np.array([1e9, 1.4e12]))
    assert "loss predicted by chinchilla" in out and "90% interval" in out
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    shown = [r for r in rows if r and r[0] in ("10M", "7B")]
    # 10M on 1B lies below the runs: its factor says so
    assert shown == [
        [n, d, f"{p.loss[i]:.4f}", f"[{p.lower[i]:.4f}, {p.upper[i]:.4f}]", f"x{10**far:,.0f}{way}"]
        for i, (n, d, far, way) in enumerate(
            zip(("10M", "7B"), ("1B", "1.4T"), p.distance, (" below", ""), strict=True)
        )  # type: ignore[arg-type]
    ]
    assert "beyond data" in out and f"{p.distance[1]:.2f} dec" in out  # type: ignore[index]
    text = " ".join(out.split())
    assert f"prediction intervals: {result.interval_note}" in text
    # 10M on 1B is below the smallest runs, 7B on 1.4T beyond them: plan's two notes
    assert "rows more than 1 decade below the smallest fitted runs" in text
    assert "rows more than 1 decade beyond the fitted runs" in text
    assert f"fit: --fit {chinchilla} — chinchilla on" in text


def test_a_fit_without_bootstrap_gives_the_value_alone(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    point = _fit(folder, "point", "--bootstrap", "0")
    data = _json(capsys, "--fit", str(point), "--params", "1B", "--tokens", "20B")
    assert data["interval_kind"] == "none"
    assert math.isnan(float(data["lower"])) and math.isnan(float(data["upper"]))
    code, out, _ = cli(capsys, "predict", "--fit", str(point), "--params", "1B", "--tokens", "20B")
    assert code == 0 and "interval" not in out.split("no intervals")[0]
    assert (
        "no intervals: the fit was made with no bootstrap (--bootstrap 0); refit with "
        "scalinglab fit --bootstrap 200"
    ) in out


def test_a_law_of_flops_and_a_formula_take_their_own_variables(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    flops = _fit(folder, "flops", "--law", "power-law:flops", "--bootstrap", "20")
    data = _json(capsys, "--fit", str(flops), "--flops", "1e19,1e21")
    p = FitResult.load(flops).predict(flops=np.array([1e19, 1e21]))
    assert [(r["flops"], r["loss"]) for r in data["points"]] == list(
        zip([1e19, 1e21], p.loss.tolist(), strict=True)
    )
    code, out, err = cli(capsys, "predict", "--fit", str(flops), "--params", "1B",
                         "--tokens", "20B")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: law 'power-law:flops' (--fit {flops}) reads C (flops): give --flops\n"
        "hint: --flops 1.2e20 is 6·N·D of these --params and --tokens; the fit's FLOPs are "
    )
    formula = _fit(folder, "formula", "--law", "E + A*N**-a + B*U**-b", "--x", "U=unique",
                   "--bootstrap", "20")  # fmt: skip
    data = _json(capsys, "--fit", str(formula), "--params", "1B", "--at", "U=10B,20B")
    p = FitResult.load(formula).predict(params=1e9, unique=np.array([1e10, 2e10]))
    assert [(r["params"], r["unique"]) for r in data["points"]] == [(1e9, 1e10), (1e9, 2e10)]
    assert [r["loss"] for r in data["points"]] == p.loss.tolist()
    assert _json(capsys, "--fit", str(formula), "--params", "1B", "--at", "unique=10B,20B") == data
    code, _, err = cli(capsys, "predict", "--fit", str(formula), "--params", "1B")
    assert code == 2 and "reads N (params) and U (unique): give --at U=VALUE" in err
    for at, message in (
        (["--at", "U"], "error: --at 'U' is not NAME=VALUE"),
        (["--at", "U=1B", "--at", "U=2B"], "error: --at gives U twice"),
        (
            ["--at", "U=1B", "--at", "unique=2B"],
            f"error: law 'E + A*N**-a + B*U**-b' (--fit {formula}) reads N (params) and U "
            "(unique); U is given twice, via --at unique and --at U",
        ),
        (["--at", "params=1B", "--at", "U=2B"], "error: --params and --at params both give params"),
    ):
        code, _, err = cli(capsys, "predict", "--fit", str(formula), "--params", "1B", *at)
        assert code == 2 and err.splitlines()[0] == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--params", "7B"], "reads N (params) and D (tokens): give --tokens (or --flops with "
                             "--params: D = C/(6·N))"),
        (["--params", "7B", "--tokens", "1T", "--flops", "1e22"],
         "reads N (params) and D (tokens); --flops 1e22 is not 6·N·D of the --params and "
         "--tokens given (4.2e22, within 5%): --tokens and --flops both give D, and disagree"),
        (["--params", "7B", "--tokens", "1T", "--at", "U=1"],
         "reads N (params) and D (tokens); it does not read --at U"),
        (["--params", "1B", "--at", "N=2B", "--tokens", "20B"],
         "reads N (params) and D (tokens); N is given twice, via --params and --at N"),
        (["--tokens", "1T", "--at", "N=2B", "--at", "params=1B"],
         "reads N (params) and D (tokens); N is given twice, via --at params and --at N"),
    ],
)  # fmt: skip
def test_options_the_law_does_not_read_are_refused(
    capsys: pytest.CaptureFixture[str], chinchilla: Path, args: list[str], message: str
) -> None:
    code, out, err = cli(capsys, "predict", "--fit", str(chinchilla), *args)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"error: law 'chinchilla' (--fit {chinchilla}) {message}"


def test_a_formulas_variables_take_the_options_of_the_columns_they_read(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    """`--law "E + A*P**-a + B*T**-b" --x P=params,T=tokens`: predict refused --params and
    --tokens ("give --at P=VALUE"), though Python's predict(params=, tokens=) takes them."""
    for name, law, x, at in (
        ("pt", "E + A*P**-a + B*T**-b", "P=params,T=tokens", {}),
        ("m", "E + A*M**-a + B*D**-b", "M=params", {}),
    ):
        path = _fit(folder, name, "--law", law, "--x", x, "--bootstrap", "20")
        data = _json(capsys, "--fit", str(path), "--params", "1B,7B", "--tokens", "20B")
        p = FitResult.load(path).predict(params=np.array([1e9, 7e9]), tokens=2e10, **at)
        assert [(r["params"], r["tokens"]) for r in data["points"]] == [(1e9, 2e10), (7e9, 2e10)]
        for key, want in (("loss", p.loss), ("lower", p.lower), ("upper", p.upper)):
            assert [r[key] for r in data["points"]] == pytest.approx(want.tolist(), rel=1e-12)
        # by the symbol too (--at), and tokens from --flops as predict(flops=) reads them
        assert _json(capsys, "--fit", str(path), "--at", f"{law[6]}=1B,7B", "--tokens",
                     "20B")["points"] == data["points"]  # fmt: skip
        flops = _json(capsys, "--fit", str(path), "--params", "1B", "--flops", "1.2e20")
        assert flops["loss"] == data["points"][0]["loss"] and flops["tokens"] == 2e10
    code, _, err = cli(capsys, "predict", "--fit", str(path), "--params", "1B")
    assert code == 2 and err.splitlines()[0].endswith(
        "reads M (params) and D (tokens): give --tokens (or --flops with --params: D = C/(6·N))"
    )
    code, _, err = cli(capsys, "predict", "--fit", str(path), "--tokens", "1B")
    assert code == 2 and err.splitlines()[0].endswith(
        "reads M (params) and D (tokens): give --params"
    )


@pytest.mark.parametrize("value", ["1B,,7B", "1B,", ""])
def test_an_empty_item_is_refused(
    capsys: pytest.CaptureFixture[str], chinchilla: Path, value: str
) -> None:
    """`--params 1B,,7B` predicted at 1B and 7B, the empty item dropped without a word."""
    code, out, err = cli(capsys, "predict", "--fit", str(chinchilla), "--params", value,
                         "--tokens", "1T")  # fmt: skip
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"error: --params {value!r} has an empty item"


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        ("scalinglab.downstream/1", "a downstream chain: read it with `downstream predict --fit`"),
        # plan --fit refuses it where plan --hparams reads it: the hint says so
        (
            "scalinglab.hparams/1",
            "an hparams fit: read it with `hparams predict --fit` (Python: "
            "HparamFit.load), or give it to `plan --hparams` (lr* and B* at the plan's N*, D*, "
            "beside --fit or --preset) or `ladder plan --hparams`; write one with",
        ),
        ("scalinglab.curve_fit/1", "a curve fit: read it with `curves predict --fit`"),
        ("scalinglab.curve_fit", "a curve fit: read it with `curves predict --fit`"),  # older
    ],
)
def test_another_commands_fit_is_named_with_the_command_that_reads_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, what: str
) -> None:
    """The file kinds of ``scalinglab._formats``, as ``plan --fit`` says them."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": kind, "coefs": {}}), encoding="utf-8")
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--tokens", "1T")
    assert (code, out) == (2, "")
    error, hint = err.splitlines()
    assert (
        error
        == f"error: {path}: not a scalinglab fit (format {kind!r}, expected 'scalinglab.fit/1')"
    )
    assert hint.startswith(f"hint: it is {what}")
    assert cli(capsys, "plan", "--fit", str(path), "--compute", "1e22")[2] == err


def test_a_fit_to_simulated_runs_says_so(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    path = folder / "simulated.json"
    assert main(["fit", "--data", "simulated", "--bootstrap", "0", "--no-compare", "--json",
                 "--out", str(path)]) == 0  # fmt: skip
    capsys.readouterr()
    banner = "SIMULATED DATA — not real training runs: this prediction comes from a fit to"
    code, out, _ = cli(capsys, "predict", "--fit", str(path), "--params", "1B", "--tokens", "20B")
    assert code == 0 and out.startswith(banner)
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "1B", "--tokens",
                         "20B", "--json")  # fmt: skip
    assert json.loads(out)["source"]["simulated"] is True and err.startswith(banner)
