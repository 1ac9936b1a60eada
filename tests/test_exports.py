"""Each export read back the way an importer reads it: one keyed option per question, text and
feedback intact, special characters surviving the round trip."""

from __future__ import annotations

import csv
import html
import io
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.exports import FORMATS
from generator.quiz.blueprint import Blueprint, Quiz, expand, load_blueprints
from generator.quiz.question import LearnMore, Option, Question
from generator.quiz.templates import Context

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


# --- GIFT --------------------------------------------------------------------------------


def gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def gift_split(body: str, marks: str) -> list[tuple[str, str]]:
    """Split on unescaped marks (the way Moodle's GIFT parser does)."""
    parts, current, i = [], "", 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if body[i] in marks:
            parts.append(current)
            current = body[i]
        else:
            current += body[i]
        i += 1
    parts.append(current)
    return [(p[0], p[1:]) for p in parts if p and p[0] in marks]


def parse_gift(text: str) -> list[dict]:
    questions = []
    for block in re.split(r"\n\s*\n", text):
        block = "\n".join(line for line in block.splitlines() if not line.startswith(("//", "$CATEGORY")))
        if not block.strip():
            continue
        match = re.match(r"::(.*?)::(.*?)(?<!\\)\{(.*)(?<!\\)\}\s*$", block, re.S)
        assert match, block
        general = ""
        body = match.group(3)
        if "####" in body:
            body, general = body.split("####", 1)
        answers = []
        for mark, rest in gift_split(body, "=~"):
            text_part, _, feedback = (
                rest.partition("#")
                if not re.search(r"(?<!\\)#", rest)
                else (re.split(r"(?<!\\)#", rest, maxsplit=1)[0], "#", re.split(r"(?<!\\)#", rest, maxsplit=1)[1])
            )
            answers.append((mark, gift_unescape(text_part.strip()), gift_unescape(feedback.strip())))
        questions.append(
            {"text": gift_unescape(match.group(2)), "answers": answers, "general": gift_unescape(general.strip())}
        )
    return questions


def test_gift_round_trip(quizzes):
    parsed = parse_gift(FORMATS["gift"].write(quizzes).decode("utf-8"))
    assert len(parsed) == len(expected(quizzes))
    for question, (vignette, options, key, source) in zip(parsed, expected(quizzes)):
        assert question["text"].startswith(vignette)
        assert [a[1] for a in question["answers"]] == options
        assert [a[0] for a in question["answers"]].count("=") == 1
        assert [a[0] for a in question["answers"]].index("=") == key
        assert question["answers"][key][2] == f"Correct. {source.answer.why}"
        assert source.explanation in question["general"]
    assert TRICKY in parsed[-1]["text"] and parsed[-1]["answers"][0][1] == f"A {TRICKY}"
    assert parsed[-1]["answers"][1][2] == "Incorrect. why ~B"


# --- Moodle XML --------------------------------------------------------------------------


def plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text)).strip()


def test_moodle_xml_round_trip(quizzes):
    root = ET.fromstring(FORMATS["moodle"].write(quizzes))
    categories = root.findall("question[@type='category']")
    assert len(categories) == len(quizzes)
    items = root.findall("question[@type='multichoice']")
    assert len(items) == len(expected(quizzes))
    for item, (vignette, options, key, source) in zip(items, expected(quizzes)):
        assert item.findtext("single") == "true"
        assert plain(item.findtext("questiontext/text")).startswith(vignette)
        answers = item.findall("answer")
        assert [plain(a.findtext("text")) for a in answers] == options
        assert [a.get("fraction") for a in answers].count("100") == 1
        assert [a.get("fraction") for a in answers].index("100") == key
        assert set(a.get("fraction") for a in answers) == {"100", "0"}
        assert plain(answers[key].findtext("feedback/text")) == f"Correct. {source.answer.why}"
    assert TRICKY in plain(items[-1].findtext("questiontext/text"))


# --- QTI 1.2 (Canvas) ------------------------------------------------------------------------

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def test_qti_package_round_trip(quizzes):
    archive = zipfile.ZipFile(io.BytesIO(FORMATS["qti"].write(quizzes)))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    hrefs = [r.get("href") for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2"]
    assert len(hrefs) == len(quizzes)
    items = []
    for href in hrefs:
        assessment = ET.fromstring(archive.read(href))
        items += list(assessment.iter(f"{QTI}item"))
    assert len(items) == len(expected(quizzes))
    for item, (vignette, options, key, source) in zip(items, expected(quizzes)):
        labels = {label.get("ident"): label.findtext(f".//{QTI}mattext") for label in item.iter(f"{QTI}response_label")}
        assert list(labels.values()) == options
        scoring = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
        assert len(scoring) == 1 and scoring[0].findtext(f"{QTI}setvar") == "100"
        keyed = scoring[0].findtext(f".//{QTI}varequal")
        assert labels[keyed] == options[key]
        feedback = {f.get("ident"): plain(f.findtext(f".//{QTI}mattext")) for f in item.iter(f"{QTI}itemfeedback")}
        assert feedback[f"{keyed}_fb"] == f"Correct. {source.answer.why}"
        assert plain(item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext")).startswith(vignette)


# --- Anki ----------------------------------------------------------------------------------


def test_anki_deck_round_trip(quizzes, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(FORMATS["anki"].write(quizzes)))
    (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = [row[0].split("\x1f") for row in db.execute("select flds from notes order by id")]
    decks = db.execute("select decks from col").fetchone()[0]
    db.close()
    assert len(notes) == len(expected(quizzes))
    for fields, (vignette, options, key, source) in zip(notes, expected(quizzes)):
        question, option_list, answer, explanation = fields
        assert plain(question).startswith(vignette)
        assert re.findall(r"<li>(.*?)</li>", option_list) == [html.escape(o) for o in options]
        assert plain(answer) == f"{source.letters[key]}. {options[key]}"
        assert source.explanation in plain(explanation)
    assert "Version 1" in decks and "Version 2" in decks


# --- CSV -------------------------------------------------------------------------------------


def test_csv_round_trip(quizzes):
    rows = list(csv.DictReader(io.StringIO(FORMATS["csv"].write(quizzes).decode("utf-8"))))
    assert len(rows) == len(expected(quizzes))
    for row, (vignette, options, key, source) in zip(rows, expected(quizzes)):
        letter = source.letters[key]
        assert row["question"].startswith(vignette)
        assert [row[f"option_{c}"] for c in "abcde"][: len(options)] == options
        assert row[f"option_{letter.lower()}"] == row["answer_text"] == options[key]
        assert row[f"feedback_{letter.lower()}"] == source.answer.why
    assert TRICKY in rows[-1]["question"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_exports_are_byte_for_byte_reproducible(quizzes, name):
    assert FORMATS[name].write(quizzes) == FORMATS[name].write(quizzes)


# --- the command line --------------------------------------------------------------------------


def test_export_command_writes_one_version(tmp_path, capsys):
    out = tmp_path / "quiz.csv"
    assert main(["export", "mixed-exam", "--format", "csv", "--out", str(out), "--variant", "4"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["version"] for row in rows} == {"4"} and len(rows) == 20
    assert "1 version(s)" in capsys.readouterr().out


def test_export_of_an_unknown_quiz_names_the_known_ones(tmp_path, capsys):
    assert main(["export", "mixed-exma", "--format", "gift", "--out", str(tmp_path / "x")]) == 1
    error = capsys.readouterr().err
    assert "unknown quiz id 'mixed-exma'" in error and "mixed-exam" in error
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
                "--to",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    key = (tmp_path / "out" / "week-3-monitoring" / "key-2.md").read_text(encoding="utf-8")
    assert key.count("**Answer: ") == 4


def test_quiz_new_refuses_an_unknown_template(tmp_path, capsys):
    code = main(["--quizzes", str(tmp_path), "quiz", "new", "--title", "X", "--templates", "nonsense"])
    assert code == 1
    assert "unknown template nonsense; known: phase-from-blasts" in capsys.readouterr().err


def test_quiz_new_by_topic_takes_every_template_of_it(tmp_path):
    assert main(["--quizzes", str(tmp_path), "quiz", "new", "--title", "Resistance", "--topics", "resistance"]) == 0
    blueprint = Blueprint.model_validate(__import__("yaml").safe_load((tmp_path / "resistance.yml").read_text()))
    assert {e.template for e in blueprint.questions} == {
        "mutation-testing",
        "t315i-options",
        "relapse",
        "ponatinib-dose",
    }
