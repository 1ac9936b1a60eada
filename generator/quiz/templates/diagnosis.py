"""Case templates on presentation and diagnosis: what examination shows at diagnosis and what
signals a change of phase; a Ph chromosome-negative karyotype, the test that finds a
BCR::ABL1 rearrangement the others miss, and what its result means for the course."""

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


# --- Presentation, and the signs of a change of phase ----------------------------------------------

# Findings on examination besides the commonest one, none of which the summary calls common.
OTHER_EXAMINATION_FINDINGS = ("hepatomegaly", "lymphadenopathy", "petechiae", "jaundice")
SIGN_ASKS = ("diagnosis", "accelerated", "blast-crisis")


@template(
    "presentation",
    "What examination shows at diagnosis, and the signs of a change of phase",
    "phases",
    "general",
    examines="what examination shows at diagnosis, and the signs that the phase is changing",
    learners=("student", "resident"),
)
def presentation(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """One of three asks, drawn evenly: the commonest finding at diagnosis; a finding that
    signals accelerated phase (among symptoms CML presents with, and a spleen unchanged since
    diagnosis); a finding that signals blast crisis beyond the accelerated-phase signs. Fever,
    both a presenting symptom and a sign of blast crisis, is never an option."""
    phases = ctx.content.phases
    signs = phases.transition_signs
    fever = {s for s in phases.presenting_symptoms if s in signs.blast_crisis}
    symptoms = [s for s in phases.presenting_symptoms if s not in fever]
    ask = rng.choice(SIGN_ASKS)
    if ask == "diagnosis":
        findings = [ctx.rules.commonest_finding_at_diagnosis()] + [
            ctx.say(f"finding_{f}") for f in OTHER_EXAMINATION_FINDINGS
        ]
    elif ask == "accelerated":
        findings = [rng.choice(signs.accelerated), *symptoms, ctx.say("finding_stable-spleen")]
    else:
        crisis = [s for s in signs.blast_crisis if s not in fever]
        findings = [rng.choice(crisis), *signs.accelerated, rng.choice(symptoms)]
    case = {"ask": ask, "findings": findings}
    key_text = presentation.expected(case, ctx)
    options = [Option(f, ctx.say(_why_sign(ctx, ask, f, key_text))) for f in findings]
    who = ctx.patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            f"vignette_{'diagnosis' if ask == 'diagnosis' else 'treated'}", who=who.intro, years=rng.randint(2, 8)
        ),
        lead_in=ctx.say(f"lead_in_{ask}"),
        explanation=ctx.say(
            "explanation",
            accelerated=[s.lower() for s in signs.accelerated],
            crisis=[s.lower() for s in signs.blast_crisis],
        ),
        learn_more=LearnMore("Clinical presentation", "sections/general.md#clinical-presentation"),
        case=case,
    )


def _why_sign(ctx: Context, ask: str, finding: str, key_text: str) -> str:
    """Which reason goes with a finding: the key's, or what the finding is instead."""
    if finding == key_text:
        return f"why_key_{ask}"
    signalled = ctx.rules.transition_signalled(finding)
    if signalled:
        return f"why_{signalled}"
    return "why_presenting" if finding in ctx.content.phases.presenting_symptoms else "why_other"


@presentation.expected
def _(case, ctx):
    if case["ask"] == "diagnosis":
        return ctx.rules.commonest_finding_at_diagnosis()
    matches = [f for f in case["findings"] if ctx.rules.transition_signalled(f) == case["ask"]]
    (key,) = matches
    return key
