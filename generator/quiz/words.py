"""A case template's words from content/quiz_text.yml, and the level of evidence behind its
answer: what a template says, kept apart from how it draws a case (quiz/cases.py)."""

from __future__ import annotations

import difflib
import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content import Content
from generator.errors import ContentError, Problem
from generator.models import CaseWords
from generator.prose import ProseError, render_words
from generator.quiz.question import QuizError


@dataclass(frozen=True)
class Words:
    """One template's texts, each rendered with content's names and the case's values."""

    content: Content
    template_id: str

    @functools.cached_property  # looked up once: each text asks for it three times
    def _own(self) -> CaseWords | None:
        return self.content.quiz_text.templates.get(self.template_id)

    def has(self, key: str) -> bool:
        return self._own is not None and key in self._own.texts

    def _words(self, key: str) -> str | list[str]:
        if not self.has(key):
            raise ContentError([self._missing(key)])
        return self._own.texts[key]  # type: ignore[union-attr]

    def _missing(self, key: str) -> Problem:
        """A text the template asks for and its block lacks, named where the block is and where
        the template asks, with the block's closest keys (a typo on either side)."""
        held = list(self._own.texts) if self._own is not None else []
        close = difflib.get_close_matches(key, held, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        asked = _asked_at()
        lacks = "which its block lacks" if self._own is not None else "but has no block of words"
        message = f"template '{self.template_id}' asks for this text{f' ({asked})' if asked else ''}, {lacks}"
        return self.content.problem("quiz_text.yml", ("templates", self.template_id, "texts", key), message + hint)

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


TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _asked_at() -> str:
    """Where a case template asked for a text: file:line of the innermost call in
    generator/quiz/templates/, from the project's root (empty when no template asked)."""
    frame = inspect.currentframe()
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if TEMPLATES_DIR in path.parents:
            return f"{path.relative_to(TEMPLATES_DIR.parents[2])}:{frame.f_lineno}"
        frame = frame.f_back
    return ""
