"""A student takes a quiz: right and wrong, by mouse and keyboard, with score, progress and versions."""

from __future__ import annotations

import re

import pytest
import quiz_pages
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX
from playwright.sync_api import expect
from quiz_pages import key_of, stored_key, wrong_letter

QUIZ = "quizzes/phases-and-monitoring/"


def open_quiz(page, base_url, path=QUIZ):
    quiz_pages.open_quiz(page, base_url, path)


def test_answering_right_with_the_mouse(page, base_url):
    open_quiz(page, base_url)
    key = key_of(page, 1)
    page.locator(f"label[for='q1-{key.lower()}']").click()
    page.get_by_role("button", name="Check answer 1", exact=True).click()
    expect(page.locator("#q1 .feedback")).to_contain_text("Correct.")
    expect(page.locator("#q1 details")).to_be_visible()
    expect(page.locator(".quiz-score")).to_contain_text("Score: 1 correct of 1 answered")


def test_answering_wrong_with_the_keyboard_only(page, base_url):
    open_quiz(page, base_url)
    wrong = wrong_letter(page, 2)
    page.locator("#q2 input").first.focus()
    page.keyboard.press("Space")  # selects the first option
    first = page.locator("#q2 input").first.get_attribute("value")
    steps = "ABCDE".index(wrong) - "ABCDE".index(first)
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#q2-{wrong.lower()}")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check answer 2", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    feedback = page.locator("#q2 .feedback")
    expect(feedback).to_contain_text(f"Not quite: you chose {wrong}; the answer is {key_of(page, 2)}.")
    expect(page.locator("#q2 details")).to_be_visible()
    expect(page.locator(".quiz-score")).to_contain_text("Score: 0 correct of 1 answered")


def test_checking_without_a_choice_asks_for_one(page, base_url):
    open_quiz(page, base_url)
    page.get_by_role("button", name="Check answer 3", exact=True).click()
    expect(page.locator("#q3 .feedback")).to_have_text("Choose an answer first.")


def test_progress_survives_a_reload_and_reset_clears_it(page, base_url):
    open_quiz(page, base_url)
    key = key_of(page, 1)
    page.locator(f"label[for='q1-{key.lower()}']").click()
    page.get_by_role("button", name="Check answer 1", exact=True).click()
    page.reload()
    expect(page.locator(f"#q1-{key.lower()}")).to_be_checked()
    expect(page.locator(".quiz-score")).to_contain_text("Score: 1 correct of 1 answered")
    page.get_by_role("button", name="Start this version again").click()
    expect(page.locator(".reset-confirm")).to_contain_text("This clears your 1 practice answer to this version")
    page.get_by_role("button", name="Clear them and start again").click()
    expect(page.locator(".quiz-score")).to_contain_text("Score: 0 correct of 0 answered")
    expect(page.locator(f"#q1-{key.lower()}")).not_to_be_checked()
    expect(page.locator("#q1 .feedback")).to_have_text("")


def test_another_version_opens_a_different_version(page, base_url):
    open_quiz(page, base_url)
    first_case = page.locator("#q1 p").first.inner_text()
    page.get_by_role("link", name="Another version").click()
    expect(page).to_have_url(re.compile(r"/quizzes/phases-and-monitoring/variant-\d+/$"))
    expect(page.locator("h1")).to_contain_text("Phases and monitoring")
    assert page.locator("#q1 p").first.inner_text() != first_case


def test_a_version_has_its_own_url(page, base_url):
    page.goto(base_url + PREFIX + QUIZ + "?v=3")
    expect(page).to_have_url(base_url + PREFIX + QUIZ + "variant-3/")
    expect(page.locator(".quiz")).to_have_attribute("data-variant", "3")


def test_without_javascript_each_answer_is_in_a_collapsible_block(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PREFIX + QUIZ)
    details = page.locator("#q1 details")
    expect(details).to_be_visible()
    expect(details).not_to_have_attribute("open", "")
    expect(page.locator("#q1 .quiz-controls")).to_be_hidden()
    details.locator("summary").click()
    key = page.locator("#q1").get_attribute("data-key")
    expect(details).to_contain_text(f"{key}.")
    context.close()


def test_printing_a_quiz_leaves_out_answers_and_navigation(page, base_url):
    open_quiz(page, base_url)
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("#q1 details")).to_be_hidden()
    expect(page.locator(".educators")).to_be_hidden()
    expect(page.locator("#q1 label").first).to_be_visible()
    breaks = page.locator(".question").first.evaluate("e => getComputedStyle(e).breakInside")
    assert breaks == "avoid"  # a question is not split across pages


def test_each_version_has_its_own_answer_key(page, base_url):
    page.goto(base_url + PREFIX + QUIZ + "variant-3/")
    keys = page.locator(".question").evaluate_all("els => els.map(e => e.dataset.key)")
    page.locator(".educators summary").click()
    page.get_by_role("link", name="Answer key for version 3", exact=True).click()
    expect(page).to_have_url(base_url + PREFIX + QUIZ + "key-3/")
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(len(keys))
    for number, key in enumerate(keys):
        expect(rows.nth(number).locator("td").nth(1)).to_contain_text(f"{key}.")


def test_the_educators_block_offers_every_export(page, base_url):
    page.goto(base_url + PREFIX + QUIZ)
    page.locator(".educators summary").click()
    for label in ("Moodle GIFT", "Moodle XML", "QTI 1.2 package for Canvas", "Anki deck", "CSV spreadsheet"):
        link = page.get_by_role("link", name=label)
        href = link.get_attribute("href")
        response = page.request.get(base_url + PREFIX + QUIZ + href)
        assert response.ok and len(response.body()) > 1000, label


# --- what the browser stored may be anything: the page falls back to a fresh start -------------------


def storage_key(page) -> str:
    quiz = page.locator(".quiz")
    return stored_key(f"cml-quiz:{quiz.get_attribute('data-quiz')}:{quiz.get_attribute('data-variant')}")


STORED = {
    "a quote that would break a selector": '{"q1":"A\\"]"}',
    "a bare number": "7",
    "an array": '["A"]',
    "a letter the question has not": '{"q1":"Z"}',
    "a question the page has not": '{"q99":"A"}',
    "not JSON": "{q1:",
}


@pytest.mark.parametrize("stored", STORED.values(), ids=STORED.keys())
def test_corrupted_stored_progress_falls_back_to_a_fresh_start(page, base_url, stored):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_quiz(page, base_url)
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [storage_key(page), stored])
    page.reload()
    expect(page.locator(".quiz-score")).to_contain_text("Score: 0 correct of 0 answered")
    key = key_of(page, 2)
    page.locator(f"label[for='q2-{key.lower()}']").click()
    page.get_by_role("button", name="Check answer 2", exact=True).click()
    expect(page.locator("#q2 .feedback")).to_contain_text("Correct.")
    expect(page.locator(".quiz-score")).to_contain_text("Score: 1 correct of 1 answered")
    assert errors == []


@pytest.mark.parametrize("value", ["2.5", "1e1", "-2", "0x2", " 2", "99999"])
def test_a_version_parameter_that_is_not_a_version_stays_on_the_page(page, base_url, value):
    page.goto(base_url + PREFIX + QUIZ + "?v=" + value)
    page.wait_for_load_state("load")
    assert page.url.split("?")[0] == base_url + PREFIX + QUIZ
    expect(page.locator(".quiz")).to_have_attribute("data-variant", "1")


# Storage.setItem made to throw for this site's practice answers, as a full or blocked store does.
REFUSE_PRACTICE_SAVES = """() => { const set = Storage.prototype.setItem;
    window.refuse = true;
    Storage.prototype.setItem = function (key, value) {
      if (window.refuse && key.includes("cml-quiz:")) throw new DOMException("full", "QuotaExceededError");
      return set.call(this, key, value); }; }"""
UNSAVED_PRACTICE = (
    "This browser is not keeping your practice answers (its storage is full or blocked): "
    "they are lost if you leave or reload this page."
)


def test_a_practice_answer_the_browser_cannot_keep_is_said_in_view_until_a_save_works(page, base_url):
    """With storage full or blocked, a practice answer was lost at a reload without a word; an exam
    already said so in its dock. The message is a polite status, never an alert()."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_quiz(page, base_url)
    unsaved = page.locator(".practice-unsaved")
    expect(unsaved).to_be_hidden()
    page.evaluate(REFUSE_PRACTICE_SAVES)
    quiz_pages.answer(page, 1, right=True)
    expect(page.locator("#q1 .feedback")).to_contain_text("Correct.")
    expect(unsaved).to_have_text(UNSAVED_PRACTICE)
    expect(unsaved).to_have_attribute("role", "status")
    expect(unsaved).to_have_attribute("aria-live", "polite")
    expect(unsaved).to_be_in_viewport()
    page.get_by_label(re.compile("Exam: one submit")).check()
    expect(unsaved).to_be_hidden()  # an exam says so in its own dock
    page.get_by_label("Practice: feedback after each question").check()
    expect(unsaved).to_have_text(UNSAVED_PRACTICE)
    page.evaluate("window.refuse = false")
    quiz_pages.answer(page, 2, right=False)
    expect(unsaved).to_be_hidden()
    page.reload()
    page.get_by_label("Practice: feedback after each question").check()  # the exam begun above waits
    expect(page.locator(".quiz-score")).to_contain_text("Score: 1 correct of 2 answered")
    assert dialogs == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_unsaved_practice_message_passes_axe(browser, base_url, scheme):
    page = browser.new_context(color_scheme=scheme).new_page()
    open_quiz(page, base_url)
    page.evaluate(REFUSE_PRACTICE_SAVES)
    quiz_pages.answer(page, 1, right=True)
    expect(page.locator(".practice-unsaved")).to_have_text(UNSAVED_PRACTICE)
    results = Axe().run(page, options=quiz_pages.EVERY_AXE_RULE)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()
