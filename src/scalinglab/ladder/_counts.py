"""Exact parameter and FLOP counts of a ladder model, from its config alone.

The counts follow the model in :mod:`scalinglab.ladder._model` term by term (no biases in
linear layers; norms have a weight, and a bias for LayerNorm), and the tests check them against
``sum(p.numel())`` of the built model. Conventions, said out loud:

- ``params_non_embedding`` is every parameter except the token (and learned position)
  embeddings and an untied output head: the ``N`` of Kaplan et al. 2020 (§2.1), which here
  *includes* the norms' few weights. It is the ``N`` of :attr:`RungCounts.flops_6nd`.
- ``flops_per_token`` counts every matrix multiply of a training step, forward + backward =
  3 × forward, as Hoffmann et al. 2022, Appendix F do: projections, attention logits and the
  attention-weighted sum over the *full* context (the convention of Kaplan et al. 2020, Table 1
  and of MFU as reported by PaLM, although a causal kernel skips half of it), the softmax, the
  MLP and the output head. Unlike Appendix F it leaves out the token embedding: a lookup, not a
  matmul. Element-wise work (norms, activations, rotary) is not counted, as in both papers.
"""

from __future__ import annotations

from dataclasses import dataclass

from scalinglab._keywords import keywords_checked
from scalinglab.ladder._config import ModelConfig, RungConfig

__all__ = ["RungCounts", "flops_per_token", "model_params", "rung_counts"]

#: Training = forward + backward, and the backward pass costs twice the forward (Kaplan §2.1).
TRAINING_FACTOR = 3


@dataclass(frozen=True)
class ModelParams:
    """Parameter counts of one model, split by where they sit."""

    total: int
    non_embedding: int
    embedding: int
    head: int


def model_params(model: ModelConfig) -> ModelParams:
    """Exact parameter counts of the model built from ``model``.

    Args:
        model: The model's shape.

    Returns:
        Its total, non-embedding, embedding and head counts.
    """
    d, ff = model.width, model.hidden
    norm = d if model.norm == "rmsnorm" else 2 * d  # weight (+ bias for LayerNorm)
    attention = 4 * d * d  # query, key, value, output projections; heads·head_size = d
    mlp = (3 if model.mlp == "swiglu" else 2) * d * ff
    block = attention + mlp + 2 * norm  # two pre-norms per block
    non_embedding = model.depth * block + norm  # + the final norm
    embedding = model.vocab_size * d + (model.context * d if model.positions == "learned" else 0)
    head = 0 if model.tied else model.vocab_size * d
    return ModelParams(
        total=non_embedding + embedding + head,
        non_embedding=non_embedding,
        embedding=embedding,
        head=head,
    )


@keywords_checked("scalinglab.ladder.flops_per_token")
def flops_per_token(model: ModelConfig, *, training: bool = True) -> int:
    """Exact matmul FLOPs per token (multiply-add = 2 FLOPs), Hoffmann et al. 2022, App. F.

    Per token and per block, forward, with ``d`` = width, ``s`` = context, ``f`` = MLP width:
    projections ``2·4·d²``; logits ``2·s·d``; softmax ``3·heads·s``; weighted values ``2·s·d``;
    MLP ``2·3·d·f`` (SwiGLU) or ``2·2·d·f`` (GELU). Then the head, ``2·d·vocab``.

    Args:
        model: The model's shape.
        training: Forward + backward (3 × forward) or the forward pass alone.

    Returns:
        FLOPs per token, an exact integer.
    """
    d, s, ff = model.width, model.context, model.hidden
    attention = 2 * 4 * d * d + 2 * s * d + 3 * model.heads * s + 2 * s * d
    mlp = 2 * (3 if model.mlp == "swiglu" else 2) * d * ff
    forward = model.depth * (attention + mlp) + 2 * d * model.vocab_size
    return (TRAINING_FACTOR if training else 1) * forward


@dataclass(frozen=True)
class RungCounts:
    """Sizes and compute of one rung, recorded with every run.

    Attributes:
        params: Every parameter of the model.
        params_non_embedding: Without token/position embeddings and an untied head (Kaplan's N).
        params_embedding: Token embedding (+ learned positions).
        params_head: The output head; 0 when tied to the embedding.
        flops_per_token: Exact training FLOPs per token (see module docstring).
        flops: ``flops_per_token · tokens``.
        flops_6nd: ``6 · params_non_embedding · tokens`` (Kaplan et al. 2020, §2.1).
        tokens: Tokens actually trained on, ``steps · batch_size · context``.
        steps: Optimiser steps.
    """

    params: int
    params_non_embedding: int
    params_embedding: int
    params_head: int
    flops_per_token: int
    flops: int
    flops_6nd: int
    tokens: int
    steps: int


def rung_counts(rung: RungConfig) -> RungCounts:
    """Parameter, token and FLOP counts of ``rung`` (no PyTorch needed).

    Args:
        rung: The rung.

    Returns:
        Its parameters, tokens, steps and FLOPs (per token, in all, and ``6ND``).
    """
    p = model_params(rung.model)
    steps = rung.steps
    tokens = steps * rung.train.batch_size * rung.model.context
    per_token = flops_per_token(rung.model)
    return RungCounts(
        params=p.total,
        params_non_embedding=p.non_embedding,
        params_embedding=p.embedding,
        params_head=p.head,
        flops_per_token=per_token,
        flops=per_token * tokens,
        flops_6nd=6 * p.non_embedding * tokens,
        tokens=tokens,
        steps=steps,
    )
