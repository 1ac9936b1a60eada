"""Prose in content/ may name a threshold instead of repeating it: "{{ phases.blastic.min_blasts_pct|pct }}".

Each text is rendered in a sandbox whose only names are the content's values, so a threshold
is written once, in its own field, and every sentence that states it stays in step.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any, Protocol

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from generator.render import format_count, format_number, format_pct, format_risk_groups, show


class Named(Protocol):
    """What prose is rendered against: generator.content.Content, which says what it may name.
    (Prose needs only this, so content.py imports prose and never the other way round.)"""

    def prose_names(self) -> dict[str, Any]: ...


class ProseError(ValueError):
    """A placeholder in prose names nothing, or the text is not a valid template."""


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=show)
_ENV.filters.update(
    num=format_number, pct=format_pct, bullets=bullets, risk_groups=format_risk_groups, plural=format_count
)


# What a placeholder may hold: a name, its attributes or items, and these filters with constant
# arguments. No arithmetic, calls, loops, tests or tags, so no text can run code, exhaust memory
# or hang a build ("{{ 9**(9**9) }}", "{{ range(10**9)|list }}", "{% include %}").
FILTERS = frozenset({"pct", "num", "plural", "join", "bullets", "risk_groups", "list", "map", "selectattr"})
# The arguments each filter may take: how many plain values, and which keywords. map takes an
# attribute only: map("center", 10**9) would call any filter Jinja has, with any argument.
ARGUMENTS: dict[str, tuple[int, frozenset[str]]] = {
    "pct": (0, frozenset()),
    "num": (0, frozenset()),
    "plural": (2, frozenset()),  # the unit, and its plural where it is not the unit + "s"
    "bullets": (0, frozenset()),
    "list": (0, frozenset()),
    "risk_groups": (0, frozenset({"strong"})),
    "join": (1, frozenset()),
    "map": (0, frozenset({"attribute"})),
    "selectattr": (3, frozenset()),
}
SELECT_TESTS = frozenset({"equalto", "ne", "defined", "undefined", "none", "true", "false"})
MAX_OUTPUT = 20_000  # characters a text may become once its placeholders are filled


@cache
def check_syntax(text: str) -> None:
    """Refuse a text whose placeholders are not names and filters (see FILTERS). A text found
    good is not parsed again (serve checks every text on every edit)."""
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
        if any(isinstance(a.value, str) and a.value.startswith("_") for a in arguments):
            raise ProseError("placeholder problem: a name starting with '_' is not a value of the content")
        most, keywords = ARGUMENTS[node.name]
        if len(node.args) > most or any(k.key not in keywords for k in node.kwargs):
            raise ProseError(f"placeholder problem: '{node.name}' takes {_takes(most, keywords)}")
        if node.name == "selectattr" and (len(node.args) < 2 or node.args[1].value not in SELECT_TESTS):
            raise ProseError(f"placeholder problem: selectattr tests with one of {', '.join(sorted(SELECT_TESTS))}")
        return _check_expression(node.node)
    raise ProseError("placeholder problem: a placeholder holds a name and filters only, not an expression")


def _takes(most: int, keywords: frozenset[str]) -> str:
    parts = [f"{most} plain value(s)"] if most else []
    parts += [f"{k}=" for k in sorted(keywords)]
    return " and ".join(parts) if parts else "no arguments"


def _fill(text: str, values: dict[str, Any]) -> str:
    """Render a checked text; any failure is one line, and the result is bounded in size."""
    try:
        result = _compiled(text).render(values)
    except ProseError:
        raise
    except jinja2.TemplateError as error:
        raise ProseError(f"placeholder problem: {error.message or error}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, MemoryError, RecursionError) as error:
        raise ProseError(f"placeholder problem: {type(error).__name__}: {str(error)[:200]}") from None
    if len(result) > MAX_OUTPUT:
        raise ProseError(f"placeholder problem: the text becomes {len(result):,} characters; at most {MAX_OUTPUT:,}")
    return result


@cache
def _compiled(text: str) -> jinja2.Template:
    """Compiling is the slow part of a template; a quiz fills the same few hundred texts
    thousands of times. A text is checked before it is ever compiled."""
    check_syntax(text)
    return _ENV.from_string(text)


def render_words(text: str, content: Named, values: dict[str, Any]) -> str:
    """A case template's text: content's names and the case's values (which win on a clash)."""
    if "{" not in text:
        return text
    key = _values_key(values, _named_in(text))
    if key is None:  # a list or a model among the values it names: filled afresh
        return _fill(text, {**_filling(content).names, **values})
    return _filling(content).filled(text, key)


@cache
def _named_in(text: str) -> frozenset[str]:
    """The names a text's placeholders read: only their values can change what it becomes
    (check_syntax allows no other way to reach a name)."""
    check_syntax(text)
    return frozenset(meta.find_undeclared_variables(_ENV.parse(text)))


# The types of value a filled text may be remembered by: a value of these types prints the same
# whenever it is equal and of the same type (Decimal is not among them: 1.0 and 1.00 are equal
# and print apart).
_PLAIN = frozenset({str, int, float, bool, type(None)})
FILLED_KEPT = 1 << 16  # filled texts remembered for one content: some 42,000 for 10,000 questions


Key = tuple[tuple[str, type, Any, float], ...]


def _values_key(values: dict[str, Any], named: frozenset[str]) -> Key | None:
    """The values a text names as a key, each with its type (1, 1.0 and True are equal but
    print apart) and its sign (-0.0 equals 0.0 but prints "-0"); None when one is not plain.
    Values the text does not name are left out: they change nothing in it."""
    key = []
    for name, value in values.items():
        if name not in named:
            continue
        kind = type(value)
        if kind not in _PLAIN:
            return None
        key.append((name, kind, value, math.copysign(1.0, value) if kind is float else 0.0))
    return tuple(key)


class _Filling:
    """One content's names, gathered once, and the texts already filled with them: a quiz fills
    the same text with the same values over and over (four fills in five, drawing 10,000
    questions), and a fill is a Jinja render, the most of a question's time after the drawing."""

    def __init__(self, content: Named):
        self.names = content.prose_names()

        @lru_cache(maxsize=FILLED_KEPT)
        def filled(text: str, key: Key) -> str:
            return _fill(text, {**self.names, **{name: value for name, _, value, _ in key}})

        self.filled: Callable[[str, Key], str] = filled


_FILLINGS: dict[int, tuple[weakref.ref, _Filling]] = {}


def _filling(content: Named) -> _Filling:
    """content's _Filling, made on first use and dropped with the content (serve loads a new
    content on each edit); found by identity, as content holds dicts and cannot be hashed."""
    at = id(content)
    held = _FILLINGS.get(at)
    if held is not None and held[0]() is content:
        return held[1]
    filling = _Filling(content)
    _FILLINGS[at] = (weakref.ref(content, lambda _: _FILLINGS.pop(at, None)), filling)
    return filling


def render_prose(text: str, content: Named) -> str:
    if "{" not in text:
        return text
    return _fill(text, _filling(content).names)
