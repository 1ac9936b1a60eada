"""The calculators on the site: each one's inputs with the labels and bounds content/scores.yml
gives them, the messages for a value refused, and what the page shows for values it accepts.
The browser computes the same (assets/calculators.js); site_tests compare the two."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from generator.clinical.arguments import choice
from generator.clinical.response import (
    early_molecular_response,
    halving_time_days,
    halving_time_favourable,
    log_reduction,
    molecular_response,
)
from generator.clinical.scores import FORMULAS, SCORES
from generator.content import Content

# The calculators the site offers, each with the inputs of its rule, in the rule's order; their
# labels and bounds are in content/scores.yml (calculator_inputs).
CALCULATORS: dict[str, tuple[str, ...]] = {
    "sokal": ("age", "spleen_cm", "platelets", "blasts_pct"),
    "hasford": ("age", "spleen_cm", "platelets", "blasts_pct", "eosinophils_pct", "basophils_pct"),
    "eutos": ("basophils_pct", "spleen_cm"),
    "elts": ("age", "spleen_cm", "platelets", "blasts_pct"),
    "response": ("bcr_abl1_is_pct",),
    "halving": ("first_pct", "second_pct", "days_between"),
}
# Blasts, eosinophils and basophils are shares of one white-cell count: together at most all of it.
DIFFERENTIAL = ("blasts_pct", "eosinophils_pct", "basophils_pct")


@dataclass(frozen=True)
class CalculatorInput:
    """One input of a calculator on the site, as content/scores.yml bounds it: the rules'
    argument name, the label the page shows, and each bound with the reason the page gives."""

    name: str
    label: str
    unit: str
    min: float
    min_exclusive: bool
    min_reason: str
    max: float | None = None
    max_reason: str | None = None
    max_exclusive: bool = False

    @property
    def expected(self) -> str:
        """The accepted values in words: "from 18 to 122 years", "above 0 days", "0 % or more"."""
        low = format_bound(self.min)
        if self.max is None:
            return f"above {low} {self.unit}" if self.min_exclusive else f"{low} {self.unit} or more"
        start = f"above {low} and up" if self.min_exclusive else f"from {low}"
        end = f"below {format_bound(self.max)}" if self.max_exclusive else format_bound(self.max)
        return f"{start} to {end} {self.unit}"

    @property
    def not_a_number(self) -> str:
        return f"{self.label}: enter a number {self.expected}."

    @property
    def too_low(self) -> str:
        return f"{self.label}: enter a number {self.expected}; {self.min_reason}."

    @property
    def too_high(self) -> str:
        return f"{self.label}: enter a number {self.expected}; {self.max_reason}."

    def problem(self, value: object) -> str | None:
        """The message for value, or None if this input accepts it."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return self.not_a_number
        if value < self.min or (self.min_exclusive and value == self.min):
            return self.too_low
        if self.max is not None and (value > self.max or (self.max_exclusive and value == self.max)):
            return self.too_high
        return None


def format_bound(value: float) -> str:
    """12.0 -> "12", 0.5 -> "0.5", 10000 -> "10 000" (as the page writes numbers)."""
    text = f"{value:,.10f}".rstrip("0").rstrip(".").replace(",", "\u202f")
    return text


def calculator_inputs(content: Content, name: str) -> tuple[CalculatorInput, ...]:
    """A calculator's inputs with their labels and bounds from content/scores.yml; a score's
    blasts stop below the blastic-phase cut point (phases.yml)."""
    bounds = content.scores.calculator_inputs
    blastic = content.phases.phases[-1].min_blasts_pct
    inputs = []
    for arg in CALCULATORS[choice("calculator", name, tuple(CALCULATORS))]:
        b = bounds[arg]
        spec = CalculatorInput(arg, b.label, b.unit, b.min, b.min_exclusive, b.min_reason, b.max, b.max_reason)
        if b.blastic_phase_reason and name in SCORES and blastic is not None:
            spec = dataclasses.replace(spec, max=blastic, max_exclusive=True, max_reason=b.blastic_phase_reason)
        inputs.append(spec)
    return tuple(inputs)


def differential_message(content: Content, name: str) -> str:
    """The message when blasts, eosinophils and basophils add up to more than 100 %."""
    labels = [i.label for i in calculator_inputs(content, name) if i.name in DIFFERENTIAL]
    later = [label[:1].lower() + label[1:] for label in labels[1:]]
    named = ", ".join([labels[0], *later[:-1]])
    return f"{named} and {later[-1]} add up to more than 100 %: they are shares of one white-cell count."


def calculate(content: Content, name: str, values: dict[str, object]) -> dict[str, object]:
    """What a calculator on the site shows for values: {"error", "field"} for a value it
    refuses (the message names the field by its label), or the result."""
    inputs = calculator_inputs(content, name)
    for spec in inputs:
        message = spec.problem(values.get(spec.name))
        if message:
            return {"error": message, "field": spec.name}
    args = {spec.name: float(values[spec.name]) for spec in inputs}  # type: ignore[arg-type]
    shares = [args[k] for k in DIFFERENTIAL if k in args]
    if len(shares) > 1 and sum(shares) > 100:
        last = [spec.name for spec in inputs if spec.name in DIFFERENTIAL][-1]
        return {"error": differential_message(content, name), "field": last}
    if name in SCORES:
        result = FORMULAS[name](content, **args)
        return {"score": result.score, "shown": result.shown, "risk": result.risk}
    if name == "response":
        level = args["bcr_abl1_is_pct"]
        return {
            "level": molecular_response(content, level),
            "logs": log_reduction(level) if level > 0 else None,
            "emr": early_molecular_response(content, level),
        }
    days = halving_time_days(**args)  # 0.0 when the fall is too steep for floating point
    return {"days": days, "favourable": days == 0 or halving_time_favourable(content, days)}
