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


def likelier_to_keep_mmr(content: Content, one: tuple[float, float, float], other: tuple[float, float, float]) -> bool:
    """Whether one patient who stopped a TKI is likelier than another to keep MMR, by the
    factors one retrospective report found predictive of it: longer TKI treatment, longer DMR
    on treatment, no blasts in the peripheral blood at diagnosis. Each patient is (years on a
    TKI, years in DMR, % blasts in the blood at diagnosis); `one` is at least as far on every
    factor as `other`, and further on one. The summary weighs no factor against another, so
    a patient better on one and worse on another is likelier than nobody."""
    for who in (one, other):
        non_negative("years_on_tki", who[0], "years")
        non_negative("years_in_dmr", who[1], "years")
        non_negative("blood_blasts_at_diagnosis_pct", who[2], "%")

    def favours(patient: tuple[float, float, float]) -> dict[str, float]:
        return {
            "longer-on-tki": patient[0],
            "longer-in-dmr": patient[1],
            "no-blood-blasts-at-diagnosis": float(patient[2] == 0),
        }

    named = content.management.tki_discontinuation.keeps_mmr_with
    pairs = [(favours(one)[name], favours(other)[name]) for name in named]
    return all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)
