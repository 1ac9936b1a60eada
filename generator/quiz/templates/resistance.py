"""Case templates on resistance and relapse: T315I and ponatinib dosing. (relapse was dropped
after the S7-B read for serial-results, its classification vignette: see DROPPED in
tests/test_quiz_keys.py.)"""

from __future__ import annotations

import random

from generator.quiz.cases import log_uniform, round_sig
from generator.quiz.question import LearnMore, Option, Question, assemble_by_text, ordered_around
from generator.quiz.registry import Context, template

# --- 6. Options with T315I ---------------------------------------------------------------------------


# Agents of other kinds, none an option for relapsed CML with T315I in the summary.
NOT_FOR_T315I = ("hydroxyurea", "interferon-alfa", "busulfan")
PONATINIB_FAILED_SHARE = 0.27  # how often the stem says ponatinib has failed too
PONATINIB_KEY_SHARE = 0.3  # before ponatinib, how often it is the key outright (else either TKI)


@template(
    "t315i-options",
    "Treatment options with the T315I variant",
    "resistance",
    "relapsed",
    examines="the treatment options with the T315I variant",
    learners=("resident", "fellow"),
)
def t315i_options(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    therapies = ctx.content.therapies
    ponatinib_failed = rng.random() < PONATINIB_FAILED_SHARE
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=ponatinib_failed)
    # Before ponatinib, the key is a TKI for relapsed CML: mostly ponatinib, which "has
    # activity" with T315I; asciminib's support is thinner (a phase I trial included such
    # patients), so it is the key less often. Transplant is the key only after ponatinib.
    tkis = [t for t in allowed if therapies[t].kind == "tki"]
    if ponatinib_failed:
        key_id = allowed[0]
    else:
        key_id = "ponatinib" if "ponatinib" in tkis and rng.random() < PONATINIB_KEY_SHARE else rng.choice(tkis)
    # The TKIs that failed (two, and ponatinib when the stem says so) are named in the stem and
    # never offered again: an option the stem rules out is no plausible distractor. The other
    # options are the two resistant TKIs left and agents of other kinds, so no one sentence of
    # the summary ("T315I ... marks resistance to imatinib, dasatinib, nilotinib, and
    # bosutinib") answers the item.
    resistant = ctx.rules.t315i_resistant()
    failed = rng.sample(resistant, 2)
    left = [t for t in resistant if t not in failed]
    others = [t for t in NOT_FOR_T315I if t not in allowed]
    distractor_ids = [*left, *rng.sample(others, 2)]
    case = {"ponatinib_failed": ponatinib_failed, "options": [key_id, *distractor_ids], "failed": failed}
    key_text = t315i_options.expected(case, ctx)
    options = []
    for therapy_id in case["options"]:
        name = therapies[therapy_id].name
        if name == key_text:
            why = ctx.say("why_key_after_ponatinib") if ponatinib_failed else ctx.say(f"why_key_{therapy_id}")
        elif therapy_id in resistant:
            why = ctx.say("why_resistant", name=name.lower())
        else:
            why = ctx.say(f"why_{therapy_id}")
        options.append(Option(name, why))
    who = ctx.patient(rng, high=ctx.content.management.transplant.consider_early_below_age - 1)
    story = ctx.say("story_ponatinib_failed" if ponatinib_failed else "story_before_ponatinib")
    names = [therapies[t].name.lower() for t in failed]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", who=who.intro, pronoun=who.pronoun, story=story, failed=names),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence=ctx.evidence(),
        case=case,
    )


@t315i_options.expected
def _(case, ctx):
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=case["ponatinib_failed"])
    matches = [t for t in case["options"] if t in allowed]
    return ctx.content.therapies[matches[0]].name


# --- 12. Ponatinib step-down -----------------------------------------------------------------------------

# Every option is a ponatinib dose: a start dose among other once-daily doses (ordered_around),
# or, on treatment, a dose to continue, lower to or raise to.
START_DOSES_MG = (10, 15, 20, 30, 45, 60, 75, 90)
# Doses no study in the summary found optimal, each a tablet strength a clinician might write:
# two other step-downs, and a third (after the response) or a higher dose (before it).
WRONG_ON_TREATMENT = (("lower", 30), ("lower", 10))
# What a question asks: the dose to start, or the dose now, before or after the response.
PONATINIB_ASKS = ("start", "before-response", "after-response")


@template(
    "ponatinib-dose",
    "Ponatinib start dose and step-down",
    "resistance",
    "relapsed",
    examines="ponatinib's start dose and step-down",
    learners=("fellow",),
)
def ponatinib_dose(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """The start dose, the dose while BCR::ABL1 is above the response level, or once it has
    reached it: three keys, each a third of the time; every option a ponatinib dose."""
    dosing = ctx.content.management.ponatinib
    level = dosing.response_bcr_abl1_is_pct
    ask = rng.choice(PONATINIB_ASKS)
    value = None
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    if ask == "after-response":  # above MMR, so that waiting for MMR is a different plan
        value = round_sig(log_uniform(rng, mmr * 1.5, level), 2)
    elif ask == "before-response":
        value = round_sig(log_uniform(rng, level * 1.5, level * 10), 2)
    case = {"ask": ask, "bcr_abl1_is_pct": value}
    key_text = ponatinib_dose.expected(case, ctx)
    who = ctx.patient(rng, high=ctx.content.patients.oldest_on_ponatinib_years)
    # The history the summary's ponatinib cohorts had: two TKIs the T315I variant resists.
    failed = [ctx.content.therapies[t].name.split()[0].lower() for t in rng.sample(ctx.rules.t315i_resistant(), 2)]
    if ask == "start":
        doses = ordered_around(rng, float(dosing.start_mg_daily), [float(d) for d in START_DOSES_MG])
        texts = [ctx.say("option_start", mg=d) for d in doses]
        options = [
            Option(t, ctx.say("why_start" if t == key_text else "why_start_other", mg=d)) for t, d in zip(texts, doses)
        ]
        ordered: list[str] | None = texts
    else:
        starting, reduced = dosing.start_mg_daily, dosing.reduced_mg_daily
        # After the response, a fifth dose now (a plan keeping 45 mg until MMR meant the same
        # as continuing it, so the two fell together); before it, a higher dose.
        last = ("lower", 20) if ask == "after-response" else ("raise", 60)
        plans = [("continue", starting), ("lower", reduced), *WRONG_ON_TREATMENT, last]
        texts = [ctx.say(f"option_{verb}", mg=mg, mmr=mmr) for verb, mg in plans]
        options = [
            Option(
                t,
                ctx.say("why_key" if t == key_text else _why_dose(verb, mg, reduced), mg=mg, value=value, mmr=mmr),
            )
            for t, (verb, mg) in zip(texts, plans)
        ]
        ordered = None
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=ordered,
        vignette=ctx.say(
            f"vignette_{'start' if ask == 'start' else 'on'}",
            who=who.intro,
            pronoun=who.pronoun,
            value=value,
            failed=failed,
        ),
        lead_in=ctx.say(f"lead_in_{'start' if ask == 'start' else 'on'}"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence=ctx.evidence(),
        case=case,
    )


def _why_dose(verb: str, mg: float, reduced: float) -> str:
    """The reason a dose is wrong: lowering to the right dose too early is its own mistake."""
    return "why_lower_early" if (verb, mg) == ("lower", reduced) else f"why_{verb}"


@ponatinib_dose.expected
def _(case, ctx):
    dose = ctx.rules.ponatinib_dose_mg(case["bcr_abl1_is_pct"])
    if case["ask"] == "start":
        return ctx.say("option_start", mg=dose)
    return ctx.say(
        "option_continue" if dose == ctx.content.management.ponatinib.start_mg_daily else "option_lower", mg=dose
    )
