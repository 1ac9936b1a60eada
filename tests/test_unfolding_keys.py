"""Unfolding cases, step by step: an independent check of each step's key (each option judged
from its own words and the case, by generator.rules directly, quoting the summary), and the
checks of their own: each step's key follows from the values shown up to that step and no
later, a whole case is one patient, and earlier options never hint at the course.

test_quiz_keys.py takes UNFOLDING_RIGHT into its table, so every step is drawn there too."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pytest

from generator.quiz.courses import BRANCHES, STEPS, draw_course
from generator.quiz.lint import item_flaws, therapy_words
from generator.quiz.templates import TEMPLATES, Context
from generator.quiz.templates.unfolding import PREFIX, unfold
from generator.quiz.unfolding_lint import case_flaws, step_flaws


def _therapy(ctx, name: str) -> str:
    return next(t.id for t in ctx.content.therapies.values() if t.name == name)


def course_first_line(option, case, ctx):
    # "The preferred initial treatment for patients with newly diagnosed chronic-phase CML could
    # be any of the specific inhibitors of the BCR::ABL1 tyrosine kinase (including asciminib,
    # nilotinib, dasatinib, bosutinib, or imatinib)."
    assert ctx.rules.phase(case["blasts_pct"]) == "chronic"
    therapy = ctx.content.therapies[_therapy(ctx, option)]
    return therapy.kind == "tki" and therapy.id in ctx.rules.treatment_options("chronic")


def course_emr(option, case, ctx):
    # "EMR: Early molecular response. This means a greater than 1-log reduction (BCR::ABL1 ≤
    # 10%) at 3 months." ... "even patients with a BCR::ABL1 transcript level greater than 10%
    # after 3 months of therapy did well when the halving time was less than 76 days."
    met = ctx.rules.early_molecular_response(case["bcr_abl1_is_pct"])
    assert ctx.rules.molecular_response(case["bcr_abl1_is_pct"]) == "none", "never MMR at 3 months"
    return option.startswith("EMR is achieved") if met else "halving time helps" in option


def course_halving(option, case, ctx):
    days = ctx.rules.halving_time_days(case["first_pct"], case["second_pct"], case["days_between"])
    return float(re.match(r"^About (\d+) days$", option).group(1)) == round(days)


def course_twelve_months(option, case, ctx):
    # "After 1 year, the preferred response target is an MMR, which is defined as a BCR::ABL1
    # level of less than or equal to 0.1%."
    level = ctx.rules.molecular_response(case["at_year"])
    deeper = {"MMR": "MR4", "MR4": "MR4.5", "MR4.5": "MR5"}
    if level == "none":
        return option == "Short of MMR at 1 year"
    if level in deeper:
        return option == f"{level}, but not {deeper[level]}, at 1 year"
    return option == f"{level} at 1 year"


def course_next_step(option, case, ctx):
    # "Overt treatment failure is defined as a loss of hematologic remission or progression to
    # accelerated-phase or blast crisis phase CML." ... "In case of treatment failure or
    # suboptimal response, patients should undergo BCR::ABL1 kinase domain mutation analysis to
    # help guide therapy with the newer TKIs or with allogeneic transplant."
    if case["finding"] is not None:
        assert ctx.rules.relapse_status(case["finding"]) == "overt-failure"
        return "mutation analysis" in option
    assert ctx.rules.molecular_response(case["at_year"]) != "none", "MMR reached at a year"
    return option.startswith("Continue the TKI")


def course_t315i(option, case, ctx):
    # "In particular, the T315I variant marks resistance to imatinib, dasatinib, nilotinib, and
    # bosutinib." ... "Ponatinib is an oral TKI that has activity in patients with T315I
    # variants" ... "Patients with a T315I variant and those in whom ponatinib failed were included."
    therapy = _therapy(ctx, option)
    return therapy not in ctx.rules.t315i_resistant() and therapy in ("ponatinib", "asciminib")


def course_stopping(option, case, ctx):
    # "Patients who have taken a TKI for more than 3 to 5 years and attained a DMR (molecular
    # remission, 4.5; BCR::ABL1 ≤ 0.0032%) are the best candidates to consider stopping therapy."
    verdict = ctx.rules.tki_discontinuation(case["years_on_tki"], max(case["recent_pct"]))
    assert verdict != "uncertain", "never inside the summary's 3 to 5 years"
    if option.startswith("Among the best candidates"):
        return verdict == "best-candidate"
    return option == "Not among the best candidates: MR4.5 not reached" and verdict == "not-candidate"


def course_after_stopping(option, case, ctx):
    # "Almost all patients who relapse based on BCR::ABL1 quantitative reverse
    # transcription–polymerase chain reaction (RT-PCR) testing can be successfully reinduced
    # with the previous TKI." ... "A withdrawal syndrome of muscle and joint pain has been
    # reported after discontinuing TKI therapy."
    if case["story"] == "withdrawal":
        return ctx.rules.pain_after_stopping(case["value_pct"], 0.0) == "withdrawal" and "withdrawal" in option
    lost = ctx.rules.molecular_response(case["value_pct"]) == "none"
    return (
        lost and ctx.rules.after_stopping_relapse_step() == "previous-tki" and option == "Restart the previous TKI"
    )


UNFOLDING_RIGHT = {
    "course-first-line": course_first_line,
    "course-emr": course_emr,
    "course-halving": course_halving,
    "course-twelve-months": course_twelve_months,
    "course-next-step": course_next_step,
    "course-t315i": course_t315i,
    "course-stopping": course_stopping,
    "course-after-stopping": course_after_stopping,
}


@pytest.fixture(scope="module")
def ctx(content, rules):
    return Context(content, rules)


def cases(ctx, count: int, label: str):
    for seed in range(count):
        rng = random.Random(f"{label}:{seed}")
        course = draw_course(rng, ctx, BRANCHES[seed % len(BRANCHES)])
        yield course, unfold(course, ctx, rng, f"case-{seed}")


def test_every_step_is_registered_and_checked():
    steps = {PREFIX + step for steps in STEPS.values() for step in steps}
    assert steps == set(UNFOLDING_RIGHT) == {t for t in TEMPLATES if t.startswith(PREFIX)}


def test_every_step_of_every_case_has_one_key_the_rules_give(ctx):
    for course, steps in cases(ctx, 200, "keys"):
        assert [q.template for q in steps] == [PREFIX + s for s in course.steps]
        for q in steps:
            right = [i for i, o in enumerate(q.options) if UNFOLDING_RIGHT[q.template](o.text, q.case, ctx)]
            assert right == [q.key], (q.template, [o.text for o in q.options])
            assert q.answer.text == TEMPLATES[q.template].expected(q.case, ctx)


def test_a_case_is_one_patient_told_in_order(ctx):
    for course, steps in cases(ctx, 100, "story"):
        assert [q.step.number for q in steps] == list(range(1, len(steps) + 1))
        assert {q.step.of for q in steps} == {len(steps)} and 4 <= len(steps) <= 6
        assert {q.step.case for q in steps} == {steps[0].step.case}
        for earlier, later in zip(steps, steps[1:]):
            assert later.vignette == f"{earlier.vignette} {later.step.news}", "each stem carries the story so far"
        assert steps[0].vignette.startswith(course.who.intro)


def test_every_step_passes_the_item_lint_and_the_case_checks(ctx):
    therapies = therapy_words(ctx.content)
    for _, steps in cases(ctx, 200, "lint"):
        for q in steps:
            assert item_flaws(q, therapies) == [], q.vignette
        assert case_flaws(steps, ctx) == []


def test_no_key_rests_on_a_value_shown_later(ctx):
    """The lint check itself: a step whose case holds a value first shown later is flagged."""
    _, steps = next(cases(ctx, 1, "later"))
    emr = steps[1]
    leaked = type(emr)(**{**emr.__dict__, "case": {"bcr_abl1_is_pct": 0.0123}})
    assert [f.check for f in step_flaws(leaked, ctx)] == ["key_from_values_shown"]


def test_options_never_hint_at_the_branch(ctx):
    """A step's options (numbers apart) are the same whatever the course goes on to do."""
    seen: dict[str, dict[str, set[frozenset[str]]]] = defaultdict(lambda: defaultdict(set))
    for course, steps in cases(ctx, 400, "hint"):
        for q in steps:
            if q.template in ("course-halving", "course-first-line", "course-t315i", "course-after-stopping"):
                continue  # numbers of this patient, the drug drawn, or a story the stem tells
            seen[q.template][course.branch].add(frozenset(o.text for o in q.options))
    for template, by_branch in seen.items():
        sets = set().union(*by_branch.values())
        assert len(sets) == 1, f"{template}: options differ between branches"


def test_grey_zones_are_never_drawn(ctx, content):
    stop = content.management.tki_discontinuation
    for _, steps in cases(ctx, 200, "grey"):
        for q in steps:
            if q.template == "course-stopping":
                assert q.case["years_on_tki"] > stop.upper_years_on_tki
            if q.template == "course-halving":
                days = ctx.rules.halving_time_days(q.case["first_pct"], q.case["second_pct"], q.case["days_between"])
                limit = content.responses.halving_time.max_days
                assert not limit / 1.2 < days < limit * 1.2


def test_an_option_naming_a_value_shown_later_is_flagged(ctx):
    _, steps = next(cases(ctx, 1, "hint"))
    later = steps[2].step.news  # the values at 6 and 12 months
    value = re.search(r"\d+(?:\.\d+)?%", later).group(0)
    emr = steps[1]
    options = (type(emr.options[0])(f"BCR::ABL1 will be {value} at a year", "x"), *emr.options[1:])
    hinting = type(emr)(**{**emr.__dict__, "options": options})
    flaws = case_flaws([steps[0], hinting, *steps[2:]], ctx)
    checks = {f.check for f in flaws if f.template == "course-emr"}
    assert checks - {"key_from_the_rules"} == {"no_hint_of_later_steps"}


def test_the_first_step_asks_for_the_preferred_treatment(ctx):
    """R8 C1·1: at WBC 270 x 10^9/L hydroxyurea is an appropriate treatment too ("Hydroxyurea is
    used primarily to stabilize patients with hyperleukocytosis"); the lead-in asks for the
    summary's "preferred initial treatment", and hydroxyurea's feedback does not deny its place."""
    for _, steps in cases(ctx, 20, "first"):
        q = steps[0]
        assert q.lead_in == "Which is the preferred initial treatment?"
        hydroxyurea = next(o for o in q.options if o.text.startswith("Hydroxyurea"))
        assert "hyperleukocytosis" in hydroxyurea.why and "not the initial treatment" not in hydroxyurea.why


def test_the_t315i_step_speaks_of_cardiovascular_risk_only_when_ponatinib_is_offered(ctx):
    """R8 C1·6: 'no cardiovascular disease, hypertension or diabetes' matters only to ponatinib
    ("Patients with significant cardiovascular disease, hypertension, or diabetes mellitus have
    been excluded from clinical trials"); with asciminib the key, the stem does not say it, and
    the feedback claims no more than "A phase I trial of asciminib included ... T315I"."""
    seen = set()
    for course, steps in cases(ctx, 200, "t315i"):
        if course.branch != "t315i":
            continue
        q = steps[-1]
        seen.add(q.answer.text.split()[0])
        offered = any(o.text.startswith("Ponatinib") for o in q.options)
        assert ("cardiovascular" in q.step.news) == offered, q.step.news
        if q.answer.text.startswith("Asciminib"):
            assert "one phase I trial" in q.answer.why and "trials included" not in q.answer.why
    assert seen == {"Ponatinib", "Asciminib"}


def test_the_failure_step_does_not_state_its_own_premise(ctx):
    """R8 C1·5: the stem said 'the hematologic remission is lost', the very premise of the key
    ("Overt treatment failure is defined as a loss of hematologic remission"); the student now
    reads it from the counts, with the blood blasts shown to judge the phase."""
    for course, steps in cases(ctx, 200, "failure"):
        if course.branch != "t315i":
            continue
        news = steps[4].step.news
        assert "remission is lost" not in news and "blasts" in news, news


def test_the_year_step_does_not_ask_again_what_the_emr_step_keyed(ctx):
    """R8 step 4: 'EMR missed; MMR not reached at 1 year' re-asked the EMR step's answer, so
    only the 12-month half was tested; the step now asks the response at a year alone."""
    for _, steps in cases(ctx, 40, "year"):
        q = next(q for q in steps if q.template == "course-twelve-months")
        assert not any("EMR" in o.text for o in q.options), [o.text for o in q.options]
