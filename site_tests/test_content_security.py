"""Every page carries a Content-Security-Policy that allows this site's own scripts and styles
only, and the site works under it: pages load, search, quizzes, calculators, the explorer and
the progress pages run, and the browser reports no violation of the policy."""

from __future__ import annotations

import pytest
from conftest import PREFIX, SITE
from playwright.sync_api import expect
from quiz_pages import answer, open_quiz

from generator.sanitise import page_problems

# What the page reports: every CSP violation (securitypolicyviolation) the browser sees.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


@pytest.fixture
def guarded(page):
    errors: list[str] = []
    page.add_init_script(LISTEN)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_every_built_page_has_the_policy_and_nothing_it_would_block():
    pages = sorted(SITE.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';" in html
        assert page_problems(html) == [], path.relative_to(SITE)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "sections/chronic/",
        "phases/",
        "molecular-response/",
        "scores/",
        "studies/",
        "progress/",
        "review/",
        "educators/",
        "quizzes/mixed-exam/",
        "404.html",
    ],
)
def test_a_page_loads_under_the_policy_without_a_violation(guarded, base_url, path):
    guarded.goto(base_url + PREFIX + path, wait_until="load")
    guarded.wait_for_timeout(300)
    assert violations(guarded) == [] and guarded.errors == []
    # the palette script ran (it sets the colours from the system's before the page is drawn)
    assert guarded.locator("body").get_attribute("data-md-color-scheme") in ("default", "slate")
    assert guarded.evaluate("document.documentElement.classList.contains('js')")


def test_search_works_under_the_policy(guarded, base_url):
    guarded.goto(base_url + PREFIX)
    search = guarded.locator("input.md-search__input")
    search.click()
    search.press_sequentially("asciminib")
    expect(guarded.locator(".md-search-result__item").first).to_contain_text("sciminib", timeout=10_000)
    assert violations(guarded) == [] and guarded.errors == []


def test_a_quiz_works_under_the_policy(guarded, base_url):
    open_quiz(guarded, base_url, "quizzes/mixed-exam/")
    answer(guarded, 1, right=True)
    expect(guarded.locator("#q1")).to_contain_text("Correct")
    assert violations(guarded) == [] and guarded.errors == []


def test_a_calculator_and_the_explorer_work_under_the_policy(guarded, base_url):
    guarded.goto(base_url + PREFIX + "scores/")
    form = guarded.locator("form[data-calculator='sokal']")
    for name, value in {"age": "60", "spleen_cm": "10", "platelets": "500", "blasts_pct": "3"}.items():
        form.locator(f"input[name='{name}']").fill(value)
    form.get_by_role("button", name="Calculate the Sokal score").click()
    expect(form.locator(".calculator-result")).to_contain_text("risk")
    guarded.goto(base_url + PREFIX + "studies/")
    select = guarded.locator("select[data-column]").first
    select.select_option(index=1)
    assert violations(guarded) == [] and guarded.errors == []


def test_an_inline_script_would_be_blocked(guarded, base_url):
    """The policy is live, not decoration: a script written into the page does not run."""
    guarded.goto(base_url + PREFIX)
    guarded.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.append(s); }"
    )
    guarded.wait_for_timeout(200)
    assert guarded.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(guarded))
