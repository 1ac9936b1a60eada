"""Quiz blueprints (quizzes/*.yml): which case templates, how many, how hard; expanded
deterministically, so the same blueprint and content always give the same questions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from generator.content import check_markup, validate_document
from generator.errors import ContentError, Problem
from generator.models import Model, Slug, Text
from generator.quiz.question import Question, QuizError, repeat_of
from generator.quiz.registry import Difficulty
from generator.quiz.templates import TEMPLATES, Context
from generator.yamlfile import load_yaml

MAX_VARIANTS = 100


class Entry(Model):
    template: Slug  # a case template id (checked against the registry below)
    count: Annotated[int, Field(ge=1, le=50)] = 1
    difficulty: Difficulty = "standard"


class Blueprint(Model):
    id: Slug
    title: Text
    audience: Text
    description: Text
    seed: int
    variants: Annotated[int, Field(ge=1, le=MAX_VARIANTS)] = 20
    # Exam mode's clock on the quiz page; none means an exam without a time limit.
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    questions: Annotated[list[Entry], Field(min_length=1)]

    @property
    def size(self) -> int:
        return sum(entry.count for entry in self.questions)

    def check(self):
        for index, entry in enumerate(self.questions):
            if entry.template not in TEMPLATES:
                known = ", ".join(sorted(TEMPLATES))
                yield ("questions", index, "template"), f"unknown template '{entry.template}'; known: {known}"


@dataclass(frozen=True)
class Quiz:
    blueprint: Blueprint
    variant: int  # 1-based
    questions: tuple[Question, ...]


def load_blueprints(folder: Path) -> list[Blueprint]:
    """Every quizzes/*.yml, validated; ContentError lists every problem with file, line and key."""
    problems: list[Problem] = []
    blueprints: list[Blueprint] = []
    for path in sorted(folder.glob("*.yml")):
        display = f"{folder.name}/{path.name}"
        try:
            document = load_yaml(path, display)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        blueprint = validate_document(document, Blueprint, problems)
        if blueprint is None:
            continue
        problems.extend(check_markup([(document, blueprint)]))
        if blueprint.id != path.stem:
            problems.append(
                document.problem(("id",), f"expected the file's name '{path.stem}', but received '{blueprint.id}'")
            )
        blueprints.append(blueprint)  # type: ignore[arg-type]
    if problems:
        raise ContentError(problems)
    return blueprints


# A version never repeats a question (question.repeat_of): a repeat is drawn again, this many
# times at most; a blueprint that asks for more of a template than it can vary is an error.
REDRAWS = 50


def expand(blueprint: Blueprint, ctx: Context, variant: int) -> Quiz:
    """Variant K (1-based) of a blueprint. Each question has its own seed, so variants differ and
    adding a question to the end of a blueprint leaves the earlier ones as they were."""
    questions: list[Question] = []
    position = 0
    for entry in blueprint.questions:
        for _ in range(entry.count):
            for attempt in range(REDRAWS):
                suffix = f":{attempt}" if attempt else ""
                rng = random.Random(f"{blueprint.seed}:{variant}:{position}{suffix}")
                question = TEMPLATES[entry.template].make(rng, ctx, entry.difficulty)
                if not any(repeat_of(question, q) for q in questions):
                    break
            else:
                raise QuizError(
                    f"quizzes/{blueprint.id}.yml: version {variant} cannot draw question {position + 1} "
                    f"({entry.template}) without repeating an earlier one; ask for fewer of it"
                )
            questions.append(question)
            position += 1
    return Quiz(blueprint, variant, tuple(questions))
