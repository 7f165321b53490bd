"""The ``source`` block of every prediction's and plan's JSON: :mod:`scalinglab._sources`,
where a result's ``to_dict`` (:class:`scalinglab.plan.Frontier`) writes it too."""

from scalinglab._sources import source_dict

__all__ = ["source_dict"]
