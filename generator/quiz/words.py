"""A case template's words from content/quiz_text.yml, and the level of evidence behind its
answer: what a template says, kept apart from how it draws a case (quiz/cases.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.content import Content
from generator.errors import ContentError
from generator.models import CaseWords
from generator.prose import ProseError, render_words
from generator.quiz.question import QuizError


@dataclass(frozen=True)
class Words:
    """One template's texts, each rendered with content's names and the case's values."""

    content: Content
    template_id: str

    @property
    def _own(self) -> CaseWords | None:
        return self.content.quiz_text.templates.get(self.template_id)

    def has(self, key: str) -> bool:
        return self._own is not None and key in self._own.texts

    def _words(self, key: str) -> str | list[str]:
        if not self.has(key):
            raise QuizError(f"content/quiz_text.yml has no text '{key}' for template '{self.template_id}'")
        return self._own.texts[key]  # type: ignore[union-attr]

    def say(self, key: str, /, **values: Any) -> str:
        """This template's text `key` from content/quiz_text.yml, its placeholders filled in."""
        text = self._words(key)
        if not isinstance(text, str):
            raise QuizError(f"content/quiz_text.yml: '{self.template_id}' text '{key}' is a list; use say_each")
        return self._render(text, (key,), values)

    def say_each(self, key: str, /, **values: Any) -> list[str]:
        """A list of alternatives (say, the stories a case may tell), each filled in."""
        texts = self._words(key)
        if isinstance(texts, str):
            return [self._render(texts, (key,), values)]
        return [self._render(text, (key, index), values) for index, text in enumerate(texts)]

    def _render(self, text: str, where: tuple[str | int, ...], values: dict[str, Any]) -> str:
        """A placeholder that names nothing is the text's fault: report it at its file and line."""
        try:
            return render_words(text, self.content, values)
        except ProseError as error:
            loc = ("templates", self.template_id, "texts", *where)
            raise ContentError([self.content.problem("quiz_text.yml", loc, str(error))]) from None


@dataclass(frozen=True)
class EvidenceLevels:
    """The level of evidence behind a template's answer, by the case's setting (quiz_text.yml)."""

    content: Content
    template_id: str

    def level(self, setting: str = "any") -> str | None:
        own = self.content.quiz_text.templates.get(self.template_id)
        return own.evidence.get(setting) if own else None
