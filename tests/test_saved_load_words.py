"""What a saved result's ``load`` says of a file it cannot read: the file by its own kind
(not "fit file" where a backtest or an isoFLOP result was asked for), the article its kind
takes ("an IsoFLOP result"), and the call the path was given to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab._format import with_article
from scalinglab.validate import Backtest, Comparison, EnvelopeResult, IsoFLOPResult, Rolling

_LOADERS = {
    Backtest: "single-law backtest",
    Comparison: "law comparison",
    Rolling: "rolling-origin backtest",
    IsoFLOPResult: "IsoFLOP result",
    EnvelopeResult: "envelope result",
}


@pytest.mark.parametrize("cls", list(_LOADERS), ids=lambda c: c.__name__)
def test_a_missing_file_is_named_by_its_kind(tmp_path: Path, cls: type) -> None:
    path = tmp_path / "gone.json"
    with pytest.raises(sl.DataError) as err:
        cls.load(path)  # type: ignore[attr-defined]
    assert err.value.message == f"{path}: {_LOADERS[cls]} file not found"


@pytest.mark.parametrize("cls", list(_LOADERS), ids=lambda c: c.__name__)
def test_a_file_not_json_names_its_kind_and_the_load(tmp_path: Path, cls: type) -> None:
    path = tmp_path / "bad.json"
    path.write_text("garbage\n")
    with pytest.raises(sl.DataError) as err:
        cls.load(path)  # type: ignore[attr-defined]
    what = _LOADERS[cls]
    assert err.value.message.startswith(f"{path}: {what} file is not valid JSON (")
    assert err.value.hint == (
        f"`{cls.__name__}.load` reads {with_article(what)} `{cls.__name__}.save` wrote"
    )


@pytest.mark.parametrize(
    ("cls", "article"), [(IsoFLOPResult, "an"), (EnvelopeResult, "an"), (Comparison, "a")]
)
def test_another_kind_takes_the_article_of_the_kind_asked_for(
    tmp_path: Path, cls: type, article: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "scalinglab.rolling/1"}))
    with pytest.raises(sl.DataError) as err:
        cls.load(path)  # type: ignore[attr-defined]
    assert err.value.message.startswith(f"{path}: not {article} {_LOADERS[cls]} (format ")


def test_with_article() -> None:
    assert with_article("IsoFLOP result") == "an IsoFLOP result"
    assert with_article("envelope result") == "an envelope result"
    assert with_article("law comparison") == "a law comparison"
    assert with_article("scaling-law fit") == "a scaling-law fit"
