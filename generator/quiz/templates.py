"""Case templates: each draws a case, asks one single-best-answer question about it, and takes
its key from generator.rules. `expected(case)` recomputes the key from the case alone, so tests
can check every generated question against the rules."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content import Content
from generator.quiz.cases import log_uniform, patient, pct, round_sig
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble, assemble_by_text
from generator.render import format_number
from generator.rules import Rules

DIFFICULTIES = ("standard", "hard")


@dataclass(frozen=True)
class Context:
    content: Content
    rules: Rules


@dataclass(frozen=True)
class CaseTemplate:
    id: str
    title: str
    topic: str
    make: Callable[[random.Random, Context, str], Question]
    expected: Callable[[dict[str, Any], Context], str]


TEMPLATES: dict[str, CaseTemplate] = {}


def template(template_id: str, title: str, topic: str):
    """Register make(rng, ctx, difficulty) with its expected(case, ctx) -> key option text."""

    def register(make):
        def attach(expected):
            TEMPLATES[template_id] = CaseTemplate(template_id, title, topic, make, expected)
            make.expected = expected
            return expected

        make.expected = attach  # replaced by the expected function once it is attached below
        return make

    return register


def _retry(draw: Callable[[], Question | None], template_id: str) -> Question:
    """Some draws are rejected (too close to a cut point to read fairly); draw again."""
    for _ in range(200):
        question = draw()
        if question is not None:
            return question
    raise QuizError(f"{template_id}: could not draw a fair case")


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
        "phase-from-blasts",
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
        "response-level",
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

EMR_MET = "EMR is achieved: the 3-month milestone is met"
EMR_MISSED_WATCH = "EMR is missed; the rate of BCR::ABL1 decline (halving time) helps judge the outlook"
EMR_MISSED_SWITCH = "EMR is missed; the TKI must be changed now"
EMR_MMR = "MMR is already achieved"
EMR_DMR = "A deep molecular response is already achieved"


@template("emr-3-months", "Early molecular response at 3 months", "monitoring")
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
        EMR_MISSED_SWITCH: "Mandating a switch on the 3-month value alone is problematic: most patients with a "
        "suboptimal early response do well.",
        EMR_MMR: f"MMR needs BCR::ABL1 at or below {pct(mmr)}.",
        EMR_DMR: "Deep molecular response is MR4 or deeper, far below this value.",
    }
    key_text = emr_3_months.expected(case, ctx)
    options = [Option(t, w) for t, w in whys.items()]
    return assemble_by_text(
        rng,
        "emr-3-months",
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
            "halving-time",
            options,
            key_text,
            vignette=f"{who.intro} on imatinib for chronic-phase CML has BCR::ABL1 (IS) of {pct(first)} and, "
            f"{round(days)} days later at 3 months, {pct(second)}, above the EMR level of {pct(emr)}.",
            lead_in="Assuming exponential decline, what is the BCR::ABL1 halving time, and what does it suggest?",
            explanation=f"Halving time = days between samples × ln 2 / ln(first ÷ second). In a retrospective "
            f"analysis, patients above {pct(emr)} at 3 months did well when it was under {limit} days.",
            learn_more=LearnMore("Response milestones", "sections/chronic.md#response-milestones"),
            case=case,
        )

    return _retry(draw, "halving-time")


@halving_time.expected
def _(case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return _halving_text(
        days, ctx.rules.halving_time_favourable(days), format_number(ctx.content.responses.halving_time.max_days)
    )


# --- 5. Kinase-domain mutation testing ----------------------------------------------------------------

MUTATION_TEST = "BCR::ABL1 kinase-domain mutation analysis"
CONTINUE = "Continue the current TKI and keep monitoring BCR::ABL1"
RESPONSE_STORIES = {
    "failure": ["has lost the hematologic remission it had reached", "has progressed to accelerated phase"],
    "suboptimal": ["has what the team judges a suboptimal response to the TKI"],
    "optimal": ["reached MMR at 12 months and remains in it"],
}


@template("mutation-testing", "When to test for kinase-domain variants", "resistance")
def mutation_testing(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    response = rng.choice(list(RESPONSE_STORIES))
    case = {"response": response}
    who = patient(rng)
    key_text = mutation_testing.expected(case, ctx)
    whys = {
        MUTATION_TEST: "On treatment failure or a suboptimal response, mutation analysis guides the choice "
        "between newer TKIs and allogeneic transplant.",
        CONTINUE: "Continuing unchanged suits a response on target, not failure or a suboptimal response.",
        "Stop the TKI and observe": "Stopping is considered only after years in a deep molecular response.",
        "Switch to hydroxyurea": "Hydroxyurea is for hyperleukocytosis or palliation, not the next step here.",
        "Switch to interferon alfa": "Interferon alfa is not among the options the summary lists for this setting.",
    }
    options = [Option(t, w) for t, w in whys.items()]
    return assemble_by_text(
        rng,
        "mutation-testing",
        options,
        key_text,
        vignette=f"{who.intro} on imatinib for chronic-phase CML {rng.choice(RESPONSE_STORIES[response])}.",
        lead_in="Which is the most appropriate next step?",
        explanation="Kinase-domain mutation analysis is indicated after treatment failure or a suboptimal "
        "response; it guides the next TKI or transplant.",
        learn_more=LearnMore("Treatment of relapsed CML: TKIs", "sections/relapsed.md#tkis"),
        case=case,
    )


@mutation_testing.expected
def _(case, ctx):
    return MUTATION_TEST if ctx.rules.mutation_testing_indicated(case["response"]) else CONTINUE


# --- 6. Options with T315I ---------------------------------------------------------------------------


@template("t315i-options", "Treatment options with the T315I variant", "resistance")
def t315i_options(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    therapies = ctx.content.therapies
    ponatinib_failed = rng.random() < 0.35
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=ponatinib_failed)
    key_id = allowed[0] if ponatinib_failed else rng.choice(allowed)
    resistant = ctx.rules.t315i_resistant()
    distractor_ids = (["ponatinib"] + rng.sample(resistant, 3)) if ponatinib_failed else rng.sample(resistant, 4)
    case = {"ponatinib_failed": ponatinib_failed, "options": [key_id, *distractor_ids]}
    key_text = t315i_options.expected(case, ctx)
    why_resistant = "The T315I variant confers resistance to imatinib, dasatinib, nilotinib and bosutinib."
    options = []
    for therapy_id in case["options"]:
        name = therapies[therapy_id].name
        if name == key_text:
            why = (
                "With T315I and resistance to ponatinib, allogeneic SCT is the preferred choice."
                if ponatinib_failed
                else f"{name} has activity with the T315I variant."
            )
        elif therapy_id == "ponatinib":
            why = "Ponatinib has already failed in this patient."
        else:
            why = why_resistant
        options.append(Option(name, why))
    who = patient(rng, 30, 65)
    story = "has resistance to ponatinib as well" if ponatinib_failed else "has not yet received ponatinib or asciminib"
    return assemble_by_text(
        rng,
        "t315i-options",
        options,
        key_text,
        vignette=f"{who.intro} with chronic-phase CML has lost response to two TKIs. Mutation analysis shows the "
        f"T315I variant. {who.pronoun} {story}.",
        lead_in="Which is the most appropriate treatment?"
        if not ponatinib_failed
        else "Which is the preferred choice?",
        explanation=why_resistant + " Ponatinib and asciminib have been studied with T315I; after ponatinib fails, "
        "allogeneic SCT is preferred.",
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence="C3",
        case=case,
    )


@t315i_options.expected
def _(case, ctx):
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=case["ponatinib_failed"])
    matches = [t for t in case["options"] if t in allowed]
    return ctx.content.therapies[matches[0]].name


# --- 7. First-line options ------------------------------------------------------------------------------


@template("first-line-options", "First-line treatment options", "first-line")
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
            why = f"{therapy.name} is one of the summary's options for {setting}-phase CML."
        elif therapy_id == "ponatinib":
            why = "Ponatinib is for relapsed disease, the T315I variant or failure of other TKIs."
        elif therapy_id == "hydroxyurea":
            why = "Hydroxyurea stabilizes hyperleukocytosis or palliates; it is not first-line therapy."
        elif therapy_id == "busulfan":
            why = "Busulfan was the comparator that hydroxyurea outperformed; it is not a current option."
        elif therapy_id == "interferon-alfa":
            why = "Interferon alfa has long-term data but is not among the summary's options by phase."
        else:
            why = f"{therapy.name} is for lymphoid blastic phase."
        options.append(Option(therapy.name, why))
    who = patient(rng)
    phase_text = "accelerated-phase" if setting == "accelerated" else "chronic-phase"
    return assemble_by_text(
        rng,
        "first-line-options",
        options,
        key_text,
        vignette=f"{who.intro} has newly diagnosed {phase_text} CML, Ph chromosome–positive, with no "
        "kinase-domain variants tested yet.",
        lead_in="Which is an appropriate initial treatment?",
        explanation="Table 1 of the summary lists the options for each phase; specific BCR::ABL1 inhibitors "
        "come first.",
        learn_more=LearnMore("Treatment option overview", "sections/overview.md"),
        evidence="B3" if setting == "chronic" else "C3",
        case=case,
    )


@first_line_options.expected
def _(case, ctx):
    allowed = ctx.rules.treatment_options(case["setting"])
    return ctx.content.therapies[next(t for t in case["options"] if t in allowed)].name


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
        "tki-discontinuation",
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
        raise QuizError(f"tki-discontinuation: expected one candidate, found {len(candidates)}")
    return candidates[0]


# --- 9. What counts as relapse -------------------------------------------------------------------------


@template("relapse", "What counts as relapse", "resistance")
def relapse(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    findings = ctx.content.management.relapse.findings
    by_kind = {
        kind: [f for f in findings if f.counts_as == kind]
        for kind in ("relapse", "overt-failure", "not-relapse", "suggests-relapse")
    }
    ask = rng.choice(["not-relapse", "overt-failure"])
    key_finding = rng.choice(by_kind[ask])
    others = by_kind["relapse"] + ([] if ask == "not-relapse" else by_kind["not-relapse"])
    if ask == "not-relapse":
        others += rng.sample(by_kind["overt-failure"], 1)
    distractors = rng.sample(others, min(4, len(others)))
    case = {"ask": ask, "options": [key_finding.id] + [f.id for f in distractors]}
    key_text = relapse.expected(case, ctx)
    meaning = {
        "relapse": "This is evidence of progression from a stable remission: relapse.",
        "overt-failure": "This is overt treatment failure.",
        "not-relapse": "On its own, a transcript detectable by RT-PCR in a prolonged remission is not relapse.",
    }
    options = [Option(f.text, meaning[f.counts_as]) for f in [key_finding, *distractors]]
    lead_in = (
        "Which finding, on its own, does NOT constitute relapse?"
        if ask == "not-relapse"
        else "Which finding defines overt treatment failure?"
    )
    who = patient(rng)
    return assemble_by_text(
        rng,
        "relapse",
        options,
        key_text,
        vignette=f"{who.intro} has been in a stable remission of chronic-phase CML on a TKI for several years.",
        lead_in=lead_in,
        explanation="Relapse is any evidence of progression from a stable remission; overt failure is loss of "
        "hematologic remission or progression to accelerated phase or blast crisis. A detectable transcript "
        "alone is not relapse, though a consistently rising level suggests it.",
        learn_more=LearnMore("What counts as relapse", "sections/relapsed.md#what-is-relapse"),
        case=case,
    )


@relapse.expected
def _(case, ctx):
    findings = {f.id: f for f in ctx.content.management.relapse.findings}
    matches = [f for f in case["options"] if ctx.rules.relapse_status(f) == case["ask"]]
    if len(matches) != 1:
        raise QuizError(f"relapse: expected one {case['ask']} finding, found {len(matches)}")
    return findings[matches[0]].text


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
        "marrow-examination",
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
        raise QuizError(f"marrow-examination: expected one indicated patient, found {len(indicated)}")
    return indicated[0]


# --- 11. Hydroxyurea dosing ------------------------------------------------------------------------------

HU_KEEP = "Keep the starting dose"
HU_TITRATE = "Reduce the dose and titrate to keep the WBC count within the target range"


@template("hydroxyurea-dosing", "Hydroxyurea start dose and titration", "special-situations")
def hydroxyurea_dosing(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    dosing = ctx.content.management.hydroxyurea
    who = patient(rng)
    weight = float(rng.randrange(50, 111, 5))
    target = (
        f"{format_number(dosing.target_wbc_10e9_per_l.low)}–{format_number(dosing.target_wbc_10e9_per_l.high)} × 10^9/L"
    )
    if rng.random() < 0.5:
        case = {"ask": "start", "weight_kg": weight}
        key_text = hydroxyurea_dosing.expected(case, ctx)
        per_kg = dosing.start_mg_per_kg_day
        wrong = [
            (f"{format_number(per_kg)} mg per day", "The dose is per kilogram of body weight."),
            (f"{format_number(per_kg * weight * 7)} mg per day", "That is a weekly total given daily."),
            (f"{format_number(per_kg * weight * 2)} mg per day", "Twice the usual starting dose."),
            (
                f"{format_number(dosing.reduce_below_wbc_10e9_per_l * weight)} mg per day",
                f"{format_number(dosing.reduce_below_wbc_10e9_per_l)} is the WBC level for reducing the dose, "
                "not mg/kg.",
            ),
        ]
        key = Option(key_text, f"{format_number(per_kg)} mg/kg per day × {format_number(weight)} kg.")
        distractors = [Option(t, w) for t, w in wrong if t != key_text][:4]
        vignette = (
            f"{who.intro} weighing {format_number(weight)} kg has chronic-phase CML with hyperleukocytosis; "
            "the team starts hydroxyurea to stabilize the count."
        )
        lead_in = "Which starting dose is usual?"
    else:
        wbc = (
            float(rng.randint(int(dosing.reduce_below_wbc_10e9_per_l) + 5, 80))
            if rng.random() < 0.5
            else float(
                rng.randint(int(dosing.target_wbc_10e9_per_l.low) + 2, int(dosing.reduce_below_wbc_10e9_per_l) - 1)
            )
        )
        case = {"ask": "adjust", "wbc": wbc}
        key_text = hydroxyurea_dosing.expected(case, ctx)
        whys = {
            HU_KEEP: f"Above {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L the full starting dose "
            "continues.",
            HU_TITRATE: f"Below {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L the dose is reduced and "
            f"titrated to hold the WBC count at {target}.",
            "Stop hydroxyurea for good": "The aim is to hold the count in range, not to stop.",
            "Double the dose": "Raising the dose would push the count further down.",
            "Switch to busulfan": "Hydroxyurea is superior to busulfan.",
        }
        options = [Option(t, w) for t, w in whys.items()]
        key = next(o for o in options if o.text == key_text)
        distractors = [o for o in options if o is not key]
        vignette = (
            f"{who.intro} with chronic-phase CML started hydroxyurea for hyperleukocytosis. Two weeks later the "
            f"WBC count is {format_number(wbc)} × 10^9/L."
        )
        lead_in = "What should happen to the hydroxyurea dose?"
    return assemble(
        rng,
        "hydroxyurea-dosing",
        key,
        distractors,
        vignette=vignette,
        lead_in=lead_in,
        explanation=f"Hydroxyurea often starts at {format_number(dosing.start_mg_per_kg_day)} mg/kg per day; once the "
        f"WBC count falls below {format_number(dosing.reduce_below_wbc_10e9_per_l)} × 10^9/L it is reduced and "
        f"titrated to keep the count at {target}.",
        learn_more=LearnMore("Hydroxyurea", "sections/overview.md#hydroxyurea"),
        case=case,
    )


@hydroxyurea_dosing.expected
def _(case, ctx):
    if case["ask"] == "start":
        return f"{format_number(ctx.rules.hydroxyurea_start_dose_mg(case['weight_kg']))} mg per day"
    return HU_KEEP if ctx.rules.hydroxyurea_adjustment(case["wbc"]) == "full-dose" else HU_TITRATE


# --- 12. Ponatinib step-down -----------------------------------------------------------------------------


@template("ponatinib-dose", "Ponatinib start dose and step-down", "resistance")
def ponatinib_dose(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    dosing = ctx.content.management.ponatinib
    level = dosing.response_bcr_abl1_is_pct
    reached = rng.random() < 0.5
    value = round_sig(log_uniform(rng, level / 10, level) if reached else log_uniform(rng, level * 1.5, level * 30), 2)
    case = {"bcr_abl1_is_pct": value}
    key_text = ponatinib_dose.expected(case, ctx)
    start, low = format_number(dosing.start_mg_daily), format_number(dosing.reduced_mg_daily)
    whys = {
        f"Continue {start} mg once daily": f"Until BCR::ABL1 reaches ≤ {pct(level)}, the starting dose continues.",
        f"Lower to {low} mg once daily": f"Once BCR::ABL1 reaches ≤ {pct(level)}, the dose is lowered to {low} mg.",
        "Stop ponatinib and observe": "Stopping is not part of the dose-ranging findings.",
        "Switch to nilotinib": "The T315I variant confers resistance to nilotinib.",
        "Switch to dasatinib": "The T315I variant confers resistance to dasatinib.",
    }
    options = [Option(t, w) for t, w in whys.items()]
    who = patient(rng, 30, 70)
    return assemble_by_text(
        rng,
        "ponatinib-dose",
        options,
        key_text,
        vignette=f"{who.intro} with chronic-phase CML and the T315I variant started ponatinib {start} mg once daily. "
        f"BCR::ABL1 (IS) is now {pct(value)}. {who.pronoun} has no cardiovascular disease.",
        lead_in="What is the most appropriate ponatinib dose now?",
        explanation=f"Phase II studies found the best response and least toxicity starting at {start} mg and "
        f"lowering to {low} mg once BCR::ABL1 reached ≤ {pct(level)}; higher doses are linked to arterial "
        "occlusive events.",
        learn_more=LearnMore("Ponatinib", "sections/relapsed.md#ponatinib"),
        evidence="C3",
        case=case,
    )


@ponatinib_dose.expected
def _(case, ctx):
    dosing = ctx.content.management.ponatinib
    dose = ctx.rules.ponatinib_dose_mg(case["bcr_abl1_is_pct"])
    if dose == dosing.start_mg_daily:
        return f"Continue {format_number(dosing.start_mg_daily)} mg once daily"
    return f"Lower to {format_number(dosing.reduced_mg_daily)} mg once daily"


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


def _score_text(score: str, value: float, risk: str) -> str:
    digits = SCORE_DIGITS[score]
    shown = f"{value:.{digits}f}" if digits else f"{round(value)}"
    return f"{shown}, {risk} risk"


@template("prognostic-score", "Prognostic score risk group", "first-line")
def prognostic_score(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    def draw() -> Question | None:
        score = rng.choice(["sokal", "hasford", "eutos", "elts"])
        who = patient(rng, 22, 82)
        case = {
            "score": score,
            "age": float(who.age),
            "spleen_cm": float(rng.choice([0, 0, 2, 4, 6, 9, 12, 16])),
            "platelets": float(rng.randrange(150, 1900, 10)),
            "blasts_pct": float(rng.randint(0, 8)),
            "eosinophils_pct": float(rng.randint(0, 6)),
            "basophils_pct": float(rng.randint(0, 9)),
        }
        model = getattr(ctx.content.scores, score)
        exact, wrong = _score_value(score, case, ctx), _miscalculated(score, case, ctx)
        digits = SCORE_DIGITS[score]
        shown = round(exact, digits)
        if ctx.rules.score_risk(score, shown) != ctx.rules.score_risk(score, exact):
            return None  # the rounded value would sit on the other side of a cut-off
        if round(wrong, digits) == shown or wrong <= 0:
            return None
        risks = [g.risk for g in model.groups]
        true_risk, slip_risk = ctx.rules.score_risk(score, exact), ctx.rules.score_risk(score, wrong)
        key = Option(
            _score_text(score, exact, true_risk), f"The value is right and it falls in the {true_risk}-risk group."
        )
        distractors = [
            Option(
                _score_text(score, exact, rng.choice([r for r in risks if r != true_risk])),
                "The value is right, but the cut-offs put it in another group.",
            ),
            Option(_score_text(score, wrong, slip_risk), "A common slip in the formula gives this value."),
            Option(
                _score_text(score, wrong, rng.choice([r for r in risks if r != slip_risk])),
                "A slip in the formula, and the wrong group for that value too.",
            ),
        ]
        groups = "; ".join(
            f"{g.risk} {'≤' if g.inclusive else '<'} {format_number(g.upper)}"
            if g.upper is not None
            else f"{g.risk} above"
            for g in model.groups
        )
        return assemble(
            rng,
            "prognostic-score",
            key,
            distractors,
            vignette=f"{who.intro} has newly diagnosed chronic-phase CML. Age {format_number(case['age'])} years; "
            f"spleen {format_number(case['spleen_cm'])} cm below the costal margin; platelets "
            f"{format_number(case['platelets'])} "
            f"× 10^9/L; peripheral blood blasts {pct(case['blasts_pct'])}, eosinophils {pct(case['eosinophils_pct'])}, "
            f"basophils {pct(case['basophils_pct'])}.",
            lead_in=f"What is the {model.name}, and its risk group?",
            explanation=f"{model.name} ({model.citation}); risk groups: {groups}.",
            learn_more=LearnMore("Prognostic scores", f"scores.md#{score}"),
            case=case,
        )

    return _retry(draw, "prognostic-score")


@prognostic_score.expected
def _(case, ctx):
    value = _score_value(case["score"], case, ctx)
    return _score_text(case["score"], value, ctx.rules.score_risk(case["score"], value))


# --- 14. Transplant considerations ------------------------------------------------------------------------

PREFERRED_STORIES = {
    "blastic-presentation": "presents in blastic phase and has a matched donor",
    "t315i-ponatinib-resistant": "has the T315I variant and resistance to ponatinib",
    "intolerant-of-all": "cannot tolerate any of the available TKIs",
}
NOT_PREFERRED_STORIES = [
    "is newly diagnosed in chronic phase and responding to imatinib",
    "reached MMR at 12 months on nilotinib",
    "has been in a deep molecular response for 6 years",
    "has the T315I variant and has not yet received ponatinib",
]
DONORS = {"sibling": "an HLA-matched sibling", "twin": "an identical twin", "none": "no matched sibling or twin"}


def _transplant_text(patient_case: dict[str, Any]) -> str:
    if "indication" in patient_case:
        story = PREFERRED_STORIES.get(patient_case["indication"], patient_case["indication"])
        return f"A patient who {story}"
    return f"A {patient_case['age']}-year-old in early chronic phase with {DONORS[patient_case['donor']]}"


@template("transplant", "Transplant considerations", "special-situations")
def transplant(rng: random.Random, ctx: Context, difficulty: str) -> Question:
    t = ctx.content.management.transplant
    limit = int(t.consider_early_below_age)
    if rng.random() < 0.5:
        indication = rng.choice(t.preferred_for).id
        patients = [{"indication": indication}] + [{"indication": story} for story in NOT_PREFERRED_STORIES]
        lead_in = "For which patient is allogeneic SCT the preferred choice?"
        explanation = (
            "Allogeneic SCT is the preferred choice for certain patients presenting in blastic phase, those with a "
            "T315I variant and resistance to ponatinib, and those who cannot tolerate any of the drugs."
        )
        case = {"ask": "preferred", "patients": patients}
    else:
        patients = [
            {"age": rng.randint(20, limit - 1), "donor": rng.choice(["sibling", "twin"])},
            {"age": rng.randint(limit, 75), "donor": "sibling"},
            {"age": rng.randint(20, limit - 1), "donor": "none"},
            {"age": rng.randint(limit + 1, 80), "donor": "twin"},
        ]
        lead_in = "Which patient can consider allogeneic BMT early in chronic phase?"
        explanation = (
            f"Patients younger than {limit} years with an identical twin or an HLA-matched sibling can consider BMT "
            "early in chronic phase; results are better in younger patients."
        )
        case = {"ask": "early", "patients": patients}
    key_text = transplant.expected(case, ctx)
    options = []
    for patient_case in patients:
        text = _transplant_text(patient_case)
        why = explanation if text == key_text else "This is not a situation the summary names for it."
        options.append(Option(text, why))
    return assemble_by_text(
        rng,
        "transplant",
        options,
        key_text,
        vignette="A transplant team reviews patients with CML for allogeneic stem cell transplant.",
        lead_in=lead_in,
        explanation=explanation,
        learn_more=LearnMore("Allogeneic BMT or SCT", "sections/chronic.md#allogeneic-transplant"),
        case=case,
    )


@transplant.expected
def _(case, ctx):
    flags = {
        "blastic-presentation": "blastic_presentation",
        "t315i-ponatinib-resistant": "t315i_ponatinib_resistant",
        "intolerant-of-all": "intolerant_of_all",
    }
    matches = []
    for patient_case in case["patients"]:
        if case["ask"] == "preferred":
            flag = flags.get(patient_case["indication"])
            ok = ctx.rules.transplant_preferred(**{flag: True}) if flag else False
        else:
            has_donor = patient_case["donor"] != "none"
            ok = ctx.rules.early_transplant_candidate(patient_case["age"], twin_or_matched_sibling=has_donor)
        if ok:
            matches.append(_transplant_text(patient_case))
    if len(matches) != 1:
        raise QuizError(f"transplant: expected one matching patient, found {len(matches)}")
    return matches[0]
