"""Hints that fit the option: --tokens-per-step's examples are tokens per step, not FLOPs;
--cooldown is named (and checked before the curve law is fitted); a fractional warm-up's
example is a warm-up; a spec whose keys are separated by ';' is told they take commas."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_fit_from_curves import _curves, _write

from scalinglab import ConfigError, parse_schedule
from scalinglab.cli import main
from scalinglab.curves import cooldown_runs, fit_curves
from scalinglab.curves._schedule_defaults import fill
from scalinglab.data._quantity_args import step_tokens


def test_fit_from_curves_options_are_named_with_their_own_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _curves(0, n=2))
    args = ["fit", "--from-curves", path, "--law", "E + B*D**-beta", "--bootstrap", "0"]
    assert main([*args, "--tokens-per-step", "abc"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "error: --tokens-per-step 'abc' is not a number" in err
    assert "hint: write the tokens of one step, batch size × sequence length: e.g. 0.5M" in err
    assert "1e24" not in err  # FLOPs, not tokens per step
    for bad in ("1.5", "0", "nan"):
        assert main([*args, "--cooldown", bad]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert f"error: --cooldown {float(bad):g} is not a fraction in (0, 1): it is the " in err
        assert "hint: e.g. --cooldown 0.2" in err
    curves = _curves(0, n=2)
    with pytest.raises(ConfigError, match=r"cooldown=1\.5 is not a fraction in \(0, 1\)") as e:
        cooldown_runs(fit_curves(curves, law="tissue", bootstrap=0), curves, cooldown=1.5)
    assert e.value.hint.startswith("e.g. cooldown=0.2")


def test_spec_hints_say_what_the_key_takes() -> None:
    with pytest.raises(ConfigError, match=r"warmup=2160\.5 is not a whole number") as err:
        parse_schedule("cosine:peak=3e-4,warmup=2160.5,steps=24000")
    assert err.value.hint == "pass a whole count, e.g. warmup=2160"  # was warmup=24K
    with pytest.raises(ConfigError) as err:
        parse_schedule("cosine:peak=3e-4,steps=2400.5")
    assert err.value.hint == "pass a whole count, e.g. steps=24K"
    said = (
        "schedule 'cosine:peak=3e-4;steps=24000': 'peak=3e-4;steps=24000' holds two keys: "
        "keys are separated by commas (';' separates the values of multistep's at= and lr=)"
    )
    for read in (parse_schedule, lambda spec: fill(spec, {"peak": 3e-4})):
        with pytest.raises(ConfigError) as err:  # "peak='3e-4;steps=24000' is not a number"
            read("cosine:peak=3e-4;steps=24000")
        assert (
            err.value.message == said and err.value.hint == "write 'cosine:peak=3e-4,steps=24000'"
        )
    assert parse_schedule("multistep:peak=3e-4,at=800;1200,lr=9e-5;3e-5,steps=2000").steps == 2000


def test_a_tokens_per_step_under_one_is_a_unit_left_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.5 for 0.5M was read, and warned as "tokens 69.5 to 1244.5 (column 'tokens'): ... may
    # be in millions or billions: write its values with units", a column the user never wrote
    path = _write(tmp_path, _curves(0, n=2))
    args = ["fit", "--from-curves", path, "--law", "E + B*D**-beta", "--bootstrap", "0"]
    assert main([*args, "--tokens-per-step", "0.5"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "error: --tokens-per-step 0.5 is under one token per step: a unit left off?" in err
    assert "hint: did you mean '0.5M' (500000 tokens)? write the tokens of one step" in err
    for given in (0.5, "0.5 tokens"):  # Python alike, a number or text
        with pytest.raises(ConfigError, match="is under one token per step") as e:
            step_tokens(given)
        assert e.value.hint.startswith("did you mean '0.5M' (500000 tokens)?")
    assert step_tokens(1) == 1.0 and step_tokens("0.5M") == 500_000.0  # one token is a step's least
