"""The rules agree with content/ at and around every threshold, and with the summary's own cases."""

from __future__ import annotations

import pytest

from generator import rules as public_rules

EPS = 1e-6


def phase_cases(content):
    """(blasts, expected phase) at, just below and just above each phase's lower bound."""
    phases = content.phases.phases
    cases = [(0.0, phases[0].id)]
    for previous, phase in zip(phases, phases[1:]):
        cases += [
            (phase.min_blasts_pct - EPS, previous.id),
            (phase.min_blasts_pct, phase.id),
            (phase.min_blasts_pct + EPS, phase.id),
        ]
    return cases + [(100.0, phases[-1].id)]


def test_phase_at_and_around_every_threshold(rules, content):
    for blasts, expected in phase_cases(content):
        assert rules.phase(blasts) == expected, blasts
        assert rules.phase(0, blasts) == expected, blasts  # marrow alone
        assert rules.phase(blasts, 0) == expected, blasts  # blood alone


@pytest.mark.parametrize(
    "blood, marrow, expected",
    [
        (5, None, "chronic"),
        (12, None, "accelerated"),  # the summary: 10% to 19% blasts is accelerated phase
        (19, None, "accelerated"),
        (20, None, "blastic"),  # 20% or more is blastic phase
        (4, 25, "blastic"),  # the higher of blood and marrow decides
        (15, 3, "accelerated"),
    ],
)
def test_phase_literal_cases_from_the_summary(blood, marrow, expected):
    assert public_rules.phase(blood, marrow) == expected


def response_cases(content):
    levels = content.responses.molecular_responses
    cases = [(100.0, "none"), (levels[0].max_bcr_abl1_is_pct * (1 + EPS), "none")]
    for shallower, level in zip([None, *levels], levels):
        cases.append((level.max_bcr_abl1_is_pct, level.id))
        cases.append((level.max_bcr_abl1_is_pct * (1 - EPS), level.id))
        if shallower:
            cases.append((level.max_bcr_abl1_is_pct * (1 + EPS), shallower.id))
    return cases + [(0.0, levels[-1].id)]


def test_molecular_response_at_and_around_every_threshold(rules, content):
    for value, expected in response_cases(content):
        assert rules.molecular_response(value) == expected, value


@pytest.mark.parametrize(
    "bcr_abl1, expected",
    [(0.1, "MMR"), (0.05, "MMR"), (0.01, "MR4"), (0.0032, "MR4.5"), (0.001, "MR5"), (1, "none"), (0.11, "none")],
)
def test_molecular_response_literal_cases_from_the_summary(bcr_abl1, expected):
    assert public_rules.molecular_response(bcr_abl1) == expected


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: r.phase(-1), r"blood_blasts_pct must be from 0 to 100 %, but received -1"),
        (lambda r: r.phase(101), r"blood_blasts_pct must be from 0 to 100 %, but received 101"),
        (lambda r: r.phase(5, 120), r"marrow_blasts_pct must be from 0 to 100 %, but received 120"),
        (lambda r: r.phase(float("nan")), r"blood_blasts_pct must be a number from 0 to 100"),
        (lambda r: r.phase("12"), r"blood_blasts_pct must be a number from 0 to 100, but received '12'"),
        (lambda r: r.molecular_response(-0.1), r"bcr_abl1_is_pct must be from 0 to 100 %, but received -0.1"),
    ],
)
def test_impossible_input_names_the_argument_and_range(rules, call, message):
    with pytest.raises(ValueError, match=message):
        call(rules)
