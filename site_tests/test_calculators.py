"""The calculators compute in the browser what generator.rules computes: the same score, shown
value, risk group, response level, log reduction, EMR and halving time for thousands of drawn
inputs and at every cut point, and the same message for a value the rules refuse; and the forms
read a decimal comma, refuse what is not a number by the field's label, and say why."""

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
DRAWS = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
RULES = rules.default_rules()


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


def by_the_rules(name: str, values: dict) -> dict:
    return RULES.calculate(name, values)


def same(browser_result: dict, rules_result: dict) -> bool:
    if "error" in rules_result or "error" in browser_result:
        return (browser_result.get("error"), browser_result.get("field")) == (
            rules_result.get("error"),
            rules_result.get("field"),
        )
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


def inputs(name: str):
    """Values inside each input's bounds, or (one input, drawn) a little outside them."""
    fields = RULES.calculator_inputs(name)

    def inside(f):
        high = f.max if f.max is not None else 1000
        return st.floats(f.min, high, exclude_min=f.min_exclusive, exclude_max=f.max_exclusive)

    def outside(f):
        below = st.decimals(f.min - 1000, f.min, places=3).map(float)
        below = below.filter(lambda v: v < f.min or (f.min_exclusive and v == f.min))
        if f.max is None:
            return below
        above = st.decimals(f.max, f.max + 1000, places=3).map(float)
        return st.one_of(below, above.filter(lambda v: v > f.max or (f.max_exclusive and v == f.max)))

    all_valid = st.fixed_dictionaries({f.name: inside(f) for f in fields})
    one_bad = st.integers(0, len(fields) - 1).flatmap(
        lambda bad: st.fixed_dictionaries(
            {f.name: (outside(f) if i == bad else inside(f)) for i, f in enumerate(fields)}
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
    score = getattr(content.scores, name)
    unit = 10.0**-score.decimals
    for group in score.groups[:-1]:
        for value in (
            group.upper,
            math.nextafter(group.upper, -math.inf),
            math.nextafter(group.upper, math.inf),
            group.upper + unit,
            group.upper - unit,
            group.upper + unit / 2,
            group.upper - unit / 2,
        ):
            got = calculators.evaluate("([n, v]) => window.cmlCalculators.riskOf(n, v)", [name, value])
            assert got == RULES.score_risk(name, value), (name, value)


# Inputs whose exact sum is a cut-off (floating point puts several a hair off it).
CUT_POINTS = [
    ("eutos", {"basophils_pct": 10.8, "spleen_cm": 2.85}, "EUTOS score: 87, low risk"),
    ("eutos", {"basophils_pct": 11.8, "spleen_cm": 1.1}, "EUTOS score: 87, low risk"),
    ("eutos", {"basophils_pct": 10.2, "spleen_cm": 3.9}, "EUTOS score: 87, low risk"),
    ("eutos", {"basophils_pct": 12, "spleen_cm": 0.875}, "EUTOS score: 88, high risk"),
    (
        "hasford",
        {"age": 30, "spleen_cm": 0.8, "platelets": 300, "blasts_pct": 0.9, "eosinophils_pct": 16.8, "basophils_pct": 0},
        "Hasford (Euro) score: 780, low risk",
    ),
    (
        "hasford",
        {"age": 60, "spleen_cm": 2.7, "platelets": 300, "blasts_pct": 0, "eosinophils_pct": 0, "basophils_pct": 0},
        "Hasford (Euro) score: 780, low risk",
    ),
    (
        "hasford",
        {"age": 60, "spleen_cm": 0.4, "platelets": 300, "blasts_pct": 7.7, "eosinophils_pct": 8.4, "basophils_pct": 0},
        "Hasford (Euro) score: 1480, intermediate risk",
    ),
    (
        "hasford",
        {"age": 30, "spleen_cm": 0.2, "platelets": 300, "blasts_pct": 3.7, "eosinophils_pct": 30.4, "basophils_pct": 0},
        "Hasford (Euro) score: 1480, intermediate risk",
    ),
]


@pytest.mark.parametrize("name, values, text", CUT_POINTS)
def test_a_score_at_its_cut_point_is_grouped_as_published_in_page_and_rules(page, base_url, name, values, text):
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator(f"form[data-calculator='{name}']")
    for field, value in values.items():
        form.locator(f"input[name='{field}']").fill(str(value))
    form.locator("button[type='submit']").click()
    expect(form.locator(".calculator-result")).to_contain_text(text)
    assert RULES.calculate(name, values)["risk"] in text


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
                "age": max(age, 18),
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
        f"{expected.name}: {expected.shown}, {expected.risk} risk ({expected.citation})."
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
    expect(form.locator(".calculator-result")).to_have_text("Enter First BCR::ABL1 (IS, %).")
    expect(form.locator("input").first).to_be_focused()


def reader_text(value: float) -> str:
    r = RULES.content.responses
    emr = r.early_molecular_response
    met = RULES.early_molecular_response(value)
    return (
        f"At {emr.at_months} months on a TKI, this result "
        + ("is an early molecular response" if met else "misses early molecular response")
        + f" (EMR: {emr.max_bcr_abl1_is_pct:g} % or less)"
    )


def test_the_bcr_abl1_reader(page, base_url):
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='response']")
    form.locator("input").fill("0.05")
    form.get_by_role("button", name="Read the result").click()
    expect(form.locator(".calculator-result")).to_contain_text(
        f"Deepest level met: {rules.molecular_response(0.05)}. Log reduction: {rules.log_reduction(0.05):.2f} logs. "
    )
    expect(form.locator(".calculator-result")).to_contain_text(reader_text(0.05))
    halving = page.locator("form[data-calculator='halving']")
    for name, value in {"first_pct": "40", "second_pct": "15", "days_between": "60"}.items():
        halving.locator(f"input[name='{name}']").fill(value)
    halving.get_by_role("button", name="Calculate the halving time").click()
    max_days = RULES.content.responses.halving_time.max_days
    expect(halving.locator(".calculator-result")).to_have_text(
        f"Halving time: {rules.halving_time_days(40, 15, 60):.1f} days, under the {max_days:g} days below which "
        f"patients above {RULES.content.responses.early_molecular_response.max_bcr_abl1_is_pct:g} % at "
        f"{RULES.content.responses.early_molecular_response.at_months} months still did well."
    )


def test_the_reader_says_whether_a_result_is_an_emr_at_3_months(page, base_url):
    """The summary: "A BCR::ABL1 transcript level of 10% or less in patients after 3 months of
    treatment with a specific TKI (deemed EMR) is associated with the best prognosis"."""
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='response']")
    for value in ("10", "10.5"):
        form.locator("input").fill(value)
        form.get_by_role("button", name="Read the result").click()
        expect(form.locator(".calculator-result")).to_contain_text(reader_text(float(value)))


def test_a_halving_time_at_its_cut_shows_the_digits_that_agree_with_it(page, base_url):
    """The summary: patients above 10 % at 3 months "did well when the halving time was less than
    76 days". 75.96 days is under 76, so it must not print as "76.0"."""
    max_days = RULES.content.responses.halving_time.max_days
    page.goto(base_url + PREFIX + "molecular-response/")
    halving = page.locator("form[data-calculator='halving']")
    days = (max_days - 0.04) * math.log(4) / math.log(2)  # from 40 % to 10 %: two halvings
    for name, value in {"first_pct": "40", "second_pct": "10", "days_between": repr(days)}.items():
        halving.locator(f"input[name='{name}']").fill(value)
    halving.get_by_role("button", name="Calculate the halving time").click()
    expect(halving.locator(".calculator-result")).to_contain_text(f"Halving time: {max_days - 0.04:.2f} days, under")


def test_an_undetectable_result_is_read_not_refused(page, base_url):
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='response']")
    form.locator("input").fill("0")
    form.get_by_role("button", name="Read the result").click()
    deepest = RULES.content.responses.molecular_responses[-1]
    expect(form.locator(".calculator-result")).to_contain_text(
        f"Undetectable: no BCR::ABL1 was found in the sample. That meets every level down to {deepest.id}"
    )
    expect(form.locator(".calculator-result")).not_to_have_class("calculator-result calculator-result--error")


def test_a_log_reduction_just_short_of_a_level_is_not_rounded_onto_it(page, base_url):
    """0.1001 % is not MMR: its log reduction shows as 2.9996, not 3.00."""
    page.goto(base_url + PREFIX + "molecular-response/")
    form = page.locator("form[data-calculator='response']")
    form.locator("input").fill("0.1001")
    form.get_by_role("button", name="Read the result").click()
    expect(form.locator(".calculator-result")).to_contain_text(
        "Deepest level met: no molecular response level yet. Log reduction: 2.9996 logs."
    )


# --- a decimal comma, and what is not a number -------------------------------------------------


@DRAWS
@given(number=st.decimals(0, 100000, places=4))
def _comma_and_point_read_alike(calculators, number):
    written = f"{number:f}"
    with_comma = written.replace(".", ",")
    got = calculators.evaluate("texts => texts.map(t => window.cmlCalculators.parse(t))", [written, with_comma])
    if "," in with_comma and len(with_comma.split(",")[1]) == 3 and not with_comma.startswith("0"):
        assert "error" in got[1]  # 1,500: could be 1500 or 1.5, so asked, never guessed
    else:
        assert got[1] == got[0] == {"value": float(number)}, (written, got)


def test_a_decimal_comma_reads_as_the_same_number_as_a_point(calculators):
    """Property: any number up to four decimals typed with a comma reads as with a point, except
    a comma before exactly three digits (1,500), which is refused as ambiguous."""
    _comma_and_point_read_alike(calculators)


@pytest.fixture
def german(browser):
    context = browser.new_context(locale="de-DE")
    yield context.new_page()
    context.close()


def test_a_decimal_comma_is_read_as_a_decimal_point_in_a_german_browser(german, base_url):
    """ "1,5" was read as 15 (Sokal 2.736, high) and "0,05" % as 5 %: a hundredfold error."""
    page = german
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator("form[data-calculator='sokal']")
    for name, value in {"age": "60", "spleen_cm": "1,5", "platelets": "500", "blasts_pct": "1,5"}.items():
        form.locator(f"input[name='{name}']").press_sequentially(value)
    form.locator("button[type='submit']").click()
    expected = rules.sokal(60, 1.5, 500, 1.5)
    expect(form.locator(".calculator-result")).to_have_text(
        f"{expected.name}: {expected.shown}, {expected.risk} risk ({expected.citation})."
    )
    page.goto(base_url + PREFIX + "molecular-response/")
    reader = page.locator("form[data-calculator='response']")
    reader.locator("input").press_sequentially("0,05")
    reader.locator("button[type='submit']").click()
    expect(reader.locator(".calculator-result")).to_contain_text(
        f"Deepest level met: {rules.molecular_response(0.05)}."
    )


@pytest.mark.parametrize(
    "typed, says",
    [
        ("abc", "Age (years): “abc” is not a number: write it like 1.5 or 1,5."),
        ("1e400", "Age (years): “1e400” is not a number: write it like 1.5 or 1,5."),
        (
            "1,500",
            "Age (years): “1,500” could mean 1500 or 1.500: write it without the comma, or with a point for a decimal.",
        ),  # noqa: E501
        ("0", RULES.calculator_inputs("sokal")[0].too_low),
        ("1000000", RULES.calculator_inputs("sokal")[0].too_high),
    ],
)
def test_what_is_not_a_plausible_age_is_refused_by_the_fields_label(page, base_url, typed, says):
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator("form[data-calculator='sokal']")
    for name, value in {"age": typed, "spleen_cm": "2", "platelets": "300", "blasts_pct": "1"}.items():
        form.locator(f"input[name='{name}']").fill(value)
    form.locator("button[type='submit']").click()
    expect(form.locator(".calculator-result")).to_have_text(says)
    expect(form.locator("input[name='age']")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name='age']")).to_be_focused()


def test_a_score_is_not_offered_in_blastic_phase_and_the_differential_adds_up(page, base_url):
    page.goto(base_url + PREFIX + "scores/")
    form = page.locator("form[data-calculator='sokal']")
    for name, value in {"age": "60", "spleen_cm": "2", "platelets": "300", "blasts_pct": "40"}.items():
        form.locator(f"input[name='{name}']").fill(value)
    form.locator("button[type='submit']").click()
    expect(form.locator(".calculator-result")).to_contain_text("blastic phase, where the scores do not apply")
    hasford = page.locator("form[data-calculator='hasford']")
    values = {"age": "60", "spleen_cm": "2", "platelets": "300", "blasts_pct": "19", "eosinophils_pct": "81"}
    for name, value in (values | {"basophils_pct": "80"}).items():
        hasford.locator(f"input[name='{name}']").fill(value)
    hasford.locator("button[type='submit']").click()
    expect(hasford.locator(".calculator-result")).to_contain_text("add up to more than 100 %")


@pytest.fixture(scope="module")
def content():
    from conftest import ROOT

    from generator.content import load_content

    return load_content(ROOT / "content")
