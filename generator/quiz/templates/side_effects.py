"""Case templates on side effects and choosing a TKI for the patient: the adverse effects the
summary reports for one TKI, dasatinib's doses, and what impedes absorption of oral TKIs."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble, assemble_by_text, only_one, ordered_around
from generator.quiz.registry import Context, template

# --- The TKI behind a reported adverse effect -------------------------------------------------------


def _tkis(ctx: Context) -> list[str]:
    return [t.id for t in ctx.content.therapies.values() if t.kind == "tki"]


@template("tki-adverse-effect", "The TKI behind a reported adverse effect", "side-effects", "chronic")
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


# --- Dasatinib's dose for an older patient, or after a pleural effusion ----------------------------------

# Daily doses a student might offer: the key's place among them varies (ordered_around).
DASATINIB_DOSES_MG = (5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 100, 140)


@template(
    "dasatinib-dosing", "Dasatinib's dose for an older patient or after a pleural effusion", "side-effects", "chronic"
)
def dasatinib_dosing(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    dosing = ctx.content.management.dasatinib
    older = int(dosing.older_than_years)
    effusion = rng.random() < 0.6
    who = ctx.patient(rng, high=older) if effusion else ctx.patient(rng, low=older + 1)
    case = {"age": who.age, "pleural_effusion": effusion}
    key_mg = ctx.rules.dasatinib_dose_mg(who.age, pleural_effusion=effusion)
    # After an effusion on the standard dose, that dose is the stem's reference, not an answer.
    pool = [float(d) for d in DASATINIB_DOSES_MG if not (effusion and d == dosing.standard_mg_daily)]
    doses = ordered_around(rng, key_mg, pool)
    ask = "effusion" if effusion else "older"
    effusions = _effusion_rates(ctx)
    options = [
        Option(
            ctx.say("option", mg=mg),
            ctx.say(f"why_{ask}" if mg == key_mg else f"why_other_{ask}", mg=mg, effusions=effusions),
        )
        for mg in doses
    ]
    key = next(o for o, mg in zip(options, doses) if mg == key_mg)
    vignette = ctx.say(f"vignette_{ask}", who=who.intro, pronoun=who.pronoun, months=rng.randint(4, 24), age=who.age)
    return assemble(
        rng,
        key,
        [o for o in options if o is not key],
        ordered=[o.text for o in options],
        vignette=vignette,
        lead_in=ctx.say(f"lead_in_{ask}"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Dasatinib", "sections/chronic.md#other-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


def _effusion_rates(ctx: Context) -> list[str]:
    """The pleural effusion rates by dose, from the study behind dasatinib's harm (studies.yml)."""
    harm = next(h for h in ctx.content.management.harms if h.therapy == "dasatinib")
    study = ctx.content.studies[harm.study]
    endpoint = next(e for e in study.endpoints if e.measure == "adverse-events")
    return [ctx.say("rate", arm=r.arm, value=r.pct) for r in endpoint.results if r.pct is not None]


@dasatinib_dosing.expected
def _(case, ctx):
    return ctx.say("option", mg=ctx.rules.dasatinib_dose_mg(case["age"], pleural_effusion=case["pleural_effusion"]))


# --- What impedes absorption of an oral TKI ---------------------------------------------------------------


# Past operations a patient may have had, none of which the summary ties to absorption.
OTHER_HISTORIES = (
    "cholecystectomy",
    "appendectomy",
    "hernia-repair",
    "knee-replacement",
    "thyroidectomy",
    "cataract-surgery",
)


@template("tki-absorption", "A history that impedes absorption of oral TKIs", "side-effects", "overview")
def tki_absorption(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Five patients with a suboptimal response, each with a past operation; the key is the one
    the summary says may impede absorption (management.yml absorption)."""
    impeding = ctx.content.management.absorption.impeded_by
    others = [h for h in OTHER_HISTORIES if h not in impeding]
    histories = [rng.choice(impeding), *rng.sample(others, 4)]
    texts = [
        ctx.say("option", who=ctx.patient(rng).intro, history=ctx.say(f"history_{h}"), years=rng.randint(1, 9))
        for h in histories
    ]
    case = {"options": dict(zip(texts, histories))}
    key_text = tki_absorption.expected(case, ctx)
    return assemble_by_text(
        rng,
        [Option(text, ctx.say("why_key" if text == key_text else "why_other")) for text in texts],
        key_text,
        vignette=ctx.say("vignette"),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Targeted therapy with TKIs", "sections/overview.md#tkis"),
        case=case,
    )


@tki_absorption.expected
def _(case, ctx):
    matches = [text for text, history in case["options"].items() if ctx.rules.absorption_impeded(history)]
    return only_one(matches, "patient whose history impedes absorption")
