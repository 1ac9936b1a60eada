"""Moodle XML: multichoice questions, one answer each, fractions 100 for the key and 0 otherwise."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.exports.text import (
    case_label,
    category_path,
    general_feedback,
    option_feedback,
    paragraph,
    question_id,
    stem_html,
    xml_bytes,
)
from generator.quiz.blueprint import Quiz


def _text(parent: ET.Element, tag: str, value: str, html: bool = False) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = value
    return element


def export(quizzes: list[Quiz]) -> bytes:
    """Each version goes into its own question-bank category."""
    root = ET.Element("quiz")
    for quiz in quizzes:
        _add(root, quiz)
    return xml_bytes(root)


def _category(root: ET.Element, path: str) -> None:
    """Questions after this element go into the category at path."""
    _text(ET.SubElement(root, "question", {"type": "category"}), "category", path)


def _add(root: ET.Element, quiz: Quiz) -> None:
    _category(root, category_path(quiz))
    for number, question in enumerate(quiz.questions, start=1):
        step = question.step
        if step is not None and step.number == 1:  # an unfolding case: its steps, in order, in one category
            _category(root, f"{category_path(quiz)}/{case_label(step)}")
        item = ET.SubElement(root, "question", {"type": "multichoice"})
        where = f", {case_label(step).lower()}, step {step.number}" if step else ""
        _text(item, "name", f"Q{number} {question.template} (version {quiz.variant}{where})")
        ET.SubElement(item, "idnumber").text = question_id(quiz, number)  # how a re-import finds it
        _text(item, "questiontext", stem_html(question), html=True)
        _text(item, "generalfeedback", paragraph(general_feedback(question)), html=True)
        for tag, value in (
            ("defaultgrade", "1"),
            ("penalty", "0"),
            ("hidden", "0"),
            ("single", "true"),
            ("shuffleanswers", "false"),
            ("answernumbering", "ABCD"),
        ):
            ET.SubElement(item, tag).text = value
        for index, option in enumerate(question.options):
            fraction = "100" if index == question.key else "0"
            answer = ET.SubElement(item, "answer", {"fraction": fraction, "format": "html"})
            ET.SubElement(answer, "text").text = paragraph(option.text)
            _text(answer, "feedback", paragraph(option_feedback(question, index)), html=True)
        if step is not None and step.number == step.of:
            _category(root, category_path(quiz))
