"""One patient's course of chronic-phase CML, drawn whole: the values at diagnosis, the first
TKI, BCR::ABL1 falling log-linearly (with lab noise) at 3, 6 and 12 months and in the years
after, a kinase-domain result where the course fails, years in deep response, stopping and
what follows. Unfolding cases (templates/unfolding.py) ask about it step by step.

Four branches, drawn with the shares in content/patients.yml (courses.branches):
responds (EMR met, MMR by a year, never deep enough to stop); fast_halving (EMR missed but a
halving time well under the summary's limit, MMR by a year); t315i (EMR missed, a slow fall,
then a rise with loss of the hematologic remission and the T315I variant); sustained_dmr (EMR
met, MR4.5 held for years, stopping, then a molecular relapse or the withdrawal syndrome).
Every value the student sees lies clear of the cut point it is judged against."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from generator.quiz.cases import Patient, round_sig
from generator.quiz.question import QuizError

BRANCHES = ("responds", "fast_halving", "t315i", "sustained_dmr")
AFTER_STOPPING = ("molecular_relapse", "withdrawal")
# The steps an unfolding case asks, in course order, for each branch (template ids without
# their "course-" prefix).
STEPS: dict[str, tuple[str, ...]] = {
    "responds": ("first-line", "emr", "twelve-months", "next-step", "stopping"),
    "fast_halving": ("first-line", "emr", "halving", "twelve-months", "next-step"),
    "t315i": ("first-line", "emr", "halving", "twelve-months", "next-step", "t315i"),
    "sustained_dmr": ("first-line", "emr", "twelve-months", "stopping", "after-stopping"),
}
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Course:
    """Everything that happens to one patient; steps show it a piece at a time."""

    branch: str
    who: Patient
    diagnosis: dict[str, float]  # spleen_cm, platelets, blasts_pct, eosinophils_pct, basophils_pct, wbc
    baseline_pct: float
    tki: str  # the first-line TKI's therapy id
    halving_days: float  # the course's true halving time over its first months
    first_sample_day: int  # the sample before the EMR time point
    emr_day: int  # the EMR time point (3 months), in days on the TKI
    first_pct: float
    at_emr: float  # at the EMR time point (3 months)
    at_6_months: float
    at_12_months: float
    yearly: tuple[tuple[int, float], ...] = ()  # (year on the TKI, BCR::ABL1) after the first
    failure: dict[str, float] = field(default_factory=dict)  # month, wbc, spleen_cm when it fails
    variant: str | None = None
    years_on_tki: int | None = None  # when stopping is asked about
    after_stopping: str | None = None
    after: dict[str, float] = field(default_factory=dict)

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS[self.branch]

    @property
    def days_between(self) -> float:
        """Days between the two samples a halving time is read from."""
        return float(self.emr_day - self.first_sample_day)

    @property
    def values(self) -> list[tuple[float, float]]:
        """Every BCR::ABL1 value on the TKI, as (day, % IS), in time order."""
        points = [
            (0.0, self.baseline_pct),
            (float(self.first_sample_day), self.first_pct),
            (float(self.emr_day), self.at_emr),
            (6.0 * DAYS_PER_MONTH, self.at_6_months),
            (12.0 * DAYS_PER_MONTH, self.at_12_months),
        ]
        return points + [(year * 12.0 * DAYS_PER_MONTH, value) for year, value in self.yearly]


def branch_for(rng: random.Random, ctx, among: tuple[str, ...] = BRANCHES) -> str:
    """A branch drawn with content's shares, among the given ones."""
    shares = ctx.content.patients.courses.branches
    weights = [getattr(shares, b) for b in among]
    if not any(weights):
        raise QuizError(f"content/patients.yml gives no share to any of {', '.join(among)}")
    return rng.choices(among, weights=weights)[0]


def draw_course(rng: random.Random, ctx, branch: str | None = None) -> Course:
    """A coherent course; values too near a cut point are drawn again."""
    chosen = branch or branch_for(rng, ctx)
    for _ in range(500):
        course = _try_course(rng, ctx, chosen)
        if course is not None:
            return course
    raise QuizError(f"could not draw a clear course of branch {chosen}")


def _levels(ctx) -> dict[str, float]:
    responses = ctx.content.responses
    levels = {r.id: r.max_bcr_abl1_is_pct for r in responses.molecular_responses}
    levels["EMR"] = responses.early_molecular_response.max_bcr_abl1_is_pct
    return levels


def _try_course(rng: random.Random, ctx, branch: str) -> Course | None:
    shape = ctx.content.patients.courses
    responses = ctx.content.responses
    level = _levels(ctx)
    clear = shape.clear_of_cut_factor
    limit = responses.halving_time.max_days
    stop = ctx.content.management.tki_discontinuation
    deep = ctx.content.response(stop.depth).max_bcr_abl1_is_pct
    target = ctx.content.response(responses.targets.preferred_at_12_months).max_bcr_abl1_is_pct
    optimal = ctx.content.response(responses.targets.optimal).max_bcr_abl1_is_pct

    def noisy(value: float) -> float:
        return round_sig(value * rng.uniform(shape.noise_factor.low, shape.noise_factor.high), 2)

    def between(low: float, high: float) -> float:
        return inside(10 ** rng.uniform(math.log10(low), math.log10(high)), low, high)

    emr_day = int(responses.early_molecular_response.at_months * DAYS_PER_MONTH)
    sample = ctx.content.patients.halving_sample_days
    first_day = emr_day - rng.randint(int(sample.low), int(sample.high))
    baseline = round_sig(rng.uniform(shape.baseline_bcr_abl1_is_pct.low, shape.baseline_bcr_abl1_is_pct.high), 2)
    if branch in ("responds", "sustained_dmr"):
        halving = rng.uniform(shape.emr_met_halving_days.low, shape.emr_met_halving_days.high)
    else:
        span = (
            shape.favourable_halving_pct_of_limit
            if branch == "fast_halving"
            else shape.unfavourable_halving_pct_of_limit
        )
        halving = limit * rng.uniform(span.low, span.high) / 100
    first = noisy(baseline * 2 ** (-first_day / halving))
    at_emr = noisy(baseline * 2 ** (-emr_day / halving))
    if not at_emr < first <= baseline:
        return None
    met = branch in ("responds", "sustained_dmr")
    if met and not target * clear <= at_emr <= level["EMR"] / clear:
        return None
    if not met and not level["EMR"] * clear <= at_emr:
        return None
    if not met:
        # The halving time a student computes from the two values shown: near the course's
        # own, and clear of the summary's limit on the branch's side.
        shown = ctx.rules.halving_time_days(first, at_emr, float(emr_day - first_day))
        if not 0.7 <= shown / halving <= 1.4:
            return None
        if not (shown * clear <= limit if branch == "fast_halving" else shown >= limit * clear):
            return None

    failure: dict[str, float] = {}
    variant = None
    if branch == "t315i":  # the fall stalls, then BCR::ABL1 rises and the blood counts relapse
        at_6 = round_sig(at_emr * rng.uniform(0.6, 0.95), 2)
        at_12 = round_sig(at_6 * rng.uniform(1.8, 4.0), 2)
        if at_12 > baseline:
            return None
        d = ctx.content.patients.at_diagnosis
        failure = {
            "month": 12.0,  # found at the visit that shows the rise, and acted on there
            "wbc": float(rng.randrange(int(max(40, d.wbc_10e9_per_l.low)), 120, 5)),
            "spleen_cm": float(rng.randint(3, 8)),
            # A few blasts, as in chronic phase: the student judges the phase from the counts.
            "blasts_pct": float(rng.randint(1, 4)),
        }
        if ctx.rules.phase(failure["blasts_pct"]) != "chronic":
            return None
        variant = "T315I"
    else:
        # Log-linear on: as fast for a fast halver (it must keep falling to do well), slower
        # after the first months for the others, as the second phase of the decline is.
        later = halving * (rng.uniform(0.9, 1.15) if branch == "fast_halving" else rng.uniform(1.0, 2.5))
        at_6 = noisy(at_emr * 2 ** (-(6 * DAYS_PER_MONTH - emr_day) / later))
        at_12 = noisy(at_6 * 2 ** (-6 * DAYS_PER_MONTH / later))
        deeper = optimal / clear >= at_12 >= deep * clear
        on_target = target / clear >= at_12 >= optimal * clear
        if not (at_emr > at_6 > at_12 and (deeper or on_target)):
            return None

    yearly: list[tuple[int, float]] = []
    years_on_tki = None
    after_stopping = None
    after: dict[str, float] = {}
    if branch in ("responds", "sustained_dmr"):
        years_on_tki = int(stop.upper_years_on_tki) + rng.randint(
            int(shape.years_past_upper_range.low), int(shape.years_past_upper_range.high)
        )
        # A plateau drawn around one level, with no steady rise (a consistently rising level
        # suggests relapse): between MMR and MR4 for a responder, clear of both cuts (a value
        # at MR4's would be a grey zone), never deep enough to stop; for a sustained DMR, a fall
        # to MR4.5 by year 2 or 3, then held there.
        if branch == "responds":
            low, high = optimal * clear, target / clear
        else:
            low, high = deep / 3, deep / clear
        centre = 10 ** rng.uniform(math.log10(low) + 0.15, math.log10(high) - 0.15)
        reached = rng.randint(2, 3)
        for year in range(2, years_on_tki + 1):
            if branch == "sustained_dmr" and year < reached:
                if at_12 / 1.3 <= deep * clear * 1.1:
                    return None  # already near MR4.5 at a year: no room for a year still falling
                value = between(deep * clear, min(at_12 / 1.3, optimal / clear))
            else:
                value = inside(centre * rng.uniform(0.7, 1.4), low, high)
            yearly.append((year, value))
        values = [v for _, v in yearly]
        if any(a < b < c for a, b, c in zip(values, values[1:], values[2:])):
            return None
        if branch == "sustained_dmr":
            shares = shape.after_stopping
            after_stopping = rng.choices(AFTER_STOPPING, weights=[shares.molecular_relapse, shares.withdrawal])[0]
            if after_stopping == "molecular_relapse":
                earlier = between(target * clear, 0.5)
                after = {
                    "months": float(rng.choice((3, 6, 9))),
                    "earlier_pct": earlier,
                    "value_pct": round_sig(earlier * rng.uniform(1.6, 3.0), 2),
                }
            else:
                after = {"weeks": float(rng.randint(3, 10)), "value_pct": between(deep / 2, target / clear)}
    who = ctx.patient(rng)
    tkis = [t for t in ctx.rules.treatment_options("chronic") if ctx.content.therapies[t].kind == "tki"]
    if branch == "t315i":  # a TKI the variant makes resistant
        tkis = [t for t in tkis if t in ctx.rules.t315i_resistant()]
    return Course(
        branch=branch,
        who=who,
        diagnosis=ctx.at_diagnosis(rng),
        baseline_pct=baseline,
        tki=rng.choice(tkis),
        halving_days=halving,
        first_sample_day=first_day,
        emr_day=emr_day,
        first_pct=first,
        at_emr=at_emr,
        at_6_months=at_6,
        at_12_months=at_12,
        yearly=tuple(yearly),
        failure=failure,
        variant=variant,
        years_on_tki=years_on_tki,
        after_stopping=after_stopping,
        after=after,
    )


def inside(value: float, low: float, high: float) -> float:
    """value, moved inside low..high if it strays, then rounded as a lab reports it without
    leaving the band."""
    if round_sig(low, 2) > high or round_sig(high, 2) < low:
        raise QuizError(f"no value from {low:g} to {high:g} survives rounding")
    value = min(max(value, low), high)
    rounded = round_sig(value, 2)
    while not low <= rounded <= high:
        value = value * 0.99 if rounded > high else value * 1.01
        rounded = round_sig(value, 2)
    return rounded


def describe(course: Course) -> dict[str, Any]:
    """The course as plain data, for a reader or a test."""
    return {
        "branch": course.branch,
        "age": course.who.age,
        "tki": course.tki,
        "values": course.values,
        "variant": course.variant,
        "years_on_tki": course.years_on_tki,
        "after_stopping": course.after_stopping,
    }
