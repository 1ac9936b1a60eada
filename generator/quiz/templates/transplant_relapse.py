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
# The five recipients of a question are at most this many years apart in age: "The results are
# better in younger patients", so an age spread of decades (25 to 55) cued the key in some items
# and pulled away from it in others, though age is not a relapse factor the summary names (S7-B);
# 8 years apart still let the key be the youngest in 6 of 13 "lowest" items (R-bank-fix8-b).
AGE_SPREAD_YEARS = 4


def _recipient(
    rng: random.Random, ctx: Context, early: bool, gvhd: bool, conditioning: str, late: str, ages: tuple[int, int]
) -> dict[str, Any]:
    who = ctx.patient(rng, low=ages[0], high=ages[1])
    if early:  # within the summary's first year after diagnosis, clear of its end
        when = {"months": rng.randint(4, 10)}
        timing = ctx.say("timing_early", **when)
    elif late == "chronic":  # later in chronic phase, so timing is asked apart from phase (R)
        when = {"years": rng.randint(3, 5)}
        timing = ctx.say("timing_late_chronic", **when)
    else:
        when = {"years": rng.randint(2, 6)}
        timing = ctx.say("timing_late_accelerated", **when)
    gvhd_words = rng.choice(ctx.say_each("gvhd_yes" if gvhd else "gvhd_no", month=rng.randint(4, 10)))
    text = ctx.say(
        "option",
        who=who.intro,
        timing=timing,
        conditioning=ctx.say(f"conditioning_{conditioning}"),
        gvhd=gvhd_words,
    )
    timing_kind = "early" if early else f"late-{late}"
    # What the reasons say of the timing: early or later in the disease, with this patient's phase
    # and time from diagnosis (S6-new-2: "early" was never defined; S7-B: name the phase).
    said = ctx.say("when_early" if early else f"when_late_{late}", **when)
    return {
        "text": text,
        "early": early,
        "chronic_gvhd": gvhd,
        "conditioning": conditioning,
        "timing": timing_kind,
        "when": said,
        "interval": timing,
        "age": who.age,
    }


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
    # One band of ages for the question (AGE_SPREAD_YEARS), inside the transplant ages.
    ages = ctx.content.patients.transplant_age_years
    youngest, oldest = max(int(ages.low), 25), int(ctx.content.management.transplant.consider_early_below_age) - 5
    low = rng.randint(youngest, oldest - AGE_SPREAD_YEARS)
    band = (low, low + AGE_SPREAD_YEARS)
    patients: list[dict[str, Any]] = []
    for (early, gvhd), regimen in zip(chosen, regimens):
        drawn = _recipient(rng, ctx, early, gvhd, regimen, late, band)
        # Two recipients alike in timing, interval and GVHD read as twins a student sets aside
        # together (R-bank-fix8-b: the same patient but for age or sex; r2: or for the regimen).
        while any(_alike(drawn, p) for p in patients):
            drawn = _recipient(rng, ctx, early, gvhd, regimen, late, band)
        patients.append(drawn)
    case = {"ask": ask, "patients": patients}
    key_text = transplant_relapse_risk.expected(case, ctx)
    options = []
    for p in patients:
        factors = f"{'early' if p['early'] else 'late'}_{'gvhd' if p['chronic_gvhd'] else 'none'}"
        regimen = ctx.say("regimen_does_not_matter", conditioning=ctx.say(f"conditioning_{p['conditioning']}"))
        why = f"{ctx.say(f'why_{ask}_{factors}', when=p['when'])} {regimen}"
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


def _alike(one: dict[str, Any], other: dict[str, Any]) -> bool:
    keys = ("interval", "chronic_gvhd")  # R-bank-fix8-r2-b: twins but for the regimen too
    return one["text"] == other["text"] or all(one[k] == other[k] for k in keys)


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
