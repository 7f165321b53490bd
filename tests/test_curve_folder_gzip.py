"""A folder of gzip-compressed curve files (``cosine.csv.gz``) is read as its files are read
one by one: every ``.csv.gz``/``.tsv.gz`` in it, each run named without both suffixes."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from tests.conftest import SHARED

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.curves import read_lr_curves

LR = SHARED / "lr-schedules" / "25M"
NAMES = ("constant_24000", "cosine_24000", "wsdcon_9")

pytestmark = pytest.mark.skipif(not LR.is_dir(), reason=f"{LR} not found (shared data)")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same three curves as plain CSV files and as gzip-compressed ones, in a 25M folder
    each (the size read from the folder's name)."""
    plain, packed = (tmp_path_factory.mktemp(kind) / "25M" for kind in ("plain", "packed"))
    plain.mkdir()
    packed.mkdir()
    for name in NAMES:
        shutil.copy(LR / f"{name}.csv", plain / f"{name}.csv")
        with (
            open(LR / f"{name}.csv", "rb") as src,
            gzip.open(packed / f"{name}.csv.gz", "wb") as out,
        ):
            shutil.copyfileobj(src, out)
    return plain, packed


def test_a_folder_of_csv_gz_curves_reads_as_the_plain_files(folders: tuple[Path, Path]) -> None:
    plain, packed = (read_lr_curves(f, warmup=2160) for f in folders)
    assert [c.run for c in packed] == [c.run for c in plain]
    assert sorted(c.run.rsplit("/", 1)[-1] for c in packed) == sorted(NAMES)  # no ".csv"
    for a, b in zip(plain, packed, strict=True):
        assert a.step.tolist() == b.step.tolist() and a.loss.tolist() == b.loss.tolist()
        assert a.params == b.params == 25e6  # the size from the folder's name


def test_curves_fit_on_the_compressed_folder_is_the_plain_folders_fit(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fits = []
    for i, folder in enumerate(folders):
        out = tmp_path / f"c{i}.json"
        args = ["curves", "fit", str(folder), "--law", "tissue", "--warmup", "2160",
                "--bootstrap", "0", "--out", str(out)]  # fmt: skip
        assert main(args) == 0, capsys.readouterr().err
        fits.append(sl.CurveFit.load(out))
    capsys.readouterr()
    a, b = fits
    assert dict(a.coefs) == dict(b.coefs)
    assert len(a.runs) == len(b.runs) == len(NAMES)
