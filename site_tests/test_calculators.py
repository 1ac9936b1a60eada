"""The calculators compute in the browser what generator.rules computes: the same score, risk
group, response level, log reduction and halving time for thousands of drawn inputs and at
every cut point, and the same message for a value the rules refuse."""

from __future__ import annotations

import math

import pytest
from conftest import PREFIX
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from generator import rules
from generator.rules import CALCULATORS

SCORES = ("sokal", "hasford", "eutos", "elts")
# Plausible upper ends for drawing inputs the rules accept (they accept any size).
UPPER = {"age": 110, "spleen_cm": 40, "platelets": 4000, "days_between": 400, "is": 1000}
DRAWS = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def calculators(browser, base_url):
    """The scores page, once: its calculators.js, with the data the build wrote into it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + PREFIX + "scores/")
    yield page
    context.close()


def in_browser(page, name: str, values: dict) -> dict:
    return page.evaluate("([name, values]) => window.cmlCalculators.compute(name, values)", [name, values])


def as_written(value: float) -> float | int:
    """A number as a form field holds it: 5 rather than 5.0, so both sides print it alike."""
    return int(value) if float(value).is_integer() else value


def by_the_rules(name: str, values: dict) -> dict:
    arguments = {key: as_written(value) for key, value in values.items()}
    try:
        if name in SCORES:
            result = getattr(rules, name)(**arguments)
            return {"score": result.score, "risk": result.risk}
        if name == "response":
            logs = rules.log_reduction(arguments["bcr_abl1_is_pct"])
            return {"level": rules.molecular_response(arguments["bcr_abl1_is_pct"]), "logs": logs}
        return {"days": rules.halving_time_days(**arguments)}
    except ValueError as error:
        return {"error": str(error)}


def same(browser_result: dict, rules_result: dict) -> bool:
    if "error" in rules_result or "error" in browser_result:
        return browser_result.get("error") == rules_result.get("error")
    for key, expected in rules_result.items():
        got = browser_result[key]
        if isinstance(expected, float):
            if math.isinf(expected):
                if got is not None and not (isinstance(got, float) and math.isinf(got)):
                    return False
            elif not math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif got != expected:
            return False
    return True


def valid(kind: str, name: str):
    if kind == "percent":
        return st.floats(0, 100)
    if kind == "percent-above-zero":
        return st.floats(0, 100, exclude_min=True)
    if kind == "positive":
        return st.floats(0, UPPER[name], exclude_min=True)
    if kind.startswith("is"):  # BCR::ABL1 on the International Scale: above 100 % happens
        return st.floats(0, UPPER["is"], exclude_min=kind == "is-above-zero")
    return st.floats(0, UPPER[name])


def invalid(kind: str):
    """Values a rule refuses, written to at most three decimals (as a reader would type them)."""
    below = st.decimals(-1000, "-0.001", places=3)
    if kind == "percent":
        return st.one_of(below, st.decimals("100.001", 1000, places=3)).map(float)
    if kind == "percent-above-zero":
        return st.one_of(st.decimals(-1000, 0, places=3), st.decimals("100.001", 1000, places=3)).map(float)
    if kind in ("positive", "is-above-zero"):
        return st.decimals(-1000, 0, places=3).map(float)
    return below.map(float)


def inputs(name: str):
    """Every input valid, or one of them (drawn) refused by the rules."""
    fields = CALCULATORS[name]
    all_valid = st.fixed_dictionaries({f.name: valid(f.kind, f.name) for f in fields})
    one_bad = st.integers(0, len(fields) - 1).flatmap(
        lambda bad: st.fixed_dictionaries(
            {f.name: (invalid(f.kind) if i == bad else valid(f.kind, f.name)) for i, f in enumerate(fields)}
        )
    )
    return st.one_of(all_valid, all_valid, one_bad)


def check(page, name: str, values: dict) -> None:
    got, expected = in_browser(page, name, values), by_the_rules(name, values)
    assert same(got, expected), (name, values, got, expected)


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_calculator_agrees_with_the_rules_on_a_thousand_drawn_inputs(calculators, name):
    @DRAWS
    @given(values=inputs(name))
    def agree(values):
        check(calculators, name, values)

    agree()


@pytest.mark.parametrize("name", SCORES)
def test_risk_groups_agree_at_and_around_every_cut_point(calculators, content, name):
    for group in getattr(content.scores, name).groups[:-1]:
        for value in (group.upper, math.nextafter(group.upper, -math.inf), math.nextafter(group.upper, math.inf)):
            got = calculators.evaluate("([n, v]) => window.cmlCalculators.riskOf(n, v)", [name, value])
            assert got == rules.default_rules().score_risk(name, value), (name, value)


def test_hasford_thresholds_and_response_levels_at_their_exact_values(calculators, content):
    h = content.scores.hasford
    for age, basophils, platelets in [
        (h.age.at_least, 0, 300),
        (49.999, h.basophils.at_least, 300),
        (60, 2.999, h.platelets.at_least),
        (60, 1, h.platelets.at_least - 0.001),
    ]:
        check(
            calculators,
            "hasford",
            {
                "age": age,
                "spleen_cm": 5,
                "platelets": platelets,
                "blasts_pct": 1,
                "eosinophils_pct": 2,
                "basophils_pct": basophils,
            },
        )
    for level in content.responses.molecular_responses:
        for value in (level.max_bcr_abl1_is_pct, math.nextafter(level.max_bcr_abl1_is_pct, math.inf)):
            check(calculators, "response", {"bcr_abl1_is_pct": value})
    check(calculators, "halving", {"first_pct": 20, "second_pct": 20, "days_between": 60})


def test_the_summary_cases_read_as_the_summary_says(calculators):
    """Literal cases from the summary: 0.1 % is MMR; 0.0032 % is MR4.5."""
    assert in_browser(calculators, "response", {"bcr_abl1_is_pct": 0.1})["level"] == "MMR"
    assert in_browser(calculators, "response", {"bcr_abl1_is_pct": 0.0032})["level"] == "MR4.5"


# --- the forms, as a reader uses them ------------------------------------------------------------


def test_a_score_by_mouse(page, base_url):
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator("form[data-calculator='sokal']")
    for name, value in {"age": "60", "spleen_cm": "10", "platelets": "500", "blasts_pct": "3"}.items():
        form.locator(f"input[name='{name}']").fill(value)
    form.get_by_role("button", name="Calculate the Sokal score").click()
    expected = rules.sokal(60, 10, 500, 3)
    expect(form.locator(".calculator-result")).to_have_text(
        f"{expected.name}: {float(f'{expected.score:.4g}')}, {expected.risk} risk ({expected.citation})."
    )


def test_a_score_by_keyboard_alone_and_a_refused_value_gets_the_rules_message(page, base_url):
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator("form[data-calculator='eutos']")
    form.locator("input").first.focus()
    page.keyboard.type("120")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    message = by_the_rules("eutos", {"basophils_pct": 120, "spleen_cm": 5})["error"]
    expect(form.locator(".calculator-result")).to_have_text(message)
    expect(form.locator("input[name='basophils_pct']")).to_have_attribute("aria-invalid", "true")
    form.locator("input[name='basophils_pct']").fill("4")
    page.keyboard.press("Enter")
    expect(form.locator(".calculator-result")).to_contain_text(f"{rules.eutos(4, 5).risk} risk")


def test_an_empty_field_is_named(page, base_url):
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='halving']")
    form.get_by_role("button", name="Calculate the halving time").click()
    expect(form.locator(".calculator-result")).to_have_text("Enter First BCR::ABL1 (IS).")
    expect(form.locator("input").first).to_be_focused()


def test_the_bcr_abl1_reader(page, base_url):
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='response']")
    form.locator("input").fill("0.05")
    form.get_by_role("button", name="Read the result").click()
    expect(form.locator(".calculator-result")).to_have_text(
        f"Deepest level met: {rules.molecular_response(0.05)}. Log reduction: {rules.log_reduction(0.05):.2f} logs."
    )
    halving = page.locator("form[data-calculator='halving']")
    for name, value in {"first_pct": "40", "second_pct": "15", "days_between": "60"}.items():
        halving.locator(f"input[name='{name}']").fill(value)
    halving.get_by_role("button", name="Calculate the halving time").click()
    expect(halving.locator(".calculator-result")).to_have_text(
        f"Halving time: {rules.halving_time_days(40, 15, 60):.1f} days."
    )


@pytest.fixture(scope="module")
def content():
    from conftest import ROOT

    from generator.content import load_content

    return load_content(ROOT / "content")
