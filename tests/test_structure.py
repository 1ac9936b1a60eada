"""Structure a newcomer can see: modules import one way (no cycle, no import hidden in a
function), Content is made from content/'s file list, one walker serves every check, and a
template's context is split by job."""

from __future__ import annotations

import ast
import dataclasses
import random
from pathlib import Path

from generator.content import FILES, Content, field_of, walk
from generator.models import Bounds
from generator.quiz.cases import PatientDraws
from generator.quiz.templates import Context
from generator.quiz.words import EvidenceLevels, Words

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of generator/ -> the modules of generator/ it imports, anywhere in it
    (type-only and inside functions too)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {m for m in found if m in modules and m != name and not name.startswith(m + ".")}
    return graph


def test_no_module_of_the_generator_imports_itself_round_a_cycle():
    graph = imports()
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                cycles.append(path[path.index(target) :] + [target])
            elif len(path) < len(graph):
                visit(target, [*path, target])

    for name in ("generator.content", "generator.prose", "generator.quiz.registry"):
        visit(name, [name])
    assert cycles == []
    assert "generator.content" not in graph["generator.prose"]


def test_content_and_prose_import_nothing_inside_a_function():
    for name in ("content.py", "prose.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        hidden = [n.name for f in functions for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert hidden == [], name


def test_content_has_one_field_per_file_of_the_list():
    fields = {f.name for f in dataclasses.fields(Content)}
    assert fields == {field_of(name) for name in FILES} | {"sections", "documents"}


def test_the_walker_reaches_every_value_with_its_key_path():
    assert list(walk({"a": [Bounds(low=1, high=2)]})) == [
        ((), {"a": [Bounds(low=1, high=2)]}),
        (("a",), [Bounds(low=1, high=2)]),
        (("a", 0), Bounds(low=1, high=2)),
        (("a", 0, "low"), 1),
        (("a", 0, "high"), 2),
    ]


def test_a_templates_context_is_three_jobs_each_usable_alone(content, rules):
    ctx = Context(content, rules, "response-level")
    assert ctx.say("lead_in") == Words(content, "response-level").say("lead_in")
    assert ctx.evidence() == EvidenceLevels(content, "response-level").level()
    draws = PatientDraws(content.patients)
    assert ctx.patient(random.Random(4)) == draws.patient(random.Random(4))
    assert ctx.at_diagnosis(random.Random(4)) == draws.at_diagnosis(random.Random(4))
