"""Under `serve`, an edit regenerates only what it feeds, and the files are those a clean run
writes, byte for byte, after any sequence of edits. Each test's edits stand on their own (xdist may run them apart)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import load_inputs
from generator.errors import ContentError
from generator.files import OUT_MARKER
from generator.incremental import Regenerator, recording
from generator.pages import render_site

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ("advanced-phases", "phases-and-monitoring")  # two quizzes at two versions keep it quick


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "quizzes").mkdir()
    for quiz_id in QUIZZES:
        text = (ROOT / "quizzes" / f"{quiz_id}.yml").read_text(encoding="utf-8")
        (folder / "quizzes" / f"{quiz_id}.yml").write_text(text.replace("variants: 20", "variants: 2"), "utf-8")
    return folder


@pytest.fixture(scope="module")
def regenerator(inputs):
    made = Regenerator(inputs / "content", inputs / "quizzes", inputs / "out", ROOT / "generator" / "templates")
    made.update()
    return made


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def on_disk(out: Path) -> dict[str, bytes]:
    """The rendered files in out (not the marker that says generate wrote the folder)."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != OUT_MARKER)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


def clean_run(inputs: Path) -> dict[str, bytes]:
    files = render_site(*load_inputs(inputs / "content", inputs / "quizzes"))
    return {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files.items()}


def test_a_recording_copy_notes_the_fields_read(inputs):
    content, _ = load_inputs(inputs / "content", inputs / "quizzes")
    copy, reads = recording(content)
    assert copy.section("chronic").id == "chronic"
    assert reads == {"sections"}


def test_a_section_edit_rewrites_its_page_and_reuses_the_quizzes(inputs, regenerator):
    versions = {quiz_id: made.result for quiz_id, made in regenerator._quizzes.items()}
    edit(inputs / "content" / "sections" / "chronic.yml", "can be the preferred first treatment", "can be (edit one)")
    counts = regenerator.update()
    assert "(edit one)" in (inputs / "out" / "docs" / "sections" / "chronic.md").read_text(encoding="utf-8")
    assert 1 <= counts["written"] <= 3  # the page, and any other that quotes the sentence
    assert all(regenerator._quizzes[q].result is versions[q] for q in QUIZZES)  # not drawn again
    assert on_disk(inputs / "out") == clean_run(inputs)


def test_a_quiz_text_edit_redraws_the_quizzes_and_their_exports(inputs, regenerator):
    exports = {quiz_id: made.result for quiz_id, made in regenerator._exports.items()}
    edit(inputs / "content" / "quiz_text.yml", 'why_linear: "', 'why_linear: "Edited: ')
    regenerator.update()
    assert any(regenerator._exports[q].result != exports[q] for q in QUIZZES)
    assert on_disk(inputs / "out") == clean_run(inputs)


def test_blueprint_edits_between_content_edits_match_a_clean_run(inputs, regenerator):
    edit(inputs / "quizzes" / "advanced-phases.yml", "variants: 2", "variants: 3")
    regenerator.update()
    assert on_disk(inputs / "out") == clean_run(inputs)
    edit(inputs / "content" / "sections" / "general.yml", "text: >-\n", "text: >-\n          Edited.\n")
    edit(inputs / "quizzes" / "advanced-phases.yml", "variants: 3", "variants: 2")
    regenerator.update()
    assert on_disk(inputs / "out") == clean_run(inputs)


def test_a_bad_edit_raises_and_leaves_the_last_good_files(inputs, regenerator):
    before = on_disk(inputs / "out")
    phases = inputs / "content" / "phases.yml"
    good = phases.read_bytes()
    phases.write_bytes(good + b"# caf\xe9\n")
    try:
        with pytest.raises(ContentError, match="not UTF-8"):
            regenerator.update()
        assert on_disk(inputs / "out") == before
    finally:
        phases.write_bytes(good)
    regenerator.update()
    assert on_disk(inputs / "out") == clean_run(inputs)
