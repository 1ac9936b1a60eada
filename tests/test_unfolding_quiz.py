"""Unfolding cases wherever the bank goes: blueprints that ask for them, the quiz page (read
whole without JavaScript, steps marked for assets/cases.js), the answer key, and every export
read back by its application's reader (test_export_readers.py's readers)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from test_export_readers import QTI, read_anki

from generator.errors import ContentError
from generator.exports import anki, csv_table, moodle, qti
from generator.pages import render_site
from generator.quiz.blueprint import Blueprint, expand, load_blueprints
from generator.quiz.templates import Context

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ctx(content, rules):
    return Context(content, rules)


@pytest.fixture(scope="module")
def unfolding(ctx):
    blueprint = next(b for b in load_blueprints(ROOT / "quizzes") if b.id == "unfolding-cases")
    return blueprint, [expand(blueprint, ctx, v) for v in (1, 2)]


def cases_of(quiz):
    grouped: dict[str, list] = {}
    for q in quiz.questions:
        grouped.setdefault(q.step.case, []).append(q)
    return grouped


def test_the_unfolding_quiz_asks_three_courses_of_four_to_six_steps_in_every_version(ctx):
    blueprint = next(b for b in load_blueprints(ROOT / "quizzes") if b.id == "unfolding-cases")
    assert blueprint.variants == 20
    for variant in range(1, blueprint.variants + 1):
        cases = cases_of(expand(blueprint, ctx, variant))
        assert list(cases) == ["case-1", "case-2", "case-3"]
        for steps in cases.values():
            assert 4 <= len(steps) <= 6
            assert [q.step.number for q in steps] == list(range(1, len(steps) + 1))
            assert steps[0].template == "course-first-line"


def test_every_course_of_every_version_asks_as_many_steps(ctx, content):
    """R8 point 8: a course's length told its branch ("of 6": it fails; "Step 4 of 5" on the
    stopping question: a step follows, so stop). Every course now asks as many steps, in the
    page's sections and answer sheet, the answer key, the print view and the exports alike;
    and the branches of a version are drawn each on its own, so two courses do not tell the third."""
    blueprint = next(b for b in load_blueprints(ROOT / "quizzes") if b.id == "unfolding-cases")
    lengths = set()
    for variant in range(1, blueprint.variants + 1):
        lengths |= {len(steps) for steps in cases_of(expand(blueprint, ctx, variant)).values()}
    assert len(lengths) == 1
    assert blueprint.size_text == str(3 * lengths.pop())
    files = render_site(content, [blueprint.model_copy(update={"variants": 2})])
    for path, text in files.items():
        if "unfolding-cases" in path and isinstance(text, str):
            totals = set(re.findall(r"step \d+ of (\d+)", text)) | set(re.findall(r'data-steps="(\d+)"', text))
            assert len(totals) <= 1, (path, totals)


def test_a_subset_of_steps_asks_as_many_in_every_course(ctx):
    """A blueprint naming steps some branches do not reach still asks as many of every course."""
    blueprint = Blueprint.model_validate(
        {
            "id": "x",
            "title": "X",
            "audience": "A",
            "description": "D",
            "seed": 5,
            "variants": 4,
            "questions": [{"case": "unfolding", "steps": ["emr", "halving", "stopping"], "count": 3}],
        }
    )
    for variant in range(1, 5):
        assert {len(steps) for steps in cases_of(expand(blueprint, ctx, variant)).values()} == {3}
    assert blueprint.size_text == "9"


def test_the_mixed_exam_takes_one_course(ctx):
    blueprint = next(b for b in load_blueprints(ROOT / "quizzes") if b.id == "mixed-exam")
    quiz = expand(blueprint, ctx, 1)
    assert len(cases_of_steps := [q for q in quiz.questions if q.step]) >= 4
    assert {q.step.case for q in cases_of_steps} == {"case-1"}
    assert blueprint.size_text == str(len(cases_of_steps) + len([q for q in quiz.questions if not q.step]))


def test_a_blueprint_can_ask_only_some_steps_and_the_others_still_tell_their_part(ctx):
    blueprint = Blueprint.model_validate(
        {
            "id": "x",
            "title": "X",
            "audience": "A",
            "description": "D",
            "seed": 3,
            "variants": 1,
            "questions": [{"case": "unfolding", "steps": ["emr", "stopping"], "count": 2}],
        }
    )
    quiz = expand(blueprint, ctx, 1)
    for steps in cases_of(quiz).values():
        assert [q.template for q in steps] == ["course-emr", "course-stopping"]
        assert steps[0].step.news.startswith(re.match(r"^(An? \d+-year-old)", steps[0].vignette).group(1))
        assert steps[0].step.news == steps[0].vignette, "the first step asked tells the diagnosis too"
        assert steps[1].vignette.endswith(steps[1].step.news)


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            {"template": "serial-results", "case": "unfolding"},
            "expected either a template or a case, but received both",
        ),
        ({"count": 2}, "expected either a template or a case, but received both or neither"),
        ({"case": "unfolding", "steps": ["emr", "scan"]}, "unknown step 'scan'; known: first-line, halving, emr,"),
    ],
)
def test_a_bad_case_entry_is_one_clear_line(tmp_path, entry, message):
    import yaml

    folder = tmp_path / "quizzes"
    folder.mkdir()
    document = {"id": "bad", "title": "B", "audience": "A", "description": "D", "seed": 1, "questions": [entry]}
    (folder / "bad.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_blueprints(folder)
    assert "quizzes/bad.yml:" in str(error.value) and message in str(error.value)


def test_the_page_reads_as_the_whole_case_without_javascript(content, unfolding):
    blueprint, _ = unfolding
    page = render_site(content, [blueprint.model_copy(update={"variants": 1})])["docs/quizzes/unfolding-cases/index.md"]
    sections = re.findall(r'<section class="question case-step"[^>]*data-case="(case-\d)" data-step="(\d)"', page)
    assert [case for case, _ in sections][:1] == ["case-1"] and len(sections) >= 12
    assert "hidden" not in re.findall(r"<section [^>]*>", page)[0], "no step is hidden in the HTML itself"
    assert page.count('class="case-intro"') == 3
    assert page.count("Lock answer") == len(sections) - 3, "every step but a case's last can lock and go on"
    assert all(" hidden>Lock answer" in m for m in re.findall(r'class="md-button next-step"[^>]*>Lock answer', page))
    assert page.count('??? answer "Answer and explanation') == len(sections), "each answer in a collapsible block"
    assert len(re.findall(r'<li class="sheet-step sheet-case-start" data-case="case-\d">', page)) == 3
    # My progress counts each step under its own topic, as any question
    assert 'data-template="course-emr" data-topic="monitoring"' in page
    assert 'data-template="course-first-line" data-topic="first-line"' in page


def test_a_step_shows_only_what_it_adds_and_the_key_page_keeps_the_steps_together(content, unfolding):
    blueprint, (quiz, _) = unfolding
    files = render_site(content, [blueprint.model_copy(update={"variants": 1})])
    page = files["docs/quizzes/unfolding-cases/index.md"]
    second = quiz.questions[1]
    assert second.step.number == 2
    assert second.step.news in page and second.vignette not in page, "the story is told once, step by step"
    key = next(text for path, text in files.items() if "unfolding-cases" in path and "key" in path)
    assert "## Question 2: case 1, step 2 of" in key
    assert re.search(r"\| 2 \(case 1, step 2\) \| [A-E]\. ", key)


def test_csv_gives_each_step_its_case_and_number(unfolding):
    _, quizzes = unfolding
    rows = list(csv.DictReader(io.StringIO(csv_table.export(quizzes).decode("utf-8-sig"))))
    first = [r for r in rows if r["version"] == "1"]
    assert [(r["case"], r["step"]) for r in first[:2]] == [("case-1", "1"), ("case-1", "2")]
    assert all(r["case"] and r["step"] for r in rows)


def test_moodle_puts_a_case_in_order_in_a_category_of_its_own_each_stem_carrying_the_story(unfolding):
    _, quizzes = unfolding
    root = ET.fromstring(moodle.export(quizzes[:1]))
    current, seen = None, {}
    for element in root.findall("question"):
        if element.get("type") == "category":
            current = element.findtext("category/text")
            continue
        seen.setdefault(current, []).append(element)
    case_categories = [c for c in seen if c.endswith(("/Case 1", "/Case 2", "/Case 3"))]
    assert len(case_categories) == 3
    quiz = quizzes[0]
    for category in case_categories:
        steps = [q for q in quiz.questions if q.step.case == f"case-{category[-1]}"]
        texts = [e.findtext("questiontext/text") for e in seen[category]]
        assert len(texts) == len(steps)
        for text, step in zip(texts, steps):
            assert step.vignette.split(". ")[0] in text, "each stem carries the course so far"


def test_qti_holds_each_case_as_one_group_in_order(unfolding):
    _, quizzes = unfolding
    archive = zipfile.ZipFile(io.BytesIO(qti.export(quizzes[:1])))
    name = next(n for n in archive.namelist() if n.endswith("_v1.xml"))
    root = ET.fromstring(archive.read(name))
    groups = [s for s in root.iter(f"{QTI}section") if s.get("ident") != "root_section"]
    assert [g.get("title") for g in groups] == ["Case 1", "Case 2", "Case 3"]
    for group, steps in zip(groups, cases_of(quizzes[0]).values()):
        items = group.findall(f"{QTI}item")
        assert len(items) == len(steps) == int(group.findtext(f".//{QTI}selection_number"))
        assert group.find(f".//{QTI}order").get("order_type") == "Sequential"
        numbers = [int(i.get("title").split()[-1]) for i in items]
        assert numbers == sorted(numbers)


def test_anki_gives_one_card_per_step_with_the_history_on_the_front(unfolding, tmp_path):
    _, quizzes = unfolding
    read = read_anki(anki.export(quizzes[:1], epoch=1_700_000_000), tmp_path)
    quiz = quizzes[0]
    assert len(read) == len(quiz.questions)
    fronts = {r.stem for r in read}
    for q in quiz.questions:
        assert any(q.vignette.split(". ")[0] in front and q.step.news.split(". ")[0] in front for front in fronts)


def test_a_student_is_never_told_how_many_steps_a_case_has(content, unfolding):
    """R8 point 8: "Step 4 of 5" for the stopping question (a step follows: stop) against "Step
    5 of 5" (none follows: do not stop), and "of 6" for the failing courses, cued the branch.
    The page names the step, never the total; the answer key, for the educator, keeps it."""
    blueprint, (quiz, _) = unfolding
    files = render_site(content, [blueprint.model_copy(update={"variants": 1})])
    page = files["docs/quizzes/unfolding-cases/index.md"]
    assert not re.search(r"step \d+ of \d+", page, re.IGNORECASE)
    assert not re.search(r"through questions \d+ to \d+", page)
    assert "## Question 2: case 1, step 2 {" in page
    assert '" of "' not in (ROOT / "overrides/assets/cases.js").read_text(encoding="utf-8")
    assert not re.search(r"step \d+ of \d+", moodle.export([quiz]).decode(), re.IGNORECASE)


def test_whole_courses_print_for_an_expert_read_with_their_case_values():
    """scripts/print_courses.py made the courses the experts read (R8, S6); it broke when the
    course lost a field. It prints every step, its key, reasons and case values."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/print_courses.py"), "--count", "3", "--spread"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.count("\nCase ") == 3 and done.stdout.count("Key: ") == 15
    assert done.stdout.count("Case values (the key computed from them)") == 15
