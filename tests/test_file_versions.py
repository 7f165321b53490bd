"""A scalinglab JSON file of a version this release does not read (a newer release's, or
one before the version it reads) is said to be one, with what to do: upgrade, or refit;
and a file of another kind in such a version is not sent to a reader that refuses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab._format_versions import known_kind
from scalinglab._formats import KINDS
from scalinglab.cli import main

_READERS = {
    "scalinglab.fit/1": sl.FitResult.load,
    "scalinglab.downstream/1": sl.DownstreamFit.load,
    "scalinglab.loss2loss/1": sl.LossToLossFit.load,
    "scalinglab.hparams/1": sl.HparamFit.load,
    "scalinglab.curve_fit/1": sl.CurveFit.load,
}


def _file(tmp_path: Path, format: str) -> Path:
    path = tmp_path / "given.json"
    path.write_text(json.dumps({"format": format}))
    return path


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("reader", sorted(_READERS))
def test_a_file_of_a_newer_version_says_a_newer_release_wrote_it(
    tmp_path: Path, reader: str
) -> None:
    kind, _, version = reader.removeprefix("scalinglab.").partition("/")
    path = _file(tmp_path, f"scalinglab.{kind}/{int(version) + 1}")
    with pytest.raises(sl.DataError) as err:
        _READERS[reader](path)
    assert err.value.message == (
        f"{path}: written by a newer scalinglab ({kind}/{int(version) + 1}); this version "
        f"reads {kind}/{version}"
    )
    assert err.value.hint.startswith("upgrade scalinglab to read it; or write one with")


@pytest.mark.parametrize("reader", sorted(_READERS))
def test_a_file_of_an_older_unknown_version_says_so_and_to_refit(
    tmp_path: Path, reader: str
) -> None:
    # not "a newer scalinglab", nor "not a fit ... read it with" the command refusing it
    kind, _, version = reader.removeprefix("scalinglab.").partition("/")
    path = _file(tmp_path, f"scalinglab.{kind}/0")
    with pytest.raises(sl.DataError) as err:
        _READERS[reader](path)
    assert err.value.message == (
        f"{path}: an older format ({kind}/0) that this version does not read; it reads "
        f"{kind}/{version}"
    )
    assert err.value.hint.startswith("refit, and write one with")


def test_the_cli_says_an_older_fit_is_to_be_refitted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "scalinglab.fit/0")
    for command in (["predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"],
                    ["plan", "--fit", str(path), "--compute", "1e21"]):  # fmt: skip
        err = _refused(capsys, *command)
        assert err == (
            f"error: {path}: an older format (fit/0) that this version does not read; it reads "
            "fit/1 hint: refit, and write one with `scalinglab fit ... --out fit.json`"
        )
    # another command given it: not sent to `predict --fit`, which refuses it
    err = _refused(
        capsys, "downstream", "predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"
    )
    assert (
        "hint: it is a scaling-law fit (`scalinglab fit --out`) in an older format (fit/0) that "
        "this version does not read: refit it; this reads a downstream chain: write one with "
        "`scalinglab downstream fit ... --out ds.json`"
    ) in err
    assert "predict --fit" not in err.replace("downstream predict --fit", "")


def test_a_newer_file_of_another_kind_says_its_reader_needs_a_newer_release_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "scalinglab.downstream/3")
    with pytest.raises(sl.DataError, match=r"not a scalinglab fit \(format 'scalinglab.downst"):
        sl.FitResult.load(path)
    err = _refused(capsys, "predict", "--fit", str(path), "--flops", "1e20")
    assert (
        "hint: it is a downstream chain written by a newer scalinglab (downstream/3): read it "
        "with `downstream predict --fit` (Python: DownstreamFit.load) once scalinglab is "
        "upgraded: this version's refuses it too; write one with `scalinglab fit ... --out "
        "fit.json`"
    ) in err
    # as that command does
    err = _refused(
        capsys, "downstream", "predict", "--fit", str(path), "--params", "1B", "--tokens", "20B"
    )
    assert "written by a newer scalinglab (downstream/3); this version reads downstream/1" in err


def test_known_kind_tells_a_newer_version_from_an_older_one() -> None:
    assert known_kind("scalinglab.downstream/3", KINDS) == ("scalinglab.downstream/1", "newer")
    assert known_kind("scalinglab.fit/0", KINDS) == ("scalinglab.fit/1", "older")
    assert known_kind("scalinglab.isoflop/3", KINDS) == ("scalinglab.isoflop/2", "newer")
    assert known_kind("scalinglab.isoflop/1", KINDS) == ("scalinglab.isoflop/1", "")  # known
    assert known_kind("scalinglab.nothing/1", KINDS) == ("scalinglab.nothing/1", "")
    assert known_kind(None, KINDS) == (None, "")


@pytest.mark.parametrize(
    ("kind", "command"),
    [("isoflop/0", "scalinglab isoflop --out"), ("runs/0", "scalinglab runs --json")],
)
def test_an_older_result_that_is_no_fit_is_re_created_by_the_command_that_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: str
) -> None:
    path = _file(tmp_path, f"scalinglab.{kind}")
    err = _refused(capsys, "predict", "--fit", str(path), "--params", "1B", "--tokens", "20B")
    assert (
        f"in an older format ({kind}) that this version does not read: re-create it with the "
        f"command that writes it (`{command}`); write one with `scalinglab fit ... --out "
        "fit.json`"
    ) in err
    assert "refit" not in err
