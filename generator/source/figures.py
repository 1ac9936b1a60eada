"""The figures a sentence states: numbers as written ('9,560', '66.0%', '.002', '-5.1').

A figure is compared with content/ by value (66.0% holds as 66.0 or 66), so the unit is kept
only for the report. A bare whole number below 10 ('in two to 3 years', 'MR 4', 'Figure 1')
is too common to point at a fact unless a unit follows it ('3 months', '5 mg').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMBER = re.compile(r"(?<![\w.,/:])([-−](?=\.?\d))?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(?![\w])(\s?%)?")
UNITS = re.compile(r"\s?(?:months?|years?|days?|weeks?|mg|logs?|patients|x|×)\b", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Figure:
    value: Decimal
    written: str  # as the sentence writes it, unit included: '66.0%'
    telling: bool  # worth looking up in content/ (not a bare small whole number)

    def __str__(self) -> str:
        return self.written


def figures(text: str) -> list[Figure]:
    found = []
    for match in NUMBER.finditer(text):
        sign, whole, fraction, percent = match.groups()
        if not whole and not fraction:
            continue
        digits = (whole or "0").replace(",", "") + (fraction or "")
        try:
            value = Decimal(("-" if sign else "") + digits)
        except InvalidOperation:
            continue
        written = match.group(0).strip()
        unit = UNITS.match(text, match.end())
        telling = bool(percent or fraction or abs(value) >= 10 or unit)
        found.append(Figure(value, written.replace(" %", "%"), telling))
    return found


def values(text: str) -> set[Decimal]:
    """The values of a text's telling figures, for matching."""
    return {f.value for f in figures(text) if f.telling}
