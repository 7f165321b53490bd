"""``--out PATH`` saves what ``--json`` prints, on the commands that lacked it: ``curves
predict``, ``curves compare``, ``curves backtest``, ``hparams predict`` and ``hparams
backtest``, as on every other command (``opt.emit_json``): the same object whether the
text or the JSON goes to stdout, said in one ``wrote ...`` line; never over a file the
command reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_cli_json_all import _RUNS, curves_and_hparams

#: The commands given --out here, and what their "wrote ..." line calls the file.
_SAVES = {
    "curves predict": "predictions",
    "curves compare": "comparison",
    "curves backtest": "backtest",
    "hparams predict": "predictions",
    "hparams backtest": "backtest",
}


@pytest.fixture(scope="module")
def given(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The inputs and fits of the curves and hparams commands (not all of json-all's)."""
    return curves_and_hparams(tmp_path_factory.mktemp("out-is-json"))


def _args(name: str, given: dict[str, str]) -> list[str]:
    return [w.format(**given) for w in _RUNS[name]]


@pytest.mark.parametrize("name", list(_SAVES))
def test_out_saves_what_json_prints(
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    tmp_path: Path,
    name: str,
) -> None:
    code, printed, err = cli(capsys, *_args(name, given), "--json")
    assert code == 0, err
    saved = tmp_path / "saved.json"
    code, text, err = cli(capsys, *_args(name, given), "--out", str(saved))
    assert code == 0, err
    assert json.loads(saved.read_text()) == json.loads(printed)
    assert f"wrote {_SAVES[name]}: {saved}" in " ".join(text.split())  # under the table
    assert not text.lstrip().startswith("{")  # the text, not the JSON
    # both: the JSON alone on stdout, the same in the file, where it went on stderr
    both = tmp_path / "both.json"
    code, out, err = cli(capsys, *_args(name, given), "--json", "--out", str(both))
    assert code == 0, err
    assert json.loads(out) == json.loads(both.read_text()) == json.loads(printed)
    assert f"wrote {_SAVES[name]}: {both}" in " ".join(err.split())


@pytest.mark.parametrize(
    ("name", "read"),
    [("curves predict", "curve"), ("curves compare", "curve"), ("hparams predict", "hp"),
     ("curves backtest", "curves"), ("hparams backtest", "sweep")],
)  # fmt: skip
def test_out_is_never_a_file_the_command_reads(
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    name: str,
    read: str,
) -> None:
    before = Path(given[read]).read_bytes()
    code, _, err = cli(capsys, *_args(name, given), "--out", given[read], one_line=True)
    assert code == 2 and f"--out {given[read]!r} is the same file as" in err, err
    assert Path(given[read]).read_bytes() == before  # untouched


def test_a_result_of_another_kind_is_not_replaced(
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    tmp_path: Path,
) -> None:
    other = tmp_path / "cmp.json"
    code, _, err = cli(capsys, *_args("curves compare", given), "--out", str(other))
    assert code == 0, err
    code, _, err = cli(capsys, *_args("curves predict", given), "--out", str(other), one_line=True)
    assert code == 2 and "is a schedule comparison" in err and "--out" in err, err
