"""The registry of case templates: what a template is, and the decorator that registers one.

Each template draws a case, asks one single-best-answer question about it, and takes its key
from generator.rules; its words (options, reasons, vignette) come from content/quiz_text.yml
through Context.say. `expected(case)` recomputes the key from the case alone, so tests can
check every generated question against the rules."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from generator.content import Content
from generator.errors import GeneratorError, Problem, printable
from generator.quiz.cases import Patient, PatientDraws
from generator.quiz.question import Question, QuizError
from generator.quiz.words import EvidenceLevels, Words
from generator.rules import Rules

Difficulty = Literal["standard", "hard"]
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
# The learners a template suits, as the educators page lists them: a student knows the summary's
# definitions and figures; a resident applies them to a patient; a fellow weighs doses, trials
# and the evidence.
Learner = Literal["student", "resident", "fellow"]
LEARNERS: tuple[str, ...] = get_args(Learner)


@dataclass(frozen=True)
class Context:
    """What a template draws on: content, the rules, and (bound by the registry) its own id.
    Each job has its own class: `words` (quiz/words.py), `patients` (quiz/cases.py) and
    `evidence_levels`; the methods below are their short names, as templates call them."""

    content: Content
    rules: Rules
    template_id: str = ""

    # Made once for each context (a template's is made for each item it draws): an item asks
    # for some 50 texts and, rejecting cases, some hundreds of patients.
    @functools.cached_property
    def words(self) -> Words:
        return Words(self.content, self.template_id)

    @functools.cached_property
    def patients(self) -> PatientDraws:
        return PatientDraws(self.content.patients)

    @property
    def evidence_levels(self) -> EvidenceLevels:
        return EvidenceLevels(self.content, self.template_id)

    def has(self, key: str) -> bool:
        return self.words.has(key)

    def say(self, key: str, /, **values: Any) -> str:
        """This template's text `key` from content/quiz_text.yml, its placeholders filled in."""
        return self.words.say(key, **values)

    def say_each(self, key: str, /, **values: Any) -> list[str]:
        """A list of alternatives (say, the stories a case may tell), each filled in."""
        return self.words.say_each(key, **values)

    def patient(self, rng: random.Random, low: float | None = None, high: float | None = None) -> Patient:
        """A patient inside content/patients.yml's ages, narrowed to low..high where the case needs it."""
        return self.patients.patient(rng, low, high)

    def at_diagnosis(self, rng: random.Random) -> dict[str, float]:
        """Spleen, blood counts and differential at diagnosis, inside content/patients.yml's ranges."""
        return self.patients.at_diagnosis(rng)

    def blood_and_marrow(self, rng: random.Random, higher: int) -> tuple[float, float]:
        """Blood and marrow blasts, the higher of them `higher`, in a believable relation."""
        return self.patients.blood_and_marrow(rng, higher)

    def evidence(self, setting: str = "any") -> str | None:
        """The level of evidence behind this template's answer, for the case's setting."""
        return self.evidence_levels.level(setting)


@dataclass(frozen=True)
class Topic:
    """A group of templates as the progress page shows it, with the page that teaches it."""

    title: str
    teaches: str  # a page, relative to the docs root


# Site structure, not clinical content: how the quizzes' templates are grouped for a learner.
TOPICS: dict[str, Topic] = {
    "phases": Topic("Phases and diagnosis", "phases.md"),
    "monitoring": Topic("Monitoring response", "molecular-response.md"),
    "first-line": Topic("First-line treatment", "sections/chronic.md"),
    "side-effects": Topic("Side effects and choosing a TKI", "therapies/index.md"),
    "stopping": Topic("Stopping a TKI", "sections/chronic.md#stopping-tkis"),
    "resistance": Topic("Resistance and relapse", "sections/relapsed.md"),
    "advanced": Topic("Accelerated and blastic phase", "sections/blastic.md"),
    "special-situations": Topic("Transplant and special situations", "sections/overview.md"),
    "trials": Topic("Trials and their evidence", "studies.md"),
    # Not the summary's: the scores' formulas come from their own publications.
    "scores": Topic("Prognostic-score calculators", "scores.md"),
}


@dataclass(frozen=True)
class CaseTemplate:
    id: str
    title: str
    topic: str  # a key of TOPICS
    section: str  # the id of the summary's section (content/sections/) the template examines
    make: Callable[[random.Random, Context, str], Question]
    # None only between `@template` and `@x.expected`: complete() refuses a template left so.
    expected: Callable[[dict[str, Any], Context], str] | None
    examines: str  # what a question of this template examines, in a phrase, for the educators page
    learners: tuple[Learner, ...]  # the levels of learner it suits, in LEARNERS' order
    # True for a family whose each question examines the section of the study it draws
    # (Question.section); `section` is then only where the family begins.
    section_by_case: bool = False
    declared: str = ""  # file:line of the declaration, for every message about the template
    # Whether an item may stand beside the earlier items of one set (draw): None, any may.
    fits: Callable[[Question, list[Question]], bool] | None = None
    # The most items one set can hold with `fits` met (None: DRAW_SET or more), for a template
    # whose source gives fewer questions than that (trial-higher-arm): a set is cut there.
    set_size: Callable[[Context], int] | None = None
    # What a "hard" item does differently, in a phrase for the educators page, or None for a
    # template whose items do not change with difficulty: a blueprint may ask "hard" only of a
    # template with one, and only its items are labelled (bank-fix19: the labels meant nothing
    # a student sees in most templates).
    hard: str | None = None

    @property
    def honours_difficulty(self) -> bool:
        return self.hard is not None

    def most_in_set(self, ctx: Context) -> int:
        return DRAW_SET if self.set_size is None else min(DRAW_SET, self.set_size(ctx))


class RegistryError(GeneratorError):
    """A case template declared wrongly: raised when the templates are imported, naming where."""


TEMPLATES: dict[str, CaseTemplate] = {}


# A template's items are read as a bank in sets of this many (an expert read, `quiz review`):
# within a set, an item the template's `fits` refuses beside the earlier ones is drawn again, at
# most DRAW_REDRAWS times (R-bank-fix10: the same case or question twice in 20 items). A quiz
# version already never repeats a key (question.repeat_of), so this shapes only these sets.
DRAW_SET = 20
DRAW_REDRAWS = 100


def draw(template: CaseTemplate, ctx: Context, seeds: int, label: str) -> Iterator[Question]:
    """The template's cases at seeds 0 to seeds - 1, both difficulties in turn: how `check`,
    the item-writing lint and the tests sample a template beyond what the blueprints draw.
    The label keeps one sampler's cases apart from another's."""
    earlier: list[Question] = []
    most = template.most_in_set(ctx)
    for seed in range(seeds):
        if len(earlier) == most:  # a new set every DRAW_SET items, or where the template's run out
            earlier = []
        # A redrawn item keeps the first draw's key, so that refusing repeats does not shift how
        # often each key comes, unless the template's `fits` says otherwise (keeps_key = False, or
        # a function of the first draw and the set so far that says whether it must).
        first = None
        # A template whose sets are cut where its questions run out needs more tries to find the
        # last questions a set still lacks.
        for attempt in range(DRAW_REDRAWS * (1 if template.set_size is None else 4)):
            suffix = f":{attempt}" if attempt else ""
            rng = random.Random(f"{label}:{template.id}:{seed}{suffix}")
            question = template.make(rng, ctx, DIFFICULTIES[seed % len(DIFFICULTIES)])
            first = first or question
            if template.fits is None:
                break
            keeps = getattr(template.fits, "keeps_key", True)
            keeps = keeps(first, earlier) if callable(keeps) else keeps
            same_key = question.answer.text == first.answer.text or not keeps
            if same_key and template.fits(question, earlier):
                break
        else:
            question = first
        earlier.append(question)
        yield question


def template(
    template_id: str,
    title: str,
    topic: str,
    section: str,
    *,
    examines: str,
    learners: tuple[Learner, ...],
    section_by_case: bool = False,
    expected: Callable[[dict[str, Any], Context], str] | None = None,
    hard: str | None = None,
):
    """Register make(rng, ctx, difficulty) with its expected(case, ctx) -> key option text (given
    here, or attached below with `@make.expected`), what it examines and the learners it suits
    (student, resident, fellow; at least one), and, for a template whose items change with
    difficulty, what a hard one does (`hard`). A template is registered at once, so one whose
    `expected` never comes is named by complete() instead of silently missing."""
    if not learners or any(level not in LEARNERS for level in learners):
        raise QuizError(f"{template_id}: learners must be one or more of {', '.join(LEARNERS)}, not {learners!r}")
    learners = tuple(level for level in LEARNERS if level in learners)

    def register(make):
        declared = _declared(make)
        if topic not in TOPICS:
            raise RegistryError(f"{declared} template '{template_id}': {unknown('topic', topic, list(TOPICS))}")
        if template_id in TEMPLATES:
            first = TEMPLATES[template_id].declared
            raise RegistryError(f"{declared} template '{template_id}' is declared twice (first at {first})")

        def make_named(rng: random.Random, ctx: Context, difficulty: str) -> Question:
            """make(), with its own words, and the question labelled by its template's id (errors too)."""
            try:
                own = dataclasses.replace(ctx, template_id=template_id)
                return dataclasses.replace(make(rng, own, difficulty), template=template_id)
            except QuizError as error:
                raise QuizError(f"{template_id}: {error}") from None

        make_named.__name__ = make_named.__qualname__ = make.__name__  # messages name the template's function

        def attach(expected):
            def expected_named(case: dict[str, Any], ctx: Context) -> str:
                return expected(case, dataclasses.replace(ctx, template_id=template_id))

            TEMPLATES[template_id] = dataclasses.replace(TEMPLATES[template_id], expected=expected_named)
            make.expected = expected
            return expected

        TEMPLATES[template_id] = CaseTemplate(
            template_id,
            title,
            topic,
            section,
            make_named,
            None,
            examines,
            learners,
            section_by_case,
            declared,
            hard=hard,
        )

        def attach_fits(fits):
            TEMPLATES[template_id] = dataclasses.replace(TEMPLATES[template_id], fits=fits)
            return fits

        def attach_set_size(set_size):
            TEMPLATES[template_id] = dataclasses.replace(TEMPLATES[template_id], set_size=set_size)
            return set_size

        make.fits = attach_fits
        make.set_size = attach_set_size
        make.expected = attach  # replaced by the expected function once it is attached
        if expected is not None:
            attach(expected)
        return make

    return register


def _declared(function: Callable[..., Any]) -> str:
    """Where a function is written, as file:line from the project's root (its first decorator)."""
    path = Path(inspect.getsourcefile(function) or "?")
    root = Path(__file__).resolve().parents[2]
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return f"{shown}:{function.__code__.co_firstlineno}"


def unknown(kind: str, name: str, known: list[str]) -> str:
    """'unknown KIND …', with the closest names when it looks like a typo, else every name."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = (
        f"did you mean {' or '.join(repr(c) for c in close)}?"
        if close
        else f"known: {', '.join(sorted(known)) or 'none'}"
    )
    return f"unknown {kind} '{printable(name)}'; {hint}"  # on one line, whatever the name holds


def complete() -> None:
    """Called once every template module is imported: each template must compute its key."""
    missing = [t for t in TEMPLATES.values() if t.expected is None]
    if missing:
        raise RegistryError(
            "; ".join(
                f"{t.declared} template '{t.id}' has no expected(case, ctx): add "
                f"`@{t.make.__name__}.expected` below it, or pass expected= to @template"  # type: ignore[attr-defined]
                for t in missing
            )
        )


def problems(content: Content) -> list[Problem]:
    """What ties the templates to content/: each examines a section that exists and has its words
    in quiz_text.yml, and every block of words there belongs to a template."""
    found = []
    sections = [s.id for s in content.sections]
    words = content.quiz_text.templates
    for t in TEMPLATES.values():
        file, line = t.declared.rsplit(":", 1)
        if t.section not in sections:
            message = f"template '{t.id}': {unknown('section', t.section, sections)} (content/sections/)"
            found.append(Problem(file, int(line), "", message))
        if t.id not in words:
            message = f"template '{t.id}' has no words: add a block '{t.id}:' under templates in content/quiz_text.yml"
            found.append(Problem(file, int(line), "", message))
    for name in words:
        if name not in TEMPLATES:
            message = f"words for no case template: {unknown('template', name, list(TEMPLATES))}"
            found.append(content.problem("quiz_text.yml", ("templates", name), message))
    return found


def unused(blueprints: list[Any], elsewhere: frozenset[str] = frozenset()) -> list[str]:
    """Templates no blueprint asks for (nor anything else: `elsewhere`, say an unfolding case's
    steps), each with where it is declared: a note, not an error (a private quizzes folder need
    not use every template)."""
    asked = {entry.template for blueprint in blueprints for entry in blueprint.questions} | elsewhere
    return [f"{t.declared} template '{t.id}' is used by no quiz" for t in TEMPLATES.values() if t.id not in asked]


def retry(draw: Callable[[], Question | None]) -> Question:
    """Some draws are rejected (too close to a cut point to read fairly); draw again."""
    for _ in range(200):
        question = draw()
        if question is not None:
            return question
    raise QuizError("could not draw a fair case")
