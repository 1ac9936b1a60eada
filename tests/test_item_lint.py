"""The item-writing checks (generator/quiz/lint.py) find each flaw they name, and pass an item
written by the rules: five homogeneous options, a positive question, numbers in order."""

from __future__ import annotations

import dataclasses
import random

import pytest

from generator.quiz import lint
from generator.quiz.question import LearnMore, Option, Question

GOOD = Question(
    "demo",
    "A 54-year-old woman with chronic-phase CML has taken imatinib for 3 months; her BCR::ABL1 is 8% (IS).",
    "Which dose of ponatinib is usual to start?",
    tuple(Option(f"{mg} mg once daily", "why") for mg in (15, 30, 45, 60, 90)),
    2,
    "explained",
    LearnMore("Ponatinib", "sections/relapsed.md"),
)


def flaws_of(question: Question) -> set[str]:
    return {flaw.check for flaw in lint.item_flaws(question)}


def test_a_well_written_item_has_no_flaw():
    assert flaws_of(GOOD) == set()


def test_numbers_in_descending_order_are_in_order():
    """S6-3 (the courses' halving step): ascending only put a slow fall's key last in a third of
    its items for the letters to balance; numbers from largest to smallest are in order too."""
    assert flaws_of(dataclasses.replace(GOOD, options=tuple(reversed(GOOD.options)))) == set()


@pytest.mark.parametrize(
    "change, check",
    [
        ({"options": GOOD.options[:4]}, "five_options"),
        ({"lead_in": "Choose the usual starting dose."}, "lead_in_is_a_question"),
        ({"lead_in": "Which dose is NOT used?"}, "no_negative_lead_in"),
        ({"lead_in": "Which finding, on its own, does not constitute relapse?"}, "no_negative_lead_in"),
        ({"vignette": "A patient."}, "a_clinical_vignette"),
        ({"options": tuple(GOOD.options[i] for i in (1, 0, 2, 3, 4)), "key": 2}, "numbers_in_order"),
        ({"options": (*GOOD.options[:4], Option("Always 90 mg", "why"))}, "no_absolutes"),
        ({"options": (*GOOD.options[:4], Option("None of the above", "why"))}, "no_absolutes"),
        # R2, emr-3-months: "EMR is missed; the TKI must be changed now, whatever the trend".
        ({"options": (*GOOD.options[:4], Option("90 mg, whatever the trend", "why"))}, "no_absolutes"),
        ({"options": (*GOOD.options[:4], Option("90 mg must be given now", "why"))}, "no_absolutes"),
        ({"vignette": GOOD.vignette + " She has 0% blasts in the bone marrow."}, "plausible_values"),
        # S6-A, phase-from-blasts item 14: a blood with no immature cell at all.
        (
            {"vignette": GOOD.vignette + " She has 0% blasts and 0% promyelocytes in the peripheral blood."},
            "plausible_values",
        ),
        # S6-A, transplant: "Selected patients who present in blastic phase" among flat "Patients ...".
        (
            {
                "options": (
                    Option("Selected patients in blastic phase", "why"),
                    *(Option(f"Patients {n}", "why") for n in "abcd"),
                ),
                "key": 0,
            },
            "key_not_alone_hedged",
        ),
        ({"vignette": "Four patients with chronic-phase CML ask about stopping."}, "stem_counts_the_options"),
        ({"vignette": GOOD.vignette.replace("A 54-year-old", "A 83-year-old")}, "articles_as_spoken"),
    ],
)
def test_each_flaw_is_found(change, check):
    assert check in flaws_of(dataclasses.replace(GOOD, **change))


def bank(keys: list[int], longest_key: bool = False) -> list[Question]:
    questions = []
    for key in keys:
        options = list(GOOD.options)
        if longest_key:
            options[key] = Option(options[key].text + " and then titrated", "why")
        questions.append(dataclasses.replace(GOOD, options=tuple(options), key=key))
    return questions


def test_a_balanced_bank_has_no_cue():
    keys = [i % 5 for i in range(200)]
    random.Random(1).shuffle(keys)
    assert lint.bank_flaws(bank(keys)) == []


def test_a_key_letter_drawn_too_often_is_a_cue():
    flaws = lint.bank_flaws(bank([0] * 80 + [i % 5 for i in range(120)]))
    assert {(f.check, f.detail) for f in flaws} >= {("key_letters_balanced", "A is the key in 52% of items")}


def test_a_key_that_is_usually_the_longest_option_is_a_cue():
    flaws = lint.bank_flaws(bank([i % 5 for i in range(200)], longest_key=True))
    assert "key_not_longest" in [f.check for f in flaws]
    assert "key_not_longest" not in [f.check for f in lint.bank_flaws(bank([i % 5 for i in range(200)]))]


def test_a_key_that_alone_echoes_the_stem_is_a_cue():
    echo = [
        dataclasses.replace(
            q,
            options=tuple(Option(o.text + (" imatinib" if i == q.key else ""), "why") for i, o in enumerate(q.options)),
        )
        for q in bank([i % 5 for i in range(200)])
    ]
    assert "key_not_echoing_the_stem" in {f.check for f in lint.bank_flaws(echo)}


def test_a_small_bank_is_not_judged():
    assert lint.bank_flaws(bank([0] * 50)) == []


def test_the_same_question_twice_in_a_version_is_a_repeat():
    other = dataclasses.replace(GOOD, vignette=GOOD.vignette.replace("54", "61"), key=3)
    assert lint.version_flaws("quiz", 3, [GOOD, other]) == []
    (flaw,) = lint.version_flaws("quiz", 3, [GOOD, other, GOOD])
    assert flaw.detail == "quiz version 3: question 3 repeats question 1 (the same stem)"


def test_the_same_stem_with_other_options_is_a_repeat():
    """The old check needed the same options too, and so saw none of the bank's 39 repeated stems."""
    reworded = dataclasses.replace(GOOD, options=tuple(Option(f"{mg} mg a day", "why") for mg in (15, 30, 45, 60, 90)))
    (flaw,) = lint.version_flaws("quiz", 1, [GOOD, reworded])
    assert flaw.detail == "quiz version 1: question 2 repeats question 1 (the same stem)"


def test_the_same_template_lead_in_and_key_is_a_repeat_whatever_the_patient():
    older = dataclasses.replace(GOOD, vignette=GOOD.vignette.replace("54-year-old woman", "71-year-old man"))
    (flaw,) = lint.version_flaws("quiz", 2, [GOOD, older])
    assert flaw.detail == "quiz version 2: question 2 repeats question 1 (the same lead-in and key)"
    assert lint.version_flaws("quiz", 2, [GOOD, dataclasses.replace(older, key=3)]) == []
    assert lint.version_flaws("quiz", 2, [GOOD, dataclasses.replace(older, template="other")]) == []


def test_one_key_text_answering_most_of_a_bank_is_a_memorised_key():
    same = [dataclasses.replace(GOOD, key=i % 5) for i in range(200)]
    assert "key_text_varies" not in {f.check for f in lint.bank_flaws(same)}
    fixed = [
        dataclasses.replace(GOOD, options=tuple(reversed(GOOD.options)) if i % 2 else GOOD.options, key=2)
        for i in range(200)
    ]
    (flaw,) = [f for f in lint.bank_flaws(fixed) if f.check == "key_text_varies"]
    assert flaw.detail == "'45 mg once daily' is the key in 100% of items"


def test_a_word_only_the_key_says_is_a_cue_unless_it_names_a_therapy():
    words = ("Fatigue alone", "Night sweats", "Weight loss", "Itching skin", "Early satiety")
    items = []
    for i in range(200):
        options = list(words)
        options[i % 5] = "Fever and a rapidly enlarging spleen"
        items.append(dataclasses.replace(GOOD, options=tuple(Option(t, "why") for t in options), key=i % 5))
    (flaw,) = [f for f in lint.bank_flaws(items) if f.check == "key_not_alone_in_a_word"]
    assert flaw.detail.startswith("only the key says") and flaw.detail.endswith("in 100% of items")
    drugs = ("Imatinib", "Dasatinib", "Nilotinib", "Bosutinib", "Asciminib")
    named = [dataclasses.replace(GOOD, options=tuple(Option(d, "why") for d in drugs), key=i % 5) for i in range(200)]
    therapies = frozenset(d.lower() for d in drugs)
    assert "key_not_alone_in_a_word" not in {f.check for f in lint.bank_flaws(named, therapies)}


def test_a_key_that_is_the_odd_one_out_is_a_cue():
    items = []
    for i in range(200):
        options = [f"Increased megakaryocytes in the marrow, grade {n}" for n in range(5)]
        options[i % 5] = "Older age"
        items.append(dataclasses.replace(GOOD, options=tuple(Option(t, "why") for t in options), key=i % 5))
    assert "key_not_odd_one_out" in {f.check for f in lint.bank_flaws(items)}


def test_a_key_echoing_a_phrase_of_the_stem_is_a_cue():
    echo = dataclasses.replace(
        GOOD,
        lead_in="Which finding, on its own, is compatible with a continuing remission?",
        options=(
            Option("BCR::ABL1 detected by RT-PCR in a prolonged remission, on its own", "why"),
            Option("Loss of hematologic remission", "why"),
            Option("Progression to accelerated phase", "why"),
            Option("FISH positivity after being negative", "why"),
            Option("Cytogenetic positivity after being negative", "why"),
        ),
        key=0,
    )
    (flaw,) = [f for f in lint.item_flaws(echo) if f.check == "key_not_echoing_a_phrase"]
    assert "'on its own'" in flaw.detail


def test_a_key_at_the_start_of_other_options_converges():
    plans = (
        "RT-PCR every 3 months",
        "RT-PCR every 3 months, for 1 year only",
        "RT-PCR every 3 months, for 2 years only",
    )
    options = tuple(Option(t, "why") for t in (*plans, "FISH every 3 months", "RT-PCR every 12 months"))
    assert "key_not_converging" in flaws_of(dataclasses.replace(GOOD, options=options, key=0))
    assert "key_not_converging" not in flaws_of(dataclasses.replace(GOOD, options=options, key=3))


PLAUSIBLE = lint.Plausible(
    youngest=20, oldest=90, adult=18, oldest_for_transplant=75, median_age=67, hyperleukocytosis=100
)


@pytest.mark.parametrize(
    "vignette, options, detail",
    [
        (GOOD.vignette, ("An 84-year-old with an HLA-matched sibling",), "a patient past 75 offered a transplant"),
        (GOOD.vignette, ("A 25-year-old woman who had cataract surgery on both eyes 8 years ago",), "an event before"),
        (GOOD.vignette.replace("54", "17"), (), "an age outside 20 to 90 years"),
        # S6-A, hydroxyurea-dosing items 2 and 15: the word for a count it is not.
        (
            "A 60-year-old man started hydroxyurea for hyperleukocytosis with a WBC count of 60 × 10^9/L.",
            (),
            "hyperleukocytosis at a WBC count under 100",
        ),
    ],
)
def test_implausible_patients_are_found(vignette, options, detail):
    options = tuple(Option(t, "why") for t in options) + GOOD.options[len(options) :]
    item = dataclasses.replace(GOOD, vignette=vignette, options=options)
    found = [f.detail for f in lint.item_flaws(item, plausible=PLAUSIBLE) if f.check == "plausible_patients"]
    assert [d for d in found if d.startswith(detail)], found


def test_older_age_keyed_for_a_young_patient_is_implausible():
    predictors = tuple(Option(t, "why") for t in ("Older age", "Anemia", "A hypercellular marrow", "X", "Y"))
    young = dataclasses.replace(GOOD, vignette=GOOD.vignette.replace("54", "20"), options=predictors, key=0)
    assert "plausible_patients" in {f.check for f in lint.item_flaws(young, plausible=PLAUSIBLE)}
    old = dataclasses.replace(young, vignette=GOOD.vignette.replace("54", "72"))
    assert lint.item_flaws(old, plausible=PLAUSIBLE) == []
    assert lint.item_flaws(GOOD, plausible=PLAUSIBLE) == []


def test_the_whole_bank_passes_the_item_writing_lint(content, rules):
    """Every template at 200 seeds and every version of every shipped quiz: no flaw at all."""
    from pathlib import Path

    from generator.quiz.blueprint import load_blueprints
    from generator.quiz.templates import Context

    blueprints = load_blueprints(Path(__file__).resolve().parent.parent / "quizzes")
    flaws = lint.whole_bank(Context(content, rules), blueprints, seeds=200)
    assert [str(f) for f in flaws[:10]] == []


def test_every_exemption_is_still_needed(content, rules):
    """The exemptions are temporary: once an exempted template passes a check, its entry goes.
    So too the known cues (lint.KNOWN_CUES), which other branches are mending: each entry still
    fails its check, and the list shrinks as the mends are merged."""
    from pathlib import Path

    from generator.quiz.blueprint import load_blueprints
    from generator.quiz.templates import Context

    blueprints = load_blueprints(Path(__file__).resolve().parent.parent / "quizzes")
    found = {(f.template, f.check) for f in lint.whole_bank(Context(content, rules), blueprints, seeds=200, exempt={})}
    listed = {(template, check) for template, checks in lint.spared().items() for check in checks}
    assert listed - found == set()


FORM_CUES = {check.__name__ for check in lint.FORM_CUES}


def test_the_form_cues_hold_at_other_seeds(content, rules):
    """No flaky check: drawn at seeds the lint does not use, no template outside KNOWN_CUES fails
    a cue of form, so a fair template passes whatever the draw."""
    from generator.quiz.templates import TEMPLATES, Context, draw

    ctx, therapies = Context(content, rules), lint.therapy_words(content)
    known = {(template, check) for template, checks in lint.KNOWN_CUES.items() for check in checks}
    for label in ("steady-1", "steady-2"):
        found = {
            (f.template, f.check)
            for template in TEMPLATES.values()
            for f in lint.bank_flaws(list(draw(template, ctx, 200, label)), therapies)
            if f.check in FORM_CUES
        }
        assert found - known == set(), label


def test_options_of_different_kinds_are_a_flaw(content):
    therapies = lint.therapy_words(content)
    drugs = [Option(name, "why") for name in ("Imatinib", "Dasatinib", "Nilotinib", "Bosutinib")]
    filler = dataclasses.replace(GOOD, options=(*drugs, Option("Stop treatment and observe", "why")), key=0)
    assert [f.check for f in lint.item_flaws(filler, therapies)] == ["homogeneous_options"]
    assert lint.item_flaws(dataclasses.replace(filler, options=(*drugs, Option("Ponatinib", "why"))), therapies) == []


def test_numbers_in_different_units_are_a_flaw():
    mixed = (*GOOD.options[:4], Option("90 mg/kg per day", "why"))
    assert "homogeneous_options" in flaws_of(dataclasses.replace(GOOD, options=mixed))
    assert lint.option_kind("About 20%") == lint.option_kind("35%") == "number in %"
    assert lint.option_kind("A 54-year-old woman who had an appendectomy") == "patient"


def items(option_sets: list[tuple[str, ...]], keys: list[int]) -> list[Question]:
    """A template's draw: GOOD's stem with these options and keys, item by item."""
    return [
        dataclasses.replace(GOOD, options=tuple(Option(t, "why") for t in texts), key=key)
        for texts, key in zip(option_sets, keys, strict=True)
    ]


def checks_of(questions: list[Question], therapies: frozenset[str] = frozenset()) -> dict[str, str]:
    return {f.check: f.detail for f in lint.bank_flaws(questions, therapies)}


# S8-bank-A-2, hydroxyurea-dosing: 3000 among 2250, 3375, 3750 and 4125 mg; the round key moves
# through the places, so only its roundness gives it away.
ODD_DOSES = [(2250, 3375, 3750, 4125), (1925, 2625, 3675, 4725), (2125, 2975, 3325, 4275)]


def dose_sets(n: int) -> tuple[list[tuple[str, ...]], list[int]]:
    sets, keys = [], []
    for i in range(n):
        doses = sorted([*ODD_DOSES[i % 3], 1000 * (i % 5 + 1) + 500 * (i % 2)])
        round_dose = next(d for d in doses if d % 500 == 0)
        sets.append(tuple(f"{d} mg per day" for d in doses))
        keys.append(doses.index(round_dose))
    return sets, keys


def test_the_key_as_the_only_round_number_is_a_cue():
    sets, keys = dose_sets(200)
    detail = checks_of(items(sets, keys))["key_not_alone_in_form"]
    assert detail == (
        "the only round number is the key in 200 of the 200 items where one option stands alone (100%; chance is 20%)"
    )
    # The same doses, keyed by the case and not by their look: the round dose is the key by chance.
    fair = [i % 5 for i in range(200)]
    random.Random(2).shuffle(fair)
    assert "key_not_alone_in_form" not in checks_of(items(sets, fair))


def test_the_key_as_the_only_plain_drug_among_combinations_is_a_cue(content):
    therapies = lint.therapy_words(content)
    combos = ("Hyper-CVAD with dasatinib", "Busulfan with hydroxyurea", "Imatinib with interferon alfa")
    sets, keys = [], []
    for i in range(200):
        texts = [*combos, "Nilotinib plus busulfan"]
        texts.insert(i % 5, "Dasatinib")
        sets.append(tuple(texts))
        keys.append(i % 5)
    detail = checks_of(items(sets, keys), therapies)["key_not_alone_in_form"]
    assert detail.startswith("the only combination (or the only option that is not one) is the key in 200 of the 200")
    assert "key_not_alone_in_form" not in checks_of(items(sets, [(i + 1) % 5 for i in range(200)]), therapies)


def test_the_key_as_the_only_option_with_a_figure_is_a_cue():
    """S8-trial-hazard-ratio-2: the one option carrying a number stood apart (there, never keyed)."""
    plain = ("Asciminib did better", "Imatinib did better", "Neither did better", "The trial could not tell")
    sets = [tuple([*plain[: i % 5], "Asciminib, by 8.2 points", *plain[i % 5 :]]) for i in range(200)]
    detail = checks_of(items(sets, [i % 5 for i in range(200)]))["key_not_alone_in_form"]
    assert detail.startswith("the only option with a number (or the only one without) is the key in 200 of the 200")
    assert "key_not_alone_in_form" not in checks_of(items(sets, [(i + 2) % 5 for i in range(200)]))


def test_the_key_as_the_only_qualified_option_is_a_cue():
    """S8-bank-A-2, X4, transplant: "Patients presenting in blastic phase, depending on their
    response to treatment and its durability" is the summary's own condition, so one item may
    carry it; keyed in every item that offers it, the qualifier gives the key away."""
    flat = (
        "Patients who relapse after stopping",
        "Patients with T315I",
        "Patients in chronic phase",
        "Patients aged 70",
    )
    qualified = "Patients presenting in blastic phase, depending on their response to treatment"
    sets = [tuple([*flat[: i % 5], qualified, *flat[i % 5 :]]) for i in range(200)]
    detail = checks_of(items(sets, [i % 5 for i in range(200)]))["key_not_alone_in_form"]
    assert detail.startswith("the only option with a hedge or qualifier (or the only one without) is the key in 200")
    assert "key_not_alone_in_form" not in checks_of(items(sets, [(i + 3) % 5 for i in range(200)]))


def risk_sets(n: int, key_in_crowd: bool) -> tuple[list[tuple[str, ...]], list[int]]:
    """Three options of the key's risk group and two of others (S8-bank-A-2, prognostic-score),
    or the key moving evenly through a fixed set of three high and two other groups."""
    sets, keys = [], []
    for i in range(n):
        score = 100 + i
        groups = ["high", "high", "high", "low", "intermediate"]
        sets.append(tuple(f"{score + 7 * j}, {group} risk" for j, group in enumerate(groups)))
        keys.append(i % 3 if key_in_crowd else i % 5)
    return sets, keys


def test_a_key_of_the_options_commonest_kind_is_a_cue():
    detail = checks_of(items(*risk_sets(200, key_in_crowd=True)))["key_not_of_the_commonest_kind"]
    assert detail == "the key is of the options' commonest kind in 200 of the 200 items that have one (100%)"
    # Keyed evenly, three of a kind hold the key in 60% of items: the crowd by chance, no cue.
    assert "key_not_of_the_commonest_kind" not in checks_of(items(*risk_sets(200, key_in_crowd=False)))


def test_one_kind_of_key_answering_most_items_is_a_memorised_key():
    """ "High risk" in most keys: a student learns the group, not the cut-offs (S8-bank-A-2)."""
    groups = ("low", "intermediate", "high")
    sets = [tuple(f"{100 + i + 9 * j}, {groups[j % 3]} risk" for j in range(5)) for i in range(200)]
    high = [2 if i % 5 < 3 else i % 2 for i in range(200)]  # option 2 is high risk: 60% of keys
    assert (
        checks_of(items(sets, high))["key_category_varies"] == "a key of the kind '#, high risk' answers 60% of items"
    )
    even = [i % 3 for i in range(200)]
    assert "key_category_varies" not in checks_of(items(sets, even))


def numeric_sets(ranks: list[int]) -> tuple[list[tuple[str, ...]], list[int]]:
    """Five halving times, ascending or descending in turn, the key at the given rank."""
    sets, keys = [], []
    for i, rank in enumerate(ranks):
        days = [10 + i % 7 + 9 * j for j in range(5)]
        if i % 2:
            days.reverse()
        sets.append(tuple(f"About {d} days" for d in days))
        keys.append(rank if i % 2 == 0 else 4 - rank)
    return sets, keys


def test_a_key_stuck_at_one_rank_among_numbers_is_a_cue():
    """S8-courses-3: the halving key second-smallest in 4 of 5 courses, its letter spread by
    options in either order, so that only its rank among the numbers gives it away."""
    stuck = checks_of(items(*numeric_sets([1 if i % 5 else 3 for i in range(200)])))
    assert stuck["key_rank_varies"] == (
        "the key's rank among the numbers, smallest first, is 1st 0%, 2nd 80%, 3rd 0%, 4th 20%, 5th 0%"
        " over 200 items (skew 0.60)"
    )
    assert "key_rank_varies" not in checks_of(items(*numeric_sets([i % 5 for i in range(200)])))
    # Never the smallest or largest (S8-bank-A, hydroxyurea-dosing's start items).
    assert "key_rank_varies" in checks_of(items(*numeric_sets([1 + i % 3 for i in range(200)])))


def with_words(sets: list[tuple[str, ...]], keys: list[int]) -> list[Question]:
    """A bank of 200: these numeric items, and the rest statements keyed evenly."""
    words = [tuple(f"Plan {c} number {i}" for c in "ABCDE") for i in range(200 - len(sets))]
    return items(sets + words, keys + [i % 5 for i in range(len(words))])


def test_a_few_numeric_items_stuck_at_one_rank_are_judged_and_fewer_are_not():
    """A key always 4th in the 41 start items of a 200-item bank: too plain to need more."""
    assert "key_rank_varies" in checks_of(with_words(*numeric_sets([3] * 41)))
    assert "key_rank_varies" not in checks_of(with_words(*numeric_sets([i % 5 for i in range(41)])))
    assert "key_rank_varies" not in checks_of(with_words(*numeric_sets([1] * (lint.MIN_RANKED - 1))))


def test_a_key_naming_the_stem_s_first_drug_is_a_cue(content):
    """S8-trial-hazard-ratio-2: the favoured arm was the first-named arm in 18 of 20 items."""
    therapies = lint.therapy_words(content)
    pairs = [("bosutinib", "imatinib"), ("asciminib", "nilotinib"), ("ponatinib", "dasatinib")]
    questions = []
    for i in range(200):
        first, second = pairs[i % 3]
        texts = (
            f"{first.capitalize()} did better, significantly",
            f"{first.capitalize()} did better, not significantly",
            f"{second.capitalize()} did better, significantly",
            f"{second.capitalize()} did better, not significantly",
            "No difference was reported",
        )
        stem = f"A randomized trial compared {first} with {second} in chronic-phase CML after a first TKI failed."
        questions.append(dataclasses.replace(GOOD, vignette=stem, options=tuple(Option(t, "why") for t in texts)))
    first_named = [dataclasses.replace(q, key=i % 2) for i, q in enumerate(questions)]
    detail = checks_of(first_named, therapies)["key_not_first_named"]
    assert detail == (
        "the key names first the drug the stem names first in 200 of 200 items (100%; the options give 40% by chance)"
    )
    fair = [dataclasses.replace(q, key=i % 5) for i, q in enumerate(questions)]
    assert "key_not_first_named" not in checks_of(fair, therapies)
