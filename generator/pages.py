"""What pages the site has and the data each is rendered from (content in, Markdown out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.content import Content
from generator.models import Reference
from generator.render import environment
from generator.rules import Rules


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class Range:
    """A half-open interval [low, high) of a percentage; None is an open end."""

    low: float | None
    high: float | None


def reference_label(ref: Reference) -> str:
    """'Marin 2012a': first author's surname, year, and the id's letter that tells twins apart."""
    if ref.authors:
        first = ref.authors.split(",")[0]
        surname = first.rsplit(" ", 1)[0] if " " in first else first
    else:
        surname = ref.title.split(".")[0]
    twin = ref.id[-1] if ref.id[-1].isalpha() and ref.id[-2].isdigit() else ""
    return f"{surname} {ref.year}{twin}"


class PageContext:
    """Helpers every template may call; built once per content."""

    def __init__(self, content: Content, rules: Rules):
        self.content = content
        self.rules = rules

    def cite(self, ref_ids: list[str], page_depth: int = 0) -> list[Link]:
        prefix = "../" * page_depth
        return [Link(reference_label(self.content.references[r]), f"{prefix}references.md#{r}") for r in ref_ids]

    def phase_ranges(self) -> list[tuple[Any, Range]]:
        phases = self.content.phases.phases
        bounds = [p.min_blasts_pct for p in phases[1:]] + [None]
        return [(p, Range(p.min_blasts_pct, high)) for p, high in zip(phases, bounds)]


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str


PAGES = (
    Page("docs/index.md", "index.md.j2", "Home"),
    Page("docs/phases.md", "phases.md.j2", "Phases of CML"),
    Page("docs/molecular-response.md", "molecular_response.md.j2", "Molecular response"),
    Page("docs/references.md", "references.md.j2", "References"),
    Page("snippets/abbreviations.md", "abbreviations.md.j2", "Glossary abbreviations"),
)


def render_site(content: Content) -> dict[str, str]:
    """Every generated file, path -> text, rendered in memory before anything is written."""
    env = environment()
    helpers = PageContext(content, Rules(content))
    shared: dict[str, Any] = {"content": content, "site": helpers, "source": content.source}
    render: Callable[[Page], str] = lambda page: env.get_template(page.template).render(page=page, **shared)
    return {page.path: render(page) for page in PAGES}
