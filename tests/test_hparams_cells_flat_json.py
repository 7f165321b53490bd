"""An hparams fit's cells write ``lr`` and ``batch`` with flat bounds (``lr_lower``,
``lr_upper``, ``batch_*``) as its predictions do, the lists ``lr_interval`` and
``batch_interval`` kept beside, and read back; ``hparams backtest`` names its ``source`` as
``hparams fit`` of the same sweep does."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import HparamFit, backtest_hparams, fit_hparams


@pytest.fixture(scope="module")
def sweep_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hp_cells") / "sweep.csv"
    sweep(21).to_csv(path, index=False)
    return path


def test_fit_json_cells_have_flat_bounds_equal_to_the_lists(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "hp.json"
    args = ("hparams", "fit", str(sweep_csv), "--seq-len", str(SEQ_LEN), "--bootstrap", "40")
    code, out, err = cli(capsys, *args, "--json", "--out", str(saved))
    assert code == 0, err
    cells = json.loads(out)["cells"]
    assert cells == json.loads(saved.read_text())["cells"]  # --out writes them so too
    located = 0
    for cell in cells:
        for name in ("lr", "batch"):
            assert [cell[f"{name}_lower"], cell[f"{name}_upper"]] == cell[f"{name}_interval"]
        keys = list(cell)
        assert keys[keys.index("lr") : keys.index("lr") + 3] == ["lr", "lr_lower", "lr_upper"]
        if cell["lr_lower"] != "nan":
            assert cell["lr_lower"] < cell["lr"] < cell["lr_upper"]
            assert cell["batch_lower"] < cell["batch"] < cell["batch_upper"]
            located += 1
    assert located >= 4
    back = HparamFit.load(saved)  # the flat keys are derived: read from the lists
    fit = fit_hparams(sweep_csv, seq_len=SEQ_LEN, bootstrap=40)
    assert back.cells == fit.cells
    assert all(math.isnan(c.lr_interval[0]) or c.lr_interval[0] < c.lr for c in back.cells)


def test_a_fit_saved_without_the_flat_keys_still_loads(tmp_path: Path) -> None:
    fit = fit_hparams(sweep(21), seq_len=SEQ_LEN, bootstrap=0)
    data = json.loads(json.dumps(fit.to_dict()))
    for cell in data["cells"]:
        for key in ("lr_lower", "lr_upper", "batch_lower", "batch_upper"):
            del cell[key]
    (tmp_path / "before.json").write_text(json.dumps(data))
    back = HparamFit.load(tmp_path / "before.json")  # NaN intervals: compared as written
    assert [c.to_dict() for c in back.cells] == [c.to_dict() for c in fit.cells]


def test_backtest_names_its_source_as_the_fit_does(
    capsys: pytest.CaptureFixture[str], sweep_csv: Path
) -> None:
    fit = fit_hparams(sweep_csv, seq_len=SEQ_LEN, bootstrap=0)
    assert fit.source.startswith(f"{sweep_csv} (") and fit.source.endswith(" runs)")
    assert backtest_hparams(sweep_csv, seq_len=SEQ_LEN).source == fit.source
    args = ("hparams", "backtest", str(sweep_csv), "--seq-len", str(SEQ_LEN), "--json")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    data = json.loads(out)
    assert data["source"] == fit.source and list(data)[:2] == ["format", "source"]
