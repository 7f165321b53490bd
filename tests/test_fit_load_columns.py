"""A formula fitted with ``N`` read from another column (``x={"N": "nonemb"}``, ``--x
N=nonemb``) is the same law loaded from its file: ``FitResult.law`` rebuilt it with N, D and
C's mappings dropped, so the loaded law read ``{N: params}`` and planned where the fresh one
refused, while the P-spelling (``x={"P": "nonemb"}``) kept its mapping either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab

ND = "E + A*N**-a + B*D**-b"
PT = "E + A*P**-a + B*T**-b"
#: Why neither fit plans: its N reads nonemb, a column of its own, not the params column.
REFUSED = "depends on nonemb and tokens; compute-optimal planning needs a law in params and tokens"


@pytest.fixture(scope="module")
def nonemb_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs of a known law (Chinchilla's form) whose model size is in a column named nonemb."""
    path = tmp_path_factory.mktemp("load") / "nonemb.csv"
    chinchilla_runs(outliers=0).rename(columns={"params": "nonemb"}).to_csv(path, index=False)
    return path


def _refusal(result: scalinglab.FitResult) -> str:
    with pytest.raises(scalinglab.ConfigError) as info:
        scalinglab.optimal_allocation(result, flops=1e23)
    return info.value.message


@pytest.mark.parametrize(("law", "n", "d"), [(ND, "N", "D"), (PT, "P", "T")])
def test_a_loaded_formula_reads_the_columns_it_was_fitted_on(
    nonemb_csv: Path, tmp_path: Path, law: str, n: str, d: str
) -> None:
    x = {n: "nonemb", d: "tokens"}
    fresh = scalinglab.fit(law, nonemb_csv, x=x, bootstrap=20, seed=3)
    fresh.save(path := tmp_path / "fit.json")
    loaded = scalinglab.FitResult.load(path)
    assert loaded.form is None  # rebuilt from the file, not the object fitted
    assert dict(fresh.law.variables) == dict(loaded.law.variables) == x
    assert dict(loaded.columns) == x
    # planning: refused alike (the loaded N=nonemb fit planned N* = 8.56e9)
    assert fresh.plan_withheld is None and loaded.plan_withheld is None
    assert _refusal(fresh) == _refusal(loaded) == f"law {law!r} {REFUSED}"
    # predictions by the column, and by the run coordinate a mapped N stands for
    at = fresh.predict(nonemb=7e9, tokens=1.4e12)
    for result in (fresh, loaded):
        for size in ({"nonemb": 7e9}, {n: 7e9}) + (({"params": 7e9},) if n == "N" else ()):
            got = result.predict(**size, tokens=1.4e12)
            assert (got.loss, got.lower, got.upper) == (at.loss, at.lower, at.upper)
    assert float(at.loss[0]) == pytest.approx(2.2035, abs=1e-3)


def test_a_catalog_law_ignores_the_columns_loaded_and_fresh(
    nonemb_csv: Path, tmp_path: Path
) -> None:
    """Chinchilla's variables are fixed: N=nonemb is read as params, and it plans either way."""
    fresh = scalinglab.fit("chinchilla", nonemb_csv, x={"N": "nonemb"}, bootstrap=20, seed=3)
    fresh.save(path := tmp_path / "fit.json")
    loaded = scalinglab.FitResult.load(path)
    assert dict(loaded.columns) == {"N": "nonemb", "D": "tokens"}
    assert dict(fresh.law.variables) == dict(loaded.law.variables) == {"N": "params", "D": "tokens"}
    plans = [scalinglab.optimal_allocation(r, flops=1e23).to_dict() for r in (fresh, loaded)]
    assert plans[0] == plans[1]


def test_cli_plan_and_predict_from_a_saved_formula_fit(
    capsys: pytest.CaptureFixture[str], nonemb_csv: Path, tmp_path: Path
) -> None:
    """`fit --x N=nonemb --out` then `plan --fit` planned from the file (N read as params)
    where the fit itself planned nothing; `predict --fit` gives the fit's numbers."""
    path = tmp_path / "fit.json"
    code, out, err = cli(
        capsys, "fit", str(nonemb_csv), "--law", ND, "--x", "N=nonemb", "--bootstrap", "20",
        "--seed", "3", "--compute", "1e23", "--out", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert "compute-optimal allocation" not in out
    assert json.loads(path.read_text())["columns"] == {"N": "nonemb", "D": "tokens"}
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e23", one_line=True)
    assert code == 2 and out == ""
    assert f"law {ND!r} {REFUSED}" in err and "Traceback" not in err
    fresh = scalinglab.fit(ND, nonemb_csv, x={"N": "nonemb"}, bootstrap=20, seed=3)
    want = fresh.predict(params=7e9, tokens=1.4e12)
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7e9",
                         "--tokens", "1.4e12", "--json")  # fmt: skip
    assert code == 0, err
    got = json.loads(out)
    assert (got["loss"], got["lower"], got["upper"]) == pytest.approx(
        (want.loss[0], want.lower[0], want.upper[0]), rel=1e-12
    )
