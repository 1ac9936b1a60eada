"""Broken input and bad command lines: one clear line naming the file (and line and key, where
there is one), exit code 1, never a traceback, and nothing written or lost."""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator import files
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if line.startswith("error: ")]


def check(scratch, capsys, *more: str) -> tuple[int, list[str]]:
    return run(capsys, "--content", str(scratch.root), *more, "check")


# --- bytes and YAML -------------------------------------------------------------------------------


def test_text_that_is_not_utf8_is_named_with_its_line(scratch, capsys):
    path = scratch.root / "phases.yml"
    lines = path.read_bytes().split(b"\n")
    lines[4] += " caf\xe9".encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == ["error: content/phases.yml:5: is not UTF-8 text: byte 0xe9 at line 5; save the file as UTF-8"]


BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi")
)


def test_an_alias_bomb_is_refused_at_once(scratch, capsys):
    (scratch.root / "glossary.yml").write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    code, errors = check(scratch, capsys)
    assert time.monotonic() - started < 10
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith("error: content/glossary.yml:")
    assert "YAML aliases expand to more than 200,000 values" in errors[0]


def test_a_huge_text_field_is_refused_quickly_with_its_line(scratch, capsys):
    """600 KB of "[a\\n" in one field (1.5 MB took 77 s in a quadratic scan): the text is bounded first."""
    path = scratch.root / "updates.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["changes"][0]["text"] = "[a\n" * 200_000
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    started = time.monotonic()
    code, errors = check(scratch, capsys)
    assert time.monotonic() - started < 20
    assert code == 1 and len(errors) >= 1
    assert any("a text holds at most 5,000 characters" in e for e in errors), errors


@pytest.mark.parametrize(
    "text", ["[a\n" * 500_000, "\n[" * 750_000, "](" * 750_000, "[x]:" * 375_000, "{" * 1_500_000, "{{ x" * 375_000]
)
def test_every_scan_of_a_text_is_linear(monkeypatch, text):
    """With the length and bracket bounds lifted, 1.5 MB of the worst input for each scan is read
    at once (1.5 MB of "[a\\n" took 77 s in the quadratic reference-definition scan that was)."""
    from generator import markup

    monkeypatch.setattr(markup, "MAX_TEXT", len(text))
    monkeypatch.setattr(markup, "MAX_BRACKETS", len(text))
    started = time.monotonic()
    list(markup.problems(text))
    assert time.monotonic() - started < 3


def test_many_brackets_in_a_short_text_are_refused(scratch, capsys):
    scratch.edit("phases.yml", "name: Accelerated phase", "name: Accelerated phase " + "[" * 2000)
    code, errors = check(scratch, capsys)
    assert code == 1 and len(errors) == 1
    assert "a text holds at most 100 '[', but this one has 2000" in errors[0]


def test_deep_nesting_is_one_line_not_a_crash(scratch):
    """50,000 nested '[' ended the process with a segmentation fault (exit 139, no message)."""
    import subprocess
    import sys

    (scratch.root / "glossary.yml").write_text("terms: " + "[" * 50_000 + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(scratch.root), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    errors = [e for e in result.stderr.splitlines() if e.startswith("error: ")]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert errors == [
        "error: content/glossary.yml:1: nested more than 40 levels deep; content is never nested so deeply"
    ]


def test_a_file_too_large_is_named_as_too_large(scratch, capsys):
    (scratch.root / "glossary.yml").write_text("terms:\n" + "- x\n" * 5_000_000, encoding="utf-8")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        "error: content/glossary.yml:1: is 20.0 MB; a file of content or quizzes holds at most 2 MB "
        "(split it, or check that it is the file you meant)"
    ]


def test_a_blueprint_alias_bomb_is_refused_too(tmp_path, capsys):
    (tmp_path / "bomb.yml").write_text(BILLION_LAUGHS, encoding="utf-8")
    code, errors = run(capsys, "--quizzes", str(tmp_path), "check")
    assert code == 1
    assert errors[0].startswith(f"error: {tmp_path.name}/bomb.yml:") and "aliases expand" in errors[0]


def test_a_recursive_alias_is_refused(scratch, capsys):
    (scratch.root / "updates.yml").write_text("changes: &loop [*loop]\n", encoding="utf-8")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == ["error: content/updates.yml:1: a YAML alias refers to itself"]


def test_ordinary_aliases_still_load(scratch, capsys):
    scratch.edit(
        "glossary.yml",
        "{abbr: CML, expansion: chronic myeloid leukemia}",
        "{abbr: CML, expansion: &cml chronic myeloid leukemia}",
    )
    code, errors = check(scratch, capsys)
    assert (code, errors) == (0, [])


# --- placeholders: names and filters only, and check finds what build would ---------------------------


def test_an_undefined_placeholder_in_quiz_text_fails_check_with_its_line(scratch, capsys):
    scratch.edit(
        "quiz_text.yml",
        "why_linear: \"{{ days|plural('day') }} assumes",
        "why_linear: \"{{ nowhere }} {{ days|plural('day') }} assumes",
    )
    line = scratch.line_of("quiz_text.yml", "{{ nowhere }}")
    code, errors = check(scratch, capsys)
    assert code == 1
    assert errors == [
        f"error: content/quiz_text.yml:{line} templates.halving-time.texts.why_linear: "
        "placeholder problem: 'nowhere' is undefined"
    ]


def test_the_same_placeholder_fails_build_with_the_same_line(scratch, capsys, tmp_path):
    scratch.edit(
        "quiz_text.yml",
        "why_linear: \"{{ days|plural('day') }} assumes",
        "why_linear: \"{{ nowhere }} {{ days|plural('day') }} assumes",
    )
    code, errors = run(capsys, "--content", str(scratch.root), "--out", str(tmp_path / "build"), "generate")
    assert code == 1
    assert errors[0].startswith("error: content/quiz_text.yml:") and "'nowhere' is undefined" in errors[0]
    assert not (tmp_path / "build").exists()


PLACES = {
    "prose": ("phases.yml", "name: Accelerated phase", "name: Accelerated phase {}"),
    "quiz text": (
        "quiz_text.yml",
        'lead_in: "Which best describes the phase',
        'lead_in: "{} Which best describes the phase',
    ),
}


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ 'a' * 10**10 }}",
        "{{ range(10**9)|list }}",
        "{% include 'x' %}",
        "{{ 9**(9**9) }}",
        "{{ phases.__class__ }}",
        "{{ phases|attr('x') }}",
        "{% for x in phases %}{% endfor %}",
        "{{ lipsum() }}",
        "{{ phases.values()|map('center', 1000000000)|list }}",
        "{{ phases|map('xmlattr')|list }}",
        "{{ phases|map(attribute='__class__')|list }}",
        "{{ phases|selectattr('id', 'sameas', 1)|list }}",
        "{{ phases|join(', ', 'id') }}",
    ],
)
@pytest.mark.parametrize("place", PLACES)
def test_placeholders_are_names_and_filters_only(scratch, capsys, placeholder, place):
    file, old, new = PLACES[place]
    scratch.edit(file, old, new.format(placeholder))
    line = scratch.line_of(file, placeholder)
    started = time.monotonic()
    code, errors = check(scratch, capsys)
    assert time.monotonic() - started < 10
    assert code == 1
    assert len(errors) == 1 and errors[0].startswith(f"error: content/{file}:{line} ")
    assert "placeholder problem" in errors[0]


# --- the command line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        (["--count", "0"], "--count: expected a value >= 1, but received 0"),
        (["--count", "-1"], "--count: expected a value >= 1, but received -1"),
        (["--count", "51"], "--count: expected a value <= 50, but received 51"),
        (["--variants", "0"], "--variants: expected a value >= 1, but received 0"),
        (["--id", "Bad Id"], "--id: expected lowercase letters, digits and hyphens, but received 'Bad Id'"),
        (["--id", "../../escape"], "--id: expected lowercase letters, digits and hyphens, but received '../../escape'"),
        (["--templates", ""], "--templates: name at least one template; known: phase-from-blasts"),
        (["--title", "///"], "--title: cannot make an id from '///'; give one with --id"),
        (["--title", "[x](javascript:alert(1))"], "--title: a link to 'javascript:' is not allowed"),
    ],
)
def test_quiz_new_names_the_option_at_fault(tmp_path, capsys, options, message):
    argv = ["--quizzes", str(tmp_path), "quiz", "new", "--title", "Week", "--templates", "response-level", *options]
    code, errors = run(capsys, *argv)
    assert code == 1
    assert len(errors) == 1 and errors[0].startswith(f"error: {message}")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def blueprint(tmp_path, capsys) -> Path:
    folder = tmp_path / "quizzes"
    folder.mkdir()
    assert main(["--quizzes", str(folder), "quiz", "new", "--title", "Week", "--templates", "response-level"]) == 0
    capsys.readouterr()
    return folder / "week.yml"


@pytest.mark.parametrize("variants", ["0", "-1", "101"])
def test_quiz_build_refuses_a_number_of_versions_out_of_range(blueprint, tmp_path, capsys, variants):
    code, errors = run(capsys, "quiz", "build", str(blueprint), "--variants", variants, "--out", str(tmp_path / "o"))
    assert code == 1
    assert errors == [f"error: --variants must be from 1 to 100, but received {variants}"]
    assert not (tmp_path / "o").exists()


def test_quiz_build_into_a_file_says_so(blueprint, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("mine", encoding="utf-8")
    code, errors = run(capsys, "quiz", "build", str(blueprint), "--out", str(target / "week"))
    assert code == 1
    assert errors == [f"error: cannot write into '{target}/week': '{target}' is a file, not a folder"]
    assert target.read_text(encoding="utf-8") == "mine"


def test_rebuilding_with_fewer_versions_leaves_no_stale_version(blueprint, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["quiz", "build", str(blueprint), "--variants", "3", "--out", str(out)]) == 0
    assert main(["quiz", "build", str(blueprint), "--variants", "1", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [files.QUIZ_MARKER, "key-1.md", "version-1.md"]


def test_a_version_file_quiz_build_did_not_write_is_never_removed(blueprint, tmp_path, capsys):
    """A stale version-N.md was removed whoever wrote it: an educator's own version-9.md went."""
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "version-9.md"
    theirs.write_text("my own version 9", encoding="utf-8")
    assert main(["quiz", "build", str(blueprint), "--variants", "3", "--out", str(out)]) == 0
    assert main(["quiz", "build", str(blueprint), "--variants", "1", "--out", str(out)]) == 0
    assert theirs.read_text(encoding="utf-8") == "my own version 9"
    assert not (out / "version-3.md").exists()  # that one quiz build wrote, so it goes
    note = f"note: left '{theirs}' as it was: quiz build did not write it"
    assert capsys.readouterr().err.splitlines() == [note, note]  # one line at each build


def test_quiz_build_refuses_to_overwrite_a_version_file_it_did_not_write(blueprint, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "version-2.md"
    theirs.write_text("my own version 2", encoding="utf-8")
    code, errors = run(capsys, "quiz", "build", str(blueprint), "--variants", "3", "--out", str(out))
    assert (code, errors) == (
        1,
        [f"error: '{theirs}' was not written by quiz build; name another folder, or use --force to overwrite it"],
    )
    assert [p.name for p in out.iterdir()] == ["version-2.md"]  # nothing written
    assert main(["quiz", "build", str(blueprint), "--variants", "3", "--out", str(out), "--force"]) == 0
    assert theirs.read_text(encoding="utf-8").startswith("# Week, version 2")


def test_a_manifest_naming_other_files_removes_none_of_them(blueprint, tmp_path, capsys):
    """The manifest is read as names of version files in its own folder, never as paths."""
    out = tmp_path / "out"
    assert main(["quiz", "build", str(blueprint), "--variants", "1", "--out", str(out)]) == 0
    precious = tmp_path / "precious.md"
    precious.write_text("keep", encoding="utf-8")
    (out / "notes.md").write_text("keep", encoding="utf-8")
    with (out / files.QUIZ_MARKER).open("a", encoding="utf-8") as manifest:
        manifest.write(f"../precious.md\n{precious}\nnotes.md\n")
    assert main(["quiz", "build", str(blueprint), "--variants", "1", "--out", str(out)]) == 0
    assert precious.read_text(encoding="utf-8") == "keep"
    assert (out / "notes.md").read_text(encoding="utf-8") == "keep"


def test_a_quizzes_folder_that_does_not_exist_is_named(tmp_path, capsys):
    code, errors = run(capsys, "--quizzes", str(tmp_path / "nowhere"), "check")
    assert (code, errors) == (1, [f"error: no quizzes folder at '{tmp_path / 'nowhere'}'"])


def test_a_content_folder_that_does_not_exist_is_named(tmp_path, capsys):
    code, errors = run(capsys, "--content", str(tmp_path / "nowhere"), "check")
    assert (code, errors) == (1, [f"error: no content folder at '{tmp_path / 'nowhere'}'"])


# --- exports: all or nothing, never over the project's sources ------------------------------------------


def export(capsys, out: Path, *more: str) -> tuple[int, list[str]]:
    return run(capsys, "export", "mixed-exam", "--format", "csv", "--variant", "1", "--out", str(out), *more)


def test_a_full_disk_keeps_the_previous_export_whole(tmp_path, capsys, monkeypatch):
    out = tmp_path / "quiz.csv"
    out.write_text("the good export", encoding="utf-8")

    def no_space(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", no_space)
    code, errors = export(capsys, out)
    assert (code, errors) == (1, [f"error: cannot write '{out}': No space left on device"])
    assert out.read_text(encoding="utf-8") == "the good export"
    assert [p.name for p in tmp_path.iterdir()] == ["quiz.csv"]


def test_a_read_only_place_is_one_line(tmp_path, capsys, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(files.tempfile, "mkstemp", refused)
    code, errors = export(capsys, tmp_path / "quiz.csv")
    assert (code, errors) == (1, [f"error: cannot write '{tmp_path / 'quiz.csv'}': Permission denied"])


def test_an_export_onto_a_folder_or_under_a_file_is_one_line(tmp_path, capsys):
    code, errors = export(capsys, tmp_path)
    assert (code, errors) == (1, [f"error: cannot write '{tmp_path}': it is a folder; name a file"])
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, errors = export(capsys, tmp_path / "f" / "quiz.csv")
    assert (code, errors) == (
        1,
        [f"error: cannot write '{tmp_path / 'f' / 'quiz.csv'}': '{tmp_path / 'f'}' is a file, not a folder"],
    )


def test_an_export_never_overwrites_content_quizzes_or_tracked_files_without_force(scratch, tmp_path, capsys):
    quizzes = ROOT / "quizzes"
    (scratch.root / "notes.csv").write_text("mine", encoding="utf-8")
    for target, why in [
        (scratch.root / "notes.csv", f"is inside '{scratch.root}/', an input of the site"),
        (ROOT / "README.md", "is a file of the repository"),
    ]:
        before = target.read_bytes()
        code, errors = run(
            capsys,
            "--content",
            str(scratch.root),
            "--quizzes",
            str(quizzes),
            "export",
            "mixed-exam",
            "--format",
            "csv",
            "--variant",
            "1",
            "--out",
            str(target),
        )
        if target.suffix != ".csv":  # refused before anything else: not a name a spreadsheet opens
            why = (
                "a CSV spreadsheet file must end in .csv; "
                "name it 'README.csv', or use --force to write 'README.md' as it is"
            )
            assert code == 1 and errors == [f"error: --out '{target}': {why}"]
        else:
            assert code == 1 and errors == [f"error: '{target}' {why}; use --force to overwrite it"]
        assert target.read_bytes() == before
    tracked = ROOT / "generator" / "templates"
    code, errors = run(capsys, "quiz", "build", "mixed-exam", "--variants", "1", "--out", str(tracked))
    assert (code, errors) == (1, [f"error: '{tracked}' is a file of the repository; use --force to overwrite it"])
    target = scratch.root / "phases.yml"
    code, _ = run(
        capsys,
        "--content",
        str(scratch.root),
        "export",
        "mixed-exam",
        "--format",
        "csv",
        "--variant",
        "1",
        "--out",
        str(target),
        "--force",
    )
    assert code == 0 and target.read_bytes().startswith(b"\xef\xbb\xbfquiz,")


# --- error lines cannot be forged ------------------------------------------------------------------


def test_a_value_in_a_message_cannot_forge_a_line_or_move_the_cursor(scratch, capsys):
    forged = "x\\nerror: content/phases.yml:1 all is well\\u001b[2J"
    text = (scratch.root / "phases.yml").read_text(encoding="utf-8")
    (scratch.root / "phases.yml").write_text(text.replace("refs: [cortes-2006]", f'refs: ["{forged}"]', 1), "utf-8")
    code = main(["--content", str(scratch.root), "check"])
    err = capsys.readouterr().err
    assert code == 1
    assert "\x1b" not in err and "\r" not in err
    lines = err.splitlines()
    assert len([line for line in lines if line.startswith("error: ")]) == 1, lines
    assert not any(line.startswith("error: content/phases.yml:1 all is well") for line in lines)
    assert "x\\nerror: content/phases.yml:1 all is well\\x1b[2J" in lines[0]


def test_a_path_in_a_message_is_quoted_on_one_line(tmp_path, capsys):
    folder = tmp_path / "a\nerror: forged"
    folder.mkdir()
    (folder / "x").write_text("mine", encoding="utf-8")
    code, errors = run(capsys, "build", "--site", str(folder))
    assert code == 1 and len(errors) == 1 and "a\\nerror: forged" in errors[0]


# --- medium and low: each a line, never a traceback, never a file written where it should not be -----


def test_a_glossary_expansion_is_one_line(scratch, capsys):
    text = (scratch.root / "glossary.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["terms"][0]["expansion"] += "\n\n# Every page gets this heading"
    (scratch.root / "glossary.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, errors = check(scratch, capsys)
    assert code == 1 and len(errors) == 1 and "terms[0].expansion" in errors[0]
    assert "an expansion is one line" in errors[0]


def test_a_content_file_linked_from_outside_the_repository_is_refused(scratch, capsys, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_bytes((scratch.root / "glossary.yml").read_bytes())
    (scratch.root / "glossary.yml").unlink()
    (scratch.root / "glossary.yml").symlink_to(outside)
    code, errors = check(scratch, capsys)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("error: content/glossary.yml:1: is a symbolic link to ")
    assert "outside this repository" in errors[0]


def test_a_content_folder_linked_from_outside_the_repository_is_refused(scratch, capsys, tmp_path, monkeypatch):
    """content/sections as a link to a folder elsewhere: every file read through it is named."""
    repository = scratch.root.parent
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    shutil.move(scratch.root / "sections", elsewhere)
    (scratch.root / "sections").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(repository)
    code, errors = run(capsys, "--content", "content", "--quizzes", str(ROOT / "quizzes"), "check")
    shutil.rmtree(elsewhere)
    assert code == 1 and errors and all(e.startswith("error: content/sections/") for e in errors), errors
    assert f"is read through 'content/sections', a symbolic link to '{elsewhere}', outside this repository" in errors[0]


def test_a_link_inside_the_repository_is_read(scratch, capsys, monkeypatch):
    monkeypatch.chdir(scratch.root.parent)
    os.rename(scratch.root / "glossary.yml", scratch.root.parent / "glossary.yml")
    (scratch.root / "glossary.yml").symlink_to(Path("..") / "glossary.yml")
    assert run(capsys, "--content", "content", "--quizzes", str(ROOT / "quizzes"), "check") == (0, [])


def test_an_export_never_writes_a_new_file_into_quizzes_without_force(tmp_path, capsys):
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    (quizzes / "mixed-exam.yml").write_bytes((ROOT / "quizzes" / "mixed-exam.yml").read_bytes())
    target = quizzes / "new.csv"  # a name a spreadsheet takes: the refusal is the folder's
    args = ["--quizzes", str(quizzes), "export", "mixed-exam", "--format", "csv", "--out", str(target)]
    code, errors = run(capsys, *args, "--variant", "1")
    assert code == 1 and len(errors) == 1 and "an input of the site; use --force" in errors[0]
    assert not target.exists()


def test_quiz_lint_refuses_a_number_of_seeds_below_one(capsys):
    code, errors = run(capsys, "quiz", "lint", "--seeds", "-1")
    assert code == 1 and errors == ["error: --seeds must be 1 or more, but received -1"]


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_generate_into_a_file_or_an_unwritable_place_is_one_line(scratch, capsys, tmp_path, kind, monkeypatch):
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("mine", encoding="utf-8")
    else:

        def refuse(self, *args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))

        monkeypatch.setattr(Path, "write_bytes", refuse)
    code, errors = run(capsys, "--content", str(scratch.root), "--out", str(out), "generate")
    assert code == 1 and len(errors) == 1 and errors[0].startswith("error: cannot write"), errors
    if kind == "file":
        assert out.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("target", ["own-folder", "quizzes", "repository"])
def test_generate_never_empties_a_folder_it_did_not_write(scratch, capsys, tmp_path, target, monkeypatch):
    """generate removes from --out what it no longer renders: pointed at a folder of other files
    (one's own, an input, the repository) it removed them all, with exit 0."""
    out = {"own-folder": tmp_path / "mine", "quizzes": tmp_path / "quizzes", "repository": tmp_path}[target]
    out.mkdir(exist_ok=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    args = ["--content", str(scratch.root), "--quizzes", str(ROOT / "quizzes"), "--out", str(out)]
    code, errors = run(capsys, *args, "generate")
    assert code == 1 and errors == [
        f"error: --out '{out}' is a folder this program did not generate (no {files.OUT_MARKER} in it), "
        "and generating there would remove its files; name a new folder, or empty this one yourself"
    ]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_generate_keeps_its_own_folder_in_step(scratch, capsys, tmp_path):
    out = tmp_path / "out"
    args = ["--content", str(scratch.root), "--quizzes", str(ROOT / "quizzes"), "--out", str(out)]
    assert run(capsys, *args, "generate") == (0, [])
    assert (out / files.OUT_MARKER).is_file()
    (out / "docs" / "gone.md").write_text("stale", encoding="utf-8")
    assert run(capsys, *args, "generate") == (0, [])
    assert not (out / "docs" / "gone.md").exists() and (out / files.OUT_MARKER).is_file()


def test_generate_on_a_full_disk_is_one_line(scratch, capsys, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    code, errors = run(capsys, "--content", str(scratch.root), "--out", str(tmp_path / "out"), "generate")
    assert code == 1 and len(errors) == 1 and errors[0].endswith("No space left on device"), errors


def test_build_with_an_out_folder_the_builder_does_not_read_is_refused(scratch, capsys, tmp_path):
    code, errors = run(
        capsys, "--content", str(scratch.root), "--out", str(tmp_path / "b"), "build", "--site", str(tmp_path / "site")
    )
    assert code == 1 and len(errors) == 1 and "the site builder reads the pages from 'build/docs'" in errors[0]
    assert not (tmp_path / "b").exists() and not (tmp_path / "site").exists()


def test_serve_on_a_busy_port_is_one_line_and_fails(capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, errors = run(capsys, "serve", "--address", f"127.0.0.1:{port}")
    assert code == 1 and errors == [f"error: cannot serve on '127.0.0.1:{port}': Address already in use"]
