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
WHEN_FEASIBLE, FOR_POOR_RESPONSE = "when-feasible", "for-poor-response"
# One fixed set of plans for every item, whatever the phase and lineage, so that no option's
# presence marks the case (R-blastic-r3: each case's own option set gave its key): a TKI or
# hyper-CVAD with dasatinib, each with allogeneic SCT when feasible or reserved for a poor
# response, and hydroxyurea, which every case makes wrong. Hydroxyurea's plan names neither
# timing (S8-blastic-7, defect 3: with a timing drawn at random it carried the key's in 14 of 20
# items, so that timing stood three times against two); each timing is now in two options.
# With lymphoid blasts, "a TKI, then SCT when feasible" is the weaker plan, not a wrong one in
# every reader's eyes (TKIs are active in lymphoid blast crisis; R2 and R-blastic-r2 called it
# partly defensible): the summary gives that case the therapy of Ph chromosome-positive ALL, and
# the reason says both. Whether a fixed set may carry it is the open question of the last read.
PLANS = (
    (TKI, WHEN_FEASIBLE),
    (TKI, FOR_POOR_RESPONSE),
    (HYPER_CVAD, WHEN_FEASIBLE),
    (HYPER_CVAD, FOR_POOR_RESPONSE),
)
# The rest of the count: a spleen, platelets and a WBC count that every stem gives, drawn alike
# for every case and inside content/patients.yml's values at diagnosis; the WBC count stays well
# below hyperleukocytosis (hydroxyurea's indication; R-blastic: 86 to 97 read as a grey zone),
# and an accelerated-phase patient's Sokal score stays clear of the high-risk cut (with a high
# risk the summary's cohort favoured first-line SCT; R-blastic: 1.16 was too near 1.2).
SPLEEN_CM, PLATELETS, WBC = (1, 10), (100, 450), (30, 80)
SPLEEN_NOT_PALPABLE_SHARE = 0.1  # about 10% of patients (General Information)
# Signs of the transition (General Information), at most one in a stem. The signs of either phase
# are drawn with one share each whatever the phase (content/patients.yml advanced_plan), so none
# leans to a phase (S8-blastic-7, defect 2: fever in 4 of 6 accelerated stems, 1 of 6 myeloid
# blastic ones, a third of the accelerated pool against a fifth of the blastic one); the
# blast-crisis signs (bone pain, a painful enlarging spleen) only in blastic stems clear of the
# 20% cut, where the count already says blastic phase; a spleen sign only beside a spleen of at
# least LARGE_SPLEEN_CM (R-blastic-r5, S8-blastic-7 item 3: 'a painful, enlarging spleen'
# palpable 1 cm below the costal margin).
EITHER_PHASE_SIGNS = ("splenomegaly", "anemia", "fever")
BLAST_CRISIS_SIGNS = ("bone-pain", "painful-spleen")
SPLEEN_SIGNS = ("splenomegaly", "painful-spleen")
LARGE_SPLEEN_CM = 8
# Hemoglobin, g/dL, in every stem (lower with 'progressive anemia'); basophils in a left-shifted
# film, inside content/patients.yml's range, so every case reads as CML (R-blastic-r5).
HB, HB_ANEMIA = (9.5, 12.5), (7.5, 9.4)
# Thrombocytopenia in some cases of either phase, about as often (S8-blastic-6): the shares in
# content/patients.yml (advanced_plan.low_platelets_share_pct) differ by phase because the redraws
# for the Sokal score shift the drawn rate up in blastic cases and down in accelerated ones.
LOW_PLATELETS = (50, 95)
# A marrow packed with blasts comes with anemia (content/patients.yml advanced_plan.packed_marrow_blasts_pct).
# Blood blasts above the marrow's: in few blastic cases, and then beside a spleen of at least
# BLOOD_HIGHER_SPLEEN_CM (S8-blastic-6, item 17: 27% in the blood, 18% in the marrow, no spleen).
BLOOD_HIGHER_SHARE = 0.15
BLOOD_HIGHER_SPLEEN_CM = 5
FEW_BLOOD_BLASTS = 5  # blood blasts beside a marrow that decides, as R-blastic-r4 asked
# Blastic cases next to the 20% cut, placed by the marrow with few blood blasts, either lineage,
# by difficulty; the rest spread well above the cut (R-bank-fix11-2: 12 of 13 blastic items at
# 20% to 22%, which tested the cut point more than the plan).
NEAR_CUT_SHARE = {"standard": 0.2, "hard": 0.4}
SOKAL_CLEARANCE = 0.15  # R-blastic-r2: 1.16 sat within a count of the cut
# Hard items put the deciding count next to a cut point (10% or 20%); standard ones clear of it.
NEAR = 2


def _deciding_count(rng: random.Random, ctx: Context, phase: str, hard: bool, low_blood: bool) -> int:
    cuts = {p.id: int(p.min_blasts_pct or 0) for p in ctx.content.phases.phases}
    if phase == "accelerated":  # across 10% to 19%; hard items next to either cut
        low, high = cuts["accelerated"], cuts["blastic"] - 1
        if hard:
            return rng.choice([*range(low, low + NEAR), *range(high - NEAR + 1, high + 1)])
        return rng.randint(low, high)
    low = cuts["blastic"]
    if low_blood:  # a marrow count that the blood's few blasts can sit beside
        return rng.randint(low, low + NEAR)
    return rng.randint(low + 5, int(ctx.content.patients.max_blasts_pct))


def _counts(rng: random.Random, ctx: Context, phase: str, hard: bool, low_blood: bool) -> tuple[float, float]:
    """Blood and marrow blasts whose higher value places the phase, in the relation
    content/patients.yml keeps between them. Accelerated phase, and about half of myeloid
    blastic phase, is placed by the marrow with few blasts in the blood, so the Sokal group does
    not follow the phase (R-blastic-r4: 'intermediate' in every accelerated stem, 'high' in every
    blastic one); other blastic cases by either compartment."""
    ranges = ctx.content.patients
    higher = _deciding_count(rng, ctx, phase, hard, low_blood)
    blood_floor = math.ceil(higher * ranges.blood_blasts_at_least_marrow_share_pct / 100)
    if phase == "accelerated" or low_blood:
        most = max(FEW_BLOOD_BLASTS - (phase == "accelerated"), blood_floor)
        return float(rng.randint(max(1, blood_floor), most)), float(higher)
    # Never level: 'the higher blast count' of two equal ones reads oddly, and equal counts look
    # machine-made (S8-blastic-7, item 18: 21% in both).
    if rng.random() >= BLOOD_HIGHER_SHARE:  # the marrow mostly holds the higher count (R-blastic-r5)
        return float(rng.randint(blood_floor, higher - 1)), float(higher)
    floor = max(
        int(ranges.min_marrow_blasts_pct), math.ceil(higher * ranges.marrow_blasts_at_least_blood_share_pct / 100)
    )
    return float(higher), float(rng.randint(floor, higher - 1))


def _rest_of_count(
    rng: random.Random, ctx: Context, age: int, phase: str, blood: float, marrow: float, low_blood: bool
) -> dict:
    """Spleen, platelets and WBC count, drawn again until the Sokal score is no nearer a cut
    than SOKAL_MARGIN, in accelerated phase clear of the high-risk cut, and in a low-blood
    blastic case below high risk."""
    drawing = ctx.content.patients.advanced_plan
    groups = ctx.content.scores.sokal.groups
    cuts = [g.upper for g in groups if g.upper is not None]
    high_risk_above = next(g.upper for g in groups if g.risk == "intermediate")
    while True:
        if blood > marrow:  # circulating blasts above the marrow's come with a large spleen
            spleen = rng.randint(BLOOD_HIGHER_SPLEEN_CM, SPLEEN_CM[1])
        else:
            spleen = 0 if rng.random() < SPLEEN_NOT_PALPABLE_SHARE else rng.randint(*SPLEEN_CM)
        low = rng.random() * 100 < drawing.low_platelets_share_pct[phase]
        platelets = rng.randrange(*LOW_PLATELETS, 5) if low else rng.randrange(PLATELETS[0], PLATELETS[1] + 1, 10)
        score = ctx.rules.sokal(age, spleen, platelets, blood).score
        if any(abs(score - cut) < drawing.sokal_margin for cut in cuts):
            continue
        if phase == "accelerated" and score > high_risk_above - SOKAL_CLEARANCE:
            continue
        if low_blood and score > high_risk_above:
            continue
        return {"spleen_cm": spleen, "platelets": platelets, "wbc": rng.randint(*WBC)}


def _sign(rng: random.Random, ctx: Context, phase: str, higher: float, spleen_cm: int) -> str | None:
    """The one sign of transition a stem tells, or None: each drawn with its own share in either
    phase, the blast-crisis ones only where the count is clear of the 20% cut."""
    shares = ctx.content.patients.advanced_plan.sign_share_pct
    blastic_cut = next(p.min_blasts_pct for p in ctx.content.phases.phases if p.id == "blastic")
    pool = list(EITHER_PHASE_SIGNS)
    if phase == "blastic" and higher > blastic_cut + NEAR:
        pool += BLAST_CRISIS_SIGNS
    draw = rng.random() * 100
    for sign in pool:
        if draw < shares[sign]:
            return None if sign in SPLEEN_SIGNS and spleen_cm < LARGE_SPLEEN_CM else sign
        draw -= shares[sign]
    return None


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
    hard="puts the deciding blast count next to a cut point, and a blastic marrow beside few blood blasts more often",
)
def advanced_plan(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Each of the three cases equally often; every stem has the same form (count, spleen,
    markers, cytogenetics, fitness and a donor), so only the values tell the cases apart."""
    phase, lineage = rng.choice(CASES)
    # A blastic case next to the 20% cut is placed by the marrow below Sokal high risk, so that
    # taking it for accelerated phase costs the key (S8-blastic-6, items 12 and 17: at high risk
    # 'proceed' is right by the cohort either way): NEAR_CUT_SHARE of blastic cases, of either
    # lineage; the rest well above the cut, by either compartment, so that neither the blood
    # blasts nor the Sokal group they drive follow the lineage (R-bank-fix11: 'Sokal high' and
    # blood blasts of 9% or more in lymphoid cases only).
    hard = difficulty == "hard"
    low_blood = phase == "blastic" and rng.random() < NEAR_CUT_SHARE[difficulty]
    blood, marrow = _counts(rng, ctx, phase, hard, low_blood)
    who = ctx.patient(rng, high=ctx.content.management.transplant.consider_early_below_age - 1)
    markers = rng.choice(ctx.say_each(f"markers_{lineage}"))
    rest = _rest_of_count(rng, ctx, who.age, phase, blood, marrow, low_blood)
    case = {"blood_blasts_pct": blood, "marrow_blasts_pct": marrow, "lineage": lineage, "age": who.age, **rest}
    key_text = advanced_plan.expected(case, ctx)
    plans = [*PLANS, (HYDROXYUREA, "count-first")]
    said = _said(ctx, case, markers)
    options = [Option(_plan(ctx, i, t), _why(ctx, case, said, i, t, key_text)) for i, t in plans]
    spleen = (
        ctx.say("spleen_palpable", spleen=case["spleen_cm"]) if case["spleen_cm"] else ctx.say("spleen_not_palpable")
    )
    sokal = ctx.rules.sokal(who.age, case["spleen_cm"], case["platelets"], blood)
    sign = _sign(rng, ctx, phase, max(blood, marrow), case["spleen_cm"])
    anemic = sign == "anemia" or marrow >= ctx.content.patients.advanced_plan.packed_marrow_blasts_pct
    hb = round(rng.uniform(*(HB_ANEMIA if anemic else HB)), 1)
    sign = ctx.say("sign", finding=ctx.say(f"finding_{sign}")) if sign else ""
    basophils = rng.randint(3, int(ctx.content.patients.at_diagnosis.basophils_pct.high))
    case |= {"hb": hb, "basophils_pct": basophils}
    setting = "lymphoid" if lineage == "lymphoid" else phase
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say(
            "vignette",
            who=who.intro,
            pronoun=who.pronoun,
            markers=markers,
            blood=blood,
            marrow=marrow,
            wbc=case["wbc"],
            platelets=case["platelets"],
            spleen=spleen,
            sokal_risk=sokal.risk,
            sign=sign,
            hb=hb,
            basophils=basophils,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(
            "explanation",
            top=said["top"],
            higher=said["higher"],
            where=said["where"],
            phase=phase,
            own=ctx.say("explanation_sokal", sokal=said["sokal"]) if phase == "accelerated" else "",
        ),
        learn_more=LearnMore(
            "Treatment of blastic-phase CML" if phase == "blastic" else "Treatment of accelerated-phase CML",
            f"sections/{phase}.md",
        ),
        evidence=ctx.evidence(setting),
        case=case,
        section=phase,
    )


def _said(ctx: Context, case: dict, markers: str) -> dict:
    """The phrases every reason draws on: where the phase comes from, the lineage, the figures."""
    top = int(ctx.content.phases.phases[2].min_blasts_pct) - 1  # "10% to 19% blasts"
    where = "marrow" if case["marrow_blasts_pct"] >= case["blood_blasts_pct"] else "blood"
    higher = case[f"{where}_blasts_pct"]
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    studies = ctx.content.studies
    survival = next(
        r.value for e in studies["tki-blastic-trials"].endpoints if e.measure == "survival" for r in e.results
    )
    sokal = ctx.rules.sokal(case["age"], case["spleen_cm"], case["platelets"], case["blood_blasts_pct"])
    return {
        "phase": ctx.say(f"phase_{phase}", higher=higher, where=where, top=top),
        "lineage": ctx.say(f"lineage_{case['lineage']}", markers=markers),
        "survival": survival,
        "mmr": studies["hyper-cvad-dasatinib-lymphoid"].endpoints[0].results[0].pct,
        # The cohort's first survival endpoint is its median overall survival (then failure-free
        # survival); chosen by kind, not by name, so an edited name cannot break the draw.
        "median_os": next(
            r.value
            for e in studies["blastic-phase-single-center"].endpoints
            if e.measure == "survival"
            for r in e.results
        ),
        "sokal": ctx.say("sokal", sokal=sokal.shown, risk=sokal.risk),
        "wbc": case["wbc"],
        "top": top,
        "higher": higher,
        "where": where,
    }


def _why(ctx: Context, case: dict, said: dict, induction: str, transplant: str, key_text: str) -> str:
    """Why a plan is right or wrong for this patient, naming the count or the lineage that
    decides, and for a plan with the wrong drug, whether its timing would fit."""
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    lymphoid = case["lineage"] == "lymphoid"
    if _plan(ctx, induction, transplant) == key_text:
        return ctx.say(f"why_key_{'lymphoid' if lymphoid else phase}", **said)
    if induction == HYDROXYUREA:
        return ctx.say("why_hydroxyurea", **said)
    if lymphoid:  # hyper-CVAD with SCT reserved, or a TKI with either timing
        if induction == HYPER_CVAD:
            return ctx.say("why_reserve_lymphoid", **said)
        return ctx.say("why_when_feasible_lymphoid" if transplant == WHEN_FEASIBLE else "why_tki_lymphoid", **said)
    if induction == HYPER_CVAD:
        _, right_transplant = ctx.rules.induction_and_transplant(phase)
        timing = ctx.say(f"timing_{'right' if transplant == right_transplant else 'wrong'}_{phase}")
        return ctx.say(
            f"why_hyper-cvad_{'accelerated' if phase == 'accelerated' else 'myeloid'}", timing=timing, **said
        )
    if phase == "accelerated":  # a TKI, then SCT when feasible
        return ctx.say("why_when_feasible_accelerated", **said)
    return ctx.say("why_reserve_blastic", **said)  # a TKI, SCT reserved, in myeloid blastic phase


@advanced_plan.expected
def _(case, ctx):
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    if phase not in ("accelerated", "blastic"):
        raise QuizError(f"a case of advanced-plan is in accelerated or blastic phase: {case}")
    induction, transplant = ctx.rules.induction_and_transplant(phase, lymphoid=case["lineage"] == "lymphoid")
    return _plan(ctx, induction, transplant)
