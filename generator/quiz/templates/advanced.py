"""Case templates on accelerated and blastic phase: the lymphoid blastic phase's regimen."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text, only_one
from generator.quiz.registry import Context, template

# --- Lymphoid blastic phase ----------------------------------------------------------------------------

LINEAGES = ("lymphoid", "myeloid")
# The other patients: (phase, lineage of the blasts); four are drawn for each question.
# B-lymphoid blasts appear only in blastic phase: below 20% they are a grey zone the summary
# does not decide (current classifications call increased lymphoblasts a lymphoid blast phase),
# and a chronic-phase marrow's few blasts get no lineage.
OTHER_MARROWS = (
    ("blastic", "myeloid"),
    ("blastic", "myeloid"),
    ("accelerated", "myeloid"),
    ("accelerated", "myeloid"),
    ("chronic", "none"),
)
HYPER_CVAD = "hyper-cvad-dasatinib"  # therapy id in content/therapies.yml


def _blasts(rng: random.Random, ctx: Context, phase: str) -> tuple[float, float]:
    """Marrow and blood blasts whose higher value lies inside a phase's band, clear of its cut
    points (Context.blood_and_marrow keeps the two in a believable relation)."""
    cuts = {p.id: p.min_blasts_pct for p in ctx.content.phases.phases}
    bands = {
        "chronic": (ctx.content.patients.min_marrow_blasts_pct, cuts["accelerated"]),
        "accelerated": (cuts["accelerated"], cuts["blastic"]),
        "blastic": (cuts["blastic"], ctx.content.patients.max_blasts_pct),
    }
    low, high = bands[phase]
    blood, marrow = ctx.blood_and_marrow(rng, rng.randint(int(low) + 1, int(high) - 1))
    return marrow, blood


def _regimen_fits(ctx: Context, marrow: float, blood: float, lineage: str) -> bool:
    phase = ctx.rules.phase(blood, marrow)
    return HYPER_CVAD in ctx.rules.treatment_options(phase, lymphoid=lineage == "lymphoid")


@template(
    "blastic-lymphoid",
    "Treating lymphoid blastic phase",
    "advanced",
    "blastic",
    examines="recognizing lymphoid blastic phase and the regimen the summary reports for it",
    learners=("resident", "fellow"),
)
def blastic_lymphoid(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    marrows = [("blastic", "lymphoid"), *rng.sample(OTHER_MARROWS, 4)]
    patients = []
    for phase, lineage in marrows:
        marrow, blood = _blasts(rng, ctx, phase)
        lineage_words = "" if lineage == "none" else rng.choice(ctx.say_each(f"lineage_{lineage}"))
        text = ctx.say(
            "option",
            who=ctx.patient(rng, high=ctx.content.management.transplant.consider_early_below_age - 1).intro,
            marrow=marrow,
            blood=blood,
            lineage=lineage_words,
        )
        patients.append({"text": text, "marrow": marrow, "blood": blood, "lineage": lineage})
    case = {"patients": patients}
    key_text = blastic_lymphoid.expected(case, ctx)
    options = []
    for p in patients:
        phase = ctx.rules.phase(p["blood"], p["marrow"])
        why = "why_key" if p["text"] == key_text else f"why_{phase}_{p['lineage']}"
        higher, where = (p["marrow"], "Marrow") if p["marrow"] >= p["blood"] else (p["blood"], "Blood")
        said = {"marrow": p["marrow"], "blood": p["blood"], "higher": higher, "where": where}
        options.append(Option(p["text"], ctx.say(why, **said)))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette"),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Treatment of blastic-phase CML", "sections/blastic.md#tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


@blastic_lymphoid.expected
def _(case, ctx):
    matches = [p["text"] for p in case["patients"] if _regimen_fits(ctx, p["marrow"], p["blood"], p["lineage"])]
    return only_one(matches, "patient for hyper-CVAD with dasatinib")
