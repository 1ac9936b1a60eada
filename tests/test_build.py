"""A failed build leaves the previous site/ exactly as it was."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from generator.build import build_site
from generator.cli import main
from generator.errors import BuildError
from generator.files import SITE_MARKER


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


FAKE_BUILDER = (sys.executable, "-c", "import sys, pathlib; pathlib.Path(sys.argv[1], 'index.html').write_text('new')")


@pytest.fixture
def old_site(tmp_path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    (site / SITE_MARKER).write_text("built by us", encoding="utf-8")
    return site


def test_a_successful_build_replaces_the_site(scratch, tmp_path, old_site):
    build_site(scratch.root, tmp_path / "build", old_site, builder=FAKE_BUILDER)
    assert (old_site / "index.html").read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_invalid_content_leaves_the_previous_site_untouched(scratch, tmp_path, old_site, capsys):
    before = fingerprint(old_site)
    scratch.edit("phases.yml", "  later_rate_pct: 20\n", "  later_rate_pct: 120\n")
    code = main(["--content", str(scratch.root), "--out", str(tmp_path / "build"), "build", "--site", str(old_site)])
    assert code == 1
    assert "later_rate_pct" in capsys.readouterr().err
    assert fingerprint(old_site) == before


def test_a_failing_site_builder_leaves_the_previous_site_untouched(scratch, tmp_path, old_site):
    before = fingerprint(old_site)
    failing = (sys.executable, "-c", "import sys; sys.exit('mkdocs: broken link')")
    with pytest.raises(BuildError, match="left as it was"):
        build_site(scratch.root, tmp_path / "build", old_site, builder=failing)
    assert fingerprint(old_site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_the_same_commit_builds_the_same_site_byte_for_byte(tmp_path):
    root = Path(__file__).resolve().parent.parent
    sites = [tmp_path / "one", tmp_path / "two"]
    for site in sites:
        build_site(root / "content", root / "build", site)
    assert fingerprint(sites[0]) == fingerprint(sites[1])


# --- build --site replaces a folder whole: only a new one, or one this program built ---------------


def _build_into(scratch, tmp_path, site: str | Path, capsys) -> tuple[int, list[str]]:
    quizzes = Path(__file__).resolve().parent.parent / "quizzes"
    args = ["--content", str(scratch.root), "--quizzes", str(quizzes), "--out", str(tmp_path / "build")]
    code = main([*args, "build", "--site", str(site)])
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("target", ["content", "parent", "cwd", "sources-folder", "inside-content"])
def test_build_site_refuses_the_sources_the_repository_and_parents(scratch, tmp_path, capsys, target, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    site = {
        "content": scratch.root,
        "parent": tmp_path.parent,
        "cwd": Path("."),
        "sources-folder": tmp_path,
        "inside-content": scratch.root / "site",
    }[target]
    before = fingerprint(tmp_path)
    code, errors = _build_into(scratch, tmp_path, site, capsys)
    assert code == 1 and len(errors) == 1 and errors[0].startswith("error: --site "), errors
    assert fingerprint(tmp_path) == before


def test_build_site_refuses_a_folder_it_did_not_build(scratch, tmp_path, capsys):
    mine = tmp_path / "photos"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"jpeg")
    code, errors = _build_into(scratch, tmp_path, mine, capsys)
    assert code == 1 and errors == [
        f"error: --site {str(mine)!r} is a folder this program did not build (no {SITE_MARKER} in it); "
        "name a new folder, or empty this one yourself"
    ]
    assert (mine / "holiday.jpg").read_bytes() == b"jpeg" and not (tmp_path / "build").exists()


def test_build_site_refuses_a_file(scratch, tmp_path, capsys):
    file = tmp_path / "report.txt"
    file.write_text("keep", encoding="utf-8")
    code, errors = _build_into(scratch, tmp_path, file, capsys)
    assert code == 1 and len(errors) == 1 and "is a file, not a folder" in errors[0]
    assert file.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "report.txt"]


def test_build_site_refuses_a_repository_even_with_a_marker(scratch, tmp_path, capsys):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / SITE_MARKER).write_text("forged", encoding="utf-8")
    code, errors = _build_into(scratch, tmp_path, repo, capsys)
    assert code == 1 and "is a git repository" in errors[0]
    assert (repo / ".git").is_dir()


def test_a_site_it_built_carries_the_marker_and_may_be_rebuilt(scratch, tmp_path):
    site = tmp_path / "site"
    build_site(scratch.root, tmp_path / "build", site, builder=FAKE_BUILDER)
    assert (site / SITE_MARKER).is_file()
    build_site(scratch.root, tmp_path / "build", site, builder=FAKE_BUILDER)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"


def test_build_site_where_nothing_can_be_written_is_one_line(scratch, tmp_path, capsys):
    code, errors = _build_into(scratch, tmp_path, "/sys/site", capsys)
    assert code == 1 and len(errors) == 1 and errors[0].startswith("error: cannot build into '/sys/site': "), errors


def test_a_builder_that_dies_with_a_traceback_is_reported_in_its_last_line(scratch, tmp_path, capsys, old_site):
    """A full disk made the builder print a 41-line traceback; the report is the one error line
    and what the builder said went wrong."""
    dying = (
        sys.executable,
        "-c",
        "import sys; print('Traceback (most recent call last):\\n  File \"x\", line 1\\n    boom()', file=sys.stderr);"
        " sys.exit('OSError: [Errno 28] No space left on device')",
    )
    before = fingerprint(old_site)
    with pytest.raises(BuildError) as raised:
        build_site(scratch.root, tmp_path / "build", old_site, builder=dying)
    from generator.cli import report

    report(raised.value)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"error: the site builder failed; '{old_site}' was left as it was.",
        "  OSError: [Errno 28] No space left on device",
    ]
    assert fingerprint(old_site) == before


def test_a_builder_s_thousands_of_warnings_are_a_few_lines():
    from generator.build import MAX_BUILDER_LINES, builder_problems

    said = builder_problems("INFO start\n" + "WARNING a link to javascript: is not found\n" * 65_830)
    assert len(said) == MAX_BUILDER_LINES + 1 and said[-1] == "(and 65,825 more lines like these)"
