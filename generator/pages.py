"""What pages the site has and the data each is rendered from (content in, Markdown out)."""

from __future__ import annotations

import functools
import inspect
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.content import Content
from generator.exports import FORMATS, filename
from generator.models import DESIGN_NAMES, Endpoint, Reference, Result, Section, Study
from generator.prose import render_prose
from generator.quiz.blueprint import Blueprint, Quiz, expand
from generator.quiz.question import Question
from generator.quiz.registry import TOPICS
from generator.quiz.templates import TEMPLATES, Context
from generator.render import environment, format_number, format_pct
from generator.rules import CALCULATORS, DIFFERENTIAL, PUBLIC_API, CalculatorInput, Rules, methods_by_topic
from generator.svg import FIGURES

SETTING_NAMES = {"chronic": "Chronic", "accelerated": "Accelerated", "blastic": "Blastic", "relapsed": "Relapsed"}
KIND_NAMES = {"tki": "TKI", "transplant": "Transplant", "chemotherapy": "Chemotherapy", "other": "Other"}
T315I_NAMES = {
    "resistant": "Resistant: the T315I variant confers resistance",
    "active": "Active against the T315I variant",
    "studied": "Patients with the T315I variant were included in its trials",
    "not-stated": "The summary does not say",
}


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class ExplorerFilter:
    column: str
    index: int
    values: list[str]


@dataclass(frozen=True)
class Range:
    """A half-open interval [low, high) of a percentage; None is an open end."""

    low: float | None
    high: float | None


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    searchable: bool = True  # later quiz versions and answer keys stay out of the search index

    @property
    def depth(self) -> int:
        """Folders below docs/: how many '../' reach the docs root from this page."""
        return self.path.count("/") - 1 if self.path.startswith("docs/") else 0


def reference_label(ref: Reference) -> str:
    """'Marin 2012a': first author's surname, year, and the id's letter that tells twins apart."""
    if ref.authors:
        first = ref.authors.split(",")[0]
        surname = first.rsplit(" ", 1)[0] if " " in first else first
    else:
        surname = ref.title.split(".")[0]
    twin = ref.id[-1] if ref.id[-1].isalpha() and ref.id[-2].isdigit() else ""
    return f"{surname} {ref.year}{twin}"


class Site:
    """Helpers every template may call; built once per content. They look things up, never decide."""

    def __init__(self, content: Content, rules: Rules):
        self.content = content
        self.rules = rules

    # --- links ---------------------------------------------------------------------------
    def root(self, page: Page) -> str:
        return "../" * page.depth

    def cite(self, ref_ids: list[str], page: Page) -> list[Link]:
        """Author-year links into the references page (for pages outside the summary's sections)."""
        return [
            Link(reference_label(self.content.references[r]), f"{self.root(page)}references.md#{r}") for r in ref_ids
        ]

    def section_cite(self, section: Section, ref_ids: list[str]) -> list[Link]:
        """The summary's own numbering: [14] links to the section's reference list."""
        numbers = sorted(section.references.index(r) + 1 for r in ref_ids)
        return [Link(str(n), f"#ref-{n}") for n in numbers]

    def study_link(self, study_id: str, page: Page) -> Link:
        study = self.content.studies[study_id]
        return Link(study_label(study), f"{self.root(page)}sections/{study.section}.md#study-{study.id}")

    def therapy_link(self, therapy_id: str, page: Page) -> Link:
        therapy = self.content.therapies[therapy_id]
        return Link(therapy.name, f"{self.root(page)}therapies/{therapy.id}.md")

    def section_link(self, section_id: str, page: Page, anchor: str = "") -> Link:
        section = self.content.section(section_id)
        return Link(section.nav_title, f"{self.root(page)}sections/{section.id}.md{anchor}")

    def evidence_link(self, code: str, page: Page) -> Link:
        return Link(f"Level of evidence {code}", f"{self.root(page)}evidence.md#{code.lower()}")

    # --- content as pages show it ---------------------------------------------------------
    def prose(self, text: str) -> str:
        return render_prose(text, self.content)

    def figure(self, figure_id: str) -> Markup:
        return FIGURES[figure_id](self.content)

    def results_text(self, endpoint: Endpoint) -> str:
        parts = [_result_text(r) for r in endpoint.results]
        text = "; ".join(parts)
        if endpoint.finding:
            text = f"{text}. {endpoint.finding}" if text else endpoint.finding
        notes = [r.doubt for r in endpoint.results if r.doubt]
        return " ".join([f"{text}.", *(f"Note: {note}" for note in notes)]) if notes else text

    def statistics_text(self, endpoint: Endpoint) -> str:
        parts = []
        if endpoint.difference_pct is not None:
            parts.append(f"difference {format_pct(endpoint.difference_pct)}")
        if endpoint.hr is not None:
            parts.append(f"HR {format_number(endpoint.hr)}")
        if endpoint.ci:
            parts.append(f"95% CI, {endpoint.ci}")
        if endpoint.p:
            parts.append(f"P {endpoint.p}")
        return "; ".join(parts)

    def phase_ranges(self) -> list[tuple[Any, Range]]:
        phases = self.content.phases.phases
        bounds = [p.min_blasts_pct for p in phases[1:]] + [None]
        return [(p, Range(p.min_blasts_pct, high)) for p, high in zip(phases, bounds)]

    def options(self, setting: str):
        return next(s for s in self.content.options.settings if s.setting == setting)

    def studies_of_therapy(self, therapy_id: str) -> list[Study]:
        return [s for s in self.content.studies.values() if therapy_id in s.therapies]

    def studies_with_level(self, code: str) -> list[Study]:
        return [s for s in self.content.studies.values() if s.level == code]

    def statements_with_level(self, code: str) -> list[tuple[Section, str]]:
        """(section, subsection title) of every statement, outside study cards, graded with code."""
        return [
            (section, sub.title)
            for section in self.content.sections
            for sub in section.subsections
            for block in sub.blocks
            if block.evidence == code
        ]

    @functools.cached_property
    def citations(self) -> dict[str, list[tuple[Section, int]]]:
        """Where each reference is cited (section, number); worked out when a page first asks,
        so only the pages that show it read the sections (serve's incremental path relies on it)."""
        places: dict[str, list[tuple[Section, int]]] = defaultdict(list)
        for section in self.content.sections:
            for number, ref in enumerate(section.references, start=1):
                places[ref].append((section, number))
        return places

    # The studies explorer: its columns, and the ones a reader can filter by (explorer.js).
    explorer_columns = ("Study", "Phase", "Therapies", "Design", "Patients", "Level", "Section")

    def explorer_filters(self) -> list[ExplorerFilter]:
        """Each filter's choices: the values its column shows, as the table writes them."""
        studies = list(self.content.studies.values())
        shown = {
            "Phase": [SETTING_NAMES[s] for study in studies for s in study.settings],
            "Therapies": [self.content.therapies[t].name for study in studies for t in study.therapies],
            "Design": [DESIGN_NAMES[study.design] for study in studies],
            "Level": [study.level for study in studies if study.level],
        }
        return [
            ExplorerFilter(column, self.explorer_columns.index(column), sorted(set(values)))
            for column, values in shown.items()
        ]

    def calculator_data(self) -> dict[str, Any]:
        """What calculators.js computes with: the scores' coefficients, cut-offs and published
        precision, the response levels, EMR and halving-time thresholds, and each input's bounds
        and messages, all from content/ and the rules."""
        responses = self.content.responses
        return {
            "scores": self.content.scores.model_dump(mode="json", exclude={"calculator_inputs"}),
            "responses": [
                {"id": r.id, "max_bcr_abl1_is_pct": r.max_bcr_abl1_is_pct} for r in responses.molecular_responses
            ],
            "emr": {
                "max_bcr_abl1_is_pct": responses.early_molecular_response.max_bcr_abl1_is_pct,
                "at_months": responses.early_molecular_response.at_months,
            },
            "halving": {"max_days": responses.halving_time.max_days},
            "inputs": {
                name: [
                    {
                        "name": i.name,
                        "label": i.label,
                        "min": i.min,
                        "min_exclusive": i.min_exclusive,
                        "max": i.max,
                        "max_exclusive": i.max_exclusive,
                        "not_a_number": i.not_a_number,
                        "too_low": i.too_low,
                        "too_high": i.too_high if i.max is not None else None,
                    }
                    for i in self.rules.calculator_inputs(name)
                ]
                for name in CALCULATORS
            },
            "differential": {
                name: self.rules.differential_message(name)
                for name, args in CALCULATORS.items()
                if len(set(args) & set(DIFFERENTIAL)) > 1
            },
        }

    def calculator_inputs(self, name: str) -> tuple[CalculatorInput, ...]:
        return self.rules.calculator_inputs(name)

    def is_key_reference(self, ref_id: str) -> bool:
        return any(k.ref == ref_id for k in self.content.key_references.key_references)


def _result_text(result: Result) -> str:
    if result.pcts:
        amount = (
            " and ".join(format_pct(pct) for pct in result.pcts) + " (the summary does not say which arm had which)"
        )
    else:
        amount = format_pct(result.pct) if result.pct is not None else str(result.value)
    if result.count is not None:
        amount = f"{result.count} patients ({amount})"
    text = f"{result.arm}: {amount}"
    if result.ci:
        text += f" (95% CI, {result.ci})"
    if result.p:
        text += f", P {result.p}"
    return text


def study_label(study: Study) -> str:
    tag = study.name or study.registry
    return f"{study.title} ({tag})" if tag else study.title


def version_page(variant: int) -> str:
    """A quiz version's page in its quiz's folder: version 1 is the quiz's own page."""
    return "index.md" if variant == 1 else f"variant-{variant}.md"


def key_page(variant: int) -> str:
    return f"key-{variant}.md"


def quiz_pages(quizzes: list[Quiz]) -> list[Page]:
    keys = [
        Page(
            f"docs/quizzes/{q.blueprint.id}/{key_page(q.variant)}",
            "answer_key.md.j2",
            f"Answer key: {q.blueprint.title}, version {q.variant}",
            {"quiz": q},
            searchable=False,
        )
        for q in quizzes
    ]
    return keys + [
        Page(
            f"docs/quizzes/{q.blueprint.id}/{version_page(q.variant)}",
            "quiz.md.j2",
            q.blueprint.title if q.variant == 1 else f"{q.blueprint.title}, version {q.variant}",
            {"quiz": q},
            searchable=q.variant == 1,
        )
        for q in quizzes
    ]


def pages(content: Content) -> list[Page]:
    fixed = [
        Page("docs/index.md", "index.md.j2", "Home"),
        Page("docs/phases.md", "phases.md.j2", "Phases of CML"),
        Page("docs/molecular-response.md", "molecular_response.md.j2", "Molecular response"),
        Page("docs/studies.md", "studies.md.j2", "Studies explorer"),
        Page("docs/therapies/index.md", "therapies.md.j2", "Therapies"),
        Page("docs/references.md", "references.md.j2", "References"),
        Page("docs/key-references.md", "key_references.md.j2", "Key references"),
        Page("docs/evidence.md", "evidence.md.j2", "Levels of evidence"),
        Page("docs/glossary.md", "glossary.md.j2", "Glossary"),
        Page("docs/scores.md", "scores.md.j2", "Prognostic scores"),
        Page("docs/rules.md", "rules.md.j2", "The rules module"),
        Page("docs/quizzes/index.md", "quizzes.md.j2", "Case quizzes"),
        Page("docs/educators.md", "educators.md.j2", "For educators"),
        Page("docs/progress.md", "progress.md.j2", "My progress"),
        Page("docs/review.md", "review.md.j2", "Review my mistakes"),
        Page("docs/updates.md", "updates.md.j2", f"What changed on {content.updates.date}"),
        Page("snippets/abbreviations.md", "abbreviations.md.j2", "Glossary abbreviations"),
    ]
    sections = [
        Page(f"docs/sections/{s.id}.md", "section.md.j2", s.nav_title, {"section": s}) for s in content.sections
    ]
    therapies = [
        Page(f"docs/therapies/{t.id}.md", "therapy.md.j2", t.name, {"therapy": t}) for t in content.therapies.values()
    ]
    return fixed + sections + therapies


Versions = dict[str, list[Quiz]]  # quiz id -> its versions, in order


def make_quizzes(content: Content, blueprints: list[Blueprint] | None) -> Versions:
    """Every version of every blueprint: the cases drawn and the keys computed by the rules."""
    context = Context(content, Rules(content))
    return {b.id: [expand(b, context, v) for v in range(1, b.variants + 1)] for b in blueprints or []}


def render_pages(content: Content, blueprints: list[Blueprint], versions: Versions) -> dict[str, str]:
    """Every Markdown page (and the glossary snippet), path -> text."""
    render = page_renderer(environment(), content, blueprints, versions)
    quizzes = [quiz for quiz_versions in versions.values() for quiz in quiz_versions]
    return {page.path: render(page) for page in pages(content) + quiz_pages(quizzes)}


class Examples:
    """template_examples, drawn when a page first iterates them (only the educators page does)."""

    def __init__(self, context: Context):
        self.context = context

    @functools.cached_property
    def drawn(self) -> list[tuple[Any, Question]]:
        return template_examples(self.context)

    def __iter__(self) -> Iterator[tuple[Any, Question]]:
        return iter(self.drawn)


def page_renderer(env: Any, content: Content, blueprints: list[Blueprint], versions: Versions) -> Callable[[Page], str]:
    """A function rendering one page with what every template may use. What is costly or reads
    much of the content (the examples, the citations) is worked out only when a page asks."""
    rules = Rules(content)
    shared: dict[str, Any] = {
        "content": content,
        "site": Site(content, rules),
        "source": content.source,
        "designs": DESIGN_NAMES,
        "setting_names": SETTING_NAMES,
        "t315i_names": T315I_NAMES,
        "kind_names": KIND_NAMES,
        "study_label": study_label,
        "reference_label": reference_label,
        "blueprints": blueprints,
        "version_page": version_page,
        "key_page": key_page,
        "templates": TEMPLATES,
        "topics": TOPICS,
        "practice": practice_quizzes(blueprints),
        "rules_api": rules_api(rules),
        "rules_functions": [f.__name__ for f in PUBLIC_API],
        "downloads": {quiz_id: downloads(quiz_id) for quiz_id in versions},
        "examples": Examples(Context(content, rules)),
    }

    def render(page: Page) -> str:
        return env.get_template(page.template).render(page=page, **page.data, **shared)

    return render


def render_exports(versions: Versions) -> dict[str, bytes]:
    """Every quiz's downloads: each format holds all of its versions."""
    return {
        path: data
        for quiz_id, quiz_versions in versions.items()
        for path, data in quiz_exports(quiz_id, quiz_versions).items()
    }


def quiz_exports(quiz_id: str, quiz_versions: list[Quiz]) -> dict[str, bytes]:
    """One quiz's downloads, path -> bytes."""
    return {
        f"docs/quizzes/{quiz_id}/downloads/{filename(quiz_id, fmt)}": fmt.write(quiz_versions)
        for fmt in FORMATS.values()
    }


def render_site(content: Content, blueprints: list[Blueprint] | None = None) -> dict[str, str | bytes]:
    """Every generated file, path -> text or bytes, made in memory before anything is written.
    A blueprint with `publish: false` is left out: a published quiz carries its keys."""
    published = [b for b in blueprints or [] if b.publish]
    versions = make_quizzes(content, published)
    return {**render_pages(content, published, versions), **render_exports(versions)}


def practice_quizzes(blueprints: list[Blueprint]) -> dict[str, Blueprint]:
    """For each topic and each section a template examines, the quiz with most questions on it
    (the learner's "practise" link); the first such quiz when several tie."""
    best: dict[str, tuple[int, Blueprint]] = {}
    for blueprint in blueprints:
        counts: dict[str, int] = defaultdict(int)
        for entry in blueprint.questions:
            for template_id in entry.templates:
                template = TEMPLATES[template_id]
                counts[f"topic:{template.topic}"] += entry.count
                counts[f"section:{template.section}"] += entry.count
        for key, count in counts.items():
            if key not in best or count > best[key][0]:
                best[key] = (count, blueprint)
    return {key: blueprint for key, (_, blueprint) in best.items()}


@dataclass(frozen=True)
class Download:
    label: str
    name: str


def downloads(quiz_id: str) -> list[Download]:
    """The files a quiz page offers, named as render_site writes them (all versions in each)."""
    return [Download(fmt.label, filename(quiz_id, fmt)) for fmt in FORMATS.values()]


EXAMPLE_SEED = "catalogue"


def template_examples(context: Context) -> list[tuple[Any, Question]]:
    """One generated example question for every case template, for the educators' catalogue."""
    return [
        (template, template.make(random.Random(f"{EXAMPLE_SEED}:{template.id}"), context, "standard"))
        for template in TEMPLATES.values()
    ]


@dataclass(frozen=True)
class ApiEntry:
    name: str
    signature: str
    doc: str


@dataclass(frozen=True)
class ApiTopic:
    title: str
    summary: str
    path: str
    entries: list[ApiEntry]


def rules_api(rules: Rules) -> list[ApiTopic]:
    """The Rules methods by topic as the rules page documents them: from the code itself, each
    topic's title and summary from its module's docstring ("Title: what it holds")."""
    topics = []
    for topic, names in methods_by_topic().items():
        title, _, summary = (inspect.getdoc(topic) or "").partition(": ")
        methods = [getattr(rules, name) for name in names]
        entries = [ApiEntry(m.__name__, python_signature(m), inspect.getdoc(m) or "") for m in methods]
        path = topic.__name__.replace(".", "/") + ".py"
        topics.append(ApiTopic(title, summary[:1].upper() + summary[1:], path, entries))
    return topics


class _Written(str):
    """An annotation as its source writes it: under `from __future__ import annotations` each is
    a string, which inspect would show quoted ('float')."""

    def __repr__(self) -> str:
        return str(self)


def python_signature(function: Any) -> Markup:
    """name(parameters) -> result, as Python writes it. Markup: it is the code's own text for a
    code block, where an escaped '->' would show as '-&gt;'."""
    sig = inspect.signature(function)
    bare = [p.replace(annotation=_Written(p.annotation)) for p in sig.parameters.values()]
    sig = sig.replace(parameters=bare, return_annotation=_Written(sig.return_annotation))
    return Markup(f"{function.__name__}{sig}")
