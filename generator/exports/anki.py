"""An Anki deck (.apkg) written with genanki: one note per question, answer and reasons on the back.

Notes keep their guid (quiz, version, number) from export to export, and take their ids and
modified time from the build's date (epoch.py): never 0, the same for one commit, later for a
later one, so Anki updates the cards a student already has when a corrected deck comes."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import tempfile
import zlib
from html import escape
from pathlib import Path

import genanki

from generator.epoch import source_date_epoch
from generator.exports.text import general_feedback, plain_label, stem_html
from generator.exports.zipped import deterministic_zip
from generator.quiz.blueprint import Quiz
from generator.sanitise import clean

MODEL_ID = 1_607_392_319  # fixed: re-imports update the same note type instead of adding one

MODEL = genanki.Model(
    MODEL_ID,
    "CML case question",
    fields=[{"name": "Question"}, {"name": "Options"}, {"name": "Answer"}, {"name": "Explanation"}],
    templates=[
        {
            "name": "Case",
            "qfmt": "{{Question}}<ol type='A'>{{Options}}</ol>",
            "afmt": "{{FrontSide}}<hr id='answer'><p><b>{{Answer}}</b></p>{{Explanation}}",
        }
    ],
)


def note(quiz: Quiz, number: int) -> genanki.Note:
    question = quiz.questions[number - 1]
    options = "".join(f"<li>{escape(o.text)}</li>" for o in question.options)
    reasons = "".join(
        f"<li>{escape(question.letters[i])}. {escape(o.why)}</li>" for i, o in enumerate(question.options)
    )
    return genanki.Note(
        model=MODEL,
        fields=[  # each an HTML fragment, through the allow-list of sanitise.py
            stem_html(question),
            clean(options),
            clean(escape(f"{question.letters[question.key]}. {question.answer.text}")),
            clean(f"<p>{escape(general_feedback(question))}</p><ul>{reasons}</ul>"),
        ],
        guid=genanki.guid_for(quiz.blueprint.id, quiz.variant, number),
        tags=["CML", quiz.blueprint.id, question.template]
        + ([f"{quiz.blueprint.id}::v{quiz.variant}::{question.step.case}"] if question.step else []),
    )


def deck_name(quiz: Quiz) -> str:
    """CML::Quiz title::Version K ("::" nests decks in Anki, so a title cannot add a level)."""
    return f"CML::{plain_label(quiz.blueprint.title).replace('::', ':')}::Version {quiz.variant}"


def export(quizzes: list[Quiz], epoch: int | None = None) -> bytes:
    """One package, one subdeck per version. Note ids count up from the epoch in milliseconds,
    as Anki's own ids do; epoch defaults to the build's date."""
    decks = []
    for quiz in quizzes:
        deck_id = zlib.crc32(f"{quiz.blueprint.id}:{quiz.variant}".encode()) | (1 << 30)
        deck = genanki.Deck(deck_id, deck_name(quiz))
        for number in range(1, len(quiz.questions) + 1):
            deck.add_note(note(quiz, number))
        decks.append(deck)
    timestamp = float(epoch or source_date_epoch())
    with tempfile.TemporaryDirectory() as folder:
        # genanki's Package.write_to_file, less its two costs: a disk flush for each of its
        # commits (most of the build's waiting) and a database file it leaves behind in /tmp.
        path = Path(folder) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA journal_mode = MEMORY")
            genanki.Package(decks).write_to_db(db.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            db.commit()
        return deterministic_zip({"collection.anki2": path.read_bytes(), "media": b"{}"})
