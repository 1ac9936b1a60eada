"""What content/ holds, by place (file:line:key): each figure it states, each reference it cites.

A place holds a figure when a number there has the figure's value (a threshold, a trial's
result) or its text states it; a place rests on a sentence of the summary when it cites one of
the references that sentence cites. Lines come from yamlfile, which keeps every key's line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.source.figures import values
from generator.yamlfile import Loc, YamlDocument, format_key, load_yaml

# Files that record, not teach: the bibliography and the last release's change note.
SKIPPED_FILES = {"references.yml", "updates.yml", "source.yml"}
# Keys whose numbers are bookkeeping, never a fact of the summary.
SKIPPED_KEYS = {"order", "year", "id", "url", "pmid", "registry", "volume", "pages", "accessed", "date", "updated"}
CITING_KEYS = {"refs", "cites", "ref", "summary_ref"}
PLACEHOLDER = re.compile(r"{{.*?}}", re.DOTALL)


@dataclass(frozen=True, order=True)
class Place:
    file: str
    line: int
    key: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.key}"


@dataclass
class ContentIndex:
    figures: dict[Decimal, list[Place]] = field(default_factory=lambda: defaultdict(list))
    numbers: dict[Decimal, list[Place]] = field(default_factory=lambda: defaultdict(list))  # numeric values only
    citing: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    section_ids: dict[str, str] = field(default_factory=dict)  # title -> id
    section_refs: dict[str, list[str]] = field(default_factory=dict)  # id -> reference ids, in order
    reference_titles: dict[str, str] = field(default_factory=dict)  # reference id -> title
    study_of_place: dict[Place, str] = field(default_factory=dict)
    study_refs: dict[str, set[str]] = field(default_factory=dict)
    study_section: dict[str, str] = field(default_factory=dict)

    def local(self, place: Place, section_id: str | None) -> bool:
        """Whether a place belongs to a section: its file in content/sections/, or a study of it."""
        if section_id is None:
            return False
        if place.file == f"content/sections/{section_id}.yml":
            return True
        study = self.study_of_place.get(place)
        return study is not None and self.study_section.get(study) == section_id

    def holding(self, value: Decimal, telling: bool) -> list[Place]:
        """Places holding the value; a bare small number only where content writes it as a number."""
        return self.figures.get(value, []) if telling else self.numbers.get(value, [])

    def reference_id(self, section_id: str | None, number: int, text: str | None) -> str | None:
        """The reference a citation number means: by its title when the release lists it, else
        by its place in the section's list in content/ (numbered as the summary numbers them)."""
        if text:
            flat = _flat(text)
            for ref_id, title in self.reference_titles.items():
                if _flat(title) and _flat(title) in flat:
                    return ref_id
        refs = self.section_refs.get(section_id or "", [])
        return refs[number - 1] if 0 < number <= len(refs) else None

    def studies_at(self, places: list[Place]) -> set[str]:
        return {self.study_of_place[p] for p in places if p in self.study_of_place}


def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def index_content(content_dir: Path) -> ContentIndex:
    index = ContentIndex()
    for path in sorted(content_dir.rglob("*.yml")):
        display = f"content/{path.relative_to(content_dir).as_posix()}"
        document = load_yaml(path, display)
        if path.name == "references.yml":
            for ref in document.data.get("references", []):
                index.reference_titles[str(ref.get("id"))] = str(ref.get("title", ""))
        if path.name in SKIPPED_FILES:
            continue
        if path.parent.name == "sections" and isinstance(document.data, dict):
            index.section_ids[str(document.data.get("title"))] = str(document.data.get("id"))
            index.section_refs[str(document.data.get("id"))] = [str(r) for r in document.data.get("references", [])]
        _walk(document, document.data, (), index)
        if path.name == "studies.yml":
            for n, study in enumerate(document.data.get("studies", [])):
                index.study_refs[study["id"]] = set(study.get("refs", []))
                index.study_section[study["id"]] = str(study.get("section"))
                for key, line in document.lines.items():
                    if key[:2] == ("studies", n):
                        index.study_of_place[Place(display, line, format_key(key))] = study["id"]
    return index


def _walk(document: YamlDocument, data: object, loc: Loc, index: ContentIndex) -> None:
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if isinstance(data, dict):
        for key, value in data.items():
            _walk(document, value, (*loc, key), index)
    elif isinstance(data, list):
        if name in CITING_KEYS and loc and loc[-1] == name:
            place = _place(document, loc)
            for ref in data:
                index.citing[str(ref)].append(place)
            return
        for n, value in enumerate(data):
            _walk(document, value, (*loc, n), index)
    elif name in SKIPPED_KEYS or name == "references":
        return
    elif isinstance(data, bool):
        return
    elif isinstance(data, int | float | Decimal):
        place = _place(document, loc)
        value = Decimal(str(data))
        index.figures[value].append(place)
        index.numbers[value].append(place)
    elif isinstance(data, str):
        if name in CITING_KEYS:
            index.citing[data].append(_place(document, loc))
            return
        for value in values(PLACEHOLDER.sub(" ", data)):
            index.figures[value].append(_place(document, loc))


def _place(document: YamlDocument, loc: Loc) -> Place:
    return Place(document.display, document.line_of(loc), format_key(loc))
