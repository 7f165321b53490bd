"""A fit file that cannot be planned from says so and names the file: one missing a key
names it as today's files write it ("coefs", not the older "params"), and one edited to
coefficients that give no finite prediction (a negative exponent) says that, not "N must
be positive and finite to predict, got nan"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl

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
    with pytest.raises(sl.DataError, match=r"^the fit's coefficients give no finite prediction"):
        sl.optimal_allocation(sl.FitResult.load(path), flops=1e22)
