"""Case templates on side effects and choosing a TKI for the patient: the adverse effects the
summary reports for one TKI, and the TKI a mechanism, a dose schedule or a trial result
points to."""

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


# --- Which TKI a property points to ---------------------------------------------------------------


@template(
    "which-tki",
    "Which TKI a mechanism, a dose schedule or a trial result points to",
    "side-effects",
    "chronic",
    examines="telling the TKIs apart by mechanism, dose schedule and first-line trial results",
    learners=("resident", "fellow"),
)
def which_tki(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """A property the summary gives one TKI alone (management.yml tki_clues), told as a case;
    the other options are other TKIs. The clue, drawn first, decides the key."""
    clue = rng.choice(ctx.content.management.tki_clues)
    key_id = ctx.rules.tki_with(clue.id)
    case = {"clue": clue.id, "options": [key_id, *rng.sample([t for t in _tkis(ctx) if t != key_id], 4)]}
    key_text = which_tki.expected(case, ctx)
    therapies = ctx.content.therapies
    options = [
        Option(
            therapies[t].name,
            ctx.say(f"why_{clue.id}")
            if t == key_id
            else ctx.say(f"why_not_{clue.id}", name=_in_a_sentence(therapies[t].name)),
        )
        for t in case["options"]
    ]
    dosing = ctx.content.management.dasatinib
    older = clue.id == "low-start-when-older"
    who = ctx.patient(rng, low=dosing.older_than_years + 1) if older else ctx.patient(rng)
    section = ctx.content.studies[clue.study].section if clue.study else "chronic"
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(f"vignette_{clue.id}", who=who.intro, pronoun=who.pronoun),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore(key_text, f"sections/{section}.md"),
        evidence=ctx.content.studies[clue.study].level if clue.study else None,
        case=case,
        section=section,
    )


def _in_a_sentence(name: str) -> str:
    """A drug's name inside a sentence: "imatinib mesylate", not "Imatinib mesylate"."""
    return name[0].lower() + name[1:]


@which_tki.expected
def _(case, ctx):
    return ctx.content.therapies[ctx.rules.tki_with(case["clue"])].name
