"""CSV: one row per question, with every option, the key, the feedback and the explanation, and
for a step of an unfolding case, the case's id and the step's number.

Written as UTF-8 with a byte-order mark, so Excel on Windows reads "≤" and "–" as such, and
with formula-like cells neutralised (OWASP's CSV injection advice): a cell that starts with
= + - @, a tab or a carriage return gets a leading apostrophe, which a spreadsheet shows as text."""

from __future__ import annotations

import csv
import io

from generator.exports.text import general_feedback, stem
from generator.quiz.blueprint import Quiz
from generator.quiz.question import LETTERS

HEADER = (
    ["quiz", "version", "number", "template", "question"]
    + [f"option_{c.lower()}" for c in LETTERS]
    + ["answer", "answer_text", "explanation"]
    + [f"feedback_{c.lower()}" for c in LETTERS]
    + ["learn_more", "level_of_evidence"]
    + ["case", "step"]  # an unfolding case's id and the step's number in it; empty otherwise
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark


def cell(value: object) -> object:
    """A value a spreadsheet will show, never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export(quizzes: list[Quiz]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    rows = [(quiz, number, q) for quiz in quizzes for number, q in enumerate(quiz.questions, start=1)]
    for quiz, number, q in rows:
        blanks = [""] * (len(LETTERS) - len(q.options))
        options = [o.text for o in q.options] + blanks
        whys = [o.why for o in q.options] + blanks
        row = [
            quiz.blueprint.id,
            quiz.variant,
            number,
            q.template,
            stem(q),
            *options,
            q.letters[q.key],
            q.answer.text,
            general_feedback(q),
            *whys,
            q.learn_more.label,
            q.evidence or "",
            q.step.case if q.step else "",
            q.step.number if q.step else "",
        ]
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue().encode(ENCODING)
