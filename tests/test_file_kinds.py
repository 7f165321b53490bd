"""Every reader of a scalinglab JSON file, given a file of another kind, says what that file
is and which command reads it (one table of kinds, :mod:`scalinglab._formats`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab._formats import KINDS

_READERS = {
    "scalinglab.fit/1": sl.FitResult.load,
    "scalinglab.downstream/1": sl.DownstreamFit.load,
    "scalinglab.loss2loss/1": sl.LossToLossFit.load,
    "scalinglab.hparams/1": sl.HparamFit.load,
    "scalinglab.curve_fit": sl.CurveFit.load,
}


@pytest.mark.parametrize(
    ("reader", "given"), [(r, g) for r in sorted(_READERS) for g in sorted(KINDS) if r != g]
)
def test_a_file_of_another_kind_is_named(tmp_path: Path, reader: str, given: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": given}))
    with pytest.raises(sl.InputError) as err:
        _READERS[reader](path)
    assert repr(given) in err.value.message and repr(reader) in err.value.message
    assert err.value.hint is not None and err.value.hint.startswith(f"it is {KINDS[given]}; ")


def test_an_isoflop_file_carries_its_kind() -> None:
    assert (
        sl.isoflop(sl.simulated_runs(), bootstrap=0).to_dict()["format"] == "scalinglab.isoflop/1"
    )
