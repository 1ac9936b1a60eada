"""The registry of case templates: what a template is, and the decorator that registers one.

Each template draws a case, asks one single-best-answer question about it, and takes its key
from generator.rules. `expected(case)` recomputes the key from the case alone, so tests can
check every generated question against the rules."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content import Content
from generator.quiz.question import Question, QuizError
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
        def make_named(rng: random.Random, ctx: Context, difficulty: str) -> Question:
            """make(), with the question labelled by its template's id (and errors too)."""
            try:
                return dataclasses.replace(make(rng, ctx, difficulty), template=template_id)
            except QuizError as error:
                raise QuizError(f"{template_id}: {error}") from None

        def attach(expected):
            TEMPLATES[template_id] = CaseTemplate(template_id, title, topic, make_named, expected)
            make.expected = expected
            return expected

        make.expected = attach  # replaced by the expected function once it is attached below
        return make

    return register


def retry(draw: Callable[[], Question | None]) -> Question:
    """Some draws are rejected (too close to a cut point to read fairly); draw again."""
    for _ in range(200):
        question = draw()
        if question is not None:
            return question
    raise QuizError("could not draw a fair case")
