"""Scaling-law forms, published presets, and the safe formula parser."""

from scalinglab.laws._base import DEFAULT_COLUMNS, Law, Param
from scalinglab.laws._bnsl import BrokenPowerLaw
from scalinglab.laws._catalog import KaplanN, PowerLaw, PowerLawPlusConstant
from scalinglab.laws._catalog_nd import Chinchilla, KaplanND, OverTraining
from scalinglab.laws._formula import FormulaLaw
from scalinglab.laws._parser import parse_formula
from scalinglab.laws._presets import PRESETS, Conventions, Preset, get_preset
from scalinglab.laws._registry import LAW_NAMES, catalog, get_law
from scalinglab.laws._trained import TrainedTokens

__all__ = [
    "DEFAULT_COLUMNS",
    "LAW_NAMES",
    "PRESETS",
    "BrokenPowerLaw",
    "Chinchilla",
    "Conventions",
    "FormulaLaw",
    "KaplanN",
    "KaplanND",
    "Law",
    "OverTraining",
    "Param",
    "PowerLaw",
    "PowerLawPlusConstant",
    "Preset",
    "TrainedTokens",
    "catalog",
    "get_law",
    "get_preset",
    "parse_formula",
]
