"""Transplant: when allogeneic SCT is preferred or worth considering early, where it did better
than imatinib, the first approach in accelerated and blastic phase, and who is likelier to
relapse after it."""

from __future__ import annotations

from generator.clinical.arguments import choice, non_negative
from generator.clinical.treatment import SETTINGS
from generator.content import Content


def transplant_preferred(
    content: Content,
    *,
    blastic_presentation: bool = False,
    t315i_ponatinib_resistant: bool = False,
    intolerant_of_all: bool = False,
) -> bool:
    """Allogeneic SCT is the preferred choice in the situations the summary names."""
    given = {
        "blastic-presentation": blastic_presentation,
        "t315i-ponatinib-resistant": t315i_ponatinib_resistant,
        "intolerant-of-all": intolerant_of_all,
    }
    return any(given.get(i.id, False) for i in content.management.transplant.preferred_for)


def early_transplant_candidate(content: Content, age: float, *, twin_or_matched_sibling: bool) -> bool:
    """Younger patients with an identical twin or HLA-matched sibling can consider early BMT."""
    years = non_negative("age", age, "years")
    return twin_or_matched_sibling and years < content.management.transplant.consider_early_below_age


def transplant_better_than_imatinib(content: Content, phase: str, sokal_risk: str) -> bool:
    """First-line allogeneic SCT gave better survival than imatinib for this phase and
    Sokal risk group, in a study the summary reports."""
    choice("phase", phase, SETTINGS)
    choice("sokal_risk", sokal_risk, tuple(group.risk for group in content.scores.sokal.groups))
    return any(
        (entry.phase, entry.sokal_risk) == (phase, sokal_risk)
        for entry in content.management.transplant.better_than_imatinib
    )


def accelerated_phase_approach(content: Content, sokal_risk: str) -> str:
    """The first approach in accelerated phase: "sct-first" where a study found first-line
    transplant better than imatinib for the Sokal group, else the summary's standard
    approach, "tki-then-sct" (induce remission with a TKI; transplant for poor responses)."""
    if transplant_better_than_imatinib(content, "accelerated", sokal_risk):
        return "sct-first"
    return content.management.transplant.accelerated_approach


def advanced_phase_approach(content: Content, phase: str, *, lymphoid: bool = False, sokal_risk: str = "low") -> str:
    """The first approach in accelerated or blastic phase: in accelerated phase,
    accelerated_phase_approach; in blastic phase, the therapy given for Ph
    chromosome-positive ALL when the blasts are lymphoid, else a TKI and then allogeneic
    SCT when feasible ("tki-then-sct-when-feasible")."""
    choice("phase", phase, ("accelerated", "blastic"))
    if phase == "accelerated":
        return accelerated_phase_approach(content, sokal_risk)
    if lymphoid:
        entry = next(s for s in content.options.settings if s.setting == "blastic")
        return entry.lymphoid_therapies[0]
    return content.management.transplant.blastic_approach


def lower_relapse_after_transplant(content: Content, one: tuple[bool, bool], other: tuple[bool, bool]) -> bool:
    """Whether one transplant recipient's risk of relapse is lower than another's by the
    factors the summary names: each recipient is (transplanted early in the disease, developed
    chronic GVHD); `one` has at least every factor `other` has, and one more."""
    names = ("early-in-disease", "chronic-gvhd")
    lower_with = content.management.transplant.lower_relapse_with
    factors = [(a, b) for name, a, b in zip(names, one, other) if name in lower_with]
    return all(a >= b for a, b in factors) and any(a > b for a, b in factors)
