"""The rules behind the serial-results and transplant-relapse-risk templates: how far results
after a stable remission have gone, and whose risk of relapse after transplant is lower."""

from __future__ import annotations

import pytest


def test_a_level_rising_on_each_of_the_last_tests_is_consistently_rising(rules, content):
    """ "A consistently rising quantitative RT-PCR BCR::ABL1 level suggests relapsed disease."
    The summary gives no count of tests: content/management.yml sets how many rises in a row."""
    rises = content.management.relapse.consistently_rising_tests
    climbing = [0.01 * 2**i for i in range(rises + 1)]
    assert rules.consistently_rising(climbing)
    assert rules.consistently_rising([0.5, *climbing])  # an older, higher value does not matter
    assert not rules.consistently_rising(climbing[:-1])  # one rise too few
    assert not rules.consistently_rising([*climbing[:-1], climbing[-2]])  # flat at the end
    assert not rules.consistently_rising([0.006, 0.004, 0.007, 0.005])


def stage(rules, series, *, fish=False, lost=False, blasts=0.0, marrow=None):
    return rules.relapse_stage(
        series, fish_positive=fish, hematologic_remission_lost=lost, blood_blasts_pct=blasts, marrow_blasts_pct=marrow
    )


def test_results_are_described_by_the_furthest_finding_they_reach(rules):
    """ "Detection of the BCR::ABL1 translocation by reverse transcription–polymerase chain
    reaction (RT-PCR) during prolonged remissions does not constitute relapse on its own."
    "Fluorescence in situ hybridization (FISH) positivity for BCR::ABL1 translocation when
    previously FISH negative." "Overt treatment
    failure is defined as a loss of hematologic remission or progression to accelerated-phase or
    blast crisis phase CML." "Blastic-phase CML is characterized by 20% or more blasts in the
    peripheral blood or bone marrow." """
    stable, rising = [0.006, 0.004, 0.007, 0.005], [0.02, 0.05, 0.12, 0.3]
    assert stage(rules, stable) == "not-relapse"
    assert stage(rules, rising) == "suggests-relapse"
    assert stage(rules, rising, fish=True) == "relapse"
    assert stage(rules, rising, fish=True, lost=True, blasts=3, marrow=4) == "overt-failure"
    assert stage(rules, rising, fish=True, lost=True, blasts=10, marrow=8) == "overt-failure"  # accelerated
    assert stage(rules, rising, fish=True, lost=True, blasts=19.9, marrow=12) == "overt-failure"
    assert stage(rules, rising, fish=True, lost=True, blasts=20, marrow=12) == "blastic"
    assert stage(rules, rising, fish=True, lost=True, blasts=3, marrow=20) == "blastic"  # the marrow alone


def test_an_impossible_level_or_blast_count_is_refused(rules):
    with pytest.raises(ValueError, match="bcr_abl1_series"):
        rules.consistently_rising([0.1, -1.0, 0.2, 0.3])
    with pytest.raises(ValueError, match="blood_blasts_pct"):
        stage(rules, [0.1, 0.2, 0.3, 0.4], blasts=120)


def test_early_transplant_and_chronic_gvhd_each_lower_the_risk_of_relapse(rules):
    """ "The risk of relapse appears to be less in patients who underwent transplant early in
    disease and in patients who developed chronic GVHD." A recipient is (early, chronic GVHD)."""
    lower = rules.lower_relapse_after_transplant
    assert lower((True, True), (True, False)) and lower((True, True), (False, True))
    assert lower((True, False), (False, False)) and lower((False, True), (False, False))
    # Neither factor outweighs the other, and no one is lower than an equal.
    assert not lower((True, False), (False, True)) and not lower((False, True), (True, False))
    assert not lower((True, True), (True, True))
