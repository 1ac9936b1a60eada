"""Case templates on first-line choice: options by phase and prognostic scores at diagnosis."""

from __future__ import annotations

import math
import random
from typing import Any

from generator.quiz.question import LearnMore, Option, Question, assemble, assemble_by_text
from generator.quiz.registry import Context, retry, template

# --- 7. First-line options ------------------------------------------------------------------------------


@template(
    "first-line-options",
    "First-line treatment options",
    "first-line",
    "chronic",
    examines="the treatment options for a phase at diagnosis",
    learners=("student", "resident"),
)
def first_line_options(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    setting = "accelerated" if rng.random() < 0.3 else "chronic"
    allowed = [t for t in ctx.rules.treatment_options(setting) if ctx.content.therapies[t].kind == "tki"]
    key_id = rng.choice(allowed)
    every_option = {
        t
        for entry in ctx.content.options.settings
        if entry.setting != "relapsed"
        for o in entry.options
        for t in o.therapies
    }
    pool = [t.id for t in ctx.content.therapies.values() if t.id not in every_option or t.id == "ponatinib"]
    pool = [t for t in pool if t not in ctx.rules.treatment_options(setting)]
    distractor_ids = rng.sample(sorted(pool), 4)
    case = {"setting": setting, "options": [key_id, *distractor_ids]}
    key_text = first_line_options.expected(case, ctx)
    options = []
    for therapy_id in case["options"]:
        therapy = ctx.content.therapies[therapy_id]
        if therapy.name == key_text:
            why = ctx.say("why_key", name=therapy.name, setting=setting)
        elif ctx.has(f"why_{therapy_id}"):  # a therapy with a reason of its own
            why = ctx.say(f"why_{therapy_id}")
        else:
            why = ctx.say("why_lymphoid", name=therapy.name)
        options.append(Option(therapy.name, why))
    who = ctx.patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", who=who.intro, setting=setting),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Treatment option overview", "sections/overview.md"),
        evidence=ctx.evidence(setting),
        case=case,
    )


@first_line_options.expected
def _(case, ctx):
    allowed = ctx.rules.treatment_options(case["setting"])
    return ctx.content.therapies[next(t for t in case["options"] if t in allowed)].name


# --- 13. Prognostic score ---------------------------------------------------------------------------------


def _miscalculated(score: str, case: dict[str, Any], ctx: Context) -> float:
    """The score as a common slip computes it (the distractor's number)."""
    s = ctx.content.scores
    if score == "sokal":  # exponentiating the age term only
        k = s.sokal
        return (
            math.exp(k.age.coefficient * (case["age"] - k.age.centre))
            + k.spleen.coefficient * (case["spleen_cm"] - k.spleen.centre)
            + k.platelets.coefficient * ((case["platelets"] / k.platelets.scale) ** 2 - k.platelets.centre)
            + k.blasts.coefficient * (case["blasts_pct"] - k.blasts.centre)
        )
    if score == "hasford":  # basophil percentage used as a number, not as the 0/1 indicator
        k = s.hasford
        exact = ctx.rules.hasford(**{a: case[a] for a in HASFORD_ARGS}).score
        indicator = k.basophils.coefficient if case["basophils_pct"] >= (k.basophils.at_least or 0) else 0
        return exact + k.multiplier * (k.basophils.coefficient * case["basophils_pct"] - indicator)
    if score == "eutos":  # coefficients swapped
        return s.eutos.spleen.coefficient * case["basophils_pct"] + s.eutos.basophils.coefficient * case["spleen_cm"]
    k = s.elts  # platelet term without its power
    exact = ctx.rules.elts(case["age"], case["spleen_cm"], case["platelets"], case["blasts_pct"]).score
    return exact - k.platelets.coefficient * (
        (case["platelets"] / k.platelets.divisor) ** k.platelets.power - case["platelets"] / k.platelets.divisor
    )


HASFORD_ARGS = ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct")
SCORE_DIGITS = {"sokal": 2, "hasford": 0, "eutos": 0, "elts": 2}


def _score_value(score: str, case: dict[str, Any], ctx: Context) -> float:
    if score == "sokal":
        return ctx.rules.sokal(case["age"], case["spleen_cm"], case["platelets"], case["blasts_pct"]).score
    if score == "hasford":
        return ctx.rules.hasford(**{a: case[a] for a in HASFORD_ARGS}).score
    if score == "eutos":
        return ctx.rules.eutos(case["basophils_pct"], case["spleen_cm"]).score
    return ctx.rules.elts(case["age"], case["spleen_cm"], case["platelets"], case["blasts_pct"]).score


def _score_number(score: str, value: float) -> str:
    digits = SCORE_DIGITS[score]
    return f"{value:.{digits}f}" if digits else f"{round(value)}"


def _score_text(ctx: Context, score: str, value: float, risk: str) -> str:
    return ctx.say("option", value=_score_number(score, value), risk=risk)


# Values besides the right one and the common slip, as multiples of the right one.
LOWER_SCORE_FACTORS = (0.4, 0.5, 0.65, 0.8)
HIGHER_SCORE_FACTORS = (1.25, 1.5, 1.75, 2.0)


@template(
    "prognostic-score",
    "Prognostic score risk group, with the site's calculator",
    "scores",
    "histopathology",
    examines="using a prognostic-score calculator, from the score's own publication (not the summary)",
    learners=("resident", "fellow"),
)
def prognostic_score(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    def draw() -> Question | None:
        score = rng.choice(["sokal", "hasford", "eutos", "elts"])
        who = ctx.patient(rng)
        values = ctx.at_diagnosis(rng)
        case = {"score": score, "age": float(who.age)} | {k: v for k, v in values.items() if k != "wbc"}
        model = getattr(ctx.content.scores, score)
        exact, wrong = _score_value(score, case, ctx), _miscalculated(score, case, ctx)
        digits = SCORE_DIGITS[score]
        if wrong <= 0 or abs(wrong - exact) < 0.1 * exact:
            return None  # a slip too small to tell apart from the right value is no fair distractor
        # Five values, each with the group the cut-offs give it (no option contradicts them):
        # the right one, the common slip where it fits, and more. The key's place is drawn A
        # to E first; a slip that would stand where no value may (below a key at A, above a
        # key at E) gives way to one more multiple.
        place = rng.randint(0, 4)
        slips = [wrong] if (place > 0 if wrong < exact else place < 4) else []
        lower = place - sum(v < exact for v in slips)
        factors = rng.sample(LOWER_SCORE_FACTORS, lower) + rng.sample(HIGHER_SCORE_FACTORS, 4 - len(slips) - lower)
        values = [exact, *slips] + [exact * f for f in factors]
        shown = [round(v, digits) for v in values]
        if len(set(shown)) < len(shown) or any(
            ctx.rules.score_risk(score, s_) != ctx.rules.score_risk(score, v) for s_, v in zip(shown, values)
        ):
            return None  # two values print alike, or rounding moves one across a cut-off
        true_risk = ctx.rules.score_risk(score, exact)
        said = {"exact": _score_number(score, exact), "true_risk": true_risk}
        options = []
        for index, value in enumerate(values):
            risk = ctx.rules.score_risk(score, value)
            reason = "why_key" if index == 0 else "why_slip" if index <= len(slips) else "why_other"
            why = ctx.say(reason, value=_score_number(score, value), risk=risk, **said)
            options.append(Option(_score_text(ctx, score, value, risk), why))
        key, distractors = options[0], options[1:]
        ordered = [_score_text(ctx, score, v, ctx.rules.score_risk(score, v)) for v in sorted(values)]
        return assemble(
            rng,
            key,
            distractors,
            ordered=ordered,
            vignette=ctx.say(
                "vignette",
                score=model,
                who=who.intro,
                age=case["age"],
                spleen=case["spleen_cm"],
                platelets=case["platelets"],
                blasts=case["blasts_pct"],
                eosinophils=case["eosinophils_pct"],
                basophils=case["basophils_pct"],
            ),
            lead_in=ctx.say("lead_in", score=model),
            explanation=ctx.say("explanation", score=model),
            learn_more=LearnMore(f"{model.name} calculator", f"scores.md#{score}"),
            case=case,
        )

    return retry(draw)


@prognostic_score.expected
def _(case, ctx):
    value = _score_value(case["score"], case, ctx)
    return _score_text(ctx, case["score"], value, ctx.rules.score_risk(case["score"], value))
