"""CSV: one row per question, with every option, the key, the feedback and the explanation."""

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
)


def export(quizzes: list[Quiz]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    rows = [(quiz, number, q) for quiz in quizzes for number, q in enumerate(quiz.questions, start=1)]
    for quiz, number, q in rows:
        blanks = [""] * (len(LETTERS) - len(q.options))
        options = [o.text for o in q.options] + blanks
        whys = [o.why for o in q.options] + blanks
        writer.writerow(
            [
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
            ]
        )
    return buffer.getvalue().encode("utf-8")
