"""`python -m generator source diff OLD NEW`: the report, and the draft updates.yml entry."""

from __future__ import annotations

from pathlib import Path

from generator.files import WriteError, quote, refuse_sources, write_atomically
from generator.source.diff import compare, draft_updates, report_lines
from generator.source.places import index_content
from generator.source.release import read_release


def source_diff(old: Path, new: Path, content_dir: Path, draft: Path | None, force: bool) -> str:
    """Compare two releases against content_dir; write the draft to draft, or return it with
    the report. content/ itself is never written."""
    if draft is not None:
        if draft.resolve().is_relative_to(content_dir.resolve()):
            raise WriteError(
                f"--draft {quote(str(draft))}: source diff never writes into {quote(f'{content_dir}/')}; "
                "name a file outside it"
            )
        if draft.exists() and not force:
            raise WriteError(f"--draft {quote(str(draft))} exists already; use --force to overwrite it")
        refuse_sources(draft, [content_dir], force)
    before, after = read_release(old), read_release(new)
    index = index_content(content_dir)
    report = compare(before, after, index)
    text = "\n".join(report_lines(report)) + "\n"
    entry = draft_updates(report, index)
    if draft is None:
        return text + "\n# --- draft for content/updates.yml (edit it, then replace the file) ---\n" + entry
    write_atomically(draft, entry.encode("utf-8"))
    return text + f"\nwrote the draft for content/updates.yml to {draft}: edit it, then replace the file\n"
