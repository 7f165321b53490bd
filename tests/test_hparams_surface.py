"""Each cell's surface with the cubic term in log lr: closed-form minimum, asymmetric valleys,
and fits saved with the plain quadratic still loading."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.hparams import HparamFit, fit_hparams, locate_optima, read_sweep
from scalinglab.hparams._surface import evaluate, hessian, vertex


def test_vertex_is_a_minimum_by_finite_differences() -> None:
    rng = np.random.default_rng(0)
    coefs = np.column_stack(
        [
            rng.normal(3.0, 0.1, 200),
            rng.normal(0, 0.02, 200),
            rng.normal(0, 0.02, 200),
            rng.uniform(0.01, 0.05, 200),
            rng.normal(0, 0.01, 200),
            rng.uniform(0.01, 0.05, 200),
            rng.normal(0, 0.01, 200),
        ]
    )
    u, v, loss = vertex(coefs)
    ok = np.isfinite(u)
    assert ok.mean() > 0.8  # the rest have no local minimum (b² < 3ac)
    h = 1e-5
    for c, a, b, y in zip(coefs[ok], u[ok], v[ok], loss[ok], strict=True):
        gu = (evaluate(c, a + h, b) - evaluate(c, a - h, b)) / (2 * h)
        gv = (evaluate(c, a, b + h) - evaluate(c, a, b - h)) / (2 * h)
        assert abs(gu) < 1e-8 and abs(gv) < 1e-8
        assert y == pytest.approx(float(evaluate(c, a, b)), rel=1e-12)
        hess = hessian(c, float(a))
        assert np.all(np.linalg.eigvalsh(hess) > 0)
        # the Hessian is the surface's second differences
        huu = (evaluate(c, a + 1e-3, b) - 2 * y + evaluate(c, a - 1e-3, b)) / 1e-6
        assert hess[0, 0] == pytest.approx(float(huu), rel=1e-4)
    # without the cubic term it is the quadratic's vertex, closed form
    q = coefs[:, :6]
    u, v, _ = vertex(q)
    det = 4 * q[:, 3] * q[:, 5] - q[:, 4] ** 2
    assert np.allclose(u, (-2 * q[:, 5] * q[:, 1] + q[:, 4] * q[:, 2]) / det)
    assert np.allclose(v, (-2 * q[:, 3] * q[:, 2] + q[:, 4] * q[:, 1]) / det)


def _asymmetric(lr_only: bool) -> pd.DataFrame:
    # loss = L*(1 + 0.01 u^2 + 0.004 u^3 + 0.006 v^2): steeper above the optimal lr
    rows = []
    lr0, b0 = 3e-3, 512.0
    for k, (n, d) in enumerate(((1e8, 2e9), (2e8, 4e9), (4e8, 8e9))):
        for lr in lr0 * np.sqrt(2.0) ** (np.arange(-6, 5) + 0.1 * k):
            for bs in [b0] if lr_only else b0 * np.sqrt(2.0) ** np.arange(-3, 4):
                u, v = math.log(lr / lr0), math.log(bs / b0)
                loss = 3.0 * (1 + 0.01 * u * u + 0.004 * u**3 + 0.006 * v * v)
                rows.append({"params": n, "tokens": d, "lr": lr, "bs": bs, "loss": loss})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lr_only", [False, True])
def test_cubic_surface_finds_an_asymmetric_valleys_minimum(lr_only: bool) -> None:
    frame = _asymmetric(lr_only)
    if lr_only:
        frame = frame.drop(columns="bs")
    runs = read_sweep(frame, seq_len=None if lr_only else SEQ_LEN)
    cubic = locate_optima(runs, bootstrap=0)
    quad = locate_optima(runs, bootstrap=0, surface="quadratic")
    for c, q in zip(cubic, quad, strict=True):
        assert c.two_d is not lr_only and len(c.coef) == (4 if lr_only else 7)
        assert c.lr == pytest.approx(3e-3, rel=1e-6)
        assert c.loss == pytest.approx(3.0, rel=1e-9)
        # the symmetric quadratic puts the vertex below the optimum (the bias on real sweeps)
        assert q.lr < 0.97 * 3e-3
        up = float(c.surface(2 * c.lr, None if lr_only else c.batch)) / c.loss - 1
        down = float(c.surface(c.lr / 2, None if lr_only else c.batch)) / c.loss - 1
        u = math.log(2)
        assert up == pytest.approx(0.01 * u * u + 0.004 * u**3, rel=1e-6)
        assert down == pytest.approx(0.01 * u * u - 0.004 * u**3, rel=1e-6)
    hp = fit_hparams(runs, bootstrap=0, lr_law="A*N**alpha", batch_law="B*D**gamma")
    assert hp.penalty()["lr x2"] == pytest.approx(0.01 * u * u + 0.004 * u**3, rel=1e-6)
    assert hp.predict(params=1e8, tokens=2e9).penalty["lr /2"] == pytest.approx(
        0.01 * u * u - 0.004 * u**3, rel=1e-6
    )


def test_a_fit_saved_with_quadratic_surfaces_still_loads(tmp_path: Path) -> None:
    hp = fit_hparams(sweep(3), seq_len=SEQ_LEN, bootstrap=20, surface="quadratic")
    path = tmp_path / "hp.json"
    hp.save(path)
    data = json.loads(path.read_text())
    del data["settings"]["surface"]  # as written before the cubic term existed
    assert all(len(c["coef"]) == 6 for c in data["cells"])
    path.write_text(json.dumps(data))
    old = HparamFit.load(path)
    assert all(c.two_d and len(c.coef) == 6 for c in old.cells)
    for a, b in zip(old.cells, hp.cells, strict=True):
        assert float(a.surface(2 * a.lr)) == pytest.approx(float(b.surface(2 * b.lr)), rel=1e-12)
    # a quadratic surface's penalties are its closed form, the same x2 and /2
    pen = old.predict(params=7e9, tokens=1.4e12).penalty
    h = old.curvature()
    assert pen["lr x2"] == pytest.approx(pen["lr /2"], rel=1e-9)
    assert pen["lr x2"] == pytest.approx(0.5 * h[0, 0] * math.log(2) ** 2, rel=0.2)
    assert old.predict(params=7e9, tokens=1.4e12).lr == pytest.approx(
        hp.predict(params=7e9, tokens=1.4e12).lr
    )


def test_unknown_surface_is_refused() -> None:
    with pytest.raises(ConfigError, match="the surfaces are cubic, quadratic"):
        fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=0, surface="quartic")
