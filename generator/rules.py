"""The summary's clinical logic, computed in one place from the values in content/.

Pages, quizzes and exports call these functions; none of them writes a threshold itself.
Use Rules(content) with explicitly loaded content, or the module-level functions, which use
the repository's own content/ (loaded once, on first use). Every function is pure, and
impossible input raises ValueError naming the argument and its allowed range.

The rules themselves live by topic in generator/clinical/, as pure functions of the content
and a patient's values; Rules binds them to one set of content, so callers write
rules.phase(12) and each topic's module stays small enough to read at once.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.clinical import calculators, doses, phases, response, scores, stopping, transplant, treatment, trials
from generator.clinical.arguments import EXPECTED, problem
from generator.clinical.calculators import CALCULATORS, DIFFERENTIAL, CalculatorInput, format_bound
from generator.clinical.response import RESPONSES
from generator.clinical.scores import SCORES, ScoreResult, at_precision
from generator.clinical.scores import scored as _result  # noqa: F401 (the tests group a value as the page does)
from generator.clinical.treatment import ALLOGENEIC_SCT, PONATINIB, SETTINGS
from generator.clinical.trials import WANTED_EVENTS
from generator.content import Content, load_content

__all__ = [
    "ALLOGENEIC_SCT",
    "CALCULATORS",
    "CONTENT_DIR",
    "DIFFERENTIAL",
    "EXPECTED",
    "PONATINIB",
    "PUBLIC_API",
    "RESPONSES",
    "SCORES",
    "SETTINGS",
    "WANTED_EVENTS",
    "CalculatorInput",
    "Rules",
    "ScoreResult",
    "at_precision",
    "default_rules",
    "format_bound",
    "problem",
    "methods_by_topic",
]

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class rule:
    """A topic's pure function f(content, ...) as a method of Rules: on an instance it is f with
    that instance's content bound, keeping f's name, docstring and signature (less content); on
    the class it is f itself, so the rules page can say which topic module holds it."""

    def __init__(self, function: Callable[..., Any]):
        self.function = function

    def __get__(self, rules: Rules | None, owner: type | None = None) -> Callable[..., Any]:
        return self.function if rules is None else types.MethodType(self.function, rules.content)


class Rules:
    """The clinical rules over one set of validated content, by topic (generator/clinical/)."""

    def __init__(self, content: Content):
        self.content = content

    # phase and diagnosis
    phase = rule(phases.phase)
    blast_crisis = rule(phases.blast_crisis)
    marrow_examination = rule(phases.marrow_examination)
    ph_negative_course = rule(phases.ph_negative_course)

    # response and monitoring
    molecular_response = rule(response.molecular_response)
    undetectable_response = rule(response.undetectable_response)
    undetectable_assay_sensitivities = rule(response.undetectable_assay_sensitivities)
    log_reduction = staticmethod(response.log_reduction)
    early_molecular_response = rule(response.early_molecular_response)
    halving_time_days = staticmethod(response.halving_time_days)
    halving_time_favourable = rule(response.halving_time_favourable)
    relapse_status = rule(response.relapse_status)
    consistently_rising = rule(response.consistently_rising)
    relapse_stage = rule(response.relapse_stage)
    step_at_three_months = rule(response.step_at_three_months)
    step_at_a_year = rule(response.step_at_a_year)
    step_on_first_tki = rule(response.step_on_first_tki)

    # treatment choice
    treatment_options = rule(treatment.treatment_options)
    excluded_from_trials = rule(treatment.excluded_from_trials)
    t315i_resistant = rule(treatment.t315i_resistant)
    induction_and_transplant = rule(treatment.induction_and_transplant)

    # doses
    hydroxyurea_start_dose_mg = rule(doses.hydroxyurea_start_dose_mg)
    hydroxyurea_adjustment = rule(doses.hydroxyurea_adjustment)
    ponatinib_dose_mg = rule(doses.ponatinib_dose_mg)
    dasatinib_dose_mg = rule(doses.dasatinib_dose_mg)

    # stopping a TKI
    tki_discontinuation = rule(stopping.tki_discontinuation)
    tki_discontinuation_candidate = rule(stopping.tki_discontinuation_candidate)
    relapse_after_stopping_pct = rule(stopping.relapse_after_stopping_pct)
    likelier_to_keep_mmr = rule(stopping.likelier_to_keep_mmr)

    # transplant
    transplant_preferred = rule(transplant.transplant_preferred)
    early_transplant_candidate = rule(transplant.early_transplant_candidate)
    lower_relapse_after_transplant = rule(transplant.lower_relapse_after_transplant)

    # reading a trial
    hazard_ratio_reading = staticmethod(trials.hazard_ratio_reading)
    difference_reading = staticmethod(trials.difference_reading)

    # prognostic scores
    score_risk = rule(scores.score_risk)
    score_terms = rule(scores.score_terms)
    sokal = rule(scores.sokal)
    hasford = rule(scores.hasford)
    eutos = rule(scores.eutos)
    elts = rule(scores.elts)

    # the calculators on the site
    calculator_inputs = rule(calculators.calculator_inputs)
    differential_message = rule(calculators.differential_message)
    calculate = rule(calculators.calculate)


def methods_by_topic() -> dict[types.ModuleType, list[str]]:
    """Rules' method names by the module of generator/clinical/ that holds each, in Rules' order:
    the site's rules page lists them so, and a newcomer finds where each rule lives."""
    grouped: dict[types.ModuleType, list[str]] = {}
    for name, member in vars(Rules).items():
        if isinstance(member, (rule, staticmethod)):
            function = member.function if isinstance(member, rule) else member.__func__
            grouped.setdefault(sys.modules[function.__module__], []).append(name)
    return grouped


@functools.cache
def default_rules() -> Rules:
    """Rules over the repository's content/, loaded and validated on first use."""
    return Rules(load_content(CONTENT_DIR))


def phase(
    blood_blasts_pct: float,
    marrow_blasts_pct: float | None = None,
    *,
    blood_promyelocytes_pct: float = 0,
    marrow_promyelocytes_pct: float = 0,
) -> str | None:
    """Phase of CML from blasts and promyelocytes in blood and (optionally) marrow; None where
    the summary's definitions leave the case open."""
    return default_rules().phase(
        blood_blasts_pct,
        marrow_blasts_pct,
        blood_promyelocytes_pct=blood_promyelocytes_pct,
        marrow_promyelocytes_pct=marrow_promyelocytes_pct,
    )


def molecular_response(bcr_abl1_is_pct: float) -> str:
    """Deepest molecular response met by a BCR::ABL1 IS percentage, or "none"."""
    return default_rules().molecular_response(bcr_abl1_is_pct)


def log_reduction(bcr_abl1_is_pct: float) -> float:
    """log10(100 / IS%)."""
    return default_rules().log_reduction(bcr_abl1_is_pct)


def early_molecular_response(bcr_abl1_is_pct: float) -> bool:
    """Whether a BCR::ABL1 value at the EMR time point is an early molecular response."""
    return default_rules().early_molecular_response(bcr_abl1_is_pct)


def halving_time_days(first_pct: float, second_pct: float, days_between: float) -> float:
    """BCR::ABL1 halving time in days (inf when the level does not fall)."""
    return default_rules().halving_time_days(first_pct, second_pct, days_between)


def tki_discontinuation(years_on_tki: float, bcr_abl1_is_pct: float) -> str:
    """Whether a patient may consider stopping the TKI: best-candidate, uncertain or not-candidate."""
    return default_rules().tki_discontinuation(years_on_tki, bcr_abl1_is_pct)


def marrow_examination(peripheral_blasts_pct: float, **signs: bool) -> str:
    """Whether marrow testing is indicated by both of the summary's statements, neither, or one."""
    return default_rules().marrow_examination(peripheral_blasts_pct, **signs)


def treatment_options(phase: str, *, t315i: bool = False, ponatinib_failed: bool = False) -> list[str]:
    """Therapy ids for a phase or "relapsed"."""
    return default_rules().treatment_options(phase, t315i=t315i, ponatinib_failed=ponatinib_failed)


def sokal(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """Sokal score and risk group."""
    return default_rules().sokal(age, spleen_cm, platelets, blasts_pct)


def hasford(
    age: float, spleen_cm: float, platelets: float, blasts_pct: float, eosinophils_pct: float, basophils_pct: float
) -> ScoreResult:
    """Hasford (Euro) score and risk group."""
    return default_rules().hasford(age, spleen_cm, platelets, blasts_pct, eosinophils_pct, basophils_pct)


def eutos(basophils_pct: float, spleen_cm: float) -> ScoreResult:
    """EUTOS score and risk group (low or high)."""
    return default_rules().eutos(basophils_pct, spleen_cm)


def elts(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """ELTS score and risk group."""
    return default_rules().elts(age, spleen_cm, platelets, blasts_pct)


PUBLIC_API = (
    phase,
    molecular_response,
    log_reduction,
    early_molecular_response,
    halving_time_days,
    tki_discontinuation,
    marrow_examination,
    treatment_options,
    sokal,
    hasford,
    eutos,
    elts,
)
