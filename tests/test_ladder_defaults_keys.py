"""A slip in a ladder's ``[train]`` or ``[model]`` table is refused as ``[rules]``' and the
top level's are: the key meant, then every key the table takes (``[train]`` named the key
meant alone, and a key with none near it got a hint about rungs). A key of the other table
(``context`` under ``[train]``) is named as that table's: it was dropped without a word, the
rungs built at the default context."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab import ConfigError
from scalinglab.cli import main
from scalinglab.ladder import ModelConfig, Rules, TrainConfig, build_ladder

TRAIN_KEYS = ", ".join(sorted(f.name for f in fields(TrainConfig)))
MODEL_KEYS = ", ".join(sorted(f.name for f in fields(ModelConfig)))
SHAPE = [{"width": 32, "depth": 1, "heads": 2}]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    ("line", "new", "said", "hint"),
    [
        ("lr = 3e-3", "lrr = 3e-3", "[train]: unknown key lrr",
         f"hint: did you mean 'lr'? known keys: {TRAIN_KEYS}"),
        ('device = "cpu"', 'devcie = "cpu"', "[train]: unknown key devcie",
         f"hint: did you mean 'device'? known keys: {TRAIN_KEYS}"),
        ("lr = 3e-3", "zzqq = 3e-3", "[train]: unknown key zzqq",
         f"hint: known keys: {TRAIN_KEYS}"),  # none near: every key still listed
        ("context = 32", "contxt = 32", "[model]: unknown key contxt",
         f"hint: did you mean 'context'? known keys: {MODEL_KEYS}"),
    ],
)  # fmt: skip
def test_a_defaults_tables_slip_names_the_key_and_lists_the_keys(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    new: str,
    said: str,
    hint: str,
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    path.write_text(path.read_text().replace(line, new, 1))
    assert main(["ladder", "plan", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"error: {path}: {said}" in err and hint in err


def test_a_model_key_under_train_is_refused_not_dropped() -> None:
    with pytest.raises(ConfigError) as caught:
        build_ladder(name="x", shapes=SHAPE, rules=Rules(), train={"context": 32})
    assert caught.value.message == "[train]: context is a [model] key, not [train]"
    assert caught.value.hint == (
        "move context under [model] (or into a [[rungs]] table, for one rung); "
        f"[train] keys: {TRAIN_KEYS}"
    )
    with pytest.raises(ConfigError, match=r"^\[model\]: lr, seed are \[train\] keys"):
        build_ladder(name="x", shapes=SHAPE, rules=Rules(), model={"seed": 1, "lr": 1e-3})
    # where the key belongs, it holds for every rung
    spec = build_ladder(name="x", shapes=SHAPE, rules=Rules(), model={"context": 32})
    assert [r.model.context for r in spec.rungs] == [32]
