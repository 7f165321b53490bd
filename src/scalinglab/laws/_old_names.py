"""Old names of the law presets, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``Preset.source``, now ``citation``: the paper, table or equation its numbers come from,
  as every law (``Law.citation``), curve law and hyperparameter preset
  (``HparamPreset.citation``) names it; ``source`` elsewhere names where runs came from.
  ``laws --json``'s presets and a preset's ``source`` block in ``predict --json`` and
  ``plan --json`` write ``"citation"`` (``"source"`` kept there one release).
- ``Preset.values``, now ``coefs``: the law's coefficients, as a fit's ``coefs`` and
  ``laws --json``'s presets (``"coefs"``) name them (``values`` is also a mapping's method).
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import deprecated

__all__ = ["PresetAliases"]


class PresetAliases:
    """A base of :class:`~scalinglab.laws.Preset` holding its deprecated names."""

    __slots__ = ()
    citation: str
    coefs: Mapping[str, float]

    @property
    @deprecated(
        "Preset.values is deprecated and goes in the next release: use Preset.coefs (the "
        "law's coefficients, as FitResult.coefs and laws --json name them)",
        category=DeprecationWarning,
    )
    def values(self) -> Mapping[str, float]:
        """Deprecated alias of ``coefs`` (one release)."""
        return self.coefs

    @property
    @deprecated(
        "Preset.source is deprecated and goes in the next release: use Preset.citation (the "
        "paper its numbers come from, as Law.citation and HparamPreset.citation name it; "
        "source names where runs came from)",
        category=DeprecationWarning,
    )
    def source(self) -> str:
        """Deprecated alias of ``citation`` (one release)."""
        return self.citation
