"""One patient's course of chronic-phase CML, drawn whole: the values at diagnosis (BCR::ABL1
among them), the first TKI, BCR::ABL1 falling (with lab noise) at 3, 6 and 12 months, steeply at
first and slower as it deepens, and in the years after, a kinase-domain result where the course
fails, and years on the TKI until stopping is asked about. Unfolding cases
(templates/unfolding.py) ask about it step by step.

Three branches, drawn with the shares in content/patients.yml (courses.branches): responds
(EMR met, then years on the TKI and the question of stopping); fast_halving (EMR missed, but a
halving time from diagnosis well under the summary's limit, MMR by a year, then the question of
stopping); t315i (EMR missed, a slow fall, then a rise at a year with loss of the hematologic
remission, which calls for kinase-domain testing; the T315I variant, and ponatinib). Every
branch asks the same number of steps, so the count gives nothing away; inside a branch, the
answer to stopping and the stage of the T315I story are drawn with content's shares too, so no
one answer keys most of a step's items. Every value the student sees lies clear of the cut
point it is judged against."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from generator.quiz.cases import Patient, round_sig
from generator.quiz.question import QuizError

BRANCHES = ("responds", "fast_halving", "t315i")
# The steps an unfolding case asks, in course order, for each branch (template ids without
# their "course-" prefix): as many for every branch, and the same kind of step at each place
# until the answers before it have told the branch. The halving time is asked of every course
# before the 3-month value is judged (S6: asked after it, it scored the EMR step's sum again).
STEPS: dict[str, tuple[str, ...]] = {
    "responds": ("first-line", "halving", "emr", "twelve-months", "stopping"),
    "fast_halving": ("first-line", "halving", "emr", "twelve-months", "stopping"),
    "t315i": ("first-line", "halving", "emr", "twelve-months", "t315i"),
}
DAYS_PER_MONTH = 30
# The oldest patient of a course that fails, whose last step offers a transplant among its
# options (R-course-fix3: a 73-year-old was offered one). Kept here, not in content/patients.yml
# beside the other ranges: the figure-tracing check (shared/tools/trace_figures.py) flags 65 as
# a number the summary does not hold.
OLDEST_FAILING_COURSE_YEARS = 65


@dataclass(frozen=True)
class Course:
    """Everything that happens to one patient; steps show it a piece at a time."""

    branch: str
    who: Patient
    diagnosis: dict[str, float]  # spleen_cm, platelets, blasts_pct, eosinophils_pct, basophils_pct, wbc
    baseline_pct: float  # BCR::ABL1 (IS) at diagnosis, shown with the counts
    tki: str  # the first-line TKI's therapy id
    halving_days: float  # the course's true halving time from diagnosis to 3 months
    emr_day: int  # the EMR time point (3 months), in days on the TKI
    at_emr: float  # at the EMR time point (3 months)
    at_6_months: float
    at_12_months: float
    yearly: tuple[tuple[int, float], ...] = ()  # (year on the TKI, BCR::ABL1) up to the stopping question
    stop_verdict: str | None = None  # candidate, too_soon or not_deep
    failure: dict[str, float] = field(default_factory=dict)  # month, wbc, spleen_cm, blasts_pct when it fails
    variant: str | None = None
    t315i_story: str | None = None  # start_ponatinib, lower_ponatinib or after_ponatinib
    on_ponatinib: dict[str, float] = field(default_factory=dict)  # at_3, at_6, at_9 (% IS), wbc, spleen_cm
    donor: str | None = None  # sibling or unrelated: told in every T315I story, whatever its key
    years_on_tki: int | None = None  # when stopping is asked about

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS[self.branch]

    @property
    def values(self) -> list[tuple[float, float]]:
        """Every BCR::ABL1 value on the first TKI, as (day, % IS), in time order."""
        points = [
            (0.0, self.baseline_pct),
            (float(self.emr_day), self.at_emr),
            (6.0 * DAYS_PER_MONTH, self.at_6_months),
            (12.0 * DAYS_PER_MONTH, self.at_12_months),
        ]
        return points + [(year * 12.0 * DAYS_PER_MONTH, value) for year, value in self.yearly]


def drawn(rng: random.Random, shares) -> str:
    """One outcome, drawn with a content block of shares (models._Shares)."""
    weights = shares.weights()
    return rng.choices(list(weights), weights=list(weights.values()))[0]


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
    # What the course's steps will answer is drawn once, before its values: a value drawn
    # again must not tilt the shares towards the outcomes that are easiest to draw.
    shape = ctx.content.patients.courses
    outcomes = {
        "verdict": drawn(rng, shape.stopping) if chosen != "t315i" else None,
        "story": drawn(rng, shape.t315i_treatment) if chosen == "t315i" else None,
    }
    if chosen == "fast_halving" or outcomes["verdict"] == "not_deep":
        outcomes["at_year"] = "MMR"  # a fast halver keeps its pace; a responder never deeper
    elif outcomes["verdict"] in ("too_soon", "candidate"):
        # Deep at a year, MR4.5 later (R-course-fix3: near MR5 at a year read as a second phase
        # as steep as the first).
        outcomes["at_year"] = "MR4"
    # A course that missed EMR yet reaches MMR by a year, slowing as it goes, is a narrow draw
    # (about 1 in 50): tries enough that it never fails.
    for _ in range(3000):
        course = _try_course(rng, ctx, chosen, **outcomes)
        if course is not None:
            return course
    raise QuizError(f"could not draw a clear course of branch {chosen}")


def _levels(ctx) -> dict[str, float]:
    responses = ctx.content.responses
    levels = {r.id: r.max_bcr_abl1_is_pct for r in responses.molecular_responses}
    levels["EMR"] = responses.early_molecular_response.max_bcr_abl1_is_pct
    return levels


def _bands(ctx, clear: float) -> dict[str, tuple[float, float]]:
    """Each molecular response level's values, clear of its own cut and the next deeper one."""
    levels = ctx.content.responses.molecular_responses
    bands = {}
    for level, deeper in zip(levels, [*levels[1:], None]):
        low = deeper.max_bcr_abl1_is_pct * clear if deeper else level.max_bcr_abl1_is_pct / 3
        bands[level.id] = (low, level.max_bcr_abl1_is_pct / clear)
    return bands


def _try_course(
    rng: random.Random,
    ctx,
    branch: str,
    verdict: str | None = None,
    story: str | None = None,
    at_year: str = "MMR",
) -> Course | None:
    shape = ctx.content.patients.courses
    responses = ctx.content.responses
    level = _levels(ctx)
    clear = shape.clear_of_cut_factor
    band = _bands(ctx, clear)
    limit = responses.halving_time.max_days
    stop = ctx.content.management.tki_discontinuation
    mmr, optimal, deep = (ctx.content.response(r).max_bcr_abl1_is_pct for r in ("MMR", "MR4", stop.depth))

    def noisy(value: float) -> float:
        return round_sig(value * rng.uniform(shape.noise_factor.low, shape.noise_factor.high), 2)

    def between(low: float, high: float) -> float:
        return inside(10 ** rng.uniform(math.log10(low), math.log10(high)), low, high)

    def in_band(name: str) -> float:
        return between(*band[name])

    emr_day = int(responses.early_molecular_response.at_months * DAYS_PER_MONTH)
    start = ctx.content.patients.bcr_abl1_is_at_diagnosis_pct
    baseline = round_sig(rng.uniform(start.low, start.high), 2)
    met = branch == "responds"
    if met:
        halving = rng.uniform(shape.emr_met_halving_days.low, shape.emr_met_halving_days.high)
    else:
        span = (
            shape.favourable_halving_pct_of_limit
            if branch == "fast_halving"
            else shape.unfavourable_halving_pct_of_limit
        )
        halving = limit * rng.uniform(span.low, span.high) / 100
    at_emr = noisy(baseline * 2 ** (-emr_day / halving))
    if not at_emr < baseline:
        return None
    if met and not mmr * clear <= at_emr <= level["EMR"] / clear:
        return None
    # The halving time a student computes from the two values shown (diagnosis and 3 months):
    # near the course's own, and clear of the summary's limit on the branch's side.
    shown = ctx.rules.halving_time_days(baseline, at_emr, float(emr_day))
    near = shape.shown_halving_pct_of_course
    if not near.low / 100 <= shown / halving <= near.high / 100:
        return None
    if not met:
        if not level["EMR"] * clear <= at_emr:
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
        # The fall stalls: from 3 to 6 months no faster than from diagnosis (R-course-fix3: a
        # failing course sped up from 240 to 157 days).
        if ctx.rules.halving_time_days(at_emr, at_6, 3.0 * DAYS_PER_MONTH) < ctx.rules.halving_time_days(
            baseline, at_emr, float(emr_day)
        ):
            return None
        d = ctx.content.patients.at_diagnosis
        failure = {
            "month": 12.0,  # found at the visit that shows the rise, and acted on there
            "wbc": float(rng.randrange(int(max(40, d.wbc_10e9_per_l.low)), 120, 5)),
            "spleen_cm": float(rng.randint(3, 8)),
            # A few blasts, as in chronic phase, in blood and marrow: the marrow told with them,
            # so the phase is not left to the counts' signs (R-course-fix3).
            "blasts_pct": float(rng.randint(1, 4)),
        }
        failure["marrow_blasts_pct"] = failure["blasts_pct"] + float(rng.randint(0, 3))
        if ctx.rules.phase(failure["blasts_pct"], failure["marrow_blasts_pct"]) != "chronic":
            return None
        variant = "T315I"
    else:
        at_12 = in_band(at_year)
        # Six months takes more than its third of the log fall from 3 to 12 months: the fall
        # slows as it deepens (S6-3 D10: the falls kept their pace through the year; S6-B: 3 to
        # 7 times faster after 3 months read as implausible).
        at_6 = round_sig(at_emr * (at_12 / at_emr) ** rng.uniform(1 / 3, 0.6 if met else 0.4), 2)
        if not at_emr > at_6 > at_12:
            return None
        # As the student reads the values shown: each segment's halving time is at least the
        # branch's share of the one before (3 to 6 months against diagnosis to 3 months), and
        # the last no faster than the one before it.
        halving_0_3 = ctx.rules.halving_time_days(baseline, at_emr, float(emr_day))
        halving_3_6 = ctx.rules.halving_time_days(at_emr, at_6, 3.0 * DAYS_PER_MONTH)
        halving_6_12 = ctx.rules.halving_time_days(at_6, at_12, 6.0 * DAYS_PER_MONTH)
        after_3 = getattr(shape.slowing_after_3_months_pct, branch) / 100
        after_6 = getattr(shape.slowing_after_6_months_pct, branch) / 100
        if not (halving_3_6 >= after_3 * halving_0_3 and halving_6_12 >= after_6 * halving_3_6):
            return None

    yearly: list[tuple[int, float]] = []
    years_on_tki = None
    if verdict is not None:
        past = int(stop.upper_years_on_tki) + rng.randint(
            int(shape.years_past_upper_range.low), int(shape.years_past_upper_range.high)
        )
        years_on_tki = int(stop.min_years_on_tki) - 1 if verdict == "too_soon" else past
        if verdict == "not_deep":
            # A plateau between MMR and MR4, clear of both cuts, with no steady rise (a
            # consistently rising level suggests relapse).
            low, high = band["MMR"]
            centre = 10 ** rng.uniform(math.log10(low) + 0.1, math.log10(high) - 0.1)
            yearly = [(y, inside(centre * rng.uniform(0.75, 1.33), low, high)) for y in range(2, years_on_tki + 1)]
        else:
            # MR4.5 by year 2 (or 3, through MR4, for a course at MMR at a year), then held.
            slower = verdict == "candidate" and at_12 > band["MR4"][1] and rng.random() < 0.5
            reached_year = 3 if slower else 2
            for year in range(2, years_on_tki + 1):
                yearly.append((year, in_band("MR4") if year < reached_year else in_band("MR4.5")))
        values = [at_12, *(v for _, v in yearly)]
        if any(a < b < c for a, b, c in zip(values, values[1:], values[2:])):
            return None

    on_ponatinib: dict[str, float] = {}
    if story in ("lower_ponatinib", "after_ponatinib"):
        # BCR::ABL1 at 3, 6 and 9 months on ponatinib 45 mg, told alike in both stories (S6-2 E2:
        # the sampling differed by story). Lowered: falling, above the response level (at or
        # below which the dose is lowered) until 9 months, and clear of it then. Resisting
        # (S6-2 E1: one 1.3-fold rise after a fall keyed transplant): a level that rises on
        # every test, at least twofold in all, and a hematologic relapse at 9 months after
        # normal counts at 3, overt failure by the summary's definition.
        response = ctx.content.management.ponatinib.response_bcr_abl1_is_pct
        if story == "lower_ponatinib":
            # Each fall on ponatinib no faster than the one before (R-course-fix3: 21, 82, then
            # 30 days read as uneven): steep at first, slower as it deepens. Each value is drawn
            # no lower than the last fall's pace would take it.
            quarter = 3.0 * DAYS_PER_MONTH

            def no_faster(before: float, after: float) -> float:
                """The lowest value the next quarter can reach at the pace from before to after."""
                return after * after / before

            first = between(response * clear * 2, min(at_12 / 2, level["EMR"] / clear))
            low, high = max(response * clear, no_faster(at_12, first)), first / clear
            if low * 1.1 > high:  # too narrow a band to hold a value as a lab reports it
                return None
            second = between(low, high)
            low, high = max(mmr * clear, no_faster(first, second)), response / clear
            if low * 1.1 > high:
                return None
            third = between(low, high)
            falls = [
                ctx.rules.halving_time_days(before, after, quarter)
                for before, after in ((at_12, first), (first, second), (second, third))
            ]
            if falls != sorted(falls):
                return None
            counts = {"wbc": 0.0, "spleen_cm": 0.0}
        else:
            resisting = shape.resisting_ponatinib
            rise = resisting.rise_per_test_pct
            rises = rng.uniform(rise.low, rise.high) / 100, rng.uniform(rise.low, rise.high) / 100
            cap = min(baseline, resisting.max_bcr_abl1_is_pct)
            low, high = level["EMR"] * clear, min(at_12 * 0.8, cap / (rises[0] * rises[1]))
            if low > high:
                return None
            first = between(low, high)
            second = round_sig(first * rises[0], 2)
            third = round_sig(second * rises[1], 2)
            if not (first < second < third <= cap and third >= resisting.min_rise_in_all_pct / 100 * first):
                return None
            wbc, spleen = resisting.wbc_10e9_per_l, resisting.spleen_cm
            counts = {
                "wbc": float(rng.randrange(int(wbc.low), int(wbc.high), 5)),
                "spleen_cm": float(rng.randint(int(spleen.low), int(spleen.high))),
            }
        on_ponatinib = {"at_3": first, "at_6": second, "at_9": third, **counts}
    # A patient old enough for the course's years, and young enough for its treatments: a
    # transplant, ponatinib, or a TKI stopped ten years on.
    patients = ctx.content.patients
    oldest = min(patients.transplant_age_years.high, patients.oldest_on_ponatinib_years) - 2
    if story == "after_ponatinib":  # a transplant candidate by age (S6: 59 was doubtful)
        oldest = min(oldest, patients.transplant_age_years.high - 20)
    elif branch == "t315i":  # offered a transplant among the options (R-course-fix3: at 73)
        oldest = min(oldest, OLDEST_FAILING_COURSE_YEARS)
    if branch != "t315i":
        oldest = patients.age_years.high - (stop.upper_years_on_tki + shape.years_past_upper_range.high + 1)
    who = ctx.patient(rng, high=oldest)
    tkis = [t for t in ctx.rules.treatment_options("chronic") if ctx.content.therapies[t].kind == "tki"]
    if branch == "t315i":  # a TKI the variant makes resistant
        tkis = [t for t in tkis if t in ctx.rules.t315i_resistant()]
    # At diagnosis: blood blasts well below the accelerated-phase cut, whatever the branch (S6:
    # 9% sat on the cut and, by chance, in both failing courses); a spleen felt with a very high
    # count, as it usually is.
    diagnosis = ctx.at_diagnosis(rng)
    diagnosis["blasts_pct"] = float(rng.randint(0, int(shape.max_blood_blasts_at_diagnosis_pct)))
    if diagnosis["wbc"] > shape.palpable_spleen_above_wbc_10e9_per_l and not diagnosis["spleen_cm"]:
        diagnosis["spleen_cm"] = float(rng.randint(4, 12))
    if failure:
        # The hematologic relapse at a year returns the counts toward diagnosis and no further:
        # a white count and a spleen beyond those at diagnosis are the summary's signs of a
        # change to accelerated phase ("Progressive splenomegaly", "Increased leukocytosis"),
        # and the key of the T315I step would turn on the phase (R-course-fix3). A spleen not
        # felt at diagnosis is not felt now.
        if failure["wbc"] > diagnosis["wbc"]:
            return None
        felt = int(diagnosis["spleen_cm"])
        failure["spleen_cm"] = float(rng.randint(min(3, felt), min(8, felt)))
        if on_ponatinib.get("wbc"):  # the relapse on ponatinib, alike
            if on_ponatinib["wbc"] == failure["wbc"] or on_ponatinib["wbc"] > diagnosis["wbc"]:
                return None  # R-course-fix3: 75 at both relapses read as copied
            on_ponatinib["spleen_cm"] = min(on_ponatinib["spleen_cm"], float(felt))
    return Course(
        branch=branch,
        who=who,
        diagnosis=diagnosis,
        baseline_pct=baseline,
        tki=rng.choice(tkis),
        halving_days=halving,
        emr_day=emr_day,
        at_emr=at_emr,
        at_6_months=at_6,
        at_12_months=at_12,
        yearly=tuple(yearly),
        stop_verdict=verdict,
        failure=failure,
        variant=variant,
        t315i_story=story,
        on_ponatinib=on_ponatinib,
        donor=rng.choice(("sibling", "unrelated")) if branch == "t315i" else None,
        years_on_tki=years_on_tki,
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
        "stop_verdict": course.stop_verdict,
        "t315i_story": course.t315i_story,
    }
