"""A fit file that cannot be planned from says so and names the file: one missing a key
names it as today's files write it ("coefs", not the older "params"), and one edited to
coefficients that give no finite prediction (a negative exponent) says that, not "N must
be positive and finite to predict, got nan"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab.fit._diagnostics import diagnose
from scalinglab.laws import get_law

HINT = "hint: write it again with `scalinglab fit ... --out fit.json`\n"


@pytest.fixture(scope="module")
def saved() -> dict[str, object]:
    runs = chinchilla_runs(outliers=0)
    return sl.fit("chinchilla", runs, bootstrap=0, extrapolation=False).to_dict()


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("key", ["coefs", "robust_loss"])
def test_a_missing_key_is_named_as_the_file_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], saved: dict[str, object], key: str
) -> None:
    data = dict(saved)
    del data[key]
    if key == "robust_loss":
        del data["loss"]  # the older name, which today's files write as well
    path = _write(tmp_path, data)
    code, _, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22")
    assert (code, err) == (
        2,
        f"error: {path}: fit file is incomplete: it has no {key!r} key\n" + HINT,
    )


def test_an_older_file_with_params_is_still_read(tmp_path: Path, saved: dict[str, object]) -> None:
    data = dict(saved)
    data["params"] = data.pop("coefs")
    assert sl.FitResult.load(_write(tmp_path, data)).coefs == saved["coefs"]


@pytest.mark.parametrize(
    ("option", "what"),
    [
        ("--compute", "the compute-optimal N* at 1e22 FLOPs"),
        ("--target-loss", "the compute for target loss 2.5"),
    ],
)
def test_coefficients_with_no_finite_prediction_are_said_with_the_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    saved: dict[str, object],
    option: str,
    what: str,
) -> None:
    data = json.loads(json.dumps(saved))
    data["coefs"]["alpha"] = -0.3  # edited by hand
    path = _write(tmp_path, data)
    value = "1e22" if option == "--compute" else "2.5"
    code, out, err = cli(capsys, "plan", "--fit", str(path), option, value)
    first, hint = err.splitlines()
    assert (code, out) == (2, "")
    assert first.startswith(
        f"error: {path}: the fit's coefficients give no finite prediction: {what} is not finite (E="
    )
    assert "alpha=-0.3," in first
    assert hint == (
        "hint: check the coefficients (a law's exponents are positive), or write the fit "
        "again with `scalinglab fit ... --out fit.json`"
    )
    # from Python too, given the path or the fit read from it (was: the file named by
    # `plan --fit` alone); a fit never saved has no file to name
    for source in (str(path), sl.FitResult.load(path)):
        with pytest.raises(sl.DataError) as named:
            sl.optimal_allocation(source, flops=1e22)
        assert named.value.message.startswith(
            f"{path}: the fit's coefficients give no finite prediction: the compute-optimal N*"
        )
        assert named.value.source == str(path)
    unsaved = dataclasses.replace(sl.FitResult.load(path), path=None)
    with pytest.raises(sl.DataError, match=r"^the fit's coefficients give no finite prediction"):
        sl.optimal_allocation(unsaved, flops=1e22)


def test_an_unknown_law_in_a_fit_file_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], saved: dict[str, object]
) -> None:
    path = _write(tmp_path, {**saved, "law": "nope"})
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22")
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"error: {path}: unknown law 'nope'"  # was: no file
    assert err.splitlines()[1].startswith("hint: choose one of chinchilla, ")
    with pytest.raises(sl.DataError, match=f"^{path}: unknown law 'nope'"):
        sl.optimal_allocation(str(path), flops=1e22)


def test_predict_from_a_file_edited_to_a_negative_exponent_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], saved: dict[str, object]
) -> None:
    """A finite but absurd loss (alpha = -0.3: the loss grows with N) was printed with no
    warning: the file's values are judged again on reading, by the fit's own rule."""
    data = json.loads(json.dumps(saved))
    data["coefs"]["alpha"] = -0.3
    path = _write(tmp_path, data)
    args = ["predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"]
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    warned = "warning: alpha = -0.3 is negative: the law assumes the loss decays"
    assert warned in out.splitlines()
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 0
    said = json.loads(out)["warnings"]
    assert said[-1] == warned.removeprefix("warning: ") and not saved["warnings"]
    # the rule is diagnose's: a fit whose alpha is negative says the same line
    assert said[-1] in diagnose(
        get_law("chinchilla"), {**data["coefs"]}, {}, None, n_runs=100, min_loss=2.0
    )
    # a file that says it already gains nothing, nor does an unedited one
    data["warnings"] = [said[-1]]
    assert sl.FitResult.load(_write(tmp_path, data)).warnings == (said[-1],)
    assert sl.FitResult.load(_write(tmp_path, saved)).warnings == ()
