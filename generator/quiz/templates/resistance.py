"""Case templates on resistance and relapse: mutation testing, T315I, relapse, ponatinib dosing."""

from __future__ import annotations

import random

from generator.quiz.cases import log_uniform, patient, round_sig
from generator.quiz.question import LearnMore, Option, Question, QuizError, assemble_by_text
from generator.quiz.registry import Context, template
from generator.render import format_number
from generator.render import format_pct as pct

# --- 5. Kinase-domain mutation testing ----------------------------------------------------------------

MUTATION_TEST = "BCR::ABL1 kinase-domain mutation analysis"
CONTINUE = "Continue the current TKI and keep monitoring BCR::ABL1"
RESPONSE_STORIES = {
    "failure": ["has lost the hematologic remission it had reached", "has progressed to accelerated phase"],
    "suboptimal": ["has what the team judges a suboptimal response to the TKI"],
    "optimal": ["has reached the preferred response target, MMR, and remains in it"],
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
        raise QuizError(f"expected one {case['ask']} finding, found {len(matches)}")
    return findings[matches[0]].text


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
