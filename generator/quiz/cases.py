"""Plausible patients drawn from a seeded random generator: the raw material of every case."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

SEXES = ("woman", "man")


@dataclass(frozen=True)
class Patient:
    age: int
    sex: str

    @property
    def intro(self) -> str:
        return f"{aged(self.age)} {self.sex}"

    @property
    def pronoun(self) -> str:
        return "She" if self.sex == "woman" else "He"


def aged(age: int) -> str:
    """ "A 54-year-old", "An 83-year-old": the article as the number is spoken."""
    spoken_with_a_vowel = str(age).startswith("8") or age in (11, 18)
    return f"{'An' if spoken_with_a_vowel else 'A'} {age}-year-old"


def patient(rng: random.Random, low: int, high: int) -> Patient:
    """A patient aged low to high; templates ask Context.patient, which keeps the range inside
    content/patients.yml."""
    return Patient(rng.randint(low, high), rng.choice(SEXES))


def round_sig(value: float, digits: int = 2) -> float:
    """Round to significant digits, as a lab reports: 0.004567 -> 0.0046."""
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return 10 ** rng.uniform(math.log10(low), math.log10(high))
