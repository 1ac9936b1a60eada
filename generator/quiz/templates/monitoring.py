"""Case templates on monitoring: response levels, EMR, halving time, and stopping a TKI."""

from __future__ import annotations

import random

from generator.quiz.cases import log_uniform, patient, round_sig
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text
from generator.quiz.registry import Context, retry, template
from generator.render import format_number
from generator.render import format_pct as pct

# --- 2. Response level from a transcript value ---------------------------------------------------


def _level_names(ctx: Context) -> list[str]:
    return ["No major molecular response"] + [r.id for r in ctx.content.responses.molecular_responses]


@template("response-level", "Molecular response level from a BCR::ABL1 value", "monitoring")
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
    value = round_sig(log_uniform(rng, low * 1.0001, high), 2)
    case = {"bcr_abl1_is_pct": value}
    key_text = response_level.expected(case, ctx)
    names = _level_names(ctx)
    mmr = levels[0]
    whys = {names[0]: f"MMR needs BCR::ABL1 at or below {pct(mmr.max_bcr_abl1_is_pct)}."}
    for r in levels:
        whys[r.id] = f"{r.id} ({r.name}) is BCR::ABL1 at or below {pct(r.max_bcr_abl1_is_pct)}."
    options = [Option(n, whys[n]) for n in names]
    who = patient(rng)
    return assemble_by_text(
        rng,
        options,
        key_text,
        ordered=names,
        vignette=f"{who.intro} has taken a TKI for chronic-phase CML for {rng.randint(1, 6)} years. "
        f"Quantitative RT-PCR shows BCR::ABL1 of {pct(value)} on the International Scale.",
        lead_in="Which is the deepest molecular response this result meets?",
        explanation="Compare the percentage with each level's threshold; the deepest level whose threshold "
        "the value does not exceed is the answer.",
        learn_more=LearnMore("Molecular response", "molecular-response.md"),
        case=case,
    )


@response_level.expected
def _(case, ctx):
    level = ctx.rules.molecular_response(case["bcr_abl1_is_pct"])
    return _level_names(ctx)[0] if level == "none" else level


# --- 3. EMR at 3 months -----------------------------------------------------------------------------

EMR_MET = "EMR is achieved: the first milestone is met"
EMR_MISSED_WATCH = "EMR is missed; the rate of BCR::ABL1 decline (halving time) helps judge the outlook"
EMR_MISSED_SWITCH = "EMR is missed; the TKI must be changed now"
EMR_MMR = "MMR is already achieved"
EMR_DMR = "A deep molecular response is already achieved"


@template("emr-3-months", "Early molecular response", "monitoring")
def emr_3_months(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    emr = ctx.content.responses.early_molecular_response
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    spread = 1.5 if difficulty == "hard" else 4
    met = rng.random() < 0.5
    low, high = (
        (max(mmr * 2, emr.max_bcr_abl1_is_pct / spread), emr.max_bcr_abl1_is_pct)
        if met
        else (emr.max_bcr_abl1_is_pct * 1.05, emr.max_bcr_abl1_is_pct * spread)
    )
    value = round_sig(log_uniform(rng, low, high), 2)
    case = {"bcr_abl1_is_pct_at_3_months": value}
    who = patient(rng)
    level = pct(emr.max_bcr_abl1_is_pct)
    whys = {
        EMR_MET: f"EMR is BCR::ABL1 at or below {level} after {emr.at_months} months of a TKI.",
        EMR_MISSED_WATCH: f"Above {level} at {emr.at_months} months, patients whose halving time was under "
        f"{format_number(ctx.content.responses.halving_time.max_days)} days still did well.",
        EMR_MISSED_SWITCH: "Mandating a switch on the EMR value alone is problematic: most patients with a "
        "suboptimal early response do well.",
        EMR_MMR: f"MMR needs BCR::ABL1 at or below {pct(mmr)}.",
        EMR_DMR: "Deep molecular response is MR4 or deeper, far below this value.",
    }
    key_text = emr_3_months.expected(case, ctx)
    options = [Option(t, w) for t, w in whys.items()]
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette=f"{who.intro} started a TKI for newly diagnosed chronic-phase CML {emr.at_months} months ago. "
        f"BCR::ABL1 (IS) is now {pct(value)}.",
        lead_in="Which statement best describes this result?",
        explanation=f"EMR is the first milestone: BCR::ABL1 at or below {level} after {emr.at_months} months.",
        learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
        case=case,
    )


@emr_3_months.expected
def _(case, ctx):
    return EMR_MET if ctx.rules.early_molecular_response(case["bcr_abl1_is_pct_at_3_months"]) else EMR_MISSED_WATCH


# --- 4. Halving time --------------------------------------------------------------------------------


def _halving_text(days: float, favourable: bool, limit: str) -> str:
    verdict = (
        f"under {limit} days, a course like those who did well"
        if favourable
        else (f"{limit} days or more, so the favourable pattern is not shown")
    )
    return f"About {round(days)} days: {verdict}"


@template("halving-time", "BCR::ABL1 halving time when EMR is missed", "monitoring")
def halving_time(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    emr = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    months = ctx.content.responses.early_molecular_response.at_months
    limit_days = ctx.content.responses.halving_time.max_days
    limit = format_number(limit_days)

    def draw() -> Question | None:
        second = float(rng.randint(int(emr) + 1, int(emr) * 4))
        first = float(min(90, round(second * rng.uniform(1.3, 4.0))))
        days = float(rng.choice([56, 60, 61, 63]))
        exact = ctx.rules.halving_time_days(first, second, days)
        linear = days * (first / 2) / (first - second)
        if abs(exact - limit_days) < 2 or abs(round(exact) - round(linear)) < 5:
            return None
        case = {"first_pct": first, "second_pct": second, "days_between": days}
        key_text = halving_time.expected(case, ctx)
        combos = [(exact, True), (exact, False), (linear, True), (linear, False)]
        options = []
        for value, favourable in combos:
            text = _halving_text(value, favourable, limit)
            if value is linear:
                why = "This assumes a straight-line fall; BCR::ABL1 falls exponentially, so use logarithms."
            elif text == key_text:
                why = f"Days × ln 2 / ln(first ÷ second) = {round(exact)} days."
            else:
                why = f"The halving time is right, but the verdict is not: the cut-off is {limit} days."
            options.append(Option(text, why))
            who = patient(rng)
        return assemble_by_text(
            rng,
            options,
            key_text,
            vignette=f"{who.intro} on imatinib for chronic-phase CML has BCR::ABL1 (IS) of {pct(first)} and, "
            f"{round(days)} days later at {months} months, {pct(second)}, above the EMR level of {pct(emr)}.",
            lead_in="Assuming exponential decline, what is the BCR::ABL1 halving time, and what does it suggest?",
            explanation=f"Halving time = days between samples × ln 2 / ln(first ÷ second). In a retrospective "
            f"analysis, patients above {pct(emr)} at {months} months did well when it was under {limit} days.",
            learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
            case=case,
        )

    return retry(draw)


@halving_time.expected
def _(case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return _halving_text(
        days, ctx.rules.halving_time_favourable(days), format_number(ctx.content.responses.halving_time.max_days)
    )


# --- 8. Stopping a TKI ------------------------------------------------------------------------------------


def _stop_text(years: float, value: float) -> str:
    return f"{format_number(years)} years on a TKI; BCR::ABL1 {pct(value)}"


@template("tki-discontinuation", "Who can consider stopping a TKI", "monitoring")
def tki_discontinuation(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    stop = ctx.content.management.tki_discontinuation
    deep = ctx.content.response(stop.depth).max_bcr_abl1_is_pct
    mr4 = ctx.content.responses.molecular_responses[1].max_bcr_abl1_is_pct
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    min_years = stop.min_years_on_tki
    long_years = lambda: float(rng.randint(int(min_years) + 1, int(min_years) + 6))
    deep_value = lambda: round_sig(log_uniform(rng, deep / 3, deep), 2)
    patients = [
        (long_years(), deep_value()),  # the candidate
        (long_years(), round_sig(log_uniform(rng, deep * 1.2, mr4), 2)),  # MR4 but not MR4.5
        (float(rng.randint(1, int(min_years))), deep_value()),  # deep, but not long enough
        (long_years(), round_sig(log_uniform(rng, mr4 * 1.5, mmr), 2)),  # MMR only
    ]
    texts = [_stop_text(y, v) for y, v in patients]
    if len(set(texts)) < len(texts):
        return tki_discontinuation(rng, ctx, difficulty)
    case = {"patients": patients}
    key_text = tki_discontinuation.expected(case, ctx)
    options = []
    for (years, _value), text in zip(patients, texts):
        if text == key_text:
            why = f"More than {format_number(min_years)} years on a TKI and a DMR of {stop.depth} (≤ {pct(deep)})."
        elif years <= min_years:
            why = f"Not yet more than {format_number(min_years)} years on a TKI."
        else:
            why = f"Not deep enough: the best candidates have reached {stop.depth} (≤ {pct(deep)})."
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        options,
        key_text,
        vignette="Four patients with chronic-phase CML in stable remission ask about stopping their TKI.",
        lead_in="Which patient is the best candidate to consider stopping?",
        explanation=f"Nonrandomized reports point to patients on a TKI for more than {format_number(min_years)} to "
        f"{format_number(stop.upper_years_on_tki)} years with a DMR of {stop.depth}; about "
        f"{pct(stop.relapse_after_stopping_pct)} still relapse, so close follow-up is required.",
        learn_more=LearnMore("Can TKIs be discontinued?", "sections/chronic.md#stopping-tkis"),
        evidence="C3",
        case=case,
    )


@tki_discontinuation.expected
def _(case, ctx):
    candidates = [_stop_text(y, v) for y, v in case["patients"] if ctx.rules.tki_discontinuation_candidate(y, v)]
    if len(candidates) != 1:
        raise QuizError(f"expected one candidate, found {len(candidates)}")
    return candidates[0]
