"""Quiz exports an LMS or flashcard app imports: one module per format, each a pure
function from a Quiz to bytes, reproducible byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.exports import anki, csv_table, gift, moodle, qti
from generator.quiz.blueprint import Quiz


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    write: Callable[[list[Quiz]], bytes]  # the versions to include, in order


FORMATS: dict[str, Format] = {
    "gift": Format("gift", "Moodle GIFT", "gift.txt", gift.export),
    "moodle": Format("moodle", "Moodle XML", "moodle.xml", moodle.export),
    "qti": Format("qti", "QTI 1.2 package for Canvas", "qti.zip", qti.export),
    "anki": Format("anki", "Anki deck", "apkg", anki.export),
    "csv": Format("csv", "CSV spreadsheet", "csv", csv_table.export),
}


def filename(quiz_id: str, fmt: Format) -> str:
    """The site's download of every version of a quiz: cml-mixed-exam-all-versions.csv."""
    return f"cml-{quiz_id}-all-versions.{fmt.extension}"
