"""A fit file edited into fields no fit writes is refused when it is read, in one line
naming the file and the field (exit code 2): ``"coefs"`` as a list crashed with an
``AttributeError``, a NaN coefficient loaded (predict then said the fit had no bootstrap),
``"columns"`` without ``D`` loaded (predict: chinchilla "does not read --tokens"), and
``"level": 5`` was refused without naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import DataError

HINT = "hint: write it again with `scalinglab fit ... --out fit.json`\n"


@pytest.fixture(scope="module")
def saved() -> dict[str, object]:
    runs = chinchilla_runs(outliers=0)
    return sl.fit("chinchilla", runs, bootstrap=8, extrapolation=False).to_dict()


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))  # NaN as the bare token json writes
    return path


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
