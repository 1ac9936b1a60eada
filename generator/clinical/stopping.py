"""Stopping a TKI: who may consider it, and how often patients relapse after stopping."""

from __future__ import annotations

from generator.clinical.arguments import is_level, non_negative
from generator.content import Content


def tki_discontinuation(content: Content, years_on_tki: float, bcr_abl1_is_pct: float) -> str:
    """Who may consider stopping: "best-candidate" (in a deep enough DMR, on a TKI past the
    upper end of the summary's range of years), "not-candidate" (not that deep, or not past
    its lower end), or "uncertain" (deep enough, with years inside the range, which the
    summary leaves open)."""
    years = non_negative("years_on_tki", years_on_tki, "years")
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    stop = content.management.tki_discontinuation
    if level > content.response(stop.depth).max_bcr_abl1_is_pct or years <= stop.min_years_on_tki:
        return "not-candidate"
    return "best-candidate" if years > stop.upper_years_on_tki else "uncertain"


def tki_discontinuation_candidate(content: Content, years_on_tki: float, bcr_abl1_is_pct: float) -> bool:
    """Clearly among the best candidates to consider stopping (tki_discontinuation)."""
    return tki_discontinuation(content, years_on_tki, bcr_abl1_is_pct) == "best-candidate"


def relapse_after_stopping_pct(content: Content, years_in_dmr: float | None = None) -> float | None:
    """The share who relapse after stopping, where the summary gives one: of all patients
    who stop (years_in_dmr None), or of those in DMR for its long-DMR years or more. For a
    shorter DMR it gives none (its overall figure is not one for that group, and it draws no
    line between them): None."""
    stop = content.management.tki_discontinuation
    if years_in_dmr is None:
        return stop.relapse_after_stopping_pct
    years = non_negative("years_in_dmr", years_in_dmr, "years")
    return stop.long_dmr_relapse_pct if years >= stop.long_dmr_years else None
