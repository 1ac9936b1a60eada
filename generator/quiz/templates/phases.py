"""Case templates on the phases: staging from blasts, and when to examine the marrow."""

from __future__ import annotations

import math
import random

from generator.quiz.cases import patient
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text
from generator.quiz.registry import Context, template
from generator.render import format_number
from generator.render import format_pct as pct

# --- 1. Phase from blasts --------------------------------------------------------------------

PHASE_OPTIONS = ["Chronic phase", "Accelerated phase", "Blastic phase, not (yet) blast crisis", "Blast crisis"]


@template("phase-from-blasts", "Phase from blasts in blood and marrow", "phases")
def phase_from_blasts(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    phases = ctx.content.phases.phases
    cuts = [p.min_blasts_pct for p in phases[1:]]
    target = rng.randrange(len(phases))
    low = 1.0 if target == 0 else cuts[target - 1]
    high = cuts[target] - 1 if target < len(cuts) else 60.0
    if difficulty == "hard":  # at or next to a cut point
        low, high = (max(low, high - 2), high) if target < len(cuts) else (low, low + 2)
    deciding = float(rng.randint(int(math.ceil(low)), int(math.floor(high))))
    other = float(rng.randint(0, int(deciding)))
    blood, marrow = (deciding, other) if rng.random() < 0.5 else (other, deciding)
    all_signs = list(ctx.content.phases.blast_crisis_signs)
    signs = (
        all_signs if (target == len(phases) - 1 and rng.random() < 0.5) else rng.sample(all_signs, rng.randint(0, 2))
    )
    who = patient(rng)
    case = {"blood_blasts_pct": blood, "marrow_blasts_pct": marrow, "signs": signs}
    findings = f"{who.pronoun} reports {', '.join(signs)}." if signs else f"{who.pronoun} feels well."
    key_text = phase_from_blasts.expected(case, ctx)
    acc, bl = (format_number(c) for c in cuts)
    whys = {
        "Chronic phase": f"Chronic phase needs fewer than {acc}% blasts in both blood and marrow.",
        "Accelerated phase": f"Accelerated phase is {acc}% up to (not including) {bl}% blasts in blood or marrow.",
        PHASE_OPTIONS[2]: f"{bl}% or more blasts in blood or marrow is blastic phase; blast crisis also needs "
        f"{', '.join(all_signs)}.",
        "Blast crisis": f"Blast crisis is {bl}% or more blasts together with {', '.join(all_signs)}.",
    }
    options = [Option(text, whys[text]) for text in PHASE_OPTIONS]
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=PHASE_OPTIONS,
        vignette=f"{who.intro} with Ph chromosome–positive CML has {pct(blood)} blasts in peripheral blood "
        f"and {pct(marrow)} blasts in the bone marrow. {findings}",
        lead_in="Which best describes the phase of the disease?",
        explanation=f"The higher of the blood and marrow values ({pct(max(blood, marrow))}) decides the phase.",
        learn_more=LearnMore("Phases of CML", "phases.md"),
        case=case,
    )


@phase_from_blasts.expected
def _(case, ctx):
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    if ctx.rules.blast_crisis(phase, case["signs"]):
        return "Blast crisis"
    index = [p.id for p in ctx.content.phases.phases].index(phase)
    return PHASE_OPTIONS[index]


# --- 10. When to examine the marrow ---------------------------------------------------------------------


def _marrow_text(blasts: float, signs: list[str]) -> str:
    extra = f", with {' and '.join(signs)}" if signs else ", otherwise well"
    return f"Chronic-phase CML, {pct(blasts)} blasts in peripheral blood{extra}"


@template("marrow-examination", "When to examine the bone marrow", "phases")
def marrow_examination(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    limit = ctx.content.management.marrow_examination.circulating_blasts_over_pct
    signs = ["fever", "malaise", "a rapidly enlarging spleen"]
    flags = {"fever": "fever", "malaise": "malaise", "a rapidly enlarging spleen": "enlarging_spleen"}
    if rng.random() < 0.5:
        key_patient = (float(rng.randint(int(limit) + 1, int(limit) + 8)), [])
    else:
        key_patient = (float(rng.randint(1, int(limit) - 2)), [rng.choice(signs)])
    others = set()
    while len(others) < 3:
        others.add(float(rng.randint(0, int(limit))))
    patients = [key_patient] + [(b, []) for b in sorted(others)]
    case = {"patients": [(b, [flags[s] for s in ss]) for b, ss in patients]}
    key_text = marrow_examination.expected(case, ctx)
    options = []
    for blasts, ss in patients:
        text = _marrow_text(blasts, ss)
        why = (
            (
                "Fever, malaise, a rapidly enlarging spleen or more than "
                f"{pct(limit)} circulating blasts make marrow testing appropriate."
            )
            if text == key_text
            else (f"No clinical signs and no more than {pct(limit)} blasts: most patients need no marrow examination.")
        )
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette="Four patients with chronic-phase CML are seen in clinic.",
        lead_in="For which patient is a bone marrow examination most appropriate?",
        explanation="Most patients do not need a marrow examination; it is appropriate with fever, malaise, "
        f"rapidly enlarging splenomegaly or more than {pct(limit)} circulating blasts, to assess cellularity, "
        "fibrosis and cytogenetics.",
        learn_more=LearnMore("Histopathology and phases", "sections/histopathology.md"),
        case=case,
    )


@marrow_examination.expected
def _(case, ctx):
    words = {"fever": "fever", "malaise": "malaise", "enlarging_spleen": "a rapidly enlarging spleen"}
    indicated = [
        _marrow_text(blasts, [words[f] for f in flags])
        for blasts, flags in case["patients"]
        if ctx.rules.marrow_examination_indicated(blasts, **{f: True for f in flags})
    ]
    if len(indicated) != 1:
        raise QuizError(f"expected one indicated patient, found {len(indicated)}")
    return indicated[0]
