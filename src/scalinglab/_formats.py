"""The kinds of JSON file scalinglab writes (their ``"format"``), and the error for a file of
another kind given where one is read: it says what the file is and which command reads it."""

from __future__ import annotations

from scalinglab._errors import DataError

__all__ = ["KINDS", "wrong_kind"]

#: ``"format"`` -> what such a file is and what reads it.
KINDS = {
    "scalinglab.fit/1": "a scaling-law fit (`scalinglab fit --out`): read it with `plan --fit` "
    "or `predict --fit` (Python: FitResult.load)",
    "scalinglab.downstream/1": "a downstream chain: read it with `downstream predict --fit` "
    "(Python: DownstreamFit.load)",
    "scalinglab.loss2loss/1": "a loss-to-loss fit: read it with `loss2loss predict --fit` "
    "(Python: LossToLossFit.load)",
    "scalinglab.hparams/1": "an hparams fit: read it with `hparams predict --fit` "
    "(Python: HparamFit.load)",
    "scalinglab.curve_fit": "a curve fit: read it with `curves predict --fit` "
    "(Python: CurveFit.load)",
    "scalinglab.isoflop/1": "an IsoFLOP analysis (`scalinglab isoflop --out`): its allocation "
    "is in the file; `plan --fit` reads a law fit",
    "scalinglab.envelope/1": "an envelope analysis (`scalinglab envelope --out`): its allocation "
    "is in the file; `plan --fit` reads a law fit",
}


def wrong_kind(found: object, expected: str, what: str, *, source: str, write: str) -> DataError:
    """The error for a file of format ``found`` where ``expected`` is read.

    Args:
        found: The file's ``"format"`` (``None`` when it has none).
        expected: The format read here.
        what: What is read here, in words (``"scalinglab fit"``).
        source: The file, named in the message.
        write: How to write the expected kind (the hint's end).
    """
    said = KINDS.get(str(found))
    return DataError(
        f"not a {what} (format {found!r}, expected {expected!r})",
        source=source,
        hint=f"it is {said}; {write}" if said else write,
    )
