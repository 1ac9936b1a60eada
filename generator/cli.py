"""Command line: cml-teach (or python -m generator) {check,generate,build,serve,quiz,export,docs,source}.
Thin: parse, call, report.

One vocabulary: a QUIZ is a blueprint's path or its id in --quizzes; --out is where the
command writes (generated Markdown, a folder of printable versions, an export file);
--content and --quizzes may come before or after the command."""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from generator import markup, process, readme, serve
from generator.build import build_site, check_inputs, generate, load_inputs
from generator.builders import BUILDERS
from generator.content import Content, load_content, validation_message
from generator.errors import ContentError, GeneratorError, printable
from generator.exports import FORMATS
from generator.files import (
    WriteError,
    make_folder,
    quote,
    record_written,
    refuse_sources,
    write_atomically,
    written_here,
)
from generator.quiz import lint, registry, review
from generator.quiz.blueprint import MAX_VARIANTS, Blueprint, Quiz, expand, unknown, unknown_template
from generator.quiz.templates import DIFFICULTIES, TEMPLATES, Context, unfolding
from generator.render import format_count
from generator.rules import Rules

TEMPLATES_DIR = Path(__file__).parent / "templates"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    process.stop_on_signals()
    try:
        _check_folders(args)
        return int(args.run(args) or 0)
    except ContentError as error:
        report(error)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except GeneratorError as error:
        report(error)
        return 1
    except process.Stopped as stop:
        print(f"stopped by {stop}; nothing half-built was left behind", file=sys.stderr)
        return 128 + 15


def report(error: GeneratorError) -> None:
    """Each problem on one line, as the editor and CI logs expect."""
    if isinstance(error, ContentError):
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return
    first, *detail = str(error).splitlines() or [""]
    print(f"error: {printable(first)}", file=sys.stderr)
    for line in detail:  # what a child (the site builder) said, indented under the one error line
        print(f"  {printable(line)}", file=sys.stderr)


def _check_folders(args: argparse.Namespace) -> None:
    """Name a folder given on the command line that is not there, before anything reads it."""
    if not args.content.is_dir():
        raise GeneratorError(f"no content folder at {quote(str(args.content))}")
    if not args.quizzes.is_dir() and args.run not in (_quiz_new, _quiz_build, _export, _source_diff):
        raise GeneratorError(f"no quizzes folder at {quote(str(args.quizzes))}")


def program() -> str:
    """How the user called us, for usage lines and hints: the installed script or the module."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name if name == SCRIPT else "python -m generator"


SCRIPT = "cml-teach"  # [project.scripts] in pyproject.toml


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(),
        description="Validate content/, generate the site's Markdown, build the site, and make and export quizzes.",
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--quizzes", type=Path, default=Path("quizzes"), help="quiz blueprints (default: quizzes)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="where generate, build and serve write Markdown (default: build)",
    )
    # The same folders after the command (`quiz build w3 --quizzes private/`); given there, they win.
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--content", type=Path, default=argparse.SUPPRESS, help="content folder (default: content)")
    folders.add_argument("--quizzes", type=Path, default=argparse.SUPPRESS, help="quiz blueprints (default: quizzes)")
    markdown = argparse.ArgumentParser(add_help=False)
    markdown.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="generated Markdown (default: build)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[folders], help="validate content/ and quizzes/, print a summary")
    check.set_defaults(run=_check)

    gen = commands.add_parser(
        "generate", parents=[folders, markdown], help="validate and write the Markdown pages into --out"
    )
    gen.set_defaults(run=_generate)

    build = commands.add_parser(
        "build", parents=[folders, markdown], help="generate, then build the static site (MkDocs) into --site"
    )
    build.add_argument("--site", type=Path, default=Path("site"), help="site folder (default: site)")
    build.add_argument("--builder", choices=list(BUILDERS), default="mkdocs", help="site builder (default: mkdocs)")
    build.set_defaults(run=_build)

    serve = commands.add_parser(
        "serve", parents=[folders, markdown], help="generate, serve with live reload, regenerate on change"
    )
    serve.add_argument("--address", default="127.0.0.1:8000")
    serve.set_defaults(run=_serve)

    quiz = commands.add_parser("quiz", help="make and build quiz blueprints").add_subparsers(
        required=True, metavar="ACTION"
    )
    new = quiz.add_parser(
        "new",
        parents=[folders],
        help="write a new blueprint into --quizzes",
        description="Write a quiz blueprint from options. Name the case templates, or topics to take every "
        f"template of. Templates: {', '.join(TEMPLATES)}. Topics: {', '.join(sorted(topics()))}.",
    )
    new.add_argument("--title", required=True)
    new.add_argument("--id", help="the quiz id (default: made from the title)")
    picks = new.add_mutually_exclusive_group(required=True)
    picks.add_argument("--templates", help="comma-separated case template ids")
    picks.add_argument("--topics", help="comma-separated topics")
    sizes = new.add_mutually_exclusive_group()
    sizes.add_argument("--count", type=int, help="questions per template (default: 1)")
    sizes.add_argument("--total", type=int, help="questions in all, spread over the templates as evenly as may be")
    new.add_argument(
        "--private", action="store_true", help="keep it off the site (publish: false): built and exported only"
    )
    new.add_argument("--seed", type=int, default=1, help="any whole number (default: 1)")
    versions = Blueprint.model_fields["variants"].default
    new.add_argument("--variants", type=int, default=versions, help=f"how many versions (default: {versions})")
    new.add_argument("--audience", default="Medical students")
    new.add_argument("--difficulty", choices=DIFFICULTIES, default="standard")
    new.add_argument("--time-limit", type=int, metavar="MINUTES", help="exam mode's time limit (default: none)")
    new.set_defaults(run=_quiz_new)

    build_quiz = quiz.add_parser(
        "build",
        parents=[folders],
        help="write a quiz's versions and answer keys as Markdown, to print or edit",
        description="Write version-K.md and key-K.md for each version of a quiz into a folder of your choice "
        "(default: a folder named after the quiz, in the current folder).",
    )
    build_quiz.add_argument("quiz", help=QUIZ_HELP)
    build_quiz.add_argument("--variants", type=int, help="how many versions (default: the blueprint's)")
    build_quiz.add_argument(
        "--out", dest="target", type=Path, metavar="FOLDER", help="the folder to write (default: ./QUIZ_ID/)"
    )
    build_quiz.add_argument("--to", dest="target", type=Path, help=argparse.SUPPRESS)  # the old name of --out
    build_quiz.add_argument("--force", action="store_true", help="write even into content/, quizzes/ or tracked files")
    build_quiz.set_defaults(run=_quiz_build)

    lint = quiz.add_parser(
        "lint",
        parents=[folders],
        help="check every question against item-writing rules (NBME)",
        description="Draw each case template at --seeds seeds and expand every blueprint's versions, then "
        "report each item-writing flaw: options, lead-ins, numeric order, cues, repeats.",
    )
    lint.add_argument("--seeds", type=int, default=200, help="cases of each template to draw (default: 200)")
    lint.set_defaults(run=_quiz_lint)

    review = quiz.add_parser(
        "review",
        parents=[folders],
        help="print a template's items for an expert read: key marked, every reason, the case values",
        description="Draw --count items of one case template and print each with its options, the key "
        "marked *, each option's reason and the case values the key was computed from "
        "(see ITEM-REVIEW: a reader who did not write the template judges them with the summary open).",
    )
    review.add_argument("template", help="a case template id")
    review.add_argument("--count", type=int, default=20, help="items to print (default: 20)")
    review.add_argument("--seed", type=int, default=0, help="another seed draws other cases (default: 0)")
    review.set_defaults(run=_quiz_review)

    docs = commands.add_parser("docs", help="write the parts of the project's docs made from the code").add_subparsers(
        required=True, metavar="PART"
    )
    readme = docs.add_parser(
        "readme", parents=[folders], help="rewrite README.md's table of case templates from the registry"
    )
    readme.add_argument("--file", type=Path, default=Path("README.md"), help="the README (default: README.md)")
    readme.add_argument("--check", action="store_true", help="change nothing; exit 1 when the table is stale")
    readme.set_defaults(run=_docs_readme)

    export = commands.add_parser(
        "export",
        parents=[folders],
        help="export a quiz for Moodle, Canvas, Anki or a spreadsheet",
        description="Write one file holding every version of a quiz (or one, with --variant). The file's "
        "extension is checked against the format and added when missing: "
        + "; ".join(f"{name} {' or '.join(ext)}" for name, ext in EXTENSIONS.items())
        + ".",
    )
    export.add_argument("quiz", help=QUIZ_HELP)
    export.add_argument("--format", required=True, choices=list(FORMATS), help="gift, moodle, qti, anki or csv")
    export.add_argument(
        "--out", dest="target", type=Path, metavar="FILE", help="the file to write (default: QUIZ_ID.EXTENSION)"
    )
    export.add_argument("--to", dest="target", type=Path, help=argparse.SUPPRESS)  # the old name of --out
    export.add_argument("--variant", type=int, help="one version (default: every version)")
    export.add_argument("--force", action="store_true", help="overwrite even a file of content/, quizzes/ or git")
    export.set_defaults(run=_export)

    source = commands.add_parser("source", help="compare releases of the PDQ summary").add_subparsers(
        required=True, metavar="ACTION"
    )
    diff = source.add_parser(
        "diff",
        help="what changed between two releases, and the places in content/ to revisit",
        description="Compare two releases of the summary (its text, or cancer.gov's page saved as HTML) by "
        "section, list the places in --content that hold a changed figure or cite a changed sentence, and "
        "draft the content/updates.yml entry. Never writes into --content.",
    )
    diff.add_argument("old", type=Path, help="the release content/ was written from")
    diff.add_argument("new", type=Path, help="the new release")
    diff.add_argument("--draft", type=Path, help="write the draft updates.yml here (default: after the report)")
    diff.add_argument("--force", action="store_true", help="overwrite an existing --draft file")
    diff.set_defaults(run=_source_diff)
    return parser


def _source_diff(args: argparse.Namespace) -> int:
    from generator.source.command import source_diff

    print(source_diff(args.old, args.new, args.content, args.draft, args.force), end="")
    return 0


QUIZ_HELP = "a blueprint's path (private/week-3.yml) or a quiz id in --quizzes (mixed-exam)"

# What each export's file must end with for its application to take it; the first is added
# to a name without one.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "gift": (".txt", ".gift"),  # Moodle's file picker takes GIFT as text
    "moodle": (".xml",),
    "qti": (".zip",),  # Canvas: "QTI .zip file"
    "anki": (".apkg",),
    "csv": (".csv",),
}


def _check(args: argparse.Namespace) -> int:
    content, blueprints = check_inputs(args.content, args.quizzes)
    print(summary(content, blueprints))
    if _is_the_sites(args.quizzes):  # not a private folder
        steps = frozenset(unfolding.PREFIX + step for step in unfolding.BUILDERS)  # drawn by the courses
        for note in registry.unused(blueprints, steps):
            print(f"note: {note} in {args.quizzes}/", file=sys.stderr)
    return 0


SITE_QUIZZES = "quizzes"  # the blueprints `make site` publishes (the Makefile passes no --quizzes)


def _is_the_sites(quizzes: Path) -> bool:
    """Whether a quizzes folder is the one the site is built from, not a folder of one's own."""
    return quizzes.resolve() == Path(SITE_QUIZZES).resolve()


def summary(content: Content, blueprints: list[Blueprint]) -> str:
    phases = ", ".join(f"{p.id} from {p.min_blasts_pct or 0:g}%" for p in content.phases.phases)
    levels = ", ".join(f"{r.id} <= {r.max_bcr_abl1_is_pct:g}%" for r in content.responses.molecular_responses)
    cited = sum(len(s.references) for s in content.sections)
    return "\n".join(
        [
            f"content OK: {content.source.short_title}, updated {content.source.updated}",
            f"  phases       {phases}",
            f"  responses    {levels}",
            f"  sections     {len(content.sections)} ({cited} citations)",
            f"  references   {len(content.references)}",
            f"  glossary     {len(content.glossary.terms)} terms",
            f"  studies      {len(content.studies)}; therapies {len(content.therapies)}",
            f"  quizzes      {len(blueprints)}: "
            + ", ".join(
                f"{b.id} ({b.size} questions x {b.variants} versions{'' if b.publish else ', not published'})"
                for b in blueprints
            ),
        ]
    )


def _generate(args: argparse.Namespace) -> int:
    counts = generate(args.content, args.out, args.quizzes)
    print(
        f"generated into {args.out}/: {counts['written']} written, "
        f"{counts['unchanged']} unchanged, {counts['removed']} removed"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    build_site(args.content, args.out, args.site, builder=BUILDERS[args.builder], quizzes_dir=args.quizzes)
    print(f"site built into {args.site}/ by {args.builder}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Regenerate what each saved edit feeds and serve it with live reload (generator/serve.py)."""
    return serve.serve(args.content, args.quizzes, args.out, TEMPLATES_DIR, args.address, report)


def topics() -> set[str]:
    return {t.topic for t in TEMPLATES.values()}


def _quiz_new(args: argparse.Namespace) -> int:
    chosen = _chosen_templates(args)
    quiz_id = args.id if args.id is not None else re.sub(r"[^a-z0-9]+", "-", args.title.lower()).strip("-")
    if not quiz_id:
        raise GeneratorError(f"--title: cannot make an id from {quote(args.title)}; give one with --id")
    if args.total is not None:
        counts = spread(args.total, len(chosen))
        chosen, counts = [t for t, n in zip(chosen, counts) if n], [n for n in counts if n]
    else:
        counts = [1 if args.count is None else args.count] * len(chosen)
    blueprint = {
        "id": quiz_id,
        "title": args.title,
        "audience": args.audience,
        # No description: the quiz page describes it by what it asks, and stays right when the
        # counts are edited by hand. Write one in the file to say more.
        "seed": args.seed,
        "variants": args.variants,
        **({"publish": False} if args.private else {}),
        **({"time_limit_minutes": args.time_limit} if args.time_limit is not None else {}),
        # A difficulty only for a template whose questions change with it (check refuses it elsewhere).
        "questions": [
            {"template": t, "count": n}
            | (
                {"difficulty": args.difficulty}
                if args.difficulty != "standard" and TEMPLATES[t].honours_difficulty
                else {}
            )
            for t, n in zip(chosen, counts)
        ],
    }
    _validate_options(blueprint)
    path = args.quizzes / f"{quiz_id}.yml"  # quiz_id is a slug now: no "/" or ".."
    if path.exists():
        raise GeneratorError(f"{quote(str(path))} exists already; choose another --id")
    write_atomically(path, yaml.safe_dump(blueprint, sort_keys=False, allow_unicode=True).encode("utf-8"))
    if args.private:
        where = "kept off the site (publish: false)"
    elif _is_the_sites(args.quizzes):
        where = "published with its answer keys by the next site build"
    else:
        where = f"kept off the site: the site reads {SITE_QUIZZES}/ only"
    print(
        f"wrote {path}: {format_count(sum(counts), 'question')} from {format_count(len(chosen), 'template')}, "
        f"{where}; run `{program()} quiz build {path}` to see it"
    )
    return 0


def spread(total: int, templates: int) -> list[int]:
    """`total` questions over the templates in order, as evenly as may be: 5 over 2 is 3 + 2.
    With fewer questions than templates, the later templates get none."""
    if total < 1:
        raise GeneratorError(f"--total: expected a whole number >= 1, but received {total}")
    return [total // templates + (1 if index < total % templates else 0) for index in range(templates)]


def _chosen_templates(args: argparse.Namespace) -> list[str]:
    if args.templates is not None:
        chosen = [t.strip() for t in args.templates.split(",") if t.strip()]
        wrong = [unknown_template(t) for t in chosen if t not in TEMPLATES]
        if wrong:
            raise GeneratorError("--templates: " + "; ".join(wrong))
    else:
        wanted = [t.strip() for t in args.topics.split(",") if t.strip()]
        wrong = [unknown("topic", t, sorted(topics())) for t in wanted if t not in topics()]
        if wrong:
            raise GeneratorError("--topics: " + "; ".join(wrong))
        chosen = [t.id for t in TEMPLATES.values() if t.topic in wanted]
    if not chosen:
        raise GeneratorError(f"--templates: name at least one template; known: {', '.join(TEMPLATES)}")
    return chosen


# Where a blueprint field comes from on the command line of `quiz new`.
OPTION_OF = {
    "time_limit_minutes": "--time-limit",
    "id": "--id",
    "title": "--title",
    "audience": "--audience",
    "variants": "--variants",
    "seed": "--seed",
    "count": "--count",
    "difficulty": "--difficulty",
    "template": "--templates",
    "publish": "--private",
}


def _validate_options(blueprint: dict) -> None:
    """The blueprint the options make must be valid; a problem names its option."""
    try:
        made = Blueprint.model_validate(blueprint)
    except ValidationError as error:
        first = error.errors()[0]
        option = OPTION_OF.get(str(first["loc"][-1]), str(first["loc"][-1]))
        if first["type"] == "string_pattern_mismatch":
            message = f"expected lowercase letters, digits and hyphens, but received {quote(str(first['input']))}"
        else:
            message = validation_message(first)
        raise GeneratorError(f"{option}: {message}") from None
    for name in ("title", "audience"):
        for problem in markup.problems(getattr(made, name)):
            raise GeneratorError(f"--{name}: {problem}")


def _load_blueprint(args: argparse.Namespace) -> tuple[Blueprint, Context]:
    """args.quiz, a blueprint's path or an id in --quizzes, validated with content/ and its
    neighbours (a path's folder stands in for --quizzes)."""
    name = args.quiz
    if name.endswith((".yml", ".yaml")) or "/" in name or "\\" in name:
        path = Path(name)
        if not path.is_file():
            raise GeneratorError(f"no blueprint at {quote(str(path))}")
        args.quizzes, quiz_id = path.parent, path.stem
    else:
        if not args.quizzes.is_dir():
            raise GeneratorError(f"no quizzes folder at {quote(str(args.quizzes))}")
        quiz_id = name
    content, blueprints = load_inputs(args.content, args.quizzes)
    by_id = {b.id: b for b in blueprints}
    if quiz_id not in by_id:
        raise GeneratorError(f"{unknown('quiz', quiz_id, sorted(by_id))} (the quizzes in {quote(f'{args.quizzes}/')})")
    return by_id[quiz_id], Context(content, Rules(content))


def _quiz_build(args: argparse.Namespace) -> int:
    blueprint, context = _load_blueprint(args)
    count = blueprint.variants if args.variants is None else args.variants
    if not 1 <= count <= MAX_VARIANTS:
        raise GeneratorError(f"--variants must be from 1 to {MAX_VARIANTS}, but received {count}")
    folder = args.target if args.target is not None else Path(blueprint.id)
    refuse_sources(folder, [args.content, args.quizzes], args.force)
    make_folder(folder)
    files = {}
    for variant in range(1, count + 1):
        quiz = expand(blueprint, context, variant)
        files[f"version-{variant}.md"] = quiz_markdown(quiz, with_answers=False)
        files[f"key-{variant}.md"] = quiz_markdown(quiz, with_answers=True)
    write_versions(folder, {name: text.encode("utf-8") for name, text in files.items()}, args.force)
    print(f"built {count} versions of {blueprint.id} ({blueprint.size} questions each) into {folder}/")
    return 0


VERSION_FILE = re.compile(r"(version|key)-\d+\.md")


def write_versions(folder: Path, files: dict[str, bytes], force: bool) -> None:
    """Write files into folder, and remove the versions an earlier build wrote there that this
    one does not: quiz build's manifest (files.QUIZ_MARKER) names what it wrote, and a file it
    did not write is never overwritten (unless forced) nor removed."""
    ours = written_here(folder)
    try:
        for name, data in files.items():
            path = folder / name
            if name not in ours and path.is_file() and path.read_bytes() != data and not force:
                raise WriteError(
                    f"{quote(str(path))} was not written by quiz build; "
                    "name another folder, or use --force to overwrite it"
                )
        for name, data in files.items():
            write_atomically(folder / name, data)
        record_written(folder, list(files))
        for name in sorted(ours - set(files)):  # left by an earlier build with more versions
            if VERSION_FILE.fullmatch(name):
                (folder / name).unlink(missing_ok=True)
    except OSError as error:
        raise WriteError(f"cannot write {quote(str(error.filename or folder))}: {error.strerror or error}") from None
    for path in sorted(folder.glob("*.md")):
        if VERSION_FILE.fullmatch(path.name) and path.name not in files and path.name not in ours:
            print(f"note: left {quote(str(path))} as it was: quiz build did not write it", file=sys.stderr)


def quiz_markdown(quiz: Quiz, *, with_answers: bool) -> str:
    """A plain Markdown version of a quiz, or its answer key, for printing or editing."""
    title = f"{quiz.blueprint.title}, version {quiz.variant}" + (": answer key" if with_answers else "")
    lines = [f"# {title}", ""]
    for number, q in enumerate(quiz.questions, start=1):
        lines += [f"## Question {number}", "", f"{q.vignette} **{q.lead_in}**", ""]
        lines += [f"- {q.letters[i]}. {o.text}" for i, o in enumerate(q.options)] + [""]  # a list, A to E
        if with_answers:
            lines += [f"**Answer: {q.letters[q.key]}. {q.answer.text}.** {q.answer.why}", "", q.explanation, ""]
    return html.escape("\n".join(lines), quote=False)  # a Markdown renderer shows "<script>" as text


def _quiz_lint(args: argparse.Namespace) -> int:
    if args.seeds < 1:
        raise GeneratorError(f"--seeds must be 1 or more, but received {args.seeds}")
    content, blueprints = load_inputs(args.content, args.quizzes)
    flaws = lint.whole_bank(Context(content, Rules(content)), blueprints, args.seeds)
    counts = Counter((f.template, f.check) for f in flaws)
    first: dict[tuple[str, str], str] = {}
    for flaw in sorted(flaws):
        first.setdefault((flaw.template, flaw.check), flaw.detail)
    for (template_id, check), count in sorted(counts.items()):
        print(f"{template_id}: {check}: {count} item(s), e.g. {first[(template_id, check)]}")
    print(f"{len(flaws)} flaw(s) in {len(counts)} template/check pair(s)" if flaws else "no item-writing flaws")
    known = sorted((t, c) for t, checks in lint.KNOWN_CUES.items() for c in checks)
    if known:  # spared until their templates are mended, and named so that no one forgets them
        print(f"spared, known to fail (lint.KNOWN_CUES): {'; '.join(f'{t}: {c}' for t, c in known)}")
    return 1 if flaws else 0


def _quiz_review(args: argparse.Namespace) -> int:
    if args.template not in TEMPLATES:
        raise GeneratorError(unknown_template(args.template))
    if args.count < 1:
        raise GeneratorError(f"--count must be at least 1, but received {args.count}")
    content, _ = load_inputs(args.content, args.quizzes)
    context = Context(content, Rules(content))
    print(review.review_text(args.template, review.review_items(args.template, context, args.count, args.seed)))
    return 0


def _export(args: argparse.Namespace) -> int:
    blueprint, context = _load_blueprint(args)
    if args.variant is not None and not 1 <= args.variant <= blueprint.variants:
        raise GeneratorError(f"--variant must be from 1 to {blueprint.variants}, but received {args.variant}")
    variants = [args.variant] if args.variant else list(range(1, blueprint.variants + 1))
    fmt = FORMATS[args.format]
    default = Path(blueprint.id + (f"-v{args.variant}" if args.variant else ""))
    target = args.target if args.target is not None else default
    if not target.is_dir():  # a folder is refused by name when written
        target = with_extension(target, args.format, args.force)
    refuse_sources(target, [args.content, args.quizzes], args.force)
    data = fmt.write([expand(blueprint, context, v) for v in variants])
    write_atomically(target, data)
    print(f"wrote {target} ({fmt.label}, {len(variants)} version(s) of {blueprint.id}, {len(data):,} bytes)")
    return 0


def with_extension(path: Path, fmt: str, force: bool = False) -> Path:
    """path as given when it ends as the format's application needs; with that extension added
    when it has none (w3 -> w3.zip); refused when it has another (w3.qti: Canvas takes a QTI
    package only as a .zip), unless forced."""
    wanted = EXTENSIONS[fmt]
    if path.name.lower().endswith(wanted) or force:
        return path
    if not path.suffix:
        return path.with_name(path.name + wanted[0])
    label = FORMATS[fmt].label
    article = "an" if label[0] in "AEIOU" else "a"
    raise GeneratorError(
        f"--out {quote(str(path))}: {article} {label} file must end in {' or '.join(wanted)}; "
        f"name it {quote(path.with_suffix(wanted[0]).name)}, or use --force to write {quote(path.name)} as it is"
    )


def _docs_readme(args: argparse.Namespace) -> int:
    content = load_content(args.content)
    if not args.file.is_file():
        raise GeneratorError(f"no README at {quote(str(args.file))}")
    text = args.file.read_text(encoding="utf-8")
    fresh = readme.with_table(text, readme.template_table(content), str(args.file))
    if fresh == text:
        print(f"{args.file}: the template table is up to date")
        return 0
    if args.check:
        raise GeneratorError(f"{args.file}: the template table is stale; run `{program()} docs readme`")
    write_atomically(args.file, fresh.encode("utf-8"))
    print(f"{args.file}: rewrote the template table ({len(TEMPLATES)} templates)")
    return 0


def run() -> None:
    """The installed `cml-teach` script."""
    sys.exit(main())
