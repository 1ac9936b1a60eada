"""Treatment choice: the options for a phase (with T315I, after ponatinib, with lymphoid blasts),
the therapies whose trials excluded a condition, and those the T315I variant makes resistant."""

from __future__ import annotations

import typing

from generator.clinical.arguments import choice
from generator.content import Content
from generator.models import Setting

SETTINGS: tuple[str, ...] = typing.get_args(Setting)
PONATINIB, ALLOGENEIC_SCT = "ponatinib", "allogeneic-sct"  # therapy ids in content/therapies.yml


def treatment_options(
    content: Content, phase: str, *, t315i: bool = False, ponatinib_failed: bool = False, lymphoid: bool = False
) -> list[str]:
    """Therapy ids the summary gives for a phase (or "relapsed"): Table 1's, in its order,
    then the alternatives the setting's section reports as studied, and with lymphoid
    blasts, the therapy given for Ph chromosome-positive ALL.

    t315i drops the TKIs the variant makes resistant and adds those the section gives for
    the variant. ponatinib_failed drops ponatinib; with T315I too, allogeneic SCT comes
    first: the summary's preferred choice there."""
    choice("phase", phase, SETTINGS)
    entry = next(s for s in content.options.settings if s.setting == phase)
    options = [t for option in entry.options for t in option.therapies] + entry.also_studied
    if lymphoid:
        options += entry.lymphoid_therapies
    if t315i:
        options = [t for t in options if content.therapies[t].t315i != "resistant"] + entry.t315i_therapies
    if ponatinib_failed:
        options = [t for t in options if t != PONATINIB]
        if t315i:
            options = [ALLOGENEIC_SCT] + [t for t in options if t != ALLOGENEIC_SCT]
    return list(dict.fromkeys(options))


def excluded_from_trials(content: Content, condition: str) -> list[str]:
    """Therapy ids whose trials, by the summary, excluded patients with the condition."""
    return [t.id for t in content.therapies.values() if condition in t.excluded_from_trials]


def t315i_resistant(content: Content) -> list[str]:
    """Therapy ids that the T315I variant makes resistant."""
    return [t.id for t in content.therapies.values() if t.t315i == "resistant"]


TKI = "tki"  # any of the setting's TKIs, as the sections' approaches name them


def induction_and_transplant(content: Content, phase: str, *, lymphoid: bool = False) -> tuple[str, str]:
    """The approach the section gives for a phase at presentation: what induces a response (a
    TKI, or with lymphoid blasts the therapy given for Ph chromosome-positive ALL), and when
    allogeneic SCT follows ("for-poor-response" in accelerated phase, "when-feasible" in
    blastic phase). A phase whose section gives no such sequence, or lymphoid blasts outside
    blastic phase (which the summary does not address), is a ValueError."""
    choice("phase", phase, SETTINGS)
    entry = next(s for s in content.options.settings if s.setting == phase)
    if entry.transplant_after_induction is None:
        raise ValueError(f"phase: the summary gives no induction-then-transplant approach for '{phase}'")
    if lymphoid and not entry.lymphoid_therapies:
        raise ValueError(f"lymphoid: the summary gives no therapy for lymphoid blasts in '{phase}'")
    induction = entry.lymphoid_therapies[0] if lymphoid else TKI
    return induction, entry.transplant_after_induction
