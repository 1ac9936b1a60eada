"""Moodle GIFT: one question per paragraph, "=" the key, "~" a distractor, "#" feedback."""

from __future__ import annotations

from generator.exports.text import general_feedback, option_feedback, stem, title
from generator.quiz.blueprint import Quiz

SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """Backslash GIFT's special characters and fold line breaks, which would end a question."""
    out = "".join(f"\\{c}" if c in SPECIAL else c for c in text)
    return " ".join(out.split())


def export(quizzes: list[Quiz]) -> bytes:
    """Each version goes into its own question-bank category."""
    lines: list[str] = []
    for quiz in quizzes:
        lines += [f"// {escape(title(quiz))}", f"$CATEGORY: $course$/CML/{escape(title(quiz))}", ""]
        lines += _questions(quiz)
    return "\n".join(lines).encode("utf-8")


def _questions(quiz: Quiz) -> list[str]:
    lines = []
    for number, question in enumerate(quiz.questions, start=1):
        lines.append(f"::Q{number} {escape(question.template)}::{escape(stem(question))} {{")
        for index, option in enumerate(question.options):
            mark = "=" if index == question.key else "~"
            lines.append(f"\t{mark}{escape(option.text)}#{escape(option_feedback(question, index))}")
        lines.append(f"\t####{escape(general_feedback(question))}")
        lines.append("}")
        lines.append("")
    return lines
