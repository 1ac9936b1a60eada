"""Case templates on accelerated and blastic phase: the plan of treatment for a patient who
presents in either, read from the blast count and the blasts' immunophenotype.

Two earlier templates here were dropped after expert review (tests/test_quiz_keys.py, DROPPED):
blastic-lymphoid (the key the only B-lymphoid option) and advanced-approach (a Sokal line in
accelerated-phase stems only; a TKI then SCT co-defensible in lymphoid blastic phase)."""

from __future__ import annotations

import math
import random

from generator.clinical.treatment import TKI
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text
from generator.quiz.registry import Context, template

# --- The plan for a patient presenting in accelerated or blastic phase --------------------------------

# The cases, each keyed about a third of the time: (phase, lineage of the blasts). Lymphoid
# blasts appear only in blastic phase: below 20% they are a grey zone the summary does not decide
# (S6-A: a hematologist calls increased lymphoblasts a lymphoid blast phase at any count).
CASES = (("accelerated", "myeloid"), ("blastic", "myeloid"), ("blastic", "lymphoid"))
# The plans offered: what induces a response (a TKI, the therapy of Ph chromosome-positive ALL,
# or hydroxyurea, which the summary keeps for hyperleukocytosis and palliation) by when
# allogeneic SCT follows (content/options.yml: transplant_after_induction).
HYPER_CVAD, HYDROXYUREA = "hyper-cvad-dasatinib", "hydroxyurea"  # TKI: any of the phase's TKIs
INDUCTIONS = (HYPER_CVAD, TKI, HYDROXYUREA)
TRANSPLANTS = ("when-feasible", "for-poor-response")
# With lymphoid blasts, "a TKI, then allogeneic SCT" is partly right (TKIs are active in lymphoid
# blast crisis, R2 on advanced-approach): it is never offered there. Elsewhere one of the four
# plans that are wrong whatever the count is left out, at random.
PARTLY_RIGHT_IF_LYMPHOID = (TKI, "when-feasible")
# Counts clear of the cut points in standard items; hard items sit next to the 20% cut.
STANDARD_MARGIN = 2


def _counts(rng: random.Random, ctx: Context, phase: str, hard: bool) -> tuple[float, float]:
    """Blood and marrow blasts whose higher value places the phase, in the relation
    content/patients.yml keeps between them (the blood holding some of a higher marrow's blasts,
    the marrow not far below a higher blood count)."""
    ranges = ctx.content.patients
    cuts = {p.id: int(p.min_blasts_pct or 0) for p in ctx.content.phases.phases}
    if phase == "accelerated":
        low, high = cuts["accelerated"], cuts["blastic"] - 1
        low, high = (high - 4, high) if hard else (low + 1, high - STANDARD_MARGIN)
    else:
        low, high = cuts["blastic"], int(ranges.max_blasts_pct)
        low, high = (low, low + 4) if hard else (low + 5, high)
    higher = rng.randint(low, high)
    if rng.random() < 0.5:  # the marrow holds the higher count
        blood = rng.randint(math.ceil(higher * ranges.blood_blasts_at_least_marrow_share_pct / 100), higher)
        return float(blood), float(higher)
    floor = max(
        int(ranges.min_marrow_blasts_pct), math.ceil(higher * ranges.marrow_blasts_at_least_blood_share_pct / 100)
    )
    return float(higher), float(rng.randint(floor, higher))


def _plan(ctx: Context, induction: str, transplant: str) -> str:
    return ctx.say(f"plan_{transplant}", induction=ctx.say(f"induction_{induction}"))


@template(
    "advanced-plan",
    "The plan of treatment for a patient presenting in accelerated or blastic phase",
    "advanced",
    "blastic",
    examines="reading the phase from the blasts and, in blastic phase, their lineage from the "
    "immunophenotype, then the induction and the place of allogeneic SCT the summary gives for each",
    learners=("resident", "fellow"),
)
def advanced_plan(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Each of the three cases equally often; every stem has the same form (counts, markers,
    fitness and a donor), so only the counts and the markers tell the cases apart."""
    phase, lineage = rng.choice(CASES)
    blood, marrow = _counts(rng, ctx, phase, difficulty == "hard")
    markers = rng.choice(ctx.say_each(f"markers_{lineage}"))
    case = {"blood_blasts_pct": blood, "marrow_blasts_pct": marrow, "lineage": lineage}
    key_text = advanced_plan.expected(case, ctx)
    plans = [(i, t) for i in INDUCTIONS for t in TRANSPLANTS]
    if lineage == "lymphoid":
        plans.remove(PARTLY_RIGHT_IF_LYMPHOID)
    else:
        plans.remove(rng.choice([p for p in plans if p[0] != TKI]))
    said = _said(ctx, case, markers)
    options = [Option(_plan(ctx, i, t), _why(ctx, case, said, i, t, key_text)) for i, t in plans]
    who = ctx.patient(rng, high=ctx.content.management.transplant.consider_early_below_age - 1)
    setting = "lymphoid" if lineage == "lymphoid" else phase
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", who=who.intro, pronoun=who.pronoun, markers=markers, blood=blood, marrow=marrow),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", top=said["top"]),
        learn_more=LearnMore(
            "Treatment of blastic-phase CML" if phase == "blastic" else "Treatment of accelerated-phase CML",
            f"sections/{phase}.md",
        ),
        evidence=ctx.evidence(setting),
        case=case,
        section=phase,
    )


def _said(ctx: Context, case: dict, markers: str) -> dict[str, str]:
    """The phrases every reason draws on: where the phase comes from, the lineage, the figures."""
    top = int(ctx.content.phases.phases[2].min_blasts_pct) - 1  # "10% to 19% blasts"
    where = "marrow" if case["marrow_blasts_pct"] >= case["blood_blasts_pct"] else "blood"
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    studies = ctx.content.studies
    survival = next(
        r.value for e in studies["tki-blastic-trials"].endpoints if e.measure == "survival" for r in e.results
    )
    mmr = studies["hyper-cvad-dasatinib-lymphoid"].endpoints[0].results[0].pct
    return {
        "phase": ctx.say(f"phase_{phase}", higher=case[f"{where}_blasts_pct"], where=where, top=top),
        "lineage": ctx.say(f"lineage_{case['lineage']}", markers=markers),
        "survival": survival,
        "mmr": mmr,
        "top": top,
    }


def _why(ctx: Context, case: dict, said: dict, induction: str, transplant: str, key_text: str) -> str:
    """Why a plan is right or wrong for this patient, naming the count or the lineage that decides."""
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    lymphoid = case["lineage"] == "lymphoid"
    if _plan(ctx, induction, transplant) == key_text:
        return ctx.say(f"why_key_{'lymphoid' if lymphoid else phase}", **said)
    if induction == HYDROXYUREA:
        return ctx.say("why_hydroxyurea", **said)
    if induction == HYPER_CVAD and not lymphoid:
        return ctx.say("why_hyper-cvad_myeloid", **said)
    if induction == HYPER_CVAD:  # lymphoid, with SCT kept for a poor response
        return ctx.say("why_poor_response_lymphoid", **said)
    if lymphoid:  # a TKI, with SCT kept for a poor response
        return ctx.say("why_tki_lymphoid", **said)
    if phase == "blastic":  # a TKI, with SCT kept for a poor response
        return ctx.say("why_poor_response_blastic", **said)
    return ctx.say("why_when_feasible_accelerated", **said)  # a TKI, then SCT, in accelerated phase


@advanced_plan.expected
def _(case, ctx):
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    if phase not in ("accelerated", "blastic"):
        raise QuizError(f"a case of advanced-plan is in accelerated or blastic phase: {case}")
    induction, transplant = ctx.rules.induction_and_transplant(phase, lymphoid=case["lineage"] == "lymphoid")
    return _plan(ctx, induction, transplant)
