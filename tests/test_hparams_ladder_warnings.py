"""A ladder from a hyperparameter fit carries the fit's warnings as a prediction does: not
the line on intervals from few resamples (a ladder shows none: it warned "intervals from 10
resamples only" under a table of no intervals), and not the laws' identification lines,
which each rung says for itself where its own lr or batch is undetermined."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tests._hparam_sweeps as sweeps

from scalinglab.hparams import HparamFit, fit_hparams
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import LadderSpec, get_recipe

FEW = "intervals from 10 resamples only: their ends are noise at 90%"


def _warnings(notes: str) -> list[str]:
    return [n.removeprefix("warning: ") for n in notes.splitlines() if n.startswith("warning: ")]


def test_the_fits_resamples_line_is_dropped_and_its_other_warnings_kept() -> None:
    fit = fit_hparams(sweeps.sweep(6), seq_len=sweeps.SEQ_LEN, law="steplaw", bootstrap=10)
    assert any(w.startswith(FEW) for w in fit.warnings)
    pooled = replace(fit, warnings=(*fit.warnings, "the sweep pools two training corpora"))
    said = _warnings(with_hparams(get_recipe("gpu"), pooled).notes)
    assert not any("resamples" in w for w in said)
    assert said[-1] == "the sweep pools two training corpora"


@pytest.fixture(scope="module")
def at_20() -> HparamFit:
    """Step Law's lr* of N and D fitted to cells all at D/N = 20: not identified."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweeps, "SIZES", (1e7, 2e7, 4e7, 8e7))
        patch.setattr(sweeps, "TOKENS_PER_PARAM", (20.0,))
        return fit_hparams(sweeps.sweep(6), seq_len=sweeps.SEQ_LEN, law="steplaw", bootstrap=0)


def test_the_law_lines_are_said_at_each_rung_where_they_apply(at_20: HparamFit) -> None:
    law_line = "the lr* law: "
    assert any(w.startswith(law_line) for w in at_20.warnings)
    top = get_recipe("gpu").rungs[3:]  # N inside the cells' 10M-80M
    doubled = tuple(replace(r, train=replace(r.train, tokens=2 * r.train.tokens)) for r in top)
    said = _warnings(with_hparams(LadderSpec(name="d40", rungs=doubled), at_20).notes)
    assert not any(w.startswith(law_line) for w in said)
    moved = [w for w in said if "A * N**alpha * D**beta is not identified" in w]
    assert [w.split(":")[0] for w in moved] == ["w384-d8", "w512-d10", "w640-d10"]
    assert "at N = 14.2M, D = 566M its value moves along that valley" in moved[0]
