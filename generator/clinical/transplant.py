"""Transplant: when allogeneic SCT is preferred or worth considering early, and who is likelier
to relapse after it."""

from __future__ import annotations

from generator.clinical.arguments import non_negative
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


def lower_relapse_after_transplant(content: Content, one: tuple[int, bool], other: tuple[int, bool]) -> bool:
    """Whether one transplant recipient's risk of relapse is lower than another's by the
    factors the summary names: each recipient is (how early in the disease transplanted, developed
    chronic GVHD), earliness a yes/no or a rank (higher is earlier: outcomes in the accelerated
    and blastic phases are "progressively worse"); `one` is at least as far on every factor as
    `other`, and further on one."""
    names = ("early-in-disease", "chronic-gvhd")
    lower_with = content.management.transplant.lower_relapse_with
    factors = [(a, b) for name, a, b in zip(names, one, other) if name in lower_with]
    return all(a >= b for a, b in factors) and any(a > b for a, b in factors)
