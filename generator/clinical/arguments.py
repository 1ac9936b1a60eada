"""The argument checks every rule shares: impossible input raises ValueError naming the argument
and its allowed range. Each kind of input states its allowed values in one phrase, used by the
messages here and by the calculators on the site, so the page says what the rules say."""

from __future__ import annotations

import math

EXPECTED = {
    "percent": "from 0 to 100 %",
    "percent-above-zero": "above 0 to 100 %",
    "non-negative": "0 {unit} or more",
    "positive": "above 0 {unit}",
    "is": "0 % or more on the International Scale, whose 100 % is a baseline, not a ceiling",
    "is-above-zero": "above 0 % on the International Scale, whose 100 % is a baseline, not a ceiling",
}


def problem(name: str, kind: str, unit: str = "") -> str:
    """The error message for an input of this kind, with "{value}" where the value goes."""
    return f"{name} must be {EXPECTED[kind].format(unit=unit)}, but received {{value}}"


def number(name: str, value: object, bounds: str = "") -> float:
    """value as a float; bounds ("from 0 to 100") goes into the message when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{name} must be a number{' ' + bounds if bounds else ''}, but received {value!r}")
    return float(value)


def percent(name: str, value: object, *, above_zero: bool = False) -> float:
    """A percentage from 0 (or above 0, where a logarithm is taken) to 100."""
    kind = "percent-above-zero" if above_zero else "percent"
    checked = number(name, value, f"{'above' if above_zero else 'from'} 0 to 100")
    if checked > 100 or checked < 0 or (above_zero and checked == 0):
        raise ValueError(problem(name, kind).format(value=repr(value)))
    return checked


def non_negative(name: str, value: object, unit: str) -> float:
    checked = number(name, value)
    if checked < 0 or math.isinf(checked):
        raise ValueError(problem(name, "non-negative", unit).format(value=repr(value)))
    return checked


def positive(name: str, value: object, unit: str) -> float:
    checked = number(name, value)
    if checked <= 0 or math.isinf(checked):
        raise ValueError(problem(name, "positive", unit).format(value=repr(value)))
    return checked


def is_level(name: str, value: object, *, above_zero: bool = False) -> float:
    """A BCR::ABL1 level on the International Scale. 100 % is the scale's standardized baseline,
    not a ceiling: levels above it occur (a negative log reduction), so none is refused."""
    kind = "is-above-zero" if above_zero else "is"
    checked = number(name, value)
    if checked < 0 or math.isinf(checked) or (above_zero and checked == 0):
        raise ValueError(problem(name, kind).format(value=repr(value)))
    return checked


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, but received {value!r}")
    return str(value)
