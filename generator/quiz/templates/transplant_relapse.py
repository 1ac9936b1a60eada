"""Case templates on relapse after allogeneic transplant: which recipient's risk is lowest, or
highest, by the two factors the summary names (transplant early in the disease, and chronic
GVHD), with the conditioning regimen, which it found did not change survival, left to vary."""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text, only_one
from generator.quiz.registry import Context, template

# A recipient is (transplanted early in the disease, developed chronic GVHD). For each ask, the
# key and the patients every question shows beside it; the fifth patient repeats one of those
# at random, so the key's factors are not the ones most options share.
RECIPIENTS: dict[str, tuple[tuple[bool, bool], list[tuple[bool, bool]]]] = {
    "lowest": ((True, True), [(True, False), (False, True), (False, False)]),
    "highest": ((False, False), [(True, False), (False, True), (True, True)]),
}
CONDITIONING = ("bu-cy", "cy-tbi")


def _recipient(
    rng: random.Random, ctx: Context, early: bool, gvhd: bool, conditioning: str, late: str
) -> dict[str, Any]:
    ages = ctx.content.patients.transplant_age_years
    limit = int(ctx.content.management.transplant.consider_early_below_age)
    who = ctx.patient(rng, low=max(ages.low, 25), high=limit - 5)
    if early:  # within the summary's first year after diagnosis, clear of its end
        timing = ctx.say("timing_early", months=rng.randint(4, 10))
    elif late == "chronic":  # later in chronic phase, so timing is asked apart from phase (R)
        timing = ctx.say("timing_late_chronic", years=rng.randint(3, 5))
    else:
        timing = ctx.say("timing_late_accelerated", years=rng.randint(2, 6))
    gvhd_words = rng.choice(ctx.say_each("gvhd_yes" if gvhd else "gvhd_no", month=rng.randint(4, 10)))
    text = ctx.say(
        "option",
        who=who.intro,
        timing=timing,
        conditioning=ctx.say(f"conditioning_{conditioning}"),
        gvhd=gvhd_words,
    )
    timing_kind = "early" if early else f"late-{late}"
    return {"text": text, "early": early, "chronic_gvhd": gvhd, "conditioning": conditioning, "timing": timing_kind}


@template(
    "transplant-relapse-risk",
    "Who is likelier to relapse after allogeneic transplant",
    "special-situations",
    "chronic",
    examines="what lowers the risk of relapse after allogeneic transplant: transplant early in the disease "
    "and chronic GVHD",
    learners=("resident", "fellow"),
)
def transplant_relapse_risk(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """Five recipients of a sibling transplant for CML; the key is the one whose risk of relapse
    is lowest (both factors) or highest (neither), each ask half the time."""
    ask = rng.choice(tuple(RECIPIENTS))
    key, others = RECIPIENTS[ask]
    chosen = [key, *others, rng.choice(others)]
    # The key's regimen is always another patient's too: an attribute that does not matter
    # never marks the key as the odd one out (R: the only cyclophosphamide-TBI patient).
    regimens = [rng.choice(CONDITIONING) for _ in chosen]
    if regimens[0] not in regimens[1:]:
        regimens[rng.randrange(1, len(regimens))] = regimens[0]
    # Every late transplant of a question is late in the same way: a late chronic-phase key beside
    # an accelerated-phase recipient with chronic GVHD would weigh timing against phase, which the
    # summary never does (S6-new-2: the key arguable where transplant in accelerated phase fares worse).
    late = rng.choice(("chronic", "accelerated"))
    patients: list[dict[str, Any]] = []
    for (early, gvhd), regimen in zip(chosen, regimens):
        drawn = _recipient(rng, ctx, early, gvhd, regimen, late)
        while drawn["text"] in [p["text"] for p in patients]:  # two alike would be one option twice
            drawn = _recipient(rng, ctx, early, gvhd, regimen, late)
        patients.append(drawn)
    case = {"ask": ask, "patients": patients}
    key_text = transplant_relapse_risk.expected(case, ctx)
    options = []
    for p in patients:
        factors = f"{'early' if p['early'] else 'late'}_{'gvhd' if p['chronic_gvhd'] else 'none'}"
        regimen = ctx.say("regimen_does_not_matter", conditioning=ctx.say(f"conditioning_{p['conditioning']}"))
        why = f"{ctx.say(f'why_{ask}_{factors}')} {regimen}"
        options.append(Option(p["text"], why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette"),
        lead_in=ctx.say(f"lead_in_{ask}"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Allogeneic BMT or SCT", "sections/chronic.md#allogeneic-transplant"),
        case=case,
    )


@transplant_relapse_risk.expected
def _(case, ctx):
    factors = [(p["early"], p["chronic_gvhd"]) for p in case["patients"]]
    lower = ctx.rules.lower_relapse_after_transplant
    matches = []
    for i, p in enumerate(case["patients"]):
        rest = factors[:i] + factors[i + 1 :]
        if case["ask"] == "lowest":
            ok = all(lower(factors[i], f) for f in rest)
        else:
            ok = all(lower(f, factors[i]) for f in rest)
        if ok:
            matches.append(p["text"])
    return only_one(matches, f"recipient with the {case['ask']} risk of relapse")
