"""``HparamPreset(reads_flops=...)``, the keyword before ``reads``, still builds a preset for
one release, with a :class:`DeprecationWarning` at the user's line: in the constructor and in
``dataclasses.replace``, which passes it to the constructor."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from scalinglab import ConfigError
from scalinglab.hparams import HparamPreset, get_hparam_preset

DEPRECATED = r"HparamPreset\(reads_flops=(True|False)\) is deprecated .* use reads="


def _preset(**reads: object) -> HparamPreset:
    return HparamPreset(
        name="mine",
        citation="a test",
        lr_formula="lr* = 0.01 * C^-0.1",
        batch_formula="B* = 1e6 (tokens)",
        conventions="C = 6ND",
        lr_rule=lambda n, d, c: 0.01 * c**-0.1,
        batch_rule=lambda n, d, c: 1e6,
        **reads,  # type: ignore[arg-type]
    )


def test_the_constructor_reads_reads_flops_as_reads_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match=DEPRECATED) as caught:
        of_c = _preset(reads_flops=True)
    assert caught[0].filename == __file__  # the user's line, not scalinglab's
    assert of_c.reads == ("flops",) and of_c.reads_flops
    assert of_c.predict(flops=1e21).lr == pytest.approx(0.01 * 1e21**-0.1)  # C alone
    with pytest.warns(DeprecationWarning, match=r"use reads=\('params', 'tokens'\)"):
        of_nd = _preset(reads_flops=False)
    assert of_nd.reads == ("params", "tokens") and not of_nd.reads_flops
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new keyword, and none: no warning
        assert _preset(reads=("flops",)).reads_flops
        assert _preset().reads == ("params", "tokens")


def test_replace_takes_reads_flops_and_keeps_every_other_field() -> None:
    porian = get_hparam_preset("porian2024")
    assert porian.reads == ("params",)
    with pytest.warns(DeprecationWarning, match=DEPRECATED) as caught:
        of_c = dataclasses.replace(porian, reads_flops=True)
    assert caught[0].filename == __file__
    assert of_c.reads == ("flops",)
    assert dataclasses.replace(of_c, reads=porian.reads) == porian  # nothing else moved
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        renamed = dataclasses.replace(porian, name="porian-copy")  # no reads_flops: no warning
    assert renamed.reads == ("params",) and renamed.fitted == porian.fitted


def test_reads_that_are_not_quantities_are_refused_naming_them() -> None:
    with pytest.raises(ConfigError) as caught:
        _preset(reads=True)  # reads_flops's old place among the positional fields
    assert caught.value.message == (
        "HparamPreset 'mine': reads=True is not a tuple of the quantities its rules read "
        "(params, tokens, flops)"
    )
    assert "reads=('flops',)" in caught.value.hint
    with pytest.raises(ConfigError, match=r"reads=\('N',\) is not a tuple"):
        _preset(reads=("N",))
