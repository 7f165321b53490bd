"""A ``--fit-on`` bound told in a hint (``_rule_bounds``) on another column than the hold-out's:
it was found among the runs not held out, and said alone, ``tokens<=7.32B keeps the
smallest 18`` beside ``--holdout flops>=3e20``; as written it keeps held-out runs too (a
large model's few tokens), so the rule told was refused for sharing runs with the hold-out,
and kept other runs than it said. The split itself never shares a run (it refuses to); the
bound told now keeps exactly the runs it says, none held out: with the hold-out's negation
where the hold-out is one bound, or the cut on its size that parts the runs where one does
(``top-decile``: ``flops<1e21``), else not told."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scalinglab as sl
from scalinglab._errors import ConfigError, DataError
from scalinglab.validate import split_runs
from scalinglab.validate._rules import rule_mask

RUNS = sl.simulate_ladder(seed=0)
#: A bound told, and how many runs it says it keeps.
TOLD = re.compile(
    r": (?P<rule>[^:;(]*?[<>]=[^:;(]*?) keeps (?:the (?:smallest|largest) )?(?P<n>\d+)"
)


def _told(hint: str) -> list[tuple[str, int]]:
    return [(m["rule"], int(m["n"])) for m in TOLD.finditer(hint)]


def _exactly(holdout: str, rule: str, n: int) -> None:
    """``rule`` as ``--fit-on`` beside ``holdout``: no run on both sides, and the runs it
    says, by the rule read alone."""
    split = split_runs(RUNS, holdout, fit_on=rule)
    assert len(split.fitted) == n
    assert not set(split.fitted.runs) & set(split.held_out.runs)
    # the fit set is the rule's own runs, whatever the hold-out
    assert set(split.fitted.runs) == set(np.asarray(RUNS.runs)[rule_mask(RUNS, rule).mask])


@pytest.mark.parametrize(
    ("holdout", "fit_on", "told"),
    [
        ("flops>=3e20", "tokens<=1e5", "tokens<=7.32B & flops<3e20"),
        ("flops>=3e20", "params<=1e3", "params<=228M & flops<3e20"),
        ("params>=1e9", "tokens>=1e13", "tokens>=16.5B & params<1e9"),
        ("tokens<=1e9", "flops<=1e10", "flops<=3e19 & tokens>1e9"),
        # no negation to write: the cut the hold-out parts the runs at, on its size
        ("top-decile", "params>=1e12", "params>=322M & flops<1e21"),
    ],
)
def test_a_bound_on_another_column_keeps_no_held_out_run(
    holdout: str, fit_on: str, told: str
) -> None:
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, holdout, fit_on=fit_on)
    ((rule, n),) = _told(err.value.hint)
    assert rule == told
    _exactly(holdout, rule, n)


def test_a_bound_that_would_take_held_out_runs_is_not_told() -> None:
    """``largest:5`` by flops holds out runs among the most tokens: no ``tokens>=`` bound
    keeping half the rest leaves them out, and no cut parts them (5 of the 7 runs at the
    largest flops held out, a tie)."""
    held = split_runs(RUNS, "largest:5").held_out
    rest = split_runs(RUNS, "largest:5").fitted
    assert np.median(rest["tokens"]) < np.min(held["tokens"]) < np.max(rest["tokens"])
    with pytest.raises(ConfigError) as err:
        split_runs(RUNS, "largest:5", fit_on="tokens>=1e15")
    assert _told(err.value.hint) == []
    assert err.value.hint == "loosen it"


def test_the_fewest_runs_bound_keeps_no_held_out_run() -> None:
    """The refusal of a ``--fit-on`` rule keeping too few runs for the law tells a bound
    that keeps enough (``_fit_side._bound``): read beside the hold-out too."""
    with pytest.raises(DataError) as err:
        split_runs(RUNS, "flops>=3e20", fit_on="tokens<=3e8", laws=["chinchilla"])
    told = _told(err.value.hint)
    assert told and all("& flops<3e20" in rule for rule, _ in told)
    for rule, n in told:
        _exactly("flops>=3e20", rule, n)
