"""``laws NAME`` prints a heading only with lines under it: ``exponents`` is followed by
what each exponent means, and a law with none to explain (``a + b*N``) has no heading."""

from __future__ import annotations

import pytest
from tests._cli import cli


def test_the_exponents_heading_has_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "laws", "power-law:flops")
    lines = out.splitlines()
    assert code == 0 and lines.count("exponents") == 1
    under = lines[lines.index("exponents") + 1]
    assert under.startswith("  alpha: each 10× in C multiplies the loss by 10^-alpha")


@pytest.mark.parametrize("law", ["a + b*N", "E + exp(-a*N)"])
def test_a_law_with_no_exponent_to_explain_has_no_heading(
    capsys: pytest.CaptureFixture[str], law: str
) -> None:
    code, out, _ = cli(capsys, "laws", law)
    assert code == 0 and "coefficients" in out
    assert "exponents" not in out.splitlines()
    assert out.splitlines()[-1].startswith("starts: the values a fit starts from")
