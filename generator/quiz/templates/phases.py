"""Case templates on the phases: staging from blasts, and when to examine the marrow."""

from __future__ import annotations

import random

from generator.quiz.question import LearnMore, Option, Question, assemble, assemble_by_text, only_one, ordered_around
from generator.quiz.registry import Context, template

# --- 1. Phase from blasts --------------------------------------------------------------------

# The options, in the order of the phases in content/phases.yml, then blast crisis, then a
# count that meets neither the chronic nor the accelerated definition (blasts below the
# accelerated cut, but blasts and promyelocytes together at or above it).
PHASE_OPTIONS = ("option_chronic", "option_accelerated", "option_blastic", "option_blast_crisis")
OUTCOMES = (*PHASE_OPTIONS, "option_unclassified")


@template("phase-from-blasts", "Phase from blasts in blood and marrow", "phases", "histopathology")
def phase_from_blasts(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Each of the five answers equally often: the key's letter follows the options' fixed order."""
    accelerated, blastic = (p.min_blasts_pct for p in ctx.content.phases.phases[1:])
    cut, crisis_cut = int(accelerated), int(blastic)
    target = rng.choice(OUTCOMES)
    near = difficulty == "hard"  # at or next to a cut point
    all_signs = list(ctx.content.phases.blast_crisis_signs)
    signs = rng.sample(all_signs, rng.randint(0, 2))
    if target == "option_chronic":
        deciding = rng.randint(cut - 3 if near else 1, cut - 2)
        promyelocytes = rng.randint(0, cut - 1 - deciding)
    elif target == "option_unclassified":
        deciding = rng.randint(cut - 4 if near else 2, cut - 1)
        promyelocytes = rng.randint(cut - deciding, cut - deciding + (1 if near else 6))
    elif target == "option_accelerated":
        deciding = rng.choice((cut, crisis_cut - 1)) if near else rng.randint(cut, crisis_cut - 1)
        promyelocytes = rng.randint(0, 8)
    else:
        most = int(ctx.content.patients.max_blasts_pct)
        deciding = rng.randint(crisis_cut, crisis_cut + 2) if near else rng.randint(crisis_cut, most)
        promyelocytes = rng.randint(0, 8)
        if target == "option_blast_crisis":
            signs = all_signs
    blood, marrow = ctx.blood_and_marrow(rng, deciding)
    who = ctx.patient(rng)
    case = {
        "blood_blasts_pct": blood,
        "marrow_blasts_pct": marrow,
        "promyelocytes_pct": float(promyelocytes),
        "signs": signs,
    }
    findings = ctx.say("findings_signs" if signs else "findings_none", pronoun=who.pronoun, signs=signs)
    key_text = phase_from_blasts.expected(case, ctx)
    texts = [ctx.say(name) for name in OUTCOMES]
    options = [
        Option(ctx.say(name), ctx.say(name.replace("option_", "why_"), crisis_signs=all_signs)) for name in OUTCOMES
    ]
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=texts,
        vignette=ctx.say(
            "vignette",
            who=who.intro,
            blood=blood,
            marrow=marrow,
            promyelocytes=float(promyelocytes),
            findings=findings,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", higher=max(blood, marrow), together=max(blood, marrow) + promyelocytes),
        learn_more=LearnMore("Phases of CML", "phases.md"),
        case=case,
    )


@phase_from_blasts.expected
def _(case, ctx):
    phase = ctx.rules.phase(
        case["blood_blasts_pct"], case["marrow_blasts_pct"], promyelocytes_pct=case["promyelocytes_pct"]
    )
    if phase == "unclassified":
        return ctx.say("option_unclassified")
    if ctx.rules.blast_crisis(phase, case["signs"]):
        return ctx.say("option_blast_crisis")
    index = [p.id for p in ctx.content.phases.phases].index(phase)
    return ctx.say(PHASE_OPTIONS[index])


# --- 10. When to examine the marrow ---------------------------------------------------------------------

# Findings as the rules name them, and the presenting symptoms that call for no marrow testing.
CALL_FOR_MARROW = ("fever", "malaise", "enlarging_spleen")
OTHER_SYMPTOMS = ("malaise", "fatigue", "weight_loss", "night_sweats")


def _marrow_text(ctx: Context, blasts: float, findings: tuple[str, ...]) -> str:
    if not findings:
        return ctx.say("option_no_findings", blasts=blasts)
    return ctx.say("option_findings", blasts=blasts, findings=[ctx.say(f"finding_{f}") for f in findings])


@template("marrow-examination", "When to examine the bone marrow", "phases", "histopathology")
def marrow_examination(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """One patient both of the summary's statements send for marrow testing; four neither does
    (no fever, no spleen finding, blasts not above the histopathology level). A patient the
    statements disagree on is never drawn."""
    limit = int(ctx.content.management.marrow_examination.circulating_blasts_over_pct)
    key_patient = (float(rng.randint(limit + 1, limit + 8)), CALL_FOR_MARROW)
    others: list[tuple[float, tuple[str, ...]]] = []
    while len(others) < 4:
        # Mostly two or three symptoms, so the key is not the one long option.
        findings = tuple(sorted(rng.sample(OTHER_SYMPTOMS, rng.choice((0, 1, 2, 3, 3)))))
        candidate = (float(rng.randint(1, limit)), findings)
        if all(candidate[0] != b and candidate[1] != f for b, f in others):
            others.append(candidate)
    patients = [key_patient, *others]
    case = {"patients": patients}
    key_text = marrow_examination.expected(case, ctx)
    options = []
    for blasts, findings in patients:
        text = _marrow_text(ctx, blasts, findings)
        why = ctx.say("why_indicated") if text == key_text else ctx.say("why_not_indicated", blasts=blasts)
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette"),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Histopathology and phases", "sections/histopathology.md"),
        case=case,
    )


@marrow_examination.expected
def _(case, ctx):
    indicated = [
        _marrow_text(ctx, blasts, findings)
        for blasts, findings in case["patients"]
        if ctx.rules.marrow_examination(blasts, **marrow_signs(findings)) == "indicated"
    ]
    return only_one(indicated, "indicated patient")


def marrow_signs(findings: tuple[str, ...]) -> dict[str, bool]:
    """The findings as generator.rules.marrow_examination takes them (a rapidly enlarging spleen
    is an enlarged one too)."""
    spleen = "enlarging_spleen" in findings
    return {
        "fever": "fever" in findings,
        "malaise": "malaise" in findings,
        "enlarged_spleen": spleen,
        "rapidly_enlarging_spleen": spleen,
    }


# --- Predictors of a shorter chronic phase -------------------------------------------------------------


@template("progression-predictors", "What predicts a shorter chronic phase", "phases", "histopathology")
def progression_predictors(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """One predictor the summary lists, among four findings that are not: features it describes
    as CML's own (phases.yml typical_findings) and presenting symptoms that are no sign of a
    transition, mixed, so that no kind of finding marks the key. A patient keyed "older age"
    is older than the median age at diagnosis."""
    phases = ctx.content.phases
    predictor = rng.choice(phases.shorter_chronic_phase_factors).text
    signs = phases.transition_signs
    transition = {sign.lower() for sign in [*signs.accelerated, *signs.blast_crisis]}
    symptoms = [s for s in phases.presenting_symptoms if s.lower() not in transition]
    others = rng.sample(phases.typical_findings, 2) + rng.sample(symptoms, 2)
    case = {"findings": [predictor, *others]}
    key_text = progression_predictors.expected(case, ctx)
    options = [
        Option(finding, ctx.say("why_key" if finding == key_text else "why_typical", finding=finding))
        for finding in case["findings"]
    ]
    older = predictor.lower().startswith("older age")
    who = ctx.patient(rng, low=ctx.content.patients.median_age_years) if older else ctx.patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", who=who.intro, pronoun=who.pronoun),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(
            "explanation",
            predictors=[f.text[0].lower() + f.text[1:] for f in phases.shorter_chronic_phase_factors],
        ),
        learn_more=LearnMore("Chronic-phase CML", "sections/histopathology.md#chronic-phase"),
        case=case,
    )


@progression_predictors.expected
def _(case, ctx):
    return only_one([f for f in case["findings"] if ctx.rules.shortens_chronic_phase(f)], "predictor")


# --- The rate of progression to blast crisis -----------------------------------------------------------

# Rates a student might guess, around the summary's figure (ordered_around).
PROGRESSION_RATES_PCT = (1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60)


@template(
    "progression-rate", "The rate of progression to blast crisis after the first years", "phases", "histopathology"
)
def progression_rate(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    progression = ctx.content.phases.progression
    years = rng.randint(progression.first_years + 1, progression.first_years + 6)
    case = {"years_since_diagnosis": years}
    low, high = ctx.rules.progression_rate_pct(years)
    rates = ordered_around(rng, low, [float(r) for r in PROGRESSION_RATES_PCT])
    options = [Option(ctx.say("option", pct=r), ctx.say("why_key" if r == low else "why_other", pct=r)) for r in rates]
    key = options[rates.index(low)]
    who = ctx.patient(rng, low=ctx.content.patients.age_years.low + years)
    return assemble(
        rng,
        key,
        [o for o in options if o is not key],
        ordered=[o.text for o in options],
        vignette=ctx.say("vignette", who=who.intro, pronoun=who.pronoun, years=years),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Chronic-phase CML", "sections/histopathology.md#chronic-phase"),
        case=case,
    )


@progression_rate.expected
def _(case, ctx):
    low, high = ctx.rules.progression_rate_pct(case["years_since_diagnosis"])
    return ctx.say("option", pct=low)
