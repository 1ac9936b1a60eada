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


@pytest.mark.parametrize(
    "change, check",
    [
        ({"options": GOOD.options[:4]}, "five_options"),
        ({"lead_in": "Choose the usual starting dose."}, "lead_in_is_a_question"),
        ({"lead_in": "Which dose is NOT used?"}, "no_negative_lead_in"),
        ({"lead_in": "Which finding, on its own, does not constitute relapse?"}, "no_negative_lead_in"),
        ({"vignette": "A patient."}, "a_clinical_vignette"),
        ({"options": tuple(reversed(GOOD.options)), "key": 2}, "numbers_in_order"),
        ({"options": (*GOOD.options[:4], Option("Always 90 mg", "why"))}, "no_absolutes"),
        ({"options": (*GOOD.options[:4], Option("None of the above", "why"))}, "no_absolutes"),
        ({"vignette": GOOD.vignette + " She has 0% blasts in the bone marrow."}, "plausible_values"),
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
    assert [f.check for f in flaws] == ["key_not_longest"]


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
    other = dataclasses.replace(GOOD, vignette=GOOD.vignette.replace("54", "61"))
    assert lint.version_flaws("quiz", 3, [GOOD, other]) == []
    (flaw,) = lint.version_flaws("quiz", 3, [GOOD, other, GOOD])
    assert flaw.detail == "quiz version 3 repeats question 3"


def test_the_whole_bank_passes_the_item_writing_lint(content, rules):
    """Every template at 200 seeds and every version of every shipped quiz: no flaw at all."""
    from pathlib import Path

    from generator.quiz.blueprint import load_blueprints
    from generator.quiz.templates import Context

    blueprints = load_blueprints(Path(__file__).resolve().parent.parent / "quizzes")
    flaws = lint.whole_bank(Context(content, rules), blueprints, seeds=200)
    assert [str(f) for f in flaws[:10]] == []


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
