"""Read a YAML file keeping the line of every key, so errors can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, Problem

Loc = tuple[str | int, ...]


def format_key(loc: Loc) -> str:
    """('studies', 5, 'n') -> 'studies[5].n'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data of one file plus the line each key path starts on."""

    display: str
    data: Any
    lines: dict[Loc, int] = field(repr=False)

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest existing prefix of loc (a missing key points at its parent)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.display, self.line_of(loc), format_key(loc), message)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: several times faster
    """SafeLoader that keeps a decimal number as written: 66.0 stays 66.0, not 66."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return Decimal(node.value.replace("_", ""))
    except InvalidOperation:
        return loader.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load_yaml(path: Path, display: str) -> YamlDocument:
    """Parse path; malformed YAML and duplicate keys raise ContentError naming file and line."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or "could not be parsed"
        raise ContentError([Problem(display, line, _key_near(text, line), f"malformed YAML: {problem}")]) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {(): 1}
    problems: list[Problem] = []
    if node is not None:
        _index(node, (), lines, problems, display)
    if problems:
        raise ContentError(problems)
    return YamlDocument(display, data, lines)


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[Problem], display: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(display, line, format_key(loc + (key,)), f"duplicate key (first at line {seen[key]})")
                )
            seen[key] = line
            lines[loc + (key,)] = line
            _index(value_node, loc + (key,), lines, problems, display)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            _index(item, loc + (index,), lines, problems, display)


def _key_near(text: str, line: int) -> str:
    """The last mapping key at or above line: the best guess at where a syntax error sits."""
    for candidate in reversed(text.splitlines()[:line]):
        match = re.match(r"\s*-?\s*([\w.-]+)\s*:", candidate)
        if match:
            return match.group(1)
    return ""
