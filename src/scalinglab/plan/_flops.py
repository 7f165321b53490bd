"""Counting a transformer's parameters and training FLOPs, each rule a small cited function.

Three FLOP counts are in use, and the choice moves fitted exponents (Porian et al. 2024;
Gemstones, McLeish et al. 2025), so every planning number states which one it uses:

- :func:`flops_6nd`: ``C = 6·N·D`` (Kaplan et al. 2020, §2.1), what scaling laws are planned with;
- :func:`kaplan_flops_per_token`: ``2N + 2·n_layers·seq_len·d_attn`` forward (Kaplan et al. 2020,
  Table 1), which adds the attention-logit FLOPs to ``2N``;
- :func:`transformer_flops`: every matrix multiply, the softmax, the embeddings and the output
  head (Hoffmann et al. 2022, Appendix F).

All three count a multiply-add as 2 FLOPs and the backward pass as twice the forward pass.
"""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab.data._units import as_quantities

__all__ = ["flops_6nd", "kaplan_flops_per_token", "transformer_flops", "transformer_params"]

Array = NDArray[np.float64]

#: Training = forward + backward, and the backward pass costs twice the forward pass.
_TRAINING_FACTOR = 3


def _positive_int(name: str, value: object, *, example: int) -> int:
    """``value`` as an ``int`` if it is a positive integer; otherwise a :class:`ConfigError`."""
    index = None
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        index = int(value)  # never floats: 768.0 is refused rather than rounded
    if index is None or index <= 0:
        raise ConfigError(
            f"{name} must be a positive integer, got {value!r}",
            hint=f"pass a whole number such as {name}={example}",
        )
    return index


def _d_ff(d_model: int, d_ff: int | None) -> int:
    if d_ff is None:
        return 4 * d_model
    return _positive_int("d_ff", d_ff, example=4 * d_model)


@overload
def flops_6nd(params: float, tokens: float) -> float: ...
@overload
def flops_6nd(params: ArrayLike, tokens: ArrayLike) -> Array: ...
@keywords_checked("scalinglab.flops_6nd")
def flops_6nd(params: ArrayLike, tokens: ArrayLike) -> float | Array:
    """Training compute ``C = 6·N·D``.

    Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv:2001.08361), §2.1:
    each parameter costs 2 FLOPs per token forward (one multiply-add) and 4 backward. It leaves
    out the attention over the context and, with non-embedding ``N``, the embeddings and head.

    Args:
        params: Parameter count ``N``: a number, ``"7B"``, or an array or list of either.
        tokens: Training tokens ``D`` (``"1.4T"`` too); broadcasts against ``params``.

    Returns:
        A float for two scalars, otherwise an array of the broadcast shape.

    Raises:
        ConfigError: If any value is not a number, or not positive and finite.

    Examples:
        >>> import scalinglab as sl
        >>> sl.flops_6nd(70e9, 1.4e12), sl.flops_6nd("7B", ["1T", "2T"]).tolist()
        (5.88e+23, [4.2e+22, 8.4e+22])
    """
    # sizes as people write them ("7B", "1.4T"), as predict reads them
    n, d = as_quantities(params, "params"), as_quantities(tokens, "tokens")
    for name, v in (("params", n), ("tokens", d)):
        if not np.all(np.isfinite(v) & (v > 0)):
            raise ConfigError(
                f"{name} must be positive and finite to count FLOPs, got {v.tolist()!r}",
                hint="pass counts such as params=70e9, tokens=1.4e12",
            )
    try:  # [1, 2] and [1, 2, 3]: said here, not as NumPy's "operands could not be broadcast"
        np.broadcast_shapes(n.shape, d.shape)
    except ValueError:
        sized = [f"shape {v.shape}" if v.ndim > 1 else f"{v.size} values" for v in (n, d)]
        raise ConfigError(
            f"params ({sized[0]}) and tokens ({sized[1]}) do not pair up: give as many of "
            "each, or one of either",
            hint="e.g. flops_6nd([1e9, 7e9], [2e10, 1.4e11]), or flops_6nd([1e9, 7e9], 1e11) "
            "for one token count",
        ) from None
    out = 6.0 * n * d
    return float(out) if out.ndim == 0 else out


@keywords_checked("scalinglab.transformer_params")
def transformer_params(
    *,
    d_model: int,
    n_layers: int,
    vocab_size: int,
    d_ff: int | None = None,
    include_embeddings: bool = True,
    tied_embeddings: bool = True,
) -> int:
    """Parameters of a decoder-only transformer.

    Each layer has ``4·d_model²`` in attention (query, key, value and output projections, with
    ``key_size·n_heads = d_model``) and ``2·d_model·d_ff`` in the MLP. Biases, layer norms
    and learned position embeddings are ignored (they are a fraction of a percent at scale),
    as in Kaplan et al. 2020, Table 1.

    Args:
        d_model: Width of the residual stream.
        n_layers: Number of transformer blocks.
        vocab_size: Size of the vocabulary.
        d_ff: Hidden width of the MLP; defaults to ``4·d_model``.
        include_embeddings: Count the token embedding (and an untied output head). ``False``
            gives Kaplan et al.'s non-embedding ``N = 12·n_layers·d_model²``.
        tied_embeddings: Whether the output head shares the embedding matrix; if not, the
            head adds another ``vocab_size·d_model``.

    Returns:
        The parameter count.

    Raises:
        ConfigError: If a size is not a positive integer.
    """
    d = _positive_int("d_model", d_model, example=768)
    layers = _positive_int("n_layers", n_layers, example=12)
    vocab = _positive_int("vocab_size", vocab_size, example=50257)
    ff = _d_ff(d, d_ff)
    total = layers * (4 * d * d + 2 * d * ff)
    if include_embeddings:
        total += vocab * d * (1 if tied_embeddings else 2)
    return total


@keywords_checked("scalinglab.transformer_flops")
def transformer_flops(
    *,
    d_model: int,
    n_layers: int,
    n_heads: int,
    vocab_size: int,
    seq_len: int,
    d_ff: int | None = None,
    key_size: int | None = None,
    training: bool = True,
) -> float:
    """FLOPs per token of a decoder-only transformer, counted exactly.

    Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models" (arXiv:2203.15556),
    Appendix F. Per sequence of ``seq_len`` tokens, forward, with ``h = key_size·n_heads``:

    - embeddings: ``2·seq·vocab·d_model``;
    - attention, per layer: query, key and value projections ``2·3·seq·d_model·h``; key-query
      logits ``2·seq²·h``; softmax ``3·n_heads·seq²``; softmax-weighted sum of values
      ``2·seq²·h``; output projection ``2·seq·h·d_model``;
    - dense block, per layer: ``2·seq·(2·d_model·d_ff)``;
    - final logits: ``2·seq·d_model·vocab``.

    The per-sequence forward count is divided by ``seq_len``, and training (forward plus a
    backward pass of twice the cost) is 3 times the forward pass, as in the paper.

    Args:
        d_model: Width of the residual stream.
        n_layers: Number of transformer blocks.
        n_heads: Attention heads per layer.
        vocab_size: Size of the vocabulary.
        seq_len: Tokens per training sequence (the context length).
        d_ff: Hidden width of the MLP; defaults to ``4·d_model``.
        key_size: Width of each head; defaults to ``d_model / n_heads``, which must then be
            a whole number.
        training: FLOPs of a training step (forward and backward); ``False`` gives the
            forward pass only.

    Returns:
        FLOPs per token.

    Raises:
        ConfigError: If a size is not a positive integer, or ``d_model`` is not divisible by
            ``n_heads`` when ``key_size`` is not given.
    """
    d = _positive_int("d_model", d_model, example=768)
    layers = _positive_int("n_layers", n_layers, example=12)
    heads = _positive_int("n_heads", n_heads, example=12)
    vocab = _positive_int("vocab_size", vocab_size, example=50257)
    seq = _positive_int("seq_len", seq_len, example=2048)
    ff = _d_ff(d, d_ff)
    if key_size is None:
        if d % heads:
            raise ConfigError(
                f"d_model = {d} is not divisible by n_heads = {heads}",
                hint="choose n_heads that divides d_model, or pass key_size explicitly",
            )
        key = d // heads
    else:
        key = _positive_int("key_size", key_size, example=64)
    h = key * heads
    embeddings = 2 * seq * vocab * d
    attention = (
        2 * 3 * seq * d * h  # query, key and value projections
        + 2 * seq * seq * h  # key @ query logits
        + 3 * heads * seq * seq  # softmax
        + 2 * seq * seq * h  # softmax @ values
        + 2 * seq * h * d  # output projection
    )
    dense = 2 * seq * (2 * d * ff)
    logits = 2 * seq * d * vocab
    forward = embeddings + layers * (attention + dense) + logits
    factor = _TRAINING_FACTOR if training else 1
    return float(factor * forward) / seq


@keywords_checked("scalinglab.plan.kaplan_flops_per_token")
def kaplan_flops_per_token(
    *,
    d_model: int,
    n_layers: int,
    seq_len: int,
    d_ff: int | None = None,
    d_attn: int | None = None,
    training: bool = True,
) -> float:
    """FLOPs per token by Kaplan et al.'s rule: ``2N + 2·n_layers·seq_len·d_attn`` forward.

    Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv:2001.08361), Table 1,
    with the non-embedding parameter count ``N = 2·d_model·n_layers·(2·d_attn + d_ff)``
    (biases, norms, embeddings and the head left out). Training is 3 times the forward pass.

    Args:
        d_model: Width of the residual stream.
        n_layers: Number of transformer blocks.
        seq_len: Tokens per training sequence (``n_ctx``).
        d_ff: Hidden width of the MLP; defaults to ``4·d_model``.
        d_attn: Total width of the attention (``key_size·n_heads``); defaults to ``d_model``.
        training: Forward and backward (``True``) or forward only.

    Returns:
        FLOPs per token.

    Raises:
        ConfigError: If a size is not a positive integer.
    """
    d = _positive_int("d_model", d_model, example=768)
    layers = _positive_int("n_layers", n_layers, example=12)
    seq = _positive_int("seq_len", seq_len, example=2048)
    ff = _d_ff(d, d_ff)
    attn = d if d_attn is None else _positive_int("d_attn", d_attn, example=d)
    n_params = 2 * d * layers * (2 * attn + ff)
    forward = 2 * n_params + 2 * layers * seq * attn
    factor = _TRAINING_FACTOR if training else 1
    return float(factor * forward)
