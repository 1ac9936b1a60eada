"""Item-writing checks from the NBME's "Constructing Written Test Questions", as a machine can
run them: over one question (five options of one kind, a lead-in that is a question and not
negative, numbers in order, no absolutes), over a template's bank (key letters balanced, the key
not the longest option nor the one option echoing the stem), and over a quiz version (no
question twice). Pure functions: they read questions and return what is wrong."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.quiz.question import LETTERS, Question, same_question

OPTIONS_PER_ITEM = len(LETTERS)
# Over a bank of at least MIN_BANK items of one template, each letter should carry the key in
# roughly 1 of 5 items, and the key should be no more often the longest (or the only option
# echoing a word of the stem) than chance allows.
MIN_BANK = 100
LETTER_SHARE = (0.10, 0.30)
MAX_CUE_SHARE = 0.35

NEGATIVE = re.compile(r"\b(NOT|EXCEPT|LEAST|not|except|least)\b")
ABSOLUTES = re.compile(r"\b(always|never)\b|\b(all|none) of the above\b", re.IGNORECASE)
LEADING_NUMBER = re.compile(r"^(?:About )?(\d+(?:[.,]\d+)*)")  # an option that is a number first
WORD = re.compile(r"[A-Za-z][A-Za-z-]{4,}")
IMPLAUSIBLE = (re.compile(r"\b0% blasts in the bone marrow\b"),)


@dataclass(frozen=True, order=True)
class Flaw:
    """One item-writing problem: which template, which check, and what was seen."""

    template: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.template}: {self.check}: {self.detail}"


ItemCheck = Callable[[Question], Iterable[str]]


def five_options(q: Question) -> Iterable[str]:
    if len(q.options) != OPTIONS_PER_ITEM:
        yield f"{len(q.options)} options, not {OPTIONS_PER_ITEM}"


def lead_in_is_a_question(q: Question) -> Iterable[str]:
    if not q.lead_in.rstrip().endswith("?"):
        yield f"the lead-in is not a question: {q.lead_in!r}"


def no_negative_lead_in(q: Question) -> Iterable[str]:
    match = NEGATIVE.search(q.lead_in)
    if match:
        yield f"a negative lead-in ({match.group(0)}): {q.lead_in!r}"


def a_clinical_vignette(q: Question) -> Iterable[str]:
    if len(q.vignette.split()) < 8:
        yield f"no clinical vignette, only {q.vignette!r}"


def numbers_in_order(q: Question) -> Iterable[str]:
    numbers = [LEADING_NUMBER.match(o.text) for o in q.options]
    if all(numbers):
        values = [float(n.group(1).replace(",", "")) for n in numbers]  # type: ignore[union-attr]
        if values != sorted(values):
            yield f"numeric options out of order: {', '.join(o.text for o in q.options)}"


NUMBER_FIRST = re.compile(r"^(?:About )?\d+(?:[.,]\d+)*\s*(%|[A-Za-z/]+)?")
# Drugs that open a preparative regimen's name, besides the summary's therapies.
REGIMEN_DRUGS = frozenset({"cyclophosphamide", "fludarabine", "melphalan", "etoposide"})
PATIENT = re.compile(r"^(?:A|An) \d+-year-old\b")


def option_kind(text: str, therapies: frozenset[str] = frozenset()) -> str:
    """What kind of thing an option is, as far as its form shows: a number with its unit, a
    patient, a therapy (its first word is a therapy's), or a statement."""
    number = NUMBER_FIRST.match(text)
    if number:
        return f"number in {number.group(1) or 'units'}"
    if PATIENT.match(text):
        return "patient"
    if text.split()[0].strip(",;:").lower() in therapies | REGIMEN_DRUGS:
        return "therapy"
    return "statement"


def homogeneous_options(q: Question, therapies: frozenset[str] = frozenset()) -> Iterable[str]:
    kinds = {option_kind(o.text, therapies) for o in q.options}
    if len(kinds) > 1:
        yield f"options of different kinds ({', '.join(sorted(kinds))}): {', '.join(o.text for o in q.options)}"


def no_absolutes(q: Question) -> Iterable[str]:
    for option in q.options:
        if ABSOLUTES.search(option.text):
            yield f"an absolute in an option: {option.text!r}"


COUNTED = re.compile(r"\b(Two|Three|Four|Five|Six|Seven) patients\b")
NUMBER_WORDS = ("Two", "Three", "Four", "Five", "Six", "Seven")


def stem_counts_the_options(q: Question) -> Iterable[str]:
    """A stem that introduces "Five patients" offers five of them."""
    match = COUNTED.search(q.vignette)
    if match and NUMBER_WORDS.index(match.group(1)) + 2 != len(q.options):
        yield f"the stem speaks of {match.group(0).lower()}, but there are {len(q.options)} options"


WRONG_ARTICLE = re.compile(r"\b(?:A (?:8\d|11|18)|An (?!8\d|11|18)\d+)-year-old\b")


def articles_as_spoken(q: Question) -> Iterable[str]:
    """ "An 83-year-old", not "A 83-year-old": a slip a reader stumbles on."""
    for text in (q.vignette, *(o.text for o in q.options)):
        match = WRONG_ARTICLE.search(text)
        if match:
            yield f"the wrong article: {match.group(0)!r}"


def plausible_values(q: Question) -> Iterable[str]:
    for pattern in IMPLAUSIBLE:
        if pattern.search(q.vignette):
            yield f"an implausible value in the vignette: {pattern.pattern}"


ITEM_CHECKS: tuple[ItemCheck, ...] = (
    five_options,
    lead_in_is_a_question,
    no_negative_lead_in,
    a_clinical_vignette,
    numbers_in_order,
    no_absolutes,
    plausible_values,
    stem_counts_the_options,
    articles_as_spoken,
)


def item_flaws(q: Question, therapies: frozenset[str] = frozenset()) -> list[Flaw]:
    """Every flaw of one item; therapies (the first words of their names, lower case) tell a
    drug among the options from a statement."""
    flaws = [Flaw(q.template, check.__name__, detail) for check in ITEM_CHECKS for detail in check(q)]
    return flaws + [Flaw(q.template, "homogeneous_options", d) for d in homogeneous_options(q, therapies)]


def therapy_words(content) -> frozenset[str]:
    """The first word of every therapy's name, lower case: how an option naming one begins."""
    return frozenset(t.name.split()[0].lower() for t in content.therapies.values())


def key_is_longest(q: Question) -> bool:
    lengths = [len(o.text) for o in q.options]
    return lengths[q.key] == max(lengths) and lengths.count(max(lengths)) == 1


def key_echoes_stem(q: Question) -> bool:
    """A word of the stem that the key repeats and no other option does."""
    stem = {w.lower() for w in WORD.findall(f"{q.vignette} {q.lead_in}")}
    words = [{w.lower() for w in WORD.findall(o.text)} & stem for o in q.options]
    others = set().union(*(w for i, w in enumerate(words) if i != q.key))
    return bool(words[q.key] - others)


def bank_flaws(questions: list[Question]) -> list[Flaw]:
    """Cues that show only over many items of one template: an unbalanced key letter, a key
    that is too often the longest option or the only one echoing the stem."""
    if len(questions) < MIN_BANK:
        return []
    template = questions[0].template
    flaws = []
    letters = Counter(q.letters[q.key] for q in questions)
    low, high = LETTER_SHARE
    for letter in LETTERS:
        share = letters[letter] / len(questions)
        if not low <= share <= high:
            flaws.append(Flaw(template, "key_letters_balanced", f"{letter} is the key in {share:.0%} of items"))
    for cue, name in ((key_is_longest, "key_not_longest"), (key_echoes_stem, "key_not_echoing_the_stem")):
        share = sum(cue(q) for q in questions) / len(questions)
        if share > MAX_CUE_SHARE:
            flaws.append(Flaw(template, name, f"in {share:.0%} of items"))
    return flaws


def version_flaws(quiz_id: str, variant: int, questions: Iterable[Question]) -> list[Flaw]:
    """The same question twice in one version: one of them teaches nothing new."""
    seen: list[Question] = []
    flaws = []
    for number, q in enumerate(questions, start=1):
        if any(same_question(q, earlier) for earlier in seen):
            flaws.append(Flaw(q.template, "no_repeats", f"{quiz_id} version {variant} repeats question {number}"))
        seen.append(q)
    return flaws


def whole_bank(context, blueprints, seeds: int) -> list[Flaw]:
    """Every template drawn at `seeds` seeds (both difficulties in turn), and every version of
    every blueprint: all the flaws the checks above find."""
    from generator.quiz.blueprint import expand
    from generator.quiz.templates import TEMPLATES, draw

    flaws: list[Flaw] = []
    therapies = therapy_words(context.content)
    for template in TEMPLATES.values():
        bank = list(draw(template, context, seeds, "lint"))
        flaws += [flaw for q in bank for flaw in item_flaws(q, therapies)] + bank_flaws(bank)
    for blueprint in blueprints:
        for variant in range(1, blueprint.variants + 1):
            flaws += version_flaws(blueprint.id, variant, expand(blueprint, context, variant).questions)
    return flaws
