"""Exact parameter and FLOP counts: hand-computed configs, the built model, PyTorch's FLOP counter."""

from __future__ import annotations

import pytest

from scalinglab.ladder import (
    ModelConfig,
    RungConfig,
    TrainConfig,
    flops_per_token,
    model_params,
    rung_counts,
)
from scalinglab.plan import transformer_flops

# Hand count 1: width 64, depth 2, 4 heads, context 32, RoPE, GELU (hidden 4·64 = 256), RMSNorm,
# untied head. Per block: attention 4·64² = 16,384; MLP 2·64·256 = 32,768; two RMSNorms 2·64 =
# 128; block = 49,280; two blocks + final norm 64 = 98,624. Embedding 256·64 = 16,384, head
# 16,384: total 131,392. Forward FLOPs per token, per block: projections 2·4·64² = 32,768,
# logits 2·32·64 = 4,096, softmax 3·4·32 = 384, values 4,096, MLP 2·2·64·256 = 65,536 →
# 106,880; ×2 = 213,760; head 2·64·256 = 32,768 → 246,528 forward; ×3 = 739,584 training.
HAND_1 = ModelConfig(width=64, depth=2, heads=4, context=32, mlp="gelu", norm="rmsnorm")
HAND_1_PARAMS = (131_392, 98_624, 16_384, 16_384)  # total, non-embedding, embedding, head
HAND_1_FLOPS = 739_584

# Hand count 2: width 48, depth 3, 3 heads (size 16), context 16, learned positions, SwiGLU
# (hidden 8·48/3 = 128), LayerNorm (weight + bias), tied head. Per block: attention 4·48² =
# 9,216; MLP 3·48·128 = 18,432; two LayerNorms 2·2·48 = 192 → 27,840; ×3 + final norm 96 =
# 83,616. Embedding 256·48 + 16·48 = 13,056; head 0 (tied): total 96,672. Forward FLOPs per
# token, per block: 2·4·48² = 18,432 + logits 2·16·48 = 1,536 + softmax 3·3·16 = 144 + values
# 1,536 + MLP 2·3·48·128 = 36,864 → 58,512; ×3 = 175,536; head 2·48·256 = 24,576 → 200,112
# forward; ×3 = 600,336 training.
HAND_2 = ModelConfig(
    width=48,
    depth=3,
    heads=3,
    context=16,
    positions="learned",
    mlp="swiglu",
    norm="layernorm",
    tied=True,
)
HAND_2_PARAMS = (96_672, 83_616, 13_056, 0)
HAND_2_FLOPS = 600_336

CONFIGS = [
    HAND_1,
    HAND_2,
    ModelConfig(width=128, depth=4, heads=2, context=64),
    ModelConfig(width=96, depth=1, heads=6, context=8, mlp="gelu", tied=True),
    ModelConfig(width=80, depth=2, heads=5, positions="learned", ffn_width=100, norm="layernorm"),
    ModelConfig(width=256, depth=2, heads=4, context=128, vocab_size=1000),
]


@pytest.mark.parametrize(
    ("config", "params", "flops"),
    [(HAND_1, HAND_1_PARAMS, HAND_1_FLOPS), (HAND_2, HAND_2_PARAMS, HAND_2_FLOPS)],
)
def test_hand_computed_counts(config: ModelConfig, params: tuple[int, ...], flops: int) -> None:
    p = model_params(config)
    assert (p.total, p.non_embedding, p.embedding, p.head) == params
    assert flops_per_token(config) == flops
    assert flops_per_token(config, training=False) * 3 == flops


@pytest.mark.parametrize("config", CONFIGS)
def test_param_count_matches_the_built_model(config: ModelConfig) -> None:
    torch = pytest.importorskip("torch")
    from scalinglab.ladder import build_model

    model = build_model(config)
    p = model_params(config)
    assert sum(t.numel() for t in model.parameters()) == p.total
    embedding = model.embed.weight.numel() + (
        model.positions.weight.numel() if model.positions is not None else 0
    )
    assert embedding == p.embedding
    assert (0 if config.tied else model.head.weight.numel()) == p.head
    assert (model.head.weight is model.embed.weight) == config.tied
    del torch


# the larger plain model (CONFIGS[2]) has no part the hand-counted two lack: -m heavy
@pytest.mark.parametrize(
    "config",
    [pytest.param(c, marks=pytest.mark.heavy) if i == 2 else c for i, c in enumerate(CONFIGS[:4])],
)
def test_flops_match_pytorchs_flop_counter(config: ModelConfig) -> None:
    """PyTorch counts every matmul of a forward+backward step (math attention kernel, so the
    attention matmuls are visible to it); our count adds only the softmax's 3·heads·context."""
    torch = pytest.importorskip("torch")
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    from scalinglab.ladder import build_model

    model = build_model(config)
    x = torch.randint(0, config.vocab_size, (2, config.context))
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(x, x).backward()
    per_token = counter.get_total_flops() / (2 * config.context)
    softmax = 3 * config.depth * 3 * config.heads * config.context
    assert per_token + softmax == flops_per_token(config)


def test_reconciles_with_hoffmann_appendix_f() -> None:
    """For a GELU model with a 4·width MLP, plan.transformer_flops (Appendix F) is our count
    plus the token embedding, which App. F counts as a matmul and we count as a lookup."""
    cfg = ModelConfig(width=128, depth=3, heads=4, context=64, mlp="gelu")
    appendix_f = transformer_flops(
        d_model=128, n_layers=3, n_heads=4, vocab_size=256, seq_len=64, d_ff=512
    )
    assert appendix_f == pytest.approx(flops_per_token(cfg) + 3 * 2 * 256 * 128, rel=1e-12)


def test_rung_counts_use_the_tokens_actually_trained() -> None:
    rung = RungConfig(
        name="r",
        model=HAND_1,
        train=TrainConfig(tokens=10_000, batch_size=4, lr=1e-3),
    )
    c = rung_counts(rung)
    assert c.steps == 10_000 // (4 * 32) == 78
    assert c.tokens == 78 * 4 * 32
    assert c.flops == HAND_1_FLOPS * c.tokens
    assert c.flops_6nd == 6 * 98_624 * c.tokens
    assert (c.params, c.params_non_embedding) == (131_392, 98_624)
