"""Bad input gets a message naming file, line and key, and a non-zero exit."""

from __future__ import annotations

import pytest

from generator.cli import main


def check(scratch, capsys) -> tuple[int, list[str]]:
    code = main(["--content", str(scratch.root), "check"])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    return code, errors


def test_valid_content_passes_with_a_summary(scratch, capsys):
    assert main(["--content", str(scratch.root), "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("content OK")
    assert "phases" in out and "references" in out


def test_malformed_yaml_an_unclosed_bracket_is_reported_where_it_opens(scratch, capsys):
    scratch.edit("phases.yml", "    name: Accelerated phase\n", "    name: [Accelerated phase\n")
    line = scratch.line_of("phases.yml", "name: [Accelerated phase")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert len(errors) == 1
    # The wording is the YAML parser's (libyaml's or PyYAML's); the place is where it opened.
    assert errors[0].startswith(f"error: content/phases.yml:{line} name: malformed YAML: ")
    assert "']'" in errors[0]


def test_malformed_yaml_an_unclosed_quote_is_reported_where_it_opens(scratch, capsys):
    scratch.edit("sections/chronic.yml", 'title: "Treatment of Chronic-Phase CML"\n', 'title: "Treatment of CML\n')
    code, errors = check(scratch, capsys)
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith("error: content/sections/chronic.yml:2 title: malformed YAML: ")
    assert "quoted scalar" in errors[0]


def test_missing_required_field(scratch, capsys):
    scratch.edit("responses.yml", "    max_bcr_abl1_is_pct: 0.01\n", "")
    line = scratch.line_of("responses.yml", "- id: MR4")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/responses.yml:{line} molecular_responses[1].max_bcr_abl1_is_pct: required field is missing"
    ]


def test_wrong_type(scratch, capsys):
    scratch.edit("phases.yml", "  first_years: 2\n", "  first_years: about two\n")
    line = scratch.line_of("phases.yml", "first_years:")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/phases.yml:{line} progression.first_years: expected a whole number, but received 'about two'"
    ]


@pytest.mark.parametrize("value", ["120", "-5"])
def test_percentage_outside_0_to_100(scratch, capsys, value):
    scratch.edit("phases.yml", "  later_rate_pct: 20\n", f"  later_rate_pct: {value}\n")
    line = scratch.line_of("phases.yml", "later_rate_pct:")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith(f"error: content/phases.yml:{line} progression.later_rate_pct: expected a value")
    assert errors[0].endswith(f"but received {int(value)}")


def test_duplicate_id(scratch, capsys):
    scratch.edit("responses.yml", "  - id: MR5\n", "  - id: MR4\n")
    lines = (scratch.root / "responses.yml").read_text(encoding="utf-8").splitlines()
    first, again = [n for n, text in enumerate(lines, 1) if text == "  - id: MR4"]
    code, errors = check(scratch, capsys)
    assert code == 1
    assert (
        f"error: content/responses.yml:{again} molecular_responses[3].id: duplicate response id 'MR4' "
        f"(first defined at content/responses.yml:{first})"
    ) in errors


def test_duplicate_key_in_a_mapping(scratch, capsys):
    scratch.edit(
        "source.yml", "publisher: National Cancer Institute\n", "publisher: National Cancer Institute\npublisher: NCI\n"
    )
    line = scratch.line_of("source.yml", "publisher: NCI")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [f"error: content/source.yml:{line} publisher: duplicate key (first at line {line - 1})"]


def test_reference_to_an_id_that_does_not_exist(scratch, capsys):
    scratch.edit("phases.yml", "refs: [lauseker-2019, fabarius-2011]", "refs: [lauseker-2019, fabarius-2099]")
    line = scratch.line_of("phases.yml", "fabarius-2099")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/phases.yml:{line} shorter_chronic_phase_factors[1].refs[1]: "
        "no reference has the id 'fabarius-2099'"
    ]


def test_every_problem_is_reported_in_one_run(scratch, capsys):
    scratch.edit("phases.yml", "  later_rate_pct: 20\n", "  later_rate_pct: 200\n")
    scratch.edit("glossary.yml", "{abbr: CML,", "{abbr: CML, extra: 1,")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert [e.split(":")[1].strip() for e in errors] == ["content/glossary.yml", "content/phases.yml"]


def test_phase_thresholds_must_rise(scratch, capsys):
    scratch.edit("phases.yml", "    min_blasts_pct: 20\n", "    min_blasts_pct: 5\n")
    line = scratch.line_of("phases.yml", "min_blasts_pct: 5")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/phases.yml:{line} phases[2].min_blasts_pct: "
        "expected a value above the previous phase's 10, but received 5"
    ]


def test_a_broken_placeholder_in_quiz_text_names_its_line(scratch, capsys):
    scratch.edit(
        "quiz_text.yml", 'lead_in: "Which best describes the phase', 'lead_in: "{{ who Which best describes the phase'
    )
    line = scratch.line_of("quiz_text.yml", "{{ who Which best describes the phase")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith(
        f"error: content/quiz_text.yml:{line} templates.phase-from-blasts.texts.lead_in: placeholder problem"
    )


def test_quiz_text_evidence_must_be_a_level_that_exists(scratch, capsys):
    scratch.edit("quiz_text.yml", "evidence: {chronic: B3, relapsed: C3}", "evidence: {chronic: B9, relapsed: C3}")
    line = scratch.line_of("quiz_text.yml", "chronic: B9")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/quiz_text.yml:{line} templates.first-line-options.evidence.chronic: "
        "no evidence has the id 'B9'"
    ]


def test_ponatinib_dose_asks_must_share_100_percent(scratch, capsys):
    old = "  ask_share_pct: {start: 20, before-response: 35, after-response: 45}\n"
    scratch.edit("patients.yml", old, old.replace("45}", "55}"))
    line = scratch.line_of("patients.yml", "ask_share_pct:")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/patients.yml:{line} ponatinib_dose.ask_share_pct: "
        "expected shares adding up to 100, but received 110"
    ]


def test_serial_results_fish_is_given_for_each_stage_with_a_series_end(scratch, capsys):
    scratch.edit("patients.yml", "    blastic: {low: 1, high: 15}\n", "")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert len(errors) == 1 and "serial_results.series_end_pct: expected FISH nuclei for each stage" in errors[0]
