"""Unfolding cases: one patient's course (generator/quiz/courses.py) asked step by step.

Each step is a single-best-answer question about the course so far, keyed by the rules from
the values shown up to that step and no later; its stem carries the whole story so far, and
`Step.news` what it adds. A step is also a template like any other (`course-emr`), drawn
alone with the history of a course that reaches it; `unfold` asks a whole course in order.
Which options a step offers is drawn the same way whatever the branch, so they never hint at what
follows."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
from collections.abc import Callable

from generator.quiz.courses import (
    DAYS_PER_MONTH,
    NO_VARIANT,
    THREE_MONTH_STEPS,
    Course,
    as_reported,
    draw_for_step,
)
from generator.quiz.question import (
    LearnMore,
    Option,
    Question,
    QuizError,
    Step,
    assemble,
    assemble_by_text,
)
from generator.quiz.registry import Context, template
from generator.render import format_number

PREFIX = "course-"
Builder = Callable[[Course, Context, random.Random], Question]
BUILDERS: dict[str, Builder] = {}


# The slot a step fills in courses.STEPS: the step on what the 3-month result calls for takes
# the halving step's place or the EMR step's (courses.THREE_MONTH_STEPS, drawn by content's
# shares by 3-month class; S11-course-fix7 D5: one step-kind sequence in three courses of six).
# After a missed EMR, fast or slow, it keys the test L979 gives for a suboptimal response
# (R-final-courses D1, D2).
SLOT = {"three-months": "halving"}


def course_steps(course: Course, ctx: Context) -> tuple[str, ...]:
    """The steps this course asks, in order (Course.steps)."""
    return course.steps


def unfold(
    course: Course,
    ctx: Context,
    rng: random.Random,
    case_id: str = "",
    upto: str | None = None,
    asked: set[str] | None = None,
) -> list[Question]:
    """The course's steps in order (up to `upto`; only those `asked`, when given, a step also
    asked by the slot it fills), each stem carrying the story so far; a step not asked still
    tells its part, with the next one asked."""
    questions: list[Question] = []
    story: list[str] = []
    unasked: list[str] = []
    if asked is not None:
        course = _asking(course, ctx, asked)
    order = course_steps(course, ctx)
    steps = [s for s in order if asked is None or s in asked or SLOT.get(s) in asked]
    for step in order:
        question = BUILDERS[step](course, _as(step, ctx), rng)
        story.append(question.vignette)
        if step not in steps:
            unasked.append(question.vignette)
            continue
        news = " ".join([*unasked, question.vignette])
        unasked = []
        questions.append(
            dataclasses.replace(
                question,
                template=PREFIX + step,
                vignette=" ".join(story),
                step=Step(case_id, len(questions) + 1, len(steps), news) if case_id else None,
            )
        )
        if step == upto:
            break
    return questions


def _asking(course: Course, ctx: Context, asked: set[str]) -> Course:
    """The course with 3-month steps that hold the ones a blueprint asks (courses.THREE_MONTH_STEPS,
    among those its class may ask), where its own order leaves one out."""
    wanted = {s for s in ("halving", "emr", "three-months") if s in asked or SLOT.get(s) in asked}
    if wanted <= set(course.steps):
        return course
    shares = getattr(ctx.content.patients.courses.three_month_steps, course.start).weights()
    able = [o for o, w in shares.items() if w and wanted <= set(THREE_MONTH_STEPS[o])]
    if not able:
        return course
    return dataclasses.replace(course, three_month_steps=max(able, key=lambda o: shares[o]))


def _as(step: str, ctx: Context) -> Context:
    """The context of another step, whose texts a step borrows."""
    return dataclasses.replace(ctx, template_id=PREFIX + step)


def _listed(items: list[str]) -> str:
    """Items as a sentence lists them: "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _tki(ctx: Context, therapy_id: str) -> str:
    """A TKI as a sentence names it: "imatinib", not "Imatinib mesylate"."""
    return ctx.content.therapies[therapy_id].name.split()[0].lower()


# Every step suits residents and fellows; the first steps, students too.
LEARNERS_BY_STEP = {
    "first-line": ("student", "resident", "fellow"),
    "emr": ("student", "resident", "fellow"),
    "three-months": ("student", "resident", "fellow"),
}


def _register(step: str, title: str, topic: str, section: str, examines: str):
    """Register the builder of one step, and the step as a template drawn alone."""

    def register(build: Builder):
        BUILDERS[step] = build

        learners = LEARNERS_BY_STEP.get(step, ("resident", "fellow"))

        @template(PREFIX + step, title, topic, section, examines=examines, learners=learners)
        def make(rng: random.Random, ctx: Context, difficulty: str) -> Question:
            # course-design draws the class evened out where it keys; the halving step and the one
            # after EMR met share a slot, so a course is drawn until it asks this one.
            for _ in range(200):
                course = draw_for_step(rng, ctx, step)
                if step in course_steps(course, ctx):
                    return unfold(course, ctx, rng, upto=step)[-1]
            raise QuizError(f"no course drawn asks the step {step}")

        make.expected(build.expected)  # type: ignore[attr-defined]
        return build

    return register


def expects(build: Builder):
    """Attach expected(case, ctx) -> the key's text to a step's builder."""

    def attach(expected):
        build.expected = expected  # type: ignore[attr-defined]
        return expected

    return attach


# --- 1. The first TKI ----------------------------------------------------------------------------------


def _complaints(course: Course, ctx: Context) -> list[str]:
    """What brings the patient in: not a routine count where the white count is so high that
    symptoms come with it (a reader of S9: 290 on a routine count, without symptoms)."""
    d = course.diagnosis
    said = ctx.say_each("complaint") + ([ctx.say("complaint_spleen")] if d["spleen_cm"] else [])
    big_spleen = d["spleen_cm"] >= ctx.content.patients.courses.routine_count_below_spleen_cm
    if d["wbc"] > ctx.content.patients.courses.palpable_spleen_above_wbc_10e9_per_l or big_spleen:
        said = [c for c in said if "routine" not in c]
    return said


def first_line(course: Course, ctx: Context, rng: random.Random) -> Question:
    d = course.diagnosis
    who = course.who
    spleen = ctx.say("spleen_palpable", cm=d["spleen_cm"]) if d["spleen_cm"] else ctx.say("spleen_not_palpable")
    # Drawn with the course (courses.first_line_others), so a set holds no two alike.
    others = list(course.first_line_others)
    young = who.age < ctx.content.management.transplant.consider_early_below_age
    # S12-final-courses D2: the stem gives the blasts and no phase; the key reads it from them.
    case = {
        "blasts_pct": d["blasts_pct"],
        "marrow_blasts_pct": d["marrow_blasts_pct"],
        "options": [course.tki, *others],
    }
    key_text = first_line.expected(case, ctx)  # type: ignore[attr-defined]
    therapies = ctx.content.therapies
    key_name = _first_line_name(ctx, course.tki)
    options = [Option(key_name, ctx.say("why_key", name=key_name))]
    hyper = d["wbc"] >= ctx.content.patients.hyperleukocytosis_wbc_10e9_per_l
    for t in others:
        alone = t == "hydroxyurea" and hyper
        name = ctx.say("hydroxyurea_alone") if alone else therapies[t].name
        # R-course-steps-r2 D1-3: the transplant reason speaks to this patient's age.
        why = "why_hydroxyurea_alone" if alone else f"why_{t}"
        if t == "allogeneic-sct" and not young:
            why = "why_allogeneic-sct_older"
        options.append(Option(name, ctx.say(why, age=who.age)))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "news",
            who=who.intro,
            complaint=rng.choice(_complaints(course, ctx)),
            spleen=spleen,
            wbc=d["wbc"],
            platelets=d["platelets"],
            blasts=d["blasts_pct"],
            marrow=d["marrow_blasts_pct"],
            baseline=course.baseline_pct,
            history=ctx.say("history", pronoun=who.pronoun),
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(
            "explanation",
            name=_tki(ctx, course.tki),
            blasts=d["blasts_pct"],
            marrow=d["marrow_blasts_pct"],
            hyper=ctx.say("explanation_hyper") if "hyper-cvad-dasatinib" in others else "",
            ponatinib=ctx.say("explanation_ponatinib") if "ponatinib" in others else "",
            survival=ctx.say("survival_asciminib" if course.tki == "asciminib" else "survival_any"),
        ),
        learn_more=LearnMore("Treatment of chronic-phase CML", "sections/chronic.md"),
        case=case,
    )


@expects(first_line)
def _(case, ctx):
    allowed = ctx.rules.treatment_options(ctx.rules.phase(case["blasts_pct"], case["marrow_blasts_pct"]))
    return _first_line_name(ctx, next(t for t in case["options"] if t in allowed))


def _first_line_name(ctx: Context, therapy_id: str) -> str:
    """An inhibitor by its drug name alone (R-course-steps-r2 D1-3: "Imatinib mesylate", the one
    option with a salt, marked the key); any other treatment by its full name."""
    therapy = ctx.content.therapies[therapy_id]
    return therapy.name.split()[0] if therapy.kind == "tki" else therapy.name


_register(
    "first-line",
    "Unfolding case: the first TKI",
    "first-line",
    "chronic",
    "the first TKI for a patient newly diagnosed in chronic phase, within a course",
)(first_line)


# --- 2. EMR at 3 months, and what the halving time since diagnosis says when it is missed -----------------

# What the 3-month value and the halving time mean, in words and not against a printed "76 days"
# (R-course-steps D1: the stem gives the halving time, so "under 76 days" in an option was a
# comparison of two printed numbers, and the 76-day point went untested): EMR met; missed, but a
# fall fast enough to match the patients who still did well; missed, and too slow for that; and
# two of the misreadings of a missed EMR a student makes, in the same form (S8-courses-3 D6: "MMR
# is already achieved" was never plausible, and a change of TKI was an action among
# descriptions). Which misreadings are offered never depends on the course.
EMR_READINGS = ("met", "missed_fast", "missed_slow")
EMR_MISREADINGS = ("mmr_already", "failure")


def emr(course: Course, ctx: Context, rng: random.Random) -> Question:
    """Three answers, each drawn with its branch's share: EMR met; missed, with a halving time
    since diagnosis under the summary's limit; missed, with one over it."""
    days = float(course.emr_day)
    case = {"baseline_pct": course.baseline_pct, "bcr_abl1_is_pct": course.at_emr, "days": days}
    key_text = emr.expected(case, ctx)  # type: ignore[attr-defined]
    exact = round(ctx.rules.halving_time_days(course.baseline_pct, course.at_emr, days))
    said = {
        "value": course.at_emr,
        "baseline": course.baseline_pct,
        "days": round(days),
        "exact": exact,
        "mmr": ctx.content.response("MMR").max_bcr_abl1_is_pct,
        "dmr": ctx.content.response(ctx.content.responses.targets.optimal).max_bcr_abl1_is_pct,
    }
    # S9-final-courses: where EMR was met, the key was the one "achieved" option among four
    # "missed"; "MMR already" stands in every item, beside one of the other two.
    names = [*EMR_READINGS, *EMR_MISREADINGS]
    key_name = next(name for name in names if ctx.say(f"option_{name}") == key_text)
    met = ctx.rules.early_molecular_response(course.at_emr)
    options = []
    for name in names:
        # A wrong option's reason speaks to this result: met, or missed with the other halving time.
        own = [f"why_{name}_right"] if name == key_name else [f"why_{name}_when_{key_name}", f"why_{name}_wrong"]
        why = next((k for k in own if ctx.has(k)), f"why_{name}")
        options.append(Option(ctx.say(f"option_{name}"), ctx.say(why, **said)))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=_three_month_visit(course, ctx)
        + ctx.say(
            "news" if "halving" in course_steps(course, ctx) else "news_met",
            exact=exact,
            baseline=course.baseline_pct,
            value=course.at_emr,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation_met" if met else "explanation_missed", **said),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


def _three_month_visit(course: Course, ctx: Context) -> str:
    """The start of the TKI and the 3-month visit, told by the halving step where it is asked
    and here where it is not (EMR met)."""
    if "halving" in course_steps(course, ctx):
        return ""
    said = {"pronoun": course.who.pronoun, "tki": _tki(ctx, course.tki), "value": course.at_emr}
    return _as("halving", ctx).say("news", days=round(course.emr_day), **said) + " "


@expects(emr)
def _(case, ctx):
    if ctx.rules.early_molecular_response(case["bcr_abl1_is_pct"]):
        return ctx.say("option_met")
    days = ctx.rules.halving_time_days(case["baseline_pct"], case["bcr_abl1_is_pct"], case["days"])
    return ctx.say("option_missed_fast" if ctx.rules.halving_time_favourable(days) else "option_missed_slow")


_register(
    "emr",
    "Unfolding case: early molecular response",
    "monitoring",
    "chronic",
    "early molecular response at 3 months and, when it is missed, the halving time since diagnosis",
)(emr)


# --- 2b. What a met EMR calls for at the 3-month visit ----------------------------------------------------

# S10-final-courses D5: where EMR is met, the halving step's place is this one, asked after the
# EMR step: five plain actions at that visit. "A BCR::ABL1 transcript level of 10% or less in
# patients after 3 months of treatment with a specific TKI (deemed EMR) is associated with the
# best prognosis"; the test is for "treatment failure or suboptimal response", neither here.
# S11-final-courses D5 and S11-course-fix7 D2: "Continue <TKI>" was the shortest option and the
# common core of three distractors; each option is now a verb phrase of about one length, and no
# distractor holds the key's words.
# S12-final-courses D4 and R-final-courses D1, D2: "Continue <TKI> at the same dose" keyed 25 of
# 30 items, and after a missed EMR its own reason conceded that L979 gives a test for a suboptimal
# response. The key is now what the rules read from the case (rules.step_at_three_months): EMR
# met, continue; met on dasatinib with a pleural effusion, the lower dose (L570); missed, fast or
# slow, the kinase-domain mutation analysis (L979), the TKI going on (L518: no change of therapy
# on the 10% level). The lead-in asks the next step in management. Where EMR is met, the test is
# a distractor (neither failure nor a suboptimal response). R-course-fix10 D1: "continue" offered
# only where EMR was met, and the test only keyed where it was missed, answered every item unread;
# both readings now offer the same five options, the test's option saying the TKI goes on with it,
# so continuing alone is the test left out where EMR is missed, and the test is too much where met.
THREE_MONTH_ACTIONS = ("continue", "mutation", "switch", "dose", "sct")
THREE_MONTH_ACTIONS_MISSED = THREE_MONTH_ACTIONS
# S12-final-courses D1: "Keep <TKI> on" keyed every item. On dasatinib with EMR met, a pleural
# effusion at the visit keys the lower dose ("a dasatinib dose of 50 mg a day showed equal
# efficacy to 100 mg, but resulted in fewer pleural effusions (5% vs. 21%)", L570); the lower dose
# takes the raised dose's place, and the dose taken is named in the option to continue it.
THREE_MONTH_ACTIONS_EFFUSION = ("continue", "switch", "stop", "lower", "sct")
# R-course-fix9 D3: beside the key, the hydroxyurea option did no work; stopping dasatinib takes
# its place. (A second lower dose, the 20 mg L594 studied past 70, made the key one of two options
# alike, a convergence the item lint finds.) R-final-courses D3: "Stop dasatinib and monitor
# BCR::ABL1" read as holding the drug for the effusion; it now says the drug is stopped for good.
# The key's text for each reading of the 3-month visit by the rules.
THREE_MONTH_KEYS = {"continue": "option_continue", "lower-dose": "option_lower"}


def three_months(course: Course, ctx: Context, rng: random.Random) -> Question:
    tki = _tki(ctx, course.tki)
    met = ctx.rules.early_molecular_response(course.at_emr)
    case = {"bcr_abl1_is_pct": course.at_emr, "tki": course.tki, "halving_days": course.halving_days}
    dose = ""
    if course.pleural_effusion:
        case |= {"pleural_effusion": True, "dose_mg": ctx.rules.dasatinib_dose_mg()}
        dose = f" {format_number(case['dose_mg'])} mg daily"
    exact = round(ctx.rules.halving_time_days(course.baseline_pct, course.at_emr, float(course.emr_day)))
    # The effusion rates of the two doses, from the study behind L570 (content/studies.yml).
    endpoints = ctx.content.studies["low-dose-dasatinib"].endpoints
    effusions = next(e for e in endpoints if e.measure == "adverse-events").results
    said = {
        "tki": tki,
        "value": course.at_emr,
        "other": _switch_to(course, ctx, rng),
        "age": course.who.age,
        "baseline": course.baseline_pct,
        "exact": exact,
        "low_mg": ctx.rules.dasatinib_dose_mg(pleural_effusion=True),
        "dose_mg": case.get("dose_mg", 0),
        "low_pct": effusions[0].pct,
        "standard_pct": effusions[1].pct,
    }
    reading = "effusion" if course.pleural_effusion else "met" if met else "missed"
    names = {"effusion": THREE_MONTH_ACTIONS_EFFUSION, "met": THREE_MONTH_ACTIONS}.get(
        reading, THREE_MONTH_ACTIONS_MISSED
    )
    fast = ctx.rules.halving_time_favourable(course.halving_days)
    said["kinetics"] = "" if met else ctx.say("kinetics_fast" if fast else "kinetics_slow", **said)
    key_text = three_months.expected(case, ctx)  # type: ignore[attr-defined]
    options = []
    for name in names:
        own = f"option_{name}_{reading}"
        text = ctx.say(own if ctx.has(own) else f"option_{name}", **said)
        right = "right" if text == key_text else "wrong"
        why = [f"why_{name}_{right}_{reading}", f"why_{name}_{reading}", f"why_{name}"]
        options.append(Option(text, ctx.say(next(k for k in why if ctx.has(k)), **said)))
    # Asked after the halving step (no EMR step at this visit), the stem gives the halving time.
    halving = ""
    if "emr" not in course_steps(course, ctx):  # R-course-fix9 D7: the value once, not three times
        halving = _as("emr", ctx).say("news_met", exact=exact, baseline=course.baseline_pct) + " "
    news = "news_effusion" if course.pleural_effusion else "news"
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=halving + ctx.say(news, subject=course.who.pronoun.lower(), tki=tki, dose=dose, value=course.at_emr),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(f"explanation_{reading}", **said),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        evidence=ctx.evidence("effusion") if course.pleural_effusion else None,
        case=case,
    )


@expects(three_months)
def _(case, ctx):
    # The rules read the visit (rules.step_at_three_months): EMR met, "associated with the best
    # prognosis", continue; met on dasatinib with a pleural effusion, the lower dose (L570);
    # missed, fast or slow, a suboptimal response, for which "patients should undergo BCR::ABL1
    # kinase domain mutation analysis" (L979), the TKI going on (L518).
    step = ctx.rules.step_at_three_months(
        case["bcr_abl1_is_pct"],
        tki=case["tki"],
        pleural_effusion=bool(case.get("pleural_effusion")),
        dose_mg=case.get("dose_mg"),
    )
    if case.get("pleural_effusion") and step != "lower-dose":
        raise QuizError("a pleural effusion is told only on dasatinib at its standard dose with EMR met")
    if step == ctx.content.management.relapse.on_failure:
        return ctx.say("option_mutation", tki=_tki(ctx, case["tki"]))
    return ctx.say(THREE_MONTH_KEYS[step], tki=_tki(ctx, case["tki"]), low_mg=ctx.rules.dasatinib_dose_mg(True))


_register(
    "three-months",
    "Unfolding case: the step the 3-month result calls for",
    "monitoring",
    "chronic",
    "what the 3-month result, EMR met or missed, calls for, within a course",
)(three_months)


# --- 3. The halving time, when EMR is missed ---------------------------------------------------------------

# Wrong halving times, each the result of an error students make (S6-B: distractors whose reason
# was only "Not X" taught nothing; S6-2 E3: ln 2 over log2 of the fall, or log10 2 over it, and
# the time to a quarter, are errors no one makes): days, first and second % IS. S8-courses-3 D4:
# most errors inflate the result, so the key sat second from the bottom in four of five courses;
# the errors that deflate it (one half or log10 2 where ln 2 belongs, the fold fall where its log
# belongs, the fall counted from 100%) give every course at least two below its key.
# R-course-steps: "a 20-fold fall read as 10 halvings" is an error no one makes; it is gone.
HALVING_ERRORS: dict[str, Callable[[float, float, float], float]] = {
    "linear": lambda d, a, b: d * (a / 2) / (a - b),  # a straight-line fall to half
    "log10_ratio": lambda d, a, b: d * math.log(2) / math.log10(a / b),  # ln 2 over log10 of the fall
    "log10_two": lambda d, a, b: d * math.log10(2) / math.log(a / b),  # log10 2 over ln of the fall
    "no_ln2": lambda d, a, b: d / math.log(a / b),  # ln 2 left out
    "over_ln2": lambda d, a, b: (
        d / (math.log(2) * math.log(a / b))
    ),  # divided by ln 2: k = ln 2 / t read as t = 1 / (k ln 2)
    "per_log": lambda d, a, b: d / math.log10(a / b),  # the time for a tenfold fall
    "from_100": lambda d, a, b: d * math.log(2) / math.log(100 / b),  # the fall counted from 100%
    "difference": lambda d, a, b: d * math.log(2) / math.log(a - b) if a - b > 1.5 else 0.0,  # ln(a - b)
    "times_halvings": lambda d, a, b: d * math.log2(a / b),  # the interval times the halvings
    "fold": lambda d, a, b: d / (a / b),  # the interval over the fold fall, not over its halvings
    "no_log": lambda d, a, b: d * math.log(2) / (a / b),  # the log of the fall left out
    "half_for_ln2": lambda d, a, b: d * 0.5 / math.log(a / b),  # one half where ln 2 belongs
}
# Errors that are a fixed multiple of the key, whatever the values (S8-courses-3 D4: "the option
# about 3.3 times smaller than another" found the key): as few of them as the rank drawn allows.
FIXED_RATIO = ("log10_two", "half_for_ln2", "no_ln2", "over_ln2", "log10_ratio", "per_log")
# R-course-steps-r2 D2-1: the fold fall over the interval with and without ln 2 is one
# misconception, offered once where the errors allow; and no wrong value within a tenth of the
# summary's cut (70 days, from dividing by ln 2, sat just under it).
ONE_OF = ("fold", "no_log")
CLEAR_OF_CUT = 0.1
MIN_GAP_DAYS = 5
MAX_TIMES_KEY = 6  # an error up to six times the key (the halvings multiplied, in a fast fall)


def halving(course: Course, ctx: Context, rng: random.Random) -> Question:
    first, second, days = course.baseline_pct, course.at_emr, float(course.emr_day)
    case = {"first_pct": first, "second_pct": second, "days_between": days}
    exact = round(ctx.rules.halving_time_days(first, second, days))
    limit = ctx.content.responses.halving_time.max_days
    # R-course-steps: "About 55 days" beside a 3-month value of 55% (an interval of 90 days over a
    # fold fall of 90/55): a guess picks the number it recognises. No wrong value is one the story
    # so far prints.
    printed = _printed_numbers(course)
    order = rng.sample(list(HALVING_ERRORS.items()), len(HALVING_ERRORS))
    # The strictest spacing that leaves five options: clear of the cut by a tenth of it, then by
    # 5 days; up to six times the key, then ten, then (about one fast fall in 1,500, whose other
    # errors crowd each other) the interval times the halvings, some 25 times the key.
    tiers = (
        (CLEAR_OF_CUT * limit, MAX_TIMES_KEY),
        (MIN_GAP_DAYS, MAX_TIMES_KEY),
        (MIN_GAP_DAYS, 10),
        (MIN_GAP_DAYS, 30),
    )
    for clear, times in tiers:
        errors: dict[float, str] = {}
        for name, error in order:
            value = round(error(days, first, second))
            # Apart by 5 days, or by a fifth of the larger for short halving times (3 and 6 days).
            apart = all(abs(value - other) >= min(MIN_GAP_DAYS, 0.2 * max(value, other)) for other in [exact, *errors])
            # Never near the summary's cut, and never so far off that no one would choose it.
            near = max(3, exact / MAX_TIMES_KEY) <= value <= exact * times
            if near and abs(value - limit) >= clear and apart and value not in printed:
                errors[value] = name
        try:
            shown = _around(rng, exact, errors)
            break
        except QuizError:
            if (clear, times) == tiers[-1]:
                raise
    said = {"sampled": round(days), "first": first, "second": second, "exact": exact}
    options = []
    for value in shown:
        reason = "why_key" if value == exact else f"why_{errors[value]}"
        options.append(Option(ctx.say("option", days=round(value)), ctx.say(reason, days=round(value), **said)))
    return assemble_by_text(
        rng,
        options,
        halving.expected(case, ctx),  # type: ignore[attr-defined]
        ordered=[o.text for o in options],
        vignette=ctx.say("news", pronoun=course.who.pronoun, tki=_tki(ctx, course.tki), value=second, days=round(days)),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", exact=exact),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


# The key's rank among the five values (how many lie below it) is drawn from the ranks the
# errors allow (S8-courses-3 D4: the key was second from the bottom in four of five courses),
# and the options run from smallest to largest in every item (R-course-steps: up in one course and
# down in the next; NBME style lists numbers in order). The rank is the letter, so the ends weigh
# a little more where they can be had: a fast fall seldom has four errors below its key. At the
# rank drawn, the four are those with the fewest errors that are a fixed multiple of the key.
# S9-final-courses: never at an end in six courses; the ends now weigh more (the key is the
# smallest or the largest in about two items of five).
RANK_WEIGHTS = (1.0, 0.8, 0.8, 1.2, 2.6)


def _printed_numbers(course: Course) -> set[float]:
    """Every number the story up to the halving step prints: the patient's age, the counts and
    the spleen at diagnosis, the two BCR::ABL1 values, the interval and the months."""
    d = course.diagnosis
    told = [course.who.age, d["spleen_cm"], d["wbc"], d["platelets"], d["blasts_pct"], d["marrow_blasts_pct"]]
    told += [course.baseline_pct]
    told += [course.at_emr, course.emr_day, course.emr_day / DAYS_PER_MONTH]
    return {float(v) for v in told}


def _around(rng: random.Random, key: float, errors: dict[float, str]) -> list[float]:
    below = sorted(v for v in errors if v < key)
    above = sorted(v for v in errors if v > key)
    sets: dict[int, list[tuple[float, ...]]] = {}
    for lower in range(5):
        if lower <= len(below) and 4 - lower <= len(above):
            sets[lower] = [
                low + high
                for low in itertools.combinations(below, lower)
                for high in itertools.combinations(above, 4 - lower)
            ]
    if not sets:
        raise QuizError(f"too few values around {key:g} for five options")

    def fixed(chosen: tuple[float, ...]) -> int:
        return sum(errors[v] in FIXED_RATIO for v in chosen)

    once = {rank: [c for c in chosen if sum(errors[v] in ONE_OF for v in c) <= 1] for rank, chosen in sets.items()}
    sets = {rank: chosen for rank, chosen in once.items() if chosen} or sets
    ranks = sorted(sets)
    options = sets[rng.choices(ranks, weights=[RANK_WEIGHTS[k] for k in ranks])[0]]
    fewest = min(fixed(c) for c in options)
    chosen = rng.choice([c for c in options if fixed(c) == fewest])
    return sorted([*chosen, key])


@expects(halving)
def _(case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return ctx.say("option", days=round(days))


_register(
    "halving",
    "Unfolding case: the halving time when EMR is missed",
    "monitoring",
    "chronic",
    "the halving time the course's own values show when EMR is missed",
)(halving)


# --- 4. The visit at a year: the response level, a loss of response, or the failure ------------------------

# S10-final-courses D1 and D3: the options were state:action pairs ("Short of MMR at a year: test
# ..."), and the key was the only one sharing both halves with other options (a convergence cue);
# the lead-in asked two things; and "short of MMR at a year, still falling: test" was the site's
# reading (the summary makes MMR the preferred target after 1 year, and names no failure or step
# for a level short of it). Each visit now asks one thing. With normal counts at a year, the
# response level: five levels, the same five in every course. On overt failure, or on a level
# rising past MMR with normal counts (a course that fails later), the next step: five plain
# actions, the test keyed ("Overt treatment failure is defined as a loss of hematologic
# remission"; "A consistently rising quantitative RT-PCR BCR::ABL1 level suggests relapsed
# disease"; "In case of treatment failure or suboptimal response, patients should undergo
# BCR::ABL1 kinase domain mutation analysis"). A failure at a year whose T315I story goes on
# on ponatinib asks the choice of ponatinib here, the test told (S10-final-courses D6).
ACTIONS = ("mutation_analysis", "switch", "dose", "sct_now", "repeat")
NO_LEVEL = "none"


def _levels(ctx: Context) -> list[str]:
    """The response levels the reading step offers, shallowest first: short of MMR, then each
    molecular response content lists."""
    return [NO_LEVEL, *(r.id for r in ctx.content.responses.molecular_responses)]


def _level_key(level: str) -> str:
    return level.replace(".", "_")


def _visit(case) -> str:
    """What the visit asks: the level (normal counts, not rising), the next step, or ponatinib."""
    if case.get("variant"):
        return "t315i"
    return "action" if case["counts_relapsed"] or case["month"] != 12 else "level"


def _six_months(course: Course, ctx: Context) -> str:
    """The 6-month value (on the lower dose where a pleural effusion lowered it at 3 months),
    opened by the result of the analysis the 3-month step sent (R-final-courses D2: no variant, the
    same dose goes on, L518). A 6-month value above the EMR cut (only in a course that fails at a
    year) is a suboptimal response still, tested by L979 with no variant found (S12-final-courses
    D5), sent again where the 3-month one was (a variant can emerge on treatment), and the same
    dose continues (L518)."""
    tki = _tki(ctx, course.tki)
    said = {"pronoun": course.who.pronoun, "tki": tki, "at_6": course.at_6_months}
    tests = dict(course.kinase_tests)
    told = [ctx.say("news_three_tested", tki=tki)] if tests.get(3) == NO_VARIANT else []
    if course.pleural_effusion:
        told.append(ctx.say("news_lowered", mg=ctx.rules.dasatinib_dose_mg(pleural_effusion=True), **said))
    else:
        told.append(ctx.say("news_on" if told else "news", **said))
    if tests.get(6) == NO_VARIANT:
        told.append(ctx.say("news_six_again", tki=tki))  # above 10% at 6 months: tested at 3 months too
    return " ".join(told)


def _tested_before(course: Course, ctx: Context) -> str:
    """The analyses sent for a suboptimal response before a failure, none finding a variant: the
    failure is a new reason to send it (S12-final-courses D5, R-final-courses D2)."""
    months = [m for m, found in course.kinase_tests if found == NO_VARIANT]
    if not months:
        return ""
    return ctx.say("again" if len(months) == 1 else "again_twice", months=_listed([str(m) for m in months]))


def _switch_to(course: Course, ctx: Context, rng: random.Random) -> str:
    """A TKI a student might switch to: a second-generation one other than the patient's."""
    tkis = [t for t in ctx.rules.treatment_options("chronic") if ctx.content.therapies[t].kind == "tki"]
    return _tki(ctx, rng.choice([t for t in tkis if t not in (course.tki, "imatinib", "asciminib")]))


def twelve_months(course: Course, ctx: Context, rng: random.Random) -> Question:
    """The visit at a year (the level), the visit in a course that fails later that shows MMR
    lost on a rising level (the next step), or the failure at a year (the next step; or, where
    the T315I story goes on on ponatinib, the treatment the test's result calls for)."""
    failed = course.branch == "fails_at_a_year"
    month = course.asked_month
    since = [(m, v) for m, v in course.monthly if 12 <= m <= month]
    case: dict = {"since_a_year": [v for _, v in since], "counts_relapsed": failed, "month": month}
    if failed:
        case["wbc"] = course.failure["wbc"]
    # Every value after 6 months up to the visit asked (no 9-month value: S11-course-fix7 D6).
    told = [(m, v) for m, v in course.monthly if 6 < m <= month]
    values = ctx.say("news_values", values=_listed([ctx.say("value_at", value=v, month=m) for m, v in told]))
    before = f"{_six_months(course, ctx)} {values}"
    if failed and course.t315i_story in ("lower_ponatinib", "after_ponatinib"):
        visit = _failure_visit(course, ctx, rng, "news_failure")
        return _start_ponatinib(course, _as("t315i", ctx), rng, f"{before} {visit}", case)
    mmr_cut = ctx.content.response("MMR").max_bcr_abl1_is_pct
    rises = ctx.content.management.relapse.consistently_rising_tests
    said = {
        "value": since[-1][1],
        "at_6": course.at_6_months,
        "month": month,
        "tki": _tki(ctx, course.tki),
        "mmr_cut": mmr_cut,
        "dmr_cut": ctx.content.response(ctx.content.responses.targets.optimal).max_bcr_abl1_is_pct,
        "rises": rises,
        "rising": ctx.say(
            "rising",
            start=ctx.say("value_at", value=since[-rises - 1][1], month=since[-rises - 1][0]),
            rises=_listed([ctx.say("value_at", value=v, month=m) for m, v in since[-rises:]]),
        )
        if len(since) > rises
        else "",
        "fall": _listed([ctx.say("value_at", value=v, month=m) for m, v in course.monthly[1:] if m <= 12]),
        # A reader of S9: the reason named a spleen the stem said was not palpable.
        "signs": ctx.say("signs_wbc_spleen" if course.failure.get("spleen_cm") else "signs_wbc"),
        "again": _tested_before(course, ctx),
    }
    key_text = twelve_months.expected(case, ctx)  # type: ignore[attr-defined]
    subject = course.who.pronoun.lower()
    if _visit(case) == "level":
        options = _level_options(ctx, since[-1][1])
        level = ctx.rules.molecular_response(since[-1][1])
        optimal = _levels(ctx).index(ctx.content.responses.targets.optimal)
        reading = _level_key(level) if _levels(ctx).index(level) < optimal else "dmr"
        explanation = ctx.say(f"explanation_level_{reading}", level=level, **said)
        lead_in = ctx.say("lead_in")
        visit = ctx.say("news_response", subject=subject, tki=said["tki"], month=month)
    else:
        why = "failure" if failed else "rising"
        said["other"] = _switch_to(course, ctx, rng)
        options = []
        for name in ACTIONS:
            own = name
            if name == "dose":
                own = "imatinib_higher" if course.tki == "imatinib" else "hydroxyurea_add" if failed else "dose_higher"
            reason = f"why_{own}_right_{why}" if name == "mutation_analysis" else f"why_{own}_when_{why}"
            options.append(Option(ctx.say(f"option_{own}", **said), ctx.say(reason, **said)))
        explanation = ctx.say(f"explanation_{why}", **said)
        lead_in = ctx.say("lead_in_action")
        visit = (
            _failure_visit(course, ctx, rng, "news_failure")
            if failed
            else ctx.say("news_response", subject=subject, tki=said["tki"], month=month)
        )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=f"{before} {visit}",
        lead_in=lead_in,
        explanation=explanation,
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


def _level_options(ctx: Context, value: float) -> list[Option]:
    """The five response levels, each with its reason for this value: it is the level, short
    of it, or past it into a deeper one."""
    cuts = {r.id: r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses}
    levels = _levels(ctx)
    options = []
    for level, deeper in zip(levels, [*levels[1:], None]):
        said = {"value": value, "level": level, "deeper": deeper}
        if level != NO_LEVEL and value > cuts[level]:
            why = ctx.say("why_level_above", cut=cuts[level], **said)
        elif deeper is not None and value <= cuts[deeper]:
            why = ctx.say("why_level_below", cut=cuts[deeper], **said)
        elif deeper is None:
            raise QuizError(f"no course is drawn at {level} at a year")
        else:
            bounds = {"cut": cuts.get(level, 0), "next": cuts[deeper]}
            why = ctx.say("why_level_none_right" if level == NO_LEVEL else "why_level_right", **said, **bounds)
        options.append(Option(ctx.say(f"option_level_{_level_key(level)}"), why))
    return options


def _failure_visit(course: Course, ctx: Context, rng: random.Random, text: str, **more) -> str:
    """The visit that finds overt failure: the complaint, the counts, the marrow and the phase."""
    subject = course.who.pronoun.lower()
    tki = _tki(ctx, course.tki)
    # S6-2 E4: "again" only where the spleen was felt at diagnosis.
    spleen = course.failure["spleen_cm"]
    said_failure = {"subject": subject, "tki": tki, "spleen": spleen}
    # R-course-fix3: every failing course told the same complaint; the spleen is felt again
    # only where it was felt at diagnosis, and no larger than then.
    complaints = ctx.say_each("complaint_failure") + (ctx.say_each("complaint_spleen") if spleen else [])
    return ctx.say(
        text,
        complaint=rng.choice(complaints),
        subject=subject,
        pronoun=course.who.pronoun,
        tki=tki,
        wbc=course.failure["wbc"],
        blasts=course.failure["blasts_pct"],
        marrow=course.failure["marrow_blasts_pct"],
        spleen_now=ctx.say("spleen_again" if spleen else "spleen_still_not", **said_failure),
        month=int(course.failure["month"]),
        **more,
    )


@expects(twelve_months)
def _(case, ctx):
    visit = _visit(case)
    if visit == "t315i":
        return t315i.expected(case, _as("t315i", ctx))  # type: ignore[attr-defined]
    if visit == "level":
        level = ctx.rules.molecular_response(case["since_a_year"][-1])
        if (
            ctx.rules.step_on_first_tki(case["since_a_year"], hematologic_remission_lost=False)
            == ctx.content.management.relapse.on_failure
        ):
            raise QuizError("a visit at a year with normal counts on a level that calls for the test")
        return ctx.say(f"option_level_{_level_key(level)}")
    step = ctx.rules.step_on_first_tki(case["since_a_year"], hematologic_remission_lost=case["counts_relapsed"])
    if step != ctx.content.management.relapse.on_failure:
        raise QuizError(f"a course's values since a year ({case['since_a_year']}) call for no clear step")
    return ctx.say("option_mutation_analysis")


_register(
    "twelve-months",
    "Unfolding case: the response on the first TKI",
    "monitoring",
    "chronic",
    "the response level at a year, and the step a failure or a rising level calls for",
)(twelve_months)


# --- 5. Treatment with the T315I variant -------------------------------------------------------------------


def t315i(course: Course, ctx: Context, rng: random.Random) -> Question:
    """The treatment once the kinase-domain analysis after the failure shows a variant: with
    T315I, before ponatinib (start it); or, where the step before asked that choice, after 9
    months on it with the response reached (lower the dose) or with the disease plainly resisting
    it (allogeneic SCT). Another variant, on imatinib: the TKIs it leaves open. S6: asciminib is
    never the key (the summary gives it no stated activity in T315I, only inclusion in a trial).
    S6-2 E2: the donor and the adherence are told in every story, so neither marks the key."""
    story = course.t315i_story or "start_ponatinib"
    if story == "switch_tki":
        return _other_variant(course, ctx, rng)
    if story == "start_ponatinib":
        return _start_ponatinib(course, ctx, rng, "", {})
    on = course.on_ponatinib
    case: dict = {"variant": course.variant, "story": story}
    case["on_ponatinib_pct"] = [on["at_3"], on["at_6"], on["at_9"]]
    case["counts_relapsed"] = bool(on["wbc"])
    if on["wbc"]:
        case["wbc"] = on["wbc"]
    names = {
        "lower_ponatinib": ("lower_ponatinib", "continue_ponatinib", "stop_ponatinib", "sct_instead", "resistant_tki"),
        "after_ponatinib": ("sct", "continue_ponatinib", "lower_ponatinib", "resistant_tki", "hydroxyurea"),
    }[story]
    spleen = on.get("spleen_cm", 0)
    treatment = ctx.say(
        f"news_{story}",
        subject=course.who.pronoun.lower(),
        pronoun=course.who.pronoun,
        at_3=on["at_3"],
        at_6=on["at_6"],
        at_9=on["at_9"],
        wbc=on.get("wbc", 0),
        blasts=on.get("blasts_pct", 0),
        marrow=on.get("marrow_blasts_pct", 0),
        spleen_now=ctx.say("spleen_again" if spleen else "spleen_still_not", spleen=spleen),
    )
    return _t315i_question(course, ctx, rng, case, names, treatment, story, on)


def _start_ponatinib(course: Course, ctx: Context, rng: random.Random, before: str, case: dict) -> Question:
    """The choice of ponatinib once the analysis shows T315I, and the donor. The history that
    choice reads ("Patients with significant cardiovascular disease, hypertension, or diabetes
    mellitus have been excluded from clinical trials") is told at diagnosis in every course
    (S11-course-fix7 D1: told here alone, it pointed at ponatinib)."""
    case = {**case, "variant": course.variant, "story": "start_ponatinib"}
    names = ("start_ponatinib", "resistant_tki", "imatinib_higher", "hydroxyurea", "sct_now")
    found = " ".join(t for t in (before, ctx.say("news_start_ponatinib")) if t)
    return _t315i_question(course, ctx, rng, case, names, found, "start_ponatinib", {})


def _t315i_question(course, ctx, rng, case, names, treatment, story, on) -> Question:
    key_text = t315i.expected(case, ctx)  # type: ignore[attr-defined]
    # A TKI the variant resists, other than the patient's own and other than imatinib (offered
    # at a higher dose already where the story is about starting).
    resistant = rng.choice([t for t in ctx.rules.t315i_resistant() if t not in (course.tki, "imatinib")])
    said = {
        "tki": _tki(ctx, resistant),
        "at_3": on.get("at_3", 0),
        "at_6": on.get("at_6", 0),
        "value": on.get("at_9", 0),
        "donor": ctx.say(f"donor_kind_{course.donor or 'sibling'}"),
        "own": _tki(ctx, course.tki),
    }
    options = []
    for name in names:
        own = f"why_{name}_{story}"
        # R-course-fix3-r2: "Raise the imatinib dose" to a patient on dasatinib.
        text = f"option_{name}_switch" if name == "imatinib_higher" and course.tki != "imatinib" else f"option_{name}"
        options.append(Option(ctx.say(text, **said), ctx.say(own if ctx.has(own) else f"why_{name}", **said)))
    # The donor is told with the choice of ponatinib, the story's first step (S6-2 E2).
    donor = ctx.say(f"donor_{course.donor or 'sibling'}") if story == "start_ponatinib" else ""
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=" ".join(t for t in (treatment, donor) if t),
        lead_in=ctx.say("lead_in"),
        # S9-final-courses: one explanation for every story stated each story's key; each now
        # teaches its own, with this patient's values (S10-final-courses D7).
        explanation=ctx.say(f"explanation_{story}", **said),
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence=ctx.evidence(),
        case=case,
    )


# A variant other than T315I (S8-courses-3 D1): what the summary says of it, one statement
# right: "Alternative TKIs such as dasatinib, nilotinib, or bosutinib ... have been studied in
# this setting"; the rest wrong by L984, L990 or L973.
OTHER_VARIANT_OPTIONS = ("other_tkis_open", "all_resistant", "stop_imatinib", "imatinib_same", "ponatinib_only")


def _other_variant(course: Course, ctx: Context, rng: random.Random) -> Question:
    # R-course-steps-r2: "Switch to another TKI guided by the result" echoed the stem and L979; the
    # key names one of the alternative TKIs the summary gives as studied, a different one by turns.
    other = _tki(ctx, rng.choice(["dasatinib", "nilotinib", "bosutinib"]))
    case = {"variant": course.variant, "story": "switch_tki", "tki": course.tki, "other": other}
    # Found on a level rising past MMR with normal counts (a course that fails later), or at the
    # overt failure at a year: the reasons speak to what the stem showed.
    found = "_rising" if course.branch == "fails_later" else ""
    options = [
        Option(
            ctx.say(f"option_{n}", other=other),
            ctx.say(next(k for k in (f"why_{n}_switch_tki{found}", f"why_{n}_switch_tki") if ctx.has(k)), other=other),
        )
        for n in OTHER_VARIANT_OPTIONS
    ]
    return assemble_by_text(
        rng,
        options,
        t315i.expected(case, ctx),  # type: ignore[attr-defined]
        vignette=ctx.say("news_switch_tki"),
        lead_in=ctx.say("lead_in_switch_tki"),
        explanation=ctx.say(
            "explanation_switch_tki",
            found=ctx.say(f"found{found or '_failure'}", value=course.monthly[-1][1], month=course.asked_month),
        ),
        learn_more=LearnMore("Targeted therapy with TKIs", "sections/relapsed.md"),
        case=case,
    )


@expects(t315i)
def _(case, ctx):
    if case["story"] == "switch_tki":
        # Imatinib resisted by a variant that is not T315I: the TKIs the summary gives as
        # studied for relapse stay open, and none of them is one T315I would rule out here.
        allowed = ctx.rules.treatment_options("relapsed", t315i=False)
        others = [t for t in allowed if ctx.content.therapies[t].kind == "tki" and t != case["tki"]]
        if case["tki"] != "imatinib" or not {"dasatinib", "nilotinib", "bosutinib"} <= set(others):
            raise QuizError("a variant other than T315I is told only of a course on imatinib")
        if case["other"] not in others:
            raise QuizError(f"{case['other']} is not among the TKIs the summary gives as studied here")
        return ctx.say("option_other_tkis_open", other=case["other"])
    if case["story"] == "start_ponatinib":
        allowed = ctx.rules.treatment_options("relapsed", t315i=case["variant"] == "T315I")
        if "ponatinib" not in allowed:
            raise QuizError("the rules give no ponatinib with the T315I variant")
        return ctx.say("option_start_ponatinib")
    values = case["on_ponatinib_pct"]
    rising = all(a < b for a, b in zip(values, values[1:]))
    falling = all(a > b for a, b in zip(values, values[1:]))
    # Resistance beyond doubt (S6-2 E1): a consistently rising level ("suggests relapsed
    # disease") together with the lost hematologic remission ("overt treatment failure").
    if rising and case["counts_relapsed"]:
        if not (
            ctx.rules.relapse_status("rising-rt-pcr") == "suggests-relapse"
            and ctx.rules.relapse_status("lost-hematologic-remission") == "overt-failure"
        ):
            raise QuizError("the rules no longer read a rising level and relapsed counts as failure")
        allowed = ctx.rules.treatment_options("relapsed", t315i=case["variant"] == "T315I", ponatinib_failed=True)
        return ctx.say("option_sct" if allowed[0] == "allogeneic-sct" else "option_continue_ponatinib")
    if not falling or case["counts_relapsed"]:
        raise QuizError("a course on ponatinib neither resists it plainly nor responds to it")
    start = ctx.rules.ponatinib_dose_mg()
    return ctx.say(
        "option_lower_ponatinib" if ctx.rules.ponatinib_dose_mg(values[-1]) < start else "option_continue_ponatinib"
    )


_register(
    "t315i",
    "Unfolding case: treatment after a kinase-domain result",
    "resistance",
    "relapsed",
    "the treatment once the course's failure shows a kinase-domain variant, T315I or another",
)(t315i)


# --- 6. Whether stopping can be considered ---------------------------------------------------------------

STOPPING = ("candidate", "not_deep", "too_soon", "lifelong", "counts_only")
RECENT_YEARS = 3  # the values a decision on stopping reads: the last three years'


def stopping(course: Course, ctx: Context, rng: random.Random) -> Question:
    years = course.years_on_tki or 0
    # A value past usual assay sensitivity is told undetectable, and read at the assay's
    # sensitivity (S11-final-courses D8).
    sensitivity = ctx.content.response(ctx.content.responses.undetectable_usually).max_bcr_abl1_is_pct
    reported = [(y, as_reported(ctx, v)) for y, v in course.yearly]
    recent = [sensitivity if v is None else v for _, v in reported[-RECENT_YEARS:]]
    case = {"years_on_tki": float(years), "recent_pct": recent}
    key_text = stopping.expected(case, ctx)  # type: ignore[attr-defined]
    key_name = next(name for name in STOPPING if ctx.say(f"option_{name}") == key_text)
    deep = ctx.content.response(ctx.content.management.tki_discontinuation.depth).max_bcr_abl1_is_pct
    options = []
    for name in STOPPING:
        text = ctx.say(f"option_{name}")
        # A wrong option's reason speaks to what this patient lacks or has (R8: one reason
        # for every course read wrongly where the years, not the depth, were short).
        own = [f"why_{name}_right"] if name == key_name else [f"why_{name}_when_{key_name}", f"why_{name}_wrong"]
        why = next((k for k in own if ctx.has(k)), f"why_{name}")
        options.append(Option(text, ctx.say(why, deep=deep, years=years)))
    yearly = [
        ctx.say("yearly_undetectable", year=y) if v is None else ctx.say("yearly_value", year=y, value=v)
        for y, v in reported
    ]
    assay = ctx.say("sensitivity", value=sensitivity) if any(v is None for _, v in reported) else ""
    subject = course.who.pronoun.lower()
    # Short of MMR at a year (a course that reaches it later), the values to MMR; no test is told
    # (S10-final-courses D1: a level still falling short of MMR is not a failure).
    since = ""
    if course.later:
        values = _listed([ctx.say("value_at", value=v, month=m) for m, v in course.later])
        since = ctx.say("news_to_milestone", values=values) + " "
    return assemble(
        rng,
        next(o for o in options if o.text == key_text),
        [o for o in options if o.text != key_text],
        vignette=since
        + ctx.say(
            "news",
            pronoun=course.who.pronoun,
            tki=_tki(ctx, course.tki),
            yearly=yearly,
            years=years,
            subject=subject,
            which=ctx.say("which_one" if len(yearly) == 1 else "which_many"),
            sensitivity=assay,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", deep=deep, years=years, tki=_tki(ctx, course.tki))
        + " "
        + ctx.say(
            f"explanation_{key_name}",
            deep=deep,
            years=years,
            tki=_tki(ctx, course.tki),
            recent=_recent(course, ctx),
        ),
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


def _recent(course: Course, ctx: Context) -> str:
    """The yearly values a decision on stopping reads, named by their years (R-course-steps: one
    value was called "the latest yearly values", held)."""
    last = course.yearly[-RECENT_YEARS:]
    values = _listed(
        [
            ctx.say("value_undetectable") if as_reported(ctx, v) is None else ctx.say("value_pct", value=v)
            for _, v in last
        ]
    )
    if len(last) == 1:
        return ctx.say("recent_one", year=last[0][0], values=values)
    return ctx.say("recent_many", first=last[0][0], last=last[-1][0], values=values)


@expects(stopping)
def _(case, ctx):
    verdict = ctx.rules.tki_discontinuation(case["years_on_tki"], max(case["recent_pct"]))
    if verdict == "best-candidate":
        return ctx.say("option_candidate")
    stop = ctx.content.management.tki_discontinuation
    deep = ctx.content.response(stop.depth).max_bcr_abl1_is_pct
    if verdict == "not-candidate" and case["years_on_tki"] > stop.min_years_on_tki:
        return ctx.say("option_not_deep")
    if verdict == "not-candidate" and max(case["recent_pct"]) <= deep:
        return ctx.say("option_too_soon")
    raise QuizError("a course asks about stopping where the answer is not one clear reason")


_register(
    "stopping",
    "Unfolding case: whether stopping can be considered",
    "stopping",
    "chronic",
    "whether years of the course's values make the patient a candidate to stop",
)(stopping)
