"""Prose in content/ may name a threshold instead of repeating it: "{{ phases.blastic.min_blasts_pct|pct }}".

Each text is rendered in a sandbox whose only names are the content's values, so a threshold
is written once, in its own field, and every sentence that states it stays in step.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from generator.render import format_number, format_pct, format_risk_groups, show

if TYPE_CHECKING:
    from generator.content import Content


class ProseError(ValueError):
    """A placeholder in prose names nothing, or the text is not a valid template."""


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=show)
_ENV.filters.update(num=format_number, pct=format_pct, bullets=bullets, risk_groups=format_risk_groups)


def names(content: Content) -> dict[str, Any]:
    """What prose may refer to."""
    return {
        "phases": {p.id: p for p in content.phases.phases},
        "progression": content.phases.progression,
        "responses": {r.id: r for r in content.responses.molecular_responses},
        "emr": content.responses.early_molecular_response,
        "halving": content.responses.halving_time,
        "targets": content.responses.targets,
        "m": content.management,
    }


def check_syntax(text: str) -> None:
    try:
        _ENV.parse(text)
    except jinja2.TemplateSyntaxError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None


@cache
def _compiled(text: str) -> jinja2.Template:
    """Compiling is the slow part of a template; a quiz fills the same few hundred texts
    thousands of times."""
    return _ENV.from_string(text)


def render_words(text: str, content: Content, values: dict[str, Any]) -> str:
    """A case template's text: content's names and the case's values (which win on a clash)."""
    if "{" not in text:
        return text
    try:
        return _compiled(text).render({**names(content), **values})
    except jinja2.TemplateError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None


def render_prose(text: str, content: Content) -> str:
    if "{" not in text:
        return text
    try:
        return _ENV.from_string(text).render(names(content))
    except jinja2.TemplateError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None
