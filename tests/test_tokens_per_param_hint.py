"""A table of params and tokens per parameter, with no tokens column, as a sweep's own
summary often writes it: the refusal of a law of D says the ratio is no size and how to
make one, where it hinted ``--x D=tokens_per_param``, which fits the law to the ratio."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab
from scalinglab import DataError


def _ratio_table(path: Path, *, size: str, ratio: str) -> Path:
    frame = chinchilla_runs(outliers=0)
    frame[ratio] = frame["tokens"] / frame["params"]
    frame[["run", size, ratio, "loss"]].to_csv(path, index=False)
    return path


@pytest.mark.parametrize("ratio", ["tokens_per_param", "Tokens/Param", "tpp"])
def test_tokens_missing_beside_a_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ratio: str
) -> None:
    path = _ratio_table(tmp_path / "runs.csv", size="params", ratio=ratio)
    with pytest.raises(DataError) as err:
        scalinglab.fit("chinchilla", path, bootstrap=0)
    assert err.value.hint == (
        f"{ratio!r} holds tokens per parameter, not tokens: add a tokens column, params × {ratio}"
    )
    code, _, said = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2
    assert "--x D=" not in said
    assert f"params × {ratio}" in said


def test_params_missing_beside_a_ratio(tmp_path: Path) -> None:
    path = _ratio_table(tmp_path / "runs.csv", size="tokens", ratio="tokens_per_param")
    with pytest.raises(DataError) as err:
        scalinglab.fit("chinchilla", path, bootstrap=0)
    assert err.value.hint == (
        "'tokens_per_param' holds tokens per parameter, not params: add a params column, "
        "tokens / tokens_per_param"
    )


def test_the_ratio_named_with_x_is_still_read(tmp_path: Path) -> None:
    """``--x D=tokens_per_param`` given is read as asked: the hint only stops suggesting it."""
    path = _ratio_table(tmp_path / "runs.csv", size="params", ratio="tokens_per_param")
    got = scalinglab.fit("chinchilla", path, x={"D": "tokens_per_param"}, bootstrap=0)
    assert got.columns["D"] == "tokens_per_param"
