"""The command line as an educator meets it: one vocabulary (a quiz by path or id, --out is
where a command writes), private quizzes, counts, helpful mistakes, and a README whose
commands work as written."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import markdown
import pytest
import yaml

from generator import files
from generator.cli import _parser, main, spread
from generator.pages import render_site
from generator.quiz.blueprint import load_blueprints
from generator.quiz.templates import TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(["--content", str(CONTENT), *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, [line for line in captured.err.splitlines() if line.startswith("error: ")]


BLUEPRINT = """\
id: week
title: Week
audience: Students
seed: 3
variants: 2
questions:
  - {template: response-level, count: 2}
  - {template: halving-time}
"""


@pytest.fixture
def private(tmp_path) -> Path:
    """A folder of the educator's own, outside quizzes/, holding one blueprint."""
    folder = tmp_path / "graded"
    folder.mkdir()
    (folder / "week.yml").write_text(BLUEPRINT, encoding="utf-8")
    return folder


# --- 1. what is published, and keeping a quiz off the site ----------------------------------------


def test_a_blueprint_marked_publish_false_is_checked_but_never_on_the_site(content, private, capsys):
    (private / "week.yml").write_text(BLUEPRINT + "publish: false\n", encoding="utf-8")
    blueprints = load_blueprints(private)
    files = render_site(content, blueprints)
    assert not any("quizzes/week/" in path for path in files)
    assert "Week" not in files["docs/quizzes/index.md"]
    code, out, _ = run(capsys, "--quizzes", str(private), "check")
    assert code == 0 and "week (3 questions x 2 versions, not published)" in out


def test_a_private_blueprint_is_built_and_exported_like_any_other(private, tmp_path, capsys):
    (private / "week.yml").write_text(BLUEPRINT + "publish: false\n", encoding="utf-8")
    assert run(capsys, "quiz", "build", str(private / "week.yml"), "--out", str(tmp_path / "printed"))[0] == 0
    assert run(capsys, "export", str(private / "week.yml"), "--format", "csv", "--out", str(tmp_path / "w.csv"))[0] == 0
    assert (tmp_path / "printed" / "key-2.md").is_file() and (tmp_path / "w.csv").is_file()


def test_quiz_new_private_writes_publish_false(tmp_path, capsys):
    code, out, _ = run(
        capsys, "--quizzes", str(tmp_path), "quiz", "new", "--title", "Final", "--topics", "stopping", "--private"
    )
    assert code == 0 and "kept off the site" in out
    assert yaml.safe_load((tmp_path / "final.yml").read_text(encoding="utf-8"))["publish"] is False


def test_quiz_new_says_whether_the_site_will_publish_the_quiz(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quizzes").mkdir()
    asked = ["quiz", "new", "--templates", "halving-time"]
    _, out, _ = run(capsys, *asked, "--title", "Open")
    assert "published with its answer keys by the next site build" in out
    _, out, _ = run(capsys, *asked, "--title", "Closed", "--private")
    assert "kept off the site (publish: false)" in out and "published with" not in out
    graded = tmp_path / "graded"
    _, out, _ = run(capsys, "--quizzes", str(graded), *asked, "--title", "Final")
    assert (graded / "final.yml").is_file()
    assert "the site reads quizzes/ only" in out and "published with" not in out
    assert "1 question from 1 template," in out


def test_the_educators_page_and_readme_say_published_quizzes_carry_their_keys(content):
    page = render_site(content)["docs/educators.md"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (page, readme):
        flat = " ".join(text.split())
        assert "publish: false" in flat and "--quizzes ~/graded" in flat
    assert "Quizzes on this site carry their answers" in page
    assert "What the site publishes includes the answers." in readme


# --- 2. quiz build: where the educator asks, options as a list --------------------------------------


def test_quiz_build_writes_into_the_folder_named_by_out(private, tmp_path, capsys):
    out = tmp_path / "week-3 handouts"
    code, said, _ = run(capsys, "quiz", "build", str(private / "week.yml"), "--out", str(out))
    assert code == 0 and f"into {out}/" in said
    written = ["key-1.md", "key-2.md", "version-1.md", "version-2.md"]
    assert sorted(p.name for p in out.iterdir()) == [files.QUIZ_MARKER, *written]
    assert files.written_here(out) == set(written)  # what a later build may replace


def test_quiz_build_without_out_writes_a_folder_named_for_the_quiz_here(private, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "quiz", "build", str(private / "week.yml"))[0] == 0
    assert (tmp_path / "week" / "version-1.md").is_file()
    assert not (tmp_path / "build").exists()  # not under build/, which `make site` empties


def test_printed_options_are_a_list_from_a_to_e(private, tmp_path, capsys):
    run(capsys, "quiz", "build", str(private / "week.yml"), "--out", str(tmp_path / "o"))
    version = (tmp_path / "o" / "version-1.md").read_text(encoding="utf-8")
    first = markdown.markdown(version.split("## Question 2")[0])
    items = re.findall(r"<li>(.)\. ", first)
    assert items == ["A", "B", "C", "D", "E"]


# --- 3. counts ------------------------------------------------------------------------------------


def test_total_spreads_questions_over_the_templates():
    assert spread(5, 2) == [3, 2]
    assert spread(6, 3) == [2, 2, 2]
    assert spread(2, 3) == [1, 1, 0]


def test_quiz_new_total_asks_that_many_questions_in_all(tmp_path, capsys):
    argv = ["--quizzes", str(tmp_path), "quiz", "new", "--title", "Five", "--templates", "response-level,halving-time"]
    code, out, _ = run(capsys, *argv, "--total", "5")
    assert code == 0 and "5 questions from 2 templates" in out
    assert [(e.template, e.count) for e in load_blueprints(tmp_path)[0].questions] == [
        ("response-level", 3),
        ("halving-time", 2),
    ]


def test_count_and_total_cannot_both_be_given(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["quiz", "new", "--title", "X", "--templates", "ponatinib-dose", "--count", "2", "--total", "4"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_description_follows_the_blueprint_not_the_counts_first_written(content, tmp_path, capsys):
    run(
        capsys,
        "--quizzes",
        str(tmp_path),
        "quiz",
        "new",
        "--title",
        "Week 9",
        "--templates",
        "ponatinib-dose",
        "--count",
        "4",
    )
    path = tmp_path / "week-9.yml"
    assert "description" not in yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("count: 4", "count: 2"), encoding="utf-8")
    blueprint = load_blueprints(tmp_path)[0]
    assert blueprint.about == f"Cases on: {TEMPLATES['ponatinib-dose'].title}."
    page = render_site(content, [blueprint])["docs/quizzes/week-9/index.md"]
    assert "2 questions" in page and "4 questions" not in page


# --- 4. one vocabulary ----------------------------------------------------------------------------


def test_quiz_build_takes_an_id_and_export_takes_a_path(private, tmp_path, capsys):
    code, _, _ = run(capsys, "--quizzes", str(private), "quiz", "build", "week", "--out", str(tmp_path / "by-id"))
    assert code == 0 and (tmp_path / "by-id" / "key-1.md").is_file()
    code, out, _ = run(capsys, "export", str(private / "week.yml"), "--format", "moodle", "--out", str(tmp_path / "w"))
    assert code == 0 and (tmp_path / "w.xml").is_file()
    assert f"wrote {tmp_path / 'w.xml'} (Moodle XML, 2 version(s) of week" in out


def test_folders_may_follow_the_command(private, tmp_path, capsys):
    code, _, _ = run(capsys, "quiz", "build", "week", "--quizzes", str(private), "--out", str(tmp_path / "o"))
    assert code == 0


def test_to_is_still_taken_as_the_old_name_of_out(private, tmp_path, capsys):
    code, _, _ = run(capsys, "export", str(private / "week.yml"), "--format", "csv", "--to", str(tmp_path / "w.csv"))
    assert code == 0 and (tmp_path / "w.csv").is_file()
    assert "--to" not in _parser().format_help()


@pytest.mark.parametrize(
    ("fmt", "given", "written"),
    [("qti", "w3", "w3.zip"), ("anki", "w3", "w3.apkg"), ("gift", "w3", "w3.txt"), ("gift", "w3.gift", "w3.gift")],
)
def test_export_adds_the_extension_its_application_needs(private, tmp_path, capsys, fmt, given, written):
    code, out, _ = run(capsys, "export", str(private / "week.yml"), "--format", fmt, "--out", str(tmp_path / given))
    assert code == 0 and [p.name for p in tmp_path.iterdir() if p.is_file()] == [written]
    assert f"wrote {tmp_path / written} " in out


@pytest.mark.parametrize(("fmt", "given", "hint"), [("qti", "w3.qti", "w3.zip"), ("anki", "w3.anki", "w3.apkg")])
def test_export_refuses_an_extension_its_application_rejects(private, tmp_path, capsys, fmt, given, hint):
    code, _, errors = run(capsys, "export", str(private / "week.yml"), "--format", fmt, "--out", str(tmp_path / given))
    assert code == 1 and len(errors) == 1 and f"name it '{hint}'" in errors[0]
    assert re.search(r": (a [^AEIOU]|an [AEIOU])", errors[0]), errors[0]  # "an Anki deck", "a QTI … package"
    assert not any(tmp_path.glob("w3*"))


def test_export_without_out_names_the_file_after_the_quiz(private, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "export", str(private / "week.yml"), "--format", "csv", "--variant", "2")[0] == 0
    assert (tmp_path / "week-v2.csv").is_file()


# --- 5. mistakes ----------------------------------------------------------------------------------


def test_a_misspelled_template_gets_a_did_you_mean(tmp_path, capsys):
    code, _, errors = run(
        capsys, "--quizzes", str(tmp_path), "quiz", "new", "--title", "X", "--templates", "halving-tme"
    )
    assert (code, errors) == (1, ["error: --templates: unknown template 'halving-tme'; did you mean 'halving-time'?"])


def test_a_misspelled_template_in_a_blueprint_gets_a_did_you_mean(private, capsys):
    (private / "week.yml").write_text(BLUEPRINT.replace("halving-time", "halvingtime"), encoding="utf-8")
    code, _, errors = run(capsys, "--quizzes", str(private), "check")
    assert (code, errors) == (
        1,
        [
            "error: graded/week.yml:8 questions[1].template: unknown template 'halvingtime'; "
            "did you mean 'halving-time'?"
        ],
    )


def test_a_schema_error_does_not_hide_the_same_files_unknown_template(private, capsys):
    broken = BLUEPRINT.replace("seed: 3", "seed: three").replace("halving-time", "halvingtime")
    (private / "week.yml").write_text(broken, encoding="utf-8")
    code, _, errors = run(capsys, "--quizzes", str(private), "check")
    assert code == 1
    assert errors == [
        "error: graded/week.yml:4 seed: expected a whole number, but received 'three'",
        "error: graded/week.yml:8 questions[1].template: unknown template 'halvingtime'; did you mean 'halving-time'?",
    ]


# --- 6. an installed command, and a README whose commands work ------------------------------------


def test_the_project_installs_a_cml_teach_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"cml-teach": "generator.cli:run"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install" in makefile and "-e ." in makefile


def documented_commands() -> list[str]:
    """Every `cml-teach …` line of a shell block in README, CONTRIBUTING and the educators page."""
    texts = [(ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "CONTRIBUTING.md")]
    texts.append((ROOT / "generator" / "templates" / "educators.md.j2").read_text(encoding="utf-8"))
    blocks = [block for text in texts for block in re.findall(r"```sh\n(.*?)```", text, re.S)]
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("cml-teach ")]


def test_the_readme_shows_commands_the_cli_takes():
    commands = documented_commands()
    assert len(commands) >= 8
    parser = _parser()
    for command in commands:
        args = parser.parse_args(shlex.split(command)[1:])  # exits 2 on an unknown option
        assert callable(args.run), command
