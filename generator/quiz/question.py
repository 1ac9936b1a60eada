"""A single-best-answer question, checked on construction: 4–5 distinct options, one key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import GeneratorError

LETTERS = "ABCDE"  # a question has 4 or 5 options


class QuizError(GeneratorError):
    """A question, template or blueprint is not usable."""


@dataclass(frozen=True)
class Option:
    text: str
    why: str  # why this option is right, or why it is wrong


@dataclass(frozen=True)
class LearnMore:
    label: str
    path: str  # relative to the docs root, e.g. "sections/chronic.md#stopping-tkis"


@dataclass(frozen=True)
class Step:
    """Where a question stands in an unfolding case: one patient's course, asked step by step.
    The question's vignette carries the whole story so far; `news` is what this step adds."""

    case: str  # the case's id within its quiz version, e.g. "case-2"
    number: int  # 1-based
    of: int  # steps in the case
    news: str


@dataclass(frozen=True)
class Question:
    template: str  # the case template's id; the registry fills it in
    vignette: str
    lead_in: str
    options: tuple[Option, ...]
    key: int
    explanation: str
    learn_more: LearnMore
    evidence: str | None = None
    case: dict[str, Any] = field(default_factory=dict, compare=False)
    section: str | None = None  # the summary section it examines, where that varies by case
    step: Step | None = None  # set for a step of an unfolding case (generator/quiz/courses.py)

    def __post_init__(self) -> None:
        texts = [option.text for option in self.options]
        if not 4 <= len(texts) <= len(LETTERS):
            raise QuizError(f"a question needs 4 or 5 options, but has {len(texts)}")
        if len(set(texts)) != len(texts):
            raise QuizError(f"options repeat: {texts}")
        if not 0 <= self.key < len(texts):
            raise QuizError(f"the key {self.key} is not one of the options")

    @property
    def answer(self) -> Option:
        return self.options[self.key]

    @property
    def letters(self) -> str:
        return LETTERS[: len(self.options)]


def assemble(
    rng, key: Option, distractors: list[Option], *, ordered: list[str] | None = None, **fields: Any
) -> Question:
    """Put the key among its distractors: in the given logical order, or shuffled by rng."""
    options = [key, *distractors]
    if ordered is not None:
        options.sort(key=lambda o: ordered.index(o.text))
    else:
        rng.shuffle(options)
    return Question(template="", options=tuple(options), key=options.index(key), **fields)


def assemble_by_text(rng, options: list[Option], key_text: str, **fields: Any) -> Question:
    """assemble(), with the key picked out of options by the text the rules gave."""
    matches = [option for option in options if option.text == key_text]
    if len(matches) != 1:
        raise QuizError(f"the rules' answer {key_text!r} is not exactly one of the options")
    key = matches[0]
    return assemble(rng, key, [o for o in options if o is not key], **fields)


def only_one(matches: list[str], what: str) -> str:
    """The single option the rules pick out of several; anything else is a broken case."""
    if len(matches) != 1:
        raise QuizError(f"expected one {what}, found {len(matches)}")
    return matches[0]


def repeat_of(one: Question, other: Question) -> str | None:
    """How `one` repeats `other` inside a version, or None: the same stem (vignette and lead-in,
    whatever the options), or the same template asking the same lead-in with the same key (a
    student who answered one has answered the other)."""
    if (one.vignette, one.lead_in) == (other.vignette, other.lead_in):
        return "the same stem"
    if one.step is not None and other.step is not None and one.step.case != other.step.case:
        return None  # two patients' courses: each step's key rests on its own patient's values
    if (one.template, one.lead_in, one.answer.text) == (other.template, other.lead_in, other.answer.text):
        return "the same lead-in and key"
    return None


def ordered_around(rng, key: float, pool: list[float]) -> list[float]:
    """Five numbers in ascending order: the key, and distractors from the pool on either side
    of it, with the key's place (its letter) drawn evenly from the places the pool allows,
    so numeric options in order give nothing away."""
    below = sorted({v for v in pool if v < key})
    above = sorted({v for v in pool if v > key})
    places = [k for k in range(len(LETTERS)) if k <= len(below) and len(LETTERS) - 1 - k <= len(above)]
    if not places:
        raise QuizError(f"too few values around {key:g} for five options")
    lower = rng.choice(places)
    return sorted([*rng.sample(below, lower), key, *rng.sample(above, len(LETTERS) - 1 - lower)])
