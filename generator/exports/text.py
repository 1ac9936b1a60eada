"""The words every export shares: a question's stem, its feedback and its general explanation."""

from __future__ import annotations

from generator.quiz.question import Question


def stem(question: Question) -> str:
    return f"{question.vignette} {question.lead_in}"


def general_feedback(question: Question) -> str:
    answer = f"Answer: {question.letters[question.key]}. {question.answer.text}. {question.answer.why}"
    evidence = f" Level of evidence: {question.evidence}." if question.evidence else ""
    return f"{answer} {question.explanation} Learn more: {question.learn_more.label}.{evidence}"


def option_feedback(question: Question, index: int) -> str:
    verdict = "Correct." if index == question.key else "Incorrect."
    return f"{verdict} {question.options[index].why}"


def title(quiz) -> str:
    return f"{quiz.blueprint.title} (version {quiz.variant})"
