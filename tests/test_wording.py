"""Wording a reader trips on: a count agrees with its unit ("1 year", never "1 years"), and
feedback on a response level the value also meets says so instead of reciting a definition."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from generator.quiz import lint
from generator.quiz.templates import TEMPLATES, Context, draw
from generator.render import format_count

ONE_PLURAL = re.compile(r"\b1 (years|months|weeks|days|times|patients)\b")


@pytest.fixture(scope="module")
def ctx(content, rules):
    return Context(content, rules)


def test_a_count_takes_the_singular_for_one():
    assert [format_count(n, "year") for n in (1, 2, 6)] == ["1 year", "2 years", "6 years"]
    assert format_count(1.5, "day") == "1.5 days"
    assert format_count(2, "person", "people") == "2 people"


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_no_question_says_one_with_a_plural(ctx, template_id):
    for question in draw(TEMPLATES[template_id], ctx, 100, "wording"):
        texts = [question.vignette, question.lead_in, question.explanation]
        texts += [text for option in question.options for text in (option.text, option.why)]
        assert [t for t in texts if ONE_PLURAL.search(t)] == []


def test_the_lint_flags_one_with_a_plural(ctx):
    question = next(draw(TEMPLATES["response-level"], ctx, 1, "wording"))
    bad = dataclasses.replace(question, vignette=question.vignette + " On a TKI for 1 years.")
    assert [f.check for f in lint.item_flaws(bad)] == ["counts_agree"]
    assert lint.item_flaws(question) == []


def response_question(ctx, level_id):
    """A response-level question whose key is level_id."""
    for seed in range(500):
        question = TEMPLATES["response-level"].make(random.Random(seed), ctx, "standard")
        if question.answer.text == level_id:
            return question
    raise AssertionError(f"no case reaching {level_id}")


def test_a_shallower_level_is_met_but_not_the_deepest(ctx):
    question = response_question(ctx, "MR5")
    why = {o.text: o.why for o in question.options}
    for shallower in ("MMR", "MR4", "MR4.5"):
        assert f"so {shallower} is met, but so is the deeper MR5." in why[shallower]
    assert "so MMR at least is met" in why["No MMR"]


def test_a_deeper_level_is_not_met(ctx):
    question = response_question(ctx, "MMR")
    why = {o.text: o.why for o in question.options}
    value = question.case["bcr_abl1_is_pct"]
    assert why["MR4"].startswith(f"{value:g}% is above")
    assert "so not MR4 " in why["MR4"]
