"""Prose in content/ may name a threshold instead of repeating it: "{{ phases.blastic.min_blasts_pct|pct }}".

Each text is rendered in a sandbox whose only names are the content's values, so a threshold
is written once, in its own field, and every sentence that states it stays in step.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
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


# What a placeholder may hold: a name, its attributes or items, and these filters with constant
# arguments. No arithmetic, calls, loops, tests or tags, so no text can run code, exhaust memory
# or hang a build ("{{ 9**(9**9) }}", "{{ range(10**9)|list }}", "{% include %}").
FILTERS = frozenset({"pct", "num", "join", "bullets", "risk_groups", "list", "map", "selectattr"})


def check_syntax(text: str) -> None:
    """Refuse a text whose placeholders are not names and filters (see FILTERS)."""
    try:
        tree = _ENV.parse(text)
    except jinja2.TemplateSyntaxError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            allowed = "only {{ name|filter }} placeholders are allowed"
            raise ProseError(f"placeholder problem: {allowed}, not {_tag(node)}")
        for part in node.nodes:
            if not isinstance(part, nodes.TemplateData):
                _check_expression(part)


def _tag(node: nodes.Node) -> str:
    return f"{{% {type(node).__name__.lower()} %}}"


def _check_expression(node: nodes.Node) -> None:
    if isinstance(node, nodes.Name):
        return
    if isinstance(node, nodes.Getattr) and not node.attr.startswith("_"):
        return _check_expression(node.node)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return _check_expression(node.node)
    if isinstance(node, nodes.Filter) and node.node is not None:
        if node.name not in FILTERS:
            known = ", ".join(sorted(FILTERS))
            raise ProseError(f"placeholder problem: unknown filter '{node.name}'; filters: {known}")
        arguments = [*node.args, *(keyword.value for keyword in node.kwargs)]
        if node.dyn_args or node.dyn_kwargs or not all(isinstance(a, nodes.Const) for a in arguments):
            raise ProseError(f"placeholder problem: the arguments of '{node.name}' must be plain values")
        return _check_expression(node.node)
    raise ProseError("placeholder problem: a placeholder holds a name and filters only, not an expression")


@cache
def _compiled(text: str) -> jinja2.Template:
    """Compiling is the slow part of a template; a quiz fills the same few hundred texts
    thousands of times. A text is checked before it is ever compiled."""
    check_syntax(text)
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
        return _compiled(text).render(names(content))
    except jinja2.TemplateError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None
