"""Writing output files: all or nothing, never over the project's own sources by accident.

A file is written beside its target and renamed over it, so a full disk or a killed process
leaves the previous file whole. Every OS error becomes one line naming the path."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from generator.errors import GeneratorError, printable


class WriteError(GeneratorError):
    """An output file could not be written; what was there before is untouched."""


def write_atomically(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise WriteError(f"cannot write {quote(str(target))}: it is a folder; name a file")
    _refuse_file_as_folder(target.parent, f"cannot write {quote(str(target))}")
    descriptor, temporary = -1, ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".part", dir=target.parent)
        with os.fdopen(descriptor, "wb") as stream:
            descriptor = -1
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = ""
    except OSError as error:
        raise WriteError(f"cannot write {quote(str(target))}: {error.strerror or error}") from None
    finally:
        if descriptor != -1:
            os.close(descriptor)
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _refuse_file_as_folder(folder: Path, what: str) -> None:
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            raise WriteError(f"{what}: {quote(str(parent))} is a file, not a folder")


def make_folder(folder: Path) -> None:
    _refuse_file_as_folder(folder, f"cannot write into {quote(str(folder))}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot write into {quote(str(folder))}: {error.strerror or error}") from None


def refuse_sources(target: Path, inputs: list[Path], force: bool) -> None:
    """Without --force, never write into an input (content/, quizzes/: a new file there is read
    by the next check) or over a file git tracks."""
    if force:
        return
    resolved = target.resolve()
    for folder in inputs:
        if resolved.is_relative_to(folder.resolve()):
            raise WriteError(
                f"{quote(str(target))} is inside {quote(f'{folder}/')}, an input of the site; "
                "use --force to overwrite it"
            )
    if target.exists() and _tracked_by_git(resolved):
        raise WriteError(f"{quote(str(target))} is a file of the repository; use --force to overwrite it")


# The file a site build leaves in the folder it built: the one kind of non-empty folder that
# `build --site` may replace. A folder MkDocs built before the marker existed is known by the
# files it always writes (LEGACY_SITE), provided it is not a repository.
SITE_MARKER = ".built-by-cml-generator"
LEGACY_SITE = ("404.html", "sitemap.xml", "search/search_index.json")


def refuse_site_target(site: Path, inputs: list[Path]) -> None:
    """`build --site` replaces site as a whole: allow only a folder that is new (or empty) or one
    this program built, and never an input, the working folder or a folder that holds either."""
    resolved = site.resolve()
    named = f"--site {quote(str(site))}"
    for place in [*inputs, Path.cwd()]:
        place = place.resolve()
        if resolved == place or place.is_relative_to(resolved):
            raise WriteError(f"{named} would replace {quote(str(place))}; name a new folder for the site")
        if place != Path.cwd().resolve() and resolved.is_relative_to(place):
            raise WriteError(f"{named} is inside {quote(str(place))}, an input of the site; name a folder outside it")
    if resolved.is_symlink() or site.is_symlink():
        raise WriteError(f"{named} is a symbolic link; name a real folder")
    if not resolved.exists():
        _refuse_file_as_folder(resolved.parent, f"cannot build into {quote(str(site))}")
        return
    if not resolved.is_dir():
        raise WriteError(f"{named} is a file, not a folder; name a new folder for the site")
    if (resolved / ".git").exists():
        raise WriteError(f"{named} is a git repository; name a new folder for the site")
    try:
        empty = not any(resolved.iterdir())
    except OSError as error:
        raise WriteError(f"cannot read {quote(str(site))}: {error.strerror or error}") from None
    built = (resolved / SITE_MARKER).is_file() or all((resolved / name).is_file() for name in LEGACY_SITE)
    if not (empty or built):
        raise WriteError(
            f"{named} is a folder this program did not build (no {SITE_MARKER} in it); "
            "name a new folder, or empty this one yourself"
        )


# The file generate leaves in the folder it writes (--out, build/ by default): generate keeps that
# folder in step with what it renders and removes every other file there, so it writes only into
# a folder that is new or empty, or that holds nothing but what this program puts there.
OUT_MARKER = ".generated-by-cml-generator"
OUT_NAMES = frozenset({OUT_MARKER, "docs", "snippets", "serve.yml", "zensical.yml", "zensical-site", ".cache"})


def refuse_out_target(out_dir: Path) -> None:
    """`generate --out` removes what it did not render: never in a folder of other files (the
    sources, the repository, a folder of one's own)."""
    if not out_dir.exists():
        _refuse_file_as_folder(out_dir.parent, f"cannot write into {quote(str(out_dir))}")
        return
    if not out_dir.is_dir():
        raise WriteError(f"cannot write into {quote(str(out_dir))}: it is a file, not a folder")
    try:
        names = {entry.name for entry in out_dir.iterdir()}
    except OSError as error:
        raise WriteError(f"cannot read {quote(str(out_dir))}: {error.strerror or error}") from None
    if OUT_MARKER in names and ".git" not in names or names <= OUT_NAMES:
        return
    raise WriteError(
        f"--out {quote(str(out_dir))} is a folder this program did not generate (no {OUT_MARKER} in it), "
        "and generating there would remove its files; name a new folder, or empty this one yourself"
    )


# The file `quiz build` leaves in the folder it writes, naming each file it wrote there: a later
# build overwrites or removes only those, never a file of the same kind of name someone else put
# there (an export's `--out` is one file, written only where nothing else is, or with --force).
QUIZ_MARKER = ".quiz-built-by-cml-generator"
QUIZ_MARKER_TEXT = "# Written by `cml-teach quiz build`: the files it wrote here, which a later build may replace.\n"


def written_here(folder: Path) -> set[str]:
    """The names quiz build's manifest in folder lists (plain names, never a path), or none."""
    try:
        lines = (folder / QUIZ_MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    return {n for n in lines if n and not n.startswith("#") and n not in (".", "..") and Path(n).name == n}


def record_written(folder: Path, names: list[str]) -> None:
    text = QUIZ_MARKER_TEXT + "".join(f"{name}\n" for name in sorted(names))
    write_atomically(folder / QUIZ_MARKER, text.encode("utf-8"))


def quote(value: str) -> str:
    """A value echoed in a message: quoted, and on one line (errors.printable)."""
    return f"'{printable(value)}'"


def _tracked_by_git(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", str(path)], cwd=folder, capture_output=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0
