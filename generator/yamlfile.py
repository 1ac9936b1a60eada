"""Read a YAML file keeping the line of every key, so errors can point at it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, Problem, printable

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


# Aliases may share data, but never multiply it without bound ("billion laughs"): content/
# expands to a few thousand values, so a file whose aliases expand to more is refused.
MAX_EXPANDED_VALUES = 200_000
# Bounds on what a file may be before it is parsed: content/'s largest file is about 50 KB and
# nests 8 deep. Deeper nesting would exhaust the stack of the parser or of the builder.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40


def load_yaml(path: Path, display: str) -> YamlDocument:
    """Parse path; bad bytes, malformed YAML, alias bombs and duplicate keys raise ContentError
    naming file and line."""
    text = _read_text(path, display)
    _refuse_deep_nesting(text, display)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_alias_bomb(node, display)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(error, text, display)]) from None
    except RecursionError:
        raise ContentError([Problem(display, 1, "", "nested too deeply to read")]) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {(): 1}
    problems: list[Problem] = []
    if node is not None:
        _index(node, (), lines, problems, display)
    if problems:
        raise ContentError(problems)
    return YamlDocument(display, data, lines)


def _refuse_deep_nesting(text: str, display: str) -> None:
    """Walk the parser's events (a loop, no recursion) and refuse a file nested too deeply."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1
                    message = f"nested more than {MAX_DEPTH} levels deep; content is never nested so deeply"
                    raise ContentError([Problem(display, line, "", message)])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError:
        return  # the parse that follows names it, with its line
    finally:
        loader.dispose()


def _outside_link(path: Path) -> str | None:
    """Why path, a file of this repository, is really read from outside it through a symbolic
    link (the file itself, or a folder on its way such as content/sections); None if it is not."""
    repository = Path.cwd().resolve()
    target = path.resolve()
    written = Path(os.path.abspath(path))
    if target.is_relative_to(repository) or not (path.is_symlink() or written.is_relative_to(repository)):
        return None  # inside, or a folder named on the command line that is elsewhere
    if path.is_symlink():
        return f"is a symbolic link to '{printable(str(target))}', outside this repository; copy the file in instead"
    link = next(p for p in [*reversed(written.parents), written] if p.is_symlink())
    shown = os.path.relpath(link, repository)
    return (
        f"is read through '{printable(shown)}', a symbolic link to '{printable(str(link.resolve()))}', "
        "outside this repository; copy the files in instead"
    )


def _read_text(path: Path, display: str) -> str:
    outside = _outside_link(path)
    if outside:
        raise ContentError([Problem(display, 1, "", outside)])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = (
                f"is {size / 1_000_000:.1f} MB; a file of content or quizzes holds at most "
                f"{MAX_FILE_BYTES / 1_000_000:g} MB (split it, or check that it is the file you meant)"
            )
            raise ContentError([Problem(display, 1, "", message)])
        data = path.read_bytes()
    except OSError as error:
        raise ContentError([Problem(display, 1, "", f"could not be read: {error.strerror or error}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        message = f"is not UTF-8 text: byte 0x{byte} at line {line}; save the file as UTF-8"
        raise ContentError([Problem(display, line, "", message)]) from None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """Where the parser found the problem: the construct it was reading when it failed (an
    unclosed quote or bracket starts there), else the point of failure."""
    start, found = error.context_mark, error.problem_mark
    mark = start or found
    line = mark.line + 1 if mark else 1
    parts = []
    if error.context:
        parts.append(error.context + (f" (line {start.line + 1})" if start else ""))
    if error.problem:
        parts.append(error.problem + (f" (line {found.line + 1})" if found and start else ""))
    return Problem(display, line, _key_near(text, line), f"malformed YAML: {', '.join(parts) or 'could not be parsed'}")


def _refuse_alias_bomb(root: yaml.Node, display: str) -> None:
    """Count the values the document expands to, each shared node once per use (memoised, so
    this is linear in the file); refuse a recursive alias or too large an expansion."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    shared = False

    def size(node: yaml.Node) -> int:
        nonlocal shared
        key = id(node)
        if key in sizes:
            shared = True
            return sizes[key]
        if key in visiting:
            line = node.start_mark.line + 1
            raise ContentError([Problem(display, line, "", "a YAML alias refers to itself")])
        visiting.add(key)
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        visiting.discard(key)
        sizes[key] = total
        if total > MAX_EXPANDED_VALUES:
            line = node.start_mark.line + 1
            message = (
                f"YAML aliases expand to more than {MAX_EXPANDED_VALUES:,} values here; "
                "write the data out instead of repeating it through aliases"
                if shared
                else f"holds more than {MAX_EXPANDED_VALUES:,} values; content is never so large"
            )
            raise ContentError([Problem(display, line, "", message)])
        return total

    size(root)


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
