"""Typed models of content/: the schema every YAML file is validated against, once, at load.

Cross-file references are declared with RefTo(kind) on the field; models that own an id
declare id_kind. content.py checks both for every file, so code behind it trusts the models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.yamlfile import Loc


@dataclass(frozen=True)
class RefTo:
    """Marks a string field as the id of another model of this kind."""

    kind: str


Percent = Annotated[float, Field(ge=0, le=100)]
# A reported figure (a study's result) keeps the digits the summary gives: 66.0 stays 66.0.
FigurePercent = Annotated[Decimal, Field(ge=0, le=100)]
PositivePercent = Annotated[float, Field(gt=0, le=100)]
Text = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]  # an id that is also part of a URL
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
ReferenceId = Annotated[str, RefTo("reference")]
ResponseId = Annotated[str, RefTo("response")]

Check = Iterator[tuple[Loc, str]]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id_kind: ClassVar[str | None] = None
    id_field: ClassVar[str] = "id"

    def check(self) -> Check:
        """Rules a schema cannot express; yields (location, message)."""
        return iter(())


# --- source.yml ---------------------------------------------------------------


class Source(Model):
    title: Text
    short_title: Text
    publisher: Text
    board: Text
    updated: Annotated[str, Field(pattern=r"^\d{2}/\d{2}/\d{4}$")]
    url: Url
    pmid: Annotated[str, Field(pattern=r"^\d+$")]
    levels_of_evidence_url: Url
    disclaimer: Text


# --- references.yml -----------------------------------------------------------


class Reference(Model):
    id_kind: ClassVar[str | None] = "reference"
    id: Text
    authors: str | None = None
    title: Text
    journal: str | None = None
    publisher: str | None = None
    volume: str | None = None
    pages: str | None = None
    year: Annotated[int, Field(ge=1900, le=2100)]
    accessed: str | None = None


class ReferencesFile(Model):
    references: list[Reference]


# --- sections/*.yml -------------------------------------------------------------


FigureId = Literal["blast-scale", "response-ladder", "first-line-mmr", "options-map"]


class Block(Model):
    """One piece of a section: prose, a list, a study, a figure or a setting's options."""

    text: str | None = None
    items: list[Text] | None = None
    study: Annotated[str, RefTo("study")] | None = None
    figure: FigureId | None = None
    options: Literal["chronic", "accelerated", "blastic", "relapsed"] | None = None
    kind: Literal["note", "warning"] | None = None
    cites: list[ReferenceId] = []
    evidence: Annotated[str, RefTo("evidence")] | None = None
    studies: list[Annotated[str, RefTo("study")]] = []

    def check(self) -> Check:
        given = [name for name in ("text", "items", "study", "figure", "options") if getattr(self, name) is not None]
        if len(given) != 1:
            kinds = ", ".join(given) or "none"
            yield (), f"a block holds exactly one of text, items, study, figure or options, but this one has {kinds}"


class Subsection(Model):
    id: Slug
    title: Text
    blocks: list[Block]


class Section(Model):
    id_kind: ClassVar[str | None] = "section"
    id: Slug
    title: Text
    nav_title: Text
    order: Annotated[int, Field(ge=1)]
    summary: Text
    intro: list[Block] = []
    subsections: list[Subsection]
    references: list[ReferenceId]

    def blocks(self):
        """(location, block) of every block, intro first."""
        for index, block in enumerate(self.intro):
            yield ("intro", index), block
        for s, subsection in enumerate(self.subsections):
            for b, block in enumerate(subsection.blocks):
                yield ("subsections", s, "blocks", b), block

    def check(self) -> Check:
        seen: dict[str, int] = {}
        for index, ref in enumerate(self.references):
            if ref in seen:
                yield ("references", index), f"'{ref}' is already cited as number {seen[ref] + 1}"
            seen.setdefault(ref, index)
        for loc, block in self.blocks():
            for index, ref in enumerate(block.cites):
                if ref not in seen:
                    yield loc + ("cites", index), f"'{ref}' is not in this section's references list"
        ids = [s.id for s in self.subsections]
        for index, sub_id in enumerate(ids):
            if ids.index(sub_id) != index:
                yield ("subsections", index, "id"), f"duplicate subsection id '{sub_id}'"


# --- phases.yml -----------------------------------------------------------------


class Phase(Model):
    id_kind: ClassVar[str | None] = "phase"
    id: Text
    name: Text
    min_blasts_pct: PositivePercent | None = None
    summary: Text
    refs: list[ReferenceId] = []


class Cited(Model):
    text: Text
    refs: list[ReferenceId] = []


class TransitionSigns(Model):
    accelerated: list[Text]
    blast_crisis: list[Text]


class RateRange(Model):
    low: Percent
    high: Percent


class Progression(Model):
    first_years: Annotated[int, Field(ge=1)]
    early_rate_pct: RateRange
    later_rate_pct: Percent
    refs: list[ReferenceId] = []


PHASE_IDS = ("chronic", "accelerated", "blastic")


class PhasesFile(Model):
    phases: list[Phase]
    blast_crisis_signs: Annotated[list[Text], Field(min_length=1)]
    transition_pace: Text
    transition_signs: TransitionSigns
    shorter_chronic_phase_factors: list[Cited]
    # What marrow and blood show in CML generally (Histopathology): features of the disease
    # itself, not predictors of its course.
    typical_findings: list[Text] = []
    # General Information (Clinical Presentation): the symptoms patients may present with.
    presenting_symptoms: list[Text] = []
    progression: Progression

    def check(self) -> Check:
        ids = tuple(p.id for p in self.phases)
        if ids != PHASE_IDS:
            yield (
                ("phases",),
                f"expected the phases {', '.join(PHASE_IDS)} in that order, but received {', '.join(ids)}",
            )
            return
        if self.phases[0].min_blasts_pct is not None:
            yield ("phases", 0, "min_blasts_pct"), "the first phase starts at 0 %; leave min_blasts_pct out"
        previous = 0.0
        for index, phase in enumerate(self.phases[1:], start=1):
            if phase.min_blasts_pct is None:
                yield ("phases", index, "min_blasts_pct"), "required for every phase after the first"
            elif phase.min_blasts_pct <= previous:
                yield (
                    ("phases", index, "min_blasts_pct"),
                    f"expected a value above the previous phase's {previous:g}, but received {phase.min_blasts_pct:g}",
                )
            else:
                previous = phase.min_blasts_pct


# --- responses.yml -----------------------------------------------------------------


class MolecularResponse(Model):
    id_kind: ClassVar[str | None] = "response"
    id: Text
    name: Text
    max_bcr_abl1_is_pct: PositivePercent
    log_reduction: Annotated[float, Field(gt=0)]
    note: Text


class EarlyMolecularResponse(Model):
    max_bcr_abl1_is_pct: PositivePercent
    at_months: Annotated[int, Field(ge=1)]
    note: Text
    refs: list[ReferenceId] = []


class HalvingTime(Model):
    max_days: Annotated[float, Field(gt=0)]
    refs: list[ReferenceId] = []


class Targets(Model):
    preferred_at_12_months: ResponseId
    optimal: ResponseId


class Milestone(Model):
    label: Text
    text: Text
    refs: list[ReferenceId] = []


class ResponsesFile(Model):
    milestones: list[Milestone]
    molecular_responses: list[MolecularResponse]
    deep_molecular_response: ResponseId
    # The level an undetectable result usually is, in an assay sensitive to it.
    undetectable_usually: ResponseId
    early_molecular_response: EarlyMolecularResponse
    halving_time: HalvingTime
    targets: Targets

    def check(self) -> Check:
        levels = self.molecular_responses
        for index in range(1, len(levels)):
            shallower, deeper = levels[index - 1], levels[index]
            if deeper.max_bcr_abl1_is_pct >= shallower.max_bcr_abl1_is_pct:
                yield (
                    ("molecular_responses", index, "max_bcr_abl1_is_pct"),
                    f"levels run shallow to deep: expected a value below {shallower.id}'s "
                    f"{shallower.max_bcr_abl1_is_pct:g}, but received {deeper.max_bcr_abl1_is_pct:g}",
                )
            if deeper.log_reduction <= shallower.log_reduction:
                yield (
                    ("molecular_responses", index, "log_reduction"),
                    f"expected a log reduction above {shallower.id}'s {shallower.log_reduction:g}, "
                    f"but received {deeper.log_reduction:g}",
                )
        if levels and self.early_molecular_response.max_bcr_abl1_is_pct <= levels[0].max_bcr_abl1_is_pct:
            yield (
                ("early_molecular_response", "max_bcr_abl1_is_pct"),
                f"expected a level above {levels[0].id}'s {levels[0].max_bcr_abl1_is_pct:g}",
            )


# --- glossary.yml ------------------------------------------------------------------


class Term(Model):
    id_kind: ClassVar[str | None] = "term"
    id_field: ClassVar[str] = "abbr"
    abbr: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9.:-]*$")]
    expansion: Text

    @field_validator("expansion")
    @classmethod
    def _one_line(cls, value: str) -> str:
        """An expansion is written after '*[ABBR]:' on every page: a second line would be a
        block of Markdown on every page."""
        if "\n" in value.strip() or "\r" in value:
            raise ValueError("an expansion is one line (it is appended to every page as '*[ABBR]: expansion')")
        return value


class GlossaryFile(Model):
    terms: list[Term]


# --- evidence.yml -------------------------------------------------------------------


EvidenceCode = Annotated[str, RefTo("evidence")]
SectionId = Annotated[str, RefTo("section")]
TherapyId = Annotated[str, RefTo("therapy")]
StudyId = Annotated[str, RefTo("study")]
Setting = Literal["chronic", "accelerated", "blastic", "relapsed"]


class EvidenceLevel(Model):
    id_kind: ClassVar[str | None] = "evidence"
    id_field: ClassVar[str] = "code"
    code: Annotated[str, Field(pattern=r"^[A-D][1-4]$")]


class EvidenceFile(Model):
    levels: list[EvidenceLevel]


# --- therapies.yml ---------------------------------------------------------------------


class Therapy(Model):
    id_kind: ClassVar[str | None] = "therapy"
    id: Slug
    name: Text
    kind: Literal["tki", "transplant", "chemotherapy", "other"]
    mechanism: Text
    settings: list[Setting]
    doses: list[Text]
    toxicities: list[Text]
    t315i: Literal["resistant", "active", "studied", "not-stated"]
    t315i_note: str | None = None
    # Conditions whose patients, the summary says, were excluded from the therapy's trials.
    excluded_from_trials: list[Text] = []
    cost: str | None = None
    generic: str | None = None
    refs: list[ReferenceId]


class TherapiesFile(Model):
    therapies: list[Therapy]


# --- options.yml ------------------------------------------------------------------------


class Option(Model):
    label: Text
    therapies: list[TherapyId]


class SettingOptions(Model):
    setting: Setting
    name: Text
    section: SectionId
    options: list[Option]
    # Beyond Table 1, what the setting's section says: therapies for patients with the T315I
    # variant, and alternatives it reports as studied.
    t315i_therapies: list[TherapyId] = []
    also_studied: list[TherapyId] = []
    # Given for lymphoid blastic phase, as for Ph chromosome-positive ALL.
    lymphoid_therapies: list[TherapyId] = []
    # Where the section sets allogeneic SCT after an induction with a TKI: for a poor response
    # (accelerated phase's standard approach) or when feasible, once there is a response
    # (blastic phase). None where the section gives no such sequence.
    transplant_after_induction: Literal["for-poor-response", "when-feasible"] | None = None


class OptionsFile(Model):
    settings: list[SettingOptions]

    def check(self) -> Check:
        seen: set[str] = set()
        for index, entry in enumerate(self.settings):
            if entry.setting in seen:
                yield ("settings", index, "setting"), f"'{entry.setting}' is listed twice"
            seen.add(entry.setting)


# --- studies.yml ------------------------------------------------------------------------


Design = Literal[
    "randomized",
    "prospective",
    "nonrandomized",
    "phase-1",
    "phase-1-2",
    "phase-2",
    "cohort",
    "retrospective",
    "pooled",
    "comparison",
]
# How the site names each design (the studies explorer, the trial questions).
DESIGN_NAMES = {
    "randomized": "Randomized trial",
    "prospective": "Prospective trial",
    "nonrandomized": "Nonrandomized reports",
    "phase-1": "Phase I trial",
    "phase-1-2": "Phase I/II trial",
    "phase-2": "Phase II trial",
    "cohort": "Cohort study",
    "retrospective": "Retrospective review",
    "pooled": "Several trials pooled",
    # A comparison whose design the summary's text does not state (only a cited title does).
    "comparison": "Comparative study",
}
# What the summary says of a comparison between arms: a significant difference, none (not
# statistically significant, "no difference", "comparable", "equivalent"), or nothing either way.
Significance = Literal["significant", "not-significant", "not-stated"]
Measure = Literal[
    "mmr", "dmr", "os", "survival", "response", "progression", "relapse", "adverse-events", "discontinuation", "other"
]


class Arm(Model):
    name: Text
    n: Annotated[int, Field(ge=1)] | None = None
    therapies: list[TherapyId] = []


# A 95% confidence interval as the summary writes one: two numbers, a dash or "to" between.
CI_RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)%?\s*(?:–|−|-|to)\s*(-?\d+(?:\.\d+)?)%?$")
ConfidenceInterval = Annotated[str, Field(pattern=CI_RANGE.pattern)]


class Result(Model):
    arm: Text
    combined: bool = False  # a result for several arms taken together
    pct: FigurePercent | None = None
    # One figure for each of several arms, where the summary does not say which is which
    # (ENESTnd: "71% and 67% for patients who received two-dose schedules of nilotinib"): the
    # arm is the group they form, never pooled, and no figure is given to one of its arms.
    pcts: list[FigurePercent] = []
    value: str | None = None
    count: Annotated[int, Field(ge=0)] | None = None
    ci: ConfidenceInterval | None = None
    p: str | None = None
    # Why a figure the summary gives does not fit the study's own numbers (a count that is not
    # its percentage of the arm); the figure is kept as the summary gives it, with this note.
    doubt: str | None = None

    def check(self) -> Check:
        if (self.pct is not None) + (self.value is not None) + bool(self.pcts) != 1:
            yield (), "give exactly one of pct (a percentage), pcts (one for each of several arms) or value (text)"


class Endpoint(Model):
    name: Text
    measure: Measure
    results: list[Result] = []
    difference_pct: Annotated[Decimal, Field(ge=-100, le=100)] | None = None
    hr: Annotated[Decimal, Field(gt=0)] | None = None
    # Why the summary's "HR" may not be a hazard ratio; such a ratio is shown as the summary
    # gives it but never asked as a hazard ratio in a quiz.
    hr_doubt: str | None = None
    ci: ConfidenceInterval | None = None
    p: str | None = None
    finding: str | None = None
    favours: str | None = None  # the arm that did better, where the summary says so in words
    # Required in a study with arms: what the summary says of the difference, and (unless it
    # says nothing) the two groups it compares, the one that did better first when significant.
    significance: Significance | None = None
    compared: list[Text] = []

    def ci_bounds(self) -> tuple[float, float] | None:
        """The confidence interval as two numbers ("1.08–2.28", "-5.1 to 21.5")."""
        match = CI_RANGE.match(self.ci or "")
        return (float(match.group(1)), float(match.group(2))) if match else None

    def check(self) -> Check:
        if not self.results and not self.finding and self.hr is None:
            yield (), "an endpoint needs results, a hazard ratio or a finding"


class Study(Model):
    id_kind: ClassVar[str | None] = "study"
    id: Slug
    title: Text
    name: str | None = None
    registry: Annotated[str, Field(pattern=r"^NCT\d{8}$")] | None = None
    design: Design
    section: SectionId
    settings: list[Setting]
    setting: Text
    first_line: bool = False
    therapies: list[TherapyId] = []
    n: Annotated[int, Field(ge=1)] | None = None
    follow_up: str | None = None
    arms: list[Arm] = []
    endpoints: Annotated[list[Endpoint], Field(min_length=1)]
    level: EvidenceCode | None = None
    refs: Annotated[list[ReferenceId], Field(min_length=1)]

    def check(self) -> Check:
        arm_names = {arm.name for arm in self.arms}
        for e, endpoint in enumerate(self.endpoints):
            for r, result in enumerate(endpoint.results):
                if len(self.arms) > 1 and result.arm not in arm_names and not (result.combined or result.pcts):
                    yield (
                        ("endpoints", e, "results", r, "arm"),
                        f"expected one of the study's arms ({', '.join(sorted(arm_names))}), "
                        f"but received {result.arm!r}",
                    )
            # A group another endpoint's results name (ENESTnd's nilotinib at either dose) may be
            # compared too.
            groups = arm_names | {r.arm for other in self.endpoints for r in other.results}
            yield from _significance_problems(e, endpoint, groups, len(self.arms))
            if endpoint.favours is not None and endpoint.favours not in arm_names:
                yield (
                    ("endpoints", e, "favours"),
                    f"expected one of the study's arms ({', '.join(sorted(arm_names))}), "
                    f"but received {endpoint.favours!r}",
                )
        known = sum(arm.n for arm in self.arms if arm.n)
        if self.n is not None and known > self.n:
            yield ("arms",), f"the arms' patients add up to {known}, more than the study's n of {self.n}"


def _significance_problems(e: int, endpoint: Endpoint, arm_names: set[str], arms: int) -> Check:
    """A comparison says what the summary says of significance, between groups the study has."""
    where = ("endpoints", e)
    if arms < 2:
        return
    if endpoint.significance is None:
        yield (
            (*where, "significance"),
            "expected significant, not-significant or not-stated (what the summary says of the difference)",
        )
        return
    if endpoint.significance == "not-stated":
        if endpoint.compared:
            yield (*where, "compared"), "give compared only where the summary says whether it is significant"
        return
    groups = arm_names | {r.arm for r in endpoint.results}
    if len(endpoint.compared) != 2 or len(set(endpoint.compared)) != 2:
        yield (*where, "compared"), "expected the two groups the summary compares"
        return
    for c, name in enumerate(endpoint.compared):
        if name not in groups:
            known = ", ".join(sorted(groups))
            yield (*where, "compared", c), f"expected one of the study's arms ({known}), but received {name!r}"


class StudiesFile(Model):
    studies: list[Study]


# --- updates.yml, key_references.yml -------------------------------------------------------


class Change(Model):
    section: SectionId
    text: Text
    refs: list[ReferenceId] = []
    studies: list[StudyId] = []


class UpdatesFile(Model):
    date: Annotated[str, Field(pattern=r"^\d{2}/\d{2}/\d{4}$")]
    changes: list[Change]


class KeyReference(Model):
    ref: ReferenceId
    cited_in: Annotated[list[SectionId], Field(min_length=1)]


class KeyReferencesFile(Model):
    key_references: list[KeyReference]


# --- management.yml ----------------------------------------------------------------------


class Bounds(Model):
    low: float
    high: float

    def check(self) -> Check:
        if self.low > self.high:
            yield ("low",), f"expected low <= high, but received {self.low:g} > {self.high:g}"


class PercentBounds(Bounds):
    low: Percent
    high: Percent


PositiveNumber = Annotated[float, Field(gt=0)]


class HydroxyureaDosing(Model):
    start_mg_per_kg_day: PositiveNumber
    reduce_below_wbc_10e9_per_l: PositiveNumber
    target_wbc_10e9_per_l: Bounds
    refs: list[ReferenceId]


class PonatinibDosing(Model):
    start_mg_daily: PositiveNumber
    reduced_mg_daily: PositiveNumber
    response_bcr_abl1_is_pct: PositivePercent
    refs: list[ReferenceId]


class DasatinibDosing(Model):
    standard_mg_daily: PositiveNumber
    low_mg_daily: PositiveNumber
    older_start_mg_daily: PositiveNumber
    older_than_years: PositiveNumber
    refs: list[ReferenceId]


DiagnosticTest = Literal["cytogenetics", "fish", "rt-pcr", "southern-blot", "marrow-morphology"]


class FollowUp(Model):
    """Monitoring after stopping a TKI: the test, how often at first (at least), and how late
    relapses have still been seen."""

    test: DiagnosticTest
    every_months: PositiveNumber
    relapses_seen_after_years: Bounds


KeepsMmrFactor = Literal["longer-on-tki", "longer-in-dmr", "no-blood-blasts-at-diagnosis"]


class TkiDiscontinuation(Model):
    min_years_on_tki: PositiveNumber
    upper_years_on_tki: PositiveNumber
    depth: ResponseId
    relapse_after_stopping_pct: Percent
    long_dmr_years: PositiveNumber
    long_dmr_relapse_pct: Percent
    follow_up: FollowUp
    withdrawal_symptoms: list[Text]
    # The factors one retrospective report found predictive of keeping MMR after stopping.
    keeps_mmr_with: Annotated[list[KeepsMmrFactor], Field(min_length=1)]
    refs: list[ReferenceId]


class MarrowExamination(Model):
    circulating_blasts_over_pct: Percent
    peripheral_blasts_over_pct: Percent
    signs: list[Text]
    general_signs: list[Text]
    refs: list[ReferenceId]


class Transplant(Model):
    consider_early_below_age: PositiveNumber
    best_results_below_age: PositiveNumber
    cure_rate_chronic_pct: PercentBounds
    treatment_related_mortality_pct: PercentBounds
    within_years_of_diagnosis: PositiveNumber
    # "Although most relapses occur within 5 years of transplant, relapses have occurred as late
    # as 15 years after a BMT."
    most_relapses_within_years: PositiveNumber
    latest_relapse_years: PositiveNumber
    # "patients with relapsed disease after allogeneic transplant who received TKI therapy had a
    # 3-year OS rate of 60%"
    tki_after_relapse_os_3_years_pct: Percent
    # "patients with a T315I variant and CML that did not respond to ponatinib had a poor
    # prognosis, with a median survival of 16 months. The outcomes for these patients were best
    # after allogeneic SCT"
    t315i_ponatinib_failure_median_survival_months: PositiveNumber
    preferred_for: list[TransplantIndication]
    # "The risk of relapse appears to be less in patients who underwent transplant early in
    # disease and in patients who developed chronic GVHD."
    lower_relapse_with: Annotated[list[Literal["early-in-disease", "chronic-gvhd"]], Field(min_length=1)]
    # The randomized trial of preparative regimens; its endpoints say which arm did better.
    conditioning_trial: StudyId | None = None
    refs: list[ReferenceId]


FindingMeaning = Literal["relapse", "overt-failure", "suggests-relapse", "not-relapse"]


class Finding(Model):
    id_kind: ClassVar[str | None] = "finding"
    id: Slug
    text: Text
    counts_as: FindingMeaning
    # A finding the summary lists as relapse that a clinician could also call overt failure.
    also_overt_failure: bool = False


class Relapse(Model):
    findings: list[Finding]
    # What findings count as, from the least advanced to the most: results that show several
    # are described by the furthest (Rules.relapse_stage).
    stages: Annotated[list[FindingMeaning], Field(min_length=2)]
    # "A consistently rising quantitative RT-PCR BCR::ABL1 level": rises on this many
    # consecutive tests (the summary gives no count; the site's reading).
    consistently_rising_tests: Annotated[int, Field(ge=2)]
    # What treatment failure calls for first: the test that guides the next treatment.
    on_failure: Slug
    refs: list[ReferenceId]


class TransplantIndication(Model):
    id_kind: ClassVar[str | None] = "transplant-indication"
    id: Slug
    text: Text


ResponseCategory = Literal["optimal", "suboptimal", "failure"]


PhNegativeCourse = Literal["like-ph-positive", "like-cmml", "poorer"]


class Diagnosis(Model):
    """The tests of the diagnostic work-up that look for the BCR::ABL1 rearrangement."""

    tests: Annotated[list[DiagnosticTest], Field(min_length=5)]
    # A Ph chromosome-negative patient's course, with the rearrangement found (by RT-PCR or by
    # Southern blot), not found by RT-PCR, or not yet looked for (Ph-negative CML as a whole).
    ph_negative_course: dict[Literal["rearranged", "not-rearranged", "untested"], PhNegativeCourse]
    refs: list[ReferenceId]


class FirstLineOutcomes(Model):
    # "With any of these agents, the 10-year event-free survival and overall survival (OS) rates
    # exceed 90%."
    ten_year_survival_over_pct: Percent
    refs: list[ReferenceId]


class InterferonOutcomes(Model):
    # "Approximately 10% to 20% of these patients have a complete cytogenetic response ... and
    # most of these patients are disease free beyond 10 years."
    complete_cytogenetic_response_pct: PercentBounds
    disease_free_beyond_years: PositiveNumber
    refs: list[ReferenceId]


class ManagementFile(Model):
    diagnosis: Diagnosis
    first_line: FirstLineOutcomes
    interferon: InterferonOutcomes
    hydroxyurea: HydroxyureaDosing
    ponatinib: PonatinibDosing
    dasatinib: DasatinibDosing
    tki_discontinuation: TkiDiscontinuation
    marrow_examination: MarrowExamination
    transplant: Transplant
    relapse: Relapse


# --- scores.yml -------------------------------------------------------------------------------


class ScoreTerm(Model):
    """One term of a score: coefficient × (value / divisor)^power − centre, or a 0/1 indicator."""

    coefficient: float
    centre: float = 0
    scale: Annotated[float, Field(gt=0)] = 1
    divisor: Annotated[float, Field(gt=0)] = 1
    power: float = 1
    at_least: float | None = None


class RiskGroup(Model):
    risk: Literal["low", "intermediate", "high"]
    upper: float | None = None
    inclusive: bool = False


class Score(Model):
    name: Text
    citation: Text
    summary_ref: ReferenceId | None = None
    note: str | None = None
    decimals: Annotated[int, Field(ge=0, le=6)]  # the published precision: compared and shown at it
    groups: Annotated[list[RiskGroup], Field(min_length=2)]

    def check(self) -> Check:
        *bounded, last = self.groups
        if last.upper is not None:
            yield ("groups", len(self.groups) - 1, "upper"), "the last group takes every higher score: no upper"
        uppers = [g.upper for g in bounded]
        for index, upper in enumerate(uppers):
            if upper is None:
                yield ("groups", index, "upper"), "required for every group but the last"
            elif index and uppers[index - 1] is not None and upper <= uppers[index - 1]:
                yield ("groups", index, "upper"), f"expected above {uppers[index - 1]:g}, but received {upper:g}"


class SokalScore(Score):
    age: ScoreTerm
    spleen: ScoreTerm
    platelets: ScoreTerm
    blasts: ScoreTerm


class HasfordScore(Score):
    multiplier: float
    age: ScoreTerm
    spleen: ScoreTerm
    blasts: ScoreTerm
    eosinophils: ScoreTerm
    basophils: ScoreTerm
    platelets: ScoreTerm


class EutosScore(Score):
    basophils: ScoreTerm
    spleen: ScoreTerm


class EltsScore(Score):
    age: ScoreTerm
    spleen: ScoreTerm
    blasts: ScoreTerm
    platelets: ScoreTerm


class CalculatorBound(Model):
    """What one calculator input accepts on the site: its label, unit and bounds, each bound with
    the reason the page gives when a value passes it."""

    label: Text
    unit: Text
    min: float
    min_exclusive: bool = False
    min_reason: Text
    max: float | None = None
    max_reason: Text | None = None
    blastic_phase_reason: Text | None = None

    def check(self) -> Check:
        if self.max is not None and self.max <= self.min:
            yield ("max",), f"expected above min ({self.min:g}), but received {self.max:g}"
        if (self.max is None) != (self.max_reason is None):
            yield ("max_reason",), "a max needs its reason, and a reason its max"


class ScoresFile(Model):
    sokal: SokalScore
    hasford: HasfordScore
    eutos: EutosScore
    elts: EltsScore
    calculator_inputs: dict[str, CalculatorBound]


# --- quiz_text.yml ---------------------------------------------------------------


class CaseWords(Model):
    """One case template's words: its options, the reason for each, vignette, lead-in and
    explanation. Placeholders take the case's values (passed by the template) and content's
    names, as prose does; every text is rendered whenever a quiz is built."""

    # Levels of evidence by the case's setting ("any" when it does not depend on one), or by
    # setting and key ("accelerated-imatinib") where the summary grades each key apart.
    evidence: dict[str, EvidenceCode] = {}
    texts: dict[str, Text | list[Text]]


class QuizTextFile(Model):
    """Keyed by case-template id (generator/quiz/templates/)."""

    templates: dict[Slug, CaseWords]


# --- patients.yml -----------------------------------------------------------------------------


class AtDiagnosis(Model):
    """Blood and spleen values for a newly diagnosed chronic-phase patient."""

    spleen_cm: Bounds
    spleen_not_palpable_share_pct: Percent
    platelets_10e9_per_l: Bounds
    # A few patients have more platelets, up to this count, in this share of cases.
    platelets_rare_high_10e9_per_l: PositiveNumber
    platelets_rare_high_share_pct: Percent
    blood_blasts_pct: PercentBounds
    eosinophils_pct: PercentBounds
    basophils_pct: PercentBounds
    wbc_10e9_per_l: Bounds


class _Shares(Model):
    """How often each outcome is drawn, in percent: shares adding up to 100."""

    def check(self) -> Check:
        total = sum(self.model_dump().values())
        if abs(total - 100) > 1e-9:
            yield (), f"expected shares adding up to 100, but received {total:g}"

    def weights(self) -> dict[str, float]:
        return self.model_dump()


class CourseBranches(_Shares):
    """How often an unfolding case's course ends each way (generator/quiz/courses.py), in
    percent, for one 3-month class."""

    responds: Percent
    fails_at_a_year: Percent
    fails_later: Percent


class BranchesByClass(Model):
    """The ending's shares by 3-month class: a met EMR or a fast fall mostly responds."""

    met: CourseBranches
    fast: CourseBranches
    slow: CourseBranches


class ThreeMonthClasses(_Shares):
    """How often a course meets EMR, misses it halving fast, or misses it halving slowly."""

    met: Percent
    fast: Percent
    slow: Percent


class ThreeMonthsByDrug(Model):
    """The 3-month class's shares by the first TKI: imatinib, or a more potent one."""

    imatinib: ThreeMonthClasses
    second_generation: ThreeMonthClasses

    def check(self) -> Check:
        if self.imatinib.met >= self.second_generation.met:
            yield ("imatinib", "met"), "expected imatinib to meet EMR less often than the second-generation TKIs"


class MilestoneDepth(_Shares):
    """How often a course is in MMR, or in a DMR (MR4), at its milestone visit."""

    MMR: Percent
    MR4: Percent


class MilestoneDepthByDrug(Model):
    """The depth at a year after a met EMR, by the first TKI: imatinib, or a more potent one."""

    imatinib: MilestoneDepth
    second_generation: MilestoneDepth

    def check(self) -> Check:
        if self.imatinib.MR4 >= self.second_generation.MR4:
            yield (
                ("imatinib", "MR4"),
                "expected imatinib to reach MR4 at a year less often than the second-generation TKIs",
            )


class VariantShares(_Shares):
    """How often kinase-domain analysis on failure finds T315I, or another variant."""

    t315i: Percent
    other: Percent


class StoppingShares(_Shares):
    """How often a course asked about stopping is a best candidate, too early, or not deep enough."""

    candidate: Percent
    too_soon: Percent
    not_deep: Percent


class T315iTreatment(_Shares):
    """How often the T315I step asks before ponatinib, once it has worked, or once it has failed."""

    start_ponatinib: Percent
    lower_ponatinib: Percent
    after_ponatinib: Percent


class ResistingPonatinib(Model):
    """How a course that resists ponatinib rises, and the counts it relapses to."""

    first_value_at_most_pct_of_failure: PositivePercent
    rise_per_test_pct: Bounds
    min_rise_in_all_pct: PositiveNumber
    max_bcr_abl1_is_pct: PositivePercent
    wbc_10e9_per_l: Bounds
    spleen_cm: Bounds

    def check(self) -> Check:
        if self.rise_per_test_pct.low <= 100:
            yield ("rise_per_test_pct", "low"), "expected a rise: more than 100% of the value before"


class SlowingAfterMissedEmr(Model):
    """By 3-month class after a missed EMR: each segment's halving time as a percentage of the last."""

    fast: Bounds
    slow: Bounds


class MilestoneMonths(Model):
    """The month of the visit that judges the response against the targets: after a met EMR;
    after a missed one, the earliest (MMR comes at the first such visit the course can reach)."""

    met: PositiveNumber
    missed: PositiveNumber


class RelapseCounts(Model):
    """The counts at a hematologic relapse in chronic phase."""

    wbc_10e9_per_l: Bounds
    spleen_cm: Bounds
    blasts_pct: Bounds
    marrow_blasts_above_blood_pct: Bounds


class ThreeMonthSteps(_Shares):
    """How often a course asks, at 3 months, the EMR step then what the result calls for; the
    halving time then the EMR step; or the halving time then what the result calls for."""

    emr_then_next: Percent
    halving_then_emr: Percent
    halving_then_next: Percent


class ThreeMonthStepsByClass(Model):
    """The 3-month steps' order by 3-month class. R-final-courses D1, D2: a missed EMR, fast or
    slow, may be asked what it calls for (the kinase-domain test, L979)."""

    met: ThreeMonthSteps
    fast: ThreeMonthSteps
    slow: ThreeMonthSteps


class Courses(Model):
    """The shape of a drawn course: where BCR::ABL1 starts, how fast it falls, how far a shown
    value stays from a cut point, and how often each branch is drawn."""

    three_months: ThreeMonthsByDrug
    step_alone_three_months: ThreeMonthClasses
    step_alone_next_step: ThreeMonthClasses
    branches: BranchesByClass
    variants: VariantShares
    milestone_months: MilestoneMonths
    rise_after_milestone_months: Bounds
    losing_rise_per_test_pct: Bounds
    youngest_below_median_years: PositiveNumber
    late_mmr_at_12_months_max_pct: PositivePercent
    milestone_depth: MilestoneDepthByDrug
    stopping: StoppingShares
    t315i_treatment: T315iTreatment
    # Blood blasts at diagnosis in a course: well below the accelerated-phase cut point.
    max_blood_blasts_at_diagnosis_pct: Percent
    # Above this white count, a course's spleen at diagnosis is palpable.
    palpable_spleen_above_wbc_10e9_per_l: PositiveNumber
    # A routine blood count finds a spleen no larger than this; a larger one brings symptoms.
    routine_count_below_spleen_cm: PositiveNumber
    # Halving times as percentages of the summary's limit: a favourable course well under it, an
    # unfavourable one well over it; a met EMR falls faster still.
    favourable_halving_pct_of_limit: Bounds
    unfavourable_halving_pct_of_limit: Bounds
    emr_met_halving_days: Bounds
    # A value falls (or rises) by at least this percentage between visits; no fall is faster
    # than the one before it.
    least_change_per_visit_pct: PositivePercent
    # Values held at a plateau scatter by up to this percentage.
    plateau_spread_pct: PositiveNumber
    # Two values of courses in one set read as the same when this close, in percent.
    apart_pct: PositivePercent
    # Two courses of one trajectory whose halving times are this close, in percent, are clones.
    clone_halving_apart_pct: PositivePercent
    # No run of plateau_run held values lies within plateau_least_range_pct of each other.
    plateau_run: PositiveNumber
    plateau_least_range_pct: PositivePercent
    # Courses of one set asking the same sequence of step kinds: at most this many.
    most_alike_step_kinds: PositiveNumber
    three_month_steps: ThreeMonthStepsByClass
    failing_rise_per_test_pct: Bounds
    slowing_per_segment_pct: SlowingAfterMissedEmr
    latest_mmr_month: PositiveNumber
    relapse_counts: RelapseCounts
    palpable_spleen_cm: Bounds
    resisting_ponatinib: ResistingPonatinib
    # A shown value lies at least this many percent above (or below, as a factor) a cut point.
    clear_of_cut_pct: PositivePercent
    # Years on the TKI when stopping is asked about: past the summary's range, never inside it.
    years_past_upper_range: Bounds
    # Of the courses on dasatinib that meet EMR, the percentage told a pleural effusion at the
    # 3-month visit and asked there what the result calls for (a design share).
    pleural_effusion_on_dasatinib_pct: Percent
    # Of the courses held in MR4.5 for the stopping question, the percentage whose plateau stays
    # detectable, inside MR4.5 and clear of its cut (a design share).
    detectable_mr4_5_plateau_pct: Percent
    # Two courses of one set whose BCR::ABL1 lies within this many tenths of a log of each other
    # at 3, 6 and 12 months alike are near-clones (a design tunable).
    clone_within_tenths_of_a_log: PositiveNumber
    # Marrow blasts at diagnosis: the blood's, up to this many points more, never past the most
    # blood blasts a course is drawn with.
    marrow_blasts_above_blood_at_diagnosis_pct: Bounds

    @property
    def clear_of_cut_factor(self) -> float:
        return 1 + self.clear_of_cut_pct / 100


class PhNegativeCounts(Model):
    """Counts for a Ph-negative case that read as CML, not as another myeloproliferative disorder."""

    platelets_10e9_per_l: Bounds
    wbc_10e9_per_l: Bounds
    # Every Ph-negative patient's age: one range, of the age the chronic myelomonocytic
    # leukemia that an RT-PCR-negative course resembles has, so the age tells no result.
    age_years: Bounds


class AdvancedPlanDrawing(Model):
    """How advanced-plan draws its stems: thrombocytopenia and signs alike in both phases, and no
    Sokal score by a cut."""

    # Percent of draws with platelets below 100 x 10^9/L, by phase (before the Sokal redraws).
    low_platelets_share_pct: dict[Literal["accelerated", "blastic"], Percent]
    # No Sokal score within this many hundredths of one of its cuts.
    sokal_margin_hundredths: PositiveNumber
    # Percent of stems telling each sign of transition, whatever the phase.
    sign_share_pct: dict[Literal["fever", "anemia", "splenomegaly", "bone-pain", "painful-spleen"], Percent]
    # Marrow blasts from which a stem gives anemia.
    packed_marrow_blasts_pct: PositivePercent

    @property
    def sokal_margin(self) -> float:
        return self.sokal_margin_hundredths / 100

    def check(self) -> Check:
        if set(self.low_platelets_share_pct) != {"accelerated", "blastic"}:
            yield ("low_platelets_share_pct",), "expected a share for accelerated and for blastic"
        if len(self.sign_share_pct) != 5:
            yield ("sign_share_pct",), "expected a share for fever, anemia, splenomegaly, bone-pain and painful-spleen"
        if sum(self.sign_share_pct.values()) > 100:
            total = sum(self.sign_share_pct.values())
            yield ("sign_share_pct",), f"expected shares adding up to at most 100, but received {total:g}"


class PhaseFromBlastsDrawing(Model):
    """How phase-from-blasts draws the marrow beside a blood count that decides blastic phase."""

    # The marrow holds at least this share of the blood's blasts.
    blastic_marrow_at_least_blood_share_pct: PositivePercent

    @property
    def blastic_marrow_share(self) -> float:
        return self.blastic_marrow_at_least_blood_share_pct / 100


SerialStage = Literal["relapse", "overt-failure", "blastic"]


class SerialResultsDrawing(Model):
    """How serial-results ends a rising series and what FISH finds, at the stages FISH sees."""

    # Where a rising series ends (% IS), by stage.
    series_end_pct: dict[SerialStage, Bounds]
    # FISH positive in this share of nuclei as it turns positive again (a relapse).
    fish_positive_nuclei_pct: dict[SerialStage, PercentBounds]
    # Once the clone fills the blood: FISH negative in this share of nuclei only.
    fish_negative_nuclei_pct: dict[SerialStage, PercentBounds]

    def fish_pct(self, stage: str) -> tuple[int, int] | None:
        """The share of nuclei FISH finds positive at a stage (lowest, highest), or None where
        FISH is negative."""
        if stage in self.fish_positive_nuclei_pct:
            found = self.fish_positive_nuclei_pct[stage]  # type: ignore[index]
            return int(found.low), int(found.high)
        if stage in self.fish_negative_nuclei_pct:
            found = self.fish_negative_nuclei_pct[stage]  # type: ignore[index]
            return int(100 - found.high), int(100 - found.low)
        return None

    def check(self) -> Check:
        both = set(self.fish_positive_nuclei_pct) & set(self.fish_negative_nuclei_pct)
        if both:
            yield ("fish_negative_nuclei_pct",), f"a stage's FISH is given once, positive or negative: {sorted(both)}"
        if set(self.fish_positive_nuclei_pct) | set(self.fish_negative_nuclei_pct) != set(self.series_end_pct):
            yield ("series_end_pct",), "expected FISH nuclei for each stage with a series end, and no other"


class PonatinibDoseDrawing(Model):
    """How often ponatinib-dose asks each question."""

    # Percent of items asking the start dose, the dose before the response, or after it.
    ask_share_pct: dict[Literal["start", "before-response", "after-response"], Percent]

    def check(self) -> Check:
        if len(self.ask_share_pct) != 3:
            yield ("ask_share_pct",), "expected a share for start, before-response and after-response"
        total = sum(self.ask_share_pct.values())
        if abs(total - 100) > 1e-9:
            yield ("ask_share_pct",), f"expected shares adding up to 100, but received {total:g}"


class UndetectableAssays(Model):
    """How many assay sensitivities an undetectable result is given at, and how far below the
    usual level's cut the most sensitive one lies, as a share of that level's log gap from the
    level above."""

    steps: Annotated[int, Field(ge=1)]
    deepest_share_of_log_gap: Annotated[float, Field(gt=0, le=1)]


class PatientsFile(Model):
    """The ranges the case quizzes draw patients from: what a clinician would believe."""

    age_years: Bounds
    median_age_years: PositiveNumber
    # No operation or event of a patient's history before this age.
    adult_age_years: PositiveNumber
    # The ages at which a transplant team would review a patient at all.
    transplant_age_years: Bounds
    # No patient asked about early BMT is drawn within this many years of the summary's age for it.
    transplant_age_margin_years: PositiveNumber
    # The patients an early-BMT question sets either side of that age are drawn within this many years.
    transplant_age_near_years: PositiveNumber
    # How often each group the summary prefers SCT for is the key of a transplant "preferred"
    # item, by its id in management.yml transplant.preferred_for (weights, any scale).
    transplant_preferred_key_weights: dict[str, PositiveNumber]
    at_diagnosis: AtDiagnosis
    # The WBC count, x 10^9/L, that a vignette calls hyperleukocytosis.
    hyperleukocytosis_wbc_10e9_per_l: PositiveNumber
    ph_negative_at_diagnosis: PhNegativeCounts
    # How far each prognostic-score input may be off, in its own unit (calculator practice).
    score_input_uncertainty: dict[
        Literal["age", "spleen_cm", "blasts_pct", "eosinophils_pct", "basophils_pct"], PositiveNumber
    ]
    # How far under a Hasford threshold a value may lie for the term counted to be offered as a
    # slip, in the input's own unit (an item-writing margin).
    score_threshold_slip_margin: dict[Literal["age", "basophils_pct", "platelets"], PositiveNumber]
    # A marrow in CML always has some blasts: never fewer than this.
    min_marrow_blasts_pct: PositivePercent
    min_marrow_promyelocytes_pct: PositivePercent
    min_blood_promyelocytes_pct: PositivePercent
    oldest_on_ponatinib_years: PositiveNumber
    max_blasts_pct: PositivePercent
    # Where blood blasts are the higher, the marrow holds at least this share of them.
    marrow_blasts_at_least_blood_share_pct: PositivePercent
    # Where marrow blasts are the higher, the blood holds at least this share of them.
    blood_blasts_at_least_marrow_share_pct: PositivePercent
    # Days between the first BCR::ABL1 sample and the one at the EMR time point.
    halving_sample_days: Bounds
    # The day of treatment of the sample at the EMR time point.
    emr_sample_day: PositiveNumber
    courses: Courses
    # How often each BCR::ABL1 reading at the EMR time point is drawn, in percent.
    emr_reading_share_pct: dict[Literal["met", "missed", "mmr", "dmr"], Percent]
    # BCR::ABL1 (IS) at diagnosis, the start from which a halving time is judged.
    bcr_abl1_is_at_diagnosis_pct: Bounds
    # The most logs BCR::ABL1 falls from diagnosis by the EMR time point in a case drawn as routine.
    emr_most_logs_fallen: PositiveNumber
    # A missed EMR's halving time since diagnosis lies at least this percentage of the summary's
    # halving-time limit away from it, on either side (emr-3-months: no grey zone at the cut).
    emr_halving_clear_of_cut_pct: PositivePercent
    # advanced-plan's drawing numbers.
    advanced_plan: AdvancedPlanDrawing
    # phase-from-blasts', serial-results' and ponatinib-dose's drawing numbers.
    phase_from_blasts: PhaseFromBlastsDrawing
    serial_results: SerialResultsDrawing
    ponatinib_dose: PonatinibDoseDrawing
    # response-level's assay sensitivities for an undetectable result.
    undetectable_assays: UndetectableAssays
    refs: list[ReferenceId] = []

    def check(self) -> Check:
        if not self.age_years.low <= self.median_age_years <= self.age_years.high:
            yield ("median_age_years",), "expected the median age inside age_years"
        if (
            not self.age_years.low
            <= self.transplant_age_years.low
            <= self.transplant_age_years.high
            <= self.age_years.high
        ):
            yield ("transplant_age_years",), "expected a range inside age_years"
        if self.transplant_age_near_years <= self.transplant_age_margin_years:
            yield ("transplant_age_near_years",), "expected more than transplant_age_margin_years"
        diagnosis = self.at_diagnosis
        if diagnosis.platelets_rare_high_10e9_per_l <= diagnosis.platelets_10e9_per_l.high:
            yield ("at_diagnosis", "platelets_rare_high_10e9_per_l"), "expected more than platelets_10e9_per_l.high"
