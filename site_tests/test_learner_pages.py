"""My progress and Review my mistakes: what this browser stored, by topic and section, kept as a
file, forgotten on request, and the missed questions brought back after 1, 3 and 7 days."""

from __future__ import annotations

import html
import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import PREFIX, ROOT, SITE, moment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from quiz_pages import EVERY_AXE_RULE, answer, open_quiz, stored_key

QUIZ = "quizzes/phases-and-monitoring/"
DAY_MS = 24 * 60 * 60 * 1000
START = 1_800_000_000_000


def fresh_quiz(page, base_url, path=QUIZ):
    open_quiz(page, base_url, path)


def row(page, link_attribute: str, value: str):
    return page.locator(f"a[{link_attribute}='{value}']").locator("xpath=ancestor::tr")


def test_progress_shows_answers_by_topic_and_section(page, base_url):
    fresh_quiz(page, base_url)
    topic = page.locator("#q1").get_attribute("data-topic")
    section = page.locator("#q1").get_attribute("data-section")
    same = [n for n in range(1, 9) if page.locator(f"#q{n}").get_attribute("data-topic") == topic]
    answer(page, same[0], right=True)
    answer(page, same[1], right=False)
    page.goto(base_url + PREFIX + "progress/")
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")
    expect(row(page, "data-topic", topic).locator("td").nth(1)).to_have_text("2")
    expect(row(page, "data-topic", topic).locator("td").nth(2)).to_have_text("1 (50%)")
    expect(row(page, "data-section", section).locator("td").nth(1)).not_to_have_text("0")
    practise = row(page, "data-topic", topic).locator("a.practise")
    expect(practise).to_have_attribute("href", re.compile(r"quizzes/[a-z-]+/(variant-\d+/)?$"))


def test_practise_links_to_a_version_not_yet_answered(page, base_url):
    page.goto(base_url + PREFIX + "progress/")
    quiz = page.locator("a.practise").first.get_attribute("data-quiz")  # whichever quiz the page offers
    fresh_quiz(page, base_url, f"quizzes/{quiz}/")
    answer(page, 1, right=True)
    page.goto(base_url + PREFIX + "progress/")
    link = page.locator(f"a.practise[data-quiz='{quiz}']").first
    expect(link).to_have_attribute("href", re.compile(rf"quizzes/{quiz}/variant-2/$"))


def test_forget_says_what_it_removes_to_a_screen_reader_and_escape_keeps_everything(page, base_url):
    fresh_quiz(page, base_url)
    answer(page, 1, right=True)
    page.goto(base_url + PREFIX + "progress/")
    forget = page.get_by_role("button", name="Forget my progress")
    forget.click()
    yes = page.get_by_role("button", name="Forget it all")
    expect(yes).to_be_focused()
    expect(yes).to_have_accessible_description(
        "This removes every answer, exam and review this browser holds for this site."
    )
    page.keyboard.press("Escape")
    expect(yes).to_be_hidden()
    expect(forget).to_be_focused()
    expect(page.locator(".learner-summary")).to_have_text("You have answered 1 question, 1 of them right (100%).")


def test_export_then_forget_then_import_restores_the_same_progress(page, base_url, tmp_path):
    fresh_quiz(page, base_url)
    answer(page, 1, right=True)
    answer(page, 2, right=False)
    page.goto(base_url + PREFIX + "progress/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export my progress").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["version"] == 1 and len(exported["answers"]) == 2 and len(exported["review"]) == 1

    page.get_by_role("button", name="Forget my progress").click()
    expect(page.get_by_role("button", name="Forget it all")).to_be_focused()
    page.keyboard.press("Enter")  # keyboard alone
    expect(page.locator(".learner-status")).to_have_text("Your progress was forgotten.")
    expect(page.locator(".learner-summary")).to_have_text("You have not answered any question in this browser yet.")
    assert page.evaluate("p => Object.keys(localStorage).filter(k => k.startsWith(p))", stored_key("cml-")) == []

    page.get_by_label("Import progress from a file").set_input_files(str(saved))
    expect(page.locator(".learner-status")).to_have_text("Progress merged: 2 answers from the file, 2 in all.")
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")


def test_a_file_that_is_not_progress_changes_nothing(page, base_url, tmp_path):
    fresh_quiz(page, base_url)
    answer(page, 1, right=True)
    page.goto(base_url + PREFIX + "progress/")
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "answers": {"x": {"quiz": 3}}, "review": {}}', encoding="utf-8")
    page.get_by_label("Import progress from a file").set_input_files(str(bad))
    expect(page.locator(".learner-status")).to_have_text(
        'That file was not imported: the answer "x" has no valid quiz. Your progress is as it was.'
    )
    expect(page.locator(".learner-summary")).to_have_text("You have answered 1 question, 1 of them right (100%).")


@pytest.mark.parametrize("stored", ["{not json", "[]", '{"version": 2, "answers": {}, "review": {}}', '"x"'])
def test_corrupted_progress_is_a_fresh_start(page, base_url, stored):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + PREFIX + "progress/")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [stored_key("cml-progress"), stored])
    page.reload()
    expect(page.locator(".learner-summary")).to_have_text("You have not answered any question in this browser yet.")
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".learner-summary")).to_have_text("0 questions to review now, 0 later.")
    assert errors == []


def test_a_missed_question_is_due_the_next_day_retried_from_its_link_and_leaves_when_right(page, base_url):
    page.clock.install(time=moment(START))
    fresh_quiz(page, base_url)
    answer(page, 3, right=False)
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".learner-summary")).to_have_text("0 questions to review now, 1 later.")
    expect(page.locator(".review-later li")).to_contain_text("question 3")
    (entry,) = page.evaluate("k => JSON.parse(localStorage.getItem(k)).review", stored_key("cml-progress")).values()
    page.clock.set_system_time(moment(entry["due"] + 1000))
    page.reload()
    expect(page.locator(".learner-summary")).to_have_text("1 question to review now, 0 later.")
    expect(page.locator(".review-due li")).to_contain_text("Missed once.")
    page.locator(".review-due li a").click()
    expect(page).to_have_url(re.compile(r"\?retry=q3#q3$"))
    expect(page.locator("#q3 input:checked")).to_have_count(0)  # the retry starts afresh
    answer(page, 3, right=True)
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".learner-summary")).to_have_text("0 questions to review now, 0 later.")


def test_review_spacing_grows_with_each_miss(page, base_url):
    """Missed once: back in 1 day; missed again: 3; then 7, and 7 after that."""
    page.clock.install(time=moment(START))
    fresh_quiz(page, base_url)
    spacing = []
    for _ in range(4):
        now = page.evaluate("Date.now()")
        page.goto("about:blank")  # so the retry link below loads the page afresh
        page.goto(base_url + PREFIX + QUIZ + "?retry=q3#q3")
        answer(page, 3, right=False)
        (entry,) = page.evaluate("k => JSON.parse(localStorage.getItem(k)).review", stored_key("cml-progress")).values()
        spacing.append(round((entry["due"] - now) / DAY_MS))
        page.clock.set_system_time(moment(entry["due"] + 1000))
    assert spacing == [1, 3, 7, 7]


@pytest.mark.parametrize("path", ["progress/", "review/"])
def test_learner_pages_with_data_pass_axe_and_print_without_controls(page, base_url, path):
    fresh_quiz(page, base_url)
    answer(page, 1, right=False)
    page.goto(base_url + PREFIX + path)
    results = Axe().run(page, options=EVERY_AXE_RULE)
    assert results.violations_count == 0, results.generate_report()
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".learner-actions")).to_be_hidden()
    expect(page.locator(".learner-summary")).to_be_visible()


def test_the_progress_summary_can_be_copied_as_text(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    fresh_quiz(page, base_url)
    answer(page, 1, right=True)
    page.goto(base_url + PREFIX + "progress/")
    page.get_by_role("button", name="Copy a summary as text").click()
    expect(page.locator(".learner-status")).to_have_text("Copied.")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("My progress, ") and "You have answered 1 question, 1 of them right (100%)." in text
    context.close()


def test_without_javascript_the_pages_say_why_they_are_empty(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PREFIX + "progress/")
    expect(page.locator(".learner-needs-js")).to_be_visible()
    expect(page.locator(".learner-actions")).to_be_hidden()
    context.close()


# --- imports that cannot hurt: hostile files, full storage, merge or replace ---------------------------


def progress_with_two_answers(page, base_url):
    fresh_quiz(page, base_url)
    answer(page, 1, right=True)
    answer(page, 2, right=False)
    page.goto(base_url + PREFIX + "progress/")
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")
    return page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress"))


def one_answer(**changes) -> dict:
    entry = {
        "quiz": "mixed-exam",
        "variant": 2,
        "number": 3,
        "template": "response-level",
        "topic": "monitoring",
        "section": "chronic",
        "correct": False,
        "at": START,
        "stem": "A case.",
        "title": "Mixed exam",
        "attempts": 1,
    } | changes
    return entry


def progress_file(answers: dict, review: dict | None = None) -> str:
    return json.dumps({"version": 1, "answers": answers, "review": review or {}})


HOSTILE = {
    "quiz __proto__": progress_file({"__proto__:2:q3": one_answer(quiz="__proto__")}),
    "quiz toString": progress_file({"toString:2:q3": one_answer(quiz="toString")}),
    "topic __proto__": progress_file({"mixed-exam:2:q3": one_answer(topic="__proto__")}),
    "an answer named __proto__": '{"version": 1, "answers": {"__proto__": {"quiz": 1}}, "review": {}}',
    "due 1e999": '{"version": 1, "answers": {"mixed-exam:2:q3": '
    + json.dumps(one_answer())
    + '}, "review": {"mixed-exam:2:q3": {"due": 1e999, "misses": 1}}}',
    "variant -3": progress_file({"mixed-exam:-3:q3": one_answer(variant=-3)}),
    "variant 1e9": progress_file({"mixed-exam:1000000000:q3": one_answer(variant=1e9)}),
    "question 2.5": progress_file({"mixed-exam:2:q2.5": one_answer(number=2.5)}),
    "a NaN time": progress_file({"mixed-exam:2:q3": one_answer()}).replace(f'"at": {START}', '"at": NaN'),
    "a stem of a million characters": progress_file({"mixed-exam:2:q3": one_answer(stem="x" * 1_000_000)}),
    "a 20 MB file": progress_file({"mixed-exam:2:q3": one_answer()}) + " " * 20_000_000,
    "not JSON": "{version: 1",
    "an empty file": "",
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_progress_file_is_refused_and_changes_nothing(page, base_url, tmp_path, content):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    before = progress_with_two_answers(page, base_url)
    hostile = tmp_path / "progress.json"
    hostile.write_text(content, encoding="utf-8")
    page.get_by_label("Import progress from a file").set_input_files(str(hostile))
    expect(page.locator(".learner-status")).to_contain_text("That file was not imported")
    expect(page.locator(".learner-status")).to_contain_text("Your progress is as it was.")
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == before
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".review-later li")).to_have_count(1)
    assert errors == []


def test_hostile_entries_in_storage_leave_the_rest_of_the_progress_readable(page, base_url):
    """A quiz "__proto__" or "toString" in storage blanked Review my mistakes until "Forget"."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    progress_with_two_answers(page, base_url)
    page.evaluate(
        """k => { const d = JSON.parse(localStorage.getItem(k));
        d.answers["toString:1:q1"] = Object.assign({}, Object.values(d.answers)[0], {quiz: "toString"});
        d.review["toString:1:q1"] = {due: 0, misses: 1};
        localStorage.setItem(k, JSON.stringify(d).replace('"toString:1:q1"', '"__proto__"')); }""",
        stored_key("cml-progress"),
    )
    page.reload()
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".learner-summary")).to_have_text("0 questions to review now, 1 later.")
    assert errors == []


def test_an_import_is_merged_or_replaces_as_the_student_chooses(page, base_url, tmp_path):
    progress_with_two_answers(page, base_url)
    other = tmp_path / "other.json"
    other.write_text(progress_file({"mixed-exam:2:q3": one_answer()}), encoding="utf-8")
    expect(page.get_by_label(re.compile("Merge it with this browser's progress"))).to_be_checked()
    page.get_by_label("Import progress from a file").set_input_files(str(other))
    expect(page.locator(".learner-status")).to_have_text("Progress merged: 1 answer from the file, 3 in all.")
    expect(page.locator(".learner-summary")).to_have_text("You have answered 3 questions, 1 of them right (33%).")
    page.get_by_label(re.compile("Replace this browser's progress")).check()
    page.get_by_label("Import progress from a file").set_input_files(str(other))
    page.get_by_role("button", name="Replace it").click()  # after saying what it discards (test below)
    expect(page.locator(".learner-status")).to_contain_text("Progress replaced: 1 answer from the file")
    expect(page.locator(".learner-summary")).to_have_text("You have answered 1 question, 0 of them right (0%).")


def test_replacing_progress_asks_first_and_says_what_it_would_discard(page, base_url, tmp_path):
    """Replace discarded every answer this browser held without a question."""
    before = progress_with_two_answers(page, base_url)
    other = tmp_path / "other.json"
    other.write_text(progress_file({"mixed-exam:2:q3": one_answer()}), encoding="utf-8")
    page.get_by_label(re.compile("Replace this browser's progress")).check()
    field = page.get_by_label("Import progress from a file")
    field.set_input_files(str(other))
    yes = page.get_by_role("button", name="Replace it")
    expect(yes).to_be_focused()
    expect(yes).to_have_accessible_description(
        "This replaces the 2 answers this browser holds (1 right, 1 to review) with the file's 1 answer."
    )
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == before
    results = Axe().run(page, options=EVERY_AXE_RULE)
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Escape")
    expect(yes).to_be_hidden()
    expect(field).to_be_focused()
    expect(page.locator(".learner-status")).to_have_text("Nothing was imported. Your progress is as it was.")
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == before
    field.set_input_files(str(other))
    page.get_by_role("button", name="Keep mine").click()
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == before
    field.set_input_files(str(other))
    page.get_by_role("button", name="Replace it").click()
    expect(page.locator(".learner-status")).to_have_text(
        "Progress replaced: 1 answer from the file; what this browser held before is gone."
    )
    expect(page.locator(".learner-summary")).to_have_text("You have answered 1 question, 0 of them right (0%).")


def test_a_review_entry_for_a_version_the_site_lacks_makes_no_dead_link(page, base_url, tmp_path):
    """A file may name version 999 of a quiz with 20 versions: listed, it linked to no page."""
    page.goto(base_url + PREFIX + "review/")
    variants = int(page.locator("a.quiz-link[data-quiz='mixed-exam']").get_attribute("data-variants"))
    missing, present = f"mixed-exam:{variants + 1}:q3", f"mixed-exam:{variants}:q3"
    review = {missing: {"due": 0, "misses": 1}, present: {"due": 0, "misses": 1}}
    answers = {missing: one_answer(variant=variants + 1), present: one_answer(variant=variants)}
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [stored_key("cml-progress"), progress_file(answers, review)]
    )
    page.reload()
    expect(page.locator(".learner-summary")).to_have_text("1 question to review now, 0 later.")
    link = page.locator(".review-due li a")
    expect(link).to_have_attribute("href", re.compile(rf"/variant-{variants}/\?retry=q3#q3$"))


def test_an_import_the_browser_cannot_store_says_so_and_keeps_what_was_there(page, base_url, tmp_path):
    """A 20 MB import reported "Progress imported: 45000 answers" and saved nothing."""
    before = progress_with_two_answers(page, base_url)
    page.evaluate(
        """k => { const set = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (key === k && value.length > 2000) throw new DOMException("full", "QuotaExceededError");
          return set.call(this, key, value); }; }""",
        stored_key("cml-progress"),
    )
    many = {f"mixed-exam:2:q{n}": one_answer(number=n) for n in range(1, 60)}
    big = tmp_path / "big.json"
    big.write_text(progress_file(many), encoding="utf-8")
    page.get_by_label("Import progress from a file").set_input_files(str(big))
    expect(page.locator(".learner-status")).to_have_text(
        "This browser could not store the imported progress (its storage may be full or blocked). "
        "Your progress is as it was."
    )
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == before


# --- one site's storage, not another's ------------------------------------------------------------------


def test_progress_is_stored_under_the_sites_own_path_and_forget_leaves_other_sites(page, base_url):
    progress_with_two_answers(page, base_url)
    keys = page.evaluate("Object.keys(localStorage)")
    assert stored_key("cml-progress") in keys
    assert "cml-progress" not in keys
    page.evaluate("localStorage.setItem('/another-course/cml-progress', '{\"theirs\": true}')")
    page.get_by_role("button", name="Forget my progress").click()
    page.get_by_role("button", name="Forget it all").click()
    assert page.evaluate("localStorage.getItem('/another-course/cml-progress')") == '{"theirs": true}'
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) is None


def test_progress_stored_before_the_scoping_moves_into_the_site_once(page, base_url):
    stored = progress_with_two_answers(page, base_url)
    page.evaluate(
        "([k, v, flag]) => { localStorage.clear(); localStorage.setItem('cml-progress', v); }",
        [stored_key("cml-progress"), stored, stored_key("storage-scoped")],
    )
    page.reload()
    expect(page.locator(".learner-summary")).to_have_text("You have answered 2 questions, 1 of them right (50%).")
    assert page.evaluate("localStorage.getItem('cml-progress')") is None
    assert page.evaluate("k => localStorage.getItem(k)", stored_key("cml-progress")) == stored


def test_every_built_stem_fits_what_progress_keeps_of_it():
    """progress.js keeps a stem up to MAX_STEM characters: a longer one would be cut mid-word
    on Review my mistakes again."""
    script = (ROOT / "overrides" / "assets" / "progress.js").read_text(encoding="utf-8")
    kept = int(re.search(r"var MAX_STEM = (\d+);", script)[1])
    stem = re.compile(r'<div class="question-body">\s*<p>(.*?)</p>', re.S)
    longest = max(
        len(html.unescape(re.sub(r"<[^>]+>", "", found)))
        for path in (SITE / "quizzes").rglob("index.html")
        for found in stem.findall(path.read_text(encoding="utf-8"))
    )
    assert 0 < longest <= kept, (longest, kept)


def test_a_review_item_shows_its_whole_case(page, base_url):
    """Review items were cut mid-word at 140 characters, losing the case's values."""
    fresh_quiz(page, base_url)
    stem = page.locator("#q1 .question-body p").first.inner_text().strip()
    answer(page, 1, right=False)
    page.goto(base_url + PREFIX + "review/")
    expect(page.locator(".review-later li").first).to_contain_text(stem)


# --- the import fuzzed: drawn files, each valid or hostile anywhere -------------------------------

# Values a hostile or broken file may hold in place of any field: prototype names, numbers out
# of range or not finite ("1e999" parses as Infinity), wrong types, huge text, deep nesting.
HUGE = "__huge_number__"
HOSTILE_VALUES = st.sampled_from(
    [
        "__proto__",
        "toString",
        "constructor",
        "hasOwnProperty",
        "",
        -3,
        0,
        2.5,
        1e9,
        -1e300,
        HUGE,
        None,
        True,
        [],
        {},
        {"__proto__": {"answered": 1}},
        "x" * 5000,
        [[[[[[[[[[[]]]]]]]]]]],
    ]
)
QUIZ_IDS = st.sampled_from(["mixed-exam", "phases-and-monitoring", "no-such-quiz"])


@st.composite
def progress_files(draw) -> str:
    """A progress file's text: a few answers with their review entries, each field the one
    record() writes or (now and then) a hostile value, and now and then a hostile key."""

    hostile = draw(st.booleans())  # else a file as the site writes it, to be merged

    def maybe(valid):
        return draw(st.one_of(*[st.just(valid)] * 8, HOSTILE_VALUES)) if hostile else valid

    answers, review = {}, {}
    for _ in range(draw(st.integers(0, 4))):
        quiz, variant, number = draw(QUIZ_IDS), draw(st.integers(1, 25)), draw(st.integers(1, 25))
        valid = one_answer(quiz=quiz, variant=variant, number=number, correct=draw(st.booleans()))
        entry = {name: maybe(value) for name, value in valid.items()}
        key = draw(st.one_of(st.just(f"{quiz}:{variant}:q{number}"), st.sampled_from(["__proto__", "toString"])))
        key = key if hostile else f"{quiz}:{variant}:q{number}"
        answers[key] = entry
        if draw(st.booleans()):
            review[key] = {"due": maybe(START), "misses": maybe(draw(st.integers(1, 3)))}
    whole = {"version": maybe(1), "answers": maybe(answers), "review": maybe(review)}
    text = json.dumps(whole)
    return text.replace(f'"{HUGE}"', "1e999")


def test_the_import_fuzzed_with_hostile_files_never_loses_or_corrupts_progress(browser, base_url, tmp_path):
    """Drawn files imported one after another: each is either refused, leaving storage byte for
    byte as it was, or merged into progress that every later load reads whole, keeping what was
    there; no script error, no property added to every object, and in the end no review link
    to a version the site lacks."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    progress_with_two_answers(page, base_url)
    status = page.locator(".learner-status")
    drawn = tmp_path / "progress.json"
    key = stored_key("cml-progress")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(content=progress_files())
    def import_one(content):
        before = page.evaluate("k => localStorage.getItem(k)", key)
        page.evaluate("document.querySelector('.learner-status').textContent = ''")
        drawn.write_text(content, encoding="utf-8")
        page.get_by_label("Import progress from a file").set_input_files(str(drawn))
        expect(status).not_to_have_text("")
        stored = page.evaluate("k => localStorage.getItem(k)", key)
        said = status.inner_text()
        if said.startswith("That file was not imported"):
            assert said.endswith("Your progress is as it was."), said
            assert stored == before
        else:
            assert said.startswith("Progress merged:"), said
            checked = page.evaluate("s => window.cmlProgress.validate(JSON.parse(s), true)", stored)
            assert "error" not in checked, (content, checked)
            assert set(json.loads(before)["answers"]) <= set(json.loads(stored)["answers"])
        assert page.evaluate("[({}).answered, ({}).correct, typeof ({}).toString]") == [None, None, "function"]
        assert errors == [], errors

    import_one()
    page.goto(base_url + PREFIX + "review/")
    pairs = "links => links.map(a => [a.dataset.quiz, Number(a.dataset.variants)])"
    variants = dict(page.locator("a.quiz-link").evaluate_all(pairs))
    for href in page.locator(".review-due a, .review-later a").evaluate_all("links => links.map(a => a.href)"):
        version = re.search(r"quizzes/([a-z-]+)/(?:variant-(\d+)/)?\?retry", href)
        assert version and int(version[2] or 1) <= variants[version[1]], href
    assert errors == []
    context.close()
