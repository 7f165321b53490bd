"""``scalinglab laws`` heads its tables with the keys ``laws --json`` writes (``law``,
``coefs``, ``preset``, ``citation``), as ``fit`` heads its table ``coef``: one name per
concept across the text and the JSON (the tables said ``name``, ``parameters``, ``values``
and ``source``)."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli


def _header(out: str, after: str) -> list[str]:
    """The header cells of the first table printed after the line starting with ``after``."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(after))
    head = next(line for line in lines[start:] if line.startswith("┃"))
    return [cell.strip() for cell in head.strip("┃").split("┃")]


def test_laws_tables_head_their_columns_with_the_json_keys(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = cli(capsys, "laws")
    assert code == 0, err
    code, text, err = cli(capsys, "laws", "--json")
    assert code == 0, err
    data = json.loads(text)
    laws = _header(out, "laws (--law NAME)")
    assert laws == ["law", "formula", "coefs", "citation"]
    assert set(laws) <= set(data["laws"][0])
    presets = _header(out, "presets (--preset NAME)")
    assert presets == ["preset", "coefs", "citation", "conventions"]
    assert set(presets) <= set(data["presets"][0])
    hparams = _header(out, "hyperparameter presets")
    assert hparams == ["preset", "rules", "citation", "conventions"]
    assert {"preset", "citation", "conventions"} <= set(data["hparams_presets"][0])
