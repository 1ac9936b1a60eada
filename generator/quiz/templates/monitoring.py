"""Case templates on monitoring: response levels, EMR, halving time, and stopping a TKI."""

from __future__ import annotations

import itertools
import math
import random

from generator.quiz.cases import log_uniform, round_sig
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text, only_one
from generator.quiz.registry import Context, retry, template

# --- 2. Response level from a transcript value ---------------------------------------------------


def _level_names(ctx: Context) -> list[str]:
    return [ctx.say("option_none")] + [r.id for r in ctx.content.responses.molecular_responses]


# An undetectable result is given at this many assay sensitivities per level, log-spaced from
# the level's own cut point towards the next deeper one (S6-B: one sensitivity in 4 of 20 items).
SENSITIVITY_STEPS = 4


def _undetectable_at(ctx: Context, level: int) -> list[float]:
    """The assay sensitivities (% IS) at which an undetectable result meets molecular response
    level `level` (an index into content's levels) and no deeper one: the level's cut point (an
    assay sensitive to the MR4.5 level) and steps on a log scale towards the next deeper cut.
    Below the deepest level the steps span half its gap from the level above, so no assay is
    more sensitive than laboratories are. No sensitivity is written here: each comes from the
    content's cut points."""
    cuts = [r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses]
    cut = cuts[level]
    deeper = cuts[level + 1] if level + 1 < len(cuts) else cut * math.sqrt(cuts[-1] / cuts[-2])
    steps = {round_sig(cut * (deeper / cut) ** (k / SENSITIVITY_STEPS), 2) for k in range(SENSITIVITY_STEPS)}
    return sorted(v for v in steps if deeper < v <= cut)


@template(
    "response-level",
    "Molecular response level from a BCR::ABL1 value",
    "monitoring",
    "chronic",
    examines="reading a BCR::ABL1 value as a molecular response level",
    learners=("student", "resident"),
)
def response_level(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    levels = ctx.content.responses.molecular_responses
    bounds = (
        [ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct]
        + [r.max_bcr_abl1_is_pct for r in levels]
        + [levels[-1].max_bcr_abl1_is_pct / 10]
    )
    target = rng.randrange(len(levels) + 1)
    high, low = bounds[target], bounds[target + 1]
    if difficulty == "hard":
        low = max(low, high * 0.7)
    # The deepest level is "undetectable" in an assay at least that sensitive (a measured 0.0003%
    # is not a result a laboratory reports), at one of several sensitivities. A shallower level is
    # never read from an undetectable result: the summary calls undetectable "usually a BCR::ABL1
    # level of less than or equal to 0.001% (MR 5)" and never says that an assay's sensitivity
    # limits the depth claimed, so an MR4 key for one undetectable at 0.0075% was arguable (R,
    # bank-fix7). Otherwise a measured value between the cut points.
    undetectable = target == len(levels)
    if undetectable:
        value = rng.choice(_undetectable_at(ctx, target - 1))
    else:
        value = high
        while value in (high, low) or value <= low:  # rounding never lands on a cut point below
            value = round_sig(log_uniform(rng, low * 1.0001, high), 2)
    case = {"bcr_abl1_is_pct": value}
    key_text = response_level.expected(case, ctx)
    names = _level_names(ctx)
    mmr = levels[0].max_bcr_abl1_is_pct
    shown = ctx.say("shown_undetectable" if undetectable else "shown", value=value)
    reached = ctx.rules.molecular_response(value)
    met = -1 if reached == "none" else [r.id for r in levels].index(reached)
    whys = {names[0]: ctx.say("why_none_key" if met < 0 else "why_none_other", shown=shown, mmr=mmr)}
    for i, r in enumerate(levels):
        if i == met:
            deeper = ctx.say("why_deeper_not_met", next=levels[i + 1]) if i + 1 < len(levels) else ""
            whys[r.id] = ctx.say("why_key", shown=shown, level=r, deeper=deeper)
        else:
            # S7-A: "A result undetectable at 0.005% is above 0.0032%" was false; an undetectable
            # result is drawn only at the deepest level now, so no deeper level is "above" it.
            whys[r.id] = ctx.say("why_too_deep" if i > met else "why_too_shallow", shown=shown, level=r, key=reached)
    options = [Option(n, whys[n]) for n in names]
    who = ctx.patient(rng)
    # A value short of MMR is drawn at 1 year, when that is the preferred target, not after years.
    months = 12 if met < 0 else rng.choice((12, 18, 24, 36, 48, 60))
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=names,
        vignette=ctx.say(
            "vignette_undetectable" if undetectable else "vignette", who=who.intro, months=months, value=value
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say(
            "explanation_undetectable" if undetectable else "explanation_none" if met < 0 else "explanation",
            shown=shown[0].lower() + shown[1:],
            key=key_text,
            mmr=mmr,
        ),
        learn_more=LearnMore("Molecular response", "molecular-response.md"),
        case=case,
    )


@response_level.expected
def _(case, ctx):
    level = ctx.rules.molecular_response(case["bcr_abl1_is_pct"])
    return _level_names(ctx)[0] if level == "none" else level


# --- 3. EMR at its time point --------------------------------------------------------------------------

# Every option reads the result: EMR met, missed with a fast or a slow halving time since
# diagnosis (the key then turns on this patient's values, S6-B), MMR, or a deep response.
EMR_OPTIONS = ("met", "missed_fast", "missed_slow", "mmr", "dmr")


@template(
    "emr-3-months",
    "Early molecular response",
    "monitoring",
    "chronic",
    examines="early molecular response at 3 months, and what missing it means",
    learners=("resident",),
)
def emr_3_months(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """A value at the EMR time point, anywhere from a missed EMR to a deep response already
    reached; each reading, drawn first, gets a value clear of its cut points."""
    responses = ctx.content.responses
    emr = responses.early_molecular_response.max_bcr_abl1_is_pct
    mmr = responses.molecular_responses[0].max_bcr_abl1_is_pct
    dmr = ctx.content.response(responses.deep_molecular_response).max_bcr_abl1_is_pct
    spread = 1.5 if difficulty == "hard" else 4
    # How often each reading is drawn comes from content/patients.yml: a deep response at
    # 3 months is uncommon (R7: 5 in 20 items), and one is drawn at MR4, not far deeper.
    shares = ctx.content.patients.emr_reading_share_pct
    reading = rng.choices(list(shares), list(shares.values()))[0]
    low, high = {
        "met": (max(mmr * 2, emr / spread), emr),
        "missed": (emr * 1.05, emr * spread),
        "mmr": (dmr * 1.5, mmr * 0.95),
        "dmr": (dmr / 2, dmr * 0.95),
    }[reading]
    # The value at diagnosis, from which the halving time that decides a missed EMR is read;
    # never a halving time near the summary's 76 days (a grey zone on one retrospective analysis).
    at_diagnosis = ctx.content.patients.bcr_abl1_is_at_diagnosis_pct
    days = float(ctx.content.patients.emr_sample_day)
    limit = responses.halving_time.max_days
    # A missed EMR halves fast or slowly about equally often: a slow fall needs a value closer
    # to the one at diagnosis (the halving time is at least the cut when the fall is at most
    # 2 ** (days / cut)-fold).
    slow = reading == "missed" and rng.random() < 0.5
    for _ in range(100):
        start = float(rng.randrange(int(at_diagnosis.low), int(at_diagnosis.high) + 1, 5))
        if reading == "missed":
            fold = 2 ** (days / limit)
            low, high = (start / fold, start / 1.3) if slow else (emr * 1.05, min(high, start / fold))
            low = max(low, emr * 1.05)
        value = round_sig(log_uniform(rng, low, high), 2) if low < high else start
        halving = ctx.rules.halving_time_days(start, value, days)
        if value < start and abs(halving - limit) >= limit * HALVING_CLEAR_OF_CUT:
            break
    else:
        raise QuizError("could not draw a value at 3 months clear of the halving-time cut")
    case = {"bcr_abl1_is_pct": value, "start_pct": start, "days": days}
    who = ctx.patient(rng)
    key_text = emr_3_months.expected(case, ctx)
    said = {"mmr": mmr, "dmr": dmr, "value": value, "start": start, "days": round(days), "halving_days": round(halving)}
    options = [Option(ctx.say(f"option_{name}"), ctx.say(f"why_{name}", **said)) for name in EMR_OPTIONS]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", who=who.intro, **said),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", **said),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


@emr_3_months.expected
def _(case, ctx):
    value = case["bcr_abl1_is_pct"]
    level = ctx.rules.molecular_response(value)
    if level == "none":
        if ctx.rules.early_molecular_response(value):
            return ctx.say("option_met")
        halving = ctx.rules.halving_time_days(case["start_pct"], value, case["days"])
        return ctx.say("option_missed_fast" if ctx.rules.halving_time_favourable(halving) else "option_missed_slow")
    mmr = ctx.content.responses.molecular_responses[0].id
    return ctx.say("option_mmr" if level == mmr else "option_dmr")


# --- 4. Halving time --------------------------------------------------------------------------------


# A halving time this close to the cut (as a share of it) is a grey zone on a single
# retrospective analysis: never drawn as if the verdict were clear.
HALVING_CLEAR_OF_CUT = 0.1
# Options closer than this many days are too alike to tell apart.
HALVING_OPTIONS_APART_DAYS = 5
# How often the key is put at each place A to E, where the case allows it: the errors fall more
# often below the right value than above, so the ends are favoured to even the bank out.
HALVING_PLACE_WEIGHTS = (1, 0.7, 1.3, 1.5, 5)
# The share of cases where BCR::ABL1 falls by less than half (the straight-line value then lies
# below the right one, and more errors do): with the weights, it evens the key's places.
HALVING_SMALL_FALL_SHARE = 0.6


def halving_slips(first: float, second: float, first_day: float, end_day: float, emr: float) -> dict[str, float]:
    """The halving time each usual error in working an exponential fall gives, by the name of
    the error: distractors a student reaches by a real mistake, each with its reason. (Random
    multiples of the key could only be called wrong, and let a reader spot the key as the value
    whose double was also listed.)"""
    days, fall = end_day - first_day, math.log(first / second)
    return {
        "linear": days * (first / 2) / (first - second),  # a straight-line fall
        "interval_end": end_day * math.log(2) / fall,  # the later sample's day as the interval
        "interval_start": first_day * math.log(2) / fall,  # the first sample's day as the interval
        "end_emr": days * math.log(2) / math.log(first / emr),  # the EMR level for the 3-month value
        "inverted": days * fall / math.log(2),  # the formula upside down
        "mixed_log": days * math.log(2) / math.log10(first / second),  # ln 2 over a common log
        "tenfold": days / math.log10(first / second),  # the time for a 1-log fall
    }


@template(
    "halving-time",
    "BCR::ABL1 halving time when EMR is missed",
    "monitoring",
    "chronic",
    examines="computing the BCR::ABL1 halving time when EMR is missed",
    learners=("resident", "fellow"),
)
def halving_time(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    emr = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    limit_days = ctx.content.responses.halving_time.max_days
    end_day = float(ctx.content.patients.emr_sample_day)

    def draw() -> Question | None:
        second = float(rng.randint(int(emr) + 1, int(emr) * 4))
        # A fall by less than half leaves the straight-line estimate below the right value, by
        # more it lies above: both often, so the key's place can be anywhere.
        ratio = rng.uniform(1.3, 1.6) if rng.random() < HALVING_SMALL_FALL_SHARE else rng.uniform(2.6, 4.0)
        first = float(min(90, round(second * ratio)))
        sample_days = ctx.content.patients.halving_sample_days
        days = float(rng.randint(int(sample_days.low), int(sample_days.high)))
        first_day = end_day - days
        exact = ctx.rules.halving_time_days(first, second, days)
        if abs(exact - limit_days) < limit_days * HALVING_CLEAR_OF_CUT:
            return None  # a verdict near the cut point
        slips = {name: round(value) for name, value in halving_slips(first, second, first_day, end_day, emr).items()}
        slips = {name: v for name, v in slips.items() if abs(v - limit_days) > 1}  # none on the cut (S6-B)
        # Every set of four errors whose values stand apart from each other and from the key, by
        # the key's place among the five ordered values; the place is drawn first, weighted so
        # that A to E each carry the key about as often over the bank.
        by_place: dict[int, list[tuple[str, ...]]] = {}
        for chosen in itertools.combinations(sorted(slips), 4):
            spread = sorted([round(exact)] + [slips[name] for name in chosen])
            if min(b - a for a, b in zip(spread, spread[1:])) >= HALVING_OPTIONS_APART_DAYS:
                by_place.setdefault(spread.index(round(exact)), []).append(chosen)
        if not by_place:
            return None  # options too close to tell apart
        places = sorted(by_place)
        place = rng.choices(places, [HALVING_PLACE_WEIGHTS[n] for n in places])[0]
        chosen = rng.choice(by_place[place])
        spread = sorted([round(exact)] + [slips[name] for name in chosen])
        case = {"first_pct": first, "second_pct": second, "days_between": days, "first_day": first_day}
        key_text = halving_time.expected(case, ctx)
        said = {
            "sampled": round(days),
            "first": first,
            "second": second,
            "exact": round(exact),
            "first_day": round(first_day),
            "end_day": round(end_day),
        }
        options = [Option(key_text, ctx.say("why_key", days=round(exact), **said))]
        for name in chosen:
            value = slips[name]
            options.append(Option(ctx.say("option", days=value), ctx.say(f"why_{name}", days=value, **said)))
        verdict = "verdict_favourable" if ctx.rules.halving_time_favourable(exact) else "verdict_unfavourable"
        who = ctx.patient(rng)
        return assemble_by_text(
            rng,
            options,
            key_text,
            ordered=[ctx.say("option", days=value) for value in spread],
            vignette=ctx.say("vignette", who=who.intro, **said),
            lead_in=ctx.say("lead_in"),
            explanation=ctx.say("explanation", verdict=ctx.say(verdict), **said),
            learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
            case=case,
        )

    return retry(draw)


@halving_time.expected
def _(case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return ctx.say("option", days=round(days))


# The TKIs the summary's stopping reports concern (its studies.yml tki-discontinuation-reports).
STOPPED_TKIS = ("imatinib", "nilotinib", "dasatinib")


# --- 8. Stopping a TKI ------------------------------------------------------------------------------------


@template(
    "tki-discontinuation",
    "Who can consider stopping a TKI",
    "stopping",
    "chronic",
    examines="who is a candidate to stop a TKI",
    learners=("resident", "fellow"),
)
def tki_discontinuation(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    stop = ctx.content.management.tki_discontinuation
    deep = ctx.content.response(stop.depth).max_bcr_abl1_is_pct
    mr4 = ctx.content.responses.molecular_responses[1].max_bcr_abl1_is_pct
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    min_years, upper_years = int(stop.min_years_on_tki), int(stop.upper_years_on_tki)
    # Never inside the summary's "more than 3 to 5 years": a case there is not clear-cut.
    long_years = lambda: float(rng.randint(upper_years + 1, upper_years + 6))
    deep_value = lambda: round_sig(log_uniform(rng, deep / 3, deep), 2)
    key_years = long_years()
    patients = [
        (key_years, deep_value()),  # the candidate
        # MR4 but not MR4.5, never treated longer than the candidate: a long DMR of 4 logs also
        # lowers relapse, so a longer course would make it a rival.
        (float(rng.randint(upper_years + 1, int(key_years))), round_sig(log_uniform(rng, deep * 1.2, mr4), 2)),
        (float(rng.randint(1, min_years - 1)), deep_value()),  # deep, but not long enough (never at the cut)
        (long_years(), round_sig(log_uniform(rng, mr4 * 1.5, mmr), 2)),  # MMR only
        (long_years(), round_sig(log_uniform(rng, mmr * 1.5, mmr * 10), 2)),  # not even MMR
    ]
    # The TKI all five take varies the stem from item to item (one stem in 20 items, S6-B).
    tki = ctx.content.therapies[rng.choice(STOPPED_TKIS)].name.split()[0].lower()
    texts = [ctx.say("option", years=y, value=v, tki=tki) for y, v in patients]
    if len(set(texts)) < len(texts):
        return tki_discontinuation(rng, ctx, difficulty)
    case = {"patients": patients, "tki": tki}
    key_text = tki_discontinuation.expected(case, ctx)
    options = []
    dmr = ctx.content.response(ctx.content.responses.deep_molecular_response).max_bcr_abl1_is_pct
    for (years, value), text in zip(patients, texts):
        level = ctx.rules.molecular_response(value)
        if text == key_text:
            why = ctx.say("why_candidate", deep=deep)
        elif years <= stop.min_years_on_tki:
            why = ctx.say("why_too_soon", years=years)
        else:
            reason = "why_no_mmr" if level == "none" else ("why_dmr_not_deepest" if value <= dmr else "why_not_dmr")
            why = ctx.say(reason, deep=deep, value=value, level=level)
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=ctx.say("vignette", tki=tki),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation"),
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence=ctx.evidence(),
        case=case,
    )


@tki_discontinuation.expected
def _(case, ctx):
    stoppable = [(y, v) for y, v in case["patients"] if ctx.rules.tki_discontinuation_candidate(y, v)]
    return only_one([ctx.say("option", years=y, value=v, tki=case["tki"]) for y, v in stoppable], "candidate")


# --- Milestones read from a year of BCR::ABL1 values ---------------------------------------------------

# What a year of values shows, in the options' order: EMR at its time point, then the depth
# reached at one year (none: short of the preferred target; target: it, not the optimal one).
# Six courses, three depths each side of EMR; an item shows the key and four others (one left
# out at random), so "EMR met" is not the reading most options share.
COURSES = ("missed_none", "missed_target", "missed_optimal", "met_none", "met_target", "met_optimal")
# A missed EMR with MR4 at a year is uncommon: drawn about half as often as each other course.
COURSE_WEIGHTS = {"missed_optimal": 0.45}


def _course(ctx: Context, at_emr: float, at_year: float) -> str:
    emr = "met" if ctx.rules.early_molecular_response(at_emr) else "missed"
    targets = ctx.content.responses.targets
    order = [r.id for r in ctx.content.responses.molecular_responses]
    reached = ctx.rules.molecular_response(at_year)
    if reached == "none" or order.index(reached) < order.index(targets.preferred_at_12_months):
        return f"{emr}_none"
    return f"{emr}_optimal" if order.index(reached) >= order.index(targets.optimal) else f"{emr}_target"


@template(
    "milestones",
    "Response milestones read from a year of BCR::ABL1 values",
    "monitoring",
    "chronic",
    examines="reading a year of BCR::ABL1 values against the response milestones",
    learners=("resident",),
)
def milestones(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    """The course is drawn first (so every option is the key equally often), then values that
    show it, falling over the year as they do on treatment, each well clear of a cut point."""
    responses = ctx.content.responses
    emr = responses.early_molecular_response.max_bcr_abl1_is_pct
    target = ctx.content.response(responses.targets.preferred_at_12_months).max_bcr_abl1_is_pct
    optimal = ctx.content.response(responses.targets.optimal).max_bcr_abl1_is_pct
    course = rng.choices(COURSES, [COURSE_WEIGHTS.get(c, 1) for c in COURSES])[0]
    met, depth = course.split("_")
    # A missed EMR that goes on to MMR or deeper starts near the EMR level: a fall that speeds up
    # several-fold after month 3 is not how responses run (S6-B).
    missed_high = emr * (6 if depth == "none" else 2)
    at_emr = round_sig(
        log_uniform(rng, emr / 8, emr * 0.8) if met == "met" else log_uniform(rng, emr * 1.1, missed_high), 2
    )
    if depth == "none":
        at_year = log_uniform(rng, target * 1.5, min(at_emr * 0.6, emr / 2))
    elif depth == "target":
        at_year = log_uniform(rng, optimal * 1.5, target * 0.8)
    else:
        at_year = log_uniform(rng, optimal / 4, optimal * 0.8)
    at_year = round_sig(at_year, 2)
    between = round_sig((at_emr * at_year) ** 0.5 * rng.uniform(0.8, 1.25), 2)
    case = {"at_emr": at_emr, "at_year": at_year}
    key_text = milestones.expected(case, ctx)
    truth = _course(ctx, at_emr, at_year)
    # The course left out is on the key's side of EMR half the time, so the key's reading of EMR
    # is shared by three of five options no more often than the other reading is.
    same_side = [c for c in COURSES if c != truth and c.split("_")[0] == truth.split("_")[0]]
    other_side = [c for c in COURSES if c.split("_")[0] != truth.split("_")[0]]
    left_out = rng.choice(same_side if rng.random() < 0.5 else other_side)
    shown = [c for c in COURSES if c != left_out]
    names = [ctx.say(f"option_{c}") for c in shown]
    # Every reason states what this patient's values show (never an option's premise as fact).
    reached = ctx.rules.molecular_response(at_year)
    year = "none" if truth.endswith("_none") else ("target" if reached == "MMR" else "optimal")
    facts = {
        "emr_fact": ctx.say(f"fact_emr_{truth.split('_')[0]}", at_emr=at_emr),
        "year_fact": ctx.say(f"fact_year_{year}", at_year=at_year),
    }
    options = [
        Option(name, ctx.say("why_key" if c == truth else "why_other", **facts)) for name, c in zip(names, shown)
    ]
    who = ctx.patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=names,
        vignette=ctx.say(
            "vignette",
            who=who.intro,
            tki=rng.choice(("imatinib", "nilotinib", "dasatinib", "bosutinib")),
            at_emr=at_emr,
            between=between,
            at_year=at_year,
        ),
        lead_in=ctx.say("lead_in"),
        explanation=ctx.say("explanation", at_emr=at_emr, at_year=at_year),
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


@milestones.expected
def _(case, ctx):
    return ctx.say(f"option_{_course(ctx, case['at_emr'], case['at_year'])}")
