"""FLOP and parameter counts against hand-computed numbers, and the exact count's 6N limit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from scalinglab import ConfigError
from scalinglab.plan import (
    flops_6nd,
    kaplan_flops_per_token,
    transformer_flops,
    transformer_params,
)

# Config A: d_model=4, n_layers=2, n_heads=2 (key_size 2), vocab 10, seq 8, d_ff = 4·4 = 16.
TINY: dict[str, Any] = {"d_model": 4, "n_layers": 2, "n_heads": 2, "vocab_size": 10, "seq_len": 8}


def test_flops_6nd_scalars_and_arrays() -> None:
    assert flops_6nd(70e9, 1.4e12) == pytest.approx(6 * 70e9 * 1.4e12, rel=1e-15)
    assert isinstance(flops_6nd(1, 2), float)
    out = flops_6nd(np.array([1.0, 2.0]), np.array([[3.0], [4.0]]))
    np.testing.assert_array_equal(out, [[18.0, 36.0], [24.0, 48.0]])


@pytest.mark.parametrize(("params", "tokens"), [(0, 1), (1, -1), (np.nan, 1), ([1, np.inf], 1)])
def test_flops_6nd_refuses_non_positive(params: object, tokens: object) -> None:
    with pytest.raises(ConfigError, match="positive and finite"):
        flops_6nd(params, tokens)  # type: ignore[call-overload]


def test_transformer_flops_tiny_by_hand() -> None:
    embeddings = 2 * 8 * 10 * 4  # 640
    qkv = 2 * 3 * 8 * 4 * (2 * 2)  # 768
    logits_qk = 2 * 8 * 8 * (2 * 2)  # 512
    softmax = 3 * 2 * 8 * 8  # 384
    weighted = 2 * 8 * 8 * (2 * 2)  # 512
    out_proj = 2 * 8 * (2 * 2) * 4  # 256
    attention = qkv + logits_qk + softmax + weighted + out_proj  # 2432
    dense = 2 * 8 * (2 * 4 * 16)  # 2048
    final = 2 * 8 * 4 * 10  # 640
    forward_seq = embeddings + 2 * (attention + dense) + final  # 640 + 8960 + 640 = 10240
    assert forward_seq == 10240
    assert transformer_flops(**TINY, training=False) == 10240 / 8 == 1280
    assert transformer_flops(**TINY) == 3 * 1280 == 3840


def test_transformer_flops_with_key_size_and_d_ff_by_hand() -> None:
    # d_model=6, one layer, 3 heads of key_size 4 (so heads·key = 12 != d_model), vocab 7,
    # seq 5, d_ff 10.
    embeddings = 2 * 5 * 7 * 6  # 420
    attention = (
        2 * 3 * 5 * 6 * 12  # 2160
        + 2 * 5 * 5 * 12  # 600
        + 3 * 3 * 5 * 5  # 225
        + 2 * 5 * 5 * 12  # 600
        + 2 * 5 * 12 * 6  # 720
    )  # 4305
    dense = 2 * 5 * (2 * 6 * 10)  # 1200
    final = 2 * 5 * 6 * 7  # 420
    forward_seq = embeddings + attention + dense + final
    assert forward_seq == 6345
    got = transformer_flops(
        d_model=6, n_layers=1, n_heads=3, vocab_size=7, seq_len=5, d_ff=10, key_size=4
    )
    assert got == pytest.approx(3 * 6345 / 5, rel=1e-15)  # 3807


def test_transformer_flops_gpt2_small_by_hand() -> None:
    d, L, h, V, T = 768, 12, 12, 50257, 1024
    per_layer = (
        2 * 3 * T * d * d  # QKV (key_size·heads = d)
        + 2 * T * T * d  # logits
        + 3 * h * T * T  # softmax
        + 2 * T * T * d  # weighted sum
        + 2 * T * d * d  # output projection
        + 2 * T * (2 * d * 4 * d)  # MLP
    )
    forward = 2 * T * V * d + L * per_layer + 2 * T * d * V
    got = transformer_flops(d_model=d, n_layers=L, n_heads=h, vocab_size=V, seq_len=T)
    assert got == pytest.approx(3 * forward / T, rel=1e-15)


def test_transformer_params_by_hand() -> None:
    # per layer 4·4² + 2·4·16 = 64 + 128 = 192; two layers 384; embedding 10·4 = 40
    assert transformer_params(d_model=4, n_layers=2, vocab_size=10) == 424
    assert transformer_params(d_model=4, n_layers=2, vocab_size=10, tied_embeddings=False) == 464
    assert transformer_params(d_model=4, n_layers=2, vocab_size=10, include_embeddings=False) == 384
    # GPT-2 small without biases, norms and positions: 12·(4·768² + 8·768²) + 50257·768
    gpt2 = transformer_params(d_model=768, n_layers=12, vocab_size=50257)
    assert gpt2 == 12 * 12 * 768**2 + 50257 * 768 == 123_532_032
    assert gpt2 == pytest.approx(124_439_808, rel=0.01)  # the released model's count


def test_kaplan_flops_per_token_by_hand() -> None:
    # N = 2·d·L·(2·d_attn + d_ff) = 2·4·2·(8 + 16) = 384; forward 2·384 + 2·2·8·4 = 896
    assert kaplan_flops_per_token(d_model=4, n_layers=2, seq_len=8, training=False) == 896
    assert kaplan_flops_per_token(d_model=4, n_layers=2, seq_len=8) == 3 * 896
    # its N is the non-embedding parameter count
    n = transformer_params(d_model=64, n_layers=3, vocab_size=100, include_embeddings=False)
    fwd = kaplan_flops_per_token(d_model=64, n_layers=3, seq_len=1, training=False)
    assert fwd == 2 * n + 2 * 3 * 1 * 64


def test_exact_over_6n_tends_to_one_as_width_grows() -> None:
    L, h, V, T = 24, 16, 32000, 2048
    gaps = []
    for d in (1024, 4096, 16384, 65536):
        n = transformer_params(d_model=d, n_layers=L, vocab_size=V, tied_embeddings=False)
        exact = transformer_flops(d_model=d, n_layers=L, n_heads=h, vocab_size=V, seq_len=T)
        ratio = exact / (6 * n)
        # independently: 1 + L·(4·T·d + 3·h·T) / (24·L·d² + 4·V·d), the attention-over-context
        # share that 6N leaves out
        assert ratio == pytest.approx(1 + L * (4 * T * d + 3 * h * T) / (24 * L * d**2 + 4 * V * d))
        gaps.append(ratio - 1)
    assert all(g > 0 for g in gaps)
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 0.006


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({**TINY, "d_model": 0}, "d_model must be a positive integer"),
        ({**TINY, "d_model": 4.0}, "d_model must be a positive integer"),
        ({**TINY, "n_layers": True}, "n_layers must be a positive integer"),
        ({**TINY, "seq_len": -1}, "seq_len must be a positive integer"),
        ({**TINY, "d_ff": 0}, "d_ff must be a positive integer"),
        ({**TINY, "n_heads": 3}, "d_model = 4 is not divisible by n_heads = 3"),
    ],
)
def test_transformer_flops_refuses_bad_sizes(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        transformer_flops(**kwargs)  # type: ignore[arg-type]
    assert info.value.hint


def test_key_size_lifts_the_divisibility_rule() -> None:
    got = transformer_flops(**{**TINY, "n_heads": 3}, key_size=2)
    assert got > 0
    assert transformer_flops(**TINY, key_size=2) == transformer_flops(**TINY)
    assert transformer_flops(**TINY, d_ff=16) == transformer_flops(**TINY)
    assert transformer_params(d_model=np.int64(4), n_layers=2, vocab_size=10) == 424  # type: ignore[arg-type]
