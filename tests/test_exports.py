"""Each export read back the way an importer reads it: one keyed option per question, text and
feedback intact, special characters surviving the round trip."""

from __future__ import annotations

import csv
import io
import zlib
from pathlib import Path

import pytest

from generator.cli import main
from generator.exports import FORMATS
from generator.quiz.blueprint import Blueprint, Quiz, expand, load_blueprints
from generator.quiz.question import LearnMore, Option, Question
from generator.quiz.templates import TEMPLATES, Context

ROOT = Path(__file__).resolve().parent.parent
TRICKY = "Dose {45} mg: ~half = #1? 10% C:\\path"


@pytest.fixture(scope="module")
def quizzes(content, rules):
    """Two versions of a real quiz, plus one question full of GIFT's special characters."""
    blueprint = load_blueprints(ROOT / "quizzes")[0]
    real = [expand(blueprint, Context(content, rules), v) for v in (1, 2)]
    tricky = Question(
        "tricky",
        f"Vignette {TRICKY}.",
        "Which one?",
        (
            Option(f"A {TRICKY}", "why A {x}"),
            Option("B = b", "why ~B"),
            Option("C # c", "why #C"),
            Option("D: d", "why D:"),
        ),
        2,
        f"Explained {TRICKY}",
        LearnMore("Phases", "phases.md"),
        "C3",
    )
    return [*real, Quiz(real[0].blueprint, 3, (tricky,))]


def expected(quizzes):
    """(question stem start, option texts, key index) for every question of every version."""
    return [(q.vignette, [o.text for o in q.options], q.key, q) for quiz in quizzes for q in quiz.questions]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_exports_are_byte_for_byte_reproducible(quizzes, name):
    assert FORMATS[name].write(quizzes) == FORMATS[name].write(quizzes)


# --- the command line --------------------------------------------------------------------------


def test_export_command_writes_one_version(tmp_path, capsys):
    out = tmp_path / "quiz.csv"
    assert main(["export", "mixed-exam", "--format", "csv", "--out", str(out), "--variant", "4"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["version"] for row in rows} == {"4"} and 20 <= len(rows) <= 21  # one unfolding case of 5 or 6 steps
    assert "1 version(s)" in capsys.readouterr().out


def test_export_of_an_unknown_quiz_names_the_known_ones(tmp_path, capsys):
    assert main(["export", "mixed-exma", "--format", "gift", "--out", str(tmp_path / "x")]) == 1
    error = capsys.readouterr().err
    assert "unknown quiz 'mixed-exma'; did you mean 'mixed-exam'?" in error
    assert not (tmp_path / "x").exists()


def test_export_of_an_unknown_format_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "mixed-exam", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_export_of_a_version_that_does_not_exist(tmp_path, capsys):
    assert main(["export", "mixed-exam", "--format", "gift", "--out", str(tmp_path / "x"), "--variant", "99"]) == 1
    assert "--variant must be from 1 to 20, but received 99" in capsys.readouterr().err


def test_quiz_new_writes_a_blueprint_that_builds(tmp_path, capsys):
    folder = tmp_path / "quizzes"
    code = main(
        [
            "--quizzes",
            str(folder),
            "quiz",
            "new",
            "--title",
            "Week 3: monitoring",
            "--templates",
            "response-level,halving-time",
            "--count",
            "2",
            "--seed",
            "7",
        ]
    )
    assert code == 0
    blueprint = load_blueprints(folder)[0]
    assert (blueprint.id, blueprint.size, blueprint.seed) == ("week-3-monitoring", 4, 7)
    assert (
        main(
            [
                "--quizzes",
                str(folder),
                "quiz",
                "build",
                str(folder / "week-3-monitoring.yml"),
                "--variants",
                "2",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    key = (tmp_path / "out" / "key-2.md").read_text(encoding="utf-8")
    assert key.count("**Answer: ") == 4


def test_quiz_new_refuses_an_unknown_template(tmp_path, capsys):
    code = main(["--quizzes", str(tmp_path), "quiz", "new", "--title", "X", "--templates", "nonsense"])
    assert code == 1
    known = ", ".join(sorted(TEMPLATES))
    assert f"--templates: unknown template 'nonsense'; known: {known}" in capsys.readouterr().err


def test_quiz_new_by_topic_takes_every_template_of_it(tmp_path):
    assert main(["--quizzes", str(tmp_path), "quiz", "new", "--title", "Resistance", "--topics", "resistance"]) == 0
    blueprint = Blueprint.model_validate(__import__("yaml").safe_load((tmp_path / "resistance.yml").read_text()))
    assert {e.template for e in blueprint.questions} == {t.id for t in TEMPLATES.values() if t.topic == "resistance"}
    assert {"t315i-options", "serial-results", "ponatinib-dose"} <= {e.template for e in blueprint.questions}


def test_the_anki_deck_is_the_one_genanki_writes(quizzes, tmp_path):
    """anki.export writes genanki's database itself (no disk flush per commit, no file left in
    /tmp); the package must stay the one genanki's own write_to_file makes, byte for byte."""
    import genanki

    from generator.exports import anki
    from generator.exports.zipped import normalise_zip

    decks = []
    for quiz in quizzes:
        deck_id = zlib.crc32(f"{quiz.blueprint.id}:{quiz.variant}".encode()) | (1 << 30)
        deck = genanki.Deck(deck_id, anki.deck_name(quiz))
        for number in range(1, len(quiz.questions) + 1):
            deck.add_note(anki.note(quiz, number))
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(tmp_path / "deck.apkg"), timestamp=1_700_000_000.0)
    assert anki.export(quizzes, epoch=1_700_000_000) == normalise_zip((tmp_path / "deck.apkg").read_bytes())
