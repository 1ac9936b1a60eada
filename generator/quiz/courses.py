"""One patient's course of chronic-phase CML, drawn whole: the values at diagnosis (BCR::ABL1
among them), the first TKI, BCR::ABL1 falling at 3, 6 and 12 months and after, fastest at first
and slower as it deepens, and what follows: years on the TKI until stopping is asked about, or a
loss of response, a kinase-domain result and the treatment it calls for. Unfolding cases
(templates/unfolding.py) ask about it step by step; a quiz version asks a SET of them
(endings by set_branches, each course by draw_apart), at most one failing and no two alike.

What a course answers is drawn first, as one plan (plan_for), with content/patients.yml's shares:
the first TKI; the 3-month class by that TKI (S10-final-courses: "nilotinib, dasatinib, and
bosutinib showed higher rates of earlier MMR compared with imatinib", so imatinib misses EMR more
often); the ending by the class (10-year event-free survival above 90% with any of them, so a
course rarely fails); the answer on stopping or the variant and its story. Then the values are
built to fit the plan (_decelerating), not drawn blind and thrown away: each value lies inside
the band its plan gives it, clear of every cut point, and no segment falls faster than the one
before (S10-final-courses C4: halving 118 days, then 34 and 43)."""

from __future__ import annotations

import dataclasses
import functools
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.quiz.cases import OLDEST_OFFERED_TRANSPLANT_YEARS, Patient, round_sig
from generator.quiz.question import QuizError

BRANCHES = ("responds", "fails_at_a_year", "fails_later")
CLASSES = ("met", "fast", "slow")  # the 3-month class: EMR met; missed, halving fast; missed, halving slowly
# The steps an unfolding case asks, in course order, for each branch (template ids without
# their "course-" prefix): as many for every branch, and the same kind of step at each place
# until the answers before it have told the branch. The halving time is asked of every course
# before the 3-month value is judged (S6: asked after it, it scored the EMR step's sum again).
STEPS: dict[str, tuple[str, ...]] = {
    "responds": ("first-line", "halving", "emr", "twelve-months", "stopping"),
    "fails_at_a_year": ("first-line", "halving", "emr", "twelve-months", "t315i"),
    "fails_later": ("first-line", "halving", "emr", "twelve-months", "t315i"),
}
FAILING = ("fails_at_a_year", "fails_later")
DAYS_PER_MONTH = 30
# Asciminib was approved as first-line therapy on early results, and "Longer follow-up is
# required" (S8-courses-3: 9 years on first-line asciminib is not yet possible): a course on it
# spans no more than this many months on it.
LONGEST_ON_FIRST_LINE_ASCIMINIB_MONTHS = 24
OTHER_VARIANT = "other"  # a kinase-domain variant other than T315I, told only of a course on imatinib
NO_VARIANT = "none"  # a kinase-domain mutation analysis that finds no variant
# The steps a course asks at its 3-month visit, in the two slots STEPS gives "halving" and "emr"
# (content/patients.yml three_month_steps, by 3-month class; S11-course-fix7 D5: three courses of a
# set asked the same five kinds of step, one key pattern). "three-months" is the step on what
# the 3-month result calls for: after a missed EMR, fast or slow, the test L979 gives for a
# suboptimal response (R-final-courses D1, D2), the TKI going on (L518).
THREE_MONTH_STEPS = {
    "emr_then_next": ("emr", "three-months"),
    "halving_then_emr": ("halving", "emr"),
    "halving_then_next": ("halving", "three-months"),
}


@dataclass(frozen=True)
class Course:
    """Everything that happens to one patient; steps show it a piece at a time."""

    branch: str  # the ending: responds, fails_at_a_year or fails_later
    start: str  # the 3-month class: met, fast or slow
    who: Patient
    diagnosis: dict[
        str, float
    ]  # spleen_cm, platelets, blasts_pct, marrow_blasts_pct, eosinophils_pct, basophils_pct, wbc
    baseline_pct: float  # BCR::ABL1 (IS) at diagnosis, shown with the counts
    tki: str  # the first-line TKI's therapy id
    halving_days: float  # the halving time from diagnosis to 3 months, as the values shown give it
    emr_day: int  # the EMR time point (3 months), in days on the TKI
    at_emr: float  # at the EMR time point (3 months)
    at_6_months: float
    at_12_months: float
    milestone_month: int = 12  # the visit that judges the response against MMR (the step after EMR)
    later: tuple[tuple[int, float], ...] = ()  # (month, BCR::ABL1) after 12 months, up to the milestone or failure
    yearly: tuple[tuple[int, float], ...] = ()  # (year on the TKI, BCR::ABL1) up to the stopping question
    stop_verdict: str | None = None  # candidate, too_soon or not_deep
    failure: dict[str, float] = field(default_factory=dict)  # month, wbc, spleen_cm, blasts_pct when it fails
    variant: str | None = None  # T315I, or OTHER_VARIANT
    t315i_story: str | None = None  # start_ponatinib, lower_ponatinib, after_ponatinib; switch_tki (other variant)
    on_ponatinib: dict[str, float] = field(default_factory=dict)  # at_3, at_6, at_9 (% IS), wbc, spleen_cm, blasts
    donor: str | None = None  # sibling or unrelated: told in every T315I story, whatever its key
    years_on_tki: int | None = None  # when stopping is asked about
    # Every kinase-domain mutation analysis sent, as (month, finding): "T315I", OTHER_VARIANT or
    # NO_VARIANT. A 3-month or 6-month value above 10% is a suboptimal response, for which
    # "patients should undergo BCR::ABL1 kinase domain mutation analysis" (L979; S12-final-courses
    # D5, R-final-courses D1, D2): tested, finding none, and the TKI goes on (L518, no change of
    # therapy on the 10% level). A consistently rising level or a loss of the hematologic
    # remission is tested and finds the course's variant; a level still falling but short of MMR
    # at a year is not tested.
    kinase_tests: tuple[tuple[int, str], ...] = ()
    milestone_depth: str = "MMR"  # the response at the milestone visit: MMR or MR4 (none for a failure at a year)
    three_month_steps: str = "halving_then_emr"  # which steps the 3-month visit asks (THREE_MONTH_STEPS)
    # A pleural effusion told at the 3-month visit (a course on dasatinib that met EMR, asked what
    # the result calls for): the dose is lowered then (S12-final-courses D1, L570).
    pleural_effusion: bool = False
    # The four treatments step 1 offers beside the first TKI (first_line_others): drawn with the
    # course, so a set can hold no two step-1 items alike (S12-final-courses D2).
    first_line_others: tuple[str, ...] = ()

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps the course asks, in order: STEPS for its branch, with the 3-month visit's
        two drawn for the course (THREE_MONTH_STEPS)."""
        steps = list(STEPS[self.branch])
        at = steps.index("halving")
        steps[at : at + 2] = THREE_MONTH_STEPS[self.three_month_steps]
        return tuple(steps)

    @property
    def step_kinds(self) -> tuple[str, ...]:
        """The kinds of step the course asks, the year step's by what it asks (the level, or the
        next step on a failure or a rising level): two courses alike here ask one key pattern."""
        visit = "twelve-months-action" if self.branch in FAILING else "twelve-months-level"
        return tuple(visit if s == "twelve-months" else s for s in self.steps)

    @property
    def asked_month(self) -> int:
        """The month of the visit the year step asks about: 12, or for a course that fails
        later the test that shows the level risen past MMR a second time."""
        return self.later[-1][0] if self.branch == "fails_later" else 12

    @property
    def at_milestone(self) -> float:
        """BCR::ABL1 at the milestone visit (12 months or later), or at the failure at a year."""
        return dict(self.monthly)[self.milestone_month]

    @property
    def monthly(self) -> list[tuple[int, float]]:
        """Every BCR::ABL1 value on the first TKI up to its milestone or failure, as (month, % IS)."""
        return [
            (0, self.baseline_pct),
            (3, self.at_emr),
            (6, self.at_6_months),
            (12, self.at_12_months),
            *self.later,
        ]

    @property
    def values(self) -> list[tuple[float, float]]:
        """Every BCR::ABL1 value on the first TKI, as (day, % IS), in time order."""
        points = [(month * float(DAYS_PER_MONTH), value) for month, value in self.monthly]
        points[1] = (float(self.emr_day), self.at_emr)
        return points + [(year * 12.0 * DAYS_PER_MONTH, value) for year, value in self.yearly]

    @property
    def trajectory(self) -> tuple[str, str]:
        """The classes the course's steps key up to the year step: its 3-month class and its
        response at the visit the year step asks about (R-course-design 3: two courses alike
        through step 4 are alike, whatever their last step)."""
        reading = {"fails_at_a_year": "failed", "fails_later": "lost"}.get(self.branch)
        return self.start, reading or (self.milestone_depth if self.start == "met" else "short")

    @property
    def signature(self) -> tuple[str, ...]:
        """What the course's steps answer after the first (whose answer is the TKI): its 3-month
        class, its ending, the depth at its milestone and the answer of its last step. Two courses
        of a set with the same signature ask the same sequence of keys (S10-final-courses)."""
        last = self.stop_verdict or self.t315i_story or ""
        return (self.start, self.branch, self.milestone_depth, last)


@dataclass(frozen=True)
class Plan:
    """What a course will answer, drawn before any of its values."""

    tki: str
    start: str
    branch: str
    verdict: str | None = None  # the answer on stopping, for a course that responds
    variant: str | None = None  # the variant found, for a course that fails


def drawn(rng: random.Random, shares) -> str:
    """One outcome, drawn with a content block of shares (models._Shares)."""
    weights = shares.weights()
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def first_line_tkis(ctx) -> list[str]:
    return [t for t in ctx.rules.treatment_options("chronic") if ctx.content.therapies[t].kind == "tki"]


def _feasible(ctx, tki: str, start: str, branch: str, verdict: str | None, variant: str | None) -> bool:
    """Whether a plan can be told as a coherent course."""
    if start != "met" and verdict == "too_soon":  # MR4.5 within 2 years after a missed EMR, slowing: never
        return False
    if (
        start == "slow" and verdict == "candidate"
    ):  # MMR in the fourth year at a slowing pace: MR4.5 held by the tenth, rarely
        return False
    if tki == "asciminib":  # "Longer follow-up is required": two years on it at most
        return branch == "responds" and verdict == "too_soon"
    if variant == OTHER_VARIANT:  # "Variants ... can confer resistance to imatinib mesylate"
        return tki == "imatinib"
    if variant == "T315I":  # "the T315I variant marks resistance to imatinib, dasatinib, nilotinib, and bosutinib"
        return tki in ctx.rules.t315i_resistant()
    return True


_PLANS: dict[int, tuple[Any, list[tuple[Plan, float]]]] = {}  # by content: (content, plans), made once


def plans(ctx) -> list[tuple[Plan, float]]:
    """Every plan a course can follow, with its weight (_plans), made once for a content."""
    made = _PLANS.get(id(ctx.content))
    if made is None or made[0] is not ctx.content:
        made = _PLANS[id(ctx.content)] = (ctx.content, _plans(ctx))
    return made[1]


def _plans(ctx) -> list[tuple[Plan, float]]:
    """Every plan a course can follow, with its weight: each first-line TKI alike (so no one drug
    keys the first step), the 3-month class by the drug's shares, the ending by the class's,
    then the answer on stopping or the variant found, with content's shares; plans that cannot
    be told (_feasible) dropped."""
    shape = ctx.content.patients.courses
    cells = []
    for tki in first_line_tkis(ctx):
        by_drug = shape.three_months.imatinib if tki == "imatinib" else shape.three_months.second_generation
        for start, share in by_drug.weights().items():
            for branch, ending in getattr(shape.branches, start).weights().items():
                outcomes = shape.stopping.weights() if branch == "responds" else shape.variants.weights()
                told = {
                    outcome: (
                        outcome if branch == "responds" else None,
                        None if branch == "responds" else ("T315I" if outcome == "t315i" else OTHER_VARIANT),
                    )
                    for outcome in outcomes
                }
                # A class's endings keep content's shares: its answers are shared out among those it
                # can tell (a slow fall is never in MR4.5 within 2 years), whatever the drug.
                able = sum(p for o, p in outcomes.items() if _feasible(ctx, "imatinib", start, branch, *told[o]))
                for outcome, part in outcomes.items():
                    verdict, variant = told[outcome]
                    weight = share * ending * part / able if able else 0
                    if weight and _feasible(ctx, tki, start, branch, verdict, variant):
                        cells.append((Plan(tki, start, branch, verdict, variant), weight))
    return cells


def plan_for(
    rng: random.Random, ctx, branch: str | None = None, start: str | None = None, tki: str | None = None
) -> Plan:
    """A plan drawn with content's shares, among those of the given ending, 3-month class and TKI."""
    cells = [
        (p, w)
        for p, w in plans(ctx)
        if branch in (None, p.branch) and start in (None, p.start) and tki in (None, p.tki)
    ]
    if not cells:
        raise QuizError(
            f"content/patients.yml gives no share to a course ending {branch} after a 3-month class {start}"
        )
    return rng.choices([p for p, _ in cells], weights=[w for _, w in cells])[0]


def branch_shares(ctx) -> dict[str, float]:
    """How often each branch ends a course, in percent, over every plan that can be told."""
    cells = plans(ctx)
    total = sum(w for _, w in cells)
    return {b: 100 * sum(w for p, w in cells if p.branch == b) / total for b in BRANCHES}


def branch_for(rng: random.Random, ctx, among: tuple[str, ...] = BRANCHES) -> str:
    """A branch drawn with content's shares, among the given ones."""
    shares = branch_shares(ctx)
    weights = [shares[b] for b in among]
    if not any(weights):
        raise QuizError(f"content/patients.yml gives no share to any of {', '.join(among)}")
    return rng.choices(among, weights=weights)[0]


def set_branches(rng: random.Random, ctx, count: int, among: tuple[str, ...] = BRANCHES) -> list[str]:
    """The endings of a set of courses (a quiz version's, or a reader's sheet): each drawn with
    content's shares, and at most one of them failing (S10-final-courses: 2 of 6 failed within 2
    years, against "the 10-year event-free survival and overall survival (OS) rates exceed 90%").
    Where more than one is drawn failing, one of them, at random, keeps its ending."""
    branches = [branch_for(rng, ctx, among) for _ in range(count)]
    failing = [i for i, b in enumerate(branches) if b in FAILING]
    if len(failing) > 1:
        keep = rng.choice(failing)
        rest = tuple(b for b in among if b not in FAILING)
        if not rest:
            raise QuizError("a set of courses may hold one failing course; ask for one, or for other endings too")
        for i in failing:
            if i != keep:
                branches[i] = branch_for(rng, ctx, rest)
    return branches


def near(a: float, b: float, ctx) -> bool:
    """Whether two values read as the same (content: apart_pct; S10-final-courses: 66% and 68%,
    1.8% and 1.9%, 0.34% and 0.34% in courses of one set)."""
    apart = 1 + ctx.content.patients.courses.apart_pct / 100
    return max(a, b) < min(a, b) * apart


# The trajectories through the year step a course that does not fail can take (met EMR with
# MMR or MR4 at a year; a fast or a slow fall short of MMR at a year), and the first-line TKIs
# a course can stay on for years (asciminib is kept to two): in a set no larger, none repeats.
ROOM = 4


def clones(a: Course, b: Course, ctx, size: int = 2) -> list[str]:
    """What two courses of a set of `size` share that makes them near-clones: the level at
    diagnosis, at 3 or at 12 months, the years on the TKI, the first TKI or the trajectory
    through the year step (Course.trajectory) in a set no larger than ROOM, or the whole
    sequence of step keys (Course.signature)."""
    shared = []
    if near(a.baseline_pct, b.baseline_pct, ctx):
        shared.append("level at diagnosis")
    if near(a.at_emr, b.at_emr, ctx):
        shared.append("3-month level")
    if near(a.at_12_months, b.at_12_months, ctx):
        shared.append("12-month level")
    # S12-final-courses D6: 2.5% -> 0.16% -> 0.0049% beside 2.7% -> 0.16% -> 0.0052%, apart by no
    # value and both MR4: a trajectory within content's tenths of a log at 3, 6 and 12 months alike.
    within = ctx.content.patients.courses.clone_within_tenths_of_a_log / 10
    points = ((a.at_emr, b.at_emr), (a.at_6_months, b.at_6_months), (a.at_12_months, b.at_12_months))
    apart = max(abs(math.log10(x / y)) for x, y in points)
    # R-course-fix9 D6: 15% -> 4.5% -> 0.5% beside 16% -> 5.6% -> 1%, apart by 0.301 log at 12
    # months only, read as one course twice: of one trajectory, half as far again apart somewhere.
    if apart < within or (a.trajectory == b.trajectory and apart < 1.2 * within):
        shared.append("values at 3, 6 and 12 months")
    if a.years_on_tki is not None and a.years_on_tki == b.years_on_tki:
        shared.append("years on the TKI")
    # R-course-fix9 D6: a repeated key with three of its four distractors shared.
    if a.tki == b.tki and (size <= ROOM or len(set(a.first_line_others) - set(b.first_line_others)) < 2):
        # S12-final-courses D2: one key drug and one option set at step 1 in two courses of a set.
        shared.append("first TKI")
    if a.signature == b.signature or (a.trajectory == b.trajectory and size <= ROOM):
        shared.append("step keys")
    elif a.trajectory == b.trajectory and near_halving(a.halving_days, b.halving_days, ctx):
        # S11-final-courses D7: one trajectory, both halving in 48 days (59 to 16%, 66 to 18%).
        # A met EMR's halving time (16 to 26 days) keys a step only where the halving is asked.
        if a.start != "met" or ("halving" in a.steps and "halving" in b.steps):
            shared.append("trajectory and halving time")
    return shared


def near_halving(a: float, b: float, ctx) -> bool:
    """Whether two halving times lie within content's clone_halving_apart_pct of each other."""
    return max(a, b) <= min(a, b) * (1 + ctx.content.patients.courses.clone_halving_apart_pct / 100)


def set_flaws(courses: Sequence[Course], ctx, size: int | None = None) -> list[str]:
    """Why a set of courses (or the first courses of a set of `size`) is not one a version may
    ask: more than one failing course; two near-clones (clones: among them one trajectory with
    halving times within content's clone_halving_apart_pct); more than content's
    most_alike_step_kinds courses asking one sequence of step kinds (S11-course-fix7 D5); in a
    set larger than ROOM, a first TKI more than twice or a trajectory more than three times, or
    fewer than ROOM first TKIs in all; or an imatinib course
    deeper at a year than every course on a more potent TKI (R-course-design 4, against "nilotinib,
    dasatinib, and bosutinib showed higher rates of earlier MMR compared with imatinib")."""
    size = size or len(courses)
    flaws = []
    if sum(c.branch in FAILING for c in courses) > 1:
        flaws.append("more than one failing course")
    for i, a in enumerate(courses):
        for j in range(i + 1, len(courses)):
            shared = clones(a, courses[j], ctx, size)
            if shared:
                flaws.append(f"courses {i + 1} and {j + 1} share the {', '.join(shared)}")
    most = math.ceil(size / ROOM)
    drugs = len(first_line_tkis(ctx))
    # A trajectory once more than a first TKI, each time asked by other kinds of step (a slow
    # fall no longer responds, S11-final-courses D1, so a set has three trajectories that respond).
    # S12-final-courses D2: no key drug twice at step 1 while the first-line TKIs last.
    for name, of, limit in (
        ("first TKI", lambda c: c.tki, math.ceil(size / drugs)),
        ("trajectory", lambda c: c.trajectory, most + 1 if size > ROOM else most),
    ):
        counts = Counter(of(c) for c in courses)
        if any(n > limit for n in counts.values()):
            flaws.append(f"a {name} in more than {limit} courses")
    alike = ctx.content.patients.courses.most_alike_step_kinds
    if any(n > alike for n in Counter(c.step_kinds for c in courses).values()):
        flaws.append(f"a sequence of step kinds in more than {alike:g} courses")
    if len(courses) == size and len({c.tki for c in courses}) < min(size, drugs):
        flaws.append(f"fewer than {min(size, drugs)} first TKIs")
    going = [c for c in courses if c.branch != "fails_at_a_year"]
    imatinib = [c.at_12_months for c in going if c.tki == "imatinib"]
    others = [c.at_12_months for c in going if c.tki != "imatinib"]
    if imatinib and others and min(imatinib) < min(others):
        flaws.append("an imatinib course deeper at a year than every other")
    return flaws


# Steps whose key is the course's 3-month class (the halving time and the EMR step): drawn alone,
# as a template like any other, their course's class is drawn with content's step_alone shares,
# so no one reading keys most of a bank of them (an item-writing choice for a step asked alone;
# a whole course, and a set, keep the drug's shares).
EVEN_CLASS_STEPS = ("halving", "emr")


def draw_for_step(rng: random.Random, ctx, step: str) -> Course:
    """A course for one step asked alone: its ending among those that ask the step, with
    content's shares, and for a step keyed by the 3-month class, that class with the shares for
    a step asked alone. The step on what the 3-month result calls for ("three-months", asked in
    the halving step's slot) draws its class with its own shares (R-final-courses D1), and the
    course asks it, in an order its class may ask (by content's shares)."""
    shape = ctx.content.patients.courses
    slot = "halving" if step == "three-months" else step
    among = tuple(b for b in BRANCHES if slot in STEPS[b])
    if slot not in EVEN_CLASS_STEPS:
        return draw_course(rng, ctx, branch_for(rng, ctx, among))
    start = drawn(rng, shape.step_alone_next_step if step == "three-months" else shape.step_alone_three_months)
    cells = [(p, w) for p, w in plans(ctx) if p.start == start and p.branch in among]
    branches = sorted({p.branch for p, _ in cells})
    weights = [sum(w for p, w in cells if p.branch == b) for b in branches]
    return draw_course(rng, ctx, rng.choices(branches, weights=weights)[0], start, asks_next=step == "three-months")


def steps_apart(rng: random.Random, ctx, course: Course, others: Sequence[Course], size: int) -> Course:
    """The course, its 3-month steps drawn again for a set (among those its class may ask): an
    order that set_flaws accepts beside the others (no sequence of step kinds too often, no
    trajectory asked twice by the same kinds), the least used sequence first, then content's
    shares; unchanged where no order helps. The values and keys stay as drawn."""
    if not others:
        return course
    shares = getattr(ctx.content.patients.courses.three_month_steps, course.start).weights()
    seen = Counter(c.step_kinds for c in others)
    # A pleural effusion is told with the step it keys: never moved to an order without it.
    able = [
        o for o, w in shares.items() if w and (not course.pleural_effusion or "three-months" in THREE_MONTH_STEPS[o])
    ]
    moved = [dataclasses.replace(course, three_month_steps=o) for o in able]
    draw = {c.three_month_steps: rng.random() ** (1 / shares[c.three_month_steps]) for c in moved}
    moved.sort(key=lambda c: (seen[c.step_kinds], -draw[c.three_month_steps]))
    return next((c for c in moved if not set_flaws([*others, c], ctx, size)), course)


# How often a course is drawn again to be apart from those drawn before it in a set.
APART_TRIES = 200


def draw_apart(
    rng: random.Random, ctx, branch: str | None, others: Sequence[Course], size: int, tki: str | None = None
) -> Course:
    """A course of a set of `size` (on the given first TKI), drawn again as often as needed until
    it is no near-clone of the courses of the set drawn before it (and the set holds one failing
    course at most)."""
    for _ in range(APART_TRIES):
        course = steps_apart(rng, ctx, draw_course(rng, ctx, branch, tki=tki), others, size)
        if not set_flaws([*others, course], ctx, size):
            return course
    raise QuizError(f"could not draw a course ending {branch} apart from the {len(others)} before it")


def set_tkis(rng: random.Random, ctx, branches: Sequence[str]) -> list[str]:
    """The first TKI of each course of a set with these endings: no TKI twice until every
    first-line TKI a course of that ending can take is used (S12-final-courses D2: bosutinib keyed
    step 1 twice in one set, nilotinib twice), each drawn with the weight content's plans give it
    for the ending; a failing course (fewer TKIs open to it) first."""
    tkis = first_line_tkis(ctx)
    weight = {
        (b, t): sum(w for p, w in plans(ctx) if p.branch == b and p.tki == t) for b in set(branches) for t in tkis
    }
    chosen: list[str] = [""] * len(branches)
    used: Counter[str] = Counter()
    for i in sorted(range(len(branches)), key=lambda i: branches[i] not in FAILING):
        able = [t for t in tkis if weight[branches[i], t] > 0]
        fewest = min(used[t] for t in tkis)  # a TKI again only once every one is used
        fresh = [t for t in able if used[t] == fewest] or [t for t in able if used[t] == min(used[u] for u in able)]
        chosen[i] = rng.choices(fresh, weights=[weight[branches[i], t] for t in fresh])[0]
        used[chosen[i]] += 1
    return chosen


# How often a set of courses is drawn again whole when a course of it finds no room.
SET_REDRAWS = 60


def draw_set(
    ctx,
    branches: Sequence[str],
    seed: str,
    candidates: int = 1,
    score=None,
) -> list[tuple[Course, random.Random]]:
    """A set of courses with these endings, as a quiz version (blueprint.expand) and a reader's
    sheet (scripts/print_courses.py) draw it: the first TKIs first (set_tkis), then each course
    apart from those before it (draw_apart), each with its own random stream from `seed`, kept
    with the course for its steps. Of `candidates` courses drawn apart for a place, the one
    `score(course, others)` ranks highest is kept. A set whose course finds no room is drawn again
    whole, up to SET_REDRAWS times; the same seed gives the same set."""
    size = len(branches)
    for attempt in range(SET_REDRAWS):
        suffix = f":{attempt}" if attempt else ""
        tkis = set_tkis(random.Random(f"{seed}:tkis{suffix}"), ctx, branches)
        # The course with the fewest plans open to it first (a first-line asciminib course is
        # always the one asked about stopping too soon), the set kept in its places.
        open_plans = [sum(1 for p, _ in plans(ctx) if p.branch == b and p.tki == t) for b, t in zip(branches, tkis)]
        drawn: dict[int, tuple[Course, random.Random]] = {}
        try:
            for n in sorted(range(size), key=lambda n: (open_plans[n], n)):
                rng = random.Random(f"{seed}:{n}{suffix}")
                others = [c for c, _ in drawn.values()]
                able = [draw_apart(rng, ctx, branches[n], others, size, tkis[n])]
                for _ in range(candidates - 1):
                    try:
                        able.append(draw_apart(rng, ctx, branches[n], others, size, tkis[n]))
                    except QuizError:
                        break
                best = max(able, key=lambda c: score(c, others)) if score else able[0]
                drawn[n] = (best, rng)
        except QuizError:
            continue
        return [drawn[n] for n in range(size)]
    raise QuizError(f"could not draw {size} courses ending {', '.join(branches)} apart from each other")


# A plan is told with values built to fit it; the few it cannot fit (a value whose band is
# narrower than a lab's two significant digits, a count at diagnosis below the relapse's) are
# built again, this many times at most.
BUILD_TRIES = 200


def draw_course(
    rng: random.Random,
    ctx,
    branch: str | None = None,
    start: str | None = None,
    tki: str | None = None,
    asks_next: bool = False,
) -> Course:
    """A coherent course: its plan drawn with content's shares, then values that fit it (with
    asks_next, in an order of 3-month steps that asks what the 3-month result calls for)."""
    shape = ctx.content.patients.courses
    plan = plan_for(rng, ctx, branch, start, tki)
    # The depth at the milestone visit: MMR for a course whose answer on stopping is that MR4.5
    # was never reached (it never goes deeper), for one that fails later (a reader of S9: 3 of 4
    # courses in MR4 relapsed, against "a longer duration of DMR" predicting that MMR is kept)
    # and for one that missed EMR (it reaches MMR later than a year); else drawn.
    depth = "MMR"
    if plan.start == "met" and plan.branch == "responds" and plan.verdict != "not_deep":
        by_drug = shape.milestone_depth.imatinib if plan.tki == "imatinib" else shape.milestone_depth.second_generation
        depth = drawn(rng, by_drug)
    story = None
    if plan.variant == "T315I" and plan.branch == "fails_later":
        # Found on a rising level with normal counts, before any hematologic relapse: the step
        # asks before ponatinib (the stories on it start from a level far higher).
        story = "start_ponatinib"
    elif plan.variant == "T315I":
        story = drawn(rng, shape.t315i_treatment)
    elif plan.variant == OTHER_VARIANT:
        story = "switch_tki"
    shares = getattr(shape.three_month_steps, plan.start)
    asks = drawn(rng, shares)
    while asks_next and "three-months" not in THREE_MONTH_STEPS[asks]:
        asks = drawn(rng, shares)
    # Told with the step it keys, and only there (R-final-courses D1: drawn first, it made every
    # course on dasatinib that met EMR ask the step, and the lower dose keyed a third of them).
    effusion = "three-months" in THREE_MONTH_STEPS[asks] and _effusion(rng, ctx, plan)
    for _ in range(BUILD_TRIES):
        course = _build(rng, ctx, plan, depth, story, effusion)
        if course is not None:
            others = first_line_others(rng, ctx, course)
            return dataclasses.replace(
                course, three_month_steps=asks, pleural_effusion=effusion, first_line_others=others
            )
    raise QuizError(f"could not draw a clear course for {plan}")


# Step 1's other treatments (S10-final-courses D3, S12-final-courses D2): every item holds a
# second treatment with a TKI in it that the summary gives for another setting (ponatinib, for
# T315I or after another TKI; hyper-CVAD with dasatinib, for lymphoid blastic phase), one or both,
# so "a TKI first" alone finds no key and ponatinib is not in every item; the rest are drawn with
# weights the patient sets (a transplant where the patient is young enough to be offered one
# early), the treatments hydroxyurea and the TKIs displaced long ago fewer. Item-writing weights.
FIRST_LINE_WITH_A_TKI = ("ponatinib", "hyper-cvad-dasatinib")
FIRST_LINE_WITHOUT = ("hydroxyurea", "busulfan", "interferon-alfa", "allogeneic-sct")
BOTH_WITH_A_TKI = 0.6  # how often both treatments with a TKI in them stand in one item
TEMPTING, UNTEMPTING = 0.8, 0.25  # a transplant's weight where the patient's age makes it tempting, or not
FIRST_LINE_WEIGHTS = {
    "hydroxyurea": 0.4,
    "busulfan": 0.25,
    "interferon-alfa": 0.25,
    "ponatinib": 2,
    "hyper-cvad-dasatinib": 3,
}


def first_line_others(rng: random.Random, ctx, course: Course) -> tuple[str, ...]:
    """The four treatments step 1 offers beside the course's first TKI. Hyper-CVAD with dasatinib
    is never beside a dasatinib key (the key's word in a distractor)."""
    with_a_tki = [t for t in FIRST_LINE_WITH_A_TKI if not (t == "hyper-cvad-dasatinib" and course.tki == "dasatinib")]
    both = len(with_a_tki) > 1 and rng.random() < BOTH_WITH_A_TKI
    picked = with_a_tki if both else rng.choices(with_a_tki, weights=[FIRST_LINE_WEIGHTS[t] for t in with_a_tki])
    picked = rng.sample(picked, len(picked))
    young = course.who.age < ctx.content.management.transplant.consider_early_below_age
    weight = {**FIRST_LINE_WEIGHTS, "allogeneic-sct": TEMPTING if young else UNTEMPTING}
    # Weighted sampling without replacement (Efraimidis and Spirakis): the largest u ** (1 / w).
    ranked = sorted(FIRST_LINE_WITHOUT, key=lambda t: rng.random() ** (1 / weight[t]), reverse=True)
    return (*picked, *ranked[: 4 - len(picked)])


def _effusion(rng: random.Random, ctx, plan: Plan) -> bool:
    """Whether the course tells a pleural effusion at its 3-month visit (and asks there what the
    result calls for), with content's share: only on dasatinib, with EMR met (the response on
    course, so a lower dose and not a switch is the step, L570)."""
    if plan.tki != "dasatinib" or plan.start != "met":
        return False
    return rng.random() * 100 < ctx.content.patients.courses.pleural_effusion_on_dasatinib_pct


def _bands(ctx, clear: float) -> dict[str, tuple[float, float]]:
    """Each molecular response level's values, clear of its own cut and the next deeper one."""
    levels = ctx.content.responses.molecular_responses
    bands = {}
    for level, deeper in zip(levels, [*levels[1:], None]):
        low = deeper.max_bcr_abl1_is_pct * clear if deeper else level.max_bcr_abl1_is_pct / 3
        bands[level.id] = (low, level.max_bcr_abl1_is_pct / clear)
    return bands


def clear_bands(ctx, low: float, high: float, emr: bool = True) -> list[tuple[float, float]]:
    """The stretches of low..high that lie clear of every cut point a value is judged against
    (each molecular response level's, and up to 6 months the EMR cut: "this 10% transcript level
    at 3 to 6 months"), by content's margin."""
    clear = ctx.content.patients.courses.clear_of_cut_factor
    cuts = [ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct] if emr else []
    cuts += [r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses]
    return list(_clear_stretches(tuple(cuts), clear, low, high))  # a list of its own: callers add to it


@functools.lru_cache(maxsize=4096, typed=True)
def _clear_stretches(cuts: tuple[float, ...], clear: float, low: float, high: float) -> tuple[tuple[float, float], ...]:
    """clear_bands' stretches, found once for each set of arguments: a course asks for the same
    few hundred some thousands of times (its values' bands are drawn again and again)."""
    stretches = [(low, high)]
    for cut in cuts:
        stretches = [
            piece
            for a, b in stretches
            for piece in ((a, min(b, cut / clear)), (max(a, cut * clear), b))
            if piece[0] < piece[1]
        ]
    return tuple(stretches)


def _within(
    rng: random.Random, stretches: Sequence[tuple[float, float]], low: float, high: float, skew: float = 1
) -> float | None:
    """A value as a lab reports it, inside one of the stretches and low..high (log-uniform; with
    a skew above 1, nearer low); None if none fits."""
    able = []
    for a, b in stretches:
        a, b = max(a, low), min(b, high)
        if a < b and lowest_lab_value(a) <= b:
            able.append((a, b))
    if not able:
        return None
    if skew == 1:
        a, b = rng.choices(able, weights=[math.log(b / a) + 1e-9 for a, b in able])[0]
        target = 10 ** rng.uniform(math.log10(a), math.log10(b))
    else:
        lowest, highest = able[0][0], able[-1][1]
        target = lowest * (highest / lowest) ** (rng.random() ** skew)
        a, b = min(able, key=lambda s: 0 if s[0] <= target <= s[1] else min(abs(target - s[0]), abs(target - s[1])))
    return inside(target, a, b)


def slows_as_it_deepens(rules, points: list[tuple[float, float]]) -> bool:
    """Whether each fall between values shown (day, % IS) is no faster than the one before:
    steep at first, slower as it deepens (S8-courses-3 D3: 37, 31, 33 days read as no slowing;
    S10-final-courses C4: 118 days, then 34 and 43)."""
    times = [rules.halving_time_days(a, b, d2 - d1) for (d1, a), (d2, b) in zip(points, points[1:]) if b < a]
    falls = all(b < a for (_, a), (_, b) in zip(points, points[1:]))
    return falls and times == sorted(times)


ROUNDING_PCT = 5  # the most that two significant digits move a value
ROUNDING = math.log2(1 + ROUNDING_PCT / 100)  # the same, in halvings


def _decelerating(
    rng: random.Random,
    ctx,
    origin: tuple[float, float],
    pace: float | None,
    points: Sequence[tuple[float, Sequence[tuple[float, float]]]],
) -> list[float] | None:
    """Values at the given days, each inside its stretches, falling from origin (day, value) with
    each segment no faster than the one before (pace: halvings a day of the segment before
    origin; None for the first). Each value is drawn where the ones after it can still be
    reached: no lower than its own stretches and the later ones allow (each fall at least
    content's least change), and no higher than the line through the value before and the top of
    each later stretch (a slower segment now leaves only slower ones after it)."""
    shape = ctx.content.patients.courses
    least = math.log2(1 + shape.least_change_per_visit_pct / 100)
    if not all(stretches for _, stretches in points):
        return None
    day0, level0 = origin[0], math.log2(origin[1])
    values = []
    for i, (day, stretches) in enumerate(points):
        span = day - day0
        low = level0 - pace * span * (1 - 1e-9) if pace is not None else -math.inf
        high = level0 - least
        for j in range(i + 1, len(points)):
            later_low = min(a for a, _ in points[j][1])
            later_high = max(b for _, b in points[j][1])
            low = max(low, math.log2(later_low) + (j - i) * least)
            rest = points[j][0] - day
            # Less a lab's rounding (up to 5%) for each value between, which may slow the pace.
            top = math.log2(later_high) - (j - i) * ROUNDING
            high = min(high, (top * span + level0 * rest) / (span + rest))
        if low >= high:
            return None
        # Nearer the fastest fall allowed: a course slows as it goes, and a slow segment early
        # leaves the later ones no room to slow. The last value, with none after it to leave room
        # for, anywhere in its band (S12-final-courses D6: MR4 at a year at 0.0049 to 0.0063%, MMR
        # mostly near its deep end: the depth within a category now varies).
        value = _within(rng, stretches, 2**low, 2**high, skew=3 if i < len(points) - 1 else 1)
        if value is None:
            return None
        level = math.log2(value)
        pace, day0, level0 = (level0 - level) / span, day, level
        values.append(value)
    return values


def _three_months(rng: random.Random, ctx, start: str) -> tuple[float, float] | None:
    """BCR::ABL1 at diagnosis and at 3 months, for the 3-month class: EMR met, its halving in
    content's days; missed, the halving time the two values give well under the summary's limit
    (fast) or well over it (slow)."""
    shape = ctx.content.patients.courses
    responses = ctx.content.responses
    clear = shape.clear_of_cut_factor
    emr_cut = responses.early_molecular_response.max_bcr_abl1_is_pct
    mmr = ctx.content.response("MMR").max_bcr_abl1_is_pct
    limit = responses.halving_time.max_days
    days = responses.early_molecular_response.at_months * DAYS_PER_MONTH
    if start == "met":
        halving, value_band = shape.emr_met_halving_days, (mmr * clear, emr_cut / clear)
        quickest, slowest = halving.low, halving.high
    else:
        span = shape.favourable_halving_pct_of_limit if start == "fast" else shape.unfavourable_halving_pct_of_limit
        quickest, slowest = limit * span.low / 100, limit * span.high / 100
        value_band = (emr_cut * clear, math.inf)
    first = ctx.content.patients.bcr_abl1_is_at_diagnosis_pct
    # The lowest level at diagnosis from which the slowest fall still ends in the band.
    lowest = max(first.low, value_band[0] * 2 ** (days / slowest))
    if lowest > first.high:
        return None
    baseline = round_sig(rng.uniform(lowest, first.high), 2)
    low = max(value_band[0], baseline * 2 ** (-days / quickest))
    high = min(value_band[1], baseline * 2 ** (-days / slowest))
    at_emr = _within(rng, [(low, high)], low, high)
    if at_emr is None:
        return None
    shown = ctx.rules.halving_time_days(baseline, at_emr, days)
    if start == "fast" and not shown * clear <= limit or start == "slow" and not shown >= limit * clear:
        return None
    return baseline, at_emr


def _build(rng: random.Random, ctx, plan: Plan, depth: str, story: str | None, effusion: bool = False) -> Course | None:
    shape = ctx.content.patients.courses
    responses = ctx.content.responses
    rules = ctx.rules
    emr_cut = responses.early_molecular_response.max_bcr_abl1_is_pct
    clear = shape.clear_of_cut_factor
    band = _bands(ctx, clear)
    stop = ctx.content.management.tki_discontinuation
    branch, begins, verdict = plan.branch, plan.start, plan.verdict
    emr_day = int(responses.early_molecular_response.at_months * DAYS_PER_MONTH)
    drawn_3 = _three_months(rng, ctx, begins)
    if drawn_3 is None:
        return None
    baseline, at_emr = drawn_3
    pace = math.log2(baseline / at_emr) / emr_day
    least = 1 + shape.least_change_per_visit_pct / 100

    later: list[tuple[int, float]] = []
    yearly: list[tuple[int, float]] = []
    years_on_tki = None
    milestone = 12
    if branch == "fails_at_a_year":
        # A fall no faster than the first months', then risen again by the failure at 12 months
        # (S10-final-courses), with no value between (S11-course-fix7 D6: a 9-month rise was left
        # unacted until 12 months).
        rise = shape.failing_rise_per_test_pct
        cap = min(baseline, shape.resisting_ponatinib.max_bcr_abl1_is_pct)
        slowest = at_emr * 2 ** (-pace * 3 * DAYS_PER_MONTH)
        highest = min(at_emr / least, cap / (rise.low / 100) ** 2)
        at_6 = _within(rng, clear_bands(ctx, slowest, highest), slowest, highest)
        if at_6 is None:
            return None
        low = max(at_6 * (rise.low / 100) ** 2, emr_cut * clear)
        high = min(at_6 * (rise.high / 100) ** 2, cap)
        at_12 = _within(rng, [(low, high)], low, high)
        if at_12 is None:
            return None
        at_mark = at_12
    else:
        # Falling, no segment faster than the one before, to the milestone's depth: at a year
        # after a met EMR; after a missed one, MMR at the first 6-monthly visit that reaches it,
        # from 18 months on (S8-courses-3 D3), short of it before.
        depth_low, depth_high = band[depth]
        cut = ctx.content.response(depth).max_bcr_abl1_is_pct
        if begins == "met":
            months = [6, 12]
            points = [
                (6.0 * DAYS_PER_MONTH, clear_bands(ctx, cut * clear, emr_cut / clear)),
                (12.0 * DAYS_PER_MONTH, clear_bands(ctx, depth_low, depth_high, emr=False)),
            ]
            if verdict == "too_soon":  # MR4.5 by the second year, reached at a slowing pace
                deep_low, deep_high = band[stop.depth]
                points.append((24.0 * DAYS_PER_MONTH, [(deep_low, deep_high)]))
            falling = _decelerating(rng, ctx, (float(emr_day), at_emr), pace, points)
            if falling is None:
                return None
            falling = falling[:2]
        else:
            falling_to = _falling_to_mmr(rng, ctx, begins, baseline, at_emr)
            if falling_to is None:
                return None
            months, falling = falling_to
        milestone = months[-1]
        at_6, at_12 = falling[0], falling[1]
        later = list(zip(months[2:], falling[2:]))
        at_mark = falling[-1]
        pace = math.log2(falling[-2] / at_mark) / ((months[-1] - months[-2]) * DAYS_PER_MONTH)
        if verdict is not None:
            yearly_drawn = _yearly(rng, ctx, verdict, milestone, at_mark, pace)
            if yearly_drawn is None:
                return None
            years_on_tki, yearly = yearly_drawn
        elif branch == "fails_later":
            after = _losing(rng, ctx, milestone, at_mark)
            if after is None:
                return None
            later += after

    failure: dict[str, float] = {}
    if branch == "fails_at_a_year":
        relapse = shape.relapse_counts
        d = ctx.content.patients.at_diagnosis
        wbc = relapse.wbc_10e9_per_l
        failure = {
            "month": 12.0,
            "wbc": float(rng.randrange(int(max(wbc.low, d.wbc_10e9_per_l.low)), int(wbc.high), 5)),
            # A few blasts, as in chronic phase, in blood and marrow: the marrow told with them,
            # so the phase is not left to the counts' signs (R-course-fix3).
            "blasts_pct": float(rng.randint(int(relapse.blasts_pct.low), int(relapse.blasts_pct.high))),
        }
        more = relapse.marrow_blasts_above_blood_pct
        failure["marrow_blasts_pct"] = failure["blasts_pct"] + float(rng.randint(int(more.low), int(more.high)))
        if rules.phase(failure["blasts_pct"], failure["marrow_blasts_pct"]) != "chronic":
            return None

    on_ponatinib: dict[str, float] = {}
    failed_at = at_12 if branch == "fails_at_a_year" else (later[-1][1] if later else at_12)
    if story in ("lower_ponatinib", "after_ponatinib"):
        # The months on ponatinib depend on the course only through the value it starts from:
        # drawn again on their own before the whole course is.
        for _ in range(30):
            on_ponatinib = _on_ponatinib(rng, ctx, story, failed_at, baseline)
            if on_ponatinib:
                break
        else:
            return None
    # A patient old enough for the course's years, and young enough for its treatments: a
    # transplant, ponatinib, or a TKI stopped ten years on.
    patients = ctx.content.patients
    oldest = min(patients.transplant_age_years.high, patients.oldest_on_ponatinib_years) - 2
    if story == "after_ponatinib":  # a transplant candidate by age (S6: 59 was doubtful)
        oldest = min(oldest, patients.transplant_age_years.high - 20)
    elif branch in FAILING:  # offered a transplant among the options (R-course-fix3: at 73)
        oldest = min(oldest, OLDEST_OFFERED_TRANSPLANT_YEARS)
    if branch == "responds":
        oldest = patients.age_years.high - (stop.upper_years_on_tki + shape.years_past_upper_range.high + 1)
    if effusion:  # on the standard dose: no older than the summary's older-patient age (L594)
        oldest = min(oldest, ctx.content.management.dasatinib.older_than_years)
    youngest = min(oldest - 15, patients.median_age_years - shape.youngest_below_median_years)
    who = _patient(rng, ctx, youngest, oldest)
    # At diagnosis: blood blasts well below the accelerated-phase cut, whatever the branch (S6:
    # 9% sat on the cut and, by chance, in both failing courses); a spleen felt with a very high
    # count, as it usually is.
    diagnosis = ctx.at_diagnosis(rng)
    # S9-final-courses: 0% blasts beside a white count of 270 is unusual; with hyperleukocytosis
    # a few are seen.
    fewest = 1 if diagnosis["wbc"] >= patients.hyperleukocytosis_wbc_10e9_per_l else 0
    diagnosis["blasts_pct"] = float(rng.randint(fewest, int(shape.max_blood_blasts_at_diagnosis_pct)))
    more = shape.marrow_blasts_above_blood_at_diagnosis_pct
    marrow = diagnosis["blasts_pct"] + rng.randint(int(more.low), int(more.high))
    diagnosis["marrow_blasts_pct"] = float(
        max(patients.min_marrow_blasts_pct, min(marrow, shape.max_blood_blasts_at_diagnosis_pct))
    )
    if rules.phase(diagnosis["blasts_pct"], diagnosis["marrow_blasts_pct"]) != "chronic":
        return None
    if diagnosis["wbc"] > shape.palpable_spleen_above_wbc_10e9_per_l and not diagnosis["spleen_cm"]:
        felt = shape.palpable_spleen_cm
        diagnosis["spleen_cm"] = float(rng.randint(int(felt.low), int(felt.high)))
    if failure:
        # The hematologic relapse returns the counts toward diagnosis and no further: a white
        # count and a spleen beyond those at diagnosis are the summary's signs of a change to
        # accelerated phase ("Progressive splenomegaly", "Increased leukocytosis"), and the key
        # of the T315I step would turn on the phase (R-course-fix3). A spleen not felt at
        # diagnosis is not felt now.
        if failure["wbc"] > diagnosis["wbc"]:
            low = max(ctx.content.patients.at_diagnosis.wbc_10e9_per_l.low, shape.relapse_counts.wbc_10e9_per_l.low)
            if diagnosis["wbc"] < low:
                return None
            failure["wbc"] = float(rng.randrange(int(low), int(diagnosis["wbc"]) + 1, 5))
        felt = int(diagnosis["spleen_cm"])
        spleen = shape.relapse_counts.spleen_cm
        failure["spleen_cm"] = float(rng.randint(min(int(spleen.low), felt), min(int(spleen.high), felt)))
        if on_ponatinib.get("wbc"):  # the relapse on ponatinib, alike
            if on_ponatinib["wbc"] == failure["wbc"] or on_ponatinib["wbc"] > diagnosis["wbc"]:
                return None  # R-course-fix3: 75 at both relapses read as copied
            on_ponatinib["spleen_cm"] = min(on_ponatinib["spleen_cm"], float(felt))
    tests: list[tuple[int, str]] = []
    if not rules.early_molecular_response(at_emr):  # suboptimal at 3 months (L979): no variant then
        tests.append((3, NO_VARIANT))
    if not rules.early_molecular_response(at_6):  # suboptimal at 6 months (L979): no variant then
        tests.append((6, NO_VARIANT))
    if plan.variant is not None:
        tests.append((12 if branch == "fails_at_a_year" else later[-1][0], plan.variant))
    return Course(
        branch=branch,
        start=begins,
        who=who,
        diagnosis=diagnosis,
        baseline_pct=baseline,
        tki=plan.tki,
        halving_days=rules.halving_time_days(baseline, at_emr, float(emr_day)),
        emr_day=emr_day,
        at_emr=at_emr,
        at_6_months=at_6,
        at_12_months=at_12,
        milestone_month=milestone,
        later=tuple(later),
        yearly=tuple(yearly),
        stop_verdict=verdict,
        failure=failure,
        variant=plan.variant,
        t315i_story=story,
        on_ponatinib=on_ponatinib,
        donor=rng.choice(("sibling", "unrelated")) if branch in FAILING else None,
        years_on_tki=years_on_tki,
        kinase_tests=tuple(tests),
        milestone_depth="none" if branch == "fails_at_a_year" else depth,
    )


def _falling_to_mmr(
    rng: random.Random, ctx, begins: str, baseline: float, at_emr: float
) -> tuple[list[int], list[float]] | None:
    """After a missed EMR, the values at 6 and 12 months and then every 6 months until the first
    in MMR (no earlier than content's month for it), each segment's halving time content's
    percentage of the one before (never shorter: the fall slows as it deepens), every value clear
    of the cuts and short of MMR before; a value that breaks a rule is drawn again on its own."""
    shape = ctx.content.patients.courses
    clear = shape.clear_of_cut_factor
    mmr = ctx.content.response("MMR").max_bcr_abl1_is_pct
    mmr_low, mmr_high = _bands(ctx, clear)["MMR"]
    slowing = getattr(shape.slowing_per_segment_pct, begins)
    least = 1 + shape.least_change_per_visit_pct / 100
    first = int(shape.milestone_months.missed)
    day = ctx.content.responses.early_molecular_response.at_months * float(DAYS_PER_MONTH)
    halving = ctx.rules.halving_time_days(baseline, at_emr, day)
    value, months, values = at_emr, [], []
    month = 6
    while month <= shape.latest_mmr_month:
        top = value / least
        if month == 12 and begins == "fast":  # near MMR by a year when it comes at 18 months
            top = min(top, shape.late_mmr_at_12_months_max_pct)
        may_reach = month >= first
        # Clear of the EMR cut at every visit, not only up to 6 months: a value at 10% later read
        # as a cut point a step's options name (the unfolding lint, no_hint_of_later_steps).
        stretches = clear_bands(ctx, mmr * clear, top)
        if may_reach:
            stretches += [(mmr_low, min(mmr_high, top))]
        for _ in range(30):
            pace = halving * rng.uniform(slowing.low, slowing.high) / 100
            target = value * 2 ** (-(month * DAYS_PER_MONTH - day) / pace)
            if may_reach and mmr_high < target < mmr * clear and month + 3 <= shape.latest_mmr_month:
                # By the MMR cut at this visit: the test 3 months on finds it in MMR, clear.
                month += 3
                stretches = [*clear_bands(ctx, mmr * clear, top, emr=False), (mmr_low, min(mmr_high, top))]
                target = value * 2 ** (-(month * DAYS_PER_MONTH - day) / pace)
            # The value the pace gives, or where it falls by a cut point, the nearest value above
            # it that is clear (slower, never faster).
            near_it = target / (1 + ROUNDING_PCT / 100)
            above = [
                (max(a, near_it), b) for a, b in stretches if b >= near_it and lowest_lab_value(max(a, near_it)) <= b
            ]
            if not above:
                continue
            a, b = min(above)
            drawn_value = inside(max(target, a), a, b)
            shown = ctx.rules.halving_time_days(value, drawn_value, month * DAYS_PER_MONTH - day)
            if shown >= halving:
                break
        else:
            return None
        months.append(month)
        values.append(drawn_value)
        halving, day, value = shown, month * float(DAYS_PER_MONTH), drawn_value
        if may_reach and drawn_value <= mmr_high:
            return months, values
        month += 6
    return None


def _held(
    rng: random.Random, ctx, around: float, stretches: Sequence[tuple[float, float]], count: int
) -> list[float] | None:
    """count values held at a plateau, each near the one before (up to content's spread), inside
    the stretches, as lab values scatter: never three alike in a row (S8-courses-3 D3: 0.017%
    three years running read as generated) and never rising on three tests in a row (a
    consistently rising level suggests relapse)."""
    spread = 1 + ctx.content.patients.courses.plateau_spread_pct / 100
    values: list[float] = []
    before = [around]
    for _ in range(count):
        last = [*before, *values][-2:]
        for _ in range(20):
            value = _within(rng, stretches, last[-1] / spread, last[-1] * spread)
            if value is None:
                return None
            if len(last) == 2 and (last[0] < last[1] < value or last[0] == last[1] == value):
                continue
            break
        else:
            return None
        values.append(value)
    return values


def _yearly(
    rng: random.Random, ctx, verdict: str, milestone: int, at_mark: float, pace: float
) -> tuple[int, list[tuple[int, float]]] | None:
    """The years on the TKI when stopping is asked, and a value once a year after the milestone
    visit: held in MMR, never MR4 (not deep enough); or falling on, no faster than before, into
    MR4.5 and held there for at least the last three years (a candidate) or by the second year
    (too soon)."""
    shape = ctx.content.patients.courses
    stop = ctx.content.management.tki_discontinuation
    band = _bands(ctx, shape.clear_of_cut_factor)
    first_year = milestone // 12 + 1
    if verdict == "too_soon":
        years = int(stop.min_years_on_tki) - 1
    else:
        past = shape.years_past_upper_range
        able = [
            int(stop.upper_years_on_tki) + n
            for n in range(int(past.low), int(past.high) + 1)
            if int(stop.upper_years_on_tki) + n >= first_year + 2
        ]
        if not able:
            return None
        years = rng.choice(able)
    if years < first_year:
        return None
    if verdict == "not_deep":
        # A plateau between MMR and MR4, clear of both cuts.
        held = _held(rng, ctx, at_mark, [band["MMR"]], years - first_year + 1)
        if held is None or too_even(ctx, held):
            return None
        return years, list(zip(range(first_year, years + 1), held))
    # The year MR4.5 is reached: by the last three years for a candidate, by year 2 too soon.
    latest = years - 2 if verdict == "candidate" else years
    deep_low, deep_high = band[stop.depth]
    cut = ctx.content.response(stop.depth).max_bcr_abl1_is_pct
    # Into MR4.5, or on to MR5 (R-course-design 6: the deepest courses never reached it), or, in
    # content's share, held detectable inside MR4.5, from the assay's usual sensitivity up to
    # clear of MR4.5's cut (S12-final-courses D3: "undetectable" or 0.015% to 0.06%, so the 0.0032%
    # cut was never tested); the level the assay reports is no cut the stopping step judges.
    deep = [band["MR5"], (deep_low, deep_high)]
    if rng.random() * 100 < shape.detectable_mr4_5_plateau_pct:
        deep = [(ctx.content.response(ctx.content.responses.undetectable_usually).max_bcr_abl1_is_pct, deep_high)]
    for reached in rng.sample(range(first_year, latest + 1), latest - first_year + 1):
        points = [
            (year * 12.0 * DAYS_PER_MONTH, clear_bands(ctx, cut * shape.clear_of_cut_factor, at_mark))
            for year in range(first_year, reached)
        ]
        points.append((reached * 12.0 * DAYS_PER_MONTH, deep))
        falling = _decelerating(rng, ctx, (milestone * float(DAYS_PER_MONTH), at_mark), pace, points)
        if falling is None:
            continue
        # Held in MR4.5 or deeper (MR5), clear of both cuts (R-course-design 6: never MR5), or
        # detectable inside MR4.5.
        held = _held(rng, ctx, falling[-1], deep, years - reached)
        # The run checked with the year MR4.5 was reached (R-course-fix9 set: 0.0017%, then
        # 0.0019%, 0.0017% and 0.002% slipped past a check of the held years alone).
        if held is None or too_even(ctx, [falling[-1], *held]):
            continue
        return years, list(zip(range(first_year, years + 1), [*falling, *held]))
    return None


def as_reported(ctx, value: float) -> float | None:
    """A value as a laboratory reports it: itself, or None (undetectable) below the cut of the
    level undetectable usually is (content: undetectable_usually, MR5's 0.001%; S11-final-courses
    D8: 0.00034% is past usual assay sensitivity)."""
    cut = ctx.content.response(ctx.content.responses.undetectable_usually).max_bcr_abl1_is_pct
    return None if value < cut else value


def too_even(ctx, values: Sequence[float]) -> bool:
    """Whether content's plateau_run values in a row, all detectable, lie within its
    plateau_least_range_pct of each other (S11-final-courses D8: 0.002, 0.0017, 0.0018, 0.0018,
    0.0017, 0.0017% for six years; R-course-fix8 D12: 0.0015% to 0.0021% for eight). A run of
    undetectable results is what a lab reports, and counts as none."""
    shape = ctx.content.patients.courses
    run = int(shape.plateau_run)
    shown = [as_reported(ctx, v) for v in values]
    widest = 1 + shape.plateau_least_range_pct / 100
    for i in range(len(shown) - run + 1):
        window = shown[i : i + run]
        if None not in window and max(window) < min(window) * widest:  # type: ignore[type-var]
            return True
    return False


def _losing(rng: random.Random, ctx, milestone: int, at_mark: float) -> list[tuple[int, float]] | None:
    """After MMR at a year, a course that fails later: MMR held on tests 3 months apart, then the
    level rises on each test, a little inside MMR and then past it twice, with normal counts;
    the year step is asked at the second value past MMR ("A consistently rising quantitative
    RT-PCR BCR::ABL1 level suggests relapsed disease"). S9-final-courses: it jumped from MMR to a
    hematologic relapse between two visits 6 months apart."""
    shape = ctx.content.patients.courses
    rules = ctx.rules
    clear = shape.clear_of_cut_factor
    mmr = ctx.content.response("MMR").max_bcr_abl1_is_pct
    low, high = _bands(ctx, clear)["MMR"]
    span = shape.rise_after_milestone_months
    rises_from = milestone + 3 * rng.randint(math.ceil(span.low / 3), int(span.high) // 3)
    held_count = (rises_from - milestone) // 3 - 1
    held = _held(rng, ctx, at_mark, [(low, high)], held_count) if held_count else []
    if held is None:
        return None
    after = [(milestone + 3 * (n + 1), v) for n, v in enumerate(held)]
    before = held[-1] if held else at_mark
    least = 1 + shape.least_change_per_visit_pct / 100
    inside_mmr = _within(rng, [(low, high)], before * least, high)
    if inside_mmr is None:
        return None
    rise = shape.losing_rise_per_test_pct
    past = _within(rng, clear_bands(ctx, inside_mmr * rise.low / 100, inside_mmr * rise.high / 100), mmr * clear, 100)
    if past is None:
        return None
    further = _within(rng, clear_bands(ctx, past * rise.low / 100, past * rise.high / 100), 0, 100)
    if further is None:
        return None
    after += [(rises_from, inside_mmr), (rises_from + 3, past), (rises_from + 6, further)]
    values = [at_mark, *(v for _, v in after)]
    if not rules.consistently_rising(values):
        return None
    return after


def _on_ponatinib(rng: random.Random, ctx, story: str, failed_at: float, baseline: float) -> dict[str, float]:
    """BCR::ABL1 at 3, 6 and 9 months on ponatinib 45 mg, told alike in both stories (S6-2 E2:
    the sampling differed by story); {} where no clear series fits. Lowered: falling, above the
    response level (at or below which the dose is lowered) until 9 months, and clear of it then.
    Resisting (S6-2 E1: one 1.3-fold rise after a fall keyed transplant): a level that rises on
    every test, at least twofold in all, and a hematologic relapse at 9 months after normal
    counts at 3, overt failure by the summary's definition, in chronic phase, told with the
    blasts (S8-courses-3: a relapse on ponatinib gave no phase)."""
    shape = ctx.content.patients.courses
    clear = shape.clear_of_cut_factor
    emr_cut = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    mmr = ctx.content.response("MMR").max_bcr_abl1_is_pct
    response = ctx.content.management.ponatinib.response_bcr_abl1_is_pct

    def between(low: float, high: float) -> float:
        return inside(10 ** rng.uniform(math.log10(low), math.log10(high)), low, high)

    if story == "lower_ponatinib":
        # Each fall on ponatinib no faster than the one before (R-course-fix3: 21, 82, then
        # 30 days read as uneven): steep at first, slower as it deepens. Each value is drawn
        # no lower than the last fall's pace would take it.
        quarter = 3.0 * DAYS_PER_MONTH

        def no_faster(before: float, after: float) -> float:
            """The lowest value the next quarter can reach at the pace from before to after."""
            return after * after / before

        if response * clear * 2 > min(failed_at / 2, emr_cut / clear):
            return {}
        first = between(response * clear * 2, min(failed_at / 2, emr_cut / clear))
        low, high = max(response * clear, no_faster(failed_at, first)), first / clear
        if low * 1.1 > high:  # too narrow a band to hold a value as a lab reports it
            return {}
        second = between(low, high)
        low, high = max(mmr * clear, no_faster(first, second)), response / clear
        if low * 1.1 > high:
            return {}
        third = between(low, high)
        falls = [
            ctx.rules.halving_time_days(before, after, quarter)
            for before, after in ((failed_at, first), (first, second), (second, third))
        ]
        if falls != sorted(falls):
            return {}
        return {"at_3": first, "at_6": second, "at_9": third, "wbc": 0.0, "spleen_cm": 0.0}
    resisting = shape.resisting_ponatinib
    rise = resisting.rise_per_test_pct
    rises = rng.uniform(rise.low, rise.high) / 100, rng.uniform(rise.low, rise.high) / 100
    cap = min(baseline, resisting.max_bcr_abl1_is_pct)
    first_at_most = resisting.first_value_at_most_pct_of_failure / 100
    low, high = emr_cut * clear, min(failed_at * first_at_most, cap / (rises[0] * rises[1]))
    if low > high:
        return {}
    first = between(low, high)
    second = round_sig(first * rises[0], 2)
    third = round_sig(second * rises[1], 2)
    if not (first < second < third <= cap and third >= resisting.min_rise_in_all_pct / 100 * first):
        return {}
    wbc, spleen = resisting.wbc_10e9_per_l, resisting.spleen_cm
    relapse = shape.relapse_counts
    blasts = float(rng.randint(int(relapse.blasts_pct.low), int(relapse.blasts_pct.high)))
    more = relapse.marrow_blasts_above_blood_pct
    marrow = blasts + float(rng.randint(int(more.low), int(more.high)))
    if ctx.rules.phase(blasts, marrow) != "chronic":
        return {}
    return {
        "at_3": first,
        "at_6": second,
        "at_9": third,
        "wbc": float(rng.randrange(int(wbc.low), int(wbc.high), 5)),
        "spleen_cm": float(rng.randint(int(spleen.low), int(spleen.high))),
        "blasts_pct": blasts,
        "marrow_blasts_pct": marrow,
    }


def _patient(rng: random.Random, ctx, youngest: float, oldest: float) -> Patient:
    """A patient aged youngest to oldest, never within content's margin of the summary's age for
    early transplant (S12-final-courses D7: three of six aged 59, just under "younger than 60")."""
    line = ctx.content.management.transplant.consider_early_below_age
    margin = ctx.content.patients.transplant_age_margin_years
    while True:
        who = ctx.patient(rng, low=youngest, high=oldest)
        if abs(who.age - line) >= margin or youngest >= line - margin and oldest <= line + margin:
            return who


def inside(value: float, low: float, high: float) -> float:
    """value, moved inside low..high if it strays, then rounded as a lab reports it without
    leaving the band."""
    least = lowest_lab_value(low)
    if least > high:
        raise QuizError(f"no value from {low:g} to {high:g} survives rounding")
    rounded = round_sig(min(max(value, low), high), 2)
    if rounded < low:
        return least
    while rounded > high:  # rounded up past the top: one lab step down
        rounded = round_sig(rounded - 10 ** (math.floor(math.log10(rounded)) - 1), 2)
    return max(rounded, least)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def lowest_lab_value(low: float) -> float:
    """The lowest value at or above `low` that a lab reports (two significant digits).
    Remembered: drawing a course asks it of the same bounds over and over (two calls in three
    repeat an earlier one)."""
    step = 10 ** (math.floor(math.log10(low)) - 1)
    value = round_sig(math.ceil(round(low / step, 9)) * step, 2)
    return value if value >= low else round_sig(value + step, 2)


def describe(course: Course) -> dict[str, Any]:
    """The course as plain data, for a reader or a test."""
    return {
        "branch": course.branch,
        "three_months": course.start,
        "milestone_month": course.milestone_month,
        "failure_month": course.failure.get("month"),
        "age": course.who.age,
        "tki": course.tki,
        "values": course.values,
        "variant": course.variant,
        "years_on_tki": course.years_on_tki,
        "stop_verdict": course.stop_verdict,
        "t315i_story": course.t315i_story,
        "kinase_tests": course.kinase_tests,
        "pleural_effusion": course.pleural_effusion,
    }
