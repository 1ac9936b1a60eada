"""Regenerate under `serve` only what an edit feeds, and give the same files as a clean run.

Each piece of output (a quiz's versions, a page, a quiz's exports) is made from a Content that
records which of its fields (one per file of content/, all of sections/ as one) were read.
After an edit, everything is loaded and validated again (a bad edit fails before anything is
written), and a piece is made again only if a field it read changed, its own data changed, or
what it is made from (a quiz's blueprint or versions, the page templates) changed; otherwise the
last result is reused. Generation is deterministic, so a piece whose inputs are equal is equal:
the files are those `generate` writes, byte for byte (tests/test_incremental.py checks it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build import load_inputs, write_tree
from generator.content import Content
from generator.pages import Page, Versions, make_quizzes, page_renderer, pages, quiz_exports, quiz_pages
from generator.quiz.blueprint import Blueprint
from generator.render import environment

FIELDS = frozenset(f.name for f in dataclasses.fields(Content) if f.compare)


class _Recording(Content):
    """Content that notes each field read (its `_reads`), however deep the reader goes from it."""

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            object.__getattribute__(self, "_reads").add(name)
        return object.__getattribute__(self, name)


def recording(content: Content) -> tuple[Content, set[str]]:
    """A copy of content that records the fields read, and the set it records them in."""
    copy = _Recording(**{f.name: getattr(content, f.name) for f in dataclasses.fields(Content)})
    reads: set[str] = set()
    object.__setattr__(copy, "_reads", reads)
    return copy, reads


def changed_fields(old: Content | None, new: Content) -> frozenset[str]:
    if old is None:
        return FIELDS
    return frozenset(name for name in FIELDS if getattr(old, name) != getattr(new, name))


@dataclass
class _Made:
    """One piece of output, what it was made from, and the content fields it read."""

    result: Any
    source: Any
    reads: frozenset[str]

    def reusable(self, source: Any, changed: frozenset[str]) -> bool:
        return self.source == source and not (self.reads & changed)


def _made(make: Callable[[Content], Any], content: Content, source: Any) -> _Made:
    copy, reads = recording(content)
    result = make(copy)
    return _Made(result, source, frozenset(reads))


@dataclass
class Regenerator:
    """The generated tree kept in step with content/, quizzes/ and the page templates."""

    content_dir: Path
    quizzes_dir: Path
    out_dir: Path
    templates_dir: Path
    _content: Content | None = None
    _templates: tuple = ()
    _quizzes: dict[str, _Made] = field(default_factory=dict)
    _pages: dict[str, _Made] = field(default_factory=dict)
    _exports: dict[str, _Made] = field(default_factory=dict)
    _written: dict[str, str | bytes] | None = None
    env: Any = field(default_factory=environment)

    def update(self) -> dict[str, int]:
        """Load and validate everything; render what the changes feed and write the pages, then
        make and write the exports that changed. Returns counts of files written, unchanged, removed."""
        content, blueprints = load_inputs(self.content_dir, self.quizzes_dir)
        published = [b for b in blueprints if b.publish]
        changed = changed_fields(self._content, content)
        templates = self._templates_stamp()
        if templates != self._templates:
            self._pages.clear()  # a template may be shared by any page: render them all
        versions = self._versions(content, published, changed)
        files = self._render_pages(content, published, versions, changed)
        old_exports = {path: data for made in self._exports.values() for path, data in made.result.items()}
        kept = {path: old_exports[path] for quiz_id in versions for path in self._export_paths(quiz_id, old_exports)}
        counts = self._write({**files, **kept})  # the pages first: what the reader looks at
        self._content, self._templates = content, templates
        exports = self._render_exports(versions)
        later = self._write({**files, **exports})
        return {name: counts[name] + later[name] for name in counts}

    @property
    def files(self) -> dict[str, str | bytes]:
        """Every generated file as last written, path under out_dir -> text or bytes."""
        return dict(self._written or {})

    def _write(self, files: dict[str, str | bytes]) -> dict[str, int]:
        """The first time, as `generate` writes (every file compared with what is on disk, stale
        ones removed); then only the files that differ from the last written, and those gone."""
        if self._written is None:
            counts = write_tree(self.out_dir, files)
        else:
            changed = {path: data for path, data in files.items() if self._written.get(path) != data}
            counts = write_tree(self.out_dir, changed, remove_stale=False)
            for path in sorted(set(self._written) - set(files)):
                (self.out_dir / path).unlink(missing_ok=True)
                counts["removed"] += 1
            counts["unchanged"] = len(files) - len(changed)
        self._written = dict(files)
        return counts

    def _versions(self, content: Content, published: list[Blueprint], changed: frozenset[str]) -> Versions:
        made = {}
        for blueprint in published:
            old = self._quizzes.get(blueprint.id)
            if old is not None and old.reusable(blueprint, changed):
                made[blueprint.id] = old
            else:
                made[blueprint.id] = _made(lambda c, b=blueprint: make_quizzes(c, [b])[b.id], content, blueprint)
        self._quizzes = made
        return {quiz_id: m.result for quiz_id, m in made.items()}

    def _render_pages(
        self, content: Content, published: list[Blueprint], versions: Versions, changed: frozenset[str]
    ) -> dict[str, str]:
        """Each page alone, except a quiz's pages, which are made together from its versions."""
        groups: dict[str, list[Page]] = {page.path: [page] for page in pages(content)}
        for quiz_id, quiz_versions in versions.items():
            groups[f"quiz:{quiz_id}"] = quiz_pages(quiz_versions)
        made = {}
        for key, group in groups.items():
            # What a group is made from besides content: its pages (path, template, title, data:
            # a quiz page's data is its version), the blueprints (quiz lists, practise links) and
            # which quizzes there are (their downloads).
            source = ([(p.path, p.template, p.title, p.data) for p in group], published, list(versions))
            old = self._pages.get(key)
            if old is not None and old.reusable(source, changed):
                made[key] = old
                continue

            def render(copy: Content, group: list[Page] = group) -> dict[str, str]:
                render_page = page_renderer(self.env, copy, published, versions)
                return {page.path: render_page(page) for page in group}

            made[key] = _made(render, content, source)
        self._pages = made
        return {path: text for m in made.values() for path, text in m.result.items()}

    def _render_exports(self, versions: Versions) -> dict[str, bytes]:
        made = {}
        for quiz_id, quiz_versions in versions.items():
            old = self._exports.get(quiz_id)
            if old is not None and old.source == quiz_versions:  # exports read only the versions
                made[quiz_id] = old
            else:
                made[quiz_id] = _Made(quiz_exports(quiz_id, quiz_versions), quiz_versions, frozenset())
        self._exports = made
        return {path: data for m in made.values() for path, data in m.result.items()}

    @staticmethod
    def _export_paths(quiz_id: str, old: dict[str, bytes]) -> list[str]:
        prefix = f"docs/quizzes/{quiz_id}/downloads/"
        return [path for path in old if path.startswith(prefix)]

    def _templates_stamp(self) -> tuple:
        return tuple(
            sorted(
                (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self.templates_dir.rglob("*") if p.is_file()
            )
        )
