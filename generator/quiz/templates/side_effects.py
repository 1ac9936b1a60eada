"""Case templates on side effects: the adverse effects the summary reports for one TKI."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text
from generator.quiz.registry import Context, template

# --- The TKI behind a reported adverse effect -------------------------------------------------------


def _tkis(ctx: Context) -> list[str]:
    return [t.id for t in ctx.content.therapies.values() if t.kind == "tki"]


@template(
    "tki-adverse-effect",
    "The TKI behind a reported adverse effect",
    "side-effects",
    "chronic",
    examines="the TKI the summary links to a reported adverse effect",
    learners=("student", "resident"),
)
def tki_adverse_effect(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """The harms come from management.yml, each tied to the TKI and the study that reports it;
    the distractors are other TKIs (for a first-line trial, the TKIs it compared)."""
    harm = rng.choice(ctx.content.management.harms)
    study = ctx.content.studies[harm.study]
    key_id = ctx.rules.harm_of(harm.id)
    pool = [t for t in (study.therapies if study.first_line else _tkis(ctx)) if t != key_id]
    case = {"harm": harm.id, "options": [key_id, *rng.sample(pool, 4)]}
    key_text = tki_adverse_effect.expected(case, ctx)
    therapies = ctx.content.therapies
    effect = ctx.say(f"harm_{harm.id}")
    options = [
        Option(
            therapies[t].name,
            ctx.say("why_key", name=therapies[t].name, toxicities=therapies[t].toxicities)
            if t == key_id
            else ctx.say("why_other", name=therapies[t].name, effect=effect, key=therapies[key_id].name),
        )
        for t in case["options"]
    ]
    who = ctx.patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(f"vignette_{harm.id}", who=who.intro, pronoun=who.pronoun, months=rng.randint(3, 30)),
        lead_in=ctx.say(f"lead_in_{harm.id}"),
        explanation=ctx.say("explanation", name=key_text, toxicities=therapies[key_id].toxicities),
        learn_more=LearnMore(therapies[key_id].name, f"sections/{study.section}.md#study-{study.id}"),
        evidence=study.level,
        case=case,
        section=study.section,
    )


@tki_adverse_effect.expected
def _(case, ctx):
    return ctx.content.therapies[ctx.rules.harm_of(case["harm"])].name
