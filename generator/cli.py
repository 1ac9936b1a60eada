"""Command line: python -m generator {check,generate,build,serve}. Thin: parse, call, report."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator.build import build_site, generate, load_inputs
from generator.content import Content
from generator.errors import ContentError, GeneratorError
from generator.quiz.blueprint import Blueprint

WATCHED = ("content", "quizzes", "generator/templates")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ContentError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate content/, generate the site's Markdown, and build the site.",
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--quizzes", type=Path, default=Path("quizzes"), help="quiz blueprints (default: quizzes)")
    parser.add_argument("--out", type=Path, default=Path("build"), help="generated Markdown (default: build)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate content/ and print a summary")
    check.set_defaults(run=_check)

    gen = commands.add_parser("generate", help="validate and write the Markdown pages into --out")
    gen.set_defaults(run=_generate)

    build = commands.add_parser("build", help="generate, then build the static site (MkDocs) into --site")
    build.add_argument("--site", type=Path, default=Path("site"), help="site folder (default: site)")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="generate, serve with live reload, regenerate on change")
    serve.add_argument("--address", default="127.0.0.1:8000")
    serve.set_defaults(run=_serve)
    return parser


def _check(args: argparse.Namespace) -> int:
    content, blueprints = load_inputs(args.content, args.quizzes)
    print(summary(content, blueprints))
    return 0


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
            + ", ".join(f"{b.id} ({b.size} questions x {b.variants} versions)" for b in blueprints),
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
    build_site(args.content, args.out, args.site, quizzes_dir=args.quizzes)
    print(f"site built into {args.site}/")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Run the MkDocs dev server and regenerate the Markdown whenever an input changes."""
    _generate(args)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", args.address])
    stamp = _latest_change()
    try:
        while server.poll() is None:
            time.sleep(1)
            latest = _latest_change()
            if latest != stamp:
                stamp = latest
                try:
                    _generate(args)
                except ContentError as error:
                    print("\n".join(f"error: {p}" for p in error.problems), file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return server.returncode or 0


def _latest_change() -> float:
    paths = [p for root in WATCHED for p in Path(root).rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in paths), default=0.0)
