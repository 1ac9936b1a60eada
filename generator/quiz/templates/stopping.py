"""Case templates on life after stopping a TKI: who relapses, how to follow, what a relapse
and what new pain mean. Keys come from management.yml tki_discontinuation through the rules."""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.cases import Patient, log_uniform, round_sig
from generator.quiz.question import LearnMore, Option, Question, assemble, assemble_by_text, ordered_around
from generator.quiz.registry import Context, template

STOPPING = LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis")
STOPPED_TKIS = ("imatinib", "nilotinib", "dasatinib")


def _patient(rng: random.Random, ctx: Context, years_treated: int) -> Patient:
    """An adult at diagnosis, as old now as the years of treatment make them."""
    return ctx.patient(rng, low=ctx.content.patients.age_years.low + years_treated)


def _stopped_patient(rng: random.Random, ctx: Context) -> dict[str, Any]:
    """Who stopped which TKI after how many years: the vignette values the stopping cases share."""
    years = rng.randint(6, 12)
    who = _patient(rng, ctx, years)
    return {"who": who.intro, "pronoun": who.pronoun, "tki": _stopped(rng, ctx), "years": years}


def _stopped(rng: random.Random, ctx: Context) -> str:
    """The TKI a patient took before stopping, by name."""
    return ctx.content.therapies[rng.choice(STOPPED_TKIS)].name.split()[0].lower()


# --- How often to test after stopping -----------------------------------------------------------------

# Follow-up plans: (test, every how many months, until how many years; None: no end set).
FOLLOW_UP_PLANS = (
    ("rt-pcr", 3, None),
    ("rt-pcr", 6, None),
    ("rt-pcr", 12, None),
    ("rt-pcr", 3, 1),
    ("rt-pcr", 3, 2),
    ("fish", 3, None),
    ("cytogenetics", 6, None),
)


def _plan_text(ctx: Context, plan: tuple[str, int, int | None]) -> str:
    test, months, until = plan
    text = ctx.say("plan", test=ctx.say(f"test_{test}"), months=months)
    if until is None:
        return text
    return ctx.say("plan_first_year", plan=text) if until == 1 else ctx.say("plan_until", plan=text, years=until)


@template("stopping-follow-up", "Monitoring after stopping a TKI", "stopping", "chronic")
def stopping_follow_up(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    keys = [p for p in FOLLOW_UP_PLANS if ctx.rules.follow_up_after_stopping(*p)]
    others = [p for p in FOLLOW_UP_PLANS if p not in keys]
    plans = [rng.choice(keys), *rng.sample(others, 4)]
    case = {"plans": {_plan_text(ctx, p): p for p in plans}}
    key_text = stopping_follow_up.expected(case, ctx)
    options = [
        Option(text, ctx.say("why_key" if text == key_text else f"why_{_fault(ctx, plan)}"))
        for text, plan in case["plans"].items()
    ]
    stopped = _stopped_patient(rng, ctx)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", **stopped, dmr_years=rng.randint(3, stopped["years"] - 2)),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=STOPPING,
        case=case,
    )


def _fault(ctx: Context, plan: tuple[str, int, int | None]) -> str:
    """Why a plan falls short: the wrong test, too rarely, or ending too soon."""
    test, months, until = plan
    follow = ctx.content.management.tki_discontinuation.follow_up
    if test != follow.test:
        return "test"
    return "rare" if months > follow.every_months else "short"


@stopping_follow_up.expected
def _(case, ctx):
    (key,) = [text for text, plan in case["plans"].items() if ctx.rules.follow_up_after_stopping(*plan)]
    return key


# --- Muscle and joint pain after stopping ----------------------------------------------------------------

PAIN_CAUSES = ("withdrawal", "molecular-relapse", "kinase-variant", "accelerated", "blast-crisis")


@template("withdrawal-syndrome", "Muscle and joint pain after stopping a TKI", "stopping", "chronic")
def withdrawal_syndrome(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    levels = ctx.content.responses.molecular_responses
    dmr = ctx.content.response(ctx.content.responses.deep_molecular_response).max_bcr_abl1_is_pct
    value = round_sig(log_uniform(rng, levels[-1].max_bcr_abl1_is_pct, dmr), 2)  # the deep response holds
    case = {"bcr_abl1_is_pct": value, "blood_blasts_pct": 0.0}
    key_text = withdrawal_syndrome.expected(case, ctx)
    options = [Option(ctx.say(f"option_{cause}"), ctx.say(f"why_{cause}", value=value)) for cause in PAIN_CAUSES]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", **_stopped_patient(rng, ctx), weeks=rng.randint(2, 10), value=value),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", symptoms=ctx.content.management.tki_discontinuation.withdrawal_symptoms),
        learn_more=STOPPING,
        case=case,
    )


@withdrawal_syndrome.expected
def _(case, ctx):
    verdict = ctx.rules.pain_after_stopping(case["bcr_abl1_is_pct"], case["blood_blasts_pct"])
    return ctx.say("option_withdrawal" if verdict == "withdrawal" else "option_molecular-relapse")


# --- A molecular relapse after stopping ---------------------------------------------------------------------

RELAPSE_STEPS = ("previous-tki", "ponatinib", "sct", "hydroxyurea", "watch")


@template("stopping-relapse", "Relapse after stopping a TKI", "stopping", "chronic")
def stopping_relapse(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    value = round_sig(log_uniform(rng, mmr * 1.5, mmr * 20), 2)
    case = {"bcr_abl1_is_pct": value}
    key_text = stopping_relapse.expected(case, ctx)
    options = [Option(ctx.say(f"option_{step}"), ctx.say(f"why_{step}")) for step in RELAPSE_STEPS]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", **_stopped_patient(rng, ctx), months=rng.randint(3, 14), value=value),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=STOPPING,
        case=case,
    )


@stopping_relapse.expected
def _(case, ctx):
    return ctx.say(f"option_{ctx.rules.after_stopping_relapse_step()}")


# --- How many relapse after stopping ------------------------------------------------------------------------

# Shares a student might guess, around the summary's two figures (ordered_around).
RELAPSE_SHARES_PCT = (1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90)


@template("relapse-after-stopping", "How many relapse after stopping a TKI", "stopping", "chronic")
def relapse_after_stopping(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    stop = ctx.content.management.tki_discontinuation
    long_dmr = int(stop.long_dmr_years)
    years_in_dmr = rng.randint(long_dmr, long_dmr + 4) if rng.random() < 0.4 else rng.randint(2, long_dmr - 1)
    case = {"years_in_dmr": years_in_dmr}
    key_pct = ctx.rules.relapse_after_stopping_pct(years_in_dmr)
    shares = ordered_around(rng, key_pct, [float(p) for p in RELAPSE_SHARES_PCT])
    why = ctx.say("why_long" if years_in_dmr >= long_dmr else "why_overall")
    options = [Option(ctx.say("option", pct=p), why if p == key_pct else ctx.say("why_other", pct=p)) for p in shares]
    key = options[shares.index(key_pct)]
    years_on_tki = years_in_dmr + rng.randint(2, 4)
    who = _patient(rng, ctx, years_on_tki)
    return assemble(
        rng,
        key,
        [o for o in options if o is not key],
        ordered=[o.text for o in options],
        vignette=ctx.say(
            "vignette",
            who=who.intro,
            pronoun=who.pronoun,
            tki=_stopped(rng, ctx),
            years=years_on_tki,
            dmr_years=years_in_dmr,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=STOPPING,
        evidence=ctx.evidence(),
        case=case,
    )


@relapse_after_stopping.expected
def _(case, ctx):
    return ctx.say("option", pct=ctx.rules.relapse_after_stopping_pct(case["years_in_dmr"]))
