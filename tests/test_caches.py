"""The speed-ups that remember results (prose fills, lab values, clear bands, cleaned HTML) give
what computing afresh gives: a remembered result never stands for a value that prints apart."""

from __future__ import annotations

import dataclasses
import gc
import random

from generator import prose
from generator.prose import render_words
from generator.quiz import courses
from generator.quiz.registry import Context
from generator.sanitise import clean


def fresh(text: str, content, values) -> str:
    """The fill as it was before fills were remembered: every name, rendered now."""
    return prose._fill(text, {**content.prose_names(), **values})


def test_equal_values_that_print_apart_are_filled_apart(content):
    numbers = [0.0, -0.0, 1, 1.0, True, 2.5]
    for text, cases in (("{{ value }}", [*numbers, "1", None]), ("{{ value|num }}", numbers)):
        for value in cases + cases[::-1]:  # each after every other, remembered or not
            assert render_words(text, content, {"value": value}) == fresh(text, content, {"value": value}), value
    assert render_words("{{ value }}", content, {"value": -0.0}) != render_words("{{ value }}", content, {"value": 0.0})


def test_a_value_the_text_does_not_name_changes_nothing(content):
    text = "MMR at {{ responses.MMR.max_bcr_abl1_is_pct|pct }}, {{ who }}"
    first = render_words(text, content, {"who": "a woman", "unused": 1.0})
    again = render_words(text, content, {"who": "a woman", "unused": [1, 2]})
    assert first == again == fresh(text, content, {"who": "a woman"})
    assert render_words(text, content, {"who": "a man"}) == fresh(text, content, {"who": "a man"})


def test_a_value_wins_over_a_content_name_of_its_own_name(content):
    text = "{{ emr }}"
    assert render_words(text, content, {"emr": "early"}) == "early"
    assert render_words(text, content, {}) == fresh(text, content, {})


def test_a_model_or_list_among_the_values_is_filled_afresh(content):
    text = "{{ items|join(', ') }}"
    assert render_words(text, content, {"items": ["a", "b"]}) == "a, b"
    assert render_words(text, content, {"items": ["c"]}) == "c"


def test_each_content_fills_with_its_own_names(content):
    text = "EMR: {{ emr.max_bcr_abl1_is_pct|pct }}"
    emr = content.responses.early_molecular_response
    changed = dataclasses.replace(
        content,
        responses=content.responses.model_copy(
            update={"early_molecular_response": emr.model_copy(update={"max_bcr_abl1_is_pct": 12.0})}
        ),
    )
    assert render_words(text, content, {}) == fresh(text, content, {})
    assert render_words(text, changed, {}) == "EMR: 12%" != render_words(text, content, {})


def test_a_content_s_remembered_fills_go_with_it(content):
    changed = dataclasses.replace(content)
    render_words("{{ who }}", changed, {"who": "x"})
    assert id(changed) in prose._FILLINGS
    at = id(changed)
    del changed
    gc.collect()
    assert at not in prose._FILLINGS


def test_lowest_lab_value_remembered_is_computed_afresh():
    for low in (15.0, 0.015, 0.0003333333333333333, 0.15000000000000002, 2.04, 99.5):
        assert courses.lowest_lab_value(low) == courses.lowest_lab_value.__wrapped__(low)


def test_clear_bands_gives_each_caller_a_list_of_its_own(content, rules):
    ctx = Context(content, rules)
    first = courses.clear_bands(ctx, 0.001, 50.0)
    first.append((1.0, 2.0))  # _falling_to_mmr adds to the list it is given
    again = courses.clear_bands(ctx, 0.001, 50.0)
    assert (1.0, 2.0) not in again
    assert again == list(courses._clear_stretches.__wrapped__(*_arguments(ctx, 0.001, 50.0)))


def _arguments(ctx, low, high):
    cuts = [ctx.content.responses.early_molecular_response.max_bcr_abl1_is_pct]
    cuts += [r.max_bcr_abl1_is_pct for r in ctx.content.responses.molecular_responses]
    return tuple(cuts), ctx.content.patients.courses.clear_of_cut_factor, low, high


def test_clean_remembered_is_cleaned_afresh():
    rng = random.Random(0)
    fragments = ["<p>ok</p>", '<a href="javascript:x()">x</a>', "<script>x</script><b>b</b>", "a < b & c"]
    for fragment in [rng.choice(fragments) for _ in range(20)]:
        assert clean(fragment) == clean.__wrapped__(fragment)
