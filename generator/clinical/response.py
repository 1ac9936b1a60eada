"""Response and monitoring: the molecular response level, log reduction, EMR, the halving time,
what a finding on monitoring means, and how far serial results after a stable remission have gone."""

from __future__ import annotations

import math
import typing

from generator.clinical.arguments import choice, is_level, percent, positive
from generator.clinical.phases import phase
from generator.content import Content
from generator.models import ResponseCategory

RESPONSES: tuple[str, ...] = typing.get_args(ResponseCategory)


def molecular_response(content: Content, bcr_abl1_is_pct: float) -> str:
    """Deepest molecular response level met ("MR5" … "MMR"), or "none"."""
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    met = [r.id for r in content.responses.molecular_responses if level <= r.max_bcr_abl1_is_pct]
    return met[-1] if met else "none"


def log_reduction(bcr_abl1_is_pct: float) -> float:
    """Logs below the 100 % baseline: log10(100 / IS%); negative above the baseline."""
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct, above_zero=True)
    return math.log10(100 / level)


def undetectable_response(content: Content, assay_sensitivity_pct: float) -> str:
    """The level an undetectable result meets: it stands at or below its assay's sensitivity, so
    the sensitivity is read as the value; undetectable "is usually a BCR::ABL1 level of less than or
    equal to" MR5's cut, in an assay sensitive to it."""
    return molecular_response(content, assay_sensitivity_pct)


def undetectable_assay_sensitivities(content: Content) -> list[float]:
    """The assay sensitivities (% IS, two significant digits, as a laboratory reports them) at
    which a case gives an undetectable result: on a log scale from the cut of the level undetectable
    usually is (content's `undetectable_usually`) towards the next deeper cut, or, below the
    deepest level, a share of its log gap from the level above (patients.yml). Each meets that
    level and no deeper one."""
    levels = content.responses.molecular_responses
    index = [r.id for r in levels].index(content.responses.undetectable_usually)
    assays = content.patients.undetectable_assays
    cut = levels[index].max_bcr_abl1_is_pct
    if index + 1 < len(levels):
        deeper = levels[index + 1].max_bcr_abl1_is_pct
    else:
        above = levels[index - 1].max_bcr_abl1_is_pct if index else 100.0
        deeper = cut * (cut / above) ** assays.deepest_share_of_log_gap
    steps = {_two_digits(cut * (deeper / cut) ** (k / assays.steps)) for k in range(assays.steps)}
    return sorted(v for v in steps if deeper < v <= cut)


def _two_digits(value: float) -> float:
    return round(value, 1 - math.floor(math.log10(value)))


def early_molecular_response(content: Content, bcr_abl1_is_pct: float) -> bool:
    """EMR: BCR::ABL1, measured at the EMR time point of a TKI, at or below the EMR level."""
    level = is_level("bcr_abl1_is_pct", bcr_abl1_is_pct)
    return level <= content.responses.early_molecular_response.max_bcr_abl1_is_pct


def halving_time_days(first_pct: float, second_pct: float, days_between: float) -> float:
    """Days for BCR::ABL1 to halve, assuming exponential decline; inf when it does not fall."""
    first = is_level("first_pct", first_pct, above_zero=True)
    second = is_level("second_pct", second_pct, above_zero=True)
    days = positive("days_between", days_between, "days")
    if second >= first:
        return math.inf
    return days * math.log(2) / math.log(first / second)


def halving_time_favourable(content: Content, halving_days: float) -> bool:
    """Above the EMR level at its time point, patients still did well below this halving time."""
    days = positive("halving_days", halving_days, "days") if not math.isinf(halving_days) else math.inf
    return days < content.responses.halving_time.max_days


def step_at_three_months(
    content: Content, bcr_abl1_is_pct: float, *, tki: str, pleural_effusion: bool = False, dose_mg: float | None = None
) -> str:
    """What the EMR visit calls for, read from BCR::ABL1 at its time point: above the EMR level
    (whatever the halving time), a suboptimal response, and "In case of treatment failure or
    suboptimal response, patients should undergo BCR::ABL1 kinase domain mutation analysis" (the
    test content gives for failure); the TKI is not changed on that level ("Mandating a change of
    therapy based on this 10% transcript level at 3 to 6 months is problematic"). At or below it,
    EMR ("associated with the best prognosis"): "continue"; but on dasatinib above its low dose
    with a pleural effusion, "lower-dose" ("a dasatinib dose of 50 mg a day showed equal efficacy
    to 100 mg, but resulted in fewer pleural effusions")."""
    if not early_molecular_response(content, bcr_abl1_is_pct):
        return content.management.relapse.on_failure
    low = content.management.dasatinib.low_mg_daily
    if pleural_effusion and tki == "dasatinib" and dose_mg is not None and low < dose_mg:
        return "lower-dose"
    return "continue"


def relapse_status(content: Content, finding: str) -> str:
    """What a finding means: relapse, overt-failure, suggests-relapse or not-relapse."""
    findings = {f.id: f for f in content.management.relapse.findings}
    return findings[choice("finding", finding, tuple(findings))].counts_as


def step_at_a_year(content: Content, bcr_abl1_is_pct: float, *, hematologic_remission_lost: bool) -> str:
    """What the visit at a year calls for: on overt treatment failure (the hematologic remission
    lost), the test content gives for failure ("In case of treatment failure or suboptimal
    response, patients should undergo BCR::ABL1 kinase domain mutation analysis"); at the
    preferred target after 1 year (MMR) or deeper, with the counts in remission, "continue";
    short of it with the counts in remission, "uncertain": the summary does not say when a
    response is suboptimal."""
    level = molecular_response(content, bcr_abl1_is_pct)
    if hematologic_remission_lost and relapse_status(content, "lost-hematologic-remission") == "overt-failure":
        return content.management.relapse.on_failure
    ids = [r.id for r in content.responses.molecular_responses]
    if level != "none" and ids.index(level) >= ids.index(content.responses.targets.preferred_at_12_months):
        return "continue"
    return "uncertain"


def step_on_first_tki(content: Content, since_a_year: list[float], *, hematologic_remission_lost: bool) -> str:
    """What a visit on the first TKI from a year on calls for, read from BCR::ABL1 at each
    test since the one at 12 months (oldest first, the visit's own last): the test content
    gives for failure on overt failure ("Overt treatment failure is defined as a loss of
    hematologic remission") and on a level consistently rising past the preferred target ("A
    consistently rising quantitative RT-PCR BCR::ABL1 level suggests relapsed disease"): for
    both, "patients should undergo BCR::ABL1 kinase domain mutation analysis". At the target or
    deeper, "continue". A level short of the target and not rising is "uncertain": the summary
    makes MMR the preferred target after 1 year, names no failure or step for a level short of
    it, and says "75% of patients do well even with a suboptimal response" (S10-final-courses:
    the test keyed there was the site's reading). step_at_a_year keeps the bank's reading."""
    relapse = content.management.relapse
    if hematologic_remission_lost and relapse_status(content, "lost-hematologic-remission") == "overt-failure":
        return relapse.on_failure
    at_target = step_at_a_year(content, since_a_year[-1], hematologic_remission_lost=False) == "continue"
    rising = (
        consistently_rising(content, since_a_year) and relapse_status(content, "rising-rt-pcr") == "suggests-relapse"
    )
    if rising and not at_target:
        return relapse.on_failure
    return "continue" if at_target and not rising else "uncertain"


def consistently_rising(content: Content, bcr_abl1_series: list[float]) -> bool:
    """Whether serial BCR::ABL1 levels (oldest first) rose on each of the last tests
    content/management.yml counts as consistent: "A consistently rising quantitative RT-PCR
    BCR::ABL1 level suggests relapsed disease"."""
    levels = [is_level("bcr_abl1_series", v) for v in bcr_abl1_series]
    rises = content.management.relapse.consistently_rising_tests
    last = levels[-(rises + 1) :]
    return len(last) == rises + 1 and all(b > a for a, b in zip(last, last[1:]))


def relapse_stage(
    content: Content,
    bcr_abl1_series: list[float],
    *,
    fish_positive: bool,
    hematologic_remission_lost: bool,
    blood_blasts_pct: float,
    marrow_blasts_pct: float | None = None,
) -> str:
    """How far results after a stable remission have gone: what their furthest finding counts
    as (management.yml relapse.stages: "not-relapse" for a transcript detected by RT-PCR,
    which "does not constitute relapse on its own"; "suggests-relapse" for a consistently
    rising level; "relapse" for FISH positive again; "overt-failure" for lost hematologic
    remission or accelerated phase), or the blastic phase's id once the blasts reach it."""
    reached_phase = phase(content, percent("blood_blasts_pct", blood_blasts_pct), marrow_blasts_pct)
    phases = content.phases.phases
    if reached_phase == phases[-1].id:
        return reached_phase
    present = {
        "rt-pcr-detectable": True,
        "rising-rt-pcr": consistently_rising(content, bcr_abl1_series),
        "fish-positive": fish_positive,
        "lost-hematologic-remission": hematologic_remission_lost,
        "progression": reached_phase != phases[0].id,
    }
    reached = {relapse_status(content, finding) for finding, shown in present.items() if shown}
    return [stage for stage in content.management.relapse.stages if stage in reached][-1]
