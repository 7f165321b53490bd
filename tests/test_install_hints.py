"""Hints for a missing extra name the published distribution (``pip install
"scalinglab[ray]"``), as a wheel user can run them, never ``pip install -e ".[ray]"`` (which,
outside a checkout, installs whatever project the current folder holds)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import scalinglab
from scalinglab._errors import ConfigError
from scalinglab._extras import install_hint

TORCH_FIRST = 'pip install torch==2.13.0 && pip install "scalinglab[train]" (PyTorch first'


def test_the_wording() -> None:
    assert install_hint("trackers") == 'pip install "scalinglab[trackers]"'
    assert install_hint("train").startswith(TORCH_FIRST)
    assert install_hint("train", "ray").startswith(
        'pip install torch==2.13.0 && pip install "scalinglab[train,ray]"'
    )


def _hint(monkeypatch: pytest.MonkeyPatch, module: str, call: object) -> str:
    monkeypatch.setitem(sys.modules, module, None)  # its import raises ImportError
    with pytest.raises(ConfigError) as caught:
        call()  # type: ignore[operator]
    return caught.value.hint


def test_training_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from scalinglab.ladder import _require_torch

    hint = _hint(monkeypatch, "torch", _require_torch)
    assert hint == "install PyTorch and the training extra: " + install_hint("train")


def test_ray_says_torch_is_needed_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from scalinglab.execute import _ray

    hint = _hint(monkeypatch, "ray", _ray._ray)
    assert hint.startswith("install the Ray extra and PyTorch, which trains each rung: ")
    assert 'pip install torch==2.13.0 && pip install "scalinglab[train,ray]"' in hint


def test_slurm(monkeypatch: pytest.MonkeyPatch) -> None:
    from scalinglab.execute import _slurm

    hint = _hint(monkeypatch, "submitit", _slurm._submitit)
    assert hint.startswith('install the SLURM extra: pip install "scalinglab[slurm]"; ')
    assert "PyTorch" in hint


def test_no_hint_installs_the_current_folder() -> None:
    """Only the compiled solver's note may say ``pip install -e .``, and only for a checkout."""
    found = [
        f"{path.name}: {line.strip()}"
        for path in Path(scalinglab.__file__).parent.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"pip install -e ['\"]?\.", line) and "in a checkout" not in line
    ]
    assert found == []


def test_a_build_that_is_not_installed_says_to_rebuild_from_the_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scalinglab import _builds

    monkeypatch.setenv("SCALINGLAB_SOLVER", "portable")
    monkeypatch.setattr(_builds, "_load_first", lambda builds: None)
    with pytest.raises(ConfigError, match="asks for the _sumpow build") as caught:
        _builds.library()
    assert "install a C compiler and reinstall scalinglab from the source" in caught.value.hint
    assert "--force-reinstall --no-deps --no-cache-dir PATH" in caught.value.hint
