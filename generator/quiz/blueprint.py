"""Quiz blueprints (quizzes/*.yml): which case templates, how many, how hard; expanded
deterministically, so the same blueprint and content always give the same questions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from generator.content import check_markup, validate_document
from generator.errors import ContentError, Problem
from generator.models import Model, Slug, Text
from generator.quiz.courses import BRANCHES, STEPS, draw_set, set_branches
from generator.quiz.question import Question, QuizError, repeat_of
from generator.quiz.registry import Difficulty, unknown
from generator.quiz.templates import TEMPLATES, Context
from generator.quiz.templates.unfolding import PREFIX, SLOT, unfold
from generator.yamlfile import load_yaml

# Every step an unfolding case can ask, in course order.
STEP_ORDER = tuple(dict.fromkeys(step for steps in STEPS.values() for step in steps)) + tuple(SLOT)

MAX_VARIANTS = 100


class Entry(Model):
    template: Slug | None = None  # a case template id (checked against the registry below)
    # Or an unfolding case: one patient's course asked step by step (quiz/templates/unfolding.py),
    # with the steps to ask (their ids without "course-"; all a course reaches when empty).
    case: Literal["unfolding"] | None = None
    steps: list[Slug] = []
    count: Annotated[int, Field(ge=1, le=50)] = 1
    difficulty: Difficulty = "standard"

    @property
    def templates(self) -> list[str]:
        """The case templates this entry's questions come from."""
        if self.template is not None:
            return [self.template]
        asked = self.steps or [step for step in STEP_ORDER]
        return [PREFIX + step for step in asked]

    def sizes(self) -> tuple[int, int]:
        """The fewest and most questions this entry gives."""
        if self.case is None:
            return self.count, self.count
        wanted = set(self.steps) or set(STEP_ORDER)
        most = max(len(wanted & set(steps)) for steps in STEPS.values())  # every course asks as many (_branches)
        return most * self.count, most * self.count


class Blueprint(Model):
    id: Slug
    title: Text
    audience: Text
    # Optional: without one, the quiz is described by what it asks (see `about`), so a count
    # edited by hand never leaves a stale "4 questions" behind.
    description: Text | None = None
    seed: int
    # false keeps the quiz off the site (no page, no key, no download) while check, quiz build
    # and export treat it as any other: a graded quiz whose keys students must not see.
    publish: bool = True
    variants: Annotated[int, Field(ge=1, le=MAX_VARIANTS)] = 20
    # Exam mode's clock on the quiz page; none means an exam without a time limit.
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    questions: Annotated[list[Entry], Field(min_length=1)]

    @property
    def size(self) -> int:
        """Questions per version (the fewest, where an unfolding case's course varies in length)."""
        return sum(entry.sizes()[0] for entry in self.questions)

    @property
    def size_text(self) -> str:
        """Questions per version as a reader sees it: "20", or "12–18" with unfolding cases."""
        most = sum(entry.sizes()[1] for entry in self.questions)
        return str(self.size) if most == self.size else f"{self.size}–{most}"

    @property
    def about(self) -> str:
        """The description, or one made from the templates it draws on."""
        if self.description:
            return self.description
        titles = list(dict.fromkeys(TEMPLATES[e.template].title for e in self.questions if e.template in TEMPLATES))
        return "Cases on: " + "; ".join(titles) + "."

    def check(self):
        for index, entry in enumerate(self.questions):
            if (entry.template is None) == (entry.case is None):
                yield ("questions", index), "expected either a template or a case, but received both or neither"
                continue
            if entry.case is not None:
                for place, step in enumerate(entry.steps):
                    if step not in STEP_ORDER:
                        yield (
                            ("questions", index, "steps", place),
                            (f"unknown step '{step}'; known: {', '.join(STEP_ORDER)}"),
                        )
                continue
            if entry.template not in TEMPLATES:
                yield ("questions", index, "template"), unknown_template(entry.template)
            elif entry.difficulty != "standard" and not TEMPLATES[entry.template].honours_difficulty:
                # bank-fix19: a label that changes nothing a student sees tells a teacher a falsehood.
                honouring = ", ".join(t.id for t in TEMPLATES.values() if t.honours_difficulty)
                yield (
                    ("questions", index, "difficulty"),
                    f"template '{entry.template}' draws the same questions at every difficulty, so "
                    f"'{entry.difficulty}' asks nothing of it; leave difficulty out (templates with one: {honouring})",
                )


def unknown_template(name: str) -> str:
    """'unknown template …', with the closest ids first when it looks like a typo."""
    return unknown("template", name, list(TEMPLATES))


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
        if blueprint is None:  # the schema failed: still name what else is wrong, in the same run
            problems.extend(_raw_problems(document, path.stem))
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


def _raw_problems(document, stem: str) -> list[Problem]:
    """The template ids and the id of a blueprint that did not validate, read as written."""
    data = document.data if isinstance(document.data, dict) else {}
    found = []
    entries = data.get("questions")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        name = entry.get("template") if isinstance(entry, dict) else None
        if isinstance(name, str) and name not in TEMPLATES:
            found.append(document.problem(("questions", index, "template"), unknown_template(name)))
    if isinstance(data.get("id"), str) and data["id"] != stem:
        found.append(document.problem(("id",), f"expected the file's name '{stem}', but received '{data['id']}'"))
    return found


# A version never repeats a question (question.repeat_of): a repeat is drawn again, this many
# times at most; a blueprint that asks for more of a template than it can vary is an error.
REDRAWS = 50


def expand(blueprint: Blueprint, ctx: Context, variant: int) -> Quiz:
    """Variant K (1-based) of a blueprint. Each question has its own seed, so variants differ and
    adding a question to the end of a blueprint leaves the earlier ones as they were."""
    questions: list[Question] = []
    position = 0
    for entry in blueprint.questions:
        if entry.case is not None:
            # The entry's courses are one set (courses.set_branches, courses.draw_set): at most
            # one failing, no two near-clones and no key drug twice (S10-, S12-final-courses).
            branches = _branches(random.Random(f"{blueprint.seed}:{variant}:{position}:branches"), ctx, entry)
            drawn = draw_set(ctx, branches, f"{blueprint.seed}:{variant}:{position}")
            for course, rng in drawn:
                cases = 1 + sum(1 for q in questions if q.step is not None and q.step.number == 1)
                questions += unfold(course, ctx, rng, f"case-{cases}", asked=set(entry.steps) or None)
                position += 1
            continue
        for _ in range(entry.count):
            for attempt in range(REDRAWS):
                suffix = f":{attempt}" if attempt else ""
                rng = random.Random(f"{blueprint.seed}:{variant}:{position}{suffix}")
                template = TEMPLATES[entry.template]
                question = template.make(rng, ctx, entry.difficulty)
                # A template's own rule for a set (registry.draw) holds in a version too: S9-final
                # found 9 of 20 trials-and-evidence versions asking one study's finding twice.
                same = [q for q in questions if q.template == template.id]
                fits = template.fits is None or template.fits(question, same)
                if fits and not any(repeat_of(question, q) for q in questions):
                    break
            else:
                raise QuizError(
                    f"quizzes/{blueprint.id}.yml: version {variant} cannot draw question {position + 1} "
                    f"({entry.template}) without repeating an earlier one; ask for fewer of it"
                )
            questions.append(question)
            position += 1
    return Quiz(blueprint, variant, tuple(questions))


def _branches(rng: random.Random, ctx: Context, entry: Entry) -> list[str]:
    """The branches of an entry's courses, each drawn with content's shares and at most one of
    them failing (courses.set_branches; drawn all different, the last course of a version would
    follow from the others), among those that
    ask the most of the steps the entry names: every course of the entry asks as many steps,
    so the count gives no branch away."""
    wanted = set(entry.steps) or set(STEP_ORDER)
    most = max(len(wanted & set(STEPS[b])) for b in BRANCHES)
    able = tuple(b for b in BRANCHES if len(wanted & set(STEPS[b])) == most)
    return set_branches(rng, ctx, entry.count, able)
