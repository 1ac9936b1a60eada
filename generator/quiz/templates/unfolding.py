"""Unfolding cases: one patient's course (generator/quiz/courses.py) asked step by step.

Each step is a single-best-answer question about the course so far, keyed by the rules from
the values shown up to that step and no later; its stem carries the whole story so far, and
`Step.news` what it adds. A step is also a template like any other (`course-emr`), drawn
alone with the history of a course that reaches it; `unfold` asks a whole course in order.
The options of a step are the same whatever the branch, so they never hint at what follows."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from generator.quiz.courses import BRANCHES, STEPS, Course, branch_for, draw_course
from generator.quiz.question import (
    LearnMore,
    Option,
    Question,
    QuizError,
    Step,
    assemble,
    assemble_by_text,
    only_one,
    ordered_around,
)
from generator.quiz.registry import Context, template

PREFIX = "course-"
Builder = Callable[[Course, Context, random.Random], Question]
BUILDERS: dict[str, Builder] = {}


def unfold(
    course: Course,
    ctx: Context,
    rng: random.Random,
    case_id: str = "",
    upto: str | None = None,
    asked: set[str] | None = None,
) -> list[Question]:
    """The course's steps in order (up to `upto`; only those `asked`, when given), each stem
    carrying the story so far; a step not asked still tells its part, with the next one asked."""
    questions: list[Question] = []
    story: list[str] = []
    unasked: list[str] = []
    steps = [s for s in course.steps if asked is None or s in asked]
    for step in course.steps:
        own = dataclasses.replace(ctx, template_id=PREFIX + step)
        question = BUILDERS[step](course, own, rng)
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


def _tki(ctx: Context, therapy_id: str) -> str:
    """A TKI as a sentence names it: "imatinib", not "Imatinib mesylate"."""
    return ctx.content.therapies[therapy_id].name.split()[0].lower()


# Every step suits residents and fellows; the first steps, students too.
LEARNERS_BY_STEP = {
    "first-line": ("student", "resident", "fellow"),
    "emr": ("student", "resident", "fellow"),
}


def _register(step: str, title: str, topic: str, section: str, examines: str):
    """Register the builder of one step, and the step as a template drawn alone."""

    def register(build: Builder):
        BUILDERS[step] = build

        learners = LEARNERS_BY_STEP.get(step, ("resident", "fellow"))

        @template(PREFIX + step, title, topic, section, examines=examines, learners=learners)
        def make(rng: random.Random, ctx: Context, difficulty: str) -> Question:
            course = draw_course(rng, ctx, branch_for(rng, ctx, tuple(b for b in BRANCHES if step in STEPS[b])))
            return unfold(course, ctx, rng, upto=step)[-1]

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

FIRST_LINE_DISTRACTORS = ("ponatinib", "hydroxyurea", "busulfan", "interferon-alfa")


def first_line(course: Course, ctx: Context, rng: random.Random) -> Question:
    d = course.diagnosis
    who = course.who
    spleen = ctx.say("spleen_palpable", cm=d["spleen_cm"]) if d["spleen_cm"] else ctx.say("spleen_not_palpable")
    case = {"blasts_pct": d["blasts_pct"], "options": [course.tki, *FIRST_LINE_DISTRACTORS]}
    key_text = first_line.expected(case, ctx)  # type: ignore[attr-defined]
    therapies = ctx.content.therapies
    options = [Option(therapies[course.tki].name, ctx.say("why_key", name=therapies[course.tki].name))]
    options += [Option(therapies[t].name, ctx.say(f"why_{t}")) for t in FIRST_LINE_DISTRACTORS]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "news",
            who=who.intro,
            complaint=rng.choice(ctx.say_each("complaint") + ([ctx.say("complaint_spleen")] if d["spleen_cm"] else [])),
            spleen=spleen,
            wbc=d["wbc"],
            platelets=d["platelets"],
            blasts=d["blasts_pct"],
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Treatment of chronic-phase CML", "sections/chronic.md"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(first_line)
def _(case, ctx):
    allowed = ctx.rules.treatment_options(ctx.rules.phase(case["blasts_pct"]))
    return ctx.content.therapies[next(t for t in case["options"] if t in allowed)].name


_register(
    "first-line",
    "Unfolding case: the first TKI",
    "first-line",
    "chronic",
    "the first TKI for a patient newly diagnosed in chronic phase, within a course",
)(first_line)


# --- 2. EMR at 3 months ---------------------------------------------------------------------------------

EMR_OPTIONS = ("met", "missed_watch", "missed_switch", "mmr", "dmr")


def emr(course: Course, ctx: Context, rng: random.Random) -> Question:
    case = {"bcr_abl1_is_pct": course.at_emr}
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    options = [Option(ctx.say(f"option_{name}"), ctx.say(f"why_{name}", mmr=mmr)) for name in EMR_OPTIONS]
    return assemble_by_text(
        rng,
        options,
        emr.expected(case, ctx),  # type: ignore[attr-defined]
        vignette=ctx.say("news", pronoun=course.who.pronoun, tki=_tki(ctx, course.tki), value=course.at_emr),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", value=course.at_emr),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


@expects(emr)
def _(case, ctx):
    return ctx.say(
        "option_met" if ctx.rules.early_molecular_response(case["bcr_abl1_is_pct"]) else "option_missed_watch"
    )


_register(
    "emr",
    "Unfolding case: early molecular response",
    "monitoring",
    "chronic",
    "early molecular response at 3 months, within a course",
)(emr)


# --- 3. The halving time, when EMR is missed ---------------------------------------------------------------

# Wrong halving times as multiples of the right one (the straight-line estimate joins them).
HALVING_FACTORS = (0.4, 0.55, 0.7, 1.6, 2.0, 2.5)
MIN_GAP_DAYS = 5


def halving(course: Course, ctx: Context, rng: random.Random) -> Question:
    first, second, days = course.first_pct, course.at_emr, course.days_between
    case = {"first_pct": first, "second_pct": second, "days_between": days}
    exact = round(ctx.rules.halving_time_days(first, second, days))
    linear = round(days * (first / 2) / (first - second))
    pool: list[float] = []
    for value in [linear] + [round(exact * f) for f in HALVING_FACTORS]:
        if value > 0 and all(abs(value - other) >= MIN_GAP_DAYS for other in [exact, *pool]):
            pool.append(value)
    shown = ordered_around(rng, exact, pool)
    said = {"sampled": round(days), "first": first, "second": second, "exact": exact}
    options = []
    for value in shown:
        reason = "why_key" if value == exact else "why_linear" if value == linear else "why_other"
        options.append(Option(ctx.say("option", days=round(value)), ctx.say(reason, days=round(value), **said)))
    favourable = ctx.rules.halving_time_favourable(ctx.rules.halving_time_days(first, second, days))
    return assemble_by_text(
        rng,
        options,
        halving.expected(case, ctx),  # type: ignore[attr-defined]
        ordered=[o.text for o in options],
        vignette=ctx.say("news", days=round(days), first=first),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(
            "explanation", exact=exact, verdict=ctx.say("verdict_favourable" if favourable else "verdict_unfavourable")
        ),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


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


# --- 4. The milestones at a year ---------------------------------------------------------------------------

def twelve_months(course: Course, ctx: Context, rng: random.Random) -> Question:
    """The response at a year alone: the EMR step has keyed the 3-month value already."""
    case = {"at_year": course.at_12_months}
    levels = ctx.content.responses.molecular_responses
    mmr = levels[0]
    options = [Option(ctx.say("option_none"), ctx.say("why_none", at_year=course.at_12_months, mmr=mmr.id))]
    for level, deeper in zip(levels, [*levels[1:], None]):
        said = {"level": level.id, "cut": level.max_bcr_abl1_is_pct, "at_year": course.at_12_months}
        if deeper is None:
            options.append(Option(ctx.say("option_deepest", **said), ctx.say("why_deepest", **said)))
            continue
        said |= {"deeper": deeper.id, "deeper_cut": deeper.max_bcr_abl1_is_pct}
        options.append(Option(ctx.say("option_level", **said), ctx.say("why_level", **said)))
    return assemble_by_text(
        rng,
        options,
        twelve_months.expected(case, ctx),  # type: ignore[attr-defined]
        vignette=ctx.say(
            "news",
            pronoun=course.who.pronoun,
            tki=_tki(ctx, course.tki),
            at_6=course.at_6_months,
            at_12=course.at_12_months,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", at_year=course.at_12_months),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


@expects(twelve_months)
def _(case, ctx):
    reached = ctx.rules.molecular_response(case["at_year"])
    if reached == "none":
        return ctx.say("option_none")
    ids = [r.id for r in ctx.content.responses.molecular_responses]
    if reached == ids[-1]:
        return ctx.say("option_deepest", level=reached)
    return ctx.say("option_level", level=reached, deeper=ids[ids.index(reached) + 1])


_register(
    "twelve-months",
    "Unfolding case: the milestones at a year",
    "monitoring",
    "chronic",
    "the course's response against the milestones at 3 months and a year",
)(twelve_months)


# --- 5. The next step after a year: monitor, or look for a kinase-domain variant -------------------------

NEXT_STEPS = ("test", "continue", "stop", "hydroxyurea", "interferon")
LOST_REMISSION = "lost-hematologic-remission"  # a finding id of content/management.yml (relapse)


def next_step(course: Course, ctx: Context, rng: random.Random) -> Question:
    failed = bool(course.failure)
    case = {"at_year": course.at_12_months, "finding": LOST_REMISSION if failed else None}
    key_text = next_step.expected(case, ctx)  # type: ignore[attr-defined]
    options = []
    for name in NEXT_STEPS:
        text = ctx.say(f"option_{name}")
        right = "right" if text == key_text else "wrong"
        why = ctx.say(f"why_{name}_{right}") if ctx.has(f"why_{name}_{right}") else ctx.say(f"why_{name}")
        options.append(Option(text, why))
    subject = course.who.pronoun.lower()
    news = (
        ctx.say(
            "news_failure",
            subject=subject,
            month=course.failure["month"],
            wbc=course.failure["wbc"],
            spleen=course.failure["spleen_cm"],
            blasts=course.failure["blasts_pct"],
        )
        if failed
        else ctx.say("news_on_target", subject=subject)
    )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=news,
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Treatment of relapsed CML: TKIs", "sections/relapsed.md#tkis"),
        case=case,
    )


@expects(next_step)
def _(case, ctx):
    if case["finding"] is not None and ctx.rules.relapse_status(case["finding"]) == "overt-failure":
        response = "failure"
    else:
        order = [r.id for r in ctx.content.responses.molecular_responses]
        reached = ctx.rules.molecular_response(case["at_year"])
        preferred = ctx.content.responses.targets.preferred_at_12_months
        response = "optimal" if reached != "none" and order.index(reached) >= order.index(preferred) else "suboptimal"
    return ctx.say("option_test" if ctx.rules.mutation_testing_indicated(response) else "option_continue")


_register(
    "next-step",
    "Unfolding case: the next step after a year",
    "resistance",
    "relapsed",
    "continuing the TKI or testing for kinase-domain variants after a year",
)(next_step)


# --- 6. Treatment with the T315I variant ---------------------------------------------------------------


def t315i(course: Course, ctx: Context, rng: random.Random) -> Question:
    therapies = ctx.content.therapies
    allowed = ctx.rules.treatment_options("relapsed", t315i=True)
    key_id = rng.choice([t for t in allowed if therapies[t].kind == "tki"])
    others = [t for t in ctx.rules.t315i_resistant() if t != course.tki]
    case = {"variant": course.variant, "options": [key_id, *others[:3], "hydroxyurea"]}
    key_text = t315i.expected(case, ctx)  # type: ignore[attr-defined]
    options = []
    for therapy_id in case["options"]:
        name = therapies[therapy_id].name
        if name == key_text:
            why = ctx.say(f"why_key_{therapy_id}")
        elif therapy_id == "hydroxyurea":
            why = ctx.say("why_hydroxyurea")
        else:
            why = ctx.say("why_resistant")
        options.append(Option(name, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        # The cardiovascular history matters only to ponatinib, so it is told only when ponatinib
        # is offered; asciminib is asked as an option, the most its one trial supports.
        vignette=ctx.say(f"news_{key_id}"),
        lead_in=ctx.say(f"lead_in_{key_id}"),
        explanation=ctx.say("explanation", tki=_tki(ctx, course.tki)),
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(t315i)
def _(case, ctx):
    allowed = ctx.rules.treatment_options("relapsed", t315i=case["variant"] == "T315I")
    return only_name(ctx, [t for t in case["options"] if t in allowed])


def only_name(ctx: Context, ids: list[str]) -> str:
    return ctx.content.therapies[only_one(ids, "therapy the rules allow")].name


_register(
    "t315i",
    "Unfolding case: treatment with the T315I variant",
    "resistance",
    "relapsed",
    "the treatment once the course's failure shows the T315I variant",
)(t315i)


# --- 7. Whether stopping can be considered ---------------------------------------------------------------

STOPPING = ("candidate", "not_deep", "too_soon", "switch", "after_sct")
RECENT_YEARS = 3  # the values a decision on stopping reads: the last three years'


def stopping(course: Course, ctx: Context, rng: random.Random) -> Question:
    years = course.years_on_tki or 0
    recent = [v for _, v in course.yearly[-RECENT_YEARS:]]
    case = {"years_on_tki": float(years), "recent_pct": recent}
    key_text = stopping.expected(case, ctx)  # type: ignore[attr-defined]
    deep = ctx.content.response(ctx.content.management.tki_discontinuation.depth).max_bcr_abl1_is_pct
    options = []
    for name in STOPPING:
        text = ctx.say(f"option_{name}")
        own = f"why_{name}_{'right' if text == key_text else 'wrong'}"
        options.append(Option(text, ctx.say(own if ctx.has(own) else f"why_{name}", deep=deep)))
    yearly = [ctx.say("yearly_value", year=y, value=v) for y, v in course.yearly]
    subject = course.who.pronoun.lower()
    return assemble(
        rng,
        next(o for o in options if o.text == key_text),
        [o for o in options if o.text != key_text],
        vignette=ctx.say(
            "news", pronoun=course.who.pronoun, tki=_tki(ctx, course.tki), yearly=yearly, years=years, subject=subject
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", deep=deep),
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(stopping)
def _(case, ctx):
    verdict = ctx.rules.tki_discontinuation(case["years_on_tki"], max(case["recent_pct"]))
    if verdict == "best-candidate":
        return ctx.say("option_candidate")
    if (
        verdict == "not-candidate"
        and case["years_on_tki"] > ctx.content.management.tki_discontinuation.min_years_on_tki
    ):
        return ctx.say("option_not_deep")
    if verdict == "not-candidate":
        return ctx.say("option_too_soon")
    raise QuizError("a course asks about stopping inside the summary's range of years, where it is not clear")


_register(
    "stopping",
    "Unfolding case: whether stopping can be considered",
    "stopping",
    "chronic",
    "whether years of the course's values make the patient a candidate to stop",
)(stopping)


# --- 8. After stopping: a molecular relapse, or the withdrawal syndrome ---------------------------------

RELAPSE_STEPS = ("previous-tki", "ponatinib", "sct", "hydroxyurea", "watch")
PAIN_CAUSES = ("withdrawal", "molecular-relapse", "kinase-variant", "accelerated", "blast-crisis")


def after_stopping(course: Course, ctx: Context, rng: random.Random) -> Question:
    story = course.after_stopping or ""
    value = course.after["value_pct"]
    tki = _tki(ctx, course.tki)
    case = {"story": story, "value_pct": value}
    key_text = after_stopping.expected(case, ctx)  # type: ignore[attr-defined]
    names = RELAPSE_STEPS if story == "molecular_relapse" else PAIN_CAUSES
    options = [Option(ctx.say(f"option_{n}"), ctx.say(f"why_{n}", value=value)) for n in names]
    subject = course.who.pronoun.lower()
    if story == "molecular_relapse":
        news = ctx.say(
            "news_molecular_relapse",
            pronoun=course.who.pronoun,
            tki=tki,
            months=course.after["months"],
            earlier=course.after["earlier_pct"],
            value=value,
        )
    else:
        news = ctx.say(
            "news_withdrawal",
            pronoun=course.who.pronoun,
            subject=subject,
            tki=tki,
            weeks=course.after["weeks"],
            value=value,
        )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=news,
        lead_in=ctx.say(f"lead_in_{story}"),
        explanation=ctx.say(f"explanation_{story}"),
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(after_stopping)
def _(case, ctx):
    if case["story"] == "withdrawal":
        cause = ctx.rules.pain_after_stopping(case["value_pct"], 0.0)
        return ctx.say("option_withdrawal" if cause == "withdrawal" else "option_molecular-relapse")
    lost = ctx.rules.molecular_response(case["value_pct"]) == "none"
    step = ctx.rules.after_stopping_relapse_step() if lost else "watch"
    return ctx.say(f"option_{step}")


_register(
    "after-stopping",
    "Unfolding case: after stopping a TKI",
    "stopping",
    "chronic",
    "a molecular relapse or the withdrawal syndrome after stopping",
)(after_stopping)
