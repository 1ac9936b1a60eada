"""Gather, then write: validate all content, render every file in memory, then write it out.

The generated tree (build/) is updated in place, file by file, so a live-reloading server
sees only real changes. The published site/ is built into a temporary folder by the site
builder (MkDocs, run as a command, never imported) and swapped in only when that succeeds.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from generator import process
from generator.builders import BUILDERS
from generator.content import Content, load_content
from generator.epoch import source_date_epoch
from generator.errors import BuildError, ContentError
from generator.files import OUT_MARKER, SITE_MARKER, WriteError, quote, refuse_out_target, refuse_site_target
from generator.pages import make_quizzes, render_site
from generator.quiz import registry
from generator.quiz.blueprint import Blueprint, load_blueprints
from generator.quiz.templates import TEMPLATES, Context, draw
from generator.rules import Rules
from generator.sanitise import secure_site

SITE_MODE = 0o755
DEFAULT_BUILDER = (sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir")


def load_inputs(content_dir: Path, quizzes_dir: Path) -> tuple[Content, list[Blueprint]]:
    """Validate content/ and quizzes/ together, so one run reports the problems of both."""
    problems = []
    content, blueprints = None, []
    try:
        content = load_content(content_dir)
    except ContentError as error:
        problems.extend(error.problems)
    try:
        blueprints = load_blueprints(quizzes_dir) if quizzes_dir.is_dir() else []
    except ContentError as error:
        problems.extend(error.problems)
    if content is not None:
        problems.extend(registry.problems(content))  # templates and their words, in step
    if problems or content is None:
        raise ContentError(problems)
    return content, blueprints


CHECK_SEEDS = 50  # cases of each template beyond the blueprints', so rarely drawn texts are checked too


def check_inputs(content_dir: Path, quizzes_dir: Path) -> tuple[Content, list[Blueprint]]:
    """Validate, then do in memory all that the generator does for a build, and draw every case
    template at CHECK_SEEDS seeds more: whatever would fail a build fails the check."""
    content, blueprints = load_inputs(content_dir, quizzes_dir)
    render_site(content, blueprints)
    context = Context(content, Rules(content))
    for private in (b for b in blueprints if not b.publish):  # not on the site, but built and exported
        make_quizzes(content, [private])
    for case_template in TEMPLATES.values():
        for _ in draw(case_template, context, CHECK_SEEDS, "check"):
            pass
    return content, blueprints


def generate(content_dir: Path, out_dir: Path, quizzes_dir: Path = Path("quizzes")) -> dict[str, int]:
    """Render content_dir and quizzes_dir into out_dir; return counts of files written, unchanged, removed."""
    files = render_site(*load_inputs(content_dir, quizzes_dir))
    return write_tree(out_dir, files)


def write_tree(out_dir: Path, files: dict[str, str | bytes], remove_stale: bool = True) -> dict[str, int]:
    """Write files under out_dir, leaving alone those whose bytes are the same, and (unless told
    not to) remove the files there that are not in files; any OS error is one line naming the path."""
    try:
        return _write_tree(out_dir, files, remove_stale)
    except OSError as error:
        where = error.filename or out_dir
        raise WriteError(f"cannot write {quote(str(where))}: {error.strerror or error}") from None


def _write_tree(out_dir: Path, files: dict[str, str | bytes], remove_stale: bool) -> dict[str, int]:
    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError(f"cannot write into {quote(str(out_dir))}: it is a file, not a folder")
    if remove_stale:  # every other file there goes: only in a folder this program writes
        refuse_out_target(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        marker = out_dir / OUT_MARKER
        if not marker.is_file():
            marker.write_text(OUT_MARKER_TEXT, encoding="utf-8")
    counts = {"written": 0, "unchanged": 0, "removed": 0}
    for relative, text in sorted(files.items()):
        target = out_dir / relative
        data = text.encode("utf-8") if isinstance(text, str) else text
        if target.is_file() and target.read_bytes() == data:
            counts["unchanged"] += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        counts["written"] += 1
    wanted = {str(out_dir / relative) for relative in files} | {str(out_dir / OUT_MARKER)}
    if remove_stale and out_dir.is_dir():
        for stale in sorted(p for p in out_dir.rglob("*") if p.is_file() and str(p) not in wanted):
            stale.unlink()
            counts["removed"] += 1
    return counts


def build_site(
    content_dir: Path,
    out_dir: Path,
    site_dir: Path,
    builder: tuple[str, ...] = DEFAULT_BUILDER,
    quizzes_dir: Path = Path("quizzes"),
) -> None:
    """Generate, run the site builder into a temporary folder, then swap it in for site_dir.

    site_dir must be new, empty or built by this program (files.refuse_site_target): a build
    replaces the folder whole, so it is never pointed at sources, the repository or a file."""
    refuse_site_target(site_dir, [content_dir, quizzes_dir, out_dir])
    shown = site_dir
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        process.sweep_stale_staging(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=process.staging_prefix(site_dir), dir=site_dir.parent))
    except OSError as error:
        raise BuildError(f"cannot build into {quote(str(shown))}: {error.strerror or error}") from None
    try:
        files = render_site(*load_inputs(content_dir, quizzes_dir))
        if builder in BUILDERS.values():  # both read the pages where mkdocs.yml says
            refuse_unread_out(out_dir)
        write_tree(out_dir, files)
        result = process.run([*builder, str(staging)], capture_output=True, text=True, env=reproducible_env())
        if result.returncode != 0:
            said = "\n".join(builder_problems(result.stderr))
            raise BuildError(f"the site builder failed; {quote(str(shown))} was left as it was.\n{said}")
        publish_only_what_is_safe(staging, shown)
        (staging / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        staging.chmod(SITE_MODE)  # mkdtemp makes it private; a site is for reading
        old = Path(f"{staging}-old")
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        reason = error.strerror or error
        raise BuildError(f"cannot build into {quote(str(shown))}: {reason}; it was left as it was") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# What the theme ships that the site does not load (main.html replaces Material's bundle).
UNPUBLISHED = ("assets/javascripts/bundle.*.min.js", "**/*.map")


def publish_only_what_is_safe(staging: Path, site_dir: Path) -> None:
    """Clean every page's content with the allow-list (sanitise.py), refuse a page that still
    holds what no page may, and drop the files the site never loads."""
    problems = list(secure_site(staging))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        kept = quote(str(site_dir))
        raise BuildError(f"unsafe HTML in the built site: {problems[0]}{more}; {kept} was left as it was")
    for pattern in UNPUBLISHED:
        for path in staging.glob(pattern):
            path.unlink()


OUT_MARKER_TEXT = "Written by `python -m generator generate`; a later run removes here what it no longer renders.\n"
MARKER_TEXT = "Built by `python -m generator build`; a later build may replace this folder whole.\n"


def builder_problems(stderr: str) -> list[str]:
    """What the builder said went wrong, a line per problem: its ERROR and WARNING lines, else
    its last line (a traceback's last line names the exception)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    problems = [line for line in lines if line.startswith(("ERROR", "WARNING", "Error", "Aborted"))] or lines[-1:]
    if len(problems) > MAX_BUILDER_LINES:  # one bad link once gave 65,830 warnings
        return [*problems[:MAX_BUILDER_LINES], f"(and {len(problems) - MAX_BUILDER_LINES:,} more lines like these)"]
    return problems


MAX_BUILDER_LINES = 5


class _TagsAsNothing(yaml.SafeLoader):
    """Reads mkdocs.yml for its docs_dir, whatever builder-specific tags (`!ENV`) it holds."""


_TagsAsNothing.add_multi_constructor("!", lambda loader, suffix, node: None)


def refuse_unread_out(out_dir: Path, config: Path = Path("mkdocs.yml")) -> None:
    """`build --out DIR` must be where the builder reads the pages (mkdocs.yml's docs_dir is
    DIR/docs), or a build would publish stale pages or none."""
    try:
        docs_dir = yaml.load(config.read_text(encoding="utf-8"), _TagsAsNothing).get("docs_dir", "docs")
    except (OSError, yaml.YAMLError, AttributeError):
        raise BuildError(f"cannot read {quote(str(config))}, which the site builder reads") from None
    reads = (config.parent / docs_dir).resolve()
    if (out_dir / "docs").resolve() != reads:
        raise BuildError(
            f"--out {quote(str(out_dir))}: the site builder reads the pages from {quote(docs_dir)} "
            f"({config}'s docs_dir); build with --out {quote(str(Path(docs_dir).parent))}, or use generate --out"
        )


def reproducible_env() -> dict[str, str]:
    """Pin the build date (sitemap) to the last commit, so one commit gives one site, byte for byte."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(source_date_epoch())
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    return env
