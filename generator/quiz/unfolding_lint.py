"""Checks of unfolding cases beyond the item lint (lint.py), which applies to each step too:
each step's key follows from the values shown up to that step and no later, the steps are told
in order with each stem carrying the story so far, and no option of an earlier step names a
value the course shows only later. Pure functions: they read questions and return flaws."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generator.quiz.lint import Flaw
from generator.quiz.question import Question
from generator.render import format_number

# A number with the unit after it ("0.036%", "12 days", "12 months"): what a hint would name.
MEASURE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(%|[a-z]+)")


def _numbers(value) -> Iterable[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        yield float(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers(item)


def shown(number: float, text: str) -> bool:
    """Whether the text shows this number as a reader sees it (0.0032, 58, 7)."""
    written = {format_number(number), format_number(float(round(number)))} if number >= 10 else {format_number(number)}
    return any(re.search(rf"(?<![\d.]){re.escape(w)}(?![\d])", text) for w in written)


def step_flaws(q: Question, ctx) -> list[Flaw]:
    """One step: its key is what the rules give from its case, and every value of that case is
    in the stem (the story up to this step), so the key rests on nothing shown later."""
    from generator.quiz.templates import TEMPLATES

    flaws = []
    if q.answer.text != TEMPLATES[q.template].expected(q.case, ctx):
        flaws.append(Flaw(q.template, "key_from_the_rules", f"the key {q.answer.text!r} is not the rules' answer"))
    for key, value in q.case.items():
        for number in _numbers(value):
            if not shown(number, q.vignette):
                flaws.append(Flaw(q.template, "key_from_values_shown", f"{key} = {format_number(number)} is not shown"))
    return flaws


def case_flaws(steps: Sequence[Question], ctx) -> list[Flaw]:
    """A whole case: every step's own flaws, steps numbered in order with each stem carrying
    the earlier ones, and no option naming a number the course shows only at a later step."""
    flaws: list[Flaw] = []
    for index, q in enumerate(steps):
        flaws += step_flaws(q, ctx)
        if q.step is None or q.step.number != index + 1 or q.step.of != len(steps):
            flaws.append(Flaw(q.template, "steps_in_order", f"step {index + 1} is numbered {q.step}"))
            continue
        if index and not q.vignette.startswith(steps[index - 1].vignette):
            flaws.append(Flaw(q.template, "story_so_far", f"step {index + 1} drops the story before it"))
        later = {m for after in steps[index + 1 :] if after.step for m in MEASURE.findall(after.step.news)}
        so_far = set(MEASURE.findall(q.vignette))
        # The key may be told later (a later stem reveals what happened: the EMR step gives the
        # halving time the step before it asked); a distractor naming a later value hints.
        for option in (o for i, o in enumerate(q.options) if i != q.key):
            hinted = (set(MEASURE.findall(option.text)) & later) - so_far
            if hinted:
                named = ", ".join(f"{n} {unit}" for n, unit in sorted(hinted))
                flaws.append(Flaw(q.template, "no_hint_of_later_steps", f"{option.text!r} names {named}"))
    return flaws


def version_case_flaws(questions: Sequence[Question], ctx) -> list[Flaw]:
    """Every unfolding case of a quiz version, checked whole (case_flaws)."""
    cases: dict[str, list[Question]] = {}
    for q in questions:
        if q.step is not None:
            cases.setdefault(q.step.case, []).append(q)
    return [flaw for steps in cases.values() for flaw in case_flaws(steps, ctx)]
