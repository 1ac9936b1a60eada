"""An independent check of every quiz key: each option is judged right or wrong from its own
words and the case, by calling generator.rules directly, never the template's own answer
function. Exactly one option may be right, and it must be the key."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.quiz.templates import DIFFICULTIES, TEMPLATES, Context
from generator.render import format_number


def number(text: str, pattern: str) -> float:
    return float(re.search(pattern, text).group(1))


def therapy_id(ctx, name: str) -> str:
    return next(t.id for t in ctx.content.therapies.values() if t.name == name)


def phase_from_blasts(option, case, ctx):
    phase = ctx.rules.phase(
        case["blood_blasts_pct"], case["marrow_blasts_pct"], promyelocytes_pct=case["promyelocytes_pct"]
    )
    if option.startswith("Neither"):
        return phase == "unclassified"
    crisis = phase == "blastic" and set(ctx.content.phases.blast_crisis_signs) <= set(case["signs"])
    if option == "Blast crisis":
        return crisis
    return option.lower().startswith(phase) and not crisis


def response_level(option, case, ctx):
    level = ctx.rules.molecular_response(case["bcr_abl1_is_pct"])
    return option == level or (level == "none" and option.startswith("No major molecular response"))


def emr_3_months(option, case, ctx):
    met = ctx.rules.early_molecular_response(case["bcr_abl1_is_pct"])
    # neither MMR nor DMR is ever drawn at the EMR time point; when EMR is missed the halving time decides
    return option.startswith("EMR is achieved") if met else "halving time" in option


def halving_time(option, case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return number(option, r"^About (\d+) days$") == round(days)


def mutation_testing(option, case, ctx):
    if ctx.rules.mutation_testing_indicated(case["response"]):
        return "mutation analysis" in option
    return option.startswith("Continue the current TKI")


def t315i_options(option, case, ctx):
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=case["ponatinib_failed"])
    chosen = therapy_id(ctx, option)
    return chosen == allowed[0] if case["ponatinib_failed"] else chosen in allowed


def first_line_options(option, case, ctx):
    return therapy_id(ctx, option) in ctx.rules.treatment_options(case["setting"])


def tki_discontinuation(option, case, ctx):
    years = number(option, r"for ([\d.]+) years")
    value = number(option, r"BCR::ABL1 ([\d.]+)%")
    verdict = ctx.rules.tki_discontinuation(years, value)
    assert verdict != "uncertain", f"a patient inside the summary's range of years: {option}"
    return verdict == "best-candidate"


def relapse(option, case, ctx):
    finding = next(f for f in ctx.content.management.relapse.findings if f.text == option)
    return ctx.rules.relapse_status(finding.id) == case["ask"]


def marrow_examination(option, case, ctx):
    blasts = number(option, r"([\d.]+)% blasts")
    spleen = "rapidly enlarging spleen" in option
    verdict = ctx.rules.marrow_examination(
        blasts,
        fever="fever" in option,
        malaise="malaise" in option,
        enlarged_spleen=spleen,
        rapidly_enlarging_spleen=spleen,
    )
    assert verdict != "statements-differ", f"a patient the summary's two statements disagree on: {option}"
    return verdict == "indicated"


def hydroxyurea_dosing(option, case, ctx):
    if case["ask"] == "start":
        return option == f"{format_number(ctx.rules.hydroxyurea_start_dose_mg(case['weight_kg']))} mg per day"
    action = ctx.rules.hydroxyurea_adjustment(case["wbc"])
    return option.startswith("Keep the starting dose") if action == "full-dose" else option.startswith("Reduce")


def ponatinib_dose(option, case, ctx):
    dose = format_number(ctx.rules.ponatinib_dose_mg(case["bcr_abl1_is_pct"]))
    return option.startswith(("Continue", "Lower to")) and f" {dose} mg once daily" in option


def prognostic_score(option, case, ctx):
    args = {k: case[k] for k in ("age", "spleen_cm", "platelets", "blasts_pct")}
    result = {
        "sokal": lambda: ctx.rules.sokal(**args),
        "elts": lambda: ctx.rules.elts(**args),
        "eutos": lambda: ctx.rules.eutos(case["basophils_pct"], case["spleen_cm"]),
        "hasford": lambda: ctx.rules.hasford(
            **args, eosinophils_pct=case["eosinophils_pct"], basophils_pct=case["basophils_pct"]
        ),
    }[case["score"]]()
    shown, risk = option.split(", ")
    digits = len(shown.split(".")[1]) if "." in shown else 0
    return shown == f"{result.score:.{digits}f}" and risk == f"{result.risk} risk"


def transplant(option, case, ctx):
    if case["ask"] == "early":
        age = number(option, r"A (\d+)-year-old")
        has_donor = "an HLA-matched sibling" in option or "an identical twin" in option
        return ctx.rules.early_transplant_candidate(age, twin_or_matched_sibling=has_donor)
    return ctx.rules.transplant_preferred(
        blastic_presentation="presents in blastic phase" in option,
        t315i_ponatinib_resistant="resistance to ponatinib" in option,
        intolerant_of_all="cannot tolerate any" in option,
    )


def trial_higher_arm(option, case, ctx):
    study = ctx.content.studies[case["study"]]
    (endpoint,) = [e for e in study.endpoints if e.name == case["endpoint"]]
    figures = {r.arm: r.pct for r in endpoint.results if r.pct is not None and not r.combined}
    return option in figures and figures[option] == max(figures.values())


def trial_evidence_level(option, case, ctx):
    return option == ctx.content.studies[case["study"]].level


def sensitive_test(option, case, ctx):
    # General Information: RT-PCR "is the most sensitive technique currently available".
    return option.startswith("Reverse transcription–PCR")


def tki_comorbidity(option, case, ctx):
    # Relapsed CML: "Patients with significant cardiovascular disease, hypertension, or diabetes
    # mellitus have been excluded from clinical trials" of ponatinib.
    return case["condition"] in ctx.content.therapies[therapy_id(ctx, option)].excluded_from_trials


RIGHT = {
    "phase-from-blasts": phase_from_blasts,
    "response-level": response_level,
    "emr-3-months": emr_3_months,
    "halving-time": halving_time,
    "mutation-testing": mutation_testing,
    "t315i-options": t315i_options,
    "first-line-options": first_line_options,
    "tki-discontinuation": tki_discontinuation,
    "relapse": relapse,
    "marrow-examination": marrow_examination,
    "hydroxyurea-dosing": hydroxyurea_dosing,
    "ponatinib-dose": ponatinib_dose,
    "prognostic-score": prognostic_score,
    "transplant": transplant,
    "trial-higher-arm": trial_higher_arm,
    "trial-evidence-level": trial_evidence_level,
    "sensitive-test": sensitive_test,
    "tki-comorbidity": tki_comorbidity,
}


@pytest.fixture(scope="module")
def ctx(content, rules):
    return Context(content, rules)


def test_every_template_has_an_independent_check():
    assert set(RIGHT) == set(TEMPLATES)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    template_id=st.sampled_from(sorted(TEMPLATES)),
    seed=st.integers(min_value=0, max_value=2**32),
    difficulty=st.sampled_from(DIFFICULTIES),
)
def test_exactly_one_option_is_right_by_the_rules_and_it_is_the_key(ctx, template_id, seed, difficulty):
    question = TEMPLATES[template_id].make(random.Random(seed), ctx, difficulty)
    assert question.template == template_id
    right = [i for i, option in enumerate(question.options) if RIGHT[template_id](option.text, question.case, ctx)]
    assert right == [question.key], [o.text for o in question.options]
