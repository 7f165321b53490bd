"""A classmethod's misspelt keyword lists its options as its callers give them: without
``cls``, which no caller writes (``FitResult.from_dict(d, sourse=...)``)."""

from __future__ import annotations

import inspect

import pytest

import scalinglab
from scalinglab import ConfigError, FitResult


def test_from_dict_lists_its_options_without_cls() -> None:
    with pytest.raises(ConfigError) as err:
        FitResult.from_dict({}, sourse="fit.json")
    assert err.value.message == (
        "FitResult.from_dict got sourse=, which is none of its options (d, source)"
    )
    assert err.value.hint == "did you mean source=?"


def _guarded_classmethods() -> list[tuple[str, str]]:
    found = []
    for owner in scalinglab.__all__:
        cls = getattr(scalinglab, owner)
        if not inspect.isclass(cls):
            continue
        for name, member in vars(cls).items():
            if isinstance(member, classmethod) and hasattr(member.__func__, "__wrapped__"):
                found.append((owner, name))
    return found


@pytest.mark.parametrize(("owner", "name"), _guarded_classmethods())
def test_no_guarded_classmethod_lists_cls(owner: str, name: str) -> None:
    with pytest.raises(ConfigError) as err:
        getattr(getattr(scalinglab, owner), name)(zz_not_an_option=1)
    assert "none of its options" in err.value.message
    options = err.value.message.rpartition("(")[2].rstrip(")").split(", ")
    assert "cls" not in options
