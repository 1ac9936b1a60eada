"""The Jinja2 environment and the filters that format values for pages. Formatting only."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from generator.models import RiskGroup


def format_number(value: float | Decimal) -> str:
    """A figure as the summary writes it. A Decimal keeps its digits (66.0 -> '66.0');
    a float takes its shortest exact form (0.0032 -> '0.0032', 20.0 -> '20')."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return format(Decimal(repr(float(value))).normalize(), "f")


def format_count(value: float | Decimal, unit: str, units: str | None = None) -> str:
    """A number with its unit, singular for one: "1 year", "6 years" (units for an irregular plural)."""
    return f"{format_number(value)} {unit if value == 1 else units or unit + 's'}"


def format_pct(value: float) -> str:
    return f"{format_number(value)}%"


def format_risk_groups(groups: Sequence[RiskGroup], strong: bool = False) -> str:
    """A score's cut-offs as the scores page and the quizzes write them: "low ≤ 8; high above"."""

    def name(group: RiskGroup) -> str:
        return f"**{group.risk}**" if strong else group.risk

    return "; ".join(
        f"{name(g)} {'≤' if g.inclusive else '<'} {format_number(g.upper)}"
        if g.upper is not None
        else f"{name(g)} above"
        for g in groups
    )


def show(value: object) -> object:
    """Jinja's finalize: a number prints as the summary writes it (40.0 -> '40'), whatever the template."""
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return format_number(value)
    return value


def show_in_page(value: object) -> object:
    """A page's finalize: a value is escaped here, and a '{' too (as '&#123;'), so no text can end
    in a Markdown attribute list ('*x*{onclick=…}', '{#id}', '{: …}'): attribute lists are the
    templates' own. Markup (a figure, JSON, an escaped title) is the templates' and stays."""
    value = show(value)
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    if "{" not in value:  # most values: escaping is all (a page fills some 180,000)
        return escape(value)
    # str() first: Markup.replace would escape its own '&#123;' into '&amp;#123;', which a
    # reader saw as text on the rules page.
    return Markup(str(escape(value)).replace("{", "&#123;"))


def environment() -> jinja2.Environment:
    """Autoescaping is on: a '<script>' in YAML is shown as text, never run, and a '{' cannot
    start an attribute list (show_in_page)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=show_in_page,
    )
    env.filters["num"] = format_number
    env.filters["pct"] = format_pct
    env.filters["risk_groups"] = format_risk_groups
    return env
