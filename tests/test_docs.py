"""The project's own docs stay true: the README's template table is written from the registry,
the review spacing it states is the site's, and CONTRIBUTING.md names files that exist."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator import readme
from generator.cli import main
from generator.quiz.registry import TOPICS
from generator.quiz.templates import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_template_table_is_the_one_the_registry_writes(content):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.with_table(text, readme.template_table(content)) == text, "run `cml-teach docs readme`"


def test_the_table_lists_every_template_under_its_topic(content):
    table = readme.template_table(content)
    assert f"The {len(TEMPLATES)} case templates" in table
    for t in TEMPLATES.values():
        assert re.search(rf"^\| [^|]*\| `{t.id}` \| {re.escape(t.title)} \|", table, re.M), t.id
    assert [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and "`" in line][
        0
    ] == next(iter(TOPICS.values())).title


def test_docs_readme_rewrites_a_stale_table_and_check_says_so(tmp_path, capsys):
    copy = tmp_path / "README.md"
    shutil.copy(ROOT / "README.md", copy)
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("`serial-results`", "`serial-results-old`"), encoding="utf-8"
    )
    assert main(["docs", "readme", "--file", str(copy), "--check"]) == 1
    assert f"error: {copy}: the template table is stale" in capsys.readouterr().err
    assert main(["docs", "readme", "--file", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == (ROOT / "README.md").read_text(encoding="utf-8")
    assert main(["docs", "readme", "--file", str(copy), "--check"]) == 0


def test_docs_readme_refuses_a_file_without_its_markers(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# A readme\n", encoding="utf-8")
    assert main(["docs", "readme", "--file", str(tmp_path / "README.md")]) == 1
    assert "expected one pair of template-table markers" in capsys.readouterr().err


def test_contributing_names_files_that_exist():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:content|generator|tests|quizzes|site_tests)/[\w./-]+)`", text))
    assert len(paths) >= 10
    assert [p for p in sorted(paths) if not (ROOT / p).exists()] == []
    assert (ROOT / "ITEM-REVIEW.md").is_file() and "ITEM-REVIEW.md" in text


def test_each_file_contributing_runs_for_one_template_has_a_test_per_template():
    """`pytest FILES -k my-template` selects something in each file only if the file has a test
    parametrized over every template id (a -k that selects nothing passes silently)."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = re.findall(r"pytest -q ((?:tests/\S+\.py )+)-k my-template", text)
    files = {name for command in commands for name in command.split()}
    assert "tests/test_quiz_keys.py" in files
    for name in sorted(files):
        source = (ROOT / name).read_text(encoding="utf-8")
        assert '@pytest.mark.parametrize("template_id", sorted(TEMPLATES))' in source, name


def test_the_readme_states_the_review_spacing_that_progress_js_sets():
    script = (ROOT / "overrides" / "assets" / "progress.js").read_text(encoding="utf-8")
    days = re.findall(r"\d+", re.search(r"var SPACING_DAYS = \[([\d, ]+)\];", script).group(1))
    readme_text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"brings back missed questions after ([\d, and]+) days", readme_text).group(1)
    assert re.findall(r"\d+", said) == days
    assert "`SPACING_DAYS` in `overrides/assets/progress.js`" in readme_text
