"""One readable decoder-only GPT, every shape a config option (nanoGPT's clarity, modern parts).

Pre-norm blocks ``x + attn(norm(x))``, ``x + mlp(norm(x))``; RMSNorm (Zhang & Sennrich 2019) or
LayerNorm; rotary (Su et al. 2021) or learned absolute positions; SwiGLU (Shazeer 2020) or GELU
MLP; tied or untied output head; no biases in linear layers. Attention is PyTorch's
``scaled_dot_product_attention(is_causal=True)``, which picks a flash kernel on GPU.

Shapes: ``B`` batch, ``T`` sequence length, ``C`` width, ``H`` heads, ``K`` head size, ``V`` vocab.
Parameter counts match :func:`scalinglab.ladder._counts.model_params` exactly (tested).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: N812 (the PyTorch convention)
from torch import Tensor, nn

from scalinglab.ladder._config import ModelConfig

__all__ = ["GPT"]


def _norm(config: ModelConfig) -> nn.Module:
    if config.norm == "rmsnorm":
        return nn.RMSNorm(config.width, eps=1e-6)
    return nn.LayerNorm(config.width, eps=1e-5)


def rotary_tables(context: int, head_size: int, base: float = 10000.0) -> tuple[Tensor, Tensor]:
    """Cosine and sine tables ``(T, K/2)`` of rotary embeddings (Su et al. 2021, eq. 15)."""
    inv_freq = 1.0 / base ** (torch.arange(0, head_size, 2, dtype=torch.float64) / head_size)
    angles = torch.outer(torch.arange(context, dtype=torch.float64), inv_freq)  # (T, K/2)
    return angles.cos().float(), angles.sin().float()


def apply_rotary(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    """Rotate each pair of channels ``(x1, x2)`` of ``x`` ``(B, H, T, K)`` by its angle."""
    x1, x2 = x[..., 0::2], x[..., 1::2]  # (B, H, T, K/2) each
    cos, sin = cos[: x.size(-2)], sin[: x.size(-2)]
    out = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)  # (B, H, T, K/2, 2)
    return out.flatten(-2).type_as(x)


class Attention(nn.Module):
    """Multi-head causal self-attention."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.heads = config.heads
        self.qkv = nn.Linear(config.width, 3 * config.width, bias=False)
        self.out = nn.Linear(config.width, config.width, bias=False)
        self.rope = config.positions == "rope"

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)  # (B, T, C) each
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        if self.rope:  # (B, H, T, K)
            q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, H, T, K)
        return self.out(y.transpose(1, 2).reshape(B, T, C))  # type: ignore[no-any-return]


class MLP(nn.Module):
    """SwiGLU ``W2·(silu(W1·x) ⊙ W3·x)`` or GELU ``W2·gelu(W1·x)``."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.swiglu = config.mlp == "swiglu"
        hidden = config.hidden
        self.up = nn.Linear(config.width, (2 if self.swiglu else 1) * hidden, bias=False)
        self.down = nn.Linear(hidden, config.width, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        h = self.up(x)  # (B, T, 2F) or (B, T, F)
        if self.swiglu:
            gate, value = h.chunk(2, dim=-1)
            h = F.silu(gate) * value
        else:
            h = F.gelu(h)
        return self.down(h)  # type: ignore[no-any-return]


class Block(nn.Module):
    """Pre-norm transformer block."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.norm1, self.attn = _norm(config), Attention(config)
        self.norm2, self.mlp = _norm(config), MLP(config)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        x = x + self.attn(self.norm1(x), cos, sin)
        return x + self.mlp(self.norm2(x))  # type: ignore[no-any-return]


class GPT(nn.Module):
    """Decoder-only transformer language model built from a :class:`ModelConfig`."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.width)
        self.positions = (
            nn.Embedding(config.context, config.width) if config.positions == "learned" else None
        )
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.depth))
        self.norm = _norm(config)
        self.head = nn.Linear(config.width, config.vocab_size, bias=False)
        if config.tied:
            self.head.weight = self.embed.weight  # one matrix, counted once
        cos, sin = rotary_tables(config.context, config.head_size)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """GPT-2 initialisation (Radford et al. 2019): N(0, 0.02) weights, with the projections
        that write into the residual stream scaled by ``1/√(2·depth)`` so its variance stays
        constant with depth; norms at identity."""
        std = 0.02
        for name, p in self.named_parameters():
            if p.dim() < 2:  # norm weights 1, biases 0
                nn.init.ones_(p) if name.endswith("weight") else nn.init.zeros_(p)
            elif name.endswith(("attn.out.weight", "mlp.down.weight")):
                nn.init.normal_(p, mean=0.0, std=std / math.sqrt(2 * self.config.depth))
            else:
                nn.init.normal_(p, mean=0.0, std=std)

    def forward(self, idx: Tensor, targets: Tensor | None = None) -> Tensor:
        """Logits ``(B, T, V)`` for tokens ``idx`` ``(B, T)``; or, given ``targets`` ``(B, T)``,
        the mean next-token cross-entropy in nats (a scalar)."""
        T = idx.size(1)
        x = self.embed(idx)  # (B, T, C)
        if self.positions is not None:
            x = x + self.positions(torch.arange(T, device=idx.device))  # (T, C) broadcast
        for block in self.blocks:
            x = block(x, self.cos, self.sin)
        logits = self.head(self.norm(x))  # (B, T, V)
        if targets is None:
            return logits  # type: ignore[no-any-return]
        return F.cross_entropy(logits.float().flatten(0, 1), targets.flatten())

    def param_groups(self, weight_decay: float) -> list[dict[str, object]]:
        """AdamW groups: decay on matrices of the blocks and an untied head only; never on
        norms or embeddings (the common practice, e.g. OLMo's ladder)."""
        decay: list[nn.Parameter] = []
        no_decay: list[nn.Parameter] = []
        for name, p in self.named_parameters():  # a tied head is listed once, as embed
            is_matrix = p.dim() >= 2 and not name.startswith(("embed.", "positions."))
            (decay if is_matrix else no_decay).append(p)
        return [
            {"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ]
