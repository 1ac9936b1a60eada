"""A failed build leaves the previous site/ exactly as it was."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from generator.build import build_site
from generator.cli import main
from generator.errors import BuildError


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
