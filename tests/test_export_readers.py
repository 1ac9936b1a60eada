"""Every export read by the application's own reader, or by the layout its importer follows:
Anki's `anki` library, gift-pegjs (npm), Canvas's QTI package layout, Moodle XML, and Python's
csv module as a spreadsheet reads the file. Each must give back the same questions, options,
keys and feedback that the quiz holds, for every version of every shipped quiz and for one
question full of characters the formats treat specially."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from generator.exports import FORMATS, anki, csv_table
from generator.exports.text import general_feedback, option_feedback, question_id, stem
from generator.quiz.blueprint import Quiz, expand, load_blueprints
from generator.quiz.question import LearnMore, Option, Question
from generator.quiz.templates import Context

ROOT = Path(__file__).resolve().parent.parent
GIFT_READER = ROOT / "tests" / "readers" / "gift.js"
# Characters GIFT, HTML, XML or a spreadsheet treat specially, in the places they would bite.
TRICKY = "BCR::ABL1 ≥ 10% = ~half #1 {45} <script>alert(1)</script> & <img src=x onerror=alert(2)>"


def tricky_quiz(blueprint) -> Quiz:
    question = Question(
        "tricky",
        f"Vignette {TRICKY}.",
        "Which one?",
        (
            Option(f'=HYPERLINK("x") {TRICKY}', "why {A} ~ #"),
            Option("+1 B = b", "-why ~B"),
            Option("-C # c", "@why #C"),
            Option("@D: d", "why D:"),
            Option("E </p><p>", "why </li>E"),
        ),
        2,
        f"=Explained {TRICKY}",
        LearnMore("Phases", "phases.md"),
        "C3",
    )
    return Quiz(blueprint, 99, (question,))


@pytest.fixture(scope="module")
def quizzes(content, rules) -> dict[str, list[Quiz]]:
    """Every version of every shipped quiz, the first with the tricky question as a last version."""
    context = Context(content, rules)
    blueprints = load_blueprints(ROOT / "quizzes")
    every = {b.id: [expand(b, context, v) for v in range(1, b.variants + 1)] for b in blueprints}
    first = blueprints[0]
    every[first.id].append(tricky_quiz(first))
    return every


@dataclass(frozen=True)
class Read:
    """A question as a reader gives it back, in plain text."""

    stem: str
    options: list[str]
    key: str
    feedback: list[str]
    general: str


def fold(text: str) -> str:
    return " ".join(text.split())


def plain(fragment: str) -> str:
    """What an HTML fragment shows: tags dropped, entities decoded, spaces folded."""
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def expected(quiz_versions: list[Quiz]) -> list[Read]:
    return [
        Read(
            fold(stem(q)),
            [fold(o.text) for o in q.options],
            fold(q.answer.text),
            [fold(option_feedback(q, i)) for i in range(len(q.options))],
            fold(general_feedback(q)),
        )
        for quiz in quiz_versions
        for q in quiz.questions
    ]


# --- the readers ------------------------------------------------------------------------------


def read_gift(data: bytes, tmp_path: Path) -> list[Read]:
    """gift-pegjs, the GIFT grammar Moodle's format follows (installed by make from tests/readers)."""
    path = tmp_path / "quiz.gift.txt"
    path.write_bytes(data)
    result = subprocess.run(["node", str(GIFT_READER), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    read = []
    for item in json.loads(result.stdout):
        if item["type"] != "MC":
            continue
        assert item["stem"]["format"] == "html"
        choices = item["choices"]
        keyed = [c for c in choices if c["isCorrect"]]
        assert len(keyed) == 1 and all(c["weight"] is None for c in choices), item["title"]
        read.append(
            Read(
                plain(item["stem"]["text"]),
                [plain(c["text"]["text"]) for c in choices],
                plain(keyed[0]["text"]["text"]),
                [plain(c["feedback"]["text"]) for c in choices],
                plain(item["globalFeedback"]["text"]),
            )
        )
    return read


def read_moodle(data: bytes, tmp_path: Path) -> list[Read]:
    read = []
    for item in ET.fromstring(data).findall("question[@type='multichoice']"):
        answers = item.findall("answer")
        keyed = [a for a in answers if a.get("fraction") == "100"]
        assert len(keyed) == 1 and {a.get("fraction") for a in answers} == {"100", "0"}
        assert item.findtext("single") == "true"
        read.append(
            Read(
                plain(item.findtext("questiontext/text")),
                [plain(a.findtext("text")) for a in answers],
                plain(keyed[0].findtext("text")),
                [plain(a.findtext("feedback/text")) for a in answers],
                plain(item.findtext("generalfeedback/text")),
            )
        )
    return read


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"


def read_qti(data: bytes, tmp_path: Path) -> list[Read]:
    """Canvas's layout: the manifest's QTI resources, in order, each item scored by one setvar."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    read = []
    for resource in manifest.iter(f"{CP}resource"):
        if resource.get("type") != "imsqti_xmlv1p2":
            continue
        for item in ET.fromstring(archive.read(resource.find(f"{CP}file").get("href"))).iter(f"{QTI}item"):
            labels = {r.get("ident"): r.findtext(f".//{QTI}mattext") for r in item.iter(f"{QTI}response_label")}
            setvars = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
            assert len(setvars) == 1 and setvars[0].findtext(f"{QTI}setvar") == "100"
            keyed = setvars[0].findtext(f".//{QTI}varequal")
            assert keyed in labels, f"the scored choice {keyed} is not a choice"
            feedback = {f.get("ident"): f.findtext(f".//{QTI}mattext") for f in item.iter(f"{QTI}itemfeedback")}
            links = [d.get("linkrefid") for d in item.iter(f"{QTI}displayfeedback")]
            assert set(links) <= set(feedback), "a displayfeedback names no itemfeedback"
            read.append(
                Read(
                    plain(item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext")),
                    [fold(text) for text in labels.values()],  # text/plain choices
                    fold(labels[keyed]),
                    [plain(feedback[f"{label}_fb"]) for label in labels],
                    plain(feedback["general_fb"]),
                )
            )
    return read


def spreadsheet_value(cell: str) -> str:
    """What a spreadsheet shows for a cell: a leading apostrophe marks text and is not shown."""
    return cell[1:] if cell.startswith("'") else cell


def read_csv(data: bytes, tmp_path: Path) -> list[Read]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    read = []
    for raw in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        row = {name: spreadsheet_value(value) for name, value in raw.items()}
        letters = [c for c in "abcde" if row[f"option_{c}"]]
        assert row[f"option_{row['answer'].lower()}"] == row["answer_text"]
        read.append(
            Read(
                fold(row["question"]),
                [fold(row[f"option_{c}"]) for c in letters],
                fold(row["answer_text"]),
                [
                    fold(f"{'Correct.' if c == row['answer'].lower() else 'Incorrect.'} {row[f'feedback_{c}']}")
                    for c in letters
                ],
                fold(row["explanation"]),
            )
        )
    return read


def import_deck(collection: Collection, data: bytes, tmp_path: Path, name: str = "deck.apkg"):
    path = tmp_path / name
    path.write_bytes(data)
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return collection.import_anki_package(request).log


def read_anki(data: bytes, tmp_path: Path) -> list[Read]:
    """Anki's own library imports the deck and renders every card, front and back."""
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = import_deck(collection, data, tmp_path)
        assert len(log.new) > 0 and not log.duplicate
        read = []
        for note_id in sorted(collection.find_notes("")):
            note = collection.get_note(note_id)
            assert note.id > 0 and note.mod > 0
            (card,) = note.cards()
            front, back = card.question(), card.answer()
            assert note["Question"] in front and note["Options"] in front and note["Answer"] in back
            options = [plain(o) for o in re.findall(r"<li>(.*?)</li>", note["Options"])]
            key = re.sub(r"^[A-E]\. ", "", plain(note["Answer"]))
            reasons = [re.sub(r"^[A-E]\. ", "", plain(r)) for r in re.findall(r"<li>(.*?)</li>", note["Explanation"])]
            read.append(
                Read(
                    plain(note["Question"]),
                    options,
                    key,
                    [f"{'Correct.' if o == key else 'Incorrect.'} {r}" for o, r in zip(options, reasons)],
                    plain(re.sub(r"<ul>.*", "", note["Explanation"])),
                )
            )
        return read
    finally:
        collection.close()


READERS = {"gift": read_gift, "moodle": read_moodle, "qti": read_qti, "csv": read_csv, "anki": read_anki}


# --- every format, every quiz ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READERS))
def test_the_reader_gets_back_every_question_option_key_and_feedback(quizzes, name, tmp_path):
    for quiz_id, versions in quizzes.items():
        folder = tmp_path / quiz_id
        folder.mkdir()
        assert READERS[name](FORMATS[name].write(versions), folder) == expected(versions), f"{name}: {quiz_id}"


def test_the_readers_are_all_tested():
    assert set(READERS) == set(FORMATS)


# --- Anki ----------------------------------------------------------------------------------------


def test_a_corrected_anki_deck_updates_the_notes_students_have(quizzes, tmp_path):
    first = next(iter(quizzes.values()))[0]
    changed = dataclasses.replace(first.questions[0], explanation=first.questions[0].explanation + " Corrected.")
    corrected = dataclasses.replace(first, questions=(changed, *first.questions[1:]))
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        before = import_deck(collection, anki.export([first], epoch=1_800_000_000), tmp_path, "first.apkg")
        after = import_deck(collection, anki.export([corrected], epoch=1_800_000_600), tmp_path, "later.apkg")
        assert len(before.new) == len(first.questions)
        assert (len(after.new), len(after.duplicate)) == (0, 0)
        assert len(after.updated) >= 1
        assert len(collection.find_notes("")) == len(first.questions)
        assert collection.find_notes('"Explanation:*Corrected.*"')
    finally:
        collection.close()


def test_anki_notes_take_the_builds_date_not_zero(quizzes, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    from generator import epoch

    epoch.source_date_epoch.cache_clear()
    try:
        data = anki.export(next(iter(quizzes.values()))[:1])
    finally:
        epoch.source_date_epoch.cache_clear()
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_deck(collection, data, tmp_path)
        notes = [collection.get_note(n) for n in collection.find_notes("")]
        assert {n.mod for n in notes} == {1_800_000_000}
    finally:
        collection.close()


def test_a_title_cannot_add_a_deck_level_or_markup(quizzes):
    blueprint = next(iter(quizzes.values()))[0].blueprint.model_copy(update={"title": "A::B <img src=x>"})
    assert anki.deck_name(Quiz(blueprint, 2, ())) == "CML::A:B img src=x::Version 2"


# --- Canvas QTI --------------------------------------------------------------------------------------


def test_the_qti_package_has_canvas_layout_and_settings(quizzes):
    versions = next(iter(quizzes.values()))[:3]
    archive = zipfile.ZipFile(io.BytesIO(FORMATS["qti"].write(versions)))
    names = set(archive.namelist())
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    assessments = [r for r in resources.values() if r.get("type") == "imsqti_xmlv1p2"]
    assert len(assessments) == len(versions)
    for resource, quiz in zip(assessments, versions):
        ident = resource.get("identifier")
        assert resource.find(f"{CP}file").get("href") == f"{ident}/{ident}.xml" in names
        (dependency,) = resource.findall(f"{CP}dependency")
        meta_resource = resources[dependency.get("identifierref")]
        assert meta_resource.get("href") == f"{ident}/assessment_meta.xml" in names
        meta = ET.fromstring(archive.read(f"{ident}/assessment_meta.xml"))
        assert meta.tag == f"{CANVAS}quiz" and meta.get("identifier") == ident
        assert meta.findtext(f"{CANVAS}title") == f"{quiz.blueprint.title} (version {quiz.variant})"
        assert meta.findtext(f"{CANVAS}shuffle_answers") == "false"
        assert float(meta.findtext(f"{CANVAS}points_possible")) == len(quiz.questions)
        assert meta.findtext(f"{CANVAS}assignment/{CANVAS}quiz_identifierref") == ident


# --- Moodle XML --------------------------------------------------------------------------------------


def test_moodle_questions_have_a_stable_unique_idnumber(quizzes):
    versions = next(iter(quizzes.values()))

    def idnumbers() -> list[str]:
        root = ET.fromstring(FORMATS["moodle"].write(versions))
        return [q.findtext("idnumber") for q in root.findall("question[@type='multichoice']")]

    first = idnumbers()
    assert first == idnumbers()
    assert len(set(first)) == len(first)
    quiz = versions[1]
    assert question_id(quiz, 3) == f"{quiz.blueprint.id}-v2-q3" in first


def test_moodle_and_gift_categories_are_plain_text(quizzes, tmp_path):
    blueprint = next(iter(quizzes.values()))[0].blueprint.model_copy(update={"title": "<b>Week</b> 1/2"})
    quiz = Quiz(blueprint, 1, next(iter(quizzes.values()))[0].questions[:1])
    moodle = ET.fromstring(FORMATS["moodle"].write([quiz]))
    assert moodle.findtext("question[@type='category']/category/text") == "$course$/CML/bWeek//b 1//2 (version 1)"
    gift = FORMATS["gift"].write([quiz]).decode()
    assert "$CATEGORY: $course$/CML/bWeek//b 1//2 (version 1)" in gift and "<b>" not in gift


# --- GIFT ---------------------------------------------------------------------------------------------


def test_gift_carries_markup_as_text_and_names_the_answer_by_its_text(quizzes, tmp_path):
    first = next(iter(quizzes.values()))
    data = FORMATS["gift"].write([first[-1]])
    assert b"<script>" not in data and b"<img" not in data
    (read,) = read_gift(data, tmp_path)
    assert TRICKY in read.stem  # decoded back to the very text, specials and all
    assert read.general.startswith(f"Answer: {read.key}.")
    assert not re.search(r"Answer: [A-E]\.", FORMATS["gift"].write(first[:2]).decode())


# --- CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_that_a_spreadsheet_would_evaluate_are_text(text):
    assert csv_table.cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Dasatinib", "1 + 1", "≤ 0.1%", 7])
def test_csv_leaves_other_cells_as_they_are(text):
    assert csv_table.cell(text) == text


def test_csv_never_starts_a_cell_with_a_formula(quizzes):
    data = FORMATS["csv"].write([next(iter(quizzes.values()))[-1]])
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
