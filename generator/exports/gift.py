"""Moodle GIFT: one question per paragraph, "=" the key, "~" a distractor, "#" feedback.

Every text is marked [html] and HTML-escaped, so Moodle shows a "<script>" in a quiz as text."""

from __future__ import annotations

from html import escape as html_escape

from generator.exports.text import category_path, general_feedback, option_feedback, stem, title
from generator.quiz.blueprint import Quiz
from generator.sanitise import clean

SPECIAL = "\\~=#{}:"
_BACKSLASHED = str.maketrans({c: f"\\{c}" for c in SPECIAL})


def escape(text: str) -> str:
    """Backslash GIFT's special characters and fold line breaks, which would end a question."""
    return " ".join(text.translate(_BACKSLASHED).split())


def html(text: str) -> str:
    """Text as inert HTML (escaped, then through the allow-list of sanitise.py), then escaped for GIFT."""
    return escape(clean(html_escape(text, quote=False)))


def export(quizzes: list[Quiz]) -> bytes:
    """Each version goes into its own question-bank category."""
    lines: list[str] = []
    for quiz in quizzes:
        # A $CATEGORY line is read as it stands (no GIFT escapes); title() holds no markup.
        lines += [f"// {escape(title(quiz))}", f"$CATEGORY: {category_path(quiz)}", ""]
        lines += _questions(quiz)
    return "\n".join(lines).encode("utf-8")


def _questions(quiz: Quiz) -> list[str]:
    lines = []
    for number, question in enumerate(quiz.questions, start=1):
        lines.append(f"::Q{number} {escape(question.template)}::[html]{html(stem(question))} {{")
        for index, option in enumerate(question.options):
            mark = "=" if index == question.key else "~"
            lines.append(f"\t{mark}{html(option.text)}#{html(option_feedback(question, index))}")
        lines.append(f"\t####{html(general_feedback(question))}")
        lines.append("}")
        lines.append("")
    return lines
