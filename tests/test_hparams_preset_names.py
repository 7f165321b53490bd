"""Which function reads which hyperparameter preset, said where the other is asked:
``get_hparam_preset("kaplan2020")`` points Python users to
``scalinglab.get_critical_batch_preset`` (exported beside it), and an unknown name lists
the presets of the kind asked for, with the other kind apart."""

from __future__ import annotations

import pytest

import scalinglab
from scalinglab import ConfigError


def test_a_critical_batch_preset_asked_of_get_hparam_preset_names_its_reader() -> None:
    with pytest.raises(ConfigError) as err:
        scalinglab.get_hparam_preset("kaplan2020")
    assert err.value.hint == (
        "read it with scalinglab.get_critical_batch_preset('kaplan2020').predict(loss=2.5) "
        "(`scalinglab hparams predict --preset kaplan2020 --loss 2.5`), or choose one of "
        "steplaw2025, deepseek2024, porian2024"
    )
    batch = scalinglab.get_critical_batch_preset("kaplan2020").predict(loss=2.5).batch
    assert batch == pytest.approx(2.0e8 / 2.5 ** (1 / 0.21), rel=1e-9)  # Kaplan eq. 5.1
    with pytest.raises(ConfigError) as err:
        scalinglab.get_critical_batch_preset("steplaw2025")
    assert err.value.hint.startswith("read it with scalinglab.get_hparam_preset('steplaw2025')")


def test_an_unknown_name_lists_the_presets_of_the_kind_asked_for() -> None:
    with pytest.raises(ConfigError) as err:
        scalinglab.get_hparam_preset("nope")
    assert err.value.message == (
        "unknown hyperparameter preset 'nope'; the hyperparameter presets are steplaw2025, "
        "deepseek2024, porian2024 (kaplan2020: a critical batch at a loss, no lr, read with "
        "scalinglab.get_critical_batch_preset)"
    )
    with pytest.raises(ConfigError) as err:
        scalinglab.get_hparam_preset("kaplan2021")
    assert err.value.hint == (
        "did you mean 'kaplan2020'? (read it with "
        "scalinglab.get_critical_batch_preset('kaplan2020'))"
    )
    with pytest.raises(ConfigError) as err:
        scalinglab.get_critical_batch_preset("kaplan")
    assert err.value.message.startswith(
        "unknown critical-batch preset 'kaplan'; the critical-batch presets are kaplan2020 ("
    )
    assert err.value.hint == "did you mean 'kaplan2020'?"
