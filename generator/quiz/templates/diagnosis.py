"""Case templates on diagnosis: what the result of a BCR::ABL1 test means for the course of a
patient whose karyotype shows no Ph chromosome."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text
from generator.quiz.registry import Context, template

# What the case asks, drawn first and evenly: the most sensitive test, or the course once a
# test has spoken (a rearrangement found by RT-PCR or Southern blot, or none by RT-PCR).
PH_NEGATIVE_CASES = ("which-test", "course", "course")
RESULTS = ("rt-pcr-positive", "southern-blot-positive", "rt-pcr-negative")
COURSES = ("like-ph-positive", "like-cmml", "milder", "accelerated", "like-et")


@template(
    "ph-negative",
    "A Ph-negative karyotype: the test to do, and what its result means",
    "phases",
    "general",
    examines="the most sensitive test when the karyotype shows no Ph chromosome, and what its result predicts",
    learners=("student", "resident"),
)
def ph_negative(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """The picture of CML with no Ph chromosome on the karyotype. Either the key is the most
    sensitive test, or a result is given and the key is the course it predicts; a
    rearrangement found and one not found are drawn equally often."""
    who = ctx.patient(rng)
    values = ctx.at_diagnosis(rng)
    picture = {"who": who.intro, "wbc": round(values["wbc"]), "spleen": max(1, round(values["spleen_cm"]))}
    if rng.choice(PH_NEGATIVE_CASES) == "which-test":
        case = {"ask": "which-test", "tests": list(ctx.content.management.diagnosis.tests)}
        key_text = ph_negative.expected(case, ctx)
        options = [
            Option(
                ctx.say(f"test_{t}"), ctx.say("why_key") if ctx.say(f"test_{t}") == key_text else ctx.say(f"why_{t}")
            )
            for t in case["tests"]
        ]
        vignette, lead_in = ctx.say("vignette", **picture, result=""), ctx.say("lead_in_test")
    else:
        result = rng.choice((RESULTS[rng.randrange(2)], RESULTS[2]))
        case = {"ask": "course", "result": result}
        key_text = ph_negative.expected(case, ctx)
        options = [Option(ctx.say(f"course_{c}"), ctx.say(f"why_course_{c}")) for c in COURSES]
        vignette = ctx.say("vignette", **picture, result=ctx.say(f"result_{result}"))
        lead_in = ctx.say("lead_in_course")
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=vignette.strip(),
        lead_in=lead_in,
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Diagnostic evaluation", "sections/general.md"),
        case=case,
    )


@ph_negative.expected
def _(case, ctx):
    if case["ask"] == "which-test":
        return ctx.say(f"test_{ctx.rules.most_sensitive_test()}")
    return ctx.say(f"course_{ctx.rules.ph_negative_course(rearranged=case['result'].endswith('-positive'))}")
