"""An independent check of every quiz key: each option is judged right or wrong from its own
words and the case, by calling generator.rules directly, never the template's own answer
function. Exactly one option may be right, and it must be the key."""

from __future__ import annotations

import dataclasses
import math
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_unfolding_keys import UNFOLDING_RIGHT

from generator.models import DESIGN_NAMES
from generator.quiz.templates import DIFFICULTIES, TEMPLATES, Context, draw
from generator.render import format_number

QUIZZES = Path(__file__).resolve().parent.parent / "quizzes"


def number(text: str, pattern: str) -> float:
    return float(re.search(pattern, text).group(1))


def therapy_id(ctx, name: str) -> str:
    return next(t.id for t in ctx.content.therapies.values() if t.name == name)


def phase_from_blasts(option, case, ctx):
    # "Chronic-phase CML is characterized by bone marrow and cytogenetic findings as listed below
    # with less than 10% blasts and promyelocytes in the peripheral blood and bone marrow."
    # "Accelerated-phase CML is characterized by 10% to 19% blasts in either the peripheral blood
    # or bone marrow." "Blastic-phase CML is characterized by 20% or more blasts in the
    # peripheral blood or bone marrow."
    blood, marrow = case["blood_blasts_pct"], case["marrow_blasts_pct"]
    within = (blood + case["blood_promyelocytes_pct"], marrow + case["marrow_promyelocytes_pct"])
    phase = ctx.rules.phase(
        blood,
        marrow,
        blood_promyelocytes_pct=case["blood_promyelocytes_pct"],
        marrow_promyelocytes_pct=case["marrow_promyelocytes_pct"],
    )
    assert phase is not None, f"a case the definitions leave open: {case}"
    assert not option.startswith("Neither")
    if option.startswith("Chronic phase"):
        return max(within) < 10 and max(blood, marrow) < 10
    named, by = re.fullmatch(r"(Accelerated|Blastic) phase, by the (blood|marrow) count", option).groups()
    value = blood if by == "blood" else marrow
    band = (10, 20) if named == "Accelerated" else (20, 101)
    return band[0] <= value < band[1] and band[0] <= max(blood, marrow) < band[1]


def response_level(option, case, ctx):
    level = ctx.rules.molecular_response(case["bcr_abl1_is_pct"])
    return option == level or (level == "none" and option == "No MMR")


def emr_3_months(option, case, ctx):
    # "EMR: Early molecular response. This means a greater than 1-log reduction (BCR::ABL1 ≤ 10%)
    # at 3 months."; "MMR: ... (BCR::ABL1 ≤ 0.1%)"; "DMR: ... (BCR::ABL1 ≤ 0.01%)"; "patients with
    # a BCR::ABL1 transcript level greater than 10% after 3 months of therapy did well when the
    # halving time was less than 76 days". Each option is one reading of the 3-month value; a
    # missed EMR's names the halving time since starting treatment, and is right when both halves are.
    value = case["bcr_abl1_is_pct"]
    level = ctx.rules.molecular_response(value)
    emr = ctx.rules.early_molecular_response(value)
    if option == "DMR already reached":
        return level not in ("none", "MMR")
    if option == "MMR already reached":
        return level == "MMR"
    if option == "EMR achieved, MMR not yet":
        return emr and level == "none"
    days = ctx.rules.halving_time_days(case["start_pct"], value, case["days"])
    return (
        not emr
        and {
            "EMR missed; halving time since starting treatment less than 76 days": days < 76,
            "EMR missed; halving time since starting treatment 76 days or longer": days >= 76,
        }[option]
    )


def halving_time(option, case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return number(option, r"^About (\d+) days$") == round(days)


def t315i_options(option, case, ctx):
    # "Ponatinib is an oral TKI that has activity in patients with T315I variants"; "Allogeneic
    # SCT is the preferred choice for ... those with a T315I variant and resistance to
    # ponatinib"; asciminib's phase I trial: "Patients with a T315I variant and those in whom
    # ponatinib failed were included." A stem that rules out transplant leaves asciminib.
    allowed = ctx.rules.treatment_options("relapsed", t315i=True, ponatinib_failed=case["ponatinib_failed"])
    if case.get("transplant_ruled_out"):
        allowed = [t for t in allowed if t != "allogeneic-sct"]
    chosen = therapy_id(ctx, option)
    return chosen == allowed[0]


def first_line_options(option, case, ctx):
    # An inhibitor is offered by its drug name alone ("Imatinib", not "Imatinib mesylate").
    if option == "Allogeneic stem cell transplant":
        named = "allogeneic-sct"
    elif option == "Imatinib at a higher dose":
        # "Variants in the tyrosine kinase domain can confer resistance to imatinib mesylate.
        # Alternative TKIs ..., higher doses of imatinib mesylate, and allogeneic stem cell
        # transplant (SCT) have been studied in this setting." Offered only with T315I, where
        # "the T315I variant marks resistance to imatinib": never the key.
        assert case["situation"] != "new", case
        return False
    else:
        named = next(
            (t.id for t in ctx.content.therapies.values() if t.name == option or t.name.split()[0] == option), None
        )
    assert named is not None, option
    if case["situation"] == "t315i":
        # "In particular, the T315I variant marks resistance to imatinib, dasatinib, nilotinib,
        # and bosutinib." "Ponatinib is an oral TKI that has activity in patients with T315I
        # variants or in patients for whom another TKI failed."
        return named == "ponatinib"
    if case["situation"] == "after-ponatinib":
        # "Allogeneic SCT is the preferred choice for ... those with a T315I variant and
        # resistance to ponatinib (an oral TKI)"; the stem gives a fit patient with a matched sibling.
        return named == "allogeneic-sct" and case["donor"] in ("sibling", "unrelated")
    # "The preferred initial treatment for patients with newly diagnosed chronic-phase CML could
    # be any of the specific inhibitors of the BCR::ABL1 tyrosine kinase (including asciminib,
    # nilotinib, dasatinib, bosutinib, or imatinib)."
    return named in ctx.rules.treatment_options(case["setting"]) and ctx.content.therapies[named].kind == "tki"


def tki_discontinuation(option, case, ctx):
    # "Patients who have taken a TKI for more than 3 to 5 years and attained a DMR (molecular
    # remission,  4.5; BCR::ABL1 ≤ 0.0032%) are the best candidates to consider stopping therapy."
    # "patients who were in DMR (4 to 4.5 logs) for 5 or more years had a relapse rate of
    # approximately 10%." "DMR: Deep molecular response ... This means greater than 4-log
    # reduction (BCR::ABL1  ≤ 0.01%) and is also called MR 4". One patient; the options are
    # verdicts on them. The time in DMR is read from the stem's values: the fall from a result
    # above the MR4 level to one at or below it.
    years, value = case["tki_months"] / 12, max(case["results"])
    verdict = ctx.rules.tki_discontinuation(years, value)
    assert verdict != "uncertain", f"a patient inside the summary's range of years: {case}"
    dmr = ctx.content.response(ctx.content.responses.deep_molecular_response).max_bcr_abl1_is_pct
    in_dmr = value <= dmr
    if in_dmr:
        assert case["first_pct"] <= dmr < case["before_pct"], case
    long_dmr = case["dmr_months"] / 12 >= ctx.content.management.tki_discontinuation.long_dmr_years
    if verdict == "best-candidate":
        return option.startswith("Among the best candidates") and (", and in DMR as long" in option) == long_dmr
    if years <= ctx.content.management.tki_discontinuation.min_years_on_tki:
        return option.endswith("has taken a TKI for too short a time")
    if not in_dmr:
        assert ctx.rules.molecular_response(value) == "MMR", case
        return option.endswith("an MMR, but not MR4")
    assert ctx.rules.molecular_response(value) == "MR4" and not long_dmr, case
    return option.endswith("MR4, but not MR4.5")


def hydroxyurea_dosing(option, case, ctx):
    if case["ask"] == "start":
        # "A dose of 40 mg/kg per day is often used initially": every option is written to the
        # nearest 100 mg, halves up.
        dose = 100 * math.floor(ctx.rules.hydroxyurea_start_dose_mg(case["weight_kg"]) / 100 + 0.5)
        return option == f"{dose} mg per day"
    action = ctx.rules.hydroxyurea_adjustment(case["wbc"])
    return option.startswith("Keep the starting dose") if action == "full-dose" else option.startswith("Reduce")


def ponatinib_dose(option, case, ctx):
    # "The optimal dose was found to be an initial 45 mg dose given once daily, then lowered to
    # 15 mg upon achievement of a response (≤1% BCR::ABL1)."
    assert re.search(r"\d+ mg (once|twice) daily$", option), f"every option is a ponatinib dose: {option}"
    dose = format_number(ctx.rules.ponatinib_dose_mg(case["bcr_abl1_is_pct"]))
    if case["ask"] == "start":
        return option == f"{dose} mg once daily"
    return option.startswith(("Continue", "Lower to")) and option.endswith(f" {dose} mg once daily")


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
        age = number(option, r"An? (\d+)-year-old")
        has_donor = "an HLA-matched sibling" in option or "an identical twin" in option
        return ctx.rules.early_transplant_candidate(age, twin_or_matched_sibling=has_donor)
    # "Allogeneic SCT is the preferred choice for certain patients presenting with blastic-phase
    # disease, those with a T315I variant and resistance to ponatinib (an oral TKI), and for
    # patients with complete intolerance to the pharmacological options."
    return ctx.rules.transplant_preferred(
        # R-lead-A: presenting in blastic phase, said three ways, with no qualifier.
        # S11-final-bank (2): 'presenting', as the summary says, never 'at diagnosis'.
        blastic_presentation=re.search(r"blastic[ -]phase", option) is not None
        and re.search(r"\bpresent(ing)?\b", option) is not None,
        t315i_ponatinib_resistant="T315I" in option and re.search(r"resist\w* ponatinib", option) is not None,
        # S10-lead-C: the summary's "complete intolerance to the pharmacological options", not "every TKI".
        intolerant_of_all=re.search(r"(intoleran\w* of|tolerate) the (pharmacological|drug) options", option)
        is not None,
    )


def milestones(option, case, ctx):
    # "A BCR::ABL1 transcript level of 10% or less in patients after 3 months of treatment with
    # a specific TKI (deemed EMR)"; after 1 year MMR is the preferred target and MR4 the optimal one.
    emr = "EMR met" if ctx.rules.early_molecular_response(case["at_emr"]) else "EMR missed"
    level = ctx.rules.molecular_response(case["at_year"])
    if level == "none":
        year = "MMR not reached at 1 year"
    else:
        year = "MMR but not MR4 at 1 year" if level == "MMR" else "MR4 or deeper at 1 year"
    return option == f"{emr}; {year}"


RIGHT = {
    "phase-from-blasts": phase_from_blasts,
    "response-level": response_level,
    "emr-3-months": emr_3_months,
    "halving-time": halving_time,
    "t315i-options": t315i_options,
    "first-line-options": first_line_options,
    "tki-discontinuation": tki_discontinuation,
    "hydroxyurea-dosing": hydroxyurea_dosing,
    "ponatinib-dose": ponatinib_dose,
    "prognostic-score": prognostic_score,
    "transplant": transplant,
    "milestones": milestones,
    **UNFOLDING_RIGHT,  # the steps of unfolding cases (test_unfolding_keys.py)
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


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_each_templates_key_is_the_one_option_its_check_finds(ctx, template_id):
    """The same, template by template over the sampler's seeds: `-k my-template` runs one."""
    for question in draw(TEMPLATES[template_id], ctx, 20, "keys"):
        right = [i for i, option in enumerate(question.options) if RIGHT[template_id](option.text, question.case, ctx)]
        assert right == [question.key], [o.text for o in question.options]


# Quizzes kept apart from those on the summary: calculator practice.
APART = {"score-calculator-practice"}


def test_score_items_are_calculator_practice_outside_the_summary_quizzes(ctx):
    """The summary gives no formula: "Predictive models using multivariate analysis have been
    derived." A score item is calculator practice in a quiz of its own, its stem naming the
    score and its publication, its link the calculator; no quiz on the summary asks one."""
    from generator.quiz.blueprint import load_blueprints

    blueprints = {b.id: b for b in load_blueprints(QUIZZES)}
    for blueprint in blueprints.values():
        used = {entry.template for entry in blueprint.questions}
        if blueprint.id not in APART:
            assert "prognostic-score" not in used, blueprint.id
    assert {e.template for e in blueprints["score-calculator-practice"].questions} == {"prognostic-score"}
    for seed in range(20):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, "standard")
        model = getattr(ctx.content.scores, q.case["score"])
        assert model.name in q.vignette and model.citation in q.vignette and "calculator" in q.vignette
        assert q.learn_more.path == f"scores.md#{q.case['score']}" and "calculator" in q.learn_more.label


def _in_sentence(name: str) -> str:
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _reported_findings(study) -> set[str]:
    """What the summary reports, read straight from studies.yml's significance and compared."""
    found = set()
    for e in study.endpoints:
        # S7-B: several arms taken together are 'the pooled arms (...)', not read as each arm.
        pooled = {r.arm for r in e.results if r.combined}
        words = [f"the pooled arms ({_in_sentence(g)})" if g in pooled else _in_sentence(g) for g in e.compared]
        first, second = words if e.compared else ("", "")
        if e.significance == "significant":
            found.add(f"{e.name}: {first} did significantly better")
        elif e.significance == "not-significant":
            # S8-bank-B-2 (T3), R-bank-fix13 (T7): the null names no group (the stem names both).
            found.add(f"{e.name}: neither group shown to do better")
    return found


def _findings_in(option: str) -> list[str]:
    """The findings an option states: one, or two joined by '; ' (a pair, one per endpoint), each
    opening with its endpoint's name as content/studies.yml writes it; a design named beside a
    single finding is not one of them (_design_in)."""
    parts = [part[0].upper() + part[1:] for part in option.split("; ")]
    return [part for part in parts if part not in DESIGN_NAMES.values()]


def _design_in(option: str) -> str | None:
    """The design an option names beside a single finding ('Randomized trial; MMR at ...')."""
    first = option.split("; ")[0]
    return first if first in DESIGN_NAMES.values() else None


def trial_higher_arm(option, case, ctx):
    # Only what the summary calls significant (or not) is a finding: "The 8.2% difference was
    # not statistically significant"; DASISION's progression "(not statistically significant)".
    # A pair of findings is right only if both are.
    # R-bank-fix10: a single endpoint is asked with the study's design, as content/studies.yml
    # records it from the summary's words ("A randomized prospective study of 519 patients").
    study = ctx.content.studies[case["study"]]
    design = _design_in(option)
    if design is not None and design != DESIGN_NAMES[study.design]:
        return False
    return all(f in _reported_findings(study) for f in _findings_in(option))


def _endpoints_named(option: str, study) -> list[str]:
    """The endpoints an option's findings name (the longest name that opens each finding)."""
    named = []
    for finding in _findings_in(option):
        names = [e.name for e in study.endpoints if finding.startswith(f"{e.name}: ")]
        named.append(max(names, key=len))
    return named


RIGHT["trial-higher-arm"] = trial_higher_arm


def test_trials_key_only_what_the_summary_calls_significant(ctx):
    """ "The 8.2% difference was not statistically significant" and
    DASISION's progression, "six patients (2.3%) who received dasatinib (not statistically
    significant)": never keyed as an arm that did better. A cohort or a review is named by its
    design, never "head to head"; no trial name in the stem gives the drug away."""
    studies = ctx.content.studies
    assert studies["asciminib-first-line"].endpoints[1].significance == "not-significant"
    assert next(e for e in studies["dasatinib-vs-imatinib"].endpoints if e.measure == "progression").significance == (
        "not-significant"
    )
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = studies[q.case["study"]]
        assert "head to head" not in q.vignette
        # R-bank-fix10-b: no stem names a design (other stems gave away the design items); where
        # the design is asked, the key names the study's own.
        assert not any(name.lower() in q.vignette.lower() for name in DESIGN_NAMES.values()), q.vignette
        if len(q.case["endpoints"]) == 1:
            assert q.answer.text.startswith(DESIGN_NAMES[study.design]), q.answer.text
        assert not study.name or study.name not in q.vignette
        for name, finding in zip(_endpoints_named(q.answer.text, study), _findings_in(q.answer.text), strict=True):
            significance = next(e for e in study.endpoints if e.name == name).significance
            assert "significantly better" not in finding or significance == "significant"


def test_a_comparison_must_say_what_the_summary_says_of_significance(scratch, capsys):
    from generator.cli import main

    path = scratch.root / "studies.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("        significance: not-stated\n", "", 1), "utf-8")
    assert main(["--content", str(scratch.root), "check"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "studies.yml:" in errors[0] and ".significance: expected significant" in errors[0]


def test_ponatinib_dose_offers_only_ponatinib_doses_and_varies_its_key(ctx):
    """ "The optimal dose was found to be an initial 45 mg dose given once daily, then lowered to
    15 mg upon achievement of a response (≤1% BCR::ABL1)." A dose question offers doses: no
    "Switch to nilotinib"; and no key text answers more than half the items."""
    from collections import Counter

    keys = Counter()
    for seed in range(200):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert len(q.options) == 5
        for option in q.options:
            assert re.search(r"\d+ mg (once|twice) daily$", option.text) and "Switch" not in option.text
        keys[q.answer.text] += 1
    assert max(keys.values()) <= 100, keys


def test_hydroxyurea_feedback_does_not_say_doubling_lowers_a_count_that_should_fall(ctx):
    """ "A dose of 40 mg/kg per day is often used initially, and frequently results in a rapid
    reduction of the white blood cell (WBC) count." Then "the hydroxyurea dose is often reduced":
    at a WBC of 75 the reason for not doubling is that the starting dose continues, not that the
    count would fall further."""
    for seed in range(200):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "adjust" or ctx.rules.hydroxyurea_adjustment(q.case["wbc"]) != "full-dose":
            continue
        double = next(o for o in q.options if o.text == "Double the dose")
        assert "further down" not in double.why and "continues" in double.why


def test_hydroxyurea_double_reason_below_the_cut_predicts_nothing_the_summary_does_not_say(ctx):
    """S8-bank-A-2 (defect 2): at 14 × 10^9/L 'a higher dose would push the count further down,
    out of 5–20' is a prediction the summary does not make; it says only "When the WBC count
    drops below 20" ... "the hydroxyurea dose is often reduced and titrated to maintain a WBC
    count between" 5 and 20 × 10^9/L."""
    seen = 0
    for seed in range(200):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "adjust" or ctx.rules.hydroxyurea_adjustment(q.case["wbc"]) == "full-dose":
            continue
        seen += 1
        double = next(o for o in q.options if o.text == "Double the dose")
        assert "push" not in double.why and "reducing the dose and titrating it" in double.why, double.why
    assert seen


# Templates two expert readers (issue 18, reviews R1 and R2) found unsound and that could not be
# mended in time: each stays out of the registry, every blueprint and the README's table until
# it is rewritten and read again.
DROPPED = {
    "which-tki": "four stems over 20 items set the key by their clue alone (memorisable); imatinib offered "
    "as the drug that beat imatinib; one explanation listing every answer",
    "after-stopping": "a relapse key for a patient whose pain it does not explain; a withdrawal reason that "
    "sets a condition ('while BCR::ABL1 stays within MMR') the summary does not; keys skewed to one text",
    "presentation": "reasons that deny what the summary says (hepatomegaly is a blast-crisis sign; a palpable "
    "spleen is the common finding at diagnosis); the key the only changing finding; one question 11 times",
    "advanced-approach": "a Sokal line only in accelerated-phase stems gave the phase away; TKI-then-SCT "
    "co-defensible in lymphoid blastic phase; evidence C1 printed for a C3 regimen",
    "first-line-outcomes": "an unfocused 'supported by the summary' lead-in; hedged keys against absolute "
    "distractors; the 10-year survival figure extended to asciminib (16.3 months of follow-up)",
    "transplant-outcomes": "the same unfocused lead-in and hedge cue; a 20% to 40% mortality distractor "
    "defensible for older patients; evidence C1 printed for the A1 conditioning trial",
    "mutation-testing": "'suboptimal response' keyed to mutation analysis where the summary says 75% do well; "
    "transplant referral co-defensible after progression; a low level not given, so stopping defensible",
    # Read in R6 (issue 18), dropped rather than mended:
    "trial-result": "an arm's figure to the decimal (trivia); ENESTnd's imatinib progression '17 patients "
    "(14%)' contradicted by the summary's own arm sizes; three questions asked twice in 20",
    "trial-evidence-level": "a PDQ code (trivia) with the same five options in every item, C3 the key in 13 "
    "of 20, the design in the stem giving away most of the rest",
    "tki-adverse-effect": "three facts, so three memorisable keys; single TKIs ranked on the summary's pooled "
    "'the other TKIs (55%)'; feedback implying nilotinib carries no arterial risk",
    "accelerated-sct": "one key text, 'accelerated-phase CML, Sokal high risk', in every item; one cohort "
    "taught as a rule",
    "trial-hazard-ratio": "the summary holds one interval that includes the null among six, so either one "
    "key reading answers most items (17 of 20) or that one result fills half the draw; the arm named most "
    "often, then the arm named first, pointed to the key (S8 reads, before and after a mend)",
    # Read five times this session (reviews11 R-bank-new to -r5) and not in a quiz: every key right by
    # L612, but the key is the one patient best (or worst) on all three factors, so common sense
    # finds it (r2, r5: major); the fixes readers asked for pulled two ways (all three near rivals
    # made the key the commonest level of every factor, r3). Its rule likelier_to_keep_mmr and the
    # factors in content/management.yml stay; the template is in branch bank-new-history (4a380ab).
    "stopping-predictors": "the key the one patient best or worst on every factor, found by common "
    "sense without L612 (R-bank-new-r5, major); no distractor design both cue-free and needing the "
    "factors",
    # S11-final-bank and S11-bank-fix15-r3 (major): the summary distinguishes two courses by the
    # BCR::ABL1 result (like Ph-positive CML, L185-L190 and L215-L221; nearer chronic
    # myelomonocytic leukemia, L190-L197) and one for the group (L212), so three of five options
    # could never be the key; the group's course, keyed where no test was done, asked a prognosis
    # before the test that decides it (L372-L379). Its rule ph_negative_course and the content
    # facts stay; the template is in main's history (9bca55c, generator/quiz/templates/diagnosis.py).
    "ph-negative": "each item a two-way choice (AML-like, accelerated-like and blastic-like courses never "
    "the key, the CMML course the key in 11 of 20); the untested case keyed a prognosis before the test "
    "that decides it (S11-final-bank, S11-bank-fix15-r3: major); no five courses the summary tells apart",
    "progression-predictors": "one stem in every item and the key the odd one out (two symptoms, two "
    "usual marrow findings and the predictor); a case built from the patient's own findings needs content "
    "the summary does not give (an anemia cut, a blast reference) (S8 read of bank-fix7)",
    "keeps-mmr": "answerable by common sense ('more years, no blasts') without knowing which three factors the "
    "summary names; one stem in 20 items; 'past the summary's years' in the stem (R7)",
    # Reviews R3 to R5:
    "marrow-examination": "the key the only option with fever, a spleen finding and >10% blasts, worded the "
    "same every time; sharper distractors fall between the summary's two statements ('>10% circulating "
    "blasts' with 'and', or 'fever, enlarged spleen, or >20%')",
    "progression-rate": "recall of a pre-TKI figure with no clinical use, three key texts, and a lead-in that "
    "gave the year window away",
    # S6-A (issue 18), dropped rather than mended:
    "blastic-lymphoid": "the key the only option with B-lymphoid blasts in all 20 items, so the blast count "
    "was never needed; a B-lymphoid distractor under 20% would be a lymphoid blast phase to a hematologist",
    # Read in S6-B (issue 18), dropped rather than mended:
    "relapse-after-stopping": "two facts ('50%' of all who stop, 'approximately 10%' after 5 or more years in "
    "DMR) give three key texts in every bank; the 'minimum duration' ask was a study's inclusion detail with "
    "the key the smallest option; stems about 'the summary' with no patient; 50% missing beside 10%",
}


@pytest.mark.parametrize("template_id", sorted(DROPPED))
def test_a_template_the_readers_found_unsound_is_out_of_the_bank(template_id):
    root = Path(__file__).resolve().parent.parent
    assert template_id not in TEMPLATES, DROPPED[template_id]
    for blueprint in sorted((root / "quizzes").glob("*.yml")):
        assert f"template: {template_id}" not in blueprint.read_text(), blueprint.name
    assert f"`{template_id}`" not in (root / "README.md").read_text()


@pytest.mark.parametrize("template_id", ["emr-3-months"])
def test_a_mended_template_has_one_right_option_at_every_seed(ctx, template_id):
    """The templates the readers found with a second true option (R2, emr-3-months item 19:
    'MMR is already reached' at 0.008%), read at 300 seeds each."""
    for seed in range(300):
        question = TEMPLATES[template_id].make(random.Random(seed), ctx, DIFFICULTIES[seed % len(DIFFICULTIES)])
        right = [i for i, o in enumerate(question.options) if RIGHT[template_id](o.text, question.case, ctx)]
        assert right == [question.key], (seed, question.case, [o.text for o in question.options])


# --- bank-fix3: regression cases from the expert read R6 ------------------------------------------


def test_score_stems_say_the_summary_cites_sokal_and_hasford(ctx):
    """The summary: "Predictive models using multivariate analysis have been derived.", citing
    "Sokal JE, Baccarani M, Russo D, et al.: Staging and prognosis in chronic myelogenous
    leukemia." and "Hasford J, Pfirrmann M, Hehlmann R, et al.: A new prognostic score for
    survival of patients with chronic myeloid leukemia treated with interferon alfa.", and it
    uses "Sokal high-risk patients". Only EUTOS and ELTS are absent from it."""
    seen = set()
    for seed in range(80):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, "standard")
        score = q.case["score"]
        seen.add(score)
        cited = getattr(ctx.content.scores, score).summary_ref is not None
        assert cited == (score in {"sokal", "hasford"})
        assert ("not in the summary" in q.vignette) != cited, q.vignette
        if cited:
            assert "cites" in q.vignette and "no formula" in q.vignette, q.vignette
    assert seen == {"sokal", "hasford", "eutos", "elts"}


def test_score_distractors_are_named_slips_and_test_the_risk_group(ctx):
    """Each distractor is a slip in the formula, named in the case and in its feedback, not a
    multiple of the key; and in every item at least one option falls in another risk group, so
    the risk-group half of the question is examined."""
    old_factors = {0.4, 0.5, 0.65, 0.8, 1.25, 1.5, 1.75, 2.0}
    multiples = total = 0
    for seed in range(100):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, "standard")
        groups = [o.text.split(", ")[1] for o in q.options]
        # Another group tests the risk group; the key's group holds at most three of the five
        # (S8-bank-A-2: four of five in half the items), and the key is alone in its group only
        # as often as any option is (see the balance test below).
        assert len(set(groups)) >= 2 and groups.count(groups[q.key]) <= 3, [o.text for o in q.options]
        assert len(q.case["slips"]) == 4 and len(set(q.case["slips"])) == 4
        key = float(q.answer.text.split(", ")[0])
        for option in q.options:
            if option is q.answer:
                continue
            assert "slip" in option.why or "left out" in option.why or "instead of" in option.why, option.why
            total += 1
            multiples += round(float(option.text.split(", ")[0]) / key, 2) in old_factors
    assert multiples <= total // 10, (multiples, total)  # a slip may land on one by chance


def test_transplant_draws_no_age_near_the_soft_threshold(ctx, content):
    """ "Patients younger than 60 years with an identical twin or with HLA–matched siblings can
    consider BMT early in the chronic phase." Sixty is a soft threshold: no patient of the
    'early' question is drawn within the margin content/patients.yml sets around it."""
    limit = content.management.transplant.consider_early_below_age
    margin = content.patients.transplant_age_margin_years
    assert margin > 0
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        if q.case["ask"] != "early":
            continue
        for patient in q.case["patients"]:
            assert abs(patient["age"] - limit) >= margin, patient


def test_transplant_keys_say_certain_patients_and_distractors_are_not_all_well(ctx):
    """ "Allogeneic SCT is the preferred choice for certain patients presenting with
    blastic-phase disease, those with a T315I variant and resistance to ponatinib ... and for
    patients with complete intolerance to the pharmacological options." The blastic key says
    "selected", not every patient; the distractors are patients with a problem of their own
    (not three of four doing well), and every distractor's feedback is its own, not one line
    for all."""
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        whys = [o.why for i, o in enumerate(q.options) if i != q.key]
        assert len(set(whys)) == 4, whys
        assert "This is not a situation the summary names for it." not in whys
        if q.case["ask"] == "preferred":
            if "blastic" in q.answer.text:  # the qualifier sits in the stem, for every option (S6-A)
                assert "fit for" in q.vignette and not q.answer.text.startswith("Selected"), q.answer.text
            texts = " ".join(o.text for o in q.options)
            assert "deep molecular response for" not in texts and "reached the preferred response" not in texts
        else:
            assert "unrelated" in " ".join(o.text for o in q.options if "no " in o.text) or all(
                "no " not in o.text for o in q.options
            )


def test_transplant_t315i_distractor_names_its_phase_and_each_preferred_situation_is_keyed(ctx):
    """S6-A, items 7, 8, 10, 11, 16: 'Patients with the T315I variant who have not yet received
    ponatinib' gave no phase, though "for patients with blast crisis-phase CML, OS was worse for
    those who received ponatinib"; its reason set the 73% vs. 56% of the whole review in chronic
    phase. The third situation, "complete intolerance to the pharmacological options", is keyed too."""
    keys = set()
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        for option in q.options:
            if re.search(r"not yet given ponatinib|have not had ponatinib", option.text):
                assert re.match(r"(Patients in chronic phase|Chronic-phase patients)", option.text), option.text
                assert "not in blast crisis" in option.why and "in chronic phase" not in option.why, option.why
        if q.case["ask"] == "preferred":
            keys.add(q.case["patients"][0]["indication"])
    assert keys == {s.id for s in ctx.content.management.transplant.preferred_for}


def test_hydroxyurea_hyperleukocytosis_is_a_count_that_deserves_the_word_and_the_stem_gives_the_dose(ctx, content):
    """S6-A, items 2, 9, 12, 15, 17: 'started hydroxyurea for hyperleukocytosis with a WBC count of
    60 × 10^9/L'. "Hydroxyurea is used primarily to stabilize patients with hyperleukocytosis":
    the count is one the word fits (content/patients.yml). The stem says the patient started at
    the usual starting dose, so 'keep the starting dose' reads; S8-bank-A and S8-bank-A-2: not
    "at 40 mg/kg per day", which answered the start items of the same quiz, nor anywhere in the
    adjust item's feedback, read before the next question.
    At 8 × 10^9/L the count is in 5–20, not 'within reach' of it; and the lead-in asks for a next
    step, since stopping and busulfan are not doses."""
    least = content.patients.hyperleukocytosis_wbc_10e9_per_l
    per_kg = format_number(ctx.content.management.hydroxyurea.start_mg_per_kg_day)
    for seed in range(200):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "adjust":
            continue
        assert number(q.vignette, r"WBC count of (\d+)") >= least, q.vignette
        assert "at the usual starting dose" in q.vignette, q.vignette
        said = " ".join([q.vignette, q.lead_in, q.explanation, *(t for o in q.options for t in (o.text, o.why))])
        assert f"{per_kg} mg/kg" not in said and "mg/kg" not in said, said
        assert "dose" not in q.lead_in, q.lead_in
        for option in q.options:
            assert "within reach" not in option.why, option.why


def test_phase_from_blasts_draws_no_compartment_in_the_gap_and_a_believable_blood(ctx, content):
    """S6-A, items 9, 11, 15: a marrow of 8% blasts and 6% promyelocytes is outside "less than 10%
    blasts and promyelocytes" (chronic) yet short of "10% to 19% blasts in either" (accelerated): the
    summary leaves it unplaced, so no compartment is drawn there. Items 7 and 14: 58% marrow
    blasts beside 1% in the blood, and a blood of 0% blasts and 0% promyelocytes, are no CML
    blood ("a spectrum of mature and immature granulocytes"). Accelerated is said '10% to 19%'."""
    patients = content.patients
    cut = ctx.content.phases.phases[1].min_blasts_pct
    for seed in range(400):
        q = TEMPLATES["phase-from-blasts"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        c = q.case
        for where in ("blood", "marrow"):
            blasts, pro = c[f"{where}_blasts_pct"], c[f"{where}_promyelocytes_pct"]
            assert blasts >= cut or blasts + pro < cut, c
        assert c["blood_promyelocytes_pct"] >= patients.min_blood_promyelocytes_pct, c
        if c["marrow_blasts_pct"] >= cut and c["marrow_blasts_pct"] > c["blood_blasts_pct"]:
            share = patients.blood_blasts_at_least_marrow_share_pct / 100
            assert c["blood_blasts_pct"] >= c["marrow_blasts_pct"] * share, c
        assert "not including" not in q.explanation + " ".join(o.why for o in q.options)


def test_prognostic_score_key_takes_each_place_about_equally_and_no_differential_is_empty(ctx):
    """S6-A: the key was the 4th of 5 ascending values in 9 of 20 items (EUTOS and ELTS had too
    few slips that overshoot to put it first); and basophils or eosinophils of 0% are no
    chronic-phase differential ("Increased numbers of eosinophils or basophils are often present")."""
    places = {letter: 0 for letter in "ABCDE"}
    seeds = 500
    for seed in range(seeds):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        places[q.letters[q.key]] += 1
        assert q.case["basophils_pct"] >= 1 and q.case["eosinophils_pct"] >= 1, q.case
    # S8-bank-A-2: with the options' groups held even (the balance test below), a key drawn low
    # can only be the lowest value where every slip overshoots it, which few do; the values run
    # rising or falling, so every letter keys between a tenth and 30% of items.
    assert all(0.1 <= n / seeds <= 0.3 for n in places.values()), places


def test_prognostic_score_options_groups_do_not_point_to_the_key(ctx):
    """S8-bank-A-2 (prognostic-score 2, 3, 4, 6): the key's risk group was the commonest among the
    five options in 18 of 20 items (four of five in half), an option alone in its group was never
    the key, Sokal keys were high in 5 of 6 and ELTS keys low in 4 of 5; slips such as a weight
    taken ten times too large gave values (2581, 2.91) no one computing the score would reach;
    'spleen 0 cm below the costal margin'; no formula in the explanation. Now, over many items,
    picking an option of the commonest group, or the option alone in its group, finds the key
    about as often as a blind guess; each score's keys spread over its groups; no tenfold slip."""
    from collections import Counter

    commonest = alone = singles = n = 0
    keyed = {}
    for seed in range(300):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        n += 1
        groups = [o.text.split(", ")[1] for o in q.options]
        count = Counter(groups)
        top = [i for i, g in enumerate(groups) if count[g] == max(count.values())]
        commonest += (q.key in top) / len(top)
        lonely = [i for i, g in enumerate(groups) if count[g] == 1]
        if lonely:
            singles += 1
            alone += (q.key in lonely) / len(lonely)
        keyed.setdefault(q.case["score"], Counter())[groups[q.key]] += 1
        assert not any("tenfold" in slip for slip in q.case["slips"]), q.case["slips"]
        assert not any("ten times" in o.why for o in q.options)
        assert " 0 cm" not in q.vignette, q.vignette
        assert " × " in q.explanation, q.explanation  # the formula, once
    assert commonest <= 0.3 * n and alone <= 0.3 * max(singles, 1), (commonest, alone, singles, n)
    for score, groups in keyed.items():
        assert len(groups) >= 2 and max(groups.values()) <= 0.65 * sum(groups.values()), (score, groups)


def test_emr_deep_responses_at_3_months_are_uncommon_and_never_far_below_mr4(ctx, content):
    """R7, items 2, 10, 11, 13 and 20: 5 of 20 values were MMR or deeper at 3 months, two at the
    MR4.5 level (0.0023%, 0.003%), which taught that a deep early response is common. About one
    in ten is MMR or deeper now, and a deep response is drawn at MR4, above the MR4.5 level."""
    levels = {r.id: r.max_bcr_abl1_is_pct for r in content.responses.molecular_responses}
    deep = 0
    seeds = 400
    for seed in range(seeds):
        question = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        value = question.case["bcr_abl1_is_pct"]
        deep += value <= levels["MMR"]
        assert value > levels["MR4.5"], value
    # R-bank-fix10: MMR (never deeper) was then keyed 0 times in 20; about 3 in 20 now.
    assert deep / seeds <= 0.2, deep


def test_emr_vignette_gives_the_value_at_diagnosis_to_judge_a_halving_time_from(ctx):
    """R7: the missed-EMR key says the halving time helps judge the outlook, but no value was
    given to judge it from. Every vignette now says BCR::ABL1 at diagnosis, the same way for
    every key."""
    for seed in range(100):
        question = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert re.search(r"days\) ago, when BCR::ABL1 \(IS\) was \d+%\. It is now ", question.vignette), (
            question.vignette
        )


def test_milestones_feedback_never_asserts_what_the_values_contradict(ctx):
    """ "A BCR::ABL1 transcript level of 10% or less in patients after 3 months of treatment with
    a specific TKI (deemed EMR)": a reason once told a patient at 41% that '41% at 3 months is an
    EMR (≤ 10%)' because the option said so. Every reason now states what the values show."""
    for seed in range(200):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        met = ctx.rules.early_molecular_response(q.case["at_emr"])
        level = ctx.rules.molecular_response(q.case["at_year"])
        for option in q.options:
            why = re.sub(r'"[^"]*" needs [^:,;]*', "", option.why)  # what the values show, not the option's claim
            assert ("EMR was met" in why) == met and ("EMR was missed" in why) == (not met), option.why
            assert "is an EMR" not in why
            assert ("MMR was not reached" in why) == (level == "none"), option.why
            assert ("or deeper" in why) == (level not in ("none", "MMR")), option.why


def test_phase_from_blasts_feedback_says_why_a_wrong_option_is_wrong(ctx):
    """ "Accelerated-phase CML is characterized by 10% to 19% blasts in either the peripheral
    blood or bone marrow." "Blastic-phase CML is characterized by 20% or more blasts in the
    peripheral blood or bone marrow." A wrong option whose own count sits in its phase's range
    (marrow 13% beside blood 21%) was told only 'the marrow here has 13% blasts': every wrong
    option's reason now names the reading that decides. Marrow promyelocytes are never 0% and
    never fewer than the blood's ("a spectrum of mature and immature granulocytes")."""
    least = ctx.content.patients.min_marrow_promyelocytes_pct
    for seed in range(300):
        q = TEMPLATES["phase-from-blasts"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        verdict = q.answer.text[0].lower() + q.answer.text[1:]
        verdict = "chronic phase." if verdict.startswith("chronic") else verdict
        for option in q.options:
            assert verdict in option.why, (option.text, option.why)
        assert q.case["marrow_promyelocytes_pct"] >= max(least, q.case["blood_promyelocytes_pct"]), q.case


def test_hydroxyurea_feedback_speaks_to_this_count_and_claims_no_never(ctx):
    """ "the hydroxyurea dose is often reduced and titrated to maintain a WBC count between": the
    summary has no 'never raising it', and a reason that ignores the patient's count ('Above 20 ×
    10^9/L the full starting dose continues', said to a patient at 8) teaches nothing: every
    reason names the count. No starting dose offered is beyond 60 mg/kg a day (the readers called
    70 to 80 absurd)."""
    per_kg = ctx.content.management.hydroxyurea.start_mg_per_kg_day
    for seed in range(200):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for option in q.options:
            assert "never" not in option.why.lower(), option.why
            if q.case["ask"] == "adjust":
                assert f"{format_number(q.case['wbc'])} × 10^9/L" in option.why, option.why
            else:
                assert number(option.text, r"^(\d+) mg") <= per_kg * 1.5 * q.case["weight_kg"] + 50, (
                    option.text
                )  # to 100 mg


def test_trial_higher_arm_never_teaches_not_significant_as_no_difference(ctx):
    """DASISION's progression: "six patients (2.3%) who received dasatinib (not statistically
    significant)": fewer, not shown to differ. The explanation once said 'neither arm did
    better'. And "Hydroxyurea is superior to busulfan" is all the summary's text says of that
    comparison ("randomized" is only in a cited title): it is never called a randomized trial."""
    for seed in range(200):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert "neither arm did better" not in q.explanation
        # R-bank-fix13 (T7): the caution only where a non-significant result is asked.
        study = ctx.content.studies[q.case["study"]]
        null = any(e.significance == "not-significant" for e in study.endpoints if e.name in q.case["endpoints"])
        assert ("does not by itself show that the arms are equal" in q.explanation) == null, q.explanation
        if q.case["study"] == "hydroxyurea-vs-busulfan":
            assert "randomized" not in q.vignette.lower(), q.vignette


def test_first_line_options_evidence_is_the_level_the_summary_gives_the_key(ctx):
    """Chronic phase: the first-line TKIs are graded B3 (accelerated phase, graded C3 for
    bosutinib and C1 for imatinib's cohort, is no longer asked: see the test below). With T315I
    the key is ponatinib: "Ponatinib has been studied in multiple phase II studies involving 799
    patients", graded C3."""
    for seed in range(100):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert q.evidence == ("B3" if q.case["situation"] == "new" else "C3"), (q.case, q.evidence)


def test_ponatinib_dose_patients_are_believable_and_no_dose_is_absurd(ctx):
    """ "The optimal dose was found to be an initial 45 mg dose given once daily, then lowered to
    15 mg upon achievement of a response (≤1% BCR::ABL1)"; "Patients with significant
    cardiovascular disease, hypertension, or diabetes mellitus have been excluded from clinical
    trials." Readers doubted 45 mg at 88 years, a value with no time on the drug, and "45 mg
    twice daily". After a response, waiting for MMR was once offered as the misread level, but it
    meant the same as continuing 45 mg now (S6-C), so it is gone."""
    oldest = ctx.content.patients.oldest_on_ponatinib_years
    for seed in range(200):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert number(q.vignette, r"(\d+)-year-old") <= oldest
        assert "hypertension or diabetes" in q.vignette
        assert all("twice daily" not in o.text for o in q.options)
        if q.case["ask"] != "start":
            assert "months ago" in q.vignette
        if q.case["ask"] == "after-response":
            assert q.case["bcr_abl1_is_pct"] > ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
            assert not any(o.text.startswith("Keep") for o in q.options)


def test_t315i_options_claim_no_more_than_the_summary_and_reoffer_no_failed_tki(ctx):
    """ "Allogeneic SCT is the preferred choice for ... those with a T315I variant and resistance
    to ponatinib"; "The outcomes for these patients were best after allogeneic SCT, but this could
    have resulted from selection bias." Asciminib's trials only "included" T315I patients: it is
    never said to have activity with T315I. The two TKIs that failed are named, not offered, and
    the four resistant TKIs are never all the distractors (one sentence answered every item)."""
    resistant = set(ctx.rules.t315i_resistant())
    for seed in range(200):
        q = TEMPLATES["t315i-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        offered = set(q.case["options"])
        assert not offered & set(q.case["failed"])
        assert len(offered & resistant) <= 2
        for option in q.options:
            if option.text == "Asciminib":
                assert "activity" not in option.why
        if q.case["ponatinib_failed"] and not q.case["transplant_ruled_out"]:
            assert "preferred choice" in q.answer.why and "selection bias" in q.answer.why


def test_response_level_reasons_compare_this_value_and_no_level_is_a_phrase_apart(ctx):
    """ "MMR ... (BCR::ABL1 ≤ 0.1%)"; "DMR ... (BCR::ABL1 ≤ 0.01%) and is also called MR 4". Each
    option once got the same bare definition in every item: every reason now names the value.
    No value below the deepest cut is shown as a measurement (0.00026% is not a laboratory
    result); a value short of MMR is drawn at 1 year, not as a routine finding after years; and
    'No major molecular response' was a phrase among abbreviations."""
    deepest = ctx.content.responses.molecular_responses[-1].max_bcr_abl1_is_pct
    for seed in range(200):
        q = TEMPLATES["response-level"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        value = q.case["bcr_abl1_is_pct"]
        undetectable = "detects no BCR::ABL1" in q.vignette
        assert value >= deepest or undetectable  # below MR5's cut, only a sensitive assay's limit (S6-B)
        shown = "undetectable at" if undetectable else f"{format_number(value)}%"
        assert all(shown in o.why for o in q.options), [o.why for o in q.options]
        assert max(len(o.text) for o in q.options) <= 6
        if ctx.rules.molecular_response(value) == "none":
            assert "for 12 months" in q.vignette


def test_halving_time_distractors_are_no_fixed_multiples_and_no_case_sits_by_the_cut(ctx):
    """ "even patients with a BCR::ABL1 transcript level greater than 10% after 3 months of
    therapy did well when the halving time was less than 76 days." Distractors were 0.4, 0.55,
    0.7, 1.6, 2.0 and 2.5 times the key, so the key was the value whose double was also listed;
    84 and 87 days were called unfavourable as if a single cut decided them."""
    limit = ctx.content.responses.halving_time.max_days
    doubled = 0
    for seed in range(200):
        q = TEMPLATES["halving-time"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        c = q.case
        exact = ctx.rules.halving_time_days(c["first_pct"], c["second_pct"], c["days_between"])
        assert abs(exact - limit) >= 0.1 * limit, exact
        values = [number(o.text, r"(\d+)") for o in q.options]
        key = number(q.answer.text, r"(\d+)")
        doubled += any(abs(v - 2 * key) <= 1 or abs(v - 2.5 * key) <= 1 for v in values)
    assert doubled < 60, doubled


def test_milestones_options_do_not_converge_on_the_key(ctx):
    """Three of five options once read "EMR met", and that reading was the key in 15 of 20 items:
    the options now span both sides of EMR at every depth (one left out). S7-A: the one left out
    is any wrong course alike, so the side with fewer options holds the key no more often than
    its share of the options (2 in 5); leaving one out of the key's side half the time made the
    smaller side the better guess."""
    smaller = 0
    for seed in range(600):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        key_emr = q.answer.text.split(";")[0]
        smaller += sum(o.text.startswith(key_emr) for o in q.options) == 2
    assert 0.33 <= smaller / 600 <= 0.47, smaller


def test_milestones_each_wrong_option_has_its_own_reason_naming_the_half_it_gets_wrong(ctx):
    """S7-A: every distractor had one feedback, 'Not this reading: ...', which never said which
    half of the chosen option was wrong. Each reason now confirms the half it reads right and
    corrects the other, and no two options share a reason."""
    for seed in range(200):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        key_emr, key_year = q.answer.text.split("; ")
        whys = [o.why for o in q.options]
        assert len(set(whys)) == len(whys), whys
        for i, option in enumerate(q.options):
            if i == q.key:
                continue
            emr, year = option.text.split("; ")
            wanted = (
                "The EMR half is right"
                if emr == key_emr
                else "The 1-year half is right"
                if year == key_year
                else "Both halves are wrong"
            )
            assert option.why.startswith(wanted), (option.text, q.answer.text, option.why)
            # R-bank-fix8-a: each wrong half names the cut it needs.
            for half, right in ((emr, key_emr), (year, key_year)):
                if half != right:
                    assert f'"{half}" needs ' in option.why, option.why


# --- coverage (issue 18, section 4): serial results after a remission; relapse after transplant ----


def serial_results(option, case, ctx):
    # "Detection of the BCR::ABL1 translocation by reverse transcription–polymerase chain reaction
    # (RT-PCR) during prolonged remissions does not constitute relapse on its own."
    # "A consistently rising quantitative RT-PCR BCR::ABL1 level suggests relapsed disease."
    # "Fluorescence in situ hybridization (FISH) positivity for BCR::ABL1 translocation when
    # previously FISH negative." (relapse)
    # "Overt treatment failure is defined as a loss of hematologic remission or progression to
    # accelerated-phase or blast crisis phase CML."
    # "Blastic-phase CML is characterized by 20% or more blasts in the peripheral blood or bone
    # marrow."
    series = case["bcr_abl1_series"]
    rises = ctx.content.management.relapse.consistently_rising_tests
    rising = all(b > a for a, b in zip(series[-rises - 1 :], series[-rises:]))
    higher = max(case["blood_blasts_pct"], case.get("marrow_blasts_pct") or 0)
    if higher >= 20:
        furthest = "progression to blastic phase"
    elif case["hematologic_remission_lost"] or higher >= 10:
        furthest = "short of blastic phase"
    elif case["fish_positive"]:
        furthest = "shown by FISH"
    elif rising:
        furthest = "suspected on RT-PCR"
    else:
        furthest = "the remission continues"
    return option.endswith(furthest)


def transplant_relapse_risk(option, case, ctx):
    # "The risk of relapse appears to be less in patients who underwent transplant early in
    # disease and in patients who developed chronic GVHD." Two yes/no factors: the summary ranks
    # no later transplant (years into chronic phase, or in accelerated phase) above another.
    def factors(text):
        early = int("months after diagnosis" in text)
        gvhd = "chronic GVHD" in text and not re.search(r"(no|free of) chronic GVHD", text)
        return early, int(gvhd)

    def lower(one, other):  # at least as early and as protected, and more so on one
        return all(a >= b for a, b in zip(one, other)) and one != other

    mine = factors(option)
    others = [factors(p["text"]) for p in case["patients"] if p["text"] != option]
    if case["ask"] == "lowest":  # both factors, lower than everyone else
        return mine == (1, 1) and all(lower(mine, o) for o in others)
    return mine[1] == 0 and all(lower(o, mine) for o in others)  # no chronic GVHD, higher than all


RIGHT["serial-results"] = serial_results
RIGHT["transplant-relapse-risk"] = transplant_relapse_risk


def test_serial_results_keys_every_stage_and_no_one_answer_most_items(ctx):
    """Each stage of content/management.yml relapse.stages, and blastic phase past them, is the
    key about as often as the others, over 200 seeds; no key text answers more than half."""
    from collections import Counter

    keys = Counter()
    for seed in range(200):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        keys[q.answer.text] += 1
    assert len(keys) == len(ctx.content.management.relapse.stages) + 1
    assert max(keys.values()) <= 100 and min(keys.values()) >= 20, keys


def test_serial_results_draws_no_grey_zone_trend(ctx):
    """ "A consistently rising quantitative RT-PCR BCR::ABL1 level suggests relapsed disease"; a
    rise that stays inside MMR (≤ 0.1%) is a grey zone many would only retest, and a stable level
    that rises twice in a row, or ends on its highest value (S6-new, item 13: 0.0087, 0.011,
    0.0074, 0.014%), reads as a trend: a rising series ends above MMR; a stable one stays inside
    it, never rises twice in a row and does not end on its maximum."""
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        series = q.case["bcr_abl1_series"]
        if q.answer.text.endswith("the remission continues"):
            assert max(series) <= mmr and series[-1] < max(series), series
            assert not any(a < b < c for a, b, c in zip(series, series[1:], series[2:])), series
        else:
            assert series[-1] > mmr and ctx.rules.consistently_rising(series), series


def test_serial_results_never_keys_a_line_the_summary_draws_twice(ctx):
    """S6-new, items 2, 7, 11, 15-18: 'hematologic remission lost' was keyed against 'progression
    to accelerated phase' for a rising white count and a returning spleen, which the summary
    also names as signs of accelerated phase ("The following signs and symptoms indicate a change
    to accelerated-phase CML: Progressive splenomegaly. Increased leukocytosis and/or
    thrombocytosis."), and the worst option was always the key. Overt failure short of blastic
    phase is now one option, and blastic phase ("20% or more blasts in the peripheral blood or
    bone marrow") the other, decided by blood and marrow counts that the stem gives; hard cases
    sit near the 20% cut, none on it."""
    cut = ctx.content.phases.phases[2].min_blasts_pct
    near = {True: 0, False: 0}
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        texts = [o.text for o in q.options]
        assert not any("accelerated phase" in t for t in texts) and not any("hematologic" in t for t in texts)
        if q.case["hematologic_remission_lost"]:
            higher = max(q.case["blood_blasts_pct"], q.case.get("marrow_blasts_pct"))
            assert f"the bone marrow has {format_number(q.case['marrow_blasts_pct'])}%" in q.vignette
            if seed % 2:  # hard: either side of the cut; on it is blastic ("20% or more", S6-new-2)
                assert -3 <= higher - cut <= 5, higher
                near[higher >= cut] += 1
    assert min(near.values()) >= 10, near


def test_serial_results_fish_and_transcripts_go_with_the_counts(ctx):
    """S6-new, item 5: FISH positive in 5% of nuclei is at many probes' normal cutoff; item 18:
    FISH in 26% of nuclei beside a white count of 80 with immature granulocytes, where the blood
    is nearly all the Ph-positive clone. FISH first turns positive at 10% or more, and an overt
    relapse carries FISH in 80% or more and a transcript in the tens of percent."""
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["fish_positive"]:
            fish = number(q.vignette, r"positive in (\d+)% of nuclei")
            assert fish >= (80 if q.case["hematologic_remission_lost"] else 10), q.vignette
        if q.case["hematologic_remission_lost"]:
            assert q.case["bcr_abl1_series"][-1] >= 10, q.case


def test_serial_results_reasons_say_what_this_series_shows(ctx):
    """S6-new, item 20: the reason against 'suspected relapse' called 0.023, 0.015, 0.014, 0.01%
    'a low transcript that goes up and down', and items 3, 8, 9 told a rising level 'Not a
    continuing remission', more than "suggests relapsed disease" says. Every reason speaks to the
    case; the transplant explanation keeps only what bears on the question."""
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert q.answer.why.startswith("Here ")
        for i, option in enumerate(q.options):
            assert "goes up and down" not in option.why
            if i < q.key:
                assert "gone further" in option.why or "remission" in option.why, option.why
            elif i > q.key:
                assert "gone further" not in option.why and not option.why.startswith("Here"), option.why
        if q.answer.text.startswith("Relapse suspected"):
            (remission,) = [o for o in q.options if o.text.startswith("Not relapsed")]
            assert "suggests relapse" in remission.why and not remission.why.startswith("Not a continuing")
        if q.case["setting"] == "transplant":
            low = q.answer.text.startswith("Not relapsed")  # R-bank-fix8-b: not beside a rising level
            assert "allogeneic stem cell transplant" in q.vignette and ("only 15%" in q.explanation) == low
        assert "3-year overall survival" not in q.explanation and "as late as" not in q.explanation


def test_transplant_relapse_risk_is_decided_by_the_summary_factors_not_by_the_commonest_option(ctx):
    """ "The risk of relapse appears to be less in patients who underwent transplant early in
    disease and in patients who developed chronic GVHD." The key is never the option whose
    factors most others share on both (a convergence cue), both asks are drawn, every recipient
    had the same donor (the summary reports less relapse with unrelated donors: "2% ... for
    unrelated-donor transplant recipients"), and no one is older than a transplant team takes."""
    from collections import Counter

    oldest = ctx.content.patients.transplant_age_years.high
    asks = Counter()
    for seed in range(200):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        asks[q.case["ask"]] += 1
        patients = q.case["patients"]
        key = next(p for p in patients if p["text"] == q.answer.text)
        same_early = sum(p["timing"] == key["timing"] for p in patients)  # early, later chronic, accelerated
        same_gvhd = sum(p["chronic_gvhd"] == key["chronic_gvhd"] for p in patients)
        assert min(same_early, same_gvhd) <= 2, [p["text"] for p in patients]
        assert "HLA-matched sibling" in q.vignette and "unrelated" not in q.vignette
        for option in q.options:
            assert number(option.text, r"(\d+)-year-old") <= oldest
    assert min(asks.values()) >= 80, asks


def test_transplant_relapse_risk_reasons_never_say_lacking_chronic_gvhd_lowers_the_risk(ctx):
    """S6-new, items 4, 7, 8, 12, 13, 16: 'Transplanted early in the disease, but with no chronic
    GVHD, which also goes with a lower risk of relapse' read as if lacking chronic GVHD lowered
    the risk, against "The risk of relapse appears to be less ... in patients who developed
    chronic GVHD." Every reason says the regimen does not matter ("Disease-free survival and OS
    were comparable between arms."); the explanation carries nothing beside the question."""
    for seed in range(200):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for option in q.options:
            assert not re.search(r"(no|without) chronic GVHD,? which", option.why), option.why
            assert "not one of the factors the summary links to relapse" in option.why, option.why
        assert "as late as" not in q.explanation


def test_transplant_relapse_risk_key_is_never_alone_in_its_regimen_and_timing_is_asked_apart(ctx):
    """S6-new, item 18: the key was the only patient conditioned with cyclophosphamide and TBI, an
    odd one out on an attribute that does not matter; and 'later in the disease' was always
    accelerated phase, so it could be had from "The outcomes of patients who undergo transplant in
    the accelerated and blastic phases of the disease are progressively worse." Some later
    transplants are in chronic phase, past the first year ("within 1 year of diagnosis"), and no
    early one is near its end."""
    late_chronic = 0
    for seed in range(200):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        patients = q.case["patients"]
        key = next(p for p in patients if p["text"] == q.answer.text)
        assert sum(p["conditioning"] == key["conditioning"] for p in patients) >= 2
        for p in patients:
            if p["early"]:
                assert number(p["text"], r"(\d+) months after diagnosis") <= 10, p["text"]
            elif "in chronic phase" in p["text"]:
                late_chronic += 1
                assert number(p["text"], r"(\d+) years after diagnosis") >= 3, p["text"]
    assert late_chronic >= 100, late_chronic


def _after_diagnosis_years(text: str) -> float:
    found = re.search(r"(\d+) (months|years) after diagnosis", text)
    return int(found.group(1)) / (12 if found.group(2) == "months" else 1)


def test_transplant_relapse_risk_needs_chronic_gvhd_and_no_time_from_diagnosis_points_to_the_key(ctx):
    """ "The risk of relapse appears to be less in patients who underwent transplant early in
    disease and in patients who developed chronic GVHD." S6-new-2: the key must not rest on
    weighing one factor against the other: it has both (lowest) or neither (highest), every other
    recipient lacks one or has one, and its nearest rival shares its timing and differs in chronic
    GVHD, so the GVHD half is needed. R-bank-fix11 (major): the key was always the soonest early or
    the latest accelerated transplant, so 'the earlier the better' answered 20 of 20 items without
    chronic GVHD; the key is now the extreme of its timing group in about half the items, no more.
    (A later chronic-phase highest-risk key beside an accelerated-phase recipient with chronic GVHD
    was tried and found arguable, R-bank-fix11-2: the key dominates every other instead.)"""
    from collections import Counter

    extreme, keyed = Counter(), Counter()
    for seed in range(400):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        patients = q.case["patients"]
        (key,) = [p for p in patients if p["text"] == q.answer.text]
        lowest = q.case["ask"] == "lowest"
        assert (key["early"], key["chronic_gvhd"]) == ((True, True) if lowest else (False, False)), key["text"]
        (twin,) = [p for p in patients if p is not key and p["timing"] == key["timing"]]
        assert twin["chronic_gvhd"] != key["chronic_gvhd"], (key["text"], twin["text"])
        keyed[q.case["ask"], key["timing"]] += 1
        key_years, twin_years = _after_diagnosis_years(key["text"]), _after_diagnosis_years(twin["text"])
        extreme[key_years < twin_years if lowest else key_years > twin_years] += 1
    assert extreme[True] <= 0.6 * sum(extreme.values()), extreme
    assert set(keyed) == {("lowest", "early"), ("highest", "late-accelerated")}, keyed


def test_transplant_relapse_risk_key_is_the_only_recipient_with_neither_factor_or_with_both(ctx):
    """S9-final (major): "The risk of relapse appears to be less in patients who underwent
    transplant early in disease and in patients who developed chronic GVHD." In 8 of 10
    highest-risk items a recipient transplanted years into chronic phase without chronic GVHD
    lacked both factors beside the accelerated-phase key, which then rested on a ranking of the
    two later transplants that the summary does not make, and the key's reason ('every other
    patient has at least one') was false. The key is now the ONLY recipient lacking both (highest)
    or having both (lowest); every other has at least one (or lacks at least one), by the two
    yes/no factors alone, so the key's reason is true."""
    from collections import Counter

    asks = Counter()
    for seed in range(300):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        patients = q.case["patients"]
        (key,) = [p for p in patients if p["text"] == q.answer.text]
        factors = [(p["early"], p["chronic_gvhd"]) for p in patients]
        wanted = (True, True) if q.case["ask"] == "lowest" else (False, False)
        assert factors.count(wanted) == 1 and (key["early"], key["chronic_gvhd"]) == wanted, factors
        asks[q.case["ask"]] += 1
        if q.case["ask"] == "highest":
            assert all(p["early"] or p["chronic_gvhd"] for p in patients if p is not key), factors
            assert "every other patient has at least one" in q.answer.why, q.answer.why
        else:
            assert "every other patient lacks at least one" in q.answer.why, q.answer.why
    assert min(asks.values()) >= 120, asks


def test_transplant_relapse_risk_time_from_diagnosis_never_argues_against_the_key(ctx):
    """S9-final: 'early' read as the time from diagnosis ("Most transplant series suggest
    improved survival when the procedure is performed within 1 year of diagnosis") disagreed with
    'early' read as the phase: an accelerated-phase key 2 years after diagnosis beside a chronic-
    phase recipient 5 years after it (items 3, 5, 12, 18); and an early rival without chronic GVHD
    was transplanted sooner than the lowest-risk key (items 6, 7, 10, 13, 15). The rival of the
    key's own timing is transplanted as long after diagnosis as the key, no other later transplant
    comes after a highest-risk key's, and another pair of one timing ties too, so a tied pair does
    not point to the key. Chronic GVHD is dated from the transplant (items 6, 11, 20 read as
    present at transplant), no sooner than month 4."""
    import itertools

    for seed in range(300):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        patients = q.case["patients"]
        (key,) = [p for p in patients if p["text"] == q.answer.text]
        years = {p["text"]: _after_diagnosis_years(p["text"]) for p in patients}
        (twin,) = [p for p in patients if p is not key and p["timing"] == key["timing"]]
        assert years[twin["text"]] == years[key["text"]], (key["text"], twin["text"])
        if q.case["ask"] == "highest":
            assert max(years.values()) == years[key["text"]], list(years.items())
        else:
            assert min(years.values()) == years[key["text"]], list(years.items())
        others = [p for p in patients if p["timing"] != key["timing"]]
        assert any(
            years[a["text"]] == years[b["text"]] and a["timing"] == b["timing"]
            for a, b in itertools.combinations(others, 2)
        ), [p["text"] for p in patients]
        for option in q.options:
            for month in re.findall(r"since month (\d+)", option.text):
                assert int(month) >= 4 and f"since month {month} after transplant" in option.text, option.text


TIMING_RANK = {"early": 0, "late-chronic": 1, "late-accelerated": 2}


def test_transplant_relapse_risk_key_dominates_every_other_recipient_on_both_factors(ctx):
    """R-bank-fix11-2 (major): the highest-risk key, later in chronic phase without chronic GVHD,
    sat beside an accelerated-phase recipient with chronic GVHD: "The outcomes of patients who
    undergo transplant in the accelerated and blastic phases of the disease are progressively
    worse", and the summary weighs neither factor against the other, so the key was arguable (as
    S6-new-2 found). The key is at least as early (lowest) or late (highest) as every other
    recipient on the order early in chronic phase, later in chronic phase, accelerated phase, and
    at least as protected (or not) by chronic GVHD, strictly on one; one rival ties it on timing
    and one on chronic GVHD, so neither factor alone finds it."""
    for seed in range(300):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        patients = q.case["patients"]
        (key,) = [p for p in patients if p["text"] == q.answer.text]
        sign = 1 if q.case["ask"] == "lowest" else -1
        ties = set()
        for p in patients:
            if p is key:
                continue
            timing = sign * (TIMING_RANK[p["timing"]] - TIMING_RANK[key["timing"]])
            gvhd = sign * (int(key["chronic_gvhd"]) - int(p["chronic_gvhd"]))
            assert timing >= 0 and gvhd >= 0 and timing + gvhd > 0, (key["text"], p["text"])
            ties |= {"timing"} if timing == 0 else set()
            ties |= {"gvhd"} if gvhd == 0 else set()
        assert ties == {"timing", "gvhd"}, [p["text"] for p in patients]


def test_transplant_relapse_risk_puts_every_recipient_of_a_question_in_a_category_of_their_own(ctx):
    """S8-bank-final, defect 1: with two yes/no factors, five recipients in four categories left
    two distractors alike in every item (early chronic phase at 9 and 10 months, both without
    chronic GVHD), a pair a student who knew only which features matter set aside together. With
    the summary's three timings ('early in disease', later in chronic phase, and "accelerated ...
    phases ... progressively worse") no two recipients of a question share both timing and chronic
    GVHD status."""
    for seed in range(300):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        categories = [(p["timing"], p["chronic_gvhd"]) for p in q.case["patients"]]
        assert len(set(categories)) == len(categories), [p["text"] for p in q.case["patients"]]


def test_t315i_options_never_offer_ponatinib_once_the_stem_says_it_failed(ctx):
    """ "Allogeneic SCT is the preferred choice for ... those with a T315I variant and resistance
    to ponatinib". A stem that says ponatinib has failed has ruled it out: like the two TKIs that
    failed before it, it is named in the stem and never offered as a plausible distractor."""
    after = 0
    for seed in range(200):
        q = TEMPLATES["t315i-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if not q.case["ponatinib_failed"]:
            continue
        after += 1
        assert "ponatinib" in q.vignette
        assert "ponatinib" not in q.case["options"]
        assert all("Ponatinib" not in option.text for option in q.options), [o.text for o in q.options]
    assert after >= 20


def test_trial_higher_arm_options_name_no_endpoint_more_often_than_the_others(ctx):
    """With two stated endpoints, the key's endpoint was named in three of five options and the
    other's in two (the other's true finding is never a distractor): a student could pick the
    endpoint named most often. No endpoint is named by more options than every other, and the
    key's endpoint is named as often as another's."""
    from collections import Counter

    pairs = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = ctx.content.studies[q.case["study"]]
        counts = Counter(name for o in q.options for name in _endpoints_named(o.text, study))
        key_names = _endpoints_named(q.answer.text, study)
        if len(key_names) == 1:
            continue  # one endpoint asked (R-bank-fix10): every option names it
        pairs += len(key_names) == 2
        for name in key_names:
            assert any(counts[name] == n for other, n in counts.items() if other != name), (counts, q.answer.text)
    assert pairs > 0


def _halving_slips(case, ctx) -> dict[str, int]:
    """The value each named error gives, worked by hand from the case: the summary's formula is
    not written out ("did well when the halving time was less than 76 days"), so the errors are
    the usual ones in working an exponential fall."""
    first, second, days = case["first_pct"], case["second_pct"], case["days_between"]
    end = case["first_day"] + days
    ln2, fall = math.log(2), math.log(first / second)
    return {
        "straight-line": round(days * (first / 2) / (first - second)),
        "day 0": round(end * ln2 / fall),  # counted from day 0, not from the first sample
        "halvings": round(days * fall / ln2),  # the interval times the number of halvings
        "log10 under": round(days * ln2 / math.log10(first / second)),  # mixed bases
        "log10 over": round(days * math.log10(2) / fall),  # mixed bases, the other way
        "tenfold": round(days / math.log10(first / second)),  # the time for a 1-log fall
        "no ln 2": round(days / fall),  # the time for an e-fold fall
        "fold": round(days / (first / second)),  # the fold fall taken as the number of halvings
    }


def test_halving_time_distractors_each_come_from_a_named_error_and_say_which(ctx):
    """Distractors were drawn as random multiples of the key, with a reason that said only 'Not
    51'. Each is now the value a named error gives (a straight-line fall, counting from day 0,
    multiplying by the number of halvings, mixed logarithms, the time for a tenfold or an e-fold
    fall), and its reason names that error and prints the whole expression with this patient's
    numbers (R-bank-fix8-a: 'ln 2 / log10(90 ÷ 36.1)' left out the interval)."""
    words = {
        "straight-line": "straight-line",
        "day 0": "from day 0",
        "halvings": "number of halvings",
        "log10 under": "common logarithm under",
        "log10 over": "common logarithm over",
        "tenfold": "tenfold",
        "no ln 2": "leaves out ln 2",
        "fold": "fold fall",
    }
    for seed in range(200):
        q = TEMPLATES["halving-time"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        slips = _halving_slips(q.case, ctx)
        days = f"{q.case['days_between']:g} ×"
        for i, option in enumerate(q.options):
            if i == q.key:
                continue
            value = number(option.text, r"(\d+)")
            named = [name for name, slip in slips.items() if slip == value]
            assert named, (option.text, slips)
            assert any(words[name] in option.why for name in named), option.why
            assert f"{q.case['second_pct']:g}" in option.why and "Not " not in option.why, option.why
            if "logarithm" in option.why:
                assert option.why.split("; use")[0].count(days) == 1, option.why


def test_halving_time_errors_are_slips_of_method_and_no_case_repeats_in_twenty(ctx):
    """S7-A: 'takes day 31, the day of the first sample, as the interval' and 'puts the EMR level
    of 10% in place of this patient's 3-month value' are misreadings no student makes; the
    'mixes logarithms' reason read as if it described the error ('with one base above and
    below'); and 20 -> 15% and 16 -> 12% over 59 days were the same case twice in 20 items."""
    from generator.quiz.review import review_items

    for seed in range(20):
        items = review_items("halving-time", ctx, 20, seed)
        seen = set()
        for q in items:
            c = q.case
            assert all("the day of the first sample" not in o.why and "in place of" not in o.why for o in q.options)
            assert all("with one base above and below" not in o.why for o in q.options)
            # R-bank-fix8-a: a 100% baseline at diagnosis is how the 76-day figure's study
            # measured the fall, so no slip; the 76-day verdict is not applied to two on-treatment
            # samples; both mixed-base slips in one item were one kind of error twice; a first
            # value clamped at 90% showed almost no fall in month 1.
            assert all("at day 0 and works from diagnosis" not in o.why for o in q.options)
            assert "favourable pattern" not in q.explanation and "makes no comparison" in q.explanation
            assert sum("common logarithm" in o.why for o in q.options) <= 1
            assert c["first_pct"] <= 70
            case = (round(c["first_pct"] / c["second_pct"], 6), c["days_between"])
            assert case not in seen, f"seed {seed}: the same ratio and interval twice: {case}"
            seen.add(case)


def test_first_line_accelerated_phase_offers_no_tki_the_summary_leaves_open(ctx):
    """S6-B: for accelerated phase the summary lists "Targeted therapy with tyrosine kinase
    inhibitors (TKIs)" without naming which, so ponatinib, a TKI, was no sure distractor there;
    bank-fix7's read found asciminib arguable too (the summary lists it under TKIs for relapsed
    CML), and with no second inhibitor the key was the only one. Accelerated phase is not asked;
    the explanation names chronic phase's own options."""
    for seed in range(200):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert q.case["setting"] == "chronic" and "accelerated" not in q.vignette, q.vignette
        assert "kinase-domain" not in q.vignette
        assert "asciminib" in q.explanation.lower()


def test_first_line_options_the_case_decides_among_three_keys_the_options_alike(ctx):
    """S8-bank-A-2 (defect 4) and S8-bank-final (defect 3): ponatinib was in every item and never
    the key, so 'the inhibitor that is not ponatinib' answered all of them. S10-lead-C (5): then
    interferon, hydroxyurea and their combination were never the key, so each item was a choice
    between two. Every item now offers one set, a first-line inhibitor, ponatinib, allogeneic
    SCT, hydroxyurea and interferon alfa, and the stem decides among the first three: newly
    diagnosed, the inhibitor ("could be any of the specific inhibitors ... including asciminib,
    nilotinib, dasatinib, bosutinib, or imatinib"); after a first TKI with T315I, ponatinib ("has
    activity in patients with T315I variants"); T315I resisting ponatinib too, transplant
    ("Allogeneic SCT is the preferred choice for ... those with a T315I variant and resistance
    to ponatinib"). No rule that reads only the options finds the key. Hydroxyurea is "used
    primarily to stabilize patients with hyperleukocytosis or as palliative therapy for patients
    who have not responded to other therapies", which its reasons say."""
    keys = Counter()
    n = 600
    for seed in range(n):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        by_name = {t.name: t.kind for t in ctx.content.therapies.values()}
        by_name |= {t.name.split()[0]: t.kind for t in ctx.content.therapies.values() if t.kind == "tki"}
        texts = [o.text for o in q.options]
        inhibitors = [t for t in texts if by_name.get(t) == "tki" and t != "Ponatinib"]
        assert "Allogeneic stem cell transplant" in texts, texts
        # S11-final-bank (6): after a TKI, the three other first-line inhibitors the variant
        # resists stand where hydroxyurea and interferon alfa (never the key) stood.
        # S12-final-bank-A (3): past ponatinib (which its stem rules out) one inhibitor the
        # variant resists, imatinib at a higher dose, hydroxyurea and interferon alfa.
        if q.case["situation"] == "after-ponatinib":
            assert "Ponatinib" not in texts and len(inhibitors) == 1 and "Imatinib" not in texts, texts
            assert {"Imatinib at a higher dose", "Hydroxyurea", "Interferon alfa"} < set(texts), texts
        elif q.case["situation"] == "new":
            assert "Ponatinib" in texts, texts
            assert len(inhibitors) == 1 and {"Hydroxyurea", "Interferon alfa"} < set(texts), texts
        else:
            # R-bank-fix19 (4): no longer three inhibitors wrong by one sentence: one of them,
            # imatinib at a higher dose and hydroxyurea (interferon in a T315I relapse tempted no one).
            assert "Ponatinib" in texts and len(inhibitors) == 1 and "Imatinib" not in texts, texts
            assert {"Imatinib at a higher dose", "Hydroxyurea"} < set(texts) and "Interferon alfa" not in texts, texts
        assert "Asciminib" not in texts, texts  # the summary does not rank asciminib against ponatinib
        kind = "inhibitor" if q.answer.text in inhibitors else q.answer.text
        keys[kind] += 1
        assert not any("Busulfan" in t or "Hyper-CVAD" in t or " with " in t for t in texts), texts
        # S10-lead-C (3): the hydroxyurea reason rested on 'no symptoms of leukostasis', told in the
        # stem for it; the summary's criterion is "to stabilize patients with hyperleukocytosis".
        assert "leukostasis" not in q.vignette + " ".join(o.why for o in q.options), q.vignette
    # Each of the three live options keyed in a fair share, none in more than half.
    assert set(keys) == {"inhibitor", "Ponatinib", "Allogeneic stem cell transplant"}, keys
    assert all(0.12 * n <= count <= 0.5 * n for count in keys.values()), keys


def test_t315i_options_key_each_on_its_own_merit_and_ask_one_lead_in(ctx):
    """S6-C: ponatinib "has activity in patients with T315I variants", while for asciminib "A
    phase I trial of asciminib included heavily pretreated patients ... Patients with a T315I
    variant and those in whom ponatinib failed were included": asciminib was keyed 8 times in 10.
    S7-B: keyed before ponatinib it won only by elimination. Now each key stands on its own
    sentence: before ponatinib, ponatinib; after it, "Allogeneic SCT is the preferred choice for
    ... those with a T315I variant and resistance to ponatinib"; after it with a transplant ruled
    out, asciminib, whose trial included "those in whom ponatinib failed" (and is offered only
    then). No key answers half the items; every branch asks the same lead-in."""
    from collections import Counter

    keys, lead_ins = Counter(), set()
    for seed in range(300):
        q = TEMPLATES["t315i-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        lead_ins.add(q.lead_in)
        keys[q.answer.text] += 1
        if not q.case["ponatinib_failed"]:
            assert q.answer.text == "Ponatinib" and "has activity" in q.answer.why
        if q.answer.text == "Asciminib":
            assert q.case["transplant_ruled_out"] and "ponatinib failed" in q.answer.why
            assert "activity" not in q.answer.why and "the option the summary gives" not in q.answer.why
        # R-bank-fix8-c: each item offers another situation's answer, wrong for this one, so
        # the T315I sentence alone no longer answers it; never asciminib beside ponatinib.
        rival = {"Ponatinib": "allogeneic-sct", "Allogeneic BMT or SCT": "asciminib", "Asciminib": "allogeneic-sct"}
        assert rival[q.answer.text] in q.case["options"], q.case["options"]
        assert not {"ponatinib", "asciminib"} <= set(q.case["options"])
        assert "not among the summary's options" not in " ".join(o.why for o in q.options)
        assert ("asciminib" in q.explanation.lower()) == (q.answer.text == "Asciminib")
        # R-bank-fix8-r2-c: a key that needs a donor, or no cardiovascular disease, says so.
        if q.answer.text == "Allogeneic BMT or SCT":
            assert "willing to donate" in q.vignette, q.vignette
        if q.answer.text == "Ponatinib":
            assert "no cardiovascular disease" in q.vignette, q.vignette
    assert set(keys) == {"Ponatinib", "Allogeneic BMT or SCT", "Asciminib"} and max(keys.values()) <= 0.45 * 300, keys
    assert len(lead_ins) == 1, lead_ins


def test_resistance_histories_never_go_back_to_imatinib_and_transplant_is_not_the_lone_regimen(ctx):
    """S7-B: 'lost response to nilotinib, then imatinib mesylate' is no believable sequence, in
    t315i-options and ponatinib-dose; and after ponatinib "Allogeneic BMT or SCT" was the only
    option that is no single drug."""
    for template_id in ("t315i-options", "ponatinib-dose"):
        for seed in range(200):
            q = TEMPLATES[template_id].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
            history = re.search(r"lost response to (.*?)(?:\.|;| and,)", q.vignette).group(1)
            assert ", then imatinib" not in history, q.vignette
            if template_id == "t315i-options" and q.answer.text == "Allogeneic BMT or SCT":
                assert sum(" " in o.text for o in q.options) >= 2, [o.text for o in q.options]


def test_ponatinib_start_key_is_never_the_highest_dose_and_follow_up_stems_do_not_give_it(ctx):
    """S7-B: options run in ascending order and 45 mg was the highest, so last, in half the start
    items; and 11 of 12 follow-up stems said 'started ponatinib at 45 mg a day', giving away the
    start items' key."""
    start = ctx.content.management.ponatinib.start_mg_daily
    for seed in range(300):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] == "start":
            assert q.key < len(q.options) - 1, [o.text for o in q.options]
        else:
            assert f"{format_number(start)} mg" not in q.vignette, q.vignette


def test_trial_higher_arm_lists_arms_in_no_telling_order_and_quotes_the_summarys_null_words(ctx):
    """S6-C: the winning arm was listed first in the stem in 14 of 15 'better' keys; and the
    explanation's 'it does not show the arms were equal' stood against the summary's own "it
    appears that the efficacy of asciminib is equivalent to those of second-generation TKIs" and
    "For patients with accelerated-phase CML, survival was equivalent". The stem's order no
    longer follows the result, and the explanation's caution grants that the summary calls some
    such results equivalent."""
    first, better_keys = 0, 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = ctx.content.studies[q.case["study"]]
        winner = re.search(r": (.+?) did significantly better", _findings_in(q.answer.text)[0])
        if winner:
            better_keys += 1
            listed = q.vignette.split(" compared ")[1]  # S9-final (T7): one sentence, no list
            first += listed.lower().startswith(winner.group(1).lower())
        for e in study.endpoints:  # R-bank-fix13 (T7): the caution only where such a result is asked
            if e.name not in q.case["endpoints"]:
                continue
            if e.significance == "not-significant" and e.finding and "equivalent" in e.finding.lower():
                assert "equivalent" in q.explanation.lower(), q.explanation
    assert better_keys and first / better_keys < 0.7, (first, better_keys)


def test_tki_discontinuation_asks_of_one_patient_and_every_verdict_is_a_key_about_as_often(ctx):
    """S9-final (major): five patients in a line-up, and 'drop the short courses, pick the
    lowest value' found the key in 20 of 20 items. One patient per item now, and five verdicts as
    options: "Patients who have taken a TKI for more than 3 to 5 years and attained a DMR
    (molecular remission, 4.5; BCR::ABL1 ≤ 0.0032%) are the best candidates to consider stopping
    therapy." and "patients who were in DMR (4 to 4.5 logs) for 5 or more years had a relapse
    rate of approximately 10%." S10-final (defects 1, 2): 'the DMR is not deep enough' was the key
    in 10 of 20 items and a 'Not yet' option in 17 of 20, and the fifth option, an absolute ('no
    patient in DMR can be one while the data are insufficient'), was never keyed. Every option is
    now a key in 13 to 27% of items, so no text (and no 'Not yet') answers more than chance."""
    from collections import Counter

    keys = Counter()
    for seed in range(300):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert "Five patients" not in q.vignette and q.vignette.count("BCR::ABL1") == 1, q.vignette
        assert len({o.text for o in q.options}) == 5 and not any("BCR::ABL1" in o.text for o in q.options)
        assert not any("data are insufficient" in o.text or "no patient" in o.text for o in q.options)
        keys[q.answer.text] += 1
    assert len(keys) == 5 and all(40 <= n <= 80 for n in keys.values()), keys
    not_among = sum(n for k, n in keys.items() if k.startswith("Not among"))
    assert not_among <= 0.65 * 300, keys


def test_tki_discontinuation_keys_in_a_set_of_20_are_even(ctx):
    """S10-final (defect 1): in one set of 20 a student who always picked 'not deep enough' scored
    50%. In every set drawn as a quiz or a review draws it, no key answers more than 5 items."""
    from collections import Counter

    for label in ("review", "lint", "check"):
        bank = list(draw(TEMPLATES["tki-discontinuation"], ctx, 60, label))
        for start in range(0, 60, 20):
            keys = Counter(q.answer.text for q in bank[start : start + 20])
            assert max(keys.values()) <= 5 and len(keys) == 5, keys


def test_tki_discontinuation_times_the_dmr_from_the_values_the_stem_gives(ctx):
    """With a patient short of a DMR among the cases, the stem no longer says 'first fell into a
    deep molecular response'; it gives the fall that began the present response, from a result
    above MR4's level to one at or below it ("greater than 4-log reduction (BCR::ABL1 ≤ 0.01%)
    and is also called MR 4"), so the student reads the time in DMR from the values. A patient
    short of a DMR fell into MMR instead, and stays clear of both levels."""
    dmr = ctx.content.response(ctx.content.responses.deep_molecular_response).max_bcr_abl1_is_pct
    mmr = ctx.content.responses.molecular_responses[0].max_bcr_abl1_is_pct
    for seed in range(300):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        first, before, results = q.case["first_pct"], q.case["before_pct"], q.case["results"]
        assert f"fell from {format_number(before)}% to {format_number(first)}%" in q.vignette, q.vignette
        assert max(results) <= first
        limit = dmr if max(results) <= dmr else mmr
        assert (first <= 0.7001 * limit or first == max(results)) and before >= 1.499 * limit, q.case
        if limit == mmr:
            assert all(1.5 * dmr <= v <= 0.7 * mmr for v in results), q.case
            assert q.answer.text.endswith("an MMR, but not MR4"), q.answer.text


def test_tki_discontinuation_draws_no_patient_at_a_cut_or_where_two_sentences_pull_apart(ctx):
    """S9-final (defect 3): 'BCR::ABL1 0.01%' sat on MR4's limit, where "greater than 4-log
    reduction (BCR::ABL1 ≤ 0.01%)" and "under 4 logs (BCR::ABL1 ≤ 0.01%)" disagree. No year on a
    TKI inside "more than 3 to 5 years" (nor at 3), no DMR of exactly 5 years ("in DMR (4 to 4.5
    logs) for 5 or more years"), every result clear of the MR4.5, MR4 and MR5 limits, all three
    at one level, and no MR4 patient in DMR 5 years or more (the about-10% group would argue for
    them). A DMR held short of 5 years lasts at least 2; it began after a year on a second-generation
    TKI, two on imatinib (R-bank-fix12: items 1 and 20, a DMR within imatinib's first year, when
    "28% for patients who received imatinib" was the rate of MMR at 12 months, is atypical)."""
    stop = ctx.content.management.tki_discontinuation
    cuts = [r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses]
    for seed in range(300):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        years, dmr = q.case["tki_months"] / 12, q.case["dmr_months"] / 12
        assert years < stop.min_years_on_tki or years > stop.upper_years_on_tki, q.case
        after = 24 if q.case["tki"] == "imatinib" else 12  # R-bank-fix12: no DMR in imatinib's first 2 years
        assert dmr != stop.long_dmr_years and q.case["dmr_months"] <= q.case["tki_months"] - after, q.case
        levels = {ctx.rules.molecular_response(v) for v in q.case["results"]}
        assert len(levels) == 1 and levels <= {"MMR", "MR4", "MR4.5"}, q.case
        for value in q.case["results"]:
            assert all(abs(value - cut) > 0.15 * cut for cut in cuts), (value, cuts)
        if levels == {"MR4"}:
            assert dmr < stop.long_dmr_years, q.case
        if years > stop.upper_years_on_tki and dmr < stop.long_dmr_years:
            assert dmr >= 2, q.case


def test_tki_discontinuation_reasons_speak_to_this_patient_and_never_call_a_long_course_short(ctx):
    """S9-final (defect 2): the MR4 patient's reason said 'this patient has also been on the TKI
    no longer than the best candidate here' of 6 years, which is past "more than 3 to 5 years":
    duration read as a second shortfall, by comparison with another patient. Each wrong option's
    reason now names what its claim gets wrong in this patient's own years or results; one that
    blames the time on a TKI for a long course says the time is not what is missing; the key's
    reason gives the years and the results it rests on."""
    for seed in range(200):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        years = q.case["tki_months"] / 12
        results = [f"{format_number(v)}%" for v in q.case["results"]]
        assert q.answer.why.startswith("Right:") and all(r in q.answer.why for r in results), q.answer.why
        assert "no longer than the best candidate" not in q.answer.why
        for option in q.options:
            assert "no longer than the best candidate" not in option.why
            if option is q.answer:
                continue
            assert not option.why.startswith("Right"), option.why
            if option.text.endswith("too short a time") and years > 5:
                assert "is past the whole range" in option.why and "not what is missing" in option.why
            if option.text.endswith(("but not MR4.5", "but not MR4")):
                assert all(r in option.why for r in results), option.why


def test_tki_discontinuation_key_reasons_keep_the_summarys_words(ctx):
    """S10-final (defects 3, 4, 5): the MR4 key's reason said 'past the whole range of 3 to 5
    years', dropping the summary's 'more than'; the short-DMR key's reason ended 'a figure the
    summary gives for them alone', read as the best candidates' rate, when the 10% is of "patients
    who were in DMR (4 to 4.5 logs) for 5 or more years" in "a retrospective analysis"; the
    explanation never said what decides for this patient."""
    for seed in range(200):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for option in q.options:
            if "past the whole range" in option.why:
                assert "past the whole range of more than 3 to 5 years" in option.why, option.why
        assert "for them alone" not in q.answer.why
        if q.answer.text.startswith("Among"):
            assert "(4 to 4.5 logs) of the patients in one retrospective analysis" in q.answer.why
        assert q.explanation.split(". ")[-1].startswith("Here:") or " Here: " in q.explanation, q.explanation


def test_tki_discontinuation_stem_gives_years_on_the_tki_years_in_dmr_and_no_other_reason(ctx):
    """The reader's redesign: one patient, with the years on the TKI, the years in DMR and the
    latest BCR::ABL1 results, and no other reason to stop or to go on (no side effects, the same
    dose). The lead-in asks for an assessment, not the summary's conditions by count (S9-final,
    defect 5: 'meets both conditions the summary gives' named the source and the count)."""
    for seed in range(100):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert "since diagnosis" in q.vignette and "between two tests 3 months apart" in q.vignette, q.vignette
        assert "no side effects" in q.vignette and "the last three results" in q.vignette, q.vignette
        assert "both conditions" not in q.lead_in and "summary" not in q.lead_in, q.lead_in


def test_tki_discontinuation_stem_is_not_one_text_for_every_item(ctx):
    """S6-B: 'The stem is word-for-word the same in all 20 items'; a quiz asking two could not
    draw the second without repeating the first's stem."""
    stems = {TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, "standard").vignette for seed in range(60)}
    assert len(stems) >= 3, stems


def test_ponatinib_dose_offers_no_two_options_that_mean_the_same_and_names_the_failed_tkis(ctx):
    """S6-C: 'Continue 45 mg' and 'Keep 45 mg until MMR, then 15 mg' both meant 45 mg now, so
    both fell together; and no stem gave the history the summary's ponatinib cohorts had: "the
    T315I variant or resistance to two or more prior TKIs"."""
    for seed in range(200):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        keeps = [o.text for o in q.options if o.text.startswith(("Continue 45", "Keep 45"))]
        assert len(keeps) <= 1, keeps
        assert "lost response to" in q.vignette, q.vignette


def test_response_level_undetectable_stems_vary_and_the_explanation_speaks_to_this_value(ctx):
    """S6-B: 'detects no BCR::ABL1, in an assay sensitive to 0.001%' was the same stem in 4 of 20
    items (key MR5), and the explanation was one generic sentence. An undetectable result now
    comes at several sensitivities, and the
    explanation names this patient's value and the level it meets."""
    from collections import Counter

    undetectable = Counter()
    for seed in range(200):
        q = TEMPLATES["response-level"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        shown = format_number(q.case["bcr_abl1_is_pct"])
        assert f"{shown}%" in q.explanation and q.answer.text in q.explanation, q.explanation
        if "detects no BCR::ABL1" in q.vignette:
            undetectable[(q.case["bcr_abl1_is_pct"], q.answer.text)] += 1
    # bank-fix7's read: an MR4 key for a result undetectable at 0.0075% was arguable against
    # "undetectable, which is usually a BCR::ABL1 level of less than or equal to 0.001% (MR 5)",
    # so an undetectable result is keyed MR5 alone, at several sensitivities.
    assert {key for _, key in undetectable} == {"MR5"}, undetectable
    assert max(undetectable.values()) <= 200 * 0.07, undetectable  # was 4 in 20


def test_halving_time_offers_no_value_on_the_cut(ctx):
    """S6-B item 11: 'About 76 days' sat exactly on "did well when the halving time was less than
    76 days", with no reason of its own."""
    limit = ctx.content.responses.halving_time.max_days
    for seed in range(300):
        q = TEMPLATES["halving-time"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert all(abs(number(o.text, r"(\d+)") - limit) > 1 for o in q.options), [o.text for o in q.options]


def test_emr_missed_key_is_read_from_this_patients_halving_time_and_every_option_reads_the_result(ctx):
    """S6-B: 'EMR is missed; the halving time helps judge the outlook' was the key whenever
    BCR::ABL1 was above 10%, so it was learned after one item, and two options were management
    statements beside three response levels. The options now all read the result; a missed EMR
    is keyed by the halving time from diagnosis, under 76 days ("did well when the halving time
    was less than 76 days") or not, and no case sits near that cut."""
    from collections import Counter

    keys = Counter()
    limit = ctx.content.responses.halving_time.max_days
    for seed in range(300):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert not any("change of TKI" in o.text for o in q.options)
        if not ctx.rules.early_molecular_response(q.case["bcr_abl1_is_pct"]):
            days = ctx.rules.halving_time_days(q.case["start_pct"], q.case["bcr_abl1_is_pct"], q.case["days"])
            # S9-final (E3): never within 6% of it; bank-fix17: never within content's margin.
            assert abs(days - limit) >= limit * ctx.content.patients.emr_halving_clear_of_cut_pct / 100, days
            keys[q.answer.text] += 1
            assert f"{round(days)} days" in q.answer.why, q.answer.why
    assert len(keys) == 2 and min(keys.values()) >= 30, keys


def test_milestones_missed_emr_courses_do_not_speed_up_and_rarely_reach_mr4(ctx):
    """S6-B: missed-EMR cases that reached MMR fell 3 to 7 times faster after month 3 than before
    (52% -> 0.46% -> 0.0062%), and 'EMR missed; MR4 or deeper at 1 year' was the commonest key,
    as if most who miss EMR reach a deep response by a year; the summary says only "75% of
    patients do well even with a suboptimal response". A missed EMR that goes on to MMR starts
    near 10% at 3 months, and the deep course is the rarest key."""
    from collections import Counter

    emr = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    keys = Counter()
    for seed in range(400):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        keys[q.answer.text] += 1
        if q.answer.text.startswith("EMR missed") and "not reached" not in q.answer.text:
            assert q.case["at_emr"] <= 2 * emr, q.case
    assert keys["EMR missed; MR4 or deeper at 1 year"] == min(keys.values()), keys
    assert keys["EMR missed; MR4 or deeper at 1 year"] <= 400 * 0.1, keys


def test_emr_3_month_fall_is_one_real_patients_show_and_a_met_emr_sets_the_halving_time_aside(ctx, content):
    """S7-A, item 6: BCR::ABL1 fell from 60% to 0.0057% in 90 days (4 logs, a halving time of 7
    days) and was keyed 'deep molecular response already reached' as an ordinary case; "After 1
    year, the preferred response target is an MMR". No 3-month value now lies more than
    content/patients.yml's emr_most_logs_fallen below the value at diagnosis, none is a deep
    response, and where EMR is met the missed-EMR reasons say the halving time does not apply."""
    logs = content.patients.emr_most_logs_fallen
    dmr = content.response(content.responses.deep_molecular_response).max_bcr_abl1_is_pct
    for seed in range(400):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        value, start = q.case["bcr_abl1_is_pct"], q.case["start_pct"]
        assert math.log10(start / value) <= logs and value > dmr, q.case
        if ctx.rules.early_molecular_response(value):
            assert "the summary speaks of the halving time" in q.explanation, q.explanation


def test_phase_from_blasts_rarely_repeats_a_case_in_twenty_and_its_explanation_states_the_rule(ctx):
    """S7-C: items 3 and 6 were both 8/1/7/2 and 11 and 20 both 10/3/6/3 (blood blasts, blood
    promyelocytes, marrow blasts, marrow promyelocytes); 10% blood blasts were keyed 'accelerated,
    by the blood count' in 5 of 20 items; and the explanation carried a writer's note ('this site
    reads it within each compartment; no case here depends on that reading'). The rule is stated
    as the summary gives it: "less than 10% blasts and promyelocytes in the peripheral blood and
    bone marrow"."""
    from generator.quiz.review import review_items

    fields = ("blood_blasts_pct", "blood_promyelocytes_pct", "marrow_blasts_pct", "marrow_promyelocytes_pct")
    cut = ctx.content.phases.phases[1].min_blasts_pct
    repeats = at_cut = items = 0
    for seed in range(40):
        cases = []
        for q in review_items("phase-from-blasts", ctx, 20, seed):
            assert "this site" not in q.explanation and "depends on that reading" not in q.explanation
            cases.append(tuple(q.case[f] for f in fields))
            counts = (q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
            at_cut += q.answer.text.startswith("Accelerated") and cut in counts
            items += 1
        repeats += len(cases) - len(set(cases))
    assert repeats <= 20, repeats  # about 1 a draw before
    assert at_cut / items <= 0.12, at_cut / items


def test_serial_results_test_the_20_percent_cut_with_the_marrow_the_higher_and_reasons_that_fit(ctx):
    """S6-new-2: blastic items at 40-43% were answered by picking the most severe option, with
    only two items placing a count against 20% ("Blastic-phase CML is characterized by 20% or
    more blasts in the peripheral blood or bone marrow"); blood blasts exceeded the marrow's by
    9-15 points; the overt-failure reason never said whether this patient was in accelerated
    phase ("10% to 19% blasts in either the peripheral blood or bone marrow"); and every short
    reason repeated the key's blast-count clause."""
    cut = ctx.content.phases.phases[2].min_blasts_pct
    accelerated = ctx.content.phases.phases[1].min_blasts_pct
    near = failures = 0
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if not q.case["hematologic_remission_lost"]:
            continue
        failures += 1
        blood, marrow = q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"]
        assert blood < marrow, q.case  # R-bank-fix8-r2-b: never level (24/24 read as machine-made)
        near += abs(marrow - cut) <= 5
        if q.answer.text.startswith("Overt failure, short"):
            named = "blasts in the marrow is accelerated phase" in q.answer.why
            assert named == (marrow >= accelerated), q.answer.why
            assert ("still chronic phase" in q.answer.why) == (marrow < accelerated), q.answer.why
            for option in q.options[: q.key]:
                assert "under 20%" not in option.why and "blast count" not in option.why, option.why
    assert near / failures >= 0.5, near / failures


def test_transplant_relapse_risk_holds_age_alike_and_says_what_early_and_late_mean(ctx):
    """S7-B: ages ran from 25 to 55 and were never addressed, though "The results are better in
    younger patients": the key was the oldest in some highest-risk items (a cue) and the youngest
    in others (a counter-cue). Ages in a question now lie within AGE_SPREAD_YEARS, and the
    explanation says age is not a relapse factor. S6-new-2: the reasons never said what 'early'
    meant; they now give this patient's phase and time from diagnosis, and an accelerated-phase
    transplant is named as such. The conditioning reason claims only what the trial reported
    ("Disease-free survival and OS were comparable between arms")."""
    from generator.quiz.templates.transplant_relapse import AGE_SPREAD_YEARS

    for seed in range(300):
        q = TEMPLATES["transplant-relapse-risk"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        ages = [number(o.text, r"(\d+)-year-old") for o in q.options]
        assert max(ages) - min(ages) <= AGE_SPREAD_YEARS, ages
        assert "Age is not one of the two factors" in q.explanation
        # R-bank-fix8-b: no twins (the same timing, interval, GVHD and regimen, apart from age
        # or sex); "early" rests on the summary's own words, with no apology.
        kinds = [(p["interval"], p["chronic_gvhd"]) for p in q.case["patients"]]
        assert len(set(kinds)) == len(kinds), kinds
        assert "early in the chronic phase" in q.explanation and "dates" not in q.explanation
        for option, patient in zip(q.options, q.case["patients"]):
            (patient,) = [p for p in q.case["patients"] if p["text"] == option.text]
            wanted = {
                "early": "early in the disease (chronic phase,",
                "late-chronic": "later in the disease (chronic phase,",
                "late-accelerated": "later in the disease (accelerated phase,",
            }[patient["timing"]]
            assert wanted in option.why, option.why
            assert "does not change this" not in option.why


def test_trial_higher_arm_lead_in_names_the_endpoints_every_option_speaks_to(ctx):
    """S7-B: 'Which finding does the summary report for this study?' is a true/false lead-in that
    cannot be answered with the options covered. The lead-in now names the two endpoints, and
    every option states a finding for each of them, in the lead-in's order."""
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = ctx.content.studies[q.case["study"]]
        asked = q.case["endpoints"]
        assert all(f'"{name}"' in q.lead_in for name in asked), q.lead_in
        assert "which group did better" in q.lead_in and "significant" in q.lead_in
        for option in q.options:
            assert _endpoints_named(option.text, study) == asked, option.text
            assert (_design_in(option.text) is None) == (len(asked) == 2), option.text


def test_trial_higher_arm_stem_lists_no_arm_that_no_finding_names(ctx):
    """S7-B, items 2, 5, 11, 12, 18, 20: the stem listed ENESTnd's nilotinib 400 mg arm, which no
    option used. Since R-bank-fix13 (T3) ENESTnd's MMR finding is of nilotinib at either dose, so
    the stem lists both nilotinib arms; every other study's stem lists only the groups its
    findings compare."""
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = ctx.content.studies[q.case["study"]]
        compared = {g for e in study.endpoints for g in e.compared}
        if not compared <= {arm.name for arm in study.arms}:
            continue  # a pooled group (or ENESTnd's nilotinib at either dose): every arm is listed
        for arm in study.arms:
            assert arm.name in compared or arm.name.lower() not in q.vignette.lower(), (arm.name, q.vignette)


def test_serial_and_phase_reasons_name_the_definition_a_student_misreads(ctx):
    """R-bank-fix8-b: in FISH-relapse items the overt-failure option's reason said only that the
    hematologic remission holds, never that overt failure is "a loss of hematologic remission or
    progression to accelerated-phase or blast crisis phase CML"; in phase-from-blasts the
    blastic option lured students who add promyelocytes (marrow blasts and promyelocytes of 21-24%)
    and its reason never said that only blasts count there; 'Chronic phase, by both counts' was
    the one option not worded like the others."""
    blastic = ctx.content.phases.phases[2].min_blasts_pct
    for seed in range(200):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.answer.text == "Relapse shown by FISH":
            (overt,) = [o for o in q.options if o.text.startswith("Overt failure, short")]
            assert "Overt treatment failure is loss of hematologic remission" in overt.why
        q = TEMPLATES["phase-from-blasts"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert all(o.text.startswith(("Chronic phase, by the", "Accelerated", "Blastic")) for o in q.options)
        for o in q.options:
            if o.text.startswith("Blastic") and o is not q.answer and "are under" in o.why:
                where = "blood" if "blood" in o.text else "marrow"
                lured = q.case[f"{where}_blasts_pct"] + q.case[f"{where}_promyelocytes_pct"] >= blastic
                assert ("read from blasts alone" in o.why) == lured, o.why  # r2-b: only where it lures


def test_milestones_falls_slow_over_the_year_and_mr4_at_a_year_is_not_on_imatinib(ctx):
    """R-bank-fix8-a: imatinib patients reached 0.003% at 1 year after a steady fall with no
    slowing, though "The rate of MMR at 12 months was 46% for patients who received dasatinib
    and 28% for patients who received imatinib"; the fall now slows
    (more of it by 6 months than after), and MR4 at 1 year is drawn on a newer TKI."""
    slowing = 0
    for seed in range(300):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.answer.text.endswith("MR4 or deeper at 1 year"):
            assert "started imatinib" not in q.vignette, q.vignette
        at_emr, between, at_year = (
            number(q.vignette, pattern)
            for pattern in (r"was ([\d.]+)% at 3 months", r"([\d.]+)% at 6 months", r"([\d.]+)% at 1 year")
        )
        slowing += math.log(at_emr / between) >= math.log(between / at_year)
    assert slowing / 300 >= 0.8, slowing


def test_ponatinib_dose_offers_one_set_of_plans_whatever_the_key(ctx):
    """R-bank-fix8-r2-c: 'Raise to 60' appeared only when the key was 'Continue 45', and 'Lower to
    20' only when it was 'Lower to 15': the option set gave the key away."""
    sets = set()
    for seed in range(200):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "start":
            sets.add(frozenset(o.text for o in q.options))
    assert len(sets) == 1, sets


def test_phase_from_blasts_hard_chronic_cases_are_near_the_cut_by_blasts_not_promyelocytes_alone(ctx):
    """R-bank-fix8-r2-b: three of 20 items were blood 0% blasts / 8% promyelocytes beside marrow
    1% / 8%, tempting no error. A hard chronic-phase case keeps some marrow blasts near the cut."""
    cut = ctx.content.phases.phases[1].min_blasts_pct
    for seed in range(1, 400, 2):  # hard items
        q = TEMPLATES["phase-from-blasts"].make(random.Random(seed), ctx, "hard")
        if q.answer.text.startswith("Chronic"):
            assert q.case["marrow_blasts_pct"] >= cut - 6, q.case


# --- bank-fix7: regression cases from the expert reads S7-A, S7-B and S7-C --------------------------


AGE_IN_STEM = re.compile(r"\b\d+-year-old\b")


def test_first_line_options_always_offer_a_second_bcr_abl1_inhibitor_wrong_for_the_phase(ctx):
    """S7-A: in half the items the key was the only plain BCR::ABL1 inhibitor, so a student who
    knew only that '-tinib' drugs treat CML got it. "Treatment options for chronic-phase chronic
    myeloid leukemia (CML) include: ... (asciminib). ... (nilotinib, dasatinib, bosutinib, or
    imatinib)": every item now offers two single-agent inhibitors, one of them right."""
    for seed in range(200):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        kinds = {t.name.split()[0]: t.kind for t in ctx.content.therapies.values()} | {
            t.name: t.kind for t in ctx.content.therapies.values()
        }
        # Past ponatinib, imatinib at a higher dose is the second (S12-final-bank-A 3).
        inhibitors = [o for o in q.options if kinds.get(o.text) == "tki" or o.text == "Imatinib at a higher dose"]
        assert len(inhibitors) >= 2, [o.text for o in q.options]
        assert "not first-line therapy" not in " ".join(o.why for o in q.options)
        # The second read: no reason rests on a hyperleukocytosis cut the summary does not give,
        # and no count sits just under the one content/patients.yml uses.
        assert not any("short of hyperleukocytosis" in o.why for o in q.options)
        wbc = number(q.vignette, r"white blood cell count of (\d+)")
        assert wbc <= ctx.content.patients.hyperleukocytosis_wbc_10e9_per_l / 2, q.vignette


def test_response_level_undetectable_results_are_read_at_the_deepest_level_from_no_literal(ctx):
    """S7-A: 'A result undetectable at 0.005% is above 0.0032%, so not MR4.5' is false; and the
    next read found an MR4 key for an undetectable result arguable against "undetectable, which
    is usually a BCR::ABL1 level of less than or equal to 0.001% (MR 5)". An undetectable result
    is now drawn only in an assay sensitive to the MR5 level or beyond, keyed MR5, its
    explanation saying why; the sensitivities were literals in code and are now read from the
    content's cut points."""
    import ast

    deepest = ctx.content.responses.molecular_responses[-1]
    seen = set()
    for seed in range(300):
        q = TEMPLATES["response-level"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if "detects no BCR::ABL1" in q.vignette:
            seen.add(q.case["bcr_abl1_is_pct"])
            assert q.answer.text == deepest.id, (q.vignette, q.answer.text)
            assert "counts as at or below the assay's sensitivity" in q.explanation, q.explanation
        elif q.answer.text == "No MMR":  # the second read: a value under 10% meets EMR's threshold
            assert "does not reach MMR or any deeper level" in q.explanation, q.explanation
            for option in q.options:
                assert not re.search(r"undetectable at [\d.]+% is above", option.why), option.why
    assert deepest.max_bcr_abl1_is_pct in seen and len(seen) >= 3, seen
    source = (Path(__file__).resolve().parent.parent / "generator/quiz/templates/monitoring.py").read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in ("response_level", "_undetectable_at"):
            floats = [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, float)]
            assert not [f for f in floats if 0 < f < 0.1], (node.name, floats)
        if isinstance(node, ast.Assign) and any("UNDETECTABLE_AT" in ast.unparse(t) for t in node.targets):
            raise AssertionError(f"a literal sensitivity table: {ast.unparse(node)}")


def test_tki_discontinuation_explanation_gives_the_relapse_rate_to_the_reports_not_the_best_candidates(ctx):
    """S7-A: 'about 50% still relapse' attached to the best candidates the figure of "50% of
    patients will experience a relapse of their disease if they discontinue TKI therapy", said of
    the nonrandomized reports on patients who obtain a DMR (the next read: not of 'all who stop');
    and "Follow-up (i.e., at least every 3 months initially ...) is required"."""
    for seed in range(20):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, "standard")
        assert "still relapse" not in q.explanation, q.explanation
        assert "In these reports about 50% of patients who stopped relapsed" in q.explanation, q.explanation
        assert "every 3 months initially" in q.explanation and "same clinic visit" not in q.vignette


def test_transplant_blastic_key_states_the_condition_and_no_reason_ranks_after_imatinib(ctx):
    """S7-C: "Allogeneic SCT is the preferred choice for certain patients presenting with
    blastic-phase disease"; in blastic phase "Allogeneic BMT or SCT should be considered when
    feasible, depending on response and durability of response". The key once dropped 'certain'
    ('Patients who present in blastic phase'); it now states the summary's condition, with no
    direction the summary does not give ('whose disease responds durably' chose one). The
    early-BMT reason no longer calls the age 'a guide, not a hard cut', which the summary never
    says and which made the fit 65-year-olds with a donor arguable.
    The imatinib-failure reason said 'Another TKI comes first', where the summary lists TKIs,
    higher doses of imatinib and SCT as "studied in this setting" without ranking them."""
    from generator.quiz.lint import key_not_alone_hedged

    blastic = 0
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        assert list(key_not_alone_hedged(q)) == []
        if "blastic" in q.answer.text:
            blastic += 1
            # S8-bank-A-2 X4: the condition in the key made it the longest, hedged option; it
            # now sits in the key's reason, with the summary's "certain".
            assert "depending on the response" in q.answer.why and "certain patients" in q.answer.why
        assert not any("comes first after imatinib" in o.why for o in q.options)
        assert "not a hard cut" not in q.explanation and not any("well past" in o.why for o in q.options)
    assert blastic >= 10, blastic


def test_transplant_preferred_key_is_no_length_outlier_and_not_one_fixed_string(ctx):
    """S8-bank-A-2 X4 and X5: in every "preferred" item the key was the length outlier (the
    hedged blastic key the longest, the bare T315I and intolerance keys the shortest), so a
    student picking it scored 11 of 11; and three fixed key strings could be memorised. Over
    many items the key is the longest or the shortest option no more often than chance allows,
    no place in the order of lengths holds it in more than a third of items, and each situation
    the summary names is keyed in more than one wording."""
    ranks = [0] * 5
    longest = shortest = n = 0
    wordings = {}
    for seed in range(600):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        if q.case["ask"] != "preferred":
            continue
        n += 1
        lengths = [len(o.text) for o in q.options]
        key = lengths[q.key]
        longest += key == max(lengths)
        shortest += key == min(lengths)
        ranks[sorted(lengths).index(key)] += 1
        wordings.setdefault(q.case["patients"][0]["indication"], set()).add(q.answer.text)
    assert longest <= 0.3 * n and shortest <= 0.33 * n, (longest, shortest, n)
    assert max(ranks) <= n / 3, ranks
    assert all(len(texts) >= 2 for texts in wordings.values()), wordings


def test_transplant_reasons_claim_no_more_than_the_summary(ctx):
    """S8-bank-A-2 X1: 'in a prospective trial, survival still favoured drug treatment over early
    transplant' stated as TKI-era evidence: the trial's drug arm "received interferon-based
    therapy and imatinib at relapse", and "most of the benefit was early from transplant-related
    mortality, with the survival curves converging by 8 years". X2: 'there is no transplant to
    consider' for a young patient with no matched donor, where the summary says only that some
    patients are not eligible because of "lack of a suitable donor". X6: 'in early chronic
    phase' in every option is said once, in the stem, and the key's reason names its patient."""
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, "standard")
        if q.case["ask"] != "early":
            continue
        assert "interferon-based" in q.explanation and "converged by 8 years" in q.explanation
        assert "still favoured drug treatment over early transplant" not in q.explanation
        assert not any("no transplant to consider" in o.why for o in q.options)
        assert "early chronic phase" in q.vignette and not any("chronic phase" in o.text for o in q.options)
        # R-bank-fix9-b: an identical twin's graft is syngeneic, not allogeneic.
        assert "allogeneic" not in q.vignette + q.lead_in, q.lead_in
        age = q.case["patients"][0]["age"]
        assert q.answer.why.startswith(f"At {age} years"), q.answer.why


def test_hydroxyurea_start_key_takes_each_place_about_equally(ctx):
    """S7-C, items 11, 15, 17: "A dose of 40 mg/kg per day is often used initially" was keyed
    lowest of five doses in order; kept off both ends, the next read found 'drop A and E' a
    cue. The key's place among the ordered doses is spread evenly over A to E."""
    places = {letter: 0 for letter in range(5)}
    for seed in range(600):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] == "start":
            doses = [number(o.text.replace(",", ""), r"([\d.]+) mg") for o in q.options]
            assert doses == sorted(doses), doses
            places[q.key] += 1
    total = sum(places.values())
    assert all(0.12 <= n / total <= 0.28 for n in places.values()), places


def test_hydroxyurea_start_doses_are_alike_in_roundness_so_none_marks_the_key(ctx):
    """S8-bank-A and S8-bank-A-2: the key (40 mg/kg × a weight in 5-kg steps) was always a multiple
    of 200 mg while 25, 35, 45 or 55 mg/kg gave doses such as 4725 or 3375 mg, so the key was the
    only round middle option (and such doses cannot be given). Every option is now a multiple of
    100 mg, and over many items picking the one option divisible by a rounder figure (200, 500,
    1000 mg) finds the key no more often than chance allows."""
    hits = {d: 0 for d in (200, 500, 1000)}
    applies = {d: 0 for d in hits}
    for seed in range(800):
        q = TEMPLATES["hydroxyurea-dosing"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "start":
            continue
        doses = [number(o.text, r"^(\d+) mg") for o in q.options]
        assert all(d % 100 == 0 for d in doses), doses
        for d in hits:
            round_ones = [i for i, dose in enumerate(doses) if dose % d == 0]
            if len(round_ones) == 1:
                applies[d] += 1
                hits[d] += round_ones == [q.key]
    for d in hits:
        assert applies[d] >= 20 and hits[d] <= 0.35 * applies[d], (d, hits, applies)


def test_prognostic_score_keys_clear_the_cut_offs_and_patients_are_not_thrombocytopenic(ctx, content):
    """S7-C: an ELTS of 1.5597 keyed low beside the 1.5680 cut; the next read: Hasford 1527 where
    blasts of 6% for 7% give 1469 (no input off by its counting error moves the group now), and
    blood blasts of 9% in chronic phase;
    'ELTS 1.57, intermediate' unplaceable at two decimals; 520 beside 522; chronic-phase patients
    with platelets of 100 and 130 x 10^9/L, which the summary ties to accelerated phase."""
    from generator.quiz.templates.first_line import _score_value

    least = content.patients.ph_negative_at_diagnosis.platelets_10e9_per_l.low  # counts that read as CML
    accelerated = content.phases.phases[1].min_blasts_pct
    for seed in range(300):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        case, score = q.case, q.case["score"]
        assert case["platelets"] >= least, case
        group = ctx.rules.score_risk(score, _score_value(score, case, ctx))
        for name, off in content.patients.score_input_uncertainty.items():
            for value in (case[name] - off, case[name] + off):
                if value >= 0:
                    moved = ctx.rules.score_risk(score, _score_value(score, case | {name: value}, ctx))
                    assert moved == group, (case, name, value)
        assert case["blasts_pct"] <= accelerated / 2, case  # room for promyelocytes under 10%
        assert "The terms are" in q.answer.why and "(spleen)" in q.answer.why, q.answer.why  # the working
        assert not {"age-only-exponentiated", "age-to-the-fourth"} & set(case["slips"]), case  # unreal slips
        shown = sorted(float(o.text.split(",")[0]) for o in q.options)
        assert all(b - a > 0.03 * b for a, b in zip(shown, shown[1:])), shown
        cuts = [g.upper for g in getattr(content.scores, score).groups if g.upper is not None]
        digits = len(q.options[0].text.split(",")[0].partition(".")[2])
        assert not any(round(v, digits) == round(c, digits) for v in shown for c in cuts), (shown, cuts)


# --- advanced-plan: the plan for a patient presenting in accelerated or blastic phase -----------------

TKI_WHEN_FEASIBLE = "Start a TKI and proceed to allogeneic SCT when feasible"
TKI_FOR_POOR_RESPONSE = "Start a TKI and reserve allogeneic SCT for a poor response"
HYPER_CVAD_WHEN_FEASIBLE = "Start hyper-CVAD with dasatinib and proceed to allogeneic SCT when feasible"


def advanced_plan(option, case, ctx):
    phase = ctx.rules.phase(case["blood_blasts_pct"], case["marrow_blasts_pct"])
    if phase == "accelerated":
        # "Accelerated-phase  CML is characterized by 10% to 19% blasts in either the peripheral
        # blood or bone marrow." "Induction of remission using a TKI and consideration of an
        # allogeneic SCT for patients with poor responses, when feasible, is a standard approach
        # for patients with accelerated-phase CML." R-blastic: the same cohort found "The overall
        # survival rate was improved using allogeneic SCT for the Sokal high-risk patients", so
        # every accelerated-phase patient here is Sokal low or intermediate risk: "For Sokal low-
        # and intermediate-risk patients, there were no survival differences between the two
        # first-line approaches."
        assert case["lineage"] == "myeloid"  # lymphoid blasts below 20%: a grey zone (S6-A), never drawn
        sokal = ctx.rules.sokal(case["age"], case["spleen_cm"], case["platelets"], case["blood_blasts_pct"])
        assert sokal.risk in ("low", "intermediate"), (case, sokal)
        return option == TKI_FOR_POOR_RESPONSE
    assert phase == "blastic", case
    # "Blastic-phase  CML is characterized by 20% or more blasts in the peripheral blood or bone
    # marrow."
    if case["lineage"] == "lymphoid":
        # "Patients with lymphoid blastic-phase CML (as opposed to the more common myeloid blastic
        # phase) have been given the same therapy as patients with Ph chromosome–positive ALL. In
        # a phase II trial, 23 patients with lymphoid blastic-phase CML received hyper-CVAD
        # (hyperfractionated cyclophosphamide, vincristine, doxorubicin, and dexamethasone) and
        # dasatinib. The major molecular response rate was 70%, and most patients were referred
        # for allogeneic SCT."
        return option == HYPER_CVAD_WHEN_FEASIBLE
    # "Bosutinib, imatinib mesylate, dasatinib, and nilotinib have demonstrated activity in
    # patients with myeloid blast crisis" ... "Allogeneic BMT or SCT should be considered when
    # feasible, depending on response and durability of response." "Allogeneic SCT is the
    # preferred choice for certain patients presenting with blastic-phase disease"
    return option == TKI_WHEN_FEASIBLE


RIGHT["advanced-plan"] = advanced_plan

LYMPHOID_MARKERS, MYELOID_MARKERS = {"CD19", "CD10", "CD22", "CD79a"}, {"myeloperoxidase", "CD13", "CD117"}


def _advanced_plan_items(ctx, count=300):
    return [TEMPLATES["advanced-plan"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2]) for seed in range(count)]


def test_advanced_plan_varies_its_key_with_the_case_and_no_key_answers_most_items(ctx):
    """Three plans, one for each case (accelerated phase, myeloid and lymphoid blastic phase),
    each the key about a third of the time: the words of no one answer can be memorised."""
    from collections import Counter

    keys = Counter(q.answer.text for q in _advanced_plan_items(ctx))
    assert set(keys) == {TKI_WHEN_FEASIBLE, TKI_FOR_POOR_RESPONSE, HYPER_CVAD_WHEN_FEASIBLE}, keys
    assert max(keys.values()) <= 300 * 0.45 and min(keys.values()) >= 300 * 0.22, keys


def test_advanced_plan_stems_differ_only_in_the_values_and_never_name_the_lineage(ctx):
    """R2 on advanced-approach: a Sokal line only in accelerated-phase stems gave the phase away.
    Every stem has the same sentences; only the age, sex, counts, spleen and markers change, and
    the stem never names the lineage (the markers are the student's to read)."""
    shapes = set()
    for q in _advanced_plan_items(ctx):
        stem = re.sub(r"\d+(\.\d+)?", "N", q.vignette)
        stem = (
            re.sub(r"^An? N-year-old (man|woman)", "WHO", stem).replace("She ", "PRONOUN ").replace("He ", "PRONOUN ")
        )
        stem = re.sub(r"express [^.]+\.", "express MARKERS.", stem)
        stem = stem.replace("the spleen is not palpable", "the spleen is palpable N cm below the costal margin")
        stem = re.sub(r"group is (low|intermediate|high)\.", "group is GROUP.", stem)
        stem = re.sub(r" The recent history includes [^.]+\.", "", stem)
        shapes.add(stem)
        assert "lymphoid" not in q.vignette.lower() and "myeloid" not in q.vignette.lower(), q.vignette
    assert len(shapes) == 1, shapes


def test_advanced_plan_markers_read_as_the_lineage_and_lymphoid_blasts_only_in_blastic_phase(ctx):
    """S6-A: a B-lymphoid marrow under 20% blasts is a lymphoid blast phase to a hematologist, a
    grey zone the summary does not decide: lymphoid blasts are drawn only at 20% or more. The
    markers name one lineage: B-lymphoid markers and no myeloperoxidase, or the reverse."""
    for q in _advanced_plan_items(ctx):
        markers = set(re.search(r"express ([^.]+)\.", q.vignette).group(1).replace(" and ", ", ").split(", "))
        lymphoid = q.case["lineage"] == "lymphoid"
        assert bool(markers & LYMPHOID_MARKERS) == lymphoid and bool(markers & MYELOID_MARKERS) != lymphoid, markers
        if lymphoid:
            assert max(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"]) >= 20, q.case


def test_advanced_plan_accelerated_phase_is_sokal_low_or_intermediate_with_few_blood_blasts(ctx, content):
    """R-blastic, items 1, 2, 3, 8, 17, 18, 20: blood blasts of 10% to 17% made every
    accelerated-phase patient Sokal high risk, for whom the summary's cohort found "The overall
    survival rate was improved using allogeneic SCT for the Sokal high-risk patients", so the
    key 'SCT for a poor response' was arguable; R-blastic-r2 and r3: a score the stem hid, and
    1.16 and 1.02 within a count of the 1.2 cut. Accelerated phase is placed by the marrow, the
    blood holds few blasts, every stem states the Sokal score and group its values give, and in
    accelerated phase the score is at most 1.0: "For Sokal low- and intermediate-risk patients,
    there were no survival differences between the two first-line approaches." No WBC count comes
    near hyperleukocytosis (hydroxyurea's indication, R-blastic-r2: 86 to 97 read as a grey zone)."""
    for q in _advanced_plan_items(ctx):
        assert q.case["wbc"] <= 80, q.vignette
        sokal = ctx.rules.sokal(q.case["age"], q.case["spleen_cm"], q.case["platelets"], q.case["blood_blasts_pct"])
        assert f"the Sokal risk group is {sokal.risk}." in q.vignette, (q.vignette, sokal)
        assert sokal.shown not in q.vignette  # R-blastic-r4: no raw score (251.88 in blast crisis)
        if ctx.rules.phase(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"]) != "accelerated":
            continue
        assert q.case["blood_blasts_pct"] <= 5 and q.case["marrow_blasts_pct"] >= 10, q.case
        assert sokal.score <= 1.05, (q.case, sokal)
        assert f"Sokal score of {sokal.shown}, {sokal.risk} risk" in q.explanation, q.explanation


def test_advanced_plan_offers_one_fixed_set_of_plans_whatever_the_case(ctx):
    """R-blastic-r3: each case's own option set gave its key in 20 of 20 items (a rule that never
    read the stem). Every item offers the same five plans, a TKI or hyper-CVAD with dasatinib each
    with allogeneic SCT when feasible or reserved for a poor response, and hydroxyurea; nothing a
    hematologist would defend in one case is offered as wrong in it: no AML-type induction
    (defensible beside a TKI in myeloid blastic phase), no transplant at once (the summary prefers
    SCT for "certain patients presenting with blastic-phase disease"), and in accelerated phase
    only Sokal low- and intermediate-risk patients, for whom a TKI then SCT when feasible gained
    no survival. S8-blastic-7, defect 3: hydroxyurea's timing, drawn at random, matched the key's
    in 14 of 20 items, so the key's timing stood in three options against two; hydroxyurea's plan
    now names neither, and each timing is in exactly two options."""
    fixed = {TKI_WHEN_FEASIBLE, TKI_FOR_POOR_RESPONSE, HYPER_CVAD_WHEN_FEASIBLE}
    fixed.add("Start hyper-CVAD with dasatinib and reserve allogeneic SCT for a poor response")
    fixed.add("Start hydroxyurea and decide on allogeneic SCT once the count is controlled")
    for q in _advanced_plan_items(ctx):
        texts = [o.text for o in q.options]
        assert set(texts) == fixed, texts
        for timing in ("proceed to allogeneic SCT when feasible", "reserve allogeneic SCT for a poor response"):
            assert sum(timing in text for text in texts) == 2, texts
        for text in texts:
            assert not re.search(r"AML|at once|immediate|once a response is reached", text), text


def test_advanced_plan_sokal_group_and_signs_do_not_mark_the_phase(ctx):
    """R-blastic-r4: 'intermediate' in every accelerated stem and 'high' in every blastic one let
    Sokal and lineage give the key without a blast count. Myeloid blastic cases are drawn below
    high risk about as often as high, and the summary's signs of transition appear in some stems
    of each phase, in none of them always."""
    from collections import Counter

    groups, signs = Counter(), Counter()
    for q in _advanced_plan_items(ctx):
        phase = ctx.rules.phase(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        group = re.search(r"Sokal risk group is (\w+)", q.vignette).group(1)
        if q.case["lineage"] == "myeloid":
            groups[phase, group == "high"] += 1
        signs[phase, "recent history" in q.vignette] += 1
    assert groups["blastic", False] >= 0.3 * (groups["blastic", False] + groups["blastic", True]), groups
    assert groups["accelerated", True] == 0, groups
    for phase in ("accelerated", "blastic"):
        assert signs[phase, True] and signs[phase, False], signs


def test_advanced_plan_reasons_say_what_the_summary_says_and_name_this_patients_values(ctx):
    """R-blastic: "most patients were referred for allogeneic SCT", not 'went on to'; hydroxyurea
    rests on "used primarily to stabilize patients with hyperleukocytosis or as palliative
    therapy", not on Table 1 (which would rule out hyper-CVAD too), and calls no count short of
    hyperleukocytosis (R-blastic-r2); no "fared best" without "selection bias"; 'after any
    response' is not the summary's. Each reason names this patient's deciding count, and the level
    printed is the key's: C3 for hyper-CVAD with dasatinib (a phase II trial of 23 patients), C1
    otherwise."""
    for q in _advanced_plan_items(ctx, 100):
        higher = max(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        for option in q.options:
            text = option.why + " " + q.explanation
            assert "went on to" not in text and "options in accelerated and blastic phase are" not in text, text
            assert "fared best" not in text and "any response" not in text and "is not)" not in text, text
            if "hydroxyurea" not in option.text:
                assert f"{format_number(higher)}%" in option.why, (option.text, option.why)
        assert "referred for allogeneic SCT" in q.explanation
        assert f"{format_number(higher)}%" in q.explanation
        assert q.evidence == ("C3" if q.case["lineage"] == "lymphoid" else "C1"), q.evidence


def test_advanced_plan_stems_read_as_cml_with_signs_that_overlap_and_no_score_by_a_cut(ctx):
    """R-blastic-r5: 'progressive splenomegaly' beside a 1 cm spleen; signs disjoint by phase; no
    hemoglobin and no left-shifted film, so some cases read as acute leukemia; a Sokal score of
    1.19; the 20% cut drawn as clear where other systems put it higher. Every stem gives a
    hemoglobin and a film with basophils; a growing spleen only beside a large one; fever in some
    accelerated stems and accelerated-phase signs in some blastic ones (the blast-crisis signs come
    "in addition to the accelerated-phase CML symptoms"); no score within 0.05 of a cut; the
    explanation says the item follows the summary's definition."""
    from collections import Counter

    seen = Counter()
    for q in _advanced_plan_items(ctx):
        phase = ctx.rules.phase(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        assert "hemoglobin" in q.vignette and "basophils" in q.vignette, q.vignette
        if "grown over recent months" in q.vignette:
            assert q.case["spleen_cm"] >= 8, q.vignette
        for sign in ("grown over recent months", "anemia", "fever"):
            seen[phase, sign] += sign in q.vignette
        score = ctx.rules.sokal(q.case["age"], q.case["spleen_cm"], q.case["platelets"], q.case["blood_blasts_pct"])
        assert abs(score.score - 0.8) >= 0.05 and abs(score.score - 1.2) >= 0.05, score
        assert "follows the summary's definitions" in q.explanation
    assert all(seen[phase, sign] for phase in ("accelerated", "blastic") for sign in ("anemia", "fever")), seen
    assert seen["blastic", "grown over recent months"], seen


def test_advanced_plan_draws_thrombocytopenia_alike_in_accelerated_and_myeloid_blastic_phase(ctx):
    """S8-blastic-6, defect 1: platelets below 100 in 3 of 5 myeloid blastic items but 1 of 9
    accelerated ones, so 'platelets below 100 → proceed' scored. The summary gives thrombocytopenia
    in accelerated phase too ("The patient experiences increased anemia, thrombocytopenia"): among
    myeloid cases, low platelets come about as often in either phase."""
    from collections import Counter

    low, total = Counter(), Counter()
    for q in _advanced_plan_items(ctx, 600):
        if q.case["lineage"] != "myeloid":
            continue
        phase = ctx.rules.phase(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        total[phase] += 1
        low[phase] += q.case["platelets"] < 100
    rates = {phase: low[phase] / total[phase] for phase in total}
    assert abs(rates["accelerated"] - rates["blastic"]) <= 0.08 and min(rates.values()) >= 0.2, rates


def test_advanced_plan_near_cut_myeloid_blastic_cases_are_placed_by_the_marrow_below_sokal_high(ctx):
    """S8-blastic-6, defect 1 (items 12, 17): at Sokal high risk a student who took a myeloid
    blastic case for accelerated phase still picks 'proceed' (the cohort's survival gain), so such
    an item does not test the 20% cut. Every myeloid blastic case whose higher count sits next to
    the cut is placed by the marrow, with 6% blasts or fewer in the blood and a Sokal group below
    high."""
    for q in _advanced_plan_items(ctx, 600):
        blood, marrow = q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"]
        if q.case["lineage"] != "myeloid" or ctx.rules.phase(blood, marrow) != "blastic" or max(blood, marrow) > 22:
            continue
        sokal = ctx.rules.sokal(q.case["age"], q.case["spleen_cm"], q.case["platelets"], blood)
        assert marrow >= 20 and blood <= 6 and sokal.risk != "high", (q.case, sokal)


def test_advanced_plan_lymphoid_reason_against_a_tki_alone_uses_fitness_for_intensive_treatment(ctx):
    """S8-blastic-6, defect 2: the reason against 'a TKI and proceed to SCT when feasible' in
    lymphoid blastic phase never said why this patient takes the ALL-type therapy instead: he or
    she is fit for intensive treatment, and a TKI alone leaves out the induction."""
    for q in _advanced_plan_items(ctx, 100):
        if q.case["lineage"] != "lymphoid":
            continue
        (option,) = [o for o in q.options if o.text == TKI_WHEN_FEASIBLE]
        assert "fit for intensive treatment" in option.why and "TKI alone" in option.why, option.why


def test_advanced_plan_blood_above_marrow_is_rare_and_comes_with_a_palpable_spleen(ctx):
    """S8-blastic-6, defect 3 (item 17): 27% blasts in the blood beside 18% in the marrow with no
    palpable spleen read oddly. More blasts in the blood than in the marrow is drawn in few cases,
    always with a spleen of 5 cm or more."""
    items = _advanced_plan_items(ctx, 600)
    above = [q for q in items if q.case["blood_blasts_pct"] > q.case["marrow_blasts_pct"]]
    # S8-blastic-7, item 18: 'the higher blast count, 21% in the marrow' with 21% in both.
    assert all(q.case["blood_blasts_pct"] != q.case["marrow_blasts_pct"] for q in items)
    assert above and len(above) <= 0.12 * len(items), len(above)
    for q in above:
        assert q.case["spleen_cm"] >= 5, q.case


def test_advanced_plan_signs_of_transition_lean_to_neither_phase(ctx):
    """S8-blastic-7, defect 2: the S8-blastic-6 mend overshot, and fever sat in 4 of 6 accelerated
    stems against 1 of 6 myeloid blastic ones (fever was a third of the accelerated signs and a
    fifth of the blastic ones). The summary lists fever among the signs of accelerated phase and of
    blast crisis alike; among myeloid cases, fever, and any sign at all, come about as often in
    either phase, and platelets below 100 too (S8-blastic-6)."""
    from collections import Counter

    seen, total = Counter(), Counter()
    for q in _advanced_plan_items(ctx, 1200):
        if q.case["lineage"] != "myeloid":
            continue
        phase = ctx.rules.phase(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        total[phase] += 1
        seen[phase, "fever"] += "history includes fever" in q.vignette
        # the blast-crisis signs (bone pain, a painful spleen) only where the count is well past
        # 20% and already says blastic phase (R-bank-fix11)
        crisis = "bone pain" in q.vignette or "painful, enlarging" in q.vignette
        seen[phase, "a sign"] += "The recent history includes" in q.vignette and not crisis
        seen[phase, "platelets"] += q.case["platelets"] < 100
    for what in ("fever", "a sign", "platelets"):
        rates = {phase: seen[phase, what] / total[phase] for phase in total}
        assert abs(rates["accelerated"] - rates["blastic"]) <= 0.06, (what, rates)


def test_advanced_plan_a_spleen_sign_needs_a_large_spleen_and_a_packed_marrow_comes_with_anemia(ctx):
    """S8-blastic-7, defect 1 (item 3): 'a painful, enlarging spleen' beside a spleen palpable 1 cm
    below the costal margin, the R-blastic-r5 flaw back by the blast-crisis sign; and 83% marrow
    blasts beside a hemoglobin of 12.4 g/dL. Every spleen sign comes with a spleen of 8 cm or more,
    and a marrow of 60% blasts or more with a hemoglobin below 9.5 g/dL."""
    from generator.quiz.templates.advanced import LARGE_SPLEEN_CM

    signs = 0
    for q in _advanced_plan_items(ctx, 1200):
        if "painful, enlarging spleen" in q.vignette or "grown over recent months" in q.vignette:
            signs += 1
            assert q.case["spleen_cm"] >= LARGE_SPLEEN_CM, q.vignette
        if q.case["marrow_blasts_pct"] >= ctx.content.patients.advanced_plan.packed_marrow_blasts_pct:
            assert q.case["hb"] < 9.5, q.vignette
    assert signs, "no spleen sign drawn"


def test_advanced_plan_lymphoid_reason_claims_no_comparison_the_trial_did_not_make(ctx):
    """S8-blastic-7, defect 4: 'that induction with dasatinib is the better plan' claims a
    comparison; the summary's evidence is one phase II trial of 23 patients: "The major molecular
    response rate was 70%, and most patients were referred for allogeneic SCT." """
    for q in _advanced_plan_items(ctx, 60):
        for option in q.options:
            assert "better plan" not in option.why, option.why


def test_advanced_plan_drawing_numbers_are_read_from_patients_yml(scratch):
    """The draw shares for thrombocytopenia and signs, and the Sokal margin, live in
    content/patients.yml (advanced_plan), validated like the other drawing numbers: with no share
    for low platelets no stem has them, and a share above 100 is refused at load."""
    from generator.content import load_content
    from generator.errors import ContentError
    from generator.rules import Rules

    scratch.edit(
        "patients.yml",
        "low_platelets_share_pct: {accelerated: 40, blastic: 35}",
        "low_platelets_share_pct: {accelerated: 0, blastic: 0}",
    )
    content = load_content(scratch.root)
    ctx = Context(content, Rules(content))
    assert all(q.case["platelets"] >= 100 for q in _advanced_plan_items(ctx, 60))
    scratch.edit("patients.yml", "{fever: 15,", "{fever: 150,")
    with pytest.raises(ContentError, match=r"patients.yml:\d+ .*sign_share_pct"):
        load_content(scratch.root)


def test_ponatinib_dose_reasons_fit_the_response_and_values_sit_on_both_sides_of_it(ctx):
    """S8-bank-final, defect 1: after a response the 'Raise to 60 mg' reason said 'the optimal plan
    keeps 45 mg once daily until it reaches ≤ 1%', against the key: "The optimal dose was found to
    be an initial 45 mg dose given once daily, then lowered to 15 mg upon achievement of a response
    (≤1% BCR::ABL1)." Defect 5: 'Lower to 15 mg' keyed in 8 of 9 dose-change items, one value above
    1%: each key holds about half the dose-change items, and values near 1% are drawn on both
    sides of it (within 1.6-fold above, and 0.6-fold below), so only the value decides."""
    from collections import Counter

    level = ctx.content.management.ponatinib.response_bcr_abl1_is_pct
    keys, near = Counter(), Counter()
    for seed in range(400):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        value = q.case["bcr_abl1_is_pct"]
        if value is None:
            continue
        keys[q.answer.text] += 1
        near["above" if value > level else "below"] += level * 0.6 <= value <= level * 1.6
        (raise_,) = [o for o in q.options if o.text.startswith("Raise")]
        if value <= level:
            assert "response is reached" in raise_.why and "lowered to 15 mg" in raise_.why, raise_.why
            assert "keeps" not in raise_.why, raise_.why
        else:
            assert "keeps 45 mg" in raise_.why, raise_.why
    total = sum(keys.values())
    assert max(keys.values()) <= 0.6 * total, keys
    assert min(near.values()) >= 0.15 * total, near


def test_t315i_options_asciminib_reason_keeps_its_two_trials_apart_and_no_option_or_stem_tells_the_key(ctx):
    """S8-bank-final, defect 3: the asciminib reason ran two trials together, as if the phase I
    trial reported the responses after ponatinib ("Patients with a T315I variant and those in whom
    ponatinib failed were included"); they come from the phase II trial: "Three of nine patients
    with disease that failed to respond to previous ponatinib responded to asciminib." R-bank-fix11
    (reader b): 'the one option with responses reported in such patients' said more (none is
    reported with T315I); the fifth option told the key (hyper-CVAD only beside transplant keys,
    interferon alfa or busulfan beside asciminib, hydroxyurea, 'only' palliative by an earlier
    defect, beside ponatinib); a donor named only in transplant-keyed stems; and the stem's
    'severe heart failure rules out a transplant' crossed the option out. The fifth option is the
    same in every item, a donor is named whether or not transplant is the key, and the stem gives
    the finding ("comorbid conditions, or lack of a suitable donor"), the reason the verdict."""
    seen = set()
    for seed in range(200):
        q = TEMPLATES["t315i-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert "Hyper-CVAD with dasatinib" in [o.text for o in q.options]
        assert not {"hydroxyurea", "interferon-alfa", "busulfan"} & set(q.case["options"]), q.case["options"]
        assert "rules out" not in q.vignette, q.vignette
        if not q.case["ponatinib_failed"]:
            seen.add("donor before ponatinib")
            assert "HLA-matched sibling willing to donate" in q.vignette, q.vignette
        for option in q.options:
            why = option.why
            if "responded" in why and "asciminib" in (option.text + why).lower():
                seen.add("asciminib")
                assert "n a phase II trial 3 of 9 patients whose disease had failed ponatinib" in why, why
                assert "such patients" not in why, why
        if q.case["transplant_ruled_out"]:
            assert "phase II trial 3 of 9 patients" in q.explanation, q.explanation
    assert seen == {"asciminib", "donor before ponatinib"}, seen


def test_serial_results_rising_series_climb_at_rates_from_slow_to_fast(ctx):
    """S8-bank-B-2 and S8-bank-final: every rising series climbed at about one rate (2.1 to 2.8
    times a test on RT-PCR alone), two items near-copies. "A consistently rising quantitative
    RT-PCR BCR::ABL1 level suggests relapsed disease": consistently, not at a set pace. Each
    series has its own rate, from a slow, steady rise (under 1.9 times a test) to a fast one (over
    2.8), in the RT-PCR-only items and across the others."""
    from collections import defaultdict

    rates = defaultdict(list)
    for seed in range(400):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        series = q.case["bcr_abl1_series"]
        if q.answer.text.endswith("the remission continues"):
            continue
        rate = (series[-1] / series[0]) ** (1 / (len(series) - 1))
        rates[q.answer.text].append(rate)
    for stage, values in rates.items():
        if stage in ("Relapse suspected on RT-PCR", "Relapse shown by FISH"):
            slow = sum(r < 1.9 for r in values) / len(values)
            fast = sum(r > 2.8 for r in values) / len(values)
            assert slow >= 0.12 and fast >= 0.12, (stage, slow, fast)
        else:  # an overt relapse reaches the tens of percent, at a pace of its own
            assert max(values) - min(values) >= 1.5, (stage, min(values), max(values))


def test_advanced_plan_blood_blasts_sokal_group_and_blast_crisis_signs_do_not_follow_the_lineage(ctx):
    """R-bank-fix11, cue A: 'the Sokal risk group is high' and blood blasts of 9% or more came in
    lymphoid blastic items only (9 of 9 keyed hyper-CVAD with dasatinib), every myeloid one at 5%;
    cue B: the blast-crisis signs in lymphoid stems only. Among blastic cases, each lineage has high
    blood blasts, a high Sokal group and a blast-crisis sign about as often as the other, and no
    blast-crisis sign sits beside a count at the 20% cut, where the count must decide."""
    from collections import Counter

    seen, total = Counter(), Counter()
    for q in _advanced_plan_items(ctx, 900):
        higher = max(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        if higher < 20:
            continue
        lineage = q.case["lineage"]
        total[lineage] += 1
        crisis = "bone pain" in q.vignette or "painful, enlarging spleen" in q.vignette
        assert not (crisis and higher <= 22), q.vignette
        seen[lineage, "blood"] += q.case["blood_blasts_pct"] >= 10
        seen[lineage, "high"] += "Sokal risk group is high" in q.vignette
        seen[lineage, "crisis"] += crisis
    for what in ("blood", "high", "crisis"):
        rates = {lineage: seen[lineage, what] / total[lineage] for lineage in total}
        assert abs(rates["myeloid"] - rates["lymphoid"]) <= 0.08, (what, rates)
        assert min(rates.values()) > 0, (what, rates)


def test_serial_results_fish_goes_with_the_level_it_sees(ctx):
    """R-bank-fix11: FISH positive in 11% to 29% of nuclei beside a last BCR::ABL1 of 0.28% to
    1.2% (IS), and 80% to 98% beside 15% to 19%; the quantitative level "correlates with the degree
    of cytogenetic response". FISH positive again in 10% to 20% of nuclei comes with a last level of
    1% to 10%; FISH in 80% or more with a level of 40% or more. And the reasons say 'from each test
    to the next', not 'on each of the last 3 tests' beside four values."""
    for seed in range(300):
        q = TEMPLATES["serial-results"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        last = q.case["bcr_abl1_series"][-1]
        if q.case["fish_positive"]:
            fish = number(q.vignette, r"positive in (\d+)% of nuclei")
            wanted = (40, 100) if q.case["hematologic_remission_lost"] else (1, 10)
            assert wanted[0] <= last <= wanted[1] and fish <= (100 if wanted[0] == 40 else 20), (last, fish)
        for option in q.options:
            assert "on each of the last" not in option.why, option.why


def test_ponatinib_dose_start_items_are_few_with_believable_doses_and_the_key_reason_reads_the_value(ctx):
    """R-bank-fix11 (reader b): 8 of 20 items asked the one start question and '45 mg' was in the
    key of 15 of 20; the start options offered 75 and 90 mg, which nobody gives, with 45 mg in the
    middle of an ascending list; and the key's reason never said which side of 1% this value is.
    "The optimal dose was found to be an initial 45 mg dose given once daily, then lowered to 15 mg
    upon achievement of a response (≤1% BCR::ABL1)." Start items are about a fifth; a 45 mg key
    about half the items; no start option above 60 mg, and 45 mg at both places the order allows;
    the key's reason says whether the response is reached."""
    from collections import Counter

    asks, places, forty_five = Counter(), Counter(), 0
    for seed in range(400):
        q = TEMPLATES["ponatinib-dose"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        asks[q.case["ask"]] += 1
        forty_five += "45 mg" in q.answer.text
        if q.case["ask"] == "start":
            doses = [number(o.text, r"^(\d+) mg") for o in q.options]
            assert max(doses) == 60 and sorted(doses) in (doses, doses[::-1]), doses
            places[q.key] += 1
        elif q.case["ask"] == "after-response":
            assert "at or below 1%: the response is reached" in q.answer.why, q.answer.why
        else:
            assert "above 1%: the response is not yet reached" in q.answer.why, q.answer.why
    assert asks["start"] <= 0.25 * 400 and 0.4 <= forty_five / 400 <= 0.6, (asks, forty_five)
    assert len(places) == 2 and min(places.values()) >= 0.3 * sum(places.values()), places


def test_advanced_plan_blastic_counts_spread_well_above_the_cut(ctx):
    """R-bank-fix11-2: 12 of 13 blastic items sat at 20% to 22% marrow blasts with 4% or 5% in the
    blood, so the items tested the cut point (where other systems put the cut higher) more than
    the plan, and '5% in the blood' marked blastic phase. At most about a third of blastic cases
    sit next to the cut, and the blood blasts of blastic cases spread beyond 5%."""
    near = blastic = wide_blood = 0
    for q in _advanced_plan_items(ctx, 600):
        higher = max(q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"])
        if higher < 20:
            continue
        blastic += 1
        near += higher <= 22
        wide_blood += q.case["blood_blasts_pct"] > 5
    assert near <= 0.35 * blastic and wide_blood >= 0.5 * blastic, (near, wide_blood, blastic)


# --- bank-fix10: the minor defects the S8 reads left in five templates ----------------------------


def test_emr_3_months_offers_no_dead_reading_and_every_reason_says_what_the_value_shows(ctx):
    """S8-bank-B-2 (E1, E3, E4): 'A deep molecular response is already reached' was never the
    key, a dead option; the key's reason opens 'Right:' and every wrong one says what this
    patient's values show; the stem names the TKI, a second-generation one where MMR is reached
    by 3 months. bank-fix17: the options are the five readings a 3-month value can have
    (S11-bank-fix14-r2 E2 asked for 'a fifth plausible level option, such as DMR already
    reached' in place of the pairs that could never be true): the DMR reading is the one never
    keyed, as no deep response is drawn at 3 months (S7-A); every other reading is keyed."""
    from collections import Counter

    keys, offered = Counter(), Counter()
    for seed in range(400):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        keys[q.answer.text] += 1
        offered.update(o.text for o in q.options)
        assert q.answer.why.startswith("Right: "), q.answer.why
        for o in q.options:
            if o is not q.answer:
                assert f"{format_number(q.case['bcr_abl1_is_pct'])}%" in o.why, o.why
        tki = re.search(r"started (\w+) for", q.vignette).group(1)
        assert tki in ("imatinib", "nilotinib", "dasatinib", "bosutinib"), q.vignette
        if q.answer.text.startswith("MMR already"):
            assert tki != "imatinib", q.vignette
    never = [text for text in offered if keys[text] == 0]
    assert never == ["DMR already reached"], never


def test_emr_3_months_no_one_fact_strikes_every_wrong_option(ctx):
    """R-bank-fix13 (E2): where EMR was met, three 'EMR is missed' options fell to one fact (the
    value at or below 10%), leaving a choice of two. R-bank-fix14-r2 (E1): a missed EMR always
    keeps both halving times, or the level alone found the key and "did well when the halving
    time was less than 76 days" went untested. bank-fix17: every item offers the same five
    readings (the deep response, MMR, EMR short of MMR, and a missed EMR either side of 76 days),
    so each wrong option needs its own level or the halving time to be struck; no key text
    answers 4 items in 10 (R-bank-fix17: a met EMR now keys about a third)."""
    from collections import Counter

    keys = Counter()
    readings = None
    for seed in range(600):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        texts = sorted(o.text for o in q.options)
        assert readings is None or texts == readings, texts
        readings = texts
        keys[q.answer.text] += 1
    assert len(keys) == 4 and max(keys.values()) < 0.4 * 600, keys


def test_milestones_each_one_year_reading_keys_about_a_third_and_near_copies_are_fewer(ctx):
    """S8-bank-B-2 (M1, M2): 'MMR but not MR4' was the 1-year half of 13 of 20 keys; and items
    3/17, 9/10/18 and 11/16 had each shown value within 1.5-fold of another item with the same
    key. Each 1-year reading now keys about a third of items, and such near-copies in a set of
    20 are fewer (about 7 pairs before, a combinatorial floor: six keys in 20 items). A quiz
    version never holds two milestones items with one key (question.repeat_of)."""
    import itertools
    from collections import Counter

    from generator.quiz.review import review_items

    halves = Counter()
    for seed in range(600):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        halves[q.answer.text.split("; ")[1]] += 1
    assert all(0.28 <= n / 600 <= 0.4 for n in halves.values()), halves
    near = 0
    for seed in range(40):
        shown = []
        for q in review_items("milestones", ctx, 20, 2000 + seed):
            six = number(q.vignette, r"([\d.]+)% at 6 months")
            shown.append((q.answer.text, q.case["at_emr"], six, q.case["at_year"]))
        for a, b in itertools.combinations(shown, 2):
            near += a[0] == b[0] and all(max(x, y) / min(x, y) <= 1.5 for x, y in zip(a[1:], b[1:]))
    assert near / 40 <= 6, near / 40


def test_phase_from_blasts_chronic_option_reads_like_the_others_and_is_keyed_no_more_than_its_share(ctx):
    """S8-bank-B-2 and reviews/README.md: 'Chronic phase, by the blood and the marrow counts'
    stood out beside four 'X phase, by the Y count' options, and was once the key in 10 of 20.
    "Chronic-phase CML is characterized by bone marrow and cytogenetic findings as listed below
    with less than 10% blasts and promyelocytes in the peripheral blood and bone marrow": it is
    read by both counts, said as shortly as the others."""
    keyed, by_blood, blood_higher = 0, [], 0
    for seed in range(600):
        q = TEMPLATES["phase-from-blasts"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        texts = [o.text for o in q.options]
        assert "Chronic phase, by the two counts" in texts, texts
        keyed += q.answer.text.startswith("Chronic")
        if q.answer.text == "Accelerated phase, by the blood count":
            by_blood.append(q.case["blood_blasts_pct"])
        blood, marrow = q.case["blood_blasts_pct"], q.case["marrow_blasts_pct"]
        if blood > marrow:
            blood_higher += 1
            assert marrow >= 0.55 * blood, q.case
    assert keyed / 600 <= 0.24, keyed
    # R-bank-fix10: 'accelerated, by the blood count' was keyed only at blood blasts of 10%;
    # R-bank-fix10-b2: drawn as often as the others, half the patients had more blasts in the
    # blood than in the marrow, some twice as many. Blood-decided cases now have the marrow at
    # least 0.55 of the blood, in about a quarter of the items.
    assert len(set(by_blood)) >= 3, sorted(set(by_blood))
    assert blood_higher / 600 <= 0.33, blood_higher


def test_trial_higher_arm_null_findings_claim_no_test_and_name_no_winner_first(ctx):
    """S8-bank-B-2 (T1, T3): 'no significant difference' stated a test where the summary says
    only "At 5 years, there was no difference in PFS or OS", "there were no survival
    differences between the two first-line approaches" or "For patients with accelerated-phase
    CML, survival was equivalent"; and the null phrase named the true winner first, so a key
    never had the second-named group win. A null half said 'no difference shown between' the two
    groups in one order; since R-bank-fix13 (T7) it names neither ('neither group shown to do
    better'), about as long as a finding for one group: the key is rarely the one longest option."""
    longest = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for o in q.options:
            assert "no significant difference" not in o.text, o.text
            assert "between" not in o.text, o.text
        lengths = [len(o.text) for o in q.options]
        longest += lengths.count(max(lengths)) == 1 and len(q.answer.text) == max(lengths)
    assert longest / 300 <= 0.2, longest  # no more often than chance


def test_trial_higher_arm_every_option_shares_a_half_and_the_key_has_both_near_misses(ctx):
    """S8-bank-B-2 (T4): of five options pairing a finding for each endpoint, one shared neither
    half with any other and was never the key (20 of 20). Every option still shares a half with
    another. S9-final (T2): in 7 of 20 items one half of the question was never needed (item 10
    had no 'retrospective review; asciminib did better'): every item now offers the key with
    only its first half wrong and with only its second half wrong, and the key's halves are the
    commonest alone in no item."""
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        halves = [_findings_in(o.text) for o in q.options]
        if len(q.case["endpoints"]) != 2:
            halves = [[_design_in(o.text), *_findings_in(o.text)] for o in q.options]
        shared = [sum(h[i] == other[i] for other in halves for i in (0, 1)) - 2 for h in halves]
        assert min(shared) >= 1, [o.text for o in q.options]
        key = halves[q.key]
        assert any(h[0] != key[0] and h[1] == key[1] for h in halves), [o.text for o in q.options]
        assert any(h[0] == key[0] and h[1] != key[1] for h in halves), [o.text for o in q.options]
        for i in (0, 1):
            counts = [sum(h[i] == value for h in halves) for value in {h[i] for h in halves}]
            mine = sum(h[i] == key[i] for h in halves)
            # R-bank-fix13 (T5): nor any half of the key printed more often than every other.
            assert not (mine == max(counts) and counts.count(mine) == 1), [o.text for o in q.options]


def test_trial_higher_arm_holds_more_distinct_questions_in_twenty(ctx):
    """S8-bank-B-2 (T5) and R-bank-fix10: 20 items held 10, then 11 questions, one study four
    times. Each stated endpoint is now also asked on its own with the study's design (the
    single-endpoint studies, such as asciminib against bosutinib, "The difference in response
    (adjusted for major cytogenetic response at baseline) was 12.2% (95% CI, 2.19%–22.30%; P =
    .029)", were never asked); BFORE's DMR, given only as "(HR, 1.57; 95% CI, 1.11–2.22)", is not
    asked as significant; the T315I review's population names its accelerated- and
    blast-crisis-phase subgroups; and no stem says 'reported in the summary'."""
    from collections import Counter

    from generator.quiz.review import review_items

    bfore = next(e for e in ctx.content.studies["bosutinib-vs-imatinib"].endpoints if e.measure == "dmr")
    assert bfore.significance == "not-stated"
    distinct, most, studies = [], [], set()
    for seed in range(40):
        asked = Counter()
        for q in review_items("trial-higher-arm", ctx, 20, seed):
            asked[(q.case["study"], *q.case["endpoints"])] += 1
            studies.add(q.case["study"])
            assert "reported in the summary" not in q.vignette, q.vignette
            if q.case["study"] == "ponatinib-vs-sct-t315i":
                assert "chronic CML" not in q.vignette and "blast-crisis" in q.vignette, q.vignette
        distinct.append(len(asked))
        most.append(max(asked.values()))
        per_study = Counter(study for study, *_ in asked.elements())
        assert max(per_study.values()) <= 3, per_study  # R-bank-fix10-b: one study in 9 of 20
    assert {"asciminib-vs-bosutinib", "conditioning-cy-tbi-vs-bu-cy"} <= studies
    assert "early-sct-vs-drug" not in studies  # R-bank-fix14 (T3): P = .049, curves converging
    # Before: 8.4 distinct questions and 5.6 copies of the commonest, on average over 40 sets;
    # R-bank-fix13 (T6): a set now ends where the findings do, with no question twice.
    assert min(distinct) == TEMPLATES["trial-higher-arm"].most_in_set(ctx) and max(most) == 1, (distinct, most)


def test_emr_3_months_missed_values_overlap_so_the_start_decides_the_halving_time(ctx):
    """R-bank-fix10: every missed EMR with a halving time under 76 days was 11-14% at 3 months and
    every slower one 46-61%, so "did well when the halving time was less than 76 days" was read
    from the value alone. Fast and slow cases now share the 20-40% band, where only the value at
    diagnosis tells them apart, and a hard item's halving time lies nearer the cut than a standard
    one's (bank-fix17: never within content's emr_halving_clear_of_cut_pct of it)."""
    limit = ctx.content.responses.halving_time.max_days
    clear = limit * ctx.content.patients.emr_halving_clear_of_cut_pct / 100
    fast, slow, near = [], [], 0
    for seed in range(400):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        value = q.case["bcr_abl1_is_pct"]
        if ctx.rules.early_molecular_response(value):
            continue
        days = ctx.rules.halving_time_days(q.case["start_pct"], value, q.case["days"])
        assert abs(days - limit) >= clear, days  # S9-final (E3): 6%; S11-bank-fix14-r2 (E3): 63-89 days
        (fast if days < limit else slow).append(value)
        near += DIFFICULTIES[seed % 2] == "hard" and abs(days - limit) <= clear + 0.15 * limit
    in_band = lambda values: [v for v in values if 20 <= v <= 40]
    assert len(in_band(fast)) >= 0.3 * len(fast) and len(in_band(slow)) >= 0.3 * len(slow), (sorted(fast), sorted(slow))
    assert near >= 0.4 * (len(fast) + len(slow)) / 2, near


def test_milestones_hard_items_put_a_value_near_a_cut_and_none_on_it(ctx):
    """R-bank-fix10: no 3-month value fell between 5.6% and 13% and no 1-year value between 0.054%
    and 0.19%, so the cuts ("BCR::ABL1 ≤ 10%) at 3 months" for EMR, "BCR::ABL1 ≤ 0.1%" for MMR,
    "BCR::ABL1 ≤ 0.01%" for MR4) were never tested closely, and the 'hard' label marked nothing.
    A hard item now puts the 3-month or the 1-year value near its cut, never on it."""
    emr = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    cuts = [r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses[:2]]
    near = hard = 0
    for seed in range(1, 400, 2):
        q = TEMPLATES["milestones"].make(random.Random(seed), ctx, "hard")
        at_emr, at_year = q.case["at_emr"], q.case["at_year"]
        assert at_emr != emr and at_year not in cuts, q.case
        hard += 1
        near += 0.75 <= at_emr / emr <= 1.35 or any(0.55 <= at_year / cut <= 1.55 for cut in cuts)
    assert near / hard >= 0.9, near


def test_phase_from_blasts_set_of_twenty_holds_no_case_twice(ctx):
    """R-bank-fix10-b2: three pairs in 20 items had the same blasts in both compartments and the
    same key, told apart only by promyelocytes, which do not place accelerated or blastic phase
    ("Accelerated-phase CML is characterized by 10% to 19% blasts in either the peripheral blood
    or bone marrow"). Within a set of 20 (registry.draw), no two items with one key have the same
    blood and marrow blasts, and few lie within a point of each other."""
    import itertools

    from generator.quiz.review import review_items

    same = near = 0
    for seed in range(30):
        items = review_items("phase-from-blasts", ctx, 20, 4000 + seed)
        for a, b in itertools.combinations(items, 2):
            if a.answer.text != b.answer.text:
                continue
            apart = [abs(a.case[f] - b.case[f]) for f in ("blood_blasts_pct", "marrow_blasts_pct")]
            same += max(apart) == 0
            near += max(apart) <= 1
    assert same / 30 <= 0.4 and near / 30 <= 2.5, (same, near)  # same: 1.2 a set before


def test_milestones_and_emr_sets_of_twenty_hold_no_case_twice(ctx):
    """R-bank-fix10-b2: milestones items 1 and 7 were one case (15% and 0.029%), and 15% at 3
    months came in 5 of 20 items, all with one key; emr-3-months items 6 and 20 were 70% -> 35%
    and 69% -> 35%. Within a set of 20 (registry.draw), no two items with one key have every
    value within 10%, and no 3-month value comes more than twice in milestones."""
    import itertools
    from collections import Counter

    from generator.quiz.review import review_items

    close = lambda a, b: abs(a - b) <= 0.1 * max(a, b)
    twins = 0
    for seed in range(20):
        items = review_items("milestones", ctx, 20, 5000 + seed)
        assert max(Counter(q.case["at_emr"] for q in items).values()) <= 2
        for a, b in itertools.combinations(items, 2):
            twins += a.answer.text == b.answer.text and all(close(a.case[k], b.case[k]) for k in ("at_emr", "at_year"))
        items = review_items("emr-3-months", ctx, 20, 5000 + seed)
        for a, b in itertools.combinations(items, 2):
            twins += a.answer.text == b.answer.text and all(
                close(a.case[k], b.case[k]) for k in ("start_pct", "bcr_abl1_is_pct")
            )
    assert twins <= 5, twins  # in 40 sets; several a set before


def test_transplant_early_bmt_is_told_apart_by_the_age_line_not_by_youth(ctx, content):
    """R-lead-A (transplant 3): "Patients younger than 60 years with an identical twin or with
    HLA–matched siblings can consider BMT early in the chronic phase." Every key was under 54 and
    every older patient with a donor past 64, so 'the younger one with a donor' answered all,
    and knowing the age gained nothing. The key and the older patients with a donor now sit
    within content's near band of the line (never on it), and the lead-in asks who meets the
    criterion, which the summary states as a sufficient condition, not a bar."""
    limit = content.management.transplant.consider_early_below_age
    near = content.patients.transplant_age_near_years
    early = near_keys = youngest_not_key = 0
    for seed in range(300):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "early":
            continue
        early += 1
        assert "meets the criteria" in q.lead_in
        key, older_with_donor = q.case["patients"][0], q.case["patients"][1::2][:2]
        assert key["age"] < limit and key["donor"] in ("twin", "sibling"), key
        near_keys += limit - near <= key["age"]
        assert all(limit < p["age"] <= limit + near and p["donor"] != "none" for p in older_with_donor), q.case
        # R-lead-B: 'the youngest patient with a donor' found every key.
        youngest = min((p for p in q.case["patients"] if p["donor"] != "none"), key=lambda p: p["age"])
        youngest_not_key += youngest is not key
    assert early >= 70, early  # about a third of items (S12-final2-bank 1)
    assert 0.3 * early <= near_keys <= 0.7 * early and youngest_not_key >= 0.3 * early, (near_keys, youngest_not_key)


def test_transplant_blastic_key_is_unhedged_and_names_presentation(ctx):
    """R-lead-A (transplant 1, 4): "Allogeneic SCT is the preferred choice for certain patients
    presenting with blastic-phase disease". 'Blastic-phase patients, when transplant is feasible'
    took in patients who transform on a TKI, and its qualifier was the only one among the
    options. The key names presentation in blastic phase and carries no qualifier; the lead-in
    does not say 'some', which made the accelerated-phase and imatinib-failure groups right for
    their poor responders (R-lead-B); the summary's 'certain' is in the lead-in (S10, below)."""
    blastic = 0
    for seed in range(300):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "preferred":
            continue
        assert "some" not in q.lead_in  # R-lead-B: it made distractors right for some patients
        if "blastic" in q.answer.text:
            blastic += 1
            assert "feasible" not in q.answer.text and not q.answer.text.startswith("Blastic")
            assert re.search(r"\bpresent(ing)?\b", q.answer.text), q.answer.text
    assert blastic >= 30, blastic


def test_first_line_options_tells_no_situation_by_a_sentence_and_repeats_no_patient(ctx, content):
    """R-lead-A (first-line-options): the sentence on cardiovascular disease, which matters only
    for ponatinib ("Patients with significant cardiovascular disease, hypertension, or diabetes
    mellitus have been excluded from clinical trials"), was told only when ponatinib was the
    key; an 89-year-old was given it; hydroxyurea was offered as a strategy among drugs; and one
    set of 20 held the same patient with the same key twice."""
    from generator.quiz.registry import DRAW_SET, draw

    items = list(draw(TEMPLATES["first-line-options"], ctx, 4 * DRAW_SET, "test"))
    for q in items:
        assert "no cardiovascular disease, hypertension or diabetes" in q.vignette, q.vignette
        assert "until symptoms" not in " ".join(o.text for o in q.options)
        if q.case["situation"] == "t315i":
            assert q.case["age"] <= content.patients.oldest_on_ponatinib_years, q.vignette
    for start in range(0, len(items), DRAW_SET):
        seen = set()
        for q in items[start : start + DRAW_SET]:
            assert (q.answer.text, q.case["age"]) not in seen, q.vignette
            seen.add((q.answer.text, q.case["age"]))


def test_phase_from_blasts_never_repeats_a_case_within_a_set(ctx):
    """R-lead-A (phase-from-blasts 6): three items of one set of 20 had the same four counts
    (blood 11% blasts and 1% promyelocytes, marrow 7% and 2%) and the same key, accelerated
    phase by the blood count, whose believable cases are few."""
    from generator.quiz.registry import DRAW_SET, draw

    items = list(draw(TEMPLATES["phase-from-blasts"], ctx, 15 * DRAW_SET, "test"))
    for start in range(0, len(items), DRAW_SET):
        cases = [tuple(sorted(q.case.items())) for q in items[start : start + DRAW_SET]]
        assert len(cases) == len(set(cases)), start


def test_emr_3_months_level_and_log_reduction_agree_and_the_76_day_cut_is_clear(ctx):
    """S9-final (E1-E7). The summary gives each milestone two ways: "EMR: Early molecular
    response. This means a greater than 1-log reduction (BCR::ABL1 ≤ 10%) at 3 months." and "MMR:
    Major molecular response. This means a greater than 3-log reduction (BCR::ABL1 ≤ 0.1%)." From
    a start below 100% the two disagreed in 7 of 20 items (79% -> 9.9% keyed EMR, a 0.9-log fall;
    77% -> 0.093% keyed MMR, 2.9 logs). Every value now gives one verdict both ways, clear of each
    cut (EMR met at 8% or less, missed at 12% or more, MMR at 0.08% or less). S9-final (E3) had
    halving times drawn near the 76-day cut on both sides (64-72 and 80-89 days); S11-bank-fix14-r2
    (E3) found 63, 82, 86 and 89 days a grey zone of mental logarithms on one retrospective
    analysis, so each is now at least content's emr_halving_clear_of_cut_pct from it (under 57
    days or 95 or more), hard items nearer than standard ones. At most 2 MMR keys, no 3-month
    value twice, no two halving times within 1 day (62 and 62, 93 and 94 came in one set; the fast
    falls now clear of the cut span only about 29 to 57 days)."""
    from collections import Counter

    from generator.quiz.review import review_items

    clear = 76 * ctx.content.patients.emr_halving_clear_of_cut_pct / 100
    keys = Counter()
    sets = 15
    for seed in range(sets):
        items = review_items("emr-3-months", ctx, 20, 7100 + seed)
        assert sum(q.answer.text.startswith("MMR already") for q in items) <= 2
        values = [q.case["bcr_abl1_is_pct"] for q in items]
        assert len(set(values)) == len(values), values
        halvings = []
        for q in items:
            keys[q.answer.text] += 1
            value, start = q.case["bcr_abl1_is_pct"], q.case["start_pct"]
            logs = math.log10(start / value)
            assert (value <= 10) == (logs > 1) and (value <= 0.1) == (logs > 3), q.case
            assert not 8 < value < 12 and not 0.08 < value < 0.12, q.case
            assert q.lead_in == "Which best describes this patient's molecular response at 3 months?"
            if value > 10:
                days = 90 * math.log(2) / math.log(start / value)
                assert abs(days - 76) >= clear, q.case
                halvings.append(days)
        assert all(abs(a - b) > 1 for i, a in enumerate(halvings) for b in halvings[i + 1 :]), sorted(halvings)
    assert max(keys.values()) <= 0.4 * 20 * sets and len(keys) == 4, keys


def test_trial_higher_arm_sets_ask_no_finding_twice_and_the_design_is_not_the_majority(ctx):
    """S9-final (T1, T3, T4, T5). In 20 items three were exact merges of two others and every
    finding of five studies was asked twice; the key's design was the one printed in 3 of 5
    options in 9 of 11 design items; the winner was named first in the stem in 12 of 15; every
    reason was only 'the summary reports this finding'. In the first 12 items of a set of 20 no
    finding, and no study's design, is asked twice, no study comes more than twice and no item
    merges others; in the whole set no question comes twice and no finding three times. The key's
    design is the minority design in about half the design items, the groups are named in
    alphabetical order, and every reason gives the summary's figures: "survival still favored
    the drug treatment arm ... but most of the benefit was early from transplant-related
    mortality, with the survival curves converging by 8 years"; "The 8.2% difference was not
    statistically significant (95% confidence interval [CI], -5.1 to 21.5)"."""
    from collections import Counter

    from generator.quiz.review import review_items

    for seed in range(12):
        items = review_items("trial-higher-arm", ctx, 20, 8300 + seed)
        findings = Counter((q.case["study"], name) for q in items for name in q.case["endpoints"])
        assert max(findings.values()) == 1, findings  # R-bank-fix13 (T6): in the whole set
        assert max(Counter(q.case["study"] for q in items).values()) <= 2
        designs = Counter(q.case["study"] for q in items if len(q.case["endpoints"]) == 1)
        assert max(designs.values(), default=1) == 1, designs
    minority = design_items = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        study = ctx.content.studies[q.case["study"]]
        named = [a.name.lower() for a in study.arms if a.name.lower() in q.vignette.lower()]
        named.sort(key=lambda name: q.vignette.lower().index(name))
        assert named == sorted(named), q.vignette
        if len(q.case["endpoints"]) == 1:  # R-bank-fix13 (T5): three designs, the key's never the majority
            design_items += 1
            printed = [_design_in(o.text) for o in q.options]
            minority += printed.count(_design_in(q.answer.text)) < max(printed.count(d) for d in set(printed))
        for name in q.case["endpoints"]:
            endpoint = next(e for e in study.endpoints if e.name == name)
            if endpoint.p:
                assert f"P {endpoint.p}" in q.answer.why and f"P {endpoint.p}" in q.explanation, q.answer.why
        if q.case["study"] == "early-sct-vs-drug":
            assert "converged by 8 years" in q.explanation, q.explanation
        if "Progression to accelerated phase or blast crisis" in q.case["endpoints"] and "nilotinib" in q.vignette:
            # R-bank-fix13 (T2): "17 patients who received imatinib (14%)" does not fit the arm.
            assert "14%" not in q.explanation and "imatinib 17 patients" in q.explanation, q.explanation
        if "prespecified subgroup" in " ".join(q.case["endpoints"]):
            assert "-5.1 to 21.5" in q.answer.why, q.answer.why
    assert design_items and minority > 0, (minority, design_items)  # never the majority (above), at times the minority


def test_trial_higher_arm_version_never_asks_one_finding_twice(ctx):
    """S9-final (T1), the versions students take: 9 of 20 trials-and-evidence versions held two
    items of one study, most asking a finding twice (version 11: three dasatinib items), since a
    version refused only the same lead-in and key. A version now keeps the template's own rule
    for a set (registry.draw's fits): no finding twice, a study's design once."""
    from generator.quiz.blueprint import expand, load_blueprints

    blueprint = next(b for b in load_blueprints(QUIZZES) if b.id == "trials-and-evidence")
    for variant in range(1, blueprint.variants + 1):
        items = [q for q in expand(blueprint, ctx, variant).questions if q.template == "trial-higher-arm"]
        asked = [(q.case["study"], name) for q in items for name in q.case["endpoints"]]
        designs = [q.case["study"] for q in items if len(q.case["endpoints"]) == 1]
        assert len(set(asked)) == len(asked) and len(set(designs)) == len(designs), (variant, asked)


def test_a_whole_score_s_terms_add_up_to_the_total_its_reason_shows(ctx):
    """R-lead-A (prognostic-score 2): a Hasford reason listed its terms rounded whole
    (667 + 462 + 58 + 207 + 204) beside a total of 1597, one less than they add to: a student
    checking the feedback found a contradiction. Terms that are not whole are shown to a
    decimal, and what they add to rounds to the total shown."""
    checked = 0
    for seed in range(300):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["score"] not in ("hasford", "eutos"):
            continue
        terms = [float(t) for t in re.findall(r"(-?[\d.]+) \(", q.answer.why)]
        total = float(re.search(r"their sum, ([\d.]+)", q.answer.why).group(1))
        assert abs(sum(terms) - total) <= 0.5 + 0.05 * len(terms), q.answer.why
        checked += 1
    assert checked >= 100, checked


def test_phase_from_blasts_key_letter_follows_no_answer_and_each_letter_keys_about_a_fifth(ctx):
    """S10 (phase-from-blasts): the options stood in one fixed order, so 'Blastic phase, by the
    marrow count' was always E and the commoner answers piled on C and E (55% of items). The
    order is one of four logical ones (phases rising or falling, blood or marrow first)."""
    from generator.quiz.registry import draw

    items = list(draw(TEMPLATES["phase-from-blasts"], ctx, 300, "test"))
    letters = Counter(q.letters[q.key] for q in items)
    assert all(0.12 <= letters[letter] / len(items) <= 0.28 for letter in "ABCDE"), letters
    for answer in {q.answer.text for q in items}:
        assert len({q.letters[q.key] for q in items if q.answer.text == answer}) >= 2, answer
    for q in items:  # still a logical order: chronic phase first or last
        assert q.options[0].text.startswith("Chronic") or q.options[-1].text.startswith("Chronic")


def test_prognostic_score_set_holds_no_two_patients_alike(ctx):
    """S10-lead-A (prognostic-score 8): items 5 and 8 of one set shared age 62, no palpable
    spleen and platelets of 900, and differed only in blasts: a student answers one from the
    other. No two items of a set share three of the six values the vignette shows."""
    from generator.quiz.registry import DRAW_SET, draw

    shown = ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct")
    items = list(draw(TEMPLATES["prognostic-score"], ctx, 6 * DRAW_SET, "test"))
    for start in range(0, len(items), DRAW_SET):
        chunk = items[start : start + DRAW_SET]
        for i, one in enumerate(chunk):
            for other in chunk[:i]:
                same = [k for k in shown if one.case[k] == other.case[k]]
                assert len(same) < 3, (start, same, one.case, other.case)


def test_transplant_lead_in_carries_the_summary_s_certain_and_no_group_is_right_for_some(ctx):
    """S10-lead-C (transplant 1, 2): "Allogeneic SCT is the preferred choice for certain patients
    presenting with blastic-phase disease, those with a T315I variant and resistance to
    ponatinib ..., and for patients with complete intolerance to the pharmacological options."
    The blastic key dropped 'certain', and on that key alone 'certain' was a cue (S6-A): the
    lead-in carries it for every option. No other group has patients for whom the summary
    prefers SCT at the moment its option names: accelerated phase as first treatment ("For
    Sokal low- and intermediate-risk patients, there were no survival differences between the
    two first-line approaches"), and no imatinib failure, where mutation analysis guides
    "therapy with the newer TKIs or with allogeneic transplant" (R-lead-B). The intolerance key
    says the summary's 'pharmacological options', not 'every TKI' (asciminib binds "a site
    unique from those used by TKIs")."""
    from generator.quiz.lint import HEDGES

    keyed = set()
    for seed in range(300):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "preferred":
            continue
        # S11-final-bank (7): three wordings now, each with "certain" and asking for a group.
        assert re.search(r"\bcertain (of its )?patients\b", q.lead_in) and "group" in q.lead_in, q.lead_in
        texts = [o.text for o in q.options]
        assert not any(HEDGES.search(t) for t in texts), texts
        assert not any(re.search(r"\b(every|any)\b", t) for t in texts), texts
        assert not any("imatinib failed" in t or "resistant to imatinib" in t for t in texts), texts
        for t in texts:
            if "ccelerated" in t:
                assert re.search(r", as first (treatment|therapy)$", t), t
        indication = q.case["patients"][0]["indication"]
        keyed.add(indication)
        if indication == "intolerant-of-all":
            assert re.search(r"(pharmacological|drug) options", q.answer.text), q.answer.text
    assert keyed == {"blastic-presentation", "t315i-ponatinib-resistant", "intolerant-of-all"}, keyed


def test_first_line_options_transplant_reason_speaks_to_this_patient_and_asciminib_is_not_offered(ctx):
    """R-bank-fix15 (first-line-options 1, 2, 8, 9): a patient under 60 with T315I and an
    HLA-matched sibling recalls "Patients younger than 60 years with an identical twin or with
    HLA-matched siblings can consider BMT early in the chronic phase", and the transplant reason
    never answered it; in new patients it gave the rule without applying it to the age or donor.
    Asciminib after ponatinib was a near miss ("Three of nine patients with disease that failed to
    respond to previous ponatinib responded to asciminib"), and offered only as a key it would be
    one, so it is offered nowhere. 'Before ponatinib, ponatinib comes first' said nothing."""
    limit = ctx.content.management.transplant.consider_early_below_age
    for seed in range(300):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        texts = [o.text for o in q.options]
        assert "Asciminib" not in texts, texts
        assert "Before ponatinib, ponatinib" not in q.explanation, q.explanation
        transplant = next(o for o in q.options if o.text == "Allogeneic stem cell transplant")
        if q.answer is transplant:
            continue
        # R-bank-fix15-r2 (1, 2): a T315I patient under 60 with a matched sibling made transplant
        # arguable, and 'Ponatinib comes first' and 'at diagnosis' said more than the summary.
        young = q.case["age"] < limit
        assert not (young and q.case["sibling"]) or q.case["situation"] == "after-ponatinib", q.case
        assert "comes first" not in transplant.why and "at diagnosis" not in transplant.why, transplant.why
        if q.case["situation"] == "new" and not young:
            assert f"inhibitor. At {q.case['age']}," in transplant.why, transplant.why
            assert q.case["sibling"] or "no HLA-matched sibling" in transplant.why, transplant.why
        elif q.case["situation"] == "new":
            assert "no HLA-matched sibling" in transplant.why, transplant.why
        else:
            # R-bank-fix15-r3 (F1): with T315I the early-BMT sentence, an up-front choice, is no reason.
            assert "early BMT" not in transplant.why and "73% vs. 56%" in transplant.why, transplant.why


def test_transplant_missed_emr_reason_says_only_what_the_summary_says(ctx):
    """R-bank-fix15 (transplant 3, 7): the missed-EMR reason said 'A missed EMR alone calls for no
    change of treatment', where the summary says "Mandating a change of therapy based on this 10%
    transcript level at 3 to 6 months is problematic because 75% of patients do well even with a
    suboptimal response", and cited a halving time the group is not given; and the lead-in ('For
    certain patients in which group is ...') did not parse."""
    seen = 0
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for o in q.options:
            if "missed EMR" in o.text:
                seen += 1
                assert o.why.startswith("Mandating a change of therapy") and "75% of patients" in o.why, o.why
                assert "halving" not in o.why and "calls for no change" not in o.why, o.why
        assert not q.lead_in.startswith("For certain patients in which"), q.lead_in
    assert seen >= 50, seen


def test_phase_from_blasts_blood_decides_a_minority_and_the_chronic_option_is_no_longest(ctx):
    """R-bank-fix15 (phase-from-blasts 1, 2): 'Chronic phase, by the blood and marrow counts' was
    the longest option in all 20 items; and the blood decided 7 of 20, each with more blasts in
    the blood than in the marrow, which the summary allows ("10% to 19% blasts in either the
    peripheral blood or bone marrow") but which is uncommon. The blood now decides about a fifth
    of items, and the chronic option is as long as the others."""
    from generator.quiz.registry import draw

    items = list(draw(TEMPLATES["phase-from-blasts"], ctx, 400, "test"))
    blood_led = sum(q.answer.text.endswith("by the blood count") for q in items)
    assert blood_led / len(items) <= 0.25, blood_led
    for q in items[:20]:
        lengths = sorted(len(o.text) for o in q.options)
        chronic = next(len(o.text) for o in q.options if o.text.startswith("Chronic"))
        assert chronic < lengths[-1], [o.text for o in q.options]


def test_first_line_options_a_matched_sibling_does_not_mark_transplant(ctx):
    """R-bank-fix15-r3 (first-line-options F2, F3): 'A sibling is HLA-matched' was told in 5
    items of 20 and 4 of them keyed transplant; a matched unrelated donor now comes in every
    situation, and a sibling is never told only past ponatinib. The hydroxyurea reason answers
    both halves of "used primarily to stabilize patients with hyperleukocytosis or as palliative
    therapy for patients who have not responded to other therapies"."""
    told = Counter()
    for seed in range(600):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        donor = q.case["donor"]
        told[donor, q.answer.text == "Allogeneic stem cell transplant"] += 1
        told[donor, q.case["situation"]] += 1
        if q.case["situation"] == "new":
            hydroxyurea = next(o for o in q.options if o.text == "Hydroxyurea")
            # R-bank-fix19 read 2 (6): both uses answered, neither with a count.
            assert "neither is the aim here" in hydroxyurea.why, hydroxyurea.why
            assert "no other therapy" in hydroxyurea.why, hydroxyurea.why
    # R-bank-fix19 read 2 (4): an unrelated donor found at diagnosis was not believable; it is
    # told with T315I only, before ponatinib and past it.
    for situation in ("t315i", "after-ponatinib"):
        assert told["unrelated", situation] > 0, told
    assert told["unrelated", "new"] == 0, told
    sibling = told["sibling", True] + told["sibling", False]
    assert told["sibling", True] <= 0.5 * sibling, told


def test_trial_higher_arm_gives_enestnds_mmr_figures_as_the_summary_does(ctx, content):
    """R-bank-fix13 (T3): "The rate of MMR at 24 months was 71% and 67% for patients who received
    two-dose schedules of nilotinib and 44% for patients who received imatinib" ("for both
    comparisons"): the summary does not say which schedule had 71%, and the items (and the study
    card and the first-line figure) gave it to 300 mg twice daily. The finding is now nilotinib at
    either dose against imatinib, the two figures given together, and the stem names all three
    arms (the finding speaks of both nilotinib arms)."""
    enestnd = ctx.content.studies["nilotinib-vs-imatinib"]
    mmr = next(e for e in enestnd.endpoints if e.name == "MMR at 24 months")
    assert not any(r.pct == 71 for r in mmr.results) and [float(p) for p in mmr.results[0].pcts] == [71, 67]
    from generator.pages import render_site

    chronic = render_site(content)["docs/sections/chronic.md"]
    assert "Nilotinib 300 mg twice daily: 71%" not in chronic and "Nilotinib 300 mg twice daily, 71%" not in chronic
    assert "71% and 67%" in chronic
    seen = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["study"] != "nilotinib-vs-imatinib" or "MMR at 24 months" not in q.case["endpoints"]:
            continue
        seen += 1
        texts = [q.explanation, *(o.why for o in q.options)]
        assert not any("300 mg twice daily 71%" in t for t in texts), q.explanation
        assert "nilotinib at either dose 71% and 67% vs. imatinib 44%" in q.explanation, q.explanation
        assert "400 mg" in q.vignette and "300 mg" in q.vignette, q.vignette
    assert seen


def test_trial_higher_arm_options_are_short_and_name_only_the_group_that_did_better(ctx):
    """R-bank-fix13 (T7): options ran from 80 to 265 characters, each half naming both groups
    ('no difference shown between busulfan and cyclophosphamide without TBI and cyclophosphamide
    and TBI' was hard to parse). The stem names the groups compared; a half now names the group
    that did better, or none."""
    longest = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        for o in q.options:
            assert " than " not in o.text and "between" not in o.text, o.text
            longest = max(longest, len(o.text))
    assert longest <= 225, longest  # the asciminib pair: two endpoints and a pooled group named


def test_trial_higher_arm_a_set_ends_where_the_findings_do(ctx):
    """R-bank-fix13 (T6): 14 of 20 items came from five studies, and items 5, 10 and 16 (and
    others) asked one finding twice, since the summary states whether a difference was
    significant for some 20 findings in all. A set of this template now holds only as many items
    as the findings give without asking one twice (each study at most twice, its design once),
    every set reaches that many, and a review asked for more is cut there and says so. The
    retrospective dasatinib analysis ("a dasatinib dose of 50 mg a day showed equal efficacy to
    100 mg") now widens the pool: its setting no longer names its design."""
    from collections import Counter

    from generator.quiz.review import review_items, review_text

    most = TEMPLATES["trial-higher-arm"].most_in_set(ctx)
    assert 12 <= most < 20
    assert "retrospective" not in ctx.content.studies["low-dose-dasatinib"].setting.lower()
    studies = set()
    for seed in range(10):
        items = review_items("trial-higher-arm", ctx, 20, 9100 + seed)
        assert len(items) == most
        findings = Counter((q.case["study"], name) for q in items for name in q.case["endpoints"])
        assert max(findings.values()) == 1, findings
        studies |= {q.case["study"] for q in items}
        assert "cut short" in review_text("trial-higher-arm", items)
    assert "low-dose-dasatinib" in studies
    bank = list(draw(TEMPLATES["trial-higher-arm"], ctx, 3 * most, "sets"))
    for start in range(0, 3 * most, most):
        findings = Counter((q.case["study"], n) for q in bank[start : start + most] for n in q.case["endpoints"])
        assert max(findings.values()) == 1, findings


def test_tki_discontinuation_depth_options_name_levels_not_the_dmr_label(ctx):
    """R-bank-fix14 (major), items 17-20: the MR4 key 'a DMR, but not deep enough' stood against
    'the response is short of a DMR', and the summary uses the label both ways: "DMR: Deep
    molecular response ... This means greater than 4-log reduction (BCR::ABL1  ≤ 0.01%) and is also
    called MR 4", but the best candidates "attained a DMR (molecular remission,  4.5; BCR::ABL1 ≤
    0.0032%)". The depth options now name levels (MR4, but not MR4.5; an MMR, but not MR4), say
    'Not among' (not 'Not yet'), and the lead-in says what the options compare. Within a set no
    two items share a key, a TKI and the years on it, and no key comes with one TKI more than
    twice (items 1 and 10, 4 and 7: one question with other numbers)."""
    from collections import Counter

    for seed in range(200):
        q = TEMPLATES["tki-discontinuation"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        depth = [o.text.split(": ", 1)[1] for o in q.options if o.text.startswith("Not among")]
        assert sorted(depth) == ["MR4, but not MR4.5", "an MMR, but not MR4", "has taken a TKI for too short a time"]
        assert not any("Not yet" in o.text or "a DMR" in o.text for o in q.options)
        assert q.lead_in == "How does this patient compare with the best candidates to consider stopping a TKI?"
    bank = list(draw(TEMPLATES["tki-discontinuation"], ctx, 100, "sets"))
    for start in range(0, 100, 20):
        items = bank[start : start + 20]
        same = Counter((q.answer.text, q.case["tki"], q.case["tki_months"]) for q in items)
        assert max(same.values()) == 1, same
        assert max(Counter((q.answer.text, q.case["tki"]) for q in items).values()) <= 2


def test_trial_higher_arm_gives_each_nilotinib_dose_its_progression_and_offers_no_overlapping_designs(ctx):
    """R-bank-fix14 (major). Item 1: beside 'nilotinib at either dose' for MMR, the progression key
    'nilotinib 300 mg twice daily did significantly better' implied 400 mg did not, when "this
    progression only occurred in two patients who received nilotinib 300 mg twice daily (<1%, P
    = .0003) and in  five patients who received nilotinib 400 mg twice daily (1.8%, P = .0089)".
    Items 10 and 14: 'Randomized trial' beside a prospective trial (a randomized trial is
    prospective, and the cited title reads "a randomized comparison") was defensible; designs that
    overlap are never offered together. And "survival still favored the drug treatment arm" at P
    = .049, "with the survival curves converging by 8 years", is a grey zone: not asked."""
    overlapping = {
        frozenset({"Randomized trial", "Prospective trial"}),
        frozenset({"Retrospective review", "Cohort study"}),
    }
    progression = 0
    for seed in range(400):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert q.case["study"] != "early-sct-vs-drug"
        designs = {_design_in(o.text) for o in q.options} - {None}
        key = _design_in(q.answer.text)
        assert not any(pair <= designs and key in pair for pair in overlapping), designs
        if (
            q.case["study"] == "nilotinib-vs-imatinib"
            and "Progression to accelerated phase or blast crisis" in q.case["endpoints"]
        ):
            progression += 1
            assert (
                "progression to accelerated phase or blast crisis: nilotinib at either dose did significantly better"
                in q.answer.text.lower()
            )
            assert "P = .0003" in q.explanation and "P = .0089" in q.explanation, q.explanation
    assert progression


# --- bank-fix17: the open points of S11-bank-fix14-r2 and S11-bank-fix15-B ------------------------------


def test_trial_higher_arm_stems_state_the_population_in_one_form(ctx):
    """S11-bank-fix14-r2 (trial-higher-arm, open): 'Population: Accelerated-phase CML, first line'
    was the one stem of the bank to name a line of therapy, while every other first-line study reads
    'Newly diagnosed chronic-phase CML' (and the 132 patients of L826 were not all newly diagnosed:
    the cohort's own risk factors include a CML duration of 12 months or more). No stem names a
    line of therapy now; the comparison's "as first-line therapy" stays in the study's title."""
    settings = set()
    for seed in range(400):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        population = re.search(r"Population: (.*)\.$", q.vignette).group(1)
        settings.add(population)
        assert not re.search(r"\b(first|second|third)[- ]line\b", population, re.IGNORECASE), q.vignette
    assert "Accelerated-phase CML" in settings, settings


def test_emr_3_months_offers_only_readings_possible_from_this_start_and_no_halving_near_76_days(ctx):
    """S11-bank-fix14-r2 (E2, E3; left open by S11). From a start of 50% or more, a value at or
    below 10% has halved in under 40 days, so the options 'EMR achieved, MMR not yet; halving time
    since diagnosis 76 days or more' and 'MMR already reached; ... 76 days or more' could never be
    true, and where EMR was met the halving half of every option was idle. And hard items drew
    halving times of 63 to 89 days, against a cut of 76 from one retrospective analysis. Now no
    option pairs a level at or below 10% with a halving time (the summary speaks of it only above
    10%, L515), every option could be true of some value from this start, both halving times are
    offered in every item, and a missed EMR's halving time is at least content's
    emr_halving_clear_of_cut_pct of 76 days from it."""
    limit = ctx.content.responses.halving_time.max_days
    clear = limit * ctx.content.patients.emr_halving_clear_of_cut_pct / 100
    emr = ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct
    assert clear >= 0.2 * limit
    for seed in range(400):
        q = TEMPLATES["emr-3-months"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        start, value, days = q.case["start_pct"], q.case["bcr_abl1_is_pct"], q.case["days"]
        slowest_achieved = days * math.log(2) / math.log(start / emr)  # the slowest fall to 10%
        for text in (o.text for o in q.options):
            if "halving time" in text:
                assert text.startswith("EMR missed"), text
            assert not ("76 days or " in text and slowest_achieved < limit and not text.startswith("EMR missed"))
        assert sum(o.text.startswith("EMR missed") for o in q.options) == 2
        if value > emr:
            assert abs(ctx.rules.halving_time_days(start, value, days) - limit) >= clear, q.case


def test_prognostic_score_slips_push_both_ways_and_the_key_group_is_no_majority(ctx):
    """S11-bank-fix15-B (prognostic-score 1, 2). Every ELTS slip left a positive term out or shrank
    one, so the key was the largest ELTS value in all 6 items (and the smallest in both low Sokal
    items); and the key shared its risk group with two of the four distractors in 14 of 20, so
    the group named most often was the key's. Now slips overshoot as well as undershoot (ELTS: the
    platelet ratio inverted, the blast weight for the spleen, another line of the differential for
    the blasts; Sokal: the age term left out, the platelet term not centred): for each score the
    key takes every place among the ordered values, none in more than about a third of items; and
    the key's group is the one most options name in under half the items of a three-group score
    (no group is the majority where three are offered), and in no more than the 3 in 5 a
    two-group score's majority holds by chance. A student picking from the commonest group, the
    rarest, or the option alone in its group, finds the key about a fifth of the time."""
    from collections import Counter

    places, majority, items = {}, Counter(), Counter()
    commonest = rarest = alone = singles = n = 0
    for seed in range(400):
        q = TEMPLATES["prognostic-score"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        score, n = q.case["score"], n + 1
        values = [float(o.text.split(",")[0]) for o in q.options]
        groups = [o.text.split(", ")[1] for o in q.options]
        places.setdefault(score, Counter())[sorted(values).index(values[q.key])] += 1
        count = Counter(groups)
        items[score] += 1
        majority[score] += all(count[groups[q.key]] > m for g, m in count.items() if g != groups[q.key])
        top = [i for i, g in enumerate(groups) if count[g] == max(count.values())]
        low = [i for i, g in enumerate(groups) if count[g] == min(count.values())]
        commonest += (q.key in top) / len(top)
        rarest += (q.key in low) / len(low)
        lonely = [i for i, g in enumerate(groups) if count[g] == 1]
        if lonely:
            singles += 1
            alone += (q.key in lonely) / len(lonely)
    for score, counts in places.items():
        total = sum(counts.values())
        assert len(counts) == 5 and max(counts.values()) <= 0.36 * total, (score, counts)
        assert min(counts.values()) >= 0.05 * total, (score, counts)
    for score, total in items.items():
        groups = len(getattr(ctx.content.scores, score).groups)
        assert majority[score] <= (0.45 if groups == 3 else 0.6) * total, (score, majority[score], total)
    for share in (commonest / n, rarest / n, alone / singles):
        assert 0.14 <= share <= 0.26, (commonest / n, rarest / n, alone / singles)


def test_emr_3_months_reads_at_or_below_10_percent_often_and_no_letter_leads(ctx):
    """R-bank-fix17 (1, 3): 16 of 20 items were missed EMRs, where the DMR, MMR and EMR-achieved
    readings all fall to the one 10% fact; and in the order from the deepest reading a missed EMR
    keyed E in 8 of 20. Over sets of 20, a third of items or more now read at or below 10%, and no
    letter keys more than 30%."""
    from collections import Counter

    from generator.quiz.review import review_items

    items = [q for seed in range(10) for q in review_items("emr-3-months", ctx, 20, 1700 + seed)]
    achieved = sum(ctx.rules.early_molecular_response(q.case["bcr_abl1_is_pct"]) for q in items)
    assert achieved >= len(items) / 3, achieved
    letters = Counter(q.letters[q.key] for q in items)
    assert max(letters.values()) <= 0.3 * len(items), letters


def test_prognostic_score_sets_hold_no_near_clones_of_one_score_and_group(ctx):
    """R-bank-fix17 (6): items 7, 8 and 10 were all EUTOS, basophils 9% and spleens of 15 to 18
    cm, each keyed high risk. In a set of 20, no two items of one score with keys in one group
    have every input that score reads within a fifth (or one unit) of each other."""
    import itertools

    from generator.quiz.review import review_items

    close = lambda a, b: abs(a - b) <= max(0.2 * max(a, b), 1)
    inputs = {"sokal": 4, "hasford": 6, "eutos": 2, "elts": 4}
    names = ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct")
    read = {
        "sokal": names[:4],
        "elts": names[:4],
        "hasford": names,
        "eutos": ("basophils_pct", "spleen_cm"),
    }
    assert all(len(read[s]) == n for s, n in inputs.items())
    for seed in range(8):
        items = review_items("prognostic-score", ctx, 20, 1700 + seed)
        for a, b in itertools.combinations(items, 2):
            if a.case["score"] != b.case["score"] or a.answer.text.split(", ")[-1] != b.answer.text.split(", ")[-1]:
                continue
            assert not all(close(a.case[k], b.case[k]) for k in read[a.case["score"]]), (a.case, b.case)


def test_trial_higher_arm_offers_no_pooled_design_beside_a_retrospective_review(ctx):
    """R-bank-fix17 (9): "In retrospective comparative analyses, a dasatinib dose of 50 mg a day
    showed equal efficacy to 100 mg" is plural, so 'Several trials pooled' came near a defensible
    reading of it; it was offered only beside a wrong finding, but nothing kept it so. A
    retrospective review is now offered only beside designs it rules out: randomized and
    prospective trials."""
    offered = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if ctx.content.studies[q.case["study"]].design != "retrospective":
            continue
        designs = {_design_in(o.text) for o in q.options} - {None}
        offered += bool(designs)
        assert "Several trials pooled" not in designs, [o.text for o in q.options]
    assert offered


def test_trial_higher_arm_names_the_pooled_comparison_where_a_subgroup_differs(ctx):
    """R-bank-fix17-2 (item 3): 'compared asciminib with imatinib and with nilotinib, dasatinib or
    bosutinib', asked for 'MMR at week 48', let the key ('asciminib did significantly better') be
    read as a win over the second-generation arm too, which L539 calls not significant. Where one
    study holds two findings on one measure against different groups (content/studies.yml), each
    finding's name says which comparison it is, so the key is the only answer."""
    asked = 0
    for seed in range(300):
        q = TEMPLATES["trial-higher-arm"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["study"] == "asciminib-first-line" and "MMR at week 48, all comparators" in q.case["endpoints"]:
            asked += 1
            assert "all comparators" in q.lead_in, q.lead_in
    assert asked


def test_transplant_blastic_key_says_presenting_as_the_summary_does(ctx):
    """S11-final-bank (transplant 2, 10, 18, 19): the key read 'Patients already in blastic phase
    at the diagnosis of their CML' and '...when it is first found', where the summary says
    "Allogeneic SCT is the preferred choice for certain patients presenting with blastic-phase
    disease": it drew a line (de novo blastic phase) the summary does not draw."""
    words = dataclasses.replace(ctx, template_id="transplant").say_each("story_blastic-presentation")
    assert len(words) >= 2
    for text in words:
        assert re.search(r"\bpresent(ing)?\b", text), text
        assert not re.search(r"diagnos|first found|already|de novo", text), text


def test_transplant_varies_its_stems_and_its_wrong_groups(ctx):
    """S11-final-bank (transplant 7): the same stem and lead-in came in 14 of 20 items, with the
    same five wrong groups every time, so a student could answer by eliminating familiar groups.
    In every set of 20 no stem and lead-in comes more than three times, no two 'preferred' items
    offer the same five groups, and the wrong groups come from a pool of at least six."""
    from generator.quiz.registry import DRAW_SET, draw

    items = list(draw(TEMPLATES["transplant"], ctx, 3 * DRAW_SET, "test"))
    KEYED = {"blastic-presentation", "t315i-ponatinib-resistant", "intolerant-of-all"}  # noqa: N806
    wrong = set()
    for start in range(0, len(items), DRAW_SET):
        batch = items[start : start + DRAW_SET]
        stems = Counter((q.vignette, q.lead_in) for q in batch)
        assert max(stems.values()) <= 3, stems.most_common(2)
        # S12-final2-bank (2): with a T315I group in every item, one set of five groups may come
        # twice, with another key wording.
        groups = [
            (frozenset(p["indication"] for p in q.case["patients"]), q.answer.text)
            for q in batch
            if q.case["ask"] == "preferred"
        ]
        assert len(groups) == len(set(groups)), groups
        assert max(Counter(g for g, _ in groups).values()) <= 2, groups
        for q in batch:
            if q.case["ask"] == "preferred":
                wrong |= {p["indication"] for p in q.case["patients"]} - KEYED
    assert len(wrong) >= 6, wrong


def test_first_line_options_every_option_after_a_tki_is_a_key_elsewhere_and_reasons_read_well(ctx):
    """S11-final-bank (first-line-options 5, 6): hydroxyurea and interferon alfa were offered in
    all 20 items and never keyed, and interferon in a T315I relapse tempted no one; after a TKI
    the other first-line inhibitors stand in their place ("the T315I variant marks resistance to
    imatinib, dasatinib, nilotinib, and bosutinib"), each the key of some newly diagnosed item.
    The transplant reason ended 'which this patient's has not met yet'."""
    keys, offered_after_tki = set(), set()
    for seed in range(400):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        keys.add(q.answer.text)
        if q.case["situation"] != "new":
            # R-bank-fix19 (4): with T315I, before ponatinib as after it, the wrong options are no
            # longer first-line inhibitors alone (three fell to one sentence): each inhibitor the
            # variant resists is a key elsewhere, imatinib at a higher dose and hydroxyurea are
            # wrong by their own sentences, which their reasons give.
            offered_after_tki |= {o.text for o in q.options} - {
                "Imatinib at a higher dose",
                "Hydroxyurea",
                "Interferon alfa",
            }
            reasons = {o.text: o.why for o in q.options}
            assert "T315I variant marks resistance to imatinib itself" in reasons["Imatinib at a higher dose"]
            if q.case["situation"] == "t315i":  # past ponatinib: R-final-bank (3), tested apart
                assert "neither is the aim here" in reasons["Hydroxyurea"], reasons
        if q.case["situation"] == "after-ponatinib":
            # S12-final-bank-A (3): past ponatinib each wrong option falls to its own sentence,
            # and its reason says which.
            reasons = {o.text: o.why for o in q.options}
            assert "T315I variant marks resistance to imatinib itself" in reasons["Imatinib at a higher dose"]
            assert "palliative therapy" in reasons["Hydroxyurea"], reasons
            assert "not among the summary's treatment options for relapsed CML" in reasons["Interferon alfa"]
        assert not any("has not met yet" in o.why or "patient's has" in o.why for o in q.options)
    assert offered_after_tki and offered_after_tki <= keys, offered_after_tki - keys


def test_first_line_options_no_near_duplicate_items_in_a_set(ctx):
    """S11-final-bank (first-line-options 6): items 5 and 6 differed only in age (imatinib lost,
    T315I, a count of 50, no donor); items 8, 18 and 20 were one newly diagnosed case with an
    imatinib key. Two items of a set with one key and one situation differ in the drug lost, or
    in both the count and the donor, in nearly every set."""
    from generator.quiz.registry import DRAW_SET, draw

    items = list(draw(TEMPLATES["first-line-options"], ctx, 5 * DRAW_SET, "test"))
    alike = 0
    for start in range(0, len(items), DRAW_SET):
        batch = items[start : start + DRAW_SET]
        for i, one in enumerate(batch):
            for other in batch[:i]:
                a, b = one.case, other.case
                same = (one.answer.text, a["situation"], a["failed"]) == (
                    other.answer.text,
                    b["situation"],
                    b["failed"],
                )
                alike += same and (a["wbc"] == b["wbc"] or a["donor"] == b["donor"])
    assert alike <= 12, alike  # about 40 in 100 items when only the age had to differ


def test_transplant_keys_the_intolerance_group_least_and_reasons_claim_no_more(ctx):
    """R-bank-fix16 (transplant 6, 8, 9, 10; first-line-options 5): 'complete intolerance of the
    pharmacological options' answers itself (no drug left), sat beside 'intolerant of imatinib'
    where the absolute word decided, and was the key in 5 of 9; reasons said the summary names
    transplant the preferred choice 'only' for three groups (it lists them; it says no 'only'),
    and that relapse after transplant 'is treated with a TKI' where the summary reports "a 3-year
    OS rate of 60%"; two lead-ins read contorted; an 'MMR at 1 year' group did no work."""
    keyed, preferred = Counter(), 0
    for seed in range(600):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        reasons = " ".join(o.why for o in q.options)
        assert "preferred choice only" not in reasons and "is treated with a TKI" not in reasons, reasons
        if q.case["ask"] != "preferred":
            continue
        preferred += 1
        groups = [p["indication"] for p in q.case["patients"]]
        keyed[groups[0]] += 1
        assert not {"intolerant-of-all", "imatinib-intolerant"} <= set(groups), groups
        # R-bank-fix16-2 (6): the two T315I groups side by side, 'also' marked the key (3 of 3).
        assert not {"t315i-ponatinib-resistant", "t315i-no-ponatinib"} <= set(groups), groups
        assert "mmr-at-a-year" not in groups
        assert "takes in" not in q.lead_in and not q.lead_in.startswith("For certain"), q.lead_in
    assert keyed["intolerant-of-all"] <= 0.27 * preferred, keyed
    for situation in ("blastic-presentation", "t315i-ponatinib-resistant"):
        assert keyed[situation] >= 0.3 * preferred, keyed
    for seed in range(200):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        assert "preferred choice only" not in " ".join(o.why for o in q.options)


def test_first_line_options_offers_no_transplant_to_the_old(ctx):
    """R-final-bank-A (first-line-options 15): a 75-year-old whose disease had resisted ponatinib,
    with a matched sibling, was keyed to allogeneic SCT, where the summary has age keep patients
    from transplant (L414) and better results in younger patients (L632). Where a transplant is
    the key or an option, the patient is no older than a course's failing patient may be."""
    from generator.quiz.cases import OLDEST_OFFERED_TRANSPLANT_YEARS

    offered = 0
    for seed in range(300):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["situation"] == "after-ponatinib":
            offered += 1
            assert q.case["age"] <= OLDEST_OFFERED_TRANSPLANT_YEARS, (q.case["age"], q.vignette)
    assert offered


# --- bank-fix18: the form defects of S12-final-bank-A and S12-final-bank-B -------------------------------


def _score_item(score, key, age, spleen, platelets, blasts, eos, baso):
    from types import SimpleNamespace

    case = {
        "score": score,
        "age": age,
        "spleen_cm": spleen,
        "platelets": platelets,
        "blasts_pct": blasts,
        "eosinophils_pct": eos,
        "basophils_pct": baso,
    }
    return SimpleNamespace(case=case, answer=SimpleNamespace(text=key))


def test_prognostic_score_set_never_repeats_a_key_text(ctx):
    """S12-final-bank-B (3): items 15 and 18, both ELTS, were both keyed '1.81, intermediate risk'
    (32 M, spleen 11 cm, platelets 600; 23 F, spleen 16 cm, platelets 720): in a set of 20 it
    reads as one answer twice. The template's `fits` refuses the second, and no drawn set holds
    one key text twice."""
    from generator.quiz.registry import TEMPLATES
    from generator.quiz.review import review_items

    fits = TEMPLATES["prognostic-score"].fits
    first = _score_item("elts", "1.81, intermediate risk", 32.0, 11, 600, 5, 6, 9)
    second = _score_item("elts", "1.81, intermediate risk", 23.0, 16, 720, 3, 2, 1)
    assert not fits(second, [first])
    for seed in range(6):
        keys = [q.answer.text for q in review_items("prognostic-score", ctx, 20, 1800 + seed)]
        assert len(set(keys)) == len(keys), keys


def test_prognostic_score_set_holds_no_near_clone_apart_in_one_input(ctx):
    """S12-final-bank-B (2): items 19 and 20 were Sokal women of 43 and 41, platelets 560 in both,
    blasts 4% and 5%, keyed 0.99 and 0.98, intermediate risk; only the spleen (2 cm, none) set
    them apart. Two items of one score and group whose inputs are all close but one (where the
    score reads more than two) are not drawn into one set."""
    import itertools

    from generator.quiz.registry import TEMPLATES
    from generator.quiz.review import review_items

    fits = TEMPLATES["prognostic-score"].fits
    first = _score_item("sokal", "0.99, intermediate risk", 43.0, 2, 560, 4, 3, 2)
    second = _score_item("sokal", "0.98, intermediate risk", 41.0, 0, 560, 5, 5, 8)
    assert not fits(second, [first])
    close = lambda a, b: abs(a - b) <= max(0.2 * max(a, b), 1)
    read = {
        "sokal": ("age", "spleen_cm", "platelets", "blasts_pct"),
        "elts": ("age", "spleen_cm", "platelets", "blasts_pct"),
        "hasford": ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct"),
    }
    for seed in range(6):
        items = review_items("prognostic-score", ctx, 20, 1800 + seed)
        for a, b in itertools.combinations(items, 2):
            score = a.case["score"]
            if score != b.case["score"] or score not in read:
                continue
            if a.answer.text.split(", ")[-1] != b.answer.text.split(", ")[-1]:
                continue
            near = sum(close(a.case[k], b.case[k]) for k in read[score])
            assert near < len(read[score]) - 1, (a.case, b.case)


def test_emr_3_months_options_time_the_halving_from_where_the_stem_does(ctx):
    """S12-final-bank-B (5): the stem gives the value when the TKI was started ('started ... 3
    months (90 days) ago, when BCR::ABL1 (IS) was 52%'), but the options and the feedback spoke of
    the 'halving time since diagnosis'. Options, feedback and explanation now time it from the
    start of treatment, as the stem does, and never from diagnosis."""
    from generator.quiz.review import review_items

    for q in review_items("emr-3-months", ctx, 20, 1850):
        assert " started " in q.vignette and "when BCR::ABL1 (IS) was" in q.vignette, q.vignette
        texts = [o.text for o in q.options] + [o.why for o in q.options] + [q.explanation]
        assert not any("since diagnosis" in t or "value at diagnosis" in t for t in texts), texts
        missed = [o.text for o in q.options if o.text.startswith("EMR missed")]
        assert len(missed) == 2 and all("halving time since starting treatment" in t for t in missed), missed


def test_transplant_blastic_key_is_worded_as_plainly_as_the_other_groups(ctx):
    """S12-final-bank-A (5): the blastic key was padded ('Patients presenting with blastic-phase
    disease of their CML') or the only option spelling out 'chronic myeloid leukemia' where every
    other said CML or nothing. Each blastic wording now says CML, as the other options do, with
    no 'disease of their CML', and still says 'present' or 'presenting' (L689)."""
    import re

    from generator.quiz.review import review_items

    seen = set()
    for seed in range(4):
        for q in review_items("transplant", ctx, 20, 1860 + seed):
            for option in q.options:
                assert "chronic myeloid leukemia" not in option.text.lower(), option.text
                assert "disease of their" not in option.text, option.text
            if re.search(r"blastic[ -]phase", q.answer.text):
                assert re.search(r"\bpresent(ing)?\b", q.answer.text), q.answer.text
                seen.add(q.answer.text)
    assert len(seen) == 3, seen


@pytest.mark.parametrize("template_id", sorted(t for t in TEMPLATES if not t.startswith("course-")))
def test_each_letter_keys_about_a_fifth_of_a_templates_items(ctx, template_id):
    """bank-fix19 (S12-final-bank-B 1, S12-final2-bank 4 and 9): trial-higher-arm keyed E in 7 of
    13 items, emr-3-months E in 9 of 20, transplant A in 8 of 20; over 400 items milestones keyed
    E in 32% (its course drawn most often last in a fixed order) and ponatinib-dose D in 29% (a
    start item, its doses in order, keys B or D). Over 400 items of every bank template, each
    letter keys between 13% and 27%."""
    items = list(draw(TEMPLATES[template_id], ctx, 400, "letters"))
    letters = Counter(q.letters[q.key] for q in items)
    assert all(0.13 <= letters[letter] / len(items) <= 0.27 for letter in "ABCDE"), letters


def test_prognostic_score_key_takes_each_place_among_the_ordered_values_about_a_fifth(ctx):
    """bank-fix19 (S12-final-bank-B 4, S12-final2-bank 6): the key was the middle of the five
    ordered values in 10 of 20 items and an end value in 3; over 300 items the highest was keyed
    in 11%, the middle in 26%. Over 300 items each place, lowest to highest, holds 15% to 25%."""
    places = Counter()
    for q in draw(TEMPLATES["prognostic-score"], ctx, 300, "places"):
        values = [float(re.match(r"[\d.]+", o.text.replace(",", "")).group()) for o in q.options]
        places[sorted(values).index(values[q.key])] += 1
    assert all(0.15 <= places[place] / 300 <= 0.25 for place in range(5)), places


def test_transplant_asks_early_bmt_in_about_a_third_and_t315i_is_no_key_by_itself(ctx):
    """S12-final2-bank (transplant 1, 2): the early-BMT question was 12 of 20 items; and since the
    two T315I groups were never offered together, 'T315I: transplant' answered every item that
    offered one. "Allogeneic SCT is the preferred choice for ... those with a T315I variant and
    resistance to ponatinib": every 'preferred' item keyed to another group now offers T315I
    patients not yet given ponatinib, so over 300 items of sets of 20 the early question is about
    a third, and a T315I option is the key in under half the items that offer one. No key says
    'also' (S12-bank-fix16-2, 6), and the key is the shortest option in under a fifth."""
    items = list(draw(TEMPLATES["transplant"], ctx, 300, "share"))
    early = sum(q.case["ask"] == "early" for q in items)
    assert 0.25 * len(items) <= early <= 0.4 * len(items), early
    preferred = [q for q in items if q.case["ask"] == "preferred"]
    with_t315i = [q for q in preferred if any("T315I" in o.text for o in q.options)]
    t315i_keyed = sum("T315I" in q.answer.text for q in with_t315i)
    assert len(with_t315i) == len(preferred) and t315i_keyed <= 0.5 * len(with_t315i), (t315i_keyed, len(with_t315i))
    for q in preferred:
        assert sum("T315I" in o.text for o in q.options) == 1, [o.text for o in q.options]
        assert not re.search(r"\balso\b", q.answer.text), q.answer.text
    shortest = sum(len(q.answer.text) == min(len(o.text) for o in q.options) for q in preferred)
    assert shortest <= 0.2 * len(preferred), shortest


def first_line_items(ctx, seeds: int, situation: str):
    """The first-line-options items of one situation among those drawn at seeds 0 to seeds - 1."""
    for seed in range(seeds):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["situation"] == situation:
            yield q


def test_first_line_options_past_ponatinib_offers_five_options_each_with_its_own_reason(ctx):
    """S12-final-bank-A (3): past ponatinib the stem ruled ponatinib out and three first-line
    inhibitors fell to one sentence ("the T315I variant marks resistance to imatinib, dasatinib,
    nilotinib, and bosutinib"), so the item was in effect a choice between two. Now no ponatinib,
    one inhibitor the variant resists, imatinib at a higher dose ("higher doses of imatinib
    mesylate ... have been studied in this setting"), hydroxyurea ("palliative therapy") and
    interferon alfa (not among the options for relapsed CML); no key for anyone past the oldest
    age a transplant is offered at."""
    from generator.quiz.cases import OLDEST_OFFERED_TRANSPLANT_YEARS

    seen = 0
    for q in first_line_items(ctx, 400, "after-ponatinib"):
        seen += 1
        texts = [o.text for o in q.options]
        assert "Ponatinib" not in texts and "Imatinib" not in texts, texts
        assert len({o.why.split(";")[0] for o in q.options}) == 5, [o.why for o in q.options]
        assert q.case["age"] <= OLDEST_OFFERED_TRANSPLANT_YEARS, q.case
    assert seen >= 40, seen


def test_prognostic_score_no_two_options_add_up_to_the_key_and_no_value_is_two_slips(ctx):
    """R-bank-fix19 (1): EUTOS keys were the sum of two options (item 2: 48 + 14 = 62; item 5:
    64 + 56 = 120; item 10: 28 + 44 = 72), its two terms each offered as 'the other left out', so
    a student found the key without arithmetic; and 64, explained as blasts entered for
    basophils, was also the basophil term left out. No two options add up to the key as printed,
    and no option's value is what another slip gives as well."""
    from generator.quiz.templates.first_line import SCORE_DIGITS, _slips

    for q in draw(TEMPLATES["prognostic-score"], ctx, 300, "sums"):
        digits = SCORE_DIGITS[q.case["score"]]
        values = [float(re.match(r"[\d.]+", o.text.replace(",", "")).group()) for o in q.options]
        key = values[q.key]
        others = [v for i, v in enumerate(values) if i != q.key]
        assert not any(abs(a + b - key) <= 10**-digits for i, a in enumerate(others) for b in others[i + 1 :]), values
        printed = Counter(round(v, digits) for v in _slips(q.case["score"], q.case, ctx).values())
        for name in q.case["slips"]:
            value = _slips(q.case["score"], q.case, ctx)[name]
            assert printed[round(value, digits)] == 1, (name, value, q.case)


def test_transplant_preferred_keys_echo_no_stem_word_and_are_seldom_longest(ctx):
    """R-bank-fix19 (2, 3): 'CML', the stem's word ('patients with CML'), was in every key for
    blastic presentation or complete intolerance and in one distractor wording only; and 'Patients
    who have proved unable to tolerate the drug options for CML' was the longest option by 7
    characters. No key says 'CML', and over 300 items the key is the longest option in under a
    fifth of 'preferred' items."""
    longest = preferred = 0
    for q in draw(TEMPLATES["transplant"], ctx, 300, "echo"):
        if q.case["ask"] != "preferred":
            continue
        preferred += 1
        assert "CML" not in q.answer.text, q.answer.text
        longest += len(q.answer.text) == max(len(o.text) for o in q.options)
    assert longest <= 0.2 * preferred, (longest, preferred)


def test_first_line_options_with_t315i_wrong_options_each_fall_to_their_own_sentence(ctx):
    """R-bank-fix19 (4, 6, 7): before ponatinib the three first-line inhibitors fell to one sentence
    ("the T315I variant marks resistance to imatinib, dasatinib, nilotinib, and bosutinib"),
    leaving ponatinib against transplant; the ponatinib reason in a newly diagnosed item said the
    summary's options for chronic phase were the inhibitors alone (its list has transplant too);
    and 8 of 20 items were newly diagnosed. With T315I, every wrong option now has a reason of its
    own; the ponatinib reason quotes the preferred initial treatment; each situation comes in
    about a third of 300 items."""
    situations = Counter()
    for seed in range(300):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        situations[q.case["situation"]] += 1
        if q.case["situation"] == "new":
            why = next(o.why for o in q.options if o.text == "Ponatinib")
            assert why.startswith("The preferred initial treatment of newly diagnosed"), why
            continue
        wrong = [o.why.split(";")[0] for i, o in enumerate(q.options) if i != q.key]
        assert len(set(wrong)) == 4, wrong
    assert all(0.25 <= n / 300 <= 0.42 for n in situations.values()), situations


def test_transplant_sets_of_20_hold_the_early_question_at_most_a_third_and_repeat_no_early_key(ctx):
    """R-bank-fix19 (7, and a set of 20 at seed 9302 drawn for the second read): 10 early-BMT items
    of 20, three keyed 'A 54-year-old with an identical twin'. In every set of 20 the early
    question comes at most 7 times, no early key text twice and no 'preferred' key text thrice."""
    from generator.quiz.registry import DRAW_SET

    items = list(draw(TEMPLATES["transplant"], ctx, 10 * DRAW_SET, "sets"))
    for start in range(0, len(items), DRAW_SET):
        batch = items[start : start + DRAW_SET]
        assert sum(q.case["ask"] == "early" for q in batch) <= 7, start
        keys = Counter((q.case["ask"], q.answer.text) for q in batch)
        assert all(n <= (1 if ask == "early" else 2) for (ask, _), n in keys.items()), keys.most_common(2)


def test_prognostic_score_sets_spread_the_key_place_and_repeat_no_age_within_a_score(ctx):
    """R-bank-fix19, second read (1, 3): a set of 20 keyed the lowest value 8 times (4 of 5 ELTS
    items), and two Sokal men of 31, both low risk, made a near-repeat. In every set of 20 no
    place keys more than 6 items nor more than 2 of one score's, and no two items of one score
    share an age."""
    from generator.quiz.registry import DRAW_SET
    from generator.quiz.templates.first_line import _key_place

    items = list(draw(TEMPLATES["prognostic-score"], ctx, 10 * DRAW_SET, "place-sets"))
    for start in range(0, len(items), DRAW_SET):
        batch = items[start : start + DRAW_SET]
        places = Counter(_key_place(q) for q in batch)
        by_score = Counter((q.case["score"], _key_place(q)) for q in batch)
        assert max(places.values()) <= 6 and max(by_score.values()) <= 2, (places, by_score)
        ages = Counter((q.case["score"], q.case["age"]) for q in batch)
        assert max(ages.values()) == 1, ages


def test_sokal_options_are_positive_and_none_is_the_key_s_logarithm(ctx):
    """R-bank-fix19 read 2 (2): the Sokal slip 'the sum left as it is, instead of exponentiated'
    showed the key's natural logarithm: '0.00, low risk' beside the key 1.00, impossible for an
    exponential score, and e raised to the odd small value gave the key. Over 300 items no Sokal
    option is 0 or below, nor the key's logarithm as printed."""
    seen = 0
    for q in draw(TEMPLATES["prognostic-score"], ctx, 300, "sokal-log"):
        if q.case["score"] != "sokal":
            continue
        seen += 1
        values = [float(re.match(r"-?[\d.]+", o.text.replace(",", "")).group()) for o in q.options]
        logarithm = round(math.log(values[q.key]), 2)
        assert all(v > 0 and v != logarithm for v in values), (values, q.case)
    assert seen >= 50, seen


def test_first_line_options_hydroxyurea_reasons_name_no_count_and_answer_both_uses(ctx):
    """R-bank-fix19 read 2 (6): 'this patient's count of 45 × 10^9/L needs no stabilizing' rested
    on a level the summary never gives for hyperleukocytosis. "Hydroxyurea is used primarily to
    stabilize patients with hyperleukocytosis or as palliative therapy for patients who have not
    responded to other therapies": the hydroxyurea reason names no count and says neither use is
    the aim, in every situation."""
    seen = Counter()
    for seed in range(200):
        q = TEMPLATES["first-line-options"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        why = next(o.why for o in q.options if o.text == "Hydroxyurea")
        seen[q.case["situation"]] += 1
        assert "10^9/L" not in why and "no stabiliz" not in why, why
        # Past ponatinib the reason says what remains instead (R-final-bank 3, tested below).
        if q.case["situation"] != "after-ponatinib":
            assert "neither is the aim here" in why, why
    assert len(seen) == 3, seen


def test_first_line_options_past_ponatinib_hydroxyurea_reason_says_a_treatment_of_the_disease_remains(ctx):
    """R-final-bank (3): past ponatinib the hydroxyurea reason said palliation was 'not the aim
    here', though the disease had failed a TKI and ponatinib. It now grants that, and says a
    treatment aimed at the disease itself remains: 'Allogeneic SCT is the preferred choice for
    ... those with a T315I variant and resistance to ponatinib' (L689-691), for a patient fit for
    it with a donor."""
    seen = 0
    for q in first_line_items(ctx, 200, "after-ponatinib"):
        seen += 1
        why = next(o.why for o in q.options if o.text == "Hydroxyurea")
        assert "not the aim" not in why and "neither is the aim" not in why, why
        assert "has failed a TKI and ponatinib" in why, why
        assert "a treatment aimed at the disease itself remains" in why, why
        assert "allogeneic SCT is the preferred choice with a T315I variant and resistance to ponatinib" in why, why
    assert seen >= 40, seen


def test_first_line_options_new_transplant_reason_leads_with_the_inhibitor_and_is_exact_at_the_age_cut(ctx):
    """R-final-bank (4): every newly diagnosed transplant reason led with age or donor, implying a
    59-year-old with a sibling should have BMT, though 'the preferred initial treatment ... is a
    specific BCR::ABL1 inhibitor' (L500); and at 60 a patient was 'past the age below which' early
    BMT is considered, though 60 is the age itself: now 'not younger than 60'."""
    limit = ctx.content.management.transplant.consider_early_below_age
    older_with_sibling = 0
    for q in first_line_items(ctx, 600, "new"):
        why = next(o.why for o in q.options if o.text == "Allogeneic stem cell transplant")
        assert why.startswith(
            "The preferred initial treatment of newly diagnosed chronic-phase CML is a specific BCR::ABL1 inhibitor."
        ), why
        assert "past the age" not in why, why
        if q.case["sibling"]:
            older_with_sibling += 1
            assert f"At {q.case['age']}, this patient is not younger than {limit:g}," in why, why
    assert older_with_sibling >= 10, older_with_sibling


def test_transplant_preferred_lead_in_reads_plainly(ctx):
    """R-final-bank (4): 'In which group is allogeneic SCT the preferred choice for certain of its
    patients?' was awkward; every wording keeps 'certain patients' without 'of its'."""
    seen = set()
    for seed in range(200):
        q = TEMPLATES["transplant"].make(random.Random(seed), ctx, DIFFICULTIES[seed % 2])
        if q.case["ask"] != "preferred":
            continue
        seen.add(q.lead_in)
        assert "certain of its patients" not in q.lead_in, q.lead_in
        assert "certain patients" in q.lead_in, q.lead_in
    assert len(seen) == 3, seen


def test_prognostic_score_asks_for_the_score_by_hand_and_the_calculator_only_checks_it(ctx):
    """R-final-bank (2): every stem said the site's calculator computes the score, yet a third of
    the slips offered (a weight swapped, a power dropped, a centre missed, the platelet ratio
    inverted) happen only by hand. The stem and lead-in now set the score by hand, the calculator
    to check it afterwards, and the quiz's description and the template's own words agree."""
    from generator.quiz.blueprint import load_blueprints

    for q in draw(TEMPLATES["prognostic-score"], ctx, 40, "by-hand"):
        assert "calculator on the Prognostic scores page computes it" not in q.vignette, q.vignette
        assert "Compute it by hand" in q.vignette and "then check it with the site's calculator" in q.vignette
        assert q.lead_in.startswith("Computed by hand, what is the "), q.lead_in
    template = TEMPLATES["prognostic-score"]
    assert "by hand" in template.title and "by hand" in template.examines, (template.title, template.examines)
    quiz = next(b for b in load_blueprints(QUIZZES) if b.id == "score-calculator-practice")
    assert "by hand" in quiz.description and "calculator afterwards" in quiz.description, quiz.description


def test_prognostic_score_offers_threshold_slips_only_near_the_cut_and_no_copying_error(ctx):
    """R-final-bank (1): Hasford's 'term counted though under its threshold' was offered for
    platelets of 220 to 860 against >=1500 and ages of 24 and 31 against >=50, values no student
    scores the term for; and ELTS 'the blast weight used for the spleen too' was a copying error
    hard to believe. A term is counted under its threshold only within content's item-writing
    margin of the cut (score_threshold_slip_margin), and the ELTS slip is gone."""
    from generator.quiz.templates.first_line import _slips

    margin = ctx.content.patients.score_threshold_slip_margin
    hasford = ctx.content.scores.hasford
    far = {"score": "hasford", "age": 24.0, "spleen_cm": 4, "platelets": 220}
    far |= {"blasts_pct": 2, "eosinophils_pct": 3, "basophils_pct": 1}
    assert not any(name.endswith("counted-under-threshold") for name in _slips("hasford", far, ctx)), far
    near = far | {
        "age": hasford.age.at_least - margin["age"],
        "platelets": hasford.platelets.at_least - margin["platelets"],
        "basophils_pct": hasford.basophils.at_least - margin["basophils_pct"],
    }
    counted = {name for name in _slips("hasford", near, ctx) if name.endswith("counted-under-threshold")}
    assert counted == {f"{t}-counted-under-threshold" for t in ("age", "basophils", "platelets")}, counted
    elts = {"score": "elts", "age": 50.0, "spleen_cm": 6, "platelets": 400}
    elts |= {"blasts_pct": 2, "eosinophils_pct": 3, "basophils_pct": 1}
    assert "blast-weight-for-spleen" not in _slips("elts", elts, ctx)
    inputs = {"age": "age", "basophils": "basophils_pct", "platelets": "platelets"}
    for q in draw(TEMPLATES["prognostic-score"], ctx, 200, "near-cut"):
        assert "blast weight used for the spleen too" not in " ".join(o.why for o in q.options)
        for name in q.case["slips"]:
            if name.endswith("counted-under-threshold"):
                term = name.removesuffix("-counted-under-threshold")
                cut = getattr(hasford, term).at_least
                assert cut - margin[inputs[term]] <= q.case[inputs[term]] < cut, (name, q.case)


def test_hasford_offers_no_platelet_term_scaled_by_the_count(ctx):
    """R-bank-fix20 (2): 'the platelet weight multiplied by the count over its threshold' was no
    slip anyone computing Hasford by hand makes, and always gave the most extreme high value (its
    wording also spoke of a count over 1500 beside counts under it). The blast and eosinophil
    weights swapped, a slip of reading the formula, takes its place."""
    from generator.quiz.templates.first_line import _slips

    case = {"score": "hasford", "age": 55.0, "spleen_cm": 6, "platelets": 400}
    case |= {"blasts_pct": 2, "eosinophils_pct": 5, "basophils_pct": 1}
    slips = _slips("hasford", case, ctx)
    assert "platelets-as-ratio" not in slips
    hasford = ctx.content.scores.hasford
    exact = ctx.rules.hasford(55.0, 6, 400, 2, 5, 1).score
    swapped = exact + hasford.multiplier * (hasford.eosinophils.coefficient - hasford.blasts.coefficient) * (2 - 5)
    assert slips["blast-eosinophil-weights-swapped"] == pytest.approx(swapped)
