"""The generator's exceptions. The library raises them; the CLI turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass


def printable(text: str) -> str:
    """Text as one line that draws only itself: a line break, a terminal escape or any other
    control character in a value is shown as its escape ('\\n', '\\x1b'), so no input can
    forge a message line of its own or move the cursor."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located by file, line and key."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{printable(self.file)}:{self.line}"
        key, message = printable(self.key), printable(self.message)
        return f"{where} {key}: {message}" if key else f"{where}: {message}"


class GeneratorError(Exception):
    """Base class of every error the generator reports to its user."""


class ContentError(GeneratorError):
    """Input files did not validate; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(GeneratorError):
    """The site builder failed; the previous site was left in place."""
