"""A fit file whose coefficients, bootstrap samples or fields are not what its law and a fit
write is refused when it is read, in one line naming the file and what is wrong (exit code
2): not a broadcast error from ``predict`` (a coefficient deleted), a plan from samples
reshaped into other rows (each cut to four values, which gave N* in [1.01, 1.43e22]), an
``AttributeError`` (``"coefs"`` as a list), a NaN coefficient loaded (predict then said the
fit had no bootstrap), ``"columns"`` without ``D`` loaded (predict: chinchilla "does not read
--tokens"), nor ``"level": 5`` refused without naming the file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import DataError

HINT = "hint: write it again with `scalinglab fit ... --out fit.json`\n"
NAMES = "(its coefficients: E, A, B, alpha, beta)"


@pytest.fixture(scope="module")
def saved() -> dict[str, object]:
    runs = chinchilla_runs(outliers=0)
    return sl.fit("chinchilla", runs, bootstrap=8, extrapolation=False).to_dict()


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    return path


def _coefs(saved: dict[str, object]) -> dict[str, float]:
    coefs = saved["coefs"]
    assert isinstance(coefs, dict)
    return dict(coefs)


def _samples(saved: dict[str, object]) -> list[list[float]]:
    samples = saved["samples"]
    assert isinstance(samples, list) and len(samples) == 8
    return [list(row) for row in samples]


@pytest.mark.parametrize(
    "command", [("predict", "--params", "7B", "--tokens", "2T"), ("plan", "--compute", "1e23")]
)
def test_a_deleted_coefficient_is_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    saved: dict[str, object],
    command: tuple[str, ...],
) -> None:
    coefs = _coefs(saved)
    del coefs["beta"]
    path = _write(tmp_path, {**saved, "coefs": coefs})
    code, out, err = cli(capsys, *command, "--fit", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: the fit lacks coefficient 'beta', which law 'chinchilla' needs {NAMES}\n"
        + HINT
    )


def test_an_extra_coefficient_is_named(tmp_path: Path, saved: dict[str, object]) -> None:
    path = _write(tmp_path, {**saved, "coefs": {**_coefs(saved), "gamma": 1.0}})
    with pytest.raises(DataError) as info:
        sl.FitResult.load(path)
    assert info.value.message == (
        f"{path}: the fit has coefficient 'gamma', which law 'chinchilla' does not have {NAMES}"
    )


def test_samples_cut_to_four_values_are_refused_not_reshaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], saved: dict[str, object]
) -> None:
    path = _write(tmp_path, {**saved, "samples": [row[:4] for row in _samples(saved)]})
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e23")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: the fit's 8 bootstrap samples hold 4 values each, not the 5 "
        "coefficients of law 'chinchilla' (E, A, B, alpha, beta)\n" + HINT
    )


def test_one_short_sample_row_is_named(tmp_path: Path, saved: dict[str, object]) -> None:
    rows = _samples(saved)
    rows[2] = rows[2][:4]
    with pytest.raises(
        DataError, match=r"bootstrap sample 3 of 8 holds 4 values, sample 1 holds 5"
    ):
        sl.FitResult.load(_write(tmp_path, {**saved, "samples": rows}))


def test_from_dict_refuses_samples_of_another_width(saved: dict[str, object]) -> None:
    rows = [row[:4] for row in _samples(saved)]
    with pytest.raises(
        DataError,
        match=r"8 bootstrap samples hold 4 values each, not the 5 coefficients of the fit",
    ):
        sl.FitResult.from_dict({**saved, "samples": rows})


def test_a_whole_file_still_reads_back(tmp_path: Path, saved: dict[str, object]) -> None:
    result = sl.FitResult.load(_write(tmp_path, saved))
    assert result.samples is not None and result.samples.shape == (8, 5)
    assert result.samples.tolist() == _samples(saved)


def _coefs(saved: dict[str, object], **edits: object) -> dict[str, object]:
    coefs = saved["coefs"]
    assert isinstance(coefs, dict)
    return {**coefs, **edits}


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (
            {"coefs": [1, 2, 3, 4, 5]},
            "the fit's \"coefs\" must map each coefficient's name to its value, got a list",
        ),
        ("nan", "the fit's coefficient 'E' in \"coefs\" is nan, not a finite number"),
        ("null", "the fit's coefficient 'E' in \"coefs\" is null, not a finite number"),
        ("abc", "the fit's coefficient 'E' in \"coefs\" is 'abc', not a finite number"),
        (
            {"columns": {"N": "params"}},
            "the fit's \"columns\" names no column for variable D, which law 'chinchilla' "
            "reads (its variables: N, D)",
        ),
        (
            {"level": 5},
            'the fit\'s "level" is 5, not a coverage strictly between 0 and 1 (0.9: 90% intervals)',
        ),
        (
            {"columns": ["N", "D"]},
            'the fit\'s "columns" must map each variable of the law to the column it read '
            '(e.g. {"N": "params"}), got a list',
        ),
    ],
)
def test_a_malformed_field_is_refused_naming_file_and_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    saved: dict[str, object],
    edit: object,
    said: str,
) -> None:
    if isinstance(edit, str):  # a coefficient's value edited
        value = {"nan": float("nan"), "null": None, "abc": "abc"}[edit]
        edit = {"coefs": _coefs(saved, E=value)}
    assert isinstance(edit, dict)
    path = _write(tmp_path, {**saved, **edit})
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--tokens", "2T")
    assert (code, out, err) == (2, "", f"error: {path}: {said}\n" + HINT)
    with pytest.raises(DataError) as info:
        sl.FitResult.load(path)
    assert info.value.message == f"{path}: {said}"


def test_an_inf_coefficient_written_as_a_string_is_refused(saved: dict[str, object]) -> None:
    with pytest.raises(DataError, match=r"coefficient 'A' in \"coefs\" is 'inf', not a finite"):
        sl.FitResult.from_dict({**saved, "coefs": _coefs(saved, A="inf")})


@pytest.mark.parametrize(
    ("value", "shown"), [(float("nan"), "nan"), (None, "null"), ("inf", "'inf'"), (True, "true")]
)
def test_a_sample_that_is_not_a_finite_number_is_refused_naming_row_and_coefficient(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    saved: dict[str, object],
    value: object,
    shown: str,
) -> None:
    # a fit keeps only resamples whose every coefficient is finite (fit/_bootstrap.kept):
    # a NaN there is an edit, and made every interval computed from the samples NaN
    rows: list[list[object]] = [list(r) for r in _samples(saved)]
    rows[2][1] = value
    path = _write(tmp_path, {**saved, "samples": rows})
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e23")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: bootstrap sample 3 of 8 holds {shown} for coefficient 'A', not a "
        "finite number (a fit keeps only resamples whose every coefficient is finite, and "
        "notes those it left out)\n" + HINT
    )


@pytest.mark.parametrize(
    ("ends", "shown"),
    [(["low", 2.0], "['low', 2.0]"), ([True, 2.0], "[true, 2.0]"), (None, "null"),
     ([1.0, 2.0, 3.0], "[1.0, 2.0, 3.0]")],
)  # fmt: skip
def test_an_interval_that_is_not_two_numbers_is_refused_naming_the_coefficient(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    saved: dict[str, object],
    ends: object,
    shown: str,
) -> None:
    intervals = saved["intervals"]
    assert isinstance(intervals, dict)
    path = _write(tmp_path, {**saved, "intervals": {**intervals, "alpha": ends}})
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--tokens", "2T")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: the fit's interval of coefficient 'alpha' in \"intervals\" is {shown}, "
        'not two numbers (its low and high ends; "nan" where there is no bootstrap)\n' + HINT
    )


def test_intervals_that_are_not_a_mapping_are_refused(saved: dict[str, object]) -> None:
    # an AttributeError ('list' object has no attribute 'items') before
    with pytest.raises(DataError) as info:
        sl.FitResult.from_dict({**saved, "intervals": [[1.0, 2.0]] * 5})
    assert info.value.message == (
        "<dict>: the fit's \"intervals\" must map each coefficient's name to its [low, high] "
        "interval, got a list"
    )


def test_a_fit_without_bootstrap_still_reads_back_its_nan_intervals(
    tmp_path: Path,
) -> None:
    written = sl.fit("chinchilla", chinchilla_runs(outliers=0), bootstrap=0, extrapolation=False)
    assert written.to_dict()["intervals"]["E"] == ["nan", "nan"]
    result = sl.FitResult.load(_write(tmp_path, written.to_dict()))
    assert result.samples is None and all(math.isnan(x) for x in result.intervals["E"])
