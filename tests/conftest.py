from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.content import load_content
from generator.rules import Rules

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def content():
    return load_content(CONTENT)


@pytest.fixture(scope="session")
def rules(content):
    return Rules(content)


class ContentCopy:
    """A scratch copy of content/ that a test can break in one place."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def line_of(self, name: str, text: str) -> int:
        lines = (self.root / name).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.fixture
def scratch(tmp_path) -> ContentCopy:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return ContentCopy(root)
