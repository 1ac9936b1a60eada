"""A case template is declared in one place and fails loudly: a missing `expected` or topic is
an error when the templates are imported, and `check` names a template's missing words, words
that belong to no template, a section that does not exist and a template no quiz uses."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.quiz import registry
from generator.quiz.templates import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "generator/quiz/templates/resistance.py").read_text(encoding="utf-8").splitlines()
# The line of the decorator that declares "ponatinib-dose" (its first line, where the id may follow on the next).
PONATINIB_AT = "generator/quiz/templates/resistance.py:" + str(
    next(
        number
        for number, line in enumerate(SOURCE, 1)
        if line.startswith("@template(")
        and ('"ponatinib-dose",' in line or SOURCE[number].strip() == '"ponatinib-dose",')
    )
)
WHO = {"examines": "a test's own template", "learners": ("student",)}


@pytest.fixture
def empty_registry(monkeypatch) -> dict:
    """A registry of its own, so a test's templates never join the real ones."""
    fresh: dict = {}
    monkeypatch.setattr(registry, "TEMPLATES", fresh)
    return fresh


def a_make(rng, ctx, difficulty):
    raise AssertionError("never drawn")


def test_a_template_without_expected_fails_when_the_templates_are_collected(empty_registry):
    registry.template("forgotten", "A template with no key", "monitoring", "chronic", **WHO)(a_make)
    with pytest.raises(registry.RegistryError) as error:
        registry.complete()
    assert re.fullmatch(
        r"tests/test_registry\.py:\d+ template 'forgotten' has no expected\(case, ctx\): add "
        r"`@a_make\.expected` below it, or pass expected= to @template",
        str(error.value),
    )


def test_expected_may_be_passed_to_the_decorator_or_attached_below(empty_registry):
    registry.template("given", "Key given", "monitoring", "chronic", expected=lambda case, ctx: "x", **WHO)(a_make)

    def b_make(rng, ctx, difficulty):
        raise AssertionError("never drawn")

    registry.template("attached", "Key attached", "monitoring", "chronic", **WHO)(b_make)
    b_make.expected(lambda case, ctx: "y")
    registry.complete()
    assert set(empty_registry) == {"given", "attached"}
    assert all(t.expected is not None for t in empty_registry.values())


def test_a_misspelled_topic_fails_at_import_with_a_suggestion(empty_registry):
    with pytest.raises(
        registry.RegistryError, match=r"template 'x': unknown topic 'monitorng'; did you mean 'monitoring'\?"
    ):
        registry.template("x", "X", "monitorng", "chronic", **WHO)(a_make)
    assert empty_registry == {}


def test_a_template_id_declared_twice_is_refused(empty_registry):
    registry.template("twice", "Twice", "monitoring", "chronic", expected=lambda case, ctx: "x", **WHO)(a_make)
    with pytest.raises(registry.RegistryError, match=r"template 'twice' is declared twice \(first at tests/"):
        registry.template("twice", "Twice", "monitoring", "chronic", expected=lambda case, ctx: "x", **WHO)(a_make)


def errors_and_notes(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    return code, [x for x in lines if x.startswith("error: ")], [x for x in lines if x.startswith("note: ")]


def test_check_names_words_for_no_template_and_a_template_without_words(scratch, capsys):
    scratch.edit("quiz_text.yml", "\n  ponatinib-dose:\n", "\n  ponatinib-dosed:\n")
    line = scratch.line_of("quiz_text.yml", "  ponatinib-dosed:")
    code, errors, _ = errors_and_notes(capsys, "--content", str(scratch.root), "check")
    assert code == 1
    assert errors == [
        f"error: content/quiz_text.yml:{line} templates.ponatinib-dosed: words for no case template: "
        "unknown template 'ponatinib-dosed'; did you mean 'ponatinib-dose'?",
        f"error: {PONATINIB_AT}: template 'ponatinib-dose' has no words: add a block 'ponatinib-dose:' "
        "under templates in "
        "content/quiz_text.yml",
    ]


def test_check_names_a_text_a_template_asks_for_and_its_block_lacks(scratch, capsys):
    scratch.edit(
        "quiz_text.yml",
        '      lead_in: "Which is the deepest molecular',
        '      lead_ins: "Which is the deepest molecular',
    )
    line = scratch.line_of("quiz_text.yml", "  response-level:") + 1  # its texts:
    code, errors, _ = errors_and_notes(capsys, "--content", str(scratch.root), "check")
    assert code == 1 and len(errors) == 1, errors
    assert re.fullmatch(
        rf"error: content/quiz_text\.yml:{line} templates\.response-level\.texts\.lead_in: template 'response-level' "
        r"asks for this text \(generator/quiz/templates/monitoring\.py:\d+\), which its block lacks; "
        r"did you mean 'lead_ins'\?",
        errors[0],
    ), errors[0]


def test_check_names_a_section_that_does_not_exist(scratch, capsys, monkeypatch):
    monkeypatch.setitem(
        TEMPLATES, "ponatinib-dose", dataclasses.replace(TEMPLATES["ponatinib-dose"], section="relapsd")
    )
    code, errors, _ = errors_and_notes(capsys, "--content", str(scratch.root), "check")
    assert (code, errors) == (
        1,
        [
            f"error: {PONATINIB_AT}: template 'ponatinib-dose': unknown section 'relapsd'; "
            "did you mean 'relapsed'? (content/sections/)"
        ],
    )


def test_check_notes_each_template_the_sites_quizzes_do_not_use(tmp_path, capsys, monkeypatch):
    (tmp_path / "quizzes").mkdir()
    shutil.copy(ROOT / "quizzes" / "stopping-a-tki.yml", tmp_path / "quizzes")
    monkeypatch.chdir(tmp_path)
    code, errors, notes = errors_and_notes(capsys, "--content", str(ROOT / "content"), "check")
    assert (code, errors) == (0, [])
    assert f"note: {PONATINIB_AT} template 'ponatinib-dose' is used by no quiz in quizzes/" in notes
    assert not any("'tki-discontinuation'" in note for note in notes)


def test_the_shipped_quizzes_leave_no_template_unused(capsys):
    code, _, notes = errors_and_notes(capsys, "check")
    assert (code, notes) == (0, [])
