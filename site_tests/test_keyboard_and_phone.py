"""A student on a keyboard or a 390 px phone: search lets go when left, answers stay answers,
focus stays where the student is, the questions are one skip away, wide tables say they scroll,
a version that does not exist says so, and the calculators are in the navigation."""

from __future__ import annotations

import re

from conftest import PREFIX
from playwright.sync_api import expect
from quiz_pages import key_of, open_quiz

QUIZ = "quizzes/phases-and-monitoring/"


def test_tabbing_past_search_closes_its_overlay(page, base_url):
    page.goto(base_url + PREFIX + QUIZ)
    page.locator("input.md-search__input").click()
    page.keyboard.type("withdrawal syndrome")
    expect(page.locator(".md-search-result__link").first).to_be_visible(timeout=10_000)
    expect(page.locator("#__search")).to_be_checked()
    for _ in range(60):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('.md-search').contains(document.activeElement)"):
            break
    expect(page.locator("#__search")).not_to_be_checked()
    option = page.locator("label[for='q1-a']")
    option.click()  # nothing dims the page or catches the click
    expect(page.locator("#q1-a")).to_be_checked()


def test_arrow_keys_in_a_quizs_answers_stay_in_the_answers_with_a_query_typed(page, base_url):
    page.goto(base_url + PREFIX + QUIZ)
    page.locator("input.md-search__input").click()
    page.keyboard.type("imatinib")
    expect(page.locator(".md-search-result__link").first).to_be_visible(timeout=10_000)
    page.locator("#q1-a").focus()  # Shift+Tab back to the answers, or a screen reader's jump
    expect(page.locator("#__search")).not_to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#q1-b")).to_be_focused()
    expect(page.locator("#q1-b")).to_be_checked()


def test_focus_stays_on_the_question_after_check_answer(page, base_url):
    open_quiz(page, base_url, QUIZ)
    page.locator(f"label[for='q1-{key_of(page, 1).lower()}']").click()
    page.get_by_role("button", name="Check answer 1", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q1 .feedback")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#q1, #q2') !== null")


def test_a_skip_link_leads_to_the_questions_in_a_few_tab_stops(page, base_url):
    """51 Tab stops came before the mode choice."""
    open_quiz(page, base_url, QUIZ)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-to-quiz')"):
            break
    expect(page.get_by_role("link", name="Skip to the questions")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Practice: feedback after each question")).to_be_focused()


def test_a_version_that_does_not_exist_says_so_and_links_the_list(page, base_url):
    """?v=21 silently showed version 1."""
    page.goto(base_url + PREFIX + QUIZ + "?v=21")
    total = page.locator(".another-version").get_attribute("data-variants")
    note = page.locator(".version-missing")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"There is no version 21 of this quiz: it has versions 1 to {total}.")
    link = note.get_by_role("link", name="All quizzes and their versions")
    assert link.evaluate("a => a.href") == base_url + PREFIX + "quizzes/"


def test_on_a_phone_a_wide_table_says_it_scrolls(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("molecular-response/", "progress/"):
        page.goto(base_url + PREFIX + path)
        expect(page.locator(".table-scroll-hint").first).to_be_visible()
        expect(page.locator(".table-scroll-hint").first).to_have_text("Scroll the table sideways to see every column.")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + PREFIX + "molecular-response/")
    expect(page.locator(".table-scroll-hint")).to_have_count(0)
    context.close()


def test_the_navigation_leads_to_the_calculators(page, base_url):
    page.goto(base_url + PREFIX)
    link = page.locator(".md-nav--primary a", has_text="Calculators").first
    expect(link).to_have_attribute("href", re.compile(r"scores/$"))
    page.goto(base_url + PREFIX + "scores/")
    expect(page.get_by_role("link", name="BCR::ABL1 reader")).to_have_attribute(
        "href", re.compile(r"molecular-response/#reader$")
    )
