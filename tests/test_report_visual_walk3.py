"""The third walk through the report pages in Chromium (the README's commands): printed,
numbers broke between their digits; a perplexity column's reading warning sat among the
data section's notes, grey."""

from __future__ import annotations

import math
from pathlib import Path

from scalinglab import fit, read_runs


def test_printed_numbers_and_headers_wrap_at_spaces_alone() -> None:
    """Printed, every cell could wrap anywhere (for a long run name), so numbers broke
    between their digits (``3.25e20`` as ``3.25e2`` over ``0``) and headers inside a word
    (``actu`` over ``al``); a number's cell and a header now wrap at their spaces alone,
    a text cell still anywhere."""
    from tests.test_report_print_breaks import _print_rules

    rules = _print_rules()
    assert "overflow-wrap: normal" in rules["td.num"]
    assert "overflow-wrap: normal" in rules["th"]
    assert "overflow-wrap: anywhere" in rules["td"]


def test_a_reading_warning_is_said_once_as_a_warning(tmp_path: Path) -> None:
    """A loss column of perplexities (``val_ppl``, read with ``--y val_ppl``): the warning
    that they look like perplexity, which ``scalinglab fit`` prints as ``warning:``, was a
    grey line among the data section's notes ("warning: loss 7.72 to 108.8 ...") and the
    card counted it as a note. It is one of the fit's warnings (listed with the fitted law,
    as the CLI prints it), so the data section neither repeats it nor counts it; a reading
    warning the fit does not list is in the data section's warnings list, counted apart."""
    from dataclasses import replace

    from tests.test_report_read_followups import _card

    from scalinglab.report._html_sections import data_section

    lines = ["run,params,tokens,val_ppl"]
    for n in (20e6, 50e6, 100e6, 200e6, 400e6):
        for r in (5, 10, 20, 40):
            loss = 1.0 + 400 / n**0.34 + 410 / (n * r) ** 0.28
            lines.append(f"m{n:.0f}-r{r},{n:.0f},{n * r:.0f},{math.exp(loss):.2f}")
    path = tmp_path / "own.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = read_runs(path, columns={"loss": "val_ppl"})
    result = fit("chinchilla", runs, bootstrap=0)
    assert any("look like perplexity" in w for w in result.warnings)
    body = data_section(result, runs, y="loss").body
    noted = body[body.index("<ul class='notes'>") :].split("</ul>")[0]
    assert "look like perplexity" not in body and "<ul class='warnings'>" not in body
    assert "warning" not in noted and "read as loss" in noted
    assert _card(result, runs)["derived or assumed while reading"] == (
        "2 notes, listed with the data"
    )
    # a fit that does not list it (one saved before reading warnings were a fit's): said here
    older = replace(result, warnings=tuple(w for w in result.warnings if "perplexity" not in w))
    body = data_section(older, runs, y="loss").body
    warned = body[body.index("<ul class='warnings'>") :].split("</ul>")[0]
    assert "<strong>warning:</strong> loss " in warned and "look like perplexity" in warned
    assert _card(older, runs)["derived or assumed while reading"] == (
        "2 notes and 1 warning, listed with the data"
    )
