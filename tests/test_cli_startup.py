"""Start-up and solver naming: what `scalinglab --version` and `import scalinglab` load, and the
one line a machine without the compiled solver gets.

Start-up time is measured by benchmarks/fit_speed.py, not here (no timed unit tests): these
tests check the cause instead, the heavy modules a command imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from tests.test_curves import SPECS, _synthetic

from scalinglab import _builds, fit_curves
from scalinglab.cli import _options, _render
from scalinglab.curves import Tissue
from scalinglab.fit import _compiled

HEAVY = ("numpy", "pandas", "duckdb", "matplotlib", "scipy", "pyarrow")


def _imported_after(code: str, modules: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of ``modules`` (default: the heavy ones) a fresh interpreter has loaded after
    running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_version_imports_no_heavy_module() -> None:
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['--version']) == 0"
    )
    assert _imported_after(code) == []


def test_version_is_answered_before_the_command_line_loads() -> None:
    """``--version`` alone is answered before Typer and Rich load (a quarter of a second of
    start-up on a small CPU), with the line the app itself prints."""
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n    assert main(['--version']) == 0\n"
        "import scalinglab\nfrom scalinglab._builds import solver_line\n"
        "assert buf.getvalue() == f'scalinglab {scalinglab.__version__}\\n{solver_line()}\\n'"
    )
    assert _imported_after(code, ("typer", "rich", "click", "pydantic")) == []


@pytest.mark.heavy  # 2.7 s in the suite on a 2-core AMD EPYC
def test_parsing_options_does_not_load_pydantic() -> None:
    """Typer from 0.29 on validates every option through pydantic (0.2-0.3 s per command on
    a small CPU); pyproject.toml keeps it below that, and this says if it slips."""
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['laws', '--json']) == 0"
    )
    assert _imported_after(code, ("pydantic",)) == []


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_help_of_every_command_imports_no_heavy_module() -> None:
    """Building the whole command tree (every sub-command's options) stays light too."""
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for c in ('fit', 'plan', 'laws', 'runs', 'report', 'backtest', 'isoflop', 'envelope',\n"
        "              'ingest', 'ladder'):\n"
        "        assert main([c, '--help']) == 0, c"
    )
    assert _imported_after(code) == []


#: Loaded only to call one function each (lfilter; norm.ppf, norm.cdf): a second apiece.
SCIPY_HEAVY = ("scipy.signal", "scipy.stats")


def test_curves_and_downstream_help_import_no_scipy_signal_or_stats() -> None:
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for c in ('curves', 'downstream'):\n"
        "        assert main([c, '--help']) == 0, c\n"
        "    for c in ('fit', 'predict', 'compare', 'backtest'):\n"
        "        assert main(['curves', c, '--help']) == 0, c\n"
        "    for c in ('fit', 'predict', 'backtest', 'plan', 'report'):\n"
        "        assert main(['downstream', c, '--help']) == 0, c"
    )
    assert _imported_after(code, SCIPY_HEAVY) == []


@pytest.mark.heavy
def test_curves_predict_of_a_saved_fit_imports_no_scipy_signal_or_stats(
    tmp_path: Path,
) -> None:
    """Tissue's annealing area is its own NumPy recursion (tests/test_curves_momentum.py)."""
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    fit_curves(
        _synthetic(Tissue(), truth, SPECS[:2], noise=0, seed=0), law="tissue", bootstrap=0
    ).save(tmp_path / "f.json")
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    assert main(['curves', 'predict', '--fit', {str(tmp_path / 'f.json')!r},\n"
        "                 '--schedule', 'wsd:decay=0.2,steps=3000']) == 0\n"
        "assert '2,999' in buf.getvalue()"
    )
    assert _imported_after(code, SCIPY_HEAVY) == []


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_downstream_chains_import_no_scipy_stats() -> None:
    """The normal quantiles of the chain's intervals are scipy.special's (ndtri, ndtr)."""
    code = (
        "import scalinglab.downstream, scalinglab.downstream._chain_predict\n"
        "import scalinglab.downstream._loss_link, scalinglab.downstream._noise"
    )
    assert _imported_after(code, SCIPY_HEAVY) == []


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_isoflop_run_imports_no_scipy_stats(tmp_path: Path) -> None:
    """The misfit warning's F test is scipy.special's fdtrc (tests/test_normal_quantiles.py)."""
    from tests._chinchilla_draws import isoflop_runs

    path = tmp_path / "runs.csv"
    isoflop_runs().to_csv(path, index=False)
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['isoflop', {str(path)!r}, '--bootstrap', '20']) == 0"
    )
    assert _imported_after(code, SCIPY_HEAVY) == []


def test_import_scalinglab_is_lazy_and_names_still_resolve() -> None:
    assert _imported_after("import scalinglab") == []
    # a name is imported on first use, with what it needs
    loaded = _imported_after("import scalinglab\nscalinglab.fit")
    assert "numpy" in loaded and "pandas" not in loaded and "duckdb" not in loaded


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_fitting_a_run_table_needs_no_pandas() -> None:
    code = (
        "import numpy as np\nfrom scalinglab.data import RunTable\nfrom scalinglab import fit\n"
        "N = np.geomspace(1e7, 1e9, 12); D = 20 * N\n"
        "L = 1.7 + 400 * N**-0.34 + 410 * D**-0.28\n"
        "t = RunTable({'params': N, 'tokens': D, 'flops': 6 * N * D, 'loss': L},\n"
        "             runs=tuple(map(str, range(12))), rows=tuple(range(12)), source='test')\n"
        "fit('chinchilla', t)"
    )
    loaded = _imported_after(code)
    assert "pandas" not in loaded and "matplotlib" not in loaded and "duckdb" not in loaded


def test_fit_of_the_default_data_needs_no_pandas() -> None:
    """The CSV reader is the standard library's: pandas loads only for DataFrames/Parquet."""
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['fit', '--bootstrap', '0']) == 0"
    )
    assert _imported_after(code) == ["numpy"]


def test_plot_formats_match_the_report() -> None:
    from scalinglab.report import FORMATS

    assert _options.PLOT_FORMATS == FORMATS


def _note(solver: str) -> str:
    console = Console(record=True, width=400)
    _render.print_solver_note(console, solver)
    return console.export_text()


def test_no_compiled_build_gets_one_line_saying_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    monkeypatch.setattr(_builds, "_installed", lambda: False)
    text = _note("numpy")
    assert text.count("\n") == 1
    assert text.startswith("note: the compiled solver is not built (no C compiler")
    # scalinglab is on no index: the fix reinstalls from the sdist or checkout, not by name
    assert "install gcc" in text and "about 13x slower" in text
    assert "pip install --force-reinstall --no-deps --no-cache-dir PATH" in text
    assert "PATH being the sdist .tar.gz or the checkout" in text
    assert "--no-deps scalinglab" not in text
    # a fit that ran compiled, or NumPy by choice, gets no such line
    assert _note("compiled-avx2") == ""
    monkeypatch.setenv("SCALINGLAB_SOLVER", "numpy")
    assert _note("numpy") == ""


def test_version_names_the_solver_and_the_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--version``'s second line: the solver fits use, chosen how, the builds installed."""
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    built = _builds._installed_builds()
    if not _compiled.available():
        pytest.skip("no compiled build here")
    assert _builds.solver_line() == (
        f"solver: compiled-{_compiled.build_name()} (auto; builds: {', '.join(built)}; "
        "numpy fallback)"
    )
    monkeypatch.setenv("SCALINGLAB_SOLVER", "numpy")
    assert (
        _builds.solver_line()
        == f"solver: numpy (SCALINGLAB_SOLVER=numpy; builds: {', '.join(built)})"
    )
    monkeypatch.setenv("SCALINGLAB_SOLVER", "fast")
    assert _builds.solver_line().startswith(
        "solver: none, fits refuse to run: SCALINGLAB_SOLVER='fast' is not a solver choice (use auto"
    )


def test_version_without_a_compiled_build_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    monkeypatch.setattr(_builds, "_origin", lambda build: None)
    monkeypatch.setattr(_builds, "_load_first", lambda builds: None)  # its cache holds a build
    line = _builds.solver_line()
    assert "\n" not in line
    assert line.startswith("solver: numpy (the compiled solver is not built (no C compiler")
    assert "install gcc" in line and "pip install -e ." in line


def test_with_a_build_installed_there_is_no_note(monkeypatch: pytest.MonkeyPatch) -> None:
    if not _compiled.available():
        pytest.skip("no compiled build here: the note is expected")
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    assert _compiled.missing_note() is None and _note("numpy") == ""


def test_fit_builds_only_its_own_command() -> None:
    """``scalinglab fit`` builds the root and ``fit`` alone (cli/_root.py): no other
    command's module loads, and its help is the full app's, line for line."""
    others = ("scalinglab.cli._cmd_ladder", "scalinglab.cli._cmd_report", "scalinglab.cli._app")
    code = (
        "import contextlib, io\nfrom scalinglab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['fit', '--help']) == 0"
    )
    assert _imported_after(code, others) == []


def test_fit_commands_annotations_are_objects_not_strings() -> None:
    """Typer reads ``fit``'s signature twice each run: strings (``from __future__ import
    annotations``) were eval'd each time, about 7 ms of a ``scalinglab fit``."""
    from scalinglab.cli._cmd_fit import fit_command

    assert not [name for name, a in fit_command.__annotations__.items() if isinstance(a, str)]


def test_fit_alone_and_in_the_full_app_are_the_same_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.cli import _root, main

    outputs = []
    for alone in (_root.ALONE, {}):
        monkeypatch.setattr(_root, "ALONE", alone)
        assert main(["fit", "--help"]) == 0
        assert main(["fit", "--no-such-option"]) == 2
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1]
    assert "--bootstrap" in outputs[0].out and "--no-such-option" in outputs[0].err


def test_the_full_app_is_built_once_per_process(capsys: pytest.CaptureFixture[str]) -> None:
    """A process that runs many command lines (a notebook, this suite) builds every
    command's click command once, and a second run of it parses afresh: an option given
    to the first run is not remembered by the next."""
    from scalinglab.cli import _root, main

    assert _root.command_for(["runs"]) is _root.command_for(["laws"])
    assert _root.command_for(["fit"]) is not _root.command_for(["fit"])  # `fit` alone: cheap
    assert main(["laws", "--json"]) == 0
    first = capsys.readouterr().out
    assert main(["laws"]) == 0
    second = capsys.readouterr().out
    assert first.lstrip().startswith(("{", "[")) and not second.lstrip().startswith(("{", "["))
