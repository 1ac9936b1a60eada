"""Case templates on relapse after allogeneic transplant: which recipient's risk is lowest, or
highest, by the two factors the summary names (transplant early in the disease, and chronic
GVHD), with the conditioning regimen, which it found did not change survival, left to vary."""

from __future__ import annotations

import random
from typing import Any

from generator.quiz.question import LearnMore, Option, Question, assemble_by_text, only_one
from generator.quiz.registry import Context, template

# A recipient is (when in the disease transplanted, developed chronic GVHD): early in chronic
# phase (within the first year), later in chronic phase (years after diagnosis), or in
# accelerated phase. The summary names two yes/no factors ("transplant early in disease" and
# chronic GVHD) and ranks no two later transplants, so the key is keyed on them alone: it is the
# ONLY recipient with both (lowest risk) or with neither (highest), and every other recipient has
# at least one (highest) or lacks at least one (lowest). (S9-final, major: in highest-risk items a
# later chronic-phase recipient without chronic GVHD lacked both too, and the key rested on
# ranking accelerated phase above it, which the summary does not do.) Every recipient of a
# question is in a category of its own (S8-bank-final, defect 1). For the lowest risk: early with
# chronic GVHD, beside the early one without it and three of the four later ones; for the
# highest: accelerated phase without chronic GVHD, beside the accelerated one with it, the
# later chronic-phase one with it and both early ones. So one rival ties the key on timing and
# at least one on chronic GVHD, neither factor alone finds the key, and the key is as far as any
# other recipient on any reading of "early" (phase, or time from diagnosis: see _intervals).
EARLY, LATE_CHRONIC, LATE_ACCELERATED = "early", "late-chronic", "late-accelerated"
LATER = (LATE_CHRONIC, LATE_ACCELERATED)
Recipient = tuple[str, bool]
ASKS = ("lowest", "highest")


def _recipients(rng: random.Random, ask: str) -> list[Recipient]:
    """The key's category, then the others'."""
    if ask == "lowest":
        later = [(when, gvhd) for when in LATER for gvhd in (True, False)]
        return [(EARLY, True), (EARLY, False), *rng.sample(later, len(later) - 1)]
    others = [(EARLY, True), (EARLY, False), (LATE_CHRONIC, True)]
    return [(LATE_ACCELERATED, False), (LATE_ACCELERATED, True), *rng.sample(others, len(others))]


# How long after diagnosis each kind of transplant came: months early, years later. Drawn alike
# for the key and the others, so that the time from diagnosis within a timing does not point to
# the key (R-bank-fix11: the key always the soonest early or the latest accelerated transplant let
# "the earlier the better" answer every item without chronic GVHD; the summary draws no gradient
# within the first year).
MONTHS_EARLY = (4, 10)
YEARS_LATER = {LATE_CHRONIC: (3, 5), LATE_ACCELERATED: (2, 6)}
SPANS = {EARLY: MONTHS_EARLY, **YEARS_LATER}
CONDITIONING = ("bu-cy", "cy-tbi")


def _intervals(rng: random.Random, chosen: list[Recipient]) -> list[int]:
    """How long after diagnosis each recipient was transplanted (months early, years later), in
    the order of `chosen` (the key first). The key and the rival of its own timing were
    transplanted alike, and so were two other recipients of one timing: the key is then never
    the soonest (or latest) transplant alone, which answered items without chronic GVHD
    (R-bank-fix11), nor later (or sooner) than a rival, which let the time from diagnosis argue
    against it (S9-final: "early" read as months from diagnosis disagreed with "early" read as
    the phase in 4 of 10 highest-risk items; in 5 of 10 lowest-risk items an early rival without
    chronic GVHD was transplanted sooner than the key). In highest-risk items no later transplant
    came after the key's."""
    drawn: dict[str, int] = {}
    if chosen[0][0] == LATE_ACCELERATED:
        chronic = YEARS_LATER[LATE_CHRONIC]
        drawn[LATE_ACCELERATED] = rng.randint(
            max(chronic[0], YEARS_LATER[LATE_ACCELERATED][0]), YEARS_LATER[LATE_ACCELERATED][1]
        )
        drawn[LATE_CHRONIC] = rng.randint(chronic[0], min(chronic[1], drawn[LATE_ACCELERATED]))
    # One interval per timing: recipients of one timing form the tied pairs.
    return [drawn.setdefault(kind, rng.randint(*SPANS[kind])) for kind, _ in chosen]


# The five recipients of a question are at most this many years apart in age: "The results are
# better in younger patients", so an age spread of decades (25 to 55) cued the key in some items
# and pulled away from it in others, though age is not a relapse factor the summary names (S7-B);
# 8 years apart still let the key be the youngest in 6 of 13 "lowest" items (R-bank-fix8-b).
AGE_SPREAD_YEARS = 4


def _recipient(
    rng: random.Random,
    ctx: Context,
    kind: str,
    gvhd: bool,
    conditioning: str,
    interval: int,
    ages: tuple[int, int],
) -> dict[str, Any]:
    who = ctx.patient(rng, low=ages[0], high=ages[1])
    # Early: months after diagnosis, within the summary's first year and clear of its end; later
    # in chronic phase (so timing is asked apart from phase, R) or in accelerated phase: years.
    when = {"months": interval} if kind == EARLY else {"years": interval}
    timing = ctx.say(f"timing_{kind.replace('-', '_')}", **when)
    gvhd_words = rng.choice(ctx.say_each("gvhd_yes" if gvhd else "gvhd_no", month=rng.randint(4, 10)))
    text = ctx.say(
        "option",
        who=who.intro,
        timing=timing,
        conditioning=ctx.say(f"conditioning_{conditioning}"),
        gvhd=gvhd_words,
    )
    # What the reasons say of the timing: early or later in the disease, with this patient's phase
    # and time from diagnosis (S6-new-2: "early" was never defined; S7-B: name the phase).
    said = ctx.say(f"when_{kind.replace('-', '_')}", **when)
    return {
        "text": text,
        "early": kind == EARLY,
        "chronic_gvhd": gvhd,
        "conditioning": conditioning,
        "timing": kind,
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
    ask = rng.choice(ASKS)
    chosen = _recipients(rng, ask)
    # The key's regimen is always another patient's too: an attribute that does not matter
    # never marks the key as the odd one out (R: the only cyclophosphamide-TBI patient).
    regimens = [rng.choice(CONDITIONING) for _ in chosen]
    if regimens[0] not in regimens[1:]:
        regimens[rng.randrange(1, len(regimens))] = regimens[0]
    # One band of ages for the question (AGE_SPREAD_YEARS), inside the transplant ages.
    ages = ctx.content.patients.transplant_age_years
    youngest, oldest = max(int(ages.low), 25), int(ctx.content.management.transplant.consider_early_below_age) - 5
    low = rng.randint(youngest, oldest - AGE_SPREAD_YEARS)
    band = (low, low + AGE_SPREAD_YEARS)
    patients: list[dict[str, Any]] = []
    for (kind, gvhd), regimen, interval in zip(chosen, regimens, _intervals(rng, chosen)):
        drawn = _recipient(rng, ctx, kind, gvhd, regimen, interval, band)
        # Two recipients alike in timing, interval and GVHD read as twins a student sets aside
        # together (R-bank-fix8-b: the same patient but for age or sex; r2: or for the regimen).
        while any(_alike(drawn, p) for p in patients):
            drawn = _recipient(rng, ctx, kind, gvhd, regimen, interval, band)
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
    # Yes/no, as the summary names them: it ranks no later transplant above another.
    factors = [(p["timing"] == EARLY, p["chronic_gvhd"]) for p in case["patients"]]
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
