"""The rules agree with content/ at and around every threshold, and with the summary's own cases."""

from __future__ import annotations

import dataclasses

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


def test_chronic_phase_counts_blasts_and_promyelocytes_within_each_compartment():
    """ "Chronic-phase CML is characterized by bone marrow and cytogenetic findings as listed
    below with less than 10% blasts and promyelocytes in the peripheral blood and bone marrow."
    The issue's case: 0% blasts and 4% promyelocytes in the blood, 7% marrow blasts, is chronic
    phase (4% in the blood, 7% in the marrow), not a sum of the two."""
    assert public_rules.phase(0, 7, blood_promyelocytes_pct=4) == "chronic"
    assert public_rules.phase(3, 5, blood_promyelocytes_pct=6, marrow_promyelocytes_pct=4) == "chronic"


def test_a_case_the_definitions_leave_open_has_no_phase():
    """Blasts below "10% to 19% blasts in either the peripheral blood or bone marrow", yet one
    compartment's blasts and promyelocytes at 10% or more: neither definition is met, and the
    rules name no phase (None) rather than a category the summary does not have."""
    assert public_rules.phase(5, 4, blood_promyelocytes_pct=6) is None
    assert public_rules.phase(2, 8, marrow_promyelocytes_pct=2) is None
    assert public_rules.phase(12, 4, blood_promyelocytes_pct=6) == "accelerated"  # blasts decide


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
        (
            lambda r: r.molecular_response(-0.1),
            r"bcr_abl1_is_pct must be 0 % or more on the International Scale, whose 100 % is a baseline, not a "
            r"ceiling, but received -0.1",
        ),
    ],
)
def test_impossible_input_names_the_argument_and_range(rules, call, message):
    with pytest.raises(ValueError, match=message):
        call(rules)


# --- the rest of the public API ----------------------------------------------------------


def test_log_reduction_compares_percentages_not_rounded_logs(rules):
    assert rules.log_reduction(100) == 0
    assert rules.log_reduction(0.1) == pytest.approx(3.0)
    assert rules.log_reduction(0.0032) == pytest.approx(4.49485, abs=1e-5)  # not 4.5: compare IS%, not logs
    with pytest.raises(ValueError, match=r"bcr_abl1_is_pct must be above 0 % on the International Scale"):
        rules.log_reduction(0)


def test_levels_above_the_international_scales_baseline_are_read_not_refused(rules):
    """100 % IS is the standardized baseline the summary's log reductions count from ("greater
    than 1-log reduction (BCR::ABL1 ≤ 10%)"), not a maximum: 150 % is half a log above it."""
    assert rules.molecular_response(150) == "none"
    assert rules.log_reduction(1000) == pytest.approx(-1.0)
    assert not rules.early_molecular_response(120)
    assert rules.halving_time_days(200, 50, 60) == pytest.approx(30)


def test_early_molecular_response_at_and_around_its_threshold(rules, content):
    level = content.responses.early_molecular_response.max_bcr_abl1_is_pct
    assert rules.early_molecular_response(level)
    assert rules.early_molecular_response(level * (1 - EPS))
    assert not rules.early_molecular_response(level * (1 + EPS))
    assert rules.early_molecular_response(10) and not rules.early_molecular_response(12)  # the summary: 10% or less


def test_halving_time(rules, content):
    assert rules.halving_time_days(20, 10, 30) == pytest.approx(30)
    assert rules.halving_time_days(40, 10, 30) == pytest.approx(15)
    assert rules.halving_time_days(10, 10, 30) == float("inf")  # no decline, no finite halving time
    assert rules.halving_time_days(10, 20, 30) == float("inf")
    limit = content.responses.halving_time.max_days
    assert rules.halving_time_favourable(limit - EPS) and not rules.halving_time_favourable(limit)
    assert rules.halving_time_favourable(75) and not rules.halving_time_favourable(76)  # the summary: < 76 days
    with pytest.raises(ValueError, match="days_between must be above 0 days"):
        rules.halving_time_days(20, 10, 0)
    with pytest.raises(ValueError, match="second_pct must be above 0 % on the International Scale"):
        rules.halving_time_days(20, 0, 30)


def test_stopping_a_tki_at_its_thresholds(rules, content):
    """ "Patients who have taken a TKI for more than 3 to 5 years and attained a DMR (molecular
    remission, 4.5; BCR::ABL1 ≤ 0.0032%) are the best candidates to consider stopping therapy."
    Past 5 years it is clear-cut; inside 3 to 5 the summary's own range leaves it open."""
    stop = content.management.tki_discontinuation
    depth = content.response(stop.depth).max_bcr_abl1_is_pct
    low, high = stop.min_years_on_tki, stop.upper_years_on_tki
    assert rules.tki_discontinuation(low, depth) == "not-candidate"  # "more than" the lower end
    assert rules.tki_discontinuation(low + EPS, depth) == "uncertain"
    assert rules.tki_discontinuation(high, depth) == "uncertain"
    assert rules.tki_discontinuation(high + EPS, depth) == "best-candidate"
    assert rules.tki_discontinuation(high + 1, depth * (1 + EPS)) == "not-candidate"
    assert rules.tki_discontinuation(3.01, 0.0032) == "uncertain"  # not a clear-cut candidate
    assert rules.tki_discontinuation(6, 0.0032) == "best-candidate"
    assert rules.tki_discontinuation(6, 0.01) == "not-candidate"  # MR4 is not deep enough
    assert rules.tki_discontinuation_candidate(6, 0.003) and not rules.tki_discontinuation_candidate(4, 0.003)
    with pytest.raises(ValueError, match="years_on_tki must be 0 years or more, but received -1"):
        rules.tki_discontinuation(-1, 0.001)


def test_relapse_after_stopping_depends_on_time_in_dmr(rules):
    """ "50% of patients will experience a relapse of their disease if they discontinue TKI
    therapy. However, ... patients who were in DMR (4 to 4.5 logs) for 5 or more years had a
    relapse rate of approximately 10%." """
    assert rules.relapse_after_stopping_pct() == 50  # of all who stop
    assert rules.relapse_after_stopping_pct(5) == 10


def test_keeping_mmr_after_stopping_needs_at_least_as_much_of_every_factor_and_more_of_one(rules, content):
    """ "Another retrospective report with a median of 3 years of follow-up found three measurable
    factors predictive of MMR maintenance: increased duration of TKI treatment, increased duration
    of DMR on TKI treatment, and the absence of any peripheral blood blast cells at diagnosis."
    A patient is (years on a TKI, years in DMR, % blasts in the blood at diagnosis)."""
    assert content.management.tki_discontinuation.keeps_mmr_with == [
        "longer-on-tki",
        "longer-in-dmr",
        "no-blood-blasts-at-diagnosis",
    ]
    likelier = rules.likelier_to_keep_mmr
    assert likelier((12, 6, 0), (8, 6, 0))  # longer on a TKI, the rest alike
    assert likelier((12, 6, 0), (12, 3, 0))  # longer in DMR
    assert likelier((12, 6, 0), (12, 6, 2))  # no blasts at diagnosis, against some
    assert likelier((12, 6, 0), (8, 3, 4))
    # The summary names the absence of any blasts, not fewer of them: 1% is not better than 4%.
    assert not likelier((12, 6, 1), (12, 6, 4)) and not likelier((12, 6, 4), (12, 6, 1))
    # It weighs no factor against another, and no one is likelier than an equal.
    assert not likelier((12, 3, 0), (8, 6, 0)) and not likelier((8, 6, 0), (12, 3, 0))
    assert not likelier((12, 6, 2), (8, 3, 0)) and not likelier((8, 3, 0), (12, 6, 2))
    assert not likelier((12, 6, 0), (12, 6, 0))
    with pytest.raises(ValueError, match="years_in_dmr must be 0 years or more"):
        likelier((12, -1, 0), (8, 3, 0))


def test_treatment_options_follow_table_1_then_what_the_sections_report_as_studied(rules, content):
    for entry in content.options.settings:
        expected = list(dict.fromkeys([t for o in entry.options for t in o.therapies] + entry.also_studied))
        assert rules.treatment_options(entry.setting) == expected


def test_accelerated_phase_options(rules):
    """Bosutinib is approved first-line; "Induction of remission using a TKI and consideration of
    an allogeneic SCT ... is a standard approach", with the evidence comparing imatinib with SCT;
    and with T315I, "For patients with accelerated-phase CML, survival was equivalent" for
    ponatinib and allogeneic SCT."""
    options = rules.treatment_options("accelerated")
    assert {"bosutinib", "imatinib", "allogeneic-sct"} <= set(options)
    assert set(rules.treatment_options("accelerated", t315i=True)) == {"ponatinib", "allogeneic-sct"}


def test_relapsed_options_include_what_has_been_studied(rules):
    """ "Alternative TKIs such as dasatinib, nilotinib, or bosutinib, higher doses of imatinib
    mesylate, and allogeneic stem cell transplant (SCT) have been studied in this setting." """
    options = rules.treatment_options("relapsed")
    assert options[:2] == ["ponatinib", "asciminib"]  # Table 1's
    assert {"dasatinib", "nilotinib", "bosutinib", "imatinib", "allogeneic-sct"} <= set(options)


def test_t315i_removes_the_tkis_it_resists(rules):
    """ "the T315I variant marks resistance to imatinib, dasatinib, nilotinib, and bosutinib";
    SCT is "the preferred choice for ... those with a T315I variant and resistance to ponatinib"."""
    for setting in ("chronic", "accelerated", "blastic", "relapsed"):
        options = rules.treatment_options(setting, t315i=True)
        assert not {"imatinib", "dasatinib", "nilotinib", "bosutinib"} & set(options)
    assert rules.treatment_options("relapsed", t315i=True) == ["ponatinib", "asciminib", "allogeneic-sct"]
    assert rules.treatment_options("relapsed", t315i=True, ponatinib_failed=True) == ["allogeneic-sct", "asciminib"]
    # Ponatinib failed without T315I: ponatinib goes, nothing is reordered.
    assert rules.treatment_options("relapsed", ponatinib_failed=True) == [
        t for t in rules.treatment_options("relapsed") if t != "ponatinib"
    ]
    with pytest.raises(ValueError, match="phase must be one of chronic, accelerated, blastic, relapsed"):
        rules.treatment_options("smouldering")


def test_hydroxyurea_dosing(rules, content):
    dosing = content.management.hydroxyurea
    assert rules.hydroxyurea_start_dose_mg(70) == dosing.start_mg_per_kg_day * 70
    assert rules.hydroxyurea_start_dose_mg(70) == 2800  # the summary: 40 mg/kg per day
    reduce_at, low = dosing.reduce_below_wbc_10e9_per_l, dosing.target_wbc_10e9_per_l.low
    assert rules.hydroxyurea_adjustment(reduce_at) == "full-dose"
    assert rules.hydroxyurea_adjustment(reduce_at - EPS) == "titrate"
    assert rules.hydroxyurea_adjustment(low) == "titrate"
    assert rules.hydroxyurea_adjustment(low - EPS) == "below-target"


def test_ponatinib_steps_down_once_the_response_is_reached(rules, content):
    dosing = content.management.ponatinib
    assert rules.ponatinib_dose_mg(dosing.response_bcr_abl1_is_pct * (1 + EPS)) == dosing.start_mg_daily
    assert rules.ponatinib_dose_mg(dosing.response_bcr_abl1_is_pct) == dosing.reduced_mg_daily
    assert (rules.ponatinib_dose_mg(5), rules.ponatinib_dose_mg(0.5)) == (45, 15)  # the summary


def test_dasatinib_is_lowered_to_50_mg_for_a_pleural_effusion(rules, content):
    """S12-final-courses D1: "In retrospective comparative analyses, a dasatinib dose of 50 mg a
    day showed equal efficacy to 100 mg, but resulted in fewer pleural effusions (5% vs. 21%)." """
    dosing = content.management.dasatinib
    assert rules.dasatinib_dose_mg() == dosing.standard_mg_daily == 100
    assert rules.dasatinib_dose_mg(pleural_effusion=True) == dosing.low_mg_daily == 50


def test_marrow_examination_where_the_summarys_two_statements_agree_and_differ(rules, content):
    """Histopathology and Phases: "bone marrow testing is appropriate for patients with fever,
    malaise, rapidly enlarging splenomegaly, and more than 10% circulating blasts." General
    Information: "Bone marrow testing is appropriate for patients with clinical signs of
    accelerated phase or blast crisis (fever, enlarged spleen, or >20% blasts in the peripheral
    blood)." Keyed only where both agree."""
    marrow = content.management.marrow_examination
    low, high = marrow.circulating_blasts_over_pct, marrow.peripheral_blasts_over_pct
    every = {"fever": True, "malaise": True, "enlarged_spleen": True, "rapidly_enlarging_spleen": True}
    assert rules.marrow_examination(low + EPS, **every) == "indicated"
    assert rules.marrow_examination(low, **every) == "statements-differ"  # "more than" 10 %, but fever
    assert rules.marrow_examination(low - 1) == "not-indicated"  # "Most patients do not require" it
    assert rules.marrow_examination(low) == "statements-differ"  # 10 % blood blasts: accelerated phase
    assert rules.marrow_examination(2, malaise=True) == "not-indicated"
    assert rules.marrow_examination(2, fever=True) == "statements-differ"
    assert rules.marrow_examination(2, enlarged_spleen=True) == "statements-differ"
    assert rules.marrow_examination(high + EPS) == "statements-differ"
    assert rules.marrow_examination(15) == "statements-differ"  # accelerated-phase blasts, no fever
    assert rules.marrow_examination(0, malaise=True) == "not-indicated"


def test_promyelocytes_count_toward_chronic_phase(rules):
    """Chronic phase has "less than 10% blasts and promyelocytes"; accelerated phase "10% to 19%
    blasts": 6 % blasts with 6 % promyelocytes in the blood meets neither."""
    assert rules.phase(6, blood_promyelocytes_pct=3) == "chronic"
    assert rules.phase(6, blood_promyelocytes_pct=6) is None
    assert rules.phase(12, blood_promyelocytes_pct=6) == "accelerated"
    assert public_rules.phase(4, 8, marrow_promyelocytes_pct=1) == "chronic"


def test_relapse_status(rules, content):
    for finding in content.management.relapse.findings:
        assert rules.relapse_status(finding.id) == finding.counts_as
    assert rules.relapse_status("rt-pcr-detectable") == "not-relapse"  # the summary: not relapse on its own
    with pytest.raises(ValueError, match="finding must be one of"):
        rules.relapse_status("fever")


def test_transplant_considerations(rules, content):
    age = content.management.transplant.consider_early_below_age
    assert rules.early_transplant_candidate(age - 1, twin_or_matched_sibling=True)
    assert not rules.early_transplant_candidate(age, twin_or_matched_sibling=True)
    assert not rules.early_transplant_candidate(30, twin_or_matched_sibling=False)
    assert rules.transplant_preferred(t315i_ponatinib_resistant=True)
    assert not rules.transplant_preferred()


def test_scores_worked_example():
    """Age 60, spleen 10 cm, platelets 500, blasts 3 %, eosinophils 2 %, basophils 4 %, by hand
    from the published formulas (shared/reference/prognostic-scores.md)."""
    from generator import rules

    sokal = rules.sokal(60, 10, 500, 3)
    assert (round(sokal.score, 4), sokal.risk) == (1.4168, "high")
    hasford = rules.hasford(60, 10, 500, 3, 2, 4)
    assert (round(hasford.score, 1), hasford.risk) == (1548.3, "high")
    eutos = rules.eutos(4, 10)
    assert (eutos.score, eutos.risk) == (68, "low")
    elts = rules.elts(60, 10, 500, 3)
    assert (round(elts.score, 3), elts.risk) == (2.051, "intermediate")


def test_score_cut_offs_at_their_boundaries_at_the_published_precision(rules, content):
    """A score is grouped as published: at a cut-off's own value, and one unit of the published
    precision either side of it, with float noise below that precision ignored."""
    for key in ("sokal", "hasford", "eutos", "elts"):
        score = getattr(content.scores, key)
        unit = 10.0**-score.decimals
        for index, group in enumerate(score.groups[:-1]):
            after = score.groups[index + 1].risk
            at = group.risk if group.inclusive else after
            for value in (group.upper, group.upper * (1 + 1e-12), group.upper * (1 - 1e-12)):
                assert rules.score_risk(key, value) == at, (key, value)
            assert rules.score_risk(key, group.upper + unit) == after, (key, group)
            assert rules.score_risk(key, group.upper - unit) == group.risk, (key, group)


# Inputs whose exact sum is a cut-off, though floating point puts it a hair above (or below).
CUT_POINT_CASES = [
    ("eutos", (10.8, 2.85), "87", "low"),  # 7 x 10.8 + 4 x 2.85 = 87.00000000000001 in floats
    ("eutos", (11.8, 1.1), "87", "low"),
    ("eutos", (10.2, 3.9), "87", "low"),  # 86.99999999999999
    ("eutos", (12, 0.875), "88", "high"),  # 87.5, published as 88
    ("hasford", (30, 0.8, 300, 0.9, 16.8, 0), "780", "low"),  # 780.0000000000001
    ("hasford", (60, 2.7, 300, 0, 0, 0), "780", "low"),  # 666.6 + 113.4
    ("hasford", (30, 2.4, 300, 6.3, 2.6, 3), "780", "low"),  # 779.9999999999999
    ("hasford", (60, 2.72, 300, 0, 0, 0), "781", "intermediate"),  # 780.84
    ("hasford", (60, 0.4, 300, 7.7, 8.4, 0), "1480", "intermediate"),  # 1480.0000000000002
    ("hasford", (30, 0.2, 300, 3.7, 30.4, 0), "1480", "intermediate"),
    ("hasford", (30, 0.2, 300, 3.7, 30.5, 0), "1484", "high"),
]


@pytest.mark.parametrize("score, args, shown, risk", CUT_POINT_CASES)
def test_scores_at_their_cut_points_from_inputs_that_sum_to_them_exactly(rules, score, args, shown, risk):
    result = getattr(rules, score)(*args)
    assert (result.shown, result.risk) == (shown, risk)


def test_the_shown_score_and_its_group_agree(rules, content):
    """Never a Sokal of 1.2 shown beside a high risk: the shown value, grouped again, gives the
    same group, with exactly the published decimals."""
    from generator.rules import _result

    for key in ("sokal", "hasford", "eutos", "elts"):
        score = getattr(content.scores, key)
        for group in score.groups[:-1]:
            for value in (
                group.upper * (1 + 1e-9),
                group.upper + 0.4 * 10.0**-score.decimals,
                group.upper + 0.6 * 10.0**-score.decimals,
            ):
                result = _result(score, value)
                assert rules.score_risk(key, float(result.shown)) == result.risk, (key, value, result.shown)
                assert len(result.shown.partition(".")[2]) == score.decimals


def test_every_calculator_input_has_a_bound_with_its_reason(rules):
    from generator.rules import CALCULATORS

    for name in CALCULATORS:
        for spec in rules.calculator_inputs(name):
            assert spec.label and spec.min_reason and (spec.max is None or spec.max_reason)
            assert spec.too_low.startswith(spec.label + ": enter a number ")


@pytest.mark.parametrize(
    "name, values, message",
    [
        ("sokal", {"age": 0, "spleen_cm": 2, "platelets": 300, "blasts_pct": 1}, "Age (years): enter a number from 18"),
        (
            "sokal",
            {"age": 1e6, "spleen_cm": 2, "platelets": 300, "blasts_pct": 1},
            "Age (years): enter a number from 18",
        ),
        ("elts", {"age": 60, "spleen_cm": 2, "platelets": 1e-300, "blasts_pct": 1}, "Platelets"),
        ("sokal", {"age": 60, "spleen_cm": 2, "platelets": 300, "blasts_pct": 40}, "blastic phase"),
        (
            "sokal",
            {"age": 60, "spleen_cm": -1, "platelets": 300, "blasts_pct": 1},
            "Spleen (cm below the costal margin)",
        ),
        (
            "hasford",
            {"age": 60, "spleen_cm": 2, "platelets": 300, "blasts_pct": 19, "eosinophils_pct": 81, "basophils_pct": 80},
            "add up to more than 100 %",
        ),
    ],
)
def test_the_calculators_refuse_implausible_input_naming_the_field_by_its_label(rules, name, values, message):
    assert message in rules.calculate(name, values)["error"]


def test_the_blastic_phase_bound_of_the_scores_is_the_phase_cut_point(rules, content):
    blastic = content.phases.phases[-1].min_blasts_pct
    below = {"age": 60, "spleen_cm": 2, "platelets": 300, "blasts_pct": blastic - 0.1}
    assert "risk" in rules.calculate("sokal", below) or "score" in rules.calculate("sokal", below)
    assert "error" in rules.calculate("sokal", below | {"blasts_pct": blastic})


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: r.sokal(-1, 0, 300, 1), "age must be 0 years or more"),
        (lambda r: r.sokal(50, -2, 300, 1), "spleen_cm must be 0 cm or more"),
        (lambda r: r.hasford(50, 2, 300, 1, 101, 1), "eosinophils_pct must be from 0 to 100"),
        (lambda r: r.eutos(-3, 1), "basophils_pct must be from 0 to 100"),
        (lambda r: r.elts(50, 1, 0, 1), "platelets must be above 0"),
    ],
)
def test_scores_reject_impossible_input(rules, call, message):
    with pytest.raises(ValueError, match=message):
        call(rules)


def test_elts_with_a_platelet_count_too_small_to_divide_is_high_risk_not_a_crash(rules):
    """A platelet count so small that platelets / 1000 underflows to 0 (found by the calculators'
    property test): the negative power makes the term unbounded, so the risk is high."""
    assert rules.elts(60, 0, 5e-324, 0).risk == "high"


def test_trial_exclusions(rules):
    """Ponatinib: "Patients with significant cardiovascular disease, hypertension, or diabetes
    mellitus have been excluded from clinical trials." No other therapy's exclusions are reported."""
    for condition in ("significant cardiovascular disease", "hypertension", "diabetes mellitus"):
        assert rules.excluded_from_trials(condition) == ["ponatinib"]
    assert rules.excluded_from_trials("asthma") == []


def test_a_ph_negative_patients_course(rules):
    # "Patients with RT-PCR evidence of the BCR::ABL1 fusion gene appear clinically and
    # prognostically identical to patients with a classic Ph chromosome."
    assert rules.ph_negative_course(rearranged=True) == "like-ph-positive"
    assert rules.ph_negative_course(rearranged=False) == "like-cmml"
    # "Patients with Ph chromosome–negative CML generally have a poorer response to treatment
    # and shorter survival than Ph chromosome–positive patients": before any test looks.
    assert rules.ph_negative_course(rearranged=None) == "poorer"


def test_lymphoid_blastic_phase_adds_the_all_regimen(rules):
    # "Patients with lymphoid blastic-phase CML ... have been given the same therapy as patients
    # with Ph chromosome–positive ALL. In a phase II trial, 23 patients with lymphoid
    # blastic-phase CML received hyper-CVAD ... and dasatinib."
    assert "hyper-cvad-dasatinib" in rules.treatment_options("blastic", lymphoid=True)
    assert "hyper-cvad-dasatinib" not in rules.treatment_options("blastic")
    assert "hyper-cvad-dasatinib" not in rules.treatment_options("accelerated", lymphoid=True)


def test_hazard_ratio_readings(rules):
    # BFORE: MMR at 5 years, bosutinib vs. imatinib, HR 1.57 (95% CI, 1.08-2.28): bosutinib.
    assert rules.hazard_ratio_reading(1.57, 1.08, 2.28, "mmr") == ("first", True)
    # Death: a ratio below 1 favours the first arm; an interval holding 1 leaves chance open.
    assert rules.hazard_ratio_reading(0.37, 0.16, 0.84, "os") == ("first", True)
    assert rules.hazard_ratio_reading(2.29, 1.08, 4.82, "os") == ("second", True)
    assert rules.hazard_ratio_reading(1.2, 0.9, 1.6, "mmr") == ("first", False)
    with pytest.raises(ValueError, match="hr"):
        rules.hazard_ratio_reading(3.0, 1.08, 2.28, "mmr")


def test_every_hazard_ratio_in_content_agrees_with_the_arms_results(content, rules):
    """The reading of each ratio matches what the summary reports of the arms: the higher
    percentage for the arm that did better, or a finding naming the worse one."""
    checked = 0
    for study in content.studies.values():
        for endpoint in study.endpoints:
            if endpoint.hr is None or endpoint.ci_bounds() is None or len(study.arms) != 2:
                continue
            better, _ = rules.hazard_ratio_reading(float(endpoint.hr), *endpoint.ci_bounds(), endpoint.measure)
            arm = study.arms[0 if better == "first" else 1].name
            figures = {r.arm: r.pct for r in endpoint.results if r.pct is not None}
            if len(figures) == 2:
                assert max(figures, key=figures.get) == arm, (study.id, endpoint.name)
            else:
                worse = study.arms[1 if better == "first" else 0].name
                assert endpoint.finding and worse.split()[0].lower() in endpoint.finding.lower(), (
                    study.id,
                    endpoint.name,
                )
            checked += 1
    assert checked >= 3


def test_accelerated_phase_blood_blasts_are_never_a_patient_without_marrow_testing(rules):
    """ "Accelerated-phase CML is characterized by 10% to 19% blasts in either the peripheral
    blood or bone marrow." "Bone marrow testing is appropriate for patients with clinical signs
    of accelerated phase or blast crisis": 10 % blood blasts without fever is not "no marrow"."""
    assert rules.marrow_examination(10) != "not-indicated"
    assert rules.marrow_examination(19) != "not-indicated"
    assert rules.marrow_examination(9) == "not-indicated"


def test_no_relapse_cliff_the_summary_does_not_draw(rules):
    """ "50% of patients will experience a relapse of their disease if they discontinue TKI
    therapy. However, a retrospective analysis with a median follow-up of 3 years found that
    patients who were in DMR (4 to 4.5 logs) for 5 or more years had a relapse rate of
    approximately 10%." Of 2 to 4 years in DMR it says nothing: no figure, not 50 %."""
    for years in (0, 2, 3, 4, 4.99):
        assert rules.relapse_after_stopping_pct(years) is None, years


def test_ponatinib_starts_at_the_optimal_dose(rules):
    """ "The optimal dose was found to be an initial 45 mg dose given once daily, then lowered to
    15 mg upon achievement of a response (≤1% BCR::ABL1).\""""
    assert rules.ponatinib_dose_mg() == 45


def test_induction_and_transplant_follow_each_advanced_phase_section(rules):
    """Accelerated phase: "Induction of remission using a TKI and consideration of an allogeneic
    SCT for patients with poor responses, when feasible, is a standard approach for patients with
    accelerated-phase CML." Blastic phase: "Allogeneic BMT or SCT should be considered when
    feasible, depending on response and durability of response."; lymphoid blastic phase "have
    been given the same therapy as patients with Ph chromosome–positive ALL" (hyper-CVAD and
    dasatinib, after which "most patients were referred for allogeneic SCT")."""
    assert rules.induction_and_transplant("accelerated") == ("tki", "for-poor-response")
    assert rules.induction_and_transplant("blastic") == ("tki", "when-feasible")
    assert rules.induction_and_transplant("blastic", lymphoid=True) == ("hyper-cvad-dasatinib", "when-feasible")
    with pytest.raises(ValueError, match="lymphoid"):  # lymphoid blasts below 20%: not the summary's
        rules.induction_and_transplant("accelerated", lymphoid=True)
    for setting in ("chronic", "relapsed"):
        with pytest.raises(ValueError, match="phase"):
            rules.induction_and_transplant(setting)


def test_a_risk_group_is_the_rounded_values_group_near_a_cut_and_far_from_it(rules, content):
    """score_risk skips the exact rounding a whole unit of the last decimal away from every cut;
    it must group every value as the rounded value is grouped, on either side of that unit."""
    from generator.rules import _result

    for key in ("sokal", "hasford", "eutos", "elts"):
        score = getattr(content.scores, key)
        unit = 10.0**-score.decimals
        for group in score.groups[:-1]:
            for steps in (-3, -1.5, -1.0000001, -1, -0.9999999, -0.5, -0.4999999, 0, 0.5, 0.5000001, 1, 1.0000001, 3):
                value = group.upper + steps * unit
                assert rules.score_risk(key, value) == _result(score, value).risk, (key, value)


def test_a_score_computed_for_the_quiz_is_the_one_the_calculator_gives(rules, content):
    """The quiz's unchecked score_value and the checked functions are one formula."""
    import random

    from generator.clinical.formulas import INPUTS, score_value

    rng = random.Random(7)
    for _ in range(200):
        case = {
            "age": float(rng.randint(18, 90)),
            "spleen_cm": float(rng.randint(0, 25)),
            "platelets": float(rng.randrange(100, 2000, 10)),
            "blasts_pct": float(rng.randint(0, 15)),
            "eosinophils_pct": float(rng.randint(0, 10)),
            "basophils_pct": float(rng.randint(0, 20)),
        }
        for key, names in INPUTS.items():
            checked = getattr(rules, key)(*(case[name] for name in names)).score
            assert score_value(content, key, case) == checked, (key, case)


def test_an_undetectable_result_is_read_as_the_level_undetectable_usually_is(rules, content):
    """ "The optimal target is a DMR, which is defined as under 4 logs (BCR::ABL1 ≤ 0.01%) or
    undetectable, which is usually a BCR::ABL1 level of less than or equal to 0.001% (MR 5)."
    The assay sensitivities a case gives an undetectable result at come from content, and each
    reads as MR5 and no other level; an assay sensitive only to a shallower level is read at it."""
    assert content.responses.undetectable_usually == "MR5"
    sensitivities = rules.undetectable_assay_sensitivities()
    assert len(sensitivities) == content.patients.undetectable_assays.steps
    assert max(sensitivities) == 0.001  # the summary's "less than or equal to 0.001%"
    assert all(rules.undetectable_response(s) == "MR5" for s in sensitivities), sensitivities
    assert rules.undetectable_response(0.0032) == "MR4.5"  # "MR 4.5 is designated for BCR::ABL1 ≤ 0.0032%"


def test_the_undetectable_sensitivities_follow_content_not_code(content):
    """Moving the usual level, or the number of steps, moves every sensitivity with it."""
    from generator.rules import Rules

    responses = content.responses.model_copy(update={"undetectable_usually": "MR4.5"})
    assays = content.patients.undetectable_assays.model_copy(update={"steps": 2})
    patients = content.patients.model_copy(update={"undetectable_assays": assays})
    moved = Rules(dataclasses.replace(content, responses=responses, patients=patients))
    sensitivities = moved.undetectable_assay_sensitivities()
    assert len(sensitivities) == 2 and max(sensitivities) == 0.0032
    assert all(moved.undetectable_response(s) == "MR4.5" for s in sensitivities), sensitivities
