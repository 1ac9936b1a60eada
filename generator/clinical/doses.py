"""Doses: hydroxyurea's start and adjustment by the white count, and the dose of ponatinib that
the summary's studies support."""

from __future__ import annotations

from generator.clinical.arguments import is_level, non_negative, positive
from generator.content import Content


def hydroxyurea_start_dose_mg(content: Content, weight_kg: float) -> float:
    """The usual starting daily dose for a patient's weight."""
    weight = positive("weight_kg", weight_kg, "kg")
    return content.management.hydroxyurea.start_mg_per_kg_day * weight


def hydroxyurea_adjustment(content: Content, wbc_10e9_per_l: float) -> str:
    """ "full-dose" until the WBC falls below the reduction level; then "titrate" within the
    target range; "below-target" under it."""
    wbc = non_negative("wbc_10e9_per_l", wbc_10e9_per_l, "x 10^9/L")
    dosing = content.management.hydroxyurea
    if wbc >= dosing.reduce_below_wbc_10e9_per_l:
        return "full-dose"
    return "titrate" if wbc >= dosing.target_wbc_10e9_per_l.low else "below-target"


def ponatinib_dose_mg(content: Content, bcr_abl1_is_pct: float | None = None) -> float:
    """Start dose (at the start, None, and until the response is reached), then the lower dose."""
    dosing = content.management.ponatinib
    if bcr_abl1_is_pct is None:
        return dosing.start_mg_daily
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    return dosing.reduced_mg_daily if level <= dosing.response_bcr_abl1_is_pct else dosing.start_mg_daily


def dasatinib_dose_mg(content: Content, pleural_effusion: bool = False) -> float:
    """The standard daily dose of dasatinib ("the standard dose of 100 mg daily"); with a pleural
    effusion on it, the low dose: "In retrospective comparative analyses, a dasatinib dose of 50 mg
    a day showed equal efficacy to 100 mg, but resulted in fewer pleural effusions (5% vs. 21%)." """
    dosing = content.management.dasatinib
    return dosing.low_mg_daily if pleural_effusion else dosing.standard_mg_daily
