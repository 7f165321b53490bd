"""``fit --where dataset=X``: the fit records the runs' conditions as a field of
:class:`FitResult` and of the fit JSON (``"where"``; ``{}`` for every run, ``None``/null
where a file written before it did not record it), as ``hparams fit`` (``settings.where``) and curve fits do, and the
report's card says them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import FitResult, fit, read_runs
from scalinglab.report._card import reproducibility_card


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(0)
    rows = []
    for corpus, floor in (("c4", 1.8), ("rpj", 1.9)):
        for n in (1e7, 3e7, 1e8, 3e8, 1e9, 3e9):
            for tpp in (10.0, 20.0, 40.0):
                d = n * tpp
                loss = floor + 400 * n**-0.34 + 410 * d**-0.28
                rows.append({"run": f"{corpus}-{n:g}-{tpp:g}", "params": n, "tokens": d,
                             "loss": loss * (1 + 0.003 * rng.standard_normal()),
                             "dataset": corpus})  # fmt: skip
    path = tmp_path_factory.mktemp("where") / "runs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_a_fit_records_the_runs_where(two_corpora: Path) -> None:
    runs = read_runs(two_corpora)
    assert dict(fit("chinchilla", runs, bootstrap=0).where) == {}
    kept = runs.where("dataset", "rpj")
    assert dict(kept.kept_where) == {"dataset": "rpj"}
    assert dict(kept.select(np.asarray(kept["params"]) > 1e7).kept_where) == {"dataset": "rpj"}
    result = fit("chinchilla", kept, bootstrap=0)
    assert dict(result.where) == {"dataset": "rpj"} and result.n_runs == 18
    with pytest.raises(TypeError):
        result.where["dataset"] = "c4"  # type: ignore[index]  # read-only, as coefs
    back = FitResult.from_dict(result.to_dict())
    assert dict(back.where) == {"dataset": "rpj"}


def test_fit_out_writes_where_and_old_files_read_as_none(
    capsys: pytest.CaptureFixture[str], two_corpora: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", str(two_corpora), "--where", "dataset=c4",
                       "--bootstrap", "0", "--out", str(out))  # fmt: skip
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["where"] == {"dataset": "c4"}
    code, printed, _ = cli(capsys, "fit", str(two_corpora), "--bootstrap", "0", "--json")
    assert code == 0 and json.loads(printed)["where"] == {}
    del data["where"]  # a file from before it was recorded
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    loaded = FitResult.load(old)
    assert loaded.where is None  # unknown: not "every run" ({})
    assert loaded.to_dict()["where"] is None and FitResult.from_dict(loaded.to_dict()).where is None
    items = {i.label: i.value for g in reproducibility_card(loaded, read_runs(two_corpora),
                                                           command="fit") for i in g.items}  # fmt: skip
    assert "; --where not recorded (a fit file from before it was saved);" in items["data"]


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_the_report_card_says_the_where(
    capsys: pytest.CaptureFixture[str], two_corpora: Path, tmp_path: Path
) -> None:
    page = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(two_corpora), "--where", "dataset=c4",
                       "--bootstrap", "0", "--no-validate", "--out", str(page))  # fmt: skip
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert (
        " where dataset = c4 (18 of its 36 runs selected, 10M-3B params); runs as read; 18 runs"
        in text
    )
    assert "kept where" not in text  # the source names the selection: said once
