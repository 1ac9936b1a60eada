"""Load content/ into typed models, validating every file and every cross-reference in one run.

FILES lists what content/ holds; Content has one field per file, named after it (and checked
against the list when this module is imported), so adding a file is one line in each place."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import markup
from generator.errors import ContentError, Problem
from generator.models import (
    CaseWords,
    EvidenceFile,
    GlossaryFile,
    KeyReferencesFile,
    ManagementFile,
    Model,
    MolecularResponse,
    OptionsFile,
    PatientsFile,
    PhasesFile,
    QuizTextFile,
    Reference,
    ReferencesFile,
    RefTo,
    ResponsesFile,
    ScoresFile,
    Section,
    Source,
    StudiesFile,
    Study,
    TherapiesFile,
    Therapy,
    UpdatesFile,
)
from generator.prose import ProseError, check_syntax, render_prose
from generator.yamlfile import Loc, YamlDocument, load_yaml

# One model per file; sections/ holds one Section per file.
FILES: dict[str, type[Model]] = {
    "source.yml": Source,
    "references.yml": ReferencesFile,
    "phases.yml": PhasesFile,
    "responses.yml": ResponsesFile,
    "glossary.yml": GlossaryFile,
    "evidence.yml": EvidenceFile,
    "therapies.yml": TherapiesFile,
    "options.yml": OptionsFile,
    "studies.yml": StudiesFile,
    "management.yml": ManagementFile,
    "updates.yml": UpdatesFile,
    "key_references.yml": KeyReferencesFile,
    "scores.yml": ScoresFile,
    "quiz_text.yml": QuizTextFile,
    "patients.yml": PatientsFile,
}
SECTIONS_DIR = "sections"
# Files whose one list Content keeps as a mapping by id: references.yml's `references`, …
BY_ID = {"references.yml": "references", "therapies.yml": "therapies", "studies.yml": "studies"}


def field_of(name: str) -> str:
    """Content's field for a file of FILES: its name without .yml."""
    return name.removesuffix(".yml")


@dataclass(frozen=True)
class Content:
    """Everything in content/, validated. Pass it explicitly; nothing here is global."""

    source: Source
    references: dict[str, Reference]
    phases: PhasesFile
    responses: ResponsesFile
    glossary: GlossaryFile
    sections: tuple[Section, ...]
    evidence: EvidenceFile
    therapies: dict[str, Therapy]
    options: OptionsFile
    studies: dict[str, Study]
    management: ManagementFile
    updates: UpdatesFile
    key_references: KeyReferencesFile
    scores: ScoresFile
    quiz_text: QuizTextFile
    patients: PatientsFile
    # Each file as read (by its name under content/), so a problem found later still has its line.
    documents: dict[str, YamlDocument] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def problem(self, name: str, loc: Loc, message: str) -> Problem:
        """A problem in content file `name` (e.g. "quiz_text.yml") at key path loc."""
        for display, document in self.documents.items():
            if Path(display).parts[1:] == Path(name).parts:
                return document.problem(loc, message)
        return Problem(name, 1, "", message)

    def response(self, response_id: str) -> MolecularResponse:
        return next(r for r in self.responses.molecular_responses if r.id == response_id)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def prose_names(self) -> dict[str, Any]:
        """What a placeholder in prose may name (generator/prose.py renders it)."""
        return {
            "phases": {p.id: p for p in self.phases.phases},
            "progression": self.phases.progression,
            "responses": {r.id: r for r in self.responses.molecular_responses},
            "emr": self.responses.early_molecular_response,
            "halving": self.responses.halving_time,
            "targets": self.responses.targets,
            "m": self.management,
        }


_FIELDS = {f.name for f in dataclasses.fields(Content)}
if _FIELDS != {field_of(name) for name in FILES} | {"sections", "documents"}:  # fail at import, not in a build
    raise TypeError(f"Content's fields {sorted(_FIELDS)} and FILES {sorted(FILES)} are out of step")


def load_content(root: Path) -> Content:
    """Read and validate root (a content/ folder); raise ContentError listing every problem."""
    problems: list[Problem] = []
    loaded: list[tuple[YamlDocument, Model]] = []

    def load(path: Path, model: type[Model]) -> Model | None:
        display = _display(path, root)
        if not path.is_file():
            problems.append(Problem(display, 1, "", "file is missing"))
            return None
        try:
            document = load_yaml(path, display)
        except ContentError as error:
            problems.extend(error.problems)
            return None
        instance = validate_document(document, model, problems)
        if instance is not None:
            loaded.append((document, instance))
        return instance

    files = {name: load(root / name, model) for name, model in FILES.items()}
    sections = [load(path, Section) for path in sorted((root / SECTIONS_DIR).glob("*.yml"))]
    if not problems:
        problems.extend(_cross_check(loaded))
    if problems:
        raise ContentError(problems)
    values = {
        field_of(name): {item.id: item for item in getattr(model, BY_ID[name])} if name in BY_ID else model
        for name, model in files.items()
    }
    content = Content(
        **values,
        sections=tuple(sorted(sections, key=lambda s: s.order)),  # type: ignore[union-attr, arg-type]
        documents={document.display: document for document, _ in loaded},
    )
    problems.extend(check_markup(loaded))
    problems.extend(_check_placement(content, {doc.display: doc for doc, _ in loaded}, root))
    problems.extend(_check_prose(content, loaded))
    if problems:
        raise ContentError(problems)
    return content


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def validate_document(document: YamlDocument, model: type[Model], problems: list[Problem]) -> Model | None:
    if not isinstance(document.data, dict):
        problems.append(document.problem((), f"expected a mapping of keys, but received {_kind(document.data)}"))
        return None
    try:
        instance = model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(document.problem(tuple(e["loc"]), validation_message(e)) for e in error.errors())
        return None
    problems.extend(document.problem(loc, message) for loc, message in _checks(instance, ()))
    return instance


EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def validation_message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo, or a field this file does not take)"
    received = error.get("input")
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, but received {received!r}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = {k: v for k, v in error.get("ctx", {}).items()}
        words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
        bound = " and ".join(f"{words[k]} {v}" for k, v in limits.items() if k in words)
        return f"expected a value {bound}, but received {received!r}"
    message = error["msg"][0].lower() + error["msg"][1:]
    return f"{message}, but received {received!r}"


def _kind(value: object) -> str:
    return "an empty file" if value is None else f"a {type(value).__name__}"


def walk(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, object]]:
    """Every value in a model, depth first, each with its key path: the model itself, its
    fields, the items of its lists and mappings, and so on down to each string and number.
    The one walker every check below filters."""
    yield loc, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name), loc + (name,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from walk(item, loc + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, loc + (key,))


def _models(model: Model, loc: Loc = ()) -> Iterator[tuple[Loc, Model]]:
    return ((at, node) for at, node in walk(model, loc) if isinstance(node, Model))


def _checks(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Run Model.check() on model and every model nested in it."""
    for at, node in _models(model, loc):  # type: ignore[arg-type]
        for sub_loc, message in node.check():
            yield at + sub_loc, message


def _cross_check(loaded: list[tuple[YamlDocument, Model]]) -> list[Problem]:
    """Every id unique within its kind; every RefTo field names an id that exists."""
    owners: dict[tuple[str, str], Problem] = {}
    problems: list[Problem] = []
    refs: list[tuple[YamlDocument, Loc, str, str]] = []
    for document, model in loaded:
        for loc, node in _models(model, ()):
            if node.id_kind:
                key = (node.id_kind, getattr(node, node.id_field))
                here = document.problem(loc + (node.id_field,), "")
                if key in owners:
                    first = owners[key]
                    problems.append(
                        document.problem(
                            loc + (node.id_field,),
                            f"duplicate {node.id_kind} id '{key[1]}' (first defined at {first.file}:{first.line})",
                        )
                    )
                else:
                    owners[key] = here
            refs.extend((document, ref_loc, kind, value) for ref_loc, kind, value in _refs(node, loc))
    for document, loc, kind, value in refs:
        if (kind, value) not in owners:
            problems.append(document.problem(loc, f"no {kind} has the id '{value}'"))
    return problems


@functools.cache
def _field_kinds(model_type: type[Model]) -> tuple[tuple[str, str | None, str | None], ...]:
    """Each field's RefTo kind and its items' kind, worked out once per model class (the
    typing introspection is slow, and a load visits thousands of models)."""
    return tuple(
        (name, _ref_kind(field.annotation, field.metadata), _ref_kind(_item_type(field.annotation), ()))
        for name, field in model_type.model_fields.items()
    )


def _refs(model: Model, loc: Loc) -> Iterator[tuple[Loc, str, str]]:
    """(location, kind, id) of every RefTo-marked string directly in model's fields."""
    for name, kind, item_kind in _field_kinds(type(model)):
        value = getattr(model, name)
        if kind and isinstance(value, str):
            yield loc + (name,), kind, value
            continue
        if item_kind and isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                yield loc + (name, index), item_kind, item
        elif item_kind and isinstance(value, dict):
            for key, item in value.items():
                yield loc + (name, key), item_kind, item


def _ref_kind(annotation: Any, metadata: Any) -> str | None:
    for marker in metadata:
        if isinstance(marker, RefTo):
            return marker.kind
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _ref_kind(None, annotation.__metadata__)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            kind = _ref_kind(arg, ())
            if kind:
                return kind
    return None


def _item_type(annotation: Any) -> Any:
    """The type of a list's items, or of a mapping's values."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (list, tuple):
        return args[0] if args else None
    if typing.get_origin(annotation) is dict:
        return args[1] if len(args) == 2 else None
    return None


def check_markup(loaded: list[tuple[YamlDocument, Model]]) -> list[Problem]:
    """Every text of every model may be shown as it stands (markup.py says what that means)."""
    return [
        document.problem(loc, message)
        for document, model in loaded
        for loc, text in walk(model)
        if isinstance(text, str)
        for message in markup.problems(text)
    ]


def _check_placement(content: Content, documents: dict[str, YamlDocument], root: Path) -> list[Problem]:
    """Each study is shown, once, in its own section, and cites references that section lists."""
    studies_doc = documents[_display(root / "studies.yml", root)]
    problems = []
    shown: dict[str, list[str]] = {}
    for section in content.sections:
        for _loc, block in section.blocks():
            if block.study:
                shown.setdefault(block.study, []).append(section.id)
    for index, study in enumerate(content.studies.values()):
        where = shown.get(study.id, [])
        if where != [study.section]:
            problems.append(
                studies_doc.problem(
                    ("studies", index, "section"),
                    f"study '{study.id}' must be shown once in section '{study.section}' "
                    f"(a '- study: {study.id}' block), but is shown in {where or 'none'}",
                )
            )
        listed = set(content.section(study.section).references)
        for r, ref in enumerate(study.refs):
            if ref not in listed:
                problems.append(
                    studies_doc.problem(
                        ("studies", index, "refs", r), f"'{ref}' is not in section '{study.section}'s references"
                    )
                )
    return problems


def _check_prose(content: Content, loaded: list[tuple[YamlDocument, Model]]) -> list[Problem]:
    """Every placeholder in prose names a value that exists. A case template's words take the
    case's values too, known only when a quiz is built: here they are checked for syntax."""
    problems = []
    for document, model in loaded:
        for loc, node in _models(model, ()):
            if isinstance(node, CaseWords):
                for key, entry in node.texts.items():
                    for index, text in enumerate([entry] if isinstance(entry, str) else entry):
                        try:
                            check_syntax(text)
                        except ProseError as error:
                            where = loc + ("texts", key) + (() if isinstance(entry, str) else (index,))
                            problems.append(document.problem(where, str(error)))
                continue
            for name in type(node).model_fields:
                value = getattr(node, name)
                texts = [(loc + (name,), value)] if isinstance(value, str) else []
                if isinstance(value, list) and name in ("items", "doses", "toxicities"):
                    texts = [(loc + (name, i), v) for i, v in enumerate(value) if isinstance(v, str)]
                for text_loc, text in texts:
                    if "{" not in text:
                        continue
                    try:
                        render_prose(text, content)
                    except ProseError as error:
                        problems.append(document.problem(text_loc, str(error)))
    return problems
