"""Exam mode on a quiz version: answer, flag, watch the answer sheet and the clock, submit once,
then review the score and every explanation; by mouse, by keyboard alone, across a reload, and
as a screen reader hears it."""

from __future__ import annotations

import re

import pytest
import quiz_pages
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX, moment
from playwright.sync_api import expect
from quiz_pages import EVERY_AXE_RULE, choose, key_of, stored_key, wrong_letter

QUIZ = "quizzes/phases-and-monitoring/"  # no time limit
TIMED = "quizzes/mixed-exam/"  # time_limit_minutes in its blueprint


def open_quiz(page, base_url, path=QUIZ):
    quiz_pages.open_quiz(page, base_url, path)


def sheet_entry(page, number):
    return page.get_by_role("navigation", name="Answer sheet").locator(f"a[data-question='q{number}']")


def test_an_exam_by_mouse_gives_no_feedback_until_submitted_then_reviews_every_question(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    expect(page.get_by_role("button", name="Check answer 1", exact=True)).to_be_hidden()
    expect(page.locator(".quiz-score")).to_be_hidden()
    choose(page, 1, key_of(page, 1))
    choose(page, 2, wrong_letter(page, 2))
    expect(page.locator("#q1 .feedback")).to_be_hidden()
    expect(page.locator("#q1 details")).to_be_hidden()
    page.get_by_role("button", name="Flag question 3").click()
    expect(page.locator("#q3 button.flag")).to_have_attribute("aria-pressed", "true")
    expect(sheet_entry(page, 1)).to_have_attribute("aria-label", "Question 1: answered")
    expect(sheet_entry(page, 3)).to_have_attribute("aria-label", "Question 3: unanswered, flagged")

    page.get_by_role("button", name="Submit answers").click()
    total = page.locator(".question").count()
    expect(page.locator(".exam-confirm")).to_contain_text(f"{total - 2} questions are unanswered.")
    page.get_by_role("button", name="Submit now").click()

    review = page.locator(".exam-review")
    expect(review).to_be_visible()
    expect(page.locator(".exam-result")).to_contain_text(f"Score: 1 of {total} correct")
    expect(review.locator("li").nth(0)).to_contain_text("Question 1: correct")
    expect(review.locator("li").nth(1)).to_contain_text(f"the answer is {key_of(page, 2)}")
    expect(review.locator("li").nth(2)).to_contain_text("not answered")
    expect(page.locator("#q2 .feedback")).to_contain_text("Not quite")
    expect(page.locator("#q2 details")).to_have_attribute("open", "")
    expect(page.locator("#q1 input").first).to_be_disabled()


def test_an_exam_by_keyboard_alone(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Practice: feedback after each question").focus()
    page.keyboard.press("ArrowDown")  # to Exam, as radio buttons move
    expect(page.get_by_label("Exam: one submit, then a review")).to_be_checked()
    key = key_of(page, 1)
    page.locator("#q1 input").first.focus()
    page.keyboard.press("Space")
    for _ in range("ABCDE".index(key) - "ABCDE".index(page.locator("#q1 input").first.get_attribute("value"))):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#q1-{key.lower()}")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Flag question 1", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#q1 button.flag")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Submit answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit now")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".exam-review")).to_be_focused()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")


def test_a_reload_in_the_middle_of_an_exam_keeps_answers_flags_and_mode(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    letter = wrong_letter(page, 2)
    choose(page, 2, letter)
    page.get_by_role("button", name="Flag question 4").click()
    page.reload()
    expect(page.get_by_label("Exam: one submit, then a review")).to_be_checked()
    expect(page.locator(f"#q2-{letter.lower()}")).to_be_checked()
    expect(sheet_entry(page, 2)).to_have_attribute("aria-label", "Question 2: answered")
    expect(sheet_entry(page, 4)).to_have_attribute("aria-label", "Question 4: unanswered, flagged")
    expect(page.locator("#q2 .feedback")).to_be_hidden()


def test_a_submitted_exam_stays_reviewed_after_a_reload_and_can_be_taken_again(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.reload()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")
    page.get_by_role("button", name="Take this version again").click()
    expect(page.locator(".restart-confirm")).to_contain_text("This clears your submitted exam (1 of")
    page.get_by_role("button", name="Clear it and start again").click()
    expect(page.locator(".exam-review")).to_be_hidden()
    expect(page.locator("#q1 input:checked")).to_have_count(0)
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()


def test_the_timer_counts_down_survives_a_reload_and_submits_when_time_is_up(page, base_url):
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    limit = int(page.locator(".quiz").get_attribute("data-time-limit-minutes"))
    page.get_by_label(re.compile("Exam: one submit")).check()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(f"{limit}:00")
    choose(page, 1, key_of(page, 1))
    page.clock.run_for((limit - 5) * 60_000)
    expect(page.locator(".exam-announce")).to_have_text("5 minutes left: your answers are submitted when time is up.")
    page.reload()
    expect(timer).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(page.locator(f"#q1-{key_of(page, 1).lower()}")).to_be_checked()
    page.clock.run_for(5 * 60_000 + 2_000)
    expect(page.locator(".exam-result")).to_contain_text("Time ran out, so your answers were submitted.")
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")


def test_a_screen_reader_hears_the_mode_sheet_timer_and_result(page, base_url):
    open_quiz(page, base_url, TIMED)
    expect(page.get_by_role("group", name="How to take this version")).to_be_visible()
    page.get_by_role("radio", name=re.compile("Exam: one submit")).check()
    expect(page.get_by_role("timer")).to_be_visible()
    expect(page.get_by_role("navigation", name="Answer sheet")).to_be_visible()
    expect(page.locator(".exam-announce")).to_have_attribute("aria-live", "polite")
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".exam-review-announce")).to_contain_text("Score: 0 of")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("state", ["answering", "reviewed"])
def test_exam_screens_pass_axe(browser, base_url, state, scheme):
    page = browser.new_context(color_scheme=scheme).new_page()
    open_quiz(page, base_url, TIMED)
    page.get_by_label(re.compile("Exam: one submit")).check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Flag question 2", exact=True).click()
    if state == "reviewed":
        page.get_by_role("button", name="Submit answers").click()
        page.get_by_role("button", name="Submit now").click()
    results = Axe().run(page, options=EVERY_AXE_RULE)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()


def test_a_corrupted_exam_in_storage_falls_back_to_practice(page, base_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_quiz(page, base_url)
    key = stored_key("cml-exam:" + page.locator(".quiz").get_attribute("data-quiz") + ":1")
    for stored in ['{"started": "soon", "answers": {}, "flags": [], "submitted": false}', "[1]", '{"started": 1}']:
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, stored])
        page.reload()
        expect(page.get_by_label("Practice: feedback after each question")).to_be_checked()
        expect(page.get_by_role("button", name="Check answer 1", exact=True)).to_be_visible()
    assert errors == []


def test_printing_a_reviewed_exam_shows_its_answers_and_no_controls(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, wrong_letter(page, 1))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.emulate_media(media="print")
    expect(page.locator(".exam-result")).to_be_visible()
    expect(page.locator("#q1 details")).to_be_visible()
    expect(page.locator("#q1 .feedback")).to_be_visible()
    for control in [".quiz-mode", ".copy-result", ".restart-exam", ".md-sidebar--primary"]:
        expect(page.locator(control).first).to_be_hidden()


def test_the_result_can_be_copied_as_text(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.get_by_role("button", name="Copy the result as text").click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    text = page.evaluate("navigator.clipboard.readText()")
    assert re.match(r"^Phases and monitoring, version 1 \(exam mode\), \d{4}-\d\d-\d\d: 1 of \d+ correct", text)
    assert "Question 1: correct." in text and "Question 2: not answered." in text
    context.close()


def test_without_javascript_the_quiz_is_the_readable_practice_version(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PREFIX + QUIZ)
    expect(page.locator(".quiz-mode")).to_be_hidden()
    expect(page.locator(".exam-bar")).to_be_hidden()
    expect(page.locator("#q1 details summary")).to_be_visible()
    context.close()


# --- nothing a student did is lost by one click ---------------------------------------------------


def test_switching_to_practice_keeps_an_exam_in_progress_and_a_submitted_result(page, base_url):
    """One ArrowUp on the Exam radio used to delete an exam in progress, or its result."""
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, key_of(page, 1))
    choose(page, 2, wrong_letter(page, 2))
    page.get_by_label("Exam: one submit, then a review").focus()
    page.keyboard.press("ArrowUp")  # to Practice, as radio buttons move
    expect(page.get_by_label("Practice: feedback after each question")).to_be_checked()
    expect(page.locator(".quiz")).to_have_attribute("data-mode", "practice")
    expect(page.locator(".exam-kept")).to_contain_text("Your exam of this version is kept (2 of")
    page.get_by_label("Exam: one submit, then a review").check()
    expect(page.locator(".quiz")).to_have_attribute("data-mode", "exam")
    expect(page.locator(f"#q1-{key_of(page, 1).lower()}")).to_be_checked()
    expect(sheet_entry(page, 2)).to_have_attribute("aria-label", "Question 2: answered")
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.get_by_label("Practice: feedback after each question").check()
    expect(page.locator(".exam-kept")).to_contain_text("Your submitted exam of this version is kept")
    page.get_by_label("Exam: one submit, then a review").check()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")
    expect(page.locator(".quiz")).to_have_attribute("data-mode", "review")


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_a_timed_exam_left_for_practice_keeps_its_answers_flags_and_clock(page, base_url, how):
    """Practice and back, by mouse or by arrow keys on the mode radios: the exam is as it was,
    its clock neither reset nor paused, and practice answers are untouched by it."""
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    limit = int(page.locator(".quiz").get_attribute("data-time-limit-minutes"))
    practice = page.get_by_label("Practice: feedback after each question")
    exam = page.get_by_label(re.compile("Exam: one submit"))
    quiz_pages.answer(page, 3, right=True)  # a practice answer, kept apart from the exam's
    exam.check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Flag question 2", exact=True).click()
    page.clock.run_for(2 * 60_000)

    def switch(to):
        if how == "click":
            to.check()
        else:
            (exam if to == practice else practice).focus()
            page.keyboard.press("ArrowUp" if to == practice else "ArrowDown")
            expect(to).to_be_focused()  # the student stays on the mode choice
        expect(to).to_be_checked()

    switch(practice)
    expect(page.locator(".quiz")).to_have_attribute("data-mode", "practice")
    expect(page.locator(".exam-kept")).to_contain_text(f"1 of {page.locator('.question').count()} answered")
    # The clock runs on in real time between the fake jumps: a second or so may have gone by.
    expect(page.locator(".exam-kept")).to_contain_text(
        re.compile(rf"(?:{limit - 2}:00|{limit - 3}:5\d) left; its clock keeps running")
    )
    expect(page.locator("#q3 .feedback")).to_contain_text("Correct.")
    expect(page.locator("#q1 .feedback")).to_have_text("")
    page.clock.run_for(60_000)
    switch(exam)
    expect(page.locator(".quiz")).to_have_attribute("data-mode", "exam")
    expect(page.get_by_role("timer")).to_have_text(re.compile(rf"^{limit - 3}:0\d$|^{limit - 4}:5\d$"))
    expect(page.locator(f"#q1-{key_of(page, 1).lower()}")).to_be_checked()
    expect(page.locator("#q3 input:checked")).to_have_count(0)
    expect(sheet_entry(page, 2)).to_have_attribute("aria-label", "Question 2: unanswered, flagged")
    page.reload()
    expect(exam).to_be_checked()
    expect(page.locator(f"#q1-{key_of(page, 1).lower()}")).to_be_checked()


def test_starting_an_exam_again_asks_first_and_keeps_it_when_told_no(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.get_by_role("button", name="Take this version again").click()
    expect(page.get_by_role("button", name="Clear it and start again")).to_be_focused()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")
    expect(page.get_by_role("button", name="Take this version again")).to_be_focused()
    page.reload()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")


def test_the_question_before_clearing_an_exam_is_heard_and_escape_keeps_the_exam(page, base_url):
    """Focus lands on the yes button: a screen reader hears what it would clear, not just its
    name; Escape answers no and takes the student back to the button they pressed."""
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    page.get_by_label(re.compile("Exam: one submit")).check()
    choose(page, 1, key_of(page, 1))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    again = page.get_by_role("button", name="Take this version again")
    again.focus()
    page.keyboard.press("Enter")
    yes = page.get_by_role("button", name="Clear it and start again")
    expect(yes).to_be_focused()
    expect(yes).to_have_accessible_description(re.compile(r"^This clears your submitted exam \(1 of \d+ correct\)"))
    page.keyboard.press("Escape")
    expect(yes).to_be_hidden()
    expect(again).to_be_focused()
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")


def test_an_exam_has_no_start_again_button_at_the_end_and_submit_stays_in_view(page, base_url):
    """After the last question the only button was "Start this version again", which wiped the exam."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    page.get_by_label(re.compile("Exam: one submit")).check()
    expect(page.get_by_role("button", name="Start this version again")).to_be_hidden()
    last = page.locator(".question").last
    last.scroll_into_view_if_needed()
    submit = page.get_by_role("button", name="Submit answers")
    expect(submit).to_be_in_viewport()
    expect(page.get_by_role("timer")).to_be_in_viewport()
    page.locator("#q1").scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()


def test_time_warnings_are_shown_to_everyone(page, base_url):
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    limit = int(page.locator(".quiz").get_attribute("data-time-limit-minutes"))
    page.get_by_label(re.compile("Exam: one submit")).check()
    page.clock.run_for((limit - 10) * 60_000 + 1_000)
    warning = page.locator(".exam-announce")
    expect(warning).to_be_visible()
    expect(warning).to_have_text("10 minutes left: your answers are submitted when time is up.")
    page.clock.run_for(9 * 60_000)
    expect(warning).to_have_text("1 minute left: your answers are submitted when time is up.")
    expect(warning).to_be_visible()


def test_the_time_taken_never_exceeds_the_limit_when_the_tab_is_reopened_late(page, base_url):
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    limit = int(page.locator(".quiz").get_attribute("data-time-limit-minutes"))
    page.get_by_label(re.compile("Exam: one submit")).check()
    page.goto("about:blank")
    page.clock.set_system_time(moment(1_800_000_000_000 + 120 * 60_000))
    page.goto(base_url + PREFIX + TIMED)
    expect(page.locator(".exam-result")).to_contain_text(f"Time taken: {limit}:00.")
    expect(page.locator(".exam-result")).to_contain_text("Time ran out")


def test_a_question_missed_in_an_exam_is_retried_in_practice_and_the_exam_stays(page, base_url):
    open_quiz(page, base_url)
    page.get_by_label("Exam: one submit, then a review").check()
    choose(page, 2, wrong_letter(page, 2))
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit now").click()
    page.goto(base_url + PREFIX + "review/")
    page.clock.install(time=moment(1_800_000_000_000))
    page.evaluate(
        "k => { const d = JSON.parse(localStorage.getItem(k)); "
        "Object.values(d.review).forEach(r => r.due = 0); localStorage.setItem(k, JSON.stringify(d)); }",
        stored_key("cml-progress"),
    )
    page.reload()
    page.locator(".review-due li a").first.click()
    expect(page).to_have_url(re.compile(r"\?retry=q2#q2$"))
    expect(page.get_by_label("Practice: feedback after each question")).to_be_checked()
    expect(page.locator("#q2 input").first).to_be_enabled()
    expect(page.get_by_role("button", name="Check answer 2", exact=True)).to_be_visible()
    expect(page.locator(".exam-kept")).to_contain_text("Your submitted exam of this version is kept")
    page.get_by_label("Exam: one submit, then a review").check()
    expect(page.locator(".exam-result")).to_contain_text("Score: 0 of")


def test_a_kept_exam_counts_down_while_the_student_practises_and_says_when_its_time_ran_out(page, base_url):
    """The note of a kept exam showed the time left when the student left it, and still did after
    the clock had run out and submitted the exam."""
    page.clock.install(time=moment(1_800_000_000_000))
    open_quiz(page, base_url, TIMED)
    limit = int(page.locator(".quiz").get_attribute("data-time-limit-minutes"))
    page.get_by_label(re.compile("Exam: one submit")).check()
    choose(page, 1, key_of(page, 1))
    page.get_by_label("Practice: feedback after each question").check()
    kept = page.locator(".exam-kept")
    page.clock.run_for(10 * 60_000)
    expect(kept).to_contain_text(re.compile(rf"(?:{limit - 10}:00|{limit - 11}:5\d) left; its clock keeps running"))
    page.clock.run_for(limit * 60_000)
    expect(kept).to_have_text(
        "Your submitted exam of this version is kept (its time ran out): choose Exam to see its review."
    )
    page.get_by_label(re.compile("Exam: one submit")).check()
    expect(page.locator(".exam-result")).to_contain_text("Time ran out, so your answers were submitted.")
    expect(page.locator(".exam-result")).to_contain_text("Score: 1 of")


def test_an_exam_the_browser_cannot_keep_says_so_in_the_dock_until_a_save_works(page, base_url):
    """With storage full or blocked, a reload lost the whole exam without a word."""
    open_quiz(page, base_url)
    page.evaluate(
        """() => { const set = Storage.prototype.setItem;
        window.refuse = true;
        Storage.prototype.setItem = function (key, value) {
          if (window.refuse && key.includes("cml-exam:")) throw new DOMException("full", "QuotaExceededError");
          return set.call(this, key, value); }; }"""
    )
    page.get_by_label("Exam: one submit, then a review").check()
    announce = page.locator(".exam-announce")
    unsaved = (
        "This browser is not keeping your answers (its storage is full or blocked): "
        "they are lost if you leave or reload this page, so submit before you go."
    )
    expect(announce).to_have_text(unsaved)
    expect(announce).to_be_in_viewport()
    choose(page, 1, key_of(page, 1))
    expect(announce).to_have_text(unsaved)
    page.evaluate("window.refuse = false")
    choose(page, 2, key_of(page, 2))
    expect(announce).to_be_hidden()
    page.reload()
    expect(page.locator(f"#q2-{key_of(page, 2).lower()}")).to_be_checked()
