"""Unfolding cases: one patient's course (generator/quiz/courses.py) asked step by step.

Each step is a single-best-answer question about the course so far, keyed by the rules from
the values shown up to that step and no later; its stem carries the whole story so far, and
`Step.news` what it adds. A step is also a template like any other (`course-emr`), drawn
alone with the history of a course that reaches it; `unfold` asks a whole course in order.
The options of a step are the same whatever the branch, so they never hint at what follows."""

from __future__ import annotations

import dataclasses
import math
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
            baseline=course.baseline_pct,
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


# --- 2. EMR at 3 months, and what the halving time since diagnosis says when it is missed -----------------

EMR_OPTIONS = ("met", "missed_fast", "missed_slow", "missed_switch", "mmr")


def emr(course: Course, ctx: Context, rng: random.Random) -> Question:
    """Three answers, each drawn with its branch's share: EMR met; missed, with a halving time
    since diagnosis under the summary's limit; missed, with one over it."""
    days = float(course.emr_day)
    case = {"baseline_pct": course.baseline_pct, "bcr_abl1_is_pct": course.at_emr, "days": days}
    key_text = emr.expected(case, ctx)  # type: ignore[attr-defined]
    exact = round(ctx.rules.halving_time_days(course.baseline_pct, course.at_emr, days))
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    said = {"mmr": mmr, "value": course.at_emr, "baseline": course.baseline_pct, "days": round(days), "exact": exact}
    key_name = next(name for name in EMR_OPTIONS if ctx.say(f"option_{name}") == key_text)
    options = []
    for name in EMR_OPTIONS:
        # A wrong option's reason speaks to this result: met, or missed with the other halving time.
        own = [f"why_{name}_right"] if name == key_name else [f"why_{name}_when_{key_name}", f"why_{name}_wrong"]
        why = next((k for k in own if ctx.has(k)), f"why_{name}")
        options.append(Option(ctx.say(f"option_{name}"), ctx.say(why, **said)))
    met = ctx.rules.early_molecular_response(course.at_emr)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "news", pronoun=course.who.pronoun, tki=_tki(ctx, course.tki), value=course.at_emr, days=round(days)
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation_met" if met else "explanation_missed", **said),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


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


# --- 3. The halving time, when EMR is missed ---------------------------------------------------------------

# Wrong halving times, each the result of a named error (S6-B: distractors whose reason was
# only "Not X" taught nothing, and some matched no error at all): days, first and second % IS.
HALVING_ERRORS: dict[str, Callable[[float, float, float], float]] = {
    "linear": lambda d, a, b: d * (a / 2) / (a - b),  # a straight-line fall to half
    "quarter": lambda d, a, b: 2 * d * math.log(2) / math.log(a / b),  # the time to fall to a quarter
    "log10_ratio": lambda d, a, b: d * math.log(2) / math.log10(a / b),  # ln 2 over log10 of the fall
    "log10_two": lambda d, a, b: d * math.log10(2) / math.log(a / b),  # log10 2 over ln of the fall
    "log2_ratio": lambda d, a, b: d * math.log(2) / math.log2(a / b),  # ln 2 over log2 of the fall
    "log10_two_log2": lambda d, a, b: d * math.log10(2) / math.log2(a / b),  # log10 2 over log2 of it
    "no_ln2": lambda d, a, b: d / math.log(a / b),  # ln 2 left out
    "per_log": lambda d, a, b: d / math.log10(a / b),  # the time for a tenfold fall
    "difference": lambda d, a, b: d * math.log(2) / math.log(a - b) if a - b > 1.5 else 0.0,  # ln(a - b)
    "times_halvings": lambda d, a, b: d * math.log2(a / b),  # the interval times the halvings
}
MIN_GAP_DAYS = 5


def halving(course: Course, ctx: Context, rng: random.Random) -> Question:
    first, second, days = course.baseline_pct, course.at_emr, float(course.emr_day)
    case = {"first_pct": first, "second_pct": second, "days_between": days}
    exact = round(ctx.rules.halving_time_days(first, second, days))
    limit = ctx.content.responses.halving_time.max_days
    errors: dict[float, str] = {}
    for name, error in rng.sample(list(HALVING_ERRORS.items()), len(HALVING_ERRORS)):
        value = round(error(days, first, second))
        # Never the summary's cut itself, and never two options too close to tell apart.
        apart = all(abs(value - other) >= MIN_GAP_DAYS for other in [exact, *errors])
        if value > 0 and abs(value - limit) >= 3 and apart:
            errors[value] = name
    shown = ordered_around(rng, exact, list(errors))
    said = {"sampled": round(days), "first": first, "second": second, "exact": exact}
    options = []
    for value in shown:
        reason = "why_key" if value == exact else f"why_{errors[value]}"
        options.append(Option(ctx.say("option", days=round(value)), ctx.say(reason, days=round(value), **said)))
    favourable = ctx.rules.halving_time_favourable(ctx.rules.halving_time_days(first, second, days))
    return assemble_by_text(
        rng,
        options,
        halving.expected(case, ctx),  # type: ignore[attr-defined]
        ordered=[o.text for o in options],
        vignette=ctx.say("news"),
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


# --- 5. Treatment with the T315I variant -------------------------------------------------------------------


def t315i(course: Course, ctx: Context, rng: random.Random) -> Question:
    """The failure found at the 12-month visit, the T315I variant, and the treatment: ponatinib
    or asciminib offered, or, once ponatinib has failed too, allogeneic SCT (content's shares)."""
    therapies = ctx.content.therapies
    story = course.t315i_story or "ponatinib"
    failed = story == "after_ponatinib"
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=failed)
    key_id = allowed[0] if failed else story
    if key_id not in allowed:
        raise QuizError(f"the rules give no {key_id} with the T315I variant")
    others = [t for t in ctx.rules.t315i_resistant() if t != course.tki]
    case = {"variant": course.variant, "ponatinib_failed": failed, "options": [key_id, *others[:3], "hydroxyurea"]}
    if failed:
        case |= {"on_ponatinib_pct": [course.on_ponatinib["earlier_pct"], course.on_ponatinib["value_pct"]]}
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
    subject = course.who.pronoun.lower()
    failure = ctx.say(
        "news_failure",
        subject=subject,
        month=course.failure["month"],
        wbc=course.failure["wbc"],
        spleen=course.failure["spleen_cm"],
        blasts=course.failure["blasts_pct"],
    )
    # The cardiovascular history matters only to ponatinib, so it is told only when ponatinib
    # is offered; asciminib is asked as an option, the most its one trial supports.
    treatment = ctx.say(
        f"news_{story}",
        subject=subject,
        months=course.on_ponatinib.get("months", 0),
        earlier=course.on_ponatinib.get("earlier_pct", 0),
        value=course.on_ponatinib.get("value_pct", 0),
    )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=f"{failure} {treatment}",
        lead_in=ctx.say(f"lead_in_{story}"),
        explanation=ctx.say("explanation", tki=_tki(ctx, course.tki)),
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(t315i)
def _(case, ctx):
    allowed = ctx.rules.treatment_options(
        "relapsed", t315i=case["variant"] == "T315I", ponatinib_failed=case["ponatinib_failed"]
    )
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


# --- 6. Whether stopping can be considered ---------------------------------------------------------------

STOPPING = ("candidate", "not_deep", "too_soon", "switch", "after_sct")
RECENT_YEARS = 3  # the values a decision on stopping reads: the last three years'


def stopping(course: Course, ctx: Context, rng: random.Random) -> Question:
    years = course.years_on_tki or 0
    recent = [v for _, v in course.yearly[-RECENT_YEARS:]]
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


# --- 7. After stopping: a molecular relapse, a low level found again, or the withdrawal syndrome ----------

RELAPSE_STEPS = ("previous-tki", "ponatinib", "sct", "hydroxyurea", "watch")
PAIN_CAUSES = ("withdrawal", "molecular-relapse", "kinase-variant", "accelerated", "blast-crisis")


def after_stopping(course: Course, ctx: Context, rng: random.Random) -> Question:
    story = course.after_stopping or ""
    value = course.after["value_pct"]
    tki = _tki(ctx, course.tki)
    pain = story == "withdrawal"
    case = {"pain": pain, "value_pct": value}
    if not pain:
        case["earlier_pct"] = course.after["earlier_pct"]
    key_text = after_stopping.expected(case, ctx)  # type: ignore[attr-defined]
    names = PAIN_CAUSES if pain else RELAPSE_STEPS
    options = []
    for name in names:
        own = f"why_{name}_{story}"
        options.append(Option(ctx.say(f"option_{name}"), ctx.say(own if ctx.has(own) else f"why_{name}", value=value)))
    subject = course.who.pronoun.lower()
    news = []
    if course.later:
        # Not a candidate when asked: the TKI went on until it was stopped, years later.
        yearly = [ctx.say("yearly_value", year=y, value=v) for y, v in course.later]
        news.append(
            ctx.say(
                "news_later",
                pronoun=course.who.pronoun,
                subject=subject,
                tki=tki,
                yearly=yearly,
                years=course.stopped_after_years,
            )
        )
    news.append(
        ctx.say(
            f"news_{story}",
            pronoun=course.who.pronoun,
            subject=subject,
            tki=tki,
            months=course.after.get("months", 0),
            weeks=course.after.get("weeks", 0),
            earlier=course.after.get("earlier_pct", 0),
            value=value,
        )
    )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=" ".join(news),
        lead_in=ctx.say("lead_in_withdrawal" if pain else "lead_in_molecular"),
        explanation=ctx.say(f"explanation_{story}"),
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


@expects(after_stopping)
def _(case, ctx):
    meaning = ctx.rules.after_stopping(case["value_pct"], pain=case["pain"])
    if meaning == "withdrawal":
        return ctx.say("option_withdrawal")
    if meaning == "relapse" and case["pain"]:
        return ctx.say("option_molecular-relapse")
    return ctx.say(f"option_{ctx.rules.after_stopping_relapse_step() if meaning == 'relapse' else 'watch'}")


_register(
    "after-stopping",
    "Unfolding case: after stopping a TKI",
    "stopping",
    "chronic",
    "a molecular relapse, a low level found again, or the withdrawal syndrome after stopping",
)(after_stopping)
