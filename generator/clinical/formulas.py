"""The prognostic scores' formulas over inputs already checked, unrounded (scores.py checks a
reader's inputs and groups the value), and score_value: the quiz's way to them for cases it draws
inside content's ranges by the thousand."""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping

from generator.content import Content
from generator.models import ScoreTerm


def _sokal(content: Content, age: float, spleen: float, plt: float, blasts: float) -> float:
    s = content.scores.sokal
    total = (
        _centred(s.age, age)
        + _centred(s.spleen, spleen)
        + s.platelets.coefficient * ((plt / s.platelets.scale) ** 2 - s.platelets.centre)
        + _centred(s.blasts, blasts)
    )
    return math.exp(total)


def _hasford(content: Content, age: float, spleen: float, plt: float, blasts: float, eos: float, baso: float) -> float:
    h = content.scores.hasford
    return h.multiplier * (
        _indicator(h.age, age)
        + h.spleen.coefficient * spleen
        + h.blasts.coefficient * blasts
        + h.eosinophils.coefficient * eos
        + _indicator(h.basophils, baso)
        + _indicator(h.platelets, plt)
    )


def _eutos(content: Content, baso: float, spleen: float) -> float:
    e = content.scores.eutos
    return e.basophils.coefficient * baso + e.spleen.coefficient * spleen


def _elts(content: Content, age: float, spleen: float, plt: float, blasts: float) -> float:
    e = content.scores.elts
    return (
        _powered(e.age, age)
        + e.spleen.coefficient * spleen
        + e.blasts.coefficient * blasts
        + _powered(e.platelets, plt)
    )


# What each score reads of a case, in its function's order.
INPUTS: dict[str, tuple[str, ...]] = {
    "sokal": ("age", "spleen_cm", "platelets", "blasts_pct"),
    "hasford": ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct"),
    "eutos": ("basophils_pct", "spleen_cm"),
    "elts": ("age", "spleen_cm", "platelets", "blasts_pct"),
}
_FORMULAS = {"sokal": _sokal, "hasford": _hasford, "eutos": _eutos, "elts": _elts}
# Each score's INPUTS read from a case at once, as a tuple (a quiz item reads thousands of cases).
_READ = {score: operator.itemgetter(*names) for score, names in INPUTS.items()}


def score_value(content: Content, score: str, case: Mapping[str, float]) -> float:
    """The named score of a case holding its INPUTS, unrounded, the inputs unchecked: for a quiz
    that draws valid inputs by the thousand for each item (a reader's input goes through
    sokal() and the others, which check it)."""
    return _FORMULAS[score](content, *_READ[score](case))


def _centred(term: ScoreTerm, value: float) -> float:
    return term.coefficient * (value - term.centre)


def _indicator(term: ScoreTerm, value: float) -> float:
    assert term.at_least is not None
    return term.coefficient if value >= term.at_least else 0.0


def _powered(term: ScoreTerm, value: float) -> float:
    base = value / term.divisor
    if base == 0 and term.power < 0:  # a value so small it underflows: the term grows without bound
        return math.inf
    return term.coefficient * base**term.power
