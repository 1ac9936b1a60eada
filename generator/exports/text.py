"""What every export shares: a question's stem (plain or HTML), its feedback, its general
explanation, and XML written the same way."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape

from generator.quiz.question import Question
from generator.sanitise import clean

# Serialising to text is several times faster than to bytes through ElementTree's writer.
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


def stem(question: Question) -> str:
    return f"{question.vignette} {question.lead_in}"


def paragraph(text: str) -> str:
    """Text as an HTML paragraph: escaped, then through the site's allow-list (sanitise.py)."""
    return clean(f"<p>{escape(text)}</p>")


def stem_html(question: Question) -> str:
    return clean(f"<p>{escape(question.vignette)}</p><p><strong>{escape(question.lead_in)}</strong></p>")


def xml_bytes(root: ET.Element) -> bytes:
    """An XML document, indented, with its declaration."""
    ET.indent(root)
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def general_feedback(question: Question) -> str:
    """Names the answer by its text, not its letter: an LMS may shuffle the options."""
    answer = f"Answer: {question.answer.text}. {question.answer.why}"
    evidence = f" Level of evidence: {question.evidence}." if question.evidence else ""
    return f"{answer} {question.explanation} Learn more: {question.learn_more.label}.{evidence}"


def option_feedback(question: Question, index: int) -> str:
    verdict = "Correct." if index == question.key else "Incorrect."
    return f"{verdict} {question.options[index].why}"


def plain_label(text: str) -> str:
    """Text for a place an importer may read as markup (a category, a deck's name): no tags, one line."""
    return " ".join(re.sub(r"[<>]", "", text).split())


def title(quiz) -> str:
    return plain_label(f"{quiz.blueprint.title} (version {quiz.variant})")


def category_path(quiz) -> str:
    """Moodle's question-bank category of a version ("/" nests categories; "//" is a literal slash)."""
    return f"$course$/CML/{title(quiz).replace('/', '//')}"


def case_label(step) -> str:
    """An unfolding case as exports name it: "Case 2"."""
    return f"Case {step.case.removeprefix('case-')}"


def question_id(quiz, number: int) -> str:
    """A question's stable id across exports and re-imports: quiz, version, number."""
    return f"{quiz.blueprint.id}-v{quiz.variant}-q{number}"
