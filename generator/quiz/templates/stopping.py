"""Case templates on stopping a TKI: who can consider it, and how many
relapse. Keys come from management.yml tki_discontinuation through the rules."""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.cases import Patient
from generator.quiz.question import (
    LearnMore,
    Option,
    Question,
    QuizError,
    assemble,
    ordered_around,
)
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


# --- How many relapse after stopping ------------------------------------------------------------------------

# Shares a student might guess, around the summary's two figures (ordered_around), and the
# years in DMR a student might name for the long-DMR group.
RELAPSE_SHARES_PCT = (1, 2, 3, 5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90)
DMR_YEARS = (2, 3, 4, 5, 6, 7, 8, 10, 12, 15)


def _far_from(key: float, share: float) -> bool:
    """A share at least twice or half the key, in relapse or in staying in remission: never
    40% or 60% beside "about 50%", which pooled nonrandomized reports cannot tell apart."""
    fold = lambda a, b: max(a / b, b / a) >= 2  # noqa: E731
    return fold(share, key) or fold(100 - share, 100 - key)


# What a question asks: the share of all who stop, the share after long DMR, or how long a DMR
# the low share needs. Never a patient with a shorter DMR: the summary gives no figure for one.
ASKS = ("overall", "long-dmr", "dmr-years")


@template(
    "relapse-after-stopping",
    "How many relapse after stopping a TKI",
    "stopping",
    "chronic",
    examines="how many relapse after stopping a TKI, overall and after a long deep response",
    learners=("resident", "fellow"),
)
def relapse_after_stopping(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Three questions the summary decides, each as often: the share of all patients who stop
    that relapse (about 50%), the share after 5 or more years in DMR (about 10%), and how long
    in DMR that lower share took."""
    stop = ctx.content.management.tki_discontinuation
    long_dmr = int(stop.long_dmr_years)
    ask = rng.choice(ASKS)
    years_in_dmr = rng.randint(long_dmr, long_dmr + 4) if ask == "long-dmr" else None
    case = {"ask": ask, "years_in_dmr": years_in_dmr}
    key_text = relapse_after_stopping.expected(case, ctx)
    if ask == "dmr-years":
        values = ordered_around(rng, float(long_dmr), [float(y) for y in DMR_YEARS])
        texts = [ctx.say("option_years", years=y) for y in values]
        whys = [
            ctx.say("why_years") if t == key_text else ctx.say("why_other_years", option=t)
            for t, y in zip(texts, values)
        ]
    else:
        key_pct = ctx.rules.relapse_after_stopping_pct(years_in_dmr)
        pool = [float(p) for p in RELAPSE_SHARES_PCT if _far_from(key_pct, p) or p == key_pct]
        values = ordered_around(rng, key_pct, pool)
        texts = [ctx.say("option", pct=p) for p in values]
        right = ctx.say("why_long" if ask == "long-dmr" else "why_overall")
        other = "why_other_long" if ask == "long-dmr" else "why_other"
        whys = [
            right if t == key_text else ctx.say(other, pct=p, dmr_years=years_in_dmr) for t, p in zip(texts, values)
        ]
    options = [Option(t, w) for t, w in zip(texts, whys)]
    key = options[texts.index(key_text)]
    said: dict[str, Any] = {}
    if ask == "long-dmr":
        years_on_tki = years_in_dmr + rng.randint(2, 4)
        who = _patient(rng, ctx, years_on_tki)
        said = {"who": who.intro, "pronoun": who.pronoun, "tki": _stopped(rng, ctx), "years": years_on_tki}
        said["dmr_years"] = years_in_dmr
    return assemble(
        rng,
        key,
        [o for o in options if o is not key],
        ordered=texts,
        vignette=ctx.say(f"vignette_{ask}", **said),
        lead_in=ctx.say(f"lead_in_{ask}"),
        explanation=ctx.say("explanation"),
        learn_more=STOPPING,
        evidence=ctx.evidence(),
        case=case,
    )


@relapse_after_stopping.expected
def _(case, ctx):
    if case["ask"] == "dmr-years":
        return ctx.say("option_years", years=ctx.content.management.tki_discontinuation.long_dmr_years)
    pct = ctx.rules.relapse_after_stopping_pct(case["years_in_dmr"])
    if pct is None:
        raise QuizError(f"the summary gives no relapse share for {case['years_in_dmr']} years in DMR")
    return ctx.say("option", pct=pct)
