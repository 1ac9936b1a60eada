"""`quiz review`: a template's items laid out for an expert read (ITEM-REVIEW.md)."""

from __future__ import annotations

import re

from generator.cli import main
from generator.quiz.templates import TEMPLATES, Context, draw


def test_review_prints_each_item_with_its_key_marked_every_reason_and_the_case(capsys):
    assert main(["quiz", "review", "response-level", "--count", "4"]) == 0
    out = capsys.readouterr().out
    items = out.split("\n## Item ")[1:]
    assert len(items) == 4
    for item in items:
        options = re.findall(r"^([* ]) ([A-E])\. (.+)$", item, re.MULTILINE)
        assert len(options) == 5 and [m for m, _, _ in options].count("*") == 1
        assert item.count("      why: ") == 5
        key_letter = next(letter for mark, letter, _ in options if mark == "*")
        assert f"Key: {key_letter}. " in item
        assert re.search(r"^Case: \w+ = ", item, re.MULTILINE)


def test_review_draws_other_cases_with_another_seed(capsys):
    main(["quiz", "review", "phase-from-blasts", "--count", "3", "--seed", "1"])
    one = capsys.readouterr().out
    main(["quiz", "review", "phase-from-blasts", "--count", "3", "--seed", "2"])
    assert capsys.readouterr().out != one


def test_review_shows_what_the_registry_draws(content, rules, capsys):
    """The items are the template's own, not a copy: the same keys as draw() gives."""
    main(["quiz", "review", "halving-time", "--count", "2", "--seed", "5"])
    out = capsys.readouterr().out
    for question in draw(TEMPLATES["halving-time"], Context(content, rules), 2, "review:5"):
        assert f"* {question.letters[question.key]}. {question.answer.text}" in out


def test_an_unknown_template_is_one_line_and_exit_1(capsys):
    assert main(["quiz", "review", "no-such-template"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: unknown template 'no-such-template'; known: ")


def test_an_unknown_template_is_quoted_on_one_line_and_a_typo_gets_its_likely_name(capsys):
    """The name was echoed bare: a line break in it could forge a message line of its own."""
    assert main(["quiz", "review", "halving-tme\nerror: forged"]) == 1
    assert main(["quiz", "review", "halving-tme"]) == 1
    forged, typo = capsys.readouterr().err.splitlines()
    assert forged.startswith("error: unknown template 'halving-tme\\nerror: forged'; known: advanced-plan, ")
    assert typo == "error: unknown template 'halving-tme'; did you mean 'halving-time'?"


def test_every_template_says_what_it_examines_and_whom_it_suits():
    """Declared with the template (registry), not in its words: a phrase and one or more levels."""
    from generator.quiz.registry import LEARNERS

    for template in TEMPLATES.values():
        assert template.examines.strip() and template.examines[0].islower(), template.id
        assert template.learners and set(template.learners) <= set(LEARNERS), template.id


def test_a_template_without_a_known_learner_level_is_refused():
    import pytest

    from generator.quiz.question import QuizError
    from generator.quiz.registry import template

    with pytest.raises(QuizError, match="learners must be one or more of student, resident, fellow"):
        template("x", "X", "phases", "general", examines="x", learners=("intern",))


def test_the_educators_page_lists_each_template_with_what_it_examines_and_its_learners(content):
    from pathlib import Path

    from generator.pages import render_site
    from generator.quiz.blueprint import load_blueprints

    blueprints = load_blueprints(Path(__file__).resolve().parent.parent / "quizzes")
    page = render_site(content, [b.model_copy(update={"variants": 1}) for b in blueprints])["docs/educators.md"]
    for template in TEMPLATES.values():
        row = next(line for line in page.splitlines() if line.startswith(f"| [{template.id}]("))
        assert row.endswith(f"| {', '.join(template.learners)} |"), row
        assert f"suits {', '.join(template.learners)}" in page


def test_difficulty_is_declared_by_the_templates_whose_items_change_with_it_and_shown_only_there(
    content, rules, capsys
):
    """bank-fix19: 'hard' and 'standard' labels on items that did not differ (S12-final-bank-A 7,
    S12-final-bank-B 6, S12-final2-bank 1). A template declares what a hard item does exactly when
    its items change with difficulty: at 40 seeds, one that declares it draws some other item when
    hard, one that does not the same item every time. `quiz review` labels items only where it
    means something, and the educators page says what hard does for each such template."""
    from pathlib import Path

    from generator.pages import render_site
    from generator.quiz.blueprint import load_blueprints

    ctx = Context(content, rules)
    for template in TEMPLATES.values():
        differ = 0
        for seed in range(40):
            import random

            one = template.make(random.Random(seed), ctx, "standard")
            other = template.make(random.Random(seed), ctx, "hard")
            differ += (one.vignette, one.options) != (other.vignette, other.options)
        assert (differ > 0) == template.honours_difficulty, (template.id, differ)
    honouring = {t.id for t in TEMPLATES.values() if t.honours_difficulty}
    assert {"phase-from-blasts", "response-level"} <= honouring and "halving-time" not in honouring
    for template_id, labelled in (("halving-time", False), ("response-level", True)):
        main(["quiz", "review", template_id, "--count", "2"])
        out = capsys.readouterr().out
        assert ("## Item 2 (hard)" in out) == labelled and ("## Item 1\n" in out) != labelled, out[:300]
    blueprints = load_blueprints(Path(__file__).resolve().parent.parent / "quizzes")
    page = render_site(content, [b.model_copy(update={"variants": 1}) for b in blueprints])["docs/educators.md"]
    for template in TEMPLATES.values():
        said = f"`{template.id}`: a hard question {template.hard}." if template.hard else None
        assert (said in page) if said else f"`{template.id}`: a hard question" not in page, template.id
