"""Prognostic scores at diagnosis: the Sokal, Hasford, EUTOS and ELTS formulas over the
coefficients in content/scores.yml, and the risk group of a value at its published precision."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from generator.clinical.arguments import choice, non_negative, number, percent, positive
from generator.clinical.formulas import _centred, _elts, _eutos, _hasford, _indicator, _powered, _sokal
from generator.content import Content
from generator.models import RiskGroup, Score

SCORES: tuple[str, ...] = ("sokal", "hasford", "eutos", "elts")


@dataclass(frozen=True)
class ScoreResult:
    """A prognostic score: its value unrounded, as published (shown: rounded half up to the
    score's published decimals), and the risk group that shown value falls in."""

    name: str
    score: float
    risk: str
    citation: str
    shown: str = ""


def score_risk(content: Content, score: str, value: float) -> str:
    """The risk group a value of the named score ("sokal", "hasford", "eutos", "elts") falls
    in, compared at the precision the score is published at (87.0000001 is EUTOS 87, low)."""
    key = choice("score", score, SCORES)
    model = getattr(content.scores, key)
    value = number("value", value)
    # Rounding moves a value by at most half a unit of its last decimal, so a value a whole unit
    # clear of every cut-off falls in the group it would fall in rounded: the exact rounding is
    # needed only near a cut (the quiz's prognostic-score items ask this hundreds of times each).
    unit = 10.0**-model.decimals
    for group in model.groups:  # a loop, not all() over a generator: this is the hottest line of a quiz build
        if group.upper is not None and abs(value - group.upper) <= unit:
            return scored(model, value).risk
    return _group(model, value).risk


def sokal(content: Content, age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """Sokal score: exp of the whole sum (Sokal 1984)."""
    return scored(content.scores.sokal, _sokal(content, *_score_inputs(age, spleen_cm, platelets, blasts_pct)))


def hasford(
    content: Content,
    age: float,
    spleen_cm: float,
    platelets: float,
    blasts_pct: float,
    eosinophils_pct: float,
    basophils_pct: float,
) -> ScoreResult:
    """Hasford (Euro) score (Hasford 1998)."""
    age, spleen, plt, blasts = _score_inputs(age, spleen_cm, platelets, blasts_pct)
    eos = percent("eosinophils_pct", eosinophils_pct)
    baso = percent("basophils_pct", basophils_pct)
    return scored(content.scores.hasford, _hasford(content, age, spleen, plt, blasts, eos, baso))


def eutos(content: Content, basophils_pct: float, spleen_cm: float) -> ScoreResult:
    """EUTOS score (Hasford 2011); risk low or high."""
    baso = percent("basophils_pct", basophils_pct)
    spleen = non_negative("spleen_cm", spleen_cm, "cm")
    return scored(content.scores.eutos, _eutos(content, baso, spleen))


def elts(content: Content, age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> ScoreResult:
    """ELTS score (Pfirrmann 2016)."""
    age = non_negative("age", age, "years")
    spleen = non_negative("spleen_cm", spleen_cm, "cm")
    plt = positive("platelets", platelets, "x 10^9/L")  # raised to a negative power
    blasts = percent("blasts_pct", blasts_pct)
    return scored(content.scores.elts, _elts(content, age, spleen, plt, blasts))


def score_terms(content: Content, score: str, case: dict[str, float]) -> list[tuple[str, float]]:
    """Each input's term in the named score, by input, for feedback that shows the working: the
    Sokal score is exp of their sum, Hasford's the multiplier times it (given here already
    multiplied), EUTOS's and ELTS's their sum. `case` holds age, spleen_cm, platelets,
    blasts_pct, eosinophils_pct and basophils_pct."""
    key = choice("score", score, SCORES)
    age, spleen, plt, blasts = case["age"], case["spleen_cm"], case["platelets"], case["blasts_pct"]
    if key == "sokal":
        s = content.scores.sokal
        platelets = s.platelets.coefficient * ((plt / s.platelets.scale) ** 2 - s.platelets.centre)
        return [
            ("age", _centred(s.age, age)),
            ("spleen", _centred(s.spleen, spleen)),
            ("platelets", platelets),
            ("blasts", _centred(s.blasts, blasts)),
        ]
    if key == "hasford":
        h = content.scores.hasford
        return [
            (name, h.multiplier * term)
            for name, term in (
                ("age", _indicator(h.age, age)),
                ("spleen", h.spleen.coefficient * spleen),
                ("blasts", h.blasts.coefficient * blasts),
                ("eosinophils", h.eosinophils.coefficient * case["eosinophils_pct"]),
                ("basophils", _indicator(h.basophils, case["basophils_pct"])),
                ("platelets", _indicator(h.platelets, plt)),
            )
        ]
    if key == "eutos":
        e = content.scores.eutos
        return [
            ("basophils", e.basophils.coefficient * case["basophils_pct"]),
            ("spleen", e.spleen.coefficient * spleen),
        ]
    e = content.scores.elts
    return [
        ("age", _powered(e.age, age)),
        ("spleen", e.spleen.coefficient * spleen),
        ("blasts", e.blasts.coefficient * blasts),
        ("platelets", _powered(e.platelets, plt)),
    ]


def _score_inputs(age: float, spleen_cm: float, platelets: float, blasts_pct: float) -> tuple[float, ...]:
    return (
        non_negative("age", age, "years"),
        non_negative("spleen_cm", spleen_cm, "cm"),
        non_negative("platelets", platelets, "x 10^9/L"),
        percent("blasts_pct", blasts_pct),
    )


def at_precision(value: float, decimals: int) -> Decimal:
    """value rounded half up to decimals places, from its exact binary value: what JavaScript's
    Number.prototype.toFixed gives, so the site's calculators and the rules round alike."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)


_WIDE = Context(prec=400)  # room for any finite double's whole digits


def scored(model: Score, score: float) -> ScoreResult:
    """The group of score at its published precision, and the score shown at that precision."""
    if math.isfinite(score):
        rounded = at_precision(score, model.decimals)
        shown, compared = f"{rounded:f}", float(rounded)
    else:
        shown, compared = str(score), score
    return ScoreResult(model.name, score, _group(model, compared).risk, model.citation, shown)


def _group(model: Score, compared: float) -> RiskGroup:
    """The group a value, already at the score's precision, falls in."""
    for group in model.groups:
        if group.upper is None or compared < group.upper or (group.inclusive and compared == group.upper):
            return group
    raise AssertionError("the last group has no upper bound")  # guaranteed by content validation


FORMULAS = {"sokal": sokal, "hasford": hasford, "eutos": eutos, "elts": elts}
