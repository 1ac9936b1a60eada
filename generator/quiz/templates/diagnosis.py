"""Case templates on diagnosis: what the result of a BCR::ABL1 test means for the course of a
patient whose karyotype shows no Ph chromosome."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text
from generator.quiz.registry import Context, template

# The result a test gives, drawn so that a rearrangement found (by RT-PCR or Southern blot) and
# none found by RT-PCR come up equally often. The readers found the old "which test is the most
# sensitive?" ask the same memorised fact in half the items: the result given now decides the key.
FOUND = ("rt-pcr-positive", "southern-blot-positive")
NOT_FOUND = "rt-pcr-negative"
COURSES = ("like-ph-positive", "like-cmml", "milder", "like-pmf", "like-et")


@template(
    "ph-negative",
    "What a BCR::ABL1 test result predicts when the karyotype shows no Ph chromosome",
    "phases",
    "general",
    examines="what an RT-PCR or Southern blot result predicts when the karyotype shows no Ph chromosome",
    learners=("student", "resident"),
)
def ph_negative(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """The picture of CML with no Ph chromosome on the karyotype and the result of a test for
    BCR::ABL1; the key is the course or prognosis the summary gives for that result."""
    who = ctx.patient(rng)
    values = ctx.at_diagnosis(rng)
    result = rng.choice((rng.choice(FOUND), NOT_FOUND))
    case = {"result": result}
    key_text = ph_negative.expected(case, ctx)
    found = "found" if result in FOUND else "not_found"
    said = {"evidence": ctx.say(f"evidence_{result}")}
    options = [Option(ctx.say(f"course_{c}"), ctx.say(f"why_{c}_{found}", **said)) for c in COURSES]
    spleen = round(values["spleen_cm"])
    vignette = ctx.say(
        "vignette",
        who=who.intro,
        wbc=round(values["wbc"]),
        platelets=round(values["platelets"]),
        basophils=round(values["basophils_pct"]),
        spleen=ctx.say("spleen_cm", cm=spleen) if spleen else ctx.say("spleen_not_palpable"),
        result=ctx.say(f"result_{result}"),
    )
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=vignette,
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Diagnostic evaluation", "sections/general.md"),
        case=case,
    )


@ph_negative.expected
def _(case, ctx):
    return ctx.say(f"course_{ctx.rules.ph_negative_course(rearranged=case['result'].endswith('-positive'))}")
