"""What the sdist ships: the whole test suite (helpers, conftest, data), the benchmarks and
examples, the C sources, and both licenses, read from the file list setuptools builds the
sdist from (``egg_info``'s SOURCES.txt, written outside the tree)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    """The sdist's files (relative, POSIX) and its PKG-INFO."""
    base = tmp_path_factory.mktemp("egg")
    done = subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(base)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (info,) = base.glob("*.egg-info")
    files = set((info / "SOURCES.txt").read_text(encoding="utf-8").split())
    return files, (info / "PKG-INFO").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["tests", "benchmarks", "examples"])
def test_the_sdist_ships_the_whole_folder(listed: tuple[set[str], str], folder: str) -> None:
    here = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".so")
    }
    assert here, folder
    assert sorted(here - listed[0]) == []


def test_the_sdist_ships_what_the_tests_import(listed: tuple[set[str], str]) -> None:
    files = listed[0]
    for name in ("tests/conftest.py", "tests/_cli.py", "src/scalinglab/fit/_sumpow.c"):
        assert name in files
    assert any(f.startswith("tests/data/lm_eval/") for f in files)


def test_both_licenses_are_shipped_and_declared(listed: tuple[set[str], str]) -> None:
    files, info = listed
    assert {"LICENSE", "src/scalinglab/data/gadre2024_LICENSE.txt"} <= files
    assert "License-Expression: Apache-2.0" in info
    assert "License-File: LICENSE" in info
    assert "License-File: src/scalinglab/data/gadre2024_LICENSE.txt" in info


def test_the_license_is_the_whole_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    for part in ("1. Definitions.", "9. Accepting Warranty or Additional Liability.",
                 "END OF TERMS AND CONDITIONS", "limitations under the License."):  # fmt: skip
        assert part in text
    assert len(text.splitlines()) == 202
