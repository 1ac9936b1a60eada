"""Unfolding cases in the browser (assets/cases.js): practice shows the next step once a step
is checked; exam mode locks a step when the student goes on, keeps the lock across a reload,
and the review shows the whole course; without JavaScript the page reads as the whole case;
all of it by keyboard alone, with no axe violation."""

from __future__ import annotations

import quiz_pages
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX
from playwright.sync_api import expect
from quiz_pages import EVERY_AXE_RULE, answer, choose, key_of

QUIZ = "quizzes/unfolding-cases/"


def open_quiz(page, base_url):
    quiz_pages.open_quiz(page, base_url, QUIZ)


def first_case(page) -> int:
    """The number of steps in case 1 (questions 1 to N)."""
    return int(page.locator("#q1").get_attribute("data-steps"))


def test_practice_shows_a_case_step_by_step(page, base_url):
    open_quiz(page, base_url)
    steps = first_case(page)
    expect(page.locator("#q1")).to_be_visible()
    expect(page.locator("#q2")).to_be_hidden()
    expect(page.locator(f"#q{steps + 1}")).to_be_visible(), "the next case starts at its first step"
    answer(page, 1, right=True)
    expect(page.locator("#q2")).to_be_visible()
    expect(page.locator("#q3")).to_be_hidden()
    expect(page.locator(".exam-announce")).to_contain_text("Step 2 is shown")
    page.reload()
    expect(page.locator("#q2")).to_be_visible(), "a checked step stays checked, so the next stays shown"
    page.get_by_role("button", name="Start this version again").click()
    page.get_by_role("button", name="Clear them and start again").click()
    expect(page.locator("#q2")).to_be_hidden()


def test_exam_mode_locks_a_step_when_the_student_goes_on(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    expect(page.locator("#q2")).to_be_hidden()
    sheet = page.get_by_role("navigation", name="Answer sheet")
    expect(sheet.locator("a[data-question='q2']")).to_be_hidden()
    go_on = page.get_by_role("button", name="Lock answer 1 and go on to step 2")
    go_on.click()
    expect(page.locator("#q1 .feedback")).to_contain_text("Choose an answer first")
    expect(page.locator("#q2")).to_be_hidden()
    choose(page, 1, key_of(page, 1))
    go_on.click()
    expect(page.locator("#q2")).to_be_visible()
    expect(page.locator("#q1 input").first).to_be_disabled()
    expect(go_on).to_be_hidden()
    expect(page.locator("#q2 input").first).to_be_focused()
    page.reload()
    expect(page.locator("#q1 input").first).to_be_disabled(), "the lock holds across a reload"
    expect(page.locator("#q2")).to_be_visible()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    expect(page.locator(".exam-review")).to_be_visible()
    for number in range(1, first_case(page) + 1):
        expect(page.locator(f"#q{number}")).to_be_visible(), "the review shows the whole course"
    page.get_by_role("button", name="Take this version again").click()
    page.get_by_role("button", name="Clear it and start again").click()
    expect(page.locator("#q1 input").first).to_be_enabled()
    expect(page.locator("#q2")).to_be_hidden()


def test_a_case_by_keyboard_alone(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    page.locator("#q1 input").first.focus()
    page.keyboard.press("Space")
    go_on = page.get_by_role("button", name="Lock answer 1 and go on to step 2")
    go_on.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q2 input").first).to_be_focused()
    expect(page.locator("#q1 input").first).to_be_disabled()


def test_without_javascript_the_page_reads_as_the_whole_case(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PREFIX + QUIZ)
    steps = int(page.locator("#q1").get_attribute("data-steps"))
    for number in range(1, steps + 1):
        expect(page.locator(f"#q{number}")).to_be_visible()
        expect(page.locator(f"#q{number} details")).to_be_visible()
    expect(page.locator("button.next-step").first).to_be_hidden()
    expect(page.locator(".case-intro").first).to_contain_text("Case 1 follows one patient")
    context.close()


def test_no_axe_violation_in_practice_or_exam(page, base_url):
    open_quiz(page, base_url)
    answer(page, 1, right=True)
    assert Axe().run(page, options=EVERY_AXE_RULE).response["violations"] == []
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Lock answer 1 and go on to step 2").click()
    assert Axe().run(page, options=EVERY_AXE_RULE).response["violations"] == []
