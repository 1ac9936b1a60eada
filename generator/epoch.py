"""The build's one date: SOURCE_DATE_EPOCH if set, else the last commit's time.

Everything dated in the output (the sitemap, an Anki deck's note times) takes it, so one
commit gives one site byte for byte, and a later commit gives later times (Anki then
updates the notes a student already has instead of calling them duplicates).
"""

from __future__ import annotations

import os
import subprocess
from functools import cache

# Outside a git checkout with no SOURCE_DATE_EPOCH: a fixed, valid time (2025-01-01 UTC), never 0.
FALLBACK_EPOCH = 1_735_689_600


@cache
def source_date_epoch() -> int:
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        commit = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_EPOCH
    stamp = commit.stdout.strip()
    return int(stamp) if commit.returncode == 0 and stamp.isdigit() else FALLBACK_EPOCH
