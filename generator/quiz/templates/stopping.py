"""Case templates on stopping a TKI, and the patients they share: who stopped which TKI after
how many years. (relapse-after-stopping was dropped after the S6-B read: see DROPPED in
tests/test_quiz_keys.py; who may stop is tki-discontinuation, in monitoring.py.)"""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.cases import Patient
from generator.quiz.question import LearnMore
from generator.quiz.registry import Context

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
