"""Typed models of content/: the schema every YAML file is validated against, once, at load.

Cross-file references are declared with RefTo(kind) on the field; models that own an id
declare id_kind. content.py checks both for every file, so code behind it trusts the models.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from generator.yamlfile import Loc


@dataclass(frozen=True)
class RefTo:
    """Marks a string field as the id of another model of this kind."""

    kind: str


Percent = Annotated[float, Field(ge=0, le=100)]
PositivePercent = Annotated[float, Field(gt=0, le=100)]
Text = Annotated[str, Field(min_length=1)]
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


class Section(Model):
    id_kind: ClassVar[str | None] = "section"
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    title: Text
    nav_title: Text
    order: Annotated[int, Field(ge=1)]
    references: list[ReferenceId]

    def check(self) -> Check:
        seen: dict[str, int] = {}
        for index, ref in enumerate(self.references):
            if ref in seen:
                yield ("references", index), f"'{ref}' is already cited as number {seen[ref] + 1}"
            seen.setdefault(ref, index)


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
    transition_signs: TransitionSigns
    shorter_chronic_phase_factors: list[Cited]
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
    refs: list[ReferenceId] = []


class HalvingTime(Model):
    max_days: Annotated[float, Field(gt=0)]
    refs: list[ReferenceId] = []


class Targets(Model):
    preferred_at_12_months: ResponseId
    optimal: ResponseId


class ResponsesFile(Model):
    molecular_responses: list[MolecularResponse]
    deep_molecular_response: ResponseId
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


class GlossaryFile(Model):
    terms: list[Term]
