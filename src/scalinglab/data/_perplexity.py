"""Perplexity given as the loss: a column of perplexities (``exp`` of the cross-entropy, 13
to 400 for small language models) fits without complaint and plans nonsense, since a law of
the loss is no law of its exponential. A language model's cross-entropy stays below the
loss of a uniform guess over its vocabulary (an untrained model starts near it), and no
vocabulary in use has more than :data:`LARGEST_VOCABULARY` tokens, so a loss column whose
every value exceeds :data:`MOST_NATS` gets a ``warning:`` note (never an error: a fit of
another target is the user's to make) saying the values look like perplexity and how to
give the loss instead. A column named as a perplexity (``ppl``, ``val_perplexity``) gets it
whatever its values, above 1 (a perplexity's least), since a larger model's perplexity falls
below that bound (9 at a loss of 2.2). Every reader of a loss to fit asks
:func:`perplexity_warning`.
"""

from __future__ import annotations

import math
import re

import numpy as np
from numpy.typing import ArrayLike

from scalinglab._format import format_g, format_grouped
from scalinglab.data._column_names import column_key

__all__ = [
    "LARGEST_VOCABULARY",
    "MOST_NATS",
    "is_perplexity_name",
    "is_perplexity_warning",
    "perplexity_warning",
]

#: The largest vocabulary of language models in use (262,144 tokens: Gemma 3's).
LARGEST_VOCABULARY = 262_144
#: The loss of a uniform guess over :data:`LARGEST_VOCABULARY` tokens, in nats (about 12.5):
#: no language model's cross-entropy exceeds it.
MOST_NATS = math.log(LARGEST_VOCABULARY)
#: A column named as a perplexity (``ppl``, ``val_ppl``, ``Perplexity``), a word of its name.
_PERPLEXITY = re.compile(r"(?:^|[_/.])(?:ppl|perplexity)(?:$|[_/.])")


def is_perplexity_name(name: str) -> bool:
    """Whether a column's name calls it a perplexity (``val_ppl``, ``eval/perplexity``)."""
    return _PERPLEXITY.search(column_key(name)) is not None


def perplexity_warning(
    values: ArrayLike, *, where: str, option: str = "", column: str | None = None
) -> str | None:
    """A ``warning:`` note when every finite value of a loss read from ``where`` (``column
    'loss'``) exceeds :data:`MOST_NATS`, or when ``column``, the name it was read from, is
    a perplexity's (:func:`is_perplexity_name`) and every value is at least 1; else
    ``None``. No reader takes ``log(...)`` of a column, so the note says to convert it;
    ``option`` (``--y loss=COLUMN``) is how the caller reads the loss from another column."""
    losses = np.asarray(values, dtype=np.float64).ravel()
    finite = losses[np.isfinite(losses)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    if low > MOST_NATS:
        why = (
            f"every value exceeds {MOST_NATS:.1f} nats (ln {format_grouped(LARGEST_VOCABULARY)}), "
            "the loss of a uniform guess over the largest vocabularies in use"
        )
    elif column is not None and is_perplexity_name(column) and low >= 1.0:
        why = "the column is named as a perplexity and every value is at least 1 (exp 0)"
    else:
        return None
    read = f" as the loss ({option})" if option else " as the loss"
    return (
        f"warning: loss {format_g(low, 4)} to {format_g(high, 4)} ({where}): {why}: these look "
        "like perplexity (exp of the loss), not the loss; write ln of each value in a column "
        f"and read that{read} (a loss other than a language model's cross-entropy in nats "
        "may ignore this)"
    )


def is_perplexity_warning(note: str) -> bool:
    """Whether ``note`` is :func:`perplexity_warning`'s (a table derived from curves that
    said it, ``fit --from-curves``'s predicted runs, leaves its own out)."""
    return note.startswith("warning: loss ") and "look like perplexity" in note
