"""An output the system will not let be written (``/proc/x``: root passes permission bits,
and procfs refuses to create a file anyway) is refused before any work, not after a report
was computed: the same one line a failed write says, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests._grid_runs import law_grid_csv

from scalinglab._errors import ConfigError
from scalinglab.cli import main
from scalinglab.cli._output_paths import check_output

pytestmark = [
    pytest.mark.filterwarnings("ignore"),
    pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc"),
]


def test_check_output_tries_the_folder() -> None:
    with pytest.raises(ConfigError) as err:
        check_output(Path("/proc/scalinglab-x.json"), option="--out")
    assert err.value.message.startswith("--out '/proc/scalinglab-x.json': cannot write (")
    assert err.value.hint == "check the path and its permissions"


def test_a_writable_folder_keeps_no_probe(tmp_path: Path) -> None:
    check_output(tmp_path / "fit.json", option="--out")
    assert list(tmp_path.iterdir()) == []  # the probe file is removed, nothing else made


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{runs}", "--bootstrap", "0", "--out", "/proc/scalinglab-x.html"],
        ["fit", "{runs}", "--bootstrap", "0", "--plot", "/proc/scalinglab-x.png"],
    ],
)
def test_refused_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    runs = law_grid_csv(tmp_path)
    code = main([a.format(runs=runs) for a in args])
    out, err = capsys.readouterr()
    assert code == 2, err
    option, path = args[-2], args[-1]
    assert err.startswith(f"error: {option} {path!r}: cannot write ("), err
    assert "hint: check the path and its permissions" in err
    # no fit, no report was computed first: no progress line, no table on stdout
    assert "writing the report" not in err and "fitting" not in err and out == "", err
    assert "Traceback" not in err
