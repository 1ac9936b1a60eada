"""The Jinja2 environment and the filters that format values for pages. Formatting only."""

from __future__ import annotations

from decimal import Decimal

import jinja2


def format_number(value: float | Decimal) -> str:
    """A figure as the summary writes it. A Decimal keeps its digits (66.0 -> '66.0');
    a float takes its shortest exact form (0.0032 -> '0.0032', 20.0 -> '20')."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return format(Decimal(repr(float(value))).normalize(), "f")


def format_pct(value: float) -> str:
    return f"{format_number(value)}%"


def show(value: object) -> object:
    """Jinja's finalize: a number prints as the summary writes it (40.0 -> '40'), whatever the template."""
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return format_number(value)
    return value


def environment() -> jinja2.Environment:
    """Autoescaping is on: a '<script>' in YAML is shown as text, never run."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=show,
    )
    env.filters["num"] = format_number
    env.filters["pct"] = format_pct
    return env
