"""Stopping a TKI: who may consider it, who is likelier to keep MMR, how to follow up, how often
and how to treat a relapse, and what pain or a detected transcript after stopping means."""

from __future__ import annotations

from generator.clinical.arguments import is_level, non_negative, percent, positive
from generator.clinical.response import molecular_response
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


def follow_up_after_stopping(
    content: Content, test: str, every_months: float, until_years: float | None = None
) -> bool:
    """Whether a plan of monitoring after stopping a TKI does what the summary requires: its
    test, at least as often as its interval at first, and not ending before the latest
    relapses it reports (until_years None: no end set)."""
    months = positive("every_months", every_months, "months")
    follow = content.management.tki_discontinuation.follow_up
    long_enough = until_years is None or positive("until_years", until_years, "years") > (
        follow.relapses_seen_after_years.high
    )
    return test == follow.test and months <= follow.every_months and long_enough


def keeps_mmr_better(content: Content, one: tuple[float, float, float], other: tuple[float, float, float]) -> bool:
    """Whether a patient who stops a TKI is likelier to keep MMR than another, by the factors
    the summary names: each patient is (years on a TKI, years in DMR on it, blood blasts %
    at diagnosis); `one` is at least as good on every factor and better on one."""
    names = ("years-on-tki", "years-in-dmr", "no-blood-blasts-at-diagnosis")
    for patient in (one, other):
        non_negative("years_on_tki", patient[0], "years")
        non_negative("years_in_dmr", patient[1], "years")
        percent("blood_blasts_pct", patient[2])
    # Higher is better for the years; for blasts, none at all beats any.
    scores = [(a, b) for a, b in zip((one[0], one[1], one[2] == 0), (other[0], other[1], other[2] == 0))]
    factors = [
        score for name, score in zip(names, scores) if name in content.management.tki_discontinuation.keeps_mmr_factors
    ]
    return all(a >= b for a, b in factors) and any(a > b for a, b in factors)


def after_stopping_relapse_step(content: Content) -> str:
    """What re-induces nearly everyone who relapses by RT-PCR after stopping: "previous-tki"."""
    return content.management.tki_discontinuation.reinduce_with


def pain_after_stopping(content: Content, bcr_abl1_is_pct: float, blood_blasts_pct: float) -> str:
    """Muscle and joint pain after stopping a TKI: "withdrawal" while the molecular
    response holds (MMR or deeper) and the blood has no blasts; otherwise "relapse", to be
    worked up as such."""
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    blasts = percent("blood_blasts_pct", blood_blasts_pct)
    holding = molecular_response(content, level) != "none" and blasts == 0
    return "withdrawal" if holding else "relapse"


def after_stopping(content: Content, bcr_abl1_is_pct: float, *, pain: bool) -> str:
    """What the latest BCR::ABL1 after stopping a TKI means: "relapse" when it has lost MMR
    (to be reinduced with the previous TKI); else, with
    muscle and joint pain, "withdrawal" (the response holds: pain_after_stopping); else
    "not-relapse" (a transcript detected in a prolonged remission is not relapse on its own)."""
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    if molecular_response(content, level) == "none":
        return "relapse"
    if pain:
        return pain_after_stopping(content, level, 0)
    return "not-relapse"
