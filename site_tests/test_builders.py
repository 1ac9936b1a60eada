"""What a student does, on whichever builder made the site: MkDocs with Material (site/), or
Zensical (SITE_DIR=site-zensical; make test runs this module on both). The home page, a section
page, a quiz version in practice and in exam mode, search and the calculators."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import quiz_pages
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX, SITE
from playwright.sync_api import expect
from quiz_pages import EVERY_AXE_RULE, choose, key_of, wrong_letter

from generator import rules
from generator.builders import site_config, site_url

QUIZ = "quizzes/phases-and-monitoring/"
AXE = Axe()


@pytest.fixture
def watched(page):
    """The page, recording script errors and any request that leaves 127.0.0.1 (refused)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"request to {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.problems = problems
    return page


@pytest.mark.parametrize("path", ["", "sections/chronic/"], ids=["home", "section"])
def test_the_page_loads_cleanly_and_passes_axe(watched, base_url, path):
    watched.goto(base_url + PREFIX + path, wait_until="load")
    expect(watched.locator("h1").first).to_be_visible()
    expect(watched.locator(".md-content")).to_contain_text("It is not medical advice")
    violations = AXE.run(watched, options=EVERY_AXE_RULE).response["violations"]
    assert [v["id"] for v in violations] == []
    assert watched.problems == []


def test_a_section_page_has_its_table_of_contents_and_study_cards(watched, base_url):
    watched.goto(base_url + PREFIX + "sections/chronic/")
    # The theme's words: Material calls it "Table of contents", Zensical "On this page".
    toc = watched.get_by_role("navigation", name=re.compile(r"^(Table of contents|On this page)$"))
    expect(toc.locator("a").first).to_be_attached()
    expect(watched.locator("[id^='study-']").first).to_be_visible()


def test_the_canonical_link_and_sitemap_use_site_url(base_url):
    url = site_url(site_config())
    home = (SITE / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{url}">' in home
    assert f"<loc>{url}sections/chronic/</loc>" in (SITE / "sitemap.xml").read_text(encoding="utf-8")


def test_a_quiz_in_practice_mode(watched, base_url):
    quiz_pages.open_quiz(watched, base_url, QUIZ)
    choose(watched, 1, key_of(watched, 1))
    watched.get_by_role("button", name="Check answer 1", exact=True).click()
    expect(watched.locator("#q1 .feedback")).to_contain_text("Correct.")
    expect(watched.locator(".quiz-score")).to_contain_text("Score: 1 correct of 1 answered")
    assert watched.problems == []


def test_a_quiz_in_exam_mode(watched, base_url):
    quiz_pages.open_quiz(watched, base_url, QUIZ)
    watched.get_by_label("Exam: one submit, then a review").check()
    choose(watched, 1, key_of(watched, 1))
    choose(watched, 2, wrong_letter(watched, 2))
    expect(watched.locator("#q1 .feedback")).to_be_hidden()
    watched.get_by_role("button", name="Submit answers").click()
    watched.get_by_role("button", name="Submit now").click()
    total = watched.locator(".question").count()
    expect(watched.locator(".exam-result")).to_contain_text(f"Score: 1 of {total} correct")
    assert watched.problems == []


def test_search_finds_a_page_and_opens_it_from_the_keyboard(watched, base_url):
    watched.goto(base_url + PREFIX)
    field = watched.locator("input.md-search__input")
    field.click()
    field.press_sequentially("asciminib")
    results = watched.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(results.first).to_contain_text("sciminib")
    expect(watched.locator(".md-search-result__meta")).to_have_text(re.compile(r"matching document"))
    href = watched.locator(".md-search-result__link").first.get_attribute("href")
    watched.keyboard.press("Enter")
    expect(watched).to_have_url(re.compile(re.escape(href.split("#")[0])))
    assert watched.problems == []


def test_the_calculators(watched, base_url):
    watched.goto(base_url + PREFIX + "molecular-response/")
    form = watched.locator("form[data-calculator='response']")
    form.locator("input").fill("0.05")
    form.get_by_role("button", name="Read the result").click()
    expect(form.locator(".calculator-result")).to_contain_text(f"Deepest level met: {rules.molecular_response(0.05)}.")
    watched.goto(base_url + PREFIX + "scores/")
    sokal = watched.locator("form[data-calculator='sokal']")
    for name, value in {"age": "60", "spleen_cm": "10", "platelets": "500", "blasts_pct": "3"}.items():
        sokal.locator(f"input[name='{name}']").fill(value)
    sokal.get_by_role("button", name="Calculate the Sokal score").click()
    expect(sokal.locator(".calculator-result")).to_contain_text(f"{rules.sokal(60, 10, 500, 3).risk} risk")
    assert watched.problems == []


def test_search_on_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + PREFIX + "phases/")
    page.locator("label.md-header__button[for='__search']").tap()
    field = page.locator("input.md-search__input")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    page.keyboard.type("blast crisis")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    context.close()
