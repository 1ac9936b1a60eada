"""Phase and diagnosis: the phase from blasts, blast crisis, when to examine the marrow, what
predicts a shorter chronic phase, and the likely course of a Ph chromosome-negative patient."""

from __future__ import annotations

from generator.clinical.arguments import choice, percent
from generator.content import Content


def phase(
    content: Content,
    blood_blasts_pct: float,
    marrow_blasts_pct: float | None = None,
    *,
    blood_promyelocytes_pct: float = 0,
    marrow_promyelocytes_pct: float = 0,
) -> str | None:
    """Phase id ("chronic", "accelerated", "blastic") from blasts; the higher value decides.

    Accelerated and blastic phase are blasts "in either the peripheral blood or bone marrow";
    chronic phase is blasts *and promyelocytes* below the accelerated cut point "in the
    peripheral blood and bone marrow", each counted within its own compartment. Blasts below
    that cut with blasts and promyelocytes of one compartment together at or above it meet
    neither definition: None, a case the summary leaves open (never drawn as if it were clear)."""
    counts = [(percent("blood_blasts_pct", blood_blasts_pct), blood_promyelocytes_pct, "blood")]
    if marrow_blasts_pct is not None:
        counts.append((percent("marrow_blasts_pct", marrow_blasts_pct), marrow_promyelocytes_pct, "marrow"))
    blasts = max(b for b, _, _ in counts)
    phases = content.phases.phases
    reached = [p.id for p in phases if (p.min_blasts_pct or 0) <= blasts]
    if reached[-1] == phases[0].id and any(
        b + percent(f"{where}_promyelocytes_pct", pro) >= phases[1].min_blasts_pct for b, pro, where in counts
    ):
        return None
    return reached[-1]


def blast_crisis(content: Content, phase: str, signs: list[str]) -> bool:
    """Blastic phase with every blast-crisis sign content/phases.yml lists."""
    choice("phase", phase, tuple(p.id for p in content.phases.phases))
    return phase == content.phases.phases[-1].id and all(sign in signs for sign in content.phases.blast_crisis_signs)


def marrow_examination(
    content: Content,
    peripheral_blasts_pct: float,
    *,
    fever: bool = False,
    malaise: bool = False,
    enlarged_spleen: bool = False,
    rapidly_enlarging_spleen: bool = False,
) -> str:
    """Bone marrow testing, by the summary's two statements: "indicated" when both call for
    it, "not-indicated" when neither does, "statements-differ" otherwise (most patients
    need none). Histopathology and Phases asks for fever, malaise, a rapidly enlarging
    spleen and circulating blasts above its level, all together; General Information for
    "clinical signs of accelerated phase or blast crisis": any of fever, an enlarged spleen,
    peripheral blasts above its higher level, or blood blasts that are themselves accelerated
    phase (its cut point in content/phases.yml), so 10 % blood blasts is never "not-indicated"."""
    blasts = percent("peripheral_blasts_pct", peripheral_blasts_pct)
    marrow = content.management.marrow_examination
    accelerated = blasts >= content.phases.phases[1].min_blasts_pct
    histopathology = fever and malaise and rapidly_enlarging_spleen and blasts > marrow.circulating_blasts_over_pct
    general = fever or enlarged_spleen or rapidly_enlarging_spleen or accelerated
    general = general or blasts > marrow.peripheral_blasts_over_pct
    if histopathology and general:
        return "indicated"
    return "statements-differ" if histopathology or general else "not-indicated"


def ph_negative_course(content: Content, *, rearranged: bool | None) -> str:
    """A Ph chromosome-negative patient's likely course: "like-ph-positive" when a BCR::ABL1
    rearrangement is found (by RT-PCR or Southern blot), "like-cmml" when RT-PCR finds none, and
    Ph-negative CML's as a whole ("poorer") while no test has looked (rearranged None)."""
    found = "untested" if rearranged is None else "rearranged" if rearranged else "not-rearranged"
    return content.management.diagnosis.ph_negative_course[found]
